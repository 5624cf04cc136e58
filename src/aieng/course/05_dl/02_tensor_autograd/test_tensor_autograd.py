"""Checks for `tensor-autograd`, against torch.autograd.

Each check runs the same computation on your Tensor and on torch tensors (same dtype, same numbers),
seeds backward with the same random output gradient, and compares the output and every input's gradient.
Tolerance: relative 1e-10 in float64 and 1e-5 in float32, measured against the largest entry of the
expected array (entries near 0 get the same absolute slack as the big ones: torch and numpy sum in
different orders, which moves the last bits, about 1e-16 resp. 1e-7 relative per operation). Shapes
come from hypothesis, including pairs that broadcast against each other. torch.autograd is switched off
while your code runs.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid

TOLERANCE = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-5}
DTYPES = st.sampled_from([np.dtype(np.float64), np.dtype(np.float32)])
SEEDS = st.integers(0, 2**32 - 1)
FEW = settings(max_examples=25)  # every example also runs torch: 25 per check keep the suite near 1.5 s


def close(got: object, expected: np.ndarray, dtype: np.dtype, what: str) -> None:
    """Relative error against the scale of the expected array, with the dtype's tolerance."""
    rtol = TOLERANCE[np.dtype(dtype)]
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    if got is None:
        raise AssertionError(f"{what} is None: backward() did not fill it")
    got_array = np.asarray(got)
    expect(got_array.dtype == np.dtype(dtype), f"{what} has dtype {got_array.dtype}, expected {np.dtype(dtype)} "
                                               "(keep the input's float dtype)")
    assert_close(got_array, expected, rtol=rtol, atol=rtol * scale, what=what)


def no_torch(impl):
    return forbid(impl, "torch.autograd.backward", "torch.autograd.grad")


def run_both(impl, fn, arrays, seed, torch_fn=None):
    """fn on learner Tensors and (torch_fn or fn) on torch tensors; backward with one random output gradient.

    Returns (learner output, learner tensors, torch output, torch tensors) after both backward passes."""
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    t_out = (torch_fn or fn)(*t_in)
    g = np.random.default_rng(seed).standard_normal(t_out.shape).astype(arrays[0].dtype)
    t_out.backward(torch.tensor(g))
    with no_torch(impl):
        ours = [impl.Tensor(a.copy(), requires_grad=True) for a in arrays]
        out = fn(*ours)
        out.backward(g.copy())
    return out, ours, t_out, t_in


def compare(out, ours, t_out, t_in, dtype, label):
    close(out.data, t_out.detach().numpy(), dtype, f"{label}: output")
    for i, (mine, theirs) in enumerate(zip(ours, t_in, strict=True)):
        close(mine.grad, theirs.grad.numpy(), dtype, f"{label}: gradient of input {i} (shape {mine.data.shape})")


def broadcast_shapes_from(rng: np.random.Generator, count: int) -> list[tuple[int, ...]]:
    """`count` shapes that broadcast together: a common shape of 0-3 axes (lengths 1-4); each operand drops
    some leading axes and has some of the others set to length 1."""
    full = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(0, 4)))
    shapes = []
    for _ in range(count):
        kept = full[rng.integers(0, len(full) + 1):]
        shapes.append(tuple(1 if rng.random() < 0.35 else n for n in kept))
    return shapes


@st.composite
def broadcastable(draw, count: int = 2):
    """`count` arrays whose shapes broadcast together (some axes of length 1, some missing), and their dtype."""
    dtype = draw(DTYPES)
    rng = np.random.default_rng(draw(SEEDS))
    return [rng.standard_normal(s).astype(dtype) for s in broadcast_shapes_from(rng, count)], dtype


@st.composite
def one_array(draw, min_dims: int = 0, max_dims: int = 4):
    dtype = draw(DTYPES)
    rng = np.random.default_rng(draw(SEEDS))
    shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(min_dims, max_dims + 1)))
    return rng.standard_normal(shape).astype(dtype), dtype


