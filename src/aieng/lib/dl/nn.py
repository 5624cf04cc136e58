"""Layers on the `Tensor` engine, shaped like ``torch.nn`` so weights can be copied across and results compared.

A `Module` holds `Parameter`s (tensors that require grad: what an optimizer updates), buffers (plain
arrays it updates itself, such as BatchNorm's running statistics) and sub-modules. ``parameters()`` walks
them in the order they were assigned, ``train()`` / ``eval()`` switch the mode that Dropout and BatchNorm
read, and ``model(x)`` calls ``forward``. Parameter names follow torch (``"0.weight"`` inside a
Sequential, ``"running_mean"``), so `load_state_from_torch` and `copy_state_to_torch` copy weights between
a model here and the same model in torch.

Initialization follows torch's defaults: a Linear or Conv2d weight is drawn from U(-1/sqrt(fan_in),
1/sqrt(fan_in)) — torch's kaiming_uniform with a = sqrt(5) — and so is the bias; pass ``rng`` (a seed or
a numpy Generator) to make it reproducible. Parameters are float64 unless ``dtype`` says otherwise.

Layers: Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax,
Dropout (inverted), BatchNorm1d, LayerNorm, Sequential. Every forward pass is built from the ops of
`aieng.lib.dl.tensor`, which wire the numpy pairs of the activations, conv, norm and regularization modules.

Left out: BatchNorm2d and other layers, hooks, devices, parameter groups, saving to files.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from aieng.lib.dl import init
from aieng.lib.dl import tensor as T
from aieng.lib.dl.tensor import Tensor

Rng = int | np.random.Generator | None


class Parameter(Tensor):
    """A tensor a module learns: requires grad, owns a copy of its data (optimizers change it in place)."""

    def __init__(self, data: ArrayLike, dtype: DTypeLike = None) -> None:
        super().__init__(np.array(data, dtype=dtype), requires_grad=True)


class Module:
    """Base class of layers and models: override ``forward``; call the module itself to run it."""

    training: bool = True
    _buffer_names: tuple[str, ...] = ()

    def forward(self, *args: Any, **kwargs: Any) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        """Run ``forward``; numpy arrays among the positional arguments are wrapped as Tensors first."""
        return self.forward(*(Tensor(a) if isinstance(a, np.ndarray) else a for a in args), **kwargs)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Sub-modules in assignment order; a list of modules in attribute `name` gives `name.0`, `name.1`..."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, list | tuple):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}", item

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs: this module's own parameters, then each child's, recursively."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
        for name, child in self.named_children():
            yield from child.named_parameters(f"{prefix}{name}.")

    def parameters(self) -> Iterator[Parameter]:
        """Every parameter of the module and its sub-modules (what an optimizer is given)."""
        for _, p in self.named_parameters():
            yield p

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray]]:
        """(dotted name, array) for state that is not learned by gradient (running statistics)."""
        for name in self._buffer_names:
            yield prefix + name, getattr(self, name)
        for name, child in self.named_children():
            yield from child.named_buffers(f"{prefix}{name}.")

    def modules(self) -> Iterator[Module]:
        """This module and all sub-modules, depth first."""
        yield self
        for _, child in self.named_children():
            yield from child.modules()

    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout drops, BatchNorm uses and updates batch statistics) on every module."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Set evaluation mode: Dropout is the identity, BatchNorm uses its running statistics."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``.grad = None``)."""
        for p in self.parameters():
            p.grad = None

    def state_dict(self, prefix: str = "") -> dict[str, np.ndarray]:
        """Copies of all parameters and buffers by dotted name, in torch's order (each module's parameters,
        then its buffers, then its children's)."""
        state = {prefix + name: v.data.copy() for name, v in vars(self).items() if isinstance(v, Parameter)}
        state.update({prefix + name: np.array(getattr(self, name), copy=True) for name in self._buffer_names})
        for name, child in self.named_children():
            state.update(child.state_dict(f"{prefix}{name}."))
        return state

    def load_state_dict(self, state: dict[str, ArrayLike]) -> None:
        """Copy arrays into the parameters and buffers in place (same names and shapes; dtypes are kept)."""
        targets = {name: p.data for name, p in self.named_parameters()}
        targets.update(dict(self.named_buffers()))
        missing, unexpected = sorted(set(targets) - set(state)), sorted(set(state) - set(targets))
        if missing or unexpected:
            raise ValueError(f"state does not match the module: missing {missing}, unexpected {unexpected}")
        for name, target in targets.items():
            value = np.asarray(state[name])
            if value.shape != target.shape:
                raise ValueError(f"{name}: shape {value.shape} does not match the module's {target.shape}")
            target[...] = value

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"  ({name}): {child!r}".replace("\n", "\n  ") for name, child in children]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"

    def extra_repr(self) -> str:
        return ""


