"""PII detection and redaction — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check pii-redaction`.
The formats to recognise are listed in the lesson ("The formats"); `re` from the standard library is all
you need.
"""

from __future__ import annotations

import re  # noqa: F401  (you will want it)
from collections.abc import Iterable, Sequence

KINDS = ("iban", "card", "email", "phone")  # priority order when two matches overlap


def luhn_valid(number: str) -> bool:
    """True when the digits of `number` pass the Luhn check; spaces and hyphens are ignored.

    From the rightmost digit, double every second digit (subtract 9 if the double exceeds 9) and add all
    digits: valid when the total is a multiple of 10. Any other character, or fewer than 2 digits: False.
    A non-string argument: ValueError.
    """
    raise NotImplementedError


def iban_valid(iban: str) -> bool:
    """True when `iban` passes the ISO 13616 mod-97 check; spaces are ignored, letters may be any case.

    Shape: 2 letters, 2 digits, then 11-30 letters or digits (15-34 characters). Move the first four
    characters to the end, replace each letter by two digits (A = 10, ..., Z = 35): the number mod 97 is 1.
    Wrong shape: False. A non-string argument: ValueError.
    """
    raise NotImplementedError


def find_pii(text: str, kinds: Iterable[str] = KINDS) -> list[tuple[int, int, str]]:
    """Spans (start, end, kind) of the e-mails, phones, cards and IBANs in `text`, sorted by start.

    text[start:end] is exactly the value; kind is "email", "phone", "card" or "iban". Only the kinds in
    `kinds` are searched (an unknown kind: ValueError). Cards must pass Luhn and IBANs mod 97; spans never
    overlap (priority iban > card > email > phone). A non-string text: ValueError.
    """
    raise NotImplementedError


def redact(text: str, kinds: Iterable[str] = KINDS) -> str:
    """`text` with each span of find_pii replaced by "[EMAIL]", "[PHONE]", "[CARD]" or "[IBAN]"; every other
    character unchanged."""
    raise NotImplementedError


def span_scores(predicted: Sequence[Iterable[tuple[int, int, str]]],
                gold: Sequence[Iterable[tuple[int, int, str]]], kind: str | None = None) -> dict[str, float]:
    """{"precision": ..., "recall": ..., "f1": ...} of exact (start, end, kind) matches, pooled over documents.

    predicted[i] and gold[i] are the spans of document i; `kind` restricts both to one kind. Any 0/0 is 0.
    Different numbers of documents: ValueError.
    """
    raise NotImplementedError
