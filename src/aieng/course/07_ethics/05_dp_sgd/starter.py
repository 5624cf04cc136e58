"""DP-SGD — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check dp-sgd`.

Gradients are dicts {parameter name (as in model.named_parameters()): tensor}. "Per-sample" tensors have a
leading batch dimension B: shape (B, *param.shape). Do not import opacus: it is the answer key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import torch
from torch import nn

DEFAULT_ORDERS = tuple(range(2, 65))
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def per_sample_gradients(model: nn.Module, loss_fn: LossFn, x: torch.Tensor,
                         y: torch.Tensor) -> dict[str, torch.Tensor]:
    """{name: (B, *param.shape)}: the gradient of loss_fn(model(x[i:i+1]), y[i:i+1]) for each example i.

    Models in the tests are nn.Linear layers with activations between them; loss_fn averages over the
    batch (nn.CrossEntropyLoss). Do not leave anything in the parameters' .grad.
    x and y with different (or zero) numbers of rows: ValueError.
    """
    raise NotImplementedError


def clip_per_sample(grads: dict[str, torch.Tensor], max_norm: float) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Scale example i's gradient (ALL parameters together) by min(1, max_norm / ||g_i||).

    Returns (clipped dict with the same shapes, the B norms before clipping). A zero gradient stays zero.
    max_norm <= 0: ValueError.
    """
    raise NotImplementedError


def noisy_gradient(clipped: dict[str, torch.Tensor], noise_multiplier: float, max_norm: float,
                   expected_batch_size: float, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """{name: (sum over the batch of clipped[name] + N(0, (noise_multiplier * max_norm)^2)) / expected_batch_size}.

    Each result has the parameter's shape. Draw the noise with torch.normal(..., generator=generator).
    """
    raise NotImplementedError


def rdp_sampled_gaussian(sample_rate: float, noise_multiplier: float,
                         orders: Iterable[int] = DEFAULT_ORDERS) -> np.ndarray:
    """The RDP of ONE step of the sampled Gaussian mechanism at each integer order alpha >= 2, shape (len(orders),).

    eps_alpha = log(A_alpha) / (alpha - 1),
    A_alpha = sum_{k=0}^{alpha} C(alpha, k) (1 - q)^(alpha - k) q^k exp((k^2 - k) / (2 sigma^2)).
    q = 0 gives 0, q = 1 gives alpha / (2 sigma^2), sigma = 0 gives inf.
    ValueError: q outside [0, 1], sigma < 0, an order that is not an integer >= 2.
    """
    raise NotImplementedError


def dp_epsilon(noise_multiplier: float, sample_rate: float, steps: int, delta: float,
               orders: Sequence[int] = DEFAULT_ORDERS) -> float:
    """epsilon after `steps` steps at `delta`: min over orders of
    steps * eps_alpha + log((alpha - 1) / alpha) - (log(delta) + log(alpha)) / (alpha - 1).

    delta outside (0, 1): ValueError.
    """
    raise NotImplementedError


def dp_sgd_step(model: nn.Module, loss_fn: LossFn, x: torch.Tensor, y: torch.Tensor, *, lr: float, max_norm: float,
                noise_multiplier: float, expected_batch_size: float,
                generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """One DP-SGD update in place, theta <- theta - lr * g, with g the noisy gradient of the clipped
    per-sample gradients of (x, y); return g. An empty batch still takes a step (pure noise)."""
    raise NotImplementedError


def train_dp_sgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, sample_rate: float, epochs: float,
                 max_norm: float = 1.0, noise_multiplier: float = 1.0, lr: float = 0.1, delta: float = 1e-5,
                 seed: int = 0) -> float:
    """Train `model` in place with DP-SGD (nn.CrossEntropyLoss, integer labels y) and return its epsilon.

    steps = round(epochs / sample_rate); each step keeps every example independently with probability
    sample_rate (Poisson sampling, from torch.Generator().manual_seed(seed)) and divides by the expected
    batch size sample_rate * n.
    """
    raise NotImplementedError
