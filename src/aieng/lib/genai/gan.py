"""A generative adversarial network (GAN) on a ring of 2-D Gaussians, in PyTorch, and the game behind it.

Two networks play a two-player zero-sum game. The generator G turns noise z ~ N(0, I) into points G(z);
the discriminator D outputs the probability D(x) = sigmoid(logit(x)) that x is real. The value of the game is

    V(D, G) = E_{x ~ p_data}[log D(x)] + E_{z ~ p_z}[log(1 - D(G(z)))],

which D maximizes and G minimizes. For a fixed G the best discriminator is
D*(x) = p_data(x) / (p_data(x) + p_g(x)): its logit is the log density ratio log p_data - log p_g. Plugged
in, V(D*, G) = -log 4 + 2 JSD(p_data || p_g), so the game's equilibrium is p_g = p_data with D = 1/2
everywhere and value -log 4.

Training alternates one Adam step for each player on sample estimates: D minimizes the binary
cross-entropy of (real -> 1, fake -> 0), which is -V; G minimizes the *non-saturating* loss
-E[log D(G(z))] rather than E[log(1 - D(G(z)))] (same fixed point, but its gradient does not vanish when
D confidently rejects the fakes, which is the situation at the start). Everything works on logits with
torch's stable binary_cross_entropy_with_logits.

The data: `ring_of_gaussians`, K Gaussians of standard deviation `std` at equal angles on a circle, the
classic test of mode collapse (a generator that covers a few modes can still fool a weak D). Quality is
measured by `mode_coverage`: the share of generated points within 3 std of a centre, and the share of
modes that receive a fair part of them. `gradient_descent_ascent` shows why the game is hard to optimize:
on the bilinear game f(x, y) = x y, simultaneous steps spiral away from the equilibrium (0, 0) and
alternating steps circle it forever.

Left out: Wasserstein losses, gradient penalties, spectral normalization, unrolled or minibatch
discrimination (remedies for mode collapse), convolutional GANs, FID and other image metrics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from torch import nn
from torch.nn import functional as F


def pick_device() -> torch.device:
    """CUDA if a GPU is visible, else Apple's MPS, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """The K centres (radius cos(2 pi k / K), radius sin(2 pi k / K)), k = 0..K-1, shape (K, 2)."""
    if modes < 1 or not radius > 0:
        raise ValueError(f"modes must be >= 1 and radius > 0, got modes={modes}, radius={radius}")
    angles = 2.0 * np.pi * np.arange(modes) / modes
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def ring_of_gaussians(n: int, modes: int = 8, radius: float = 2.0, std: float = 0.02,
                      rng: np.random.Generator | int | None = None) -> np.ndarray:
    """n points (n, 2) from an equal-weight mixture of `modes` isotropic Gaussians N(c_k, std^2 I) on a ring.

    Each point picks its mode uniformly at random, then adds N(0, std^2) noise to both coordinates. `rng` is
    a numpy Generator or a seed; the same seed gives the same points.

    >>> ring_of_gaussians(3, rng=0).shape
    (3, 2)
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    if not std >= 0:
        raise ValueError(f"std must be non-negative, got {std}")
    centers = ring_centers(modes, radius)
    rng = np.random.default_rng(rng)
    which = rng.integers(modes, size=n)
    return centers[which] + std * rng.standard_normal((n, 2))


def _mlp(n_in: int, hidden: int, n_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, n_out))


class Generator(nn.Module):
    """noise_dim -> hidden -> ReLU -> hidden -> ReLU -> 2: maps noise z (N, noise_dim) to points (N, 2)."""

    def __init__(self, noise_dim: int = 2, hidden: int = 64) -> None:
        super().__init__()
        if noise_dim < 1 or hidden < 1:
            raise ValueError(f"noise_dim and hidden must be positive, got {noise_dim} and {hidden}")
        self.noise_dim = noise_dim
        self.net = _mlp(noise_dim, hidden, 2)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.noise_dim:
            raise ValueError(f"z must be (N, {self.noise_dim}), got {tuple(z.shape)}")
        return self.net(z)


class Discriminator(nn.Module):
    """2 -> hidden -> ReLU -> hidden -> ReLU -> 1: the logit (N,) of "x is real" for points x (N, 2)."""

    def __init__(self, hidden: int = 64) -> None:
        super().__init__()
        if hidden < 1:
            raise ValueError(f"hidden must be positive, got {hidden}")
        self.net = _mlp(2, hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"x must be (N, 2), got {tuple(x.shape)}")
        return self.net(x).squeeze(-1)


def _logits(*tensors: torch.Tensor) -> None:
    for t in tensors:
        if not isinstance(t, torch.Tensor) or t.numel() == 0:
            raise ValueError("logits must be non-empty torch tensors")


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The discriminator's loss: BCE(real -> 1) + BCE(fake -> 0), each a mean over its samples; = -V(D, G).

    -mean log sigmoid(real_logits) - mean log(1 - sigmoid(fake_logits)), computed from logits.
    2 log 2 = 1.386 when D answers 1/2 everywhere.
    """
    _logits(real_logits, fake_logits)
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


