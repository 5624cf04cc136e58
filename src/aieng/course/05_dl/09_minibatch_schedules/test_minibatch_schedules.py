"""Checks for `minibatch-schedules`: mini-batches against torch.utils.data.DataLoader and the definition of
an epoch, learning-rate schedules against torch.optim.lr_scheduler.

Batches: the same batch sizes as torch's DataLoader and, without drop_last, the same multiset of
samples; every sample at most once per epoch (exactly once without drop_last); rows of all arrays kept
aligned; the same seed gives the same epochs; a new shuffle every epoch (a frequency test, tolerance
derived from the binomial distribution). Schedules: the learning rate over N steps equals torch's to a
relative 1e-12 (torch updates the rate recursively, you may use the closed form: the two differ by
round-off accumulated over a few hundred multiplications, about 1e-14).
"""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace

import numpy as np
import torch
import torch.utils.data
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid

torch.set_num_threads(1)  # small tensors: extra threads only wait for each other on a busy machine

TORCH_PARTS = ("torch.utils.data.DataLoader", "torch.optim.lr_scheduler.StepLR",
               "torch.optim.lr_scheduler.ExponentialLR", "torch.optim.lr_scheduler.CosineAnnealingLR",
               "torch.optim.lr_scheduler.LambdaLR")


def batches_of(impl, n, batch_size, shuffle, drop_last, seed):
    with forbid(impl, *TORCH_PARTS):
        return impl.batch_indices(n, batch_size, shuffle=shuffle, drop_last=drop_last, rng=np.random.default_rng(seed))


def torch_batches(n, batch_size, shuffle, drop_last, seed):
    dataset = torch.utils.data.TensorDataset(torch.arange(n))
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                                         generator=torch.Generator().manual_seed(seed))
    return [b[0].numpy() for b in loader]


@given(st.integers(1, 80), st.integers(1, 25), st.booleans(), st.booleans(), st.integers(0, 2**32 - 1))
@settings(max_examples=15)
def test_batch_indices_match_torch_dataloader(impl, n, batch_size, shuffle, drop_last, seed):
    """batch_indices gives torch's DataLoader batch sizes (ceil(n/B) batches, or floor(n/B) with drop_last);
    without drop_last every index 0..n-1 appears exactly once, like torch's; with it, no index repeats."""
    got = batches_of(impl, n, batch_size, shuffle, drop_last, seed)
    want = torch_batches(n, batch_size, shuffle, drop_last, seed)
    sizes = [len(np.asarray(b)) for b in got]
    expect(sizes == [len(b) for b in want],
           f"batch_indices({n}, {batch_size}, drop_last={drop_last}) gave batch sizes {sizes}, torch's DataLoader "
           f"{[len(b) for b in want]}")
    flat = np.concatenate([np.asarray(b, dtype=int).ravel() for b in got]) if got else np.array([], dtype=int)
    expect(len(set(flat.tolist())) == flat.size, "an index appears twice in one epoch")
    if not drop_last:
        expect(sorted(flat.tolist()) == list(range(n)), f"without drop_last the batches must hold 0..{n - 1} exactly "
                                                        "once each (a permutation)")
    if not shuffle:
        expect(flat.tolist() == list(range(flat.size)), "without shuffle the indices come in order 0, 1, 2, ...")


def test_shuffle_is_seeded_and_actually_shuffles(impl):
    """The same seed gives the same batches; shuffle=True does change the order (for 50 samples, an unshuffled
    result by chance has probability 1/50!)."""
    a = batches_of(impl, 50, 7, True, False, 123)
    b = batches_of(impl, 50, 7, True, False, 123)
    expect(all(np.array_equal(x, y) for x, y in zip(a, b, strict=True)), "the same seed must give the same batches")
    expect(np.concatenate(a).tolist() != list(range(50)), "shuffle=True returned the indices in order")


