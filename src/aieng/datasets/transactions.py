"""Seeded card transactions with about 0.5% fraud, one month at a time, with drift between months.

A fixed population of cards (from `seed`) shops every month. Legitimate spending follows each card's habits:
its own amount scale, favourite categories and merchants, daytime hours, its home country. Fraud comes in
bursts on compromised cards: often a small "card test" first, then larger purchases minutes apart, at odd
hours, abroad, online, at merchants the card never used, in electronics, gift cards, jewellery, travel.
Months drift: legitimate amounts inflate 2% a month, fraudsters move from electronics to travel and shop
abroad less often. The export is as messy as real ones: category labels with stray case and spaces, some
missing, a few rows exported twice.

    transactions(month=1)  # ~27,000 rows for the default 1,500 cards

Columns (`COLUMNS`): transaction_id (str, unique except for the duplicated rows), timestamp (datetime64),
card_id (int64), merchant_id (int64), merchant_category (str, or missing), amount (float64, in euros),
country (str, ISO code), channel ("chip", "contactless" or "online"), is_fraud (int64, 0 or 1).
Generation is vectorized numpy: O(rows) time and memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["transaction_id", "timestamp", "card_id", "merchant_id", "merchant_category", "amount", "country",
           "channel", "is_fraud"]
LEGIT_CATEGORIES = ["groceries", "restaurants", "fuel", "pharmacy", "clothing", "utilities", "entertainment",
                    "online retail", "electronics", "travel", "gift cards", "jewelry"]
FRAUD_CATEGORIES = ["electronics", "online retail", "gift cards", "jewelry", "travel"]
HOME_COUNTRIES = ["FR", "DE", "ES", "IT", "NL", "GB"]
COUNTRIES = [*HOME_COUNTRIES, "US", "BR", "NG", "CN", "TR", "TH"]
CHANNELS = ["chip", "contactless", "online"]

# log-amount offset of each legitimate category against the card's own scale (fuel and groceries are the norm)
_CATEGORY_OFFSET = np.array([0.0, 0.1, 0.3, -0.4, 0.6, 0.8, 0.2, 0.4, 1.3, 1.6, 0.5, 1.5])
_FAVOURITES = 12  # merchants a card returns to
_MERCHANTS = 20_000
_DAY = 86_400.0
_DAYS_PER_MONTH = 30
_START = pd.Timestamp("2026-01-01")


def transactions(month: int, *, n_cards: int = 1500, seed: int = 0) -> pd.DataFrame:
    """The transactions of one month (1, 2, 3, ...) of `n_cards` cards, sorted by time.

    The cards are the same for every month of a seed; the month's randomness is seeded by (seed, month), so
    the same call always returns the same frame. Fraud rate ≈ 0.5% of rows.
    """
    if not isinstance(month, int) or month < 1:
        raise ValueError(f"month must be an integer >= 1, got {month!r}")
    if not isinstance(n_cards, int) or n_cards < 20:
        raise ValueError(f"n_cards must be an integer >= 20, got {n_cards!r}")
    cards = _Cards(n_cards, np.random.default_rng(seed))
    rng = np.random.default_rng([seed, month])
    frame = pd.concat([_legit(cards, month, rng), _fraud(cards, month, rng)], ignore_index=True)
    frame = frame.sort_values("seconds", kind="stable", ignore_index=True)
    frame.insert(0, "transaction_id", [f"t{month:02d}-{i:06d}" for i in range(len(frame))])
    frame.insert(1, "timestamp", _START + pd.to_timedelta((month - 1) * _DAYS_PER_MONTH * _DAY + frame["seconds"],
                                                          unit="s").dt.floor("s"))
    frame = frame.drop(columns="seconds")
    return _messy(frame, rng)[COLUMNS]


class _Cards:
    """The card population: habits drawn once per seed."""

    def __init__(self, n: int, rng: np.random.Generator) -> None:
        self.n = n
        self.home = rng.choice(len(HOME_COUNTRIES), size=n, p=[0.3, 0.25, 0.15, 0.12, 0.1, 0.08])
        self.rate = rng.gamma(2.0, 0.3, size=n)  # legitimate purchases per day
        self.log_scale = rng.normal(3.2, 0.45, size=n)  # log of the card's typical amount
        preference = rng.dirichlet(np.full(len(LEGIT_CATEGORIES), 0.6), size=n) * _legit_prior()
        self.category_cdf = np.cumsum(preference / preference.sum(axis=1, keepdims=True), axis=1)
        self.favourites = rng.integers(0, _MERCHANTS, size=(n, _FAVOURITES))


def _legit_prior() -> np.ndarray:
    prior = np.array([0.26, 0.16, 0.1, 0.06, 0.08, 0.04, 0.07, 0.13, 0.05, 0.05, 0.015, 0.01])
    return prior / prior.sum()


def _legit(cards: _Cards, month: int, rng: np.random.Generator) -> pd.DataFrame:
    card = np.repeat(np.arange(cards.n), rng.poisson(cards.rate * _DAYS_PER_MONTH))
    n = card.size
    habit = rng.random(n)  # lunch time, evening, or any hour (night owls, online shopping)
    daytime = np.select([habit < 0.52, habit < 0.93], [rng.normal(12.5, 2.5, n), rng.normal(18.5, 2.5, n)],
                        rng.uniform(0, 24, n)) % 24
    seconds = rng.integers(0, _DAYS_PER_MONTH, n) * _DAY + daytime * 3600
    category = (rng.random(n)[:, None] > cards.category_cdf[card]).sum(axis=1).clip(max=len(LEGIT_CATEGORIES) - 1)
    inflation = 1.0 + 0.02 * (month - 1)
    amount = np.exp(cards.log_scale[card] + _CATEGORY_OFFSET[category] + rng.normal(0.0, 0.6, n)) * inflation
    abroad = rng.random(n) < 0.03
    country = np.where(abroad, rng.integers(0, len(COUNTRIES), n), cards.home[card])
    online = np.asarray(LEGIT_CATEGORIES)[category] == "online retail"
    channel = np.where(online, 2, rng.choice(3, size=n, p=[0.55, 0.35, 0.10]))
    favourite = cards.favourites[card, rng.integers(0, _FAVOURITES, n)]
    merchant = np.where(rng.random(n) < 0.85, favourite, rng.integers(0, _MERCHANTS, n))
    return _frame(seconds, card, merchant, np.asarray(LEGIT_CATEGORIES)[category], amount, country, channel, 0)


def _fraud(cards: _Cards, month: int, rng: np.random.Generator) -> pd.DataFrame:
    drift = month - 1
    victims = rng.choice(cards.n, size=min(cards.n, rng.poisson(0.03 * cards.n)), replace=False)
    burst = 1 + rng.poisson(2.0, victims.size)
    card = np.repeat(victims, burst)
    n = card.size
    night = rng.random(victims.size) < 0.45
    hour = np.where(night, rng.uniform(0, 5, victims.size), rng.normal(15, 4, victims.size) % 24)
    start = rng.integers(0, _DAYS_PER_MONTH, victims.size) * _DAY + hour * 3600
    first = np.r_[0, np.cumsum(burst)[:-1]]
    gaps = rng.exponential(15 * 60, n)
    gaps[first] = 0.0
    offsets = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[first], burst)
    seconds = np.repeat(start, burst) + offsets
    weights = np.array([0.30, 0.30, 0.20, 0.10, 0.10]) + drift * np.array([-0.06, 0.0, 0.0, 0.0, 0.06])
    weights = weights.clip(min=0.04) / weights.clip(min=0.04).sum()
    category = np.asarray(FRAUD_CATEGORIES)[rng.choice(len(FRAUD_CATEGORIES), size=n, p=weights)]
    amount = np.exp(rng.normal(np.log(160.0), 0.9, n))
    card_test = np.zeros(n, dtype=bool)
    card_test[first] = rng.random(victims.size) < 0.5
    amount[card_test] = np.exp(rng.normal(np.log(2.5), 0.5, card_test.sum()))
    foreign = rng.random(n) < max(0.2, 0.5 - 0.08 * drift)
    elsewhere = (cards.home[card] + rng.integers(1, len(COUNTRIES), n)) % len(COUNTRIES)
    country = np.where(foreign, elsewhere, cards.home[card])
    channel = rng.choice(3, size=n, p=[0.25, 0.10, 0.65])
    merchant = rng.integers(0, _MERCHANTS, n)
    return _frame(seconds, card, merchant, category, amount, country, channel, 1)


def _frame(seconds: np.ndarray, card: np.ndarray, merchant: np.ndarray, category: np.ndarray, amount: np.ndarray,
           country: np.ndarray, channel: np.ndarray, is_fraud: int) -> pd.DataFrame:
    return pd.DataFrame({
        "seconds": seconds,
        "card_id": card.astype("int64"),
        "merchant_id": merchant.astype("int64"),
        "merchant_category": pd.Series(category, dtype="str"),
        "amount": np.round(amount, 2),
        "country": pd.Series(np.asarray(COUNTRIES)[country], dtype="str"),
        "channel": pd.Series(np.asarray(CHANNELS)[channel], dtype="str"),
        "is_fraud": np.full(seconds.size, is_fraud, dtype="int64"),
    })


def _messy(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """What a real export does: stray case and spaces in labels, missing labels, rows exported twice."""
    n = len(frame)
    category = frame["merchant_category"].copy()
    style = rng.random(n)
    category = category.mask(style < 0.01, category.str.upper())
    category = category.mask((style >= 0.01) & (style < 0.02), category.str.title())
    category = category.mask((style >= 0.02) & (style < 0.03), " " + category + " ")
    frame["merchant_category"] = category.mask(rng.random(n) < 0.02)
    twice = frame.iloc[np.flatnonzero(rng.random(n) < 0.004)]
    return pd.concat([frame, twice]).sort_index(kind="stable").reset_index(drop=True)
