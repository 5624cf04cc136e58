"""The deep-learning engine (aieng.lib.dl.tensor / nn / train) against torch.

Every Tensor op — the engine's own and those wired from the numpy pairs of activations, losses, conv, norm,
backprop and regularization — is run on random shapes (hypothesis draws a seed; shapes, broadcasting pairs
and values come from it) in float64 and float32, next to the same torch computation; outputs and the
gradients of every input (for one random output gradient) must agree to a relative 1e-10 (float64) or 1e-5
(float32) of the expected array's largest entry. The nn layers are compared with torch's layers holding the
same weights, in training and evaluation mode. Training: MLPs learn XOR and two moons, `fit` replays torch's
training step for step, and (slow) a small CNN learns sklearn's digits.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.datasets import load_digits, make_moons
from sklearn.model_selection import train_test_split

from aieng.grader.assertions import assert_close
from aieng.grader.torch_oracle import as_torch
from aieng.lib.dl import nn, optim
from aieng.lib.dl import tensor as T
from aieng.lib.dl.tensor import Tensor, no_grad, unbroadcast
from aieng.lib.dl.train import fit, plot_history

RTOL = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-5}
DTYPES = st.sampled_from([np.dtype(np.float64), np.dtype(np.float32)])
SEEDS = st.integers(0, 2**32 - 1)
CHECKS = settings(max_examples=25, deadline=None, derandomize=True, database=None)


def close(got: object, expected: object, dtype: np.dtype, what: str) -> None:
    """Relative error against the scale of the expected array (the largest |entry|, at least 1)."""
    expected = np.asarray(expected)
    rtol = RTOL[np.dtype(dtype)]
    assert got is not None, f"{what} is None"
    assert np.asarray(got).dtype == np.dtype(dtype), f"{what} has dtype {np.asarray(got).dtype}, expected {dtype}"
    assert_close(np.asarray(got), expected, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(expected), initial=0))),
                 what=what)


def broadcast_shapes(rng: np.random.Generator, count: int, max_dims: int = 3) -> list[tuple[int, ...]]:
    """`count` shapes that broadcast together: dropped leading axes and length-1 axes at random."""
    full = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(0, max_dims + 1)))
    return [tuple(1 if rng.random() < 0.35 else n for n in full[rng.integers(0, len(full) + 1):]) for _ in range(count)]


def random_shape(rng: np.random.Generator, min_dims: int = 0, max_dims: int = 4) -> tuple[int, ...]:
    return tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(min_dims, max_dims + 1)))


@dataclass(frozen=True)
class Case:
    """One op: `make(rng)` returns (float64 input arrays, extra); ours/theirs take (extra, *tensors)."""

    name: str
    make: Callable[[np.random.Generator], tuple[list[np.ndarray], object]]
    ours: Callable[..., Tensor]
    theirs: Callable[..., torch.Tensor]


def _pair(rng):
    return [rng.standard_normal(s) for s in broadcast_shapes(rng, 2)], None


def _one(rng, min_dims=0):
    return [rng.standard_normal(random_shape(rng, min_dims))], None


def _with_axis(rng):
    x = rng.standard_normal(random_shape(rng, 1))
    return [x], int(rng.integers(-x.ndim, x.ndim))


def _reduction(rng):
    x = rng.standard_normal(random_shape(rng, 1))
    kind = rng.integers(3)
    axis = None if kind == 0 else int(rng.integers(-x.ndim, x.ndim)) if kind == 1 else tuple(
        int(a) for a in rng.choice(x.ndim, size=rng.integers(1, x.ndim + 1), replace=False))
    return [x], (axis, bool(rng.integers(2)))


def _dims(x_ndim, axis):
    return tuple(range(x_ndim)) if axis is None else axis


def _matmul(rng):
    n, k, m, b, c = (int(v) for v in rng.integers(1, 5, size=5))
    shapes = [((n, k), (k, m)), ((b, n, k), (k, m)), ((n, k), (b, k, m)), ((b, 1, n, k), (c, k, m)),
              ((k,), (k, m)), ((n, k), (k,)), ((k,), (b, k, m)), ((k,), (k,))][rng.integers(8)]
    return [rng.standard_normal(s) for s in shapes], None


def _getitem(rng):
    x = rng.standard_normal(random_shape(rng, 2, 3))
    picks = rng.integers(0, x.shape[0], size=5)  # with repeats: np.add.at must add both shares
    index = [(slice(None, None, 2), 0), (picks,), (picks, slice(1, None)), (Ellipsis, None, -1),
             (picks, rng.integers(0, x.shape[1], size=5))][rng.integers(5)]
    return [x], index


def _labels(rng):
    n, c = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    return [rng.standard_normal((n, c)) * 3], (rng.integers(0, c, size=n), float(rng.choice([0.0, 0.1])))


def _targets(rng):
    z = rng.standard_normal(random_shape(rng, 1)) * 3
    return [z], rng.random(z.shape)


def _conv(rng):
    n, c_in, c_out, kh, kw = (int(v) for v in rng.integers(1, 4, size=5))
    stride, padding = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    h, w = (int(v) for v in rng.integers(max(kh, kw) + 1, 8, size=2))
    arrays = [rng.standard_normal((n, c_in, h, w)), rng.standard_normal((c_out, c_in, kh, kw)),
              rng.standard_normal(c_out)]
    return arrays, (stride, padding)


def _pool(rng):
    k, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    x = rng.standard_normal((*(int(v) for v in rng.integers(1, 3, 2)), *(int(v) for v in rng.integers(k, 8, 2))))
    return [x], (k, stride)


def _layer_norm(rng):
    """At least 2 normalized entries: over 1 entry x_hat is 0 and torch's float32 gradient is rounding noise
    amplified by 1/sqrt(eps)."""
    x = rng.standard_normal((*random_shape(rng, 0, 2), int(rng.integers(2, 5))))
    k = int(rng.integers(1, x.ndim + 1))
    return [x, rng.standard_normal(x.shape[x.ndim - k:]), rng.standard_normal(x.shape[x.ndim - k:])], None


def _batch_norm(rng):
    length = (int(rng.integers(1, 4)),) if rng.random() < 0.5 else ()
    shape = (int(rng.integers(2, 6)), int(rng.integers(1, 4)), *length)
    c = shape[1]
    stats_ = (rng.standard_normal(c), rng.random(c) + 0.5, bool(rng.integers(2)))
    return [rng.standard_normal(shape), rng.standard_normal(c), rng.standard_normal(c)], stats_


def _bn_ours(e, x, g, b):
    mean, var, training = e
    return T.batch_norm(x, g, b, mean.astype(x.dtype), var.astype(x.dtype), training=training)


def _bn_theirs(e, x, g, b):
    mean, var, training = e
    return F.batch_norm(x, as_torch(mean).to(x.dtype), as_torch(var).to(x.dtype), g, b, training=training)


def _permutation(rng):
    x = rng.standard_normal(random_shape(rng, 1))
    return [x], tuple(int(i) for i in rng.permutation(x.ndim))


def _positive(rng):
    return [np.abs(rng.standard_normal(random_shape(rng))) + 0.5], None


def _cell(rng, gates):
    n, d, h = (int(v) for v in rng.integers(1, 5, size=3))
    states = [rng.standard_normal((n, h)) for _ in range(2 if gates == 4 else 1)]
    params = [rng.standard_normal(s) * 0.5 for s in ((gates * h, d), (gates * h, h), (gates * h,), (gates * h,))]
    return [rng.standard_normal((n, d)), *states, *params], None


def _graph(rng):
    n = int(rng.integers(2, 7))
    upper = np.triu(rng.random((n, n)) < 0.5, 1)
    adjacency = (upper | upper.T).astype(float)
    degree = adjacency.sum(axis=1) + 1
    s = adjacency + np.eye(n)
    s = s / np.sqrt(np.outer(degree, degree))  # the dense GCN formula: D^-1/2 (A + I) D^-1/2
    return [rng.standard_normal((n, 3)), rng.standard_normal((4, 3)), rng.standard_normal(4)], (adjacency, s)


def _lstm_torch(e, x, h, c, w_ih, w_hh, b_ih, b_hh):
    h2, c2 = torch._VF.lstm_cell(x, (h, c), w_ih, w_hh, b_ih, b_hh)
    return torch.cat([h2, c2], dim=1)


CASES = [
    Case("add", _pair, lambda e, a, b: a + b, lambda e, a, b: a + b),
    Case("sub", _pair, lambda e, a, b: a - b, lambda e, a, b: a - b),
    Case("mul", _pair, lambda e, a, b: a * b, lambda e, a, b: a * b),
    Case("div", lambda r: ([r.standard_normal(s) + 3 * (i == 1) for i, s in enumerate(broadcast_shapes(r, 2))], None),
         lambda e, a, b: a / b, lambda e, a, b: a / b),
    Case("neg and numbers", _one, lambda e, a: (2 - a) * 3 + 1 / (a * a + 1) - -a,
         lambda e, a: (2 - a) * 3 + 1 / (a * a + 1) - -a),
    Case("pow (number)", _positive, lambda e, a: a**2.5 + a**-1 + a**3, lambda e, a: a**2.5 + a**-1 + a**3),
    Case("pow (tensor)", lambda r: ([np.abs(r.standard_normal(s)) + 0.5 for s in broadcast_shapes(r, 2)], None),
         lambda e, a, b: a**b, lambda e, a, b: a**b),
    Case("matmul", _matmul, lambda e, a, b: a @ b, lambda e, a, b: a @ b),
    Case("exp", _one, lambda e, a: a.exp(), lambda e, a: a.exp()),
    Case("log", _positive, lambda e, a: a.log(), lambda e, a: a.log()),
    Case("sqrt", _positive, lambda e, a: a.sqrt(), lambda e, a: a.sqrt()),
    Case("sum", _reduction, lambda e, a: a.sum(axis=e[0], keepdims=e[1]),
         lambda e, a: a.sum(dim=_dims(a.ndim, e[0]), keepdim=e[1])),
    Case("mean", _reduction, lambda e, a: a.mean(axis=e[0], keepdims=e[1]),
         lambda e, a: a.mean(dim=_dims(a.ndim, e[0]), keepdim=e[1])),
    Case("max", _reduction, lambda e, a: a.max(axis=e[0], keepdims=e[1]),
         lambda e, a: a.amax(dim=_dims(a.ndim, e[0]), keepdim=e[1])),
    Case("reshape", lambda r: _one(r), lambda e, a: a.reshape(-1, 1), lambda e, a: a.reshape(-1, 1)),
    Case("flatten", lambda r: _one(r, 2), lambda e, a: a.flatten(1), lambda e, a: a.flatten(1)),
    Case("transpose", _permutation, lambda e, a: a.transpose(*e), lambda e, a: a.permute(*e)),
    Case("T and swapaxes", lambda r: _one(r, 2), lambda e, a: a.T.swapaxes(0, -1), lambda e, a: a.permute(
        *reversed(range(a.ndim))).transpose(0, -1)),
    Case("getitem", _getitem, lambda e, a: a[e], lambda e, a: a[tuple(torch.as_tensor(i) if isinstance(i, np.ndarray)
                                                                     else i for i in e)]),
    Case("concat", lambda r: ([r.standard_normal((2, n, 3)) for n in r.integers(1, 4, 3)], None),
         lambda e, *xs: T.concat(xs, axis=1), lambda e, *xs: torch.cat(xs, dim=1)),
    Case("stack", lambda r: ([r.standard_normal((2, 3)) for _ in range(3)], int(r.integers(-3, 3))),
         lambda e, *xs: T.stack(xs, axis=e), lambda e, *xs: torch.stack(xs, dim=e)),
    Case("relu", _one, lambda e, a: T.relu(a), lambda e, a: F.relu(a)),
    Case("sigmoid", _one, lambda e, a: a.sigmoid(), lambda e, a: torch.sigmoid(a)),
    Case("tanh", _one, lambda e, a: a.tanh(), lambda e, a: torch.tanh(a)),
    Case("leaky_relu", _one, lambda e, a: T.leaky_relu(a, negative_slope=0.2), lambda e, a: F.leaky_relu(a, 0.2)),
    Case("gelu", _one, lambda e, a: T.gelu(a), lambda e, a: F.gelu(a)),
    Case("gelu (tanh)", _one, lambda e, a: a.gelu(approximate="tanh"), lambda e, a: F.gelu(a, approximate="tanh")),
    Case("softmax", _with_axis, lambda e, a: T.softmax(a, axis=e), lambda e, a: F.softmax(a, dim=e)),
    Case("log_softmax", _with_axis, lambda e, a: a.log_softmax(axis=e), lambda e, a: F.log_softmax(a, dim=e)),
    Case("mse_loss", _targets, lambda e, z: T.mse_loss(z, e.astype(z.dtype)),
         lambda e, z: F.mse_loss(z, as_torch(e).to(z.dtype))),
    Case("binary_cross_entropy_with_logits", _targets,
         lambda e, z: T.binary_cross_entropy_with_logits(z, e.astype(z.dtype)),
         lambda e, z: F.binary_cross_entropy_with_logits(z, as_torch(e).to(z.dtype))),
    Case("cross_entropy", _labels, lambda e, z: T.cross_entropy(z, e[0], label_smoothing=e[1]),
         lambda e, z: F.cross_entropy(z, as_torch(e[0]), label_smoothing=e[1])),
    Case("linear", lambda r: ([r.standard_normal(s) for s in ((4, 3), (2, 3), (2,))], None),
         lambda e, x, w, b: T.linear(x, w, b), lambda e, x, w, b: F.linear(x, w, b)),
    Case("linear (3-D input)", lambda r: ([r.standard_normal(s) for s in ((2, 4, 3), (5, 3), (5,))], None),
         lambda e, x, w, b: T.linear(x, w, b), lambda e, x, w, b: F.linear(x, w, b)),
    Case("conv2d", _conv, lambda e, x, w, b: T.conv2d(x, w, b, stride=e[0], padding=e[1]),
         lambda e, x, w, b: F.conv2d(x, w, b, stride=e[0], padding=e[1])),
    Case("max_pool2d", _pool, lambda e, x: T.max_pool2d(x, e[0], e[1]), lambda e, x: F.max_pool2d(x, e[0], e[1])),
    Case("avg_pool2d", _pool, lambda e, x: T.avg_pool2d(x, e[0], e[1]), lambda e, x: F.avg_pool2d(x, e[0], e[1])),
    Case("layer_norm", _layer_norm, lambda e, x, g, b: T.layer_norm(x, g, b),
         lambda e, x, g, b: F.layer_norm(x, g.shape, g, b)),
    Case("batch_norm", _batch_norm, _bn_ours, _bn_theirs),
    Case("rnn_cell", lambda r: _cell(r, 1), lambda e, *a: T.rnn_cell(*a), lambda e, *a: torch.rnn_tanh_cell(*a)),
    Case("gru_cell", lambda r: _cell(r, 3), lambda e, *a: T.gru_cell(*a), lambda e, *a: torch.gru_cell(*a)),
    Case("lstm_cell", lambda r: _cell(r, 4), lambda e, *a: T.concat(T.lstm_cell(*a), axis=1), _lstm_torch),
    Case("gcn_layer", _graph, lambda e, x, w, b: T.gcn_layer(x, e[0], w, b),
         lambda e, x, w, b: torch.relu(as_torch(e[1]).to(x.dtype) @ x @ w.T + b)),
]


def _torch_run(case: Case, arrays: list[np.ndarray], extra: object, g: np.ndarray) -> list[np.ndarray]:
    """torch's output and input gradients (numpy), in the dtype of `arrays`."""
    t_in = [as_torch(a, requires_grad=True) for a in arrays]
    t_out = case.theirs(extra, *t_in)
    t_out.backward(as_torch(g.astype(arrays[0].dtype)))
    return [t_out.detach().numpy()] + [t.grad.numpy() for t in t_in]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@CHECKS
