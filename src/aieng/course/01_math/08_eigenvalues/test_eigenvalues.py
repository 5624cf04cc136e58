"""Checks for `eigenvalues`, against numpy.linalg.eigh / eigvalsh / eigvals.

Test matrices with a known spectrum are built as Q diag(λ) Q^T from a random orthogonal Q and chosen
eigenvalues (seeded), so eigenvectors are unique up to sign and can be compared column by column.
While your functions run, numpy's (and scipy's) eigen-solvers are switched off: the point is to build one.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_close_up_to_sign, assert_raises_value_error
from aieng.grader.guards import forbid
from aieng.grader.strategies import random_orthogonal, rngs, symmetric_matrices

# switched off while your code runs (with `forbid`, which also catches names you imported from them)
SOLVERS = tuple(f"{owner}.{name}" for owner in ("numpy.linalg", "scipy.linalg")
                for name in ("eig", "eigh", "eigvals", "eigvalsh", "svd"))


def _with_gap(rng, n):
    """A symmetric matrix whose eigenvalues are at least 0.5 apart, and its eigenvalues (ascending)."""
    eigenvalues = np.cumsum(rng.uniform(0.5, 3.0, size=n)) - rng.uniform(0.0, 3.0 * n)
    q = random_orthogonal(rng, n)
    return (q * eigenvalues) @ q.T, eigenvalues


def _with_dominant(rng, n, symmetric=True):
    """A matrix whose largest |λ| (sign random) is at least twice every other |λ|, and that λ."""
    top = rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 10.0)
    eigenvalues = np.concatenate([[top], rng.uniform(-0.5, 0.5, size=n - 1) * abs(top)])
    if symmetric:
        q = random_orthogonal(rng, n)
        return (q * eigenvalues) @ q.T, top
    basis = random_orthogonal(rng, n) * rng.uniform(1.0, 3.0, size=n)  # well-conditioned, not orthogonal
    return basis @ np.diag(eigenvalues) @ np.linalg.inv(basis), top


# ----------------------------------------------------------------------------- power iteration


@given(rngs(), st.integers(1, 8))
def test_power_iteration_finds_the_dominant_eigenpair(impl, rng, n):
    """power_iteration returns the eigenvalue of largest |λ| (numpy.linalg.eigh) and its unit eigenvector.

    The eigenvector is compared up to sign. The test matrices are symmetric with |λ1| >= 2 |λ2|, and the
    dominant λ may be negative.
    """
    a, _ = _with_dominant(rng, n)
    with forbid(impl, *SOLVERS):
        lam, v = impl.power_iteration(a)
    w, vectors = np.linalg.eigh(a)
    i = np.argmax(np.abs(w))
    assert_close(lam, w[i], rtol=1e-8, what="the dominant eigenvalue")
    v = np.asarray(v, dtype=float)
    assert_close(np.linalg.norm(v), 1.0, rtol=1e-9, what="||v|| (return a unit vector)")
    assert_close_up_to_sign(v, vectors[:, i], atol=1e-6, what="the dominant eigenvector (up to sign)")


@given(rngs(), st.integers(2, 6))
def test_power_iteration_works_for_non_symmetric_matrices(impl, rng, n):
    """For a non-symmetric matrix with a real dominant eigenvalue, power_iteration finds it (numpy.linalg.eigvals)."""
    a, _ = _with_dominant(rng, n, symmetric=False)
    with forbid(impl, *SOLVERS):
        lam, v = impl.power_iteration(a)
    eigenvalues = np.linalg.eigvals(a)
    assert_close(lam, eigenvalues[np.argmax(np.abs(eigenvalues))].real, rtol=1e-7, what="the dominant eigenvalue")
    assert_close(a @ v, lam * np.asarray(v), atol=1e-7 * np.abs(a).max(), what="A v vs λ v")


@given(rngs(), st.integers(1, 6))
def test_power_iteration_returns_the_rayleigh_quotient(impl, rng, n):
    """The returned λ is the Rayleigh quotient v^T A v / v^T v of the returned v (this keeps the sign of λ)."""
    a, _ = _with_dominant(rng, n)
    with forbid(impl, *SOLVERS):
        lam, v = impl.power_iteration(a)
    v = np.asarray(v, dtype=float)
    assert_close(lam, v @ a @ v / (v @ v), rtol=1e-9, atol=1e-12, what="λ vs v^T A v / v^T v")


def test_power_iteration_is_reproducible_with_a_seed(impl):
    """Two runs with the same seed give exactly the same answer: draw the start vector from default_rng(seed)."""
    a, _ = _with_dominant(np.random.default_rng(7), 5)
    with forbid(impl, *SOLVERS):
        first, second = impl.power_iteration(a, seed=3), impl.power_iteration(a, seed=3)
    assert_close(second[0], first[0], rtol=0, atol=0, what="λ from the second run")
    assert_close(second[1], first[1], rtol=0, atol=0, what="v from the second run")


def test_power_iteration_small_cases(impl):
    """A 1x1 matrix [[c]] has eigenvalue c; the zero matrix has dominant eigenvalue 0 (any unit v will do)."""
    with forbid(impl, *SOLVERS):
        lam, v = impl.power_iteration(np.array([[-3.5]]))
        assert_close(lam, -3.5, rtol=1e-12, what="power_iteration([[-3.5]]) eigenvalue")
        assert_close(np.abs(v), [1.0], rtol=1e-12, what="|v| for a 1x1 matrix")
        lam, v = impl.power_iteration(np.zeros((3, 3)))
    assert_close(lam, 0.0, atol=1e-12, what="dominant eigenvalue of the zero matrix")
    assert_close(np.linalg.norm(v), 1.0, rtol=1e-9, what="||v|| for the zero matrix")


def test_power_iteration_reports_failure_to_converge(impl):
    """With a tie |λ1| = |λ2| (here 1 and -1) or a complex pair, raise RuntimeError after max_iter steps.

    Returning a half-converged vector silently would be worse than saying it failed.
    """
    for a, what in ((np.diag([1.0, -1.0]), "diag(1, -1)"), (np.array([[0.0, -1.0], [1.0, 0.0]]), "a 90° turn")):
        try:
            with forbid(impl, *SOLVERS):
                result = impl.power_iteration(a, max_iter=500)
        except NotImplementedError:  # a subclass of RuntimeError, but not the answer
            raise
        except RuntimeError:
            continue
        raise AssertionError(f"power_iteration({what}, max_iter=500) should raise RuntimeError, got {result!r}")


def test_power_iteration_rejects_bad_input(impl):
    """Non-square, empty or NaN matrices, tol <= 0 and max_iter < 1 raise ValueError."""
    assert_raises_value_error(impl.power_iteration, np.ones((2, 3)), why="eigenvalues need a square matrix")
    assert_raises_value_error(impl.power_iteration, np.zeros((0, 0)), why="an empty matrix has no eigenvalue")
    assert_raises_value_error(impl.power_iteration, np.array([[1.0, np.nan], [0.0, 1.0]]), why="of the NaN")
    assert_raises_value_error(impl.power_iteration, np.eye(2), tol=0.0, why="tol must be positive")
    assert_raises_value_error(impl.power_iteration, np.eye(2), max_iter=0, why="max_iter must be at least 1")


# ----------------------------------------------------------------------------- symmetric eigendecomposition


@given(symmetric_matrices(1, 8))
def test_symmetric_eigenvalues_match_numpy(impl, a):
    """symmetric_eigh(A) returns the eigenvalues of numpy.linalg.eigvalsh(A), in ascending order."""
    with forbid(impl, *SOLVERS):
        w, _ = impl.symmetric_eigh(a)
    scale = max(1.0, np.abs(a).max())
    assert_close(w, np.linalg.eigvalsh(a), rtol=0, atol=1e-9 * scale, what="eigenvalues (ascending)")


@given(symmetric_matrices(1, 8))
def test_symmetric_eigenvectors_are_orthonormal_and_diagonalize(impl, a):
    """The columns of V are orthonormal (V^T V = I) and A V = V diag(w), so A = V diag(w) V^T."""
    with forbid(impl, *SOLVERS):
        w, v = impl.symmetric_eigh(a)
    n = a.shape[0]
    v = np.asarray(v, dtype=float)
    assert_close(v.T @ v, np.eye(n), atol=1e-9, what="V^T V")
    scale = max(1.0, np.abs(a).max())
    assert_close(a @ v, v * np.asarray(w), atol=1e-9 * scale, what="A V vs V diag(w) (column j is an eigenpair)")


@given(rngs(), st.integers(1, 8))
def test_symmetric_eigenvectors_match_numpy_up_to_sign(impl, rng, n):
    """With eigenvalues at least 0.5 apart, each column of V equals numpy.linalg.eigh's, up to sign."""
    a, eigenvalues = _with_gap(rng, n)
    with forbid(impl, *SOLVERS):
        w, v = impl.symmetric_eigh(a)
    assert_close(w, eigenvalues, rtol=1e-9, atol=1e-9, what="eigenvalues")
    assert_close_up_to_sign(np.asarray(v, dtype=float), np.linalg.eigh(a)[1], atol=1e-8,
                            what="eigenvectors (columns, each up to sign)")


