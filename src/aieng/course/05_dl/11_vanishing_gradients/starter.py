"""Vanishing and exploding gradients — your implementation. Check it with `aieng check vanishing-gradients`.

The network: `depth` Linear layers of shape (width, width), weights (out, in) used as h @ W.T + b, biases
zero, the activation ("sigmoid", "tanh" or "relu") after every layer but the last, and the loss
L = mean((output - y)^2) over all entries. Plots use matplotlib.figure.Figure (not pyplot).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure


def clip_grad_norm_(params: Iterable[Any], max_norm: float, norm_type: float = 2.0) -> float:
    """Scale, in place, the `.grad` arrays of `params` (skipping None) so that their global norm is at most
    `max_norm`; return the global norm before clipping, as torch.nn.utils.clip_grad_norm_.

    total = (sum over all entries of all gradients of |g|^p)^(1/p), or max |g| for p = inf;
    every gradient is multiplied by min(1, max_norm / (total + 1e-6)). No gradients: 0.0.
    ValueError if max_norm < 0.
    """
    raise NotImplementedError


def init_mlp(depth: int, width: int, init: str, rng: int | np.random.Generator | None = None
             ) -> list[tuple[np.ndarray, np.ndarray]]:
    """`depth` pairs (W of shape (width, width), b = zeros(width)); W drawn layer by layer, first layer first,
    as rng.normal(0.0, std, (width, width)) with std 0.01 for "small", 1.0 for "large", sqrt(1 / width) for
    "xavier" and sqrt(2 / width) for "he". ValueError for another init or depth, width < 1."""
    raise NotImplementedError


def mlp_grad_norms(params: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, y: np.ndarray,
                   activation: str = "relu") -> np.ndarray:
    """Frobenius norm of dL/dW for every layer, first layer first, shape (depth,), by a forward pass and a
    manual backward pass in numpy. x and y have shape (n, width). ValueError for an unknown activation."""
    raise NotImplementedError


def layer_grad_norms(depth: int, width: int, activation: str = "relu", init: str = "he", seed: int = 0,
                     n_samples: int = 64) -> np.ndarray:
    """Per-layer gradient norms (depth,) of a fresh network on random data: rng = np.random.default_rng(seed);
    params = init_mlp(depth, width, init, rng); then x and y, each rng.standard_normal((n_samples, width)),
    in that order; return mlp_grad_norms(params, x, y, activation)."""
    raise NotImplementedError


def plot_grad_norms(results: Mapping[str, np.ndarray], path: str | Path) -> Figure:
    """Plot each configuration's per-layer norms (label -> array of shape (depth,)) against the layer number
    1..depth on a logarithmic y-axis, one labelled line each, with axis labels and a legend; save the figure as
    a PNG at `path` and return it. ValueError for empty results."""
    raise NotImplementedError
