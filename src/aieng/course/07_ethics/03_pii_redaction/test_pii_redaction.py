"""Checks for `pii-redaction`: the Luhn and mod-97 checksums against plainly written versions and published
examples; detection against a labelled set of messages generated here with known character spans; and
redaction that leaves every other character alone.

The labelled set: 160 messages from seeded templates with e-mail addresses, phones in the stated formats,
Luhn-valid card numbers and mod-97-valid IBANs, mixed with look-alikes that are NOT personal data (order
numbers, dates, ISBNs, times, prices, version numbers, 16-digit references that fail Luhn, IBAN-shaped
strings with wrong check digits). Detection must reach precision and recall of at least 0.95 per kind:
the formats are fully stated in the lesson, so a correct detector scores 1.0 and the margin only forgives
a rare corner.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

KINDS = ("email", "phone", "card", "iban")


# ----------------------------------------------------------------------------- checksums, written plainly


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(payload: str) -> str:
    """payload + the one digit that makes it Luhn-valid (found by trying all ten)."""
    return next(payload + str(d) for d in range(10) if luhn_ok(payload + str(d)))


def iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "").upper()
    s = s[4:] + s[:4]
    number = "".join(str(ord(c) - 55) if c.isalpha() else c for c in s)
    return int(number) % 97 == 1


def iban_make(country: str, bban: str) -> str:
    return next(f"{country}{k:02d}{bban}" for k in range(2, 99) if iban_ok(f"{country}{k:02d}{bban}"))


VALID_CARDS = ["4111111111111111", "5500 0000 0000 0004", "3782 822463 10005", "6011-1111-1111-1117",
               "4539148803436467", "79927398713"]
INVALID_CARDS = ["4111111111111112", "1234 5678 1234 5678", "6011-1111-1111-1118", "79927398710"]
VALID_IBANS = ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "FR1420041010050500013M02606",
               "NL91ABNA0417164300", "BE68539007547034", "gb82west12345698765432"]
INVALID_IBANS = ["GB82 WEST 1234 5698 7654 33", "GB28 WEST 1234 5698 7654 32", "DE89370400440532013001",
                 "XX00", "GB82-WEST-1234-5698-7654-32", "1234567890123456"]


def test_luhn_on_published_examples(impl):
    """luhn_valid accepts the classic test card numbers (spaces and hyphens ignored) and 79927398713, and
    rejects each with its last digit changed."""
    for number in VALID_CARDS:
        expect(impl.luhn_valid(number) is True, f"luhn_valid({number!r}) should be True")
    for number in INVALID_CARDS:
        expect(impl.luhn_valid(number) is False, f"luhn_valid({number!r}) should be False")


@given(st.integers(0, 2**32 - 1), st.integers(2, 19))
def test_luhn_matches_the_plain_algorithm(impl, seed, length):
    """On random digit strings (valid ones made by completing a payload, and random ones), luhn_valid agrees
    with the Luhn algorithm written out digit by digit."""
    rng = np.random.default_rng(seed)
    random_digits = "".join(map(str, rng.integers(0, 10, length)))
    completed = luhn_complete(random_digits[:-1])
    for number in (random_digits, completed):
        expect(impl.luhn_valid(number) == luhn_ok(number), f"luhn_valid({number!r}) should be {luhn_ok(number)}")


def test_luhn_rejects_non_digits(impl):
    """Letters or an empty string are not card numbers: luhn_valid returns False."""
    for text in ("", "4111a11111111111", "abcd", "5"):
        expect(impl.luhn_valid(text) is False, f"luhn_valid({text!r}) should be False")


def test_iban_on_published_examples(impl):
    """iban_valid accepts published example IBANs (GB, DE, FR, NL, BE; spaces ignored, any letter case) and
    rejects a changed digit, swapped check digits, a too-short string, hyphens and a string of digits."""
    for iban in VALID_IBANS:
        expect(impl.iban_valid(iban) is True, f"iban_valid({iban!r}) should be True")
    for iban in INVALID_IBANS:
        expect(impl.iban_valid(iban) is False, f"iban_valid({iban!r}) should be False")


@given(st.integers(0, 2**32 - 1), st.sampled_from([("DE", 18), ("GB", 18), ("FR", 23), ("NL", 14), ("MT", 27)]))
def test_iban_matches_mod_97(impl, seed, country_length):
    """Random BBANs with their correct check digits are valid, and every other pair of check digits is
    rejected: the mod-97 check as written plainly in the test."""
    rng = np.random.default_rng(seed)
    country, length = country_length
    bban = "".join(rng.choice(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), length))
    good = iban_make(country, bban)
    expect(impl.iban_valid(good) is True, f"iban_valid({good!r}) should be True")
    wrong = f"{country}{(int(good[2:4]) + int(rng.integers(1, 96))) % 97 + 2:02d}{bban}"
    expect(impl.iban_valid(wrong) == iban_ok(wrong), f"iban_valid({wrong!r}) should be {iban_ok(wrong)}")


# ----------------------------------------------------------------------------- a labelled set


def _digits(rng, k):
    return "".join(map(str, rng.integers(0, 10, k)))


def make_value(kind: str, rng: np.random.Generator) -> str:
    if kind == "email":
        user = rng.choice(["nora", "t.okafor", "ying_li", "m-dubois", "x+tag", "sam.o.b"])
        return f"{user}{rng.integers(0, 100)}@{rng.choice(['example.com', 'mail.test.org', 'x-y.example.io'])}"
    if kind == "phone":
        a = str(rng.integers(2, 10)) + _digits(rng, 2)
        return [f"({a}) {_digits(rng, 3)}-{_digits(rng, 4)}", f"{a}-{_digits(rng, 3)}-{_digits(rng, 4)}",
                f"{a}.{_digits(rng, 3)}.{_digits(rng, 4)}", f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}",
                f"+1-{a}-{_digits(rng, 3)}-{_digits(rng, 4)}", f"+49 {_digits(rng, 3)} {_digits(rng, 7)}",
                f"+33 {_digits(rng, 1)}{_digits(rng, 1)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}"
                ][rng.integers(0, 7)]
    if kind == "card":
        shape = rng.integers(0, 5)
        if shape == 0:
            return luhn_complete("4" + _digits(rng, 14))
        if shape == 1:
            n = luhn_complete("5" + _digits(rng, 14))
            return " ".join(n[i:i + 4] for i in range(0, 16, 4))
        if shape == 2:
            n = luhn_complete("4" + _digits(rng, 14))
            return "-".join(n[i:i + 4] for i in range(0, 16, 4))
        if shape == 3:
            n = luhn_complete("37" + _digits(rng, 12))
            return f"{n[:4]} {n[4:10]} {n[10:]}"
        return luhn_complete("6" + _digits(rng, 17))  # 19 digits
    country, length = [("DE", 18), ("GB", 18), ("IT", 23), ("ES", 20), ("BE", 12)][rng.integers(0, 5)]
    bban = _digits(rng, length) if country != "GB" else "NWBK" + _digits(rng, 14)
    iban = iban_make(country, bban)
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.5 else iban


def make_decoy(rng: np.random.Generator) -> str:
    kind = rng.integers(0, 8)
    if kind == 0:
        return f"order #{_digits(rng, 8)}"
    if kind == 1:
        return f"on 20{_digits(rng, 2)}-0{rng.integers(1, 10)}-2{rng.integers(0, 9)}"
    if kind == 2:
        return f"due 1{rng.integers(0, 3)}/0{rng.integers(1, 10)}/20{_digits(rng, 2)}"
    if kind == 3:
        number = luhn_complete("4" + _digits(rng, 14))
        return f"reference {number[:-1]}{(int(number[-1]) + rng.integers(1, 10)) % 10}"  # fails Luhn
    if kind == 4:
        good = iban_make("DE", _digits(rng, 18))
        return f"code DE{(int(good[2:4]) + int(rng.integers(1, 96)) - 2) % 97 + 2:02d}{good[4:]}"  # wrong check
    if kind == 5:
        return f"ISBN 978-{rng.integers(0, 10)}-{_digits(rng, 2)}-{_digits(rng, 6)}-{rng.integers(0, 10)}"
    if kind == 6:
        price = f"{rng.integers(1, 10)},{_digits(rng, 3)}.{_digits(rng, 2)}"
        return f"price {price} EUR at {rng.integers(10, 24)}:{_digits(rng, 2)}"
    return f"version {rng.integers(1, 9)}.{rng.integers(0, 30)}.{rng.integers(0, 9)}"


TEMPLATES = [
    ["Hello, I am Jo. Write to ", "email", " or ring ", "phone", " (", "decoy", ")."],
    ["Pay with ", "card", " please; ", "decoy", ". Receipt to ", "email", "."],
    ["IBAN: ", "iban", "\nPhone: ", "phone", "\nNote: ", "decoy"],
    ["", "decoy", " and ", "decoy", ", nothing personal here."],
    ["Card ", "card", ", account ", "iban", ", mail ", "email", ", tel ", "phone", "."],
    ["(", "phone", ") is my number, ", "decoy", "."],
]


def labelled_set(n: int = 160, seed: int = 2024) -> list[tuple[str, list[tuple[int, int, str]]]]:
    rng = np.random.default_rng(seed)
    data = []
    for i in range(n):
        text, spans = "", []
        for piece in TEMPLATES[i % len(TEMPLATES)]:
            if piece in KINDS:
                value = make_value(piece, rng)
                spans.append((len(text), len(text) + len(value), piece))
                text += value
            elif piece == "decoy":
                text += make_decoy(rng)
            else:
                text += piece
        data.append((text, spans))
    return data


DATA = labelled_set()


def as_spans(result, what: str) -> list[tuple[int, int, str]]:
    expect(isinstance(result, list), f"{what} should return a list of (start, end, kind), got {result!r}")
    for span in result:
        expect(isinstance(span, tuple | list) and len(span) == 3 and span[2] in KINDS,
               f"{what}: each span should be (start, end, kind) with kind in {KINDS}, got {span!r}")
    return [(int(s), int(e), str(k)) for s, e, k in result]


def test_find_pii_worked_example(impl):
    """In 'Mail jo@example.com, card 4111 1111 1111 1111.' find_pii returns the e-mail span (5, 19) and the
    card span (26, 45), sorted by start, each text[start:end] being exactly the value."""
    text = "Mail jo@example.com, card 4111 1111 1111 1111."
    got = as_spans(impl.find_pii(text), "find_pii")
    expect(got == [(5, 19, "email"), (26, 45, "card")], f"find_pii({text!r}) returned {got}, expected "
           "[(5, 19, 'email'), (26, 45, 'card')]")


def test_precision_and_recall_on_the_labelled_set(impl):
    """On 160 labelled messages (with order numbers, dates, ISBNs, prices, Luhn-invalid references and
    IBAN-like codes with wrong check digits as traps), exact-span precision and recall are at least 0.95
    for every kind; the message shows a few misses and false alarms."""
    found = [as_spans(impl.find_pii(text), "find_pii") for text, _ in DATA]
    for kind in KINDS:
        pred = [{s for s in spans if s[2] == kind} for spans in found]
        gold = [{s for s in spans if s[2] == kind} for _, spans in DATA]
        correct = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
        n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
        precision = correct / n_pred if n_pred else 0.0
        recall = correct / n_gold
        misses = [DATA[i][0][s:e] for i, (p, g) in enumerate(zip(pred, gold, strict=True)) for s, e, _ in g - p]
        alarms = [DATA[i][0][s:e] for i, (p, g) in enumerate(zip(pred, gold, strict=True)) for s, e, _ in p - g]
        expect(precision >= 0.95 and recall >= 0.95,
               f"{kind}: precision {precision:.3f}, recall {recall:.3f} (both should be >= 0.95); "
               f"missed e.g. {misses[:3]}, wrongly flagged e.g. {alarms[:3]}")


def test_redaction_keeps_everything_else(impl):
    """redact replaces each detected span with [EMAIL], [PHONE], [CARD] or [IBAN] and leaves every other
    character exactly as it was (compared with splicing your own find_pii spans in by hand)."""
    for text, _ in DATA[:40]:
        spans = sorted(as_spans(impl.find_pii(text), "find_pii"))
        expected = text
        for start, end, kind in reversed(spans):
            expected = expected[:start] + f"[{kind.upper()}]" + expected[end:]
        got = impl.redact(text)
        expect(got == expected, f"redact({text!r})\n returned {got!r}\n expected {expected!r}")


def test_redaction_examples(impl):
    """Hand-checked redactions: punctuation after an address stays, look-alikes stay untouched."""
    cases = {
        "Write to ana.b@example.org.": "Write to [EMAIL].",
        "Call (555) 010-4477 or +44 20 7946 0958!": "Call [PHONE] or [PHONE]!",
        "Order #48213377 of 2024-03-15, ref 4111111111111112.": "Order #48213377 of 2024-03-15, ref 4111111111111112.",
        "To GB82 WEST 1234 5698 7654 32, not GB82 WEST 1234 5698 7654 33.":
            "To [IBAN], not GB82 WEST 1234 5698 7654 33.",
        "Amex 3782 822463 10005; Visa 4111-1111-1111-1111": "Amex [CARD]; Visa [CARD]",
        "": "",
    }
    for text, expected in cases.items():
        got = impl.redact(text)
        expect(got == expected, f"redact({text!r}) returned {got!r}, expected {expected!r}")


@given(st.integers(0, 2**32 - 1))
def test_span_scores_match_counting(impl, seed):
    """span_scores pools exact (start, end, kind) matches over documents: precision = correct / predicted,
    recall = correct / gold, F1 their harmonic mean, and 0 for any 0/0 (checked against set counting)."""
    rng = np.random.default_rng(seed)
    gold, pred = [], []
    for _ in range(rng.integers(1, 6)):
        starts = rng.integers(0, 30, rng.integers(0, 4))
        g = {(int(s), int(s) + int(rng.integers(1, 5)), str(rng.choice(KINDS))) for s in starts}
        extra = {(int(s), int(s) + 2, "email") for s in rng.integers(0, 30, rng.integers(0, 3))}
        p = {s for s in g if rng.random() < 0.6} | extra
        gold.append(sorted(g))
        pred.append(sorted(p))
    correct = sum(len(set(p) & set(g)) for p, g in zip(pred, gold, strict=True))
    n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    got = impl.span_scores(pred, gold)
    expect(isinstance(got, dict), f"span_scores should return a dict, got {got!r}")
    assert_close(np.array([got["precision"], got["recall"], got["f1"]]), np.array([precision, recall, f1]),
                 rtol=1e-12, what="[precision, recall, f1]")


def test_rejects_bad_input(impl):
    """Non-string input, an unknown kind and mismatched document counts raise ValueError."""
    assert_raises_value_error(impl.find_pii, 12345, why="find_pii reads text (a str)")
    assert_raises_value_error(impl.luhn_valid, 4111111111111111, why="pass the number as a string")
    assert_raises_value_error(impl.find_pii, "hello", kinds=["passport"], why="'passport' is not a kind this finds")
    assert_raises_value_error(impl.span_scores, [[]], [[], []], why="1 predicted document against 2 gold ones")
