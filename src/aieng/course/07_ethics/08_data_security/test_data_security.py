"""Checks for `data-security`: pseudonyms against Python's own hmac and hashlib modules, k-anonymity and
suppression against counting equivalence classes by brute force (plain Python over the rows), and the
secret scanner against hand-labelled lines of code.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect


@given(st.lists(st.one_of(st.text(max_size=30), st.integers(), st.emails()), max_size=8),
       st.binary(min_size=16, max_size=64))
def test_pseudonyms_are_hmac_sha256(impl, values, key):
    """pseudonymize(values, key) is hmac.new(key, str(v).encode('utf-8'), hashlib.sha256).hexdigest() for each
    value, in order (any text, e-mail addresses, integers)."""
    expected = [hmac.new(key, str(v).encode("utf-8"), hashlib.sha256).hexdigest() for v in values]
    got = list(impl.pseudonymize(values, key))
    expect(got == expected, f"pseudonymize({values!r}, key) returned {got[:2]}..., expected {expected[:2]}...")


def test_pseudonyms_join_but_depend_on_the_key(impl):
    """The same value gets the same token (tables still join), another key gives unrelated tokens, and the
    token is not the unkeyed SHA-256 that anyone could recompute from a guessed e-mail address."""
    key1, key2 = b"k" * 16, b"another-key-of-32-bytes-length!!"
    a = impl.pseudonymize(["ana@example.com", "bo@example.com", "ana@example.com"], key1)
    expect(a[0] == a[2] and a[0] != a[1], "equal values must give equal tokens, different values different ones")
    expect(impl.pseudonymize(["ana@example.com"], key2)[0] != a[0], "a different key must give a different token")
    expect(a[0] != hashlib.sha256(b"ana@example.com").hexdigest(), "the token must depend on the key (use HMAC)")


def test_pseudonymize_rejects_weak_keys(impl):
    """A key shorter than 16 bytes, a str key, or a single string instead of a list of values: ValueError."""
    assert_raises_value_error(impl.pseudonymize, ["a"], b"short", why="a 5-byte key is guessable")
    assert_raises_value_error(impl.pseudonymize, ["a"], "0123456789abcdef", why="the key must be bytes")
    assert_raises_value_error(impl.pseudonymize, "ana@example.com", b"k" * 16,
                              why="a single string would be pseudonymised letter by letter")


def random_table(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    zips = rng.choice(["75001", "75002", "69001", None], size=n, p=[0.4, 0.3, 0.2, 0.1])
    return pd.DataFrame({
        "zip": zips,
        "birth_year": rng.choice([1970, 1980, 1990], size=n),
        "sex": rng.choice(["F", "M"], size=n),
        "diagnosis": rng.choice(["flu", "asthma", "none"], size=n),
    }, index=rng.permutation(np.arange(100, 100 + n)))


def class_keys(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Each row's quasi-identifier values as a tuple, missing values as one shared marker."""
    return [tuple("<missing>" if pd.isna(v) else v for v in row) for row in df[columns].itertuples(index=False)]


QI = st.sampled_from([["zip"], ["zip", "birth_year"], ["zip", "birth_year", "sex"], ["sex"], ["birth_year", "sex"]])


@given(st.integers(0, 2**32 - 1), QI)
def test_k_anonymity_is_the_smallest_class(impl, seed, columns):
    """k_anonymity(df, quasi_identifiers) is the size of the smallest group of rows sharing all the
    quasi-identifier values (a missing value counts as a value of its own), counted row by row here."""
    df = random_table(seed)
    expected = min(Counter(class_keys(df, columns)).values())
    got = impl.k_anonymity(df, columns)
    expect(got == expected, f"k_anonymity(df, {columns}) returned {got}, expected {expected}")


