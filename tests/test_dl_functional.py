"""aieng.lib.dl's functional ops (activations, losses, the hand-written MLP, the perceptron) against torch.

Every op's forward value and its backward (a vector-Jacobian product with a random upstream gradient) are
compared with torch.nn.functional and torch.autograd on hypothesis arrays of random shapes, in float64 to
1e-10 and float32 to 1e-5 relative (aieng.grader.torch_oracle's tolerances), plus extreme inputs.

float32 results are held to the float32 tolerance against torch run in float64 on the same (float32)
numbers, i.e. against the exact answer: torch's own float32 result is not always that close (its
tanh-GELU gradient near x = -5 is off by ~1e-6, because 1 - tanh^2 rounds to 0 there).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_close
from aieng.grader.torch_oracle import assert_grads_match, assert_matches_torch, value_and_grads
from aieng.lib.dl import activations as act
from aieng.lib.dl import backprop, losses
from aieng.lib.dl.perceptron import Perceptron, xor_network

DTYPES = [np.float64, np.float32]
EXAMPLES = settings(max_examples=30, deadline=None, derandomize=True)  # reproducible; torch calls are slow at first

ELEMENTWISE = {
    "sigmoid": (act.sigmoid, act.sigmoid_backward, torch.sigmoid, {}),
    "tanh": (act.tanh, act.tanh_backward, torch.tanh, {}),
    "relu": (act.relu, act.relu_backward, F.relu, {}),
    "leaky_relu": (act.leaky_relu, act.leaky_relu_backward, F.leaky_relu, {}),
    "leaky_relu_0.2": (act.leaky_relu, act.leaky_relu_backward, F.leaky_relu, {"negative_slope": 0.2}),
    "gelu": (act.gelu, act.gelu_backward, F.gelu, {}),
    "gelu_tanh": (act.gelu, act.gelu_backward, F.gelu, {"approximate": "tanh"}),
}
ALONG_AXIS = {
    "softmax": (act.softmax, act.softmax_backward, F.softmax),
    "log_softmax": (act.log_softmax, act.log_softmax_backward, F.log_softmax),
}


def arrays_of(dtype: type, low: float = -30.0, high: float = 30.0, min_dims: int = 1,
              max_dims: int = 3) -> st.SearchStrategy:
    """Arrays of min_dims to max_dims dimensions (sides 1..6), entries in [low, high], exact in dtype."""
    width = 32 if dtype == np.float32 else 64
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=width)
    shapes = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=6)
    return hnp.arrays(dtype, shapes, elements=elements)


def oracle(torch_fn, *arrays: np.ndarray, grad_output: np.ndarray | None = None):
    """torch's value and gradients, computed in float64 from the given (maybe float32) numbers."""
    wide = [np.asarray(a, dtype=np.float64) if np.asarray(a).dtype.kind == "f" else a for a in arrays]
    seed = None if grad_output is None else grad_output.astype(np.float64)
    return value_and_grads(torch_fn, *wide, grad_output=seed)


def upstream(x: np.ndarray, seed: int) -> np.ndarray:
    """A random upstream gradient dL/dy of the shape and dtype of x."""
    return np.random.default_rng(seed).standard_normal(x.shape).astype(x.dtype)


# ----------------------------------------------------------------------------- activations


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
@EXAMPLES
@given(data=st.data())
def test_elementwise_activation_matches_torch(name, dtype, data):
    """Forward and vector-Jacobian product of each elementwise activation equal torch's."""
    forward, backward, torch_fn, options = ELEMENTWISE[name]
    x = data.draw(arrays_of(dtype), label="x")
    grad = upstream(x, data.draw(st.integers(0, 2**32 - 1), label="seed"))
    out, (grad_x,) = oracle(lambda t: torch_fn(t, **options), x, grad_output=grad)
    y = forward(x, **options)
    assert y.dtype == x.dtype and y.shape == x.shape
    assert_matches_torch(y, out, f"{name}(x)", dtype=dtype)
    got = backward(x, grad, **options)
    assert got.dtype == x.dtype
    assert_grads_match([got], [grad_x], [f"d{name}/dx"], dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(ALONG_AXIS))
