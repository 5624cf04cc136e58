"""Checks for `gpt`: the assembled model, judged by closed forms, brute force and its own behaviour.

- parameter count: the closed form V d + T d + N (12 d^2 + 13 d) + 2 d (biases on, head tied to the token
  embedding, so it adds nothing);
- causality: changing a token never changes the logits of earlier positions (float64, to 1e-12);
- initialization: with GPT-2's init (weights ~ N(0, 0.02^2), biases 0) the logits start tiny and the loss
  on random tokens is ln V + sigma^2 / 2 with sigma^2 ~ 0.02^2 d, about ln V + 0.01; the check allows 0.1;
- learning: 40 Adam steps (lr 1e-2) on one batch of 4 random sequences of 16 tokens drive the loss from
  ln 16 = 2.77 to below 0.25 with one block of width 32 (the reference reaches about 0.04);
- generation: the tokens of `generate` equal a loop written here, on your own model: argmax for
  temperature 0, and softmax(logits / T) restricted to the top k, drawn with torch.multinomial from the
  same seeded generator, otherwise; the context is cropped to the last block_size tokens.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

torch.set_num_threads(1)


def build(impl, vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16, seed=0, dtype=torch.float64):
    """Your GPT, seeded, in `dtype`, in eval mode."""
    torch.manual_seed(seed)
    model = impl.GPT(vocab_size=vocab_size, block_size=block_size, n_layer=n_layer, n_head=n_head, n_embd=n_embd)
    expect(isinstance(model, torch.nn.Module), "GPT should be a torch.nn.Module")
    return model.to(dtype).eval()


def logits_of(model, idx: torch.Tensor) -> torch.Tensor:
    out = model(idx)
    expect(isinstance(out, torch.Tensor), f"model(idx) should return the logits tensor, got {type(out).__name__}")
    return out


def tokens(seed: int, shape: tuple[int, int], vocab_size: int) -> torch.Tensor:
    return torch.randint(vocab_size, shape, generator=torch.Generator().manual_seed(seed))


@given(st.integers(2, 40), st.integers(1, 12), st.integers(1, 3), st.integers(1, 3), st.integers(1, 4))
@settings(max_examples=12)
def test_parameter_count_matches_the_formula(impl, vocab_size, block_size, n_layer, n_head, head_size):
    """The number of distinct parameters is V d + T d + N (12 d^2 + 13 d) + 2 d: token and position
    embeddings, N blocks, the final LayerNorm, and a head that shares the token embedding's weights."""
    d = n_head * head_size
    model = impl.GPT(vocab_size=vocab_size, block_size=block_size, n_layer=n_layer, n_head=n_head, n_embd=d)
    count = sum(p.numel() for p in model.parameters())
    want = vocab_size * d + block_size * d + n_layer * (12 * d * d + 13 * d) + 2 * d
    if count == want + vocab_size * d:
        raise AssertionError(f"{count} parameters: V*d = {vocab_size * d} too many. Tie the head to the token "
                             "embedding: self.lm_head.weight = self.tok_emb.weight")
    expect(count == want, f"GPT(V={vocab_size}, T={block_size}, N={n_layer}, d={d}) has {count} parameters, "
           f"expected V d + T d + N (12 d^2 + 13 d) + 2 d = {want}")


def test_logits_have_the_right_shape(impl):
    """model(idx) maps token ids (B, T) to logits (B, T, V) for any T up to block_size, in the model's dtype."""
    model = build(impl, dtype=torch.float32)
    for t in (1, 5, 8):
        out = logits_of(model, tokens(t, (3, t), 11))
        expect(tuple(out.shape) == (3, t, 11), f"logits for idx of shape (3, {t}) should have shape (3, {t}, 11), "
               f"got {tuple(out.shape)}")
        expect(out.dtype == torch.float32, f"logits should be float32 like the model, got {out.dtype}")


def test_head_is_tied_to_the_token_embedding(impl):
    """lm_head.weight is the very same tensor as tok_emb.weight (weight tying), shape (V, d)."""
    model = build(impl)
    head, emb = getattr(model, "lm_head", None), getattr(model, "tok_emb", None)
    expect(head is not None and emb is not None, "GPT should have attributes tok_emb (nn.Embedding) and lm_head")
    expect(head.weight is emb.weight, "lm_head.weight should be tok_emb.weight itself (assign it in __init__)")
    expect(tuple(emb.weight.shape) == (11, 16), f"tok_emb.weight should have shape (V, d) = (11, 16), "
           f"got {tuple(emb.weight.shape)}")


@given(st.integers(0, 2**31 - 1), st.integers(1, 7))
@settings(max_examples=15)
def test_changing_a_token_never_changes_earlier_logits(impl, seed, position):
    """Causality: replacing the token at position p changes no logit at positions < p (float64, 1e-12), and
    does change the logits at p (the model reads its input)."""
    model = build(impl, seed=seed % 1000)
    idx = tokens(seed, (2, 8), 11)
    other = idx.clone()
    other[:, position] = (other[:, position] + 1 + seed % 10) % 11
    with torch.no_grad():
        a, b = logits_of(model, idx), logits_of(model, other)
    assert_close(b[:, :position].numpy(), a[:, :position].numpy(), rtol=1e-12, atol=1e-12,
                 what=f"logits before position {position} after changing token {position}")
    expect(not torch.allclose(a[:, position], b[:, position]),
           f"the logits at position {position} ignore the token there")


