"""aieng.lib.genai's token-level modules against outside oracles: n-gram counts by brute force, byte-level BPE
against Hugging Face `tokenizers`, embeddings and cosine similarity against torch and scikit-learn, positional
encodings against closed forms, masking and the MLM loss against torch, and sampling against a brute-force
filter and chi-square tests. The one real training run (a tiny transformer encoder) is marked slow.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import scipy.stats
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics.pairwise import cosine_similarity as sklearn_cosine

import aieng.course
from aieng.lib.genai import bpe, embeddings, mlm, ngram, positional, sampling

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[1]


def lesson_text() -> str:
    course = Path(aieng.course.__file__).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(course.glob("0[0-2]*/*/lesson.md")))


# ------------------------------------------------------------------------------------------------- n-grams


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="abc d", min_size=1, max_size=40), st.integers(1, 4), st.sampled_from([1.0, 0.1, 0.001]))
def test_ngram_counts_and_normalization(text, n, k):
    padded = [ngram.BOS] * (n - 1) + list(text)
    pairs = Counter((tuple(padded[i - n + 1:i]), padded[i]) for i in range(n - 1, len(padded)))
    contexts = Counter(c for c, _ in pairs.elements())
    lm = ngram.NGramLM(n, k).fit(text)
    size = len(set(text)) + 1
    for context in {c for c, _ in pairs} | {tuple("zz"[: n - 1])}:
        dist = lm.distribution(list(context))
        assert abs(dist.sum() - 1.0) < 1e-12
        for token, p in zip(lm.vocab, dist, strict=True):
            want = (pairs[(context, token)] + k) / (contexts[context] + k * size)
            assert math.isclose(p, want, rel_tol=1e-12)
            assert math.isclose(lm.prob(list(context), token), want, rel_tol=1e-12)


def test_ngram_perplexity_drops_with_context_on_the_lessons():
    text = lesson_text()
    cut = int(0.9 * len(text))
    train, held_out = text[:cut], text[cut:cut + 5000]
    perplexities = [ngram.NGramLM(n, 0.01).fit(train).perplexity(held_out) for n in (1, 2, 3)]
    assert perplexities[0] > perplexities[1] > perplexities[2] > 1
    uniform = ngram.NGramLM(2, 1e12).fit(train)  # smoothing swamps the counts: every token is 1/|V|
    assert math.isclose(uniform.perplexity(held_out), len(uniform.vocab), rel_tol=1e-6)


def test_ngram_interpolation_is_a_mixture():
    lambdas = [0.2, 0.3, 0.5]
    mixed = ngram.NGramLM(3, 0.5, lambdas).fit("abracadabra")
    parts = [ngram.NGramLM(j, 0.5).fit("abracadabra") for j in (1, 2, 3)]
    for context in ("", "a", "ab", "zz", "ra"):
        want = sum(w * p.distribution(context) for w, p in zip(lambdas, parts, strict=True))
        np.testing.assert_allclose(mixed.distribution(context), want, rtol=1e-12)


# ---------------------------------------------------------------------------------------------------- BPE


def brute_force_train(text: str, vocab_size: int) -> list[tuple[int, int]]:
    pieces = Counter(re.findall(bpe.PATTERN, text))
    segmented = {p: list(p.encode()) for p in pieces}
    merges: list[tuple[int, int]] = []
    while len(merges) < vocab_size - 256:
        counts: Counter[tuple[int, int]] = Counter()
        for piece, freq in pieces.items():
            for pair in pairwise(segmented[piece]):
                counts[pair] += freq
        if not counts:
            break
        best = min(counts, key=lambda p: (-counts[p], p))
        merges.append(best)
        for piece in segmented:
            out, i, s = [], 0, segmented[piece]
            while i < len(s):
                if i + 1 < len(s) and (s[i], s[i + 1]) == best:
                    out.append(255 + len(merges))
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            segmented[piece] = out
    return merges


def tokenizers_bpe(text: str, vocab_size: int):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from genai_bpe import _tokenizers_bpe
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return _tokenizers_bpe(text, vocab_size)


@settings(deadline=None)
@given(st.text(max_size=200))
def test_pretokenize_covers_every_character(text):
    assert "".join(bpe.pretokenize(text)) == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab c.'1é\n", max_size=80), st.integers(256, 320))
def test_incremental_training_equals_brute_force(text, vocab_size):
    assert bpe.train(text, vocab_size) == brute_force_train(text, vocab_size)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abcde", min_size=1, max_size=8), min_size=1, max_size=40), st.integers(256, 330))
def test_merges_equal_tokenizers_where_tie_rules_agree(words, vocab_size):
    text = "\n".join(words)
    tokenizer = bpe.BPETokenizer(bpe.train(text, vocab_size))
    ours = [(tokenizer.vocab[a].decode(), tokenizer.vocab[b].decode()) for a, b in tokenizer.merges]
    theirs = [tuple(m) for m in json.loads(tokenizers_bpe(text, vocab_size).to_str())["model"]["merges"]]
    assert ours == theirs


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=100), st.text(max_size=100))
def test_round_trip_and_rank_encoding(corpus, text):
    tokenizer = bpe.BPETokenizer(bpe.train(corpus + " the theme then", 290))
    ids = tokenizer.encode(text)
    assert tokenizer.decode(ids) == text
    replayed = []
    for piece in bpe.pretokenize(text):  # replay every merge in order: the definition of encoding
        tokens = list(piece.encode())
        for rank, pair in enumerate(tokenizer.merges):
            out, i = [], 0
            while i < len(tokens):
                if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) == pair:
                    out.append(256 + rank)
                    i += 2
                else:
                    out.append(tokens[i])
                    i += 1
            tokens = out
        replayed.extend(tokens)
    assert ids == replayed


def test_compression_matches_tokenizers_on_shakespeare_sized_text():
    text = lesson_text()[:120_000]
    train, held_out = text[:100_000], text[100_000:]
    ours = len(bpe.BPETokenizer(bpe.train(train, 512)).encode(held_out))
    theirs = len(tokenizers_bpe(train, 512).encode(held_out).ids)
    assert abs(ours - theirs) <= 0.01 * theirs


def test_benchmark_rows_smoke():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from genai_bpe import COLUMNS, bpe_rows
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    rows = bpe_rows(lesson_text()[:20_000], 300)
    assert [row["tokenizer"] for row in rows][:2] == ["aieng.lib.genai.bpe", "tokenizers ByteLevel BPE"]
    for row in rows:
        assert set(COLUMNS) <= set(row) and row["round_trip"] and row["bytes_per_token"] > 1


# ------------------------------------------------------------------------------------------- embeddings


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([torch.float32, torch.float64]))
def test_embedding_lookup_and_gradient_against_torch(seed, dtype):
    gen = torch.Generator().manual_seed(seed)
    weight = torch.randn(7, 3, generator=gen, dtype=dtype)
    ids = torch.randint(0, 7, (4, 5), generator=gen)
    grad = torch.randn(4, 5, 3, generator=gen, dtype=dtype)
    module = torch.nn.Embedding(7, 3, dtype=dtype)
    with torch.no_grad():
        module.weight.copy_(weight)
    out = module(ids)
    out.backward(grad)
    tol = 1e-12 if dtype == torch.float64 else 1e-5
    torch.testing.assert_close(embeddings.embedding(ids, weight), out.detach(), rtol=tol, atol=tol)
    torch.testing.assert_close(embeddings.embedding_backward(ids, grad, 7), module.weight.grad, rtol=tol, atol=tol)


def test_cosine_against_sklearn_and_neighbours():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((6, 4)), rng.standard_normal((5, 4))
    got = embeddings.cosine_similarity_matrix(torch.tensor(a), torch.tensor(b)).numpy()
    np.testing.assert_allclose(got, sklearn_cosine(a, b), rtol=1e-12, atol=1e-14)
    sims = sklearn_cosine(a)
    np.fill_diagonal(sims, -np.inf)
    indices, _ = embeddings.nearest_neighbors(torch.tensor(a), torch.arange(6), 3)
    np.testing.assert_array_equal(indices.numpy(), np.argsort(-sims, axis=1, kind="stable")[:, :3])


# --------------------------------------------------------------------------------------------- positions


@settings(deadline=None)
@given(st.integers(1, 30), st.integers(1, 8).map(lambda h: 2 * h))
def test_positional_closed_forms(length, dim):
    table = positional.sinusoidal_encoding(length, dim, dtype=torch.float64).numpy()
    p, i = np.arange(length)[:, None], np.arange(dim // 2)[None, :]
    np.testing.assert_allclose(table[:, 0::2], np.sin(p / 10000 ** (2 * i / dim)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(table[:, 1::2], np.cos(p / 10000 ** (2 * i / dim)), rtol=1e-12, atol=1e-15)
    x = torch.randn(2, length, dim, dtype=torch.float64, generator=torch.Generator().manual_seed(length))
    z = x[..., 0::2].numpy() + 1j * x[..., 1::2].numpy()
    rotated = z * np.exp(1j * p * 10000.0 ** (-2 * i / dim))
    want = np.stack([rotated.real, rotated.imag], axis=-1).reshape(x.shape)
    np.testing.assert_allclose(positional.apply_rope(x).numpy(), want, rtol=1e-10, atol=1e-12)


def test_rope_relative_scores():
    q, k = torch.randn(1, 16, dtype=torch.float64), torch.randn(1, 16, dtype=torch.float64)

    def score(m: float, n: float) -> float:
        return float((positional.apply_rope(q, torch.tensor([m])) * positional.apply_rope(k, torch.tensor([n]))).sum())

    for m, n in [(3.0, 1.0), (10.0, 25.0), (0.0, 0.0)]:
        assert math.isclose(score(m, n), score(m + 100, n + 100), rel_tol=1e-9, abs_tol=1e-9)


# ------------------------------------------------------------------------------------------- masked LM


def test_masking_proportions_and_loss():
    ids = torch.randint(0, 40, (300, 1000), generator=torch.Generator().manual_seed(0))
    inputs, labels = mlm.mask_tokens(ids, 40, 40, torch.Generator().manual_seed(1))
    chosen = labels != mlm.IGNORE
    n = ids.numel()
    assert abs(int(chosen.sum()) - 0.15 * n) <= 5 * math.sqrt(n * 0.15 * 0.85)
    observed = [int((inputs[chosen] == 40).sum()), int((inputs[chosen] == ids[chosen]).sum())]
    observed.append(int(chosen.sum()) - sum(observed))
    probs = np.array([0.8, 0.1 + 0.1 / 40, 0.1 - 0.1 / 40])
    assert scipy.stats.chisquare(observed, probs * sum(observed)).pvalue > 1e-4
    logits = torch.randn(300, 1000, 41)
    torch.testing.assert_close(mlm.mlm_loss(logits, labels), F.cross_entropy(logits.reshape(-1, 41),
                                                                               labels.reshape(-1)))


@pytest.mark.slow
def test_tiny_encoder_lowers_the_masked_loss():
    torch.manual_seed(0)
    vocab, length = 12, 12
    batches = torch.randint(0, vocab - 1, (30, 32, 1)).expand(30, 32, length).contiguous()
    model = mlm.TinyMLM(vocab, dim=16, heads=2, layers=1, max_len=length)
    losses = mlm.train_tiny_mlm(model, batches, vocab, mask_id=vocab - 1, steps=30, lr=1e-2)
    assert np.mean(losses[-5:]) < 0.5 * np.mean(losses[:5])


# --------------------------------------------------------------------------------------------- sampling


def test_sampling_filter_and_frequencies():
    logits = torch.tensor([2.0, 1.0, 0.5, 0.0, -1.0, -2.0], dtype=torch.float64)
    probs = sampling.filter_logits(logits, temperature=0.8, top_k=5, top_p=0.9).numpy()
    z = logits.numpy() / 0.8
    z[np.argsort(-z)[5:]] = -np.inf
    p = np.exp(z - z.max())
    p /= p.sum()
    order = np.argsort(-p)
    keep = order[: int(np.argmax(np.cumsum(p[order]) >= 0.9)) + 1]
    want = np.zeros_like(p)
    want[keep] = p[keep] / p[keep].sum()
    np.testing.assert_allclose(probs, want, rtol=1e-12, atol=1e-15)
    draws = sampling.sample(logits.expand(30_000, -1), 0.8, 5, 0.9, torch.Generator().manual_seed(0))
    counts = np.bincount(draws.numpy(), minlength=6)
    assert counts[want == 0].sum() == 0
    assert scipy.stats.chisquare(counts[want > 0], want[want > 0] * 30_000).pvalue > 1e-4
    greedy_logits = torch.randn(5, 9, generator=torch.Generator().manual_seed(1))
    assert torch.equal(sampling.sample(greedy_logits, 0.0), greedy_logits.argmax(-1))


@pytest.mark.parametrize("module", [ngram, bpe, embeddings, positional, mlm, sampling], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and (module is mlm or result.attempted > 0)
