"""Checks for `bayes-theorem`, against exact closed forms and a simulation.

Closed forms: every input is a float, and `fractions.Fraction(x)` is that float's exact value, so the
tests compute the true answer with exact rational arithmetic (P(A | B) = P(A, B) / P(B), Bayes'
theorem, products of likelihoods) and round it once at the end. A correct float computation of a few
dozen multiplications, additions and divisions of positive numbers is within about 1e-14 relative of
that, so the tolerance is a relative 1e-12.

Simulation: `simulate_diagnostic` is random. Given m people who tested positive, the number of sick
among them is Binomial(m, p) with p the exact posterior, so the estimate has standard error
SE = sqrt(p (1 - p) / m). The tests take m = n·P(+) (its expected value; the actual m is within a
few percent of it) and accept estimates within 5 SE: a correct simulation fails one case with
probability about 6e-7. The spread of the estimate over 100 seeds must match SE as well: 99·s²/SE²
follows (approximately) a chi-square law with 99 degrees of freedom, and the test accepts
s²/SE² in [0.46, 1.83], its 1e-6 and 1 - 1e-6 quantiles.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.tolerances import assert_within_standard_errors, rate_standard_error, variance_ratio_bounds

RTOL = 1e-12

PROBABILITY = st.integers(1, 999).map(lambda k: k / 1000)  # strictly inside (0, 1)


def exact(values) -> list[Fraction]:
    return [Fraction(float(v)) for v in np.ravel(values)]


def distributions(k_min: int = 2, k_max: int = 5) -> st.SearchStrategy[np.ndarray]:
    """Probability vectors with k_min..k_max entries, from positive integer weights."""
    weights = st.lists(st.integers(1, 50), min_size=k_min, max_size=k_max)
    return weights.map(lambda w: np.array(w, dtype=np.float64) / sum(w))


def exact_posterior(prior: list[Fraction], likelihood: list[Fraction]) -> list[Fraction]:
    joint = [p * lik for p, lik in zip(prior, likelihood, strict=True)]
    evidence = sum(joint)
    return [j / evidence for j in joint]


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_conditional_matches_the_exact_ratio(impl, a, b, data):
    """conditional(joint)[i, j] = P(A=i, B=j) / P(B=j): each column divided by its total (the marginal of B)."""
    counts = np.array(data.draw(st.lists(st.integers(1, 30), min_size=a * b, max_size=a * b)), dtype=np.float64)
    joint = (counts / counts.sum()).reshape(a, b)
    cells = np.array(exact(joint), dtype=object).reshape(a, b)
    expected = [[float(cells[i, j] / sum(cells[:, j])) for j in range(b)] for i in range(a)]
    got = impl.conditional(joint)
    assert_close(got, np.array(expected), rtol=RTOL, atol=0, what=f"conditional of a {a}×{b} joint table")


@given(distributions(), st.data())
def test_posterior_matches_exact_bayes(impl, prior, data):
    """posterior(prior, likelihood) = prior·likelihood / Σ prior·likelihood (Bayes' theorem, computed exactly)."""
    likelihood = np.array(data.draw(st.lists(PROBABILITY, min_size=prior.size, max_size=prior.size)))
    expected = [float(v) for v in exact_posterior(exact(prior), exact(likelihood))]
    got = impl.posterior(prior, likelihood)
    assert_close(got, np.array(expected), rtol=RTOL, atol=0,
                 what=f"posterior(prior={np.round(prior, 4).tolist()}, likelihood={likelihood.tolist()})")
    assert_close(np.sum(got), 1.0, rtol=0, atol=1e-12, what="the sum of the posterior probabilities")


def test_posterior_accepts_densities_above_one(impl):
    """Likelihoods need not be probabilities: densities such as 2.0 and 0.5 work the same way (only ratios matter)."""
    assert_close(impl.posterior(np.array([0.2, 0.8]), np.array([2.0, 0.5])), [0.5, 0.5], rtol=1e-12,
                 what="posterior([0.2, 0.8], [2.0, 0.5])")


@given(st.integers(1, 4), st.integers(2, 4), st.integers(0, 3), st.data())
def test_bayes_from_a_joint_table(impl, a, b, row, data):
    """Bayes reverses conditioning: posterior(P(B), P(A=i | B)) equals P(B | A=i) read directly off the joint table."""
    row = row % a
    counts = np.array(data.draw(st.lists(st.integers(1, 30), min_size=a * b, max_size=a * b)), dtype=np.float64)
    joint = (counts / counts.sum()).reshape(a, b)
    cells = np.array(exact(joint), dtype=object).reshape(a, b)
    expected = [float(cells[row, j] / sum(cells[row, :])) for j in range(b)]
    likelihood = impl.conditional(joint)[row, :]
    got = impl.posterior(joint.sum(axis=0), likelihood)
    assert_close(got, np.array(expected), rtol=1e-11, atol=0, what=f"P(B | A={row}) via Bayes' theorem")


def test_the_medical_test_example(impl):
    """Prevalence 1%, sensitivity 99%, specificity 95%: a positive test means only a 1/6 chance of being sick."""
    assert_close(impl.diagnostic_posterior(0.01, 0.99, 0.95), 1 / 6, rtol=1e-12,
                 what="diagnostic_posterior(0.01, 0.99, 0.95)")
    expected_negative = 0.01 * 0.01 / (0.01 * 0.01 + 0.95 * 0.99)
    assert_close(impl.diagnostic_posterior(0.01, 0.99, 0.95, positive=False), expected_negative, rtol=1e-12,
                 what="diagnostic_posterior(0.01, 0.99, 0.95, positive=False)")


@given(PROBABILITY, PROBABILITY, PROBABILITY, st.booleans())
def test_diagnostic_posterior_matches_exact_bayes(impl, prevalence, sensitivity, specificity, positive):
    """P(sick | +) = se·p / (se·p + (1 - sp)(1 - p)); P(sick | -) = (1 - se)·p / ((1 - se)·p + sp·(1 - p))."""
    p, se, sp = exact([prevalence, sensitivity, specificity])
    hit, miss = (se, 1 - sp) if positive else (1 - se, sp)  # P(result | sick), P(result | healthy)
    expected = hit * p / (hit * p + miss * (1 - p))
    got = impl.diagnostic_posterior(prevalence, sensitivity, specificity, positive)
    expect(np.ndim(got) == 0, f"diagnostic_posterior should return a number, got {got!r}")
    assert_close(got, float(expected), rtol=RTOL, atol=0,
                 what=f"diagnostic_posterior({prevalence}, {sensitivity}, {specificity}, positive={positive})")


@given(distributions(), st.integers(2, 4), st.data())
def test_sequential_update_matches_the_exact_batch_posterior(impl, prior, m, data):
    """Row t of sequential_update is the posterior after t observations: prior × Π likelihoods, renormalized.

    Updating one observation at a time (posterior becomes the next prior) gives the same answer as one
    batch update with the product of the likelihoods, computed exactly.
    """
    k = prior.size
    table = np.array(data.draw(st.lists(PROBABILITY, min_size=k * m, max_size=k * m))).reshape(k, m)
    observations = data.draw(st.lists(st.integers(0, m - 1), max_size=25))
    cells = np.array(exact(table), dtype=object).reshape(k, m)
    rows, current = [], exact(prior)
    rows.append([float(v) for v in current])
    for t in range(len(observations)):
        weights = [exact(prior)[i] * np.prod([cells[i, o] for o in observations[: t + 1]]) for i in range(k)]
        rows.append([float(w / sum(weights)) for w in weights])
    got = impl.sequential_update(prior, table, observations)
    assert_close(got, np.array(rows), rtol=1e-11, atol=0,
                 what=f"sequential_update over {len(observations)} observations of {m} outcomes, {k} hypotheses")


def test_sequential_update_order_does_not_matter(impl):
    """Independent observations can be folded in in any order: the final posterior is the same."""
    prior = np.array([0.2, 0.3, 0.5])
    table = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8]])
    forwards = impl.sequential_update(prior, table, [0, 2, 2, 1, 0])
    backwards = impl.sequential_update(prior, table, [0, 1, 2, 2, 0])
    expect(np.shape(forwards) == (6, 3), f"5 observations of 3 hypotheses give shape (6, 3), got {np.shape(forwards)}")
    assert_close(forwards[-1], backwards[-1], rtol=1e-12, what="the final posterior in another order")
    assert_close(forwards[0], prior, rtol=0, atol=0, what="row 0 (it must be the prior itself)")