@given(seed=SEEDS, dtype=DTYPES)
def test_op_matches_torch(case: Case, seed: int, dtype: np.dtype) -> None:
    """Forward value and the gradient of every input equal torch's, for one random output gradient.

    float32 on an ill-conditioned input (layer norm of two nearly equal numbers: 1/sqrt(var + eps) amplifies
    rounding) can put torch's own float32 answer 1e-4 away from the exact one; a mismatch with torch then
    passes only if ours is at least as close as torch's to the float64 answer (torch in float64)."""
    rng = np.random.default_rng(seed)
    arrays, extra = case.make(rng)
    with torch.no_grad():
        out_shape = case.theirs(extra, *(as_torch(a) for a in arrays)).shape
    g = rng.standard_normal(tuple(out_shape))
    expected = _torch_run(case, [a.astype(dtype) for a in arrays], extra, g)
    ours = [Tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    out = case.ours(extra, *ours)
    out.backward(g.astype(dtype))
    got = [out.data] + [t.grad for t in ours]
    names = ["output"] + [f"gradient of input {i}" for i in range(len(ours))]
    truth = _torch_run(case, arrays, extra, g) if dtype == np.float32 else expected
    for mine, theirs, exact, name in zip(got, expected, truth, names, strict=True):
        what = f"{case.name} {[a.shape for a in arrays]} {extra}: {name}"
        try:
            close(mine, theirs, dtype, what)
        except AssertionError:
            if dtype != np.float32:
                raise
            ours_error = np.max(np.abs(np.asarray(mine, dtype=np.float64) - exact), initial=0.0)
            torch_error = np.max(np.abs(theirs.astype(np.float64) - exact), initial=0.0)
            assert ours_error <= 2 * torch_error, f"{what}: float32 error {ours_error:.3g} vs torch's {torch_error:.3g}"


@CHECKS
@given(seed=SEEDS, dtype=DTYPES)
def test_unbroadcast_matches_torch_expand(seed: int, dtype: np.dtype) -> None:
    """unbroadcast(g, shape) is the gradient of a tensor of `shape` broadcast to g's shape."""
    rng = np.random.default_rng(seed)
    small, other = broadcast_shapes(rng, 2)
    big = np.broadcast_shapes(small, other)
    g = rng.standard_normal(big).astype(dtype)
    t = as_torch(rng.standard_normal(small).astype(dtype), requires_grad=True)
    torch.broadcast_to(t, big).backward(as_torch(g))
    close(unbroadcast(g, small), t.grad.numpy(), dtype, f"unbroadcast to {small}")


def test_dropout_scales_survivors_and_routes_gradient_through_the_mask() -> None:
    """Inverted dropout: survivors times 1/(1-p), the rest 0; the gradient is the output gradient times the same
    mask (torch given that mask); in eval mode it is the identity. The dropped fraction of 20000 entries is within
    5 standard errors of p (false-failure probability below 1e-6; the seed is fixed anyway)."""
    x = np.random.default_rng(0).standard_normal((100, 200))
    t = Tensor(x.copy(), requires_grad=True)
    y = T.dropout(t, 0.3, rng=1)
    mask = y.data / x
    assert set(np.round(np.unique(mask), 12)) <= {0.0, round(1 / 0.7, 12)}
    assert abs(np.mean(mask == 0) - 0.3) < 5 * np.sqrt(0.3 * 0.7 / x.size)
    g = np.random.default_rng(2).standard_normal(x.shape)
    y.backward(g)
    tx = as_torch(x, requires_grad=True)
    (tx * as_torch(mask)).backward(as_torch(g))
    close(t.grad, tx.grad.numpy(), np.dtype(np.float64), "dropout gradient")
    layer = nn.Dropout(0.5, rng=0).eval()
    assert np.array_equal(layer(Tensor(x)).data, x)


def test_no_grad_and_graph_rules() -> None:
    """no_grad records nothing; backward needs a seed for non-scalars and a graph; retain_grad keeps an
    intermediate gradient; float32 stays float32 through ops with Python numbers; leaves accumulate."""
    w = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    with no_grad():
        y = w * 2.0
    assert not y.requires_grad and y.is_leaf
    with pytest.raises(ValueError):
        y.backward()
    z = (w * 2.0).retain_grad()
    assert z.dtype == np.float32
    with pytest.raises(ValueError):
        z.backward()
    with pytest.raises(ValueError):
        z.backward(np.ones(4))
    (z * z).sum().backward()
    assert_close(z.grad, 4 * np.ones(3), what="retained gradient of z = 2w in sum(z^2)")
    assert w.grad.dtype == np.float32
    (w * 1.0).sum().backward()
    assert_close(w.grad, 8 * np.ones(3) + 1, what="w.grad accumulated over two backward passes")


def test_deep_graph_backward_is_iterative() -> None:
    """A 5000-op chain back-propagates (no recursion)."""
    x = Tensor(np.array(1.0), requires_grad=True)
    y = x
    for _ in range(2500):
        y = y * 1.0 + 1.0
    y.backward()
    assert_close(x.grad, 1.0, what="dy/dx")


# ---------------------------------------------------------------------------------------------- layers


def _twin(ours: nn.Module, theirs: torch.nn.Module, dtype: np.dtype) -> torch.nn.Module:
    theirs = theirs.to(torch.float64 if dtype == np.float64 else torch.float32)
    return nn.copy_state_to_torch(ours, theirs)


def _compare_layer(ours: nn.Module, theirs: torch.nn.Module, x: np.ndarray, dtype: np.dtype, what: str) -> None:
    """Forward, input gradient, parameter gradients and buffers equal torch's."""
    g = np.random.default_rng(1).standard_normal
    t_x = as_torch(x, requires_grad=True)
    t_out = theirs(t_x)
    grad = g(t_out.shape).astype(dtype)
    t_out.backward(as_torch(grad))
    x_ours = Tensor(x.copy(), requires_grad=True)
    out = ours(x_ours)
    out.backward(grad)
    close(out.data, t_out.detach().numpy(), dtype, f"{what}: output")
    close(x_ours.grad, t_x.grad.numpy(), dtype, f"{what}: input gradient")
    torch_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        close(p.grad, torch_params[name].grad.numpy(), dtype, f"{what}: gradient of {name}")
    torch_state = theirs.state_dict()
    for name, b in ours.named_buffers():
        assert_close(b, torch_state[name].numpy(), rtol=RTOL[np.dtype(dtype)], what=f"{what}: buffer {name}")


@CHECKS
@given(seed=SEEDS, dtype=DTYPES)
def test_linear_matches_torch(seed: int, dtype: np.dtype) -> None:
    """nn.Linear with torch.nn.Linear's weights: same output and gradients, with and without bias."""
    rng = np.random.default_rng(seed)
    n, i, o = (int(v) for v in rng.integers(1, 6, size=3))
    bias = bool(rng.integers(2))
    ours = nn.Linear(i, o, bias=bias, rng=seed, dtype=dtype)
    theirs = _twin(ours, torch.nn.Linear(i, o, bias=bias), dtype)
    _compare_layer(ours, theirs, rng.standard_normal((n, i)).astype(dtype), dtype, f"Linear({i}, {o}, bias={bias})")


@CHECKS
@given(seed=SEEDS, dtype=DTYPES)
def test_conv2d_and_pooling_layers_match_torch(seed: int, dtype: np.dtype) -> None:
    """Conv2d (stride, padding) followed by MaxPool2d, with torch's layers holding the same weights."""
    rng = np.random.default_rng(seed)
    c_in, c_out, k = (int(v) for v in rng.integers(1, 4, size=3))
    stride, padding = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    ours = nn.Sequential(nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, rng=seed, dtype=dtype),
                         nn.MaxPool2d(2), nn.Flatten())
    theirs = _twin(ours, torch.nn.Sequential(torch.nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding),
                                             torch.nn.MaxPool2d(2), torch.nn.Flatten()), dtype)
    x = rng.standard_normal((2, c_in, 7, 8)).astype(dtype)
    _compare_layer(ours, theirs, x, dtype, f"Conv2d({c_in}, {c_out}, {k}, stride={stride}, padding={padding}) + pool")


