"""A variational autoencoder (VAE) on scikit-learn's 8x8 digits, in PyTorch.

The model is a latent-variable model: draw a code z ~ p(z) = N(0, I) (k numbers), then pixels
x ~ p(x | z), a product of 64 Bernoulli distributions whose probabilities are sigmoid(decoder(z)). The
marginal likelihood p(x) = E_{p(z)}[p(x | z)] is an integral we cannot compute, so an encoder proposes,
for each x, a Gaussian q(z | x) = N(mu(x), diag(exp(logvar(x)))), and training maximizes the evidence lower
bound (ELBO):

    log p(x) >= ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || N(0, I))

The gap is exactly KL(q(z | x) || p(z | x)), the distance from the encoder's guess to the true posterior.
The loss is the negative ELBO per digit, in nats: the reconstruction term (the binary cross-entropy of the
decoder's logits against the pixels, summed over pixels) plus the KL term, whose closed form is
0.5 * sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2). The expectation is estimated with one sample per
digit, drawn by the reparameterization trick z = mu + sigma * eps, eps ~ N(0, I), so the gradient flows
through mu and sigma.

Likelihood: Bernoulli. The pixels 0..16 are scaled to [0, 1], so they are grey levels, not bits; the
binary cross-entropy is then still a valid training loss and the bound above still holds (Jensen's
inequality needs no normalization), but p(x | z) is a proper density only for binarized pixels (the
"continuous Bernoulli" adds the missing normalizer). Numbers in nats per digit are comparable within this
module, not with papers that binarize.

Left out: convolutional encoders and decoders, KL annealing and free bits (cures for posterior collapse),
importance-weighted bounds (IWAE) for training, beta-VAE, and the continuous Bernoulli normalizer.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.nn import functional as F

N_PIXELS, SIDE, PIXEL_MAX = 64, 8, 16.0


def pick_device() -> torch.device:
    """CUDA if a GPU is visible, else Apple's MPS, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def load_digits_01(test_fraction: float = 0.2, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's 1797 digits as float32 rows of 64 pixels in [0, 1], split into (train, test) at random.

    >>> train, test = load_digits_01()
    >>> tuple(train.shape), tuple(test.shape)
    ((1438, 64), (359, 64))
    """
    from sklearn.datasets import load_digits

    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    x = load_digits().data.astype(np.float32) / PIXEL_MAX
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = round(test_fraction * len(x))
    return torch.from_numpy(x[order[n_test:]]), torch.from_numpy(x[order[:n_test]])


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor | None = None,
                   generator: torch.Generator | None = None) -> torch.Tensor:
    """A sample z = mu + exp(logvar / 2) * eps of N(mu, diag(exp(logvar))), differentiable in mu and logvar.

    mu, logvar, eps: (N, k). Without `eps`, eps ~ N(0, I) is drawn with `generator`. The randomness sits in
    eps, outside the graph, so dz/dmu = 1 and dz/dlogvar = eps * sigma / 2: gradients pass through the
    sample (the reparameterization trick). Sampling z directly (torch.normal) would cut them.

    >>> reparameterize(torch.zeros(1, 2), torch.zeros(1, 2), eps=torch.tensor([[0.5, -1.0]]))
    tensor([[ 0.5000, -1.0000]])
    """
    if mu.shape != logvar.shape:
        raise ValueError(f"mu and logvar must have the same shape, got {tuple(mu.shape)} and {tuple(logvar.shape)}")
    if eps is None:
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype).to(mu.device)
    elif eps.shape != mu.shape:
        raise ValueError(f"eps must have the shape of mu {tuple(mu.shape)}, got {tuple(eps.shape)}")
    return mu + torch.exp(0.5 * logvar) * eps


def kl_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) per row, shape (N,), in nats.

    Closed form, summed over the k latent dimensions: 0.5 * sum_j (mu_j^2 + exp(logvar_j) - 1 - logvar_j).
    Zero exactly when mu = 0 and logvar = 0 (the encoder ignores x). Cost O(N k).

    >>> kl_standard_normal(torch.tensor([[1.0, 0.0]]), torch.zeros(1, 2))
    tensor([0.5000])
    """
    if mu.shape != logvar.shape:
        raise ValueError(f"mu and logvar must have the same shape, got {tuple(mu.shape)} and {tuple(logvar.shape)}")
    if mu.ndim != 2:
        raise ValueError(f"mu and logvar must be 2-D (N, k), got {mu.ndim}-D")
    return 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1.0 - logvar, dim=-1)


