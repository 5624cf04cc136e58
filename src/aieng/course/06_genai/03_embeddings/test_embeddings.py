"""Checks for `embeddings`, against torch.nn.Embedding with your table copied in (values and autograd
gradients), one-hot matrix products, torch.nn.functional.cosine_similarity, and a brute-force ranking.

Tolerances: float64 to 1e-10 and float32 to 1e-5 relative (torch sums in its own order). While your code
runs, torch's embedding and cosine-similarity functions are switched off, and so is autograd inside
embedding_backward.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, forbid_method

torch.set_num_threads(1)
READY_MADE = ("torch.nn.functional.embedding", "torch.embedding", "torch.nn.Embedding",
              "torch.nn.functional.cosine_similarity", "torch.cosine_similarity", "torch.nn.CosineSimilarity")
RTOL = {torch.float64: 1e-10, torch.float32: 1e-5}


def call(impl, name, *args, **kwargs):
    """impl.name(...) with torch's ready-made versions switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args, **kwargs)


def close(got, want, what):
    """Within the dtype's tolerance of `want`, relative to its largest entry."""
    rtol = RTOL[want.dtype]
    scale = float(want.abs().max()) if want.numel() else 0.0
    expect(isinstance(got, torch.Tensor), f"{what} should be a torch.Tensor, got {type(got).__name__}")
    assert_close(got.detach().double().numpy(), want.detach().double().numpy(), rtol=rtol,
                 atol=rtol * max(scale, 1e-12), what=what)


@st.composite
def lookups(draw):
    """A table (V, d) of a random dtype and an id tensor of 1 to 3 dimensions with repeated ids."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    vocab, dim = draw(st.integers(1, 12)), draw(st.integers(1, 6))
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    dtype = draw(st.sampled_from([torch.float64, torch.float32]))
    weight = torch.tensor(rng.standard_normal((vocab, dim)), dtype=dtype)
    ids = torch.tensor(rng.integers(0, vocab, size=shape), dtype=torch.int64)
    grad = torch.tensor(rng.standard_normal((*shape, dim)), dtype=dtype)
    return weight, ids, grad


@given(lookups())
def test_lookup_equals_one_hot_product_and_torch(impl, case):
    """embedding(ids, W) equals one_hot(ids) @ W and torch.nn.Embedding with W copied in, shape ids.shape + (d,)."""
    weight, ids, _ = case
    got = call(impl, "embedding", ids, weight)
    module = torch.nn.Embedding(*weight.shape, dtype=weight.dtype)
    with torch.no_grad():
        module.weight.copy_(weight)
    close(got, module(ids), "embedding(ids, W) vs torch.nn.Embedding")
    close(got, F.one_hot(ids, weight.shape[0]).to(weight.dtype) @ weight, "embedding(ids, W) vs one_hot(ids) @ W")


@settings(max_examples=25)
@given(lookups())
def test_lookup_lets_gradients_flow(impl, case):
    """Autograd through your embedding gives the same dL/dW as through torch.nn.Embedding."""
    weight, ids, grad = case
    mine = weight.clone().requires_grad_(True)
    with forbid(impl, *READY_MADE):
        out = impl.embedding(ids, mine)
    expect(out.requires_grad, "the output of embedding is cut off from the autograd graph of weight")
    out.backward(grad)
    module = torch.nn.Embedding(*weight.shape, dtype=weight.dtype)
    with torch.no_grad():
        module.weight.copy_(weight)
    module(ids).backward(grad)
    close(mine.grad, module.weight.grad, "dL/dW through your embedding")


@given(lookups())
def test_backward_is_a_scatter_add(impl, case):
    """embedding_backward(ids, G, V) equals torch.nn.Embedding's autograd gradient (and one_hot(ids)^T G): row i
    sums G over the positions holding id i (a repeated id adds up, it does not overwrite); rows of ids that never
    occur are zero."""
    weight, ids, grad = case
    with forbid(impl, *READY_MADE, "torch.autograd.grad", "torch.autograd.backward"), \
            forbid_method(torch.Tensor, "backward", whose="torch tensors", instead="sum the gradient rows yourself"):
        got = impl.embedding_backward(ids, grad, weight.shape[0])
    module = torch.nn.Embedding(*weight.shape, dtype=weight.dtype)
    module(ids).backward(grad)
    close(got, module.weight.grad, "embedding_backward vs torch.nn.Embedding's gradient")
    one_hot = F.one_hot(ids.reshape(-1), weight.shape[0]).to(weight.dtype)
    close(got, one_hot.T @ grad.reshape(-1, weight.shape[1]), "embedding_backward vs one_hot(ids)^T @ G")


@st.composite
def row_pairs(draw):
    """Two float64 or float32 matrices of the same width, rows of very different lengths."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m, d = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, 5))
    dtype = draw(st.sampled_from([torch.float64, torch.float32]))
    scale = 10.0 ** rng.uniform(-2, 2, size=(1, 1))
    a = torch.tensor(rng.standard_normal((n, d)) * 10.0 ** rng.uniform(-2, 2, size=(n, 1)) * scale, dtype=dtype)
    b = torch.tensor(rng.standard_normal((m, d)) * 10.0 ** rng.uniform(-2, 2, size=(m, 1)), dtype=dtype)
    return a, b


