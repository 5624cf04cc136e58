"""Optimizers — your implementation. Check it with `aieng check optimizers`.

A parameter is any object with `.data` (a float numpy array, to update IN PLACE) and `.grad` (an array
of the same shape, or None: skip that parameter, and leave its state alone). The learning rate is the
plain attribute `self.lr`, read at every step (schedulers change it). Signatures and defaults are
torch.optim's. The base class below is written for you; fill in `zero_grad` and each `step`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class Optimizer:
    """Keeps the parameter list, the learning rate and a state dict per parameter index."""

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        if lr < 0:
            raise ValueError(f"invalid learning rate: {lr}")
        self.lr = float(lr)
        self.state: dict[int, dict[str, np.ndarray | int]] = {}  # state[i]: the i-th parameter's buffers

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every `.grad` to None, or (set_to_none=False) fill the existing gradient arrays with zeros."""
        raise NotImplementedError

    def step(self) -> None:
        """Update, in place, every parameter whose `.grad` is not None."""
        raise NotImplementedError


class SGD(Optimizer):
    """SGD with momentum, dampening, Nesterov momentum and weight decay, exactly as torch.optim.SGD.

    g = grad + weight_decay * w; with momentum mu: buf = g on the first step, then
    buf = mu * buf + (1 - dampening) * g; direction d = g + mu * buf (Nesterov) or buf; w -= lr * d.
    ValueError: lr, momentum or weight_decay < 0; nesterov without momentum > 0 and dampening == 0.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(params, lr)
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class RMSprop(Optimizer):
    """RMSprop as torch.optim.RMSprop: s = alpha s + (1 - alpha) g^2; step lr * g / (sqrt(s) + eps).

    centered: also m = alpha m + (1 - alpha) g and use sqrt(s - m^2). momentum > 0: buf = mu buf + that
    ratio, step lr * buf. weight_decay adds wd * w to g. ValueError on negative lr, alpha, eps, momentum,
    weight_decay.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        super().__init__(params, lr)
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class Adam(Optimizer):
    """Adam as torch.optim.Adam (weight_decay = L2: wd * w added to the gradient first).

    Per parameter, t counts its own steps from 1: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
    w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    ValueError: betas outside [0, 1), negative lr, eps or weight_decay.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class AdamW(Adam):
    """AdamW as torch.optim.AdamW: w *= 1 - lr * weight_decay, then an Adam step without the L2 term."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError

