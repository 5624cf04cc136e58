"""Checks for `lora`: your LoRALinear and apply_lora against peft (LoraConfig + get_peft_model) on the same
base weights, in float64: the same outputs before and after one Adam step, the same trainable-parameter
count as peft's get_nb_trainable_parameters(), the same merged weights as peft's merge_and_unload(), the
same dropout; plus the forward formula on random shapes and Kaiming-uniform statistics of A.
"""

from __future__ import annotations

import copy
import math

import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from peft import LoraConfig, get_peft_model
from torch import nn

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid_package
from aieng.grader.tolerances import assert_within_standard_errors
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)
TOL = {"rtol": 1e-10, "atol": 1e-12}  # float64: the same products summed in the same or another order


class Tiny(nn.Module):
    """Three linear layers; peft and apply_lora both find them by name."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2, self.head, self.act = nn.Linear(6, 10), nn.Linear(10, 10), nn.Linear(10, 3), nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.act(self.fc2(self.act(self.fc1(x)))))


def tiny(seed: int = 0) -> Tiny:
    torch.manual_seed(seed)
    return Tiny().double()


def learner_lora(impl, model, targets, r, alpha, dropout=0.0):
    """impl.apply_lora on a copy of `model`, with peft switched off while it runs."""
    assert_not_imported(impl, "peft")
    with forbid_package(impl, "peft"):
        out = impl.apply_lora(copy.deepcopy(model), targets, r, alpha, dropout=dropout)
    expect(out is not None, "apply_lora should return the model")
    return out


def peft_lora(model, targets, r, alpha, dropout=0.0):
    config = LoraConfig(r=r, lora_alpha=alpha, target_modules=list(targets), lora_dropout=dropout)
    return get_peft_model(copy.deepcopy(model), config)


def layer(model, name):
    """A named LoRALinear of the learner's model, checked for the lora_A / lora_B attributes."""
    module = model.get_submodule(name)
    expect(hasattr(module, "lora_A") and hasattr(module, "lora_B"),
           f"after apply_lora, {name} should be a LoRALinear with lora_A and lora_B, got {type(module).__name__}")
    return module