@settings(max_examples=20)
@given(st.floats(0.02, 0.5), st.floats(0.6, 0.99), st.floats(0.6, 0.99), st.integers(0, 2**32 - 1))
def test_simulation_lands_within_5_standard_errors(impl, prevalence, sensitivity, specificity, seed):
    """simulate_diagnostic(…, n=200 000) is within 5 binomial standard errors of the exact posterior
    (false alarm ≈ 6e-7).

    SE = sqrt(p (1 - p) / m), with p the exact P(sick | +) and m = n·P(+) the expected number of positives.
    """
    n = 200_000
    p = sensitivity * prevalence / (sensitivity * prevalence + (1 - specificity) * (1 - prevalence))
    positives = n * (sensitivity * prevalence + (1 - specificity) * (1 - prevalence))
    se = rate_standard_error(p, positives)
    got = impl.simulate_diagnostic(prevalence, sensitivity, specificity, n, seed)
    expect(np.ndim(got) == 0, f"simulate_diagnostic should return a number, got {got!r}")
    assert_within_standard_errors(
        got, p, se, note="allowed ±{sigmas:g} SE = ±{band:.4f}",
        what=f"simulated P(sick | +) for prevalence {prevalence:.3f}, sensitivity {sensitivity:.3f}, "
             f"specificity {specificity:.3f}")


