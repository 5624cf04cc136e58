"""Embeddings: token ids to vectors, the gradient of that lookup, and cosine similarity between vectors.

An embedding table W has one row per vocabulary entry, shape (V, d). Looking up token i is multiplying
its one-hot row vector by W, e_i^T W = W[i], so the lookup is a linear layer whose input happens to be
one-hot; indexing computes the same thing in O(d) instead of O(V d). Its gradient follows: for a batch of
ids and an upstream gradient G (one row per id), dL/dW = onehot(ids)^T G, i.e. row i of dL/dW is the sum
of the rows of G at the positions where id i occurs (a scatter-add). Ids that do not occur get zero
gradient, which is why sparse optimizers exist for huge vocabularies.

Cosine similarity compares directions and ignores lengths: cos(a, b) = a . b / (||a|| ||b||), in [-1, 1].
Norms are clamped below by eps (torch's convention), so a zero vector has similarity 0 with everything.
Nearest neighbours by cosine rank the rows of a table by their similarity to a query row.

Everything is in torch, on the inputs' device and dtype. Left out: padding_idx, max_norm and sparse
gradients of torch.nn.Embedding, EmbeddingBag, approximate nearest-neighbour indexes (HNSW: stage 06 RAG).
"""

from __future__ import annotations

import torch
from torch import Tensor


def _check_ids(ids: Tensor, num_embeddings: int) -> None:
    if not isinstance(ids, Tensor) or ids.dtype not in (torch.int64, torch.int32, torch.int16, torch.int8,
                                                           torch.uint8):
        raise ValueError(f"ids must be an integer tensor, got {getattr(ids, 'dtype', type(ids).__name__)}")
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= num_embeddings):
        raise ValueError(f"ids must lie in 0..{num_embeddings - 1}, got values from {int(ids.min())} to "
                         f"{int(ids.max())}")


def embedding(ids: Tensor, weight: Tensor) -> Tensor:
    """Rows of `weight` (V, d) picked by `ids` (any shape): the result has shape ids.shape + (d,).

    Same as one_hot(ids, V) @ weight, in O(numel(ids) d) instead of O(numel(ids) V d). Autograd-friendly.

    >>> embedding(torch.tensor([2, 0]), torch.arange(6.0).reshape(3, 2))
    tensor([[4., 5.],
            [0., 1.]])
    """
    if not isinstance(weight, Tensor) or weight.ndim != 2:
        raise ValueError(f"weight must be a 2-D tensor (V, d), got shape {tuple(getattr(weight, 'shape', ()))}")
    _check_ids(ids, weight.shape[0])
    return weight[ids.long()]


def embedding_backward(ids: Tensor, grad_output: Tensor, num_embeddings: int) -> Tensor:
    """dL/dW (num_embeddings, d) of the lookup, given dL/d(output) of shape ids.shape + (d,).

    Row i is the sum of grad_output over every position where ids == i (a scatter-add, index_add_).
    Cost: O(numel(ids) d).

    >>> embedding_backward(torch.tensor([1, 1, 0]), torch.ones(3, 2), 3)
    tensor([[1., 1.],
            [2., 2.],
            [0., 0.]])
    """
    _check_ids(ids, num_embeddings)
    if grad_output.shape[:-1] != ids.shape or grad_output.ndim != ids.ndim + 1:
        raise ValueError(f"grad_output should have shape ids.shape + (d,) = {tuple(ids.shape)} + (d,), got "
                         f"{tuple(grad_output.shape)}")
    d = grad_output.shape[-1]
    grad = torch.zeros(num_embeddings, d, dtype=grad_output.dtype, device=grad_output.device)
    return grad.index_add_(0, ids.reshape(-1).long(), grad_output.reshape(-1, d))


def _unit_rows(x: Tensor, eps: float, what: str) -> Tensor:
    if not isinstance(x, Tensor) or x.ndim != 2:
        raise ValueError(f"{what} must be a 2-D tensor (n, d), got shape {tuple(getattr(x, 'shape', ()))}")
    if not torch.is_floating_point(x):
        raise ValueError(f"{what} must be a floating-point tensor, got {x.dtype}")
    return x / torch.linalg.vector_norm(x, dim=1, keepdim=True).clamp_min(eps)


def cosine_similarity_matrix(a: Tensor, b: Tensor | None = None, eps: float = 1e-8) -> Tensor:
    """S[i, j] = a_i . b_j / (max(||a_i||, eps) max(||b_j||, eps)), shape (n, m); b defaults to a.

    a: (n, d), b: (m, d). Normalize the rows once, then one matrix product: O((n + m) d + n m d).

    >>> cosine_similarity_matrix(torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
    tensor([[1.0000, 0.7071],
            [0.7071, 1.0000]])
    """
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}")
    unit_a = _unit_rows(a, eps, "a")
    unit_b = unit_a if b is None else _unit_rows(b, eps, "b")
    if unit_a.shape[1] != unit_b.shape[1]:
        raise ValueError(f"a and b need the same width d, got {unit_a.shape[1]} and {unit_b.shape[1]}")
    return unit_a @ unit_b.T


def nearest_neighbors(table: Tensor, query_ids: Tensor, k: int) -> tuple[Tensor, Tensor]:
    """The k rows of `table` (V, d) most cosine-similar to each row table[q] for q in `query_ids` (Q,).

    The query row itself is left out. Returns (indices, similarities), both (Q, k), sorted by decreasing
    similarity; equal similarities keep the smaller index first. Cost: O(Q V d + Q V log V).
    """
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= table.shape[0] - 1:
        raise ValueError(f"k must be an integer in 1..V-1 = {table.shape[0] - 1}, got {k!r}")
    _check_ids(query_ids, table.shape[0])
    if query_ids.ndim != 1:
        raise ValueError(f"query_ids must be 1-D, got shape {tuple(query_ids.shape)}")
    sims = cosine_similarity_matrix(table[query_ids.long()], table)
    sims[torch.arange(len(query_ids)), query_ids.long()] = -torch.inf  # not your own neighbour
    values, order = torch.sort(sims, dim=1, descending=True, stable=True)
    return order[:, :k], values[:, :k]
