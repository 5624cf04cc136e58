"""Probability basics and Bayes' theorem on finite sets of outcomes and hypotheses.

Conditioning restricts attention to the cases where an event happened and renormalizes:
``P(A | B) = P(A and B) / P(B)``. Bayes' theorem turns it around,

    P(H_i | data) = P(data | H_i) P(H_i) / P(data),    P(data) = sum_j P(data | H_j) P(H_j),

posterior = likelihood x prior / evidence, where the evidence (the law of total probability) is what
makes the posterior sum to 1. The medical test is the classic case: two hypotheses (sick, healthy),
the prior is the prevalence, and the likelihoods of a positive result are the sensitivity and
1 - specificity. Observations that are independent given the hypothesis can be folded in one at a
time, yesterday's posterior becoming today's prior, and the order does not matter.

Left out: continuous hypotheses (conjugate priors, integrals), log-space updates for very long
sequences, dependent observations. Cost: O(k) per update for k hypotheses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

_SUM_TOLERANCE = 1e-9


def _probability(p: float, what: str) -> float:
    p = float(p)
    if not 0.0 <= p <= 1.0:  # also refuses NaN
        raise ValueError(f"{what} must be a probability in [0, 1], got {p}")
    return p


def _distribution(p: ArrayLike, what: str) -> np.ndarray:
    """A 1-D array of non-negative numbers summing to 1 (within 1e-9), or a ValueError naming `what`."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D array of probabilities, got shape {p.shape}")
    if not np.all(p >= 0) or not np.all(np.isfinite(p)):  # refuses NaN too
        raise ValueError(f"{what} must hold finite non-negative probabilities, got {p}")
    if abs(np.sum(p) - 1.0) > _SUM_TOLERANCE:
        raise ValueError(f"{what} must sum to 1, got a total of {np.sum(p)!r}")
    return p


def conditional(joint: ArrayLike) -> np.ndarray:
    """``P(A = i | B = j)`` from a joint table ``joint[i, j] = P(A = i, B = j)`` of shape (a, b).

    Divide each column by its total, the marginal ``P(B = j)``; every column of the result sums to 1.
    Conditioning on an event of probability 0 is undefined (ValueError). O(a b).

    >>> conditional([[0.1, 0.2], [0.3, 0.4]])
    array([[0.25      , 0.33333333],
           [0.75      , 0.66666667]])
    """
    joint = np.asarray(joint, dtype=np.float64)
    if joint.ndim != 2 or joint.size == 0:
        raise ValueError(f"conditional expects a 2-D joint probability table, got shape {joint.shape}")
    _distribution(joint.ravel(), "the joint table")
    marginal = joint.sum(axis=0)
    if np.any(marginal == 0):
        raise ValueError(f"column {int(np.argmin(marginal))} has probability 0: conditioning on it is undefined")
    return joint / marginal


def posterior(prior: ArrayLike, likelihood: ArrayLike) -> np.ndarray:
    """Bayes' theorem over k hypotheses: ``prior * likelihood / sum(prior * likelihood)``, shape (k,).

    ``prior[i] = P(H_i)`` (non-negative, summing to 1); ``likelihood[i] = P(data | H_i)`` (non-negative; it
    need not sum to 1 over i, and may be a density above 1). The denominator is the evidence P(data),
    by the law of total probability; data impossible under every hypothesis raise ValueError. O(k).

    >>> posterior([0.5, 0.5], [0.9, 0.3])
    array([0.75, 0.25])
    """
    prior = _distribution(prior, "prior")
    likelihood = np.asarray(likelihood, dtype=np.float64)
    if likelihood.shape != prior.shape:
        raise ValueError(f"need one likelihood per hypothesis: prior {prior.shape}, likelihood {likelihood.shape}")
    if not np.all(likelihood >= 0) or not np.all(np.isfinite(likelihood)):
        raise ValueError(f"likelihoods must be finite and non-negative, got {likelihood}")
    joint = prior * likelihood
    evidence = joint.sum()
    if evidence == 0:
        raise ValueError("the data have probability 0 under every hypothesis with prior mass: no posterior exists")
    return joint / evidence


