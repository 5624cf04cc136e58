"""Checks for `gcn`, against the dense formula relu(D^-1/2 (A + I) D^-1/2 X W^T + b) computed with torch, and
torch.autograd for its gradients; a loop for the edge list; permutation equivariance and an isolated node's
closed form.

Tolerances: float64 to 1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer (the order
of additions differs between numpy and torch).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported
from aieng.grader.torch_oracle import ATOL, RTOL, value_and_grads


def assert_like_torch(got: object, want: np.ndarray, what: str) -> None:
    """Within the dtype's tolerance of torch, relative to the largest entry of torch's answer."""
    rtol = RTOL[want.dtype]
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * scale, what=what)


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A random undirected graph (dense, sparse, weighted or 0/1, isolated nodes likely), node features, a
    layer's weights, an upstream gradient and an activation."""
    n, f_in, f_out = draw(st.integers(1, 9)), draw(st.integers(1, 5)), draw(st.integers(1, 4))
    dtype = np.dtype(draw(st.sampled_from([np.float64, np.float32])))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    upper = np.triu(rng.random((n, n)) < draw(st.sampled_from([0.1, 0.3, 0.7])), k=1)
    weights = rng.uniform(0.2, 3.0, (n, n)) if draw(st.booleans()) else np.ones((n, n))
    adjacency = (upper * weights + (upper * weights).T).astype(dtype)
    return {"adjacency": adjacency, "x": rng.standard_normal((n, f_in)).astype(dtype),
            "weight": rng.standard_normal((f_out, f_in)).astype(dtype),
            "bias": rng.standard_normal(f_out).astype(dtype),
            "grad": rng.standard_normal((n, f_out)).astype(dtype),
            "activation": draw(st.sampled_from(["relu", None]))}


def torch_normalized(a: torch.Tensor) -> torch.Tensor:
    """The dense formula D^-1/2 (A + I) D^-1/2, with explicit diagonal matrices, in torch."""
    a_hat = a + torch.eye(a.shape[0], dtype=a.dtype)
    d_inv_sqrt = torch.diag(a_hat.sum(dim=1) ** -0.5)
    return d_inv_sqrt @ a_hat @ d_inv_sqrt


def torch_layer(case: dict[str, Any]):
    s = torch_normalized(torch.from_numpy(case["adjacency"]))

    def layer(x, w, b):
        z = s @ x @ w.T + b
        return torch.relu(z) if case["activation"] == "relu" else z

    return layer


@given(graphs())
def test_normalized_adjacency_matches_the_dense_formula(impl, case):
    """normalized_adjacency(A) equals D^-1/2 (A + I) D^-1/2 (D: row sums of A + I) computed with torch, on
    random 0/1 and weighted graphs, float64 and float32; isolated nodes get a 1 on the diagonal."""
    want = torch_normalized(torch.from_numpy(case["adjacency"])).numpy()
    assert_like_torch(impl.normalized_adjacency(case["adjacency"]), want, "normalized_adjacency(A)")


@given(graphs())
def test_layer_matches_torch(impl, case):
    """gcn_layer(x, A, W, b, activation) equals activation(S x W^T + b) computed with torch, for activation
    "relu" and None, float64 and float32."""
    want, _ = value_and_grads(torch_layer(case), case["x"], case["weight"], case["bias"])
    got = impl.gcn_layer(case["x"], case["adjacency"], case["weight"], case["bias"], case["activation"])
    assert_like_torch(got, want, f"gcn_layer(..., activation={case['activation']!r})")


@given(graphs())
def test_layer_backward_matches_autograd(impl, case):
    """gcn_layer_backward returns the gradients of sum(grad * gcn_layer(...)) for x, weight and bias, equal to
    torch.autograd through the dense formula (no gradient flows through ReLU where it is off)."""
    _, want = value_and_grads(torch_layer(case), case["x"], case["weight"], case["bias"], grad_output=case["grad"])
    got = impl.gcn_layer_backward(case["x"], case["adjacency"], case["weight"], case["bias"], case["grad"],
                                  case["activation"])
    expect(len(got) == 3, f"gcn_layer_backward should return (grad_x, grad_weight, grad_bias), got {len(got)} items")
    for g, w, name in zip(got, want, ("dL/dx", "dL/dweight", "dL/dbias"), strict=True):
        assert_like_torch(g, w, name)


@given(st.integers(1, 8), st.integers(0, 15), st.integers(0, 2**32 - 1))
def test_edge_list_matches_a_loop(impl, n, n_edges, seed):
    """edge_list_to_adjacency(edges, n) is the symmetric 0/1 matrix a plain loop builds: both directions set
    for every pair, a repeated edge (in either direction) counted once, (i, i) setting the diagonal."""
    edges = np.random.default_rng(seed).integers(0, n, size=(n_edges, 2))
    want = np.zeros((n, n))
    for i, j in edges:
        want[i, j] = want[j, i] = 1.0
    assert_close(impl.edge_list_to_adjacency(edges, n), want, what=f"edge_list_to_adjacency({edges.tolist()}, {n})")