@st.composite
def matmul_pairs(draw):
    """Operands of a matrix product: plain matrices, a batch times a matrix, batches with broadcast batch axes."""
    n, k, m, b, c = (draw(st.integers(1, 4)) for _ in range(5))
    kind = draw(st.sampled_from(["matrix", "batch @ matrix", "matrix @ batch", "batch @ batch", "broadcast batches"]))
    left, right = {"matrix": ((n, k), (k, m)), "batch @ matrix": ((b, n, k), (k, m)),
                   "matrix @ batch": ((n, k), (b, k, m)), "batch @ batch": ((b, n, k), (b, k, m)),
                   "broadcast batches": ((b, 1, n, k), (c, k, m))}[kind]
    dtype = draw(DTYPES)
    rng = np.random.default_rng(draw(SEEDS))
    return rng.standard_normal(left).astype(dtype), rng.standard_normal(right).astype(dtype), kind


@FEW
@given(broadcastable(), SEEDS)
def test_add_with_broadcasting_matches_torch(impl, arrays, seed):
    """a + b for shapes that broadcast (e.g. (3, 1) and (4,)): output and both gradients equal torch's; each
    input's gradient has the input's own shape (sum the output gradient over the broadcast axes)."""
    (a, b), dtype = arrays
    compare(*run_both(impl, lambda x, y: x + y, [a, b], seed), dtype, f"a + b with shapes {a.shape} and {b.shape}")


@FEW
@given(broadcastable(), SEEDS)
def test_mul_with_broadcasting_matches_torch(impl, arrays, seed):
    """a * b for shapes that broadcast: d(a*b)/da = b and d(a*b)/db = a, each summed back to its input's shape."""
    (a, b), dtype = arrays
    compare(*run_both(impl, lambda x, y: x * y, [a, b], seed), dtype, f"a * b with shapes {a.shape} and {b.shape}")


@FEW
@given(broadcastable(3), SEEDS)
def test_three_way_broadcast_expression(impl, arrays, seed):
    """(a + b) * c + a for three mutually broadcastable shapes: a is used twice, so its gradient is the sum of
    two contributions, each unbroadcast to a's shape."""
    (a, b, c), dtype = arrays
    compare(*run_both(impl, lambda x, y, z: (x + y) * z + x, [a, b, c], seed), dtype,
            f"(a + b) * c + a with shapes {a.shape}, {b.shape}, {c.shape}")


@FEW
@given(one_array(), SEEDS)
def test_python_numbers_on_either_side(impl, array, seed):
    """2 * x + 1.5, x * 0.5 and 3 + x work with plain Python numbers on either side, and keep x's dtype
    (a Python float must not turn float32 into float64)."""
    x, dtype = array
    compare(*run_both(impl, lambda t: (2 * t + 1.5) * (t * 0.5) + (3 + t), [x], seed), dtype,
            f"(2x + 1.5)(0.5x) + (3 + x) with x of shape {x.shape}")


@FEW
@given(matmul_pairs(), SEEDS)
def test_matmul_matches_torch(impl, pair, seed):
    """a @ b for matrices and for batches (leading axes broadcast like numpy's matmul): dL/da = G b^T and
    dL/db = a^T G on the last two axes, summed over batch axes an operand did not have."""
    a, b, kind = pair
    compare(*run_both(impl, lambda x, y: x @ y, [a, b], seed), a.dtype, f"a @ b ({kind}: {a.shape} @ {b.shape})")


@FEW
@given(st.integers(1, 4), st.integers(1, 4), DTYPES, SEEDS)
def test_matmul_with_a_vector(impl, k, m, dtype, seed):
    """Vector operands follow numpy: v @ M treats v as a row (1, k) and drops that axis again, M @ v treats
    v as a column; the gradients keep the vector's 1-D shape."""
    rng = np.random.default_rng(seed)
    v, mat = rng.standard_normal(k).astype(dtype), rng.standard_normal((k, m)).astype(dtype)
    compare(*run_both(impl, lambda x, y: x @ y, [v, mat], seed), dtype, f"v @ M with shapes {v.shape} @ {mat.shape}")
    compare(*run_both(impl, lambda x, y: x @ y, [mat.T.copy(), v], seed), dtype,
            f"M @ v with shapes {mat.T.shape} @ {v.shape}")


