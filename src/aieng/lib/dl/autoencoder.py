"""Autoencoders in numpy: a network trained to copy its input through a narrow bottleneck, x -> z -> x̂, with
a hand-written backward pass and Adam.

The encoder maps x (d features) to a code z of n_components < d numbers; the decoder maps z back to x̂.
Minimizing the reconstruction error ||x - x̂||² forces the code to keep what matters most about x.

- With no hidden layers every map is affine, x̂ = (x W_eᵀ + b_e) W_dᵀ + b_d, a reconstruction of rank k.
  By the Eckart–Young theorem no rank-k map can beat PCA with k components on the training data, and
  the linear autoencoder's minimum is exactly PCA's error: its decoder spans the principal subspace
  (though not with orthonormal, variance-sorted axes: any basis of that subspace is as good).
- With hidden layers and a non-linear activation, encoder and decoder can bend: the code follows a
  curved manifold (an arc, a spiral, handwritten digits), where PCA can only fit a flat subspace.
  Hence "non-linear PCA".

Architecture: layer sizes d -> hidden... -> k -> reversed(hidden)... -> d, the activation after every
hidden layer, none on the code and the output (both unconstrained real numbers). Weights have
torch.nn.Linear's layout (out, in) and its default initialization U(-1/sqrt(in), 1/sqrt(in)). The loss is
the mean squared error over all entries, minimized by mini-batch Adam (torch.optim.Adam's defaults
β = (0.9, 0.999), ε = 1e-8) over shuffled batches.

Left out: denoising and sparse autoencoders, convolutional encoders, tied weights, variational
autoencoders (a code that is a distribution you can sample from: see stage 06), early stopping.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

ACTIVATIONS = ("tanh", "relu")


class Autoencoder:
    """A fully connected autoencoder with a k-unit linear bottleneck, trained by mini-batch Adam on MSE.

    >>> x = np.random.default_rng(0).normal(size=(200, 3)) @ np.diag([3.0, 1.0, 0.1])
    >>> ae = Autoencoder(n_components=2, epochs=100, seed=0).fit(x, progress=False)
    >>> ae.encode(x).shape, ae.reconstruct(x).shape
    ((200, 2), (200, 3))

    Parameters: n_components (k, the code size), hidden (sizes of the encoder's hidden layers; the
    decoder mirrors them; () gives a linear autoencoder), activation ("tanh" or "relu"), learning_rate,
    epochs, batch_size, seed (initialization and shuffling; the same seed gives the same model).
    Fitted attributes: weights_ and biases_ (lists, encoder layers first), n_features_in_,
    loss_history_ (mean training loss of each epoch). An epoch costs O(n · Σ layer in·out).
    """

    def __init__(self, n_components: int, hidden: Sequence[int] = (), activation: str = "tanh",
                 learning_rate: float = 0.01, epochs: int = 200, batch_size: int = 32, seed: int = 0) -> None:
        if int(n_components) != n_components or n_components < 1:
            raise ValueError(f"n_components must be a positive whole number, got {n_components}")
        if any(int(h) != h or h < 1 for h in hidden):
            raise ValueError(f"hidden layer sizes must be positive whole numbers, got {tuple(hidden)}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if not learning_rate > 0 or int(epochs) != epochs or epochs < 1 or int(batch_size) != batch_size \
                or batch_size < 1:
            raise ValueError("learning_rate must be positive, epochs and batch_size positive whole numbers")
        self.n_components = int(n_components)
        self.hidden = tuple(int(h) for h in hidden)
        self.activation = activation
        self.learning_rate = learning_rate
        self.epochs = int(epochs)
        self.batch_size = int(batch_size)
        self.seed = seed

    # ------------------------------------------------------------------------------------- the network

    @property
    def _n_encoder_layers(self) -> int:
        return len(self.hidden) + 1

    def _act(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0.0)

    def _act_grad(self, a: np.ndarray) -> np.ndarray:
        """σ'(z) written with the activation's output a = σ(z) (both tanh and relu allow it)."""
        return 1.0 - a**2 if self.activation == "tanh" else (a > 0).astype(a.dtype)

    def _run(self, x: np.ndarray, layers: range) -> list[np.ndarray]:
        """Outputs of the given layers in order, starting from x (x first in the list)."""
        outputs = [x]
        for i in layers:
            z = outputs[-1] @ self.weights_[i].T + self.biases_[i]
            linear = i in (self._n_encoder_layers - 1, len(self.weights_) - 1)  # the code and the output
            outputs.append(z if linear else self._act(z))
        return outputs

    def _check(self, x: ArrayLike, what: str) -> np.ndarray:
        if not hasattr(self, "weights_"):
            raise ValueError("this Autoencoder is not fitted yet: call fit first")
        width = self.n_features_in_ if what == "x" else self.n_components
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != width:
            raise ValueError(f"{what} must have shape (n, {width}), got {x.shape}")
        return x

    def encode(self, x: ArrayLike) -> np.ndarray:
        """The codes z (n, k) of the rows of x (n, d)."""
        x = self._check(x, "x")
        return self._run(x, range(self._n_encoder_layers))[-1]

    def decode(self, z: ArrayLike) -> np.ndarray:
        """The reconstructions x̂ (n, d) of the codes z (n, k)."""
        z = self._check(z, "z")
        return self._run(z, range(self._n_encoder_layers, len(self.weights_)))[-1]

    def reconstruct(self, x: ArrayLike) -> np.ndarray:
        """decode(encode(x)), shape (n, d)."""
        return self.decode(self.encode(x))

    # --------------------------------------------------------------------------------------- training

    def fit(self, x: ArrayLike, progress: bool = True) -> Autoencoder:
        """Train on the rows of x (n, d) for `epochs` passes of shuffled mini-batches; return self.

        Backward pass, layer by layer from the output: with L = mean((x̂ - x)²) over the B·d entries of a
        batch, dL/dx̂ = 2 (x̂ - x) / (B·d); for a layer a_out = σ(a_in Wᵀ + b), δ = dL/da_out ⊙ σ'
        (σ' = 1 for the linear code and output layers), dL/dW = δᵀ a_in, dL/db = Σ_rows δ, and
        dL/da_in = δ W goes on to the layer below. `progress` shows a Rich progress bar with the loss.
        """
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] < 2:
            raise ValueError(f"x must be a 2-D array with at least 2 rows, got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ValueError("x contains NaN or infinite values")
        n, d = x.shape
        if self.n_components >= d:
            raise ValueError(f"the code must be narrower than the input: n_components = {self.n_components}, "
                             f"but x has only {d} features (the network could just copy it)")
        rng = np.random.default_rng(self.seed)
        sizes = [d, *self.hidden, self.n_components, *reversed(self.hidden), d]
        bounds = [1.0 / np.sqrt(fan_in) for fan_in in sizes[:-1]]
        self.weights_ = [rng.uniform(-bound, bound, (fan_out, fan_in))
                         for fan_in, fan_out, bound in zip(sizes[:-1], sizes[1:], bounds, strict=True)]
        self.biases_ = [rng.uniform(-bound, bound, fan_out) for fan_out, bound in zip(sizes[1:], bounds, strict=True)]
        self.n_features_in_ = d
        params = [*self.weights_, *self.biases_]
        first, second = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
        beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
        self.loss_history_: list[float] = []
        bar = _ProgressBar(self.epochs, enabled=progress)
        with bar:
            for _ in range(self.epochs):
                order = rng.permutation(n)
                total = 0.0
                for start in range(0, n, self.batch_size):
                    batch = x[order[start:start + self.batch_size]]
                    loss, grads = self._loss_and_grads(batch)
                    total += loss * len(batch)
                    step += 1
                    for p, g, m, v in zip(params, grads, first, second, strict=True):
                        m *= beta1
                        m += (1 - beta1) * g
                        v *= beta2
                        v += (1 - beta2) * g * g
                        p -= self.learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
                self.loss_history_.append(total / n)
                bar.advance(self.loss_history_[-1])
        return self

    def _loss_and_grads(self, batch: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """The batch's MSE and its gradients, ordered [*dW per layer, *db per layer]."""
        outputs = self._run(batch, range(len(self.weights_)))
        error = outputs[-1] - batch
        upstream = 2.0 * error / error.size
        n_layers = len(self.weights_)
        d_weights, d_biases = [None] * n_layers, [None] * n_layers
        for i in range(n_layers - 1, -1, -1):
            linear = i in (self._n_encoder_layers - 1, n_layers - 1)
            delta = upstream if linear else upstream * self._act_grad(outputs[i + 1])
            d_weights[i] = delta.T @ outputs[i]
            d_biases[i] = delta.sum(axis=0)
            upstream = delta @ self.weights_[i]
        return float(np.mean(error**2)), [*d_weights, *d_biases]


class _ProgressBar:
    """A Rich progress bar over epochs showing the last loss, or nothing when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled

    def __enter__(self) -> _ProgressBar:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("autoencoder"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("loss {task.fields[loss]:.5f}"), TimeRemainingColumn())
            self.progress.__enter__()
            self.task = self.progress.add_task("epochs", total=self.total, loss=float("nan"))
        return self

    def advance(self, loss: float) -> None:
        if self.enabled:
            self.progress.update(self.task, advance=1, loss=loss)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.__exit__(*exc)
