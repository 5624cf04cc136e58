"""Generative adversarial network — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check gan`.
PyTorch for the networks and losses (work with logits: D(x) = sigmoid(logit)), numpy for the data, the
closed-form discriminator, mode coverage and the bilinear game.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from torch import nn


def ring_of_gaussians(n: int, modes: int = 8, radius: float = 2.0, std: float = 0.02,
                      rng: np.random.Generator | int | None = None) -> np.ndarray:
    """n points (n, 2) from an equal mixture of `modes` Gaussians N(c_k, std^2 I), with centres
    c_k = radius (cos(2 pi k / modes), sin(2 pi k / modes)). rng: a numpy Generator or a seed
    (np.random.default_rng(rng)); the same seed gives the same points. ValueError if n < 0 or std < 0.
    """
    raise NotImplementedError


class Generator(nn.Module):
    """MLP noise_dim -> hidden -> ReLU -> hidden -> ReLU -> 2: noise z (N, noise_dim) to points (N, 2).
    Keep `noise_dim` as an attribute."""

    def __init__(self, noise_dim: int = 2, hidden: int = 64) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class Discriminator(nn.Module):
    """MLP 2 -> hidden -> ReLU -> hidden -> ReLU -> 1: points (N, 2) to logits (N,) of "x is real"."""

    def __init__(self, hidden: int = 64) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Scalar: -mean log D(real) - mean log(1 - D(fake)), each mean over its own samples, from logits."""
    raise NotImplementedError


def generator_loss(fake_logits: torch.Tensor, non_saturating: bool = True) -> torch.Tensor:
    """Scalar: -mean log D(G(z)) if non_saturating, else the minimax form mean log(1 - D(G(z))); from logits."""
    raise NotImplementedError


def value_function(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Scalar sample estimate of V(D, G) = mean log D(real) + mean log(1 - D(fake)), from logits (stable)."""
    raise NotImplementedError


def optimal_discriminator(log_p_data: ArrayLike, log_p_g: ArrayLike) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g), given log densities at the same points (same shape; -inf = density 0).

    Stable in the tails (both densities underflowing). 1 where only p_g is 0, 0 where only p_data is 0, 1/2 where
    both are. ValueError for different shapes, NaN or +inf.
    """
    raise NotImplementedError


def mode_coverage(samples: ArrayLike, centers: ArrayLike, std: float,
                  min_share: float | None = None) -> tuple[float, float]:
    """(coverage, quality) of samples (n, 2) against centers (K, 2).

    quality: the share of samples within 3 * std of their nearest centre. coverage: the share of modes that
    are the nearest centre of at least min_share * n such samples (min_share None: 1 / (4 K)).
    ValueError for shapes that are not (n, d) and (K, d) with n, K >= 1, or std <= 0.
    """
    raise NotImplementedError


def train_gan(steps: int = 600, batch_size: int = 256, noise_dim: int = 2, hidden: int = 64, lr: float = 5e-3,
              modes: int = 8, radius: float = 2.0, std: float = 0.1, seed: int = 0, non_saturating: bool = True,
              device: torch.device | str | None = None,
              progress: bool = True) -> tuple[Generator, Discriminator, dict[str, list[float]]]:
    """Train a GAN on ring_of_gaussians(modes, radius, std); return (G, D, {"d_loss": [...], "g_loss": [...]}).

    torch.manual_seed(seed), then build G and D; Adam(lr, betas=(0.5, 0.999)) for each. Real points come from a
    numpy Generator seeded with `seed`, noise from a torch.Generator seeded with `seed`, `batch_size` of each
    per step. Per step: one D update on (real, G(z).detach()), then one G update on D(G(z)). Record both
    losses per step. Return the models on the CPU in eval mode. Rich progress bar unless progress is False.
    ValueError for non-positive steps, batch_size or lr.
    """
    raise NotImplementedError


def gradient_descent_ascent(x0: float, y0: float, lr: float, steps: int, alternating: bool = False) -> np.ndarray:
    """The path (steps + 1, 2), starting at (x0, y0), of gradient descent in x and ascent in y on f(x, y) = x y.

    Simultaneous: x' = x - lr y and y' = y + lr x (both from the old point). Alternating: x' = x - lr y, then
    y' = y + lr x' (the new x). ValueError if lr <= 0 or steps < 0.
    """
    raise NotImplementedError


def plot_ring(real: ArrayLike, fake: ArrayLike, path: str | Path | None = None,
              title: str = "GAN on a ring of Gaussians") -> Figure:
    """A matplotlib Figure (not pyplot) with one Axes: ax.scatter of the real points (label "real"), then of the
    generated ones (label "generated"), a legend, equal aspect. Save a PNG to path if given; return the Figure.
    ValueError unless both are (n, 2).
    """
    raise NotImplementedError