def test_simulation_noise_is_binomial(impl):
    """Across 100 seeds the estimates scatter like a binomial proportion: s²/SE² in [0.46, 1.83]
    (chi-square bounds, each missed with probability 1e-6).

    This rules out returning the exact formula (no scatter) or ignoring the seed.
    """
    n, prevalence, sensitivity, specificity = 20_000, 0.1, 0.9, 0.95
    p = 2 / 3
    se2 = p * (1 - p) / (n * (sensitivity * prevalence + (1 - specificity) * (1 - prevalence)))
    estimates = np.array([impl.simulate_diagnostic(prevalence, sensitivity, specificity, n, seed)
                          for seed in range(100)])
    low, high = variance_ratio_bounds(99)  # 100 estimates: 99 degrees of freedom, each bound missed with 1e-6
    ratio = np.var(estimates, ddof=1) / se2
    expect(low <= ratio <= high,
           f"over 100 seeds the estimates have variance {np.var(estimates, ddof=1):.3g}, {ratio:.3g} times the "
           "binomial "
           f"SE² = {se2:.3g}; a correct simulation gives a ratio in [{low:.2f}, {high:.2f}]")


def test_simulation_is_reproducible(impl):
    """The same seed (an int or a fresh Generator) gives the same estimate; different seeds give different ones."""
    args = (0.1, 0.9, 0.95, 50_000)
    first, again = impl.simulate_diagnostic(*args, 7), impl.simulate_diagnostic(*args, 7)
    expect(first == again,
           f"seed 7 gave {first} and then {again}: create the generator with np.random.default_rng(seed)")
    other = impl.simulate_diagnostic(*args, 8)
    expect(first != other, f"seeds 7 and 8 both gave {first}: is the seed used, or is the answer not simulated?")
    from_generators = [impl.simulate_diagnostic(*args, np.random.default_rng(3)) for _ in range(2)]
    expect(from_generators[0] == from_generators[1], "two Generators seeded with 3 gave different estimates")


def test_rejects_bad_input(impl):
    """Probabilities outside [0, 1], priors not summing to 1, mismatched shapes and impossible data raise ValueError."""
    assert_raises_value_error(impl.posterior, np.array([0.5, 0.6]), np.array([0.1, 0.2]), why="a prior must sum to 1")
    assert_raises_value_error(impl.posterior, np.array([1.2, -0.2]), np.array([0.1, 0.2]),
                              why="probabilities cannot be negative")
    assert_raises_value_error(impl.posterior, np.array([0.5, 0.5]), np.array([0.1, 0.2, 0.3]),
                              why="each hypothesis needs one likelihood")
    assert_raises_value_error(impl.posterior, np.array([0.5, 0.5]), np.array([0.0, 0.0]),
                              why="data impossible under every hypothesis have no posterior (0/0)")
    assert_raises_value_error(impl.posterior, np.array([0.5, 0.5]), np.array([-0.1, 0.2]),
                              why="a likelihood cannot be negative")
    assert_raises_value_error(impl.diagnostic_posterior, 1.5, 0.9, 0.9, why="prevalence is a probability")
    assert_raises_value_error(impl.diagnostic_posterior, 0.1, -0.1, 0.9, why="sensitivity is a probability")
    assert_raises_value_error(impl.diagnostic_posterior, 0.1, 0.9, float("nan"), why="specificity is a probability")
    assert_raises_value_error(impl.diagnostic_posterior, 0.0, 0.9, 1.0,
                              why="with no sick people and a perfect specificity a positive test is impossible")
    assert_raises_value_error(impl.conditional, np.array([[0.5, 0.0], [0.5, 0.0]]),
                              why="conditioning on an event of probability 0 is undefined")
    assert_raises_value_error(impl.conditional, np.array([[0.5, 0.3], [0.5, 0.2]]), why="a joint table sums to 1")
    table = np.array([[0.5, 0.5], [0.9, 0.1]])
    assert_raises_value_error(impl.sequential_update, np.array([0.5, 0.5]), table, [0, 2],
                              why="outcome 2 does not exist in a table with 2 outcomes")
    assert_raises_value_error(impl.sequential_update, np.array([0.5, 0.5]), table[:, :1].T, [0],
                              why="the table needs one row per hypothesis")
    assert_raises_value_error(impl.simulate_diagnostic, 0.1, 0.9, 0.9, 0, 1, why="n must be positive")
