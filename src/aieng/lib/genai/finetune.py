"""Instruction tuning (supervised fine-tuning, SFT) of the part-1 GPT on the course's own Q&A pairs.

One example is a prompt and a response, glued by a template and tokenized by characters:

    prompt   = "Q: What is a norm?\\nA: "        (PROMPT_TEMPLATE)
    response = "A measure of the size of a vector.\\n"  (the answer, then END_OF_ANSWER)

The model reads prompt + response and is trained with the usual next-token cross-entropy, except that
the positions whose target is a prompt token are **masked** (label -100, like PyTorch's ignore_index):
the model should learn to answer, not to write questions. Padding is masked the same way.

    inputs  x = s[0 .. L-2],  labels y = s[1 .. L-1],  y[t] = -100 for t < len(prompt) - 1
    loss = mean over unmasked t of -log softmax(logits[t])[y[t]]

`sft_loss` is that masked mean (equal to ``F.cross_entropy(..., ignore_index=-100)``), `sft_step` one
optimizer step on it. Beyond the exercise: a character vocabulary with a padding id, pre-training a tiny
base GPT on the lessons (`pretrain`), the fine-tuning loop (`finetune`), the loss on answer tokens only
(`answer_loss`), greedy answers (`generate_answer`), and a demo, ``python -m aieng.lib.genai.finetune``,
that pre-trains, fine-tunes and prints the held-out answer loss before and after.

Single- vs multi-task: the glossary pairs alone teach one task (define a term); adding the quiz pairs
(answer a question, explain why) makes a mixture. One model serves both, but each task gets fewer steps.

Left out: chat templates with roles and special tokens, packing several examples per window, LoRA
(see `aieng.lib.genai.lora`), evaluation by generation quality.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import torch
from torch import Tensor, nn

IGNORE_INDEX = -100
PROMPT_TEMPLATE = "Q: {question}\nA: "
END_OF_ANSWER = "\n"

__all__ = ["END_OF_ANSWER", "IGNORE_INDEX", "PROMPT_TEMPLATE", "answer_loss", "char_vocab", "collate",
           "encode_example", "finetune", "format_example", "generate_answer", "pretrain", "sft_loss", "sft_step"]


# ----------------------------------------------------------------------------- the exercise


def format_example(question: str, answer: str) -> tuple[str, str]:
    """(prompt, response) for one Q&A pair: whitespace collapsed to single spaces, then

    prompt = "Q: <question>\\nA: ",  response = "<answer>\\n".

    >>> format_example("What is  a norm?", "The size\\nof a vector.")
    ('Q: What is a norm?\\nA: ', 'The size of a vector.\\n')
    """
    question, answer = " ".join(question.split()), " ".join(answer.split())
    if not question or not answer:
        raise ValueError("the question and the answer must both contain text")
    return PROMPT_TEMPLATE.format(question=question), answer + END_OF_ANSWER


def encode_example(prompt: str, response: str, stoi: Mapping[str, int], block_size: int) -> tuple[Tensor, Tensor]:
    """Token ids and labels for one example -> (input_ids (T,), labels (T,)), both int64, T <= block_size.

    s = ids of prompt + response, cut to its first block_size + 1 tokens; input_ids = s[:-1] and
    labels = s[1:] with IGNORE_INDEX wherever the target is still a prompt token (t < len(prompt) - 1).
    Raises ValueError for an unknown character, an empty part, or a prompt too long to leave an answer
    token inside the window. O(T).

    >>> encode_example("ab", "c", {"a": 0, "b": 1, "c": 2}, block_size=8)
    (tensor([0, 1]), tensor([-100,    2]))
    """
    if block_size < 1:
        raise ValueError(f"block_size must be >= 1, got {block_size}")
    if not prompt or not response:
        raise ValueError("the prompt and the response must both be non-empty")
    try:
        ids = [stoi[c] for c in prompt + response]
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not in the vocabulary") from None
    if len(prompt) > block_size:
        raise ValueError(f"the prompt has {len(prompt)} tokens: no answer token fits in block_size {block_size}")
    s = torch.tensor(ids[: block_size + 1], dtype=torch.long)
    labels = s[1:].clone()
    labels[: len(prompt) - 1] = IGNORE_INDEX  # targets that are prompt tokens
    return s[:-1], labels


def collate(examples: Sequence[tuple[Tensor, Tensor]], pad_id: int) -> tuple[Tensor, Tensor]:
    """Right-pad (input_ids, labels) pairs to one batch -> (input_ids (B, T), labels (B, T)).

    T is the longest example; inputs are padded with `pad_id`, labels with IGNORE_INDEX, so padding
    neither feeds earlier positions (the model is causal and padding comes last) nor counts in the loss.
    """
    if not examples:
        raise ValueError("collate needs at least one example")
    for x, y in examples:
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"each example must be two 1-D tensors of one length, got {tuple(x.shape)} "
                             f"and {tuple(y.shape)}")
    width = max(len(x) for x, _ in examples)
    inputs = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    for row, (x, y) in enumerate(examples):
        inputs[row, : len(x)] = x
        labels[row, : len(y)] = y
    return inputs, labels


def sft_loss(logits: Tensor, labels: Tensor) -> Tensor:
    """Mean cross-entropy over the unmasked positions: logits (B, T, V), labels (B, T) -> scalar.

    loss = -(1/N) sum_{(b,t): y != -100} log softmax(logits[b, t])[y[b, t]],  N = number of such (b, t).
    Masked positions contribute nothing, not even to the gradient. Equals
    ``F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), ignore_index=-100)``. O(B T V).
    """
    if logits.ndim != 3 or labels.shape != logits.shape[:2]:
        raise ValueError(f"expected logits (B, T, V) and labels (B, T), got {tuple(logits.shape)} and "
                         f"{tuple(labels.shape)}")
    keep = labels != IGNORE_INDEX  # (B, T)
    if not keep.any():
        raise ValueError("every label is masked: there is no answer token to learn from")
    targets = labels[keep]  # (N,)
    if targets.min() < 0 or targets.max() >= logits.shape[-1]:
        raise ValueError(f"labels must be -100 or token ids in [0, {logits.shape[-1]})")
    log_probs = torch.log_softmax(logits[keep], dim=-1)  # (N, V): only the rows that count
    return -log_probs.gather(1, targets[:, None]).mean()


def sft_step(model: nn.Module, optimizer: torch.optim.Optimizer, input_ids: Tensor, labels: Tensor) -> float:
    """One optimizer step on `sft_loss(model(input_ids), labels)`; returns that loss (before the step)."""
    model.train()
    loss = sft_loss(model(input_ids), labels)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


# ----------------------------------------------------------------------------- beyond the exercise


def char_vocab(texts: Sequence[str]) -> tuple[dict[str, int], int]:
    """Character vocabulary of `texts` -> (stoi, pad_id): ids 0..n-1 for the sorted characters and
    pad_id = n, a token no character maps to (the model's vocab_size is n + 1)."""
    chars = sorted(set("".join(texts)))
    return {c: i for i, c in enumerate(chars)}, len(chars)


def pretrain(model: nn.Module, ids: Tensor, steps: int, batch_size: int = 16, lr: float = 3e-3, seed: int = 0,
             progress: bool = False) -> list[float]:
    """Next-token pre-training on random windows of the 1-D token tensor `ids` (AdamW) -> losses."""
    block = model.block_size
    if ids.ndim != 1 or len(ids) <= block + 1:
        raise ValueError(f"ids must be a 1-D tensor longer than block_size + 1 = {block + 1}")
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    offsets = torch.arange(block + 1)
    losses = []
    model.train()
    with _bar(progress, steps, "pre-train") as advance:
        for _ in range(steps):
            starts = torch.randint(len(ids) - block - 1, (batch_size,), generator=generator)
            window = ids[starts[:, None] + offsets]  # (B, block + 1)
            logits = model(window[:, :-1])
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            advance(loss=losses[-1])
    return losses


@torch.no_grad()
def answer_loss(model: nn.Module, batches: Sequence[tuple[Tensor, Tensor]]) -> float:
    """Mean cross-entropy per answer token over (input_ids, labels) batches (a token-weighted mean)."""
    model.eval()
    total, count = 0.0, 0
    for inputs, labels in batches:
        n = int((labels != IGNORE_INDEX).sum())
        total += float(sft_loss(model(inputs), labels)) * n
        count += n
    return total / count


def finetune(model: nn.Module, examples: Sequence[tuple[Tensor, Tensor]], pad_id: int, steps: int,
             batch_size: int = 16, lr: float = 1e-3, seed: int = 0, progress: bool = False) -> list[float]:
    """SFT: `steps` AdamW steps of `sft_step` on random mini-batches of encoded examples -> losses."""
    if not examples:
        raise ValueError("finetune needs at least one example")
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    with _bar(progress, steps, "fine-tune") as advance:
        for _ in range(steps):
            pick = torch.randint(len(examples), (min(batch_size, len(examples)),), generator=generator)
            losses.append(sft_step(model, optimizer, *collate([examples[int(i)] for i in pick], pad_id)))
            advance(loss=losses[-1])
    return losses


@torch.no_grad()
def generate_answer(model: nn.Module, question: str, stoi: Mapping[str, int], max_new_tokens: int = 200) -> str:
    """Greedy answer to `question`: the prompt template, then argmax tokens until END_OF_ANSWER."""
    itos = {i: c for c, i in stoi.items()}
    prompt, _ = format_example(question, "?")
    idx = torch.tensor([[stoi[c] for c in prompt]], dtype=torch.long)[:, -model.block_size:]
    model.eval()
    out: list[str] = []
    for _ in range(max_new_tokens):
        logits = model(idx[:, -model.block_size:])[:, -1, :]
        token = int(logits.argmax(-1))
        char = itos.get(token, "")
        if char == END_OF_ANSWER:
            break
        out.append(char)
        idx = torch.cat([idx, torch.tensor([[token]])], dim=1)
    return "".join(out)


@contextmanager
def _bar(enabled: bool, total: int, label: str) -> Iterator[Callable[..., None]]:
    """A Rich progress bar showing the last loss; yields `advance(loss=...)` (a no-op when disabled)."""
    from rich.progress import Progress

    with Progress(*Progress.get_default_columns(), "{task.fields[loss]}", disable=not enabled) as progress:
        task = progress.add_task(label, total=total, loss="")
        yield lambda loss: progress.update(task, advance=1, loss=f"loss {loss:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Pre-train a tiny GPT on the lessons, instruction-tune it on the Q&A pairs, report the loss."""
    from rich.console import Console
    from rich.table import Table

    from aieng.lib.genai.gpt import GPT
    from aieng.lib.genai.qa_data import course_text, qa_pairs, split

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--pretrain-steps", type=int, default=600)
    parser.add_argument("--sft-steps", type=int, default=300)
    parser.add_argument("--tasks", choices=["single", "multi"], default="multi",
                        help="single: glossary pairs only; multi: glossary and quiz pairs")
    parser.add_argument("--block-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    sources = ("glossary",) if args.tasks == "single" else ("glossary", "quiz")
    pairs = qa_pairs(sources=sources)
    train_pairs, val_pairs = split(pairs, 0.1, seed=args.seed)
    text = course_text()
    stoi, pad_id = char_vocab([text] + [p.question + p.answer for p in pairs] + [PROMPT_TEMPLATE])
    model = GPT(vocab_size=pad_id + 1, block_size=args.block_size, n_layer=2, n_head=4, n_embd=128)

    def encode(ps: Sequence) -> list[tuple[Tensor, Tensor]]:  # prompts that leave room for half the window
        examples = [format_example(p.question, p.answer) for p in ps]
        return [encode_example(q, a, stoi, args.block_size) for q, a in examples if len(q) <= args.block_size // 2]

    train_set, val_set = encode(train_pairs), encode(val_pairs)
    val_batches = [collate(val_set[i: i + 32], pad_id) for i in range(0, len(val_set), 32)]
    start = time.perf_counter()
    pretrain(model, torch.tensor([stoi[c] for c in text]), args.pretrain_steps, seed=args.seed, progress=True)
    before = answer_loss(model, val_batches)
    finetune(model, train_set, pad_id, args.sft_steps, seed=args.seed, progress=True)
    after = answer_loss(model, val_batches)
    table = Table(title=f"SFT of a {model.num_parameters():,}-parameter GPT ({args.tasks}-task, "
                        f"{len(train_set)} train / {len(val_set)} held-out pairs, {time.perf_counter() - start:.0f} s)")
    for column in ("held-out answer tokens", "loss (nats/token)", "perplexity"):
        table.add_column(column)
    for name, value in (("base model (pre-trained only)", before), ("after SFT", after)):
        table.add_row(name, f"{value:.3f}", f"{math.exp(value):.1f}")
    console = Console()
    console.print(table)
    for pair in val_pairs[:3]:
        console.print(f"[bold]Q:[/bold] {pair.question}\n[bold]A:[/bold] {generate_answer(model, pair.question, stoi)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
