"""aieng.lib.dl.optim against torch.optim and torch.optim.lr_scheduler (the classes themselves), and
aieng.lib.dl.data against torch.utils.data.DataLoader.

Optimizers: 20-step trajectories on a random quadratic in several parameters at once (a vector under a
full SPD quadratic, a matrix and a 0-d scalar under elementwise ones; the scalar has no gradient on some
steps), hyper-parameters drawn by hypothesis, float64 to a relative 1e-10 and float32 to 1e-5 (the
dtype tolerances of aieng.grader.torch_oracle). Schedulers: the learning-rate sequence over N steps to a
relative 1e-12 (closed form here, torch's recursive "chainable" formulas there: the difference is
round-off accumulated over at most a few hundred multiplications, ~1e-14).
"""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close
from aieng.grader.torch_oracle import assert_matches_torch
from aieng.lib.dl import data, optim

STEPS = 20
NO_GRAD_STEPS = {3, 4, 9}
torch.optim.SGD([torch.zeros(1)]).step()  # torch.optim loads torch._dynamo on first use (~2 s): not in a deadline


class Param:
    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        self.grad: np.ndarray | None = None


def make_problem(seed: int, dtype: type = np.float64):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    a_vec, b_vec = (q * rng.uniform(0.2, 2.0, 5)) @ q.T, rng.standard_normal(5)
    a_mat, c_mat = rng.uniform(0.2, 2.0, (3, 4)), rng.standard_normal((3, 4))
    a_sca, c_sca = rng.uniform(0.2, 2.0), rng.standard_normal()
    start = [rng.standard_normal(5), rng.standard_normal((3, 4)), np.array(rng.standard_normal())]

    def gradients(values):
        x, m, s = (np.asarray(v, dtype=np.float64) for v in values)
        return [g.astype(dtype) for g in (a_vec @ x - b_vec, a_mat * (m - c_mat), np.asarray(a_sca * (s - c_sca)))]

    return [s.astype(dtype) for s in start], gradients


def run_both(name: str, kwargs: dict, seed: int, dtype: type = np.float64, steps: int = STEPS,
             schedule: tuple | None = None) -> None:
    """Run ours and torch's side by side; compare every parameter after every step.

    float32: besides the 1e-5 relative tolerance, a parameter may differ from torch's float32 value by 10x
    the largest gap seen so far (any parameter, any step) between torch's own float32 and float64 runs.
    Some drawn settings (beta1 = 0, beta2 = 0.5, RMSprop with alpha = 0.5) make the path sensitive: a
    1e-7 round-off difference grows to 1e-5 in 20 steps on either side, and torch's float32-vs-float64
    drift measures that growth.
    """
    start, gradients = make_problem(seed, dtype)
    ours = [Param(s.copy()) for s in start]
    theirs = [torch.tensor(s.copy()) for s in start]
    exact = [torch.tensor(s.astype(np.float64)) for s in start]
    opt, topt = getattr(optim, name)(ours, **kwargs), getattr(torch.optim, name)(theirs, **kwargs)
    topt64 = getattr(torch.optim, name)(exact, **kwargs)
    if schedule is not None:
        scheds = [schedule[0](opt), schedule[1](topt), schedule[1](topt64)]
    drift = 0.0
    for k in range(steps):
        for params, wrap in ((ours, None), (theirs, torch.tensor), (exact, torch.tensor)):
            values = [p.data if wrap is None else p.numpy() for p in params]
            for i, (p, g) in enumerate(zip(params, gradients(values), strict=True)):
                g = g.astype(values[i].dtype)
                p.grad = None if (i == 2 and k in NO_GRAD_STEPS) else (g if wrap is None else wrap(g))
        opt.step()
        topt.step()
        topt64.step()
        if schedule is not None:
            for sched in scheds:
                sched.step()
        gaps = [float(np.max(np.abs(t.numpy() - e.numpy()))) for t, e in zip(theirs, exact, strict=True)]
        drift = max(drift, *gaps)
        for i, (p, t) in enumerate(zip(ours, theirs, strict=True)):
            assert p.data.dtype == dtype
            want = t.numpy()
            what = f"{name}({kwargs}) parameter {i} after step {k + 1}"
            close = np.all(np.abs(p.data - want) <= 1e-6 + 1e-5 * np.abs(want) + 10 * drift)
            if dtype is np.float32 and close:
                continue
            assert_matches_torch(p.data, want, what, dtype=dtype)


