"""Checks for `encoding`, against sklearn.preprocessing's OneHotEncoder, OrdinalEncoder and TargetEncoder."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import preprocessing
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import KFold

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible
from aieng.grader.strategies import rngs

LIBRARY_ENCODERS = (
    "sklearn.preprocessing.OneHotEncoder", "sklearn.preprocessing.OrdinalEncoder",
    "sklearn.preprocessing.TargetEncoder", "sklearn.preprocessing.LabelEncoder",
    "sklearn.preprocessing.LabelBinarizer", "pandas.get_dummies",
)
WORDS = np.array(["red", "green", "blue", "cyan", "magenta"])
TARGET_ENCODER_FAILS = {
    "check_transformer_general": "fit_transform cross-fits, so it differs from fit(X, y).transform(X)",
    "check_transformer_data_not_an_array": "the same comparison on list input",
}


def categorical(rng, n, d, strings, new=False):
    """An (n, d) table of categories: colour names or small integers; with new=True, values unseen in training
    ("white", or 7..9) appear too."""
    if strings:
        pool = np.append(WORDS, "white") if new else WORDS
        return rng.choice(pool, size=(n, d))
    return rng.integers(0, 10 if new else 6, size=(n, d)).astype(float)


@given(rngs(), st.integers(1, 30), st.integers(1, 4), st.booleans())
def test_one_hot_matches_sklearn_with_unknowns_ignored(impl, rng, n, d, strings):
    """OneHotEncoder(handle_unknown="ignore") fitted on a training table encodes a test table (with unseen
    categories) exactly as sklearn's OneHotEncoder(handle_unknown="ignore", sparse_output=False): one 0/1
    column per sorted training category, all zeros for an unseen one."""
    train, test = categorical(rng, n, d, strings), categorical(rng, 8, d, strings, new=True)
    expected = preprocessing.OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(train).transform(test)
    with forbid(impl, *LIBRARY_ENCODERS):
        got = impl.OneHotEncoder(handle_unknown="ignore").fit(train).transform(test)
    assert_close(got, expected, what="OneHotEncoder(handle_unknown='ignore').transform(test)")


@given(rngs(), st.integers(1, 30), st.integers(1, 4), st.booleans())
def test_ordinal_matches_sklearn(impl, rng, n, d, strings):
    """OrdinalEncoder codes each value by its index among the sorted training categories, like sklearn's;
    with handle_unknown="use_encoded_value", unknown_value=-1, unseen categories become -1."""
    train, test = categorical(rng, n, d, strings), categorical(rng, 8, d, strings, new=True)
    kwargs = {"handle_unknown": "use_encoded_value", "unknown_value": -1}
    expected = preprocessing.OrdinalEncoder(**kwargs).fit(train).transform(test)
    with forbid(impl, *LIBRARY_ENCODERS):
        got = impl.OrdinalEncoder(**kwargs).fit(train).transform(test)
        plain = impl.OrdinalEncoder().fit(train).transform(train)
    assert_close(got, expected, what="OrdinalEncoder(unknown_value=-1).transform(test)")
    assert_close(plain, preprocessing.OrdinalEncoder().fit(train).transform(train), what="OrdinalEncoder().transform")


def test_unknown_categories_raise_when_asked_to(impl):
    """With handle_unknown="error", a category unseen in fit raises ValueError in transform; an unknown
    handle_unknown, or "use_encoded_value" without an unknown_value, raises ValueError in fit."""
    train, test = np.array([["a"], ["b"]]), np.array([["c"]])
    assert_raises_value_error(impl.OneHotEncoder(handle_unknown="error").fit(train).transform, test,
                              why="'c' was never seen in fit")
    assert_raises_value_error(impl.OrdinalEncoder().fit(train).transform, test, why="'c' was never seen in fit")
    assert_raises_value_error(impl.OrdinalEncoder(handle_unknown="use_encoded_value").fit, train,
                              why="use_encoded_value needs an unknown_value")
    assert_raises_value_error(impl.OneHotEncoder(handle_unknown="skip").fit, train, why="'skip' is not an option")
    with pytest.raises(NotFittedError):
        impl.OneHotEncoder().transform(train)


@settings(max_examples=25)
@given(rngs(), st.integers(8, 40), st.integers(1, 3), st.booleans(), st.sampled_from(["auto", 0.5, 5.0]))
def test_target_encoder_transform_matches_sklearn(impl, rng, n, d, strings, smooth):
    """TargetEncoder(smooth=...).fit(X, y).transform(test) equals sklearn's TargetEncoder(target_type="continuous"),
    to 1e-9: smoothed category means of y, "auto" = empirical-Bayes shrinkage, unseen categories -> mean of y."""
    train, test = categorical(rng, n, d, strings), categorical(rng, 8, d, strings, new=True)
    target = rng.normal(2.0, 3.0, n)
    expected = preprocessing.TargetEncoder(smooth=smooth, target_type="continuous").fit(train, target).transform(test)
    with forbid(impl, *LIBRARY_ENCODERS):
        got = impl.TargetEncoder(smooth=smooth).fit(train, target).transform(test)
    assert_close(got, expected, rtol=1e-9, atol=1e-9, what=f"TargetEncoder(smooth={smooth!r}).transform(test)")


@settings(max_examples=25)
@given(rngs(), st.integers(10, 40), st.integers(1, 3), st.sampled_from(["auto", 2.0]), st.sampled_from([2, 3, 5]),
       st.booleans())
def test_target_encoder_cross_fits_like_sklearn(impl, rng, n, d, smooth, cv, shuffle):
    """fit_transform(X, y) cross-fits: each of the cv folds is encoded from the other folds only. It equals
    sklearn's TargetEncoder(cv=KFold(cv, shuffle=..., random_state=0)).fit_transform, to 1e-9."""
    train, target = categorical(rng, n, d, strings=True), rng.normal(2.0, 3.0, n)
    folds = KFold(cv, shuffle=shuffle, random_state=0 if shuffle else None)
    expected = preprocessing.TargetEncoder(smooth=smooth, target_type="continuous", cv=folds).fit_transform(train,
                                                                                                          target)
    with forbid(impl, *LIBRARY_ENCODERS):
        got = impl.TargetEncoder(smooth=smooth, cv=cv, shuffle=shuffle, random_state=0).fit_transform(train, target)
    assert_close(got, expected, rtol=1e-9, atol=1e-9, what=f"TargetEncoder(cv={cv}, shuffle={shuffle}).fit_transform")


