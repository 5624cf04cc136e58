"""Seeded synthetic data for the responsible-AI stage: a lending data set with a known, injected bias,
and a labelled corpus of text with personal data in it.

`lending(n, bias, seed)` simulates loan applicants in two groups, "A" (about 65%) and "B". The truth is
that repayment depends only on income, debt ratio and years employed (group B earns a little less on
average, so its true repayment rate is somewhat lower: a genuine base-rate difference). The *recorded*
label is what a biased historical process wrote down: with probability `bias`, a group-B applicant who
would repay is recorded as a bad risk. A `postcode_score` column correlates with the group but has no
effect on repayment: the classic proxy through which a model that never sees the group learns the bias.

`pii_corpus(n, seed)` writes short messages from templates with e-mail addresses, phone numbers, card
numbers (Luhn-valid) and IBANs (mod-97-valid) at known character spans, mixed with look-alikes that are
not personal data (order numbers, dates, invalid card-like and IBAN-like strings).

Left out: realistic marginal distributions (these are teaching data, not a benchmark), more than one
sensitive attribute, intersectional groups, free-form text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURES = ("income", "debt_ratio", "years_employed", "postcode_score")


def lending(n: int = 5000, *, bias: float = 0.3, share_b: float = 0.35, seed: int = 0) -> pd.DataFrame:
    """A DataFrame of n loan applicants with a known label bias against group "B".

    Columns: income (thousands per year), debt_ratio (in [0, 1]), years_employed, postcode_score (a proxy:
    mean 0 in group A, 1 in group B, no effect on repayment), group ("A" or "B"), repaid (the unbiased truth,
    0/1) and label (the recorded, biased outcome: repaid, except that each group-B repayer is recorded as 0
    with probability `bias`). With bias = 0 the two label columns are identical.

    True repayment: ``P(repaid) = sigmoid(0.8 + 2 log(income / 40) - 4 (debt_ratio - 0.28)
    + 0.12 (years_employed - 6))``. Cost O(n).

    >>> df = lending(1000, bias=0.0, seed=1)
    >>> bool((df["label"] == df["repaid"]).all()), sorted(df["group"].unique())
    (True, ['A', 'B'])
    """
    if n < 1:
        raise ValueError(f"n must be positive, got {n}")
    if not 0 <= bias <= 1:
        raise ValueError(f"bias is a probability in [0, 1], got {bias}")
    if not 0 < share_b < 1:
        raise ValueError(f"share_b must be in (0, 1), got {share_b}")
    rng = np.random.default_rng(seed)
    is_b = rng.random(n) < share_b
    income = np.exp(rng.normal(np.where(is_b, np.log(36.0), np.log(42.0)), 0.4))
    debt_ratio = rng.beta(2.0, 5.0, size=n)
    years = rng.gamma(2.0, 3.0, size=n)
    postcode = rng.normal(is_b.astype(float), 1.0)
    logit = 0.8 + 2.0 * np.log(income / 40.0) - 4.0 * (debt_ratio - 0.28) + 0.12 * (years - 6.0)
    repaid = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    flipped = is_b & (repaid == 1) & (rng.random(n) < bias)
    label = np.where(flipped, 0, repaid)
    return pd.DataFrame({
        "income": income.round(2), "debt_ratio": debt_ratio.round(4), "years_employed": years.round(1),
        "postcode_score": postcode.round(3), "group": np.where(is_b, "B", "A"), "repaid": repaid, "label": label,
    })


# ----------------------------------------------------------------------------- PII corpus

_NAMES = ("ana", "li.wei", "j.smith", "marie-claire", "o_brien", "kofi", "sven.berg", "priya.k")
_DOMAINS = ("example.com", "mail.example.org", "uni-example.edu", "example.co.uk")
_CARD_PREFIXES = ("4", "51", "55", "37", "6011")


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check (double every second digit from the
    right of the final number, subtract 9 from doubles above 9, total divisible by 10)."""
    digits = np.array([int(c) for c in payload[::-1]])
    doubled = digits * np.where(np.arange(digits.size) % 2 == 0, 2, 1)  # the check digit will shift parity
    total = int(np.sum(np.where(doubled > 9, doubled - 9, doubled)))
    return str((10 - total % 10) % 10)


def iban_check_digits(country: str, bban: str) -> str:
    """The two ISO 13616 check digits: 98 - (BBAN + country + "00" as a number, letters A=10..Z=35) mod 97."""
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


