"""Checks for `nash-equilibria`, against nashpy: Game.is_best_response on games with small integer
payoffs (where its exact comparisons are safe) and Game.vertex_enumeration on random real-valued games
(which are nondegenerate with probability 1), plus textbook games with known answers.

Your code must not call nashpy: while it runs, nashpy is replaced by a stub that fails the check.
"""

import warnings

import nashpy
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_raises_value_error
from aieng.grader.guards import assert_not_imported, forbid_package
from aieng.grader.strategies import bimatrix_games, random_bimatrix_game, rngs


def integer_games(max_size=4, low=-5, high=5):
    """(A, B) of the same random shape, small integer payoffs (ties happen, so nashpy's == is exact)."""
    shape = st.tuples(st.integers(1, max_size), st.integers(1, max_size))
    entries = st.integers(low, high)
    return shape.flatmap(lambda s: st.tuples(hnp.arrays(np.int64, s, elements=entries),
                                             hnp.arrays(np.int64, s, elements=entries)))


def game_with_dominance(rng):
    """A real-valued 2..4 x 2..4 game (nondegenerate with probability 1) whose rows of A and columns of B
    get random offsets, so that some strategies are dominated."""
    A, B = random_bimatrix_game(rng)
    m, n = A.shape
    return A + 5 * rng.standard_normal((m, 1)), B + 5 * rng.standard_normal((1, n))


def one_hot(i, size):
    e = np.zeros(size)
    e[i] = 1.0
    return e


def dyadic_strategy(rng, size):
    """A mixed strategy whose probabilities are multiples of 1/8: exact in floating point."""
    return rng.multinomial(8, np.full(size, 1.0 / size)) / 8.0


def nashpy_equilibria(A, B):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).vertex_enumeration())


def expected_best_responses(A, B, strategy, player):
    """Pure best responses by nashpy's is_best_response, for the row (player 0) or the column player."""
    game = nashpy.Game(A, B)
    m, n = A.shape
    if player == 0:
        return [i for i in range(m) if game.is_best_response(one_hot(i, m), strategy)[0]]
    return [j for j in range(n) if game.is_best_response(strategy, one_hot(j, n))[1]]


def as_index_list(value, what):
    array = np.asarray(value)
    assert array.ndim == 1 and (array.size == 0 or np.issubdtype(array.dtype, np.integer)), (
        f"{what} should be a 1-D array of integer indices, got {value!r}"
    )
    return [int(i) for i in array]


def as_pairs(value, what):
    try:
        return [(int(i), int(j)) for i, j in value]
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a list of (row, column) pairs, got {value!r}") from None


def strictly_dominated_rows(M):
    """Rows i of M with another row k such that M[k, j] > M[i, j] for every column j (the definition)."""
    return [i for i in range(len(M)) if any(np.all(M[k] > M[i]) for k in range(len(M)) if k != i)]


@settings(report_multiple_bugs=False)
@given(integer_games())
def test_best_responses_to_pure_strategies_match_nashpy(impl, game):
    """Against each pure strategy, the best responses are those nashpy's is_best_response accepts (ties, in order)."""
    A, B = game
    m, n = A.shape
    # nashpy's answers first: switching nashpy off and on costs more than the rest of an example
    expected_rows = [expected_best_responses(A, B, one_hot(j, n), 0) for j in range(n)]
    expected_cols = [expected_best_responses(A, B, one_hot(i, m), 1) for i in range(m)]
    with forbid_package(impl, "nashpy"):
        for j in range(n):
            got = impl.row_best_responses(A, one_hot(j, n))
            assert as_index_list(got, "row_best_responses") == expected_rows[j], (
                f"row_best_responses(A, column {j} pure) returned {got}, expected rows {expected_rows[j]}; A =\n{A}"
            )
        for i in range(m):
            got = impl.column_best_responses(B, one_hot(i, m))
            assert as_index_list(got, "column_best_responses") == expected_cols[i], (
                f"column_best_responses(B, row {i} pure) returned {got}, expected columns {expected_cols[i]}; "
                f"B =\n{B}"
            )


