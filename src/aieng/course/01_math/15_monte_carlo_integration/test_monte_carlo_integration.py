"""Checks for `monte-carlo-integration`, against scipy.integrate.dblquad / quad and closed forms.

Double integrals: random smooth f(x, y) = c·exp(k x + l y) + s·sin(u x + v y + φ) + q·x·y² on random
rectangles, against scipy.integrate.dblquad at a tolerance of 1e-12. Each rule must land within its
error bound. For Simpson the bound is area/180·(hx⁴·max|f_xxxx| + hy⁴·max|f_yyyy|), for the
trapezoid rule area/12·(hx²·max|f_xx| + hy²·max|f_yy|). The maxima come from exact derivatives on
a 201 × 201 grid, with 5% to spare, plus 1e-10 for rounding. Simpson must be exact on bicubic
polynomials and the trapezoid rule on bilinear ones (closed forms).

Monte Carlo is random, so its check is statistical. By the central limit theorem the estimate is
approximately normal around the true integral, with standard deviation equal to its standard error
(SE). A correct estimate lands more than 4 SE away with probability 2·(1 - Φ(4)) ≈ 6.3e-5. That is
the chance that a correct solution fails one check; over the 40 random cases below, about 1 in 400.
Your own SE is used, so it is also checked on its own: it must match V·σ/√N, with σ computed by
dblquad, to within 5%. With N = 20 000 samples a correct sample standard deviation is off by about
1%. Equal seeds must give equal answers.

While your functions run, scipy.integrate's integrators and numpy.trapezoid are switched off
(aieng.grader.guards.forbid): calling them raises "implement it yourself".
"""

from __future__ import annotations

import numpy as np
import scipy.integrate
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid_integrators
from aieng.grader.strategies import rngs
from aieng.grader.tolerances import assert_within_standard_errors

N_SAMPLES = 20_000
SIGMAS = 4.0



def call(impl, name: str, *args, **kwargs):
    with forbid_integrators(impl):
        return getattr(impl, name)(*args, **kwargs)


