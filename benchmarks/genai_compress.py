"""Compressing the course's GPT: int8 quantization, pruning and distillation, each with its before/after table.

The part-1 GPT (aieng.lib.genai.gpt, character-level, trained on Shakespeare by aieng.lib.genai.train) is
the starting point. It is trained once and cached (``<cache>/genai_compress/<preset>/model.pt``; the cache is
aieng.datasets' folder), or taken from ``--model path/to/model.pt`` (any run of the training script).

- int8: torch.ao.quantization.quantize_dynamic (fbgemm/qnnpack int8 kernels) and the course's own Int8Linear
  (aieng.lib.genai.compress.quantize, per tensor and per channel) against the float model: size of the saved
  state_dict, validation perplexity and its change, inference tokens/s;
- pruning: global and per-layer magnitude pruning of every block Linear at sparsities 0..0.9, and structured
  removal of MLP neurons (lowest L2 norm) at 0..75 %: perplexity, parameters, tokens/s; the curve is drawn as
  a PNG (``--figure``; ``--write-figure`` writes the lesson's figures/pruning_curve.png);
- distillation: a smaller GPT student trained for the same number of steps with the same recipe (AdamW,
  warm-up + cosine, clipping, the same batches) on the teacher's softened logits (T^2 KL, temperature
  ``--temperature``, plus ``--alpha`` x cross-entropy) and from scratch on the hard labels: parameters,
  perplexity, tokens/s, next to the teacher.

Perplexity = exp(mean next-character cross-entropy) on the first ``windows x (block_size + 1)`` characters of
the validation split (non-overlapping windows; the same for every model). Tokens/s: forward passes on a batch
of 12 windows of the full context, best of 5 (torch.inference_mode).

    python benchmarks/genai_compress.py              # quick: a 500-step teacher (cached), 300-step students
    python benchmarks/genai_compress.py --full       # nanoGPT's CPU preset: 2000 steps each
    python benchmarks/genai_compress.py --model gpt_runs/model.pt --student-steps 1000
"""

from __future__ import annotations

import argparse
import copy
import math
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from torch import nn

from aieng.lib.genai.compress.distill import distillation_loss
from aieng.lib.genai.compress.prune import linear_weights, prune_model, shrink_mlp, sparsity, sparsity_curve
from aieng.lib.genai.compress.quantize import quantize_dynamic, state_dict_bytes
from aieng.lib.genai.gpt import GPT
from aieng.lib.genai.train import PRESETS, TrainConfig, get_batch, load_trained, lr_at, make_optimizer, train

LESSON_FIGURE = (Path(__file__).resolve().parents[1] / "src" / "aieng" / "course" / "06_genai" / "27_pruning"
                 / "figures" / "pruning_curve.png")
TEACHERS = {
    "quick": {**PRESETS["nanogpt-cpu"], "max_iters": 500, "lr_decay_iters": 500, "warmup_iters": 50,
              "eval_interval": 250, "eval_iters": 10, "final_eval_iters": 40},
    "full": dict(PRESETS["nanogpt-cpu"]),
}


# ----------------------------------------------------------------------------- the teacher and the data


def teacher_model(args: argparse.Namespace, console: Console) -> tuple[nn.Module, Any]:
    """The trained GPT and its tokenizer: --model, else the cached run of the preset, else a fresh run."""
    if args.model:
        return load_trained(args.model)
    from aieng.datasets.shakespeare import cache_dir

    preset = "full" if args.full else "quick"
    out = cache_dir() / "genai_compress" / preset
    if not (out / "model.pt").is_file() or args.retrain:
        console.print(f"training the part-1 GPT ({preset}: {TEACHERS[preset]['max_iters']} steps) into {out}")
        cfg = TrainConfig(**TEACHERS[preset], out=str(out), threads=args.threads, device="cpu", sample_tokens=200)
        train(cfg, log=console.print)
    return load_trained(out / "model.pt")


def encode(tokenizer: Any, text: str) -> torch.Tensor:
    return torch.tensor(tokenizer.encode(text), dtype=torch.long)


def val_windows(val_ids: torch.Tensor, block: int, windows: int) -> torch.Tensor:
    """Non-overlapping windows of block + 1 tokens from the start of the validation split."""
    windows = min(windows, len(val_ids) // (block + 1))
    return val_ids[: windows * (block + 1)].reshape(windows, block + 1)


def perplexity_fn(windows: torch.Tensor, batch: int = 64) -> Callable[[nn.Module], float]:
    """evaluate(model) -> exp(mean cross-entropy) of predicting each window's next tokens."""

    def evaluate(model: nn.Module) -> float:
        model.eval()
        total, count = 0.0, 0
        with torch.inference_mode():
            for chunk in windows.split(batch):
                logits = model(chunk[:, :-1])
                total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), chunk[:, 1:].reshape(-1),
                                         reduction="sum").item()
                count += chunk[:, 1:].numel()
        return math.exp(total / count)

    return evaluate


