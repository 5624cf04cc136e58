"""Checks for `scaling`, against sklearn.preprocessing's MinMaxScaler, StandardScaler and RobustScaler."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import preprocessing
from sklearn.exceptions import NotFittedError

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible
from aieng.grader.strategies import rngs

LIBRARY_SCALERS = (
    "sklearn.preprocessing.MinMaxScaler", "sklearn.preprocessing.StandardScaler",
    "sklearn.preprocessing.RobustScaler", "sklearn.preprocessing.minmax_scale",
    "sklearn.preprocessing.scale", "sklearn.preprocessing.robust_scale",
)

# (class name, keyword arguments) pairs: the same arguments build the library's scaler
CONFIGS = [
    ("MinMaxScaler", {}), ("MinMaxScaler", {"feature_range": (-2.0, 3.0)}),
    ("StandardScaler", {}), ("StandardScaler", {"with_mean": False}), ("StandardScaler", {"with_std": False}),
    ("RobustScaler", {}), ("RobustScaler", {"quantile_range": (10.0, 80.0)}),
    ("RobustScaler", {"with_centering": False}),
]


def tables(rng, n, d, holes=False):
    """A random (n, d) table on a scale far from [0, 1]; with holes, about 15% NaN (row 0 complete)."""
    table = rng.normal(rng.uniform(-50, 50, d), rng.uniform(0.1, 20, d), (n, d))
    if holes:
        table[rng.random((n, d)) < 0.15] = np.nan
        table[0] = rng.normal(size=d)
    return table


def fit_both(impl, name, kwargs, train):
    """The learner's and the library's scaler, both fitted on `train` (library scalers off for the learner)."""
    expected = getattr(preprocessing, name)(**kwargs).fit(train)
    with forbid(impl, *LIBRARY_SCALERS):
        got = getattr(impl, name)(**kwargs).fit(train)
    return got, expected


@settings(max_examples=30)
@given(rngs(), st.integers(2, 40), st.integers(1, 5), st.sampled_from(CONFIGS))
def test_transform_matches_sklearn(impl, rng, n, d, config):
    """Each scaler, fitted on a training table, transforms a different test table exactly like its
    sklearn.preprocessing namesake (to 1e-10: the same arithmetic in a different order)."""
    name, kwargs = config
    train, test = tables(rng, n, d), tables(rng, 7, d)
    got, expected = fit_both(impl, name, kwargs, train)
    with forbid(impl, *LIBRARY_SCALERS):
        result = got.transform(test)
    assert_close(result, expected.transform(test), rtol=1e-10, atol=1e-10, what=f"{name}(**{kwargs}).transform")


@settings(max_examples=20)
@given(rngs(), st.integers(2, 40), st.integers(1, 5), st.sampled_from(CONFIGS))
def test_inverse_transform_undoes_transform(impl, rng, n, d, config):
    """inverse_transform(transform(X)) gives X back, and inverse_transform agrees with sklearn's."""
    name, kwargs = config
    train, test = tables(rng, n, d), tables(rng, 7, d)
    got, expected = fit_both(impl, name, kwargs, train)
    with forbid(impl, *LIBRARY_SCALERS):
        back = got.inverse_transform(got.transform(test))
        inverse = got.inverse_transform(test)
    assert_close(back, test, rtol=1e-9, atol=1e-9, what=f"{name}: inverse_transform(transform(X))")
    assert_close(inverse, expected.inverse_transform(test), rtol=1e-10, atol=1e-10, what=f"{name}.inverse_transform")


@settings(max_examples=15)
@given(rngs(), st.integers(3, 40), st.integers(1, 4), st.sampled_from(CONFIGS))
def test_nan_is_ignored_in_fit_and_kept_in_transform(impl, rng, n, d, config):
    """NaN entries are skipped when learning the statistics and stay NaN after transform, as in sklearn."""
    name, kwargs = config
    train, test = tables(rng, n, d, holes=True), tables(rng, 7, d, holes=True)
    got, expected = fit_both(impl, name, kwargs, train)
    assert_close(got.transform(test), expected.transform(test), rtol=1e-10, atol=1e-10,
                 what=f"{name}(**{kwargs}).transform with NaN")


