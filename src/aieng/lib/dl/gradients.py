"""Vanishing and exploding gradients, measured and plotted; gradient clipping by norm.

Backpropagation through L layers multiplies the output gradient by one Jacobian per layer:
dL/dh_0 = W_1^T D_1 W_2^T D_2 ... (D_l the diagonal of activation derivatives). If those factors are
typically smaller than 1 in norm, the early layers' gradients shrink geometrically with depth
(vanishing: sigmoid's derivative is at most 1/4, and small weights shrink it more); if larger than 1,
they grow geometrically (exploding: large weights). `layer_grad_norms` builds a deep MLP, runs one
forward and backward pass by hand in numpy, and reports ||dL/dW_l|| for every layer, so the effect of
the activation and of the initialization can be seen; `plot_grad_norms` draws them on a log axis.

`clip_grad_norm_` is the standard guard against explosions: if the global norm of all gradients
(taken as one long vector) exceeds max_norm, every gradient is scaled by max_norm / norm, which
keeps the direction and caps the step (as torch.nn.utils.clip_grad_norm_).

The MLP: `depth` Linear layers of shape (width, width), weights (out, in) used as h @ W.T + b,
biases zero, the activation after every layer but the last, loss = mean((output - y)^2) over all
entries, on standard-normal inputs x and targets y of shape (n_samples, width).

Left out: clipping by value, per-parameter norms for adaptive clipping, residual/normalized networks
(the modern cures, covered in their own lessons). Cost: O(depth * n_samples * width^2) per pass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = ("small", "large", "xavier", "he")


def clip_grad_norm_(params: Iterable[Any], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Scale all gradients in place so their global norm is at most `max_norm`; return the norm before.

    total = || (||g_1||_p, ..., ||g_k||_p) ||_p over the parameters whose `.grad` is not None (for
    p = inf: the largest |entry|). Each gradient is multiplied by min(1, max_norm / (total + 1e-6)),
    the 1e-6 guarding against division by zero, exactly as torch does. No gradients: returns 0.0.

    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(grad=np.array([3.0, 4.0]))
    >>> clip_grad_norm_([p], max_norm=1.0), np.round(p.grad, 6)
    (5.0, array([0.6, 0.8]))
    """
    if hasattr(params, "grad"):
        params = [params]
    if not max_norm >= 0.0:
        raise ValueError(f"max_norm must be >= 0, got {max_norm}")
    norm_type = float(norm_type)
    if not norm_type > 0.0:
        raise ValueError(f"norm_type must be positive (or inf), got {norm_type}")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    if norm_type == math.inf:
        per_param = np.array([np.max(np.abs(g)) if np.size(g) else 0.0 for g in grads])
        total = float(per_param.max())
    else:
        per_param = np.array([np.sum(np.abs(g) ** norm_type) ** (1.0 / norm_type) for g in grads])
        total = float(np.sum(per_param**norm_type) ** (1.0 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise ValueError(f"the total norm of order {norm_type} of the gradients is non-finite ({total})")
    coef = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        np.multiply(g, coef, out=g)
    return total


def _activation(name: str) -> tuple[Any, Any]:
    """(f, f') for an activation name; f' takes the pre-activation z."""
    if name == "relu":
        return (lambda z: np.maximum(z, 0.0)), (lambda z: (z > 0).astype(z.dtype))
    if name == "tanh":
        return np.tanh, (lambda z: 1.0 - np.tanh(z) ** 2)
    if name == "sigmoid":
        def sigmoid(z: np.ndarray) -> np.ndarray:
            return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^-z) without overflow
        return sigmoid, (lambda z: sigmoid(z) * (1.0 - sigmoid(z)))
    raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")


def init_mlp(depth: int, width: int, init: str, rng: int | np.random.Generator | None = None
             ) -> list[tuple[np.ndarray, np.ndarray]]:
    """`depth` pairs (W, b): W of shape (width, width) drawn from N(0, std^2), b zeros of shape (width,).

    std by `init`: "small" 0.01, "large" 1.0, "xavier" sqrt(2 / (fan_in + fan_out)) = sqrt(1 / width),
    "he" sqrt(2 / fan_in) = sqrt(2 / width). Weights are drawn layer by layer, first layer first, as
    `rng.normal(0, std, (width, width))`.
    """
    if isinstance(depth, bool) or int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth!r}")
    if isinstance(width, bool) or int(width) != width or width < 1:
        raise ValueError(f"width must be a positive integer, got {width!r}")
    stds = {"small": 0.01, "large": 1.0, "xavier": math.sqrt(1.0 / width), "he": math.sqrt(2.0 / width)}
    if init not in stds:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    gen = np.random.default_rng(rng)
    return [(gen.normal(0.0, stds[init], (width, width)), np.zeros(width)) for _ in range(int(depth))]


