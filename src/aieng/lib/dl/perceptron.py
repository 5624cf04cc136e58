"""Rosenblatt's perceptron (1958), the first learning neuron, as a scikit-learn classifier, and the
hand-wired two-layer network that does what it cannot: XOR.

The perceptron predicts ``sign(w . x + b)``. Its learning rule visits the examples one at a time, with
labels t in {-1, +1}, and changes the weights only on a mistake:

    if t (w . x + b) <= 0:   w <- w + eta t x,   b <- b + eta t

If some hyperplane separates the two classes with margin gamma and every ||x|| <= R, the rule stops
after at most (R / gamma)^2 mistakes (Novikoff's theorem); if none does, it never settles. XOR, the four
corners of the unit square labelled by "exactly one coordinate is 1", is the classic case: no line puts
(0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other, so any linear classifier gets at least
one of the four wrong (Minsky and Papert, 1969). A hidden layer fixes it: XOR = OR and not AND.

Several classes are handled one-vs-rest, as scikit-learn's Perceptron does: one weight vector per class,
all trained on the same pass, each on "this class or not"; the prediction is the class whose score is
highest. With ``shuffle=False`` the weights are exactly those of sklearn.linear_model.Perceptron with
``shuffle=False, tol=None`` (the same rule on the same order).

Left out: the averaged and voted perceptrons, regularization (sklearn's ``penalty``), ``sample_weight``,
``class_weight``, ``partial_fit``, early stopping on a validation split.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class Perceptron(ClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron learning rule, one-vs-rest for more than two classes.

    Parameters
    ----------
    max_iter : int, default=1000
        Largest number of epochs (passes over the training data). Training stops earlier, after the
        first epoch without a mistake.
    tol : float or None, default=1e-3
        Stopping tolerance, as in scikit-learn: a class stops learning once its epoch's mean perceptron
        loss has not dropped below (best so far - tol) for `n_iter_no_change` epochs in a row. None turns
        this off (then only a clean epoch or `max_iter` stops training).
    n_iter_no_change : int, default=5
        Epochs without improvement to wait before stopping.
    eta0 : float, default=1.0
        Learning rate: the step ``w += eta0 * t * x`` taken on a mistake. With zero initial weights it
        only rescales w and b, so it does not change the predictions.
    shuffle : bool, default=True
        Visit the examples in a new random order each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
        The weights w; for two classes one vector, positive scores meaning ``classes_[1]``.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        The biases b.
    n_iter_ : int
        Epochs run; ``n_iter_ == max_iter`` means the rule did not converge (the data may not be
        linearly separable).
    n_features_in_ : int
        Number of features seen in fit.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> Perceptron(shuffle=False).fit(X, [0, 0, 0, 1]).predict(X)  # AND is linearly separable
    array([0, 0, 0, 1])
    """

    _expected_failed_checks: ClassVar[dict[str, str]] = {}  # it passes every check

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
        """Run the perceptron rule on X of shape (n_samples, n_features) and labels y of shape (n_samples,).

        Each epoch is one pass over the samples (in a random order if `shuffle`); a sample that some
        class's score gets wrong (``t * score <= 0``) moves that class's weights by ``eta0 * t * x``.
        Training stops after an epoch without mistakes, after `max_iter` epochs, or (per class, when `tol`
        is not None) once the epoch's mean perceptron loss ``mean(max(0, -t * score))`` has failed
        `n_iter_no_change` times in a row to beat the best so far by `tol`: scikit-learn's rule.
        Cost O(n_samples n_features n_classes) per epoch.
        """
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")
        if not (isinstance(self.n_iter_no_change, int | np.integer) and self.n_iter_no_change >= 1):
            raise ValueError(f"n_iter_no_change must be a positive integer, got {self.n_iter_no_change!r}")
        if not self.eta0 > 0:
            raise ValueError(f"eta0 must be positive, got {self.eta0!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        n_classes = self.classes_.size
        if n_classes < 2:
            raise ValueError(f"the perceptron needs samples of at least 2 classes, got 1 class: {self.classes_[0]!r}")
        # targets in {-1, +1}: one column for two classes (+1 = classes_[1]), one per class otherwise
        if n_classes == 2:
            targets = np.where(encoded == 1, 1.0, -1.0)[:, None]
        else:
            targets = np.where(encoded[:, None] == np.arange(n_classes), 1.0, -1.0)
        rng = check_random_state(self.random_state)
        n_samples, n_features = X.shape
        n_columns = targets.shape[1]
        weights, bias = np.zeros((n_columns, n_features)), np.zeros(n_columns)
        active = np.ones(n_columns, dtype=bool)        # columns (classes) still learning
        best_loss = np.full(n_columns, np.inf)
        stale = np.zeros(n_columns, dtype=int)          # epochs in a row without enough improvement
        n_iter = 0
        while n_iter < self.max_iter:
            n_iter += 1
            order = rng.permutation(n_samples) if self.shuffle else np.arange(n_samples)
            X_epoch, t_epoch = X[order], targets[order]
            loss = np.zeros(n_columns)
            start = mistakes = 0
            while start < n_samples:
                # The rule is sequential, but between two mistakes the weights do not change: score all
                # samples still to come at once and jump to the first one an active class gets wrong.
                margins = t_epoch[start:] * (X_epoch[start:] @ weights.T + bias)   # (remaining, n_columns)
                wrong = (margins <= 0) & active
                rows = wrong.any(axis=1)
                if not rows.any():
                    break
                i = int(rows.argmax())
                loss -= np.where(wrong[i], margins[i], 0.0)                      # max(0, -margin)
                step = self.eta0 * t_epoch[start + i] * wrong[i]                 # only wrong columns move
                weights += step[:, None] * X_epoch[start + i]
                bias += step
                start += i + 1
                mistakes += 1
            if mistakes == 0:  # a clean epoch: nothing will ever change again
                break
            if self.tol is not None:
                mean_loss = loss / n_samples
                stale = np.where(mean_loss > best_loss - self.tol, stale + 1, 0)
                best_loss = np.minimum(best_loss, mean_loss)
                active &= stale < self.n_iter_no_change
                if not active.any():
                    break
        self.coef_, self.intercept_, self.n_iter_ = weights, bias, n_iter
        return self

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Scores ``X w^T + b``: shape (n_samples,) for two classes (positive -> classes_[1]), else
        (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class labels of shape (n_samples,): the sign of the score, or the class with the highest score."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]


# ----------------------------------------------------------------------------- beyond one neuron: XOR


def step(z: ArrayLike) -> np.ndarray:
    """The threshold unit of the first neurons: 1 where z > 0, else 0 (as integers)."""
    return (np.asarray(z) > 0).astype(int)


def xor_network(X: ArrayLike) -> np.ndarray:
    """XOR of two binary inputs by a two-layer network of threshold units, with hand-set weights.

    X: (n, 2) of 0/1 -> (n,) of 0/1. Hidden unit 1 is OR (``x1 + x2 - 0.5 > 0``), hidden unit 2 is AND
    (``x1 + x2 - 1.5 > 0``), and the output fires for OR and not AND (``h1 - h2 - 0.5 > 0``). The hidden
    layer maps the four corners to (0, 0), (1, 0), (1, 0), (1, 1), where one line separates them.

    >>> xor_network(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]))
    array([0, 1, 1, 0])
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"xor_network takes inputs of shape (n, 2), got {X.shape}")
    w_hidden = np.array([[1.0, 1.0], [1.0, 1.0]])   # (2 hidden, 2 inputs), like torch.nn.Linear
    b_hidden = np.array([-0.5, -1.5])
    w_out = np.array([1.0, -1.0])
    hidden = step(X @ w_hidden.T + b_hidden)
    return step(hidden @ w_out - 0.5)
