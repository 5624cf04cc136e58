"""Checks for `gpt-shakespeare` (achieve): your GPT, trained with the course's script, on Shakespeare's
validation text.

The checks load the model the script saved next to your file (gpt_runs/model.pt), rebuild YOUR GPT class from
the configuration stored there, load the weights, and compute the validation loss themselves: the mean
next-character cross-entropy (nats per character) over the same 256 windows of the validation split for every
learner (drawn once with numpy's generator, seed 2718; window length = your block size), with
torch.nn.functional.cross_entropy. The split is aieng.datasets.shakespeare()'s last 10%, which the training
script never trains on.

The bar comes from the reference run: the course's GPT with `--preset nanogpt-cpu` (4 layers, 4 heads,
128-d, context 64, 2,000 steps) scores 1.888 nats per character on these windows (1.872 on the script's own
2,400-window estimate); the bar is 1.99, i.e. 0.1 nats of room for another seed and small differences of
architecture (seeds move the result by about 0.02), not for a model that did not learn (counting character
bigrams scores 2.54 on this split, the untrained model ln 84 = 4.43).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from aieng.datasets import shakespeare
from aieng.grader.achieve import reach
from aieng.grader.assertions import assert_close, expect

torch.set_num_threads(1)
REFERENCE = 1.888  # aieng.lib.genai.gpt_runs/model.pt: nanogpt-cpu, seed 1337, 2,000 steps
MARGIN = 0.1
BAR = round(REFERENCE + MARGIN, 2)
N_WINDOWS, SEED = 256, 2718
MODEL_KEYS = {"vocab_size", "block_size", "n_layer", "n_head", "n_embd", "dropout"}


def train_command(impl) -> str:
    return f"python -m aieng.lib.genai.train --preset nanogpt-cpu --model {Path(impl.__file__).resolve()}"


@pytest.fixture(scope="module")
def saved(impl) -> dict:
    path = Path(impl.__file__).resolve().parent / "gpt_runs" / "model.pt"
    if not path.is_file():
        raise AssertionError(f"no trained model at {path}. Train your GPT first (10 to 25 minutes on a CPU; "
                             f"it writes gpt_runs/ next to this file):\n    {train_command(impl)}")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    expect(isinstance(saved, dict) and {"model", "config", "tokenizer"} <= set(saved),
           f"{path} is not a model saved by aieng.lib.genai.train: run\n    {train_command(impl)}")
    expect(saved["tokenizer"].get("kind") == "char", "the graded run uses the character tokenizer (the bar is in "
           f"nats per character); train without --tokenizer bpe:\n    {train_command(impl)}")
    expect(set(saved["config"]) <= MODEL_KEYS, f"unexpected configuration keys {sorted(saved['config'])}")
    return saved


@pytest.fixture(scope="module")
def model(impl, saved) -> torch.nn.Module:
    net = impl.GPT(**saved["config"])
    try:
        net.load_state_dict(saved["model"])
    except RuntimeError as exc:
        raise AssertionError(f"the saved weights do not fit the GPT class in your file ({str(exc)[:300]}); train "
                             f"this file's GPT:\n    {train_command(impl)}") from None
    return net.float().eval()


@pytest.fixture(scope="module")
def windows(saved) -> torch.Tensor:
    """The fixed validation windows, (256, block_size + 1) character ids."""
    chars = saved["tokenizer"]["chars"]
    index = {c: i for i, c in enumerate(chars)}
    val = shakespeare().val
    missing = sorted(set(val) - set(index))
    expect(not missing, f"the saved vocabulary lacks characters of the validation text: {missing[:10]}")
    ids = np.array([index[c] for c in val], dtype=np.int64)
    block = int(saved["config"]["block_size"])
    starts = np.random.default_rng(SEED).integers(0, len(ids) - block - 1, size=N_WINDOWS)
    return torch.from_numpy(ids[starts[:, None] + np.arange(block + 1)])


def test_validation_loss_reaches_the_bar(model, windows, record_property):
    """Your trained GPT's mean next-character loss on 256 fixed validation windows (computed here, with
    torch's cross_entropy) is at most the bar: the reference nanogpt-cpu run's value plus 0.1 nats."""
    total, count = 0.0, 0
    with torch.no_grad():
        for batch in windows.split(64):
            logits = model(batch[:, :-1])
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1),
                                     reduction="sum").item()
            count += batch[:, 1:].numel()
    loss = total / count
    reach(record_property, "validation loss (nats per character)", loss, bar=BAR, higher_is_better=False,
          reference=REFERENCE)


def test_trained_model_never_looks_ahead(model, saved, windows):
    """The trained model is causal: changing the character at position 20 leaves the logits of positions 0..19
    unchanged (float32, 1e-5 of the logits' size). A model that peeks would get a low loss by copying."""
    idx = windows[:4, :-1].clone()
    position = min(20, idx.shape[1] - 1)
    other = idx.clone()
    other[:, position] = (other[:, position] + 1) % int(saved["config"]["vocab_size"])
    with torch.no_grad():
        a, b = model(idx), model(other)
    scale = float(a.abs().max())
    assert_close(b[:, :position].numpy(), a[:, :position].numpy(), rtol=1e-5, atol=1e-5 * scale,
                 what=f"logits before position {position}")


def test_logits_have_one_score_per_character(model, saved, windows):
    """model(idx) returns logits of shape (B, T, V) with V the saved vocabulary size, for T up to the block size."""
    idx = windows[:2, :-1]
    with torch.no_grad():
        out = model(idx)
    want = (2, idx.shape[1], int(saved["config"]["vocab_size"]))
    expect(isinstance(out, torch.Tensor) and tuple(out.shape) == want,
           f"model(idx) should return logits of shape {want}, got {getattr(out, 'shape', type(out))}")
