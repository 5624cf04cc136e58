"""Checks for `mixed-strategies`, against nashpy's Game.vertex_enumeration on random real-valued games
(nondegenerate with probability 1), the definition of an equilibrium, and closed forms for 2x2 zero-sum
games and games with a saddle point.

nashpy's support_enumeration would be the natural oracle, but it tests "probability >= 0" and
"payoff == max" exactly, so round-off (a probability of -3e-17) makes it drop true equilibria in about
a quarter of random 4x4 games; vertex_enumeration finds the same equilibria by a different route and
does not. Your code must not call nashpy: while it runs, nashpy is replaced by a stub that fails.
"""

import warnings

import nashpy
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import assert_not_imported, forbid_package
from aieng.grader.strategies import bimatrix_games, rngs

ATOL = 1e-6


def nashpy_equilibria(A, B):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(np.clip(x, 0, None), np.clip(y, 0, None)) for x, y in nashpy.Game(A, B).vertex_enumeration()]


def fmt(pair):
    x, y = pair
    return f"(x={np.round(x, 4).tolist()}, y={np.round(y, 4).tolist()})"


def as_pairs(value, m, n):
    try:
        pairs = [(np.asarray(x, dtype=float), np.asarray(y, dtype=float)) for x, y in value]
    except (TypeError, ValueError):
        raise AssertionError(f"support_enumeration should return a list of (x, y) pairs, got {value!r}") from None
    for x, y in pairs:
        assert x.shape == (m,) and y.shape == (n,), (
            f"each equilibrium should be (x of shape ({m},), y of shape ({n},)), got shapes {x.shape}, {y.shape}"
        )
    return pairs


def assert_same_set(got, expected, game):
    """Order-independent comparison of two lists of equilibria, entries equal within ATOL."""
    unmatched = list(got)
    missing = []
    for x, y in expected:
        hit = next((k for k, (gx, gy) in enumerate(unmatched)
                    if np.allclose(gx, x, rtol=0, atol=ATOL) and np.allclose(gy, y, rtol=0, atol=ATOL)), None)
        if hit is None:
            missing.append((x, y))
        else:
            unmatched.pop(hit)
    if missing or unmatched:
        A, B = game
        raise AssertionError(
            f"expected {len(expected)} equilibria, got {len(got)}. "
            + (f"Missing: {', '.join(map(fmt, missing))}. " if missing else "")
            + (f"Not equilibria (or duplicates): {', '.join(map(fmt, unmatched))}. " if unmatched else "")
            + f"A =\n{np.round(A, 4)}\nB =\n{np.round(B, 4)}"
        )


# nashpy's vertex_enumeration takes ~11 ms a game, most of this file's time: 15 random games here; the
# next check runs your code on 30 more and verifies each answer by the definition of an equilibrium.
@settings(max_examples=15, report_multiple_bugs=False)
@given(bimatrix_games())
def test_equilibria_match_nashpy_vertex_enumeration(impl, game):
    """On random nondegenerate games (2..4 x 2..4) you find exactly nashpy's equilibria, in any order, to 1e-6."""
    A, B = game
    with forbid_package(impl, "nashpy"):
        got = impl.support_enumeration(A, B)
    assert_same_set(as_pairs(got, *A.shape), nashpy_equilibria(A, B), (A, B))


@settings(max_examples=30, report_multiple_bugs=False)
@given(bimatrix_games())
def test_every_pair_returned_is_an_equilibrium(impl, game):
    """Each (x, y) you return is two probability vectors, and no pure deviation gains either player over 1e-7."""
    A, B = game
    with forbid_package(impl, "nashpy"):
        pairs = as_pairs(impl.support_enumeration(A, B), *A.shape)
    for x, y in pairs:
        for name, s in (("x", x), ("y", y)):
            assert s.min() >= -1e-9 and abs(s.sum() - 1) <= 1e-9, f"{name} = {s} is not a probability vector"
        row_gain = (A @ y).max() - x @ A @ y
        col_gain = (x @ B).max() - x @ B @ y
        assert row_gain <= 1e-7 and col_gain <= 1e-7, (
            f"{fmt((x, y))} is not an equilibrium: a pure deviation gains {row_gain:.3g} for the row player "
            f"and {col_gain:.3g} for the column player. Check that no strategy outside the support earns more."
        )
    assert len(pairs) % 2 == 1, f"a nondegenerate game has an odd number of equilibria; you returned {len(pairs)}"


def test_classic_games(impl):
    """Matching pennies, rock-paper-scissors: one uniform equilibrium; battle of the sexes: two pure and one mixed."""
    rps = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    half, third = np.full(2, 0.5), np.full(3, 1 / 3)
    games = {
        "matching pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [(half, half)]),
        "rock-paper-scissors": (rps, -rps, [(third, third)]),
        "battle of the sexes": ([[2, 0], [0, 1]], [[1, 0], [0, 2]], [
            (np.array([1.0, 0.0]), np.array([1.0, 0.0])),
            (np.array([0.0, 1.0]), np.array([0.0, 1.0])),
            (np.array([2 / 3, 1 / 3]), np.array([1 / 3, 2 / 3])),
        ]),
        "prisoner's dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]], [(np.array([0.0, 1.0]), np.array([0.0, 1.0]))]),
    }
    for name, (A, B, expected) in games.items():
        A, B = np.array(A, dtype=float), np.array(B, dtype=float)
        with forbid_package(impl, "nashpy"):
            got = impl.support_enumeration(A, B)
        try:
            assert_same_set(as_pairs(got, *A.shape), expected, (A, B))
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None


