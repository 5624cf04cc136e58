"""Post-training int8 quantization: scales and zero points, quantize / dequantize, and a dynamically
quantized linear layer, the scheme of ``torch.ao.quantization.quantize_dynamic``.

Affine (asymmetric) quantization maps a float interval [lo, hi] (always stretched to contain 0) onto the
integers qmin..qmax:

    scale = (hi - lo) / (qmax - qmin),   zero_point = qmin - round(lo / scale)   (clamped to [qmin, qmax])
    q = clamp(round(x / scale) + zero_point, qmin, qmax),   x_hat = (q - zero_point) * scale

Symmetric quantization (signed ranges, int8 = -128..127) fixes zero_point = 0 and
scale = max|x| / ((qmax - qmin) / 2): torch's observers divide by 127.5, not 127, and so do we. Inside the
representable range [(qmin - zp) scale, (qmax - zp) scale] the round trip errs by at most scale / 2; outside
it values are clamped. Every scale is at least float32's machine epsilon (so an all-zero tensor still has
one). "Per tensor" uses one (scale, zero_point); "per channel" one pair per slice along `axis` (a linear
layer's output rows), which keeps a row of small weights from being crushed by another row's outlier.

These rules are those of torch's MinMaxObserver / PerChannelMinMaxObserver, so the parameters agree with
torch's to float32 rounding, and the integers agree with ``torch.quantize_per_tensor(...).int_repr()``
except where x / scale falls on a rounding tie (torch rounds ``x * (1 / scale) + zero_point`` in float32).

`Int8Linear` stores its weight as int8 with a symmetric scale (per tensor or per output channel) and keeps
activations in float between layers. Each call quantizes its input on the fly (dynamic quantization):
affine, per tensor, onto 0..127, the 7-bit range torch's x86 (fbgemm) kernels use so that their 16-bit
pairwise sums of uint8 x int8 products cannot overflow. The integer products are summed exactly (an int8
kernel accumulates them in int32; we use a float matmul of the integers, exact at these sizes, because
plain PyTorch has no reliable public int8 matmul on every device) and scaled once:
y = s_x s_w (x_q - z_x) W_q^T + b. So this layer saves memory, not time: the speed of int8 needs int8
kernels such as torch's fbgemm/qnnpack ones.  `quantize_dynamic` swaps every nn.Linear of a model copy
for one; weights shrink about 4x.

Left out: static quantization (calibrated activation ranges, quantized activations between layers),
histogram/percentile observers, quantization-aware training, int4 / group-wise schemes (GPTQ, AWQ).
"""

from __future__ import annotations

import copy
import io

import torch
from torch import Tensor, nn

__all__ = ["Int8Linear", "choose_qparams", "dequantize", "quantize", "quantize_dynamic", "state_dict_bytes"]

EPS = torch.finfo(torch.float32).eps


def _check_range(qmin: int, qmax: int) -> None:
    if not (isinstance(qmin, int) and isinstance(qmax, int)) or qmin >= qmax:
        raise ValueError(f"need integers qmin < qmax, got qmin={qmin!r}, qmax={qmax!r}")


def _as_float(x: Tensor, what: str = "x") -> Tensor:
    if not isinstance(x, Tensor) or not torch.is_floating_point(x):
        raise ValueError(f"{what} must be a floating-point tensor")
    if x.numel() == 0:
        raise ValueError(f"{what} is empty: there is no range to quantize")
    if not torch.isfinite(x).all():
        raise ValueError(f"{what} contains NaN or infinity")
    return x.to(torch.float32)


def _channel_view(t: Tensor, axis: int | None, ndim: int) -> Tensor:
    """Reshape per-channel parameters (C,) so they broadcast along `axis` of an ndim-D tensor."""
    if axis is None:
        return t
    shape = [1] * ndim
    shape[axis] = -1
    return t.reshape(shape)


def _normalize_axis(axis: int | None, ndim: int) -> int | None:
    if axis is None:
        return None
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for a {ndim}-D tensor")
    return axis % ndim