@EXAMPLES
@given(data=st.data())
def test_softmax_family_matches_torch_on_every_axis(name, dtype, data):
    """softmax / log_softmax and their backward equal torch's along any axis, logits up to +-1e3."""
    forward, backward, torch_fn = ALONG_AXIS[name]
    x = data.draw(arrays_of(dtype, -1e3, 1e3), label="x")
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    grad = upstream(x, data.draw(st.integers(0, 2**32 - 1), label="seed"))
    out, (grad_x,) = oracle(lambda t: torch_fn(t, dim=axis), x, grad_output=grad)
    assert_matches_torch(forward(x, axis=axis), out, f"{name}(x, axis={axis})", dtype=dtype)
    assert_grads_match([backward(x, grad, axis=axis)], [grad_x], [f"d{name}/dx"], dtype=dtype)


@pytest.mark.parametrize("name", list(ELEMENTWISE) + list(ALONG_AXIS))
def test_extreme_inputs_stay_finite_and_match_torch(name):
    """At +-1000, 0 and the tiny numbers around the kinks, values and gradients are finite and equal torch's."""
    x = np.array([-1000.0, -700.0, -40.0, -1e-300, -0.0, 0.0, 1e-300, 40.0, 700.0, 1000.0])
    grad = upstream(x, 0)
    if name in ALONG_AXIS:
        forward, backward, torch_fn = ALONG_AXIS[name]
        options, torch_options = {"axis": -1}, {"dim": -1}
    else:
        forward, backward, torch_fn, options = ELEMENTWISE[name]
        torch_options = options
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):  # underflow to 0 is fine
        y, got = forward(x, **options), backward(x, grad, **options)
    out, (grad_x,) = value_and_grads(lambda t: torch_fn(t, **torch_options), x, grad_output=grad)
    assert np.isfinite(y).all() and np.isfinite(got).all()
    assert_matches_torch(y, out, f"{name}(x)")
    assert_grads_match([got], [grad_x], [f"d{name}/dx"])


def test_kink_conventions_follow_torch():
    """relu'(0) = 0 and leaky_relu'(0) = negative_slope, as torch defines them."""
    zero, one = np.zeros(1), np.ones(1)
    assert act.relu_backward(zero, one)[0] == 0.0
    assert act.leaky_relu_backward(zero, one, negative_slope=0.3)[0] == pytest.approx(0.3)


def test_integer_input_becomes_float64_and_bad_options_raise():
    """Integer arrays are promoted to float64; a mismatched grad, a bad approximate or strings raise ValueError."""
    assert act.relu(np.array([1, -2])).dtype == np.float64
    with pytest.raises(ValueError):
        act.sigmoid_backward(np.ones(3), np.ones(2))
    with pytest.raises(ValueError):
        act.gelu(np.ones(3), approximate="erf")
    with pytest.raises(ValueError):
        act.tanh(np.array(["a"]))
    with pytest.raises(ValueError):
        act.softmax(np.ones((2, 2)), axis=2)


def test_softmax_of_empty_axis_is_empty():
    """A batch with no classes gives an empty result, like torch, not an error from max()."""
    assert act.softmax(np.zeros((3, 0))).shape == (3, 0)
    assert act.log_softmax(np.zeros((0, 4))).shape == (0, 4)


# ----------------------------------------------------------------------------- losses


def _finite(dtype: type, low: float, high: float) -> st.SearchStrategy:
    width = 32 if dtype == np.float32 else 64
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=width)


