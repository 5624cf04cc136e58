"""Checks for `normalization`, against torch.nn.BatchNorm1d / BatchNorm2d and torch.nn.functional.layer_norm.

Inputs: each channel (batch norm) or each example (layer norm) is a shifted, scaled set of numbers with a
standard deviation between 0.5 and 3, so the normalization is well conditioned and float32 can be compared
at all. Tolerances: float64 to 1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer;
for dL/dx, relative to the size of the terms it combines, max|g * gamma| / std, since dL/dx is a
difference of such terms (for two values per channel it is exactly 0). While your code runs, torch's
normalization functions are switched off.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid, present
from aieng.grader.torch_oracle import ATOL, RTOL, as_torch, value_and_grads

READY_MADE = (present("torch.nn.functional", ["batch_norm", "layer_norm", "instance_norm", "group_norm"])
              + present("torch", ["batch_norm", "layer_norm", "native_batch_norm", "native_layer_norm"]))
STEPS = 3  # training steps before the evaluation step


def call(impl, name: str, *args: Any, **kwargs: Any) -> Any:
    """impl.name(*args, **kwargs) with torch's normalization functions switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args, **kwargs)


def assert_like_torch(got: object, want: np.ndarray, what: str, scale: float | None = None) -> None:
    """Within the dtype's tolerance of torch, relative to `scale` (default: the largest entry of torch's answer)."""
    rtol = RTOL[want.dtype]
    scale = float(np.max(np.abs(want))) if scale is None else scale
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * scale, what=what)


