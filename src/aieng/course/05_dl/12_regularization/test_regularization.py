"""Checks for `regularization`: L1/L2 penalties and their gradients against torch.autograd, weight decay
against torch's SGD, and inverted dropout against its definition and torch.nn.functional.dropout.

Penalties: values and gradients to a relative 1e-10 in float64 and 1e-5 in float32 (torch_oracle's
tolerances; sums in a different order change the last bits). Dropout is random, so its statistics are
checked with tolerances derived from the binomial distribution (6 standard errors per check, false-failure
probability about 2e-9 each); the relation y = x * mask and the backward pass are checked exactly.
torch is switched off while your code runs.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch.optim.sgd import sgd as torch_sgd

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.torch_oracle import assert_matches_torch, value_and_grads

torch.set_num_threads(1)  # small tensors: extra threads only wait for each other on a busy machine

TORCH_PARTS = ("torch.nn.functional.dropout", "torch.dropout", "torch.nn.functional.l1_loss", "torch.autograd.grad")
Z = 6.0


def run(impl, name, *args, **kwargs):
    with forbid(impl, *TORCH_PARTS):
        return getattr(impl, name)(*args, **kwargs)


# Elements include exact zeros: |w| has no derivative there, and torch (like you) uses 0.
weights = st.sampled_from([np.float64, np.float32]).flatmap(
    lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6),
                             elements=st.one_of(st.just(0.0), st.floats(-10, 10, width=32))))
strengths = st.floats(0.0, 2.0)


@given(weights, strengths)
def test_l1_penalty_and_gradient_match_torch(impl, w, lam):
    """l1_penalty(w, lam) = lam * sum |w| and l1_penalty_backward(w, lam) = lam * sign(w) (0 where w = 0), as
    torch.autograd differentiates lam * torch.abs(w).sum(), for arrays of any shape (the empty one too)."""
    value, (grad,) = value_and_grads(lambda t: lam * torch.abs(t).sum(), w)
    assert_matches_torch(run(impl, "l1_penalty", w, lam), value, "l1_penalty(w, lam)", dtype=w.dtype)
    got = run(impl, "l1_penalty_backward", w, lam)
    expect(np.shape(got) == w.shape, f"l1_penalty_backward should have the shape of w, {w.shape}")
    assert_matches_torch(got, grad, "l1_penalty_backward(w, lam)", dtype=w.dtype)


@given(weights, strengths)
def test_l2_penalty_and_gradient_match_torch(impl, w, lam):
    """l2_penalty(w, lam) = (lam / 2) * sum w^2 and l2_penalty_backward(w, lam) = lam * w, as torch.autograd
    differentiates (lam / 2) * (w ** 2).sum()."""
    value, (grad,) = value_and_grads(lambda t: lam / 2 * (t**2).sum(), w)
    assert_matches_torch(run(impl, "l2_penalty", w, lam), value, "l2_penalty(w, lam)", dtype=w.dtype)
    got = run(impl, "l2_penalty_backward", w, lam)
    expect(np.shape(got) == w.shape, f"l2_penalty_backward should have the shape of w, {w.shape}")
    assert_matches_torch(got, grad, "l2_penalty_backward(w, lam)", dtype=w.dtype)


def test_penalties_reject_negative_strength(impl):
    """A negative lam would reward large weights: ValueError."""
    for name in ("l1_penalty", "l2_penalty", "l1_penalty_backward", "l2_penalty_backward"):
        assert_raises_value_error(getattr(impl, name), np.ones(3), -0.1, why="lam must be >= 0")


@settings(max_examples=20)
@given(st.floats(0.01, 0.2), st.floats(0.001, 0.2), st.integers(0, 2**32 - 1))
def test_l2_gradient_is_sgd_weight_decay(impl, lr, lam, seed):
    """For SGD, adding your l2_penalty_backward(w, lam) to the gradient is exactly torch's weight_decay=lam:
    20 steps on a least-squares loss with torch.optim's SGD update, once with weight_decay=lam and once with
    weight_decay=0 and your L2 gradient added, agree to a relative 1e-12."""
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((8, 3)), rng.standard_normal(8)
    w_decay, w_l2 = torch.tensor(rng.standard_normal(3)), torch.tensor(np.zeros(3))
    w_l2.copy_(w_decay)
    for step in range(20):
        for w, decay in ((w_decay, lam), (w_l2, 0.0)):
            grad = a.T @ (a @ w.numpy() - b) / len(b)
            if decay == 0.0:
                grad = grad + run(impl, "l2_penalty_backward", w.numpy().copy(), lam)
            torch_sgd([w], [torch.tensor(grad)], [None], foreach=False, weight_decay=decay, momentum=0.0, lr=lr,
                      dampening=0.0, nesterov=False, maximize=False)
        assert_close(w_l2.numpy(), w_decay.numpy(), rtol=1e-12, atol=1e-14,
                     what=f"SGD with your L2 gradient vs torch's weight_decay={lam:.3g}, after step {step + 1}")


# ----------------------------------------------------------------------------- dropout


@settings(max_examples=20)
@given(st.floats(0.05, 0.95), st.integers(0, 2**32 - 1))
def test_dropout_mask_and_scaling(impl, p, seed):
    """In training, dropout(x, p, training=True, rng) returns (y, mask) with mask entries 0 (dropped) or
    1 / (1 - p) (kept), y == x * mask exactly, and a share of kept units within 6 binomial standard errors
    (sqrt(p (1 - p) / n)) of 1 - p."""
    x = np.random.default_rng(seed).standard_normal((100, 200))
    y, mask = run(impl, "dropout", x, p, training=True, rng=np.random.default_rng(seed + 1))
    expect(np.shape(y) == x.shape and np.shape(mask) == x.shape, "y and mask must have the shape of x")
    scale = 1.0 / (1.0 - p)
    kept = np.isclose(mask, scale, rtol=1e-12, atol=0.0)
    expect(bool(np.all(kept | (mask == 0))), f"mask entries must be 0 or 1/(1 - p) = {scale:.6g}, found "
                                             f"{np.unique(mask)[:5]}")
    expect(np.array_equal(y, x * mask), "y must equal x * mask (the mask you return is the one you applied)")
    share, n = float(kept.mean()), x.size
    allowed = Z * math.sqrt(p * (1 - p) / n)
    expect(abs(share - (1 - p)) <= allowed, f"with p = {p:.3f} about {1 - p:.1%} of the units should be kept, "
                                            f"you kept {share:.1%} (allowed +-{allowed:.2%})")


@settings(max_examples=10)
@given(st.floats(0.1, 0.8), st.integers(0, 2**32 - 1))
def test_dropout_preserves_the_expected_value(impl, p, seed):
    """Averaged over 4000 independent masks, each unit's output is close to its input: E[y] = x. A unit's mean
    has standard error |x| sqrt(p / ((1 - p) 4000)); each of the 20 units must be within 6 of them (false
    failure about 4e-8 for all 20 together)."""
    row = np.random.default_rng(seed).uniform(0.5, 3.0, 20) * np.where(np.arange(20) % 2, 1, -1)
    y, _ = run(impl, "dropout", np.tile(row, (4000, 1)), p, training=True, rng=np.random.default_rng(seed + 7))
    means = np.asarray(y).mean(axis=0)
    allowed = Z * np.abs(row) * math.sqrt(p / ((1 - p) * 4000))
    bad = np.abs(means - row) > allowed
    i = int(np.argmax(bad))
    expect(not bad.any(), f"E[y] should equal x (inverted dropout scales the kept units by 1/(1-p)); unit {i}: "
                          f"x = {row[i]:.4g}, mean of y over 4000 masks = {means[i]:.4g}")


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=8), elements=st.floats(-5, 5)),
       st.floats(0.0, 0.9), st.integers(0, 2**32 - 1))
def test_dropout_backward_uses_the_same_mask(impl, grad, p, seed):
    """dropout_backward(mask, grad) = grad * mask: no gradient through dropped units, kept ones scaled by
    1/(1 - p), exactly the derivative of y = x * mask."""
    x = np.random.default_rng(seed).standard_normal(grad.shape)
    _, mask = run(impl, "dropout", x, p, training=True, rng=seed)
    got = run(impl, "dropout_backward", mask, grad)
    expect(np.array_equal(got, grad * mask), "dropout_backward should return grad * mask")
    expect(not np.any(np.asarray(got)[np.asarray(mask) == 0]), "a dropped unit must pass no gradient")


def test_dropout_edge_cases_match_torch(impl):
    """Evaluation mode is the identity (mask of ones) for any p; p = 0 keeps everything; p = 1 drops everything
    (zeros, like torch.nn.functional.dropout(x, 1.0)); p outside [0, 1] raises ValueError."""
    x = np.random.default_rng(3).standard_normal((5, 7))
    tx = torch.tensor(x)
    for p, training, what in ((0.5, False, "evaluation mode"), (0.0, True, "p = 0"), (1.0, True, "p = 1")):
        want = torch.nn.functional.dropout(tx, p, training=training).numpy()
        y, mask = run(impl, "dropout", x, p, training=training, rng=0)
        assert_close(y, want, rtol=0, atol=0, what=f"dropout output in {what}")
        assert_close(mask, np.zeros_like(x) if p == 1.0 and training else np.ones_like(x), rtol=0, atol=0,
                     what=f"mask in {what}")
    for p in (-0.1, 1.5):
        assert_raises_value_error(impl.dropout, x, p, why=f"p = {p} is not a probability")


def test_dropout_is_seeded(impl):
    """The same seed gives the same mask; a different seed a different one."""
    x = np.ones((20, 20))
    a = run(impl, "dropout", x, 0.5, rng=np.random.default_rng(11))[1]
    b = run(impl, "dropout", x, 0.5, rng=np.random.default_rng(11))[1]
    c = run(impl, "dropout", x, 0.5, rng=np.random.default_rng(12))[1]
    expect(np.array_equal(a, b), "dropout with the same seed should drop the same units")
    expect(not np.array_equal(a, c), "different seeds gave the same mask")


def test_does_not_import_torch(impl):
    """Your regularizers are numpy: the module must not import torch."""
    assert_not_imported(impl, "torch")
