"""Checks for `numerical-integration`, against scipy.integrate.quad, sympy and closed forms.

Random smooth integrands f(x) = p(x) + c·exp(kx) + s·sin(wx + φ) (p a cubic) on random intervals
inside [-3, 5]. The oracle is scipy.integrate.quad at a tolerance of 1e-13. The allowed error of each
rule is its textbook error bound, computed from the integrand's exact derivatives:

    left/right Riemann  (b-a)·h/2·max|f'|        midpoint  (b-a)·h²/24·max|f''|
    trapezoid           (b-a)·h²/12·max|f''|     Simpson   (b-a)·h⁴/180·max|f''''|

The maxima are taken over 2001 points of [a, b], with 5% to spare, plus 1e-10·(1 + (b-a)·max|f|)
for rounding. A rule with the wrong weights misses its bound by orders of magnitude.

While your functions run, scipy.integrate's integrators and numpy.trapezoid are switched off
(aieng.grader.guards.forbid): calling them raises "implement it yourself".
"""

from __future__ import annotations

import math

import numpy as np
import scipy.integrate
import sympy
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid_integrators
from aieng.grader.strategies import finite_floats, rngs

RULES = {  # name -> (call, derivative order in the error bound, bound constant c: error <= c·(b-a)·h^p·max|f^(p)|)
    "left": (lambda impl, f, a, b, n: impl.riemann_sum(f, a, b, n, "left"), 1, 1 / 2),
    "right": (lambda impl, f, a, b, n: impl.riemann_sum(f, a, b, n, "right"), 1, 1 / 2),
    "midpoint": (lambda impl, f, a, b, n: impl.riemann_sum(f, a, b, n, "midpoint"), 2, 1 / 24),
    "trapezoid": (lambda impl, f, a, b, n: impl.trapezoid(f, a, b, n), 2, 1 / 12),
    "simpson": (lambda impl, f, a, b, n: impl.simpson(f, a, b, n), 4, 1 / 180),
}



def run(impl, rule: str, f, a: float, b: float, n: int) -> float:
    with forbid_integrators(impl):
        return RULES[rule][0](impl, f, a, b, n)


