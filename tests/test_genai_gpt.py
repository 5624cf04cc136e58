"""The GPT stack of aieng.lib.genai (attention, transformer, gpt, train): library behaviour beyond the exercises.

Oracles: torch itself (scaled_dot_product_attention, MultiheadAttention, TransformerEncoderLayer), brute
force, and the training script's own invariants: a run resumed from a checkpoint is bit-for-bit the run that
never stopped; data-parallel gradients over 2 processes equal the gradient of the combined batch in one
process; only rank 0 writes. Data: the course's own lessons (never the Shakespeare download).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

import aieng.course
from aieng.datasets.shakespeare import Corpus
from aieng.lib.genai import train as T
from aieng.lib.genai.attention import KVCache, MultiHeadAttention, causal_mask, scaled_dot_product_attention
from aieng.lib.genai.gpt import GPT, next_token
from aieng.lib.genai.transformer import TransformerBlock

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """About 60k characters of the course's lessons, split 90/10 like the Shakespeare corpus."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(aieng.course.__file__).parent.rglob("lesson.md"))]
    text = "\n\n".join(texts)[:60_000]
    cut = int(0.9 * len(text))
    return Corpus(text[:cut], text[cut:], "course lessons")


def tiny_config(tmp_path: Path, **overrides) -> T.TrainConfig:
    values = {"n_layer": 1, "n_head": 2, "n_embd": 16, "block_size": 16, "batch_size": 4, "max_iters": 12,
              "lr_decay_iters": 12, "warmup_iters": 2, "learning_rate": 3e-3, "min_lr": 3e-4, "dropout": 0.1,
              "eval_interval": 3, "eval_iters": 2, "final_eval_iters": 2, "sample_tokens": 10, "progress": False,
              "threads": 1, "out": str(tmp_path / "run"), "top_k": 5}
    values.update(overrides)
    return T.TrainConfig(**values)


# ----------------------------------------------------------------------------- attention and blocks


def test_attention_with_float_inputs_and_fully_masked_rows_has_clean_gradients() -> None:
    """A fully masked row gives zeros and zero gradients, like torch, in float32 too."""
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 4, 3, generator=g, requires_grad=True) for _ in range(3))
    mask = torch.ones(4, 4, dtype=torch.bool)
    mask[1] = False
    out = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(out, want)
    out.sum().backward()
    assert torch.all(q.grad[:, 1] == 0) and torch.isfinite(k.grad).all()


def test_causal_mask_matches_torch_is_causal_for_rectangular_shapes() -> None:
    q, k, v = torch.randn(3, 5, 4, dtype=torch.float64), torch.randn(3, 2, 4, dtype=torch.float64), \
        torch.randn(3, 2, 4, dtype=torch.float64)
    torch.testing.assert_close(scaled_dot_product_attention(q, k, v, is_causal=True),
                               F.scaled_dot_product_attention(q, k, v, is_causal=True))
    assert causal_mask(2, 3).tolist() == [[True, False, False], [True, True, False]]


def test_multi_head_attention_with_a_cache_equals_full_causal_attention() -> None:
    torch.manual_seed(0)
    mha = MultiHeadAttention(8, 2).double()
    x = torch.randn(2, 6, 8, dtype=torch.float64)
    full = mha(x, causal=True)[0]
    cache = KVCache(1)
    parts = [mha(x[:, :4], causal=True, cache=cache)[0], mha(x[:, 4:5], causal=True, cache=cache)[0],
             mha(x[:, 5:], causal=True, cache=cache)[0]]
    torch.testing.assert_close(torch.cat(parts, dim=1), full, rtol=1e-12, atol=1e-12)
    assert cache.keys[0].shape == (2, 2, 6, 4)


