"""Graph convolution (Kipf & Welling) — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check gcn`.
Numpy only: the tests compare you with torch, so torch is not available to your code.

Shapes: n nodes; x (n, in) node features; adjacency (n, n) symmetric, non-negative, without the self-loops
(the layer adds them); weight (out, in) as in torch.nn.Linear; bias (out,).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def edge_list_to_adjacency(edges: ArrayLike, n_nodes: int) -> np.ndarray:
    """The symmetric 0/1 adjacency matrix (n_nodes, n_nodes) of the undirected graph with these edges (E, 2).

    Each row (i, j) links i and j both ways; a repeated edge counts once; (i, i) sets A[i, i] = 1.
    An empty edge list gives the zero matrix. Raise ValueError for a shape other than (E, 2) or a node
    index outside 0..n_nodes-1.
    """
    raise NotImplementedError


def normalized_adjacency(adjacency: ArrayLike) -> np.ndarray:
    """S = D^-1/2 (A + I) D^-1/2, shape (n, n), where D is the diagonal of the row sums of A + I.

    Raise ValueError unless the adjacency is square, finite, non-negative and symmetric.
    """
    raise NotImplementedError


def gcn_layer(x: ArrayLike, adjacency: ArrayLike, weight: ArrayLike, bias: ArrayLike,
              activation: str | None = "relu") -> np.ndarray:
    """One graph convolution: activation(S @ x @ weight.T + bias), shape (n, out), S = normalized_adjacency.

    activation is "relu" or None (no activation). Raise ValueError for shapes that do not fit or an unknown
    activation.
    """
    raise NotImplementedError


def gcn_layer_backward(x: ArrayLike, adjacency: ArrayLike, weight: ArrayLike, bias: ArrayLike, grad: ArrayLike,
                       activation: str | None = "relu") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of L = sum(grad * gcn_layer(x, adjacency, weight, bias, activation)), grad of shape (n, out).

    Return (grad_x (n, in), grad_weight (out, in), grad_bias (out,)).
    """
    raise NotImplementedError
