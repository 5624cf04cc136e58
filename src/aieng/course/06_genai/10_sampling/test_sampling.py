"""Checks for `token-sampling`: the filtered distribution against a brute-force sort-and-cumsum in numpy (this
file), greedy decoding against argmax, and many seeded draws against the filtered distribution with
scipy.stats.chisquare at significance 1e-4 (a correct sampler fails with probability 1e-4 per check).

Tolerances: 1e-12 relative for float64 logits (a softmax and a division), 1e-6 for float32.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

torch.set_num_threads(1)
ALPHA = 1e-4


def brute_filter(row, temperature, top_k, top_p):
    """One row, written plainly: scale, keep logits >= the k-th largest, softmax, keep the smallest most-probable
    prefix whose cumulative sum reaches top_p (plus ties with its last member), renormalize."""
    z = np.asarray(row, dtype=np.float64) / temperature
    if top_k is not None and top_k < len(z):
        kth = np.sort(z)[::-1][top_k - 1]
        z = np.where(z >= kth, z, -np.inf)
    probs = np.exp(z - z.max())
    probs /= probs.sum()
    if top_p is not None and top_p < 1.0:
        ordered = np.sort(probs)[::-1]
        cumulative = np.cumsum(ordered)
        size = int(np.argmax(cumulative >= top_p)) + 1 if (cumulative >= top_p).any() else len(ordered)
        probs = np.where(probs >= ordered[size - 1], probs, 0.0)
        probs /= probs.sum()
    return probs


@st.composite
def settings_and_logits(draw):
    """A batch of continuous random logits (no ties) with random temperature, top_k and top_p."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    batch, vocab = draw(st.integers(1, 4)), draw(st.integers(1, 12))
    logits = rng.normal(0, draw(st.sampled_from([0.5, 2.0, 5.0])), (batch, vocab))
    temperature = draw(st.sampled_from([0.3, 0.7, 1.0, 1.5, 4.0]))
    top_k = draw(st.one_of(st.none(), st.integers(1, 14)))
    top_p = draw(st.one_of(st.none(), st.floats(0.05, 1.0)))
    return logits, temperature, top_k, top_p


@given(settings_and_logits())
def test_filtered_distribution_matches_brute_force(impl, case):
    """filter_logits(logits, temperature, top_k, top_p) equals the sort-and-cumsum brute force, row by row
    (float64, 1e-12 relative), sums to 1 per row, and has exact zeros where tokens were filtered out."""
    logits, temperature, top_k, top_p = case
    got = impl.filter_logits(torch.tensor(logits), temperature, top_k, top_p)
    expect(isinstance(got, torch.Tensor) and tuple(got.shape) == logits.shape,
           f"filter_logits should return a tensor of shape {logits.shape}, got {getattr(got, 'shape', got)}")
    want = np.stack([brute_filter(row, temperature, top_k, top_p) for row in logits])
    what = f"filter_logits(temperature={temperature}, top_k={top_k}, top_p={top_p})"
    assert_close(got.numpy(), want, rtol=1e-12, atol=1e-15, what=what)
    expect(np.array_equal(got.numpy() == 0, want == 0), f"{what}: filtered tokens must have probability exactly 0")


@settings(max_examples=20)
@given(settings_and_logits())
def test_float32_and_batched_shapes(impl, case):
    """Logits of shape (2, B, V) in float32 give float32 probabilities of the same shape, equal to the brute
    force to 1e-6 relative."""
    logits, temperature, top_k, top_p = case
    stacked = np.stack([logits, logits[::-1]]).astype(np.float32)
    got = impl.filter_logits(torch.tensor(stacked), temperature, top_k, top_p)
    expect(got.dtype == torch.float32, f"float32 logits should give float32 probabilities, got {got.dtype}")
    want = np.stack([[brute_filter(row, temperature, top_k, top_p) for row in block] for block in stacked])
    assert_close(got.numpy(), want, rtol=1e-6, atol=1e-7, what="filter_logits on float32 (2, B, V) logits")


def test_worked_examples_and_ties(impl):
    """Probabilities (0.5, 0.3, 0.15, 0.05) with top_p = 0.75 keep the first two, renormalized to (0.625, 0.375);
    top_k = 2 on logits (3, 2, 2, 1) keeps both tied 2s; top_p = 0.5 on three equal logits and a smaller one
    keeps all three tied tokens."""
    probs = impl.filter_logits(torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05], dtype=torch.float64)), top_p=0.75)
    assert_close(probs.numpy(), [0.625, 0.375, 0.0, 0.0], rtol=1e-12, what="top_p=0.75 on (0.5, 0.3, 0.15, 0.05)")
    kept = impl.filter_logits(torch.tensor([3.0, 2.0, 2.0, 1.0], dtype=torch.float64), top_k=2)
    expect(bool((kept[:3] > 0).all()) and float(kept[3]) == 0.0, f"top_k=2 on (3, 2, 2, 1) should keep the first three "
           f"(ties with the 2nd largest are kept), got {kept.tolist()}")
    tied = impl.filter_logits(torch.tensor([1.0, 1.0, 1.0, 0.0], dtype=torch.float64), top_p=0.5)
    assert_close(tied.numpy(), [1 / 3, 1 / 3, 1 / 3, 0.0], rtol=1e-12, what="top_p=0.5 with three tied tokens")