def mlp_grad_norms(params: list[tuple[np.ndarray, np.ndarray]], x: ArrayLike, y: ArrayLike,
                   activation: str = "relu") -> np.ndarray:
    """||dL/dW_l|| (Frobenius) for every layer, first layer first, shape (depth,), by manual backprop.

    Forward: h_0 = x; z_l = h_{l-1} W_l^T + b_l; h_l = f(z_l) except after the last layer (linear
    output); L = mean((z_L - y)^2). Backward: dz_L = 2 (z_L - y) / y.size; dW_l = dz_l^T h_{l-1};
    dh_{l-1} = dz_l W_l; dz_{l-1} = dh_{l-1} * f'(z_{l-1}).
    """
    f, df = _activation(activation)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if not params:
        raise ValueError("the network needs at least one layer")
    if x.ndim != 2 or x.shape[1] != params[0][0].shape[1]:
        raise ValueError(f"x must have shape (n, {params[0][0].shape[1]}), got {x.shape}")
    hs, zs = [x], []
    for i, (w, b) in enumerate(params):
        zs.append(hs[-1] @ w.T + b)
        if i < len(params) - 1:
            hs.append(f(zs[-1]))
    if y.shape != zs[-1].shape:
        raise ValueError(f"y must have the output's shape {zs[-1].shape}, got {y.shape}")
    dz = 2.0 * (zs[-1] - y) / y.size
    norms = np.empty(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(dz.T @ hs[i])
        if i > 0:
            dz = (dz @ params[i][0]) * df(zs[i - 1])
    return norms


def layer_grad_norms(depth: int, width: int, activation: str = "relu", init: str = "he", seed: int = 0,
                     n_samples: int = 64) -> np.ndarray:
    """Per-layer weight-gradient norms, shape (depth,), of a fresh deep MLP on random data.

    One generator `numpy.random.default_rng(seed)` draws, in this order: the weights
    (`init_mlp(depth, width, init, rng)`), then x and then y, each `rng.standard_normal((n_samples, width))`.
    Then `mlp_grad_norms(params, x, y, activation)`. Same seed, same numbers.

    >>> norms = layer_grad_norms(10, 32, "sigmoid", "small")
    >>> bool(norms[0] < 1e-12 * norms[-1])   # vanished on the way back
    True
    """
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}")
    rng = np.random.default_rng(seed)
    params = init_mlp(depth, width, init, rng)
    x = rng.standard_normal((n_samples, width))
    y = rng.standard_normal((n_samples, width))
    return mlp_grad_norms(params, x, y, activation)


def plot_grad_norms(results: Mapping[str, ArrayLike], path: str | Path) -> Figure:
    """One line per configuration: layer number (1 = input side) against ||dL/dW_l||, log y-axis.

    `results` maps a label (e.g. "sigmoid, small init") to that configuration's per-layer norms. The
    figure is saved as a PNG at `path` and returned (built with matplotlib.figure.Figure, no pyplot).
    """
    if not results:
        raise ValueError("results is empty: nothing to plot")
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.add_subplot()
    for label, norms in results.items():
        norms = np.asarray(norms, dtype=np.float64)
        if norms.ndim != 1 or norms.size == 0:
            raise ValueError(f"{label!r}: expected a non-empty 1-D array of per-layer norms, got shape {norms.shape}")
        ax.plot(np.arange(1, norms.size + 1), norms, marker="o", markersize=3, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = closest to the input)")
    ax.set_ylabel("gradient norm of the layer's weights")
    ax.set_title("Per-layer gradient norms at initialization")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    fig.savefig(Path(path), format="png", dpi=100)
    return fig