def choose_qparams(x: Tensor, *, symmetric: bool = True, axis: int | None = None, qmin: int = -128,
                   qmax: int = 127) -> tuple[Tensor, Tensor]:
    """Scale (float32) and zero point (int64) that map the range of `x` onto qmin..qmax.

    Per tensor (`axis=None`): 0-d tensors. Per channel: shape (x.shape[axis],), each from the min and max of
    its slice. lo = min(min x, 0), hi = max(max x, 0);
    symmetric: scale = max(-lo, hi) / ((qmax - qmin) / 2), zero_point = 0 (needs qmin < 0 < qmax);
    affine: scale = (hi - lo) / (qmax - qmin), zero_point = clamp(qmin - round(lo / scale), qmin, qmax).
    Both clamp the scale below at float32's eps. O(x.numel()).

    >>> choose_qparams(torch.tensor([-1.0, 0.5, 2.0]), symmetric=False, qmin=0, qmax=255)
    (tensor(0.0118), tensor(85))
    """
    x = _as_float(x)
    _check_range(qmin, qmax)
    axis = _normalize_axis(axis, x.ndim)
    if axis is None:
        lo, hi = x.min(), x.max()
    else:
        rows = x.movedim(axis, 0).reshape(x.shape[axis], -1)
        lo, hi = rows.min(dim=1).values, rows.max(dim=1).values
    lo, hi = torch.clamp(lo, max=0.0), torch.clamp(hi, min=0.0)
    if symmetric:
        if not qmin < 0 < qmax:
            raise ValueError(f"symmetric quantization needs a signed range qmin < 0 < qmax, got {qmin}..{qmax}")
        scale = torch.clamp(torch.maximum(-lo, hi) / ((qmax - qmin) / 2), min=EPS)
        return scale, torch.zeros_like(scale, dtype=torch.int64)
    scale = torch.clamp((hi - lo) / (qmax - qmin), min=EPS)
    zero_point = torch.clamp(qmin - torch.round(lo / scale).to(torch.int64), qmin, qmax)
    return scale, zero_point


def _params(x: Tensor, scale: Tensor | float, zero_point: Tensor | int, axis: int | None) -> tuple[Tensor, Tensor]:
    scale = torch.as_tensor(scale, dtype=torch.float32, device=x.device)
    zero_point = torch.as_tensor(zero_point, device=x.device)
    if axis is None:
        if scale.numel() != 1 or zero_point.numel() != 1:
            raise ValueError("per-tensor quantization takes one scale and one zero point (pass axis for per-channel)")
        scale, zero_point = scale.reshape(()), zero_point.reshape(())
    elif scale.shape != (x.shape[axis],) or zero_point.shape != (x.shape[axis],):
        raise ValueError(f"per-channel scale and zero_point must have shape ({x.shape[axis]},) for axis {axis}, "
                         f"got {tuple(scale.shape)} and {tuple(zero_point.shape)}")
    if (scale <= 0).any() or not torch.isfinite(scale).all():
        raise ValueError("scales must be positive and finite")
    if zero_point.is_floating_point() and not torch.equal(zero_point, zero_point.round()):
        raise ValueError("zero points must be integers")
    return _channel_view(scale, axis, x.ndim), _channel_view(zero_point.to(torch.int64), axis, x.ndim)


def quantize(x: Tensor, scale: Tensor | float, zero_point: Tensor | int, *, axis: int | None = None,
             qmin: int = -128, qmax: int = 127) -> Tensor:
    """Integers q = clamp(round(x / scale) + zero_point, qmin, qmax), as int32, same shape as `x`.

    `round` is round-half-to-even (torch.round). With `axis`, scale and zero_point have shape (x.shape[axis],)
    and apply slice by slice. O(x.numel()).

    >>> quantize(torch.tensor([-1.0, 0.0, 0.26, 9.0]), 0.1, 0)
    tensor([-10,   0,   3,  90], dtype=torch.int32)
    """
    x = _as_float(x)
    _check_range(qmin, qmax)
    axis = _normalize_axis(axis, x.ndim)
    scale, zero_point = _params(x, scale, zero_point, axis)
    return torch.clamp(torch.round(x / scale) + zero_point, qmin, qmax).to(torch.int32)


def dequantize(q: Tensor, scale: Tensor | float, zero_point: Tensor | int, *, axis: int | None = None) -> Tensor:
    """Floats x_hat = (q - zero_point) * scale (float32), same shape as the integer tensor `q`.

    >>> dequantize(torch.tensor([-10, 0, 3]), 0.1, 0)
    tensor([-1.0000,  0.0000,  0.3000])
    """
    if not isinstance(q, Tensor) or q.is_floating_point() or q.is_complex() or q.dtype == torch.bool:
        raise ValueError("q must be an integer tensor")
    axis = _normalize_axis(axis, q.ndim)
    scale, zero_point = _params(q, scale, zero_point, axis)
    return (q.to(torch.int64) - zero_point).to(torch.float32) * scale


def _int_matmul(a: Tensor, b: Tensor) -> Tensor:
    """a (M, K) @ b (N, K)^T for integer tensors with |entries| <= 255 and <= 128, exactly: a float matmul of the
    integers is exact while every partial sum stays below 2**24 (float32: K * 255 * 128 < 2**24, K <= 514) or
    2**53 (float64, any practical K). (torch._int_mm would accumulate in int32, but its CPU kernel is wrong
    for K = 1 in torch 2.13, so we do not rely on it.)"""
    exact32 = a.shape[1] * 255 * 128 < 2**24
    dtype = torch.float32 if exact32 or a.device.type == "mps" else torch.float64  # MPS has no float64
    return a.to(dtype) @ b.to(dtype).t()


