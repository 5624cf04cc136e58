"""Checks for `chain-rule`, against sympy.diff and the closed-form rules of calculus.

The main oracle: random expressions (for example ``(sin((x * 1.5)) + log(1 + ((x - 0.3)) ** 2))``)
are built twice from one recipe, once with sympy's symbol and functions, once with your `Dual` and
your functions. `sympy.diff` differentiates the first
symbolically; your dual numbers must reproduce that derivative at random points x in [0.2, 2].

Tolerance: dual numbers compute the exact derivative with ordinary float arithmetic, so the only
error is rounding, a few units of eps (2.2e-16) per operation. Rounding can be amplified where terms
cancel, so the check allows a relative error of 1e-9 plus 1e-9 times the size of the values involved:
about a million times the rounding error, and a million times smaller than the error of the best
central difference (about 1e-10 with h ≈ 6e-6, for functions of order one). A separate check demands
1e-13 on a simple function, which only exact derivatives meet.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.strategies import finite_floats
from aieng.grader.symbolic import numpy_function

X = sympy.Symbol("x")
FUNCTIONS = ("sin", "cos", "exp", "log", "sqrt", "tanh")
POINTS = st.floats(0.2, 2.0)



class Expr:
    """A random expression: its text (shown in messages) and how to build it from x and a namespace.

    The same Expr is built once with sympy's symbol and functions, once with your Dual and functions.
    """

    def __init__(self, text: str, build) -> None:
        self.text, self.build = text, build

    def __repr__(self) -> str:
        return self.text

    def __call__(self, x, ns: dict):
        return self.build(x, ns)


def _unary(template: str, build):
    return lambda a: Expr(template.format(a=a), lambda x, ns: build(a(x, ns), x, ns))


def _binary(template: str, build):
    return lambda ab: Expr(template.format(a=ab[0], b=ab[1]), lambda x, ns: build(ab[0](x, ns), ab[1](x, ns), x))


def _power(template: str, build):
    return lambda an: Expr(template.format(a=an[0], n=an[1]), lambda x, ns: build(an[0](x, ns), an[1], x))


def _call(name: str):
    return lambda a: Expr(f"{name}({a})", lambda x, ns: ns[name](a(x, ns)))


LEAVES = st.one_of(
    st.just(Expr("x", lambda x, ns: x)),
    st.just(Expr("sqrt(x)", lambda x, ns: ns["sqrt"](x))),
    st.just(Expr("log(x)", lambda x, ns: ns["log"](x))),
    st.integers(-30, 30).map(lambda k: Expr(f"{k / 10}" if k >= 0 else f"({k / 10})", lambda x, ns: k / 10)),
)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    two = st.tuples(children, children)
    return st.one_of(
        two.map(_binary("({a} + {b})", lambda a, b, x: a + b)),
        two.map(_binary("({a} - {b})", lambda a, b, x: a - b)),
        two.map(_binary("({a} * {b})", lambda a, b, x: a * b)),
        two.map(_binary("({a} / (1 + ({b}) ** 2))", lambda a, b, x: a / (1 + b**2))),  # never divides by 0
        children.map(_unary("(2.5 / (x + {a} * {a}))", lambda a, x, ns: 2.5 / (x + a * a))),  # number / Dual
        st.sampled_from(["sin", "cos", "tanh", "exp"]).flatmap(lambda name: children.map(_call(name))),
        children.map(_unary("log(1 + ({a}) ** 2)", lambda a, x, ns: ns["log"](1 + a**2))),
        children.map(_unary("sqrt(0.5 + {a} * {a})", lambda a, x, ns: ns["sqrt"](0.5 + a * a))),
        children.map(_unary("(-{a})", lambda a, x, ns: -a)),
        st.tuples(children, st.sampled_from([2, 3, -1])).map(
            _power("(1.5 + ({a}) ** 2) ** {n}", lambda a, n, x: (1.5 + a**2) ** n)),
        st.tuples(children, st.sampled_from([2, 3])).map(_power("({a}) ** {n}", lambda a, n, x: a**n)),
        st.tuples(children, st.sampled_from([0.5, 1.5, -0.5])).map(
            _power("(x + ({a}) ** 2) ** {n}", lambda a, n, x: (x + a**2) ** n)),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=6)


def _namespace(module) -> dict:
    return {name: getattr(module, name) for name in FUNCTIONS}


_EXACT: dict[str, tuple[sympy.Expr, sympy.Expr]] = {}


def exact(e: Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """The sympy expression for `e` and its derivative (cached: hypothesis repeats inputs)."""
    if e.text not in _EXACT:
        expr = sympy.sympify(e(X, _namespace(sympy)))
        _EXACT[e.text] = (expr, sympy.diff(expr, X))
    return _EXACT[e.text]


def _at(expr: sympy.Expr, x: float) -> float:
    value = complex(expr.evalf(subs={X: x}))
    return value.real if abs(value.imag) < 1e-12 else math.nan


# Each example costs sympy about 10 ms (build, diff, two evalf), most of this file's time. 20 random
# expressions of up to 6 leaves mix every operation and function; each rule and function on its own
# gets 40 examples in the checks below, so a wrong rule fails there whatever expressions come up here.
@settings(max_examples=20)
@given(EXPRESSIONS, POINTS)
def test_random_compositions_match_sympy(impl, e, x):
    """f(Dual(x, 1)) carries the value f(x) and the exact derivative f'(x) from sympy.diff, for random f.

    The expressions mix +, -, *, /, ** with sin, cos, tanh, exp, log and sqrt. If this fails on a
    nested expression but the single-function checks pass, look at how you combine the inner
    derivative (the chain rule multiplies by u').
    """
    expr, dexpr = exact(e)
    value, slope = _at(expr, x), _at(dexpr, x)
    assume(math.isfinite(value) and math.isfinite(slope) and abs(value) < 1e8 and abs(slope) < 1e8)
    ns = _namespace(impl)
    result = e(impl.Dual(x, 1.0), ns)
    scale = 1e-9 * (1 + abs(value) + abs(slope))
    if isinstance(result, impl.Dual):
        assert_close(result.value, value, rtol=1e-9, atol=scale, what=f"value of {e} at x = {x!r}")
        assert_close(result.deriv, slope, rtol=1e-9, atol=scale, what=f"derivative of {e} at x = {x!r}")
    else:  # no x in the expression: a constant
        assert_close(result, value, rtol=1e-9, atol=scale, what=f"{e} (a constant)")
    assert_close(impl.derivative(lambda t: e(t, ns), x), slope, rtol=1e-9, atol=scale,
                 what=f"derivative(f, {x!r}) for f(x) = {e}")


DUALS = st.tuples(finite_floats(-10, 10), finite_floats(-10, 10))
NONZERO = st.tuples(finite_floats(-10, 10).filter(lambda v: abs(v) > 0.1), finite_floats(-10, 10))


@given(DUALS, NONZERO)
def test_sum_difference_product_and_quotient_rules(impl, u, v):
    """Dual arithmetic applies (u+v)' = u'+v', (u-v)' = u'-v', (uv)' = u'v + uv' and (u/v)' = (u'v - uv')/v²."""
    (a, da), (b, db) = u, v
    p, q = impl.Dual(a, da), impl.Dual(b, db)
    cases = {
        "u + v": (p + q, a + b, da + db),
        "u - v": (p - q, a - b, da - db),
        "u * v": (p * q, a * b, da * b + a * db),
        "u / v": (p / q, a / b, (da * b - a * db) / b**2),
        "-u": (-p, -a, -da),
    }
    for name, (got, value, slope) in cases.items():
        expect(isinstance(got, impl.Dual), f"{name} should be a Dual, got {got!r}")
        assert_close(got.value, value, rtol=1e-12, atol=1e-12, what=f"value of {name} for u = {p!r}, v = {q!r}")
        assert_close(got.deriv, slope, rtol=1e-10, atol=1e-10, what=f"derivative of {name} for u = {p!r}, v = {q!r}")


@given(NONZERO, finite_floats(-10, 10).filter(lambda c: abs(c) > 0.1))
def test_plain_numbers_are_constants_on_either_side(impl, u, c):
    """A plain number c acts as a constant (derivative 0) on either side: c + u, u - c, c - u, c * u, u / c, c / u."""
    a, da = u
    p = impl.Dual(a, da)
    cases = {
        "c + u": (c + p, c + a, da), "u + c": (p + c, a + c, da),
        "u - c": (p - c, a - c, da), "c - u": (c - p, c - a, -da),
        "c * u": (c * p, c * a, c * da), "u * c": (p * c, a * c, c * da),
        "u / c": (p / c, a / c, da / c), "c / u": (c / p, c / a, -c * da / a**2),
    }
    for name, (got, value, slope) in cases.items():
        expect(isinstance(got, impl.Dual), f"{name} with c = {c!r} should be a Dual, got {got!r}")
        assert_close(got.value, value, rtol=1e-12, atol=1e-12, what=f"value of {name}, u = {p!r}, c = {c!r}")
        assert_close(got.deriv, slope, rtol=1e-10, atol=1e-10, what=f"derivative of {name}, u = {p!r}, c = {c!r}")


@given(st.floats(0.1, 5.0), finite_floats(-5, 5), st.sampled_from([2, 3, -1, -2, 0.5, 1.5, -0.5, 0]))
def test_power_rule_for_numeric_exponents(impl, a, da, n):
    """u ** n has value a^n and derivative n·a^(n-1)·u' for integer and fractional n (and u ** 0 = 1, derivative 0)."""
    got = impl.Dual(a, da) ** n
    expect(isinstance(got, impl.Dual), f"Dual({a!r}, {da!r}) ** {n} should be a Dual, got {got!r}")
    slope = 0.0 if n == 0 else n * a ** (n - 1) * da
    assert_close(got.value, a**n, rtol=1e-12, what=f"value of Dual({a!r}, {da!r}) ** {n}")
    assert_close(got.deriv, slope, rtol=1e-10, atol=1e-12, what=f"derivative of Dual({a!r}, {da!r}) ** {n}")


@functools.cache
def _sympy_function(name: str):
    """g and its derivative from sympy.diff, as one numpy function returning [g(a), g'(a)]."""
    g = getattr(sympy, name)(X)
    return numpy_function(X, [g, sympy.diff(g, X)])


@given(st.sampled_from(FUNCTIONS), st.floats(0.05, 4.0), finite_floats(-5, 5))
def test_each_function_applies_the_chain_rule(impl, name, a, da):
    """g(Dual(a, u')) = Dual(g(a), g'(a)·u') for sin, cos, exp, log, sqrt and tanh, with g' from sympy.diff.

    The inner derivative u' is random, not 1: the chain rule multiplies the outer derivative by it.
    """
    g, dg = _sympy_function(name)(a)
    got = getattr(impl, name)(impl.Dual(a, da))
    expect(isinstance(got, impl.Dual), f"{name}(Dual({a!r}, {da!r})) should be a Dual, got {got!r}")
    assert_close(got.value, g, rtol=1e-12, what=f"value of {name}(Dual({a!r}, {da!r}))")
    assert_close(got.deriv, dg * da, rtol=1e-10, atol=1e-12, what=f"derivative of {name}(Dual({a!r}, {da!r}))")


def test_functions_accept_plain_numbers(impl):
    """sin, cos, exp, log, sqrt and tanh also work on plain numbers and then return plain numbers."""
    for name in FUNCTIONS:
        got = getattr(impl, name)(0.7)
        expect(not isinstance(got, impl.Dual), f"{name}(0.7) should be a plain number, got {got!r}")
        assert_close(got, getattr(math, name)(0.7), rtol=1e-14, what=f"{name}(0.7)")


def test_derivative_seeds_a_dual_and_is_exact(impl):
    """derivative(f, x) calls f once on Dual(x, 1) and is exact to rounding (1e-13), unlike a finite difference."""
    seen = []

    def f(t):
        seen.append(t)
        return impl.exp(impl.sin(t)) * t

    got = impl.derivative(f, 0.7)
    expect(len(seen) == 1 and isinstance(seen[0], impl.Dual),
           f"derivative should call f once with a Dual, but f received {seen!r}")
    expect(float(seen[0].value) == 0.7 and float(seen[0].deriv) == 1.0,
           f"derivative should call f with Dual(0.7, 1.0) (dx/dx = 1), got {seen[0]!r}")
    expected = math.exp(math.sin(0.7)) * (math.cos(0.7) * 0.7 + 1.0)
    assert_close(got, expected, rtol=1e-13, atol=0.0, what="derivative of exp(sin(x))·x at 0.7")
    expect(np.ndim(got) == 0 and not isinstance(got, impl.Dual), f"derivative should return a number, got {got!r}")


def test_derivative_of_a_constant_is_zero(impl):
    """A function that ignores x (returns a plain number) has derivative 0."""
    assert_close(impl.derivative(lambda t: 3.0, 1.5), 0.0, what="derivative of f(x) = 3 at 1.5")


ARRAY_EXAMPLE = Expr("sin(x) * exp(-x) + log(1 + x ** 2) / sqrt(x) + tanh(x) ** 2 - cos(x) / x",
                     lambda x, ns: ns["sin"](x) * ns["exp"](-x) + ns["log"](1 + x**2) / ns["sqrt"](x)
                     + ns["tanh"](x) ** 2 - ns["cos"](x) / x)


@functools.cache
def _array_example_derivative():
    """sympy's derivative of ARRAY_EXAMPLE as a numpy function (lambdified once)."""
    return numpy_function(X, exact(ARRAY_EXAMPLE)[1])


@settings(max_examples=10)
@given(st.lists(st.floats(0.2, 2.0), min_size=1, max_size=10))
def test_derivative_works_on_arrays_of_points(impl, points):
    """derivative(f, xs) with a numpy array xs returns f'(x) for every point (use numpy's functions inside)."""
    x = np.array(points)
    e = ARRAY_EXAMPLE
    expected = _array_example_derivative()(x)
    got = impl.derivative(lambda t: e(t, _namespace(impl)), x)
    assert_close(got, expected, rtol=1e-9, atol=1e-12, what=f"derivative(f, xs) for f(x) = {e}")


def test_domain_errors_raise_value_error(impl):
    """log needs u > 0, sqrt needs u >= 0 and a negative base needs an integer exponent: ValueError otherwise."""
    assert_raises_value_error(impl.log, impl.Dual(-1.0, 1.0), why="log(-1) is not a real number")
    assert_raises_value_error(impl.log, impl.Dual(0.0, 1.0), why="log(0) is -infinity")
    assert_raises_value_error(impl.sqrt, impl.Dual(-4.0, 1.0), why="sqrt(-4) is not a real number")
    assert_raises_value_error(lambda: impl.Dual(-2.0, 1.0) ** 0.5, why="(-2) ** 0.5 is not a real number")