def tie_adapters(mine, theirs, names, seed):
    """Copy each of your A into peft's and give both the same random B, so the adapters are not zero."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name in names:
            m = layer(mine, name)
            p = theirs.base_model.model.get_submodule(name)
            m.lora_B.copy_(torch.randn(m.lora_B.shape, generator=g, dtype=torch.float64))
            p.lora_A["default"].weight.copy_(m.lora_A)
            p.lora_B["default"].weight.copy_(m.lora_B)


def adam_step(model, x, y):
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=0.05)
    loss = ((model(x) - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()


# ----------------------------------------------------------------------------- one layer


def test_starts_like_peft(impl):
    """LoRALinear(base, r, alpha): lora_A (r, in) drawn Kaiming-uniform like an nn.Linear weight
    (U(-1/sqrt(in), 1/sqrt(in))), lora_B (out, r) all zeros, scaling alpha / r, base frozen, output equal to
    base(x) at the start. The spread of A is checked within 5 standard errors of its variance 1/(3 in)
    (a correct A fails with probability about 1e-6)."""
    torch.manual_seed(0)
    base = nn.Linear(256, 48)
    with forbid_package(impl, "peft"):
        lora = impl.LoRALinear(base, r=16, alpha=8)
    a, b = lora.lora_A, lora.lora_B
    expect(tuple(a.shape) == (16, 256) and tuple(b.shape) == (48, 16),
           f"lora_A should be (r, in) = (16, 256) and lora_B (out, r) = (48, 16), got {tuple(a.shape)} and "
           f"{tuple(b.shape)}")
    expect(bool((b == 0).all()), "lora_B must start at zero, so that the adapted layer starts as the base layer")
    bound = 1 / math.sqrt(256)
    expect(float(a.abs().max()) <= bound, f"entries of lora_A should lie in [-1/sqrt(in), 1/sqrt(in)] = +-{bound}")
    n = a.numel()
    variance = bound**2 / 3  # of U(-b, b); Var of the sample variance is (mu4 - sigma^4) / n = 0.8 sigma^4 / n
    assert_within_standard_errors(float(a.detach().var()), variance, math.sqrt(0.8 / n) * variance,
                                  what="variance of lora_A's entries")
    expect(math.isclose(float(lora.scaling), 0.5), f"scaling should be alpha / r = 0.5, got {lora.scaling}")
    trainable = sorted(name for name, p in lora.named_parameters() if p.requires_grad)
    expect(trainable == ["lora_A", "lora_B"], f"only lora_A and lora_B should train, got {trainable}")
    x = torch.randn(5, 256)
    assert_close(lora(x).detach().numpy(), base(x).detach().numpy(), rtol=1e-6, atol=1e-6,
                 what="LoRALinear(x) at the start (B = 0)")


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 6), st.floats(0.5, 32), st.integers(0, 10**6))
@settings(max_examples=25)
def test_forward_is_base_plus_scaled_low_rank_update(impl, n_in, n_out, r, alpha, seed):
    """LoRALinear(x) = x W^T + b + (alpha / r) (x A^T) B^T for random shapes, ranks, alphas, A and B, with a
    leading batch of shape (2, 3), in float64 to 1e-10."""
    g = torch.Generator().manual_seed(seed)
    base = nn.Linear(n_in, n_out).double()
    lora = impl.LoRALinear(base, r=r, alpha=alpha)
    with torch.no_grad():
        lora.lora_A.copy_(torch.randn(r, n_in, generator=g, dtype=torch.float64))
        lora.lora_B.copy_(torch.randn(n_out, r, generator=g, dtype=torch.float64))
    x = torch.randn(2, 3, n_in, generator=g, dtype=torch.float64)
    want = x @ base.weight.T + base.bias + (alpha / r) * (x @ lora.lora_A.T) @ lora.lora_B.T
    assert_close(lora(x).detach().numpy(), want.detach().numpy(), **TOL, what="LoRALinear(x)")


def test_only_the_adapter_gets_gradients(impl):
    """After a backward pass the base weight and bias have no gradient (frozen) and lora_A, lora_B do."""
    base = nn.Linear(4, 3).double()
    lora = impl.LoRALinear(base, r=2, alpha=4)
    with torch.no_grad():
        lora.lora_B.fill_(0.5)
    lora(torch.randn(6, 4, dtype=torch.float64)).sum().backward()
    expect(base.weight.grad is None and base.bias.grad is None, "the base layer must be frozen (requires_grad "
           "False): it received a gradient")
    expect(lora.lora_A.grad is not None and lora.lora_B.grad is not None, "lora_A and lora_B should get gradients")


def test_layer_rejects_bad_arguments(impl):
    """A rank below 1, a non-positive alpha, a dropout outside [0, 1) or a base that is not nn.Linear raise
    ValueError."""
    base = nn.Linear(4, 3)
    assert_raises_value_error(impl.LoRALinear, base, 0, 1.0, why="the rank must be at least 1")
    assert_raises_value_error(impl.LoRALinear, base, 2, 0.0, why="alpha must be positive")
    assert_raises_value_error(impl.LoRALinear, base, 2, 1.0, 1.0, why="dropout must be below 1")
    assert_raises_value_error(impl.LoRALinear, nn.Conv1d(4, 3, 1), 2, 1.0, why="only nn.Linear is wrapped")


# ----------------------------------------------------------------------------- against peft


def test_same_outputs_as_peft_before_and_after_one_step(impl):
    """On the same base weights with the same A and B (A copied from yours, B random), your model and peft's
    give the same outputs to 1e-10 (float64), and still do after one Adam step on the same data: the same
    gradients reached the same parameters."""
    base = tiny()
    mine = learner_lora(impl, base, ["fc1", "fc2"], r=4, alpha=8)
    theirs = peft_lora(base, ["fc1", "fc2"], r=4, alpha=8)
    tie_adapters(mine, theirs, ["fc1", "fc2"], seed=1)
    g = torch.Generator().manual_seed(2)
    x, y = torch.randn(16, 6, generator=g, dtype=torch.float64), torch.randn(16, 3, generator=g, dtype=torch.float64)
    assert_close(mine(x).detach().numpy(), theirs(x).detach().numpy(), **TOL, what="outputs before the step")
    adam_step(mine, x, y)
    adam_step(theirs, x, y)
    assert_close(mine(x).detach().numpy(), theirs(x).detach().numpy(), **TOL, what="outputs after one Adam step")
    for name in ("fc1", "fc2"):
        p = theirs.base_model.model.get_submodule(name)
        assert_close(layer(mine, name).lora_B.detach().numpy(), p.lora_B["default"].weight.detach().numpy(), **TOL,
                     what=f"{name}.lora_B after the step")


def test_trainable_parameters_equal_peft(impl):
    """apply_lora freezes everything else: the trainable and total parameter counts equal peft's
    get_nb_trainable_parameters(), on the three-layer model and on a small GPT (q_proj and v_proj of every
    block: r (in + out) per wrapped layer)."""
    gpt = GPT(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16).double()
    for model, targets, r in ((tiny(), ["fc1", "fc2", "head"], 3), (gpt, ["q_proj", "v_proj"], 2)):
        mine = learner_lora(impl, model, targets, r=r, alpha=2 * r)
        trainable = sum(p.numel() for p in mine.parameters() if p.requires_grad)
        total = sum(p.numel() for p in mine.parameters())
        want = peft_lora(model, targets, r=r, alpha=2 * r).get_nb_trainable_parameters()
        expect((trainable, total) == tuple(want), f"targets {targets}, r={r}: (trainable, total) = "
               f"{(trainable, total)}, peft says {tuple(want)}")


def test_gpt_logits_equal_peft(impl):
    """apply_lora on q_proj and v_proj of a small GPT gives the same logits as peft on the same weights with
    the same adapters, to 1e-10 (float64)."""
    torch.manual_seed(3)
    gpt = GPT(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16).double()
    mine = learner_lora(impl, gpt, ["q_proj", "v_proj"], r=2, alpha=4)
    theirs = peft_lora(gpt, ["q_proj", "v_proj"], r=2, alpha=4)
    names = [f"blocks.{i}.attn.{p}" for i in range(2) for p in ("q_proj", "v_proj")]
    tie_adapters(mine, theirs, names, seed=4)
    idx = torch.randint(11, (3, 8), generator=torch.Generator().manual_seed(5))
    assert_close(mine(idx).detach().numpy(), theirs(idx).detach().numpy(), **TOL, what="GPT logits with LoRA")


def test_merge_equals_peft_merge_and_unmerge_restores(impl):
    """merge() folds the update into the weight: the outputs do not change (1e-10) and the weight equals
    peft's merge_and_unload() weight, W + (alpha / r) B A; unmerge() gives W back (1e-12); merging twice or
    unmerging an unmerged layer raise ValueError."""
    base = tiny()
    mine = learner_lora(impl, base, ["fc1"], r=3, alpha=6)
    theirs = peft_lora(base, ["fc1"], r=3, alpha=6)
    tie_adapters(mine, theirs, ["fc1"], seed=6)
    x = torch.randn(8, 6, generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    before = mine(x).detach().numpy()
    lora = layer(mine, "fc1")
    original = base.fc1.weight.detach().numpy().copy()
    assert_raises_value_error(lora.unmerge, why="the layer is not merged yet")
    lora.merge()
    assert_close(mine(x).detach().numpy(), before, **TOL, what="outputs after merge()")
    merged = theirs.merge_and_unload()
    assert_close(lora.base.weight.detach().numpy(), merged.fc1.weight.detach().numpy(), **TOL,
                 what="merged weight vs peft's merge_and_unload")
    assert_raises_value_error(lora.merge, why="the layer is already merged")
    lora.unmerge()
    assert_close(lora.base.weight.detach().numpy(), original, rtol=1e-12, atol=1e-14, what="weight after unmerge()")
    assert_close(mine(x).detach().numpy(), before, **TOL, what="outputs after unmerge()")


def test_dropout_acts_on_the_adapter_input_like_peft(impl):
    """With dropout 0.3 in training mode, dropout is applied once to x on the adapter path only (as peft
    does): from the same torch seed your outputs equal peft's, to 1e-10."""
    base = tiny()
    mine = learner_lora(impl, base, ["fc2"], r=4, alpha=4, dropout=0.3).train()
    theirs = peft_lora(base, ["fc2"], r=4, alpha=4, dropout=0.3).train()
    tie_adapters(mine, theirs, ["fc2"], seed=8)
    x = torch.randn(10, 6, generator=torch.Generator().manual_seed(9), dtype=torch.float64)
    torch.manual_seed(10)
    got = mine(x).detach().numpy()
    torch.manual_seed(10)
    want = theirs(x).detach().numpy()
    assert_close(got, want, **TOL, what="outputs in training mode with dropout 0.3")


def test_apply_lora_rejects_bad_targets(impl):
    """apply_lora raises ValueError when no module matches the targets, or when a target is not an
    nn.Linear (here the ReLU called act)."""
    with forbid_package(impl, "peft"):
        assert_raises_value_error(impl.apply_lora, tiny(), ["nope"], 2, 4.0, why="no module is called nope")
        assert_raises_value_error(impl.apply_lora, tiny(), ["act"], 2, 4.0, why="act is a ReLU, not nn.Linear")
