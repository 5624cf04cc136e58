"""Scalar reverse-mode automatic differentiation: a `Value` remembers how it was computed, so the derivative
of a final result with respect to every input comes out of one backward sweep (micrograd-style).

Every operation creates a new node that stores its inputs ("children") and a small closure that knows the
operation's *local* derivatives. `backward()` visits the nodes in reverse topological order (each node
after every node that uses it) and applies the chain rule,

    d out / d child  +=  (d out / d node) * (d node / d child),

adding, not assigning, because a value used twice receives a contribution along each path.

Semantics follow torch.autograd with ``retain_graph=True``: gradients of leaves (values built from plain
numbers) accumulate across `backward()` calls, so reset them (``v.grad = 0.0``) between steps; gradients of
intermediate nodes are recomputed from zero on every call. ReLU's derivative at 0 is 0, as in torch.

Left out: vectors (see `aieng.lib.dl.tensor`), higher-order derivatives, ``Value ** Value``.
Cost: O(number of nodes) for both passes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

Number = int | float


class Value:
    """A float in a computation graph, with the gradient ``d(root)/d(self)`` filled in by ``root.backward()``.

    >>> x = Value(3.0)
    >>> y = x * x + 2 * x       # y = x^2 + 2x
    >>> y.backward()
    >>> y.data, x.grad          # dy/dx = 2x + 2
    (15.0, 8.0)
    """

    __slots__ = ("_backward", "_children", "data", "grad", "op")

    def __init__(self, data: Number, _children: tuple[Value, ...] = (), op: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self._children = _children
        # Maps this node's gradient to its children's gradients: returns one local-chain term per child.
        self._backward: Callable[[float], tuple[float, ...]] | None = None
        self.op = op

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    # ------------------------------------------------------------------ building the graph

    @staticmethod
    def _lift(other: Value | Number) -> Value:
        if isinstance(other, Value):
            return other
        if isinstance(other, int | float):
            return Value(other)
        raise TypeError(f"cannot combine a Value with {type(other).__name__}")

    def _node(self, data: float, children: tuple[Value, ...], op: str,
              local: Callable[[float], tuple[float, ...]]) -> Value:
        out = Value(data, children, op)
        out._backward = local
        return out

    def __add__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        return self._node(self.data + other.data, (self, other), "+", lambda g: (g, g))

    def __mul__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        a, b = self.data, other.data
        return self._node(a * b, (self, other), "*", lambda g: (g * b, g * a))

    def __pow__(self, exponent: Number) -> Value:
        """``self ** p`` for a constant number p; d/dx x^p = p x^(p-1)."""
        if not isinstance(exponent, int | float):
            raise TypeError("only a constant int or float exponent is supported")
        x = self.data
        return self._node(x**exponent, (self,), f"**{exponent}", lambda g: (g * exponent * x ** (exponent - 1),))

    def __truediv__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        a, b = self.data, other.data
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2: one node, so the result is exactly a / b
        return self._node(a / b, (self, other), "/", lambda g: (g / b, -g * a / (b * b)))

    def __neg__(self) -> Value:
        return self._node(-self.data, (self,), "neg", lambda g: (-g,))

    def __sub__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        return self._node(self.data - other.data, (self, other), "-", lambda g: (g, -g))

    def __radd__(self, other: Number) -> Value:
        return self._lift(other) + self

    def __rmul__(self, other: Number) -> Value:
        return self._lift(other) * self

    def __rsub__(self, other: Number) -> Value:
        return self._lift(other) - self

    def __rtruediv__(self, other: Number) -> Value:
        return self._lift(other) / self

    def exp(self) -> Value:
        """e^x; its derivative is itself."""
        e = math.exp(self.data)
        return self._node(e, (self,), "exp", lambda g: (g * e,))

    def log(self) -> Value:
        """Natural log for x > 0 (ValueError otherwise); d/dx ln x = 1/x."""
        x = self.data
        if x <= 0:
            raise ValueError(f"log is defined for positive numbers only, got {x}")
        return self._node(math.log(x), (self,), "log", lambda g: (g / x,))

    def tanh(self) -> Value:
        """tanh x; d/dx tanh x = 1 - tanh^2 x."""
        t = math.tanh(self.data)
        return self._node(t, (self,), "tanh", lambda g: (g * (1.0 - t * t),))

    def relu(self) -> Value:
        """max(x, 0); derivative 1 for x > 0 and 0 otherwise (0 at x = 0, like torch)."""
        x = self.data
        return self._node(max(x, 0.0), (self,), "relu", lambda g: (g if x > 0 else 0.0,))

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x), computed without overflow; d/dx s = s (1 - s)."""
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._node(s, (self,), "sigmoid", lambda g: (g * s * (1.0 - s),))

    # ------------------------------------------------------------------ the backward sweep

    def topological_order(self) -> list[Value]:
        """Every node this value depends on, each listed after all of its children (self comes last).

        Iterative depth-first search (an explicit stack), so graphs deeper than Python's recursion limit
        (a loop of thousands of steps) work too. A node joins the list once all its children have.
        """
        order: list[Value] = []
        visited: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._children if id(child) not in visited)
        return order

    def backward(self) -> None:
        """Fill ``.grad`` of every node below this one with ``d(self)/d(node)``.

        d(self)/d(self) = 1 seeds the sweep; walking the topological order backwards guarantees a node's
        gradient is complete (every use has contributed) before it is passed on to its children.
        Leaves accumulate across calls; intermediate nodes start again from 0.
        """
        order = self.topological_order()
        for node in order:
            if node._children:
                node.grad = 0.0
        self.grad = 1.0 if self._children else self.grad + 1.0
        for node in reversed(order):
            if node._backward is None:
                continue
            for child, term in zip(node._children, node._backward(node.grad), strict=True):
                child.grad += term
