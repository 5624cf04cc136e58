"""Checks for `fraud-detection` (achieve): the learner's detector is fitted on two labelled months of a card
population it has never seen and judged on the third month, without its labels. Oracles: scikit-learn's
average_precision_score and confusion_matrix on the held-out month; pandas for the plots' numbers.

The bars come from the reference solution on this exact data (seed 7): PR-AUC 0.813 and an expected cost
of 103 euros per 1,000 transactions (flagging nothing would cost 648). The bars leave room for a different,
honest pipeline: PR-AUC at least 0.75, cost at most 150.
"""

import matplotlib

matplotlib.use("Agg")  # no window: the plots are only written and inspected

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.metrics import average_precision_score, confusion_matrix

from aieng.datasets import transactions
from aieng.grader.achieve import reach
from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

SEED = 7  # a card population the learner's own experiments (seed 0) never show
COST_FP, COST_FN = 5.0, 150.0
PR_AUC_BAR, PR_AUC_REFERENCE = 0.75, 0.813
COST_BAR, COST_REFERENCE = 150.0, 103.0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def train() -> pd.DataFrame:
    return pd.concat([transactions(1, seed=SEED), transactions(2, seed=SEED)], ignore_index=True)


@pytest.fixture(scope="module")
def held_out() -> pd.DataFrame:
    return transactions(3, seed=SEED)


@pytest.fixture(scope="module")
def detector(impl, train):
    return impl.FraudDetector(cost_fp=COST_FP, cost_fn=COST_FN).fit(train)


@pytest.fixture(scope="module")
def probability(detector, held_out) -> np.ndarray:
    unlabelled = held_out.drop(columns="is_fraud")
    p = np.asarray(detector.fraud_probability(unlabelled), dtype=float)
    expect(p.shape == (len(held_out),),
           f"fraud_probability should return one value per row: shape ({len(held_out)},), got {p.shape}")
    return p


def _cost_per_1000(y: np.ndarray, flagged: np.ndarray) -> float:
    _tn, fp, fn, _tp = confusion_matrix(y, flagged, labels=[0, 1]).ravel()
    return float((COST_FP * fp + COST_FN * fn) / len(y) * 1000)


def test_one_probability_per_row(probability):
    """fraud_probability gives one finite probability in [0, 1] per row of the held-out month, without ever
    seeing its is_fraud column (duplicated rows included: each row gets its transaction's score)."""
    expect(bool(np.isfinite(probability).all()), "some probabilities are NaN or infinite")
    expect(bool(((probability >= 0) & (probability <= 1)).all()), "probabilities must lie in [0, 1]")


def test_scores_follow_the_rows(detector, held_out, probability):
    """The scores are tied to the rows, not to their positions: shuffling the month's rows shuffles the
    scores the same way (features are computed per card and time, whatever the input order)."""
    order = np.random.default_rng(0).permutation(len(held_out))
    shuffled = held_out.drop(columns="is_fraud").iloc[order].reset_index(drop=True)
    assert_close(np.asarray(detector.fraud_probability(shuffled), dtype=float), probability[order], rtol=1e-9,
                 atol=1e-12, what="fraud_probability of the shuffled month")


def test_average_precision_on_the_held_out_month(held_out, probability, record_property):
    """PR-AUC (average precision) of the probabilities on the month the detector never saw reaches the bar.
    With 0.5% fraud, a random scorer gets about 0.005: the bar needs features that compare a transaction with
    its card's own history."""
    score = average_precision_score(held_out["is_fraud"].to_numpy(), probability)
    reach(record_property, "PR-AUC", score, bar=PR_AUC_BAR, reference=PR_AUC_REFERENCE)