def load_state_from_torch(module: Module, torch_module: Any) -> Module:
    """Copy the weights and buffers of a torch module with the same structure into `module` (in place).

    Names must match torch's ``state_dict()`` keys (``"0.weight"``, ``"running_var"``...); values are cast
    to this module's dtypes. Returns `module`.
    """
    state = {name: value.detach().cpu().numpy() for name, value in torch_module.state_dict().items()}
    module.load_state_dict(state)
    return module


def copy_state_to_torch(module: Module, torch_module: Any) -> Any:
    """Copy this module's weights and buffers into a torch module of the same structure; returns it.

    Values take the dtype of the torch module's tensors (so a ``.double()`` torch model gets float64)."""
    import torch

    target = torch_module.state_dict()
    state = module.state_dict()
    missing, unexpected = sorted(set(target) - set(state)), sorted(set(state) - set(target))
    if missing or unexpected:
        raise ValueError(f"torch module does not match: missing {missing}, unexpected {unexpected}")
    torch_module.load_state_dict({name: torch.as_tensor(np.array(state[name])).to(target[name].dtype)
                                  for name in target})
    return torch_module


def _uniform(rng: np.random.Generator, bound: float, shape: tuple[int, ...], dtype: DTypeLike) -> Parameter:
    return Parameter(rng.uniform(-bound, bound, size=shape), dtype=dtype)


class Linear(Module):
    """``y = x W^T + b`` with W of shape (out_features, in_features), like torch.nn.Linear.

    x: (N, in_features) or (..., in_features) -> (..., out_features). Weights and bias start in
    U(-1/sqrt(in), 1/sqrt(in)) (torch's default), drawn from `rng`.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *, rng: Rng = None,
                 dtype: DTypeLike = np.float64) -> None:
        if in_features <= 0 or out_features <= 0:
            raise ValueError(f"Linear needs positive sizes, got in={in_features}, out={out_features}")
        generator = np.random.default_rng(rng)
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(init.kaiming_uniform((out_features, in_features), a=math.sqrt(5), rng=generator),
                                dtype=dtype)
        self.bias = _uniform(generator, 1 / math.sqrt(in_features), (out_features,), dtype) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return T.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Conv2d(Module):
    """2-D convolution of (N, C_in, H, W) images with a (C_out, C_in, kH, kW) weight, like torch.nn.Conv2d
    (zero padding, no dilation or groups). Init U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_in kH kW."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, int],
                 stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0, bias: bool = True, *,
                 rng: Rng = None, dtype: DTypeLike = np.float64) -> None:
        kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
        generator = np.random.default_rng(rng)
        shape = (out_channels, in_channels, kh, kw)
        fan_in = in_channels * kh * kw
        self.stride, self.padding = stride, padding
        self.weight = Parameter(init.kaiming_uniform(shape, a=math.sqrt(5), rng=generator), dtype=dtype)
        self.bias = _uniform(generator, 1 / math.sqrt(fan_in), (out_channels,), dtype) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return T.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)

    def extra_repr(self) -> str:
        c_out, c_in, kh, kw = self.weight.shape
        return f"{c_in}, {c_out}, kernel_size=({kh}, {kw}), stride={self.stride}, padding={self.padding}"


