"""Scalar autograd — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check scalar-autograd`.
"""

from __future__ import annotations

import math  # noqa: F401  (math.exp, math.log, math.tanh will be useful)

Number = int | float


class Value:
    """A float that remembers how it was computed, so `backward()` can fill in gradients.

    - `data`: the number (always stored as a float); `grad`: d(root)/d(self), 0.0 until backward() runs.
    - Operators +, -, *, / work between Values and with plain ints/floats on either side (2 - x, 3 / x);
      `x ** p` takes a constant int or float p.
    - Methods exp(), log(), tanh(), relu(), sigmoid() return new Values. log() of a number <= 0 raises
      ValueError. relu has derivative 0 at 0. sigmoid must not overflow for x = +-1000.
    - `root.backward()` sets root.grad to 1 and adds d(root)/d(node) into .grad of every node it depends on.
      Gradients of the inputs (leaves) accumulate across calls, like torch with retain_graph=True;
      gradients of intermediate nodes are recomputed from 0 on each call. Must handle graphs thousands of
      nodes deep (no recursion).
    """

    def __init__(self, data: Number, _children: tuple[Value, ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0
        raise NotImplementedError

    def __add__(self, other: Value | Number) -> Value:
        raise NotImplementedError

    def __radd__(self, other: Number) -> Value:
        raise NotImplementedError

    def __mul__(self, other: Value | Number) -> Value:
        raise NotImplementedError

    def __rmul__(self, other: Number) -> Value:
        raise NotImplementedError

    def __neg__(self) -> Value:
        raise NotImplementedError

    def __sub__(self, other: Value | Number) -> Value:
        raise NotImplementedError

    def __rsub__(self, other: Number) -> Value:
        raise NotImplementedError

    def __truediv__(self, other: Value | Number) -> Value:
        raise NotImplementedError

    def __rtruediv__(self, other: Number) -> Value:
        raise NotImplementedError

    def __pow__(self, exponent: Number) -> Value:
        raise NotImplementedError

    def exp(self) -> Value:
        raise NotImplementedError

    def log(self) -> Value:
        raise NotImplementedError

    def tanh(self) -> Value:
        raise NotImplementedError

    def relu(self) -> Value:
        raise NotImplementedError

    def sigmoid(self) -> Value:
        raise NotImplementedError

    def backward(self) -> None:
        raise NotImplementedError
