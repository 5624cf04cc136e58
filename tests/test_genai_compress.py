"""Project tests of aieng.lib.genai.compress (quantize, prune, distill) beyond the exercises, against torch.

- quantize: parameters against torch's observers for custom ranges too (0..127, torch's reduce_range), the
  GPT quantized by our quantize_dynamic against torch.ao.quantization.quantize_dynamic (to ~1e-6 where torch
  also uses 7-bit activations, x86/fbgemm; within the scale-derived bound elsewhere), 9-bit activations,
  3-D inputs, a state_dict round trip, bad input;
- prune: head_mask against brute force and against zeroing the head's value projection (both remove the
  head exactly), prune_model's exact sparsity on a GPT, shrink_mlp inside a GPT;
- distill: float32 agreement with torch's kl_div, the large-temperature limit, the training loop's loss falling;
- the benchmark's helpers, and (slow) one tiny end-to-end run of benchmarks/genai_compress.py.
"""

from __future__ import annotations

import copy
import importlib.util
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from aieng.lib.genai.compress import distill, prune, quantize
from aieng.lib.genai.gpt import GPT

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=".*quantiz.*")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:.*quantiz.*:UserWarning")
from torch.ao.quantization import quantize_dynamic as torch_quantize_dynamic  # noqa: E402
from torch.ao.quantization.observer import MinMaxObserver  # noqa: E402

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[1]


def gpt(seed: int = 0, vocab: int = 13, block: int = 12, layers: int = 2, heads: int = 2, d: int = 16) -> GPT:
    torch.manual_seed(seed)
    return GPT(vocab, block, layers, heads, d).eval()


# ----------------------------------------------------------------------------- quantize


@given(st.integers(0, 10_000), st.sampled_from([(0, 127), (0, 255), (-128, 127), (0, 15)]))
@settings(max_examples=30, deadline=None)
def test_affine_qparams_match_torch_for_custom_ranges(seed, qrange):
    qmin, qmax = qrange
    x = torch.randn(50, generator=torch.Generator().manual_seed(seed)) * 4 + 0.5
    dtype = torch.qint8 if qmin < 0 else torch.quint8
    observer = MinMaxObserver(dtype=dtype, qscheme=torch.per_tensor_affine, quant_min=qmin, quant_max=qmax)
    observer(x)
    want_s, want_z = observer.calculate_qparams()
    s, z = quantize.choose_qparams(x, symmetric=False, qmin=qmin, qmax=qmax)
    assert torch.allclose(s, want_s[0], rtol=1e-6, atol=0)
    assert int(z) == int(want_z[0])


