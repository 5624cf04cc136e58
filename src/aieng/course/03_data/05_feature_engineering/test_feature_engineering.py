"""Checks for `feature-engineering`, against sklearn.preprocessing's PolynomialFeatures and KBinsDiscretizer,
numpy's log1p/expm1, math.log1p and pandas' .dt accessors."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import preprocessing
from sklearn.exceptions import NotFittedError

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible
from aieng.grader.strategies import rngs

LIBRARY = ("sklearn.preprocessing.PolynomialFeatures", "sklearn.preprocessing.KBinsDiscretizer",
           "sklearn.preprocessing.FunctionTransformer")
PARTS = ("year", "month", "day", "hour", "minute", "dayofweek", "dayofyear")


@given(rngs(), st.integers(1, 20), st.integers(1, 4), st.integers(0, 3), st.booleans(), st.booleans())
def test_polynomial_features_match_sklearn(impl, rng, n, d, degree, interaction_only, include_bias):
    """PolynomialFeatures(degree, interaction_only, include_bias) gives sklearn's columns in sklearn's order
    (by degree, then lexicographic in the column indices), to 1e-12."""
    if degree == 0 and not include_bias:
        degree = 1  # degree 0 without the bias column has no output at all
    train, test = rng.normal(size=(n, d)), rng.normal(0.0, 2.0, (5, d))
    kwargs = {"degree": degree, "interaction_only": interaction_only, "include_bias": include_bias}
    expected = preprocessing.PolynomialFeatures(**kwargs).fit(train).transform(test)
    with forbid(impl, *LIBRARY):
        got = impl.PolynomialFeatures(**kwargs).fit(train).transform(test)
    assert_close(got, expected, rtol=1e-12, atol=1e-12, what=f"PolynomialFeatures(**{kwargs}).transform")


@settings(max_examples=30)
@given(rngs(), st.integers(2, 40), st.integers(1, 3), st.integers(2, 6), st.sampled_from(["uniform", "quantile"]),
       st.booleans())
def test_kbins_match_sklearn(impl, rng, n, d, n_bins, strategy, ties):
    """KBinsDiscretizer(n_bins, strategy) fitted on training data gives the same bin index as sklearn's
    KBinsDiscretizer(encode="ordinal") on new data, exactly: equal-width edges, or quantile edges
    (numpy's "averaged_inverted_cdf") with edges closer than 1e-8 merged; out-of-range values go to the end bins."""
    train = rng.integers(0, 4, (n, d)).astype(float) if ties else rng.exponential(3.0, (n, d))
    test = rng.uniform(-2.0, 12.0, (9, d))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns about merged bins and constant columns
        expected = preprocessing.KBinsDiscretizer(n_bins=n_bins, strategy=strategy, encode="ordinal")
        expected = expected.fit(train).transform(test)
        with forbid(impl, *LIBRARY):
            got = impl.KBinsDiscretizer(n_bins=n_bins, strategy=strategy).fit(train).transform(test)
    assert_close(got, expected, rtol=0, atol=0, what=f"KBinsDiscretizer(n_bins={n_bins}, strategy={strategy!r})")


def test_quantile_bins_hold_equal_counts(impl):
    """With 100 distinct training values and 4 quantile bins, each bin holds exactly 25 training rows."""
    values = np.random.default_rng(0).exponential(size=(100, 1))
    bins = impl.KBinsDiscretizer(n_bins=4, strategy="quantile").fit(values).transform(values)
    assert_close(np.bincount(bins[:, 0].astype(int), minlength=4), [25, 25, 25, 25], what="rows per quantile bin")


@given(rngs(), st.integers(1, 30), st.integers(1, 3))
def test_log1p_transformer_matches_numpy_and_inverts(impl, rng, n, d):
    """Log1pTransformer().transform(X) equals numpy.log1p(X) and inverse_transform brings X back (1e-12)."""
    table = rng.lognormal(2.0, 2.0, (n, d))
    scaler = impl.Log1pTransformer().fit(table)
    assert_close(scaler.transform(table), np.log1p(table), rtol=1e-12, what="Log1pTransformer().transform")
    assert_close(scaler.inverse_transform(scaler.transform(table)), table, rtol=1e-12, what="inverse_transform")


def test_log1p_is_accurate_for_tiny_values(impl):
    """For x = 1e-12, log(1 + x) computed naively has only ~4 correct digits; the transform must agree with
    math.log1p to 1e-12 relative (use log1p/expm1, not log(1 + x))."""
    x = np.array([[1e-12], [3e-17], [2.5e-9]])
    expected = np.array([[math.log1p(v)] for v in x[:, 0]])
    got = impl.Log1pTransformer().fit(x).transform(x)
    assert_close(got, expected, rtol=1e-12, atol=0, what="log1p of tiny values")


def test_log1p_rejects_negative_values(impl):
    """The log transform is for non-negative columns: a negative value raises ValueError in fit and transform."""
    assert_raises_value_error(impl.Log1pTransformer().fit, np.array([[1.0], [-0.5]]), why="-0.5 is negative")
    fitted = impl.Log1pTransformer().fit(np.array([[1.0], [2.0]]))
    assert_raises_value_error(fitted.transform, np.array([[-3.0]]), why="-3 is negative")


@given(rngs(), st.integers(1, 40))
def test_date_parts_match_pandas_dt(impl, rng, n):
    """date_parts(t, parts) equals pandas' t.dt.year, .month, .day, .hour, .minute, .dayofweek (Monday = 0)
    and .dayofyear, for timestamps between 1900 and 2100, with pandas switched off while your code runs."""
    seconds = rng.integers(-2_200_000_000, 4_100_000_000, n)
    stamps = pd.Series(pd.to_datetime(seconds, unit="s"))
    parts = tuple(rng.permutation(PARTS)[: rng.integers(1, len(PARTS) + 1)])
    expected = np.column_stack([getattr(stamps.dt, part).to_numpy() for part in parts])
    with forbid(impl, "pandas.to_datetime", "pandas.Series", "pandas.DatetimeIndex", "pandas.Timestamp"):
        got = impl.date_parts(stamps.to_numpy(), parts)
    assert_close(got, expected, rtol=0, atol=0, what=f"date_parts(t, {parts})")


def test_date_parts_accepts_strings_and_rejects_bad_input(impl):
    """ISO strings work ("2024-02-29T23:59" was a Thursday, day 60 of a leap year); NaT, a 2-D input or an
    unknown part name raise ValueError."""
    got = impl.date_parts(np.array(["2024-02-29T23:59"]), ("year", "month", "day", "hour", "minute", "dayofweek",
                                                            "dayofyear"))
    assert_close(got, [[2024, 2, 29, 23, 59, 3, 60]], what="date_parts('2024-02-29T23:59')")
    assert_raises_value_error(impl.date_parts, np.array(["2024-01-01", "NaT"], dtype="datetime64[ns]"),
                              why="a missing timestamp has no parts")
    assert_raises_value_error(impl.date_parts, np.array(["2024-01-01"]), ("weekday_name",), why="no such part")


def test_bad_parameters_raise(impl):
    """degree -1, n_bins 1 and an unknown strategy raise ValueError in fit; transform before fit raises
    NotFittedError."""
    table = np.arange(8.0).reshape(4, 2)
    assert_raises_value_error(impl.PolynomialFeatures(degree=-1).fit, table, why="degrees are non-negative")
    assert_raises_value_error(impl.KBinsDiscretizer(n_bins=1).fit, table, why="one bin discretizes nothing")
    assert_raises_value_error(impl.KBinsDiscretizer(strategy="kmeans").fit, table, why="only uniform and quantile")
    with pytest.raises(NotFittedError):
        impl.KBinsDiscretizer().transform(table)


def test_does_not_import_sklearn_preprocessing(impl):
    """Your transformers are yours: the module does not import from sklearn.preprocessing."""
    assert_not_imported(impl, "sklearn.preprocessing")


@pytest.mark.parametrize("name", ["PolynomialFeatures", "KBinsDiscretizer", "Log1pTransformer"])
def test_transformers_pass_sklearn_estimator_checks(impl, name):
    """Each transformer passes scikit-learn's own estimator checks (Log1pTransformer declares the
    positive_only input tag and rejects negative values with "Negative values in data")."""
    assert_sklearn_compatible(getattr(impl, name)())


def test_polynomial_features_let_a_linear_model_fit_a_curve(impl):
    """In a Pipeline(PolynomialFeatures(degree=2), LinearRegression), cross_val_score on y = x^2 + noise gives the
    same R^2 per fold as the pipeline built with sklearn's PolynomialFeatures (to 1e-9)."""
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(2)
    x = rng.uniform(-3, 3, (80, 1))
    y = x[:, 0] ** 2 + rng.normal(0.0, 0.3, 80)
    expected = cross_val_score(make_pipeline(preprocessing.PolynomialFeatures(2), LinearRegression()), x, y, cv=4)
    got = cross_val_score(make_pipeline(impl.PolynomialFeatures(degree=2), LinearRegression()), x, y, cv=4)
    assert_close(got, expected, rtol=1e-9, what="cross-validated R^2 per fold")
    expect(got.min() > 0.9, f"a degree-2 model should explain y = x^2 well (R^2 > 0.9), got {got.round(3)}")