class Smooth2D:
    """f(x, y) = c·exp(kx + ly) + s·sin(ux + vy + φ) + q·x·y², with exact partial derivatives."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.c, self.k, self.l = np.round(rng.uniform([-2, -1, -1], [2, 1, 1]), 2)
        self.s, self.u, self.v, self.phi = np.round(rng.uniform([-2, -2, -2, 0], [2, 2, 2, 6]), 2)
        self.q = round(rng.uniform(-1, 1), 2)

    def __call__(self, x, y):
        return (self.c * np.exp(self.k * x + self.l * y) + self.s * np.sin(self.u * x + self.v * y + self.phi)
                + self.q * x * y**2)

    def along(self, axis: str, m: int):
        """∂^m f / ∂x^m (axis "x") or ∂^m f / ∂y^m (axis "y"), for m = 2 or 4."""
        a, b = (self.k, self.u) if axis == "x" else (self.l, self.v)

        def derivative(x, y):
            extra = 2 * self.q * x if (axis == "y" and m == 2) else 0.0
            return (self.c * a**m * np.exp(self.k * x + self.l * y)
                    + self.s * b**m * np.sin(self.u * x + self.v * y + self.phi + m * np.pi / 2) + extra)

        return derivative

    def __repr__(self) -> str:
        return (f"f(x, y) = {self.c}·exp({self.k}x + {self.l}y) + {self.s}·sin({self.u}x + {self.v}y + {self.phi})"
                f" + {self.q}·x·y²")


RECTANGLES = st.tuples(st.floats(-2, 1), st.floats(0.2, 2), st.floats(-2, 1), st.floats(0.2, 2)).map(
    lambda t: (t[0], t[0] + t[1], t[2], t[2] + t[3]))


def dblquad(f, ax, bx, ay, by) -> float:
    """∫∫ f over the rectangle by scipy (note dblquad's integrand takes (y, x): inner variable first)."""
    return scipy.integrate.dblquad(lambda y, x: f(x, y), ax, bx, ay, by, epsabs=1e-12, epsrel=1e-12)[0]


@given(rngs().map(Smooth2D), RECTANGLES, st.sampled_from(["simpson", "trapezoid"]), st.sampled_from([8, 16, 32]),
       st.sampled_from([8, 16, 32]))
def test_double_integral_matches_dblquad_within_its_error_bound(impl, f, rectangle, rule, nx, ny):
    """double_integral agrees with scipy.integrate.dblquad within its error bound: O(h⁴) Simpson, O(h²) trapezoid.

    The bound is area/180·(hx⁴·max|f_xxxx| + hy⁴·max|f_yyyy|) for Simpson, area/12·(hx²·max|f_xx| + hy²·max|f_yy|)
    for the trapezoid rule.
    """
    ax, bx, ay, by = rectangle
    expected = dblquad(f, *rectangle)
    hx, hy = (bx - ax) / nx, (by - ay) / ny
    gx, gy = np.meshgrid(np.linspace(ax, bx, 201), np.linspace(ay, by, 201), indexing="ij")
    area = (bx - ax) * (by - ay)
    order, constant = (4, 1 / 180) if rule == "simpson" else (2, 1 / 12)
    bound = constant * area * (hx**order * np.abs(f.along("x", order)(gx, gy)).max()
                               + hy**order * np.abs(f.along("y", order)(gx, gy)).max())
    allowed = 1.05 * bound + 1e-10 * (1 + area * np.abs(f(gx, gy)).max())
    got = call(impl, "double_integral", f, ax, bx, ay, by, nx, ny, rule)
    assert_close(got, expected, rtol=0.0, atol=allowed,
                 what=f"double_integral({rule}, nx={nx}, ny={ny}) over [{ax!r}, {bx!r}] × [{ay!r}, {by!r}] for {f}")


@given(rngs(), RECTANGLES, st.integers(1, 6), st.integers(1, 6))
def test_exact_on_polynomials(impl, rng, rectangle, half_nx, half_ny):
    """Simpson is exact for bicubic polynomials Σ c_ij xⁱ yʲ (i, j ≤ 3), the trapezoid rule for bilinear ones."""
    ax, bx, ay, by = rectangle
    for rule, degree in (("simpson", 3), ("trapezoid", 1)):
        c = np.round(rng.uniform(-3, 3, size=(degree + 1, degree + 1)), 2)
        powers = np.arange(degree + 1)
        moments_x = (bx ** (powers + 1) - ax ** (powers + 1)) / (powers + 1)  # ∫ xⁱ dx
        moments_y = (by ** (powers + 1) - ay ** (powers + 1)) / (powers + 1)
        exact = moments_x @ c @ moments_y

        def poly(x, y, c=c, degree=degree):
            return sum(c[i, j] * x**i * y**j for i in range(degree + 1) for j in range(degree + 1))

        got = call(impl, "double_integral", poly, ax, bx, ay, by, 2 * half_nx, 2 * half_ny, rule)
        assert_close(got, exact, rtol=1e-10, atol=1e-10 * (1 + np.abs(c).sum() * 27),
                     what=f"{rule} rule on a degree-{degree} polynomial in x and y")


def test_double_integral_evaluates_a_meshgrid_once(impl):
    """f(X, Y) is called on whole 2-D grids of nodes (not point by point), and a constant f = 2 gives 2 × area."""
    shapes = []

    def f(x, y):
        shapes.append(np.shape(x))
        return np.cos(x) * np.exp(y)

    got = call(impl, "double_integral", f, 0.0, 1.0, 0.0, 2.0, 10, 12)
    assert_close(got, np.sin(1.0) * (np.exp(2.0) - 1.0), rtol=1e-5, what="∫∫ cos(x) e^y over [0, 1] × [0, 2]")
    expect(len(shapes) <= 2, f"f was called {len(shapes)} times for an 11 × 13 grid: pass it np.meshgrid arrays")
    assert_close(call(impl, "double_integral", lambda x, y: 2.0, 0.0, 3.0, 1.0, 2.0, 4, 4), 6.0, rtol=1e-12,
                 what="double integral of the constant 2 over [0, 3] × [1, 2]")


def test_double_integral_rejects_bad_input(impl):
    """Odd nx or ny with Simpson, a grid count below 1, an unknown rule or infinite limits raise ValueError."""
    def f(x, y):
        return x * y

    assert_raises_value_error(impl.double_integral, f, 0, 1, 0, 1, 5, 4, "simpson", why="Simpson needs even nx")
    assert_raises_value_error(impl.double_integral, f, 0, 1, 0, 1, 4, 3, "simpson", why="Simpson needs even ny")
    assert_raises_value_error(impl.double_integral, f, 0, 1, 0, 1, 0, 4, "trapezoid", why="nx must be at least 1")
    assert_raises_value_error(impl.double_integral, f, 0, 1, 0, 1, 4, 4, "gauss", why="rule is simpson or trapezoid")
    assert_raises_value_error(impl.double_integral, f, 0, np.inf, 0, 1, 4, 4, why="the limits must be finite")


def _within_sigmas(got, standard_error, expected, what: str) -> None:
    expect(np.ndim(got) == 0 and np.ndim(standard_error) == 0,
           f"{what}: monte_carlo should return two numbers (estimate, standard error), got {got!r}, {standard_error!r}")
    expect(standard_error > 0, f"{what}: the standard error must be positive, got {standard_error!r}")
    assert_within_standard_errors(got, expected, standard_error, what, sigmas=SIGMAS,
                                  note="allowed: {sigmas:g} of your standard errors, {se:.3g} each")


@settings(max_examples=15)
@given(rngs().map(Smooth2D), RECTANGLES, st.integers(0, 2**32 - 1))
def test_monte_carlo_2d_is_within_4_standard_errors_of_dblquad(impl, f, rectangle, seed):
    """In 2-D, the Monte Carlo estimate is within 4 of its standard errors of dblquad's value (false alarm: 6e-5)."""
    ax, bx, ay, by = rectangle
    expected = dblquad(f, *rectangle)
    got, error = call(impl, "monte_carlo", lambda p: f(p[:, 0], p[:, 1]), [ax, ay], [bx, by], N_SAMPLES, seed)
    _within_sigmas(got, error, expected, f"monte_carlo estimate for {f} over [{ax!r}, {bx!r}] × [{ay!r}, {by!r}]")


@settings(max_examples=15)
@given(st.integers(1, 6), rngs(), st.integers(0, 2**32 - 1))
def test_monte_carlo_in_d_dimensions(impl, d, rng, seed):
    """In d = 1..6 dimensions, f(x) = Σ_i g_i(x_i) is estimated within 4 standard errors of the exact value (1-D quads).

    ∫_box Σ_i g_i(x_i) dx = Σ_i (∫ g_i) · (volume / width_i): the sum of 1-D integrals from scipy.integrate.quad.
    """
    lower = np.round(rng.uniform(-1, 0.5, size=d), 2)
    upper = lower + np.round(rng.uniform(0.3, 1.5, size=d), 2)
    w, phi = np.round(rng.uniform(0.5, 3, size=d), 2), np.round(rng.uniform(0, 6, size=d), 2)
    volume = np.prod(upper - lower)
    expected = sum(scipy.integrate.quad(lambda t, i=i: np.sin(w[i] * t + phi[i]) + t**2, lower[i], upper[i])[0]
                   * volume / (upper[i] - lower[i]) for i in range(d))

    def f(points):
        return (np.sin(w * points + phi) + points**2).sum(axis=1)

    got, error = call(impl, "monte_carlo", f, lower, upper, N_SAMPLES, seed)
    _within_sigmas(got, error, expected, f"monte_carlo estimate of Σ sin(w_i x_i + φ_i) + x_i² in {d} dimensions")


@settings(max_examples=10)
@given(rngs().map(Smooth2D), RECTANGLES, st.integers(0, 2**32 - 1))
def test_standard_error_is_sigma_over_root_n(impl, f, rectangle, seed):
    """The standard error is V·σ/√N within 5% (σ² = mean of f² - (mean of f)², by dblquad), and shrinks like 1/√N.

    Four times as many samples must halve the standard error (ratio 0.5 ± 0.04).
    """
    ax, bx, ay, by = rectangle
    volume = (bx - ax) * (by - ay)
    mean = dblquad(f, *rectangle) / volume
    sigma = np.sqrt(max(dblquad(lambda x, y: f(x, y) ** 2, *rectangle) / volume - mean**2, 0.0))
    if sigma < 1e-3:
        return  # an almost constant f has no spread to measure

    def g(p):
        return f(p[:, 0], p[:, 1])

    _, small = call(impl, "monte_carlo", g, [ax, ay], [bx, by], N_SAMPLES, seed)
    _, large = call(impl, "monte_carlo", g, [ax, ay], [bx, by], 4 * N_SAMPLES, seed)
    assert_close(small, volume * sigma / np.sqrt(N_SAMPLES), rtol=0.05,
                 what=f"standard error with N = {N_SAMPLES} for {f} (expected V·σ/√N)")
    assert_close(large / small, 0.5, rtol=0.0, atol=0.04, what="standard error(4N) / standard error(N)")


def test_same_seed_same_answer(impl):
    """The same seed (an int, or a fresh Generator with that seed) reproduces the estimate; another seed changes it."""
    def f(p):
        return np.exp(-np.sum(p**2, axis=1))

    first = call(impl, "monte_carlo", f, [0, 0, 0], [1, 1, 1], 5000, 42)
    again = call(impl, "monte_carlo", f, [0, 0, 0], [1, 1, 1], 5000, 42)
    other = call(impl, "monte_carlo", f, [0, 0, 0], [1, 1, 1], 5000, 43)
    expect(tuple(first) == tuple(again), f"seed 42 gave {first} and then {again}: use np.random.default_rng(seed)")
    expect(tuple(first) != tuple(other), f"seeds 42 and 43 gave the same answer {first}: is the seed used?")
    with_generators = [call(impl, "monte_carlo", f, [0, 0, 0], [1, 1, 1], 5000, np.random.default_rng(7))
                       for _ in range(2)]
    expect(tuple(with_generators[0]) == tuple(with_generators[1]),
           "two Generators seeded with 7 gave different answers: np.random.default_rng(seed) accepts a Generator too")
    pi_runs = [call(impl, "estimate_pi", 10_000, 3) for _ in range(2)]
    expect(tuple(pi_runs[0]) == tuple(pi_runs[1]), f"estimate_pi with seed 3 gave {pi_runs[0]} and then {pi_runs[1]}")


def test_monte_carlo_passes_all_points_at_once(impl):
    """f receives one (N, d) array of points inside the box (vectorized), not N separate points."""
    shapes, inside = [], []

    def f(points):
        shapes.append(np.shape(points))
        inside.append(bool(np.all((points >= [1.0, -2.0, 0.0]) & (points <= [2.0, 0.0, 0.5]))))
        return points[:, 0] * 0 + 1.0

    got, error = call(impl, "monte_carlo", f, [1.0, -2.0, 0.0], [2.0, 0.0, 0.5], 1000, 0)
    expect(shapes == [(1000, 3)], f"f should be called once with shape (1000, 3), got calls with shapes {shapes}")
    expect(all(inside), "some points fell outside the box [1, 2] × [-2, 0] × [0, 0.5]")
    assert_close(got, 1.0, rtol=1e-12, what="Monte Carlo estimate of the volume of a box of volume 1 (f = 1)")
    assert_close(error, 0.0, atol=1e-12, what="standard error for a constant f (no spread at all)")


def test_monte_carlo_rejects_bad_input(impl):
    """Bounds of different lengths, upper <= lower, 2-D bounds or fewer than 2 samples raise ValueError."""
    def f(p):
        return p.sum(axis=1)

    assert_raises_value_error(impl.monte_carlo, f, [0, 0], [1, 1, 1], 100, 0, why="the bounds need the same length")
    assert_raises_value_error(impl.monte_carlo, f, [0, 1], [1, 1], 100, 0, why="each upper bound must exceed its lower")
    assert_raises_value_error(impl.monte_carlo, f, [[0, 0]], [[1, 1]], 100, 0, why="the bounds must be 1-D")
    assert_raises_value_error(impl.monte_carlo, f, [0, 0], [1, 1], 1, 0, why="one sample has no standard error")


@settings(max_examples=10)
@given(st.integers(0, 2**32 - 1))
def test_estimate_pi(impl, seed):
    """estimate_pi is within 4 standard errors of π, and its standard error is 4·√(p(1-p)/N), p = π/4 (within 3%)."""
    n = 100_000
    got, error = call(impl, "estimate_pi", n, seed)
    _within_sigmas(got, error, np.pi, f"estimate_pi({n}, seed={seed})")
    p = np.pi / 4
    assert_close(error, 4 * np.sqrt(p * (1 - p) / n), rtol=0.03, what="standard error of estimate_pi")
