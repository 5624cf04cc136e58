"""Dual numbers and forward-mode automatic differentiation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check chain-rule`.

A Dual(value, deriv) stands for value + deriv·ε with ε² = 0. Arithmetic and the functions below must
follow the rules of calculus, so that evaluating a function on Dual(x, 1.0) gives its exact derivative.
Values and derivatives are floats (or numpy arrays of one shape): use numpy's functions, not math's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np  # noqa: F401  (np.sin, np.exp, ... work on floats and arrays alike)


class Dual:
    """A value with its derivative.

    Support, with another Dual or a plain number (a constant, derivative 0) on either side:
    u + v, u - v, u * v, u / v, -u, and u ** n for a plain number n.
    Rules: (u+v)' = u'+v', (uv)' = u'v + uv', (u/v)' = (u'v - uv')/v², (u**n)' = n u**(n-1) u'.
    Raise ValueError for a negative base with a non-integer exponent.
    """

    def __init__(self, value: Any, deriv: Any = 0.0) -> None:
        self.value = value
        self.deriv = deriv

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.deriv!r})"

    def __add__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __radd__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __sub__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __rsub__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __mul__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __rmul__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __truediv__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __rtruediv__(self, other: Any) -> Dual:
        raise NotImplementedError

    def __neg__(self) -> Dual:
        raise NotImplementedError

    def __pow__(self, exponent: float) -> Dual:
        raise NotImplementedError


def sin(x: Dual | float) -> Dual | float:
    """sin(u) with (sin u)' = cos(u)·u'. A plain number gives a plain number."""
    raise NotImplementedError


def cos(x: Dual | float) -> Dual | float:
    """cos(u) with (cos u)' = -sin(u)·u'. A plain number gives a plain number."""
    raise NotImplementedError


def exp(x: Dual | float) -> Dual | float:
    """exp(u) with (exp u)' = exp(u)·u'. A plain number gives a plain number."""
    raise NotImplementedError


def log(x: Dual | float) -> Dual | float:
    """Natural log, (log u)' = u'/u. Raise ValueError if the value is <= 0."""
    raise NotImplementedError


def sqrt(x: Dual | float) -> Dual | float:
    """Square root, (sqrt u)' = u' / (2 sqrt u). Raise ValueError if the value is < 0."""
    raise NotImplementedError


def tanh(x: Dual | float) -> Dual | float:
    """tanh(u) with (tanh u)' = (1 - tanh(u)²)·u'. A plain number gives a plain number."""
    raise NotImplementedError


def derivative(f: Callable[[Dual], Any], x: Any) -> Any:
    """f'(x), exact to rounding: evaluate f once on Dual(x, 1.0) and read off the derivative.

    `x` is a float (returns a float) or a numpy array (returns an array of the same shape).
    If f returns a plain number (f is constant), the derivative is 0.
    """
    raise NotImplementedError
