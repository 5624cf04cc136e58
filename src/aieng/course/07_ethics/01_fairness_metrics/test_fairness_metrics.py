"""Checks for `fairness-metrics`, against fairlearn.metrics (0.15).

Decisions, labels and groups come from seeded numpy generators: 1 to 80 people, 1 to 5 groups (labels
are strings or integers), decisions that follow the label only part of the time. Rates are ratios of
small integers, so results must match fairlearn to a relative tolerance of 1e-12. fairlearn is switched
off while your functions run (aieng.grader.guards.forbid_package).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from fairlearn import metrics as fm
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid_package

RTOL = 1e-12
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")


def call(impl, name: str, *args, **kwargs):
    with forbid_package(impl, "fairlearn"):
        return getattr(impl, name)(*args, **kwargs)


def people(seed: int, n: int, k: int, strings: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, decisions that copy the label with a random probability, and group labels."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(int)
    y_pred = np.where(rng.random(n) < rng.uniform(0, 1), y_true, (rng.random(n) < rng.uniform(0, 1)).astype(int))
    codes = rng.integers(0, k, size=n)
    groups = np.array(["north", "south", "east", "west", "centre"])[codes] if strings else codes * 10 + 3
    return y_true, y_pred, groups


def fair_frame(metric, y_true, y_pred, groups) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_group = fm.MetricFrame(metrics=metric, y_true=y_true, y_pred=y_pred, sensitive_features=groups).by_group
    return {key: float(value) for key, value in by_group.items()}


def assert_same_dict(got, expected: dict, what: str) -> None:
    expect(isinstance(got, dict), f"{what} should return a dict {{group: value}}, got {type(got).__name__}")
    expect(sorted(map(str, got)) == sorted(map(str, expected)),
           f"{what} has the groups {sorted(map(str, got))}, expected {sorted(map(str, expected))}")
    lookup = {str(key): value for key, value in got.items()}
    keys = sorted(expected, key=str)
    assert_close(np.array([lookup[str(key)] for key in keys], dtype=float), np.array([expected[k] for k in keys]),
                 rtol=RTOL, what=f"{what} for the groups {[str(k) for k in keys]}")


PEOPLE = st.tuples(st.integers(0, 2**32 - 1), st.integers(2, 80), st.integers(1, 5), st.booleans())
FEW = settings(max_examples=12)  # a fairlearn MetricFrame costs ~10 ms: 12 drawn cases per check


def test_does_not_import_fairlearn(impl):
    """Your module computes the metrics itself: it must not import fairlearn (the tests' answer key)."""
    assert_not_imported(impl, "fairlearn")


def test_selection_rate_small_example(impl):
    """selection_rate([1, 0, 0, 1, 1]) is 3/5: the share of people who get the positive decision."""
    assert_close(call(impl, "selection_rate", np.array([1, 0, 0, 1, 1])), 0.6, what="selection_rate")


@FEW
@given(PEOPLE)
def test_group_selection_rates_match_fairlearn(impl, case):
    """group_selection_rates gives P(decision = 1 | group) for every group, as fairlearn's MetricFrame with
    selection_rate (one entry per distinct group label)."""
    y_true, y_pred, groups = people(*case)
    assert_same_dict(call(impl, "group_selection_rates", y_pred, groups),
                     fair_frame(fm.selection_rate, y_true, y_pred, groups), "group_selection_rates")


@FEW
@given(PEOPLE)
def test_demographic_parity_matches_fairlearn(impl, case):
    """demographic_parity_difference (max rate - min rate) and demographic_parity_ratio (min / max) match
    fairlearn's, with any number of groups; when nobody at all is selected the ratio is 0/0 = nan."""
    y_true, y_pred, groups = people(*case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        diff = fm.demographic_parity_difference(y_true, y_pred, sensitive_features=groups)
        ratio = fm.demographic_parity_ratio(y_true, y_pred, sensitive_features=groups)
    assert_close(call(impl, "demographic_parity_difference", y_pred, groups), diff, rtol=RTOL,
                 what="demographic_parity_difference")
    assert_close(call(impl, "demographic_parity_ratio", y_pred, groups), ratio, rtol=RTOL,
                 what="demographic_parity_ratio")


@FEW
@given(PEOPLE)
def test_disparate_impact_and_four_fifths_rule(impl, case):
    """disparate_impact gives each group's selection rate divided by the highest group's rate (fairlearn's
    rates / their max), and the four-fifths rule passes exactly when fairlearn's demographic parity ratio
    is at least 0.8 (a process that selects nobody raises ValueError)."""
    y_true, y_pred, groups = people(*case)
    rates = fair_frame(fm.selection_rate, y_true, y_pred, groups)
    best = max(rates.values())
    if best == 0:
        assert_raises_value_error(impl.passes_four_fifths_rule, y_pred, groups,
                                  why="nobody was selected, so there is no impact ratio to test")
        return
    assert_same_dict(call(impl, "disparate_impact", y_pred, groups),
                     {g: r / best for g, r in rates.items()}, "disparate_impact")
    ratio = min(rates.values()) / best
    got = call(impl, "passes_four_fifths_rule", y_pred, groups)
    expect(got in (True, False), f"passes_four_fifths_rule should return True or False, got {got!r}")
    expect(bool(got) == (ratio >= 0.8),
           f"passes_four_fifths_rule returned {got} but the lowest impact ratio is {ratio:.4f} (threshold 0.8)")


def has_both_labels_everywhere(y_true, groups) -> bool:
    return all(0 < y_true[groups == g].sum() < (groups == g).sum() for g in np.unique(groups))


@FEW
@given(PEOPLE)
def test_group_error_rates_match_fairlearn(impl, case):
    """group_error_rates returns {"tpr": {group: TPR}, "fpr": {group: FPR}} equal to fairlearn's
    true_positive_rate and false_positive_rate per group; a group with no true positive or no true
    negative has an undefined rate and raises ValueError."""
    y_true, y_pred, groups = people(*case)
    if not has_both_labels_everywhere(y_true, groups):
        assert_raises_value_error(impl.group_error_rates, y_true, y_pred, groups,
                                  why="some group has no positives (or no negatives), so its TPR (FPR) is 0/0")
        return
    got = call(impl, "group_error_rates", y_true, y_pred, groups)
    expect(isinstance(got, dict) and set(got) == {"tpr", "fpr"},
           f"group_error_rates should return a dict with keys 'tpr' and 'fpr', got {got!r}")
    assert_same_dict(got["tpr"], fair_frame(fm.true_positive_rate, y_true, y_pred, groups), "the TPRs")
    assert_same_dict(got["fpr"], fair_frame(fm.false_positive_rate, y_true, y_pred, groups), "the FPRs")


@FEW
@given(PEOPLE, st.sampled_from(["worst_case", "mean"]))
def test_equalized_odds_match_fairlearn(impl, case, agg):
    """equalized_odds_difference (the larger, or the mean, of the TPR spread and the FPR spread) and
    equalized_odds_ratio (the smaller, or the mean, of the two min/max ratios) match fairlearn's."""
    y_true, y_pred, groups = people(*case)
    if not has_both_labels_everywhere(y_true, groups):
        assert_raises_value_error(impl.equalized_odds_difference, y_true, y_pred, groups,
                                  why="some group has no positives (or no negatives), so its TPR (FPR) is 0/0")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        diff = fm.equalized_odds_difference(y_true, y_pred, sensitive_features=groups, agg=agg)
    assert_close(call(impl, "equalized_odds_difference", y_true, y_pred, groups, agg=agg), diff, rtol=RTOL,
                 what=f"equalized_odds_difference(agg={agg!r})")
    if (y_pred[y_true == 1] == 1).any() and (y_pred[y_true == 0] == 1).any():  # else a ratio is 0/0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ratio = fm.equalized_odds_ratio(y_true, y_pred, sensitive_features=groups, agg=agg)
        assert_close(call(impl, "equalized_odds_ratio", y_true, y_pred, groups, agg=agg), ratio, rtol=RTOL,
                     what=f"equalized_odds_ratio(agg={agg!r})")


def test_worked_example_three_groups(impl):
    """Three groups with selection rates 3/4, 1/2 and 1/4: parity difference 0.5, ratio 1/3, impact ratios
    1, 2/3 and 1/3, and the four-fifths rule fails."""
    y_pred = np.array([1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0])
    groups = np.array(["a"] * 4 + ["b"] * 4 + ["c"] * 4)
    assert_close(call(impl, "demographic_parity_difference", y_pred, groups), 0.5, what="parity difference")
    assert_close(call(impl, "demographic_parity_ratio", y_pred, groups), 1 / 3, what="parity ratio")
    assert_same_dict(call(impl, "disparate_impact", y_pred, groups), {"a": 1.0, "b": 2 / 3, "c": 1 / 3},
                     "disparate_impact")
    got = call(impl, "passes_four_fifths_rule", y_pred, groups)
    expect(got in (True, False) and not got,
           f"the four-fifths rule fails here (group c is selected at a third of group a's rate), got {got!r}")


def test_nobody_selected_gives_nan_ratios(impl):
    """If nobody is selected, the parity difference is 0 but the ratio is 0/0: return nan (as fairlearn),
    not 0 or 1; the equalized odds ratio is nan too when every group's TPR is 0."""
    y_true = np.array([1, 0, 1, 0])
    y_pred = np.zeros(4, dtype=int)
    groups = np.array(["a", "a", "b", "b"])
    assert_close(call(impl, "demographic_parity_difference", y_pred, groups), 0.0, what="parity difference")
    got = call(impl, "demographic_parity_ratio", y_pred, groups)
    expect(np.isnan(got), f"demographic_parity_ratio with nobody selected should be nan, got {got!r}")
    got = call(impl, "equalized_odds_ratio", y_true, y_pred, groups)
    expect(np.isnan(got), f"equalized_odds_ratio with every rate 0 should be nan, got {got!r}")


def test_one_group_is_trivially_fair(impl):
    """With a single group there is nothing to compare: parity difference 0 and ratio 1."""
    y_pred = np.array([1, 0, 1])
    groups = np.array(["all", "all", "all"])
    assert_close(call(impl, "demographic_parity_difference", y_pred, groups), 0.0, what="parity difference")
    assert_close(call(impl, "demographic_parity_ratio", y_pred, groups), 1.0, what="parity ratio")


def test_rejects_bad_input(impl):
    """Empty input, mismatched lengths, decisions that are not 0/1 (or NaN), a 2-D array, a group without
    positives for equalized odds, an unknown agg and a four-fifths threshold outside (0, 1] raise ValueError."""
    y = np.array([1, 0, 1, 0])
    g = np.array(["a", "a", "b", "b"])
    assert_raises_value_error(impl.demographic_parity_difference, np.array([]), np.array([]),
                              why="there are no decisions to measure")
    assert_raises_value_error(impl.group_selection_rates, y, g[:3], why="there are 4 decisions but 3 groups")
    assert_raises_value_error(impl.selection_rate, np.array([0, 2, 1]), why="decisions must be 0 or 1")
    assert_raises_value_error(impl.selection_rate, np.array([0.0, np.nan]), why="NaN is not a decision")
    assert_raises_value_error(impl.demographic_parity_ratio, np.ones((2, 2)), np.ones((2, 2)),
                              why="decisions and groups must be 1-D")
    assert_raises_value_error(impl.equalized_odds_difference, np.array([1, 1, 1, 0]), y, g,
                              why="group 'a' has no true negatives, so its false positive rate is 0/0")
    assert_raises_value_error(impl.equalized_odds_difference, y, y, g, agg="median",
                              why="agg must be 'worst_case' or 'mean'")
    assert_raises_value_error(impl.passes_four_fifths_rule, y, g, threshold=1.5,
                              why="the threshold is a ratio in (0, 1]")