@pytest.mark.parametrize("dtype", DTYPES)
@EXAMPLES
@given(data=st.data())
def test_mse_loss_matches_torch(dtype, data):
    """mse_loss and its gradient (of the mean) equal torch.nn.functional.mse_loss on any shape."""
    pred = data.draw(arrays_of(dtype, -100, 100), label="pred")
    target = data.draw(hnp.arrays(dtype, pred.shape, elements=_finite(dtype, -100, 100)), label="target")
    scale = data.draw(st.sampled_from([1.0, -2.5]), label="grad")
    out, (grad_pred, _) = oracle(lambda p, t: scale * F.mse_loss(p, t), pred, target)
    assert_matches_torch(losses.mse_loss(pred, target), out / scale, "mse_loss", dtype=dtype)
    got = losses.mse_loss_backward(pred, target, grad=scale)
    assert got.dtype == pred.dtype
    assert_grads_match([got], [grad_pred], ["dL/dpred"], dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@EXAMPLES
@given(data=st.data())
def test_bce_with_logits_matches_torch(dtype, data):
    """binary_cross_entropy_with_logits and its gradient equal torch's, for logits up to +-1e3 and soft targets."""
    logits = data.draw(arrays_of(dtype, -1e3, 1e3), label="logits")
    hard = data.draw(st.booleans(), label="hard labels")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)
    targets = (rng.integers(0, 2, logits.shape) if hard else rng.uniform(0, 1, logits.shape)).astype(dtype)
    out, (grad_z, _) = oracle(F.binary_cross_entropy_with_logits, logits, targets)
    # torch sums log(1 + exp(-|z|)) with log, not log1p: it rounds terms below 1e-16 to 0; atol covers that
    assert_matches_torch(losses.binary_cross_entropy_with_logits(logits, targets), out, "bce", dtype=dtype)
    assert_grads_match([losses.binary_cross_entropy_with_logits_backward(logits, targets)], [grad_z], ["dL/dz"],
                       dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@EXAMPLES
@given(data=st.data())
def test_cross_entropy_matches_torch(dtype, data):
    """cross_entropy and its gradient equal torch's for (N, C) logits up to +-1e3, with and without label smoothing."""
    logits = data.draw(arrays_of(dtype, -1e3, 1e3, min_dims=2, max_dims=2), label="logits")
    n, c = logits.shape
    labels = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed")).integers(0, c, n)
    eps = data.draw(st.sampled_from([0.0, 0.1, 1.0]), label="label_smoothing")
    out, (grad_z,) = oracle(
        lambda z: F.cross_entropy(z, torch.as_tensor(labels), label_smoothing=eps), logits)
    assert_matches_torch(losses.cross_entropy(logits, labels, label_smoothing=eps), out, "cross_entropy", dtype=dtype)
    got = losses.cross_entropy_backward(logits, labels, label_smoothing=eps)
    assert got.dtype == logits.dtype
    assert_grads_match([got], [grad_z], ["dL/dlogits"], dtype=dtype)


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        (losses.mse_loss, (np.ones(3), np.ones(4))),
        (losses.mse_loss, (np.ones((2, 3)), np.ones((3, 2)))),
        (losses.mse_loss, (np.ones(0), np.ones(0))),
        (losses.binary_cross_entropy_with_logits, (np.ones(3), np.array([0.0, 1.0, 2.0]))),
        (losses.binary_cross_entropy_with_logits, (np.ones(3), np.array([0.0, np.nan, 1.0]))),
        (losses.binary_cross_entropy_with_logits, (np.ones(2), np.ones(3))),
        (losses.cross_entropy, (np.ones(3), np.array([0]))),
        (losses.cross_entropy, (np.ones((2, 3)), np.array([0, 3]))),
        (losses.cross_entropy, (np.ones((2, 3)), np.array([0, -1]))),
        (losses.cross_entropy, (np.ones((2, 3)), np.array([0.0, 1.0]))),
        (losses.cross_entropy, (np.ones((2, 3)), np.array([0, 1, 2]))),
        (losses.cross_entropy, (np.ones((0, 3)), np.array([], dtype=int))),
        (losses.cross_entropy_backward, (np.ones((2, 3)), np.array([0, 5]))),
    ],
)
def test_losses_reject_bad_shapes_and_labels(fn, args):
    """Mismatched shapes, empty batches, labels out of range or not integers raise ValueError."""
    with pytest.raises(ValueError):
        fn(*args)


def test_label_smoothing_out_of_range_raises():
    """label_smoothing outside [0, 1] raises ValueError (torch refuses it too)."""
    with pytest.raises(ValueError):
        losses.cross_entropy(np.zeros((2, 2)), np.array([0, 1]), label_smoothing=1.5)


# ----------------------------------------------------------------------------- the naming contract


def test_backward_functions_follow_the_naming_contract():
    """Every forward `name` has `name_backward` with x first, then grad (activations), and the same options."""
    for module in (act, losses):
        names = [n for n, f in vars(module).items() if inspect.isfunction(f) and not n.startswith("_")
                 and f.__module__ == module.__name__ and not n.endswith("_backward")]
        for name in names:
            forward, backward = getattr(module, name), getattr(module, f"{name}_backward")
            fwd, bwd = inspect.signature(forward).parameters, inspect.signature(backward).parameters
            assert "grad" in bwd, name
            assert set(fwd) <= set(bwd), (name, list(fwd), list(bwd))
            for option, p in fwd.items():
                assert bwd[option].default == p.default, (name, option)


# ----------------------------------------------------------------------------- MLP by hand


