"""Checks for `momentum`, against the published update equations (torch.optim.SGD's convention), their
closed form on quadratics, numpy.linalg.solve and scipy.optimize.minimize (BFGS).

The oracle for trajectories is the linear recurrence the equations give on f(x) = 1/2 x^T A x - b^T x.
With e = x - x* and g = A e, one step maps the state (e, v) by a fixed 2n x 2n matrix M:

    heavy ball:  v' = mu v + A e,   e' = e - lr v'              ->  M = [[I - lr A, -lr mu I], [A, mu I]]
    Nesterov:    v' = mu v + A e,   e' = e - lr (A e + mu v')   ->  M = [[I - lr (1 + mu) A, -lr mu^2 I], [A, mu I]]

so the k-th iterate is M^k (e_0, 0), computed here with numpy.linalg.matrix_power.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from aieng.grader.assertions import assert_close, assert_raises, assert_raises_value_error
from aieng.grader.strategies import quadratic_objective, random_orthogonal, rngs, spd_matrices


def state_matrix(A, lr, mu, nesterov):
    """The 2n x 2n matrix taking (x_k - x*, v_k) to (x_{k+1} - x*, v_{k+1}) on a quadratic with Hessian A."""
    eye = np.eye(len(A))
    if nesterov:
        top = np.hstack([eye - lr * (1 + mu) * A, -lr * mu**2 * eye])
    else:
        top = np.hstack([eye - lr * A, -lr * mu * eye])
    return np.vstack([top, np.hstack([A, mu * eye])])


def closed_form_iterates(A, b, x0, lr, mu, nesterov, steps):
    """x_0 .. x_steps from (e_k, v_k) = M^k (e_0, 0)."""
    n = len(A)
    x_star = np.linalg.solve(A, b)
    M = state_matrix(A, lr, mu, nesterov)
    start = np.concatenate([x0 - x_star, np.zeros(n)])
    return [x_star + (np.linalg.matrix_power(M, k) @ start)[:n] for k in range(steps + 1)]


def steps_taken(impl, f, grad, x0, lr, mu, nesterov, tol):
    _, losses = impl.momentum_descent(f, grad, x0, lr, mu, nesterov=nesterov, tol=tol, max_iter=100_000)
    return len(losses) - 1


@settings(report_multiple_bugs=False)
@given(rngs(), st.integers(1, 8), st.floats(1e-3, 1.0), st.floats(0.0, 0.99), st.booleans())
def test_momentum_step_follows_the_pytorch_update(impl, rng, n, lr, mu, nesterov):
    """One step: v_new = mu*v + g; x_new = x - lr*v_new (heavy ball) or x - lr*(g + mu*v_new) (Nesterov)."""
    x, v, g = rng.standard_normal((3, n))
    v_new = mu * v + g
    x_new = x - lr * (g + mu * v_new) if nesterov else x - lr * v_new
    kind = "Nesterov" if nesterov else "heavy-ball"
    got_x, got_v = impl.momentum_step(x, v, g, lr, mu, nesterov=nesterov)
    assert_close(got_v, v_new, rtol=1e-12, atol=1e-12, what=f"{kind} v_new")
    assert_close(got_x, x_new, rtol=1e-12, atol=1e-12, what=f"{kind} x_new")


@settings(max_examples=30, report_multiple_bugs=False)
@given(spd_matrices(1, 5, max_cond=20.0), rngs(), st.floats(0.05, 0.6), st.floats(0.0, 0.95), st.booleans())
def test_trajectory_matches_the_closed_form_recurrence(impl, A, rng, fraction, mu, nesterov):
    """On a quadratic, losses[k] = f(x_k) with (x_k - x*, v_k) = M^k (x_0 - x*, 0), for 20 steps from v_0 = 0."""
    n, steps = len(A), 20
    b, x0 = rng.standard_normal(n), rng.standard_normal(n)
    lr = fraction / np.linalg.eigvalsh(A)[-1]
    f, grad = quadratic_objective(A, b)
    iterates = closed_form_iterates(A, b, x0, lr, mu, nesterov, steps)
    # a run may rightly stop early if some gradient is (numerically) zero: keep those cases out
    assume(min(np.linalg.norm(grad(x)) for x in iterates) > 1e-6)
    kind = "Nesterov" if nesterov else "heavy-ball"
    x, losses = impl.momentum_descent(f, grad, x0, lr, mu, nesterov=nesterov, tol=0.0, max_iter=steps)
    expected = np.array([f(x) for x in iterates])
    assert_close(losses, expected, rtol=1e-8, atol=1e-8, what=f"{kind} losses (lr = {fraction:.3g}/L, mu = {mu:.3g})")
    assert_close(x, iterates[-1], rtol=1e-8, atol=1e-8, what=f"{kind} x after {steps} steps")


@settings(max_examples=20, report_multiple_bugs=False)
@given(spd_matrices(1, 6, max_cond=20.0), rngs(), st.booleans())
def test_converges_to_the_minimizer(impl, A, rng, nesterov):
    """With lr = 1/L and mu = 0.9 the answer equals numpy.linalg.solve(A, b) and scipy's BFGS minimizer."""
    n = len(A)
    b, x0 = 10 * rng.standard_normal(n), rng.standard_normal(n)
    f, grad = quadratic_objective(A, b)
    lr = 1.0 / np.linalg.eigvalsh(A)[-1]
    kind = "Nesterov" if nesterov else "heavy-ball"
    x, losses = impl.momentum_descent(f, grad, x0, lr, 0.9, nesterov=nesterov, tol=1e-9, max_iter=20_000)
    assert_close(x, np.linalg.solve(A, b), rtol=1e-7, atol=1e-7, what=f"{kind} minimizer")
    scipy_x = minimize(f, x0, jac=grad, method="BFGS", options={"gtol": 1e-10}).x
    assert_close(x, scipy_x, rtol=1e-6, atol=1e-6, what=f"{kind} minimizer (vs scipy BFGS)")
    assert_close(losses[-1], f(x), what="losses[-1], the loss at the returned x")