@given(st.integers(0, 2**32 - 1), QI, st.integers(1, 6))
def test_suppression_keeps_exactly_the_big_classes(impl, seed, columns, k):
    """suppress_small_groups(df, qi, k) keeps exactly the rows whose class has at least k rows, in their
    original order with their original index, leaves df itself unchanged, and the result is k-anonymous."""
    df = random_table(seed)
    before = df.copy()
    keys = class_keys(df, columns)
    sizes = Counter(keys)
    expected_index = [i for i, key in zip(df.index, keys, strict=True) if sizes[key] >= k]
    got = impl.suppress_small_groups(df, columns, k)
    expect(isinstance(got, pd.DataFrame), f"suppress_small_groups should return a DataFrame, got {type(got).__name__}")
    dropped = [i for i in expected_index if i not in set(got.index)]
    extra = [i for i in got.index if i not in set(expected_index)]
    expect(list(got.index) == expected_index,
           f"suppress_small_groups(df, {columns}, k={k}) dropped rows it should keep (index {dropped[:5]}) or kept "
           f"rows it should drop (index {extra[:5]}), or changed their order; rows with a missing value count too")
    expect(df.equals(before), "suppress_small_groups must not modify its input")
    if len(got):
        expect(min(Counter(class_keys(got, columns)).values()) >= k, "the result is not k-anonymous")


def test_k_anonymity_rejects_bad_input(impl):
    """An empty table, no quasi-identifiers, an unknown column or k < 1 raise ValueError."""
    df = random_table(0)
    assert_raises_value_error(impl.k_anonymity, df.iloc[:0], ["zip"], why="an empty table has no classes")
    assert_raises_value_error(impl.k_anonymity, df, [], why="name at least one quasi-identifier")
    assert_raises_value_error(impl.k_anonymity, df, ["postcode"], why="there is no column 'postcode'")
    assert_raises_value_error(impl.suppress_small_groups, df, ["zip"], 0, why="k must be at least 1")


SNIPPET_LINES = [
    ('API_KEY = "sk_live_51HxYzAbCdEf"', ["hardcoded_secret"]),
    ('db_password = "hunter2"', ["hardcoded_secret"]),
    ('config = {"api_key": "abcd1234efgh"}', ["hardcoded_secret"]),
    ("# old: secret = 'p@ssw0rd!'", ["hardcoded_secret"]),
    ('client(token="eyJhbGciOiJIUzI1NiJ9")', ["hardcoded_secret"]),
    ('aws_id = "AKIAIOSFODNN7EXAMPLE"', ["aws_access_key"]),
    ("-----BEGIN RSA PRIVATE KEY-----", ["private_key"]),
    ("-----BEGIN OPENSSH PRIVATE KEY-----", ["private_key"]),
    ('headers = {"Authorization": "token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}', ["github_token"]),
    ('password = os.environ["DB_PASSWORD"]', []),
    ('token = os.getenv("GITHUB_TOKEN")', []),
    ("api_key = load_from_vault('payments')", []),
    ('password = ""', []),
    ('password = "<your-password>"', []),
    ('secret = "${SECRET}"', []),
    ('token = "***"', []),
    ('print("enter your password:")', []),
    ("-----BEGIN PUBLIC KEY-----", []),
    ('user = "AKIA"', []),
]


def test_find_secrets_on_labelled_lines(impl):
    """find_secrets flags hard-coded passwords, API keys and tokens (also in comments and keyword
    arguments), AWS access key ids, GitHub tokens and PEM private keys, and leaves alone secrets read from
    the environment or a vault, empty strings, placeholders, prompts and public keys."""
    source = "\n".join(line for line, _ in SNIPPET_LINES) + "\n"
    expected = sorted((i + 1, kind) for i, (_, kinds) in enumerate(SNIPPET_LINES) for kind in kinds)
    got = sorted((int(n), str(k)) for n, k in impl.find_secrets(source))
    missed = [SNIPPET_LINES[n - 1][0] for n, _ in sorted(set(expected) - set(got))]
    false = [SNIPPET_LINES[n - 1][0] for n, _ in sorted(set(got) - set(expected))]
    expect(got == expected, f"find_secrets: missed {missed[:3]}, wrongly flagged {false[:3]} "
                            f"(got {got[:6]}..., expected {expected[:6]}...)")


def test_find_secrets_counts_lines_from_one(impl):
    """Line numbers start at 1, one entry per (line, kind), sorted; a clean file gives []."""
    got = impl.find_secrets("x = 1\n\npassword = 'opensesame'\n")
    expect(list(got) == [(3, "hardcoded_secret")], f"find_secrets returned {got}, expected [(3, 'hardcoded_secret')]")
    expect(list(impl.find_secrets("import os\n")) == [], "a file without secrets gives []")
    assert_raises_value_error(impl.find_secrets, b"password = 'x'", why="find_secrets reads text, not bytes")