class MaxPool2d(Module):
    """The maximum of each kernel_size window (stride defaults to kernel_size), like torch.nn.MaxPool2d."""

    def __init__(self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> None:
        self.kernel_size, self.stride = kernel_size, stride

    def forward(self, x: Tensor) -> Tensor:
        return T.max_pool2d(x, self.kernel_size, self.stride)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}"


class AvgPool2d(MaxPool2d):
    """The mean of each kernel_size window, like torch.nn.AvgPool2d."""

    def forward(self, x: Tensor) -> Tensor:
        return T.avg_pool2d(x, self.kernel_size, self.stride)


class Flatten(Module):
    """Merge axes start_dim..end_dim into one: (N, C, H, W) -> (N, C H W) by default, like torch.nn.Flatten."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)


class ReLU(Module):
    """max(x, 0), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return T.relu(x)


class LeakyReLU(Module):
    """x for x > 0, negative_slope x otherwise."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return T.leaky_relu(x, negative_slope=self.negative_slope)


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return T.tanh(x)


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return T.sigmoid(x)


class GELU(Module):
    """x Phi(x) (exact, or approximate="tanh")."""

    def __init__(self, approximate: str = "none") -> None:
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return T.gelu(x, approximate=self.approximate)


class Softmax(Module):
    """Softmax along `dim` (probabilities; for training use logits with cross_entropy instead)."""

    def __init__(self, dim: int = -1) -> None:
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return T.softmax(x, axis=self.dim)


class Dropout(Module):
    """Inverted dropout: in training, zero each entry with probability p and scale the survivors by
    1/(1-p), so the expected activation is unchanged and evaluation needs no rescaling (identity in eval).
    Masks come from one Generator seeded by `rng`, so a seeded run is reproducible."""

    def __init__(self, p: float = 0.5, *, rng: Rng = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must lie in [0, 1], got {p}")
        self.p = p
        self.rng = np.random.default_rng(rng)

    def forward(self, x: Tensor) -> Tensor:
        return T.dropout(x, self.p, training=self.training, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class BatchNorm1d(Module):
    """Batch normalization of (N, C) or (N, C, L) inputs per channel, like torch.nn.BatchNorm1d.

    Training: normalize with the batch's mean and (biased) variance and update the running averages
    (momentum 0.1, unbiased variance); evaluation: normalize with the running averages. Then scale by
    `weight` (gamma, init 1) and shift by `bias` (beta, init 0).
    """

    _buffer_names = ("running_mean", "running_var", "num_batches_tracked")

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, *,
                 dtype: DTypeLike = np.float64) -> None:
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter(np.ones(num_features), dtype=dtype)
        self.bias = Parameter(np.zeros(num_features), dtype=dtype)
        self.running_mean = np.zeros(num_features, dtype=dtype)
        self.running_var = np.ones(num_features, dtype=dtype)
        self.num_batches_tracked = np.array(0, dtype=np.int64)

    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            self.num_batches_tracked += 1
        return T.batch_norm(x, self.weight, self.bias, self.running_mean, self.running_var,
                            training=self.training, momentum=self.momentum, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.weight.shape[0]}, eps={self.eps}, momentum={self.momentum}"


class LayerNorm(Module):
    """Layer normalization over the trailing `normalized_shape` axes of each example, like torch.nn.LayerNorm
    (no running statistics: the same computation in training and evaluation)."""

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5, *,
                 dtype: DTypeLike = np.float64) -> None:
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.weight = Parameter(np.ones(shape), dtype=dtype)
        self.bias = Parameter(np.zeros(shape), dtype=dtype)

    def forward(self, x: Tensor) -> Tensor:
        return T.layer_norm(x, self.weight, self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.weight.shape}, eps={self.eps}"


class Sequential(Module):
    """Modules applied one after the other; parameters are named by position ("0.weight"), as in torch."""

    def __init__(self, *layers: Module) -> None:
        self.layers = list(layers)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for i, layer in enumerate(self.layers):
            yield str(i), layer

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)