seeds = st.integers(0, 2**32 - 1)
rates = st.floats(1e-3, 0.3)
decays = st.one_of(st.just(0.0), st.floats(0.0, 0.1))
dtypes = st.sampled_from([np.float64, np.float32])


@st.composite
def sgd_settings(draw):
    momentum = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.95)))
    dampening = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5)))
    nesterov = momentum > 0 and dampening == 0 and draw(st.booleans())
    return {"lr": draw(rates), "momentum": momentum, "dampening": dampening, "nesterov": nesterov,
            "weight_decay": draw(decays)}


@settings(max_examples=25)
@given(sgd_settings(), seeds, dtypes)
def test_sgd_trajectory_matches_torch(kwargs, seed, dtype):
    run_both("SGD", kwargs, seed, dtype)


@settings(max_examples=25)
@given(rates.map(lambda r: r / 3), st.floats(0.5, 0.999), st.floats(1e-8, 1e-2), decays,
       st.one_of(st.just(0.0), st.floats(0.0, 0.9)), st.booleans(), seeds, dtypes)
def test_rmsprop_trajectory_matches_torch(lr, alpha, eps, weight_decay, momentum, centered, seed, dtype):
    run_both("RMSprop", {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay,
                         "momentum": momentum, "centered": centered}, seed, dtype)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@settings(max_examples=25)
@given(rates, st.floats(0.0, 0.99), st.floats(0.5, 0.9999), st.floats(1e-8, 1e-3), st.floats(0.0, 0.5), seeds, dtypes)
def test_adam_and_adamw_trajectories_match_torch(name, lr, beta1, beta2, eps, weight_decay, seed, dtype):
    run_both(name, {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}, seed, dtype)


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW"])
def test_defaults_match_torch(name):
    run_both(name, {}, seed=5, steps=5)


def test_adam_l2_and_adamw_decay_differ_but_sgd_l2_equals_weight_decay():
    """The lesson's claim, checked on torch and on ours: for SGD, weight_decay == adding lam * w to the
    gradient; for Adam, weight_decay (L2 in the gradient) and AdamW's decoupled decay give different paths."""
    start, gradients = make_problem(1)
    a = [Param(s.copy()) for s in start]
    b = [Param(s.copy()) for s in start]
    sgd_wd, sgd_plain = optim.SGD(a, lr=0.1, weight_decay=0.1), optim.SGD(b, lr=0.1)
    adam, adamw = [Param(s.copy()) for s in start], [Param(s.copy()) for s in start]
    o_adam, o_adamw = optim.Adam(adam, lr=0.1, weight_decay=0.1), optim.AdamW(adamw, lr=0.1, weight_decay=0.1)
    for _ in range(STEPS):
        for params in (a, adam, adamw):
            for p, g in zip(params, gradients([p.data for p in params]), strict=True):
                p.grad = g
        for p, g in zip(b, gradients([p.data for p in b]), strict=True):
            p.grad = g + 0.1 * p.data
        for o in (sgd_wd, sgd_plain, o_adam, o_adamw):
            o.step()
    for p, q in zip(a, b, strict=True):
        assert_close(p.data, q.data, rtol=1e-12, atol=1e-14, what="SGD weight decay vs explicit L2 gradient")
    assert max(np.max(np.abs(p.data - q.data)) for p, q in zip(adam, adamw, strict=True)) > 1e-3