def spread(rng: np.random.Generator, shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """Random numbers with mean in [-3, 3] and standard deviation in [0.5, 3] exactly, over `axes`
    (zero spread where a group has a single number)."""
    z = rng.standard_normal(shape)
    z -= z.mean(axis=axes, keepdims=True)
    std = z.std(axis=axes, keepdims=True)
    z = np.divide(z, std, out=np.zeros_like(z), where=std > 0)
    keep = tuple(1 if a in axes else s for a, s in enumerate(shape))
    return rng.uniform(-3, 3, keep) + rng.uniform(0.5, 3, keep) * z


@st.composite
def batch_cases(draw: st.DrawFn, dtype: type = np.float64) -> dict[str, Any]:
    """A batch-norm problem: x of shape (N, C), (N, C, L) or (N, C, H, W) with at least 2 numbers per channel,
    gamma, beta, momentum, eps and STEPS + 1 batches."""
    rank = draw(st.sampled_from([2, 3, 4]))
    spatial = tuple(draw(st.integers(1, 4)) for _ in range(rank - 2))
    n, c = draw(st.integers(1 if spatial and np.prod(spatial) > 1 else 2, 6)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (n, c, *spatial)
    axes = (0, *range(2, rank))
    return {
        "xs": [spread(rng, shape, axes).astype(dtype) for _ in range(STEPS + 1)],
        "grads": [rng.standard_normal(shape).astype(dtype) for _ in range(STEPS + 1)],
        "gamma": rng.uniform(0.5, 2, c).astype(dtype) * rng.choice([-1, 1], c).astype(dtype),
        "beta": rng.standard_normal(c).astype(dtype),
        "momentum": draw(st.sampled_from([0.1, 0.3, 0.05, 1.0])),
        "eps": draw(st.sampled_from([1e-5, 1e-3])),
        "axes": axes,
    }


def torch_trajectory(case: dict[str, Any]) -> list[dict[str, np.ndarray]]:
    """STEPS training steps and one evaluation step of torch's BatchNorm1d/2d with the case's gamma and beta:
    per step, the output, the gradients (x, gamma, beta) and the running statistics after the step."""
    x0, c = case["xs"][0], case["xs"][0].shape[1]
    layer = (torch.nn.BatchNorm2d if x0.ndim == 4 else torch.nn.BatchNorm1d)(
        c, eps=case["eps"], momentum=case["momentum"]).to(torch.float64 if x0.dtype == np.float64 else torch.float32)
    with torch.no_grad():
        layer.weight.copy_(as_torch(case["gamma"]))
        layer.bias.copy_(as_torch(case["beta"]))
    steps = []
    for t, (x, grad) in enumerate(zip(case["xs"], case["grads"], strict=True)):
        layer.train(t < STEPS)
        layer.zero_grad()
        xt = as_torch(x, requires_grad=True)
        y = layer(xt)
        y.backward(as_torch(grad))
        steps.append({"y": y.detach().numpy(), "dx": xt.grad.numpy(), "dgamma": layer.weight.grad.numpy().copy(),
                      "dbeta": layer.bias.grad.numpy().copy(), "mean": layer.running_mean.numpy().copy(),
                      "var": layer.running_var.numpy().copy()})
    return steps


def dx_scale(case: dict[str, Any], x: np.ndarray, grad: np.ndarray, var: np.ndarray) -> float:
    """The size of the terms dL/dx is made of: max |g gamma| / sqrt(var + eps)."""
    inv_std = 1.0 / np.sqrt(np.asarray(var, dtype=np.float64) + case["eps"])
    return float(np.max(np.abs(grad)) * np.max(np.abs(case["gamma"]) * inv_std))


def run_ours(impl, case: dict[str, Any]) -> list[dict[str, Any]]:
    """The learner's functions on the same trajectory."""
    c, dtype = case["xs"][0].shape[1], case["xs"][0].dtype
    running_mean, running_var = np.zeros(c, dtype=dtype), np.ones(c, dtype=dtype)
    steps = []
    for t, (x, grad) in enumerate(zip(case["xs"], case["grads"], strict=True)):
        training = t < STEPS
        used_mean, used_var = running_mean.copy(), running_var.copy()
        y = call(impl, "batch_norm", x, case["gamma"], case["beta"], running_mean, running_var, training,
                 momentum=case["momentum"], eps=case["eps"])
        if training:
            grads = call(impl, "batch_norm_backward", x, case["gamma"], grad, eps=case["eps"])
        else:
            grads = call(impl, "batch_norm_backward", x, case["gamma"], grad, eps=case["eps"],
                         running_mean=used_mean, running_var=used_var)
        expect(isinstance(grads, tuple) and len(grads) == 3,
               "batch_norm_backward should return a tuple (grad_x, grad_gamma, grad_beta)")
        steps.append({"y": y, "dx": grads[0], "dgamma": grads[1], "dbeta": grads[2], "mean": running_mean.copy(),
                      "var": running_var.copy(), "used_var": used_var,
                      "batch_var": x.var(axis=case["axes"]) if training else used_var})
    return steps


@settings(max_examples=25)  # each example runs torch's layer for 4 steps
@given(batch_cases())
def test_batch_norm_training_matches_torch_and_updates_running_stats(impl, case):
    """In training mode, over 3 steps, batch_norm's output equals torch's BatchNorm1d/2d, and the running mean and
    (unbiased) running variance, updated in place, follow torch's step by step."""
    want, got = torch_trajectory(case), run_ours(impl, case)
    for t in range(STEPS):
        assert_like_torch(got[t]["y"], want[t]["y"], f"batch_norm output at training step {t + 1}")
        assert_like_torch(got[t]["mean"], want[t]["mean"], f"running_mean after step {t + 1}")
        assert_like_torch(got[t]["var"], want[t]["var"], f"running_var after step {t + 1}")


@settings(max_examples=25)  # each example runs torch's layer for 4 steps
@given(batch_cases())
def test_batch_norm_eval_uses_running_stats_like_torch(impl, case):
    """After 3 training steps, training=False normalizes with the running statistics (torch's layer.eval()),
    and leaves them unchanged."""
    want, got = torch_trajectory(case), run_ours(impl, case)
    assert_like_torch(got[STEPS]["y"], want[STEPS]["y"], "batch_norm output in evaluation mode")
    assert_like_torch(got[STEPS]["mean"], want[STEPS]["mean"], "running_mean after an evaluation step (unchanged)")
    assert_like_torch(got[STEPS]["var"], want[STEPS]["var"], "running_var after an evaluation step (unchanged)")


@settings(max_examples=25)  # each example runs torch's layer for 4 steps
@given(batch_cases())
def test_batch_norm_backward_matches_torch_in_both_modes(impl, case):
    """batch_norm_backward equals torch.autograd's dL/dx, dL/dgamma, dL/dbeta in training mode (through the batch
    mean and variance) and in evaluation mode (running statistics as constants)."""
    want, got = torch_trajectory(case), run_ours(impl, case)
    for t in (0, STEPS):
        mode = "training" if t < STEPS else "evaluation"
        scale = dx_scale(case, case["xs"][t], case["grads"][t], got[t]["batch_var"])
        assert_like_torch(got[t]["dx"], want[t]["dx"], f"dL/dx ({mode} mode)", scale=scale)
        assert_like_torch(got[t]["dgamma"], want[t]["dgamma"], f"dL/dgamma ({mode} mode)")
        assert_like_torch(got[t]["dbeta"], want[t]["dbeta"], f"dL/dbeta ({mode} mode)")


@settings(max_examples=25)  # each example runs torch's layer for 4 steps
@given(batch_cases(np.float32))
def test_batch_norm_float32_matches_torch_and_stays_float32(impl, case):
    """In float32, outputs, running statistics and gradients agree with torch's float32 BatchNorm to 1e-5, and the
    output is float32."""
    want, got = torch_trajectory(case), run_ours(impl, case)
    for t in range(STEPS + 1):
        expect(np.asarray(got[t]["y"]).dtype == np.float32, f"float32 input gave a {np.asarray(got[t]['y']).dtype} "
                                                            f"output: keep float32")
        for key in ("y", "mean", "var", "dgamma", "dbeta"):
            assert_like_torch(got[t][key], want[t][key], f"{key} at step {t + 1} (float32)")
        scale = dx_scale(case, case["xs"][t], case["grads"][t], got[t]["batch_var"])
        assert_like_torch(got[t]["dx"], want[t]["dx"], f"dL/dx at step {t + 1} (float32)", scale=scale)


def test_running_variance_is_unbiased_and_normalization_biased(impl):
    """With momentum 1 the running statistics become the batch's: mean, and numpy's var(ddof=1) (unbiased), while
    the output is standardized with the biased variance (ddof=0)."""
    x = np.array([[1.0, 10.0], [2.0, 20.0], [6.0, 30.0]])
    running_mean, running_var = np.zeros(2), np.ones(2)
    y = call(impl, "batch_norm", x, np.ones(2), np.zeros(2), running_mean, running_var, True, momentum=1.0, eps=0.0)
    assert_close(running_mean, x.mean(axis=0), what="running_mean with momentum 1 (updated in place?)")
    assert_close(running_var, x.var(axis=0, ddof=1), what="running_var with momentum 1: unbiased variance")
    assert_close(y, (x - x.mean(axis=0)) / x.std(axis=0), what="batch_norm output (biased variance)")


@st.composite
def layer_cases(draw: st.DrawFn, dtype: type = np.float64) -> dict[str, Any]:
    """A layer-norm problem: 0 to 2 leading dimensions, 1 or 2 normalized trailing dimensions holding at least
    2 numbers (a single number has no spread: x - mean is 0 and only round-off remains)."""
    lead = tuple(draw(st.integers(1, 4)) for _ in range(draw(st.integers(0, 2))))
    normalized = tuple(draw(st.integers(1, 6)) for _ in range(draw(st.integers(1, 2))))
    if np.prod(normalized) < 2:
        normalized = (*normalized[:-1], 2)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = lead + normalized
    x = spread(rng, shape, tuple(range(len(lead), len(shape))))
    return {"x": x.astype(dtype), "gamma": rng.uniform(0.5, 2, normalized).astype(dtype),
            "beta": rng.standard_normal(normalized).astype(dtype), "grad": rng.standard_normal(shape).astype(dtype),
            "eps": draw(st.sampled_from([1e-5, 1e-3]))}


def check_layer_norm(impl, case: dict[str, Any]) -> None:
    x, gamma, beta, grad, eps = case["x"], case["gamma"], case["beta"], case["grad"], case["eps"]
    y, (dx, dgamma, dbeta) = value_and_grads(
        lambda a, g, b: torch.nn.functional.layer_norm(a, gamma.shape, g, b, eps), x, gamma, beta, grad_output=grad)
    got = call(impl, "layer_norm", x, gamma, beta, eps=eps)
    assert_like_torch(got, y, "layer_norm(x)")
    expect(np.asarray(got).dtype == x.dtype, f"{x.dtype} input gave a {np.asarray(got).dtype} output")
    grads = call(impl, "layer_norm_backward", x, gamma, grad, eps=eps)
    expect(isinstance(grads, tuple) and len(grads) == 3,
           "layer_norm_backward should return a tuple (grad_x, grad_gamma, grad_beta)")
    axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
    std = np.sqrt(x.astype(np.float64).var(axis=axes) + eps)
    scale = float(np.max(np.abs(grad)) * np.max(np.abs(gamma)) / std.min())
    assert_like_torch(grads[0], dx, "dL/dx of layer_norm", scale=scale)
    assert_like_torch(grads[1], dgamma, "dL/dgamma of layer_norm")
    assert_like_torch(grads[2], dbeta, "dL/dbeta of layer_norm")


@given(layer_cases())
def test_layer_norm_matches_torch_float64(impl, case):
    """layer_norm and layer_norm_backward equal torch.nn.functional.layer_norm and its autograd gradients (1e-10),
    normalizing over the trailing dimensions that gamma has."""
    check_layer_norm(impl, case)


@given(layer_cases(np.float32))
def test_layer_norm_matches_torch_float32(impl, case):
    """In float32, layer_norm and its gradients agree with torch's float32 layer_norm to 1e-5 and stay float32."""
    check_layer_norm(impl, case)


def test_layer_norm_ignores_the_rest_of_the_batch(impl):
    """Each example is normalized on its own: an example's output does not change when the others do (unlike
    batch norm)."""
    rng = np.random.default_rng(0)
    x, gamma, beta = rng.standard_normal((4, 5)), rng.uniform(0.5, 2, 5), rng.standard_normal(5)
    alone = call(impl, "layer_norm", x[:1], gamma, beta)
    other = x.copy()
    other[1:] = 100 * rng.standard_normal((3, 5))
    assert_close(call(impl, "layer_norm", other, gamma, beta)[:1], alone, what="layer_norm of the first example")


def test_bad_shapes_raise_value_error(impl):
    """Bad shapes raise ValueError: a 1-D x, a gamma of the wrong length, training on a single value per channel,
    a layer-norm gamma that is not the trailing shape of x, and a gradient of the wrong shape."""
    x, ones, zeros = np.ones((4, 3)), np.ones(3), np.zeros(3)
    assert_raises_value_error(impl.batch_norm, np.ones(4), np.ones(4), np.zeros(4), np.zeros(4), np.ones(4), True,
                              why="batch norm needs x of shape (N, C, ...)")
    assert_raises_value_error(impl.batch_norm, x, np.ones(2), zeros, zeros.copy(), ones.copy(), True,
                              why="gamma must have one entry per channel (3)")
    assert_raises_value_error(impl.batch_norm, np.ones((1, 3)), ones, zeros, zeros.copy(), ones.copy(), True,
                              why="training needs more than one value per channel (torch refuses too)")
    assert_raises_value_error(impl.batch_norm_backward, x, ones, np.ones((4, 2)),
                              why="grad must be shaped like x")
    assert_raises_value_error(impl.layer_norm, np.ones((4, 3)), np.ones(4), np.zeros(4),
                              why="gamma's shape (4,) is not the trailing shape of x (4, 3)")
    assert_raises_value_error(impl.layer_norm, np.ones((4, 3)), ones, np.zeros(2),
                              why="beta must be shaped like gamma")
    assert_raises_value_error(impl.layer_norm_backward, x, ones, np.ones((3, 3)), why="grad must be shaped like x")


def test_does_not_import_torch(impl):
    """The point is to build the normalization layers: your module must not import torch."""
    assert_not_imported(impl, "torch")
