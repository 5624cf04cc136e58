"""Checks for `sampling`: exact properties, plain recomputation and statistical checks.

Exact: sizes, distinct indices inside the population, reproducible seeds, and every stratum's count
equal to the proportional allocation recomputed plainly here (floors of n·N_h/N in exact fractions,
leftover units to the largest remainders, ties to the earlier stratum). The stratified mean and the
standard error are recomputed with plain loops, numpy.std(ddof=1) and scipy.stats.sem.

Statistical: sampling is random, so some checks count over R seeded repetitions (seeds 0..R-1).
A unit that a correct sampler includes with probability p shows up Binomial(R, p) times. The tests
accept R·p ± 5·sqrt(R·p·(1-p)), which a correct sampler misses with probability 5.7e-7 per unit
(under 1e-5 over all units). The variance of the sample mean under sampling without replacement is
S²/n · (1 - n/N) exactly, with S² the population variance (ddof=1). Over R = 2000 samples the
observed variance of the means divided by that value must lie in the chi-square(1999) band
[0.857, 1.158], whose ends are its 1e-6 and 1 - 1e-6 quantiles. Sampling *with* replacement gives a
ratio of about 1.32 here and fails.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.tolerances import assert_within_standard_errors, count_standard_deviation, variance_ratio_bounds

REPETITIONS = 2000


def plain_allocation(sizes: list[int], n: int) -> list[int]:
    """Largest-remainder (Hamilton) rounding of the quotas n·N_h/N, in exact fractions."""
    total = sum(sizes)
    if total == 0:
        return [0] * len(sizes)
    quotas = [Fraction(n * size, total) for size in sizes]
    allocation = [q.numerator // q.denominator for q in quotas]
    by_remainder = sorted(range(len(sizes)), key=lambda h: (-(quotas[h] - allocation[h]), h))
    for h in by_remainder[: n - sum(allocation)]:
        allocation[h] += 1
    return allocation


def check_indices(got, population_size: int, n: int, what: str) -> np.ndarray:
    got = np.asarray(got)
    expect(got.shape == (n,), f"{what} should return {n} indices (shape ({n},)), got shape {got.shape}")
    expect(n == 0 or np.issubdtype(got.dtype, np.integer), f"{what} should return integer indices, got {got.dtype}")
    expect(np.unique(got).size == n, f"{what} returned a repeated index: sampling must be without replacement")
    expect(n == 0 or (got.min() >= 0 and got.max() < population_size),
           f"{what} returned an index outside 0..{population_size - 1}")
    return got


@given(st.integers(0, 200), st.data(), st.integers(0, 2**32 - 1))
def test_simple_random_sample_draws_n_distinct_units(impl, population_size, data, seed):
    """simple_random_sample(N, n, seed) returns n distinct integer indices between 0 and N - 1."""
    n = data.draw(st.integers(0, population_size))
    check_indices(impl.simple_random_sample(population_size, n, seed), population_size, n,
                  f"simple_random_sample({population_size}, {n})")


def test_simple_random_sample_is_reproducible(impl):
    """The same seed (an int, or a fresh Generator with that seed) gives the same sample; other seeds give others."""
    first, again = impl.simple_random_sample(1000, 10, 42), impl.simple_random_sample(1000, 10, 42)
    expect(np.array_equal(first, again), "seed 42 gave two different samples: use np.random.default_rng(seed)")
    expect(not np.array_equal(first, impl.simple_random_sample(1000, 10, 43)), "seeds 42 and 43 gave the same sample")
    generators = [impl.simple_random_sample(1000, 10, np.random.default_rng(7)) for _ in range(2)]
    expect(np.array_equal(*generators), "two Generators seeded with 7 gave different samples")


def test_every_unit_is_included_with_probability_n_over_N(impl):
    """Over 2000 seeds, each of 10 units is in a sample of 4 about 800 times (2000·4/10, ± 5 binomial SE = ±110)."""
    population_size, n = 10, 4
    counts = np.zeros(population_size)
    for seed in range(REPETITIONS):
        counts[np.asarray(impl.simple_random_sample(population_size, n, seed))] += 1
    p = n / population_size
    assert_within_standard_errors(
        counts, np.full(population_size, REPETITIONS * p), count_standard_deviation(p, REPETITIONS), note="",
        what=f"how often each unit was sampled over {REPETITIONS} seeds (expected {REPETITIONS * p:g} each)")


@given(st.lists(st.integers(0, 60), min_size=1, max_size=8), st.data())
def test_proportional_allocation_matches_largest_remainder(impl, sizes, data):
    """proportional_allocation(sizes, n) floors n·N_h/N, then gives the leftover units to the largest remainders.

    Ties between equal remainders go to the earlier stratum; the result sums to n.
    """
    n = data.draw(st.integers(0, sum(sizes)))
    got = np.asarray(impl.proportional_allocation(np.array(sizes), n))
    expected = plain_allocation(sizes, n)
    expect(got.shape == (len(sizes),), f"one sample size per stratum: expected shape ({len(sizes)},), got {got.shape}")
    expect(got.tolist() == expected,
           f"proportional_allocation({sizes}, {n}) returned {got.tolist()}, expected {expected}")


def test_allocation_ties_are_exact(impl):
    """Equal remainders are equal: sizes [4, 1, 1] and n = 2 give quotas 4/3, 1/3, 1/3, and the spare unit goes
    to stratum 0.

    In floats 2·4/6 - 1 = 0.33333333333333326 < 0.3333333333333333 = 2·1/6: compute remainders as (n·N_h) mod N.
    """
    for sizes, n, expected in (([4, 1, 1], 2, [2, 0, 0]), ([3, 3, 3, 1], 5, [2, 2, 1, 0]), ([50, 30, 20], 7, [4, 2, 1]),
                               ([1, 1, 1], 2, [1, 1, 0]), ([5, 0, 5], 3, [2, 0, 1])):
        got = np.asarray(impl.proportional_allocation(np.array(sizes), n)).tolist()
        expect(got == expected, f"proportional_allocation({sizes}, {n}) returned {got}, expected {expected}")


STRATA = st.tuples(st.lists(st.integers(1, 30), min_size=1, max_size=6), st.booleans(), st.integers(0, 2**32 - 1))


@given(STRATA, st.data())
def test_stratified_sample_takes_the_proportional_count_from_each_stratum(impl, strata_spec, data):
    """stratified_sample(strata, n) returns n distinct indices, and stratum h contributes exactly its allocation n_h.

    Strata are ordered as their labels sort (np.unique); labels may be numbers or strings.
    """
    sizes, as_text, seed = strata_spec
    rng = np.random.default_rng(seed)
    labels = np.array([f"group-{h}" for h in range(len(sizes))]) if as_text else np.arange(len(sizes)) * 10 - 5
    strata = rng.permutation(np.repeat(labels, sizes))
    n = data.draw(st.integers(0, len(strata)))
    got = check_indices(impl.stratified_sample(strata, n, seed), len(strata), n, f"stratified_sample(n={n})")
    counts = [int(np.sum(strata[got] == label)) for label in labels]
    expect(counts == plain_allocation(sizes, n),
           f"strata of sizes {sizes} gave {counts} units for n = {n}; proportional allocation is "
           f"{plain_allocation(sizes, n)}")


def test_stratified_sample_is_reproducible(impl):
    """The same seed gives the same stratified sample; another seed gives another."""
    strata = np.repeat([0, 1, 2], [40, 30, 30])
    first, again = impl.stratified_sample(strata, 10, 5), impl.stratified_sample(strata, 10, 5)
    expect(np.array_equal(first, again), "seed 5 gave two different stratified samples")
    expect(not np.array_equal(first, impl.stratified_sample(strata, 10, 6)), "seeds 5 and 6 gave the same sample")


def test_stratified_inclusion_probability_is_n_h_over_N_h(impl):
    """Over 2000 seeds, a unit of stratum h is sampled about 2000·n_h/N_h times (± 5 binomial SE).

    Strata of sizes 6, 3, 3 and n = 5 get 3, 1, 1 units: inclusion probabilities 1/2, 1/3, 1/3.
    """
    strata = np.array([0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2])
    counts = np.zeros(strata.size)
    for seed in range(REPETITIONS):
        counts[np.asarray(impl.stratified_sample(strata, 5, seed))] += 1
    p = np.where(strata == 0, 1 / 2, 1 / 3)
    z = (counts - REPETITIONS * p) / count_standard_deviation(p, REPETITIONS)
    assert_within_standard_errors(z, np.zeros(strata.size), 1.0, note="allowed ±{sigmas:g}",
                                  what=f"(count - {REPETITIONS}·p) / SE for each unit, where p = n_h/N_h")


@given(st.lists(st.integers(1, 20), min_size=1, max_size=5), st.integers(0, 2**32 - 1))
def test_stratified_mean_weighs_strata_by_population_share(impl, sizes, seed):
    """stratified_mean = Σ_h (N_h / N) · (mean of the sampled values in stratum h), recomputed with plain loops."""
    rng = np.random.default_rng(seed)
    population_strata = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    taken = [int(rng.integers(1, size + 1)) for size in sizes]
    sample_strata = rng.permutation(np.repeat(np.arange(len(sizes)), taken))
    values = rng.normal(10 * sample_strata, 3.0)
    expected = 0.0
    for h, size in enumerate(sizes):
        in_h = [v for v, s in zip(values, sample_strata, strict=True) if s == h]
        expected += size / sum(sizes) * sum(in_h) / len(in_h)
    assert_close(impl.stratified_mean(values, sample_strata, population_strata), expected, rtol=1e-12, atol=1e-12,
                 what=f"stratified_mean for strata of sizes {sizes} with {taken} sampled")


def test_stratified_mean_undoes_unequal_sampling(impl):
    """Sampling one stratum heavily does not bias the estimate: strata of 900 and 100 units, 10 and 10 sampled."""
    population_strata = np.repeat(["big", "small"], [900, 100])
    sample_strata = np.repeat(["big", "small"], [10, 10])
    values = np.concatenate([np.full(10, 1.0), np.full(10, 11.0)])
    assert_close(impl.stratified_mean(values, sample_strata, population_strata), 0.9 * 1.0 + 0.1 * 11.0,
                 what="stratified mean (the plain sample mean, 6.0, would be badly biased)")


@given(st.lists(st.floats(-100, 100), min_size=2, max_size=40), st.integers(0, 200))
def test_standard_error_matches_its_formula(impl, sample, extra):
    """standard_error_of_mean = s/√n · √(1 - n/N) with s = numpy.std(ddof=1); without N it is scipy.stats.sem."""
    sample = np.array(sample)
    n, population_size = sample.size, sample.size + extra
    with forbid(impl, "scipy.stats.sem"):
        finite = impl.standard_error_of_mean(sample, population_size)
        infinite = impl.standard_error_of_mean(sample)
    scale = 1e-12 * (1 + np.abs(sample).max())
    assert_close(finite, np.std(sample, ddof=1) / np.sqrt(n) * np.sqrt(1 - n / population_size), rtol=1e-9,
                 atol=scale, what=f"standard_error_of_mean of {n} values from a population of {population_size}")
    assert_close(infinite, scipy.stats.sem(sample), rtol=1e-9, atol=scale,
                 what=f"standard_error_of_mean of {n} values, no population size (infinite population)")


def test_sample_means_vary_as_sampling_without_replacement_predicts(impl):
    """Over 2000 samples of 25 from 100 units, the means vary by S²/n·(1 - n/N): ratio in [0.857, 1.158]
    (chi-square bounds, each missed with probability 1e-6).

    Your standard errors, squared and averaged, must estimate the same variance within 5%: each s² is
    unbiased for S² under sampling without replacement, and the average of 2000 of them has a relative
    standard deviation of about 0.65%, so 5% is over 7 of those.
    """
    rng = np.random.default_rng(2024)
    population = rng.normal(50.0, 10.0, size=100)
    n, big_n = 25, 100
    target = np.var(population, ddof=1) / n * (1 - n / big_n)
    samples = [population[np.asarray(impl.simple_random_sample(big_n, n, seed))] for seed in range(REPETITIONS)]
    means = np.array([s.mean() for s in samples])
    low, high = variance_ratio_bounds(REPETITIONS - 1)  # each bound missed with probability 1e-6
    ratio = np.var(means, ddof=1) / target
    expect(low <= ratio <= high,
           f"the sample means vary {ratio:.3f} times as much as S²/n·(1 - n/N) predicts "
           f"(allowed {low:.3f}..{high:.3f})")
    squared_errors = np.array([impl.standard_error_of_mean(s, big_n) ** 2 for s in samples])
    assert_close(squared_errors.mean(), target, rtol=0.05,
                 what=f"the average of your squared standard errors over {REPETITIONS} samples (S²/n·(1 - n/N))")


def test_rejects_bad_input(impl):
    """Asking for more units than exist, negative sizes, unknown or unsampled strata, tiny samples raise ValueError."""
    assert_raises_value_error(impl.simple_random_sample, 5, 6, 0, why="6 distinct units cannot come from 5")
    assert_raises_value_error(impl.simple_random_sample, 5, -1, 0, why="a sample size cannot be negative")
    assert_raises_value_error(impl.proportional_allocation, np.array([3, -1]), 1,
                              why="stratum sizes cannot be negative")
    assert_raises_value_error(impl.proportional_allocation, np.array([3, 2]), 6, why="n cannot exceed the population")
    assert_raises_value_error(impl.stratified_sample, np.array([0, 0, 1]), 4, 0, why="n cannot exceed the population")
    assert_raises_value_error(impl.stratified_mean, np.array([1.0, 2.0]), np.array([0, 0]), np.array([0, 0, 1]),
                              why="stratum 1 has no sampled unit, so its mean is unknown")
    assert_raises_value_error(impl.stratified_mean, np.array([1.0, 2.0]), np.array([0, 7]), np.array([0, 0, 7, 1]),
                              why="stratum 1 has no sampled unit")
    assert_raises_value_error(impl.stratified_mean, np.array([1.0, 2.0]), np.array([0, 9]), np.array([0, 0, 1]),
                              why="stratum 9 does not exist in the population")
    assert_raises_value_error(impl.stratified_mean, np.array([1.0]), np.array([0, 1]), np.array([0, 1]),
                              why="every sampled value needs one stratum label")
    assert_raises_value_error(impl.standard_error_of_mean, np.array([4.0]), why="one value has no standard deviation")
    assert_raises_value_error(impl.standard_error_of_mean, np.array([1.0, 2.0, 3.0]), 2,
                              why="the population cannot be smaller than the sample")
