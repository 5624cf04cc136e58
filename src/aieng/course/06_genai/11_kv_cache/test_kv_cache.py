"""Checks for `kv-cache`: incremental decoding against full recomputation, on your own model.

The oracle is brute force written here: a loop that re-runs your GPT on the whole sequence at every step
(no cache) and takes the last position's logits. With the cache, the same model must give the same logits
to 1e-10 relative in float64 (the numbers are the same; only the order of summation in a few matrix products
differs) and therefore exactly the same tokens, greedy or sampled with the same seeded generator (a flip
would need two candidates within 1e-10 of each other, or a uniform draw within 1e-10 of a cumulative
probability: odds below one in a million over these checks). Models are float64 with random weights.
The speed-up itself is a benchmark's business (benchmarks/genai.py), not a check's.
"""

from __future__ import annotations

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

torch.set_num_threads(1)
CONFIG = {"vocab_size": 13, "block_size": 16, "n_layer": 2, "n_head": 2, "n_embd": 16}


def build(impl, seed: int = 0):
    """Your GPT in float64, eval mode, with its token embedding scaled up so the logits are far from uniform."""
    torch.manual_seed(seed)
    model = impl.GPT(**CONFIG).double().eval()
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(20)
    return model


def tokens(seed: int, shape: tuple[int, int]) -> torch.Tensor:
    return torch.randint(CONFIG["vocab_size"], shape, generator=torch.Generator().manual_seed(seed))


def full_logits(model, idx: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(idx)


def plain_generate(model, idx, steps, temperature, top_k, generator):
    """Generation by full recomputation: the oracle."""
    for _ in range(steps):
        logits = full_logits(model, idx)[:, -1, :]
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


def close(got, want, what: str) -> None:
    expect(isinstance(got, torch.Tensor), f"{what} should be a tensor, got {type(got).__name__}")
    scale = float(want.abs().max())
    assert_close(got.detach().numpy(), want.numpy(), rtol=1e-10, atol=1e-10 * scale, what=what)


@given(st.integers(0, 2**31 - 1), st.integers(1, 6))
@settings(max_examples=10)
def test_cached_steps_give_the_logits_of_full_recomputation(impl, seed, prompt_len):
    """Prefill the prompt with a fresh KVCache, then feed one token at a time: every step's logits equal the last
    position's logits of the model run on the whole sequence without a cache (1e-10 relative)."""
    model = build(impl, seed % 1000)
    idx = tokens(seed, (2, CONFIG["block_size"]))
    cache = impl.KVCache(CONFIG["n_layer"])
    with torch.no_grad():
        out = model(idx[:, :prompt_len], cache=cache)
    close(out, full_logits(model, idx[:, :prompt_len]), "prefill logits")
    for t in range(prompt_len, CONFIG["block_size"]):
        with torch.no_grad():
            step = model(idx[:, t:t + 1], cache=cache)
        expect(tuple(step.shape) == (2, 1, CONFIG["vocab_size"]),
               f"a one-token step should return logits (2, 1, V), got {tuple(step.shape)}")
        close(step[:, -1], full_logits(model, idx[:, :t + 1])[:, -1], f"logits of position {t} from the cache")


def test_several_new_tokens_at_once(impl):
    """Feeding 3 new tokens at once after a cached prefix of 5 gives the logits of positions 5..7 of the full run:
    the new queries attend causally among themselves and to all of the cache (positions continue at 5)."""
    model = build(impl, 7)
    idx = tokens(7, (3, 8))
    cache = impl.KVCache(CONFIG["n_layer"])
    with torch.no_grad():
        model(idx[:, :5], cache=cache)
        chunk = model(idx[:, 5:], cache=cache)
    close(chunk, full_logits(model, idx)[:, 5:], "logits of a 3-token chunk after a 5-token prefix")


def test_cache_holds_one_key_and_value_per_layer_and_position(impl):
    """After a prefill of 4 tokens and 3 single-token steps (batch 2), cache.keys and cache.values hold one
    tensor per layer, each of shape (B, n_head, 7, n_embd / n_head): 2 * n_layer * B * T * d numbers in all."""
    model = build(impl, 1)
    idx = tokens(1, (2, 7))
    cache = impl.KVCache(CONFIG["n_layer"])
    with torch.no_grad():
        model(idx[:, :4], cache=cache)
        for t in range(4, 7):
            model(idx[:, t:t + 1], cache=cache)
    want = (2, CONFIG["n_head"], 7, CONFIG["n_embd"] // CONFIG["n_head"])
    for name in ("keys", "values"):
        stored = getattr(cache, name, None)
        expect(isinstance(stored, list) and len(stored) == CONFIG["n_layer"],
               f"cache.{name} should be a list with one tensor per layer ({CONFIG['n_layer']})")
        for layer, tensor in enumerate(stored):
            expect(isinstance(tensor, torch.Tensor) and tuple(tensor.shape) == want,
                   f"cache.{name}[{layer}] should have shape {want} (B, heads, positions, head size), got "
                   f"{None if not isinstance(tensor, torch.Tensor) else tuple(tensor.shape)}")


def test_greedy_generation_gives_exactly_the_same_tokens(impl):
    """generate(..., temperature=0, use_cache=True) returns exactly the tokens of greedy decoding by full
    recomputation, up to the full block size."""
    model = build(impl, 3)
    idx = tokens(3, (2, 3))
    got = model.generate(idx.clone(), 13, temperature=0.0, use_cache=True)
    want = plain_generate(model, idx, 13, 0.0, None, None)
    assert_close(got.numpy(), want.numpy(), rtol=0, atol=0, what="greedy tokens with the cache")


@given(st.integers(0, 2**31 - 1), st.sampled_from([0.7, 1.0, 1.5]), st.sampled_from([None, 4]))
@settings(max_examples=8)
def test_seeded_sampling_gives_exactly_the_same_tokens(impl, seed, temperature, top_k):
    """Sampling with a seeded generator (torch.multinomial, temperature, top-k) gives exactly the tokens of full
    recomputation with a generator seeded the same: the cache changes the cost, never the text."""
    model = build(impl, seed % 101)
    idx = tokens(seed, (2, 2))
    got = model.generate(idx.clone(), 14, temperature=temperature, top_k=top_k,
                         generator=torch.Generator().manual_seed(seed), use_cache=True)
    want = plain_generate(model, idx, 14, temperature, top_k, torch.Generator().manual_seed(seed))
    assert_close(got.numpy(), want.numpy(), rtol=0, atol=0, what=f"sampled tokens (T={temperature}, k={top_k})")


def test_without_the_cache_generation_is_unchanged(impl):
    """use_cache=False still works and gives the same tokens as use_cache=True."""
    model = build(impl, 4)
    idx = tokens(4, (1, 4))
    a = model.generate(idx.clone(), 8, temperature=1.0, generator=torch.Generator().manual_seed(4), use_cache=True)
    b = model.generate(idx.clone(), 8, temperature=1.0, generator=torch.Generator().manual_seed(4), use_cache=False)
    assert_close(a.numpy(), b.numpy(), rtol=0, atol=0, what="tokens with and without the cache")


def test_cache_beyond_the_block_size_is_refused(impl):
    """Feeding tokens whose positions would pass block_size through a cache raises ValueError (there is no
    position embedding for them)."""
    model = build(impl, 2)
    cache = impl.KVCache(CONFIG["n_layer"])
    with torch.no_grad():
        model(tokens(2, (1, CONFIG["block_size"])), cache=cache)
    assert_raises_value_error(model, tokens(3, (1, 1)), cache=cache, why="position 16 has no embedding (block 16)")