class Int8Linear(nn.Module):
    """A linear layer with int8 weights and dynamically quantized activations (inference only).

    Buffers: `weight_int8` (out, in) int8, `weight_scale` () or (out,) float32 (symmetric, zero point 0);
    `bias` (out,) float or None. forward: x (..., in) float -> (..., out) in x's dtype:
        s_x, z_x = affine qparams of x over 0..act_qmax;  x_q = quantize(x)
        y = s_x * s_w * ((x_q - z_x) @ W_q^T) + b       (exact integer sums)
    act_qmax = 127 (torch's x86 choice, so x_q - z_x fits int8); 255 is the full uint8 range.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, per_channel: bool = False,
                 act_qmax: int = 127) -> None:
        super().__init__()
        if in_features <= 0 or out_features <= 0:
            raise ValueError("in_features and out_features must be positive")
        if act_qmax not in (127, 255):
            raise ValueError(f"act_qmax must be 127 (7-bit, torch's x86 kernels) or 255, got {act_qmax}")
        self.in_features, self.out_features, self.per_channel, self.act_qmax = (in_features, out_features,
                                                                                per_channel, act_qmax)
        self.register_buffer("weight_int8", torch.zeros(out_features, in_features, dtype=torch.int8))
        self.register_buffer("weight_scale", torch.ones(out_features if per_channel else ()))
        self.bias = nn.Parameter(torch.zeros(out_features), requires_grad=False) if bias else None

    @classmethod
    def from_float(cls, linear: nn.Linear, per_channel: bool = False, act_qmax: int = 127) -> Int8Linear:
        """Quantize a float nn.Linear's weight (symmetric int8, per tensor or per output row)."""
        if not isinstance(linear, nn.Linear):
            raise ValueError(f"expected an nn.Linear, got {type(linear).__name__}")
        layer = cls(linear.in_features, linear.out_features, linear.bias is not None, per_channel, act_qmax)
        weight = linear.weight.detach()
        scale, _ = choose_qparams(weight, symmetric=True, axis=0 if per_channel else None)
        layer.weight_int8 = quantize(weight, scale, torch.zeros_like(scale, dtype=torch.int64),
                                     axis=0 if per_channel else None).to(torch.int8)
        layer.weight_scale = scale
        if linear.bias is not None:
            layer.bias = nn.Parameter(linear.bias.detach().to(torch.float32).clone(), requires_grad=False)
        return layer.to(weight.device)

    def dequantized_weight(self) -> Tensor:
        """W_hat = s_w * W_q, (out, in) float32."""
        scale = self.weight_scale[:, None] if self.per_channel else self.weight_scale
        return self.weight_int8.to(torch.float32) * scale

    def forward(self, x: Tensor) -> Tensor:
        if x.shape[-1] != self.in_features:
            raise ValueError(f"expected input (..., {self.in_features}), got {tuple(x.shape)}")
        flat = x.reshape(-1, self.in_features).to(torch.float32)
        if flat.shape[0] == 0:
            out = flat.new_zeros(0, self.out_features)
        else:
            s_x, z_x = choose_qparams(flat, symmetric=False, qmin=0, qmax=self.act_qmax)
            centred = quantize(flat, s_x, z_x, qmin=0, qmax=self.act_qmax) - z_x  # in -act_qmax..act_qmax
            acc = _int_matmul(centred, self.weight_int8)  # exact integer sums
            out = acc.to(torch.float32) * (s_x * self.weight_scale)
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], self.out_features).to(x.dtype)

    def extra_repr(self) -> str:
        kind = "per-channel" if self.per_channel else "per-tensor"
        return f"in_features={self.in_features}, out_features={self.out_features}, int8 weights ({kind})"


def quantize_dynamic(model: nn.Module, per_channel: bool = False, act_qmax: int = 127) -> nn.Module:
    """A deep copy of `model` with every nn.Linear replaced by an `Int8Linear` (the original is untouched).

    Like ``torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)``: a Linear whose
    weight is tied to an embedding (a GPT's head) gets its own int8 copy, the embedding stays float.
    The copy is put in eval mode.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"expected an nn.Module, got {type(model).__name__}")
    quantized = copy.deepcopy(model)
    if isinstance(quantized, nn.Linear):
        return Int8Linear.from_float(quantized, per_channel, act_qmax).eval()
    for parent in list(quantized.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Linear):
                setattr(parent, name, Int8Linear.from_float(child, per_channel, act_qmax))
    return quantized.eval()


def state_dict_bytes(model: nn.Module) -> int:
    """Size in bytes of ``torch.save(model.state_dict())``: what a checkpoint of the model takes on disk."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes
