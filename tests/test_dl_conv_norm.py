"""aieng.lib.dl's convolution, pooling, normalization and residual ops against torch.

Beyond the exercises' checks: larger and odder shapes (1x1 kernels, kernels as large as the padded
input, padding wider than the kernel, strides beyond the kernel), non-contiguous and integer inputs,
im2col/col2im adjointness, the evaluation-mode gradient of batch norm, layer norm over three trailing
dimensions, long running-statistics trajectories, and the naming contract the autograd engine wires.

Tolerances (aieng.grader.torch_oracle): float64 to 1e-10 and float32 to 1e-5, relative to the largest entry
of the reference answer (entries that are sums of cancelling terms are only accurate relative to the size
of those terms). float32 results are checked against torch's float32 result *and* against torch in float64
on the same float32 numbers (the exact answer).
"""

from __future__ import annotations

import doctest
import inspect

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close
from aieng.grader.torch_oracle import ATOL, RTOL, as_torch, value_and_grads
from aieng.lib.dl import conv, norm, residual

EXAMPLES = settings(max_examples=40, deadline=None, derandomize=True)
DTYPES = [np.float64, np.float32]


def close(got: object, want: np.ndarray, what: str, dtype: type, scale: float | None = None) -> None:
    """Within dtype's tolerance, relative to `scale` (default: the largest entry of `want`)."""
    kind = np.dtype(dtype)
    rtol = RTOL[kind]
    scale = (float(np.max(np.abs(want))) if np.size(want) else 0.0) if scale is None else scale
    assert_close(got, want, rtol=rtol, atol=ATOL[kind] + rtol * scale, what=what)


def both_oracles(fn, *arrays: np.ndarray, grad_output: np.ndarray | None = None):
    """torch on the arrays as given, and torch in float64 on the same numbers."""
    same = value_and_grads(fn, *arrays, grad_output=grad_output)
    wide = value_and_grads(fn, *(a.astype(np.float64) for a in arrays),
                           grad_output=None if grad_output is None else grad_output.astype(np.float64))
    return same, wide


# ----------------------------------------------------------------------------------------------- conv


@st.composite
def conv_problems(draw: st.DrawFn, dtype: type) -> dict:
    """Batches up to 4, up to 5 channels in and out, kernels 1..5, strides 1..6, paddings 0..6."""
    n, c_in, c_out = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    stride = (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    padding = (draw(st.integers(0, 6)), draw(st.integers(0, 6)))
    h = draw(st.integers(max(1, kh - 2 * padding[0]), 12))
    w = draw(st.integers(max(1, kw - 2 * padding[1]), 12))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {"x": rng.standard_normal((n, c_in, h, w)).astype(dtype),
            "w": rng.standard_normal((c_out, c_in, kh, kw)).astype(dtype),
            "b": rng.standard_normal(c_out).astype(dtype), "stride": stride, "padding": padding, "rng": rng}


@pytest.mark.parametrize("dtype", DTYPES)
@EXAMPLES
@given(data=st.data())
def test_conv2d_forward_and_backward_match_torch(dtype, data):
    p = data.draw(conv_problems(dtype))
    options = {"stride": p["stride"], "padding": p["padding"]}
    y = conv.conv2d(p["x"], p["w"], p["b"], **options)
    grad = p["rng"].standard_normal(y.shape).astype(dtype)
    (want_y, want_g), (exact_y, exact_g) = both_oracles(
        lambda x, w, b: F.conv2d(x, w, b, **options), p["x"], p["w"], p["b"], grad_output=grad)
    assert y.dtype == dtype
    close(y, want_y, "conv2d", dtype)
    close(y, exact_y, "conv2d vs float64 torch", dtype)
    got_g = conv.conv2d_backward(p["x"], p["w"], grad, **options)
    for got, want, exact, name in zip(got_g, want_g, exact_g, ("dx", "dw", "db"), strict=True):
        assert got.dtype == dtype, name
        close(got, want, name, dtype)
        close(got, exact, f"{name} vs float64 torch", dtype)


@EXAMPLES
@given(data=st.data())
def test_im2col_is_unfold_and_col2im_is_its_adjoint(data):
    p = data.draw(conv_problems(np.float64))
    kernel = p["w"].shape[2:]
    cols = conv.im2col(p["x"], kernel, p["stride"], p["padding"])
    assert_close(cols, F.unfold(as_torch(p["x"]), kernel, stride=p["stride"], padding=p["padding"]).numpy(),
                 rtol=0, atol=0, what="im2col")
    c = p["rng"].standard_normal(cols.shape)
    back = conv.col2im(c, p["x"].shape, kernel, p["stride"], p["padding"])
    close(back, F.fold(as_torch(c), p["x"].shape[2:], kernel, stride=p["stride"], padding=p["padding"]).numpy(),
          "col2im", np.float64)
    close(np.sum(cols * c), np.sum(p["x"] * back), "<im2col(x), c> = <x, col2im(c)>", np.float64,
          scale=float(np.sum(np.abs(cols * c))))


def test_conv2d_accepts_non_contiguous_and_integer_inputs():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 8, 9, 2)).transpose(0, 3, 1, 2)[:, :, ::-1]  # (3, 2, 8, 9), negative strides
    w = np.asfortranarray(rng.standard_normal((4, 2, 3, 3)))
    want = F.conv2d(as_torch(np.ascontiguousarray(x)), as_torch(w), padding=1).numpy()
    close(conv.conv2d(x, w, None, 1, 1), want, "conv2d(non-contiguous)", np.float64)
    xi, wi = rng.integers(-3, 4, (1, 1, 5, 5)), rng.integers(-2, 3, (1, 1, 2, 2))
    got = conv.conv2d(xi, wi)
    assert got.dtype == np.float64
    close(got, F.conv2d(as_torch(xi.astype(float)), as_torch(wi.astype(float))).numpy(), "conv2d(ints)", np.float64)


