"""Activation functions and their derivatives — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check activations`.

Every pair follows one contract:
- forward `name(x, **options)` returns an array of x's shape;
- backward `name_backward(x, grad, **options)` takes grad = dL/dy of x's shape and returns dL/dx.
Return float32 for float32 input, float64 otherwise (integers become float64). Raise ValueError when
grad's shape differs from x's. No Python loops, no torch, no scipy.special.expit/softmax/log_softmax/
logsumexp (scipy.special.erf and erfc are fine).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def sigmoid(x: ArrayLike) -> np.ndarray:
    """1 / (1 + exp(-x)) elementwise, without overflow for x = -1000 (never exp a large positive number)."""
    raise NotImplementedError


def sigmoid_backward(x: ArrayLike, grad: ArrayLike) -> np.ndarray:
    """dL/dx = sigmoid(x) * (1 - sigmoid(x)) * grad, shape of x."""
    raise NotImplementedError


def tanh(x: ArrayLike) -> np.ndarray:
    """tanh(x) elementwise."""
    raise NotImplementedError


def tanh_backward(x: ArrayLike, grad: ArrayLike) -> np.ndarray:
    """dL/dx = (1 - tanh(x)**2) * grad."""
    raise NotImplementedError


def relu(x: ArrayLike) -> np.ndarray:
    """max(x, 0) elementwise."""
    raise NotImplementedError


def relu_backward(x: ArrayLike, grad: ArrayLike) -> np.ndarray:
    """dL/dx = grad where x > 0, else 0 (0 at x == 0 too, like torch)."""
    raise NotImplementedError


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """x where x > 0, negative_slope * x elsewhere."""
    raise NotImplementedError


def leaky_relu_backward(x: ArrayLike, grad: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """dL/dx = grad where x > 0, negative_slope * grad elsewhere (x == 0 included, like torch)."""
    raise NotImplementedError


def gelu(x: ArrayLike, approximate: str = "none") -> np.ndarray:
    """x * Phi(x), Phi the standard normal CDF (approximate="none", exact, with erf/erfc), or
    x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x**3))) for approximate="tanh". Any other value of
    `approximate` raises ValueError."""
    raise NotImplementedError


def gelu_backward(x: ArrayLike, grad: ArrayLike, approximate: str = "none") -> np.ndarray:
    """dL/dx = gelu'(x) * grad; exact: gelu'(x) = Phi(x) + x * phi(x), phi the standard normal density."""
    raise NotImplementedError


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """exp(x) / sum(exp(x)) along `axis`; shift by the max along `axis` first so nothing overflows."""
    raise NotImplementedError


def softmax_backward(x: ArrayLike, grad: ArrayLike, axis: int = -1) -> np.ndarray:
    """dL/dx = y * (grad - sum(grad * y along axis)) with y = softmax(x, axis)."""
    raise NotImplementedError


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """x - log(sum(exp(x))) along `axis`, by the log-sum-exp trick (finite for scores 1000 apart)."""
    raise NotImplementedError


def log_softmax_backward(x: ArrayLike, grad: ArrayLike, axis: int = -1) -> np.ndarray:
    """dL/dx = grad - softmax(x, axis) * sum(grad along axis)."""
    raise NotImplementedError
