"""The generated data sets: deterministic, shaped as documented, as messy and imbalanced as promised."""

from __future__ import annotations

import pandas as pd
import pytest

from aieng.datasets import COLUMNS, transactions


def test_transactions_are_deterministic_and_documented() -> None:
    first, again = transactions(1, n_cards=300, seed=3), transactions(1, n_cards=300, seed=3)
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == COLUMNS
    assert first["timestamp"].is_monotonic_increasing
    assert first["timestamp"].min() >= pd.Timestamp("2026-01-01")
    assert not transactions(2, n_cards=300, seed=3)["transaction_id"].isin(first["transaction_id"]).any()


def test_transactions_are_imbalanced_messy_and_drift() -> None:
    months = [transactions(m) for m in (1, 2, 3)]
    for frame in months:
        assert 0.003 < frame["is_fraud"].mean() < 0.008
        assert frame["transaction_id"].duplicated().sum() > 20  # rows exported twice
        assert 0.01 < frame["merchant_category"].isna().mean() < 0.03
        labels = frame["merchant_category"].dropna()
        assert (labels != labels.str.strip().str.lower()).mean() > 0.01  # stray case and spaces
    legit = [f.loc[f["is_fraud"] == 0, "amount"].median() for f in months]
    assert legit[0] < legit[1] < legit[2]  # inflation
    travel = [(f.loc[f["is_fraud"] == 1, "merchant_category"].str.strip().str.lower() == "travel").mean()
              for f in months]
    assert travel[2] > travel[0]  # fraudsters move to travel


@pytest.mark.parametrize("bad", [{"month": 0}, {"month": 1.5}, {"month": 1, "n_cards": 5}])
def test_transactions_reject_bad_arguments(bad: dict) -> None:
    month = bad.pop("month")
    with pytest.raises(ValueError):
        transactions(month, **bad)
