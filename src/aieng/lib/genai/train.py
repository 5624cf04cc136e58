"""Train a GPT on Shakespeare: the course's training script, ``python -m aieng.lib.genai.train``.

    python -m aieng.lib.genai.train --preset nanogpt-cpu                       # the reference GPT
    python -m aieng.lib.genai.train --preset nanogpt-cpu --model 06_genai/12_gpt_shakespeare.py
    python -m aieng.lib.genai.train --preset nanogpt-cpu --tokenizer bpe --vocab-size 1024
    python -m aieng.lib.genai.train --resume --max-iters 4000 --out 06_genai/gpt_runs
    torchrun --nproc_per_node=2 -m aieng.lib.genai.train --preset nanogpt-cpu   # data parallel

What one run does, nanoGPT's recipe:

- data: ``aieng.datasets.shakespeare()`` (train/val split fixed there), tokenized by characters (the
  vocabulary is every character of the text) or by byte-level BPE (``aieng.lib.genai.bpe``, trained on the
  training split);
- batches: `batch_size` random windows of `block_size` + 1 tokens; inputs are the first `block_size`,
  targets the same shifted by one; the offsets come from a seeded ``torch.Generator`` whose state goes into
  the checkpoint;
- optimizer: AdamW (betas 0.9, 0.99; weight decay on matrices and embeddings only), gradient clipping at
  norm 1, learning rate warmed up linearly for `warmup_iters` steps, then cosine-decayed to `min_lr` at
  `lr_decay_iters`;
- every `eval_interval` steps: mean loss on `eval_iters` fixed batches of each split (nats per token) and
  the validation bits per character, ``loss / ln 2 * tokens / characters`` (comparable across tokenizers);
- outputs (rank 0 only) in `--out` (default: ``gpt_runs/`` next to the `--model` file, else ./gpt_runs):
  ``checkpoint.pt`` (model, optimizer, every rank's RNG states, data-generator state, step, history: a
  resumed run continues bit-exactly), ``model.pt`` (weights, model config and tokenizer: what the grader
  and `generate` need), ``metrics.json``, ``loss.png`` and ``sample.txt`` (text generated from `--prompt`);
- a Rich progress bar with the loss, tokens/s and the ETA.

`--model FILE` imports the class named `GPT` from a Python file (a learner's workspace file), built as
``GPT(vocab_size=, block_size=, n_layer=, n_head=, n_embd=, dropout=)`` and called as ``model(idx) ->
logits (B, T, V)``; the default is ``aieng.lib.genai.gpt.GPT``.

Distributed: under ``torchrun`` (RANK/WORLD_SIZE set) each process joins a process group (NCCL on GPUs,
gloo on CPUs) and wraps the model in DistributedDataParallel. Every rank draws the same
``batch_size * world_size`` windows and keeps every world_size-th one (rank-strided), so the gradient
DDP averages is exactly the gradient of the combined batch a single process would see. Only rank 0
prints and writes files.

Left out: gradient accumulation, mixed precision, FSDP / tensor parallelism, streaming data sets.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

MODEL_KEYS = ("vocab_size", "block_size", "n_layer", "n_head", "n_embd", "dropout")
PRESETS: dict[str, dict[str, Any]] = {
    # nanoGPT's README, "I only have a MacBook" (CPU): train_shakespeare_char with these overrides
    "nanogpt-cpu": {"n_layer": 4, "n_head": 4, "n_embd": 128, "block_size": 64, "batch_size": 12,
                    "max_iters": 2000, "lr_decay_iters": 2000, "dropout": 0.0, "learning_rate": 1e-3,
                    "min_lr": 1e-4, "warmup_iters": 100, "eval_interval": 250, "eval_iters": 20},
    # nanoGPT's GPU baby GPT (train_shakespeare_char.py): 10.7 M parameters, minutes on one GPU
    "nanogpt-gpu": {"n_layer": 6, "n_head": 6, "n_embd": 384, "block_size": 256, "batch_size": 64,
                    "max_iters": 5000, "lr_decay_iters": 5000, "dropout": 0.2, "learning_rate": 1e-3,
                    "min_lr": 1e-4, "warmup_iters": 100, "eval_interval": 250, "eval_iters": 200},
    # seconds, for trying the script out
    "tiny": {"n_layer": 2, "n_head": 2, "n_embd": 32, "block_size": 32, "batch_size": 8, "max_iters": 100,
             "lr_decay_iters": 100, "dropout": 0.0, "learning_rate": 3e-3, "min_lr": 3e-4, "warmup_iters": 10,
             "eval_interval": 50, "eval_iters": 5},
}


@dataclass
class TrainConfig:
    """Everything that defines a run. Defaults = the `nanogpt-cpu` preset."""

    # model
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    block_size: int = 64
    dropout: float = 0.0
    # data
    tokenizer: str = "char"  # "char" or "bpe"
    vocab_size: int = 1024  # BPE only (>= 256: byte-level)
    batch_size: int = 12  # per process
    # optimization
    max_iters: int = 2000
    learning_rate: float = 1e-3
    min_lr: float = 1e-4
    warmup_iters: int = 100
    lr_decay_iters: int = 2000
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.99
    grad_clip: float = 1.0
    # evaluation and output
    eval_interval: int = 250
    eval_iters: int = 20
    final_eval_iters: int = 200  # a longer, steadier estimate at the end
    prompt: str = "\n"
    sample_tokens: int = 500
    temperature: float = 0.8
    top_k: int | None = 200
    # run
    seed: int = 1337
    device: str = "auto"
    compile: bool = False
    threads: int | None = None
    model_file: str | None = None
    out: str | None = None
    progress: bool = True

    def model_config(self, vocab_size: int) -> dict[str, Any]:
        return {"vocab_size": vocab_size, "block_size": self.block_size, "n_layer": self.n_layer,
                "n_head": self.n_head, "n_embd": self.n_embd, "dropout": self.dropout}

    def out_dir(self) -> Path:
        if self.out:
            return Path(self.out)
        return Path(self.model_file).resolve().parent / "gpt_runs" if self.model_file else Path("gpt_runs")

    def validate(self) -> None:
        positive = ["n_layer", "n_head", "n_embd", "block_size", "batch_size", "eval_interval", "eval_iters",
                    "final_eval_iters"]
        for name in positive:
            if getattr(self, name) <= 0:
                raise ValueError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.max_iters < 0 or self.warmup_iters < 0 or self.lr_decay_iters <= 0:
            raise ValueError("max_iters and warmup_iters must be >= 0 and lr_decay_iters > 0")
        if self.tokenizer not in ("char", "bpe"):
            raise ValueError(f"--tokenizer must be 'char' or 'bpe', got {self.tokenizer!r}")
        if self.tokenizer == "bpe" and self.vocab_size < 257:
            raise ValueError(f"--vocab-size must exceed 256 (the byte alphabet), got {self.vocab_size}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"--dropout must lie in [0, 1), got {self.dropout}")
        if self.min_lr > self.learning_rate:
            raise ValueError("--min-lr cannot exceed --learning-rate")


# ----------------------------------------------------------------------------- tokenizers


class CharTokenizer:
    """One token per character; the vocabulary is the sorted set of characters of the corpus."""

    kind = "char"

    def __init__(self, chars: Sequence[str]) -> None:
        self.chars = list(chars)
        self.index = {c: i for i, c in enumerate(self.chars)}
        if len(self.index) != len(self.chars):
            raise ValueError("the character vocabulary has duplicates")

    @classmethod
    def fit(cls, text: str) -> CharTokenizer:
        return cls(sorted(set(text)))

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        try:
            return [self.index[c] for c in text]
        except KeyError as exc:
            raise ValueError(f"character {exc.args[0]!r} is not in the vocabulary") from None

    def decode(self, ids: Sequence[int]) -> str:
        return "".join(self.chars[int(i)] for i in ids)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "char", "chars": "".join(self.chars)}


class BPEAdapter:
    """Byte-level BPE from ``aieng.lib.genai.bpe`` behind the same small interface."""

    kind = "bpe"

    def __init__(self, merges: Sequence[Sequence[int]]) -> None:
        from aieng.lib.genai.bpe import BPETokenizer

        self.merges = [(int(a), int(b)) for a, b in merges]
        self._tokenizer = BPETokenizer(self.merges)

    @classmethod
    def fit(cls, text: str, vocab_size: int) -> BPEAdapter:
        from aieng.lib.genai.bpe import train as train_bpe

        return cls(train_bpe(text, vocab_size))

    @property
    def vocab_size(self) -> int:
        return 256 + len(self.merges)

    def encode(self, text: str) -> list[int]:
        return self._tokenizer.encode(text)

    def decode(self, ids: Sequence[int]) -> str:
        return self._tokenizer.decode([int(i) for i in ids])

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "bpe", "merges": [list(m) for m in self.merges]}


Tokenizer = CharTokenizer | BPEAdapter


def tokenizer_from_dict(spec: dict[str, Any]) -> Tokenizer:
    """Rebuild the tokenizer a checkpoint describes."""
    if spec.get("kind") == "char":
        return CharTokenizer(list(spec["chars"]))
    if spec.get("kind") == "bpe":
        return BPEAdapter(spec["merges"])
    raise ValueError(f"unknown tokenizer {spec.get('kind')!r}")


# ----------------------------------------------------------------------------- model, device, data


def pick_device(name: str = "auto") -> torch.device:
    """`auto`: CUDA if available, else Apple's MPS, else the CPU; any other name is taken as given."""
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def load_model_class(path: str | os.PathLike[str] | None, name: str = "GPT") -> type[nn.Module]:
    """The class `name` defined in the Python file at `path` (None: the reference GPT)."""
    if path is None:
        from aieng.lib.genai.gpt import GPT

        return GPT
    file = Path(path).resolve()
    if not file.is_file():
        raise FileNotFoundError(f"--model {path}: no such file")
    spec = importlib.util.spec_from_file_location(f"aieng_user_model_{abs(hash(str(file)))}", file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    cls = getattr(module, name, None)
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise ImportError(f"{file} defines no nn.Module subclass called {name}")
    return cls


def get_batch(data: torch.Tensor, block_size: int, batch_size: int, generator: torch.Generator,
              rank: int = 0, world_size: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows of `data` (1-D int64 ids): inputs (batch_size, block_size) and targets shifted by one.

    Draws ``batch_size * world_size`` offsets from `generator` (the same on every rank) and keeps those at
    positions rank, rank + world_size, ...: the ranks' batches are disjoint parts of one global batch.
    """
    if len(data) <= block_size:
        raise ValueError(f"the data ({len(data)} tokens) is shorter than block_size + 1 = {block_size + 1}")
    starts = torch.randint(len(data) - block_size, (batch_size * world_size,), generator=generator)[rank::world_size]
    offsets = starts[:, None] + torch.arange(block_size + 1)
    windows = data[offsets]
    return windows[:, :-1], windows[:, 1:]


def lr_at(step: int, cfg: TrainConfig) -> float:
    """Linear warm-up to `learning_rate`, cosine decay to `min_lr` at `lr_decay_iters`, then constant."""
    if step < cfg.warmup_iters:
        return cfg.learning_rate * (step + 1) / (cfg.warmup_iters + 1)
    if step >= cfg.lr_decay_iters:
        return cfg.min_lr
    progress = (step - cfg.warmup_iters) / max(1, cfg.lr_decay_iters - cfg.warmup_iters)
    return cfg.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg.learning_rate - cfg.min_lr)


def make_optimizer(model: nn.Module, cfg: TrainConfig) -> torch.optim.AdamW:
    """AdamW with weight decay on the matrices and embeddings (dim >= 2), none on biases and LayerNorms."""
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=cfg.learning_rate, betas=(cfg.beta1, cfg.beta2))


def lm_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean next-token cross-entropy (nats per token); accepts models returning logits or (logits, ...)."""
    out = model(x)
    logits = out[0] if isinstance(out, tuple) else out
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


# ----------------------------------------------------------------------------- distributed


@dataclass
class Distributed:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.world_size > 1


def setup_distributed(device: torch.device) -> tuple[Distributed, torch.device]:
    """Join the process group torchrun describes (env RANK, WORLD_SIZE, LOCAL_RANK); single process otherwise.

    Backend: NCCL for CUDA devices (each rank on cuda:LOCAL_RANK), gloo for the CPU.
    """
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size <= 1:
        return Distributed(), device
    rank, local_rank = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    if device.type == "cuda":
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    import torch.distributed as dist

    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return Distributed(rank, world_size, local_rank), device


def all_sum(values: torch.Tensor, dist_info: Distributed) -> torch.Tensor:
    """Sum a tensor over all ranks (identity in a single process)."""
    if dist_info.active:
        import torch.distributed as dist

        values = values.clone()
        dist.all_reduce(values, op=dist.ReduceOp.SUM)
    return values


def gather_objects(obj: Any, dist_info: Distributed) -> list[Any]:
    """Every rank's `obj`, in rank order (a one-element list in a single process)."""
    if not dist_info.active:
        return [obj]
    import torch.distributed as dist

    out: list[Any] = [None] * dist_info.world_size
    dist.all_gather_object(out, obj)
    return out


# ----------------------------------------------------------------------------- evaluation, plots


@torch.no_grad()
def estimate_loss(model: nn.Module, data: torch.Tensor, cfg: TrainConfig, iters: int, device: torch.device,
                  dist_info: Distributed, seed: int) -> float:
    """Mean loss over `iters` batches of fixed windows (a fresh generator seeded with `seed`), shared out
    among the ranks and summed back: the same number whatever the world size."""
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    total = torch.zeros(2, dtype=torch.float64)
    for _ in range(iters):
        x, y = get_batch(data, cfg.block_size, cfg.batch_size, generator)  # the same windows for any world size
        x, y = x[dist_info.rank::dist_info.world_size], y[dist_info.rank::dist_info.world_size]
        if len(x):
            loss = lm_loss(model, x.to(device), y.to(device))
            total += torch.tensor([loss.item() * len(x), len(x)], dtype=torch.float64)
    total = all_sum(total, dist_info)
    model.train(was_training)
    return float(total[0] / total[1])


def plot_history(history: dict[str, list], title: str = "GPT on Shakespeare") -> Any:
    """The loss curves: training loss per logged step and the periodic train/val estimates (a Figure)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.subplots()
    if history.get("step"):
        ax.plot(history["step"], history["loss"], color="0.7", linewidth=0.8, label="training batch")
    if history.get("eval_step"):
        ax.plot(history["eval_step"], history["train_loss"], "o-", label="train (estimate)")
        ax.plot(history["eval_step"], history["val_loss"], "s-", label="validation")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats per token)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


# ----------------------------------------------------------------------------- the run


@dataclass
class RunResult:
    """What `train` returns: the trained (unwrapped) model and the final figures."""

    model: nn.Module
    tokenizer: Tokenizer
    val_loss: float
    val_bpc: float
    train_loss: float
    steps: int
    wall_time_s: float
    tokens_per_s: float
    out_dir: Path
    history: dict[str, list] = field(default_factory=dict)
    sample: str = ""


def _rng_state(device: torch.device) -> dict[str, Any]:
    state: dict[str, Any] = {"torch": torch.get_rng_state()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def _set_rng_state(state: dict[str, Any], device: torch.device) -> None:
    torch.set_rng_state(state["torch"])
    if device.type == "cuda" and "cuda" in state:
        torch.cuda.set_rng_state(state["cuda"], device)


def _atomic_save(obj: Any, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _prepare_data(cfg: TrainConfig, corpus: Any, tokenizer: Tokenizer | None) -> tuple[Tokenizer, torch.Tensor,
                                                                                      torch.Tensor, float]:
    if tokenizer is None:
        tokenizer = CharTokenizer.fit(corpus.train + corpus.val) if cfg.tokenizer == "char" else \
            BPEAdapter.fit(corpus.train, cfg.vocab_size)
    train_ids = torch.tensor(tokenizer.encode(corpus.train), dtype=torch.long)
    val_ids = torch.tensor(tokenizer.encode(corpus.val), dtype=torch.long)
    tokens_per_char = len(val_ids) / max(1, len(corpus.val))
    return tokenizer, train_ids, val_ids, tokens_per_char


def train(cfg: TrainConfig, corpus: Any = None, resume: bool = False,
          log: Callable[[str], None] | None = None) -> RunResult:
    """Run (or resume) one training run as `cfg` says; see the module docstring. Returns a `RunResult`."""
    cfg.validate()
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    device = pick_device(cfg.device)
    dist_info, device = setup_distributed(device)
    out_dir = cfg.out_dir()
    main = dist_info.is_main
    say = (log or print) if main else (lambda _text: None)
    checkpoint_path = out_dir / "checkpoint.pt"
    checkpoint: dict[str, Any] | None = None
    if resume:
        if not checkpoint_path.is_file():
            raise FileNotFoundError(f"--resume: no checkpoint at {checkpoint_path}")
        checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=True)
        saved = TrainConfig(**checkpoint["train_config"])
        # the run's definition comes from the checkpoint; only how long (and how it is shown) may change
        for name in ("max_iters", "progress", "device", "threads", "compile", "prompt", "sample_tokens"):
            setattr(saved, name, getattr(cfg, name))
        saved.out = str(out_dir)
        cfg = saved
    if corpus is None:
        from aieng.datasets import shakespeare

        corpus = shakespeare()
    tokenizer = tokenizer_from_dict(checkpoint["tokenizer"]) if checkpoint else None
    tokenizer, train_ids, val_ids, tokens_per_char = _prepare_data(cfg, corpus, tokenizer)

    torch.manual_seed(cfg.seed)  # the initial weights: the same on every rank
    model_cls = load_model_class(cfg.model_file)
    model_config = cfg.model_config(tokenizer.vocab_size)
    raw_model = model_cls(**model_config).to(device)
    optimizer = make_optimizer(raw_model, cfg)
    data_gen = torch.Generator().manual_seed(cfg.seed + 1)
    torch.manual_seed(cfg.seed + 1000 * (dist_info.rank + 1))  # dropout masks: independent per rank
    history: dict[str, list] = {"step": [], "loss": [], "eval_step": [], "train_loss": [], "val_loss": [],
                                "val_bpc": []}
    step, elapsed = 0, 0.0
    if checkpoint is not None:
        raw_model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        data_gen.set_state(checkpoint["data_rng"])
        states = checkpoint["rng"]
        _set_rng_state(states[dist_info.rank] if len(states) == dist_info.world_size else states[0], device)
        step, elapsed, history = checkpoint["step"], checkpoint.get("wall_time_s", 0.0), checkpoint["history"]
    model: nn.Module = raw_model
    if cfg.compile:
        model = torch.compile(model)  # type: ignore[assignment]
    if dist_info.active:
        from torch.nn.parallel import DistributedDataParallel

        model = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)

    n_params = sum(p.numel() for p in raw_model.parameters())
    say(f"{model_cls.__module__}.{model_cls.__name__}: {n_params:,} parameters, {tokenizer.kind} tokenizer "
        f"(vocabulary {tokenizer.vocab_size}), {len(train_ids):,} training tokens, device {device}, "
        f"{dist_info.world_size} process(es), {torch.get_num_threads()} thread(s) each")

    def evaluate(iters: int) -> tuple[float, float]:
        train_loss = estimate_loss(raw_model, train_ids, cfg, iters, device, dist_info, cfg.seed + 2)
        val_loss = estimate_loss(raw_model, val_ids, cfg, iters, device, dist_info, cfg.seed + 3)
        return train_loss, val_loss

    def save_checkpoint() -> None:
        rng = gather_objects(_rng_state(device), dist_info)  # every rank's state (a collective: all call it)
        if not main:
            return
        out_dir.mkdir(parents=True, exist_ok=True)
        weights = {k: v.detach().cpu() for k, v in raw_model.state_dict().items()}
        common = {"model": weights, "config": model_config, "tokenizer": tokenizer.to_dict(), "step": step,
                  "model_file": cfg.model_file, "tokens_per_char": tokens_per_char}
        _atomic_save({**common, "optimizer": optimizer.state_dict(), "data_rng": data_gen.get_state(),
                      "rng": rng, "train_config": asdict(cfg), "history": history, "wall_time_s": elapsed,
                      "world_size": dist_info.world_size}, checkpoint_path)
        _atomic_save(common, out_dir / "model.pt")

    tokens_per_step = cfg.batch_size * cfg.block_size * dist_info.world_size
    progress_ctx: Any = contextlib.nullcontext(None)
    if cfg.progress and main:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress_ctx = Progress(TextColumn("[bold]training"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("loss {task.fields[loss]:.3f}"),
                                TextColumn("{task.fields[tps]:,.0f} tokens/s"), TextColumn("ETA"),
                                TimeRemainingColumn(), transient=False)
    tps = 0.0
    with progress_ctx as progress:
        task = progress.add_task("train", total=cfg.max_iters, completed=step, loss=float("nan"), tps=0.0) \
            if progress is not None else None
        if progress is not None:
            say = progress.console.print  # eval lines above the bar
        window_start, window_steps = time.perf_counter(), 0
        while True:
            if (step % cfg.eval_interval == 0 or step == cfg.max_iters) and step not in history["eval_step"]:
                train_loss, val_loss = evaluate(cfg.eval_iters)
                bpc = val_loss * tokens_per_char / math.log(2)
                history["eval_step"].append(step)
                history["train_loss"].append(train_loss)
                history["val_loss"].append(val_loss)
                history["val_bpc"].append(bpc)
                say(f"step {step}: train loss {train_loss:.4f}, val loss {val_loss:.4f}, val {bpc:.3f} bits/char")
                if step > 0:
                    save_checkpoint()
            if step >= cfg.max_iters:
                break
            t0 = time.perf_counter()
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step, cfg)
            x, y = get_batch(train_ids, cfg.block_size, cfg.batch_size, data_gen, dist_info.rank,
                             dist_info.world_size)
            loss = lm_loss(model, x.to(device), y.to(device))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if cfg.grad_clip > 0:
                nn.utils.clip_grad_norm_(raw_model.parameters(), cfg.grad_clip)
            optimizer.step()
            step += 1
            loss_value = loss.item()  # synchronizes: the step's time is real
            elapsed += time.perf_counter() - t0
            window_steps += 1
            if main:
                history["step"].append(step)
                history["loss"].append(loss_value)
            now = time.perf_counter()
            if now - window_start > 1.0:
                tps = window_steps * tokens_per_step / (now - window_start)
                window_start, window_steps = now, 0
            if task is not None:
                progress.update(task, completed=step, loss=loss_value, tps=tps)

    train_loss, val_loss = evaluate(cfg.final_eval_iters)
    val_bpc = val_loss * tokens_per_char / math.log(2)
    say(f"final ({cfg.final_eval_iters} batches per split): train loss {train_loss:.4f}, val loss {val_loss:.4f}, "
        f"val {val_bpc:.3f} bits/char, {elapsed:.0f} s of training")
    save_checkpoint()
    sample = ""
    if main:
        fig = plot_history(history, title=f"{model_cls.__name__} on Shakespeare ({tokenizer.kind} tokens)")
        fig.savefig(out_dir / "loss.png", dpi=120)
        metrics = {"val_loss": val_loss, "val_bpc": val_bpc, "train_loss": train_loss, "steps": step,
                   "wall_time_s": elapsed, "tokens_per_s": step * tokens_per_step / max(elapsed, 1e-9),
                   "parameters": n_params, "tokens_per_char": tokens_per_char, "model_config": model_config,
                   "tokenizer": tokenizer.kind, "vocab_size": tokenizer.vocab_size, "device": str(device),
                   "world_size": dist_info.world_size, "threads": torch.get_num_threads(),
                   "model_file": cfg.model_file, "train_config": asdict(cfg), "data": corpus.source,
                   "history": {k: history[k] for k in ("eval_step", "train_loss", "val_loss", "val_bpc")}}
        (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        try:  # a learner's generate may still be buggy: the run's results are saved already
            sample = generate_text(raw_model, tokenizer, cfg.prompt, cfg.sample_tokens, cfg.temperature,
                                   cfg.top_k, seed=cfg.seed, device=device)
        except Exception as exc:  # reported, not fatal
            say(f"generating the sample failed: {type(exc).__name__}: {exc}")
        else:
            (out_dir / "sample.txt").write_text(sample, encoding="utf-8")
            say(f"sample from {cfg.prompt!r}:\n{sample}")
        say(f"wrote {out_dir}/ (checkpoint.pt, model.pt, metrics.json, loss.png, sample.txt)")
    return RunResult(raw_model, tokenizer, val_loss, val_bpc, train_loss, step, elapsed,
                     step * tokens_per_step / max(elapsed, 1e-9), out_dir, history, sample)


@torch.no_grad()
def generate_text(model: nn.Module, tokenizer: Tokenizer, prompt: str, n_tokens: int, temperature: float = 0.8,
                  top_k: int | None = 200, seed: int = 0, device: torch.device | str = "cpu") -> str:
    """Continue `prompt` by `n_tokens` tokens with the model's own `generate` (seeded) and decode."""
    ids = tokenizer.encode(prompt) or [0]
    idx = torch.tensor([ids], dtype=torch.long, device=device)
    generator = torch.Generator(device=device).manual_seed(seed)
    out = model.generate(idx, n_tokens, temperature=temperature, top_k=top_k, generator=generator)
    return tokenizer.decode(out[0].tolist())


def load_trained(path: str | os.PathLike[str], model_file: str | None = None) -> tuple[nn.Module, Tokenizer]:
    """The model and tokenizer saved in a `model.pt` (or `checkpoint.pt`), on the CPU, in eval mode."""
    saved = torch.load(path, map_location="cpu", weights_only=True)
    cls = load_model_class(model_file if model_file is not None else saved.get("model_file"))
    model = cls(**saved["config"])
    model.load_state_dict(saved["model"])
    return model.eval(), tokenizer_from_dict(saved["tokenizer"])


# ----------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aieng.lib.genai.train", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="nanogpt-cpu",
                        help="start from these settings; any option given below overrides them")
    parser.add_argument("--model", dest="model_file", help="a Python file defining class GPT (default: the reference)")
    parser.add_argument("--out", help="output folder (default: gpt_runs/ next to --model, else ./gpt_runs)")
    parser.add_argument("--resume", action="store_true", help="continue the run saved in --out/checkpoint.pt")
    parser.add_argument("--tokenizer", choices=["char", "bpe"])
    parser.add_argument("--vocab-size", type=int, help="BPE vocabulary size (256 bytes + merges)")
    for name in ("n_layer", "n_head", "n_embd", "block_size", "batch_size", "max_iters", "warmup_iters",
                 "lr_decay_iters", "eval_interval", "eval_iters", "final_eval_iters", "sample_tokens", "seed",
                 "threads", "top_k"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int)
    for name in ("dropout", "learning_rate", "min_lr", "weight_decay", "beta1", "beta2", "grad_clip",
                 "temperature"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=float)
    parser.add_argument("--prompt", help="text to continue in the sample written at the end")
    parser.add_argument("--device", help="auto (cuda, else mps, else cpu), or a torch device name")
    parser.add_argument("--compile", action="store_true", default=None, help="torch.compile the model")
    parser.add_argument("--no-progress", dest="progress", action="store_false", default=None,
                        help="no progress bar (eval lines are still printed)")
    return parser


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    values: dict[str, Any] = dict(PRESETS[args.preset])
    for f in fields(TrainConfig):
        given = getattr(args, f.name, None)
        if given is not None:
            values[f.name] = given
    return TrainConfig(**values)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    cfg = config_from_args(args)
    try:
        train(cfg, resume=args.resume)
    except (ValueError, FileNotFoundError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if "torch.distributed" in sys.modules:
            import torch.distributed as dist

            if dist.is_initialized():
                dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