def generator_loss(fake_logits: torch.Tensor, non_saturating: bool = True) -> torch.Tensor:
    """The generator's loss on D's logits for its samples, a scalar.

    non_saturating=True: -mean log D(G(z)) = BCE(fake -> 1); its gradient is large when D rejects the fakes.
    non_saturating=False: the minimax loss mean log(1 - D(G(z))) = -BCE(fake -> 0), which is flat there.
    """
    _logits(fake_logits)
    if non_saturating:
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))


def value_function(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The sample estimate of V(D, G) = mean log D(x_real) + mean log(1 - D(x_fake)), from D's logits.

    log D = logsigmoid(logit) and log(1 - D) = logsigmoid(-logit): exact even for logits of +-100. At the
    equilibrium (D = 1/2 everywhere) V = -log 4.
    """
    _logits(real_logits, fake_logits)
    return F.logsigmoid(real_logits).mean() + F.logsigmoid(-fake_logits).mean()


def optimal_discriminator(log_p_data: ArrayLike, log_p_g: ArrayLike) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g) = sigmoid(log p_data - log p_g), from log densities at the same points.

    Working with log densities keeps the tails exact (both pdfs underflow to 0 far out, their ratio does
    not). Where p_g = 0 < p_data, D* = 1; where p_data = 0 < p_g, D* = 0; where both are 0 the value is
    arbitrary (it never enters V) and 1/2 is returned.

    >>> optimal_discriminator([np.log(0.3)], [np.log(0.1)])
    array([0.75])
    """
    a = np.asarray(log_p_data, dtype=np.float64)
    b = np.asarray(log_p_g, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"log densities must have the same shape, got {a.shape} and {b.shape}")
    if np.isnan(a).any() or np.isnan(b).any() or (a == np.inf).any() or (b == np.inf).any():
        raise ValueError("log densities must be finite or -inf (a density of 0)")
    with np.errstate(invalid="ignore"):
        diff = a - b  # nan where both are -inf
    diff = np.where(np.isnan(diff), 0.0, diff)  # both densities 0: D* = sigmoid(0) = 1/2
    small = np.exp(-np.abs(diff))  # in [0, 1]: never overflows
    return np.where(diff >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def mode_coverage(samples: ArrayLike, centers: ArrayLike, std: float,
                  min_share: float | None = None) -> tuple[float, float]:
    """(coverage, quality) of generated points `samples` (n, 2) against mixture `centers` (K, 2) of width std.

    A sample is high quality when it lies within 3 std of its nearest centre; quality is their share of all
    samples. Mode k is covered when at least min_share * n high-quality samples are nearest to it (default
    min_share = 1 / (4 K), a quarter of a fair share); coverage is the share of covered modes.
    Cost O(n K).
    """
    x = np.asarray(samples, dtype=np.float64)
    c = np.asarray(centers, dtype=np.float64)
    if x.ndim != 2 or c.ndim != 2 or x.shape[1] != c.shape[1] or len(x) == 0 or len(c) == 0:
        raise ValueError(f"samples (n, d) and centers (K, d) must be non-empty and agree in d, got {x.shape} "
                         f"and {c.shape}")
    if not std > 0:
        raise ValueError(f"std must be positive, got {std}")
    share = 1.0 / (4 * len(c)) if min_share is None else min_share
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"min_share must be in [0, 1], got {min_share}")
    distances = np.linalg.norm(x[:, None, :] - c[None, :, :], axis=-1)
    nearest = distances.argmin(axis=1)
    good = distances[np.arange(len(x)), nearest] <= 3.0 * std
    counts = np.bincount(nearest[good], minlength=len(c))
    return float(np.mean(counts >= share * len(x))), float(good.mean())


def train_gan(steps: int = 600, batch_size: int = 256, noise_dim: int = 2, hidden: int = 64, lr: float = 2e-3,
              modes: int = 8, radius: float = 2.0, std: float = 0.1, seed: int = 0, non_saturating: bool = True,
              device: torch.device | str | None = None,
              progress: bool = True) -> tuple[Generator, Discriminator, dict[str, list[float]]]:
    """Train a GAN on the ring; return (G, D, history) with history["d_loss"] and history["g_loss"] per step.

    Each step: draw `batch_size` fresh real points (numpy Generator seeded with `seed`) and as many noise
    vectors (torch.Generator seeded with `seed`); one Adam step for D on discriminator_loss(D(real),
    D(G(z).detach())); then one for G on generator_loss(D(G(z))), with the updated D. Adam(lr, betas
    (0.5, 0.999)) for both, as in DCGAN: a lower beta1 lets the momentum follow a moving opponent.
    torch.manual_seed(seed) before building G, then D. The models come back on the CPU, in eval mode.
    Cost: O(steps * batch * hidden^2).
    """
    if steps < 1 or batch_size < 1 or not lr > 0:
        raise ValueError(f"steps, batch_size and lr must be positive, got {steps}, {batch_size}, {lr}")
    device = torch.device(device) if device is not None else pick_device()
    torch.manual_seed(seed)
    g_net, d_net = Generator(noise_dim, hidden).to(device), Discriminator(hidden).to(device)
    opt_g = torch.optim.Adam(g_net.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d_net.parameters(), lr=lr, betas=(0.5, 0.999))
    rng, noise = np.random.default_rng(seed), torch.Generator().manual_seed(seed)
    history: dict[str, list[float]] = {"d_loss": [], "g_loss": []}
    bar = _Bar(steps, progress)
    for _ in range(steps):
        real = torch.as_tensor(ring_of_gaussians(batch_size, modes, radius, std, rng), dtype=torch.float32)
        fake = g_net(torch.randn(batch_size, noise_dim, generator=noise).to(device))
        d_loss = discriminator_loss(d_net(real.to(device)), d_net(fake.detach()))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = generator_loss(d_net(fake), non_saturating)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        history["d_loss"].append(d_loss.item())
        history["g_loss"].append(g_loss.item())
        bar.advance(history["d_loss"][-1], history["g_loss"][-1])
    bar.close()
    return g_net.cpu().eval(), d_net.cpu().eval(), history


@torch.no_grad()
def generate(g_net: Generator, n: int, generator: torch.Generator | None = None) -> np.ndarray:
    """n generated points (n, 2) as a numpy array: G(z) for z ~ N(0, I) drawn with `generator`."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    device = next(g_net.parameters()).device
    z = torch.randn(n, g_net.noise_dim, generator=generator).to(device)
    return g_net(z).cpu().numpy().astype(np.float64)


def gradient_descent_ascent(x0: float, y0: float, lr: float, steps: int, alternating: bool = False) -> np.ndarray:
    """The path (steps + 1, 2) of gradient descent-ascent on f(x, y) = x y: x descends, y ascends.

    The game's only equilibrium is (0, 0). Simultaneous steps x' = x - lr y, y' = y + lr x multiply the
    distance to it by sqrt(1 + lr^2) each step: an outward spiral, whatever the step size. Alternating steps
    (y uses the new x': y' = y + lr x') keep x^2 + y^2 - lr x y constant: a closed orbit that never arrives.
    Cost O(steps).

    >>> gradient_descent_ascent(1.0, 0.0, 0.5, 1)
    array([[1. , 0. ],
           [1. , 0.5]])
    """
    if steps < 0 or not lr > 0:
        raise ValueError(f"steps must be >= 0 and lr > 0, got steps={steps}, lr={lr}")
    path = np.empty((steps + 1, 2))
    path[0] = x0, y0
    x, y = float(x0), float(y0)
    for t in range(1, steps + 1):
        if alternating:
            x = x - lr * y
            y = y + lr * x
        else:
            x, y = x - lr * y, y + lr * x
        path[t] = x, y
    return path


def plot_ring(real: ArrayLike, fake: ArrayLike, path: str | Path | None = None,
              title: str = "GAN on a ring of Gaussians") -> Figure:
    """Scatter of real points (grey, label "real") and generated ones (label "generated") on one square Axes.

    Returns the Figure (two collections, in that order, with the points as their offsets) and saves a PNG
    to `path` if given.
    """
    real, fake = np.asarray(real, dtype=float), np.asarray(fake, dtype=float)
    for name, points in (("real", real), ("fake", fake)):
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"{name} must be (n, 2), got shape {points.shape}")
    fig = Figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.scatter(real[:, 0], real[:, 1], s=4, c="0.6", label="real")
    ax.scatter(fake[:, 0], fake[:, 1], s=4, c="tab:red", alpha=0.5, label="generated")
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title)
    ax.legend(loc="upper right")
    if path is not None:
        fig.savefig(path, dpi=100, bbox_inches="tight")
    return fig


class _Bar:
    """A Rich progress bar over steps with the last two losses, or nothing when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.progress = None
        if enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("GAN"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("D {task.fields[d]:.3f}  G {task.fields[g]:.3f}"),
                                     TimeElapsedColumn())
            self.progress.__enter__()
            self.task = self.progress.add_task("steps", total=total, d=float("nan"), g=float("nan"))

    def advance(self, d_loss: float, g_loss: float) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, d=d_loss, g=g_loss)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.__exit__(None, None, None)


if __name__ == "__main__":  # the lesson's figure: python -m aieng.lib.genai.gan [PATH]
    import sys

    out = sys.argv[1] if len(sys.argv) > 1 else "gan_ring.png"
    g_net, _, _ = train_gan(steps=5000, hidden=128, lr=1e-3, std=0.02, seed=2, device="cpu")
    coverage, quality = mode_coverage(generate(g_net, 10_000, torch.Generator().manual_seed(1)), ring_centers(), 0.02)
    print(f"coverage {coverage:.3f}, quality {quality:.3f}")
    plot_ring(ring_of_gaussians(2000, std=0.02, rng=1), generate(g_net, 2000, torch.Generator().manual_seed(0)), out,
              title="Ring of 8 Gaussians (std 0.02): real vs generated")
