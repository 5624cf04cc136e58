"""Fraud detection on card transactions, end to end: clean the export, describe each transaction against its
card's own history, fit a gradient-boosted model (LightGBM), and flag by a threshold chosen with a cost matrix.

The data are `aieng.datasets.transactions` months: ≈0.5% fraud, drift from month to month. What makes fraud
visible is rarely one column: it is the transaction *against its card* — an amount far above the card's usual
one, a burst of purchases minutes apart, a country the card never shops in, a merchant it never used.

Leaves out: merchant-level and network features, online learning, calibration beyond what boosting gives.
"""

from __future__ import annotations

from pathlib import Path

import lightgbm
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from aieng.datasets import FRAUD_CATEGORIES, LEGIT_CATEGORIES
from aieng.lib.ml.imbalanced import cost_optimal_threshold

REQUIRED = ["transaction_id", "timestamp", "card_id", "merchant_id", "merchant_category", "amount", "country",
            "channel"]
CATEGORIES = [*sorted(set(LEGIT_CATEGORIES) | set(FRAUD_CATEGORIES)), "unknown"]
CHANNELS = ["chip", "contactless", "online"]
FEATURES = ["log_amount", "amount_vs_card", "hour", "foreign", "new_merchant", "seconds_since_previous",
            "count_1h", "count_24h", "amount_1h", "category", "channel"]
_HOUR, _DAY = 3600.0, 86_400.0


def clean(transactions: pd.DataFrame) -> pd.DataFrame:
    """The export made usable: one row per transaction id, sorted by time, category labels canonical
    (trimmed, lower case, missing or unknown → "unknown"). Raises ValueError if a required column is missing."""
    missing = [c for c in REQUIRED if c not in transactions.columns]
    if missing:
        raise ValueError(f"the transactions lack column(s) {missing}")
    frame = transactions.drop_duplicates("transaction_id").copy()
    category = frame["merchant_category"].astype("str").str.strip().str.lower()
    frame["merchant_category"] = category.where(category.isin(CATEGORIES), "unknown")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame.sort_values(["timestamp", "transaction_id"], kind="stable", ignore_index=True)


def _window(card: np.ndarray, seconds: np.ndarray, values: np.ndarray, width: float) -> np.ndarray:
    """Sum of `values` over the same card's transactions in (t - width, t], for rows sorted by (card, t).

    One key per row, card * span + t, keeps cards apart; a searchsorted finds each window's start: O(n log n).
    """
    span = seconds.max() - seconds.min() + 2 * width + 1
    key = card * span + (seconds - seconds.min())
    start = np.searchsorted(key, key - width, side="right")
    running = np.r_[0.0, np.cumsum(values)]
    return running[np.arange(key.size) + 1] - running[start]


def card_features(frame: pd.DataFrame) -> pd.DataFrame:
    """The features of a cleaned frame (same row order): each transaction against its card's own history.

    Amount (log) and its gap to the card's median, hour of day, abroad (country ≠ the card's most frequent
    one), a first visit to the merchant, seconds since the card's previous purchase, number and sum of the
    card's purchases in the last hour and the last day, category and channel as pandas categoricals.
    """
    order = np.lexsort((frame["timestamp"].to_numpy(), frame["card_id"].to_numpy()))
    by_card = frame.iloc[order]
    card = by_card["card_id"].to_numpy(dtype=np.float64)
    seconds = (by_card["timestamp"] - by_card["timestamp"].min()).dt.total_seconds().to_numpy()
    amount = by_card["amount"].to_numpy(dtype=np.float64)
    ones = np.ones_like(amount)
    same_card = np.r_[False, card[1:] == card[:-1]]
    previous = np.where(same_card, np.diff(seconds, prepend=0.0), 30 * _DAY)
    log_amount = np.log1p(np.clip(amount, 0.0, None))
    grouped = by_card.assign(log_amount=log_amount).groupby("card_id")
    home = by_card.groupby(["card_id", "country"]).size().sort_values(kind="stable").groupby(level=0).tail(1)
    home_country = pd.Series(home.index.get_level_values(1), index=home.index.get_level_values(0))
    features = pd.DataFrame({
        "log_amount": log_amount,
        "amount_vs_card": log_amount - grouped["log_amount"].transform("median").to_numpy(),
        "hour": (by_card["timestamp"].dt.hour + by_card["timestamp"].dt.minute / 60).to_numpy(),
        "foreign": (by_card["country"].to_numpy() != home_country.reindex(by_card["card_id"]).to_numpy()),
        "new_merchant": ~by_card.duplicated(["card_id", "merchant_id"]).to_numpy(),
        "seconds_since_previous": previous,
        "count_1h": _window(card, seconds, ones, _HOUR),
        "count_24h": _window(card, seconds, ones, _DAY),
        "amount_1h": _window(card, seconds, amount, _HOUR),
        "category": pd.Categorical(by_card["merchant_category"], categories=CATEGORIES),
        "channel": pd.Categorical(by_card["channel"], categories=CHANNELS),
    }, index=by_card.index)
    features[["foreign", "new_merchant"]] = features[["foreign", "new_merchant"]].astype(np.float64)
    return features.sort_index()[FEATURES]


