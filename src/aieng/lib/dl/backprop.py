"""Backpropagation by hand: the forward and backward pass of a small multilayer perceptron in numpy,
and a finite-difference gradient check to test any backward pass with.

The network has two hidden layers and a softmax cross-entropy loss:

    z1 = x W1^T + b1,  a1 = tanh(z1) or relu(z1)
    z2 = a1 W2^T + b2, a2 = relu(z2)
    z3 = a2 W3^T + b3  (the logits),  L = cross_entropy(z3, y)  (mean over the N rows)

Weights are shaped like torch.nn.Linear's, ``W`` of shape (out, in) and ``b`` of shape (out,), so the same
numbers can be copied into torch and back. The backward pass walks the chain rule from the loss down:
with ``delta = dL/dz`` of shape (N, out) at a layer whose input is ``a`` of shape (N, in),

    dL/dW = delta^T a  (out, in),   dL/db = sum over rows of delta  (out,),   dL/da = delta W  (N, in),

and ``delta`` of the layer below is ``dL/da * f'(z)``, f the activation in between.

``linear`` / ``linear_backward`` are that single layer as a forward/backward pair (the ``aieng.lib.dl``
naming contract). ``numerical_gradient`` approximates a gradient by central differences, to check
backward passes against.

Left out: any other depth or layer type, regularization, and training (see the training-loop exercise).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from aieng.lib.dl.activations import _as_float, relu, relu_backward, tanh, tanh_backward
from aieng.lib.dl.losses import cross_entropy, cross_entropy_backward

PARAM_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")
_ACTIVATIONS = {"tanh": (tanh, tanh_backward), "relu": (relu, relu_backward)}


# ----------------------------------------------------------------------------- one layer


def linear(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None) -> np.ndarray:
    """A fully connected layer ``y = x W^T + b``, like torch.nn.functional.linear.

    x: (N, in), weight: (out, in), bias: (out,) or None -> y: (N, out). Cost O(N in out).

    >>> linear(np.array([[1.0, 2.0]]), np.array([[1.0, 1.0], [0.0, -1.0]]), np.array([0.5, 0.0]))
    array([[ 3.5, -2. ]])
    """
    x, weight = _as_float(x, "x"), _as_float(weight, "weight")
    if x.ndim != 2 or weight.ndim != 2 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"linear needs x of shape (N, in) and weight of shape (out, in), "
                         f"got {x.shape} and {weight.shape}")
    y = x @ weight.T
    if bias is not None:
        bias = _as_float(bias, "bias")
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"bias must have shape ({weight.shape[0]},), got {bias.shape}")
        y = y + bias
    return y


def linear_backward(x: ArrayLike, weight: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a linear layer from dL/dy (``grad``, shape (N, out)): ``(dL/dx, dL/dW, dL/db)``.

    ``dL/dx = grad W`` (N, in), ``dL/dW = grad^T x`` (out, in), ``dL/db = grad summed over rows`` (out,).
    Every example contributes an outer product to dL/dW, which is why it is a sum over the batch.
    Cost O(N in out).
    """
    x, weight, grad = _as_float(x, "x"), _as_float(weight, "weight"), _as_float(grad, "grad")
    if x.ndim != 2 or weight.ndim != 2 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"linear needs x of shape (N, in) and weight of shape (out, in), "
                         f"got {x.shape} and {weight.shape}")
    if grad.shape != (x.shape[0], weight.shape[0]):
        raise ValueError(f"grad must have shape {(x.shape[0], weight.shape[0])}, got {grad.shape}")
    return grad @ weight, grad.T @ x, grad.sum(axis=0)


# ----------------------------------------------------------------------------- the MLP


def init_params(n_inputs: int, n_hidden1: int, n_hidden2: int, n_classes: int,
                rng: np.random.Generator | int | None = None, dtype: type = np.float64) -> dict[str, np.ndarray]:
    """Random parameters for the MLP, drawn like torch.nn.Linear's defaults: uniform in ``+-1/sqrt(fan_in)``.

    Returns {"W1": (h1, d), "b1": (h1,), "W2": (h2, h1), "b2": (h2,), "W3": (C, h2), "b3": (C,)}.
    """
    rng = np.random.default_rng(rng)
    sizes = [(n_hidden1, n_inputs), (n_hidden2, n_hidden1), (n_classes, n_hidden2)]
    params = {}
    for k, (out, inp) in enumerate(sizes, start=1):
        bound = 1.0 / np.sqrt(inp)
        params[f"W{k}"] = rng.uniform(-bound, bound, (out, inp)).astype(dtype)
        params[f"b{k}"] = rng.uniform(-bound, bound, out).astype(dtype)
    return params


