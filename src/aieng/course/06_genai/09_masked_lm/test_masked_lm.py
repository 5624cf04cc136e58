"""Checks for `masked-lm`: the masking rule checked position by position and statistically (binomial bounds
and scipy.stats.chisquare, with the false-failure probability stated in each check), the loss against
torch.nn.functional.cross_entropy(ignore_index=-100) with its gradients, and a tiny model trained for a few
steps with your masking and your loss.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.stats
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid

torch.set_num_threads(1)
READY_MADE = ("torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss", "torch.nn.CrossEntropyLoss",
              "torch.nn.NLLLoss")
ALPHA = 1e-4  # significance level of the chi-square checks: a correct solution fails one with probability 1e-4


def masked(impl, ids, vocab_size, mask_id, seed, **kwargs):
    """impl.mask_tokens with a freshly seeded torch.Generator; both outputs checked for shape first."""
    inputs, labels = impl.mask_tokens(ids, vocab_size, mask_id, torch.Generator().manual_seed(seed), **kwargs)
    for name, value in (("inputs", inputs), ("labels", labels)):
        expect(isinstance(value, torch.Tensor) and value.shape == ids.shape,
               f"{name} should be a tensor of shape {tuple(ids.shape)}, got {getattr(value, 'shape', value)}")
    return inputs, labels


def loss(impl, logits, labels):
    """impl.mlm_loss with torch's ready-made losses switched off."""
    with forbid(impl, *READY_MADE):
        return impl.mlm_loss(logits, labels)


def test_labels_mark_exactly_the_chosen_positions(impl):
    """labels hold the original id where a token was chosen and -100 elsewhere; unchosen inputs equal ids;
    chosen inputs are [MASK] or an id in 0..vocab_size-1; outputs are int64."""
    ids = torch.randint(0, 30, (8, 50), generator=torch.Generator().manual_seed(0))
    inputs, labels = masked(impl, ids, 30, 30, seed=1)
    expect(inputs.dtype == torch.int64 and labels.dtype == torch.int64, "inputs and labels should be int64")
    chosen = labels != -100
    expect(chosen.any(), "no position was chosen in 400 tokens at mask_prob 0.15")
    expect(torch.equal(labels[chosen], ids[chosen]), "labels at chosen positions must be the original ids")
    expect(torch.equal(inputs[~chosen], ids[~chosen]), "positions that were not chosen must keep their id in inputs")
    ok = (inputs[chosen] == 30) | ((inputs[chosen] >= 0) & (inputs[chosen] < 30))
    expect(bool(ok.all()), "a chosen input must be mask_id or a vocabulary id")


def test_same_seed_same_masking(impl):
    """The same generator seed gives the same (inputs, labels); another seed gives different ones."""
    ids = torch.randint(0, 20, (4, 64), generator=torch.Generator().manual_seed(0))
    first, second, other = (masked(impl, ids, 20, 20, seed=s) for s in (5, 5, 6))
    expect(torch.equal(first[0], second[0]) and torch.equal(first[1], second[1]), "same seed, different masking")
    expect(not torch.equal(first[1], other[1]), "seeds 5 and 6 chose exactly the same 256-token positions")


@given(st.sampled_from([0.15, 0.3, 0.5]))
@settings(max_examples=3)
def test_share_of_chosen_positions(impl, mask_prob):
    """Of 100,000 tokens, the number chosen is Binomial(100000, mask_prob): within 5 standard deviations of
    100000 * mask_prob (false-failure probability 6e-7 per check)."""
    n = 100_000
    ids = torch.randint(0, 50, (100, 1000), generator=torch.Generator().manual_seed(1))
    _, labels = masked(impl, ids, 50, 50, seed=2, mask_prob=mask_prob)
    count = int((labels != -100).sum())
    bound = 5 * math.sqrt(n * mask_prob * (1 - mask_prob))
    expect(abs(count - n * mask_prob) <= bound, f"{count} of {n} tokens chosen with mask_prob={mask_prob}: expected "
           f"{n * mask_prob:.0f} +- {bound:.0f}")


