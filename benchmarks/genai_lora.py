"""LoRA (peft) vs full fine-tuning vs a frozen encoder + logistic regression, on all-MiniLM-L6-v2.

The task comes from the course itself: which stage does a lesson paragraph belong to?
(`aieng.lib.genai.qa_data.stage_paragraphs`: one class per stage that has lessons, about 1,400 paragraphs
today.) A stratified, seeded split holds out 25 % of every class. Three methods adapt the same pre-trained
encoder (`aieng.lib.genai.classify`):

- frozen: mean-pooled, unit-length embeddings computed once, then scikit-learn's LogisticRegression;
- LoRA: peft adapters (r = 8, alpha = 16) on query/key/value of all 6 layers, plus a linear head;
- full: every encoder weight plus the head.

Each row shows trainable parameters, held-out accuracy and training time (wall clock, this machine;
the frozen row includes computing the training embeddings). LoRA and full fine-tuning use AdamW with the
head at lr 1e-3, the adapters at 1e-3 and the full encoder at 5e-5, 3 epochs of batches of 16.

    python benchmarks/genai_lora.py            # default: 60 training paragraphs per class, 64 tokens
    python benchmarks/genai_lora.py --full     # every training paragraph, 128 tokens, 4 epochs
    python benchmarks/genai_lora.py --quick    # 20 per class, 32 tokens, 2 epochs: a smoke test

Accuracies move by a point or two with the seed and as the course grows; times move with the load of the
machine (on a shared 2-core box, read them as ratios).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from rich.console import Console
from rich.table import Table

from aieng.lib.genai.classify import compare
from aieng.lib.genai.qa_data import split, stage_paragraphs

PRESETS = {
    "quick": {"per_class": 20, "max_length": 32, "epochs": 2},
    "default": {"per_class": 60, "max_length": 64, "epochs": 3},
    "full": {"per_class": None, "max_length": 128, "epochs": 4},
}


def run(preset: str = "default", seed: int = 0, methods: tuple[str, ...] = ("frozen", "lora", "full"),
        progress: bool = True) -> tuple[list, dict]:
    """The comparison's rows and a description of the data it ran on."""
    settings = PRESETS[preset]
    examples, names = stage_paragraphs()
    train, test = split(examples, 0.25, seed=seed, labels=[e.label for e in examples])
    if settings["per_class"] is not None:
        train = [e for c in range(len(names)) for e in [e for e in train if e.label == c][: settings["per_class"]]]
    info = {"classes": names, "train": len(train), "test": len(test), **settings}
    rows = compare(([e.text for e in train], [e.label for e in train]),
                   ([e.text for e in test], [e.label for e in test]), n_classes=len(names),
                   epochs=settings["epochs"], max_length=settings["max_length"], seed=seed, methods=methods,
                   progress=progress)
    return rows, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true")
    group.add_argument("--full", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    preset = "quick" if args.quick else "full" if args.full else "default"
    start = time.perf_counter()
    rows, info = run(preset, seed=args.seed)
    table = Table(title=f"Stage classification of lesson paragraphs with all-MiniLM-L6-v2 ({preset}: "
                        f"{len(info['classes'])} classes, {info['train']} train / {info['test']} held-out, "
                        f"{info['max_length']} tokens, {info['epochs']} epochs)")
    for column, justify in (("method", "left"), ("trainable params", "right"), ("% of model", "right"),
                            ("held-out accuracy", "right"), ("train time (s)", "right")):
        table.add_column(column, justify=justify)
    for row in rows:
        table.add_row(row.method, f"{row.trainable:,}", f"{100 * row.trainable / row.total:.2f} %",
                      f"{row.accuracy:.3f}", f"{row.seconds:.0f}")
    console = Console(width=140)
    console.print(table)
    console.print(f"chance level {1 / len(info['classes']):.3f}; total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
