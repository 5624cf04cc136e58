"""Checks for `finite-differences`, against exact derivatives from sympy and closed forms.

Random test functions are built with sympy from polynomials, sin, cos, exp and log (on x > 0), sums,
products and compositions; `sympy.diff` gives their exact derivatives and `lambdify` turns them into
numpy functions. A seed from POOL picks the function, so hypothesis can replay and shrink a failure.

Tolerances follow the error analysis in the lesson. At a point x with step h the allowed error is
SAFETY * (truncation + round-off), where

- truncation is (h/2)·max|f''| (forward, backward), (h²/6)·max|f'''| (central) or (h²/12)·max|f''''|
  (second derivative), the maxima taken over the stencil;
- round-off: each value of f carries an error of about δ = eps·(1 + |f(x)| + |x·f'(x)|): the 1 for
  intermediate results of order one (log(1 + s) loses eps absolutely when s is tiny), |x·f'| for the
  rounding of x + h itself. A quotient divides δ by h (2δ/h one-sided, δ/h central) and the
  second-derivative stencil by h² (4δ/h²).

SAFETY = 4 absorbs the extra round-off inside the evaluation of f (compositions amplify it a little).
A wrong formula is off by about |f'|, or by (h/2)|f''| when it has the wrong order: far outside.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.strategies import finite_floats, vectors
from aieng.grader.symbolic import numpy_function

EPS = float(np.finfo(np.float64).eps)
SAFETY = 4.0
X = sympy.Symbol("x")
# Seeds of `_random_expr` whose functions cover every kind it makes (sums, products, compositions;
# polynomials, sin, cos, exp, log(x) and log(g² + 1)). Grading starts a fresh process each time, and
# sympy's work grows fast with nesting (the fourth derivatives): these eight cost ~0.2 s of it, where
# seeds 0..11 cost ~0.75 s.
#    0: 13x/10 + log(exp(-2x - 4/5) + 1) - 13/10     1: exp(-x² + 9x/10 + 1/2)
#    2: exp(x/5 - 3/10) + sin(13x/10 - 2/5)         3: -13x/10 + exp(-2x/5 - 9/10) + log(x) - 11/10
#   11: x + 6/5 (f'' = 0)                           24: cos(cos(log(x)))
#   39: (6x/5 - 4/5)·exp(3x/5 + 1/10)               65: -sin(x²/2 + 4x/5 - 1/10)
POOL = (0, 1, 2, 3, 11, 24, 39, 65)
SEEDS = st.sampled_from(POOL)
POINTS = vectors(min_size=1, max_size=8, low=0.5, high=3.0)  # log needs x > 0
METHODS = {"forward_difference": ("forward", 1), "backward_difference": ("backward", 1),
           "central_difference": ("central", 1), "second_derivative": ("second", 2)}
STEP_POWER = {"forward": 1 / 2, "backward": 1 / 2, "central": 1 / 3, "second": 1 / 4}


class RandomFunction:
    """A random test function; d(k) is its exact k-th derivative (k = 0..4) as a vectorized numpy function.

    Each derivative is differentiated and lambdified the first time a check needs it, then kept.
    """

    def __init__(self, expr: sympy.Expr) -> None:
        self.expr = str(expr)  # the formula, for messages
        self._symbolic = [expr]
        self._numeric: dict[int, object] = {}

    def d(self, k: int):
        if k not in self._numeric:
            while len(self._symbolic) <= k:
                self._symbolic.append(sympy.diff(self._symbolic[-1], X))
            self._numeric[k] = numpy_function(X, self._symbolic[k])
        return self._numeric[k]


def _polynomial(rng: np.random.Generator, max_degree: int = 3, scale: int = 20) -> sympy.Expr:
    degree = int(rng.integers(1, max_degree + 1))
    coefficients = [sympy.Rational(int(c), 10) for c in rng.integers(-scale, scale + 1, size=degree + 1)]
    coefficients[-1] = coefficients[-1] or sympy.Integer(1)
    return sympy.Add(*(c * X**k for k, c in enumerate(coefficients)))


def _random_expr(rng: np.random.Generator, depth: int) -> sympy.Expr:
    kinds = ["poly", "sin", "cos", "exp", "log", "sum", "product"] if depth else ["poly", "exp", "log"]
    kind = kinds[int(rng.integers(len(kinds)))]
    if kind == "poly":
        return _polynomial(rng)
    if kind == "exp":  # a small exponent keeps the values finite on [0.5, 3]
        return sympy.exp(_polynomial(rng, max_degree=2, scale=10))
    if kind == "log":
        return sympy.log(X) if depth == 0 else sympy.log(_random_expr(rng, depth - 1) ** 2 + 1)
    if kind in ("sin", "cos"):
        return getattr(sympy, kind)(_random_expr(rng, depth - 1))
    a, b = _random_expr(rng, depth - 1), _random_expr(rng, depth - 1)
    return a + b if kind == "sum" else a * b


@functools.cache
def random_function(seed: int) -> RandomFunction:
    """The seed-th random test function (built once; its derivatives when first needed)."""
    return RandomFunction(_random_expr(np.random.default_rng(seed), depth=2))


def _max_abs(fn, x: np.ndarray, lo: np.ndarray | float, hi: np.ndarray | float) -> np.ndarray:
    """max |fn| over [x + lo, x + hi], sampled at 9 points (the interval is tiny and fn smooth)."""
    t = np.linspace(0.0, 1.0, 9)
    points = (x + lo)[..., None] + (np.asarray(hi) - np.asarray(lo))[..., None] * t
    return np.abs(fn(points)).max(axis=-1)


def tolerance(fun: RandomFunction, x: np.ndarray, h: np.ndarray | float, method: str) -> np.ndarray:
    """SAFETY * (truncation bound + round-off bound) at each point of x (see the module docstring)."""
    delta = EPS * (1.0 + np.abs(fun.d(0)(x)) + np.abs(x * fun.d(1)(x)))
    if method == "forward":
        error = h / 2 * _max_abs(fun.d(2), x, 0.0, h) + 2 * delta / h
    elif method == "backward":
        error = h / 2 * _max_abs(fun.d(2), x, -h, 0.0) + 2 * delta / h
    elif method == "central":
        error = h**2 / 6 * _max_abs(fun.d(3), x, -h, h) + delta / h
    else:
        error = h**2 / 12 * _max_abs(fun.d(4), x, -h, h) + 4 * delta / h**2
    return SAFETY * error


def assert_within(got, expected, allowed, x, what: str) -> None:
    """|got - expected| <= allowed at every point, reported point by point with assert_close."""
    if got is None or np.shape(got) != np.shape(expected):
        assert_close(got, expected, what=what)  # explains the None or the wrong shape
    values = np.asarray(got)
    if values.dtype.kind in "biuf" and np.isclose(values.astype(np.float64), expected, rtol=0.0, atol=allowed).all():
        return  # the test assert_close makes at each point below, done at once: every point passes
    for xi, g, e, a in zip(np.ravel(x), np.ravel(got), np.ravel(expected), np.ravel(allowed), strict=True):
        assert_close(g, e, rtol=0.0, atol=float(a), what=f"{what} at x = {float(xi)!r}")



def _check(impl, name: str, seed: int, x: np.ndarray, h: float | None) -> None:
    method, order = METHODS[name]
    fun = random_function(seed)
    if h is None:
        got, step = getattr(impl, name)(fun.d(0), x), EPS ** STEP_POWER[method] * np.maximum(1.0, np.abs(x))
    else:
        got, step = getattr(impl, name)(fun.d(0), x, h), h
    assert_within(got, fun.d(order)(x), tolerance(fun, x, step, method), x,
                  f"{name}(f, x, h={h}) for f(x) = {fun.expr}")


@given(SEEDS, POINTS, st.sampled_from([1e-2, 1e-4, 1e-6]))
def test_forward_difference_matches_the_exact_derivative(impl, seed, x, h):
    """forward_difference(f, x, h) = (f(x+h) - f(x))/h is within its O(h) + O(eps/h) error of sympy's f'(x)."""
    _check(impl, "forward_difference", seed, x, h)


@given(SEEDS, POINTS, st.sampled_from([1e-2, 1e-4, 1e-6]))
def test_backward_difference_matches_the_exact_derivative(impl, seed, x, h):
    """backward_difference(f, x, h) = (f(x) - f(x-h))/h is within its O(h) + O(eps/h) error of sympy's f'(x)."""
    _check(impl, "backward_difference", seed, x, h)


@given(SEEDS, POINTS, st.sampled_from([1e-2, 1e-3, 1e-5]))
def test_central_difference_matches_the_exact_derivative(impl, seed, x, h):
    """central_difference(f, x, h) = (f(x+h) - f(x-h))/(2h) is within its O(h²) + O(eps/h) error of f'(x)."""
    _check(impl, "central_difference", seed, x, h)