def test_expected_cost_on_the_held_out_month(detector, held_out, record_property):
    """Expected cost per 1,000 transactions of the flags (5 euros per false alarm, 150 per missed fraud) on
    the held-out month reaches the bar, and beats both flagging nothing and flagging everything."""
    y = held_out["is_fraud"].to_numpy()
    flagged = np.asarray(detector.flag(held_out.drop(columns="is_fraud")), dtype=bool)
    expect(flagged.shape == y.shape, f"flag should return one bool per row: shape {y.shape}, got {flagged.shape}")
    cost = _cost_per_1000(y, flagged)
    for name, baseline in [("flagging nothing", np.zeros_like(flagged)), ("flagging everything",
                                                                          np.ones_like(flagged))]:
        other = _cost_per_1000(y, baseline)
        expect(cost < other, f"your flags cost {cost:.1f} per 1,000 transactions, {name} costs {other:.1f}")
    reach(record_property, "expected cost per 1,000 transactions (euros)", cost, bar=COST_BAR,
          higher_is_better=False, reference=COST_REFERENCE)


def test_flag_is_the_thresholded_probability(detector, held_out, probability):
    """The detector keeps its decision threshold in `threshold_` (a number in [0, 1] chosen from the costs,
    not from the held-out labels), and flag(df) is exactly fraud_probability(df) >= threshold_."""
    threshold = getattr(detector, "threshold_", None)
    expect(isinstance(threshold, int | float | np.floating) and 0.0 <= float(threshold) <= 1.0,
           f"threshold_ should be a number in [0, 1], got {threshold!r}")
    flagged = np.asarray(detector.flag(held_out.drop(columns="is_fraud")), dtype=bool)
    disagree = int((flagged != (probability >= threshold)).sum())
    expect(disagree == 0, f"flag disagrees with fraud_probability >= threshold_ on {disagree} rows")


def test_fit_refuses_unusable_training_data(impl, train):
    """fit raises ValueError for training data without the is_fraud column, without a required column
    (say amount), or with no fraud at all: there is nothing to learn from."""
    small = train.iloc[:2000]
    assert_raises_value_error(impl.FraudDetector().fit, small.drop(columns="is_fraud"), why="no labels")
    assert_raises_value_error(impl.FraudDetector().fit, small.drop(columns="amount"), why="no amount column")
    legit_only = small[small["is_fraud"] == 0]
    assert_raises_value_error(impl.FraudDetector().fit, legit_only, why="a single class")


def test_eda_plots_show_where_fraud_hides(impl, train, tmp_path):
    """eda_plots writes fraud_by_hour.png, amounts.png and fraud_by_category.png into the directory it is
    given (an existing directory: ValueError otherwise) and returns their paths."""
    paths = impl.eda_plots(train, tmp_path)
    names = sorted(Path(p).name for p in paths)
    expect(names == ["amounts.png", "fraud_by_category.png", "fraud_by_hour.png"],
           f"eda_plots should return the paths of the three plots, got {names}")
    for name in names:
        path = tmp_path / name
        expect(path.is_file() and path.read_bytes()[:8] == PNG_MAGIC, f"{name} is missing or not a PNG image")
    assert_raises_value_error(impl.eda_plots, train, tmp_path / "nowhere", why="the directory does not exist")


def test_hourly_fraud_rate_matches_pandas(impl, train):
    """The hourly plot's data: impl.fraud_rate_by_hour(df) is the percentage of fraud among the
    de-duplicated transactions of each hour 0..23 (an hour without transactions has rate 0)."""
    unique = train.drop_duplicates("transaction_id")
    expected = unique.groupby(unique["timestamp"].dt.hour)["is_fraud"].mean().reindex(range(24), fill_value=0.0)
    figure_or_rates = impl.fraud_rate_by_hour(train)
    expect(not isinstance(figure_or_rates, Figure), "fraud_rate_by_hour returns numbers, not a figure")
    assert_close(np.asarray(figure_or_rates, dtype=float), 100 * expected.to_numpy(), rtol=1e-9, atol=1e-9,
                 what="fraud_rate_by_hour(df)")