class FraudDetector:
    """Cleaning + card features + LightGBM + a cost-matrix threshold, fitted on labelled months.

    `fit` holds out the last 30% of the training period (in time, as the future will be), lets LightGBM stop
    early on it, picks the threshold of least expected cost cost_fp·FP + cost_fn·FN on it, then refits on
    everything with that many trees. `fraud_probability` and `flag` answer one value per input row, in the
    input's order (duplicated rows get their transaction's answer).
    """

    def __init__(self, cost_fp: float = 5.0, cost_fn: float = 150.0, random_state: int = 0) -> None:
        if cost_fp <= 0 or cost_fn <= 0:
            raise ValueError(f"costs must be positive, got cost_fp={cost_fp}, cost_fn={cost_fn}")
        self.cost_fp = cost_fp
        self.cost_fn = cost_fn
        self.random_state = random_state

    def _model(self, n_estimators: int) -> lightgbm.LGBMClassifier:
        return lightgbm.LGBMClassifier(
            n_estimators=n_estimators, learning_rate=0.05, num_leaves=15, min_child_samples=20,
            subsample=0.8, subsample_freq=1, colsample_bytree=0.8, reg_lambda=1.0,
            random_state=self.random_state, n_jobs=1, verbose=-1)  # threads fight for shared cores

    def fit(self, transactions: pd.DataFrame) -> FraudDetector:
        """Learn from labelled transactions (an `is_fraud` column of 0/1). Returns self."""
        if "is_fraud" not in transactions.columns:
            raise ValueError("training transactions need an 'is_fraud' column of 0/1 labels")
        frame = clean(transactions)
        labels = frame["is_fraud"].to_numpy()
        if np.unique(labels).size != 2:
            raise ValueError("training transactions need both fraudulent and legitimate examples")
        features = card_features(frame)
        cut = int(0.7 * len(frame))  # frame is sorted by time: the last 30% is the "future"
        early = self._model(1000).fit(
            features.iloc[:cut], labels[:cut], eval_X=(features.iloc[cut:],), eval_y=(labels[cut:],),
            eval_metric="average_precision", callbacks=[lightgbm.early_stopping(50, verbose=False)])
        validation = early.predict_proba(features.iloc[cut:])[:, 1]
        threshold, _ = cost_optimal_threshold(labels[cut:], validation, self.cost_fp, self.cost_fn)
        self.threshold_ = min(threshold, 1.0)  # "flag nothing" (inf) as a probability threshold
        self.model_ = self._model(max(early.best_iteration_, 20)).fit(features, labels)
        return self

    def fraud_probability(self, transactions: pd.DataFrame) -> np.ndarray:
        """P(fraud) per row of `transactions`, shape (n_rows,), in the order given."""
        frame = clean(transactions)
        probability = self.model_.predict_proba(card_features(frame))[:, 1]
        by_id = pd.Series(probability, index=frame["transaction_id"].to_numpy())
        return by_id.reindex(transactions["transaction_id"].to_numpy()).to_numpy()

    def flag(self, transactions: pd.DataFrame) -> np.ndarray:
        """Which rows to stop, shape (n_rows,) bool: P(fraud) ≥ the cost-chosen threshold."""
        return self.fraud_probability(transactions) >= self.threshold_


def fraud_rate_by_hour(transactions: pd.DataFrame) -> np.ndarray:
    """Percentage of fraud among the (de-duplicated) transactions of each hour 0..23, shape (24,); an hour
    without transactions has rate 0."""
    frame = clean(transactions)
    rate = frame.groupby(frame["timestamp"].dt.hour)["is_fraud"].mean().reindex(range(24), fill_value=0.0)
    return 100 * rate.to_numpy()


def eda_plots(transactions: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write the three plots that show where fraud hides; return their paths.

    fraud_by_hour.png (fraud rate per hour of day), amounts.png (log10 amount, fraud vs legitimate, as
    densities), fraud_by_category.png (fraud rate per canonical category). Labelled rows, cleaned first.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise ValueError(f"{out} is not an existing directory")
    if "is_fraud" not in transactions.columns:
        raise ValueError("the plots need an 'is_fraud' column")
    frame = clean(transactions)
    fraud = frame["is_fraud"].to_numpy() == 1
    paths = []

    fig = Figure(figsize=(8, 3.5), layout="constrained")
    ax = fig.subplots()
    ax.bar(np.arange(24), fraud_rate_by_hour(frame), color="tab:red")
    ax.set(title="Fraud rate by hour of day", xlabel="hour of day", ylabel="fraud rate (%)")
    paths.append(out / "fraud_by_hour.png")
    fig.savefig(paths[-1], dpi=100)

    fig = Figure(figsize=(8, 3.5), layout="constrained")
    ax = fig.subplots()
    amounts = np.log10(frame["amount"].clip(lower=0.01).to_numpy())
    bins = np.linspace(amounts.min(), amounts.max(), 50)
    ax.hist(amounts[~fraud], bins=bins, density=True, alpha=0.6, label="legitimate")
    ax.hist(amounts[fraud], bins=bins, density=True, alpha=0.6, color="tab:red", label="fraud")
    ax.set(title="Transaction amounts", xlabel="log10(amount in euros)", ylabel="density")
    ax.legend()
    paths.append(out / "amounts.png")
    fig.savefig(paths[-1], dpi=100)

    rate = frame.groupby("merchant_category")["is_fraud"].mean().sort_values()
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.subplots()
    ax.barh(rate.index, 100 * rate.to_numpy(), color="tab:red")
    ax.set(title="Fraud rate by merchant category", xlabel="fraud rate (%)", ylabel="merchant category")
    paths.append(out / "fraud_by_category.png")
    fig.savefig(paths[-1], dpi=100)
    return paths
