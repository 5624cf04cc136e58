"""Checks for `ngram-lm`, against counts taken by brute force in this file (collections.Counter over the
padded n-grams) and the definitions of add-k smoothing, interpolation, log-likelihood and perplexity.

Probabilities are compared to a relative tolerance of 1e-12: they are a few additions and one division,
so only the last bits can differ. Sampling checks use seeded generators and bounds derived from the
binomial distribution (false-failure probabilities stated in each check).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

BOS, UNK = "<s>", "<unk>"


def brute_force(tokens, n, k, lambdas=None):
    """The vocabulary and P(token | context) written out plainly from Counter-ed n-grams."""
    vocab = [*sorted(set(tokens) - {UNK}), UNK]
    padded = [BOS] * (n - 1) + list(tokens)
    grams, totals = {}, {}
    for j in range(n):  # j = context length, the order-(j + 1) model
        pairs = [(tuple(padded[i - j:i]), padded[i]) for i in range(n - 1, len(padded))]
        grams[j] = Counter(pairs)
        totals[j] = Counter(context for context, _ in pairs)
    weights = [(n - 1, 1.0)] if lambdas is None else list(enumerate(lambdas))

    def prob(context, token):
        context = [t if t == BOS or t in vocab else UNK for t in context]
        context = ([BOS] * (n - 1) + context)[len(context):]  # the last n - 1, padded with BOS
        token = token if token in vocab else UNK
        total = 0.0
        for j, weight in weights:
            c = tuple(context[len(context) - j:]) if j else ()
            total += weight * (grams[j][(c, token)] + k) / (totals[j][c] + k * len(vocab))
        return total

    return vocab, prob


def contexts_to_try(text, n):
    """Every context seen in training, plus unseen ones (an unknown character, BOS-padded short ones)."""
    seen = {text[max(0, i - n + 1):i] for i in range(len(text) + 1)}
    return sorted(seen | {"z" * (n - 1), "a", "", "zab"[: n - 1]})


texts = st.text(alphabet="ab c", min_size=1, max_size=30)
orders = st.integers(1, 4)
pseudo_counts = st.sampled_from([1.0, 0.5, 0.01])


def test_vocabulary_is_sorted_tokens_then_unk(impl):
    """After fit("banana"), vocab is ['a', 'b', 'n', '<unk>']: the sorted distinct tokens, then UNK."""
    lm = impl.NGramLM(2).fit("banana")
    expect(list(lm.vocab) == ["a", "b", "n", UNK], f"vocab should be ['a', 'b', 'n', '<unk>'], got {lm.vocab!r}")


def test_worked_example_by_hand(impl):
    """Bigram, k = 1, trained on "abab": C(a b) = 2, C(a) = 2, |V| = 3 (a, b, <unk>), so
    P(b | a) = (2 + 1) / (2 + 3) = 0.6 and P(a | a) = 1 / 5 = 0.2; P(a | <s>) = (1 + 1) / (1 + 3) = 0.5; and in
    the context 'xyza' only the last token, 'a', counts."""
    lm = impl.NGramLM(2, k=1.0).fit("abab")
    assert_close(lm.prob("a", "b"), 0.6, rtol=1e-12, what="P(b | a)")
    assert_close(lm.prob("a", "a"), 0.2, rtol=1e-12, what="P(a | a)")
    assert_close(lm.prob("", "a"), 0.5, rtol=1e-12, what="P(a | <s>) (empty context, padded with BOS)")
    assert_close(lm.prob("xyza", "a"), 0.2, rtol=1e-12, what="P(a | 'xyza'): only the last n - 1 tokens count")


@settings(max_examples=25)
@given(texts, orders, pseudo_counts)
def test_probabilities_match_brute_force_counts(impl, text, n, k):
    """prob(context, token) equals (C(c, w) + k) / (C(c) + k |V|) from counts of the BOS-padded text, for every
    context seen in training, unseen contexts, and every vocabulary token plus an unknown one."""
    lm = impl.NGramLM(n, k=k).fit(text)
    vocab, prob = brute_force(text, n, k)
    for context in contexts_to_try(text, n):
        for token in [*vocab, "z"]:
            assert_close(lm.prob(context, token), prob(list(context), token), rtol=1e-12,
                         what=f"prob({context!r}, {token!r}) for n={n}, k={k}, trained on {text!r}")


@settings(max_examples=25)
@given(texts, orders, pseudo_counts)
def test_distribution_sums_to_one_in_vocab_order(impl, text, n, k):
    """distribution(context) lists P(w | context) for w in vocab order and sums to 1 (to 1e-12), for seen
    and unseen contexts alike: add-k smoothing never leaves a context without a distribution."""
    lm = impl.NGramLM(n, k=k).fit(text)
    vocab, prob = brute_force(text, n, k)
    for context in contexts_to_try(text, n):
        dist = np.asarray(lm.distribution(context), dtype=float)
        assert_close(dist, [prob(list(context), w) for w in vocab], rtol=1e-12,
                     what=f"distribution({context!r}) for n={n}, k={k}")
        assert_close(dist.sum(), 1.0, rtol=0, atol=1e-12, what=f"sum of distribution({context!r})")


@settings(max_examples=25)
@given(texts, orders, pseudo_counts, st.integers(0, 2**32 - 1))
def test_interpolation_mixes_all_orders(impl, text, n, k, seed):
    """With lambdas, P(w | c) = sum_j lambdas[j-1] P_k^(j)(w | last j - 1 tokens), j = 1..n, and each
    distribution still sums to 1."""
    lambdas = list(np.random.default_rng(seed).dirichlet(np.ones(n)))
    lm = impl.NGramLM(n, k=k, lambdas=lambdas).fit(text)
    vocab, prob = brute_force(text, n, k, lambdas)
    for context in contexts_to_try(text, n):
        for token in vocab:
            assert_close(lm.prob(context, token), prob(list(context), token), rtol=1e-12,
                         what=f"interpolated prob({context!r}, {token!r}), lambdas={np.round(lambdas, 3)}")
        assert_close(float(np.sum(lm.distribution(context))), 1.0, rtol=0, atol=1e-12,
                     what=f"sum of the interpolated distribution({context!r})")


def test_unknown_tokens_are_read_as_unk(impl):
    """A token never seen in training scores like UNK, both as the predicted token and inside the context."""
    lm = impl.NGramLM(2, k=0.5).fit("aabab")
    assert_close(lm.prob("a", "q"), lm.prob("a", UNK), rtol=1e-12, what="P(unseen | a) vs P(<unk> | a)")
    assert_close(lm.prob("q", "a"), lm.prob([UNK], "a"), rtol=1e-12, what="P(a | unseen) vs P(a | <unk>)")
    _, prob = brute_force("aabab", 2, 0.5)
    assert_close(lm.prob("q", "a"), prob(["q"], "a"), rtol=1e-12, what="P(a | unseen context) = k / (0 + k|V|)")


@settings(max_examples=20)
@given(texts, texts, orders, pseudo_counts)
def test_log_prob_and_perplexity_follow_the_definitions(impl, train, test, n, k):
    """log_prob(x) = sum_i log P(x_i | the n-1 tokens before it, BOS-padded) and perplexity(x) =
    exp(-log_prob(x) / len(x)), computed here from the brute-force probabilities."""
    lm = impl.NGramLM(n, k=k).fit(train)
    _, prob = brute_force(train, n, k)
    want = sum(math.log(prob(list(test[:i]), test[i])) for i in range(len(test)))
    assert_close(lm.log_prob(test), want, rtol=1e-10, what=f"log_prob({test!r}) for n={n}, k={k}")
    assert_close(lm.perplexity(test), math.exp(-want / len(test)), rtol=1e-10, what=f"perplexity({test!r})")
    assert_close(lm.log_prob(""), 0.0, what="log_prob of the empty sequence")


def test_word_level_model(impl):
    """A list of words is a sequence of tokens too: a word bigram on 'the cat sat on the mat'."""
    words = ["the", "cat", "sat", "on", "the", "mat", "the", "cat", "ran"]
    lm = impl.NGramLM(2, k=0.1).fit(words)
    vocab, prob = brute_force(words, 2, 0.1)
    expect(list(lm.vocab) == vocab, f"word vocabulary should be {vocab}, got {lm.vocab!r}")
    for context in (["the"], ["cat"], ["dog"], [], ["on", "the"]):
        for word in [*vocab, "dog"]:
            assert_close(lm.prob(context, word), prob(context, word), rtol=1e-12, what=f"prob({context}, {word!r})")
    assert_close(lm.perplexity(["the", "cat", "sat"]), math.exp(-sum(
        math.log(p) for p in (prob([], "the"), prob(["the"], "cat"), prob(["cat"], "sat"))) / 3), rtol=1e-10,
        what="perplexity of 'the cat sat'")


def test_smoothing_keeps_unseen_text_finite(impl):
    """Text with n-grams never seen in training (and unknown characters) gets a finite perplexity above 1:
    add-k smoothing never gives a probability of zero."""
    lm = impl.NGramLM(3, k=0.01).fit("abcabcabc")
    value = lm.perplexity("cbazzy")
    expect(np.isfinite(value) and value > 1, f"perplexity of unseen text should be finite and > 1, got {value}")


def test_generate_unigram_frequencies(impl):
    """4000 draws from a unigram model hit each token about N P(w) times: every count lies within 5 binomial
    standard deviations of N P(w) (false-failure probability below 4e-6 for a correct sampler)."""
    lm = impl.NGramLM(1, k=1.0).fit("aaaaabbbc")
    drawn = lm.generate(4000, np.random.default_rng(7))
    expect(len(drawn) == 4000, f"generate(4000, ...) should return 4000 tokens, got {len(drawn)}")
    counts = Counter(drawn)
    vocab, prob = brute_force("aaaaabbbc", 1, 1.0)
    for token in vocab:
        p = prob([], token)
        bound = 5 * math.sqrt(4000 * p * (1 - p))
        expect(abs(counts[token] - 4000 * p) <= bound,
               f"{token!r} was drawn {counts[token]} times in 4000, expected {4000 * p:.0f} +- {bound:.0f}")
    expect(set(counts) <= set(vocab), f"generate produced tokens outside the vocabulary: {set(counts) - set(vocab)}")


def test_generate_follows_the_context(impl):
    """A bigram trained on "abababab" with k = 1e-6 continues "a" as "babababab...": each step deviates with
    probability below 1e-6, so 20 steps fail a correct model with probability below 2e-5."""
    lm = impl.NGramLM(2, k=1e-6).fit("abababab")
    drawn = "".join(lm.generate(20, np.random.default_rng(0), context="a"))
    expect(drawn == "ba" * 10, f"expected 'bababa...' after the context 'a', got {drawn!r}: is the context (and "
           "each drawn token) fed back into the next step?")


def test_generate_same_seed_same_tokens(impl):
    """Two generators with the same seed give the same text; generate(0, rng) gives []."""
    lm = impl.NGramLM(3, k=0.1).fit("the cat sat on the mat")
    first = lm.generate(30, np.random.default_rng(3), context="th")
    second = lm.generate(30, np.random.default_rng(3), context="th")
    expect(list(first) == list(second), "the same seed should reproduce the same tokens")
    expect(list(lm.generate(0, np.random.default_rng(3))) == [], "generate(0, rng) should return []")


def test_rejects_bad_input(impl):
    """n < 1, k <= 0, lambdas of the wrong length or not summing to 1, an empty or BOS-containing training
    sequence, using the model before fit, and the perplexity of nothing all raise ValueError."""
    assert_raises_value_error(impl.NGramLM, 0, why="the order n must be at least 1")
    assert_raises_value_error(impl.NGramLM, 2, 0.0, why="k must be positive (k = 0 is unsmoothed)")
    assert_raises_value_error(impl.NGramLM, 2, -1.0, why="k must be positive")
    assert_raises_value_error(impl.NGramLM, 3, 1.0, [0.5, 0.5], why="lambdas needs one weight per order 1..n")
    assert_raises_value_error(impl.NGramLM, 2, 1.0, [0.5, 0.6], why="lambdas must sum to 1")
    assert_raises_value_error(impl.NGramLM, 2, 1.0, [1.5, -0.5], why="lambdas must be non-negative")
    assert_raises_value_error(impl.NGramLM(2).fit, "", why="there is nothing to count in an empty sequence")
    assert_raises_value_error(impl.NGramLM(2).fit, ["a", BOS, "b"], why="'<s>' is reserved for padding")
    assert_raises_value_error(impl.NGramLM(2).prob, "a", "b", why="the model is not fitted yet")
    assert_raises_value_error(impl.NGramLM(2).fit("ab").perplexity, "", why="perplexity needs at least one token")
    assert_raises_value_error(impl.NGramLM(2).fit("ab").generate, -1, np.random.default_rng(0),
                              why="n_tokens cannot be negative")