def _card(rng: np.random.Generator) -> str:
    prefix = str(rng.choice(_CARD_PREFIXES))
    length = 15 if prefix == "37" else 16
    payload = prefix + "".join(str(d) for d in rng.integers(0, 10, length - len(prefix) - 1))
    number = payload + luhn_check_digit(payload)
    style = rng.integers(0, 3)
    if style == 0:
        return number
    sep = " " if style == 1 else "-"
    groups = [number[0:4], number[4:10], number[10:]] if length == 15 else [number[i:i + 4] for i in range(0, 16, 4)]
    return sep.join(groups)


def _iban(rng: np.random.Generator) -> str:
    country, length = [("DE", 18), ("GB", 18), ("FR", 23), ("NL", 14), ("ES", 20)][rng.integers(0, 5)]
    if country in ("GB", "NL"):
        bank = "".join(rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 4))
        bban = bank + "".join(str(d) for d in rng.integers(0, 10, length - 4))
    else:
        bban = "".join(str(d) for d in rng.integers(0, 10, length))
    iban = country + iban_check_digits(country, bban) + bban
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.5 else iban


def _phone(rng: np.random.Generator) -> str:
    d = lambda k: "".join(str(x) for x in rng.integers(0, 10, k))  # noqa: E731
    area = str(rng.integers(2, 10)) + d(2)
    style = rng.integers(0, 5)
    if style == 0:
        return f"({area}) {d(3)}-{d(4)}"
    if style == 1:
        return f"{area}-{d(3)}-{d(4)}"
    if style == 2:
        return f"{area}.{d(3)}.{d(4)}"
    if style == 3:
        return f"+44 {rng.integers(1, 10)}{d(1)} {d(4)} {d(4)}"
    return f"+{rng.integers(1, 99)} {d(3)} {d(3)} {d(3)}"


def _decoy(rng: np.random.Generator) -> str:
    d = lambda k: "".join(str(x) for x in rng.integers(0, 10, k))  # noqa: E731
    kind = rng.integers(0, 6)
    if kind == 0:
        return f"order #{d(8)}"
    if kind == 1:
        return f"on 20{d(2)}-0{rng.integers(1, 10)}-1{rng.integers(0, 10)}"
    if kind == 2:  # 16 digits that fail the Luhn check
        payload = "4" + d(14)
        bad = (int(luhn_check_digit(payload)) + 1 + rng.integers(0, 9)) % 10
        return f"ref {payload}{bad}"
    if kind == 3:  # an IBAN-shaped string with wrong check digits
        bban = d(18)
        good = int(iban_check_digits("DE", bban))
        bad = 2 + (good - 2 + 1 + rng.integers(0, 96)) % 97  # any of 02..98 except the right one
        return f"code DE{bad:02d}{bban}"
    if kind == 4:
        return f"version {rng.integers(1, 9)}.{rng.integers(0, 20)}.{rng.integers(0, 9)}"
    return f"at {rng.integers(10, 24)}:{d(1)}0 in room {d(3)}"


_TEMPLATES = (
    "Hi, this is {name}, reach me at {email} or call {phone} after 5pm; {decoy}.",
    "Refund {decoy} to card {card}, cardholder e-mail {email}.",
    "Please wire the deposit to IBAN {iban} ({decoy}) and confirm by phone {phone}.",
    "Contact: {email} / {phone}. Payment card: {card}. Note {decoy}.",
    "{decoy} shipped; questions to {email}.",
    "Account {iban}, backup card {card}, mobile {phone}.",
)


def pii_corpus(n: int = 200, *, seed: int = 0) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """n messages with their gold spans ``[(start, end, kind), ...]``, kind in email/phone/card/iban.

    Each message fills a template; the true personal data sit at recorded character offsets and the
    decoys (order numbers, dates, Luhn-invalid 16-digit references, IBANs with wrong check digits,
    version numbers, times) are *not* spans. Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    corpus = []
    for _ in range(n):
        template = _TEMPLATES[rng.integers(0, len(_TEMPLATES))]
        values = {
            "name": str(rng.choice(_NAMES)).title(),
            "email": f"{rng.choice(_NAMES)}{rng.integers(1, 99)}@{rng.choice(_DOMAINS)}",
            "phone": _phone(rng), "card": _card(rng), "iban": _iban(rng), "decoy": _decoy(rng),
        }
        text, spans, pos = "", [], 0
        for literal, field in _split(template):
            text += literal
            pos += len(literal)
            if field:
                value = values[field]
                if field in ("email", "phone", "card", "iban"):
                    spans.append((pos, pos + len(value), field))
                text += value
                pos += len(value)
        corpus.append((text, spans))
    return corpus


def _split(template: str) -> list[tuple[str, str]]:
    """'a {x} b' -> [('a ', 'x'), (' b', '')]: literal text followed by the field that comes after it."""
    import string

    return [(literal, field or "") for literal, field, _, _ in string.Formatter().parse(template)]