def test_80_10_10_split(impl):
    """Among chosen tokens, [MASK] : unchanged : another id follows 0.8 : 0.1 + 0.1/V : 0.1 (1 - 1/V) (a random
    replacement can draw the original id). Chi-square test on about 30,000 chosen tokens at significance 1e-4."""
    vocab = 50
    ids = torch.randint(0, vocab, (200, 1000), generator=torch.Generator().manual_seed(3))
    inputs, labels = masked(impl, ids, vocab, vocab, seed=4)
    chosen = labels != -100
    got_in, orig = inputs[chosen], ids[chosen]
    observed = np.array([int((got_in == vocab).sum()), int((got_in == orig).sum()),
                         int(((got_in != vocab) & (got_in != orig)).sum())])
    probs = np.array([0.8, 0.1 + 0.1 / vocab, 0.1 * (1 - 1 / vocab)])
    p_value = scipy.stats.chisquare(observed, probs * observed.sum()).pvalue
    expect(p_value >= ALPHA, f"[MASK] / unchanged / replaced counts {observed.tolist()} among {observed.sum()} chosen "
           f"tokens do not fit {np.round(probs, 3).tolist()} (chi-square p = {p_value:.2g})")


def test_random_replacements_are_uniform(impl):
    """With every id equal to 3 (V = 10, [MASK] = 10), the non-[MASK] chosen inputs are 3 with probability
    (0.1 + 0.01) / 0.2 and each other id with 0.01 / 0.2: chi-square over the 10 ids at significance 1e-4."""
    vocab = 10
    ids = torch.full((200, 1000), 3)
    inputs, labels = masked(impl, ids, vocab, vocab, seed=7)
    values = inputs[(labels != -100) & (inputs != vocab)]
    observed = np.bincount(values.numpy(), minlength=vocab)
    expect(len(observed) == vocab, f"replacements should lie in 0..{vocab - 1}, got values up to {len(observed) - 1}")
    expect(observed.sum() > 0, "every chosen token became [MASK]: 10% should get a random id and 10% stay unchanged")
    probs = np.full(vocab, 0.01 / 0.2)
    probs[3] = 0.11 / 0.2
    p_value = scipy.stats.chisquare(observed, probs * observed.sum()).pvalue
    expect(p_value >= ALPHA, f"replacement ids {observed.tolist()} do not look uniform over 0..9 (plus the kept 10% "
           f"at id 3): chi-square p = {p_value:.2g}")


def test_protected_positions_are_never_chosen(impl):
    """Positions marked in `protected` (padding, [CLS], [SEP]) keep their id and get label -100, even with
    mask_prob = 1, where every other position is chosen."""
    ids = torch.randint(0, 20, (6, 40), generator=torch.Generator().manual_seed(8))
    protected = torch.rand(6, 40, generator=torch.Generator().manual_seed(9)) < 0.3
    inputs, labels = masked(impl, ids, 20, 20, seed=10, mask_prob=1.0, protected=protected)
    expect(bool((labels[protected] == -100).all()), "a protected position was chosen")
    expect(torch.equal(inputs[protected], ids[protected]), "a protected position was changed")
    expect(bool((labels[~protected] != -100).all()), "with mask_prob = 1 every unprotected position is chosen")