def test_zero_grad_and_in_place_update():
    data, grad = np.ones(3), np.full(3, 0.5)
    p = Param(data)
    p.grad = grad
    opt = optim.Adam([p], lr=0.1, weight_decay=0.1)
    opt.step()
    assert p.data is data and np.array_equal(grad, np.full(3, 0.5))
    opt.zero_grad(set_to_none=False)
    assert p.grad is grad and not grad.any()
    opt.zero_grad()
    assert p.grad is None
    opt.step()  # no gradient: nothing happens
    assert p.data is data


def test_bad_settings_raise_value_error():
    p = [Param(np.ones(2))]
    holder = SimpleNamespace(lr=1.0)
    for build in (lambda: optim.SGD(p, lr=-1), lambda: optim.SGD(p, nesterov=True),
                  lambda: optim.Adam(p, betas=(1.0, 0.9)), lambda: optim.RMSprop(p, eps=-1), lambda: optim.AdamW([]),
                  lambda: optim.SGD([Param(np.ones(2, int))]), lambda: optim.StepLR(holder, 0),
                  lambda: optim.ExponentialLR(holder, 0), lambda: optim.CosineAnnealingLR(holder, 0),
                  lambda: optim.WarmupCosineLR(holder, 10, 10)):
        with pytest.raises(ValueError):
            build()


def test_works_with_the_engine_tensor():
    """The engine's Tensor (`.data`, `.grad`) is a parameter the optimizers can update in place."""
    tensor = pytest.importorskip("aieng.lib.dl.tensor")
    w = tensor.Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    data = w.data
    w.grad = np.array([0.5, 0.5, 0.5])
    optim.SGD([w], lr=0.1, momentum=0.9).step()
    assert w.data is data
    assert_close(w.data, [0.95, -2.05, 2.95], rtol=1e-15, what="SGD step on a Tensor")


# ----------------------------------------------------------------------------- schedulers


def lr_sequence_ours(make, n: int, lr: float) -> np.ndarray:
    opt = SimpleNamespace(lr=lr)
    sched, out = make(opt), []
    for _ in range(n):
        out.append(opt.lr)
        sched.step()
    return np.array(out)


def lr_sequence_torch(make, n: int, lr: float) -> np.ndarray:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's deprecation notes
        sched, out = make(opt), []
        for _ in range(n):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
    return np.array(out)


def assert_same_schedule(ours, theirs, n: int, lr: float, what: str) -> None:
    assert_close(lr_sequence_ours(ours, n, lr), lr_sequence_torch(theirs, n, lr), rtol=1e-12, atol=1e-15 * lr,
                 what=what)


L = torch.optim.lr_scheduler
lrs = st.floats(1e-4, 1.0)


@given(lrs, st.integers(1, 30), st.floats(0.05, 0.99), st.integers(1, 200))
def test_step_lr_matches_torch(lr, step_size, gamma, n):
    assert_same_schedule(lambda o: optim.StepLR(o, step_size, gamma), lambda o: L.StepLR(o, step_size, gamma), n, lr,
                         f"StepLR(step_size={step_size}, gamma={gamma})")


@given(lrs, st.floats(0.8, 0.9999), st.integers(1, 300))
def test_exponential_lr_matches_torch(lr, gamma, n):
    assert_same_schedule(lambda o: optim.ExponentialLR(o, gamma), lambda o: L.ExponentialLR(o, gamma), n, lr,
                         f"ExponentialLR(gamma={gamma})")


@given(lrs, st.integers(1, 100), st.one_of(st.just(0.0), st.floats(0.0, 1e-4)), st.integers(1, 250))
def test_cosine_annealing_matches_torch(lr, t_max, eta_min, n):
    """Including steps past T_max, where both climb back up."""
    assert_same_schedule(lambda o: optim.CosineAnnealingLR(o, t_max, eta_min),
                         lambda o: L.CosineAnnealingLR(o, t_max, eta_min), n, lr,
                         f"CosineAnnealingLR(T_max={t_max}, eta_min={eta_min})")


