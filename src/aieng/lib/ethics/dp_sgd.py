"""DP-SGD (Abadi et al., 2016) in PyTorch, written out: per-sample gradients, per-sample clipping, Gaussian
noise on the clipped sum, Poisson-sampled batches, and the Rényi-DP accountant that turns (noise
multiplier, sample rate, steps, δ) into ε.

One step, for a batch B drawn by Poisson sampling (each of the n examples joins independently with
probability q, so the expected batch size is q n):

    g_i   = ∇ loss(x_i, y_i)                                  per-sample gradient (all parameters together)
    ḡ_i   = g_i · min(1, C / ||g_i||)                         clip each example's influence to norm C
    g̃     = (Σ_{i∈B} ḡ_i + N(0, σ² C² I)) / (q n)              noise proportional to the clipping norm
    θ    ← θ - lr · g̃

Accounting (Mironov, Talwar & Zhang 2019): one step of the sampled Gaussian mechanism has, at every
integer Rényi order α ≥ 2, the RDP

    ε_α = log A_α / (α - 1),   A_α = Σ_{k=0}^{α} C(α, k) (1 - q)^{α-k} q^k exp((k² - k) / (2 σ²)),

T steps compose by addition (T ε_α), and the conversion to (ε, δ)-DP used by opacus (Balle et al. 2020,
Theorem 21) is ``ε = min_α [T ε_α + log((α - 1)/α) - (log δ + log α) / (α - 1)]``.

Integer orders only: opacus also tries fractional orders (1.1, 1.2, ...), which can give a slightly
smaller ε; with the same orders the two agree to round-off. Left out: fractional orders, the PRV
accountant, shuffling instead of Poisson sampling (the analysis above assumes Poisson), privacy of
hyperparameter tuning, and secure noise generation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import torch
from scipy.special import gammaln, logsumexp
from torch import nn

DEFAULT_ORDERS = tuple(range(2, 65))
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def per_sample_gradients(model: nn.Module, loss_fn: LossFn, x: torch.Tensor,
                         y: torch.Tensor) -> dict[str, torch.Tensor]:
    """``{name: tensor of shape (B, *param.shape)}``: the gradient of ``loss_fn(model(x_i), y_i)`` for each of
    the B examples separately, for every parameter (names as in ``model.named_parameters()``).

    The trick opacus uses, for models whose parameters all sit in ``nn.Linear`` layers (any parameter-free
    activations between them): one forward and one backward pass over the whole batch, keeping each
    layer's input a_i (forward hook) and the gradient of the loss with respect to its output δ_i (a
    tensor hook). For ``out = a Wᵀ + b``, example i's gradients are the outer product ``δ_i a_iᵀ`` for W and
    ``δ_i`` for b: one ``einsum`` per layer. `loss_fn` must average per-example losses (reduction="mean",
    as nn.CrossEntropyLoss does), so the batch loss is multiplied by B to undo the 1/B. Parameters' ``.grad``
    are not touched. Cost: one backward pass plus O(B × number of parameters) memory.

    (``torch.func.vmap(torch.func.grad(...))`` computes the same for any model, but its first call imports
    torch's compiler stack, seconds of start-up.)
    """
    if x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError(f"x and y need the same, non-zero number of rows, got {x.shape[0]} and {y.shape[0]}")
    linears = {name: m for name, m in model.named_modules() if isinstance(m, nn.Linear)}
    owned = {f"{name}.{p}" if name else p for name, m in linears.items() for p, _ in m.named_parameters()}
    params = dict(model.named_parameters())
    if set(params) - owned:
        raise ValueError(f"only nn.Linear parameters are supported, found {sorted(set(params) - owned)}")
    inputs: dict[str, torch.Tensor] = {}
    deltas: dict[str, torch.Tensor] = {}

    def keep(name: str) -> Callable[..., None]:
        def hook(module: nn.Module, args: tuple[torch.Tensor, ...], out: torch.Tensor) -> None:
            if name in inputs:
                raise ValueError(f"layer {name!r} is used twice in one forward pass (weight sharing)")
            inputs[name] = args[0].detach()
            out.register_hook(lambda grad: deltas.__setitem__(name, grad.detach()))
        return hook

    handles = [m.register_forward_hook(keep(name)) for name, m in linears.items()]
    try:
        batch_size = x.shape[0]
        loss = loss_fn(model(x), y) * batch_size  # the sum of the per-example losses
        torch.autograd.grad(loss, [p for p in params.values() if p.requires_grad])
    finally:
        for handle in handles:
            handle.remove()
    grads = {}
    for name, layer in linears.items():
        prefix = f"{name}." if name else ""
        if layer.weight.requires_grad:
            grads[prefix + "weight"] = torch.einsum("bo,bi->boi", deltas[name], inputs[name])
        if layer.bias is not None and layer.bias.requires_grad:
            grads[prefix + "bias"] = deltas[name]
    return {name: grads[name] for name in params if name in grads}


def clip_per_sample(grads: dict[str, torch.Tensor], max_norm: float) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Scale each example's gradient (all parameters together) to L2 norm at most `max_norm`.

    Returns (clipped gradients with the same shapes, the B norms before clipping). The factor is exactly
    ``min(1, C / ||g_i||)`` (1 for a zero gradient), so clipped norms are ``min(||g_i||, C)``.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    if not grads:
        raise ValueError("no gradients to clip")
    flat = torch.cat([g.reshape(g.shape[0], -1) for g in grads.values()], dim=1)
    norms = torch.linalg.vector_norm(flat, dim=1)
    factor = torch.clamp(max_norm / torch.where(norms > 0, norms, torch.ones_like(norms)), max=1.0)
    clipped = {name: g * factor.reshape(-1, *([1] * (g.dim() - 1))) for name, g in grads.items()}
    return clipped, norms


def noisy_gradient(clipped: dict[str, torch.Tensor], noise_multiplier: float, max_norm: float,
                   expected_batch_size: float, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """``(Σ_i ḡ_i + N(0, (σ C)²)) / expected_batch_size`` per parameter (shape of the parameter).

    Dividing by the *expected* batch size (q n), not the drawn one, keeps the sensitivity fixed: the
    drawn size depends on who is in the data. Noise from `generator` (seeded torch.Generator).
    """
    if noise_multiplier < 0 or not max_norm > 0 or not expected_batch_size > 0:
        raise ValueError("need noise_multiplier >= 0, max_norm > 0 and expected_batch_size > 0")
    out = {}
    for name, g in clipped.items():
        total = g.sum(dim=0)
        noise = torch.normal(0.0, noise_multiplier * max_norm, size=total.shape, generator=generator,
                             dtype=total.dtype, device=total.device)
        out[name] = (total + noise) / expected_batch_size
    return out


def rdp_sampled_gaussian(sample_rate: float, noise_multiplier: float,
                         orders: Iterable[int] = DEFAULT_ORDERS) -> np.ndarray:
    """RDP ε_α of ONE step of the sampled Gaussian mechanism at each integer order α ≥ 2, shape (len(orders),).

    ``log A_α = logsumexp_k [log C(α, k) + (α-k) log(1-q) + k log q + (k² - k) / (2σ²)]``, ε_α = log A_α / (α-1).
    q = 0 gives 0; q = 1 gives α / (2σ²) (the plain Gaussian mechanism); σ = 0 gives inf.
    """
    orders = np.asarray(list(orders))
    if orders.ndim != 1 or orders.size == 0 or np.any(orders < 2) or np.any(orders != np.round(orders)):
        raise ValueError("orders must be a non-empty list of integers >= 2")
    if not 0 <= sample_rate <= 1:
        raise ValueError(f"sample_rate must be in [0, 1], got {sample_rate}")
    if noise_multiplier < 0:
        raise ValueError(f"noise_multiplier must be >= 0, got {noise_multiplier}")
    q, sigma = float(sample_rate), float(noise_multiplier)
    if q == 0:
        return np.zeros(orders.size)
    if sigma == 0:
        return np.full(orders.size, np.inf)
    if q == 1:
        return orders / (2 * sigma**2)
    result = np.empty(orders.size)
    for j, alpha in enumerate(orders.astype(int)):  # a loop over orders (~60), vectorized over k
        k = np.arange(alpha + 1)
        log_binom = gammaln(alpha + 1) - gammaln(k + 1) - gammaln(alpha - k + 1)
        terms = log_binom + (alpha - k) * math.log1p(-q) + k * math.log(q) + (k * k - k) / (2 * sigma**2)
        result[j] = logsumexp(terms) / (alpha - 1)
    return result


def dp_epsilon(noise_multiplier: float, sample_rate: float, steps: int, delta: float,
               orders: Sequence[int] = DEFAULT_ORDERS) -> float:
    """The ε of `steps` DP-SGD steps at the given δ, by RDP composition and opacus' RDP-to-DP conversion.

    ``ε = min_α [steps · ε_α + log((α-1)/α) - (log δ + log α) / (α - 1)]`` over the integer `orders`.

    >>> round(dp_epsilon(1.0, 0.01, 1000, 1e-5), 3)
    2.108
    """
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    if steps < 0 or steps != int(steps):
        raise ValueError(f"steps must be a non-negative integer, got {steps}")
    alphas = np.asarray(list(orders), dtype=np.float64)
    rdp = steps * rdp_sampled_gaussian(sample_rate, noise_multiplier, orders)
    with np.errstate(invalid="ignore"):
        eps = rdp + np.log((alphas - 1) / alphas) - (math.log(delta) + np.log(alphas)) / (alphas - 1)
    return float(np.nanmin(eps)) if not np.isnan(eps).all() else math.inf


def dp_sgd_step(model: nn.Module, loss_fn: LossFn, x: torch.Tensor, y: torch.Tensor, *, lr: float, max_norm: float,
                noise_multiplier: float, expected_batch_size: float,
                generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """One DP-SGD update, in place: ``θ ← θ - lr · g̃`` with g̃ the clipped, summed, noised gradient of the
    batch (x, y); returns g̃ as ``{name: tensor}``.

    An empty batch (Poisson sampling can draw one) still takes a step with pure noise, so the number of
    steps reveals nothing. Any optimizer could consume g̃ instead of plain SGD (Adam on private gradients
    is still private: post-processing); plain SGD keeps this self-contained.
    """
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr}")
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    if x.shape[0] == 0:
        clipped = {name: torch.zeros((0, *p.shape), dtype=p.dtype) for name, p in params.items()}
    else:
        clipped, _ = clip_per_sample(per_sample_gradients(model, loss_fn, x, y), max_norm)
    grads = noisy_gradient(clipped, noise_multiplier, max_norm, expected_batch_size, generator)
    with torch.no_grad():
        for name, p in params.items():
            p -= lr * grads[name].to(p.dtype)
    return grads


def train_dp_sgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, sample_rate: float, epochs: float,
                 max_norm: float = 1.0, noise_multiplier: float = 1.0, lr: float = 0.1, delta: float = 1e-5,
                 seed: int = 0) -> float:
    """Train `model` (cross-entropy on integer labels `y`) with DP-SGD and Poisson sampling; return its ε.

    ``steps = round(epochs / sample_rate)``: each step draws a batch by keeping every example with
    probability `sample_rate`, then takes `dp_sgd_step` with learning rate `lr`. The return value is
    `dp_epsilon(noise_multiplier, sample_rate, steps, delta)`; what is private is the trained model,
    whatever is done with it afterwards.
    """
    n = x.shape[0]
    if n == 0 or y.shape[0] != n:
        raise ValueError("x and y need the same, non-zero number of rows")
    if not 0 < sample_rate <= 1:
        raise ValueError(f"sample_rate must be in (0, 1], got {sample_rate}")
    generator = torch.Generator().manual_seed(seed)
    loss_fn = nn.CrossEntropyLoss()
    steps = round(epochs / sample_rate)
    model.train()
    for _ in range(steps):
        keep = torch.rand(n, generator=generator) < sample_rate
        dp_sgd_step(model, loss_fn, x[keep], y[keep], lr=lr, max_norm=max_norm, noise_multiplier=noise_multiplier,
                    expected_batch_size=sample_rate * n, generator=generator)
    model.eval()
    return dp_epsilon(noise_multiplier, sample_rate, steps, delta)
