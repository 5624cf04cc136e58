"""Int8 quantization — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check quantization`.
torch.quantize_per_tensor / quantize_per_channel, torch's observers and torch.ao.quantization.quantize_dynamic
are switched off while the checks run your code: build it from torch.round, torch.clamp and arithmetic.
"""

from __future__ import annotations

import copy  # noqa: F401  (copy.deepcopy, for quantize_dynamic)
import io

import torch
from torch import Tensor, nn

EPS = torch.finfo(torch.float32).eps  # the smallest scale allowed


def choose_qparams(x: Tensor, *, symmetric: bool = True, axis: int | None = None, qmin: int = -128,
                   qmax: int = 127) -> tuple[Tensor, Tensor]:
    """Scale (float32) and zero point (int64) mapping the range of the float tensor `x` onto qmin..qmax.

    lo = min(min x, 0), hi = max(max x, 0)  (the range always contains 0);
    symmetric: scale = max(-lo, hi) / ((qmax - qmin) / 2), zero_point = 0   (needs qmin < 0 < qmax);
    affine:    scale = (hi - lo) / (qmax - qmin), zero_point = clamp(qmin - round(lo / scale), qmin, qmax).
    Clamp every scale below at EPS.
    - axis=None: per tensor, 0-d scale and zero point.
    - axis=k: per channel, shapes (x.shape[k],), each from the min and max of its slice x.select(k, i).
    Raise ValueError for an empty tensor, NaN/inf, qmin >= qmax, or symmetric on a range without negatives.
    """
    raise NotImplementedError


def quantize(x: Tensor, scale: Tensor | float, zero_point: Tensor | int, *, axis: int | None = None,
             qmin: int = -128, qmax: int = 127) -> Tensor:
    """q = clamp(round(x / scale) + zero_point, qmin, qmax) as an integer tensor (int32), same shape as `x`.

    With `axis`, scale and zero_point have shape (x.shape[axis],) and apply slice by slice (reshape them so
    they broadcast along `axis`). Raise ValueError when their shape does not fit.
    """
    raise NotImplementedError


def dequantize(q: Tensor, scale: Tensor | float, zero_point: Tensor | int, *, axis: int | None = None) -> Tensor:
    """x_hat = (q - zero_point) * scale as float32, same shape as the integer tensor `q` (axis as in quantize)."""
    raise NotImplementedError


class Int8Linear(nn.Module):
    """A linear layer with int8 weights and dynamically quantized activations (inference only).

    Attributes (the checks read them):
      weight_int8   (out, in) torch.int8 buffer: the weight quantized symmetrically (zero point 0);
      weight_scale  float32 buffer: 0-d (per tensor) or (out,) (per_channel=True, one scale per output row);
      bias          (out,) float tensor or None.
    forward(x): x (..., in) float -> (..., out):
      s_x, z_x = choose_qparams(x, symmetric=False, qmin=0, qmax=127)   (per tensor, over the whole input)
      x_q = quantize(x, s_x, z_x, qmin=0, qmax=127)
      y = s_x * s_w * ((x_q - z_x) @ weight_int8^T) + bias              (sum the integer products exactly)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, per_channel: bool = False) -> None:
        super().__init__()
        self.in_features, self.out_features, self.per_channel = in_features, out_features, per_channel
        self.register_buffer("weight_int8", torch.zeros(out_features, in_features, dtype=torch.int8))
        self.register_buffer("weight_scale", torch.ones(out_features if per_channel else ()))
        self.bias = nn.Parameter(torch.zeros(out_features), requires_grad=False) if bias else None

    @classmethod
    def from_float(cls, linear: nn.Linear, per_channel: bool = False) -> Int8Linear:
        """A new Int8Linear holding `linear`'s weight quantized (symmetric int8; per output row if per_channel)
        and a copy of its bias."""
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError


def quantize_dynamic(model: nn.Module, per_channel: bool = False) -> nn.Module:
    """A deep copy of `model` (copy.deepcopy) in which every nn.Linear is replaced by Int8Linear.from_float(...).

    The original model is left unchanged. Walk the modules with named_children() and setattr the replacement on
    the parent.
    """
    raise NotImplementedError


def state_dict_bytes(model: nn.Module) -> int:
    """Size in bytes of torch.save(model.state_dict()) (given: use it to see the 4x)."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes

