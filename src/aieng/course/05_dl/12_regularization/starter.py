"""Regularization — your implementation. Check it with `aieng check regularization`.

Penalties take the weights `w` (any shape) and a strength `lam` >= 0 (ValueError otherwise) and return a
float; their `_backward` returns the gradient of the penalty with respect to w (shape of w).
Dropout takes `rng`, a seed or a numpy Generator (use np.random.default_rng(rng)).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def l1_penalty(w: ArrayLike, lam: float) -> float:
    """lam * sum |w_i| over all entries (0.0 for an empty array)."""
    raise NotImplementedError


def l1_penalty_backward(w: ArrayLike, lam: float) -> np.ndarray:
    """lam * sign(w), with 0 where w == 0."""
    raise NotImplementedError


def l2_penalty(w: ArrayLike, lam: float) -> float:
    """(lam / 2) * sum w_i^2 over all entries."""
    raise NotImplementedError


def l2_penalty_backward(w: ArrayLike, lam: float) -> np.ndarray:
    """lam * w: exactly the term torch's SGD adds for weight_decay=lam."""
    raise NotImplementedError


def dropout(x: ArrayLike, p: float = 0.5, training: bool = True,
            rng: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout: return (y, mask), both of the shape of x, with y = x * mask.

    Training: each unit is kept with probability 1 - p (`rng.random(x.shape) < 1 - p`) and its mask entry is
    1 / (1 - p); dropped units get 0. p = 1: everything dropped (zeros); p = 0 or training=False: y = x and a
    mask of ones. ValueError if p is not in [0, 1].
    """
    raise NotImplementedError


def dropout_backward(mask: np.ndarray, grad: ArrayLike) -> np.ndarray:
    """dL/dx given dL/dy = grad: grad * mask (same shape)."""
    raise NotImplementedError