@settings(report_multiple_bugs=False)
@given(integer_games(), rngs())
def test_best_responses_to_mixed_strategies_match_nashpy(impl, game, rng):
    """Against a mixed strategy (in eighths), the best responses maximize the expected payoff A @ y or x @ B."""
    A, B = game
    m, n = A.shape
    x, y = dyadic_strategy(rng, m), dyadic_strategy(rng, n)
    with forbid_package(impl, "nashpy"):
        rows = impl.row_best_responses(A, y)
        cols = impl.column_best_responses(B, x)
    expected_rows = expected_best_responses(A, B, y, 0)
    expected_cols = expected_best_responses(A, B, x, 1)
    assert as_index_list(rows, "row_best_responses") == expected_rows, (
        f"row_best_responses(A, y={y}) returned {rows}, expected {expected_rows}; payoffs A @ y = {A @ y}"
    )
    assert as_index_list(cols, "column_best_responses") == expected_cols, (
        f"column_best_responses(B, x={x}) returned {cols}, expected {expected_cols}; payoffs x @ B = {x @ B}"
    )


@settings(report_multiple_bugs=False)
@given(integer_games())
def test_pure_equilibria_match_nashpy_on_integer_games(impl, game):
    """(i, j) is a pure equilibrium exactly when nashpy's is_best_response accepts both; ties included."""
    A, B = game
    m, n = A.shape
    nash = nashpy.Game(A, B)
    expected = [(i, j) for i in range(m) for j in range(n)
                if all(nash.is_best_response(one_hot(i, m), one_hot(j, n)))]
    with forbid_package(impl, "nashpy"):
        got = impl.pure_nash_equilibria(A, B)
    assert as_pairs(got, "pure_nash_equilibria") == expected, (
        f"pure_nash_equilibria returned {got}, expected {expected} (sorted); A =\n{A}\nB =\n{B}"
    )


# nashpy's vertex_enumeration takes ~11 ms a game, most of this file's time: 15 random games, on top
# of the 40 integer games (with ties) on which pure equilibria are checked above.
@settings(max_examples=15, report_multiple_bugs=False)
@given(bimatrix_games())
def test_pure_equilibria_are_the_one_hot_equilibria_from_vertex_enumeration(impl, game):
    """On random real-valued games the pure equilibria are the one-hot ones from nashpy's vertex_enumeration."""
    A, B = game
    expected = sorted(
        (int(np.argmax(x)), int(np.argmax(y)))
        for x, y in nashpy_equilibria(A, B)
        if x.max() > 1 - 1e-9 and y.max() > 1 - 1e-9
    )
    with forbid_package(impl, "nashpy"):
        got = impl.pure_nash_equilibria(A, B)
    assert as_pairs(got, "pure_nash_equilibria") == expected, (
        f"pure_nash_equilibria returned {got}, expected {expected}; A =\n{A}\nB =\n{B}"
    )


def test_classic_games(impl):
    """Prisoner's dilemma: (defect, defect); battle of the sexes: both coordinations; matching pennies: none."""
    games = {
        "prisoner's dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]], [(1, 1)]),
        "battle of the sexes": ([[2, 0], [0, 1]], [[1, 0], [0, 2]], [(0, 0), (1, 1)]),
        "matching pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], []),
        "stag hunt": ([[4, 0], [3, 3]], [[4, 3], [0, 3]], [(0, 0), (1, 1)]),
    }
    for name, (A, B, expected) in games.items():
        with forbid_package(impl, "nashpy"):
            got = impl.pure_nash_equilibria(np.array(A), np.array(B))
        assert as_pairs(got, "pure_nash_equilibria") == expected, f"{name}: expected {expected}, got {got}"


def test_iterated_elimination_textbook_cases(impl):
    """Prisoner's dilemma shrinks to (defect, defect); a 2x3 game needs three rounds; weak dominance removes nothing."""
    cases = [
        ("prisoner's dilemma", [[3, 0], [5, 1]], [[3, 5], [0, 1]], ([1], [1])),
        # right is dominated by middle; then down by up; then left by middle
        ("2x3 game, three rounds", [[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]], ([0], [1])),
        ("weak dominance only", [[1, 1], [1, 0]], [[1, 1], [1, 0]], ([0, 1], [0, 1])),
        ("matching pennies", [[1, -1], [-1, 1]], [[-1, 1], [1, -1]], ([0, 1], [0, 1])),
    ]
    for name, A, B, (rows, cols) in cases:
        with forbid_package(impl, "nashpy"):
            got_rows, got_cols = impl.iterated_elimination(np.array(A), np.array(B))
        got = (as_index_list(got_rows, "surviving rows"), as_index_list(got_cols, "surviving columns"))
        assert got == (rows, cols), f"{name}: expected surviving rows {rows} and columns {cols}, got {got}"