def negative_elbo(x: torch.Tensor, logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """The negative ELBO of each digit, shape (N,): reconstruction + KL, in nats.

    x: pixels in [0, 1], (N, D); logits: the decoder's output for a sample z ~ q(z | x), (N, D); mu,
    logvar: the encoder's output, (N, k). Reconstruction = -log p(x | z) = sum over pixels of the binary
    cross-entropy BCE(sigmoid(logits), x), computed from logits (stable: no log of a 0 probability).
    Averaged over many samples z, its mean is -ELBO >= -log p(x).
    """
    if x.shape != logits.shape or x.ndim != 2:
        raise ValueError(f"x and logits must both be (N, D), got {tuple(x.shape)} and {tuple(logits.shape)}")
    if mu.shape[0] != x.shape[0]:
        raise ValueError(f"mu has {mu.shape[0]} rows but x has {x.shape[0]}")
    if torch.any((x < 0) | (x > 1)) or not torch.all(torch.isfinite(x)):
        raise ValueError("x must hold pixel intensities in [0, 1] (Bernoulli likelihood)")
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=-1)
    return reconstruction + kl_standard_normal(mu, logvar)


class VAE(nn.Module):
    """Encoder D -> hidden -> ReLU -> (mu, logvar) in R^k x R^k; decoder k -> hidden -> ReLU -> D logits.

    forward(x, eps=None, generator=None) -> (logits, mu, logvar): encode, draw one z by reparameterization,
    decode. Parameters: D h + h + 2 (h k + k) for the encoder, k h + h + h D + D for the decoder.
    """

    def __init__(self, n_features: int = N_PIXELS, n_hidden: int = 128, n_latent: int = 8) -> None:
        super().__init__()
        if min(n_features, n_hidden, n_latent) < 1:
            raise ValueError(f"sizes must be positive, got n_features={n_features}, n_hidden={n_hidden}, "
                             f"n_latent={n_latent}")
        self.n_features, self.n_latent = n_features, n_latent
        self.encoder = nn.Sequential(nn.Linear(n_features, n_hidden), nn.ReLU())
        self.to_mu = nn.Linear(n_hidden, n_latent)
        self.to_logvar = nn.Linear(n_hidden, n_latent)
        self.decoder = nn.Sequential(nn.Linear(n_latent, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_features))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mu, logvar) of q(z | x), each (N, k), for x of shape (N, D)."""
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"x must be (N, {self.n_features}), got {tuple(x.shape)}")
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Logits (N, D) of the pixels' Bernoulli probabilities, for codes z of shape (N, k)."""
        if z.ndim != 2 or z.shape[1] != self.n_latent:
            raise ValueError(f"z must be (N, {self.n_latent}), got {tuple(z.shape)}")
        return self.decoder(z)

    def forward(self, x: torch.Tensor, eps: torch.Tensor | None = None,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        return self.decode(reparameterize(mu, logvar, eps, generator)), mu, logvar


def train_vae(x: torch.Tensor, n_latent: int = 8, n_hidden: int = 128, steps: int = 300, batch_size: int = 128,
              lr: float = 5e-3, seed: int = 0, device: torch.device | str | None = None,
              progress: bool = True) -> tuple[VAE, list[float]]:
    """Train a VAE on the rows of x (N, D) in [0, 1] by Adam on the mean negative ELBO; return (model, history).

    Each step draws `batch_size` rows at random (with replacement) and one eps per row, both from a
    torch.Generator seeded with `seed` (so the same seed gives the same model; torch.manual_seed(seed) seeds
    the initialization). history holds each step's mean negative ELBO (nats per digit). The model comes back
    on the CPU, in eval mode. `device` None picks CUDA, then MPS, then the CPU. Cost: O(steps * batch * D h).
    """
    if not isinstance(x, torch.Tensor):
        x = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError(f"x must be a 2-D array of at least 2 rows, got shape {tuple(x.shape)}")
    if steps < 1 or batch_size < 1 or not lr > 0:
        raise ValueError(f"steps, batch_size and lr must be positive, got {steps}, {batch_size}, {lr}")
    device = torch.device(device) if device is not None else pick_device()
    torch.manual_seed(seed)
    model = VAE(x.shape[1], n_hidden, n_latent).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    data = x.to(torch.float32)
    history: list[float] = []
    bar = _Bar(steps, progress)
    model.train()
    for _ in range(steps):
        rows = torch.randint(len(data), (batch_size,), generator=generator)
        batch = data[rows].to(device)
        eps = torch.randn(batch_size, n_latent, generator=generator).to(device)
        loss = negative_elbo(batch, *model(batch, eps=eps)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.item())
        bar.advance(history[-1])
    bar.close()
    return model.cpu().eval(), history


@torch.no_grad()
def sample(model: VAE, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """n new digits: z ~ N(0, I), pixel probabilities sigmoid(decode(z)), shape (n, D), values in (0, 1).

    The mean of p(x | z) is shown rather than a Bernoulli draw of it: drawing bits would add salt-and-pepper
    noise that says nothing about what the model learned.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    device = next(model.parameters()).device
    z = torch.randn(n, model.n_latent, generator=generator).to(device)
    return torch.sigmoid(model.decode(z)).cpu()


def plot_samples(images: torch.Tensor | np.ndarray, path: str | Path | None = None, n_cols: int = 8,
                 title: str = "VAE samples") -> Figure:
    """Tile images (n, 64) into one (rows * 8, n_cols * 8) picture, row-major, on one Axes; save a PNG to `path`.

    Image i sits at rows 8 r .. 8 r + 7, columns 8 c .. 8 c + 7 with r, c = divmod(i, n_cols); missing
    tiles of the last row are left at 0. Grey scale, 0 black, 1 white, no axis ticks; thin lines drawn on
    top separate the tiles (they are not part of the image array).
    """
    images = np.asarray(images.detach().cpu() if isinstance(images, torch.Tensor) else images, dtype=float)
    if images.ndim != 2 or images.shape[1] != SIDE * SIDE or len(images) == 0:
        raise ValueError(f"images must be (n, {SIDE * SIDE}) with n >= 1, got shape {images.shape}")
    if n_cols < 1:
        raise ValueError(f"n_cols must be at least 1, got {n_cols}")
    n_rows = math.ceil(len(images) / n_cols)
    tiles = np.zeros((n_rows * n_cols, SIDE, SIDE))
    tiles[: len(images)] = images.reshape(-1, SIDE, SIDE)
    grid = tiles.reshape(n_rows, n_cols, SIDE, SIDE).transpose(0, 2, 1, 3).reshape(n_rows * SIDE, n_cols * SIDE)
    fig = Figure(figsize=(n_cols, n_rows + 0.4))
    ax = fig.subplots()
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    for edge in range(1, max(n_rows, n_cols)):  # thin lines between tiles; the image itself has no padding
        if edge < n_rows:
            ax.axhline(edge * SIDE - 0.5, color="tab:blue", linewidth=0.8)
        if edge < n_cols:
            ax.axvline(edge * SIDE - 0.5, color="tab:blue", linewidth=0.8)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    if path is not None:
        fig.savefig(path, dpi=100, bbox_inches="tight")
    return fig


@torch.no_grad()
def active_units(model: VAE, x: torch.Tensor, threshold: float = 0.01) -> int:
    """How many latent dimensions the model uses: those whose posterior mean varies across the data.

    Unit j is active when Var_x(mu_j(x)) > threshold (Burda et al., 2016). An inactive unit has a posterior
    equal to the prior for every x (mu_j = 0, sigma_j = 1, KL_j = 0): the symptom of posterior collapse.
    """
    if threshold < 0:
        raise ValueError(f"threshold must be non-negative, got {threshold}")
    mu, _ = model.encode(torch.as_tensor(x, dtype=torch.float32))
    if len(mu) < 2:
        raise ValueError("need at least 2 rows to measure a variance")
    return int((mu.var(dim=0, unbiased=False) > threshold).sum())


class _Bar:
    """A Rich progress bar over steps showing the last negative ELBO, or nothing when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.progress = None
        if enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("VAE"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("-ELBO {task.fields[loss]:.2f} nats"), TimeElapsedColumn())
            self.progress.__enter__()
            self.task = self.progress.add_task("steps", total=total, loss=float("nan"))

    def advance(self, loss: float) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, loss=loss)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.__exit__(None, None, None)


if __name__ == "__main__":  # the lesson's figure: python -m aieng.lib.genai.vae [PATH]
    import sys

    out = sys.argv[1] if len(sys.argv) > 1 else "vae_samples.png"
    train, test = load_digits_01()
    vae, _ = train_vae(train, steps=3000, seed=0, device="cpu")
    print(f"held-out negative ELBO (1 sample per digit): "
          f"{negative_elbo(test, *vae(test, generator=torch.Generator().manual_seed(1))).mean():.2f} nats; "
          f"active units: {active_units(vae, test)} of {vae.n_latent}")
    plot_samples(sample(vae, 64, generator=torch.Generator().manual_seed(0)), out,
                 title="64 digits decoded from z ~ N(0, I)")
