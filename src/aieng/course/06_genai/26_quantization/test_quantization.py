"""Checks for `quantization`, against torch's own int8 machinery (torch.ao.quantization).

- scales and zero points: torch's MinMaxObserver / PerChannelMinMaxObserver on the same tensors (float32, so
  scales to a relative 1e-6; zero points exactly, except +-1 where lo / scale sits within 1e-3 of a rounding
  tie);
- integers: torch.quantize_per_tensor / quantize_per_channel(...).int_repr() with the same parameters, exact
  except +-1 where x / scale + zero_point lies within 1e-3 of k + 1/2 (torch rounds x * (1 / scale) +
  zero_point in float32, per channel in float64: at a tie the two neighbours are equally right);
- dequantization: torch's .dequantize() (float32, relative 1e-6); the round-trip error bound scale / 2;
- the int8 linear layer: its int8 weights against torch.ao.quantization.quantize_dynamic's, its output
  against the documented integer formula written out plainly here (float32 accumulation: relative 1e-5),
  and against quantize_dynamic's output within the worst-case bound derived from the scales: two correct
  schemes each err by at most s_x/2 ||W_i||_1 + s_w/2 ||x||_1 from the float layer.
The library functions that would answer for you are switched off while your code runs.
"""

from __future__ import annotations

import copy
import io
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch import nn

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=".*quantiz.*")
from torch.ao.quantization import per_channel_dynamic_qconfig  # noqa: E402
from torch.ao.quantization import quantize_dynamic as torch_quantize_dynamic  # noqa: E402
from torch.ao.quantization.observer import MinMaxObserver, PerChannelMinMaxObserver  # noqa: E402

torch.set_num_threads(1)
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:.*quantiz.*:UserWarning")

SWITCHED_OFF = ("torch.quantize_per_tensor", "torch.quantize_per_channel", "torch.quantize_per_tensor_dynamic",
                "torch.fake_quantize_per_tensor_affine", "torch.fake_quantize_per_channel_affine",
                "torch._choose_qparams_per_tensor", "torch.ao.quantization.quantize_dynamic",
                "torch.ao.quantization.MinMaxObserver", "torch.ao.quantization.PerChannelMinMaxObserver",
                "torch.ao.quantization.observer.MinMaxObserver",
                "torch.ao.quantization.observer.PerChannelMinMaxObserver")
RANGES = {torch.qint8: (-128, 127), torch.quint8: (0, 255)}

tensors = hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
                     elements=st.floats(-50, 50, width=32))
matrices = hnp.arrays(np.float32, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=6),
                      elements=st.floats(-50, 50, width=32))


def call(impl, fn, *args, **kwargs):
    """fn(*args, **kwargs) with torch's quantization shortcuts switched off."""
    with forbid(impl, *SWITCHED_OFF):
        return fn(*args, **kwargs)


