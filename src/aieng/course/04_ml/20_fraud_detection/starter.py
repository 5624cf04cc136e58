"""Capstone: fraud detection on card transactions.

Build a detector that learns from labelled months of transactions and flags fraud in a month it has never
seen, at the least expected cost. The grader fits your FraudDetector on two months of a card population you
never see and scores it on the third: PR-AUC and expected cost per 1,000 transactions must reach the bars.

Run this file (`python <this file>`) to explore: it writes the EDA plots next to it and prints your scores on
your own validation month.
"""

from __future__ import annotations

from pathlib import Path

import lightgbm  # noqa: F401  (or xgboost: both are installed)
import numpy as np
import pandas as pd
from matplotlib.figure import Figure  # noqa: F401  (build the plots with it, not pyplot)

from aieng.datasets import transactions


def clean(transactions: pd.DataFrame) -> pd.DataFrame:
    """The export made usable: one row per transaction_id, sorted by time, category labels canonical.
    Raise ValueError if a column you need is missing."""
    raise NotImplementedError


def card_features(frame: pd.DataFrame) -> pd.DataFrame:
    """One row of features per row of a cleaned frame: each transaction compared with its card's history."""
    raise NotImplementedError


class FraudDetector:
    """Cleaning + features + a gradient-boosted model + a decision threshold chosen by the costs."""

    def __init__(self, cost_fp: float = 5.0, cost_fn: float = 150.0, random_state: int = 0) -> None:
        self.cost_fp = cost_fp  # euros lost per false alarm (a blocked customer, a phone call)
        self.cost_fn = cost_fn  # euros lost per fraud let through
        self.random_state = random_state

    def fit(self, transactions: pd.DataFrame) -> FraudDetector:
        """Learn from labelled transactions (column is_fraud, 0/1); set self.threshold_; return self.
        Raise ValueError without labels, without a needed column, or without both classes."""
        raise NotImplementedError

    def fraud_probability(self, transactions: pd.DataFrame) -> np.ndarray:
        """P(fraud) for each row of `transactions` (no is_fraud column), shape (n_rows,), in the given order."""
        raise NotImplementedError

    def flag(self, transactions: pd.DataFrame) -> np.ndarray:
        """Rows to stop, shape (n_rows,) bool: fraud_probability >= self.threshold_."""
        raise NotImplementedError


def fraud_rate_by_hour(transactions: pd.DataFrame) -> np.ndarray:
    """Percentage of fraud among the de-duplicated transactions of each hour 0..23, shape (24,)."""
    raise NotImplementedError


def eda_plots(transactions: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write fraud_by_hour.png, amounts.png and fraud_by_category.png into out_dir (which must exist);
    return their paths. Build each figure with matplotlib.figure.Figure()."""
    raise NotImplementedError


if __name__ == "__main__":
    from sklearn.metrics import average_precision_score

    january, february = transactions(1), transactions(2)
    plots = Path(__file__).with_name("fraud_plots")
    plots.mkdir(exist_ok=True)
    print("plots:", *eda_plots(january, plots))
    detector = FraudDetector().fit(january)
    y = february["is_fraud"].to_numpy()
    flagged = detector.flag(february.drop(columns="is_fraud"))
    cost = (detector.cost_fp * (flagged & (y == 0)).sum() + detector.cost_fn * (~flagged & (y == 1)).sum())
    print(f"PR-AUC {average_precision_score(y, detector.fraud_probability(february)):.3f}, "
          f"expected cost {1000 * cost / len(y):.1f} euros per 1,000 transactions")
