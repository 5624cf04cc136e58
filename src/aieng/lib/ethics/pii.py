"""Find and redact personal data in text: e-mail addresses, phone numbers, payment card numbers and IBANs.

Detection is two-stage: a regular expression proposes candidates of the right *shape*, then a checksum
rejects most look-alikes that are not what they seem:

- cards: 13 to 19 digits pass the Luhn check (double every second digit from the right, subtract 9 from
  doubles above 9; the total must be divisible by 10). It catches every single-digit typo and almost
  every swap of neighbours, and 9 of 10 random digit strings fail it;
- IBANs (ISO 13616): move the first four characters to the end, replace letters by numbers (A = 10 ...
  Z = 35); the resulting integer modulo 97 must be 1.

The formats recognised (stated, so precision and recall have a meaning):

- e-mail: ``local@domain.tld``, local part of letters, digits and ``. _ % + -``, domain labels of letters,
  digits and hyphens, a final label (the top-level domain) of two or more letters;
- phone: North American ``(555) 123-4567``, ``555-123-4567``, ``555.123.4567``; international: ``+``, a
  1-3 digit country code, then one to six groups of 1-8 digits, each after a single space or hyphen
  (``+44 20 7946 0958``, ``+1-555-123-4567``), or ``+`` and the digits written together
  (``+4915123456789``); 8 to 15 digits in all (the E.164 maximum);
- card: 13-19 digits written contiguously, or as 4-4-4-4 / 4-4-4-4-3 / 4-6-5 groups separated by single
  spaces or single hyphens, and Luhn-valid;
- IBAN: two capital letters, two check digits, 11-30 capital letters or digits, contiguous or in groups
  of four separated by single spaces; mod-97-valid.

A match must not touch other letters or digits (``order #12345678901234`` is not scanned inside a longer
number). Overlaps are resolved by priority iban > card > email > phone. Everything else in the text is
kept byte for byte by `redact`.

Left out: names and addresses (they need a trained named-entity recogniser), national ID numbers, phone
formats beyond the list above, checking that an IBAN's length fits its country, and any claim that
regular expressions find all personal data: they find the formats they were written for.
Cost: O(len(text)) per pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

KINDS = ("iban", "card", "email", "phone")  # in order of priority when matches overlap

_EDGE_L = r"(?<![A-Za-z0-9])"
_EDGE_R = r"(?![A-Za-z0-9])"
_PATTERNS = {
    "email": re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![A-Za-z0-9-])"),
    "phone": re.compile(
        _EDGE_L + r"(?:\(\d{3}\) \d{3}-\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4})" + _EDGE_R
        + r"|(?<![A-Za-z0-9+])\+(?:\d{1,3}(?:[ -]\d{1,8}){1,6}|\d{8,15})(?![A-Za-z0-9]|[ -]\d)"
    ),
    "card": re.compile(
        _EDGE_L + r"(?:\d{13,19}"
        r"|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"
        r"|\d{4}([ -])\d{6}\2\d{5})"
        r"(?![A-Za-z0-9]|[ -]\d)"
    ),
    "iban": re.compile(
        _EDGE_L + r"[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)" + _EDGE_R
    ),
}
_ALNUM = re.compile(r"^[A-Z0-9]+$")


def luhn_valid(number: str) -> bool:
    """True when the digits of `number` (spaces and hyphens ignored) pass the Luhn check.

    From the right, every second digit is doubled (minus 9 if the double exceeds 9); the sum of all
    digits must be a multiple of 10. Fewer than two digits, or any other character: False.

    >>> luhn_valid("4539 1488 0343 6467"), luhn_valid("4539 1488 0343 6468")
    (True, False)
    """
    if not isinstance(number, str):
        raise ValueError(f"luhn_valid expects a string, got {type(number).__name__}")
    digits = number.replace(" ", "").replace("-", "")
    if len(digits) < 2 or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """True when `iban` (spaces ignored, letters in any case) passes the ISO 13616 mod-97 check.

    Shape: 2 letters (country), 2 digits (check), 11-30 letters or digits (15-34 characters in all).
    Move the first four characters to the end, write A..Z as 10..35, and the integer mod 97 must be 1.

    >>> iban_valid("GB82 WEST 1234 5698 7654 32"), iban_valid("GB82 WEST 1234 5698 7654 33")
    (True, False)
    """
    if not isinstance(iban, str):
        raise ValueError(f"iban_valid expects a string, got {type(iban).__name__}")
    compact = iban.replace(" ", "").upper()
    if not (15 <= len(compact) <= 34 and compact.isascii() and _ALNUM.match(compact)):
        return False
    if not (compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    rearranged = compact[4:] + compact[:4]
    remainder = 0
    for char in rearranged:  # digit by digit (letters are two digits), never a huge integer
        for digit in str(int(char, 36)):
            remainder = (remainder * 10 + int(digit)) % 97
    return remainder == 1


def _valid(kind: str, candidate: str) -> bool:
    if kind == "card":
        return luhn_valid(candidate)
    if kind == "iban":
        return iban_valid(candidate)
    if kind == "phone" and candidate.startswith("+"):
        return 8 <= sum(c.isdigit() for c in candidate) <= 15
    return True


def find_pii(text: str, kinds: Iterable[str] = KINDS) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, kind)`` of personal data in `text`, sorted by start, never overlapping.

    ``text[start:end]`` is the matched value; kind is one of "email", "phone", "card", "iban". `kinds`
    restricts the search. Candidates failing their checksum (Luhn, mod 97) are dropped, then overlaps are
    resolved by the priority iban > card > email > phone.

    >>> find_pii("mail ana@example.com, card 4539-1488-0343-6467")
    [(5, 20, 'email'), (27, 46, 'card')]
    """
    if not isinstance(text, str):
        raise ValueError(f"find_pii expects a string, got {type(text).__name__}")
    wanted = list(kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; choose from {KINDS}")
    taken: list[tuple[int, int, str]] = []
    for kind in (k for k in KINDS if k in wanted):
        for match in _PATTERNS[kind].finditer(text):
            start, end = match.span()
            if _valid(kind, match.group()) and all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, kind))
    return sorted(taken)


