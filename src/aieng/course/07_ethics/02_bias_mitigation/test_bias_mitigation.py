"""Checks for `bias-mitigation`: reweighing against counting by hand, per-group thresholds against a brute
force over every possible threshold, and both mitigations on a small lending data set with a known bias.

Groups and labels come from seeded numpy generators (1 to 5 groups, 1 to 60 people). Weights are ratios
of counts, so they must match the brute force to a relative tolerance of 1e-12; rates to 1e-12 as well.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

CASES = st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 5))


def draw(seed: int, n: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group labels (strings), labels whose base rate depends on the group, and scores in [0, 1]."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, k, size=n)
    groups = np.array(["g0", "g1", "g2", "g3", "g4"])[codes]
    y = (rng.random(n) < rng.uniform(0.1, 0.9, size=k)[codes]).astype(int)
    scores = np.clip(0.5 * y + rng.normal(0.25, 0.25, size=n), 0, 1).round(rng.integers(1, 4))  # with ties
    return groups, y, scores


def weights_by_counting(groups, y) -> np.ndarray:
    """P(g) P(y) / P(g, y), each probability a plain count over n."""
    n = len(y)
    pairs = list(zip(groups.tolist(), y.tolist(), strict=True))
    count_g, count_y, count_gy = Counter(groups.tolist()), Counter(y.tolist()), Counter(pairs)
    return np.array([(count_g[g] / n) * (count_y[v] / n) / (count_gy[(g, v)] / n) for g, v in pairs])


@given(CASES)
def test_reweighing_matches_counting(impl, case):
    """reweighing_weights(groups, y)[i] = P(g_i) P(y_i) / P(g_i, y_i), each probability a frequency in the
    data: compared with counting by hand, sample by sample."""
    groups, y, _ = draw(*case)
    assert_close(impl.reweighing_weights(groups, y), weights_by_counting(groups, y), rtol=1e-12,
                 what="reweighing_weights(groups, y)")


@given(CASES)
def test_reweighed_labels_are_independent_of_the_group(impl, case):
    """Under the weights, every group's weighted positive rate equals the overall positive rate, and the
    weights add up to n (the data keep their size), whenever every group has both labels (a group of
    positives only stays all-positive under any weights)."""
    groups, y, _ = draw(*case)
    if any(len(set(y[groups == g].tolist())) < 2 for g in np.unique(groups)) or len(set(y.tolist())) < 2:
        return
    w = np.asarray(impl.reweighing_weights(groups, y), dtype=float)
    assert_close(w.sum(), len(y), rtol=1e-12, what="the sum of the weights")
    rates = [np.sum(w[groups == g] * y[groups == g]) / np.sum(w[groups == g]) for g in np.unique(groups)]
    assert_close(np.array(rates), np.full(len(rates), y.mean()), rtol=1e-12, atol=1e-12,
                 what="each group's weighted positive rate")


def test_reweighing_worked_example(impl):
    """Three people in group a (labels 1, 1, 0) and one in b (label 0): P(a)=3/4, P(y=1)=1/2, P(a, 1)=1/2,
    so the a-positives weigh 3/4; the a-negative 3/4 * 1/2 / (1/4) = 3/2; the b-negative 1/4 * 1/2 / (1/4) = 1/2."""
    got = impl.reweighing_weights(np.array(["a", "a", "a", "b"]), np.array([1, 1, 0, 0]))
    assert_close(got, np.array([0.75, 0.75, 1.5, 0.5]), what="reweighing_weights")


def best_gap(reference: np.ndarray, target: float) -> float:
    """The smallest |mean(reference >= t) - target| over every threshold t (brute force)."""
    candidates = [*sorted(set(reference.tolist())), np.inf]
    return min(abs(np.mean(reference >= t) - target) for t in candidates)


def check_thresholds(impl, scores, groups, reference_mask, thresholds, target, what):
    expect(isinstance(thresholds, dict), f"group_thresholds should return a dict, got {type(thresholds).__name__}")
    expect(set(map(str, thresholds)) == set(np.unique(groups).tolist()),
           f"group_thresholds should have one threshold per group {sorted(set(groups.tolist()))}, "
           f"got keys {sorted(map(str, thresholds))}")
    lookup = {str(k): float(v) for k, v in thresholds.items()}
    for g in np.unique(groups):
        reference = scores[(groups == g) & reference_mask]
        rate = np.mean(reference >= lookup[g])
        assert_close(abs(rate - target), best_gap(reference, target), rtol=1e-12, atol=1e-12,
                     what=f"|{what} of group {g} - target| (target {target:.4f}, your threshold {lookup[g]})")


@given(CASES, st.floats(0, 1))
def test_thresholds_equalize_selection_rates(impl, case, target):
    """With criterion='selection_rate', each group's threshold makes P(score >= t | group) as close to the
    target as any threshold could (checked against trying every possible threshold)."""
    groups, _, scores = draw(*case)
    got = impl.group_thresholds(scores, groups, criterion="selection_rate", target=target)
    check_thresholds(impl, scores, groups, np.ones(len(scores), bool), got, target, "selection rate")


@given(CASES, st.floats(0, 1))
def test_thresholds_equalize_true_positive_rates(impl, case, target):
    """With criterion='tpr', each group's threshold brings its true positive rate P(score >= t | y = 1,
    group) as close to the target as any threshold could; a group without positives raises ValueError."""
    groups, y, scores = draw(*case)
    if any(y[groups == g].sum() == 0 for g in np.unique(groups)):
        assert_raises_value_error(impl.group_thresholds, scores, groups, y_true=y, criterion="tpr",
                                  target=target, why="a group without positives has no true positive rate")
        return
    got = impl.group_thresholds(scores, groups, y_true=y, criterion="tpr", target=target)
    check_thresholds(impl, scores, groups, y == 1, got, target, "TPR")


@given(CASES)
def test_default_target_is_the_overall_rate_at_one_half(impl, case):
    """Without a target, the common target is the overall selection rate of the plain rule score >= 0.5."""
    groups, _, scores = draw(*case)
    target = float(np.mean(scores >= 0.5))
    got = impl.group_thresholds(scores, groups)
    check_thresholds(impl, scores, groups, np.ones(len(scores), bool), got, target, "selection rate")


@given(CASES)
def test_apply_group_thresholds(impl, case):
    """apply_group_thresholds decides 1 exactly when a person's score is at least their group's threshold."""
    groups, _, scores = draw(*case)
    rng = np.random.default_rng(case[0])
    thresholds = {g: float(rng.choice([rng.random(), np.inf])) for g in np.unique(groups).tolist()}
    expected = np.array([int(s >= thresholds[g]) for s, g in zip(scores.tolist(), groups.tolist(), strict=True)])
    assert_close(impl.apply_group_thresholds(scores, groups, thresholds), expected, rtol=0, atol=0,
                 what="apply_group_thresholds")


def biased_lending(n: int, bias: float, seed: int):
    """Applicants in groups A/B; repayment depends on income only; a proxy feature tracks the group; each
    B-repayer is recorded as a bad risk with probability `bias`."""
    rng = np.random.default_rng(seed)
    b = rng.random(n) < 0.4
    income = rng.normal(0, 1, n)
    proxy = rng.normal(b * 1.5, 1.0)
    repaid = (rng.random(n) < 1 / (1 + np.exp(-(0.5 + 1.5 * income)))).astype(int)
    label = np.where(b & (repaid == 1) & (rng.random(n) < bias), 0, repaid)
    return np.column_stack([income, proxy]), np.where(b, "B", "A"), label, repaid


def parity_gap(decisions, groups) -> float:
    rates = [decisions[groups == g].mean() for g in ("A", "B")]
    return max(rates) - min(rates)


@settings(max_examples=1)
@given(st.just(0))
def test_mitigation_on_biased_lending_data(impl, _):
    """On 6000 applicants with a known injected bias (40% of group-B repayers recorded as bad risks), a
    logistic regression fitted on the recorded labels selects B far less often. Fitted with your reweighing
    weights its demographic parity difference must shrink to at most 60% of the unmitigated one, and your
    selection-rate thresholds must bring it below 0.03 (measured on a held-out half)."""
    from sklearn.linear_model import LogisticRegression

    x, groups, label, _ = biased_lending(6000, 0.4, seed=7)
    tr, te = slice(0, 3000), slice(3000, 6000)
    plain = LogisticRegression().fit(x[tr], label[tr])
    before = parity_gap(plain.predict(x[te]), groups[te])
    weights = np.asarray(impl.reweighing_weights(groups[tr], label[tr]), dtype=float)
    after = parity_gap(LogisticRegression().fit(x[tr], label[tr], sample_weight=weights).predict(x[te]), groups[te])
    expect(after <= 0.6 * before, f"reweighing left the parity difference at {after:.3f} (before: {before:.3f}); "
                                  "it should be at most 60% of it")
    cuts = impl.group_thresholds(plain.predict_proba(x[tr])[:, 1], groups[tr])
    decided = np.asarray(impl.apply_group_thresholds(plain.predict_proba(x[te])[:, 1], groups[te], cuts))
    gap = parity_gap(decided, groups[te])
    expect(gap < 0.03, f"with your group thresholds the parity difference on held-out data is {gap:.3f} "
                       f"(before: {before:.3f}); it should be below 0.03")


def test_rejects_bad_input(impl):
    """Empty or non-binary labels, mismatched lengths, an unknown criterion, 'tpr' without labels, a target
    outside [0, 1], NaN scores and a group missing from the thresholds raise ValueError."""
    g = np.array(["a", "a", "b", "b"])
    s = np.array([0.1, 0.7, 0.4, 0.9])
    assert_raises_value_error(impl.reweighing_weights, np.array([]), np.array([]), why="there is nothing to weigh")
    assert_raises_value_error(impl.reweighing_weights, g, np.array([0, 1, 2, 1]), why="labels must be 0 or 1")
    assert_raises_value_error(impl.reweighing_weights, g[:3], np.array([0, 1, 1, 0]), why="lengths differ")
    assert_raises_value_error(impl.group_thresholds, s, g, criterion="accuracy", why="unknown criterion")
    assert_raises_value_error(impl.group_thresholds, s, g, criterion="tpr", why="'tpr' needs y_true")
    assert_raises_value_error(impl.group_thresholds, s, g, target=1.5, why="a rate cannot exceed 1")
    assert_raises_value_error(impl.group_thresholds, np.array([0.1, np.nan, 0.4, 0.9]), g, why="a score is NaN")
    assert_raises_value_error(impl.apply_group_thresholds, s, g, {"a": 0.5}, why="group b has no threshold")
