"""PyTorch as the oracle of the deep-learning exercises: run the same computation in torch, in the dtype of
the numpy inputs, and get its output and its gradients back as numpy arrays.

    out, (grad_x, grad_w) = value_and_grads(lambda x, w: torch.tanh(x @ w), x, w)

Gradients are those of sum(out * grad_output) (grad_output defaults to ones), i.e. the vector-Jacobian
product a backward pass computes. Tolerances by dtype follow the issue: float64 to 1e-10 relative, float32
to 1e-5. Torch runs on one thread here: graded checks are small, and a shared machine's busy cores make
multi-threaded small ops slower, not faster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from aieng.grader.assertions import assert_close

torch.set_num_threads(1)

RTOL = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-5}
ATOL = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 1e-6}


def as_torch(array: np.ndarray | float, requires_grad: bool = False) -> torch.Tensor:
    """A torch tensor holding a copy of `array`, same dtype (float64 stays float64)."""
    return torch.tensor(np.array(array), requires_grad=requires_grad)


def value_and_grads(fn: Callable[..., torch.Tensor], *arrays: np.ndarray,
                    grad_output: np.ndarray | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """torch's `fn(*arrays)` and the gradient of sum(fn(...) * grad_output) with respect to each input."""
    inputs = [as_torch(a, requires_grad=True) for a in arrays]
    out = fn(*inputs)
    seed = torch.ones_like(out) if grad_output is None else as_torch(grad_output).to(out.dtype)
    grads = torch.autograd.grad(out, inputs, grad_outputs=seed, allow_unused=True)
    return (out.detach().numpy(),
            [np.zeros_like(np.asarray(a)) if g is None else g.numpy() for a, g in zip(arrays, grads, strict=True)])


def assert_matches_torch(got: object, expected: np.ndarray, what: str, dtype: np.dtype | None = None,
                         scale: float = 1.0) -> None:
    """Compare with the dtype's tolerance (`scale` widens it for long computations, e.g. 20 optimizer steps)."""
    kind = np.dtype(dtype) if dtype is not None else np.asarray(expected).dtype
    kind = kind if kind in RTOL else np.dtype(np.float64)
    assert_close(got, expected, rtol=scale * RTOL[kind], atol=scale * ATOL[kind], what=what)


def assert_grads_match(got: Sequence[object], expected: Sequence[np.ndarray], names: Sequence[str],
                       dtype: np.dtype | None = None, scale: float = 1.0) -> None:
    """Each gradient against torch's, named ('dL/dx', 'dL/dw', ...) in the failure message."""
    if len(got) != len(expected):
        raise AssertionError(f"expected {len(expected)} gradients ({', '.join(names)}), got {len(got)}")
    for g, e, name in zip(got, expected, names, strict=True):
        assert_matches_torch(g, e, name, dtype=dtype, scale=scale)