def tokens_per_s(model: nn.Module, block: int, vocab: int, batch: int = 12, repeats: int = 5) -> float:
    """Forward throughput on `batch` windows of `block` tokens, best of `repeats` (3 passes each)."""
    x = torch.randint(vocab, (batch, block), generator=torch.Generator().manual_seed(0))
    model.eval()
    best = float("inf")
    with torch.inference_mode():
        model(x)  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(3):
                model(x)
            best = min(best, (time.perf_counter() - start) / 3)
    return batch * block / best


def params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------- int8


def int8_table(model: nn.Module, evaluate: Callable[[nn.Module], float], block: int, vocab: int) -> Table:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization's deprecation notices
        from torch.ao.quantization import quantize_dynamic as torch_quantize_dynamic

        torch_int8 = torch_quantize_dynamic(copy.deepcopy(model), {nn.Linear}, dtype=torch.qint8)
    variants = [("float32 (trained GPT)", model),
                (f"torch quantize_dynamic int8 ({torch.backends.quantized.engine})", torch_int8),
                ("ours: Int8Linear, per tensor", quantize_dynamic(model)),
                ("ours: Int8Linear, per channel", quantize_dynamic(model, per_channel=True))]
    base_size, base_ppl, base_speed = state_dict_bytes(model), evaluate(model), tokens_per_s(model, block, vocab)
    table = Table(title="int8 dynamic quantization of the GPT (every nn.Linear; embeddings and LayerNorms stay float)")
    for column in ("model", "state_dict bytes", "size ratio", "val perplexity", "Δ perplexity", "tokens/s",
                   "speed ratio"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for name, variant in variants:
        size = state_dict_bytes(variant)
        ppl = base_ppl if variant is model else evaluate(variant)
        speed = base_speed if variant is model else tokens_per_s(variant, block, vocab)
        table.add_row(name, f"{size:,}", f"{size / base_size:.3f}", f"{ppl:.4f}", f"{ppl - base_ppl:+.4f}",
                      f"{speed:,.0f}", f"{speed / base_speed:.2f}")
    return table


# ----------------------------------------------------------------------------- pruning


def shrunk(model: nn.Module, fraction: float) -> nn.Module:
    """A copy of the GPT with `fraction` of every block's MLP neurons removed (lowest L2 norm of fc rows)."""
    out = copy.deepcopy(model)
    for block in out.blocks:
        block.mlp.fc, block.mlp.proj = shrink_mlp(block.mlp.fc, block.mlp.proj, fraction, n=2)
    return out


def pruning_tables(model: nn.Module, evaluate: Callable[[nn.Module], float], block: int, vocab: int,
                   figure: Path | None) -> tuple[Table, Table]:
    amounts = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    global_ppl, fig = sparsity_curve(model, evaluate, amounts, scope="global", label="unstructured, global threshold")
    layer_ppl, _ = sparsity_curve(model, evaluate, amounts, scope="per_layer")
    ax = fig.axes[0]
    ax.plot(amounts, layer_ppl, "s--", label="unstructured, per layer")
    prunable = sum(layer.weight.numel() for layer in linear_weights(model))
    mlp_weights = sum(b.mlp.fc.weight.numel() + b.mlp.proj.weight.numel() for b in model.blocks)
    fractions = [0.0, 0.25, 0.5, 0.75]
    structured = [(f, shrunk(model, f)) for f in fractions]
    structured_ppl = [evaluate(m) for _, m in structured]
    ax.plot([f * mlp_weights / prunable for f in fractions], structured_ppl, "^:",
            label="structured: MLP neurons removed (L2)")
    ax.legend()
    if figure is not None:
        figure.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(figure, dpi=120)

    unstructured = Table(title=f"magnitude pruning of the block Linear weights ({prunable:,} weights; embeddings, "
                               "tied head, biases, LayerNorms kept)")
    for column in ("sparsity", "global: val perplexity", "per layer: val perplexity", "achieved (global)"):
        unstructured.add_column(column, justify="right")
    for a, g, p in zip(amounts, global_ppl, layer_ppl, strict=True):
        achieved = sparsity(prune_model(copy.deepcopy(model), a, "global"))
        unstructured.add_row(f"{a:.1f}", f"{g:.3f}", f"{p:.3f}", f"{achieved:.4f}")
    table = Table(title="structured pruning: MLP hidden neurons removed (rows of fc / columns of proj, lowest L2 norm)")
    for column in ("neurons removed", "parameters", "val perplexity", "tokens/s", "speed ratio"):
        table.add_column(column, justify="right")
    base_speed = tokens_per_s(model, block, vocab)
    for (f, m), ppl in zip(structured, structured_ppl, strict=True):
        speed = tokens_per_s(m, block, vocab)
        table.add_row(f"{f:.0%}", f"{params(m):,}", f"{ppl:.3f}", f"{speed:,.0f}", f"{speed / base_speed:.2f}")
    return unstructured, table


# ----------------------------------------------------------------------------- distillation


def train_student(student: nn.Module, teacher: nn.Module | None, train_ids: torch.Tensor, cfg: TrainConfig,
                  temperature: float, alpha: float, progress: Progress, label: str) -> float:
    """train.py's recipe (AdamW, warm-up + cosine, clipping at 1, seeded batches) on the distillation loss (teacher
    given) or on the hard labels (teacher None); returns the wall time."""
    optimizer = make_optimizer(student, cfg)
    generator = torch.Generator().manual_seed(cfg.seed + 1)
    task = progress.add_task(label, total=cfg.max_iters, loss=float("nan"))
    student.train()
    if teacher is not None:
        teacher.eval()
    start = time.perf_counter()
    for step in range(cfg.max_iters):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, cfg)
        x, y = get_batch(train_ids, cfg.block_size, cfg.batch_size, generator)
        logits = student(x)
        if teacher is None:
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        else:
            with torch.no_grad():
                target = teacher(x)
            loss = distillation_loss(logits, target, temperature, y, alpha)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(student.parameters(), cfg.grad_clip)
        optimizer.step()
        progress.update(task, advance=1, loss=loss.item())
    return time.perf_counter() - start


