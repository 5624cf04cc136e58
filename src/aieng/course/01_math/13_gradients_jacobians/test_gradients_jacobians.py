"""Checks for `gradients-jacobians`, against sympy's exact derivatives, closed forms and scipy.

Oracles:
- quadratic forms f(x) = xᵀAx + bᵀx with a random, non-symmetric A: ∇f = (A + Aᵀ)x + b and
  H = A + Aᵀ (closed forms);
- random smooth functions Σ c·g(w·x + β) (g among sin, cos, tanh, exp, log(1 + u²), u²) built with
  sympy: the gradient from sympy.diff, the Hessian from sympy.hessian and, for maps R^n -> R^m
  stacked from them, the Jacobian from sympy.Matrix.jacobian;
- softmax and log-sum-exp: J = diag(p) - ppᵀ (closed form);
- scipy.optimize.check_grad and approx_fprime as a second, independent finite-difference reference.

Tolerances follow the central-difference error. With h = 1e-5 an entry of the gradient or Jacobian is
off by about (h²/6)·|f'''| + eps·|f|/h. The test functions have |f| ≤ 6 and derivatives of order
three and four of order 10 at most on [-1, 1]^n (n ≤ 3), so that is about 2e-10 + 1e-10. The check
allows 1e-7 (absolute plus relative): a forward difference, off by (h/2)·|f''| ≈ 5e-6, fails it. For
the Hessian (h = 1e-4) the error is about (h²/12)·|f''''| + 4·eps·|f|/h² ≈ 1e-8 + 5e-7, and the check
allows 1e-5. On quadratics the truncation error is zero and only round-off remains, so the allowed
error is 16·eps·scale/h (or /h²), where scale = |x|ᵀ|A||x| + |b|ᵀ|x| + 1 bounds the terms of f.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime, check_grad

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.strategies import rngs, vectors
from aieng.grader.symbolic import numpy_function

EPS = float(np.finfo(np.float64).eps)
SEEDS = st.integers(0, 5)
POINTS = vectors(min_size=3, max_size=3, low=-1.0, high=1.0)  # the first n entries are used



class Smooth(NamedTuple):
    n: int
    text: str
    f: object  # R^n -> R, takes a 1-D array
    grad: object  # -> (n,)
    hess: object  # -> (n, n)


class Map(NamedTuple):
    n: int
    m: int
    text: str
    F: object  # R^n -> R^m
    jac: object  # -> (m, n)


def _random_scalar(rng: np.random.Generator, xs: list[sympy.Symbol]) -> sympy.Expr:
    shapes = [sympy.sin, sympy.cos, sympy.tanh, sympy.exp, lambda u: sympy.log(1 + u**2), lambda u: u**2]
    total = sympy.Integer(0)
    for _ in range(int(rng.integers(2, 4))):  # 2 or 3 terms
        w = [sympy.Rational(int(k), 10) for k in rng.integers(-10, 11, size=len(xs))]
        inner = sum((wi * xi for wi, xi in zip(w, xs, strict=True)), sympy.Rational(int(rng.integers(-5, 6)), 10))
        g = shapes[int(rng.integers(len(shapes)))]
        total += sympy.Rational(int(rng.integers(-20, 21)), 10) * g(inner)
    return total


def _numeric(xs, expr):
    """expr (an expression, a list or a matrix of them) as a numpy function of one point x (its first
    len(xs) coordinates)."""
    fn = numpy_function(xs, expr)

    def numeric(x):
        return fn(*np.asarray(x, dtype=np.float64)[: len(xs)])

    return numeric


@functools.cache
def _symbolic(seed: int) -> tuple[list[sympy.Symbol], sympy.Expr]:
    n = 1 + seed % 3
    xs = list(sympy.symbols(f"x0:{n}"))
    return xs, _random_scalar(np.random.default_rng(seed), xs)


@functools.cache
def smooth_function(seed: int) -> Smooth:
    """The seed-th random f: R^n -> R (n = 1 + seed % 3) with its exact gradient and Hessian (built once)."""
    xs, expr = _symbolic(seed)
    grad = [sympy.diff(expr, xi) for xi in xs]
    return Smooth(len(xs), str(expr), _numeric(xs, expr), _numeric(xs, grad), _numeric(xs, sympy.hessian(expr, xs)))


@functools.cache
def smooth_map(seed: int) -> Map:
    """A random F: R^n -> R^m (m = 1 or 2) stacked from the random functions, with its Jacobian."""
    xs, first = _symbolic(seed)
    components = [first] if seed < 3 else [first, _symbolic(seed - 3)[1]]  # seed - 3 has the same n
    F = sympy.Matrix(components)
    return Map(len(xs), len(components), str(components), _numeric(xs, components), _numeric(xs, F.jacobian(xs)))


def _quadratic(rng: np.random.Generator, n: int):
    a, b = rng.standard_normal((n, n)), rng.standard_normal(n)

    def f(x):
        return x @ a @ x + b @ x

    return a, b, f


@given(rngs(), st.integers(1, 6), st.data())
def test_gradient_of_a_quadratic_form(impl, rng, n, data):
    """For f(x) = xᵀAx + bᵀx with a non-symmetric A, gradient(f, x) = (A + Aᵀ)x + b (note: not 2Ax)."""
    a, b, f = _quadratic(rng, n)
    x = data.draw(vectors(min_size=n, max_size=n, low=-3, high=3), label="x")
    scale = np.abs(x) @ np.abs(a) @ np.abs(x) + np.abs(b) @ np.abs(x) + 1.0
    assert_close(impl.gradient(f, x), (a + a.T) @ x + b, rtol=0.0, atol=16 * EPS * scale / 1e-5,
                 what=f"gradient of xᵀAx + bᵀx (n = {n})")


@given(rngs(), st.integers(1, 5), st.data())
def test_hessian_of_a_quadratic_form(impl, rng, n, data):
    """For f(x) = xᵀAx + bᵀx, hessian(f, x) = A + Aᵀ at every x: symmetric even when A is not."""
    a, _, f = _quadratic(rng, n)
    x = data.draw(vectors(min_size=n, max_size=n, low=-3, high=3), label="x")
    scale = np.abs(x) @ np.abs(a) @ np.abs(x) + 1.0
    assert_close(impl.hessian(f, x), a + a.T, rtol=0.0, atol=16 * EPS * scale / 1e-8,
                 what=f"hessian of xᵀAx + bᵀx (n = {n})")


@given(SEEDS, POINTS)
def test_gradient_matches_sympy(impl, seed, point):
    """gradient(f, x) equals the exact gradient from sympy.diff for random smooth f: R^n -> R."""
    fun = smooth_function(seed)
    x = point[: fun.n]
    assert_close(impl.gradient(fun.f, x), fun.grad(x), rtol=1e-7, atol=1e-7, what=f"gradient of f = {fun.text}")


@given(SEEDS, POINTS)
def test_hessian_matches_sympy(impl, seed, point):
    """hessian(f, x) equals sympy.hessian for random smooth f (second differences, h = 1e-4)."""
    fun = smooth_function(seed)
    x = point[: fun.n]
    assert_close(impl.hessian(fun.f, x), fun.hess(x), rtol=1e-5, atol=1e-5, what=f"hessian of f = {fun.text}")


@given(SEEDS, POINTS)
def test_jacobian_matches_sympy(impl, seed, point):
    """jacobian(F, x) has shape (m, n) and equals sympy.Matrix.jacobian: row i is the gradient of F_i."""
    fun = smooth_map(seed)
    x = point[: fun.n]
    assert_close(impl.jacobian(fun.F, x), fun.jac(x), rtol=1e-7, atol=1e-7,
                 what=f"jacobian of F = {fun.text} (m = {fun.m}, n = {fun.n})")


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _logsumexp(z):
    return z.max() + np.log(np.exp(z - z.max()).sum())


@given(vectors(min_size=1, max_size=6, low=-3, high=3))
def test_softmax_and_log_sum_exp(impl, z):
    """The Jacobian of softmax and the Hessian of log-sum-exp are diag(p) - ppᵀ, and ∇ log-sum-exp = p = softmax(z)."""
    p = _softmax(z)
    expected = np.diag(p) - np.outer(p, p)
    assert_close(impl.jacobian(_softmax, z), expected, rtol=1e-7, atol=1e-8, what="jacobian of softmax")
    assert_close(impl.gradient(_logsumexp, z), p, rtol=1e-7, atol=1e-8, what="gradient of log-sum-exp")
    assert_close(impl.hessian(_logsumexp, z), expected, rtol=1e-5, atol=1e-6, what="hessian of log-sum-exp")


@settings(max_examples=20)
@given(SEEDS, POINTS)
def test_agrees_with_scipy_finite_differences(impl, seed, point):
    """scipy.optimize.check_grad accepts your gradient and approx_fprime agrees with your Jacobian.

    scipy uses forward differences with a step of about 1.5e-8, accurate to about 1e-7, so the
    comparison allows 1e-5.
    """
    fun, vec = smooth_function(seed), smooth_map(seed)
    x = point[: fun.n]
    gap = check_grad(fun.f, lambda y: impl.gradient(fun.f, y), x)
    expect(gap <= 1e-5 * (1 + np.linalg.norm(fun.grad(x))),
           f"scipy.optimize.check_grad: |your gradient - scipy's| = {gap:.3g} for f = {fun.text} at x = {x}")
    scipy_jacobian = approx_fprime(x, vec.F, 1.4901161193847656e-08).reshape(vec.m, vec.n)
    assert_close(impl.jacobian(vec.F, x), scipy_jacobian, rtol=1e-5, atol=1e-5,
                 what=f"jacobian vs scipy.optimize.approx_fprime for F = {vec.text}")


@given(SEEDS, POINTS, vectors(min_size=3, max_size=3, low=-2, high=2))
def test_directional_derivative_is_gradient_dot_v(impl, seed, point, direction):
    """directional_derivative(f, x, v) = ∇f(x) · v, with the exact gradient from sympy."""
    fun = smooth_function(seed)
    x, v = point[: fun.n], direction[: fun.n]
    assert_close(impl.directional_derivative(fun.f, x, v), fun.grad(x) @ v, rtol=1e-7, atol=1e-7,
                 what=f"directional derivative along v = {v} for f = {fun.text}")


@given(SEEDS, POINTS, rngs())
def test_gradient_points_uphill_fastest(impl, seed, point, rng):
    """Along the unit gradient the slope is |∇f|, and no other unit direction is steeper (steepest ascent)."""
    fun = smooth_function(seed)
    x = point[: fun.n]
    g = impl.gradient(fun.f, x)
    if np.linalg.norm(g) < 1e-3:
        return  # a stationary point has no uphill direction
    best = impl.directional_derivative(fun.f, x, g / np.linalg.norm(g))
    assert_close(best, np.linalg.norm(fun.grad(x)), rtol=1e-6, atol=1e-7,
                 what="slope along ∇f/|∇f| (should be |∇f|)")
    for u in rng.standard_normal((10, fun.n)):
        u /= np.linalg.norm(u)
        slope = impl.directional_derivative(fun.f, x, u)
        expect(slope <= best + 1e-6, f"direction {u} climbs at {slope:.6g}, faster than the gradient's {best:.6g}")


def test_shapes_and_number_of_calls(impl):
    """gradient: shape (n,) from 2n calls of f; jacobian of R^3 -> R^2: shape (2, 3); hessian: shape (n, n)."""
    calls = []

    def f(x):
        calls.append(x.copy())
        return float(np.sum(x**3))

    x = np.array([0.5, -1.0, 2.0])
    assert_close(impl.gradient(f, x), 3 * x**2, rtol=1e-7, what="gradient of sum(x³)")
    expect(len(calls) <= 2 * x.size + 1, f"gradient called f {len(calls)} times for n = 3; 2n = 6 is enough")
    assert_close(impl.jacobian(lambda v: np.array([v[0] * v[1], v[1] * v[2]]), x),
                 np.array([[x[1], x[0], 0.0], [0.0, x[2], x[1]]]), rtol=1e-7, atol=1e-9,
                 what="jacobian of (x0·x1, x1·x2), shape (m, n) = (2, 3)")
    assert_close(impl.hessian(f, x), np.diag(6 * x), rtol=1e-5, atol=1e-6, what="hessian of sum(x³)")


def test_rejects_bad_input(impl):
    """Bad input raises ValueError: x 2-D or empty, h <= 0, f not scalar, F not 1-D, v of the wrong length."""
    def f(x):
        return float(np.sum(x**2))

    x = np.array([1.0, 2.0])
    assert_raises_value_error(impl.gradient, f, np.ones((2, 2)), why="x must be a 1-D point")
    assert_raises_value_error(impl.gradient, f, np.array([]), why="x must have at least one coordinate")
    assert_raises_value_error(impl.gradient, f, x, 0.0, why="the step h must be positive")
    assert_raises_value_error(impl.hessian, f, x, -1e-4, why="the step h must be positive")
    assert_raises_value_error(impl.jacobian, lambda v: v, x, -1e-5, why="the step h must be positive")
    assert_raises_value_error(impl.gradient, lambda v: v * 2, x, why="f must return a single number")
    assert_raises_value_error(impl.jacobian, lambda v: np.outer(v, v), x, why="F must return a 1-D array")
    assert_raises_value_error(impl.directional_derivative, f, x, np.ones(3), why="v must have x's shape")
