"""Checks for `gradient-descent`: numpy.linalg.solve, scipy.optimize.minimize (BFGS), the closed-form
trajectory of gradient descent on quadratics, scipy's Rosenbrock function, and numpy.linalg.eigvalsh."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize, rosen, rosen_der

from aieng.grader.assertions import assert_close, assert_raises, assert_raises_value_error
from aieng.grader.strategies import quadratic_objective, rngs, spd_matrices, symmetric_matrices


def largest_eigenvalue(A):
    return float(np.linalg.eigvalsh(A)[-1])


@settings(max_examples=20, report_multiple_bugs=False)
@given(spd_matrices(1, 6, max_cond=20.0), rngs())
def test_finds_the_minimizer_of_a_convex_quadratic(impl, A, rng):
    """With lr = 1/L on a convex quadratic, the answer equals numpy.linalg.solve(A, b) and scipy's BFGS minimizer."""
    n = len(A)
    b = 10 * rng.standard_normal(n)
    x0 = rng.standard_normal(n)
    f, grad = quadratic_objective(A, b)
    x, losses = impl.gradient_descent(f, grad, x0, 1.0 / largest_eigenvalue(A), tol=1e-9, max_iter=20_000)
    assert_close(x, np.linalg.solve(A, b), rtol=1e-7, atol=1e-7, what="gradient_descent's minimizer")
    scipy_x = minimize(f, x0, jac=grad, method="BFGS", options={"gtol": 1e-10}).x
    assert_close(x, scipy_x, rtol=1e-6, atol=1e-6, what="gradient_descent's minimizer (vs scipy BFGS)")
    assert_close(losses[-1], f(x), what="losses[-1], the loss at the returned x")


@settings(max_examples=25, report_multiple_bugs=False)
@given(spd_matrices(1, 5, max_cond=20.0), rngs(), st.one_of(st.floats(0.05, 0.5), st.floats(1.5, 1.9)))
def test_trajectory_matches_the_closed_form(impl, A, rng, fraction):
    """On a quadratic, x_k - x* = (I - lr A)^k (x0 - x*); losses[k] must be f(x_k) for k = 0..max_iter.

    Both a cautious lr (0.05/L to 0.5/L) and a zig-zagging one (1.5/L to 1.9/L) are tried. (lr near
    1/L is left out: it can land exactly on x*, where the gradient is 0 and the run rightly stops.)
    """
    n, steps = len(A), 25
    b, x0 = rng.standard_normal(n), rng.standard_normal(n)
    lr = fraction / largest_eigenvalue(A)
    f, grad = quadratic_objective(A, b)
    x_star = np.linalg.solve(A, b)
    contraction = np.eye(n) - lr * A
    iterates = [x_star + np.linalg.matrix_power(contraction, k) @ (x0 - x_star) for k in range(steps + 1)]
    expected = np.array([f(x) for x in iterates])
    x0_before = x0.copy()
    x, losses = impl.gradient_descent(f, grad, x0, lr, tol=0.0, max_iter=steps)
    assert_close(np.asarray(x0), x0_before, rtol=0, atol=0, what="x0 after the call (do not modify the caller's x0)")
    assert_close(losses, expected, rtol=1e-8, atol=1e-8, what=f"losses (lr = {fraction:.3g}/L, {steps} steps)")
    assert_close(x, iterates[-1], rtol=1e-8, atol=1e-8, what=f"x after {steps} steps")


