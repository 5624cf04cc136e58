"""Numerical integration in one dimension — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check numerical-integration`.

`f` takes a numpy array of nodes and returns their values (same shape). Call it once on all nodes.
Do not call scipy.integrate or numpy.trapezoid: the checks switch them off.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Function = Callable[[np.ndarray], ArrayLike]


def riemann_sum(f: Function, a: float, b: float, n: int, rule: str = "midpoint") -> float:
    """h · Σ f(x_i) over n sub-intervals of width h = (b - a)/n, sampled at each one's left end
    (rule="left"), right end ("right") or midpoint ("midpoint").

    Returns a float. Raise ValueError if n is not an integer >= 1, a or b is not finite, or the rule is unknown.
    """
    raise NotImplementedError


def trapezoid(f: Function, a: float, b: float, n: int) -> float:
    """Composite trapezoid rule with n sub-intervals: h·[f(x_0)/2 + f(x_1) + ... + f(x_{n-1}) + f(x_n)/2].

    Returns a float. Raise ValueError if n is not an integer >= 1 or a or b is not finite.
    """
    raise NotImplementedError


def simpson(f: Function, a: float, b: float, n: int) -> float:
    """Composite Simpson's rule with n sub-intervals: h/3·[f_0 + 4f_1 + 2f_2 + 4f_3 + ... + 4f_{n-1} + f_n].

    Returns a float. Raise ValueError if n is odd, not an integer >= 2, or a or b is not finite.
    """
    raise NotImplementedError
