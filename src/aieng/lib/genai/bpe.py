"""Byte-level byte-pair encoding (BPE): learn merges from a text, encode text to token ids, decode back.

The base vocabulary is the 256 byte values: text is UTF-8 encoded, so every string (any language, any
emoji) has a representation and nothing is ever "unknown". Training repeats one step until the vocabulary
reaches `vocab_size` tokens:

    count every adjacent pair of tokens (weighted by how often its word occurs),
    merge the most frequent pair (a, b) into a new token 256 + (number of merges so far).

Rules, fixed so that results are reproducible and testable:

- pre-tokenization: the text is first split with `PATTERN` (Python `re`), a close copy of GPT-2's regex:
  contractions ('s 't 're 've 'm 'll 'd), an optional space plus a run of letters, of digits, or of other
  symbols, and runs of whitespace. Merges never cross these pieces, so " the" can become one token but
  "e t" cannot. GPT-2 writes letters as \\p{L} and digits as \\p{N}; Python's `re` has neither, so letters
  are [^\\W\\d_] and digits \\d, which differ only on rare characters (superscripts, roman numerals);
- pairs are counted over all adjacent positions, overlapping ones included ("aaa" holds (a, a) twice);
  merging replaces occurrences left to right without overlap ("aaa" -> "aa" "a");
- tie rule: among pairs with the largest count, the smallest (left id, right id) wins;
- training stops early only when no pair is left (every piece is one token); a pair seen once is
  still merged. These match Hugging Face `tokenizers`' BpeTrainer, whose tie rule is the same on its own
  ids (it numbers the 256 bytes in the order of GPT-2's printable stand-in characters, not by value).

Encoding applies the merges in the order they were learned, which is the same as repeatedly merging the
adjacent pair with the lowest rank (a merge can only create pairs of higher rank). Pieces repeat a lot in
real text, so each distinct piece is encoded once and cached.

Left out: special tokens (<|endoftext|>), GPT-2's byte-to-unicode printable mapping (ids are plain bytes
here), saving/loading files, dropout-BPE, and parallel training.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""
_SPLIT = re.compile(PATTERN)

Pair = tuple[int, int]


def pretokenize(text: str) -> list[str]:
    """Split `text` into the pieces BPE works inside; their concatenation is `text` again.

    >>> pretokenize("Hello world's  end!")
    ['Hello', ' world', "'s", ' ', ' end', '!']
    """
    return _SPLIT.findall(text)


def _pairs(word: Sequence[int]) -> Counter[Pair]:
    return Counter(pairwise(word))


def _merge(word: list[int], pair: Pair, new_id: int) -> list[int]:
    """Replace every occurrence of `pair` in `word` by `new_id`, scanning left to right without overlap."""
    out: list[int] = []
    i, end = 0, len(word)
    left, right = pair
    while i < end:
        if i + 1 < end and word[i] == left and word[i + 1] == right:
            out.append(new_id)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


def train(text: str, vocab_size: int) -> list[Pair]:
    """Learn `vocab_size - 256` merges from `text`; return them in order, merge i making token 256 + i.

    Incremental: pair counts are kept in a dict and updated only for the words that contain the merged
    pair, and a heap of (-count, pair) with lazy deletion finds the next pair (ties: smallest pair).
    Cost: about O(N + M W log P) for N characters, M merges, W words touched per merge, P pairs.

    >>> train("aaab", 258)  # (a, a) occurs twice and wins; then (256, 97) and (97, 98) tie: (97, 98) is smaller
    [(97, 97), (97, 98)]
    """
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 256:
        raise ValueError(f"vocab_size must be an integer >= 256 (the byte alphabet), got {vocab_size!r}")
    if not isinstance(text, str):
        raise ValueError(f"train expects a str, got {type(text).__name__}")
    word_counts = Counter(pretokenize(text))
    words = [list(w.encode("utf-8")) for w in word_counts]
    freqs = list(word_counts.values())
    counts: Counter[Pair] = Counter()
    where: dict[Pair, set[int]] = {}
    for index, (word, freq) in enumerate(zip(words, freqs, strict=True)):
        for pair, c in _pairs(word).items():
            counts[pair] += c * freq
            where.setdefault(pair, set()).add(index)
    heap = [(-c, pair) for pair, c in counts.items()]
    heapq.heapify(heap)
    merges: list[Pair] = []
    while len(merges) < vocab_size - 256 and heap:
        negative, pair = heapq.heappop(heap)
        if counts.get(pair, 0) != -negative or negative == 0:
            continue  # a stale entry: the pair's count changed after it was pushed
        new_id = 256 + len(merges)
        merges.append(pair)
        changed: set[Pair] = set()
        for index in where.pop(pair):
            word, freq = words[index], freqs[index]
            old = _pairs(word)
            new_word = _merge(word, pair, new_id)
            new = _pairs(new_word)
            words[index] = new_word
            for p in old.keys() | new.keys():
                delta = (new.get(p, 0) - old.get(p, 0)) * freq
                if delta:
                    counts[p] += delta
                    changed.add(p)
                if p in new:
                    where.setdefault(p, set()).add(index)
                elif p != pair and p in where:
                    where[p].discard(index)
        counts.pop(pair, None)
        for p in changed:
            if p != pair and counts[p] > 0:
                heapq.heappush(heap, (-counts[p], p))
    return merges


class BPETokenizer:
    """Encode and decode with a list of learned merges (from `train`).

    vocab[i] is the byte string of token i: bytes([i]) for i < 256, then vocab[a] + vocab[b] for merge (a, b).

    >>> tok = BPETokenizer(train("low lower lowest", 260))
    >>> tok.encode("lowly")
    [257, 108, 121]
    >>> tok.decode(tok.encode("lowly"))
    'lowly'
    """

    def __init__(self, merges: Iterable[Sequence[int]]) -> None:
        self.merges: list[Pair] = []
        self.vocab: list[bytes] = [bytes([i]) for i in range(256)]
        for position, merge in enumerate(merges):
            if len(merge) != 2:
                raise ValueError(f"merge {position} should be a pair of ids, got {merge!r}")
            a, b = int(merge[0]), int(merge[1])
            if not (0 <= a < len(self.vocab) and 0 <= b < len(self.vocab)):
                raise ValueError(f"merge {position} ({a}, {b}) uses an id that does not exist yet")
            self.merges.append((a, b))
            self.vocab.append(self.vocab[a] + self.vocab[b])
        self.ranks: dict[Pair, int] = {pair: rank for rank, pair in enumerate(self.merges)}
        self._cache: dict[str, list[int]] = {}

    def _encode_piece(self, piece: str) -> list[int]:
        """Merge the bytes of one pre-token: always the lowest-rank adjacent pair first."""
        word = list(piece.encode("utf-8"))
        ranks = self.ranks
        while len(word) > 1:
            best = min(pairwise(word), key=lambda p: ranks.get(p, len(ranks)))
            rank = ranks.get(best)
            if rank is None:
                break
            word = _merge(word, best, 256 + rank)
        return word

    def encode(self, text: str) -> list[int]:
        """Token ids of `text`: pre-tokenize, then merge inside each piece (cached per distinct piece)."""
        if not isinstance(text, str):
            raise ValueError(f"encode expects a str, got {type(text).__name__}")
        ids: list[int] = []
        cache = self._cache
        for piece in _SPLIT.findall(text):
            encoded = cache.get(piece)
            if encoded is None:
                encoded = cache[piece] = self._encode_piece(piece)
            ids.extend(encoded)
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        """The text of `ids`: join the tokens' bytes, decode UTF-8 (an incomplete character becomes U+FFFD)."""
        size = len(self.vocab)
        chunks = []
        for i in ids:
            if not 0 <= int(i) < size:
                raise ValueError(f"token id {i} is outside the vocabulary (0..{size - 1})")
            chunks.append(self.vocab[int(i)])
        return b"".join(chunks).decode("utf-8", errors="replace")