def test_repeated_eigenvalues(impl):
    """The identity (every vector is an eigenvector) and diag(2, 2, 5) still give orthonormal V and A V = V diag(w)."""
    for a in (np.eye(4), np.diag([5.0, 2.0, 2.0])):
        with forbid(impl, *SOLVERS):
            w, v = impl.symmetric_eigh(a)
        assert_close(w, np.sort(np.diag(a)), atol=1e-12, what=f"eigenvalues of diag({np.diag(a).tolist()})")
        assert_close(v.T @ v, np.eye(len(a)), atol=1e-12, what="V^T V")
        assert_close(a @ v, v * w, atol=1e-12, what="A V vs V diag(w)")


def test_symmetric_eigh_rejects_bad_input(impl):
    """Non-symmetric, non-square, empty or NaN matrices raise ValueError."""
    assert_raises_value_error(impl.symmetric_eigh, np.array([[1.0, 2.0], [0.0, 1.0]]),
                              why="the matrix is not symmetric")
    assert_raises_value_error(impl.symmetric_eigh, np.ones((2, 3)), why="eigenvalues need a square matrix")
    assert_raises_value_error(impl.symmetric_eigh, np.zeros((0, 0)), why="an empty matrix has no eigenvalue")
    assert_raises_value_error(impl.symmetric_eigh, np.full((2, 2), np.nan), why="of the NaN")