@st.composite
def reductions(draw):
    x, dtype = draw(one_array(min_dims=1))
    axis = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1),
                          st.lists(st.integers(0, x.ndim - 1), min_size=1, unique=True).map(tuple)))
    return x, dtype, axis, draw(st.booleans())


@FEW
@given(reductions(), SEEDS)
def test_sum_over_axes_matches_torch(impl, case, seed):
    """x.sum(axis, keepdims) for axis None, an int (negative too) or a tuple: every summed entry receives the
    output's gradient, broadcast back to x's shape."""
    x, dtype, axis, keepdims = case
    torch_fn = (lambda t: t.sum()) if axis is None else (lambda t: t.sum(dim=axis, keepdim=keepdims))
    if axis is None and keepdims:
        torch_fn = lambda t: t.sum(dim=tuple(range(x.ndim)), keepdim=True)  # noqa: E731
    compare(*run_both(impl, lambda t: t.sum(axis=axis, keepdims=keepdims), [x], seed, torch_fn), dtype,
            f"x.sum(axis={axis}, keepdims={keepdims}) with x of shape {x.shape}")


@FEW
@given(reductions(), SEEDS)
def test_mean_over_axes_matches_torch(impl, case, seed):
    """x.mean(axis, keepdims): like sum, divided by the number n of averaged entries, so each gets gradient g/n."""
    x, dtype, axis, keepdims = case
    dims = tuple(range(x.ndim)) if axis is None else axis
    compare(*run_both(impl, lambda t: t.mean(axis=axis, keepdims=keepdims), [x], seed,
                      lambda t: t.mean(dim=dims, keepdim=keepdims)), dtype,
            f"x.mean(axis={axis}, keepdims={keepdims}) with x of shape {x.shape}")


@FEW
@given(one_array(min_dims=1), st.data())
def test_reshape_and_transpose_route_gradients_back(impl, array, data):
    """x.reshape(new_shape) and x.transpose(*axes) (a permutation of the axes, numpy-style) move entries
    without changing them: the gradient is reshaped / permuted back (by the inverse permutation)."""
    x, dtype = array
    order = tuple(data.draw(st.permutations(range(x.ndim)), label="axes"))
    shape = (1, *data.draw(st.permutations(x.shape), label="new shape"))
    seed = data.draw(SEEDS, label="seed")
    compare(*run_both(impl, lambda t: t.transpose(*order), [x], seed, lambda t: t.permute(*order)), dtype,
            f"x.transpose{order} with x of shape {x.shape}")
    compare(*run_both(impl, lambda t: t.reshape(*shape), [x], seed), dtype,
            f"x.reshape{shape} with x of shape {x.shape}")


@FEW
@given(one_array(), SEEDS)
def test_relu_exp_log_match_torch(impl, array, seed):
    """relu (derivative 0 at 0 and below, 1 above), exp (its own derivative) and log (1/x, on positive
    inputs) agree with torch."""
    x, dtype = array
    x = np.where(np.abs(x) < 0.3, 0, x).astype(dtype)  # some exact zeros for relu
    compare(*run_both(impl, lambda t: t.relu(), [x], seed), dtype, f"relu(x), x of shape {x.shape}")
    compare(*run_both(impl, lambda t: t.exp(), [x], seed), dtype, f"exp(x), x of shape {x.shape}")
    positive = (np.abs(x) + 0.5).astype(dtype)
    compare(*run_both(impl, lambda t: t.log(), [positive], seed), dtype, f"log(x), x > 0 of shape {x.shape}")