@given(lrs, st.integers(0, 20), st.integers(1, 100), st.floats(0.0, 0.5))
def test_warmup_cosine_matches_lambda_lr_and_sequential_lr(lr, warmup, decay, floor_ratio):
    total, min_lr = warmup + decay, floor_ratio * lr

    def factor(t: int) -> float:  # the recipe in closed form
        if t < warmup:
            return (t + 1) / warmup
        if t > total:
            return floor_ratio
        return floor_ratio + (1 - floor_ratio) * (1 + math.cos(math.pi * (t - warmup) / decay)) / 2

    ours = lambda o: optim.WarmupCosineLR(o, warmup, total, min_lr)  # noqa: E731
    assert_same_schedule(ours, lambda o: L.LambdaLR(o, factor), total + 30, lr, "WarmupCosineLR vs LambdaLR")
    if warmup >= 2:  # torch's own building blocks: LinearLR for warm-up, then CosineAnnealingLR, up to total_steps
        def sequential(o):
            return L.SequentialLR(o, [L.LinearLR(o, 1 / warmup, 1.0, warmup - 1),
                                      L.CosineAnnealingLR(o, decay, min_lr)], milestones=[warmup])
        assert_same_schedule(ours, sequential, total + 1, lr, "WarmupCosineLR vs SequentialLR(LinearLR, Cosine)")


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=10)
def test_adam_with_cosine_schedule_matches_torch(seed):
    run_both("Adam", {"lr": 0.1}, seed, schedule=(lambda o: optim.CosineAnnealingLR(o, 15, 1e-3),
                                                  lambda o: L.CosineAnnealingLR(o, 15, 1e-3)))


# ----------------------------------------------------------------------------- mini-batches


@given(st.integers(1, 60), st.integers(1, 20), st.booleans(), st.booleans(), st.integers(0, 2**32 - 1))
@settings(max_examples=30)
def test_loader_matches_torch_dataloader_sizes_and_samples(n, batch_size, shuffle, drop_last, seed):
    """Same batch sizes as torch's DataLoader; every sample exactly once per epoch (the same multiset as
    torch's, unless drop_last discards a different random remainder); rows stay aligned across arrays."""
    x, y = np.arange(n * 2, dtype=float).reshape(n, 2), np.arange(n)
    ours = list(data.DataLoader(x, y, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, rng=seed))
    dataset = torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y))
    theirs = list(torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                                              generator=torch.Generator().manual_seed(seed)))
    assert [len(yb) for _, yb in ours] == [len(b[1]) for b in theirs]
    assert len(data.DataLoader(x, y, batch_size=batch_size, drop_last=drop_last)) == len(theirs)
    got = [int(v) for _, yb in ours for v in yb]
    assert len(set(got)) == len(got), "a sample was used twice in one epoch"
    if not drop_last:
        assert sorted(got) == sorted(int(v) for b in theirs for v in b[1])
    for xb, yb in ours:
        assert_close(xb, x[yb], what="x rows follow y's indices")
    if not shuffle:
        assert got == list(range(len(got)))  # in order


def test_empty_loader_and_seeded_epochs():
    assert list(data.DataLoader(np.zeros((0, 3)), batch_size=4, shuffle=True, rng=0)) == []
    a = data.DataLoader(np.arange(10), batch_size=3, shuffle=True, rng=42)
    b = data.DataLoader(np.arange(10), batch_size=3, shuffle=True, rng=42)
    epochs_a = [[yb.tolist() for (yb,) in a] for _ in range(3)]
    assert epochs_a == [[yb.tolist() for (yb,) in b] for _ in range(3)]
    assert epochs_a[0] != epochs_a[1]  # reshuffled every epoch