def _torch_mlp_loss(x, y, activation):
    act_fn = torch.tanh if activation == "tanh" else torch.relu

    def loss(w1, b1, w2, b2, w3, b3):
        h1 = act_fn(F.linear(torch.as_tensor(x, dtype=w1.dtype), w1, b1))
        h2 = torch.relu(F.linear(h1, w2, b2))
        return F.cross_entropy(F.linear(h2, w3, b3), torch.as_tensor(y))

    return loss


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", ["tanh", "relu"])
@settings(max_examples=20, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), sizes=st.tuples(*[st.integers(1, 7)] * 5))
def test_mlp_forward_backward_matches_torch(activation, dtype, seed, sizes):
    """The hand-written 3-layer MLP's loss and every parameter gradient equal torch.autograd's."""
    n, d, h1, h2, c = sizes
    rng = np.random.default_rng(seed)
    params = backprop.init_params(d, h1, h2, c, rng=rng, dtype=dtype)
    x = rng.standard_normal((n, d)).astype(dtype)
    y = rng.integers(0, c, n)
    names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    out, grads = oracle(_torch_mlp_loss(x, y, activation), *[params[k] for k in names])
    loss, cache = backprop.mlp_forward(x, y, params, activation=activation)
    assert_matches_torch(loss, out, "loss", dtype=dtype)
    got = backprop.mlp_backward(cache)
    assert set(got) == set(names)
    assert_grads_match([got[k] for k in names], grads, [f"dL/d{k}" for k in names], dtype=dtype)


def test_numerical_gradient_agrees_with_backprop():
    """Central differences with eps = 1e-6 agree with the analytic gradients to ~1e-6 relative (float64)."""
    rng = np.random.default_rng(3)
    params = backprop.init_params(4, 5, 6, 3, rng=rng)
    x, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    grads = backprop.mlp_backward(backprop.mlp_forward(x, y, params, activation="tanh")[1])
    for name, value in params.items():
        def f(v, name=name):
            return backprop.mlp_forward(x, y, {**params, name: v}, activation="tanh")[0]
        assert_close(backprop.numerical_gradient(f, value, eps=1e-6), grads[name], rtol=1e-5, atol=1e-8, what=name)


# ----------------------------------------------------------------------------- perceptron


@pytest.mark.parametrize("tol", [1e-3, None])
@pytest.mark.parametrize("centers", [2, 3, 4])
def test_perceptron_weights_equal_sklearns_without_shuffling(centers, tol):
    """With shuffle=False the same rule on the same order gives sklearn's coef_ and intercept_ exactly."""
    from sklearn.datasets import make_blobs
    from sklearn.linear_model import Perceptron as SkPerceptron

    for seed in range(6):
        x, y = make_blobs(n_samples=80, centers=centers, cluster_std=2.0, random_state=seed)
        ours = Perceptron(shuffle=False, tol=tol, max_iter=200).fit(x, y)
        theirs = SkPerceptron(shuffle=False, tol=tol, max_iter=200).fit(x, y)
        assert_close(ours.coef_, theirs.coef_, rtol=1e-12, atol=1e-12, what="coef_")
        assert_close(ours.intercept_, theirs.intercept_, rtol=1e-12, atol=1e-12, what="intercept_")


def test_perceptron_matches_sklearn_on_separable_data():
    """On separable blobs both our perceptron and sklearn's reach 100% training accuracy."""
    from sklearn.datasets import make_blobs
    from sklearn.linear_model import Perceptron as SkPerceptron

    for seed in range(5):
        x, y = make_blobs(n_samples=80, centers=[[-3, -3], [3, 3]], cluster_std=1.0, random_state=seed)
        ours = Perceptron(random_state=seed).fit(x, y)
        theirs = SkPerceptron(random_state=seed, tol=None).fit(x, y)
        assert ours.score(x, y) == 1.0 == theirs.score(x, y)


def test_xor_needs_a_hidden_layer():
    """No perceptron gets XOR right; the hand-wired two-layer network does."""
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    for seed in range(5):
        assert Perceptron(random_state=seed).fit(x, y).score(x, y) <= 0.75
    assert np.array_equal(xor_network(x), y)


def test_perceptron_passes_sklearn_estimator_checks():
    """Perceptron passes scikit-learn's estimator checks (aieng.lib.dl is outside test_estimator_checks' scan)."""
    from aieng.grader.sklearn_checks import assert_sklearn_compatible

    assert_sklearn_compatible(Perceptron(), Perceptron._expected_failed_checks)