def test_conv_output_size_and_errors():
    assert conv.output_size(28, 3, 1, 1) == 28 and conv.output_size(28, 2, 2) == 14
    assert conv.output_size(7, 3, 2) == 3 and conv.output_size(1, 5, 3, 2) == 1
    x, w = np.ones((1, 2, 4, 4)), np.ones((3, 2, 3, 3))
    for bad in (dict(stride=0), dict(padding=-1), dict(stride=(1, 2, 3)), dict(stride=1.5), dict(padding=True)):
        with pytest.raises(ValueError):
            conv.conv2d(x, w, **bad)
    with pytest.raises(ValueError):
        conv.conv2d(x, np.ones((3, 2, 5, 5)))
    with pytest.raises(ValueError):
        conv.conv2d(x, np.ones((3, 1, 3, 3)))
    with pytest.raises(ValueError):
        conv.conv2d(x, w, np.ones(2))
    with pytest.raises(ValueError):
        conv.conv2d_backward(x, w, np.ones((1, 3, 3, 3)))


# -------------------------------------------------------------------------------------------- pooling


@st.composite
def pool_problems(draw: st.DrawFn, dtype: type, ties: bool) -> dict:
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kernel = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 6), st.integers(1, 6))))
    h, w = draw(st.integers(kernel[0], 13)), draw(st.integers(kernel[1], 13))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = n * c * h * w
    x = rng.integers(0, 3, size) if ties else rng.permutation(size) / 4.0 - size / 8.0
    return {"x": x.reshape(n, c, h, w).astype(dtype), "kernel": kernel, "stride": stride, "rng": rng}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ties", [False, True])
@EXAMPLES
@given(data=st.data())
def test_pooling_forward_and_backward_match_torch(dtype, ties, data):
    p = data.draw(pool_problems(dtype, ties))
    k, s = p["kernel"], p["stride"]
    for ours, ours_back, theirs in ((conv.max_pool2d, conv.max_pool2d_backward, F.max_pool2d),
                                    (conv.avg_pool2d, conv.avg_pool2d_backward, F.avg_pool2d)):
        y = ours(p["x"], k, s)
        grad = p["rng"].standard_normal(y.shape).astype(dtype)
        want_y, (want_g,) = value_and_grads(lambda t, f=theirs: f(t, k, s), p["x"], grad_output=grad)
        assert y.dtype == dtype and ours_back(p["x"], grad, k, s).dtype == dtype
        close(y, want_y, theirs.__name__, dtype)
        close(ours_back(p["x"], grad, k, s), want_g, f"{theirs.__name__} backward", dtype)


def test_max_pool_propagates_nan_and_rejects_bad_shapes():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 0, 0] = np.nan
    y = conv.max_pool2d(x, 2)
    assert np.isnan(y[0, 0, 0, 0]) and y[0, 0, 1, 1] == 15
    with pytest.raises(ValueError):
        conv.max_pool2d(x, 5)
    with pytest.raises(ValueError):
        conv.avg_pool2d(x[0], 2)
    with pytest.raises(ValueError):
        conv.avg_pool2d_backward(x, np.ones((1, 1, 3, 3)), 2)


