"""Data-security basics for ML data: keyed pseudonymisation, k-anonymity of a released table, and a scan
for secrets committed to source code.

- Pseudonymisation with a keyed hash: ``token = HMAC-SHA256(key, value)``. The same person always gets the
  same token (tables still join), but without the key nobody can recompute tokens from guesses; a plain,
  unkeyed or salted-per-table SHA-256 of an e-mail address or a phone number is reversed by hashing every
  candidate. Pseudonymised data are still personal data under the GDPR (the key re-identifies them).
- k-anonymity (Sweeney, 2002): every combination of quasi-identifiers (postcode, birth year, sex, ...)
  is shared by at least k rows, so no row stands out by them. The k of a table is its smallest such group.
  Suppressing the rows of the small groups (or generalising values: ages to decades) raises it.
  k-anonymity does not protect the sensitive column itself if a whole group shares one value (the
  homogeneity attack; l-diversity and differential privacy address that).
- Secrets in code: API keys, tokens, private keys and passwords written into source files end up in
  version control, logs and container images. `find_secrets` flags the common shapes; the fix is to read
  secrets from the environment or a secret manager and to rotate any secret that was ever committed.

Left out: encryption itself (use a vetted library, never your own cipher), key management and rotation,
l-diversity and t-closeness, entropy-based secret detection.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence

import pandas as pd

MIN_KEY_BYTES = 16

SECRET_PATTERNS = {
    "aws_access_key": re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])"),
    "github_token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "private_key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "hardcoded_secret": re.compile(
        r"""(?i)\b[\w.]*(?:password|passwd|pwd|secret|token|api_?key)\w*['"]?\s*[:=]\s*(?:[rbuf]{0,2})(['"])(.+?)\1"""
    ),
}
_PLACEHOLDER = re.compile(r"^(?:<.*>|\$\{.*\}|\{\{.*\}\}|\*+|x+|\.\.\.|changeme|your[_-].*)$", re.IGNORECASE)


def pseudonymize(values: Iterable[object], key: bytes) -> list[str]:
    """HMAC-SHA256 of each value's text (``str(value)`` encoded as UTF-8) under `key`, as 64 hex digits.

    Deterministic per key (joins still work), irreversible without the key. The key must be bytes of at
    least 16 bytes (128 bits); keep it out of the code and out of the data. Cost O(total length).

    >>> pseudonymize(["ana@example.com"], b"0123456789abcdef")[0][:16]
    '4624055dbf2fe999'
    """
    if not isinstance(key, bytes | bytearray):
        raise ValueError(f"the key must be bytes, got {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the key must have at least {MIN_KEY_BYTES} bytes, got {len(key)}")
    if isinstance(values, str | bytes):
        raise ValueError("pass an iterable of values, not a single string")
    return [hmac.new(bytes(key), str(v).encode("utf-8"), hashlib.sha256).hexdigest() for v in values]


def _group_sizes(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """The size of each row's equivalence class (rows sharing all quasi-identifier values), NaN counting as
    a value. Shape (n_rows,), aligned with df."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(df).__name__}")
    columns = list(quasi_identifiers)
    if not columns:
        raise ValueError("name at least one quasi-identifier column")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"unknown column(s) {missing}")
    return df.groupby(columns, dropna=False, sort=False)[columns[0]].transform("size")


def k_anonymity(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The largest k for which `df` is k-anonymous: the size of its smallest equivalence class.

    >>> k_anonymity(pd.DataFrame({"zip": ["750", "750", "691"], "age": [30, 30, 40]}), ["zip", "age"])
    1
    """
    if len(df) == 0:
        raise ValueError("an empty table has no equivalence classes")
    return int(_group_sizes(df, quasi_identifiers).min())


def suppress_small_groups(df: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> pd.DataFrame:
    """`df` without the rows whose equivalence class has fewer than k rows (the result is k-anonymous, or
    empty). Row order and index are kept. k must be a positive integer."""
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    if len(df) == 0:
        return df.copy()
    return df[(_group_sizes(df, quasi_identifiers) >= k).to_numpy()].copy()


def find_secrets(source: str) -> list[tuple[int, str]]:
    """``[(line number from 1, kind), ...]`` of likely secrets in source code, sorted, one entry per line and kind.

    Kinds: aws_access_key (AKIA/ASIA + 16 capitals or digits), github_token (ghp_/gho_/ghu_/ghs_/ghr_ + 36
    letters or digits), private_key (a PEM "BEGIN ... PRIVATE KEY" line), hardcoded_secret (a name
    containing password, passwd, pwd, secret, token or api_key/apikey assigned, with = or :, a non-empty
    string literal that is not a placeholder such as "<your-key>", "${TOKEN}", "***" or "changeme").
    Comments are scanned too: a commented-out secret is still in the repository's history.

    >>> find_secrets('db_password = "hunter2"\\nkey = os.environ["API_KEY"]\\n')
    [(1, 'hardcoded_secret')]
    """
    if not isinstance(source, str):
        raise ValueError(f"find_secrets reads source text (a str), got {type(source).__name__}")
    found = set()
    for number, line in enumerate(source.splitlines(), start=1):
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(line):
                if kind == "hardcoded_secret" and _PLACEHOLDER.match(match.group(2).strip()):
                    continue
                found.add((number, kind))
    return sorted(found)
