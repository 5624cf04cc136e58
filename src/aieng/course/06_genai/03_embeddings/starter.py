"""Embeddings and cosine similarity — your implementation, in PyTorch.

Replace each `raise NotImplementedError` with code. Check it with `aieng check embeddings`.
torch.nn.Embedding, torch.nn.functional.embedding and torch's cosine_similarity are switched off while your
code runs, and so is autograd inside embedding_backward: write the scatter-add yourself.
"""

from __future__ import annotations

from torch import Tensor


def embedding(ids: Tensor, weight: Tensor) -> Tensor:
    """Look up rows of the table `weight` (V, d) for integer `ids` of any shape; return ids.shape + (d,).

    Must equal one_hot(ids, V) @ weight, and gradients must flow back to weight (plain indexing does both).
    Raise ValueError if ids is not an integer tensor, an id is outside 0..V-1, or weight is not 2-D.
    """
    raise NotImplementedError


def embedding_backward(ids: Tensor, grad_output: Tensor, num_embeddings: int) -> Tensor:
    """dL/d(weight), shape (num_embeddings, d), given dL/d(output) of shape ids.shape + (d,).

    Row i is the sum of grad_output over all positions where ids == i (zero where i never occurs): one_hot(ids)^T
    @ grad_output, computed as a scatter-add. Raise ValueError for mismatched shapes or out-of-range ids.
    """
    raise NotImplementedError


def cosine_similarity_matrix(a: Tensor, b: Tensor | None = None, eps: float = 1e-8) -> Tensor:
    """S[i, j] = a_i . b_j / (max(||a_i||, eps) * max(||b_j||, eps)) for a (n, d) and b (m, d); b defaults to a.

    Returns (n, m). A zero row has similarity 0 with everything. Raise ValueError for non-2-D inputs or
    different widths.
    """
    raise NotImplementedError


def nearest_neighbors(table: Tensor, query_ids: Tensor, k: int) -> tuple[Tensor, Tensor]:
    """For each id q in query_ids (Q,), the k rows of table (V, d) most cosine-similar to table[q], q itself
    excluded. Return (indices, similarities), both (Q, k), by decreasing similarity; among equal
    similarities the smaller index comes first. Raise ValueError unless 1 <= k <= V - 1.
    """
    raise NotImplementedError
