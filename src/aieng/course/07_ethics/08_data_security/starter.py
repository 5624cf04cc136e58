"""Data security basics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check data-security`.
The standard library has what you need: hmac, hashlib, re; and pandas for tables.
"""

from __future__ import annotations

import hashlib  # noqa: F401  (you will want them)
import hmac  # noqa: F401
import re  # noqa: F401
from collections.abc import Iterable, Sequence

import pandas as pd

MIN_KEY_BYTES = 16


def pseudonymize(values: Iterable[object], key: bytes) -> list[str]:
    """[HMAC-SHA256(key, str(v).encode("utf-8")) as 64 hex digits for v in values].

    ValueError: key not bytes, key shorter than MIN_KEY_BYTES, or `values` is a single str/bytes.
    """
    raise NotImplementedError


def k_anonymity(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The size of the smallest group of rows sharing all the quasi-identifier values (missing values count
    as a value). ValueError: empty table, no quasi-identifiers, a column df does not have."""
    raise NotImplementedError


def suppress_small_groups(df: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> pd.DataFrame:
    """A copy of df without the rows whose group has fewer than k rows (order and index kept; df unchanged).
    ValueError: k not an integer >= 1 (and the column checks of k_anonymity)."""
    raise NotImplementedError


def find_secrets(source: str) -> list[tuple[int, str]]:
    """Sorted [(line number from 1, kind)] of likely secrets in source code, one per (line, kind).

    Kinds:
    - "aws_access_key": AKIA or ASIA followed by 16 capital letters or digits;
    - "github_token": ghp_, gho_, ghu_, ghs_ or ghr_ followed by 36 letters or digits;
    - "private_key": a line with -----BEGIN ... PRIVATE KEY----- (RSA, EC, OPENSSH or none in between);
    - "hardcoded_secret": a name containing password, passwd, pwd, secret, token, api_key or apikey (any
      case, e.g. DB_PASSWORD, "api_key" as a dict key) followed by = or : and a non-empty string literal
      that is not a placeholder ("<...>", "${...}", "{{...}}", only * or x, "...", "changeme", "your_...").
    Comments count. A non-str source: ValueError.
    """
    raise NotImplementedError
