"""Variational autoencoder — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check vae`.
PyTorch throughout. The likelihood is Bernoulli: the decoder outputs one logit per pixel, and the
reconstruction loss is the binary cross-entropy summed over pixels (pixels are grey levels in [0, 1]).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor | None = None,
                   generator: torch.Generator | None = None) -> torch.Tensor:
    """z = mu + exp(logvar / 2) * eps, shape (N, k), differentiable with respect to mu and logvar.

    mu, logvar: (N, k). If eps is None, draw it as torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
    (then move it to mu's device). ValueError if logvar or eps has another shape than mu.
    """
    raise NotImplementedError


def kl_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) for each row, shape (N,), in nats (closed form, summed over k).

    mu, logvar: (N, k). ValueError if their shapes differ or they are not 2-D.
    """
    raise NotImplementedError


def negative_elbo(x: torch.Tensor, logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Per-row negative ELBO, shape (N,): sum over pixels of BCE(sigmoid(logits), x) + KL(q || N(0, I)).

    x: (N, D) pixels in [0, 1]; logits: (N, D), the decoder's output for one z ~ q(z | x); mu, logvar: (N, k).
    Compute the cross-entropy from the logits (stable for logits of +-200). ValueError if x and logits differ
    in shape or x leaves [0, 1].
    """
    raise NotImplementedError


class VAE(nn.Module):
    """Encoder: Linear(D, h) -> ReLU -> two heads Linear(h, k) giving mu and logvar.
    Decoder: Linear(k, h) -> ReLU -> Linear(h, D) giving pixel logits.

    Keep n_features and n_latent as attributes. encode/decode raise ValueError for input of the wrong width.
    """

    def __init__(self, n_features: int = 64, n_hidden: int = 128, n_latent: int = 8) -> None:
        super().__init__()
        raise NotImplementedError

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mu, logvar), each (N, k), for x of shape (N, D)."""
        raise NotImplementedError

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Pixel logits (N, D) for codes z of shape (N, k)."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor, eps: torch.Tensor | None = None,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(logits, mu, logvar): encode x, draw z = reparameterize(mu, logvar, eps, generator), decode z."""
        raise NotImplementedError


def train_vae(x: torch.Tensor, n_latent: int = 8, n_hidden: int = 128, steps: int = 300, batch_size: int = 128,
              lr: float = 5e-3, seed: int = 0, device: torch.device | str | None = None,
              progress: bool = True) -> tuple[VAE, list[float]]:
    """Train VAE(D, n_hidden, n_latent) on the rows of x (N, D) with Adam(lr) on the mean negative ELBO.

    torch.manual_seed(seed) before building the model; a torch.Generator seeded with `seed` draws each step's
    batch (batch_size random rows) and its eps. Return (model on the CPU in eval mode, history), history
    holding each step's mean negative ELBO. device None: CUDA, else MPS, else CPU. Show a Rich progress bar
    (rich.progress.Progress) unless progress is False. ValueError for non-positive steps, batch_size or lr.
    """
    raise NotImplementedError


def sample(model: VAE, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """n new images (n, D): z = torch.randn(n, k, generator=generator), then sigmoid(model.decode(z)), on the CPU.

    No gradients needed (torch.no_grad()). ValueError if n < 1.
    """
    raise NotImplementedError


def plot_samples(images: torch.Tensor | np.ndarray, path: str | Path | None = None, n_cols: int = 8,
                 title: str = "VAE samples") -> Figure:
    """One matplotlib Figure (not pyplot) with one Axes showing images (n, 64) tiled as a picture of shape
    (rows * 8, n_cols * 8): image i at rows 8r..8r+7, columns 8c..8c+7 with (r, c) = divmod(i, n_cols); empty
    tiles are 0. Use ax.imshow(grid, cmap="gray", vmin=0, vmax=1). Save a PNG to path if given; return the
    Figure. ValueError unless images is (n, 64) with n >= 1.
    """
    raise NotImplementedError


def active_units(model: VAE, x: torch.Tensor, threshold: float = 0.01) -> int:
    """The number of latent dimensions j whose posterior mean mu_j(x) varies over the rows of x:
    Var_x(mu_j) > threshold (population variance). The others have collapsed onto the prior."""
    raise NotImplementedError
