"""Our estimators against scikit-learn's: same data, same split, one process.

For each pair, fits both on the training part and prints the held-out score of each (accuracy for
classifiers, R² for regressors), the fit time of each (best of `--repeats`) and the ratio ours/sklearn.
Data: scikit-learn's bundled iris, wine, breast cancer, digits and diabetes sets, and seeded generated
sets (10k x 20). The issue's bars: quality within 1% of scikit-learn; fit time within 3x for linear
models, k-means, kNN and naive Bayes, within 20x for trees, forests and boosting.

    python benchmarks/ml.py [--repeats 3] [--threads 1]

``--threads N`` caps the BLAS / OpenMP threads of both sides (threadpoolctl): on a shared or busy machine,
oversubscribed BLAS threads make many small matrix products 10-20x slower and the ratios meaningless.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from rich.console import Console
from rich.table import Table
from sklearn import cluster, datasets, ensemble, linear_model, naive_bayes, neighbors, svm, tree
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from aieng.lib.ml import boosting, linear, logistic
from aieng.lib.ml import cluster as our_cluster
from aieng.lib.ml import ensemble as our_ensemble
from aieng.lib.ml import naive_bayes as our_nb
from aieng.lib.ml import neighbors as our_neighbors
from aieng.lib.ml import svm as our_svm
from aieng.lib.ml import tree as our_tree

Data = tuple[np.ndarray, np.ndarray]


def _standardized(load: Callable[..., tuple[np.ndarray, np.ndarray]]) -> Callable[[], Data]:
    def make() -> Data:
        x, y = load(return_X_y=True)
        return StandardScaler().fit_transform(x), y

    return make


def _generated_classification() -> Data:
    return datasets.make_classification(n_samples=10_000, n_features=20, n_informative=10, random_state=0)


def _generated_regression() -> Data:
    return datasets.make_regression(n_samples=10_000, n_features=20, noise=10.0, random_state=0)


def _counts() -> Data:
    x, y = datasets.load_digits(return_X_y=True)
    return x, y  # pixel intensities 0..16: counts for multinomial naive Bayes


def _binary(make: Callable[[], Data]) -> Callable[[], Data]:
    def binary() -> Data:
        x, y = make()
        return x, (y == np.unique(y)[0]).astype(int)  # the first class against the rest

    return binary


def _blobs() -> Data:
    return datasets.make_blobs(n_samples=10_000, n_features=20, centers=8, random_state=0)


CLASSIFICATION = {"iris": _standardized(datasets.load_iris), "wine": _standardized(datasets.load_wine),
                  "breast cancer": _standardized(datasets.load_breast_cancer),
                  "digits": _standardized(datasets.load_digits), "generated 10k x 20": _generated_classification}
REGRESSION = {"diabetes": _standardized(datasets.load_diabetes), "generated 10k x 20": _generated_regression}

PAIRS: list[tuple[str, Callable[[], BaseEstimator], Callable[[], BaseEstimator], dict[str, Callable[[], Data]]]] = [
    ("LinearRegression", linear.LinearRegression, linear_model.LinearRegression, REGRESSION),
    ("Ridge(alpha=1)", lambda: linear.Ridge(alpha=1.0), lambda: linear_model.Ridge(alpha=1.0), REGRESSION),
    ("Lasso(alpha=0.1)", lambda: linear.Lasso(alpha=0.1), lambda: linear_model.Lasso(alpha=0.1), REGRESSION),
    ("ElasticNet(alpha=0.1)", lambda: linear.ElasticNet(alpha=0.1), lambda: linear_model.ElasticNet(alpha=0.1),
     REGRESSION),
    ("LogisticRegression", lambda: logistic.LogisticRegression(max_iter=1000),
     lambda: linear_model.LogisticRegression(max_iter=1000), CLASSIFICATION),
    ("KNeighborsClassifier", our_neighbors.KNeighborsClassifier, neighbors.KNeighborsClassifier, CLASSIFICATION),
    ("KNeighborsRegressor", our_neighbors.KNeighborsRegressor, neighbors.KNeighborsRegressor, REGRESSION),
    ("GaussianNB", our_nb.GaussianNB, naive_bayes.GaussianNB, CLASSIFICATION),
    ("MultinomialNB", our_nb.MultinomialNB, naive_bayes.MultinomialNB, {"digits (counts)": _counts}),
    ("LinearSVC(hinge)", our_svm.LinearSVC, lambda: svm.LinearSVC(loss="hinge", max_iter=100_000), CLASSIFICATION),
    ("DecisionTreeClassifier(depth 8)", lambda: our_tree.DecisionTreeClassifier(max_depth=8, random_state=0),
     lambda: tree.DecisionTreeClassifier(max_depth=8, random_state=0), CLASSIFICATION),
    ("DecisionTreeRegressor(depth 8)", lambda: our_tree.DecisionTreeRegressor(max_depth=8, random_state=0),
     lambda: tree.DecisionTreeRegressor(max_depth=8, random_state=0), REGRESSION),
    ("RandomForestClassifier(30, depth 8)",
     lambda: our_ensemble.RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0),
     lambda: ensemble.RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0), CLASSIFICATION),
    ("RandomForestRegressor(30, depth 8)",
     lambda: our_ensemble.RandomForestRegressor(n_estimators=30, max_depth=8, random_state=0),
     lambda: ensemble.RandomForestRegressor(n_estimators=30, max_depth=8, random_state=0), REGRESSION),
    ("GradientBoostingClassifier", lambda: boosting.GradientBoostingClassifier(random_state=0),
     lambda: ensemble.GradientBoostingClassifier(random_state=0),
     {name: _binary(make) for name, make in CLASSIFICATION.items()}),
    ("GradientBoostingRegressor", lambda: boosting.GradientBoostingRegressor(random_state=0),
     lambda: ensemble.GradientBoostingRegressor(random_state=0), REGRESSION),
    ("KMeans(8) [score: -inertia]", lambda: our_cluster.KMeans(n_clusters=8, random_state=0),
     lambda: cluster.KMeans(n_clusters=8, random_state=0), {"blobs 10k x 20": _blobs}),
]


def _score(model: BaseEstimator, x: np.ndarray, y: np.ndarray) -> float:
    """Accuracy or R² from the estimator's own `score`; for a clusterer, minus its training inertia."""
    return -float(model.inertia_) if hasattr(model, "inertia_") else float(model.score(x, y))