def test_stops_at_the_gradient_tolerance_or_max_iter(impl):
    """On f(x) = x^2 with lr = 0.25 each step halves x: |grad| = 2 * 0.5^k <= 1e-3 first at k = 11, so 11 steps."""
    f, grad = (lambda x: float(x @ x)), (lambda x: 2 * x)
    expected = 0.25 ** np.arange(12)  # f(x_k) = (0.5^k)^2, exact in floating point
    x, losses = impl.gradient_descent(f, grad, np.array([1.0]), 0.25, tol=1e-3)
    assert_close(losses, expected, rtol=0, atol=0, what="losses when stopping at tol=1e-3")
    assert_close(x, [0.5**11], rtol=0, atol=0, what="x when stopping at tol=1e-3")
    x, losses = impl.gradient_descent(f, grad, np.array([1.0]), 0.25, tol=0.0, max_iter=5)
    assert_close(losses, expected[:6], rtol=0, atol=0, what="losses with max_iter=5 (f(x0) and 5 steps)")
    x, losses = impl.gradient_descent(f, grad, np.array([1.0]), 0.25, max_iter=0)
    assert_close(losses, [1.0], rtol=0, atol=0, what="losses with max_iter=0 (just f(x0))")
    assert_close(x, [1.0], rtol=0, atol=0, what="x with max_iter=0 (x0 itself)")


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.integers(2, 5), rngs())
def test_rosenbrock_loss_decreases_monotonically(impl, n, rng):
    """On scipy's Rosenbrock function with lr = 2e-4 (below 2/L on the box [-1.2, 1.2]^n) the loss never increases."""
    x0 = rng.uniform(-1.2, 1.2, size=n)
    x, losses = impl.gradient_descent(rosen, rosen_der, x0, 2e-4, tol=0.0, max_iter=300)
    assert np.shape(losses) == (301,), (
        f"with tol=0 and max_iter=300, losses should hold 301 values (f(x0), then one per step), "
        f"got shape {np.shape(losses)}"
    )
    assert_close(losses[0], rosen(x0), what="losses[0], f(x0)")
    assert_close(losses[-1], rosen(x), what="losses[-1], f at the returned x")
    rises = np.flatnonzero(np.diff(losses) > 1e-12 * np.abs(losses[:-1]))
    assert rises.size == 0, (
        f"the loss went up at step {rises[0] + 1}: {losses[rises[0]]!r} -> {losses[rises[0] + 1]!r}; "
        "each step must be x - lr * grad(x)"
    )
    assert losses[-1] < losses[0], "300 steps did not lower the Rosenbrock loss at all"


@settings(max_examples=10, report_multiple_bugs=False)
@given(spd_matrices(1, 5, max_cond=20.0), rngs(), st.floats(1.25, 2.0))
def test_learning_rate_above_2_over_L_raises_floating_point_error(impl, A, rng, factor):
    """With lr above 2/L on a quadratic the iterates blow up: gradient_descent must raise FloatingPointError."""
    n = len(A)
    b, x0 = rng.standard_normal(n), rng.standard_normal(n)
    f, grad = quadratic_objective(A, b)
    lr = factor * 2.0 / largest_eigenvalue(A)

    def run():
        _, losses = impl.gradient_descent(f, grad, x0, lr)
        return losses

    assert_raises(FloatingPointError, run, because=f"lr = {factor:.2f} x 2/L diverges",
                  returned=lambda losses: f"lr = {factor:.2f} x 2/L makes the iterates grow without bound, so "
                                          "gradient_descent must raise FloatingPointError once a loss is inf or nan; "
                                          f"it returned, with the last losses {np.asarray(losses)[-3:]}")


@settings(max_examples=10, report_multiple_bugs=False)
@given(spd_matrices(1, 5, max_cond=5.0), rngs())
def test_learning_rate_just_below_2_over_L_still_converges(impl, A, rng):
    """lr = 1.9/L zig-zags but converges on a quadratic (each |1 - lr*lambda| < 1): no error, the right answer."""
    n = len(A)
    b, x0 = rng.standard_normal(n), rng.standard_normal(n)
    f, grad = quadratic_objective(A, b)
    x, _ = impl.gradient_descent(f, grad, x0, 1.9 / largest_eigenvalue(A), tol=1e-9)
    assert_close(x, np.linalg.solve(A, b), rtol=1e-7, atol=1e-7, what="minimizer with lr = 1.9/L")


@settings(report_multiple_bugs=False)
@given(symmetric_matrices(1, 8))
def test_is_convex_quadratic_matches_eigvalsh_on_symmetric_matrices(impl, A):
    """is_convex_quadratic(A) is True exactly when numpy.linalg.eigvalsh(A) has no negative eigenvalue."""
    smallest = np.linalg.eigvalsh(A)[0]
    if abs(smallest) < 1e-6:  # too close to the boundary to judge
        return
    got = impl.is_convex_quadratic(A)
    assert isinstance(got, bool | np.bool_), f"is_convex_quadratic should return a bool, got {got!r}"
    assert bool(got) == (smallest > 0), f"smallest eigenvalue {smallest:.4g}, but is_convex_quadratic said {got}"