def test_cross_fitting_stops_an_id_column_from_leaking_the_target(impl):
    """A column of unique IDs carries no information. Encoded naively (fit then transform on the same rows),
    each ID's encoding IS its own target (a perfect, fake feature). Cross-fitted, every ID is unseen in the
    other folds, so each row gets the mean of y over the other folds (computed here with numpy)."""
    rng = np.random.default_rng(0)
    ids = np.arange(20.0)[:, None]
    target = rng.normal(size=20)
    naive = impl.TargetEncoder().fit(ids, target).transform(ids)
    assert_close(naive[:, 0], target, rtol=1e-9, what="naive encoding of unique IDs (it copies the target)")
    crossed = impl.TargetEncoder(cv=4).fit_transform(ids, target)
    fold = np.repeat(np.arange(4), 5)  # unshuffled KFold: consecutive blocks of 5
    other_mean = np.array([target[fold != f].mean() for f in fold])
    assert_close(crossed[:, 0], other_mean, rtol=1e-9, what="cross-fitted encoding of unique IDs")


def test_target_encoder_rejects_bad_parameters(impl):
    """cv below 2, a negative smooth, or no target at all raise ValueError in fit."""
    table, target = np.array([["a"], ["b"], ["a"], ["b"]]), np.array([1.0, 2.0, 3.0, 4.0])
    assert_raises_value_error(impl.TargetEncoder(cv=1).fit, table, target, why="cross-fitting needs 2 folds")
    assert_raises_value_error(impl.TargetEncoder(smooth=-1.0).fit, table, target, why="smoothing is non-negative")
    assert_raises_value_error(impl.TargetEncoder().fit, table, None, why="a target encoder needs a target")


def test_encoders_do_not_import_sklearn_preprocessing(impl):
    """Your encoders are yours: the module does not import from sklearn.preprocessing."""
    assert_not_imported(impl, "sklearn.preprocessing")


@pytest.mark.parametrize("name", ["OneHotEncoder", "OrdinalEncoder", "TargetEncoder"])
def test_encoders_pass_sklearn_estimator_checks(impl, name):
    """Each encoder passes scikit-learn's estimator checks. Expected failures: OrdinalEncoder's default
    handle_unknown="error" rejects the unseen values of check_fit_idempotent; TargetEncoder's fit_transform
    cross-fits, so it differs from fit().transform() by design."""
    expected = {"OrdinalEncoder": {"check_fit_idempotent": "unseen categories are rejected by default"},
                "TargetEncoder": TARGET_ENCODER_FAILS}.get(name, {})
    assert_sklearn_compatible(getattr(impl, name)(), expected_failed_checks=expected)


def test_one_hot_in_a_pipeline_with_cross_validation(impl):
    """Pipeline(OneHotEncoder, Ridge) scored by cross_val_score gives the same R^2 per fold as the pipeline
    with sklearn's OneHotEncoder(handle_unknown="ignore"), to 1e-8 (folds may hold categories unseen in training)."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(1)
    table = categorical(rng, 80, 2, strings=True)
    effect = {word: i for i, word in enumerate(WORDS)}
    target = np.vectorize(effect.get)(table).sum(axis=1) + rng.normal(0.0, 0.5, 80)
    library = preprocessing.OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    expected = cross_val_score(make_pipeline(library, Ridge()), table, target, cv=5)
    got = cross_val_score(make_pipeline(impl.OneHotEncoder(handle_unknown="ignore"), Ridge()), table, target, cv=5)
    assert_close(got, expected, rtol=1e-8, what="cross-validated R^2 per fold")


def test_one_hot_output_is_a_dense_float_array(impl):
    """transform returns a dense numpy array of 0.0/1.0 with one column per (column, category) pair."""
    out = impl.OneHotEncoder().fit(np.array([["b", "x"], ["a", "y"], ["b", "z"]])).transform(np.array([["a", "z"]]))
    expect(isinstance(out, np.ndarray), f"transform should return a numpy array, got {type(out).__name__}")
    assert_close(out, [[1.0, 0.0, 0.0, 0.0, 1.0]], what="one-hot of ('a', 'z') with categories [a, b] and [x, y, z]")
