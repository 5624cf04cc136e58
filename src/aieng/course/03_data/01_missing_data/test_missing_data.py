"""Checks for `missing-data`, against pandas (isna, dropna) and scikit-learn's SimpleImputer and KNNImputer."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError
from sklearn.impute import KNNImputer, SimpleImputer

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible
from aieng.grader.strategies import rngs

LIBRARY_IMPUTERS = ("sklearn.impute.SimpleImputer", "sklearn.impute.KNNImputer")


def with_holes(rng, n, d, rate=0.3, integers=False):
    """A random (n, d) table with about `rate` of its entries set to NaN; row 0 stays complete, so every
    column has at least one observed value."""
    table = rng.integers(-4, 5, (n, d)).astype(float) if integers else rng.normal(0.0, 3.0, (n, d))
    table[rng.random((n, d)) < rate] = np.nan
    table[0] = rng.normal(size=d)
    return table


@given(rngs(), st.integers(1, 25), st.integers(1, 6))
def test_missing_counts_and_fractions_match_pandas(impl, rng, n, d):
    """missing_counts(X) and missing_fractions(X) equal pandas' X.isna().sum() and X.isna().mean(), per column."""
    table = rng.normal(size=(n, d))
    table[rng.random((n, d)) < 0.4] = np.nan
    frame = pd.DataFrame(table)
    assert_close(impl.missing_counts(table), frame.isna().sum().to_numpy(), what="missing_counts(X)")
    assert_close(impl.missing_fractions(table), frame.isna().mean().to_numpy(), what="missing_fractions(X)")


def test_none_counts_as_missing_in_object_tables(impl):
    """In a table of Python objects, None is missing too (as pandas.isna says), and so is NaN."""
    table = np.array([["a", None], [np.nan, "b"], ["c", None]], dtype=object)
    assert_close(impl.missing_counts(table), [1, 2], what="missing_counts of an object table")


@given(rngs(), st.integers(1, 25), st.integers(1, 6))
def test_complete_rows_is_what_dropna_keeps(impl, rng, n, d):
    """X[complete_rows(X)] keeps exactly the rows pandas' dropna() keeps (no missing entry at all)."""
    table = rng.normal(size=(n, d))
    table[rng.random((n, d)) < 0.2] = np.nan
    mask = np.asarray(impl.complete_rows(table))
    expect(mask.dtype == bool and mask.shape == (n,), f"complete_rows should give a boolean mask of shape ({n},)")
    kept = pd.DataFrame(table).dropna().index.to_numpy()
    assert_close(np.flatnonzero(mask), kept, what="indices of the complete rows")


def test_describing_functions_reject_bad_tables(impl):
    """A 1-D input is not a table, and a table without rows has no missing fraction: both raise ValueError."""
    assert_raises_value_error(impl.missing_counts, np.ones(3), why="the functions describe 2-D tables")
    assert_raises_value_error(impl.missing_fractions, np.ones((0, 3)), why="0 of 0 rows is not a fraction")


@settings(max_examples=15)
@given(rngs(), st.integers(1, 30), st.integers(1, 5), st.sampled_from(["mean", "median", "most_frequent", "constant"]))
def test_simple_imputer_matches_sklearn(impl, rng, n, d, strategy):
    """SimpleImputer(strategy=...) fitted on a training table fills a different test table exactly as
    sklearn.impute.SimpleImputer does (integer-valued data, so most_frequent has real ties: smallest wins)."""
    train = with_holes(rng, n, d, integers=True)
    test = with_holes(rng, 6, d, integers=True)
    fill = 7.5 if strategy == "constant" else None
    expected = SimpleImputer(strategy=strategy, fill_value=fill).fit(train).transform(test)
    with forbid(impl, *LIBRARY_IMPUTERS):
        got = impl.SimpleImputer(strategy=strategy, fill_value=fill).fit(train).transform(test)
    assert_close(got, expected, rtol=1e-12, atol=1e-12, what=f"SimpleImputer(strategy={strategy!r}) output")


def test_simple_imputer_learns_from_training_data_only(impl):
    """Statistics come from fit: a test table with huge values is filled with the TRAINING mean, not its own."""
    train = np.array([[1.0], [np.nan], [3.0]])
    test = np.array([[1000.0], [np.nan], [3000.0]])
    imputer = impl.SimpleImputer(strategy="mean").fit(train)
    assert_close(imputer.transform(test), [[1000.0], [2.0], [3000.0]], what="transform(test) after fit(train)")
    assert_close(imputer.statistics_, [2.0], what="statistics_ (one value per column)")