def test_momentum_needs_far_fewer_steps_at_condition_number_100(impl):
    """At condition number 100 (lr = 1/L, tol = 1e-6), momentum with mu = 0.9 needs under a third of plain GD's steps.

    Plain gradient descent is your momentum_descent with mu = 0; its step count must match the closed
    form: the gradient after k steps is A (I - lr A)^k (x0 - x*).
    """
    rng = np.random.default_rng(100)
    n = 10
    q = random_orthogonal(rng, n)
    eigenvalues = np.geomspace(1.0, 100.0, n)
    A = (q * eigenvalues) @ q.T
    b, x0 = rng.standard_normal(n), np.zeros(n)
    f, grad = quadratic_objective(A, b)
    lr, tol = 1.0 / 100.0, 1e-6
    # closed form for plain GD, in A's eigenbasis: gradient coordinates lambda * (1 - lr lambda)^k * c
    c = q.T @ (x0 - np.linalg.solve(A, b))
    k = np.arange(5000)[:, None]
    gradient_norms = np.linalg.norm(eigenvalues * (1 - lr * eigenvalues) ** k * c, axis=1)
    gd_expected = int(np.argmax(gradient_norms <= tol))
    gd = steps_taken(impl, f, grad, x0, lr, 0.0, False, tol)
    assert abs(gd - gd_expected) <= 1, f"with mu = 0 (plain GD) expected {gd_expected} steps, got {gd}"
    heavy = steps_taken(impl, f, grad, x0, lr, 0.9, False, tol)
    nesterov = steps_taken(impl, f, grad, x0, lr, 0.9, True, tol)
    assert heavy <= gd / 3, f"heavy ball (mu = 0.9) took {heavy} steps, plain GD {gd}: expected under {gd // 3}"
    assert nesterov <= gd / 3, f"Nesterov (mu = 0.9) took {nesterov} steps, plain GD {gd}: expected under {gd // 3}"


@settings(max_examples=10, report_multiple_bugs=False)
@given(spd_matrices(1, 5, max_cond=20.0), rngs(), st.floats(0.0, 0.9), st.booleans())
def test_too_large_a_learning_rate_raises_floating_point_error(impl, A, rng, mu, nesterov):
    """Past the stability limit (lr*L > 2(1+mu) heavy ball, 2(1+mu)/(1+2mu) Nesterov), raise FloatingPointError."""
    n = len(A)
    b, x0 = rng.standard_normal(n), rng.standard_normal(n)
    f, grad = quadratic_objective(A, b)
    limit = 2 * (1 + mu) / (1 + 2 * mu) if nesterov else 2 * (1 + mu)
    lr = 1.5 * limit / np.linalg.eigvalsh(A)[-1]
    kind = "Nesterov" if nesterov else "heavy-ball"

    def run():
        _, losses = impl.momentum_descent(f, grad, x0, lr, mu, nesterov=nesterov)
        return losses

    assert_raises(FloatingPointError, run, because=f"{kind} with lr = 1.5 x its stability limit diverges",
                  returned=lambda losses: f"{kind} with lr = 1.5 x its stability limit blows up, so momentum_descent "
                                          "must raise FloatingPointError once a loss is inf or nan; it returned, with "
                                          f"the last losses {np.asarray(losses)[-3:]}")


def test_rejects_bad_input(impl):
    """mu outside [0, 1), lr <= 0, mismatched shapes, a 2-D x0 or a wrong-shaped gradient raise ValueError."""
    f, grad = (lambda x: float(x @ x)), (lambda x: 2 * x)
    x0 = np.ones(2)
    assert_raises_value_error(impl.momentum_descent, f, grad, x0, 0.1, 1.0, why="mu must be below 1")
    assert_raises_value_error(impl.momentum_descent, f, grad, x0, 0.1, -0.1, why="mu must be >= 0")
    assert_raises_value_error(impl.momentum_descent, f, grad, x0, 0.0, 0.9, why="lr must be positive")
    assert_raises_value_error(impl.momentum_descent, f, grad, np.ones((2, 2)), 0.1, 0.9, why="x0 must be 1-D")
    assert_raises_value_error(
        impl.momentum_descent, f, lambda x: np.ones(3), x0, 0.1, 0.9, why="grad(x) must have the shape of x"
    )
    assert_raises_value_error(impl.momentum_step, x0, np.ones(3), x0, 0.1, 0.9, why="v must have the shape of x")
    assert_raises_value_error(impl.momentum_step, x0, x0, x0, -0.1, 0.9, why="lr must be positive")
    assert_raises_value_error(impl.momentum_step, x0, x0, x0, 0.1, 1.5, why="mu must be in [0, 1)")
