"""A numpy tensor with reverse-mode automatic differentiation: the engine under `aieng.lib.dl.nn`, checked
against torch.autograd op by op.

A `Tensor` wraps an ``np.ndarray`` (``.data``). Every operation on tensors that require gradients records a
node: its inputs (parents) and a closure mapping the gradient of the output to the gradients of the
inputs — the vector-Jacobian product (VJP) ``dL/dx = J^T dL/dy``, computed without ever forming the
Jacobian J. ``loss.backward()`` lists the graph in topological order (every node after the nodes it
was computed from) and walks it backwards, so each node's gradient is complete — every use has added
its share (the multivariate chain rule is a sum over paths) — before it is passed on.

Broadcasting. ``a + b`` with a of shape (3, 1) and b of shape (4,) gives (3, 4): numpy stretched a along
axis 1 and b along a new axis 0. Each input entry was *used* once per copy, so its gradient is the SUM of
the output gradient over the copies: `unbroadcast` sums over the leading axes numpy added and over the
axes where the input had length 1, and hands every input a gradient of its own shape.

One generic mechanism, `function(forward, backward)`, turns any numpy forward/backward pair of this
package (the ``name(x, *params)`` / ``name_backward(x, *params, grad)`` contract) into a Tensor op; the
activations, losses, convolution, pooling, normalization, dropout and linear layers of the other modules
are wired that way at the bottom of this file (and the recurrent cells and the graph convolution).

Semantics follow torch: gradients accumulate (add) into ``.grad`` of leaf tensors that require grad —
set them to None or call an optimizer's ``zero_grad()`` between steps; intermediate tensors keep no
``.grad`` unless ``retain_grad()`` was called; the graph is kept after backward (as with
``retain_graph=True``). Integer data becomes float64; float32 and float64 are kept, and results take
numpy's type promotion (a Python number does not promote float32). ``with no_grad():`` records nothing.
``max`` shares the gradient equally among tied maxima (torch.amax's rule).

Left out: in-place operations, higher-order gradients, complex numbers, devices, sparse gradients.
Cost: the forward pass plus about twice its work for backward; graph bookkeeping is O(number of ops).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple
from numpy.typing import ArrayLike, DTypeLike

from aieng.lib.dl import activations, backprop, conv, gcn, losses, norm, recurrent, regularization

Axis = int | Sequence[int] | None
Backward = Callable[[np.ndarray], Sequence[np.ndarray | None]]

_grad_enabled = True


@contextmanager
def no_grad() -> Iterator[None]:
    """Within the block, operations record no graph (evaluation, optimizer updates): faster, less memory.

    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


def is_grad_enabled() -> bool:
    """False inside a `no_grad()` block."""
    return _grad_enabled