def test_position_matters(impl):
    """The same token at two positions gets different logits (the learned position embedding is added)."""
    model = build(impl, seed=3)
    with torch.no_grad():
        out = logits_of(model, torch.full((1, 2), 4, dtype=torch.long))
    expect(not torch.allclose(out[0, 0], out[0, 1]), "identical tokens at positions 0 and 1 give identical logits: "
           "add pos_emb(positions) to the token embeddings")


def test_loss_at_initialization_is_about_ln_vocab(impl):
    """Freshly initialized (weights ~ N(0, 0.02^2), biases 0), the model predicts a nearly uniform distribution:
    the mean cross-entropy on random tokens is within 0.1 of ln V (expected: ln V + about 0.01)."""
    vocab = 50
    model = build(impl, vocab_size=vocab, block_size=32, n_layer=2, n_head=2, n_embd=64, seed=1, dtype=torch.float32)
    idx = tokens(1, (8, 33), vocab)
    with torch.no_grad():
        logits = logits_of(model, idx[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), idx[:, 1:].reshape(-1)).item()
    expect(abs(loss - math.log(vocab)) < 0.1, f"loss at init is {loss:.3f}, expected about ln {vocab} = "
           f"{math.log(vocab):.3f}: initialize Linear and Embedding weights with std 0.02 and biases with 0")


def test_overfits_a_tiny_batch(impl):
    """40 steps of Adam (lr 1e-2) on one fixed batch (4 x 16 random tokens, V = 16) bring the training loss
    from about 2.77 (ln 16) below 0.25: the model, its gradients and the causal shift of targets all work."""
    torch.manual_seed(0)
    model = impl.GPT(vocab_size=16, block_size=16, n_layer=1, n_head=2, n_embd=32).train()
    data = tokens(0, (4, 17), 16)
    x, y = data[:, :-1], data[:, 1:]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = None
    for _ in range(40):
        loss = F.cross_entropy(logits_of(model, x).reshape(-1, 16), y.reshape(-1))
        first = loss.item() if first is None else first
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    expect(loss.item() < 0.25, f"after 40 steps the loss is {loss.item():.3f} (it started at {first:.3f}); "
           "it should fall below 0.25")


def reference_generate(model, idx, steps, temperature, top_k, generator, block_size):
    """The sampling loop, written plainly: crop, last logits, temperature, top-k, softmax, multinomial."""
    for _ in range(steps):
        with torch.no_grad():
            logits = model(idx[:, -block_size:])[:, -1, :]
        if temperature == 0:
            nxt = logits.argmax(dim=-1, keepdim=True)
        else:
            logits = logits / temperature
            if top_k is not None:
                kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            nxt = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)
        idx = torch.cat([idx, nxt], dim=1)
    return idx


def generated(impl, model, idx, steps, **knobs) -> torch.Tensor:
    out = model.generate(idx.clone(), steps, **knobs)
    expect(isinstance(out, torch.Tensor) and out.dtype == torch.long,
           "generate should return a tensor of int64 token ids")
    expect(tuple(out.shape) == (idx.shape[0], idx.shape[1] + steps),
           f"generate(idx of shape {tuple(idx.shape)}, {steps}) should return shape "
           f"{(idx.shape[0], idx.shape[1] + steps)}, got {tuple(out.shape)}")
    expect(torch.equal(out[:, : idx.shape[1]], idx), "generate should return the prompt followed by the new tokens")
    return out


def test_greedy_generation_follows_the_argmax(impl):
    """generate(idx, 12, temperature=0) appends, 12 times, the argmax of the last position's logits, feeding at
    most block_size = 8 tokens to the model (the oldest are cropped): equal to a plain loop over your model."""
    model = build(impl, seed=5)
    idx = tokens(5, (2, 3), 11)
    got = generated(impl, model, idx, 12, temperature=0.0)
    want = reference_generate(model, idx, 12, 0.0, None, None, 8)
    assert_close(got.numpy(), want.numpy(), rtol=0, atol=0, what="greedy tokens")


@given(st.integers(0, 2**31 - 1), st.sampled_from([0.5, 1.0, 2.0]), st.sampled_from([None, 1, 3, 50]))
@settings(max_examples=10)
def test_seeded_sampling_matches_the_plain_loop(impl, seed, temperature, top_k):
    """With temperature T and top_k k, each step samples softmax(logits / T) over the k largest logits with
    torch.multinomial(probs, 1, generator=generator): the same seeded generator gives the same tokens as a
    plain loop (k larger than V keeps every token; k = 1 is greedy)."""
    model = build(impl, seed=seed % 97)
    idx = tokens(seed, (2, 2), 11)
    got = generated(impl, model, idx, 10, temperature=temperature, top_k=top_k,
                    generator=torch.Generator().manual_seed(seed))
    want = reference_generate(model, idx, 10, temperature, top_k, torch.Generator().manual_seed(seed), 8)
    assert_close(got.numpy(), want.numpy(), rtol=0, atol=0, what=f"tokens sampled with T={temperature}, k={top_k}")


def test_rejects_bad_input(impl):
    """ValueError for a sequence longer than block_size, for idx that is not 2-D, and for a negative
    temperature."""
    model = build(impl)
    assert_raises_value_error(model, tokens(0, (1, 9), 11), why="9 tokens exceed block_size 8")
    assert_raises_value_error(model, tokens(0, (1, 4), 11)[0], why="idx must be (B, T)")
    assert_raises_value_error(model.generate, tokens(0, (1, 2), 11), 3, temperature=-1.0,
                              why="a temperature below 0 means nothing")
