"""Tensor autograd with broadcasting — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check tensor-autograd`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

Axis = int | Sequence[int] | None


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` (the gradient of an array numpy broadcast up to grad.shape) back down to `shape`.

    Sum over the leading axes that `shape` lacks and over the axes where `shape` has length 1 (keeping
    them), so the result has exactly `shape`. Example: grad of shape (2, 3, 4) and shape (3, 1) -> sum over
    axis 0 and axis 2 -> shape (3, 1).
    """
    raise NotImplementedError


class Tensor:
    """A numpy array that records the operations applied to it, so backward() can compute gradients.

    - `Tensor(data, requires_grad=False)`: `data` becomes a numpy array (`.data`); integer data becomes
      float64, float32 and float64 are kept. `.grad` is None until backward() fills it (same shape and
      dtype as `.data`). Only tensors with requires_grad=True (and results computed from them) get gradients.
    - Operators `+`, `*` (Tensors, numpy arrays or Python numbers on either side; a Python number keeps the
      tensor's dtype) with numpy broadcasting, and `@` (numpy's matmul rules: matrices, batches whose leading
      axes broadcast, 1-D vectors).
    - Methods sum(axis=None, keepdims=False), mean(axis=None, keepdims=False), reshape(*shape),
      transpose(*axes) (a permutation of the axes; no argument reverses them), relu(), exp(), log().
    - `backward(grad=None)`: grad is dL/d(self), same shape as self; None is allowed only when self holds a
      single number (then it is 1); anything else raises ValueError. Adds dL/d(leaf) into `.grad` of every
      leaf that requires grad (gradients accumulate across calls, like torch). No recursion: graphs may be
      thousands of operations deep.
    """

    def __init__(self, data: ArrayLike, requires_grad: bool = False) -> None:
        self.data: np.ndarray = np.asarray(data)
        self.grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self._parents: tuple[Tensor, ...] = ()
        self._backward: Callable[[np.ndarray], tuple[np.ndarray, ...]] | None = None
        raise NotImplementedError

    def __add__(self, other: Tensor | ArrayLike) -> Tensor:
        raise NotImplementedError

    def __radd__(self, other: ArrayLike) -> Tensor:
        raise NotImplementedError

    def __mul__(self, other: Tensor | ArrayLike) -> Tensor:
        raise NotImplementedError

    def __rmul__(self, other: ArrayLike) -> Tensor:
        raise NotImplementedError

    def __matmul__(self, other: Tensor | ArrayLike) -> Tensor:
        raise NotImplementedError

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        raise NotImplementedError

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        raise NotImplementedError

    def reshape(self, *shape: int) -> Tensor:
        raise NotImplementedError

    def transpose(self, *axes: int) -> Tensor:
        raise NotImplementedError

    def relu(self) -> Tensor:
        raise NotImplementedError

    def exp(self) -> Tensor:
        raise NotImplementedError

    def log(self) -> Tensor:
        raise NotImplementedError

    def backward(self, grad: ArrayLike | None = None) -> None:
        raise NotImplementedError