@pytest.mark.parametrize("shape", [(6, 4), (5, 3, 4)], ids=["(N, C)", "(N, C, L)"])
@pytest.mark.parametrize("dtype", [np.dtype(np.float64), np.dtype(np.float32)], ids=str)
def test_batchnorm1d_train_then_eval_matches_torch(shape: tuple[int, ...], dtype: np.dtype) -> None:
    """BatchNorm1d: three training steps (batch statistics, running averages updated, counter) and then eval
    mode (running statistics) give torch's outputs, gradients and buffers."""
    ours = nn.BatchNorm1d(shape[1], dtype=dtype)
    ours.weight.data[:] = np.linspace(0.5, 2.0, shape[1])
    theirs = _twin(ours, torch.nn.BatchNorm1d(shape[1]), dtype)
    rng = np.random.default_rng(0)
    for step in range(3):
        ours.zero_grad()
        theirs.zero_grad()
        x = (rng.standard_normal(shape) * 2 + 1).astype(dtype)
        _compare_layer(ours, theirs, x, dtype, f"BatchNorm1d training step {step}")
    assert int(ours.num_batches_tracked) == 3
    ours.eval()
    theirs.eval()
    ours.zero_grad()
    theirs.zero_grad()
    _compare_layer(ours, theirs, rng.standard_normal(shape).astype(dtype), dtype, "BatchNorm1d eval")


