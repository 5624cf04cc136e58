"""Optimizers and learning-rate schedulers, in numpy, step for step like torch.optim.

An optimizer holds a list of parameter objects, anything with two attributes:

- ``.data``: a float ``np.ndarray``, updated IN PLACE by ``step()`` (so every other reference to the
  array, say an autograd Tensor's, sees the new values);
- ``.grad``: an ``np.ndarray`` of the same shape, or ``None``. A parameter whose ``.grad`` is ``None`` is
  skipped by ``step()``, and its state (momentum, step count) does not advance, exactly like torch.

The engine's ``Tensor`` objects qualify, and so does ``types.SimpleNamespace(data=..., grad=...)``.
The learning rate is the plain attribute ``optimizer.lr``; the schedulers below rewrite it on each
``scheduler.step()``, like torch.optim.lr_scheduler does with ``param_groups[i]["lr"]``.

Update rules (g is the gradient, w the weights, t counts this parameter's steps from 1):

- SGD:     g += wd w;  b = g (t = 1) or mu b + (1 - dampening) g;  d = g + mu b (Nesterov) or b;  w -= lr d
- RMSprop: g += wd w;  s = alpha s + (1 - alpha) g^2;  centered: m = alpha m + (1 - alpha) g, s' = s - m^2;
           d = g / (sqrt(s') + eps);  with momentum: b = mu b + d, w -= lr b;  else w -= lr d
- Adam:    g += wd w (L2 folded into the gradient);  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
           w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
- AdamW:   w *= 1 - lr wd (decoupled weight decay), then Adam with no L2 term.

Schedulers compute the learning rate at step t in closed form (torch mostly uses equivalent recursive
"chainable" formulas; the two agree to round-off): StepLR, ExponentialLR, CosineAnnealingLR, LambdaLR
and WarmupCosineLR (linear warm-up, then cosine decay to a floor: the GPT pre-training recipe).

Left out (all in torch): parameter groups with different hyper-parameters, ``maximize``, ``amsgrad``,
``closure`` arguments, sparse and complex gradients, foreach/fused kernels, state_dict()/load_state_dict(),
and schedulers' ``last_epoch`` resumption. Cost of one ``step()``: O(total number of parameters).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import numpy as np


class Parameter(Protocol):
    """What an optimizer needs from a parameter: an array to update in place and its gradient."""

    data: np.ndarray
    grad: np.ndarray | None


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


class Optimizer:
    """Base class: keeps the parameters, the learning rate `lr` and per-parameter state.

    `state[i]` is a dict of arrays for the i-th parameter (momentum buffers, moment estimates), created
    on the first step in which that parameter has a gradient. Subclasses implement `_update`.
    """

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        if hasattr(params, "data") and hasattr(params, "grad"):
            raise ValueError("params should be an iterable of parameters (a list), not a single parameter")
        self.params: list[Parameter] = list(params)
        _check(len(self.params) > 0, "optimizer got an empty parameter list")
        for i, p in enumerate(self.params):
            _check(hasattr(p, "data") and hasattr(p, "grad") and isinstance(p.data, np.ndarray),
                   f"parameter {i} needs a numpy array `.data` and a `.grad` attribute, got {type(p).__name__}")
            _check(np.issubdtype(p.data.dtype, np.floating),
                   f"parameter {i} must hold floats to be updated in place, got dtype {p.data.dtype}")
        _check(lr >= 0.0, f"invalid learning rate: {lr} (must be >= 0)")
        self.lr = float(lr)
        self.state: dict[int, dict[str, Any]] = {}

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: `.grad = None` (torch's default), or fill them with zeros in place."""
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad[...] = 0.0

    def step(self) -> None:
        """Update every parameter that has a gradient, in place; parameters with `.grad is None` are skipped."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            grad = np.asarray(p.grad)
            _check(grad.shape == p.data.shape,
                   f"parameter {i}: gradient shape {grad.shape} differs from the parameter's {p.data.shape}")
            self._update(p.data, grad.astype(p.data.dtype, copy=False), self.state.setdefault(i, {}))

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay.

    With momentum mu the buffer b starts as the first gradient and then follows b = mu b + (1 - d) g; the
    step is lr * b, or lr * (g + mu b) with Nesterov (a look-ahead along the buffer). weight_decay adds
    wd * w to the gradient (the gradient of (wd/2)||w||^2).

    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(data=np.array([1.0, -2.0]), grad=np.array([0.5, 0.5]))
    >>> SGD([p], lr=0.1).step(); p.data
    array([ 0.95, -2.05])
    """

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(params, lr)
        _check(momentum >= 0.0, f"invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"invalid weight_decay value: {weight_decay}")
        _check(not nesterov or (momentum > 0.0 and dampening == 0.0),
               "Nesterov momentum requires a momentum > 0 and zero dampening")
        self.momentum, self.dampening = float(momentum), float(dampening)
        self.weight_decay, self.nesterov = float(weight_decay), bool(nesterov)

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        if self.weight_decay != 0.0:
            g = g + self.weight_decay * w  # a new array: the caller's .grad is left alone
        if self.momentum != 0.0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(g)  # an array copy, even for 0-d
            else:
                buf *= self.momentum
                buf += (1.0 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        w -= self.lr * g


class RMSprop(Optimizer):
    """Divide each coordinate's step by a running root-mean-square of its recent gradients.

    s = alpha s + (1 - alpha) g^2 (from s = 0); the step is lr * g / (sqrt(s) + eps). `centered=True`
    subtracts the squared running mean of g (a variance instead of a second moment); `momentum` > 0
    accumulates the normalized steps in a buffer b = mu b + g / (sqrt(s) + eps).
    """

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        super().__init__(params, lr)
        _check(alpha >= 0.0, f"invalid alpha value: {alpha}")
        _check(eps >= 0.0, f"invalid epsilon value: {eps}")
        _check(momentum >= 0.0, f"invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"invalid weight_decay value: {weight_decay}")
        self.alpha, self.eps, self.weight_decay = float(alpha), float(eps), float(weight_decay)
        self.momentum, self.centered = float(momentum), bool(centered)

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state.update(square_avg=np.zeros_like(w), grad_avg=np.zeros_like(w), momentum_buffer=np.zeros_like(w))
        if self.weight_decay != 0.0:
            g = g + self.weight_decay * w
        s = state["square_avg"]
        s *= self.alpha
        s += (1.0 - self.alpha) * g * g
        if self.centered:
            m = state["grad_avg"]
            m += (1.0 - self.alpha) * (g - m)
            denom = np.sqrt(s - m * m) + self.eps
        else:
            denom = np.sqrt(s) + self.eps
        if self.momentum > 0.0:
            buf = state["momentum_buffer"]
            buf *= self.momentum
            buf += g / denom
            w -= self.lr * buf
        else:
            w -= self.lr * (g / denom)


class Adam(Optimizer):
    """Adaptive moment estimation: momentum on g and an RMS scale per coordinate, both bias-corrected.

    m and v are running means of g and g^2 (from zero, so early values are biased low; dividing by
    1 - beta^t fixes that). Step: lr * m_hat / (sqrt(v_hat) + eps). `weight_decay` here is L2
    regularization: wd * w is added to g BEFORE the moments, so it gets rescaled like any gradient
    (use AdamW for decoupled decay).
    """

    _decoupled = False

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        _check(len(betas) == 2, f"betas must be a pair (beta1, beta2), got {betas!r}")
        _check(0.0 <= betas[0] < 1.0, f"invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"invalid beta parameter at index 1: {betas[1]}")
        _check(eps >= 0.0, f"invalid epsilon value: {eps}")
        _check(weight_decay >= 0.0, f"invalid weight_decay value: {weight_decay}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps, self.weight_decay = float(eps), float(weight_decay)

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(w), exp_avg_sq=np.zeros_like(w))
        beta1, beta2 = self.betas
        state["step"] += 1
        t = state["step"]
        if self.weight_decay != 0.0:
            if self._decoupled:
                w *= 1.0 - self.lr * self.weight_decay
            else:
                g = g + self.weight_decay * w
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1.0 - beta1) * (g - m)
        v *= beta2
        v += (1.0 - beta2) * g * g
        step_size = self.lr / (1.0 - beta1**t)
        denom = np.sqrt(v) / math.sqrt(1.0 - beta2**t) + self.eps
        w -= step_size * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): w *= 1 - lr * wd, then a plain Adam step.

    The decay shrinks every weight by the same factor, whatever its gradient history; Adam's L2 term
    instead passes through the adaptive scaling, so weights with large gradients are barely decayed.
    Default weight_decay is 1e-2, as in torch.
    """

    _decoupled = True

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


# ----------------------------------------------------------------------------- learning-rate schedulers


class LRScheduler:
    """Base class: remembers the optimizer's initial lr and sets `optimizer.lr = lr_at(t)` at each step.

    Like torch, construction counts as step 0 (it sets the lr for the first optimizer step), and each
    `step()` call, made after `optimizer.step()`, moves to the next t. Subclasses define `lr_at(t)`.
    """

    def __init__(self, optimizer: Any) -> None:
        _check(hasattr(optimizer, "lr"), "a scheduler needs an optimizer with an `lr` attribute")
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = 0
        self.optimizer.lr = self.lr_at(0)

    def lr_at(self, t: int) -> float:
        """The learning rate for step t (t = 0 is the first optimizer step)."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance one step and write the new learning rate into `optimizer.lr`."""
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)

    def get_last_lr(self) -> float:
        """The learning rate set by the latest step (torch returns a list, one per parameter group)."""
        return float(self.optimizer.lr)


class StepLR(LRScheduler):
    """lr_t = base_lr * gamma ** (t // step_size): multiply by gamma every `step_size` steps.

    >>> from types import SimpleNamespace
    >>> opt = SimpleNamespace(lr=1.0); sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> [sched.lr_at(t) for t in range(5)]
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1) -> None:
        _check(int(step_size) == step_size and step_size >= 1, f"step_size must be a positive integer, got {step_size}")
        _check(gamma > 0.0, f"gamma must be positive, got {gamma}")
        self.step_size, self.gamma = int(step_size), float(gamma)
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma ** (t // self.step_size)


class ExponentialLR(LRScheduler):
    """lr_t = base_lr * gamma ** t: a constant multiplicative decay every step."""

    def __init__(self, optimizer: Any, gamma: float) -> None:
        _check(gamma > 0.0, f"gamma must be positive, got {gamma}")
        self.gamma = float(gamma)
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma**t


class CosineAnnealingLR(LRScheduler):
    """lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi t / T_max)) / 2.

    Half a cosine wave from base_lr (t = 0) down to eta_min (t = T_max). Past T_max the formula keeps
    going (the lr climbs back up with period 2 T_max), as torch's does; stop training at T_max or use
    WarmupCosineLR, which holds the floor.
    """

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0) -> None:
        _check(int(T_max) == T_max and T_max >= 1, f"T_max must be a positive integer, got {T_max}")
        self.T_max, self.eta_min = int(T_max), float(eta_min)
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        return self.eta_min + (self.base_lr - self.eta_min) * (1.0 + math.cos(math.pi * t / self.T_max)) / 2.0


class LambdaLR(LRScheduler):
    """lr_t = base_lr * lr_lambda(t), for any function of the step number."""

    def __init__(self, optimizer: Any, lr_lambda: Callable[[int], float]) -> None:
        _check(callable(lr_lambda), "lr_lambda must be a function of the step number")
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        return self.base_lr * float(self.lr_lambda(t))


class WarmupCosineLR(LRScheduler):
    """Linear warm-up, then cosine decay to `min_lr`, then flat: the GPT pre-training recipe.

    - t < warmup_steps:               lr_t = base_lr * (t + 1) / warmup_steps   (reaches base_lr at t = warmup - 1)
    - warmup_steps <= t <= total_steps: lr_t = min_lr + (base_lr - min_lr) * (1 + cos(pi p)) / 2,
      with p = (t - warmup_steps) / (total_steps - warmup_steps) going from 0 to 1
    - t > total_steps:                lr_t = min_lr

    Warm-up keeps the first steps small while Adam's moment estimates are still noisy.

    >>> from types import SimpleNamespace
    >>> sched = WarmupCosineLR(SimpleNamespace(lr=1.0), warmup_steps=2, total_steps=4)
    >>> [round(sched.lr_at(t), 3) for t in range(6)]
    [0.5, 1.0, 1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, optimizer: Any, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> None:
        _check(int(warmup_steps) == warmup_steps and warmup_steps >= 0,
               f"warmup_steps must be a non-negative integer, got {warmup_steps}")
        _check(int(total_steps) == total_steps and total_steps > warmup_steps,
               f"total_steps ({total_steps}) must be an integer larger than warmup_steps ({warmup_steps})")
        _check(min_lr >= 0.0, f"min_lr must be non-negative, got {min_lr}")
        self.warmup_steps, self.total_steps, self.min_lr = int(warmup_steps), int(total_steps), float(min_lr)
        super().__init__(optimizer)

    def lr_at(self, t: int) -> float:
        if t < self.warmup_steps:
            return self.base_lr * (t + 1) / self.warmup_steps
        if t > self.total_steps:
            return self.min_lr
        progress = (t - self.warmup_steps) / (self.total_steps - self.warmup_steps)
        return self.min_lr + (self.base_lr - self.min_lr) * (1.0 + math.cos(math.pi * progress)) / 2.0