def test_transform_does_not_change_its_input(impl):
    """transform returns a new array: the caller's table still has its NaN afterwards."""
    table = np.array([[1.0, np.nan], [3.0, 4.0]])
    impl.SimpleImputer().fit(table).transform(table)
    expect(np.isnan(table[0, 1]), "transform overwrote the caller's array; work on a copy")


@settings(max_examples=15)
@given(rngs(), st.integers(2, 30), st.integers(1, 5), st.integers(1, 6), st.sampled_from(["uniform", "distance"]))
def test_knn_imputer_matches_sklearn(impl, rng, n, d, k, weights):
    """KNNImputer(n_neighbors=k, weights=...) fills a test table as sklearn.impute.KNNImputer does, to 1e-9:
    donors are training rows observing the column, distance is nan_euclidean, no common coordinate -> mean."""
    train = with_holes(rng, n, d)
    test = with_holes(rng, 8, d, rate=0.4)
    expected = KNNImputer(n_neighbors=k, weights=weights).fit(train).transform(test)
    with forbid(impl, *LIBRARY_IMPUTERS, "sklearn.metrics.pairwise.nan_euclidean_distances"):
        got = impl.KNNImputer(n_neighbors=k, weights=weights).fit(train).transform(test)
    assert_close(got, expected, rtol=1e-9, atol=1e-9, what=f"KNNImputer(n_neighbors={k}, weights={weights!r})")


@settings(max_examples=10)
@given(rngs(), st.integers(2, 30), st.integers(1, 5))
def test_knn_imputer_fit_transform_matches_sklearn(impl, rng, n, d):
    """fit_transform on one table equals sklearn's: a row never donates to itself (its own value is missing)."""
    train = with_holes(rng, n, d)
    expected = KNNImputer(n_neighbors=3).fit_transform(train)
    with forbid(impl, *LIBRARY_IMPUTERS):
        got = impl.KNNImputer(n_neighbors=3).fit_transform(train)
    assert_close(got, expected, rtol=1e-9, atol=1e-9, what="KNNImputer(n_neighbors=3).fit_transform(X)")


def test_bad_parameters_and_unfitted_use_raise(impl):
    """An unknown strategy or n_neighbors=0 raises ValueError in fit; transform before fit raises NotFittedError;
    a test table with a different number of columns raises ValueError."""
    table = np.array([[1.0, np.nan], [3.0, 4.0]])
    assert_raises_value_error(impl.SimpleImputer(strategy="mode").fit, table, why="'mode' is not a strategy")
    assert_raises_value_error(impl.KNNImputer(n_neighbors=0).fit, table, why="a neighbourhood needs a neighbour")
    with pytest.raises(NotFittedError):
        impl.SimpleImputer().transform(table)
    fitted = impl.SimpleImputer().fit(table)
    assert_raises_value_error(fitted.transform, np.ones((2, 3)), why="fit saw 2 columns, not 3")


def test_imputers_do_not_import_sklearn_impute(impl):
    """Your imputers are yours: the module does not import from sklearn.impute."""
    assert_not_imported(impl, "sklearn.impute")


def test_simple_imputer_passes_sklearn_estimator_checks(impl):
    """SimpleImputer passes scikit-learn's own estimator checks (fit returns self, validation, NotFittedError...)."""
    assert_sklearn_compatible(impl.SimpleImputer())


def test_knn_imputer_passes_sklearn_estimator_checks(impl):
    """KNNImputer passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.KNNImputer())


def test_imputer_works_inside_a_pipeline_with_cross_validation(impl):
    """Pipeline(imputer, LinearRegression) scored by cross_val_score gives the same scores as the same
    pipeline built with sklearn's SimpleImputer: each fold imputes with statistics of its own training part."""
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(3)
    features = with_holes(rng, 60, 3, rate=0.2)
    target = np.nan_to_num(features) @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=60)
    expected = cross_val_score(make_pipeline(SimpleImputer(), LinearRegression()), features, target, cv=4)
    got = cross_val_score(make_pipeline(impl.SimpleImputer(), LinearRegression()), features, target, cv=4)
    assert_close(got, expected, rtol=1e-9, what="cross-validated R^2 of the pipeline")