# vertex_enumeration again (~11 ms a game): 15 games with planted dominance; the textbook cases above
# and the relabelling check below test elimination on 25 more games.
@settings(max_examples=15, report_multiple_bugs=False)
@given(rngs())
def test_iterated_elimination_keeps_every_equilibrium_and_finishes(impl, rng):
    """Every equilibrium nashpy's vertex_enumeration finds survives; no survivor is strictly dominated at the end."""
    A, B = game_with_dominance(rng)
    with forbid_package(impl, "nashpy"):
        rows, cols = impl.iterated_elimination(A, B)
    rows = as_index_list(rows, "surviving rows")
    cols = as_index_list(cols, "surviving columns")
    assert rows == sorted(set(rows)) and cols == sorted(set(cols)), "survivors should be increasing, without repeats"
    for x, y in nashpy_equilibria(A, B):
        support_rows, support_cols = np.flatnonzero(x > 1e-9), np.flatnonzero(y > 1e-9)
        assert set(support_rows) <= set(rows) and set(support_cols) <= set(cols), (
            f"the equilibrium x={x.round(4)}, y={y.round(4)} plays a strategy you eliminated "
            f"(survivors: rows {rows}, columns {cols}); only strictly dominated strategies may go"
        )
    reduced_A, reduced_B = A[np.ix_(rows, cols)], B[np.ix_(rows, cols)]
    left_rows, left_cols = strictly_dominated_rows(reduced_A), strictly_dominated_rows(reduced_B.T)
    assert not left_rows and not left_cols, (
        f"elimination stopped too early: in the reduced game rows {[rows[i] for i in left_rows]} and "
        f"columns {[cols[j] for j in left_cols]} are still strictly dominated"
    )


@settings(max_examples=25, report_multiple_bugs=False)
@given(integer_games(low=-3, high=3), rngs())
def test_iterated_elimination_ignores_the_order_of_strategies(impl, game, rng):
    """Relabelling the strategies relabels the survivors: strict dominance does not depend on the order you check."""
    A, B = game
    p, q = rng.permutation(A.shape[0]), rng.permutation(A.shape[1])
    with forbid_package(impl, "nashpy"):
        rows, cols = impl.iterated_elimination(A, B)
        prows, pcols = impl.iterated_elimination(A[np.ix_(p, q)], B[np.ix_(p, q)])
    expected = (sorted(int(p[i]) for i in as_index_list(prows, "rows")),
                sorted(int(q[j]) for j in as_index_list(pcols, "columns")))
    got = (as_index_list(rows, "rows"), as_index_list(cols, "columns"))
    assert got == expected, (
        f"survivors {got} of the game differ from the survivors {expected} of the same game with rows "
        f"permuted by {p.tolist()} and columns by {q.tolist()}"
    )


def test_rejects_bad_input(impl):
    """Empty or mismatched payoff matrices, and strategies of the wrong length or not summing to 1, raise ValueError."""
    A = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert_raises_value_error(impl.pure_nash_equilibria, A, np.ones((2, 3)), why="A and B must have the same shape")
    empty = np.zeros((0, 2))
    assert_raises_value_error(impl.pure_nash_equilibria, empty, empty, why="a game needs strategies")
    assert_raises_value_error(impl.pure_nash_equilibria, np.ones(3), np.ones(3), why="payoffs must be 2-D")
    assert_raises_value_error(impl.iterated_elimination, A, np.ones((3, 2)), why="A and B must have the same shape")
    assert_raises_value_error(impl.row_best_responses, A, [1.0, 0.0, 0.0], why="y needs one entry per column")
    assert_raises_value_error(impl.row_best_responses, A, [0.7, 0.7], why="a strategy must sum to 1")
    assert_raises_value_error(impl.column_best_responses, A, [1.5, -0.5], why="probabilities cannot be negative")


def test_does_not_use_nashpy(impl):
    """Your module computes everything itself: it must not import nashpy."""
    assert_not_imported(impl, "nashpy")
