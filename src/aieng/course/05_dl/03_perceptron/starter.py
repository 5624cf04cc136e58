"""The perceptron and its limits — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check perceptron`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state  # noqa: F401  (for shuffling)
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class Perceptron(ClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron learning rule, one-vs-rest for more than two classes.

    Parameters
    ----------
    max_iter : int, default=1000
        Largest number of epochs; training also stops after the first epoch without a mistake.
    tol : float or None, default=1e-3
        scikit-learn's early stop: a class stops once its epoch's mean perceptron loss has not dropped
        below (best so far - tol) for `n_iter_no_change` epochs in a row. None switches it off.
    n_iter_no_change : int, default=5
    eta0 : float, default=1.0
        Step size of an update (must be positive).
    shuffle : bool, default=True
        Visit the samples in a new random order each epoch.
    random_state : int, RandomState instance or None, default=None

    Attributes (set by fit)
    -----------------------
    classes_ : (n_classes,) sorted labels
    coef_ : (1, n_features) for two classes (positive score -> classes_[1]), else (n_classes, n_features)
    intercept_ : (1,) or (n_classes,)
    n_iter_ : int, epochs run
    n_features_in_ : int (validate_data sets it)
    """

    def __init__(self, *, max_iter: int = 1000, tol: float | None = 1e-3, n_iter_no_change: int = 5,
                 eta0: float = 1.0, shuffle: bool = True,
                 random_state: int | np.random.RandomState | None = None) -> None:
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.eta0 = eta0
        self.shuffle = shuffle
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike) -> Perceptron:
        """Run the perceptron rule on X (n_samples, n_features) and y (n_samples,); return self.

        Raise ValueError for eta0 <= 0, max_iter < 1, or y with a single class.
        """
        raise NotImplementedError

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Scores X @ coef_.T + intercept_: shape (n_samples,) for two classes, else (n_samples, n_classes)."""
        raise NotImplementedError

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Labels (n_samples,): classes_[1] where the score is > 0 (two classes), else the highest-scoring class."""
        raise NotImplementedError


def xor_network(X: ArrayLike) -> np.ndarray:
    """XOR of two binary inputs by a two-layer network of step units with hand-set weights.

    X: (n, 2) of 0/1 -> (n,) of 0/1 integers. Raise ValueError if X is not of shape (n, 2).
    """
    raise NotImplementedError
