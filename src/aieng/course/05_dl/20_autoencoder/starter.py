"""Autoencoders — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check autoencoder`.
Numpy only, with your own forward and backward pass and your own Adam.

Architecture: layer sizes [d, *hidden, k, *reversed(hidden), d]; the activation after every layer except
the code layer and the output layer; weights (out, in) as in torch.nn.Linear.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike


class Autoencoder:
    """A fully connected autoencoder with a k-unit linear bottleneck, trained by mini-batch Adam on the MSE.

    n_components: k, the code size (must be smaller than the number of features)
    hidden: sizes of the encoder's hidden layers (the decoder mirrors them); () gives a linear autoencoder
    activation: "tanh" or "relu"
    learning_rate, epochs, batch_size: Adam's step size (betas 0.9, 0.999, eps 1e-8), passes over the data,
        rows per mini-batch
    seed: initialization and shuffling; the same seed must give the same model
    Raise ValueError for parameters that make no sense (n_components < 1, an unknown activation, ...).
    """

    def __init__(self, n_components: int, hidden: Sequence[int] = (), activation: str = "tanh",
                 learning_rate: float = 0.01, epochs: int = 200, batch_size: int = 32, seed: int = 0) -> None:
        raise NotImplementedError

    def fit(self, x: ArrayLike, progress: bool = True) -> Autoencoder:
        """Train on the rows of x (n, d) for `epochs` passes of shuffled mini-batches; return self.

        Sets loss_history_ (a list with each epoch's mean training loss). Shows a Rich progress bar
        (rich.progress.Progress) unless progress is False. Raise ValueError unless x is 2-D, finite, has at
        least 2 rows and more features than n_components.
        """
        raise NotImplementedError

    def encode(self, x: ArrayLike) -> np.ndarray:
        """The codes (n, k) of the rows of x (n, d). ValueError before fit or for the wrong width."""
        raise NotImplementedError

    def decode(self, z: ArrayLike) -> np.ndarray:
        """The reconstructions (n, d) of the codes z (n, k). ValueError before fit or for the wrong width."""
        raise NotImplementedError

    def reconstruct(self, x: ArrayLike) -> np.ndarray:
        """decode(encode(x)), shape (n, d)."""
        raise NotImplementedError
