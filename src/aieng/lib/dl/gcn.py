"""Graph convolutional networks (Kipf & Welling, 2017) in numpy: the normalized adjacency, the GCN layer
with its backward pass, a planted-partition graph generator and a two-layer node classifier.

A graph with n nodes is an adjacency matrix A (n, n) (A_ij > 0 when i and j are linked, symmetric for an
undirected graph) plus a feature matrix X (n, F), one row per node. A GCN layer mixes every node's
features with its neighbours' and then applies a shared linear map:

    H' = σ(Ŝ H Wᵀ + b),   Ŝ = D̂^(-1/2) Â D̂^(-1/2),   Â = A + I,   D̂_ii = Σ_j Â_ij.

The self-loops (+ I) keep a node's own features in the mix; the symmetric normalization makes the
weights of a node's neighbourhood independent of its degree's scale (Ŝ's eigenvalues lie in (-1, 1]), so
stacking layers neither blows up nor shrinks the features. Row i of Ŝ H is
Σ_j Â_ij h_j / sqrt(d̂_i d̂_j): a degree-weighted average of the neighbourhood — "message passing".
W has torch.nn.Linear's layout (out, in), like the `lin.weight` of torch_geometric.nn.GCNConv, whose
bias is added after the aggregation, as here.

Left out: sparse matrices (a real library stores the E edges, not n² entries, and aggregates in O(E·F)),
directed graphs (GCNConv normalizes by in-degree there), edge features, attention (GAT), sampling for
large graphs (GraphSAGE), batching several graphs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

ACTIVATIONS = ("relu", None)


def edge_list_to_adjacency(edges: ArrayLike, n_nodes: int) -> np.ndarray:
    """The dense symmetric 0/1 adjacency matrix (n_nodes, n_nodes) of an undirected graph given as edges (E, 2).

    Each row (i, j) links i and j both ways; a repeated edge counts once; (i, i) is a self-loop
    (A_ii = 1). An empty edge list gives the zero matrix (isolated nodes). Cost O(n² + E).

    >>> edge_list_to_adjacency([[0, 1], [1, 2]], 3)
    array([[0., 1., 0.],
           [1., 0., 1.],
           [0., 1., 0.]])
    """
    if int(n_nodes) != n_nodes or n_nodes < 0:
        raise ValueError(f"n_nodes must be a non-negative whole number, got {n_nodes}")
    edges = np.asarray(edges)
    if edges.size == 0:
        edges = edges.reshape(0, 2)
    if edges.ndim != 2 or edges.shape[1] != 2:
        raise ValueError(f"edges must have shape (E, 2), one (source, target) pair per row, got {edges.shape}")
    if not np.issubdtype(edges.dtype, np.integer):
        if not np.all(np.isfinite(edges)) or not np.all(edges == np.round(edges)):
            raise ValueError("edges must hold whole-number node indices")
        edges = edges.astype(np.int64)
    if edges.size and (edges.min() < 0 or edges.max() >= n_nodes):
        raise ValueError(f"node indices must lie in 0..{int(n_nodes) - 1}, got {edges.min()}..{edges.max()}")
    adjacency = np.zeros((int(n_nodes), int(n_nodes)))
    adjacency[edges[:, 0], edges[:, 1]] = 1.0
    adjacency[edges[:, 1], edges[:, 0]] = 1.0
    return adjacency


def _check_adjacency(adjacency: ArrayLike) -> np.ndarray:
    a = np.asarray(adjacency)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"the adjacency matrix must be square (n, n), got shape {a.shape}")
    a = a.astype(np.result_type(a.dtype, np.float32), copy=False)
    if not np.all(np.isfinite(a)):
        raise ValueError("the adjacency matrix contains NaN or infinite entries")
    if np.any(a < 0):
        raise ValueError("edge weights must be non-negative")
    if not np.allclose(a, a.T, rtol=1e-6, atol=1e-12):
        raise ValueError("the adjacency matrix must be symmetric (an undirected graph)")
    return a


def normalized_adjacency(adjacency: ArrayLike) -> np.ndarray:
    """Ŝ = D̂^(-1/2) (A + I) D̂^(-1/2) for a symmetric, non-negative adjacency A (n, n); shape (n, n).

    D̂ is the diagonal of the row sums of A + I (each node's degree plus one), never zero thanks to the
    self-loop, so isolated nodes are fine (their row of Ŝ is just 1 on the diagonal). Written as a
    broadcast, Ŝ_ij = Â_ij / sqrt(d̂_i d̂_j): no diagonal matrix is ever formed. Cost O(n²).

    >>> normalized_adjacency(np.array([[0.0, 1.0], [1.0, 0.0]]))  # Â is all ones, d̂ = (2, 2)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    a = _check_adjacency(adjacency)
    a_hat = a + np.eye(a.shape[0], dtype=a.dtype)
    inv_sqrt_degree = 1.0 / np.sqrt(a_hat.sum(axis=1))
    return inv_sqrt_degree[:, None] * a_hat * inv_sqrt_degree[None, :]


def _layer_arrays(x: ArrayLike, adjacency: ArrayLike, weight: ArrayLike, bias: ArrayLike,
                  activation: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    x, weight, bias = np.asarray(x), np.asarray(weight), np.asarray(bias)
    s = normalized_adjacency(adjacency)
    dtype = np.result_type(x.dtype, weight.dtype, bias.dtype, s.dtype, np.float32)
    if x.ndim != 2 or x.shape[0] != s.shape[0]:
        raise ValueError(f"x must have shape (n_nodes, features) = ({s.shape[0]}, F), got {x.shape}")
    if weight.ndim != 2 or weight.shape[1] != x.shape[1]:
        raise ValueError(f"weight must have shape (out, in) with in = {x.shape[1]} (torch.nn.Linear's layout), "
                         f"got {weight.shape}")
    if bias.shape != (weight.shape[0],):
        raise ValueError(f"bias must have shape ({weight.shape[0]},), got {bias.shape}")
    return x.astype(dtype, copy=False), s.astype(dtype, copy=False), weight.astype(dtype), bias.astype(dtype)


def gcn_layer(x: ArrayLike, adjacency: ArrayLike, weight: ArrayLike, bias: ArrayLike,
              activation: str | None = "relu") -> np.ndarray:
    """One graph convolution: σ(Ŝ X Wᵀ + b), shape (n_nodes, out).

    x (n, in) node features, adjacency (n, n) symmetric and non-negative *without* self-loops (the layer
    adds them and normalizes), weight (out, in), bias (out,), activation "relu" or None (for the last
    layer, whose outputs are logits). Ŝ (X Wᵀ) and (Ŝ X) Wᵀ are equal; transforming first is cheaper when
    out < in. Cost O(n²·out + n·in·out).
    """
    x, s, w, b = _layer_arrays(x, adjacency, weight, bias, activation)
    z = s @ (x @ w.T) + b
    return np.maximum(z, 0.0) if activation == "relu" else z


def gcn_layer_backward(x: ArrayLike, adjacency: ArrayLike, weight: ArrayLike, bias: ArrayLike, grad: ArrayLike,
                       activation: str | None = "relu") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of sum(grad ⊙ gcn_layer(...)): (grad_x (n, in), grad_weight (out, in), grad_bias (out,)).

    With Z = Ŝ X Wᵀ + b and δ = grad ⊙ σ'(Z) (relu' = 1 where Z > 0, else 0):
    dL/dX = Ŝᵀ δ W (Ŝ is symmetric, so Ŝ δ W), dL/dW = δᵀ (Ŝ X), dL/db = Σ_nodes δ. The graph is not a
    parameter, so there is no gradient for it.
    """
    x, s, w, b = _layer_arrays(x, adjacency, weight, bias, activation)
    mixed = s @ x
    z = mixed @ w.T + b
    grad = np.asarray(grad)
    if grad.shape != z.shape:
        raise ValueError(f"grad must have the output's shape {z.shape}, got {grad.shape}")
    delta = grad * (z > 0) if activation == "relu" else grad.astype(z.dtype, copy=False)
    return s.T @ (delta @ w), delta.T @ mixed, delta.sum(axis=0)


# ------------------------------------------------------------------------------ a node-classification demo


def planted_partition(n_per_block: int, n_blocks: int, p_in: float, p_out: float,
                      seed: int | np.random.Generator = 0) -> tuple[np.ndarray, np.ndarray]:
    """A stochastic block model graph: n_blocks communities of n_per_block nodes each; two nodes are linked
    with probability p_in inside a community and p_out across (independently, no self-loops).

    Returns (adjacency (n, n) symmetric 0/1, labels (n,) the community of each node). With p_in > p_out a
    node's neighbours mostly share its label — the homophily a GCN exploits. Cost O(n²).
    """
    if not (0 <= p_out <= 1 and 0 <= p_in <= 1):
        raise ValueError(f"probabilities must lie in [0, 1], got p_in={p_in}, p_out={p_out}")
    if n_per_block < 1 or n_blocks < 1:
        raise ValueError("need at least one block of at least one node")
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(n_blocks), n_per_block)
    p = np.where(labels[:, None] == labels[None, :], p_in, p_out)
    upper = np.triu(rng.random(p.shape) < p, k=1)
    return (upper | upper.T).astype(np.float64), labels


class GCNClassifier:
    """A two-layer GCN for semi-supervised node classification: logits = Ŝ relu(Ŝ X W1ᵀ + b1) W2ᵀ + b2.

    Trained full-batch with Adam (and weight decay on the first layer) on the cross-entropy of the labelled
    nodes only; every node's features and edges take part in the forward pass, so the graph carries the
    labels' information to the unlabelled nodes, whose labels `predict` returns. Cost per epoch O(n²·hidden).

    >>> a, y = planted_partition(20, 2, 0.3, 0.02, seed=0)
    >>> x = np.eye(2)[y] + np.random.default_rng(0).normal(0, 1.5, (40, 2))
    >>> model = GCNClassifier(hidden=8, seed=0).fit(a, x, y, np.arange(0, 40, 5))
    >>> model.predict(a, x).shape
    (40,)
    """

    def __init__(self, hidden: int = 16, epochs: int = 200, learning_rate: float = 0.01,
                 weight_decay: float = 5e-4, seed: int = 0) -> None:
        self.hidden = hidden
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.seed = seed

    def _logits(self, s: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w1, b1, w2, b2 = self.params_
        z1 = s @ (x @ w1.T) + b1
        h1 = np.maximum(z1, 0.0)
        return z1, s @ (h1 @ w2.T) + b2

    def fit(self, adjacency: ArrayLike, x: ArrayLike, labels: ArrayLike, train_index: ArrayLike) -> GCNClassifier:
        """Learn from the labels of the nodes in `train_index`; every node's features and edges are seen."""
        s = normalized_adjacency(adjacency)
        x = np.asarray(x, dtype=np.float64)
        labels = np.asarray(labels)
        train_index = np.asarray(train_index)
        if x.shape[0] != s.shape[0] or labels.shape != (s.shape[0],):
            raise ValueError("x and labels need one row per node of the graph")
        self.classes_, y = np.unique(labels, return_inverse=True)
        rng = np.random.default_rng(self.seed)
        k, f = len(self.classes_), x.shape[1]

        def glorot(rows: int, cols: int) -> np.ndarray:
            bound = np.sqrt(6.0 / (rows + cols))
            return rng.uniform(-bound, bound, (rows, cols))

        self.params_ = [glorot(self.hidden, f), np.zeros(self.hidden), glorot(k, self.hidden), np.zeros(k)]
        moments = [(np.zeros_like(p), np.zeros_like(p)) for p in self.params_]
        one_hot = np.eye(k)[y[train_index]]
        self.loss_history_ = []
        for step in range(1, self.epochs + 1):
            z1, logits = self._logits(s, x)
            shifted = logits[train_index] - logits[train_index].max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            self.loss_history_.append(float(-(one_hot * log_p).sum(axis=1).mean()))
            d_logits = np.zeros_like(logits)
            d_logits[train_index] = (np.exp(log_p) - one_hot) / len(train_index)
            w1, _, w2, _ = self.params_
            h1 = np.maximum(z1, 0.0)
            sh1 = s @ h1
            d_w2, d_b2 = d_logits.T @ sh1, d_logits.sum(axis=0)
            d_z1 = (s @ (d_logits @ w2)) * (z1 > 0)
            d_w1, d_b1 = d_z1.T @ (s @ x), d_z1.sum(axis=0)
            grads = [d_w1 + self.weight_decay * w1, d_b1, d_w2, d_b2]  # weight decay on the first layer, as Kipf
            for p, g, (m, v) in zip(self.params_, grads, moments, strict=True):
                m *= 0.9
                m += 0.1 * g
                v *= 0.999
                v += 0.001 * g * g
                p -= self.learning_rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        return self

    def predict(self, adjacency: ArrayLike, x: ArrayLike) -> np.ndarray:
        """The predicted label of every node, shape (n,)."""
        _, logits = self._logits(normalized_adjacency(adjacency), np.asarray(x, dtype=np.float64))
        return self.classes_[np.argmax(logits, axis=1)]