@given(SEEDS, POINTS, st.sampled_from([1e-2, 1e-3]))
def test_second_derivative_matches_the_exact_one(impl, seed, x, h):
    """second_derivative(f, x, h) = (f(x+h) - 2f(x) + f(x-h))/h² is within O(h²) + O(eps/h²) of f''(x)."""
    _check(impl, "second_derivative", seed, x, h)


@given(SEEDS, POINTS, st.sampled_from(sorted(METHODS)))
def test_default_step_reaches_the_optimal_accuracy(impl, seed, x, name):
    """With h left out, each method uses optimal_step(x, method) and is as accurate as the analysis allows.

    Forward/backward should be good to about sqrt(eps) ≈ 1e-8, central to eps^(2/3) ≈ 4e-11 and the
    second derivative to about sqrt(eps), relative to the size of f and its derivatives.
    """
    _check(impl, name, seed, x, None)


@given(st.sampled_from(sorted(STEP_POWER)), vectors(min_size=0, max_size=8, low=-1e6, high=1e6))
def test_optimal_step_balances_truncation_and_round_off(impl, method, x):
    """optimal_step(x, method) = eps^(1/2), eps^(1/3) or eps^(1/4) times max(1, |x|), elementwise."""
    expected = EPS ** STEP_POWER[method] * np.maximum(1.0, np.abs(x))
    assert_close(impl.optimal_step(x, method), expected, rtol=1e-12, what=f"optimal_step(x, {method!r})")
    assert_close(impl.optimal_step(2.5, method), EPS ** STEP_POWER[method] * 2.5, rtol=1e-12,
                 what=f"optimal_step(2.5, {method!r})")
    assert_raises_value_error(impl.optimal_step, x, "sideways", why="the method must be one of the four named")