def _check_params(params: Mapping[str, ArrayLike], n_inputs: int) -> dict[str, np.ndarray]:
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params lacks {', '.join(missing)}; it needs {', '.join(PARAM_NAMES)}")
    p = {k: _as_float(params[k], k) for k in PARAM_NAMES}
    fan_in = n_inputs
    for k in (1, 2, 3):
        w, b = p[f"W{k}"], p[f"b{k}"]
        if w.ndim != 2 or w.shape[1] != fan_in or b.shape != (w.shape[0],):
            raise ValueError(f"W{k} must have shape (out, {fan_in}) and b{k} shape (out,), got {w.shape} and {b.shape}")
        fan_in = w.shape[0]
    return p


def mlp_forward(x: ArrayLike, y: ArrayLike, params: Mapping[str, ArrayLike],
                activation: str = "tanh") -> tuple[float, dict[str, Any]]:
    """The loss of the MLP on a batch, and the cache its backward pass needs.

    x: (N, d) inputs, y: (N,) integer labels in [0, C), params as from `init_params`; `activation` is the
    first hidden layer's, "tanh" or "relu" (the second is always relu). Returns ``(L, cache)`` with L
    the mean cross-entropy (a float) and cache holding x, y, the parameters, the activation and every
    intermediate z1, a1, z2, a2, z3. Cost O(N (d h1 + h1 h2 + h2 C)).
    """
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
    x = _as_float(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must have shape (N, d), got {x.shape}")
    p = _check_params(params, x.shape[1])
    forward, _ = _ACTIVATIONS[activation]
    z1 = linear(x, p["W1"], p["b1"])
    a1 = forward(z1)
    z2 = linear(a1, p["W2"], p["b2"])
    a2 = relu(z2)
    z3 = linear(a2, p["W3"], p["b3"])
    loss = cross_entropy(z3, y)  # validates y against the logits' shape
    cache = {"x": x, "y": np.asarray(y), "params": p, "activation": activation,
             "z1": z1, "a1": a1, "z2": z2, "a2": a2, "z3": z3}
    return loss, cache


def mlp_backward(cache: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Gradients of the mean loss with respect to every parameter, from `mlp_forward`'s cache.

    Returns {"W1": ..., "b1": ..., "W2": ..., "b2": ..., "W3": ..., "b3": ...}, each of its
    parameter's shape. The same cost as the forward pass, about twice over.
    """
    p = cache["params"]
    _, backward = _ACTIVATIONS[cache["activation"]]
    delta3 = cross_entropy_backward(cache["z3"], cache["y"])        # (N, C): (softmax - onehot) / N
    da2, g_w3, g_b3 = linear_backward(cache["a2"], p["W3"], delta3)
    delta2 = relu_backward(cache["z2"], da2)                        # (N, h2)
    da1, g_w2, g_b2 = linear_backward(cache["a1"], p["W2"], delta2)
    delta1 = backward(cache["z1"], da1)                             # (N, h1)
    _, g_w1, g_b1 = linear_backward(cache["x"], p["W1"], delta1)
    return {"W1": g_w1, "b1": g_b1, "W2": g_w2, "b2": g_b2, "W3": g_w3, "b3": g_b3}


# ----------------------------------------------------------------------------- gradient check


def numerical_gradient(f: Callable[[np.ndarray], float], x: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """Central-difference estimate of the gradient of a scalar function f at x (any shape).

    ``df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``: the error is about
    ``eps^2 |f'''| / 6`` (truncation) plus ``u |f| / eps`` (round-off, u ~ 1e-16 in float64), smallest
    near eps ~ u^(1/3) (a few times 1e-6) and, at eps = 1e-6, of order 1e-10: good to about 6 or more
    digits, never to 1e-10.
    Works in float64 whatever x's dtype; x itself is not changed. Costs 2 x.size evaluations of f.

    >>> np.round(numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0])), 6)
    array([ 2., -4.])
    """
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    point = np.array(x, dtype=np.float64)  # a copy: the caller's array stays as it was
    grad = np.empty_like(point)
    flat, out = point.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):  # one coordinate at a time: f is a black box
        original = flat[i]
        flat[i] = original + eps
        up = float(f(point))
        flat[i] = original - eps
        down = float(f(point))
        flat[i] = original
        out[i] = (up - down) / (2.0 * eps)
    return grad