@pytest.mark.parametrize("dtype", [np.dtype(np.float64), np.dtype(np.float32)], ids=str)
def test_layernorm_and_activation_layers_match_torch(dtype: np.dtype) -> None:
    """LayerNorm (same in train and eval) inside a Sequential with GELU, Tanh, Sigmoid, LeakyReLU, ReLU."""
    ours = nn.Sequential(nn.Linear(5, 6, rng=0, dtype=dtype), nn.LayerNorm(6, dtype=dtype), nn.GELU(), nn.Tanh(),
                         nn.Linear(6, 4, rng=1, dtype=dtype), nn.Sigmoid(), nn.LeakyReLU(0.1), nn.ReLU())
    ours[1].weight.data[:] = np.linspace(-1, 2, 6)
    theirs = _twin(ours, torch.nn.Sequential(torch.nn.Linear(5, 6), torch.nn.LayerNorm(6), torch.nn.GELU(),
                                             torch.nn.Tanh(), torch.nn.Linear(6, 4), torch.nn.Sigmoid(),
                                             torch.nn.LeakyReLU(0.1), torch.nn.ReLU()), dtype)
    x = np.random.default_rng(3).standard_normal((7, 5)).astype(dtype)
    _compare_layer(ours, theirs, x, dtype, "Linear-LayerNorm-GELU-Tanh-Linear-Sigmoid-LeakyReLU-ReLU")
    ours.eval()
    assert_close(ours(Tensor(x)).data, theirs.eval()(as_torch(x)).detach().numpy(), rtol=RTOL[np.dtype(dtype)],
                 atol=RTOL[np.dtype(dtype)], what="the same model in eval mode")