# -------------------------------------------------------------------------------------- normalization


def spread(rng: np.random.Generator, shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """Well-conditioned groups: mean in [-3, 3] and standard deviation in [0.5, 3] over `axes`."""
    z = rng.standard_normal(shape)
    z -= z.mean(axis=axes, keepdims=True)
    z /= z.std(axis=axes, keepdims=True)
    keep = tuple(1 if a in axes else s for a, s in enumerate(shape))
    return rng.uniform(-3, 3, keep) + rng.uniform(0.5, 3, keep) * z


@pytest.mark.parametrize("dtype", DTYPES)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(rank=st.sampled_from([2, 3, 4]), seed=st.integers(0, 2**32 - 1), momentum=st.floats(0.01, 1.0),
       eps=st.sampled_from([1e-5, 1e-3, 0.1]))
def test_batch_norm_trajectory_matches_torch_modules(dtype, rank, seed, momentum, eps):
    """Six training then two evaluation steps of BatchNorm1d/2d: outputs, gradients (both modes), running stats."""
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 6)), int(rng.integers(1, 5)), *rng.integers(1, 5, rank - 2).tolist())
    axes = (0, *range(2, rank))
    c = shape[1]
    torch_dtype = torch.float64 if dtype == np.float64 else torch.float32
    layer = (torch.nn.BatchNorm2d if rank == 4 else torch.nn.BatchNorm1d)(c, eps=eps, momentum=momentum).to(torch_dtype)
    gamma, beta = rng.uniform(-2, 2, c).astype(dtype), rng.standard_normal(c).astype(dtype)
    with torch.no_grad():
        layer.weight.copy_(as_torch(gamma))
        layer.bias.copy_(as_torch(beta))
    running_mean, running_var = np.zeros(c, dtype), np.ones(c, dtype)
    for step in range(8):
        training = step < 6
        x, grad = spread(rng, shape, axes).astype(dtype), rng.standard_normal(shape).astype(dtype)
        layer.train(training)
        layer.zero_grad()
        xt = as_torch(x, requires_grad=True)
        yt = layer(xt)
        yt.backward(as_torch(grad))
        used = (running_mean.copy(), running_var.copy())
        y = norm.batch_norm(x, gamma, beta, running_mean, running_var, training, momentum, eps)
        stats = {} if training else {"running_mean": used[0], "running_var": used[1]}
        dx, dgamma, dbeta = norm.batch_norm_backward(x, gamma, grad, eps, **stats)
        var = x.var(axis=axes) if training else used[1]
        scale = float(np.max(np.abs(grad)) * np.max(np.abs(gamma) / np.sqrt(var.astype(np.float64) + eps)))
        assert y.dtype == dtype and dx.dtype == dtype
        close(y, yt.detach().numpy(), f"y at step {step}", dtype)
        close(dx, xt.grad.numpy(), f"dx at step {step}", dtype, scale=scale)
        close(dgamma, layer.weight.grad.numpy(), f"dgamma at step {step}", dtype)
        close(dbeta, layer.bias.grad.numpy(), f"dbeta at step {step}", dtype)
        close(running_mean, layer.running_mean.numpy(), f"running_mean at step {step}", dtype)
        close(running_var, layer.running_var.numpy(), f"running_var at step {step}", dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@EXAMPLES
@given(lead=st.lists(st.integers(1, 4), max_size=3), normalized=st.lists(st.integers(2, 5), min_size=1, max_size=3),
       seed=st.integers(0, 2**32 - 1), eps=st.sampled_from([1e-5, 1e-2]))
def test_layer_norm_matches_torch_module(dtype, lead, normalized, seed, eps):
    """torch.nn.LayerNorm over 1 to 3 trailing dimensions, weights copied in; float32 also against float64 torch."""
    rng = np.random.default_rng(seed)
    shape = (*lead, *normalized)
    axes = tuple(range(len(lead), len(shape)))
    x, grad = spread(rng, shape, axes).astype(dtype), rng.standard_normal(shape).astype(dtype)
    gamma, beta = rng.uniform(-2, 2, normalized).astype(dtype), rng.standard_normal(normalized).astype(dtype)
    (y, (dx, dg, db)), (y64, (dx64, dg64, db64)) = both_oracles(
        lambda a, g, b: F.layer_norm(a, tuple(normalized), g, b, eps), x, gamma, beta, grad_output=grad)
    module = torch.nn.LayerNorm(normalized, eps=eps).to(torch.float64 if dtype == np.float64 else torch.float32)
    with torch.no_grad():
        module.weight.copy_(as_torch(gamma))
        module.bias.copy_(as_torch(beta))
    close(module(as_torch(x)).detach().numpy(), y, "nn.LayerNorm agrees with F.layer_norm", dtype)
    got = norm.layer_norm(x, gamma, beta, eps)
    got_dx, got_dg, got_db = norm.layer_norm_backward(x, gamma, grad, eps)
    std = np.sqrt(x.astype(np.float64).var(axis=axes) + eps)
    scale = float(np.max(np.abs(grad)) * np.max(np.abs(gamma)) / std.min())
    for want_y, want_dx, want_dg, want_db in ((y, dx, dg, db), (y64, dx64, dg64, db64)):
        close(got, want_y, "layer_norm", dtype)
        close(got_dx, want_dx, "layer_norm dx", dtype, scale=scale)
        close(got_dg, want_dg, "layer_norm dgamma", dtype)
        close(got_db, want_db, "layer_norm dbeta", dtype)
    assert got.dtype == got_dx.dtype == dtype


def test_norm_errors():
    x = np.ones((4, 3))
    with pytest.raises(ValueError):
        norm.batch_norm(x, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), True, momentum=1.5)
    with pytest.raises(ValueError):
        norm.batch_norm(x, np.ones(3), np.zeros(3), [0.0, 0.0, 0.0], np.ones(3), True)  # not updatable in place
    with pytest.raises(ValueError):
        norm.batch_norm(x, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), True, eps=-1.0)
    with pytest.raises(ValueError):
        norm.batch_norm_backward(x, np.ones(3), x, running_mean=np.zeros(3))
    with pytest.raises(ValueError):
        norm.layer_norm(x, np.ones((4, 3, 1)), np.zeros((4, 3, 1)))