@given(st.sampled_from(["forward_difference", "central_difference", "second_derivative"]),
       st.floats(0.5, 2.0))
def test_optimal_step_beats_steps_100_times_larger_or_smaller(impl, name, k):
    """On f(x) = exp(k x), the error at optimal_step is smaller than at 100·h* (truncation) and h*/100 (round-off).

    This is the error-vs-step trade-off: make h too large and the Taylor remainder dominates; too
    small and the subtraction f(x+h) - f(x) loses its digits. Median errors over 200 points in [0.5, 3].
    """
    method, order = METHODS[name]
    x = np.linspace(0.5, 3.0, 200)
    exact = k**order * np.exp(k * x)

    def f(t):
        return np.exp(k * t)

    best = np.asarray(impl.optimal_step(x, method))
    errors = {label: np.median(np.abs(np.asarray(getattr(impl, name)(f, x, float(s))) - exact) / exact)
              for label, s in (("h*", np.median(best)), ("100·h*", 100 * np.median(best)),
                               ("h*/100", np.median(best) / 100))}
    errors = {label: f"{value:.3g}" for label, value in errors.items()}
    expect(float(errors["h*"]) < float(errors["100·h*"]) and float(errors["h*"]) < float(errors["h*/100"]),
           f"{name}: median relative errors {errors}; the optimal step should give the smallest")


@given(finite_floats(-10, 10), finite_floats(-10, 10), finite_floats(-10, 10),
       vectors(min_size=1, max_size=8, low=-10, high=10), st.floats(0.01, 1.0))
def test_quadratics_expose_each_formula_exactly(impl, a, b, c, x, h):
    """For f = a x² + b x + c: forward gives f' + a·h, backward f' - a·h, central exactly f', second exactly 2a.

    The Taylor series of a quadratic stops at h², so the truncation error is known in closed form:
    this is the O(h) error of one-sided differences, and why the central one cancels it.
    """
    def f(t):
        return (a * t + b) * t + c

    fprime = 2 * a * x + b
    scale = np.abs(a) + np.abs(b) + np.abs(c)  # the rounding of the expected value itself
    delta = 16 * EPS * (scale + np.abs(a) * x**2 + np.abs(b * x) + np.abs(x * fprime))
    cases = [("forward_difference", fprime + a * h, 2 * delta / h),
             ("backward_difference", fprime - a * h, 2 * delta / h),
             ("central_difference", fprime, delta / h),
             ("second_derivative", np.full_like(x, 2 * a), 4 * delta / h**2)]
    for name, expected, allowed in cases:
        assert_within(getattr(impl, name)(f, x, h), expected, allowed, x,
                      f"{name}(f, x, h={h}) for f = {a!r} x² + {b!r} x + {c!r}")


