"""Checks for `optimizers`, against torch.optim, step by step.

The test problem is a random quadratic: three parameters at once (a vector under a full symmetric
positive definite quadratic, a matrix and a 0-d scalar under elementwise ones), with the closed-form
gradient computed from each side's own current values. Your optimizer and torch's run 20 steps from
the same start; after every step each parameter must agree with torch's to a relative 1e-10 in float64
(1e-5 in float32): both sides do the same arithmetic, only the order of a few operations can differ.
The scalar parameter has no gradient (`.grad is None`) on some steps, and must then be skipped,
its state (momentum buffers, Adam's step count) left untouched. torch.optim is switched off while
your code runs.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.optim.adam import adam as torch_adam
from torch.optim.rmsprop import rmsprop as torch_rmsprop
from torch.optim.sgd import sgd as torch_sgd

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.torch_oracle import assert_matches_torch

torch.set_num_threads(1)  # small tensors: extra threads only wait for each other on a busy machine

TORCH_OPTIMIZERS = ("torch.optim.SGD", "torch.optim.RMSprop", "torch.optim.Adam", "torch.optim.AdamW")
STEPS = 20
NO_GRAD_STEPS = {3, 4, 9}  # the scalar parameter has .grad = None on these steps


class Param:
    """A parameter as an optimizer sees it: an array `.data` updated in place and its `.grad`."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        self.grad: np.ndarray | None = None


def make_problem(seed: int, dtype: type = np.float64) -> tuple[list[np.ndarray], object]:
    """Start values and the gradient function of a random quadratic in three parameters."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    a_vec = (q * rng.uniform(0.2, 2.0, 5)) @ q.T
    b_vec = rng.standard_normal(5)
    a_mat, c_mat = rng.uniform(0.2, 2.0, (3, 4)), rng.standard_normal((3, 4))
    a_sca, c_sca = rng.uniform(0.2, 2.0), rng.standard_normal()
    start = [rng.standard_normal(5), rng.standard_normal((3, 4)), np.array(rng.standard_normal())]

    def gradients(values: list[np.ndarray]) -> list[np.ndarray]:
        x, m, s = (np.asarray(v, dtype=np.float64) for v in values)
        return [(g.astype(dtype)) for g in (a_vec @ x - b_vec, a_mat * (m - c_mat), np.asarray(a_sca * (s - c_sca)))]

    return [s.astype(dtype) for s in start], gradients


class TorchOptimizer:
    """torch.optim's own update functions (torch.optim.sgd.sgd, .rmsprop.rmsprop, .adam.adam: the code
    that torch.optim.SGD/RMSprop/Adam/AdamW.step() runs), with the per-parameter state kept the way those
    classes keep it. The classes themselves load torch._dynamo on first use (about 2 s of feedback time);
    these functions do not. The project's own tests check the classes."""

    DEFAULTS: ClassVar[dict[str, dict]] = {
        "SGD": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False},
        "RMSprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False},
        "Adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
        "AdamW": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2},
    }

    def __init__(self, name: str, params: list[torch.Tensor], **kwargs: object) -> None:
        self.name, self.params, self.h = name, params, {**self.DEFAULTS[name], **kwargs}
        self.state: dict[int, dict] = {}

    def step(self) -> None:
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        params, grads, h = [self.params[i] for i in live], [self.params[i].grad for i in live], self.h
        with torch.no_grad():
            if self.name == "SGD":
                buffers = [self.state.get(i) for i in live]
                torch_sgd(params, grads, buffers, foreach=False, weight_decay=h["weight_decay"], momentum=h["momentum"],
                          lr=h["lr"], dampening=h["dampening"], nesterov=h["nesterov"], maximize=False)
                self.state.update(zip(live, buffers, strict=True))
                return
            keys = (("square_avg", "grad_avg", "momentum_buffer") if self.name == "RMSprop"
                    else ("exp_avg", "exp_avg_sq"))
            states = [self.state.setdefault(i, {"step": torch.tensor(0.0),
                                                **{k: torch.zeros_like(self.params[i]) for k in keys}}) for i in live]
            lists = [[s[k] for s in states] for k in keys]
            steps = [s["step"] for s in states]
            if self.name == "RMSprop":
                torch_rmsprop(params, grads, *lists, steps, foreach=False, lr=h["lr"], alpha=h["alpha"], eps=h["eps"],
                              weight_decay=h["weight_decay"], momentum=h["momentum"], centered=h["centered"])
            else:
                torch_adam(params, grads, *lists, [], steps, foreach=False, amsgrad=False, beta1=h["betas"][0],
                           beta2=h["betas"][1], lr=h["lr"], weight_decay=h["weight_decay"], eps=h["eps"],
                           maximize=False, decoupled_weight_decay=self.name == "AdamW")