# ----------------------------------------------------------------------------------------- residuals


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stack_gradient_norms_match_torch_for_other_seeds(seed):
    torch.manual_seed(seed)
    layers = [(torch.nn.Linear(12, 24).double(), torch.nn.Linear(24, 12).double()) for _ in range(20)]
    blocks = [tuple(p.detach().numpy() for p in (a.weight, a.bias, b.weight, b.bias)) for a, b in layers]
    rng = np.random.default_rng(seed)
    x, grad = rng.standard_normal((5, 12)), rng.standard_normal((5, 12))
    for skip in (True, False):
        hs = [as_torch(x, requires_grad=True)]
        for a, b in layers:
            f = b(torch.relu(a(hs[-1])))
            hs.append(hs[-1] + f if skip else f)
            hs[-1].retain_grad()
        hs[-1].backward(as_torch(grad))
        close(residual.residual_stack(x, blocks, skip), hs[-1].detach().numpy(), "stack output", np.float64)
        assert_close(residual.stack_gradient_norms(x, blocks, grad, skip), [h.grad.norm().item() for h in hs],
                     rtol=1e-10, atol=0.0, what=f"gradient norms (skip={skip})")


# ------------------------------------------------------------------------------ contract and doctests


def test_naming_contract_for_the_engine():
    """forward(x, *params, **options) and forward_backward(x, *params, grad, **options), as the engine wires them."""
    def params(fn):
        return list(inspect.signature(fn).parameters)

    assert params(conv.conv2d)[:5] == ["x", "w", "b", "stride", "padding"]
    assert params(conv.conv2d_backward) == ["x", "w", "grad", "stride", "padding"]
    assert params(conv.max_pool2d_backward) == ["x", "grad", "kernel_size", "stride"]
    assert params(conv.avg_pool2d_backward) == ["x", "grad", "kernel_size", "stride"]
    assert params(norm.layer_norm) == ["x", "gamma", "beta", "eps"]
    assert params(norm.layer_norm_backward) == ["x", "gamma", "grad", "eps"]
    assert params(norm.batch_norm_backward)[:4] == ["x", "gamma", "grad", "eps"]
    assert params(residual.residual_block_backward)[:6] == ["x", "w1", "b1", "w2", "b2", "grad"]


@pytest.mark.parametrize("module", [conv, norm, residual])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