def redact(text: str, kinds: Iterable[str] = KINDS) -> str:
    """`text` with every span of `find_pii` replaced by ``[EMAIL]``, ``[PHONE]``, ``[CARD]`` or ``[IBAN]``;
    every other character is kept as it was.

    >>> redact("call +44 20 7946 0958 or write to ana@example.com.")
    'call [PHONE] or write to [EMAIL].'
    """
    pieces, last = [], 0
    for start, end, kind in find_pii(text, kinds):
        pieces += [text[last:start], f"[{kind.upper()}]"]
        last = end
    return "".join([*pieces, text[last:]])


def span_scores(predicted: Sequence[Iterable[tuple[int, int, str]]],
                gold: Sequence[Iterable[tuple[int, int, str]]], kind: str | None = None) -> dict[str, float]:
    """Exact-match precision, recall and F1 of predicted spans against gold spans, pooled over documents.

    A prediction counts as correct only if (start, end, kind) equals a gold span of the same document.
    precision = correct / predicted, recall = correct / gold, F1 their harmonic mean; a 0/0 is 0 (as
    scikit-learn's zero_division=0). `kind` restricts both sides to one kind.

    >>> span_scores([[(0, 5, "email"), (9, 12, "phone")]], [[(0, 5, "email")]])
    {'precision': 0.5, 'recall': 1.0, 'f1': 0.6666666666666666}
    """
    if len(predicted) != len(gold):
        raise ValueError(f"predicted has {len(predicted)} documents, gold has {len(gold)}")
    correct = n_pred = n_gold = 0
    for pred_doc, gold_doc in zip(predicted, gold, strict=True):
        p = {tuple(s) for s in pred_doc if kind is None or s[2] == kind}
        g = {tuple(s) for s in gold_doc if kind is None or s[2] == kind}
        correct, n_pred, n_gold = correct + len(p & g), n_pred + len(p), n_gold + len(g)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
