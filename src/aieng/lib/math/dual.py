"""Forward-mode automatic differentiation with dual numbers.

A dual number ``a + b·ε`` with ``ε² = 0`` carries a value ``a`` and a derivative ``b`` together.
Arithmetic on dual numbers is ordinary arithmetic plus the rules of calculus (sum, product, quotient
and power rules), and each elementary function applies the chain rule
``g(a + b·ε) = g(a) + g'(a)·b·ε``. Evaluate any composition of them on ``Dual(x, 1)`` and the
result's ``deriv`` is the exact derivative at ``x`` (exact up to rounding: no step size, no
truncation error).

Values and derivatives may be floats or numpy arrays of one shape, so one pass differentiates at many
points. Left out: dual exponents (``x ** x``), comparisons, several input variables (one forward pass
gives one directional derivative) and reverse mode (backpropagation), which gets all partial
derivatives of a scalar output in one backward pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Number = float | np.ndarray


class Dual:
    """A value with its derivative: ``Dual(value, deriv)`` stands for ``value + deriv·ε``, ``ε² = 0``.

    Arithmetic with other Duals and with plain numbers follows the rules of differentiation:

    - ``(u + v)' = u' + v'``,  ``(u·v)' = u'·v + u·v'``,  ``(u/v)' = (u'·v - u·v')/v²``,
    - ``(u**n)' = n·u**(n-1)·u'`` for a numeric exponent ``n``.

    Each operation costs O(1) (O(size) for array values).

    >>> x = Dual(3.0, 1.0)          # seed: dx/dx = 1
    >>> y = x * x + 2 * x           # y = x² + 2x
    >>> y.value, y.deriv            # (15, 2x + 2 = 8)
    (15.0, 8.0)
    """

    __slots__ = ("deriv", "value")
    __array_ufunc__ = None  # numpy arrays defer to Dual's reflected operators (array * Dual -> Dual)

    def __init__(self, value: Any, deriv: Any = 0.0) -> None:
        self.value = _number(value)
        self.deriv = _number(deriv)

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.deriv!r})"

    def __add__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Dual(self.value + other.value, self.deriv + other.deriv)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Dual(self.value - other.value, self.deriv - other.deriv)

    def __rsub__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return other - self

    def __mul__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return Dual(self.value * other.value, self.deriv * other.value + self.value * other.deriv)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        quotient = self.value / other.value
        return Dual(quotient, (self.deriv - quotient * other.deriv) / other.value)

    def __rtruediv__(self, other: Any) -> Dual:
        other = _lift(other)
        if other is NotImplemented:
            return NotImplemented
        return other / self

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.deriv)

    def __pos__(self) -> Dual:
        return self

    def __pow__(self, exponent: Any) -> Dual:
        """``u ** n`` for a numeric exponent n: value u**n, derivative n·u**(n-1)·u'.

        A negative base needs an integer exponent (a real power of it is not defined).
        """
        if isinstance(exponent, Dual) or not np.isscalar(exponent):
            return NotImplemented
        n = float(exponent)
        if n == 0.0:
            return Dual(np.ones_like(self.value), np.zeros_like(self.deriv))
        if not n.is_integer() and np.any(np.asarray(self.value) < 0):
            raise ValueError(f"a negative base has no real power {n}: use an integer exponent")
        return Dual(np.power(self.value, n), n * np.power(self.value, n - 1) * self.deriv)


def _number(x: Any) -> Number:
    """A float, or a float array for array input (so integer inputs do not truncate)."""
    if isinstance(x, Dual):
        raise TypeError("a Dual's value and derivative must be numbers, not Duals")
    array = np.asarray(x, dtype=np.float64)
    return float(array) if array.ndim == 0 else array


def _lift(x: Any) -> Dual:
    """Treat a plain number c as the constant Dual(c, 0); anything else is NotImplemented."""
    if isinstance(x, Dual):
        return x
    if isinstance(x, int | float | np.number | np.ndarray):
        return Dual(x, 0.0)
    return NotImplemented


def _apply(x: Any, g: Callable[[Number], Number], dg: Callable[[Number], Number]) -> Dual | Number:
    """The chain rule: g(u) has value g(u.value) and derivative g'(u.value)·u.deriv."""
    if isinstance(x, Dual):
        return Dual(g(x.value), dg(x.value) * x.deriv)
    return _number(g(_number(x)))


def sin(x: Dual | Number) -> Dual | Number:
    """sin(u), with (sin u)' = cos(u)·u'. A plain number gives a plain number."""
    return _apply(x, np.sin, np.cos)


def cos(x: Dual | Number) -> Dual | Number:
    """cos(u), with (cos u)' = -sin(u)·u'."""
    return _apply(x, np.cos, lambda a: -np.sin(a))


def exp(x: Dual | Number) -> Dual | Number:
    """exp(u), with (exp u)' = exp(u)·u'."""
    return _apply(x, np.exp, np.exp)


def tanh(x: Dual | Number) -> Dual | Number:
    """tanh(u), with (tanh u)' = (1 - tanh²(u))·u'."""
    return _apply(x, np.tanh, lambda a: 1.0 - np.tanh(a) ** 2)


def log(x: Dual | Number) -> Dual | Number:
    """Natural log of u > 0, with (log u)' = u'/u. Raises ValueError when u <= 0."""
    if np.any(np.asarray(x.value if isinstance(x, Dual) else x) <= 0):
        raise ValueError("log is only defined for positive arguments")
    return _apply(x, np.log, lambda a: 1.0 / a)


def sqrt(x: Dual | Number) -> Dual | Number:
    """Square root of u >= 0, with (sqrt u)' = u'/(2 sqrt u). Raises ValueError when u < 0.

    At u = 0 the value is 0 and the derivative is infinite (inf, or nan when u' = 0).
    """
    if np.any(np.asarray(x.value if isinstance(x, Dual) else x) < 0):
        raise ValueError("sqrt is only defined for non-negative arguments")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _apply(x, np.sqrt, lambda a: 0.5 / np.sqrt(a))


def derivative(f: Callable[[Dual], Any], x: Any) -> Number:
    """f'(x), exactly (to rounding), by evaluating f once on the dual number Dual(x, 1).

    `x` may be a float or an array (one derivative per element, same shape). `f` must be built from
    arithmetic and this module's functions. A constant f (one that returns a plain number) has
    derivative 0. Cost: one evaluation of f, a small constant factor over f itself.

    >>> derivative(lambda t: sin(t) * t, 0.0)  # (sin t + t cos t) at 0
    0.0
    """
    x = _number(x)
    result = f(Dual(x, np.ones_like(x)))
    if isinstance(result, Dual):
        return _number(np.broadcast_to(result.deriv, np.shape(x)))
    return _number(np.zeros_like(x))
