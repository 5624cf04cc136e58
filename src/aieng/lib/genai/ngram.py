"""N-gram language models: count, smooth, score (perplexity) and sample.

An n-gram model predicts the next token from the previous n - 1 tokens only (the Markov assumption):

    P(w_i | w_1 .. w_{i-1}) ~= P(w_i | w_{i-n+1} .. w_{i-1})

and estimates that conditional from counts. Maximum likelihood, C(context, w) / C(context), gives
probability zero to every n-gram the training text never showed, so one unseen n-gram makes a whole test
text impossible (infinite perplexity). Add-k (Laplace for k = 1) smoothing pretends every token of the
vocabulary V followed every context k extra times:

    P_k(w | c) = (C(c, w) + k) / (C(c) + k |V|)            C(c) = sum_w C(c, w)

which sums to 1 over V for every context, seen or not (an unseen context gives the uniform 1 / |V|).
Linear interpolation mixes the add-k estimates of all orders 1..n with weights lambda_1..lambda_n (>= 0,
summing to 1), so a long context that was rarely seen leans on the shorter ones:

    P(w | c) = sum_j lambda_j P_k^(j)(w | last j - 1 tokens of c)

Conventions (the exercise's tests hold the learner to the same ones):

- tokens are any hashable, sortable items: a `str` is a sequence of characters (a character model),
  a list of words gives a word model (`text.split()`);
- the vocabulary is the sorted set of training tokens followed by `UNK` ("<unk>"); a token never seen in
  training is read as `UNK` (whose count is 0, so it lives on smoothing alone);
- every sequence is padded on the left with n - 1 `BOS` ("<s>") symbols, so the first tokens have a
  context too; `BOS` is context only, never predicted and not in the vocabulary; there is no end symbol;
- log-probabilities are natural logarithms; perplexity is exp(mean negative log-likelihood per token).

Left out: Kneser-Ney and Good-Turing discounting, Katz backoff (interpolation covers the idea), sentence
boundaries and end-of-sequence tokens, fitting the lambdas on held-out data (the lesson does it by hand),
and memory-efficient count storage (plain dicts: fine for the course's texts, not for a web corpus).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

import numpy as np

BOS = "<s>"
UNK = "<unk>"

Context = tuple[Hashable, ...]


class NGramLM:
    """An n-gram language model with add-k smoothing and optional linear interpolation.

    n: the order (1 = unigram, 2 = bigram, ...): a token is predicted from the n - 1 tokens before it.
    k: the add-k pseudo-count, > 0 (1.0 is Laplace smoothing; small k such as 0.01 suits large vocabularies).
    lambdas: None for the plain order-n model, or n non-negative weights summing to 1 that mix the add-k
        models of orders 1, 2, ..., n (lambdas[0] weighs the unigram model).

    >>> lm = NGramLM(2, k=1.0).fit("abab")
    >>> lm.vocab
    ['a', 'b', '<unk>']
    >>> lm.prob("a", "b")  # C(a b) = 2, C(a) = 2: (2 + 1) / (2 + 3)
    0.6

    Cost: fit is O(N n) for N training tokens; prob is O(n); distribution is O(n |V|).
    """

    def __init__(self, n: int, k: float = 1.0, lambdas: Sequence[float] | None = None) -> None:
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"the order n must be an integer >= 1, got {n!r}")
        if not (np.isfinite(k) and k > 0):
            raise ValueError(f"the smoothing pseudo-count k must be positive and finite, got {k!r}")
        if lambdas is not None:
            weights = np.asarray(lambdas, dtype=np.float64)
            if weights.shape != (n,):
                raise ValueError(f"lambdas needs one weight per order 1..{n}, got {len(weights)} weights")
            if not np.all(np.isfinite(weights)) or np.any(weights < 0) or abs(weights.sum() - 1.0) > 1e-9:
                raise ValueError(f"lambdas must be non-negative and sum to 1, got {list(lambdas)}")
            self.lambdas: np.ndarray | None = weights
        else:
            self.lambdas = None
        self.n = int(n)
        self.k = float(k)
        self.vocab: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        # counts[j][context of length j] = Counter{token index: count}, totals[j][context] = its sum
        self._counts: list[dict[Context, Counter[int]]] = []
        self._totals: list[dict[Context, int]] = []

    # ----------------------------------------------------------------------------------------- fit

    def fit(self, tokens: Sequence[Hashable]) -> NGramLM:
        """Count every j-gram (j = 1..n) of `tokens`, padded on the left with n - 1 BOS; return self.

        The vocabulary becomes sorted(set(tokens)) + [UNK]. Raises ValueError for an empty sequence or
        one containing the reserved BOS symbol.
        """
        tokens = list(tokens)
        if not tokens:
            raise ValueError("cannot fit a language model on an empty sequence of tokens")
        if BOS in tokens:
            raise ValueError(f"{BOS!r} is reserved for padding contexts and cannot be a training token")
        self.vocab = [*sorted(set(tokens) - {UNK}), UNK]
        self._index = {token: i for i, token in enumerate(self.vocab)}
        padded = [BOS] * (self.n - 1) + tokens
        self._counts = [defaultdict(Counter) for _ in range(self.n)]
        self._totals = [defaultdict(int) for _ in range(self.n)]
        for i in range(self.n - 1, len(padded)):
            target = self._index[padded[i]]
            for j in range(self.n):  # context length j: the order-(j + 1) model
                context = tuple(padded[i - j:i])
                self._counts[j][context][target] += 1
                self._totals[j][context] += 1
        self._counts = [dict(c) for c in self._counts]
        self._totals = [dict(t) for t in self._totals]
        return self

    # ------------------------------------------------------------------------------------ scoring

    def _check_fitted(self) -> None:
        if not self.vocab:
            raise ValueError("the model is not fitted yet: call fit(tokens) first")

    def _context(self, context: Sequence[Hashable]) -> Context:
        """The last n - 1 tokens of `context`, unknown ones read as UNK, padded on the left with BOS."""
        known = [t if t == BOS or t in self._index else UNK for t in list(context)[max(0, len(context) - self.n + 1):]]
        if self.n == 1:
            return ()
        return tuple([BOS] * (self.n - 1 - len(known)) + known)

    def _weights(self) -> list[tuple[int, float]]:
        """(context length j, weight) pairs of the models that take part."""
        if self.lambdas is None:
            return [(self.n - 1, 1.0)]
        return [(j, float(w)) for j, w in enumerate(self.lambdas) if w > 0]

    def prob(self, context: Sequence[Hashable], token: Hashable) -> float:
        """P(token | the last n - 1 tokens of context), smoothed (and interpolated if lambdas were given).

        A short context is padded with BOS; unknown tokens (in the context or as `token`) count as UNK.
        """
        self._check_fitted()
        ctx = self._context(context)
        target = self._index.get(token, self._index[UNK])
        size = len(self.vocab)
        total = 0.0
        for j, weight in self._weights():
            sub = ctx[len(ctx) - j:] if j else ()
            count = self._counts[j].get(sub, {}).get(target, 0)
            total += weight * (count + self.k) / (self._totals[j].get(sub, 0) + self.k * size)
        return total

    def distribution(self, context: Sequence[Hashable]) -> np.ndarray:
        """The next-token probabilities given `context`, shape (|V|,), in the order of `self.vocab`; sums to 1."""
        self._check_fitted()
        ctx = self._context(context)
        size = len(self.vocab)
        probs = np.zeros(size)
        for j, weight in self._weights():
            sub = ctx[len(ctx) - j:] if j else ()
            counts = np.full(size, self.k)
            seen = self._counts[j].get(sub)
            if seen:
                counts[np.fromiter(seen.keys(), dtype=np.int64)] += np.fromiter(seen.values(), dtype=np.float64)
            probs += weight * counts / (self._totals[j].get(sub, 0) + self.k * size)
        return probs

    def log_prob(self, tokens: Sequence[Hashable]) -> float:
        """The natural-log likelihood of a whole sequence: sum_i log P(t_i | the n - 1 tokens before it).

        The sequence starts fresh (its first tokens see BOS padding). The empty sequence has log-probability 0.
        """
        self._check_fitted()
        tokens = list(tokens)
        padded = [BOS] * (self.n - 1) + tokens
        return float(sum(np.log(self.prob(padded[i - self.n + 1:i], padded[i]))
                         for i in range(self.n - 1, len(padded))))

    def perplexity(self, tokens: Sequence[Hashable]) -> float:
        """exp(-log_prob(tokens) / len(tokens)): the model's average branching factor on `tokens`.

        1 is a perfect model; a uniform guess over V scores |V|. Raises ValueError for an empty sequence.
        """
        tokens = list(tokens)
        if not tokens:
            raise ValueError("perplexity of an empty sequence is undefined (no tokens to average over)")
        return float(np.exp(-self.log_prob(tokens) / len(tokens)))

    # --------------------------------------------------------------------------------- generation

    def generate(self, n_tokens: int, rng: np.random.Generator, context: Sequence[Hashable] = ()) -> list[Hashable]:
        """Sample `n_tokens` tokens one at a time from distribution(context + generated so far).

        rng: a numpy Generator (the same seed gives the same text). May emit UNK (its smoothed mass).
        Cost: O(n_tokens n |V|).
        """
        self._check_fitted()
        if isinstance(n_tokens, bool) or not isinstance(n_tokens, int | np.integer) or n_tokens < 0:
            raise ValueError(f"n_tokens must be a non-negative integer, got {n_tokens!r}")
        history = list(context)
        out: list[Hashable] = []
        for _ in range(n_tokens):
            probs = self.distribution(history)
            token = self.vocab[int(rng.choice(len(self.vocab), p=probs))]
            out.append(token)
            history.append(token)
        return out
