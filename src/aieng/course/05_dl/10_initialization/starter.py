"""Weight initialization — your implementation. Check it with `aieng check initialization`.

Weights have torch's layout (out, in, *kernel): a Linear weight is (out, in), a Conv2d weight
(out, in, kH, kW). Every function returns a new float64 array of `shape`, drawn with
`np.random.default_rng(rng)` (rng: a seed or a numpy Generator).
"""

from __future__ import annotations

import numpy as np


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """torch's recommended gain: linear/identity/conv*/sigmoid 1, tanh 5/3, relu sqrt(2),
    leaky_relu sqrt(2 / (1 + slope^2)) with slope = param (default 0.01), selu 3/4; else ValueError."""
    raise NotImplementedError


def fan_in_and_fan_out(shape: tuple[int, ...]) -> tuple[int, int]:
    """(in * k, out * k) for shape (out, in, *kernel), k = product of the kernel sizes (1 if none).
    ValueError for fewer than 2 dimensions."""
    raise NotImplementedError


def xavier_uniform(shape: tuple[int, ...], gain: float = 1.0,
                   rng: int | np.random.Generator | None = None) -> np.ndarray:
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    raise NotImplementedError


def xavier_normal(shape: tuple[int, ...], gain: float = 1.0,
                  rng: int | np.random.Generator | None = None) -> np.ndarray:
    """N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    raise NotImplementedError


def kaiming_uniform(shape: tuple[int, ...], a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", rng: int | np.random.Generator | None = None) -> np.ndarray:
    """U(-b, b) with b = sqrt(3) * gain / sqrt(fan); gain = calculate_gain(nonlinearity, a); fan by `mode`
    ("fan_in" or "fan_out", else ValueError)."""
    raise NotImplementedError


def kaiming_normal(shape: tuple[int, ...], a: float = 0.0, mode: str = "fan_in",
                   nonlinearity: str = "leaky_relu", rng: int | np.random.Generator | None = None) -> np.ndarray:
    """N(0, std^2) with std = gain / sqrt(fan); gain = calculate_gain(nonlinearity, a); fan by `mode`."""
    raise NotImplementedError