@given(row_pairs())
def test_cosine_matrix_matches_torch(impl, pair):
    """cosine_similarity_matrix(a, b)[i, j] equals torch.nn.functional.cosine_similarity(a_i, b_j), whatever the
    row lengths; with b omitted it compares a with itself (symmetric, ones on the diagonal)."""
    a, b = pair
    close(call(impl, "cosine_similarity_matrix", a, b), F.cosine_similarity(a[:, None], b[None], dim=-1),
          "cosine_similarity_matrix(a, b)")
    self_sims = call(impl, "cosine_similarity_matrix", a)
    close(self_sims, F.cosine_similarity(a[:, None], a[None], dim=-1), "cosine_similarity_matrix(a)")
    close(torch.diagonal(self_sims), torch.ones(a.shape[0], dtype=a.dtype), "the diagonal of cosine_similarity(a)")


def test_cosine_worked_example_and_zero_rows(impl):
    """(1, 0) and (1, 1) are 45 degrees apart: cosine 1/sqrt(2); (3, 4) and (-6, -8) point opposite ways: -1;
    a zero row has similarity 0 with everything (norms are clamped at eps)."""
    a = torch.tensor([[1.0, 0.0], [3.0, 4.0], [0.0, 0.0]], dtype=torch.float64)
    b = torch.tensor([[1.0, 1.0], [-6.0, -8.0]], dtype=torch.float64)
    want = torch.tensor([[2 ** -0.5, -0.6], [0.7 * 2 ** 0.5, -1.0], [0.0, 0.0]], dtype=torch.float64)
    close(call(impl, "cosine_similarity_matrix", a, b), want, "cosine_similarity_matrix on the worked example")


@given(st.integers(0, 2**32 - 1), st.integers(3, 20), st.integers(1, 5))
def test_nearest_neighbors_brute_force(impl, seed, vocab, dim):
    """nearest_neighbors ranks all other rows by cosine similarity to the query row (itself excluded), best
    first; checked against sorting numpy's cosine similarities."""
    rng = np.random.default_rng(seed)
    table = torch.tensor(rng.standard_normal((vocab, dim)))
    queries = torch.tensor(rng.choice(vocab, size=min(vocab, 4), replace=False))
    k = int(rng.integers(1, vocab))
    indices, sims = call(impl, "nearest_neighbors", table, queries, k)
    x = table.numpy()
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    for row, q in enumerate(queries.tolist()):
        scores = unit @ unit[q]
        order = [j for j in np.argsort(-scores, kind="stable") if j != q][:k]
        expect([int(i) for i in indices[row]] == order,
               f"neighbours of row {q}: expected {order}, got {indices[row].tolist()}")
        assert_close(sims[row].numpy(), scores[order], rtol=1e-10, atol=1e-12, what=f"similarities for row {q}")


def test_nearest_neighbors_ties_and_self(impl):
    """Rows 1 and 3 are copies of each other and row 2 is row 0 doubled: row 0's best neighbour is row 2
    (cosine 1, length ignored), and rows 1 and 3 tie, smaller index first."""
    table = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    indices, sims = call(impl, "nearest_neighbors", table, torch.tensor([0]), 3)
    expect(indices[0].tolist() == [2, 1, 3], f"neighbours of row 0 should be [2, 1, 3], got {indices[0].tolist()}")
    close(sims[0], torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64), "similarities of row 0's neighbours")


def test_rejects_bad_input(impl):
    """Float ids, ids outside the table, a 1-D table, mismatched gradient shapes, widths that differ, and k
    outside 1..V-1 raise ValueError."""
    w = torch.zeros(4, 3)
    assert_raises_value_error(impl.embedding, torch.tensor([0.0, 1.0]), w, why="ids must be integers")
    assert_raises_value_error(impl.embedding, torch.tensor([4]), w, why="id 4 does not exist in a table of 4 rows")
    assert_raises_value_error(impl.embedding, torch.tensor([-1]), w, why="ids are non-negative")
    assert_raises_value_error(impl.embedding, torch.tensor([0]), torch.zeros(4), why="the table must be 2-D")
    assert_raises_value_error(impl.embedding_backward, torch.tensor([0, 1]), torch.zeros(3, 2), 4,
                              why="grad_output must have shape ids.shape + (d,)")
    assert_raises_value_error(impl.cosine_similarity_matrix, torch.ones(2, 3), torch.ones(2, 4),
                              why="a and b need the same width")
    assert_raises_value_error(impl.nearest_neighbors, torch.ones(4, 2), torch.tensor([0]), 4,
                              why="only 3 other rows exist")
    assert_raises_value_error(impl.nearest_neighbors, torch.ones(4, 2), torch.tensor([0]), 0, why="k >= 1")