@given(SEEDS)
def test_central_error_is_far_below_forward_error(impl, seed):
    """At h = 1e-4 the central difference is at least 10 times more accurate than the forward one.

    Error ~ (h²/6)|f'''| against (h/2)|f''|: one more order of h. Summed over 40 points in [0.5, 3].
    """
    fun = random_function(seed)
    x = np.linspace(0.5, 3.0, 40)
    exact = fun.d(1)(x)
    forward = np.abs(np.asarray(impl.forward_difference(fun.d(0), x, 1e-4)) - exact).sum()
    central = np.abs(np.asarray(impl.central_difference(fun.d(0), x, 1e-4)) - exact).sum()
    if forward > 1e-9:  # f'' = 0 everywhere (a line) leaves nothing to compare
        expect(central < forward / 10,
               f"for f(x) = {fun.expr}: total central error {central:.3g} is not far below the forward error "
               f"{forward:.3g}; are the formulas (f(x+h) - f(x-h)) / (2h) and (f(x+h) - f(x)) / h?")


@given(st.sampled_from([("forward_difference", 1), ("backward_difference", 1), ("central_difference", 2),
                        ("second_derivative", 2)]), st.floats(0.5, 2.0))
def test_halving_h_divides_the_error_by_2_to_the_order(impl, case, k):
    """Halving h halves the one-sided error (order 1) and quarters the central and second-derivative ones (order 2).

    Measured on f(x) = exp(k x) over 50 points in [0.5, 3] at h = 0.01 and 0.005: log2 of the error
    ratio must be within 0.1 of the order.
    """
    name, expected_order = case
    derivative_order = METHODS[name][1]
    x = np.linspace(0.5, 3.0, 50)
    exact = k**derivative_order * np.exp(k * x)

    def f(t):
        return np.exp(k * t)

    errors = [np.abs(np.asarray(getattr(impl, name)(f, x, h)) - exact).sum() for h in (0.01, 0.005)]
    assert_close(np.log2(errors[0] / errors[1]), float(expected_order), rtol=0.0, atol=0.1,
                 what=f"observed order of {name} (log2 of the error ratio when h is halved)")


def test_evaluates_f_on_whole_arrays(impl):
    """Each method calls f a few times on the whole array of points (vectorized), and keeps x's shape."""
    x = np.linspace(0.5, 3.0, 12).reshape(3, 4)
    for name, (_, order) in METHODS.items():
        calls = []

        def f(t, calls=calls):
            calls.append(np.shape(t))
            return np.sin(t)

        got = getattr(impl, name)(f, x, 1e-3)
        expected = np.cos(x) if order == 1 else -np.sin(x)
        assert_close(got, expected, rtol=1e-2, atol=1e-3, what=f"{name}(sin, x) on a 3x4 grid")
        expect(len(calls) <= 3, f"{name} called f {len(calls)} times for 12 points: pass it the whole array")


def test_scalar_in_scalar_out_and_empty_arrays(impl):
    """A scalar x gives a scalar (not a 1-element array); an empty array of points gives an empty result."""
    for name in METHODS:
        value = getattr(impl, name)(np.exp, 1.0, 1e-4)
        expect(np.ndim(value) == 0, f"{name}(exp, 1.0) should be a scalar, got {value!r}")
        assert_close(value, np.e, rtol=1e-3, what=f"{name}(exp, 1.0, 1e-4)")
        assert_close(getattr(impl, name)(np.exp, np.array([]), 1e-4), np.array([]), what=f"{name}(exp, [])")


def test_rejects_steps_that_are_not_positive(impl):
    """h = 0 divides by zero and h < 0 flips the formula: both raise ValueError."""
    for name in METHODS:
        for h in (0.0, -1e-3):
            assert_raises_value_error(getattr(impl, name), np.exp, np.array([1.0, 2.0]), h,
                                      why=f"{name} needs a step h > 0 (got {h})")
