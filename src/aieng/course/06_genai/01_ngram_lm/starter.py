"""N-gram language model — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check ngram-lm`.
Plain Python and numpy; collections.Counter is your friend.

Conventions (the tests hold you to them):
- tokens: a str is a sequence of characters (a character model); a list of words gives a word model;
- vocabulary: sorted(set(training tokens)) followed by UNK; an unseen token counts as UNK;
- every sequence is padded on the left with n - 1 BOS symbols; BOS is context only (never predicted, not
  in the vocabulary); there is no end-of-sequence symbol;
- add-k: P_k(w | c) = (C(c, w) + k) / (C(c) + k |V|) with C(c) = sum_w C(c, w), for the order-n model, or
  with lambdas the mixture sum_j lambdas[j-1] * P_k^(j)(w | last j - 1 tokens of c), j = 1..n;
- logarithms are natural.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

BOS = "<s>"
UNK = "<unk>"


class NGramLM:
    """An n-gram language model with add-k smoothing and optional linear interpolation.

    n: order >= 1 (an integer). k: pseudo-count > 0. lambdas: None, or n weights >= 0 summing to 1 (the
    weight of the unigram model first). Raise ValueError for anything else.
    After fit, `self.vocab` is the list of vocabulary tokens (UNK last).
    """

    def __init__(self, n: int, k: float = 1.0, lambdas: Sequence[float] | None = None) -> None:
        raise NotImplementedError

    def fit(self, tokens: Sequence[Hashable]) -> NGramLM:
        """Count the n-grams (and lower orders, for interpolation) of `tokens`; set self.vocab; return self.

        ValueError for an empty sequence or one that contains BOS.
        """
        raise NotImplementedError

    def prob(self, context: Sequence[Hashable], token: Hashable) -> float:
        """P(token | the last n - 1 tokens of context); a short context is padded with BOS on the left.

        ValueError if the model is not fitted.
        """
        raise NotImplementedError

    def distribution(self, context: Sequence[Hashable]) -> np.ndarray:
        """Next-token probabilities given `context`, shape (len(self.vocab),), in vocab order, summing to 1."""
        raise NotImplementedError

    def log_prob(self, tokens: Sequence[Hashable]) -> float:
        """sum_i log P(t_i | the n - 1 tokens before it), the sequence starting after n - 1 BOS (0.0 if empty)."""
        raise NotImplementedError

    def perplexity(self, tokens: Sequence[Hashable]) -> float:
        """exp(-log_prob(tokens) / len(tokens)). ValueError for an empty sequence."""
        raise NotImplementedError

    def generate(self, n_tokens: int, rng: np.random.Generator, context: Sequence[Hashable] = ()) -> list[Hashable]:
        """Draw n_tokens tokens one at a time from distribution(context + tokens drawn so far), using `rng`.

        Return them as a list (they may include UNK). ValueError for a negative n_tokens.
        """
        raise NotImplementedError