@settings(report_multiple_bugs=False)
@given(rngs(), st.integers(1, 4), st.booleans())
def test_games_where_one_player_has_a_single_strategy(impl, rng, size, row_alone):
    """In a 1 x n (or m x 1) game the lone strategy is played and the other player picks their unique best reply."""
    shape = (1, size) if row_alone else (size, 1)
    A, B = rng.uniform(-10, 10, size=(2, *shape))
    best = np.zeros(size)
    best[np.argmax(B[0] if row_alone else A[:, 0])] = 1.0
    expected = [(np.ones(1), best)] if row_alone else [(best, np.ones(1))]
    with forbid_package(impl, "nashpy"):
        got = impl.support_enumeration(A, B)
    assert_same_set(as_pairs(got, *shape), expected, (A, B))


# vertex_enumeration again (~11 ms a game): 15 random zero-sum games; the closed-form and the maximin
# checks below test zero_sum_game on 65 more.
@settings(max_examples=15, report_multiple_bugs=False)
@given(bimatrix_games())
def test_zero_sum_game_matches_nashpy(impl, game):
    """For random zero-sum games (value, x, y) is nashpy's unique equilibrium of (A, -A) and its x^T A y, to 1e-6."""
    A, _ = game
    [(x_star, y_star)] = nashpy_equilibria(A, -A)
    with forbid_package(impl, "nashpy"):
        value, x, y = impl.zero_sum_game(A)
    assert_close(x, x_star, rtol=0, atol=ATOL, what="the row player's optimal strategy x")
    assert_close(y, y_star, rtol=0, atol=ATOL, what="the column player's optimal strategy y")
    assert_close(value, x_star @ A @ y_star, rtol=0, atol=ATOL, what="the value of the game")


@settings(report_multiple_bugs=False)
@given(st.lists(st.floats(-10, 10, allow_nan=False), min_size=4, max_size=4, unique=True), st.booleans())
def test_zero_sum_2x2_without_saddle_point_matches_the_closed_form(impl, numbers, flip):
    """A 2x2 zero-sum game without a saddle point has value (ad - bc) / (a + d - b - c), with both players mixing."""
    low1, low2, high1, high2 = sorted(numbers)
    if high1 - low2 < 1e-3:  # nearly tied entries make the closed form ill-conditioned
        return
    a, d, b, c = (low1, low2, high1, high2) if flip else (high1, high2, low1, low2)  # diagonal vs off-diagonal
    A = np.array([[a, b], [c, d]])
    den = a + d - b - c
    with forbid_package(impl, "nashpy"):
        value, x, y = impl.zero_sum_game(A)
    assert_close(value, (a * d - b * c) / den, rtol=1e-6, atol=ATOL, what=f"value of {A.tolist()}")
    assert_close(x, [(d - c) / den, (a - b) / den], rtol=1e-6, atol=ATOL, what=f"x for {A.tolist()}")
    assert_close(y, [(d - b) / den, (a - c) / den], rtol=1e-6, atol=ATOL, what=f"y for {A.tolist()}")


@settings(max_examples=25, report_multiple_bugs=False)
@given(rngs(), st.booleans())
def test_zero_sum_value_lies_between_pure_maximin_and_minimax(impl, rng, plant_saddle):
    """max_i min_j A <= value <= min_j max_i A; they are equal, and equal the value, when A has a saddle point."""
    m, n = rng.integers(1, 5, size=2)
    A = rng.uniform(-10, 10, size=(m, n))
    if plant_saddle:  # A[i, j] becomes the smallest entry of its row and the largest of its column
        i, j = rng.integers(m), rng.integers(n)
        v = A[i, j]
        A[i, :] = v + rng.uniform(0.5, 5, size=n)
        A[:, j] = v - rng.uniform(0.5, 5, size=m)
        A[i, j] = v
    maximin, minimax = A.min(axis=1).max(), A.max(axis=0).min()
    with forbid_package(impl, "nashpy"):
        value, x, y = impl.zero_sum_game(A)
    assert maximin - ATOL <= value <= minimax + ATOL, (
        f"value {value} is outside [max_i min_j A, min_j max_i A] = [{maximin}, {minimax}]; A =\n{A}"
    )
    assert_close(np.min(A.T @ x), value, rtol=0, atol=ATOL, what="the payoff x guarantees, min_j (A^T x)_j")
    assert_close(np.max(A @ y), value, rtol=0, atol=ATOL, what="the payoff y concedes, max_i (A y)_i")
    if maximin == minimax:
        assert_close(value, maximin, rtol=0, atol=ATOL, what="the value of a game with a saddle point")


def test_rejects_bad_input(impl):
    """Empty, non-2-D, non-finite or mismatched payoff matrices raise ValueError."""
    A = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert_raises_value_error(impl.support_enumeration, A, np.ones((2, 3)), why="A and B must have the same shape")
    empty = np.zeros((0, 2))
    assert_raises_value_error(impl.support_enumeration, empty, empty, why="a game needs strategies")
    assert_raises_value_error(impl.support_enumeration, np.ones(3), np.ones(3), why="payoffs must be 2-D")
    assert_raises_value_error(impl.zero_sum_game, np.zeros((2, 0)), why="a game needs strategies")
    assert_raises_value_error(impl.zero_sum_game, np.array([[1.0, np.nan]]), why="payoffs must be finite")


def test_does_not_use_nashpy(impl):
    """Your module computes everything itself (scipy.optimize.linprog is allowed): it must not import nashpy."""
    assert_not_imported(impl, "nashpy")
