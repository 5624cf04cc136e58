"""Sampling — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check sampling`.

Samples are returned as integer indices into the population (so they can index any array or table).
Make every random choice with `rng = np.random.default_rng(seed)`; `seed` may be an int, a Generator
or None, and the same seed must give the same sample.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

Seed = int | np.random.Generator | None


def simple_random_sample(population_size: int, n: int, seed: Seed = None) -> np.ndarray:
    """Return n distinct indices from 0..population_size-1, every subset of size n equally likely. Shape (n,).

    Raise ValueError if n < 0 or n > population_size.
    """
    raise NotImplementedError


def proportional_allocation(stratum_sizes: ArrayLike, n: int) -> np.ndarray:
    """Return the integer sample size of each stratum, shape (H,), summing to n.

    Stratum h's quota is n * N_h / N. Give every stratum the floor of its quota, then hand the units
    still missing, one each, to the strata with the largest remainders (n * N_h) mod N; among equal
    remainders the earlier stratum goes first. Use integer arithmetic, not floats.
    Raise ValueError for negative or fractional sizes, or n outside 0..N.
    """
    raise NotImplementedError


def stratified_sample(strata: ArrayLike, n: int, seed: Seed = None) -> np.ndarray:
    """Return the indices of a stratified sample of n units with proportional allocation. Shape (n,).

    strata[i] is unit i's stratum label (numbers or strings); order the strata as np.unique sorts
    their labels, allocate with proportional_allocation, and draw a simple random sample inside each.
    Raise ValueError if `strata` is not 1-D or n is outside 0..N.
    """
    raise NotImplementedError


def stratified_mean(sample_values: ArrayLike, sample_strata: ArrayLike, population_strata: ArrayLike) -> float:
    """Return the stratified estimate of the population mean: sum over strata of (N_h / N) * (sample mean in h).

    sample_values and sample_strata (shape (n,)) describe the sampled units; population_strata (shape (N,))
    lists every population unit's stratum label. Raise ValueError if the shapes of the sample arrays
    differ, a sampled label is not in the population, or a stratum has no sampled unit.
    """
    raise NotImplementedError


def standard_error_of_mean(sample: ArrayLike, population_size: int | None = None) -> float:
    """Return s / sqrt(n) * sqrt(1 - n / N): the standard error of the mean of a simple random sample.

    s is the sample standard deviation (ddof=1). population_size=None means an infinite population:
    no finite population correction. Raise ValueError for fewer than 2 values or N < n.
    """
    raise NotImplementedError