def flat(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.asarray(value).reshape(-1)


def observed(x: torch.Tensor, dtype, symmetric: bool, axis=None, qmin=None, qmax=None):
    """torch's observer: (scale, zero_point) as numpy arrays."""
    kwargs = {} if qmin is None else {"quant_min": qmin, "quant_max": qmax}
    if axis is None:
        scheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
        observer = MinMaxObserver(dtype=dtype, qscheme=scheme, **kwargs)
    else:
        scheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
        observer = PerChannelMinMaxObserver(ch_axis=axis, dtype=dtype, qscheme=scheme, **kwargs)
    observer(x)
    scale, zero_point = observer.calculate_qparams()
    return scale.double().numpy(), zero_point.numpy().astype(np.int64)


def assert_ints_match(got, want: np.ndarray, pre_round: np.ndarray, what: str) -> None:
    """Integer arrays equal, except +-1 where the value before rounding is within 1e-3 of a tie."""
    got_t = got
    expect(isinstance(got_t, torch.Tensor) and not got_t.is_floating_point(),
           f"{what} should be an integer tensor, got {type(got).__name__} "
           f"{getattr(got, 'dtype', '')}")
    have = got_t.detach().cpu().numpy().astype(np.int64)
    expect(have.shape == want.shape, f"{what} has shape {have.shape}, expected {want.shape}")
    tie = np.abs(pre_round - np.floor(pre_round) - 0.5) < 1e-3
    bad = (have != want) & ~(tie & (np.abs(have - want) <= 1))
    if bad.any():
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        raise AssertionError(f"{what} differs from torch at {int(bad.sum())} of {bad.size} entries; first at "
                             f"{i}: expected {want[i]}, got {have[i]} (x / scale + zero_point = {pre_round[i]:.4f})")


@given(tensors)
def test_symmetric_scale_matches_torch_observer(impl, x):
    """Symmetric int8: scale = max|x| / 127.5 (at least float32's eps) and zero point 0, like torch's MinMaxObserver
    with qscheme per_tensor_symmetric."""
    t = torch.from_numpy(x)
    scale, zero_point = call(impl, impl.choose_qparams, t, symmetric=True)
    want_s, _ = observed(t, torch.qint8, True)
    assert_close(flat(scale), want_s, rtol=1e-6, atol=0, what="symmetric scale")
    expect(flat(zero_point).size == 1 and int(flat(zero_point)[0]) == 0,
           f"a symmetric zero point is 0, got {zero_point}")


@given(tensors, st.sampled_from([torch.qint8, torch.quint8]))
def test_affine_scale_and_zero_point_match_torch_observer(impl, x, dtype):
    """Affine: scale = (hi - lo) / (qmax - qmin) with lo = min(x, 0), hi = max(x, 0), and zero point
    qmin - round(lo / scale) clamped to the range, for int8 (-128..127) and uint8 (0..255), like
    MinMaxObserver(per_tensor_affine)."""
    qmin, qmax = RANGES[dtype]
    t = torch.from_numpy(x)
    scale, zero_point = call(impl, impl.choose_qparams, t, symmetric=False, qmin=qmin, qmax=qmax)
    want_s, want_z = observed(t, dtype, False)
    assert_close(flat(scale), want_s, rtol=1e-6, atol=0, what=f"affine scale on {qmin}..{qmax}")
    lo = min(float(x.min()), 0.0)
    assert_ints_match(torch.as_tensor(flat(zero_point)).long(), want_z, np.array([qmin - lo / want_s[0]]),
                      f"affine zero point on {qmin}..{qmax}")


@given(matrices, st.booleans(), st.data())
def test_per_channel_parameters_match_torch_observer(impl, x, symmetric, data):
    """Per channel (axis given): one (scale, zero point) per slice along the axis, from that slice's min and max,
    like PerChannelMinMaxObserver (int8)."""
    axis = data.draw(st.integers(0, x.ndim - 1), label="axis")
    t = torch.from_numpy(x)
    scale, zero_point = call(impl, impl.choose_qparams, t, symmetric=symmetric, axis=axis)
    want_s, want_z = observed(t, torch.qint8, symmetric, axis=axis)
    expect(flat(scale).size == x.shape[axis], f"per-channel scales along axis {axis} should number "
           f"{x.shape[axis]}, got shape {tuple(np.shape(scale))}")
    assert_close(flat(scale), want_s, rtol=1e-6, atol=0, what=f"per-channel scales (axis {axis})")
    lo = np.minimum(np.moveaxis(x, axis, 0).reshape(x.shape[axis], -1).min(axis=1), 0.0)
    assert_ints_match(torch.as_tensor(flat(zero_point)).long(), want_z, -128 - lo / want_s,
                      f"per-channel zero points (axis {axis})")


@given(tensors, st.sampled_from([torch.qint8, torch.quint8]), st.booleans())
def test_quantize_matches_torch_quantize_per_tensor(impl, x, dtype, symmetric):
    """quantize(x, scale, zp) = clamp(round(x / scale) + zp, qmin, qmax) equals
    torch.quantize_per_tensor(...).int_repr() with the same parameters (+-1 only at rounding ties)."""
    qmin, qmax = RANGES[dtype]
    t = torch.from_numpy(x)
    s, z = observed(t, dtype, symmetric and dtype == torch.qint8)
    s, z = float(s[0]), int(z[0])
    got = call(impl, impl.quantize, t, torch.tensor(s), torch.tensor(z), qmin=qmin, qmax=qmax)
    want = torch.quantize_per_tensor(t, s, z, dtype).int_repr().numpy().astype(np.int64)
    assert_ints_match(got, want, x.astype(np.float64) / s + z, f"quantize on {qmin}..{qmax}")


@given(matrices, st.data())
def test_quantize_per_channel_matches_torch(impl, x, data):
    """With axis, each slice uses its own scale and zero point: equals torch.quantize_per_channel(...).int_repr()."""
    axis = data.draw(st.integers(0, x.ndim - 1), label="axis")
    t = torch.from_numpy(x)
    s, z = observed(t, torch.qint8, False, axis=axis)
    got = call(impl, impl.quantize, t, torch.from_numpy(s).float(), torch.from_numpy(z), axis=axis)
    want = torch.quantize_per_channel(t, torch.from_numpy(s), torch.from_numpy(z), axis, torch.qint8)
    shape = [1] * x.ndim
    shape[axis] = -1
    pre = x.astype(np.float64) / s.reshape(shape) + z.reshape(shape)
    assert_ints_match(got, want.int_repr().numpy().astype(np.int64), pre, f"per-channel quantize (axis {axis})")


@given(tensors, st.sampled_from([torch.qint8, torch.quint8]))
def test_dequantize_matches_torch(impl, x, dtype):
    """dequantize(q, scale, zp) = (q - zp) * scale, as float32: equals torch's .dequantize() of the same integers."""
    t = torch.from_numpy(x)
    s, z = observed(t, dtype, False)
    qt = torch.quantize_per_tensor(t, float(s[0]), int(z[0]), dtype)
    q = qt.int_repr().to(torch.int32)
    got = call(impl, impl.dequantize, q, torch.tensor(float(s[0])), torch.tensor(int(z[0])))
    expect(isinstance(got, torch.Tensor) and got.is_floating_point(), "dequantize should return a float tensor")
    assert_close(got.detach().numpy(), qt.dequantize().numpy(), rtol=1e-6, atol=1e-7, what="dequantize")


@given(tensors, st.booleans(), st.sampled_from([None, 0, -1]))
def test_round_trip_error_is_at_most_half_a_scale(impl, x, symmetric, axis):
    """With your own parameters, |x - dequantize(quantize(x))| <= scale / 2 everywhere (every x lies in the range
    the min/max parameters cover); float32 slack: relative 1e-5 of the bound plus 1e-6 |x|."""
    t = torch.from_numpy(x)
    scale, zp = call(impl, impl.choose_qparams, t, symmetric=symmetric, axis=axis)
    q = call(impl, impl.quantize, t, scale, zp, axis=axis)
    back = call(impl, impl.dequantize, q, scale, zp, axis=axis)
    s = np.asarray(flat(scale), dtype=np.float64)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        s = s.reshape(shape)
    err = np.abs(back.detach().numpy().astype(np.float64) - x)
    bound = s / 2 * (1 + 1e-5) + 1e-6 * np.abs(x)
    bad = err > bound
    if bad.any():
        raise AssertionError(f"round-trip error {err[bad].max():.4g} exceeds scale / 2 = "
                             f"{np.broadcast_to(s / 2, x.shape)[bad].max():.4g} ({int(bad.sum())} of {x.size} "
                             f"entries; {'symmetric' if symmetric else 'affine'}, axis={axis})")


def test_out_of_range_values_are_clamped(impl):
    """Values beyond the representable range saturate at qmin / qmax: with scale 0.1 and zero point 0, 100 -> 127
    and -100 -> -128 in int8, and -100 -> 0 in uint8 (0..255); dequantized they become 12.7, -12.8 and 0."""
    x = torch.tensor([100.0, -100.0, 0.04, 0.06])
    got = call(impl, impl.quantize, x, torch.tensor(0.1), torch.tensor(0))
    assert_close(flat(got), np.array([127, -128, 0, 1]), what="quantize([100, -100, 0.04, 0.06]) in int8")
    back = call(impl, impl.dequantize, torch.as_tensor(got), torch.tensor(0.1), torch.tensor(0))
    assert_close(back.numpy(), np.array([12.7, -12.8, 0.0, 0.1], dtype=np.float32), rtol=1e-6,
                 what="dequantize of the clamped values")
    got = call(impl, impl.quantize, x, torch.tensor(0.1), torch.tensor(0), qmin=0, qmax=255)
    assert_close(flat(got), np.array([255, 0, 0, 1]), what="quantize in uint8 (0..255)")


def test_all_zero_tensor_keeps_a_positive_scale(impl):
    """An all-zero tensor gets scale = float32 eps (never 0, which would divide by zero) and round-trips to zeros."""
    x = torch.zeros(3, 4)
    for symmetric in (True, False):
        scale, zp = call(impl, impl.choose_qparams, x, symmetric=symmetric)
        assert_close(flat(scale), np.array([np.finfo(np.float32).eps]), rtol=1e-6,
                     what=f"scale of zeros ({'symmetric' if symmetric else 'affine'})")
        back = call(impl, impl.dequantize, call(impl, impl.quantize, x, scale, zp), scale, zp)
        assert_close(back.numpy(), np.zeros((3, 4)), what="round trip of zeros")


def test_bad_inputs_raise_value_error(impl):
    """NaN, an empty tensor, qmin >= qmax, symmetric quantization on an unsigned range, and per-channel parameters of
    the wrong length all raise ValueError."""
    x = torch.randn(3, 4)
    assert_raises_value_error(impl.choose_qparams, torch.tensor([1.0, float("nan")]), why="NaN has no range")
    assert_raises_value_error(impl.choose_qparams, torch.zeros(0), why="an empty tensor has no range")
    assert_raises_value_error(impl.choose_qparams, x, symmetric=False, qmin=5, qmax=5, why="qmin must be < qmax")
    assert_raises_value_error(impl.choose_qparams, x, symmetric=True, qmin=0, qmax=255,
                              why="symmetric quantization needs a signed range")
    assert_raises_value_error(impl.quantize, x, torch.ones(2), torch.zeros(2, dtype=torch.long), axis=0,
                              why="axis 0 has 3 channels but 2 scales were given")


# ----------------------------------------------------------------------------- the int8 linear layer


def torch_dynamic(model: nn.Module, per_channel: bool) -> nn.Module:
    spec = {nn.Linear: per_channel_dynamic_qconfig} if per_channel else {nn.Linear}
    return torch_quantize_dynamic(copy.deepcopy(model), spec, dtype=torch.qint8)


def torch_weights(qlinear) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """int weights, scales (per tensor: one) and the pre-rounding ratios of torch's dynamic Linear."""
    w = qlinear.weight()
    ints = w.int_repr().numpy().astype(np.int64)
    if w.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
        return ints, w.q_per_channel_scales().numpy(), w.q_per_channel_scales().numpy()[:, None]
    return ints, np.array([w.q_scale()]), np.array([[w.q_scale()]])


def layer(seed: int, n_in: int, n_out: int) -> nn.Linear:
    torch.manual_seed(seed)
    return nn.Linear(n_in, n_out)


def activation_qparams(x: torch.Tensor) -> tuple[float, int]:
    s, z = observed(x, torch.quint8, False, qmin=0, qmax=127)
    return float(s[0]), int(z[0])


@given(st.integers(0, 10_000), st.integers(1, 40), st.integers(1, 20), st.booleans())
@settings(max_examples=20)
def test_int8_linear_stores_torch_int8_weights(impl, seed, n_in, n_out, per_channel):
    """Int8Linear.from_float(linear, per_channel) stores `weight_int8` (int8, (out, in)) and `weight_scale` equal to
    the weights quantize_dynamic(..., dtype=torch.qint8) stores: symmetric, per tensor or per output row."""
    lin = layer(seed, n_in, n_out)
    ours = call(impl, impl.Int8Linear.from_float, lin, per_channel=per_channel)
    theirs = torch_dynamic(nn.Sequential(lin), per_channel)[0]
    ints, scales, ratio_scale = torch_weights(theirs)
    w_int8 = getattr(ours, "weight_int8", None)
    expect(isinstance(w_int8, torch.Tensor) and w_int8.dtype == torch.int8,
           "Int8Linear should keep its weight as `weight_int8`, a torch.int8 tensor")
    assert_close(flat(ours.weight_scale), scales, rtol=1e-6, atol=0,
                 what=f"weight_scale ({'per channel' if per_channel else 'per tensor'})")
    assert_ints_match(w_int8, ints, lin.weight.detach().double().numpy() / ratio_scale, "weight_int8")


def emulate(ours, x: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """The documented formula, plainly: y = s_x s_w (x_q - z_x) W_q^T + b, in float64; and a per-output allowance
    for rounding ties of x (where float32 may round the other way)."""
    s_x, z_x = activation_qparams(x)
    pre = x.double().numpy() / s_x + z_x
    x_q = np.clip(np.round(pre), 0, 127)
    w = ours.weight_int8.numpy().astype(np.float64)
    s_w = flat(ours.weight_scale).astype(np.float64)
    bias = np.zeros(w.shape[0]) if ours.bias is None else ours.bias.detach().double().numpy()
    y = s_x * ((x_q - z_x) @ w.T) * s_w + bias
    tie = (np.abs(pre - np.floor(pre) - 0.5) < 1e-3).astype(np.float64)
    magnitude = s_x * (np.abs(x_q - z_x) @ np.abs(w.T)) * s_w + np.abs(bias)
    return y, 1e-5 * magnitude + s_x * (tie @ np.abs(w.T)) * s_w + 1e-6


@given(st.integers(0, 10_000), st.integers(1, 40), st.integers(1, 20), st.integers(1, 6), st.booleans())
@settings(max_examples=25)
def test_int8_linear_forward_is_the_integer_formula(impl, seed, n_in, n_out, rows, per_channel):
    """forward(x) quantizes x per tensor, affine, onto 0..127 (torch's x86 choice), then computes
    s_x s_w (x_q - z_x) W_q^T + b: it equals that formula written out in float64 here (relative 1e-5, plus one
    activation step where x / s_x sits on a rounding tie)."""
    lin = layer(seed, n_in, n_out)
    ours = call(impl, impl.Int8Linear.from_float, lin, per_channel=per_channel)
    x = torch.randn(rows, n_in, generator=torch.Generator().manual_seed(seed)) * 2 + 0.3
    with torch.no_grad():
        got = call(impl, ours, x)
    want, allowance = emulate(ours, x)
    err = np.abs(got.numpy().astype(np.float64) - want)
    if (err > allowance).any():
        float_err = float(np.abs(got.numpy() - lin(x).detach().numpy()).max())
        hint = (" Your output equals the float layer's: quantize the activations too." if float_err < 1e-6
                else " Quantize the activations per tensor, affine, onto 0..127.")
        raise AssertionError(f"Int8Linear output differs from s_x s_w (x_q - z_x) W_q^T + b by up to {err.max():.3g} "
                             f"(allowed {allowance.max():.3g}).{hint}")


def worst_case(x: np.ndarray, w_hat: np.ndarray, s_w: np.ndarray, s_x: float) -> np.ndarray:
    """Bound on |y_ours - y_torch| per (row, output): twice the error bound of one correct scheme, with a margin of
    one weight step per entry for weights rounded the other way at a tie."""
    a = np.abs(w_hat).sum(axis=1) + s_w * w_hat.shape[1]  # ||W_i||_1, and one step per entry
    return s_x * a[None, :] + np.abs(x).sum(axis=1)[:, None] * s_w[None, :] + 1e-5


@given(st.integers(0, 10_000), st.integers(1, 40), st.integers(1, 20), st.booleans())
@settings(max_examples=20)
def test_int8_linear_agrees_with_torch_quantize_dynamic(impl, seed, n_in, n_out, per_channel):
    """On the same nn.Linear, your Int8Linear and torch's dynamically quantized Linear agree within
    s_x ||W_i||_1 + s_w ||x||_1 (each is within half of that of the float layer). On x86, where torch also uses 7-bit
    activations, they agree to about 1e-6."""
    lin = layer(seed, n_in, n_out)
    ours = call(impl, impl.Int8Linear.from_float, lin, per_channel=per_channel)
    theirs = torch_dynamic(nn.Sequential(lin), per_channel)[0]
    x = torch.randn(5, n_in, generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        got, want = call(impl, ours, x).numpy(), theirs(x).numpy()
    ints, scales, _ = torch_weights(theirs)
    s_w = np.broadcast_to(scales, (n_out,)).astype(np.float64)
    bound = worst_case(x.numpy(), ints * s_w[:, None], s_w, activation_qparams(x)[0])
    err = np.abs(got.astype(np.float64) - want)
    expect(got.shape == want.shape, f"output shape {got.shape}, expected {want.shape}")
    if (err > bound).any():
        raise AssertionError(f"Int8Linear differs from torch's quantized Linear by up to {err.max():.3g}, beyond "
                             f"the bound {bound[err > bound].min():.3g} that the scales allow")


def small_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(12, 24), nn.ReLU(), nn.Linear(24, 6))


@given(st.integers(0, 10_000))
@settings(max_examples=10)
def test_quantize_dynamic_on_a_small_model_agrees_with_torch(impl, seed):
    """quantize_dynamic(model) returns a copy whose every nn.Linear is an Int8Linear (the original is unchanged); on
    Linear(12, 24) -> ReLU -> Linear(24, 6) it agrees with torch.ao.quantization.quantize_dynamic(model, {nn.Linear},
    dtype=torch.qint8) within the error bound carried through both layers (ReLU does not enlarge differences)."""
    model = small_model(seed)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    ours = call(impl, impl.quantize_dynamic, model)
    expect(ours is not model, "quantize_dynamic should return a copy, not the model itself")
    expect(all(torch.equal(v, model.state_dict()[k]) for k, v in before.items()),
           "quantize_dynamic changed the original model's weights")
    left = [type(m).__name__ for m in ours.modules() if isinstance(m, nn.Linear)]
    expect(not left, f"the quantized model still holds {len(left)} float nn.Linear layer(s)")
    theirs = torch_dynamic(model, False)
    x = torch.randn(8, 12, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        got, want = ours(x).numpy().astype(np.float64), theirs(x).numpy().astype(np.float64)
        h_t = torch.relu(theirs[0](x)).numpy().astype(np.float64)
    i1, s1, _ = torch_weights(theirs[0])
    i2, s2, _ = torch_weights(theirs[2])
    w1, w2 = i1 * s1[0], i2 * s2[0]
    delta1 = worst_case(x.numpy(), w1, np.full(24, s1[0]), activation_qparams(x)[0])  # |h_ours - h_torch|
    s_h = (max(h_t.max(), 0.0) + 2 * delta1.max()) / 127  # largest activation scale either could pick
    a2 = np.abs(w2).sum(axis=1) + s2[0] * 24
    bound = (s_h * a2[None, :] + s2[0] * (2 * np.abs(h_t).sum(axis=1) + delta1.sum(axis=1))[:, None]
             + delta1 @ np.abs(w2.T) + 1e-5)
    err = np.abs(got - want)
    if (err > bound).any():
        raise AssertionError(f"the quantized model differs from torch's by up to {err.max():.3g}, beyond the "
                             f"derived bound {bound[err > bound].min():.3g}")


def test_quantized_state_dict_is_about_four_times_smaller(impl):
    """A Linear(256, 256) saved with torch.save(state_dict) takes 263 KB in float32; quantized, its int8 weights take
    65.5 KB (1 byte each), plus the float bias and a few KB of pickling: at most 0.3 of the float size. The int8
    weights must be in the state_dict (a registered buffer), or a checkpoint would lose them."""
    model = nn.Sequential(layer(0, 256, 256))
    quantized = call(impl, impl.quantize_dynamic, model)

    def size(m):
        buffer = io.BytesIO()
        torch.save(m.state_dict(), buffer)
        return buffer.getbuffer().nbytes

    int8 = [v for v in quantized.state_dict().values() if isinstance(v, torch.Tensor) and v.dtype == torch.int8]
    expect(sum(v.numel() for v in int8) == 256 * 256, "the quantized model's state_dict should hold the 65,536 int8 "
           "weights (register_buffer('weight_int8', ...))")
    ratio = size(quantized) / size(model)
    expect(ratio <= 0.3, f"quantized state_dict is {ratio:.2f} of the float one, expected <= 0.3")