def test_block_equals_torch_encoder_layer_with_dropout_off_in_eval_mode() -> None:
    """With dropout 0.1, eval mode switches it off: the block equals torch's layer (eval) with copied weights."""
    torch.manual_seed(1)
    d, h = 12, 3
    theirs = torch.nn.TransformerEncoderLayer(d, h, 4 * d, dropout=0.1, activation="gelu", batch_first=True,
                                              norm_first=True).eval()
    ours = TransformerBlock(d, h, dropout=0.1).eval()
    with torch.no_grad():
        w, b = theirs.self_attn.in_proj_weight, theirs.self_attn.in_proj_bias
        for i, name in enumerate(("q_proj", "k_proj", "v_proj")):
            getattr(ours.attn, name).weight.copy_(w[i * d:(i + 1) * d])
            getattr(ours.attn, name).bias.copy_(b[i * d:(i + 1) * d])
        ours.attn.out_proj.load_state_dict(theirs.self_attn.out_proj.state_dict())
        ours.mlp.fc.load_state_dict(theirs.linear1.state_dict())
        ours.mlp.proj.load_state_dict(theirs.linear2.state_dict())
        ours.ln_1.load_state_dict(theirs.norm1.state_dict())
        ours.ln_2.load_state_dict(theirs.norm2.state_dict())
    x = torch.randn(2, 7, d)
    with torch.no_grad():
        mask = torch.ones(7, 7, dtype=torch.bool).triu(1)
        torch.testing.assert_close(ours(x, causal=True), theirs(x, src_mask=mask), rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------- GPT


def test_gpt_parameter_count_and_docstring_example() -> None:
    model = GPT(vocab_size=65, block_size=64, n_layer=4, n_head=4, n_embd=128)
    assert model.num_parameters() == 65 * 128 + 64 * 128 + 4 * (12 * 128**2 + 13 * 128) + 2 * 128 == 809_856
    assert model.lm_head.weight is model.tok_emb.weight


def test_cached_generation_past_the_block_size_equals_recomputation() -> None:
    torch.manual_seed(2)
    model = GPT(vocab_size=7, block_size=6, n_layer=2, n_head=2, n_embd=8).double()
    prompt = torch.tensor([[1, 2, 3]])
    a = model.generate(prompt, 12, temperature=1.0, generator=torch.Generator().manual_seed(3), use_cache=True)
    b = model.generate(prompt, 12, temperature=1.0, generator=torch.Generator().manual_seed(3), use_cache=False)
    assert torch.equal(a, b) and a.shape == (1, 15)


def test_next_token_knobs() -> None:
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0]])
    assert next_token(logits, temperature=0).item() == 0
    assert next_token(logits, top_k=1, generator=torch.Generator().manual_seed(0)).item() == 0
    draws = torch.cat([next_token(logits.expand(4000, 4), top_k=2, generator=torch.Generator().manual_seed(1))])
    assert set(draws.flatten().tolist()) == {0, 1}
    share = (draws == 0).float().mean().item()  # e / (1 + e) = 0.731, standard error 0.007
    assert abs(share - math.e / (1 + math.e)) < 0.03
    with pytest.raises(ValueError):
        next_token(logits, temperature=-1)


def test_gpt_rejects_bad_configuration() -> None:
    for bad in [{"n_embd": 10, "n_head": 3}, {"vocab_size": 0}, {"dropout": 1.0}]:
        config = {"vocab_size": 5, "block_size": 4, "n_layer": 1, "n_head": 2, "n_embd": 8, **bad}
        with pytest.raises(ValueError):
            GPT(**config)


# ----------------------------------------------------------------------------- training script pieces


def test_learning_rate_schedule() -> None:
    cfg = T.TrainConfig(learning_rate=1e-3, min_lr=1e-4, warmup_iters=100, lr_decay_iters=2000)
    assert T.lr_at(0, cfg) == pytest.approx(1e-3 / 101)
    assert T.lr_at(99, cfg) == pytest.approx(1e-3 * 100 / 101)
    assert T.lr_at(100, cfg) == pytest.approx(1e-3)
    assert T.lr_at(1050, cfg) == pytest.approx(0.55e-3)  # half way: the mean of the two ends
    assert T.lr_at(2000, cfg) == T.lr_at(5000, cfg) == pytest.approx(1e-4)


