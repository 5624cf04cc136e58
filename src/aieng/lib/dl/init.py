"""Weight initialization that keeps signals alive: Xavier/Glorot and Kaiming/He, as torch.nn.init does it.

A layer z = W x with n_in inputs of variance v and weights of variance s^2 gives outputs of variance
n_in s^2 v. Through many layers that factor is raised to the depth: below 1 the signal (and the
gradient) vanishes, above 1 it explodes. The fix is to choose s^2 so the factor is 1:

- Xavier/Glorot (tanh, sigmoid, linear): Var(w) = gain^2 * 2 / (fan_in + fan_out), a compromise between
  keeping the forward pass (needs 1/fan_in) and the backward pass (needs 1/fan_out) steady;
- Kaiming/He (ReLU): Var(w) = gain^2 / fan, with gain^2 = 2 because ReLU zeroes half of its inputs,
  halving the second moment; fan is fan_in (forward) or fan_out (backward).

Uniform versions draw from U(-a, a), whose variance is a^2 / 3, so a = sqrt(3) * std.
Fans follow torch's convention for a weight of shape (out, in, *kernel): fan_in = in * prod(kernel),
fan_out = out * prod(kernel) (a Linear weight is (out, in)). Gains follow torch.nn.init.calculate_gain.

Left out: orthogonal, sparse, trunc_normal and identity/Dirac inits, and torch's in-place `_` API
(these functions return a new float64 array). Cost: O(number of weights).
"""

from __future__ import annotations

import math

import numpy as np

_GAIN_ONE = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
             "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor torch recommends for scaling weights in front of an activation.

    linear/identity/conv*/sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu with slope a (default 0.01):
    sqrt(2 / (1 + a^2)); selu: 3/4.

    >>> round(calculate_gain("relu"), 6), calculate_gain("tanh")
    (1.414214, 1.6666666666666667)
    """
    if nonlinearity in _GAIN_ONE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, int | float):
            raise ValueError(f"negative_slope {slope!r} is not a valid number")
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def fan_in_and_fan_out(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel): (in * k, out * k), k = prod(kernel).

    >>> fan_in_and_fan_out((64, 3, 5, 5))
    (75, 1600)
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a weight with at least 2 dimensions, got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _generator(rng: int | np.random.Generator | None) -> np.random.Generator:
    return np.random.default_rng(rng)


def _fan(shape: tuple[int, ...], mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:
        raise ValueError(f"cannot initialize a weight with a zero-size {mode}: shape {tuple(shape)}")
    return fan


def xavier_uniform(shape: tuple[int, ...], gain: float = 1.0,
                   rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Weights ~ U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)), as an array of `shape`.

    >>> w = xavier_uniform((300, 200), rng=0); bool(np.abs(w).max() <= math.sqrt(6 / 500))
    True
    """
    fan_in, fan_out = fan_in_and_fan_out(shape)
    if fan_in + fan_out == 0:
        raise ValueError(f"cannot initialize a weight with zero fans: shape {tuple(shape)}")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return _generator(rng).uniform(-bound, bound, size=shape)


def xavier_normal(shape: tuple[int, ...], gain: float = 1.0,
                  rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Weights ~ N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)), as an array of `shape`."""
    fan_in, fan_out = fan_in_and_fan_out(shape)
    if fan_in + fan_out == 0:
        raise ValueError(f"cannot initialize a weight with zero fans: shape {tuple(shape)}")
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return _generator(rng).normal(0.0, std, size=shape)


def kaiming_uniform(shape: tuple[int, ...], a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Weights ~ U(-b, b) with b = sqrt(3) * gain / sqrt(fan); gain = calculate_gain(nonlinearity, a).

    Defaults as torch: leaky_relu with slope a = 0, i.e. the ReLU gain sqrt(2), and fan = fan_in.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(shape, mode))
    bound = math.sqrt(3.0) * std
    return _generator(rng).uniform(-bound, bound, size=shape)


def kaiming_normal(shape: tuple[int, ...], a: float = 0.0, mode: str = "fan_in",
                   nonlinearity: str = "leaky_relu", rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Weights ~ N(0, std^2) with std = gain / sqrt(fan); gain = calculate_gain(nonlinearity, a).

    >>> w = kaiming_normal((256, 512), rng=0); round(float(w.std() * math.sqrt(512 / 2)), 1)
    1.0
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(shape, mode))
    return _generator(rng).normal(0.0, std, size=shape)
