"""Backpropagation through an MLP, by hand — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check mlp-backprop`.

Weights follow torch.nn.Linear: W of shape (out, in), b of shape (out,), y = x @ W.T + b.
params = {"W1": (h1, d), "b1": (h1,), "W2": (h2, h1), "b2": (h2,), "W3": (C, h2), "b3": (C,)}.
Keep the dtype of the inputs (float32 stays float32). No torch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def linear(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None) -> np.ndarray:
    """x (N, in), weight (out, in), bias (out,) or None -> x @ weight.T + bias, shape (N, out).

    Raise ValueError if the shapes do not fit together.
    """
    raise NotImplementedError


def linear_backward(x: ArrayLike, weight: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From grad = dL/dy (N, out): return (dL/dx (N, in), dL/dW (out, in), dL/db (out,))."""
    raise NotImplementedError


def mlp_forward(x: ArrayLike, y: ArrayLike, params: Mapping[str, ArrayLike],
                activation: str = "tanh") -> tuple[float, dict[str, Any]]:
    """Loss of linear -> activation -> linear -> relu -> linear -> mean softmax cross-entropy, and a cache.

    x: (N, d); y: (N,) integer labels in [0, C); activation: "tanh" or "relu" (else ValueError), used
    after the first layer. Returns (loss as a float, cache: whatever mlp_backward needs).
    """
    raise NotImplementedError


def mlp_backward(cache: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Gradients of the mean loss: {"W1": ..., "b1": ..., "W2": ..., "b2": ..., "W3": ..., "b3": ...},
    each shaped like its parameter."""
    raise NotImplementedError


def numerical_gradient(f: Callable[[np.ndarray], float], x: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """Central differences: entry i is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps); shape of x, float64.

    f takes an array shaped like x and returns a number. Leave the caller's x unchanged. eps <= 0 -> ValueError.
    """
    raise NotImplementedError