@pytest.mark.parametrize("per_channel", [False, True])
def test_quantized_gpt_matches_torch_quantize_dynamic(per_channel):
    model = gpt(1)
    ours = quantize.quantize_dynamic(model, per_channel=per_channel)
    from torch.ao.quantization import per_channel_dynamic_qconfig

    spec = {nn.Linear: per_channel_dynamic_qconfig} if per_channel else {nn.Linear}
    theirs = torch_quantize_dynamic(copy.deepcopy(model), spec, dtype=torch.qint8)
    idx = torch.randint(13, (3, 12), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        a, b, f = ours(idx), theirs(idx), model(idx)
    quant_error = (b - f).abs().max().item()
    assert (a - f).abs().max().item() < 5 * quant_error + 1e-6  # the same size of error as torch's
    if torch.backends.quantized.engine in ("x86", "fbgemm") and not per_channel:
        assert (a - b).abs().max().item() < 1e-4  # same scheme, same integers: agreement to float rounding


def test_int8_linear_full_uint8_activations_and_3d_inputs():
    torch.manual_seed(0)
    lin = nn.Linear(7, 5)
    layer = quantize.Int8Linear.from_float(lin, act_qmax=255)
    x = torch.randn(2, 3, 7)
    y = layer(x)
    assert y.shape == (2, 3, 5)
    s, z = quantize.choose_qparams(x, symmetric=False, qmin=0, qmax=255)
    x_hat = quantize.dequantize(quantize.quantize(x, s, z, qmin=0, qmax=255), s, z)
    want = x_hat.double() @ layer.dequantized_weight().double().t() + lin.bias.double()
    assert torch.allclose(y.double(), want, rtol=1e-5, atol=1e-6)
    assert layer(torch.zeros(0, 7)).shape == (0, 5)


def test_int8_linear_state_dict_round_trip():
    torch.manual_seed(0)
    layer = quantize.Int8Linear.from_float(nn.Linear(6, 4), per_channel=True)
    fresh = quantize.Int8Linear(6, 4, per_channel=True)
    fresh.load_state_dict(layer.state_dict())
    x = torch.randn(3, 6)
    assert torch.equal(fresh(x), layer(x))
    assert fresh.weight_int8.dtype == torch.int8


def test_quantize_rejects_bad_input():
    x = torch.randn(3, 4)
    with pytest.raises(ValueError):
        quantize.quantize(x, 0.0, 0)
    with pytest.raises(ValueError):
        quantize.quantize(x, torch.ones(4), torch.zeros(4, dtype=torch.long))  # per-channel params, no axis
    with pytest.raises(ValueError):
        quantize.dequantize(x, 0.1, 0)  # floats are not quantized integers
    with pytest.raises(ValueError):
        quantize.choose_qparams(x, axis=2)
    with pytest.raises(ValueError):
        quantize.quantize_dynamic("not a model")


def test_quantized_gpt_state_dict_shrinks():
    model = gpt(0, vocab=65, block=64, layers=2, heads=4, d=128)
    ratio = quantize.state_dict_bytes(quantize.quantize_dynamic(model)) / quantize.state_dict_bytes(model)
    assert 0.25 < ratio < 0.45  # the float embeddings, LayerNorms and biases stay


# ----------------------------------------------------------------------------- prune


@given(st.integers(0, 10_000), st.sampled_from([1, 2, 4]), st.integers(0, 4))
@settings(max_examples=30, deadline=None)
def test_head_mask_against_brute_force(seed, n_head, k):
    k = min(k, n_head)
    w = torch.randn(8, 8, generator=torch.Generator().manual_seed(seed))
    mask = prune.head_mask(w, n_head, k)
    size = 8 // n_head
    norms = [float(w[:, h * size:(h + 1) * size].norm()) for h in range(n_head)]
    dropped = set(np.argsort(norms)[:k].tolist())
    for h in range(n_head):
        block = mask[:, h * size:(h + 1) * size]
        assert bool((block == (0 if h in dropped else 1)).all())


def test_zeroing_a_head_in_out_proj_equals_silencing_its_values():
    model = gpt(2, heads=4)
    attn = model.blocks[0].attn
    mask = prune.head_mask(attn.out_proj.weight, 4, 1)
    head = int((mask[0] == 0).nonzero()[0]) // attn.head_dim
    a, b = copy.deepcopy(attn), copy.deepcopy(attn)
    rows = slice(head * attn.head_dim, (head + 1) * attn.head_dim)
    with torch.no_grad():
        a.out_proj.weight.mul_(mask)
        b.v_proj.weight[rows] = 0
        b.v_proj.bias[rows] = 0
    x = torch.randn(2, 5, 16)
    assert torch.allclose(a(x, causal=True)[0], b(x, causal=True)[0], atol=1e-6)


@pytest.mark.parametrize("scope", ["global", "per_layer"])
@pytest.mark.parametrize("amount", [0.0, 0.37, 0.9, 1.0])
def test_prune_model_sparsity_is_exact(scope, amount):
    model = gpt(3)
    embedding = model.tok_emb.weight.detach().clone()
    prune.prune_model(model, amount, scope)
    layers = prune.linear_weights(model)
    assert len(layers) == 2 * 6  # q, k, v, out, fc, proj per block; the tied head excluded
    total = sum(layer.weight.numel() for layer in layers)
    zeros = sum(int((layer.weight == 0).sum()) for layer in layers)
    if scope == "global":
        assert zeros == round(amount * total)
    else:
        assert zeros == sum(round(amount * layer.weight.numel()) for layer in layers)
    assert math.isclose(prune.sparsity(model), zeros / total)
    assert torch.equal(model.tok_emb.weight, embedding)


def test_shrink_mlp_inside_a_gpt_equals_masking():
    model = gpt(4).double()
    masked, shrunk = copy.deepcopy(model), copy.deepcopy(model)
    for mb, sb in zip(masked.blocks, shrunk.blocks, strict=True):
        keep = prune.structured_mask(mb.mlp.fc.weight, 0.5, dim=0)[:, 0]
        with torch.no_grad():
            mb.mlp.proj.weight.mul_(keep)
        sb.mlp.fc, sb.mlp.proj = prune.shrink_mlp(sb.mlp.fc, sb.mlp.proj, 0.5)
    idx = torch.randint(13, (2, 12), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.allclose(masked(idx), shrunk(idx), rtol=1e-12, atol=1e-12)
    assert shrunk.num_parameters() < model.num_parameters()
    with pytest.raises(ValueError):
        prune.shrink_mlp(model.blocks[0].mlp.fc, model.blocks[0].mlp.proj, 1.0)


def test_prune_rejects_bad_amounts():
    w = torch.randn(4, 4)
    for amount in (True, -1, 17, 1.01, float("nan"), "half"):
        with pytest.raises(ValueError):
            prune.magnitude_mask(w, amount)
    with pytest.raises(ValueError):
        prune.structured_mask(torch.randn(5), 0.5)
    with pytest.raises(ValueError):
        prune.global_magnitude_masks([], 0.5)


# ----------------------------------------------------------------------------- distill


@given(st.integers(0, 10_000), st.floats(0.5, 10.0))
@settings(max_examples=30, deadline=None)
def test_distillation_loss_float32_matches_torch(seed, temperature):
    gen = torch.Generator().manual_seed(seed)
    s, t = torch.randn(3, 5, 9, generator=gen) * 3, torch.randn(3, 5, 9, generator=gen) * 3
    got = distill.distillation_loss(s, t, temperature)
    log_s, log_t = F.log_softmax(s.reshape(-1, 9) / temperature, -1), F.log_softmax(t.reshape(-1, 9) / temperature, -1)
    want = F.kl_div(log_s, log_t, log_target=True, reduction="batchmean") * temperature**2
    assert torch.allclose(got, want, rtol=1e-5, atol=1e-6)


def test_large_temperature_gap_shrinks_like_one_over_t():
    gen = torch.Generator().manual_seed(0)
    s, t = torch.randn(4, 7, generator=gen, dtype=torch.float64), torch.randn(4, 7, generator=gen, dtype=torch.float64)
    limit = distill.logit_matching_loss(s, t).item()
    gaps = [abs(distill.distillation_loss(s, t, temp).item() - limit) for temp in (10.0, 100.0, 1000.0)]
    assert 7 < gaps[0] / gaps[1] < 13 and 7 < gaps[1] / gaps[2] < 13


def test_distill_lowers_the_loss():
    teacher, student = gpt(5), gpt(6, layers=1, d=8)
    data = (torch.arange(13 * 20 * 4).reshape(20, 4, 13) * 5) % 13  # a deterministic pattern: next = this + 5
    batches = [(d[:, :-1], d[:, 1:]) for d in data]
    optimizer = torch.optim.Adam(teacher.parameters(), lr=1e-2)
    for x, y in batches:  # the teacher learns the pattern
        loss = F.cross_entropy(teacher(x).reshape(-1, 13), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    losses = distill.distill(student, teacher, batches * 3, temperature=2.0, alpha=0.5, lr=1e-2)
    assert len(losses) == 60 and np.mean(losses[-5:]) < 0.5 * np.mean(losses[:5])
    with pytest.raises(ValueError):
        distill.distillation_loss(torch.randn(2, 3), torch.randn(2, 3), alpha=1.0)


# ----------------------------------------------------------------------------- the benchmark script


def load_benchmark():
    spec = importlib.util.spec_from_file_location("genai_compress_bench", ROOT / "benchmarks" / "genai_compress.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    bench = load_benchmark()

    class Uniform(nn.Module):
        def forward(self, idx):
            return torch.zeros(*idx.shape, 11)

    windows = bench.val_windows(torch.randint(11, (500,)), block=8, windows=20)
    assert windows.shape == (20, 9)
    assert math.isclose(bench.perplexity_fn(windows, batch=7)(Uniform()), 11.0, rel_tol=1e-6)
    assert bench.tokens_per_s(gpt(0), block=12, vocab=13, batch=2, repeats=1) > 0


@pytest.mark.slow
def test_benchmark_end_to_end_on_a_tiny_model(tmp_path):
    from aieng.datasets import shakespeare
    from aieng.datasets.shakespeare import DatasetError

    try:
        shakespeare()
    except DatasetError:
        pytest.skip("the Shakespeare data set is not available offline")
    from aieng.lib.genai.train import TrainConfig, train

    out = tmp_path / "run"
    cfg = TrainConfig(n_layer=2, n_head=2, n_embd=32, block_size=16, batch_size=4, max_iters=20, lr_decay_iters=20,
                      warmup_iters=2, eval_interval=10, eval_iters=2, final_eval_iters=2, sample_tokens=10,
                      out=str(out), progress=False, device="cpu")
    train(cfg, log=lambda _text: None)
    figure = tmp_path / "curve.png"
    load_benchmark().main(["--model", str(out / "model.pt"), "--student-steps", "5", "--windows", "8",
                           "--student-layers", "1", "--student-embd", "16", "--figure", str(figure)])
    assert figure.read_bytes()[:4] == b"\x89PNG"