def test_statistics_come_from_the_fit_data_only(impl):
    """No leakage: after fit(train), transform(test) uses the TRAINING statistics, whatever the test data are.
    StandardScaler fitted on [0, 2] (mean 1, std 1) sends 4 to 3; MinMaxScaler fitted on [0, 10] sends 20 to 2;
    RobustScaler fitted on [0, 1, 2, 3, 4] (median 2, IQR 2) sends 10 to 4."""
    cases = [("StandardScaler", [0.0, 2.0], 4.0, 3.0), ("MinMaxScaler", [0.0, 10.0], 20.0, 2.0),
             ("RobustScaler", [0.0, 1.0, 2.0, 3.0, 4.0], 10.0, 4.0)]
    for name, train, x, z in cases:
        scaler = getattr(impl, name)().fit(np.array(train)[:, None])
        assert_close(scaler.transform([[x]]), [[z]], what=f"{name} fitted on {train}, transform([[{x}]])")
        refitted = scaler.transform(np.array([[x], [x + 100.0]]))
        assert_close(refitted[0, 0], z, what=f"{name}: transform must not learn from the rows it transforms")


def test_constant_column_does_not_divide_by_zero(impl):
    """A column with no spread in training gets scale 1: its values map to a finite constant, never NaN or inf
    (compared with sklearn on a column of repeated 0.1, whose variance is round-off, not exactly 0)."""
    train = np.column_stack([np.full(9, 0.1), np.arange(9.0)])
    for name, kwargs in CONFIGS:
        got, expected = fit_both(impl, name, kwargs, train)
        result = got.transform(train)
        expect(bool(np.isfinite(result).all()), f"{name}(**{kwargs}) turned a constant column into NaN or inf")
        assert_close(result, expected.transform(train), rtol=1e-10, atol=1e-10, what=f"{name}(**{kwargs}) output")


def test_standard_scaler_uses_the_population_standard_deviation(impl):
    """StandardScaler divides by the standard deviation with ddof = 0 (divide by n): [0, 2] becomes [-1, 1]."""
    assert_close(impl.StandardScaler().fit_transform([[0.0], [2.0]]), [[-1.0], [1.0]], what="StandardScaler on [0, 2]")


def test_bad_parameters_wrong_shapes_and_unfitted_use_raise(impl):
    """feature_range (1, 0) and quantile_range (80, 20) raise ValueError in fit; so does transforming a table
    with a different number of columns; transform before fit raises NotFittedError."""
    table = np.arange(12.0).reshape(6, 2)
    assert_raises_value_error(impl.MinMaxScaler(feature_range=(1.0, 0.0)).fit, table, why="the range is empty")
    assert_raises_value_error(impl.RobustScaler(quantile_range=(80.0, 20.0)).fit, table,
                              why="the low percentile must be below the high one")
    assert_raises_value_error(impl.StandardScaler().fit(table).transform, np.ones((2, 3)), why="fit saw 2 columns")
    for name in ("MinMaxScaler", "StandardScaler", "RobustScaler"):
        with pytest.raises(NotFittedError):
            getattr(impl, name)().transform(table)


def test_scalers_do_not_import_sklearn_preprocessing(impl):
    """Your scalers are yours: the module does not import from sklearn.preprocessing."""
    assert_not_imported(impl, "sklearn.preprocessing")


@pytest.mark.parametrize("name", ["MinMaxScaler", "StandardScaler", "RobustScaler"])
def test_scalers_pass_sklearn_estimator_checks(impl, name):
    """Each scaler passes scikit-learn's own estimator checks (fit returns self, validation, NaN allowed...)."""
    assert_sklearn_compatible(getattr(impl, name)())


def test_scaler_in_a_pipeline_grid_search(impl):
    """Pipeline(StandardScaler, KNeighborsClassifier) on the wine data, tuned by GridSearchCV over n_neighbors:
    the cross-validated accuracies match the same search with sklearn's StandardScaler to within one sample
    per fold (a distance tie could flip one neighbour), and the scaler is refitted inside every fold."""
    from sklearn.datasets import load_wine
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline

    features, target = load_wine(return_X_y=True)
    grid = {"knn__n_neighbors": [1, 5, 15]}

    def search(scaler):
        pipe = Pipeline([("scale", scaler), ("knn", KNeighborsClassifier())])
        return GridSearchCV(pipe, grid, cv=5).fit(features, target)

    expected, got = search(preprocessing.StandardScaler()), search(impl.StandardScaler())
    assert_close(got.cv_results_["mean_test_score"], expected.cv_results_["mean_test_score"], atol=1 / 35,
                 what="mean cross-validated accuracy per n_neighbors")
