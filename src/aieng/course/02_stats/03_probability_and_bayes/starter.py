"""Probability and Bayes' theorem — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check bayes-theorem`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike


def conditional(joint: ArrayLike) -> np.ndarray:
    """Return P(A = i | B = j) from the joint table joint[i, j] = P(A = i, B = j), shape (a, b).

    Divide every column by its total P(B = j); each column of the result sums to 1.
    Raise ValueError if `joint` is not 2-D, has negative entries, does not sum to 1 (within 1e-9),
    or has a column of total 0 (conditioning on an impossible event).
    """
    raise NotImplementedError


def posterior(prior: ArrayLike, likelihood: ArrayLike) -> np.ndarray:
    """Return the posterior over k hypotheses, shape (k,): prior * likelihood / sum(prior * likelihood).

    prior[i] = P(H_i): non-negative, summing to 1 (within 1e-9). likelihood[i] = P(data | H_i):
    non-negative, one per hypothesis (it need not sum to 1). Raise ValueError for a bad prior,
    mismatched shapes, a negative likelihood, or evidence sum(prior * likelihood) equal to 0.
    """
    raise NotImplementedError


def diagnostic_posterior(prevalence: float, sensitivity: float, specificity: float, positive: bool = True) -> float:
    """Return P(sick | test result) as a float.

    prevalence = P(sick), sensitivity = P(+ | sick), specificity = P(- | healthy); `positive` says whether
    the test came back positive. Raise ValueError if any probability is outside [0, 1] (or NaN), or if
    the observed result is impossible.
    """
    raise NotImplementedError


def sequential_update(prior: ArrayLike, likelihoods: ArrayLike, observations: Sequence[int]) -> np.ndarray:
    """Return the posterior after each observation, shape (T + 1, k); row 0 is the prior itself.

    likelihoods[i, j] = P(outcome j | H_i), shape (k, m). `observations` holds T outcome indices in
    0..m-1, independent given the hypothesis: each step's posterior is the next step's prior.
    Raise ValueError for a bad prior, a table without k rows, or an outcome index out of range.
    """
    raise NotImplementedError


def simulate_diagnostic(
    prevalence: float, sensitivity: float, specificity: float, n: int, seed: int | np.random.Generator | None = None
) -> float:
    """Estimate P(sick | +) by simulating n people with np.random.default_rng(seed); return a float.

    Draw who is sick (probability `prevalence`), then each person's test result (positive with
    probability `sensitivity` if sick, `1 - specificity` if healthy), and return the fraction of the
    positives who are sick. The same seed must give the same answer. Raise ValueError if n < 1 or a
    probability is outside [0, 1], and if nobody tests positive.
    """
    raise NotImplementedError