def test_loader_yields_aligned_tuples_and_len(impl):
    """DataLoader(x, y, batch_size=B) yields tuples (x[idx], y[idx]) with rows kept together, len() equals
    the number of batches, and a single array still comes as a 1-tuple."""
    x, y = np.arange(22, dtype=float).reshape(11, 2), np.arange(11) * 10
    for drop_last, shuffle in ((False, False), (True, True), (False, True)):
        with forbid(impl, *TORCH_PARTS):
            loader = impl.DataLoader(x, y, batch_size=4, shuffle=shuffle, drop_last=drop_last, rng=0)
            batches = list(loader)
            count = len(loader)
        expect(count == (2 if drop_last else 3), f"len(loader) should be {2 if drop_last else 3}, got {count}")
        expect(len(batches) == count, f"the loader yielded {len(batches)} batches but len() says {count}")
        for batch in batches:
            expect(isinstance(batch, tuple) and len(batch) == 2, "each batch should be a tuple (xb, yb)")
            xb, yb = batch
            assert_close(xb, x[yb // 10], what="xb (the x rows of the samples in yb)")
    with forbid(impl, *TORCH_PARTS):
        single = list(impl.DataLoader(x, batch_size=5))
    expect(all(isinstance(b, tuple) and len(b) == 1 for b in single), "with one array, each batch is a 1-tuple")
    assert_close(single[-1][0], x[10:], what="the last batch of DataLoader(x, batch_size=5)")


def test_loader_reshuffles_every_epoch(impl):
    """Each pass over a shuffling loader draws a new permutation: over 2000 epochs of 5 samples in batches of
    2, sample 0 lands in the first batch in 40% of them. The test allows 6 binomial standard deviations
    (sqrt(0.4 * 0.6 / 2000) = 0.011 each; false failure probability about 2e-9)."""
    with forbid(impl, *TORCH_PARTS):
        loader = impl.DataLoader(np.arange(5), batch_size=2, shuffle=True, rng=7)
        hits = sum(0 in first for (first,), *_ in (list(loader) for _ in range(2000)))
    rate = hits / 2000
    expect(abs(rate - 0.4) <= 6 * math.sqrt(0.4 * 0.6 / 2000),
           f"sample 0 was in the first batch in {rate:.1%} of 2000 epochs, expected 40%: does the loader draw a new "
           "permutation on every iteration?")


def test_same_seed_same_epochs(impl):
    """Two loaders with the same seed produce the same sequence of epochs, and consecutive epochs differ."""
    with forbid(impl, *TORCH_PARTS):
        a = impl.DataLoader(np.arange(30), batch_size=8, shuffle=True, rng=2024)
        b = impl.DataLoader(np.arange(30), batch_size=8, shuffle=True, rng=2024)
        epochs_a = [np.concatenate([yb for (yb,) in a]).tolist() for _ in range(3)]
        epochs_b = [np.concatenate([yb for (yb,) in b]).tolist() for _ in range(3)]
    expect(epochs_a == epochs_b, "loaders built with the same seed should give the same epochs")
    expect(epochs_a[0] != epochs_a[1], "two epochs came out in the same order: reshuffle on every iteration")


def test_bad_loader_input(impl):
    """batch_size < 1, arrays of different lengths, or no array at all raise ValueError."""
    assert_raises_value_error(impl.batch_indices, 10, 0, why="batch_size must be at least 1")
    assert_raises_value_error(impl.DataLoader, np.zeros(5), np.zeros(4), batch_size=2,
                              why="x and y must have the same number of samples")
    assert_raises_value_error(impl.DataLoader, np.zeros(5), batch_size=0, why="batch_size must be at least 1")
    assert_raises_value_error(impl.DataLoader, batch_size=2, why="there is no data")


# ----------------------------------------------------------------------------- schedules


class TorchLR(torch.optim.Optimizer):
    """The smallest optimizer torch's schedulers accept: one parameter group holding an lr. (Building a real
    torch optimizer loads torch._dynamo, about 2 s; the schedulers only ever read and write param_groups.)"""

    def __init__(self, lr: float) -> None:  # deliberately not calling Optimizer.__init__
        self.param_groups, self.defaults, self.state = [{"lr": lr}], {}, {}


def torch_lrs(make, n: int, lr: float) -> np.ndarray:
    opt = TorchLR(lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "scheduler.step() before optimizer.step()", SequentialLR notes
        sched, out = make(opt), []
        for _ in range(n):
            out.append(opt.param_groups[0]["lr"])
            sched.step()
    return np.array(out)


def learner_lrs(impl, make, n: int, lr: float) -> np.ndarray:
    opt = SimpleNamespace(lr=lr)
    out = []
    with forbid(impl, *TORCH_PARTS):
        sched = make(opt)
        for _ in range(n):
            out.append(opt.lr)
            sched.step()
    return np.array(out, dtype=float)


def assert_same_lrs(impl, ours, theirs, n, lr, what):
    assert_close(learner_lrs(impl, ours, n, lr), torch_lrs(theirs, n, lr), rtol=1e-12, atol=1e-15 * lr,
                 what=f"{what}: optimizer.lr before each of {n} steps")


rates = st.floats(1e-4, 1.0)


@given(rates, st.integers(1, 30), st.floats(0.05, 0.99), st.integers(1, 150))
@settings(max_examples=25)
def test_step_lr_matches_torch(impl, lr, step_size, gamma, n):
    """StepLR multiplies the rate by gamma every step_size steps, like torch.optim.lr_scheduler.StepLR."""
    assert_same_lrs(impl, lambda o: impl.StepLR(o, step_size, gamma),
                    lambda o: lr_scheduler.StepLR(o, step_size, gamma), n, lr, f"StepLR({step_size}, {gamma})")


@given(rates, st.floats(0.8, 0.9999), st.integers(1, 200))
@settings(max_examples=25)
def test_exponential_lr_matches_torch(impl, lr, gamma, n):
    """ExponentialLR multiplies the rate by gamma every step, like torch.optim.lr_scheduler.ExponentialLR."""
    assert_same_lrs(impl, lambda o: impl.ExponentialLR(o, gamma), lambda o: lr_scheduler.ExponentialLR(o, gamma),
                    n, lr, f"ExponentialLR({gamma})")


@given(rates, st.integers(1, 100), st.one_of(st.just(0.0), st.floats(0.0, 1e-4)), st.integers(1, 250))
@settings(max_examples=25)
def test_cosine_annealing_matches_torch(impl, lr, t_max, eta_min, n):
    """CosineAnnealingLR follows half a cosine from lr down to eta_min at T_max (and climbs back after),
    like torch.optim.lr_scheduler.CosineAnnealingLR."""
    assert_same_lrs(impl, lambda o: impl.CosineAnnealingLR(o, t_max, eta_min),
                    lambda o: lr_scheduler.CosineAnnealingLR(o, t_max, eta_min), n, lr,
                    f"CosineAnnealingLR(T_max={t_max}, eta_min={eta_min})")


@given(rates, st.integers(0, 20), st.integers(1, 100), st.floats(0.0, 0.5))
@settings(max_examples=25)
def test_warmup_cosine_matches_torch(impl, lr, warmup, decay, floor_ratio):
    """WarmupCosineLR: lr * (t + 1) / warmup during warm-up, then cosine down to min_lr at total_steps, then
    flat. Oracle: torch's LambdaLR with that formula, and torch's SequentialLR(LinearLR, CosineAnnealingLR)."""
    total, min_lr = warmup + decay, floor_ratio * lr

    def factor(t: int) -> float:
        if t < warmup:
            return (t + 1) / warmup
        if t > total:
            return floor_ratio
        return floor_ratio + (1 - floor_ratio) * (1 + math.cos(math.pi * (t - warmup) / decay)) / 2

    def ours(o):
        return impl.WarmupCosineLR(o, warmup, total, min_lr)

    what = f"WarmupCosineLR(warmup_steps={warmup}, total_steps={total}, min_lr={min_lr})"
    assert_same_lrs(impl, ours, lambda o: lr_scheduler.LambdaLR(o, factor), total + 20, lr, what)
    if warmup >= 2:
        def sequential(o):
            return lr_scheduler.SequentialLR(o, [lr_scheduler.LinearLR(o, 1 / warmup, 1.0, warmup - 1),
                                                 lr_scheduler.CosineAnnealingLR(o, decay, min_lr)], milestones=[warmup])
        assert_same_lrs(impl, ours, sequential, total + 1, lr, what + " vs torch's SequentialLR")


def test_scheduler_sets_the_first_rate_at_construction(impl):
    """Like torch, building a scheduler sets optimizer.lr for the first step (a warm-up starts low at once)."""
    opt = SimpleNamespace(lr=1.0)
    impl.WarmupCosineLR(opt, 4, 10)
    assert_close(opt.lr, 0.25, what="optimizer.lr right after WarmupCosineLR(opt, 4, 10) with lr 1.0")


def test_bad_schedule_settings(impl):
    """Nonsense settings raise ValueError: step_size 0, gamma <= 0, T_max 0, total_steps <= warmup_steps."""
    assert_raises_value_error(impl.StepLR, SimpleNamespace(lr=0.1), 0, why="step_size must be a positive integer")
    assert_raises_value_error(impl.ExponentialLR, SimpleNamespace(lr=0.1), 0.0, why="gamma must be positive")
    assert_raises_value_error(impl.CosineAnnealingLR, SimpleNamespace(lr=0.1), 0, why="T_max must be positive")
    assert_raises_value_error(impl.WarmupCosineLR, SimpleNamespace(lr=0.1), 10, 10,
                              why="total_steps must exceed warmup_steps")


def test_does_not_import_torch(impl):
    """Your loader and schedules are numpy and plain Python: the module must not import torch."""
    assert_not_imported(impl, "torch")