def torch_trajectory(name: str, kwargs: dict, seed: int, dtype: type = np.float64, steps: int = STEPS,
                     lrs: list[float] | None = None) -> list[list[np.ndarray]]:
    start, gradients = make_problem(seed, dtype)
    params = [torch.tensor(s.copy()) for s in start]
    opt = TorchOptimizer(name, params, **kwargs)
    path = []
    for k in range(steps):
        if lrs is not None:
            opt.h["lr"] = lrs[k]
        for i, (p, g) in enumerate(zip(params, gradients([p.numpy() for p in params]), strict=True)):
            p.grad = None if (i == 2 and k in NO_GRAD_STEPS) else torch.tensor(g)
        opt.step()
        path.append([p.detach().numpy().copy() for p in params])
    return path


def check_trajectory(impl, name: str, kwargs: dict, seed: int, dtype: type = np.float64, steps: int = STEPS,
                     lrs: list[float] | None = None) -> None:
    """Run the learner's optimizer and compare with torch's after every step."""
    expected = torch_trajectory(name, kwargs, seed, dtype, steps, lrs)
    start, gradients = make_problem(seed, dtype)
    params = [Param(s.copy()) for s in start]
    with forbid(impl, *TORCH_OPTIMIZERS):
        opt = getattr(impl, name)(params, **kwargs)
        for k in range(steps):
            if lrs is not None:
                opt.lr = lrs[k]
            for i, (p, g) in enumerate(zip(params, gradients([p.data for p in params]), strict=True)):
                p.grad = None if (i == 2 and k in NO_GRAD_STEPS) else g
            opt.step()
            for i, (p, want) in enumerate(zip(params, expected[k], strict=True)):
                expect(isinstance(p.data, np.ndarray) and p.data.shape == want.shape,
                       f"{name}: parameter {i} should stay an array of shape {want.shape} after step {k + 1}")
                assert_matches_torch(p.data, want, f"{name}({kwargs}): parameter {i} after step {k + 1}", dtype=dtype)


seeds = st.integers(0, 2**32 - 1)
rates = st.floats(1e-3, 0.3)
decays = st.one_of(st.just(0.0), st.floats(0.0, 0.1))


@st.composite
def sgd_settings(draw: st.DrawFn) -> dict:
    momentum = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.95)))
    dampening = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5)))
    nesterov = momentum > 0 and dampening == 0 and draw(st.booleans())
    return {"lr": draw(rates), "momentum": momentum, "dampening": dampening, "nesterov": nesterov,
            "weight_decay": draw(decays)}


@settings(max_examples=12)
@given(sgd_settings(), seeds)
def test_sgd_matches_torch(impl, kwargs, seed):
    """SGD (momentum, dampening, Nesterov, weight decay) follows torch.optim.SGD's trajectory for 20 steps."""
    check_trajectory(impl, "SGD", kwargs, seed)


@settings(max_examples=12)
@given(rates.map(lambda r: r / 3), st.floats(0.5, 0.999), st.floats(1e-8, 1e-2), decays,
       st.one_of(st.just(0.0), st.floats(0.0, 0.9)), st.booleans(), seeds)
def test_rmsprop_matches_torch(impl, lr, alpha, eps, weight_decay, momentum, centered, seed):
    """RMSprop (alpha, eps, weight decay, momentum, centered) follows torch.optim.RMSprop for 20 steps."""
    kwargs = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay, "momentum": momentum,
              "centered": centered}
    check_trajectory(impl, "RMSprop", kwargs, seed)


@settings(max_examples=12)
@given(rates, st.floats(0.0, 0.99), st.floats(0.5, 0.9999), st.floats(1e-8, 1e-3), decays, seeds)
def test_adam_matches_torch(impl, lr, beta1, beta2, eps, weight_decay, seed):
    """Adam (betas, eps, L2 weight decay added to the gradient) follows torch.optim.Adam for 20 steps."""
    kwargs = {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}
    check_trajectory(impl, "Adam", kwargs, seed)


@settings(max_examples=12)
@given(rates, st.floats(0.0, 0.99), st.floats(0.5, 0.9999), st.floats(1e-8, 1e-3), st.floats(0.0, 0.5), seeds)
def test_adamw_matches_torch(impl, lr, beta1, beta2, eps, weight_decay, seed):
    """AdamW (decoupled weight decay: w *= 1 - lr * wd before the Adam step) follows torch.optim.AdamW."""
    kwargs = {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}
    check_trajectory(impl, "AdamW", kwargs, seed)


def test_defaults_match_torch(impl):
    """Built with the parameters only, each optimizer uses torch's defaults (SGD lr=1e-3, RMSprop lr=1e-2
    alpha=0.99, Adam lr=1e-3 betas=(0.9, 0.999) eps=1e-8, AdamW weight_decay=1e-2)."""
    for name in ("SGD", "RMSprop", "Adam", "AdamW"):
        check_trajectory(impl, name, {}, seed=7, steps=5)