def test_batches_are_shifted_windows_and_ranks_split_the_global_batch() -> None:
    data = torch.arange(1000)
    x, y = T.get_batch(data, 8, 6, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (6, 8) and torch.equal(y[:, :-1], x[:, 1:]) and torch.equal(y[:, -1], x[:, -1] + 1)
    parts = [T.get_batch(data, 8, 3, torch.Generator().manual_seed(0), rank, 2)[0] for rank in (0, 1)]
    assert torch.equal(torch.stack(parts, dim=1).reshape(6, 8), x)
    with pytest.raises(ValueError):
        T.get_batch(torch.arange(5), 8, 2, torch.Generator())


def test_char_tokenizer_round_trip_and_unknown_characters() -> None:
    tok = T.CharTokenizer.fit("hello world")
    assert tok.decode(tok.encode("hold")) == "hold" and tok.vocab_size == 8
    assert T.tokenizer_from_dict(tok.to_dict()).chars == tok.chars
    with pytest.raises(ValueError):
        tok.encode("z")


def test_resuming_is_bit_exact(tmp_path: Path, corpus: Corpus) -> None:
    """12 steps in one go equal 6 steps, a checkpoint, and 6 more after --resume: weights, optimizer moments and
    the loss history are identical to the bit (dropout 0.1, so the RNG states matter too)."""
    straight = T.train(tiny_config(tmp_path / "a"), corpus, log=lambda _: None)
    first = T.train(tiny_config(tmp_path / "b", max_iters=6), corpus, log=lambda _: None)
    assert first.steps == 6
    resumed = T.train(tiny_config(tmp_path / "b", max_iters=12), corpus, resume=True, log=lambda _: None)
    assert resumed.steps == 12
    a, b = straight.model.state_dict(), resumed.model.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    ca = torch.load(straight.out_dir / "checkpoint.pt", weights_only=True)
    cb = torch.load(resumed.out_dir / "checkpoint.pt", weights_only=True)
    for sa, sb in zip(ca["optimizer"]["state"].values(), cb["optimizer"]["state"].values(), strict=True):
        assert torch.equal(sa["exp_avg_sq"], sb["exp_avg_sq"])
    assert ca["history"]["loss"] == cb["history"]["loss"] and ca["history"]["val_loss"] == cb["history"]["val_loss"]
    assert resumed.val_loss == straight.val_loss


def test_run_writes_its_outputs_and_reports_bits_per_character(tmp_path: Path, corpus: Corpus) -> None:
    result = T.train(tiny_config(tmp_path, max_iters=4, dropout=0.0), corpus, log=lambda _: None)
    out = result.out_dir
    assert {p.name for p in out.iterdir()} >= {"checkpoint.pt", "model.pt", "metrics.json", "loss.png", "sample.txt"}
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["val_bpc"] == pytest.approx(metrics["val_loss"] / math.log(2))  # characters: 1 token each
    assert metrics["steps"] == 4 and metrics["model_config"]["n_embd"] == 16
    model, tok = T.load_trained(out / "model.pt")
    assert isinstance(model, GPT) and tok.kind == "char"
    text = T.generate_text(model, tok, "The ", 20, seed=0)
    assert text.startswith("The ") and len(text) == 24
    fig = T.plot_history(result.history)
    assert isinstance(fig, Figure) and fig.axes[0].get_ylabel().startswith("loss")
    assert len(fig.axes[0].lines) == 3


def test_bpe_run_reports_bits_per_character(tmp_path: Path, corpus: Corpus) -> None:
    result = T.train(tiny_config(tmp_path, max_iters=2, tokenizer="bpe", vocab_size=300), corpus,
                     log=lambda _: None)
    metrics = json.loads((result.out_dir / "metrics.json").read_text())
    assert metrics["vocab_size"] == 300 and 0.2 < metrics["tokens_per_char"] < 1.0
    assert metrics["val_bpc"] == pytest.approx(metrics["val_loss"] * metrics["tokens_per_char"] / math.log(2))


def test_cli_trains_a_model_class_from_a_file(tmp_path: Path, corpus: Corpus, monkeypatch) -> None:
    """--model FILE imports the file's GPT; the outputs land in gpt_runs/ next to the file."""
    text = tmp_path / "text.txt"
    text.write_text(corpus.text, encoding="utf-8")
    monkeypatch.setenv("AIENG_SHAKESPEARE", str(text))
    workspace = tmp_path / "06_genai"
    workspace.mkdir()
    learner = workspace / "12_gpt_shakespeare.py"
    learner.write_text("from aieng.lib.genai.gpt import GPT as _Reference\n\n\nclass GPT(_Reference):\n"
                       "    pass\n", encoding="utf-8")
    code = T.main(["--preset", "tiny", "--model", str(learner), "--max-iters", "3", "--eval-iters", "1",
                   "--final-eval-iters", "1", "--sample-tokens", "5", "--no-progress", "--threads", "1"])
    assert code == 0
    metrics = json.loads((workspace / "gpt_runs" / "metrics.json").read_text())
    assert metrics["model_file"] == str(learner) and metrics["steps"] == 3
    saved = torch.load(workspace / "gpt_runs" / "model.pt", weights_only=True)
    assert saved["config"]["block_size"] == 32 and saved["tokenizer"]["kind"] == "char"
    assert T.main(["--model", str(tmp_path / "missing.py"), "--no-progress"]) == 2


# ----------------------------------------------------------------------------- distributed


WORKER = """
import os, sys
from pathlib import Path
import torch

out = Path(sys.argv[1])
rank = int(os.environ["RANK"])
log = open(out / f"writes_{rank}.txt", "w")
watched = str(out / "run")


def hook(event, args):
    if event == "open" and isinstance(args[0], str) and isinstance(args[1], str):
        if args[0].startswith(watched) and any(c in args[1] for c in "wax+"):
            log.write(f"open {args[0]}\\n")
    elif event in ("os.rename", "os.mkdir") and str(args[0]).startswith(watched):
        log.write(f"{event} {args[0]}\\n")
    log.flush()


sys.addaudithook(hook)
torch.set_num_threads(1)
from torch.nn.parallel import DistributedDataParallel
from aieng.lib.genai import train as T
from aieng.lib.genai.gpt import GPT

info, device = T.setup_distributed(torch.device("cpu"))
assert info.world_size == 2 and torch.distributed.get_backend() == "gloo"
torch.manual_seed(0)
model = GPT(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16).double()
ddp = DistributedDataParallel(model)
data = torch.randint(11, (400,), generator=torch.Generator().manual_seed(1))
x, y = T.get_batch(data, 8, 3, torch.Generator().manual_seed(5), info.rank, info.world_size)
T.lm_loss(ddp, x, y).backward()
if rank == 0:
    torch.save({n: p.grad for n, p in model.named_parameters()}, out / "grads.pt")
sys.exit(T.main(["--preset", "tiny", "--out", str(out / "run"), "--max-iters", "4", "--eval-interval", "2",
                 "--eval-iters", "2", "--final-eval-iters", "2", "--sample-tokens", "5", "--no-progress"]))
"""


@pytest.mark.slow  # 7 s on a quiet 2-core machine, 30 s on a busy one (two torch start-ups)
def test_two_processes_average_to_the_combined_batch_and_only_rank_0_writes(tmp_path: Path, corpus: Corpus) -> None:
    """torchrun --nproc_per_node=2 on the CPU (gloo): DDP's averaged gradient of two rank-strided halves equals
    the single-process gradient of the whole batch (float64, 1e-12), and the training script run under it
    writes files and prints its report from rank 0 only."""
    text = tmp_path / "text.txt"
    text.write_text(corpus.text, encoding="utf-8")
    worker = tmp_path / "worker.py"
    worker.write_text(textwrap.dedent(WORKER), encoding="utf-8")
    env = {**os.environ, "AIENG_SHAKESPEARE": str(text), "OMP_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                           str(worker), str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    torch.manual_seed(0)
    model = GPT(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16).double()
    data = torch.randint(11, (400,), generator=torch.Generator().manual_seed(1))
    x, y = T.get_batch(data, 8, 6, torch.Generator().manual_seed(5))
    T.lm_loss(model, x, y).backward()
    ddp_grads = torch.load(tmp_path / "grads.pt", weights_only=True)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(ddp_grads[name].numpy(), p.grad.numpy(), rtol=1e-12, atol=1e-14, err_msg=name)

    rank0 = (tmp_path / "writes_0.txt").read_text().splitlines()
    rank1 = (tmp_path / "writes_1.txt").read_text().splitlines()
    assert rank1 == [], f"rank 1 wrote: {rank1}"
    written = " ".join(rank0)
    for name in ("checkpoint.pt", "model.pt", "metrics.json", "loss.png", "sample.txt"):
        assert name in written, f"rank 0 did not write {name}: {rank0}"
    assert done.stdout.count("final (") == 1 and done.stdout.count("parameters,") == 1
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["steps"] == 4
