"""Hypothesis strategies shared by every exercise's tests: random inputs an oracle can judge.

Element values stay in ranges where float64 round-off is far below the tests' tolerances, so a
failure means a wrong answer, not an unlucky input. Structured matrices (well conditioned, symmetric
positive definite, orthogonal) are built from a drawn seed with numpy, which hypothesis can still
shrink (towards seed 0) and replay.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def finite_floats(low: float = -100.0, high: float = 100.0) -> st.SearchStrategy[float]:
    """Floats in [low, high]: no NaN, no infinity, no subnormals."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def vectors(
    min_size: int = 1, max_size: int = 16, low: float = -100.0, high: float = 100.0
) -> st.SearchStrategy[np.ndarray]:
    """1-D float64 arrays of length min_size..max_size."""
    return hnp.arrays(np.float64, st.integers(min_size, max_size), elements=finite_floats(low, high))


def vector_pairs(
    min_size: int = 1, max_size: int = 16, low: float = -100.0, high: float = 100.0
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """Two 1-D float64 arrays of the same length."""
    elements = finite_floats(low, high)
    return st.integers(min_size, max_size).flatmap(
        lambda n: st.tuples(hnp.arrays(np.float64, n, elements=elements), hnp.arrays(np.float64, n, elements=elements))
    )


def matrices(
    min_rows: int = 1, max_rows: int = 8, min_cols: int = 1, max_cols: int = 8, low: float = -10.0, high: float = 10.0
) -> st.SearchStrategy[np.ndarray]:
    """2-D float64 arrays with the given ranges of rows and columns."""
    shape = st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))
    return hnp.arrays(np.float64, shape, elements=finite_floats(low, high))


def rngs() -> st.SearchStrategy[np.random.Generator]:
    """Seeded numpy generators: for inputs easier to build with numpy than element by element."""
    return st.integers(0, 2**32 - 1).map(np.random.default_rng)


def random_orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A Haar-random orthogonal n x n matrix from `rng` (for building matrices with a chosen spectrum)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))  # the sign fix makes Q Haar-distributed


def orthogonal_matrices(min_n: int = 1, max_n: int = 8) -> st.SearchStrategy[np.ndarray]:
    """Random orthogonal n x n matrices (Q^T Q = I)."""
    return st.tuples(rngs(), st.integers(min_n, max_n)).map(lambda a: random_orthogonal(*a))


def _with_singular_values(rng: np.random.Generator, m: int, n: int, max_cond: float) -> np.ndarray:
    k = min(m, n)
    s = np.exp(rng.uniform(0.0, np.log(max_cond), size=k))
    s[0], s[-1] = max_cond ** (k > 1), 1.0  # the condition number is exactly max_cond (1 for k == 1)
    return random_orthogonal(rng, m)[:, :k] @ np.diag(rng.permutation(s)) @ random_orthogonal(rng, n)[:k, :]


def well_conditioned_matrices(
    min_n: int = 1, max_n: int = 8, max_cond: float = 100.0
) -> st.SearchStrategy[np.ndarray]:
    """Square invertible matrices whose condition number is max_cond (so solutions are accurate)."""
    return st.tuples(rngs(), st.integers(min_n, max_n)).map(
        lambda a: _with_singular_values(a[0], a[1], a[1], max_cond)
    )


def full_rank_matrices(
    min_rows: int = 1, max_rows: int = 10, min_cols: int = 1, max_cols: int = 6, max_cond: float = 100.0
) -> st.SearchStrategy[np.ndarray]:
    """m x n matrices of full rank min(m, n) with a bounded condition number."""
    return st.tuples(rngs(), st.integers(min_rows, max_rows), st.integers(min_cols, max_cols)).map(
        lambda a: _with_singular_values(a[0], a[1], a[2], max_cond)
    )


def spd_matrices(min_n: int = 1, max_n: int = 8, max_cond: float = 100.0) -> st.SearchStrategy[np.ndarray]:
    """Symmetric positive definite matrices Q diag(λ) Q^T with eigenvalues in [1, max_cond]."""

    def build(args: tuple[np.random.Generator, int]) -> np.ndarray:
        rng, n = args
        q = random_orthogonal(rng, n)
        eigenvalues = rng.uniform(1.0, max_cond, size=n)
        return (q * eigenvalues) @ q.T

    return st.tuples(rngs(), st.integers(min_n, max_n)).map(build)


def symmetric_matrices(min_n: int = 1, max_n: int = 8) -> st.SearchStrategy[np.ndarray]:
    """Symmetric matrices (A + A^T) / 2 with standard-normal entries."""

    def build(args: tuple[np.random.Generator, int]) -> np.ndarray:
        rng, n = args
        a = rng.standard_normal((n, n))
        return (a + a.T) / 2

    return st.tuples(rngs(), st.integers(min_n, max_n)).map(build)


def quadratic_objective(
    a: np.ndarray, b: np.ndarray
) -> tuple[Callable[[np.ndarray], float], Callable[[np.ndarray], np.ndarray]]:
    """f(x) = 1/2 x^T A x - b^T x and its gradient A x - b: the test problem of the optimizer exercises.

    Everything about an optimizer on f has a closed form, so it makes an oracle. For symmetric positive
    definite A (`spd_matrices`) f is strictly convex with its one minimizer at x* = A^-1 b
    (numpy.linalg.solve(A, b)); along eigenvector i of A the curvature is λ_i, so gradient descent with
    step lr maps x - x* to (I - lr A)(x - x*) and converges exactly when lr < 2 / λ_max.
    The gradient formula needs A symmetric (for any A it is (A + A^T)/2 x - b).

        f, grad = quadratic_objective(np.diag([1.0, 4.0]), np.array([1.0, 2.0]))
        f(np.zeros(2)), grad(np.zeros(2))   # 0.0, array([-1., -2.])
    """
    return (lambda x: 0.5 * x @ a @ x - b @ x), (lambda x: a @ x - b)


def random_bimatrix_game(
    rng: np.random.Generator, min_size: int = 2, max_size: int = 4, low: float = -10.0, high: float = 10.0
) -> tuple[np.ndarray, np.ndarray]:
    """A random two-player game (A, B): both m x n with m, n in [min_size, max_size], payoffs uniform in [low, high].

    A[i, j] is the row player's payoff and B[i, j] the column player's when row i meets column j. With
    real-valued payoffs drawn at random the game is nondegenerate with probability 1: no mixed strategy
    on k pure strategies has more than k pure best responses, because that would take an exact tie
    between random reals. A nondegenerate game has finitely many equilibria, an odd number of them, and
    each one is found by support enumeration and by nashpy's vertex_enumeration alike.
    Integer payoffs are the opposite case: ties (degenerate games) are common.

        a, b = random_bimatrix_game(np.random.default_rng(0))   # a.shape == b.shape == (4, 3)
        a, _ = random_bimatrix_game(rng)                        # then (a, -a) is a random zero-sum game
    """
    m, n = rng.integers(min_size, max_size + 1, size=2)
    a, b = rng.uniform(low, high, size=(2, m, n))
    return a, b


def bimatrix_games(
    min_size: int = 2, max_size: int = 4, low: float = -10.0, high: float = 10.0
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """Random nondegenerate two-player games (A, B), built from a drawn seed by `random_bimatrix_game`."""
    return rngs().map(lambda rng: random_bimatrix_game(rng, min_size, max_size, low, high))