def test_float32_parameters_match_torch_in_float32(impl):
    """float32 parameters stay float32 and follow torch's float32 trajectory to a relative 1e-5."""
    cases = [("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
             ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}),
             ("Adam", {"lr": 0.05, "weight_decay": 0.01}), ("AdamW", {"lr": 0.05, "weight_decay": 0.1})]
    for name, kwargs in cases:
        check_trajectory(impl, name, kwargs, seed=11, dtype=np.float32)


def test_learning_rate_attribute_is_read_at_every_step(impl):
    """`optimizer.lr` is a plain attribute read by every step (schedulers change it): changing it between
    steps gives torch's trajectory with the same changes to param_groups[0]['lr']."""
    lrs = [0.1 * 0.8**k for k in range(10)]
    for name, kwargs in (("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.1}),
                         ("AdamW", {"lr": 0.1, "weight_decay": 0.2})):
        check_trajectory(impl, name, kwargs, seed=3, steps=10, lrs=lrs)
        start, _ = make_problem(3)
        with forbid(impl, *TORCH_OPTIMIZERS):
            opt = getattr(impl, name)([Param(s) for s in start], **kwargs)
        expect(opt.lr == kwargs["lr"], f"{name}(...).lr should be {kwargs['lr']}, got {getattr(opt, 'lr', None)!r}")


def test_step_updates_data_in_place_and_leaves_grad_alone(impl):
    """step() writes into the existing `.data` array (other references, e.g. a Tensor's, see the update)
    and never modifies `.grad`, even with weight decay."""
    for name, kwargs in (("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
                         ("RMSprop", {"weight_decay": 0.1}), ("Adam", {"weight_decay": 0.1}), ("AdamW", {})):
        data, grad = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.25, -1.0])
        param = Param(data)
        param.grad = grad.copy()
        with forbid(impl, *TORCH_OPTIMIZERS):
            opt = getattr(impl, name)([param], **kwargs)
            opt.step()
        expect(param.data is data, f"{name}.step() replaced `.data` with a new array; update it in place "
                                   "(w -= ..., not w = w - ...)")
        expect(not np.array_equal(data, [1.0, -2.0, 3.0]), f"{name}.step() did not change the parameter")
        expect(np.array_equal(param.grad, grad), f"{name}.step() changed `.grad`; weight decay must not write "
                                                 "into the gradient (use g = g + wd * w, a new array)")


def test_zero_grad(impl):
    """zero_grad() sets every `.grad` to None (torch's default); zero_grad(set_to_none=False) fills the
    existing gradient arrays with zeros in place."""
    params = [Param(np.ones(3)), Param(np.ones((2, 2)))]
    grads = [np.full(3, 2.0), np.full((2, 2), -1.0)]
    for name in ("SGD", "RMSprop", "Adam", "AdamW"):
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        opt = getattr(impl, name)(params, lr=0.1)
        opt.zero_grad(set_to_none=False)
        expect(all(p.grad is g and not g.any() for p, g in zip(params, grads, strict=True)),
               f"{name}.zero_grad(set_to_none=False) should fill the same .grad arrays with zeros")
        opt.zero_grad()
        expect(all(p.grad is None for p in params), f"{name}.zero_grad() should set every .grad to None")


def test_rejects_bad_hyperparameters(impl):
    """Settings torch refuses raise ValueError: negative lr, momentum, eps or weight decay, Nesterov
    without momentum or with dampening, betas outside [0, 1), and an empty parameter list."""
    p = [Param(np.ones(2))]
    bad = [("SGD", {"lr": -0.1}, "the learning rate must be >= 0"),
           ("SGD", {"momentum": -0.5}, "momentum must be >= 0"),
           ("SGD", {"nesterov": True}, "Nesterov needs momentum > 0"),
           ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "Nesterov needs zero dampening"),
           ("SGD", {"weight_decay": -1.0}, "weight decay must be >= 0"),
           ("RMSprop", {"alpha": -0.1}, "alpha must be >= 0"),
           ("RMSprop", {"eps": -1e-8}, "eps must be >= 0"),
           ("Adam", {"betas": (1.0, 0.999)}, "beta1 must be below 1"),
           ("Adam", {"betas": (0.9, -0.1)}, "beta2 must be >= 0"),
           ("AdamW", {"lr": -1.0}, "the learning rate must be >= 0")]
    for name, kwargs, why in bad:
        assert_raises_value_error(getattr(impl, name), p, why=f"{name}({kwargs}): {why}", **kwargs)
    for name in ("SGD", "RMSprop", "Adam", "AdamW"):
        assert_raises_value_error(getattr(impl, name), [], why=f"{name}([]) has no parameters to optimize")


def test_does_not_import_torch(impl):
    """Your optimizers are numpy: the module must not import torch."""
    assert_not_imported(impl, "torch")