def distillation_table(teacher: nn.Module, train_ids: torch.Tensor, evaluate: Callable[[nn.Module], float],
                       args: argparse.Namespace, vocab: int, console: Console) -> Table:
    block = teacher.block_size
    steps = args.student_steps or (2000 if args.full else 300)
    cfg = TrainConfig(**{**PRESETS["nanogpt-cpu"], "n_layer": args.student_layers, "n_head": args.student_heads,
                         "n_embd": args.student_embd, "block_size": block, "max_iters": steps,
                         "lr_decay_iters": steps, "warmup_iters": min(100, steps // 10)})
    students = {}
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("loss {task.fields[loss]:.3f}"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        for name, source in (("distilled", teacher), ("scratch", None)):
            torch.manual_seed(cfg.seed)  # the same initial weights for both students
            student = GPT(vocab, block, cfg.n_layer, cfg.n_head, cfg.n_embd)
            seconds = train_student(student, source, train_ids, cfg, args.temperature, args.alpha, progress,
                                    f"student ({name})")
            students[name] = (student, seconds)
    table = Table(title=f"distillation: {args.student_layers}-layer {args.student_embd}-d student, {steps} steps "
                        f"(T = {args.temperature:g}, alpha = {args.alpha:g}) vs the same student on hard labels")
    for column in ("model", "parameters", "val perplexity", "tokens/s", "training time"):
        table.add_column(column, justify="left" if column == "model" else "right")
    table.add_row(f"teacher ({teacher.n_layer} layers)", f"{params(teacher):,}", f"{evaluate(teacher):.3f}",
                  f"{tokens_per_s(teacher, block, vocab):,.0f}", "")
    for name, label in (("distilled", "student, distilled from the teacher"),
                        ("scratch", "student, hard labels only")):
        student, seconds = students[name]
        table.add_row(label, f"{params(student):,}", f"{evaluate(student):.3f}",
                      f"{tokens_per_s(student, block, vocab):,.0f}", f"{seconds:.0f} s")
    return table


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="nanoGPT's CPU preset (2000 steps) and 2000-step students")
    parser.add_argument("--model", help="a trained model.pt to compress (default: train or reuse the cached one)")
    parser.add_argument("--retrain", action="store_true", help="train the cached teacher again")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--windows", type=int, default=None, help="validation windows (default 64, --full 256)")
    parser.add_argument("--student-steps", type=int, default=None)
    parser.add_argument("--student-layers", type=int, default=2)
    parser.add_argument("--student-heads", type=int, default=2)
    parser.add_argument("--student-embd", type=int, default=64)
    parser.add_argument("--temperature", type=float, default=2.0)
    parser.add_argument("--alpha", type=float, default=0.0)
    parser.add_argument("--figure", type=Path, default=None, help="where to save the pruning curve (PNG)")
    parser.add_argument("--write-figure", action="store_true", help=f"save the curve as {LESSON_FIGURE}")
    parser.add_argument("--skip", nargs="*", default=[], choices=["int8", "pruning", "distillation"])
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    console = Console()
    from aieng.datasets import shakespeare

    teacher, tokenizer = teacher_model(args, console)
    corpus = shakespeare()
    val_ids = encode(tokenizer, corpus.val)
    block, vocab = teacher.block_size, tokenizer.vocab_size
    windows = val_windows(val_ids, block, args.windows or (256 if args.full else 64))
    evaluate = perplexity_fn(windows)
    console.print(f"teacher: {params(teacher):,} parameters, {tokenizer.kind} tokens (vocabulary {vocab}), context "
                  f"{block}; validation slice: {windows.numel():,} tokens; torch {torch.__version__}, "
                  f"{args.threads} thread(s)")
    if "int8" not in args.skip:
        with console.status("int8 ..."):
            console.print(int8_table(teacher, evaluate, block, vocab))
    if "pruning" not in args.skip:
        figure = LESSON_FIGURE if args.write_figure else args.figure
        with console.status("pruning ..."):
            for table in pruning_tables(teacher, evaluate, block, vocab, figure):
                console.print(table)
        if figure is not None:
            console.print(f"wrote {figure}")
    if "distillation" not in args.skip:
        console.print(distillation_table(teacher, encode(tokenizer, corpus.train), evaluate, args, vocab, console))


if __name__ == "__main__":
    main()