def _as_array(data: ArrayLike, dtype: DTypeLike = None) -> np.ndarray:
    array = np.asarray(data, dtype=dtype)
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`: the gradient of an input that numpy broadcast to ``grad.shape``.

    Broadcasting copies an input along the leading axes it lacked and along its length-1 axes; the
    gradient of one entry is the sum over all of its copies. O(grad.size).

    >>> unbroadcast(np.ones((2, 3, 4)), (3, 1))
    array([[8.],
           [8.],
           [8.]])
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1)
    return grad.sum(axis=axes).reshape(shape)


class Tensor:
    """An array that records the operations applied to it, so ``backward()`` can compute gradients.

    >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> b = Tensor([10.0, 20.0], requires_grad=True)
    >>> y = ((x + b) * x).sum()           # b is broadcast over the rows of x
    >>> y.backward()
    >>> x.grad                            # d/dx (x + b) x = 2x + b
    array([[12., 24.],
           [16., 28.]])
    >>> b.grad                            # d/db = x, summed over the rows b was copied to
    array([4., 6.])

    ``Tensor(array)`` shares memory with a float numpy array (like torch.from_numpy); `data` is updated in
    place by optimizers.
    """

    __array_priority__ = 1000  # ndarray + Tensor calls Tensor.__radd__, not numpy's elementwise loop

    def __init__(self, data: ArrayLike, requires_grad: bool = False, dtype: DTypeLike = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data: np.ndarray = _as_array(data, dtype)
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self._parents: tuple[Tensor, ...] = ()
        self._backward: Backward | None = None
        self._retains_grad = False
        self.op = ""

    # ------------------------------------------------------------------ basics

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user, not by an op on tensors that require grad."""
        return self._backward is None

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, threshold=20, edgeitems=2, separator=", ", prefix="Tensor(")
        extra = f", op={self.op!r}" if self.op else (", requires_grad=True" if self.requires_grad else "")
        return f"Tensor({body}, dtype={self.dtype}{extra})"

    def numpy(self) -> np.ndarray:
        """The data (the same array, not a copy)."""
        return self.data

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        return self.data.item()

    def detach(self) -> Tensor:
        """The same data, cut off from the graph (no gradient flows through it)."""
        return Tensor(self.data)

    def retain_grad(self) -> Tensor:
        """Ask backward() to keep this intermediate tensor's gradient in ``.grad`` (for inspection)."""
        self._retains_grad = True
        return self

    # ------------------------------------------------------------------ building the graph

    @staticmethod
    def _make(data: np.ndarray, parents: tuple[Tensor, ...], backward: Backward, op: str) -> Tensor:
        """A new node holding `data`; it joins the graph when grad mode is on and a parent requires grad."""
        out = Tensor.__new__(Tensor)
        out.data, out.grad, out._retains_grad, out.op = data, None, False, op
        if _grad_enabled and any(p.requires_grad for p in parents):
            out.requires_grad, out._parents, out._backward = True, parents, backward
        else:
            out.requires_grad, out._parents, out._backward = False, (), None
        return out

    def _lift(self, other: Tensor | ArrayLike) -> Tensor:
        """Wrap a number or array; a Python number (or integer array) takes this tensor's dtype, as in torch."""
        if isinstance(other, Tensor):
            return other
        array = np.asarray(other)
        weak = isinstance(other, int | float) or array.dtype.kind != "f"
        return Tensor(array.astype(self.dtype) if weak else array)

    # ------------------------------------------------------------------ arithmetic (with broadcasting)

    def __add__(self, other: Tensor | ArrayLike) -> Tensor:
        b = self._lift(other)
        sa, sb = self.shape, b.shape
        return self._make(self.data + b.data, (self, b), lambda g: (unbroadcast(g, sa), unbroadcast(g, sb)), "add")

    def __sub__(self, other: Tensor | ArrayLike) -> Tensor:
        b = self._lift(other)
        sa, sb = self.shape, b.shape
        return self._make(self.data - b.data, (self, b), lambda g: (unbroadcast(g, sa), unbroadcast(-g, sb)), "sub")

    def __mul__(self, other: Tensor | ArrayLike) -> Tensor:
        b = self._lift(other)
        x, y = self.data, b.data
        return self._make(x * y, (self, b),
                          lambda g: (unbroadcast(g * y, x.shape), unbroadcast(g * x, y.shape)), "mul")

    def __truediv__(self, other: Tensor | ArrayLike) -> Tensor:
        b = self._lift(other)
        x, y = self.data, b.data
        out = x / y
        # d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2 = -out/y
        return self._make(out, (self, b),
                          lambda g: (unbroadcast(g / y, x.shape), unbroadcast(-g * out / y, y.shape)), "div")

    def __neg__(self) -> Tensor:
        return self._make(-self.data, (self,), lambda g: (-g,), "neg")

    def __pow__(self, exponent: Tensor | float) -> Tensor:
        """``x ** p``: d/dx = p x^(p-1); for a tensor exponent also d/dp = x^p ln x (needs x > 0)."""
        x = self.data
        if isinstance(exponent, Tensor):
            p = exponent.data
            out = x**p
            return self._make(out, (self, exponent), lambda g: (unbroadcast(g * p * x ** (p - 1), x.shape),
                                                                unbroadcast(g * out * np.log(x), p.shape)), "pow")
        if not isinstance(exponent, int | float | np.number):
            raise TypeError(f"exponent must be a number or a Tensor, got {type(exponent).__name__}")
        return self._make(x**exponent, (self,), lambda g: (g * exponent * x ** (exponent - 1),), "pow")

    def __radd__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) + self

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) - self

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) * self

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) / self

    def __rpow__(self, base: float) -> Tensor:
        return self._lift(base) ** self

    def __matmul__(self, other: Tensor | ArrayLike) -> Tensor:
        return matmul(self, self._lift(other))

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return matmul(self._lift(other), self)

    # ------------------------------------------------------------------ elementwise functions

    def exp(self) -> Tensor:
        """e^x; its derivative is itself."""
        out = np.exp(self.data)
        return self._make(out, (self,), lambda g: (g * out,), "exp")

    def log(self) -> Tensor:
        """Natural log; d/dx ln x = 1/x (x <= 0 gives nan/-inf, as in numpy and torch)."""
        x = self.data
        return self._make(np.log(x), (self,), lambda g: (g / x,), "log")

    def sqrt(self) -> Tensor:
        """Square root; d/dx sqrt x = 1 / (2 sqrt x)."""
        out = np.sqrt(self.data)
        return self._make(out, (self,), lambda g: (g / (2 * out),), "sqrt")

    def relu(self) -> Tensor:
        return relu(self)

    def sigmoid(self) -> Tensor:
        return sigmoid(self)

    def tanh(self) -> Tensor:
        return tanh(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        return leaky_relu(self, negative_slope=negative_slope)

    def gelu(self, approximate: str = "none") -> Tensor:
        return gelu(self, approximate=approximate)

    def softmax(self, axis: int = -1) -> Tensor:
        return softmax(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return log_softmax(self, axis=axis)

    # ------------------------------------------------------------------ reductions

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over `axis` (all axes if None). Backward: every summed entry gets the output's gradient,
        i.e. the gradient is broadcast back over the reduced axes."""
        axes = normalize_axis_tuple(range(self.ndim) if axis is None else axis, self.ndim)
        shape = self.shape
        return self._make(self.data.sum(axis=axes, keepdims=keepdims), (self,),
                          lambda g: (np.broadcast_to(g if keepdims else np.expand_dims(g, axes), shape),), "sum")

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over `axis`: the sum divided by the number n of entries averaged; each gets gradient g / n."""
        axes = normalize_axis_tuple(range(self.ndim) if axis is None else axis, self.ndim)
        shape = self.shape
        count = math.prod(shape[a] for a in axes)
        return self._make(self.data.mean(axis=axes, keepdims=keepdims), (self,),
                          lambda g: (np.broadcast_to((g if keepdims else np.expand_dims(g, axes)) / count, shape),),
                          "mean")

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Maximum over `axis`. Backward: the gradient goes to the entries equal to the maximum, shared
        equally among ties (torch.amax's rule)."""
        axes = normalize_axis_tuple(range(self.ndim) if axis is None else axis, self.ndim)
        x = self.data
        peak = x.max(axis=axes, keepdims=True)

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            hit = x == peak
            share = (g if keepdims else np.expand_dims(g, axes)) / hit.sum(axis=axes, keepdims=True)
            return (np.where(hit, share, 0).astype(x.dtype, copy=False),)

        return self._make(peak if keepdims else np.squeeze(peak, axis=axes), (self,), backward, "max")

    # ------------------------------------------------------------------ shapes

    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same entries in a new shape (one dimension may be -1); the gradient is reshaped back."""
        new_shape = tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) else shape
        old = self.shape
        return self._make(self.data.reshape(new_shape), (self,), lambda g: (g.reshape(old),), "reshape")

    def flatten(self, start_axis: int = 0, end_axis: int = -1) -> Tensor:
        """Merge axes start_axis..end_axis into one (torch.flatten)."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = normalize_axis_tuple((start_axis, end_axis), self.ndim, allow_duplicate=True)
        return self.reshape(*self.shape[:start], -1, *self.shape[end + 1:])

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes, numpy-style: no argument reverses them, else a full permutation
        (``x.transpose(0, 2, 1)``). The gradient is permuted back by the inverse permutation."""
        order = tuple(range(self.ndim))[::-1] if not axes else (tuple(axes[0]) if len(axes) == 1 and
                                                                  not isinstance(axes[0], int) else axes)
        order = normalize_axis_tuple(order, self.ndim)
        if sorted(order) != list(range(self.ndim)):
            raise ValueError(f"transpose needs a permutation of the {self.ndim} axes, got {order}")
        inverse = tuple(np.argsort(order))
        return self._make(self.data.transpose(order), (self,), lambda g: (g.transpose(inverse),), "transpose")

    permute = transpose

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """Exchange two axes (torch's ``x.transpose(dim0, dim1)``)."""
        order = list(range(self.ndim))
        a, b = normalize_axis_tuple((axis1, axis2), self.ndim, allow_duplicate=True)
        order[a], order[b] = order[b], order[a]
        return self.transpose(*order)

    @property
    def T(self) -> Tensor:
        """All axes reversed (the matrix transpose for 2-D)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """Basic (ints, slices, None, ...) and integer-array indexing. Backward scatters the gradient back
        into a zero array of the input's shape; with `np.add.at` an entry picked twice gets both shares."""
        index = _plain_index(index)
        x = self.data
        advanced = _is_advanced(index)

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            full = np.zeros_like(x)
            if advanced:
                np.add.at(full, index, g)
            else:
                full[index] = g  # basic indexing never picks an entry twice
            return (full,)

        return self._make(x[index], (self,), backward, "getitem")

    # ------------------------------------------------------------------ backward

    def _topological_order(self) -> list[Tensor]:
        """Nodes that require grad, each after all of its parents; iterative DFS (no recursion limit)."""
        order: list[Tensor] = []
        visited: set[int] = set()
        stack: list[tuple[Tensor, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents if p.requires_grad and id(p) not in visited)
        return order

    def backward(self, grad: ArrayLike | None = None) -> None:
        """Add d(self)/d(leaf) into ``.grad`` of every leaf that requires grad and that self depends on.

        `grad` is the gradient of some scalar L with respect to self (the seed of the chain rule); it may be
        left out only when self holds a single number (dL/dL = 1). Each node's gradient is the sum of the
        VJPs sent by the nodes that used it, complete before it is passed on thanks to the topological order.
        """
        if not self.requires_grad:
            raise ValueError("backward() on a tensor that does not require grad: no input in its graph has "
                             "requires_grad=True (or it was computed under no_grad())")
        if grad is None:
            if self.size != 1:
                raise ValueError(f"backward() without a gradient needs a single-number tensor, got shape {self.shape}")
            seed = np.ones_like(self.data)
        else:
            seed = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if seed.shape != self.shape:
                raise ValueError(f"the gradient must have the tensor's shape {self.shape}, got {seed.shape}")
        pending: dict[int, np.ndarray] = {id(self): seed}
        for node in reversed(self._topological_order()):
            g = pending.pop(id(node), None)
            if g is None:
                continue
            if node._backward is None or node._retains_grad:  # a leaf (or asked to keep it): accumulate
                g_own = np.array(g, dtype=node.dtype)  # a fresh array: g may be a view shared with others
                node.grad = g_own if node.grad is None else node.grad + g_own
            if node._backward is None:
                continue
            for parent, parent_grad in zip(node._parents, node._backward(g), strict=False):
                if parent_grad is None or not parent.requires_grad:
                    continue
                key = id(parent)
                pending[key] = parent_grad if key not in pending else pending[key] + parent_grad


# ---------------------------------------------------------------------- indexing helpers


def _plain_index(index: Any) -> Any:
    """Tensors inside an index become their (integer) arrays; boolean masks become integer arrays."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Tensor):
        index = index.data.astype(np.intp)
    if isinstance(index, list):
        index = np.asarray(index)
    if isinstance(index, np.ndarray) and index.dtype == np.bool_:
        return np.nonzero(index) if index.ndim > 1 else np.nonzero(index)[0]
    return index


def _is_advanced(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, np.ndarray | tuple) for p in parts)


# ---------------------------------------------------------------------- functions of several tensors


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product with numpy's rules: 1-D operands are promoted (and the extra axis dropped), leading
    (batch) axes broadcast.

    For C = A B: dL/dA = G B^T and dL/dB = A^T G (transposing the last two axes), then summed over the
    batch axes that broadcasting added. O(batch * m * k * n).
    """
    x, y = a.data, b.data
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError("matmul needs operands with at least one axis; use * for scalars")
    x2 = x[None, :] if x.ndim == 1 else x
    y2 = y[:, None] if y.ndim == 1 else y

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        batch = np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2])
        g2 = g.reshape(*batch, x2.shape[-2], y2.shape[-1])
        grad_x = unbroadcast(g2 @ np.swapaxes(y2, -1, -2), x2.shape).reshape(x.shape)
        grad_y = unbroadcast(np.swapaxes(x2, -1, -2) @ g2, y2.shape).reshape(y.shape)
        return grad_x, grad_y

    return Tensor._make(x @ y, (a, b), backward, "matmul")


def concat(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; the gradient is cut back into the pieces."""
    if not tensors:
        raise ValueError("concat needs at least one tensor")
    parts = tuple(t if isinstance(t, Tensor) else Tensor(t) for t in tensors)
    out = np.concatenate([t.data for t in parts], axis=axis)
    ax = normalize_axis_tuple(axis, out.ndim)[0]
    cuts = np.cumsum([t.shape[ax] for t in parts])[:-1]
    return Tensor._make(out, parts, lambda g: tuple(np.split(g, cuts, axis=ax)), "concat")


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join same-shape tensors along a new axis; each gets its slice of the gradient."""
    if not tensors:
        raise ValueError("stack needs at least one tensor")
    parts = tuple(t if isinstance(t, Tensor) else Tensor(t) for t in tensors)
    out = np.stack([t.data for t in parts], axis=axis)
    ax = normalize_axis_tuple(axis, out.ndim)[0]
    return Tensor._make(out, parts, lambda g: tuple(np.moveaxis(g, ax, 0)), "stack")


# ---------------------------------------------------------------------- numpy pairs as Tensor ops


def function(forward: Callable[..., Any], backward: Callable[..., Any], name: str = "") -> Callable[..., Tensor]:
    """Turn a numpy forward/backward pair into a differentiable Tensor op.

    ``forward(*arrays, **options) -> array`` and ``backward(*arrays, grad, **options)`` returning the
    gradient of the first input, or a tuple of gradients of the first inputs in order (an input with no
    gradient — labels, targets — may be left off the end or given as None). The op accepts Tensors and
    plain arrays as positional inputs and everything else (sizes, axes, flags) as keyword options, which
    both functions receive; only Tensors receive gradients. The output takes the inputs' float dtype.

        relu = function(activations.relu, activations.relu_backward)
        y = relu(Tensor(x, requires_grad=True))
    """
    label = name or getattr(forward, "__name__", "function")

    def op(*args: Any, **options: Any) -> Tensor:
        arrays = tuple(a.data if isinstance(a, Tensor) else a for a in args)
        positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
        dtype = np.result_type(*(args[i].data for i in positions)) if positions else None
        out = np.asarray(forward(*arrays, **options))
        if dtype is not None and np.issubdtype(out.dtype, np.floating):
            out = out.astype(dtype, copy=False)

        def grads(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
            result = backward(*arrays, g, **options)
            result = result if isinstance(result, tuple) else (result,)
            return tuple(None if i >= len(result) or result[i] is None
                         else np.asarray(result[i]).astype(args[i].dtype, copy=False) for i in positions)

        return Tensor._make(out, tuple(args[i] for i in positions), grads, label)

    op.__name__ = label
    summary = (forward.__doc__ or "").strip().split("\n\n")[0]
    op.__doc__ = (f"{summary}\n\nTensor op wired from the numpy pair {forward.__module__}.{forward.__name__} "
                  "and its backward.")
    return op


# Activations (aieng.lib.dl.activations): name(x, **options), name_backward(x, grad, **options).
relu = function(activations.relu, activations.relu_backward)
sigmoid = function(activations.sigmoid, activations.sigmoid_backward)
tanh = function(activations.tanh, activations.tanh_backward)
leaky_relu = function(activations.leaky_relu, activations.leaky_relu_backward)
gelu = function(activations.gelu, activations.gelu_backward)
softmax = function(activations.softmax, activations.softmax_backward)
log_softmax = function(activations.log_softmax, activations.log_softmax_backward)

# Losses (aieng.lib.dl.losses): the mean loss; name_backward(pred, target, grad) -> dL/dpred only.
mse_loss = function(losses.mse_loss, losses.mse_loss_backward)
binary_cross_entropy_with_logits = function(losses.binary_cross_entropy_with_logits,
                                            losses.binary_cross_entropy_with_logits_backward)
cross_entropy = function(losses.cross_entropy, losses.cross_entropy_backward)

# Layers: the backward functions take no bias (it does not enter the input's or the weight's gradient).
_linear = function(backprop.linear, lambda x, w, b, grad: backprop.linear_backward(x, w, grad), "linear")
_conv2d = function(conv.conv2d, lambda x, w, b, grad, **o: conv.conv2d_backward(x, w, grad, **o), "conv2d")
_max_pool2d = function(conv.max_pool2d, conv.max_pool2d_backward)
# Normalization (aieng.lib.dl.norm): beta enters no other gradient, so the backward functions omit it.
_layer_norm = function(norm.layer_norm, lambda x, gamma, beta, grad, **o: norm.layer_norm_backward(x, gamma, grad, **o))
_batch_norm = function(norm.batch_norm, lambda x, gamma, beta, mean, var, grad, training, momentum, eps:
                       norm.batch_norm_backward(x, gamma, grad, eps, *(() if training else (mean, var))),
                       "batch_norm")
_avg_pool2d = function(conv.avg_pool2d, conv.avg_pool2d_backward)


# Recurrent cells (aieng.lib.dl.recurrent), torch.nn.RNNCell / GRUCell layouts; h=None means zeros.
rnn_cell = function(recurrent.rnn_cell, recurrent.rnn_cell_backward)
gru_cell = function(recurrent.gru_cell, recurrent.gru_cell_backward)
# Graph convolution (aieng.lib.dl.gcn): the adjacency matrix gets no gradient.
_gcn_layer = function(gcn.gcn_layer, lambda x, adjacency, w, b, grad, **o: (
    lambda gx, gw, gb: (gx, None, gw, gb))(*gcn.gcn_layer_backward(x, adjacency, w, b, grad, **o)), "gcn_layer")


def gcn_layer(x: Tensor, adjacency: np.ndarray, weight: Tensor, bias: Tensor,
              activation: str | None = "relu") -> Tensor:
    """One graph convolution sigma(S X W^T + b), S the normalized adjacency with self-loops; (n, in) -> (n, out)."""
    return _gcn_layer(x, adjacency, weight, bias, activation=activation)


def _lstm_joined(x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any) -> np.ndarray:
    return np.concatenate(recurrent.lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh), axis=1)


def _lstm_joined_backward(x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any,
                          grad: np.ndarray) -> tuple[np.ndarray, ...]:
    grad_h, grad_c = np.split(grad, 2, axis=1)
    return recurrent.lstm_cell_backward(x, h, c, w_ih, w_hh, b_ih, b_hh, grad_h, grad_c)


_lstm_cell = function(_lstm_joined, _lstm_joined_backward, "lstm_cell")


def lstm_cell(x: Tensor, h: Tensor | None, c: Tensor | None, weight_ih: Tensor, weight_hh: Tensor, bias_ih: Tensor,
              bias_hh: Tensor) -> tuple[Tensor, Tensor]:
    """One LSTM step (torch.nn.LSTMCell's layout): returns (h', c'), each (N, H). The pair has two outputs, so
    it runs as one node holding [h', c'] side by side, and indexing splits it (gradients join again there)."""
    joined = _lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh)
    size = joined.shape[1] // 2
    return joined[:, :size], joined[:, size:]


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x W^T + b`` for x (N, in), W (out, in), b (out,) or None (aieng.lib.dl.backprop's pair); other ranks
    of x go through matmul."""
    if x.ndim != 2:
        out = matmul(x, weight.T)
        return out if bias is None else out + bias
    return _linear(x, weight, bias)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride: int | tuple[int, int] = 1,
           padding: int | tuple[int, int] = 0) -> Tensor:
    """2-D convolution of (N, C_in, H, W) images with (C_out, C_in, kH, kW) kernels (aieng.lib.dl.conv's
    im2col pair); output (N, C_out, H_out, W_out)."""
    return _conv2d(x, weight, bias, stride=stride, padding=padding)


def max_pool2d(x: Tensor, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> Tensor:
    """The maximum of each kH x kW window of (N, C, H, W) images (stride defaults to the kernel size); the
    gradient goes to each window's (first) maximum."""
    return _max_pool2d(x, kernel_size=kernel_size, stride=stride)


def avg_pool2d(x: Tensor, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> Tensor:
    """The mean of each kH x kW window of (N, C, H, W) images; each pixel of a window gets grad / (kH kW)."""
    return _avg_pool2d(x, kernel_size=kernel_size, stride=stride)


def layer_norm(x: Tensor, gamma: Tensor, beta: Tensor, eps: float = 1e-5) -> Tensor:
    """Normalize each example over the trailing axes that gamma's shape names, then scale by gamma and shift
    by beta: ``gamma (x - mean) / sqrt(var + eps) + beta`` (the same in training and evaluation)."""
    return _layer_norm(x, gamma, beta, eps=eps)


def batch_norm(x: Tensor, gamma: Tensor, beta: Tensor, running_mean: np.ndarray, running_var: np.ndarray,
               training: bool, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel of x (N, C, ...) with the batch's statistics (training: the running averages
    running_mean / running_var, plain arrays, are updated in place) or with the running averages
    (evaluation), then scale by gamma and shift by beta. The gradient flows through the batch statistics
    in training; in evaluation the map is affine."""
    return _batch_norm(x, gamma, beta, running_mean, running_var, training=training, momentum=momentum, eps=eps)


def dropout(x: Tensor, p: float = 0.5, training: bool = True, rng: int | np.random.Generator | None = None) -> Tensor:
    """Inverted dropout (aieng.lib.dl.regularization): zero each entry with probability p and scale the rest
    by 1/(1-p) while training; the identity in evaluation. The mask drawn in the forward pass is the one
    the backward pass multiplies by."""
    y, mask = regularization.dropout(x.data, p=p, training=training, rng=rng)
    return Tensor._make(y.astype(x.dtype, copy=False), (x,),
                        lambda g: (regularization.dropout_backward(mask, g),), "dropout")