def _fit_time(
    make: Callable[[], BaseEstimator], x: np.ndarray, y: np.ndarray, repeats: int
) -> tuple[float, BaseEstimator]:
    best, model = float("inf"), make()
    for _ in range(repeats):
        model = make()
        start = time.perf_counter()
        model.fit(x, y)
        best = min(best, time.perf_counter() - start)
    return best, model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="cap on BLAS / OpenMP threads (default: none)")
    args = parser.parse_args()
    with threadpool_limits(args.threads):
        _compare(args.repeats)


def _compare(repeats: int) -> None:
    """Fit every pair on every data set and print the table."""
    table = Table(title="aieng.lib.ml vs scikit-learn (held-out score; fit time, best of repeats)")
    for column in ("estimator", "data", "score ours", "score sklearn", "Δ score", "fit ours ms", "fit sklearn ms",
                   "time ratio"):
        table.add_column(column, justify="left" if column in ("estimator", "data") else "right")
    for name, ours, theirs, data in PAIRS:
        for data_name, load in data.items():
            x, y = load()
            x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0)
            t_ours, model_ours = _fit_time(ours, x_train, y_train, repeats)
            t_theirs, model_theirs = _fit_time(theirs, x_train, y_train, repeats)
            s_ours, s_theirs = _score(model_ours, x_test, y_test), _score(model_theirs, x_test, y_test)
            table.add_row(name, data_name, f"{s_ours:.4g}", f"{s_theirs:.4g}", f"{s_ours - s_theirs:+.4g}",
                          f"{1e3 * t_ours:.1f}", f"{1e3 * t_theirs:.1f}", f"{t_ours / t_theirs:.2f}x")
        table.add_section()
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