@st.composite
def loss_cases(draw):
    """Logits (B, T, V) in float64 or float32 and labels with -100 at random positions (at least one kept)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    b, t, v = draw(st.integers(1, 4)), draw(st.integers(1, 6)), draw(st.integers(2, 9))
    dtype = draw(st.sampled_from([torch.float64, torch.float32]))
    logits = torch.tensor(rng.normal(0, 3, (b, t, v)), dtype=dtype)
    labels = torch.tensor(np.where(rng.random((b, t)) < 0.5, rng.integers(0, v, (b, t)), -100))
    labels.view(-1)[0] = int(rng.integers(0, v))
    return logits, labels


@given(loss_cases())
def test_loss_matches_torch_cross_entropy(impl, case):
    """mlm_loss equals torch.nn.functional.cross_entropy(logits, labels, ignore_index=-100), value and gradient
    with respect to the logits (float64 to 1e-10, float32 to 1e-5 relative)."""
    logits, labels = case
    rtol = 1e-10 if logits.dtype == torch.float64 else 1e-5
    mine = logits.clone().requires_grad_(True)
    got = loss(impl, mine, labels)
    expect(isinstance(got, torch.Tensor) and got.ndim == 0, f"mlm_loss should return a 0-d tensor, got {got!r}")
    got.backward()
    theirs = logits.clone().requires_grad_(True)
    want = F.cross_entropy(theirs.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
    want.backward()
    assert_close(float(got), float(want), rtol=rtol, atol=rtol, what="mlm_loss")
    assert_close(mine.grad.double().numpy(), theirs.grad.double().numpy(), rtol=rtol, atol=rtol,
                 what="d mlm_loss / d logits")


def test_loss_worked_example_and_no_labels(impl):
    """Uniform logits over 4 tokens cost log 4 per predicted position, however many are ignored; with every label
    -100 the loss is 0 and backward() still runs (zero gradient), where torch's cross_entropy gives nan."""
    logits = torch.zeros(1, 3, 4, dtype=torch.float64, requires_grad=True)
    assert_close(float(loss(impl, logits, torch.tensor([[2, -100, 0]]))), math.log(4), rtol=1e-12,
                 what="loss of uniform logits")
    nothing = loss(impl, logits, torch.full((1, 3), -100))
    assert_close(float(nothing), 0.0, what="loss with no labelled position")
    nothing.backward()
    expect(logits.grad is not None and bool((logits.grad == 0).all()), "with no labels the gradient should be zero")


def test_a_tiny_model_learns_from_masked_tokens(impl):
    """A bag-of-words predictor (mean token embedding -> linear) on sequences of one repeated token, trained by
    40 steps of plain gradient descent with your mask_tokens and mlm_loss, must at least halve its masked loss
    on a held-out batch. Deterministic (fixed seeds); a correct solution goes from about 2.4 to below 0.1."""
    torch.manual_seed(0)
    vocab, mask_id, length = 12, 11, 12
    embed, head = torch.nn.Embedding(vocab, 16), torch.nn.Linear(16, vocab)
    params = [*embed.parameters(), *head.parameters()]

    def model(inputs):
        return head(embed(inputs).mean(dim=1, keepdim=True)).expand(-1, inputs.shape[1], -1)

    evaluation = torch.randint(0, mask_id, (64, 1)).expand(64, length)
    eval_inputs, eval_labels = masked(impl, evaluation, vocab, mask_id, seed=100)
    with torch.no_grad():
        before = float(loss(impl, model(eval_inputs), eval_labels))
    generator = torch.Generator().manual_seed(1)
    for _ in range(40):
        batch = torch.randint(0, mask_id, (32, 1)).expand(32, length)
        inputs, labels = impl.mask_tokens(batch, vocab, mask_id, generator)
        grads = torch.autograd.grad(loss(impl, model(inputs), labels), params)
        with torch.no_grad():
            for param, grad in zip(params, grads, strict=True):
                param -= 3.0 * grad
    with torch.no_grad():
        after = float(loss(impl, model(eval_inputs), eval_labels))
    expect(after < 0.5 * before, f"masked loss went from {before:.3f} to {after:.3f}: it should at least halve")


def test_rejects_bad_input(impl):
    """Float ids, mask_prob of 0 or above 1, a protected mask of the wrong shape, and labels that do not match the
    logits raise ValueError."""
    ids = torch.zeros(2, 3, dtype=torch.int64)
    generator = torch.Generator().manual_seed(0)
    assert_raises_value_error(impl.mask_tokens, ids.float(), 5, 5, generator, why="ids must be integers")
    assert_raises_value_error(impl.mask_tokens, ids, 5, 5, generator, 0.0, why="mask_prob must be in (0, 1]")
    assert_raises_value_error(impl.mask_tokens, ids, 5, 5, generator, 1.5, why="mask_prob must be in (0, 1]")
    assert_raises_value_error(impl.mask_tokens, ids, 5, 5, generator, 0.15, torch.zeros(3, 2, dtype=torch.bool),
                              why="protected must have the shape of ids")
    assert_raises_value_error(impl.mlm_loss, torch.zeros(2, 3, 5), torch.zeros(2, 4, dtype=torch.int64),
                              why="labels must have shape logits.shape[:-1]")