def diagnostic_posterior(prevalence: float, sensitivity: float, specificity: float, positive: bool = True) -> float:
    """P(sick | test result) for a test with the given sensitivity and specificity.

    Positive result: ``se p / (se p + (1 - sp)(1 - p))``; negative result: ``(1 - se) p / ((1 - se) p + sp (1 - p))``,
    with p the prevalence (the prior), se = P(+ | sick), sp = P(- | healthy). A rare disease keeps the
    posterior low even for an accurate test: false positives from the many healthy outnumber the true
    positives. O(1).

    >>> round(diagnostic_posterior(0.01, 0.99, 0.95), 4)
    0.1667
    """
    p = _probability(prevalence, "prevalence")
    se = _probability(sensitivity, "sensitivity")
    sp = _probability(specificity, "specificity")
    likelihood = [se, 1.0 - sp] if positive else [1.0 - se, sp]
    return float(posterior([p, 1.0 - p], likelihood)[0])


def sequential_update(prior: ArrayLike, likelihoods: ArrayLike, observations: Sequence[int]) -> np.ndarray:
    """Posteriors after each of T observations, shape (T + 1, k); row 0 is the prior.

    ``likelihoods[i, j] = P(outcome j | H_i)``, shape (k, m). Observations are independent given the
    hypothesis, so after outcome ``o`` the posterior is ``posterior(previous, likelihoods[:, o])``: the
    posterior of one step is the prior of the next. The final row equals one batch update with the
    product of the likelihoods, in any order. O(T k).

    >>> sequential_update([0.5, 0.5], [[0.9, 0.1], [0.5, 0.5]], [0, 0])[-1].round(4)
    array([0.7642, 0.2358])
    """
    current = _distribution(prior, "prior")
    likelihoods = np.asarray(likelihoods, dtype=np.float64)
    if likelihoods.ndim != 2 or likelihoods.shape[0] != current.size:
        raise ValueError(f"likelihoods must have shape (k, m) with k = {current.size} hypotheses, "
                         f"got {likelihoods.shape}")
    observations = np.asarray(observations)
    if observations.ndim != 1 or (observations.size and not np.issubdtype(observations.dtype, np.integer)):
        raise ValueError(f"observations must be a 1-D sequence of outcome indices, got {observations!r}")
    if observations.size and (observations.min() < 0 or observations.max() >= likelihoods.shape[1]):
        raise ValueError(f"observations must be outcome indices in 0..{likelihoods.shape[1] - 1}")
    history = [current]
    for outcome in observations:
        current = posterior(current, likelihoods[:, outcome])
        history.append(current)
    return np.array(history)


def simulate_diagnostic(
    prevalence: float, sensitivity: float, specificity: float, n: int, seed: int | np.random.Generator | None = None
) -> float:
    """Estimate P(sick | positive) by simulating n people: the fraction of the positives who are sick.

    Each person is sick with probability ``prevalence``; a sick person tests positive with probability
    ``sensitivity``, a healthy one with ``1 - specificity``. Given m positives, the number of sick
    among them is Binomial(m, p) with p the exact posterior, so the estimate's standard error is
    ``sqrt(p (1 - p) / m)``. The same seed gives the same answer. O(n).

    >>> abs(simulate_diagnostic(0.1, 0.9, 0.95, 100_000, seed=0) - 2 / 3) < 0.02
    True
    """
    prevalence = _probability(prevalence, "prevalence")
    se = _probability(sensitivity, "sensitivity")
    sp = _probability(specificity, "specificity")
    if n < 1:
        raise ValueError(f"n must be a positive number of people, got {n}")
    rng = np.random.default_rng(seed)
    sick = rng.random(n) < prevalence
    positive = rng.random(n) < np.where(sick, se, 1.0 - sp)
    positives = int(positive.sum())
    if positives == 0:
        raise ValueError("nobody tested positive in this simulation: increase n")
    return float(np.sum(sick & positive) / positives)