@settings(report_multiple_bugs=False)
@given(rngs(), st.integers(2, 6), st.sampled_from(["triangular", "plus skew", "minus skew"]))
def test_is_convex_quadratic_uses_the_symmetric_part(impl, rng, n, kind):
    """For a non-symmetric A only S = (A + A^T)/2 matters: follow eigvalsh(S), not the eigenvalues of A itself.

    A triangular A with a positive diagonal has only positive eigenvalues, yet S is often indefinite.
    """
    if kind == "triangular":
        A = np.triu(3 * rng.standard_normal((n, n)), 1) + np.diag(rng.uniform(0.5, 2.0, n))
    else:
        base = rng.standard_normal((n, n))
        skew = rng.standard_normal((n, n))
        A = (1 if kind == "plus skew" else -1) * (base @ base.T + 0.1 * np.eye(n)) + 3 * (skew - skew.T)
    smallest = np.linalg.eigvalsh((A + A.T) / 2)[0]
    if abs(smallest) < 1e-6:  # too close to the boundary to judge
        return
    got = impl.is_convex_quadratic(A)
    assert bool(got) == (smallest > 0), (
        f"the symmetric part (A + A^T)/2 has smallest eigenvalue {smallest:.4g}, but is_convex_quadratic said "
        f"{got}; A =\n{np.round(A, 3)}"
    )


def test_is_convex_quadratic_special_cases(impl):
    """Singular PSD -> True; [[1, 4], [0, 1]] -> False (its eigenvalues 1, 1 mislead); -I -> False; rotation -> True."""
    v = np.array([1.0, 2.0, -1.0])
    cases = [
        (np.outer(v, v), True, "v v^T (singular, positive semidefinite: convex)"),
        (np.array([[1.0, 4.0], [0.0, 1.0]]), False, "[[1, 4], [0, 1]] (symmetric part has eigenvalue -1)"),
        (-np.eye(3), False, "-I (concave)"),
        (np.array([[0.0, -1.0], [1.0, 0.0]]), True, "[[0, -1], [1, 0]] (x^T A x = 0: flat, convex)"),
        (np.array([[2.0]]), True, "[[2]]"),
    ]
    for A, expected, name in cases:
        got = impl.is_convex_quadratic(A)
        assert bool(got) == expected, f"is_convex_quadratic({name}) should be {expected}, got {got}"


def test_rejects_bad_input(impl):
    """lr <= 0, negative tol or max_iter, a 2-D or empty x0, a wrong-shaped gradient, a non-square A: ValueError."""
    f, grad = (lambda x: float(x @ x)), (lambda x: 2 * x)
    x0 = np.ones(2)
    assert_raises_value_error(impl.gradient_descent, f, grad, x0, 0.0, why="the learning rate must be positive")
    assert_raises_value_error(impl.gradient_descent, f, grad, x0, -0.1, why="the learning rate must be positive")
    assert_raises_value_error(impl.gradient_descent, f, grad, x0, 0.1, tol=-1.0, why="tol must be >= 0")
    assert_raises_value_error(impl.gradient_descent, f, grad, x0, 0.1, max_iter=-1, why="max_iter must be >= 0")
    assert_raises_value_error(impl.gradient_descent, f, grad, np.ones((2, 2)), 0.1, why="x0 must be 1-D")
    assert_raises_value_error(impl.gradient_descent, f, grad, np.array([]), 0.1, why="x0 must not be empty")
    assert_raises_value_error(
        impl.gradient_descent, f, lambda x: np.ones(3), x0, 0.1, why="grad(x) must have the shape of x"
    )
    assert_raises_value_error(impl.is_convex_quadratic, np.ones((2, 3)), why="A must be square")
    assert_raises_value_error(impl.is_convex_quadratic, np.ones(3), why="A must be a matrix")
    assert_raises_value_error(impl.is_convex_quadratic, np.zeros((0, 0)), why="A must not be empty")
