"""Drawing a sample from a finite population, and what the sample says about the population.

Simple random sampling without replacement gives every subset of n of the N units the same chance,
so every unit is included with probability n/N. Stratified sampling splits the population into groups
(strata) and samples each one separately; with proportional allocation stratum h gets
``n_h ~= n N_h / N`` units, so the sample mirrors the population's make-up exactly, not just on average.
The quotas ``n N_h / N`` are rarely whole numbers: the largest-remainder (Hamilton) method gives every
stratum the floor of its quota, then hands the units still missing to the strata with the largest
fractional parts (ties to the earlier stratum). Remainders are computed in integers
(``n N_h mod N``), so equal remainders are recognized as equal.

From the sample back to the population: the stratified estimate of the population mean weighs each
stratum's sample mean by its population share ``N_h / N``; the standard error of a simple random
sample's mean is ``s / sqrt(n) * sqrt(1 - n / N)`` with s the sample standard deviation (ddof = 1) and
the last factor the finite population correction.

Every function returns indices into the population, so the caller can index any table with them.
Randomness comes from ``np.random.default_rng(seed)`` (an int, a Generator or None). Left out:
sampling with unequal probabilities, cluster and systematic sampling, Neyman (optimal) allocation.
Cost: O(N) per sample.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

Seed = int | np.random.Generator | None


def _check_counts(population_size: int, n: int) -> None:
    if population_size < 0 or n < 0 or population_size != int(population_size) or n != int(n):
        raise ValueError(f"sizes must be non-negative integers, got population {population_size}, sample {n}")
    if n > population_size:
        raise ValueError(f"cannot draw {n} units without replacement from a population of {population_size}")


def simple_random_sample(population_size: int, n: int, seed: Seed = None) -> np.ndarray:
    """n distinct indices from 0..population_size-1, every subset of size n equally likely. Shape (n,).

    ``rng.permutation(N)[:n]``: the first n entries of a uniformly random ordering. Each unit is included
    with probability n/N; the same seed gives the same sample. O(N).

    >>> simple_random_sample(10, 3, seed=0).shape
    (3,)
    """
    _check_counts(population_size, n)
    rng = np.random.default_rng(seed)
    return rng.permutation(int(population_size))[: int(n)]


def proportional_allocation(stratum_sizes: ArrayLike, n: int) -> np.ndarray:
    """Sample sizes per stratum that add up to n, proportional to the stratum sizes N_h. Integer shape (H,).

    Quotas ``n N_h / N``, rounded by the largest-remainder method: every stratum gets
    ``floor(n N_h / N)``, and the ``n - sum(floors)`` units left go one each to the strata with the largest
    remainders ``(n N_h) mod N``, ties to the lower index. Integer arithmetic throughout. O(H log H).

    >>> proportional_allocation([50, 30, 20], 7)
    array([4, 2, 1])
    """
    sizes = np.asarray(stratum_sizes)
    if sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(f"stratum_sizes must be a non-empty 1-D array, got shape {sizes.shape}")
    if not np.issubdtype(sizes.dtype, np.integer):
        if not np.all(sizes == np.floor(sizes)):
            raise ValueError(f"stratum sizes must be whole numbers, got {sizes}")
        sizes = sizes.astype(np.int64)
    if np.any(sizes < 0):
        raise ValueError(f"stratum sizes cannot be negative, got {sizes}")
    total = int(sizes.sum())
    _check_counts(total, n)
    if total == 0:
        return np.zeros(sizes.size, dtype=np.int64)
    scaled = sizes.astype(np.int64) * int(n)
    allocation, remainder = scaled // total, scaled % total
    missing = int(n) - int(allocation.sum())
    order = np.argsort(-remainder, kind="stable")  # largest remainder first, ties: lower index first
    allocation[order[:missing]] += 1
    return allocation


def stratified_sample(strata: ArrayLike, n: int, seed: Seed = None) -> np.ndarray:
    """Indices of a stratified sample of n units with proportional allocation. Shape (n,).

    ``strata[i]`` is unit i's stratum label; strata are ordered as ``np.unique`` sorts the labels. Stratum h
    receives ``proportional_allocation(sizes, n)[h]`` units, drawn by simple random sampling within it,
    so a unit of stratum h is included with probability ``n_h / N_h``. Indices are returned stratum by
    stratum. O(N log N).

    >>> np.sort(stratified_sample(["a", "a", "b", "b", "b", "b"], 3, seed=1)).size
    3
    """
    strata = np.asarray(strata)
    if strata.ndim != 1:
        raise ValueError(f"strata must be a 1-D array of labels, one per unit, got shape {strata.shape}")
    _, members, sizes = np.unique(strata, return_inverse=True, return_counts=True)
    allocation = proportional_allocation(sizes, n)
    rng = np.random.default_rng(seed)
    chosen = [rng.permutation(np.flatnonzero(members == h))[:count] for h, count in enumerate(allocation)]
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def stratified_mean(sample_values: ArrayLike, sample_strata: ArrayLike, population_strata: ArrayLike) -> float:
    """Estimate the population mean from a stratified sample: ``sum_h (N_h / N) * mean(sample in h)``.

    ``population_strata`` lists every population unit's label (the frame gives N_h); every stratum needs at
    least one sampled unit. With proportional allocation it is close to the plain sample mean; with any
    other allocation the weights undo the over- and under-sampling. O(N log N).

    >>> stratified_mean([10.0, 20.0, 30.0], ["a", "b", "b"], ["a", "a", "a", "b"])
    13.75
    """
    values = np.asarray(sample_values, dtype=np.float64)
    sample_strata = np.asarray(sample_strata)
    if values.ndim != 1 or values.shape != sample_strata.shape:
        raise ValueError(f"need one stratum label per sampled value, got shapes {values.shape} "
                         f"and {sample_strata.shape}")
    if np.isnan(values).any():
        raise ValueError("the sampled values contain NaN")
    labels, sizes = np.unique(np.asarray(population_strata), return_counts=True)
    position = np.searchsorted(labels, sample_strata)
    known = position < labels.size
    known[known] = labels[position[known]] == sample_strata[known]
    if not known.all():
        raise ValueError(f"sampled stratum {sample_strata[~known][0]!r} does not occur in the population")
    counts = np.bincount(position, minlength=labels.size)
    if np.any(counts == 0):
        raise ValueError(f"stratum {labels[np.argmin(counts)]!r} has no sampled unit: its mean cannot be estimated")
    stratum_means = np.bincount(position, weights=values, minlength=labels.size) / counts
    return float(np.sum(sizes / sizes.sum() * stratum_means))


def standard_error_of_mean(sample: ArrayLike, population_size: int | None = None) -> float:
    """The estimated standard error of a simple random sample's mean: ``s / sqrt(n) * sqrt(1 - n / N)``.

    s is the sample standard deviation (ddof = 1, estimating the population's). The finite population
    correction ``sqrt(1 - n / N)`` shrinks it when the sample is a large part of the population (to 0 for
    a census); ``population_size=None`` means an infinite population (no correction). O(n).

    >>> round(standard_error_of_mean([1.0, 2.0, 3.0, 4.0], population_size=8), 6)
    0.456435
    """
    sample = np.asarray(sample, dtype=np.float64)
    if sample.ndim != 1 or sample.size < 2:
        raise ValueError(f"a standard error needs a 1-D sample of at least 2 values, got shape {sample.shape}")
    if np.isnan(sample).any():
        raise ValueError("the sample contains NaN")
    n = sample.size
    deviations = sample - sample.sum() / n
    s = np.sqrt(np.sum(deviations * deviations) / (n - 1))
    correction = 1.0
    if population_size is not None:
        if population_size < n:
            raise ValueError(f"the population ({population_size}) cannot be smaller than the sample ({n})")
        correction = 1.0 - n / population_size
    return float(s / np.sqrt(n) * np.sqrt(correction))