@given(st.integers(0, 2**32 - 1), st.integers(1, 20))
def test_temperature_zero_is_greedy(impl, seed, vocab):
    """temperature = 0 gives argmax: sample returns torch.argmax (the first maximum on ties), filter_logits a
    one-hot row there; a tiny temperature (1e-3) with logits at least 0.1 apart also picks the argmax (the
    other tokens share at most V e^-100 of the mass)."""
    rng = np.random.default_rng(seed)
    logits = torch.tensor(np.round(rng.normal(0, 1, (3, vocab)), 1))
    want = torch.argmax(logits, dim=-1)
    got = impl.sample(logits, temperature=0.0)
    expect(torch.equal(got, want), f"greedy sample: expected {want.tolist()}, got {got.tolist()}")
    one_hot = torch.nn.functional.one_hot(want, vocab).double()
    assert_close(impl.filter_logits(logits, temperature=0.0).numpy(), one_hot.numpy(), what="filter_logits(T=0)")
    separated = torch.tensor(rng.permutation(vocab) * 0.1)
    tiny = impl.sample(separated, temperature=1e-3, generator=torch.Generator().manual_seed(seed))
    expect(int(tiny) == int(torch.argmax(separated)), f"temperature 1e-3 should pick the argmax "
           f"{int(torch.argmax(separated))}, got {int(tiny)}")


@given(st.sampled_from([(1.0, None, None), (0.7, 3, None), (1.3, None, 0.8), (2.0, 5, 0.9)]))
@settings(max_examples=4)
def test_draw_frequencies_match_the_distribution(impl, knobs):
    """20,000 seeded draws from one row of logits land on each kept token in proportion to its filtered
    probability (scipy.stats.chisquare, significance 1e-4) and never on a filtered token."""
    temperature, top_k, top_p = knobs
    logits = torch.tensor([2.0, 1.5, 1.0, 0.5, 0.0, -0.5, -1.0, -3.0], dtype=torch.float64)
    tokens = impl.sample(logits.expand(20_000, -1), temperature, top_k, top_p, torch.Generator().manual_seed(11))
    expect(tuple(tokens.shape) == (20_000,) and tokens.dtype == torch.int64,
           f"sample of (20000, V) logits should be int64 of shape (20000,), got {tokens.dtype} {tuple(tokens.shape)}")
    counts = np.bincount(tokens.numpy(), minlength=8)
    probs = brute_filter(logits.numpy(), temperature, top_k, top_p)
    expect(counts[probs == 0].sum() == 0, f"filtered tokens were drawn: counts {counts.tolist()}, probs "
           f"{np.round(probs, 3).tolist()}")
    kept = probs > 0
    if kept.sum() > 1:
        p_value = scipy.stats.chisquare(counts[kept], probs[kept] * 20_000).pvalue
        expect(p_value >= ALPHA, f"draw counts {counts.tolist()} do not fit probabilities "
               f"{np.round(probs, 4).tolist()} (chi-square p = {p_value:.2g}) for temperature={temperature}, "
               f"top_k={top_k}, top_p={top_p}")


def test_same_seed_same_tokens_and_shapes(impl):
    """The same seed gives the same tokens, another seed different ones; (B, T, V) logits give (B, T) ids and
    1-D logits a 0-d tensor."""
    logits = torch.randn(4, 7, 30, generator=torch.Generator().manual_seed(0))
    first = impl.sample(logits, 1.0, generator=torch.Generator().manual_seed(5))
    again = impl.sample(logits, 1.0, generator=torch.Generator().manual_seed(5))
    other = impl.sample(logits, 1.0, generator=torch.Generator().manual_seed(6))
    expect(tuple(first.shape) == (4, 7), f"(4, 7, 30) logits should give (4, 7) ids, got {tuple(first.shape)}")
    expect(torch.equal(first, again), "the same seed should give the same tokens")
    expect(not torch.equal(first, other), "seeds 5 and 6 gave identical tokens for 28 rows of 30 choices")
    one = impl.sample(logits[0, 0], 1.0, generator=torch.Generator().manual_seed(5))
    expect(one.ndim == 0, f"1-D logits should give a 0-d tensor, got shape {tuple(one.shape)}")


def test_masked_logits_are_never_drawn(impl):
    """Tokens with logit -inf (banned or padded) get probability 0 and are never sampled."""
    logits = torch.tensor([0.0, -torch.inf, 1.0, -torch.inf], dtype=torch.float64)
    probs = impl.filter_logits(logits, top_k=3)
    assert_close(probs.numpy(), brute_filter(logits.numpy(), 1.0, 3, None), rtol=1e-12, what="filter with -inf")
    drawn = impl.sample(logits.expand(500, -1), generator=torch.Generator().manual_seed(0))
    expect(not bool(((drawn == 1) | (drawn == 3)).any()), "a token with logit -inf was sampled")


def test_rejects_bad_input(impl):
    """A negative temperature, top_k < 1, top_p outside (0, 1], NaN logits, a row of only -inf and an empty
    vocabulary raise ValueError."""
    logits = torch.zeros(2, 5)
    assert_raises_value_error(impl.filter_logits, logits, -1.0, why="temperature must be >= 0")
    assert_raises_value_error(impl.filter_logits, logits, 1.0, 0, why="top_k must be at least 1")
    assert_raises_value_error(impl.filter_logits, logits, 1.0, None, 0.0, why="top_p must lie in (0, 1]")
    assert_raises_value_error(impl.filter_logits, logits, 1.0, None, 1.5, why="top_p must lie in (0, 1]")
    assert_raises_value_error(impl.filter_logits, torch.tensor([0.0, float("nan")]), why="logits contain NaN")
    assert_raises_value_error(impl.filter_logits, torch.full((3,), -torch.inf), why="no token has a finite logit")
    assert_raises_value_error(impl.filter_logits, torch.zeros(2, 0), why="the vocabulary axis is empty")
    assert_raises_value_error(impl.sample, logits, -0.5, why="temperature must be >= 0")