def test_state_is_copied_both_ways_with_torch_names() -> None:
    """Parameter and buffer names follow torch's state_dict ("0.weight", "1.running_mean", ...), and weights
    copied from a torch model make the engine model compute torch's output."""
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2)).double()
    ours = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    nn.load_state_from_torch(ours, theirs)
    x = np.random.default_rng(0).standard_normal((5, 3))
    assert_close(ours.eval()(Tensor(x)).data, theirs.eval()(as_torch(x)).detach().numpy(), rtol=1e-12,
                 what="output after load_state_from_torch")
    assert len(list(ours.parameters())) == 6
    with pytest.raises(ValueError):
        ours.load_state_dict({"0.weight": np.zeros((4, 3))})


def test_linear_init_is_torch_default_uniform() -> None:
    """Linear and Conv2d weights and biases are uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)] (torch's default):
    a Kolmogorov-Smirnov test against that uniform (p > 1e-4 for the fixed seed; a false failure would need a
    1-in-10^4 draw), and seeded layers are reproducible."""
    layer = nn.Linear(50, 400, rng=0)
    bound = 1 / np.sqrt(50)
    for p in (layer.weight.data.ravel(), layer.bias.data):
        assert stats.kstest(p, stats.uniform(-bound, 2 * bound).cdf).pvalue > 1e-4
    conv = nn.Conv2d(3, 20, 3, rng=1)
    assert np.abs(conv.weight.data).max() <= 1 / np.sqrt(27)
    assert np.array_equal(nn.Linear(4, 3, rng=5).weight.data, nn.Linear(4, 3, rng=5).weight.data)