def test_path_graph_by_hand(impl):
    """The lesson's path 0 - 1 - 2: S = [[1/2, 1/sqrt6, 0], [1/sqrt6, 1/3, 1/sqrt6], [0, 1/sqrt6, 1/2]], and an
    empty edge list gives isolated nodes whose S is the identity."""
    a = impl.edge_list_to_adjacency(np.array([[0, 1], [1, 2]]), 3)
    r = 1 / np.sqrt(6)
    assert_close(impl.normalized_adjacency(a), [[0.5, r, 0], [r, 1 / 3, r], [0, r, 0.5]], what="S of the path")
    empty = impl.edge_list_to_adjacency(np.zeros((0, 2), dtype=int), 4)
    assert_close(impl.normalized_adjacency(empty), np.eye(4), what="S of 4 isolated nodes")


@given(graphs(), st.integers(0, 2**32 - 1))
def test_relabelling_nodes_permutes_the_output(impl, case, seed):
    """Node numbers mean nothing: relabelling the nodes by a permutation P (A -> P A P^T, x -> P x) permutes
    the layer's output rows the same way and changes nothing else."""
    p = np.random.default_rng(seed).permutation(len(case["x"]))
    args = (case["weight"], case["bias"], case["activation"])
    original = np.asarray(impl.gcn_layer(case["x"], case["adjacency"], *args), dtype=np.float64)
    relabelled = impl.gcn_layer(case["x"][p], case["adjacency"][np.ix_(p, p)], *args)
    tol = RTOL[case["x"].dtype]
    assert_close(relabelled, original[p], rtol=tol, atol=tol * (1 + float(np.abs(original).max(initial=0.0))),
                 what="output of the relabelled graph")


def test_isolated_node_sees_only_itself(impl):
    """A node without edges has d = 1 (its self-loop), so its output is relu(x_i W^T + b), untouched by the
    rest of the graph."""
    rng = np.random.default_rng(3)
    a = impl.edge_list_to_adjacency(np.array([[0, 1], [1, 2], [0, 2]]), 4)  # node 3 is alone
    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    assert_close(impl.gcn_layer(x, a, w, b)[3], np.maximum(x[3] @ w.T + b, 0), what="output row of the isolated node")


def test_bad_input_raises_value_error(impl):
    """Bad graphs and shapes raise ValueError: a non-square, asymmetric, negative or NaN adjacency; x with a
    row count other than the number of nodes; weight whose in-width differs from x's; a bias of the wrong
    length; an unknown activation; edges not shaped (E, 2) or naming a node that does not exist."""
    rng = np.random.default_rng(4)
    a = impl.edge_list_to_adjacency(np.array([[0, 1], [1, 2]]), 3)
    x, w, b = rng.standard_normal((3, 2)), rng.standard_normal((4, 2)), np.zeros(4)
    asymmetric = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    negative = a.copy()
    negative[0, 1] = negative[1, 0] = -1.0
    with_nan = a.copy()
    with_nan[0, 1] = with_nan[1, 0] = np.nan
    assert_raises_value_error(impl.normalized_adjacency, np.ones((2, 3)), why="an adjacency matrix is square")
    assert_raises_value_error(impl.normalized_adjacency, asymmetric, why="the graph must be undirected (symmetric)")
    assert_raises_value_error(impl.normalized_adjacency, negative, why="edge weights cannot be negative")
    assert_raises_value_error(impl.normalized_adjacency, with_nan, why="the adjacency has a NaN")
    assert_raises_value_error(impl.gcn_layer, x[:2], a, w, b, why="x has 2 rows but the graph 3 nodes")
    assert_raises_value_error(impl.gcn_layer, x, a, rng.standard_normal((4, 3)), b, why="weight must be (out, 2)")
    assert_raises_value_error(impl.gcn_layer, x, a, w, np.zeros(3), why="bias must have out = 4 entries")
    assert_raises_value_error(impl.gcn_layer, x, a, w, b, "softmax", why="activation is 'relu' or None")
    assert_raises_value_error(impl.edge_list_to_adjacency, np.array([0, 1, 2]), 3, why="edges must be (E, 2)")
    assert_raises_value_error(impl.edge_list_to_adjacency, np.array([[0, 3]]), 3, why="node 3 of a 3-node graph")
    assert_raises_value_error(impl.edge_list_to_adjacency, np.array([[-1, 0]]), 3, why="a negative node index")


def test_does_not_import_torch(impl):
    """Your module builds the layer itself, with numpy: it does not import torch."""
    assert_not_imported(impl, "torch")
