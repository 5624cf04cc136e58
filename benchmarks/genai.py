"""The course's GPT in numbers: training and generation throughput, with and without the KV cache, and the
byte-pair encoder's rows from benchmarks/genai_bpe.py, side by side in one table.

- training: tokens per second of full steps (forward, backward, gradient clipping, AdamW) of the reference
  GPT (aieng.lib.genai.gpt) at nanoGPT's CPU size (4 layers, 4 heads, 128-d, context 64, batch 12), with our
  attention and with torch's fused F.scaled_dot_product_attention swapped in (the ratio ours/torch);
- generation: new tokens per second of `generate` from a one-token prompt to the full context, without the
  cache (every step re-runs the whole prefix) and with it (one position per step), at contexts 64 and 256;
  the ratio is the cache's speed-up, and the tokens are checked to be identical;
- BPE: the rows `bpe_rows(corpus_text, vocab_size)` of benchmarks/genai_bpe.py (our byte-level BPE against
  Hugging Face `tokenizers`), on the first 500,000 training characters of Shakespeare.

    python benchmarks/genai.py [--threads 1] [--steps 30] [--repeats 3] [--vocab-size 1024]

Times are the best of `--repeats` rounds, the compared variants alternating within each round (the machine
may be shared); torch uses `--threads` threads (1 by default: on a busy 2-core machine two threads fight
other processes for the cores and the numbers swing by 10x).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from rich.console import Console
from rich.table import Table

from aieng.lib.genai import attention
from aieng.lib.genai.gpt import GPT
from aieng.lib.genai.train import TrainConfig, get_batch, lm_loss, make_optimizer

COLUMNS = ("benchmark", "setting", "throughput", "compared with", "ratio")
Row = tuple[str, str, str, str, str]


@contextlib.contextmanager
def torch_attention() -> Iterator[None]:
    """Swap our scaled_dot_product_attention for torch's fused kernel inside MultiHeadAttention."""
    ours = attention.scaled_dot_product_attention

    def fused(q, k, v, attn_mask=None, is_causal=False, scale=None, return_weights=False):
        if return_weights:
            return ours(q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale, return_weights=True)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale)

    attention.scaled_dot_product_attention = fused  # type: ignore[assignment]
    try:
        yield
    finally:
        attention.scaled_dot_product_attention = ours  # type: ignore[assignment]


def training_rows(steps: int, repeats: int) -> list[Row]:
    cfg = TrainConfig()  # nanogpt-cpu
    data = torch.randint(65, (200_000,), generator=torch.Generator().manual_seed(0))

    def run(steps: int = steps) -> None:
        torch.manual_seed(0)
        model = GPT(65, cfg.block_size, cfg.n_layer, cfg.n_head, cfg.n_embd)
        optimizer = make_optimizer(model, cfg)
        generator = torch.Generator().manual_seed(1)
        for _ in range(steps):
            x, y = get_batch(data, cfg.block_size, cfg.batch_size, generator)
            loss = lm_loss(model, x, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()

    def run_fused(steps: int = steps) -> None:
        with torch_attention():
            run(steps)

    tokens = steps * cfg.batch_size * cfg.block_size
    run(3), run_fused(3)  # warm-up: first calls allocate and pick kernels
    times = interleaved(repeats, run, run_fused)  # alternate, so both see the same load
    ours, fused = tokens / times[0][0], tokens / times[1][0]
    return [("training (fwd + bwd + AdamW)", "context 64, batch 12",
             f"{ours:,.0f} tokens/s", f"{fused:,.0f} tokens/s (torch SDPA)", f"{ours / fused:.2f}")]


def interleaved(repeats: int, *fns: Callable[[], Any]) -> list[tuple[float, Any]]:
    """Call each fn once per round, `repeats` rounds; per fn, the shortest time and its last result.

    Alternating keeps a shared machine's changing load from favouring one side."""
    best = [float("inf")] * len(fns)
    results: list[Any] = [None] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            results[i] = fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return list(zip(best, results, strict=True))


def generate(model: GPT, prompt: torch.Tensor, new: int, use_cache: bool) -> torch.Tensor:
    """`new` tokens sampled at temperature 1 with a generator seeded 0."""
    return model.generate(prompt, new, temperature=1.0, generator=torch.Generator().manual_seed(0),
                          use_cache=use_cache)


def generation_rows(repeats: int) -> list[Row]:
    rows: list[Row] = []
    for block, batch in [(64, 1), (256, 1), (256, 8)]:
        torch.manual_seed(0)
        model = GPT(65, block, 4, 4, 128).eval()
        prompt = torch.zeros(batch, 1, dtype=torch.long)
        new = block - 1
        generate(model, prompt, 8, False), generate(model, prompt, 8, True)  # warm-up
        (plain, plain_tokens), (cached, cached_tokens) = interleaved(
            repeats, lambda m=model, p=prompt, n=new: generate(m, p, n, False),
            lambda m=model, p=prompt, n=new: generate(m, p, n, True))
        plain, cached = batch * new / plain, batch * new / cached
        same = "same tokens" if torch.equal(cached_tokens, plain_tokens) else "TOKENS DIFFER"
        rows.append(("generation, KV cache", f"{new} new tokens, batch {batch} ({same})",
                     f"{cached:,.0f} tokens/s", f"{plain:,.0f} tokens/s (no cache)", f"{cached / plain:.2f}"))
    return rows


def bpe_rows(vocab_size: int) -> list[Row]:
    """The rows of benchmarks/genai_bpe.py (our BPE against `tokenizers`), in this table's five columns."""
    path = Path(__file__).with_name("genai_bpe.py")
    if not path.is_file():
        return [("BPE", "rows come from benchmarks/genai_bpe.py", "(not found)", "", "")]
    spec = importlib.util.spec_from_file_location("genai_bpe", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from aieng.datasets import shakespeare

    corpus = shakespeare()
    rows = module.bpe_rows(corpus.train[:500_000], vocab_size, held_out=corpus.val[:100_000])
    ours = next(r for r in rows if r["tokenizer"].startswith("aieng"))
    out: list[Row] = []
    for row in rows:
        speed = row["encode_chars_per_s"]
        out.append((f"BPE encode: {row['tokenizer']}",
                    f"vocab {row['vocab_size']}, trained on 500k chars in {row['train_s']:.1f} s",
                    f"{speed:,.0f} chars/s",
                    f"{row['chars_per_token']:.3f} chars/token, round trip {'ok' if row['round_trip'] else 'FAILS'}",
                    "" if row is ours else f"ours/this {ours['encode_chars_per_s'] / speed:.2f}"))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=30, help="training steps per timing")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--vocab-size", type=int, default=1024)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    console = Console(width=160)
    console.print("timing training, generation (with and without the KV cache) and BPE ...")
    rows = training_rows(args.steps, args.repeats) + generation_rows(args.repeats) + bpe_rows(args.vocab_size)
    table = Table(title=f"aieng.lib.genai GPT (4 layers, 4 heads, 128-d), torch {torch.__version__}, "
                        f"{args.threads} thread(s), best of {args.repeats}")
    for column in COLUMNS:
        table.add_column(column, justify="right" if column in ("ratio",) else "left")
    for row in rows:
        table.add_row(*row)
    console.print(table)


if __name__ == "__main__":
    main()