class Smooth:
    """f(x) = p(x) + c·exp(kx) + s·sin(wx + φ), with exact derivatives of every order."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.p = np.round(rng.uniform(-2, 2, size=4), 2)  # cubic, highest power first
        self.c, self.k = round(rng.uniform(-2, 2), 2), round(rng.uniform(-1.5, 1.5), 2)
        self.s, self.w = round(rng.uniform(-2, 2), 2), round(rng.uniform(0.2, 3), 2)
        self.phi = round(rng.uniform(0, 6), 2)

    def derivative(self, m: int):
        poly = np.polyder(self.p, m) if m else self.p
        return lambda x: (np.polyval(poly, x) + self.c * self.k**m * np.exp(self.k * x)
                          + self.s * self.w**m * np.sin(self.w * x + self.phi + m * np.pi / 2))

    def __call__(self, x):
        return self.derivative(0)(x)

    def __repr__(self) -> str:
        p = " + ".join(f"{c}·x^{3 - i}" for i, c in enumerate(self.p))
        return f"f(x) = {p} + {self.c}·exp({self.k}x) + {self.s}·sin({self.w}x + {self.phi})"


INTERVALS = st.tuples(st.floats(-3, 2), st.floats(0.1, 3)).map(lambda t: (t[0], t[0] + t[1]))


def _allowed(f: Smooth, rule: str, a: float, b: float, n: int) -> float:
    _, order, constant = RULES[rule]
    grid = np.linspace(a, b, 2001)
    bound = constant * (b - a) * ((b - a) / n) ** order * np.abs(f.derivative(order)(grid)).max()
    return 1.05 * bound + 1e-10 * (1 + (b - a) * np.abs(f(grid)).max())


@given(st.sampled_from(sorted(RULES)), rngs().map(Smooth), INTERVALS, st.sampled_from([4, 8, 16, 64]))
def test_rules_match_quad_within_their_error_bounds(impl, rule, f, interval, n):
    """Each rule lands within its error bound c·(b-a)·h^p·max|f^(p)| of scipy.integrate.quad.

    Left and right sums: c = 1/2, p = 1. Midpoint: 1/24, p = 2. Trapezoid: 1/12, p = 2. Simpson:
    1/180, p = 4.
    """
    a, b = interval
    expected = scipy.integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
    got = run(impl, rule, f, a, b, n)
    assert_close(got, expected, rtol=0.0, atol=_allowed(f, rule, a, b, n),
                 what=f"{rule} rule with n = {n} on [{a!r}, {b!r}] for {f}")


@given(finite_floats(-5, 5), finite_floats(-5, 5), finite_floats(-5, 5), INTERVALS, st.integers(1, 20))
def test_errors_on_lines_and_parabolas_are_exactly_predicted(impl, alpha, beta, gamma, interval, half_n):
    """On lines and parabolas the error terms are exact.

    For f = αx + β, left = I - α(b-a)h/2, right = I + α(b-a)h/2, and midpoint = trapezoid = I.
    For f = γx², trapezoid = I + γ(b-a)h²/6, midpoint = I - γ(b-a)h²/12, and Simpson = I.
    """
    a, b = interval
    n = 2 * half_n
    h = (b - a) / n
    line_integral = alpha * (b**2 - a**2) / 2 + beta * (b - a)
    parabola_integral = gamma * (b**3 - a**3) / 3
    scale = 1e-11 * (1 + abs(alpha) + abs(beta) + abs(gamma)) * 25

    def line(x):
        return alpha * x + beta

    def parabola(x):
        return gamma * x**2

    cases = [("left", line, line_integral - alpha * (b - a) * h / 2),
             ("right", line, line_integral + alpha * (b - a) * h / 2),
             ("midpoint", line, line_integral), ("trapezoid", line, line_integral),
             ("trapezoid", parabola, parabola_integral + gamma * (b - a) * h**2 / 6),
             ("midpoint", parabola, parabola_integral - gamma * (b - a) * h**2 / 12),
             ("simpson", parabola, parabola_integral)]
    for rule, f, expected in cases:
        kind = f"{alpha!r}x + {beta!r}" if f is line else f"{gamma!r}x²"
        assert_close(run(impl, rule, f, a, b, n), expected, rtol=1e-10, atol=scale,
                     what=f"{rule} rule for f(x) = {kind} on [{a!r}, {b!r}] with n = {n}")


X = sympy.Symbol("x")


@given(st.lists(st.integers(-9, 9), min_size=4, max_size=4), st.integers(-4, 4), st.integers(1, 4),
       st.integers(1, 5))
def test_simpson_is_exact_for_cubics(impl, coefficients, left, width, half_n):
    """Simpson's rule integrates every cubic exactly, for any even n (the exact value from sympy's integral)."""
    cubic = sympy.Poly(list(reversed(coefficients)), X)  # coefficients[k] multiplies x^k
    antiderivative = cubic.integrate()
    exact = float(antiderivative.eval(left + width) - antiderivative.eval(left))

    def f(x):
        return np.polynomial.polynomial.polyval(x, coefficients)

    got = run(impl, "simpson", f, float(left), float(left + width), 2 * half_n)
    assert_close(got, exact, rtol=1e-12, atol=1e-11,
                 what=f"simpson(f, {left}, {left + width}, n={2 * half_n}) for f(x) = {cubic.as_expr()}")


@given(st.sampled_from([("left", 1), ("right", 1), ("midpoint", 2), ("trapezoid", 2), ("simpson", 4)]),
       st.floats(0.5, 2.0), st.floats(-1.0, 1.0), st.floats(0.5, 2.0))
def test_halving_h_divides_the_error_by_2_to_the_order(impl, case, k, a, width):
    """Doubling n divides the error by 2 (Riemann), 4 (midpoint, trapezoid) or 16 (Simpson).

    Measured on exp(kx) with n = 32 and 64 against the exact (e^(kb) - e^(ka))/k: log2 of the
    error ratio must be within 0.15 of the order.
    """
    rule, order = case
    b = a + width
    exact = (math.exp(k * b) - math.exp(k * a)) / k

    def f(x):
        return np.exp(k * x)

    errors = [abs(run(impl, rule, f, a, b, n) - exact) for n in (32, 64)]
    expect(errors[1] > 0, f"{rule}: the error at n = 64 is exactly 0, which no rule achieves on exp(kx)")
    assert_close(math.log2(errors[0] / errors[1]), float(order), rtol=0.0, atol=0.15,
                 what=f"observed order of the {rule} rule (log2 of error(n=32) / error(n=64))")


def test_reversed_and_empty_intervals(impl):
    """Swapping a and b flips the sign (and swaps left with right), and an interval of zero width integrates to 0.

    Going from b down to a, the "left" end of each sub-interval is the one nearer b, so the left sum
    from 1 to 0 is minus the right sum from 0 to 1.
    """
    mirror = {"left": "right", "right": "left"}
    for rule in RULES:
        forward = run(impl, mirror.get(rule, rule), np.exp, 0.0, 1.0, 8)
        assert_close(run(impl, rule, np.exp, 1.0, 0.0, 8), -forward, rtol=1e-12, what=f"{rule} rule from 1 to 0")
        assert_close(run(impl, rule, np.exp, 2.0, 2.0, 8), 0.0, what=f"{rule} rule from 2 to 2")


def test_calls_f_on_arrays_and_accepts_constants(impl):
    """f is called on whole arrays of nodes (not once per node), and a constant f = 2.0 integrates to 2(b-a)."""
    for rule in RULES:
        calls = []

        def f(x, calls=calls):
            calls.append(np.shape(x))
            return np.cos(x)

        run(impl, rule, f, 0.0, 1.0, 100)
        expect(len(calls) <= 3, f"the {rule} rule called f {len(calls)} times for n = 100: pass it an array of nodes")
        assert_close(run(impl, rule, lambda x: 2.0, 1.0, 4.0, 10), 6.0, rtol=1e-12,
                     what=f"{rule} rule for the constant f = 2 on [1, 4]")


def test_rejects_bad_input(impl):
    """Odd n for Simpson, n < 1 or not an integer, an unknown Riemann rule and infinite limits raise ValueError."""
    assert_raises_value_error(impl.simpson, np.exp, 0.0, 1.0, 5, why="Simpson's rule pairs sub-intervals, so n is even")
    for name in ("trapezoid", "simpson"):
        assert_raises_value_error(getattr(impl, name), np.exp, 0.0, 1.0, 0, why="n must be at least 1")
        assert_raises_value_error(getattr(impl, name), np.exp, 0.0, 1.0, -4, why="n must be at least 1")
        assert_raises_value_error(getattr(impl, name), np.exp, 0.0, 1.0, 2.5, why="n counts sub-intervals: an integer")
        assert_raises_value_error(getattr(impl, name), np.exp, 0.0, np.inf, 4, why="the limits must be finite")
    assert_raises_value_error(impl.riemann_sum, np.exp, 0.0, 1.0, 0, "left", why="n must be at least 1")
    assert_raises_value_error(impl.riemann_sum, np.exp, 0.0, 1.0, 4, "upper", why="rule is left, right or midpoint")
    assert_raises_value_error(impl.riemann_sum, np.exp, -np.inf, 1.0, 4, "left", why="the limits must be finite")