# ---------------------------------------------------------------------------------------------- training


def _mlp(sizes: list[int], seed: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers += [nn.Linear(a, b, rng=seed + i), nn.Tanh()]
    return nn.Sequential(*layers[:-1])


def test_mlp_learns_xor() -> None:
    """A 2-8-2 MLP trained with Adam classifies the four XOR points."""
    X, y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])
    model = _mlp([2, 8, 2], seed=0)
    history = fit(model, T.cross_entropy, optim.Adam(model.parameters(), lr=0.05), X, y, epochs=150, batch_size=4,
                  seed=0, progress=False)
    assert history["accuracy"][-1] == 1.0
    with no_grad():
        assert np.array_equal(model(Tensor(X)).data.argmax(axis=1), y)


def test_mlp_learns_two_moons_and_fit_replays_torch(tmp_path) -> None:
    """fit's first epochs equal torch's replay of the same batches (loss, accuracy, weights to 1e-9); after 40
    epochs the MLP classifies at least 97% of 150 held-out two-moons points; plot_history draws the curves."""
    X, y = make_moons(n_samples=600, noise=0.15, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    model = _mlp([2, 32, 32, 2], seed=0)
    twin = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32), torch.nn.Tanh(),
                               torch.nn.Linear(32, 2)).double()
    nn.copy_state_to_torch(model, twin)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = fit(model, T.cross_entropy, opt, X_train, y_train, epochs=2, batch_size=32, seed=0, progress=False)
    rng, losses = np.random.default_rng(0), []
    params, buffers = list(twin.parameters()), [None] * 6  # torch.optim.SGD's update by hand (its import is slow)
    for _ in range(2):
        order, batch_losses = rng.permutation(len(X_train)), []
        for start in range(0, len(X_train), 32):
            idx = order[start:start + 32]
            loss = F.cross_entropy(twin(as_torch(X_train[idx])), as_torch(y_train[idx]))
            loss.backward()
            with torch.no_grad():
                for i, p in enumerate(params):
                    buffers[i] = p.grad.clone() if buffers[i] is None else 0.9 * buffers[i] + p.grad
                    p -= 0.1 * buffers[i]
                    p.grad = None
            batch_losses.append(loss.item())
        losses.append(np.mean(batch_losses))
    assert_close(history["loss"], losses, rtol=1e-9, what="per-epoch loss vs torch")
    for p, q in zip(model.parameters(), twin.parameters(), strict=True):
        assert_close(p.data, q.detach().numpy(), rtol=1e-9, atol=1e-12, what="weights after 2 epochs vs torch")
    history = fit(model, T.cross_entropy, opt, X_train, y_train, epochs=38, batch_size=32, seed=1, progress=False,
                  X_val=X_test, y_val=y_test)
    with no_grad():
        score = np.mean(model(Tensor(X_test)).data.argmax(axis=1) == y_test)
    assert score >= 0.97
    assert history["val_accuracy"][-1] == score
    fig = plot_history(history, tmp_path / "moons.png")
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    assert list(fig.axes[0].lines[1].get_ydata()) == history["val_loss"]
    assert (tmp_path / "moons.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_small_cnn_learns_digits() -> None:
    """conv 3x3 (8 channels) -> ReLU -> 2x2 max-pool -> linear on sklearn's 8x8 digits reaches at least 95% accuracy
    on a stratified 25% held-out split after 10 epochs of Adam (about 2 s)."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).reshape(-1, 1, 8, 8)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(8 * 4 * 4, 10, rng=1))
    fit(model, T.cross_entropy, optim.Adam(model.parameters(), lr=0.01), X_train, y_train, epochs=10, batch_size=32,
        seed=0, progress=False)
    with no_grad():
        score = np.mean(model.eval()(Tensor(X_test)).data.argmax(axis=1) == y_test)
    assert score >= 0.95, f"held-out accuracy {score:.3f}"
