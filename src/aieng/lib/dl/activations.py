"""Activation functions of neural networks and their derivatives, as numpy forward/backward pairs.

Each activation comes as two functions with the naming contract of ``aieng.lib.dl``:

    forward:   name(x, **options) -> y                 same shape and float dtype as x
    backward:  name_backward(x, grad, **options) -> grad_x

``grad`` is dL/dy, the gradient of some scalar loss L with respect to the output, and the backward
function returns dL/dx, the vector-Jacobian product a backward pass needs. For the elementwise
activations the Jacobian is diagonal, so dL/dx = f'(x) * grad; softmax and log_softmax mix the entries
of one slice along ``axis``, and their backward functions contract the full Jacobian without ever
building it.

Implemented: sigmoid, tanh, relu, leaky_relu, gelu (exact, erf-based, and the tanh approximation),
softmax and log_softmax. All are vectorized, keep float32 as float32 (other inputs become float64), and
stay finite for inputs as large as +-1e3: sigmoid never exponentiates a positive number, softmax and
log_softmax subtract the maximum first (the log-sum-exp trick).
At the kinks, the conventions are torch's: relu'(0) = 0, leaky_relu'(0) = negative_slope.

Left out: in-place variants, ELU/SELU/SiLU/softplus, and threshold or min/max clamping options.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfc

_SQRT_HALF = float(np.sqrt(0.5))  # Python floats: numpy scalars would promote float32 to float64
_INV_SQRT_2PI = float(1.0 / np.sqrt(2.0 * np.pi))
_TANH_K = float(np.sqrt(2.0 / np.pi))  # the tanh approximation of GELU: tanh(k (x + c x^3))
_TANH_C = 0.044715


def _as_float(x: ArrayLike, what: str = "x") -> np.ndarray:
    """`x` as a float array: float32 and float64 are kept, integers and bools become float64."""
    array = np.asarray(x)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise ValueError(f"{what} must be a numeric array, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise ValueError(f"{what} must be real, got dtype {array.dtype}")
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    return array


def _pair(x: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """`x` and `grad` as float arrays of the same shape (grad cast to x's dtype), or a ValueError."""
    x = _as_float(x)
    grad = _as_float(grad, "grad")
    if grad.shape != x.shape:
        raise ValueError(f"grad must have the shape of x, {x.shape}, got {grad.shape}")
    return x, grad.astype(x.dtype, copy=False)


# ----------------------------------------------------------------------------- sigmoid, tanh


def sigmoid(x: ArrayLike) -> np.ndarray:
    """The logistic function ``sigma(x) = 1 / (1 + exp(-x))``, elementwise; values in (0, 1).

    Written with ``e = exp(-|x|)`` so no exponential ever overflows: ``1 / (1 + e)`` for x >= 0 and
    ``e / (1 + e)`` for x < 0 (the same value, multiplied through by exp(x)). O(n).

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    x = _as_float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def sigmoid_backward(x: ArrayLike, grad: ArrayLike) -> np.ndarray:
    """dL/dx for y = sigmoid(x): ``sigma'(x) = sigma(x) (1 - sigma(x)) = sigma(x) sigma(-x)``, times grad.

    The derivative peaks at 1/4 (x = 0) and decays like exp(-|x|): a saturated sigmoid passes almost no
    gradient back. ``sigma(-x)`` stands in for ``1 - sigma(x)``, which would round to 0 for large x. O(n).
    """
    x, grad = _pair(x, grad)
    return sigmoid(x) * sigmoid(-x) * grad


def tanh(x: ArrayLike) -> np.ndarray:
    """The hyperbolic tangent, elementwise; values in (-1, 1), ``tanh(x) = 2 sigma(2x) - 1``. O(n)."""
    return np.tanh(_as_float(x))


def tanh_backward(x: ArrayLike, grad: ArrayLike) -> np.ndarray:
    """dL/dx for y = tanh(x): ``tanh'(x) = 1 - tanh(x)^2`` (at most 1, at x = 0), times grad. O(n)."""
    x, grad = _pair(x, grad)
    y = np.tanh(x)
    return (1.0 - y * y) * grad


# ----------------------------------------------------------------------------- ReLU family


def relu(x: ArrayLike) -> np.ndarray:
    """The rectified linear unit ``max(x, 0)``, elementwise. O(n).

    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    x = _as_float(x)
    return np.maximum(x, 0)  # NaN stays NaN, as in torch


def relu_backward(x: ArrayLike, grad: ArrayLike) -> np.ndarray:
    """dL/dx for y = relu(x): grad where x > 0, else 0.

    relu has no derivative at 0; like torch we use 0 there (a subgradient: any value in [0, 1] is one).
    A unit whose input is negative for every example gets no gradient at all: a "dead" ReLU. O(n).
    """
    x, grad = _pair(x, grad)
    return np.where(x > 0, grad, np.zeros((), dtype=x.dtype))


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """``x`` for x > 0 and ``negative_slope * x`` otherwise, elementwise. O(n).

    The small slope on the negative side keeps a gradient flowing, so units cannot die.

    >>> leaky_relu(np.array([-100.0, 2.0]), negative_slope=0.1)
    array([-10.,   2.])
    """
    x = _as_float(x)
    return np.where(x > 0, x, (negative_slope * x).astype(x.dtype, copy=False))


def leaky_relu_backward(x: ArrayLike, grad: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """dL/dx for y = leaky_relu(x): grad where x > 0, ``negative_slope * grad`` otherwise (x = 0 included,
    torch's convention). O(n)."""
    x, grad = _pair(x, grad)
    return np.where(x > 0, grad, (negative_slope * grad).astype(x.dtype, copy=False))


# ----------------------------------------------------------------------------- GELU


def _check_approximate(approximate: str) -> None:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")


def gelu(x: ArrayLike, approximate: str = "none") -> np.ndarray:
    """The Gaussian error linear unit ``x Phi(x)``, Phi the standard normal CDF, elementwise. O(n).

    Exact (``approximate="none"``, torch's default): ``Phi(x) = erfc(-x / sqrt 2) / 2``; erfc rather
    than ``1 + erf(x / sqrt 2)``, whose sum cancels to 0 for very negative x. With ``approximate="tanh"``:
    ``x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``, the older, cheaper form (GPT-2's).
    GELU is smooth, about x for large x, about 0 for very negative x, and dips to -0.17 near x = -0.75.

    >>> np.round(gelu(np.array([-1.0, 0.0, 1.0])), 4)
    array([-0.1587,  0.    ,  0.8413])
    """
    _check_approximate(approximate)
    x = _as_float(x)
    if approximate == "tanh":  # x/2 (1 + tanh(u)) = x sigmoid(2u): no 1 + (-1) cancellation for x << 0
        return x * sigmoid(2.0 * _TANH_K * (x + _TANH_C * x * x * x))
    return (0.5 * x * erfc(-x * _SQRT_HALF)).astype(x.dtype, copy=False)


def gelu_backward(x: ArrayLike, grad: ArrayLike, approximate: str = "none") -> np.ndarray:
    """dL/dx for y = gelu(x): ``Phi(x) + x phi(x)`` (phi the normal density) times grad; for the tanh
    form, ``(1 + t)/2 + x/2 (1 - t^2) k (1 + 3 c x^2)`` with ``t = tanh(k (x + c x^3))``, evaluated as
    ``s + 2 x s (1 - s) k (1 + 3 c x^2)`` with ``s = sigmoid(2 k (x + c x^3))``: in float32, ``1 - t^2``
    is off by up to ~1e-7 for x near -5 (t has 7 digits), an error the x^3 factor then magnifies. O(n)."""
    _check_approximate(approximate)
    x, grad = _pair(x, grad)
    if approximate == "tanh":
        v = 2.0 * _TANH_K * (x + _TANH_C * x * x * x)  # (1 + t)/2 = sigmoid(v), (1 - t^2)/4 = sigmoid(v) sigmoid(-v)
        s_plus, s_minus = sigmoid(v), sigmoid(-v)
        slope = s_plus + 2.0 * x * s_plus * s_minus * _TANH_K * (1.0 + 3.0 * _TANH_C * x * x)
    else:
        slope = 0.5 * erfc(-x * _SQRT_HALF) + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x)
    return (slope * grad).astype(x.dtype, copy=False)


# ----------------------------------------------------------------------------- softmax


def _shifted(x: np.ndarray, axis: int) -> np.ndarray:
    """``x - max(x)`` along `axis` (every entry <= 0, so exp never overflows); rows of -inf stay -inf - 0."""
    peak = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    return x - np.where(np.isfinite(peak), peak, 0.0).astype(x.dtype, copy=False)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``exp(x_i) / sum_j exp(x_j)`` along `axis`: each slice becomes a probability vector. O(n).

    Softmax does not change when a constant is added to a slice, so the maximum is subtracted first:
    the largest exponent is then exp(0) = 1 and nothing overflows, even for logits near 1e3.

    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    """
    x = _as_float(x)
    e = np.exp(_shifted(x, axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(x: ArrayLike, grad: ArrayLike, axis: int = -1) -> np.ndarray:
    """dL/dx for y = softmax(x): ``y * (grad - sum(grad * y))``, the sum along `axis`.

    The Jacobian is ``diag(y) - y y^T`` per slice; multiplying grad by it needs only one dot product per
    slice, O(n) in all, never the C x C matrix.
    """
    x, grad = _pair(x, grad)
    y = softmax(x, axis=axis)
    return y * (grad - np.sum(grad * y, axis=axis, keepdims=True))


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``x_i - log sum_j exp(x_j)`` along `axis`: the log of softmax, computed without taking log(0). O(n).

    With ``m = max_j x_j``: ``log sum_j exp(x_j) = m + log sum_j exp(x_j - m)`` (log-sum-exp), so the
    result is ``(x - m) - log sum exp(x - m)``. Computing ``log(softmax(x))`` instead gives -inf as soon
    as one probability underflows to 0.

    >>> log_softmax(np.array([0.0, 1000.0]))
    array([-1000.,     0.])
    """
    x = _as_float(x)
    z = _shifted(x, axis)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def log_softmax_backward(x: ArrayLike, grad: ArrayLike, axis: int = -1) -> np.ndarray:
    """dL/dx for y = log_softmax(x): ``grad - softmax(x) * sum(grad)``, the sum along `axis`. O(n)."""
    x, grad = _pair(x, grad)
    return grad - softmax(x, axis=axis) * np.sum(grad, axis=axis, keepdims=True)
