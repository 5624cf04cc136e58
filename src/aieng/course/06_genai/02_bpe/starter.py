"""Byte-level BPE tokenizer — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check bpe-tokenizer`.
Plain Python (re, collections); the `tokenizers` library is switched off while your code runs.

Rules (the tests hold you to them):
- base vocabulary: the 256 byte values; text is UTF-8 encoded; merge i creates token id 256 + i;
- pre-tokenization: split the text with re.findall(PATTERN, text); merges never cross these pieces;
- training counts every adjacent pair in every piece (overlapping pairs too: "aaa" holds (97, 97) twice),
  weighted by how often the piece occurs, and merges the most frequent pair everywhere, left to right,
  without overlap ("aaa" -> [aa, a]);
- tie rule: among the pairs with the largest count, the smallest (left id, right id) wins;
- training stops at vocab_size tokens, or earlier when no pair is left (a pair seen once is still merged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# GPT-2's pre-tokenizer in Python's `re` dialect: contractions, an optional space + letters, digits, or other
# symbols, then whitespace runs. re.findall(PATTERN, text) splits any string into pieces that join back to it.
PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""


def train(text: str, vocab_size: int) -> list[tuple[int, int]]:
    """Learn up to vocab_size - 256 merges from `text`; return them in order as (left id, right id) pairs.

    Raise ValueError if vocab_size < 256 (the bytes alone need 256 ids) or text is not a str.
    """
    raise NotImplementedError


class BPETokenizer:
    """Encode and decode with the merges from `train`.

    After __init__, self.vocab[i] must be the bytes of token i: bytes([i]) for i < 256, then
    vocab[a] + vocab[b] for the merge (a, b) that made token 256 + i.
    """

    def __init__(self, merges: Iterable[Sequence[int]]) -> None:
        raise NotImplementedError

    def encode(self, text: str) -> list[int]:
        """Token ids of `text`: split with PATTERN, UTF-8 encode each piece, apply the merges in the order they
        were learned. Cache pieces you have already encoded (real text repeats them a lot)."""
        raise NotImplementedError

    def decode(self, ids: Iterable[int]) -> str:
        """The text of `ids`: join their bytes and decode UTF-8 with errors="replace" (a cut character becomes
        U+FFFD). Raise ValueError for an id outside the vocabulary."""
        raise NotImplementedError