@FEW
@given(st.integers(1, 6), st.integers(1, 5), st.integers(1, 5), DTYPES, SEEDS)
def test_two_layer_network_gradients(impl, n, d, h, dtype, seed):
    """A small network, mean(log(exp(relu(x @ W1 + b1) @ W2 + b2) + 1)): every weight's gradient equals
    torch's (the biases are broadcast over the n rows of the batch)."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in ((n, d), (d, h), (h,), (h, 1), (1,))]

    def net(x, w1, b1, w2, b2):
        return (((x @ w1 + b1).relu() @ w2 + b2).exp() + 1).log().mean()

    compare(*run_both(impl, net, arrays, seed), dtype, f"the two-layer network (n={n}, d={d}, h={h})")


def test_backward_without_argument_on_a_scalar(impl):
    """loss.backward() with no argument works on a single-number result (the seed dL/dL = 1)."""
    x = np.array([[1.0, -2.0], [3.0, 0.5]])
    t = torch.tensor(x, requires_grad=True)
    (t * t).sum().backward()
    with no_torch(impl):
        ours = impl.Tensor(x.copy(), requires_grad=True)
        (ours * ours).sum().backward()
    close(ours.grad, t.grad.numpy(), np.dtype(np.float64), "d/dx sum(x * x) = 2x")


def test_backward_seed_rules(impl):
    """backward() with no gradient on a result holding several numbers raises ValueError (which seed?), and so
    does a gradient whose shape differs from the result's."""
    x = impl.Tensor(np.ones((2, 3)), requires_grad=True)
    y = x * 2.0
    assert_raises_value_error(y.backward, why="a non-scalar result needs an explicit output gradient")
    assert_raises_value_error(y.backward, np.ones((3, 2)), why="the gradient must have the result's shape (2, 3)")


def test_gradients_accumulate_over_backward_calls(impl):
    """Two backward passes from two different results add into the same leaf: after sum(2x).backward() and
    sum(x*x).backward(), x.grad is 2 + 2x (call zero_grad between training steps for this reason)."""
    x = np.array([0.5, -1.0, 2.0])
    with no_torch(impl):
        t = impl.Tensor(x.copy(), requires_grad=True)
        (t * 2.0).sum().backward()
        (t * t).sum().backward()
    close(t.grad, 2 + 2 * x, np.dtype(np.float64), "x.grad after two backward calls")


def test_tensors_without_requires_grad_get_no_gradient(impl):
    """A tensor created with requires_grad=False (the default: data, labels) keeps grad None after backward."""
    with no_torch(impl):
        w = impl.Tensor(np.array([1.0, 2.0]), requires_grad=True)
        x = impl.Tensor(np.array([3.0, 4.0]))
        (w * x).sum().backward()
    expect(x.grad is None, f"x has requires_grad=False, its grad should stay None, got {x.grad!r}")
    close(w.grad, np.array([3.0, 4.0]), np.dtype(np.float64), "w.grad")


def test_deep_graph_does_not_hit_the_recursion_limit(impl):
    """A chain of 1000 steps (2000 operations) back-propagates: order the graph with an explicit stack, not
    a recursive function (Python stops recursing at about 1000 nested calls)."""
    with no_torch(impl):
        x = impl.Tensor(np.array([1.0, 2.0]), requires_grad=True)
        y = x
        for _ in range(1000):
            y = y * 1.0 + 0.001
        y.sum().backward()
    close(x.grad, np.ones(2), np.dtype(np.float64), "x.grad after 1000 steps of y = y * 1 + 0.001")


@FEW
@given(broadcastable(), SEEDS)
def test_unbroadcast_sums_back_to_the_input_shape(impl, arrays, seed):
    """unbroadcast(grad, shape) equals torch's gradient of a tensor of `shape` expanded to grad's shape: a sum
    over the added leading axes and over the axes where `shape` has length 1."""
    (a, b), dtype = arrays
    big = np.broadcast_shapes(a.shape, b.shape)
    g = np.random.default_rng(seed).standard_normal(big).astype(dtype)
    t = torch.tensor(a, requires_grad=True)
    torch.broadcast_to(t, big).backward(torch.tensor(g))
    with no_torch(impl):
        got = impl.unbroadcast(g.copy(), a.shape)
    expect(np.shape(got) == a.shape, f"unbroadcast(grad of shape {big}, {a.shape}) has shape {np.shape(got)}")
    close(got, t.grad.numpy(), dtype, f"unbroadcast(grad of shape {big}, {a.shape})")


def test_does_not_import_torch(impl):
    """Your Tensor is built on numpy: it must not import torch."""
    assert_not_imported(impl, "torch")
