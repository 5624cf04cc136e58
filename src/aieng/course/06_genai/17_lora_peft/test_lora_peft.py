"""Checks for `lora-peft`, on a tiny randomly initialised BertModel (2 layers, width 32) so that they run in
seconds; benchmarks/genai_lora.py runs the same code on the real all-MiniLM-L6-v2.

- lora_config: the fields of peft's LoraConfig, and the trainable count peft gives it on BERT against the
  closed form layers x targets x r (d + d);
- count_trainable: against peft's get_nb_trainable_parameters() (switched off while yours runs) and a
  count written here (tied weights once);
- mean_pool: against sentence-transformers' mean-pooling formula sum(h m) / max(sum m, 1e-9), float64;
- SentenceClassifier and train_step: logits and one AdamW step against the same computation written here
  with torch (float64, 1e-10); frozen weights must not move.
"""

from __future__ import annotations

import copy
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from peft import LoraConfig, PeftModel, get_peft_model
from torch import nn
from transformers import BertConfig, BertModel

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid_method
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)
TOL = {"rtol": 1e-10, "atol": 1e-12}
WIDTH, LAYERS = 32, 2


def bert(seed: int = 0) -> BertModel:
    """A tiny BERT without dropout (so that training steps are deterministic)."""
    torch.manual_seed(seed)
    config = BertConfig(hidden_size=WIDTH, num_hidden_layers=LAYERS, num_attention_heads=2, intermediate_size=64,
                        vocab_size=100, max_position_embeddings=32, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0)
    return BertModel(config).eval()


def batch(seed: int, b: int = 4, t: int = 10):
    """Token ids (b, t), an attention mask with each row's padding at the end, and labels in 0..2."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, 100, (b, t), generator=g)
    lengths = torch.randint(2, t + 1, (b,), generator=g)
    mask = (torch.arange(t)[None, :] < lengths[:, None]).long()
    return ids * mask, mask, torch.randint(3, (b,), generator=g)


def st_mean_pool(hidden, mask):
    """sentence-transformers' Pooling(pooling_mode="mean"): masked sum over tokens / clamp(count, 1e-9)."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def parts(model):
    expect(hasattr(model, "encoder") and isinstance(getattr(model, "head", None), nn.Linear),
           "SentenceClassifier should keep the encoder as .encoder and the nn.Linear head as .head")
    return model.encoder, model.head


# ----------------------------------------------------------------------------- config and counting


def test_lora_config_has_the_requested_fields(impl):
    """lora_config(r, alpha, dropout, target_modules) is a peft LoraConfig with r, lora_alpha, lora_dropout
    and target_modules as given and bias "none"; the defaults are r=8, alpha=16, dropout 0, query/key/value."""
    config = impl.lora_config(r=4, alpha=8, dropout=0.1, target_modules=("query", "value"))
    expect(isinstance(config, LoraConfig), f"lora_config should return a peft LoraConfig, got {type(config).__name__}")
    got = (config.r, config.lora_alpha, config.lora_dropout, set(config.target_modules), config.bias)
    expect(got == (4, 8, 0.1, {"query", "value"}, "none"), f"(r, lora_alpha, lora_dropout, target_modules, bias) "
           f"should be (4, 8, 0.1, {{'query', 'value'}}, 'none'), got {got}")
    default = impl.lora_config()
    got = (default.r, default.lora_alpha, default.lora_dropout, set(default.target_modules))
    expect(got == (8, 16, 0.0, {"query", "key", "value"}), f"the defaults should be r=8, alpha=16, dropout 0 on "
           f"query, key and value, got {got}")


def test_lora_config_trains_the_closed_form_count(impl):
    """Applied to BERT with peft, your config trains layers x targets x r x (d + d) numbers: each targeted
    d x d projection gets A (r x d) and B (d x r). Here 2 x 3 x 4 x 64 = 1,536."""
    model = get_peft_model(bert(), impl.lora_config(r=4, alpha=8))
    trainable, _ = model.get_nb_trainable_parameters()
    expect(trainable == LAYERS * 3 * 4 * 2 * WIDTH, f"peft trains {trainable} parameters with your config, "
           f"expected {LAYERS * 3 * 4 * 2 * WIDTH}")


def test_lora_config_rejects_bad_arguments(impl):
    """A rank below 1, a non-positive alpha, a dropout outside [0, 1) or no target raise ValueError."""
    assert_raises_value_error(impl.lora_config, r=0, why="the rank must be at least 1")
    assert_raises_value_error(impl.lora_config, alpha=0, why="alpha must be positive")
    assert_raises_value_error(impl.lora_config, dropout=1.0, why="dropout must be below 1")
    assert_raises_value_error(impl.lora_config, target_modules=(), why="LoRA needs at least one target")


def test_count_trainable_matches_peft_and_a_count(impl):
    """count_trainable(model) = (trainable, total) equals peft's get_nb_trainable_parameters() on a
    peft-wrapped BERT (that method is switched off while yours runs), a count written here on a BERT with
    frozen embeddings, and counts a GPT's tied embedding/head matrix once."""
    wrapped = get_peft_model(bert(), LoraConfig(r=2, lora_alpha=4, target_modules=["query", "value"]))
    want = tuple(wrapped.get_nb_trainable_parameters())
    with forbid_method(PeftModel, "get_nb_trainable_parameters", whose="peft models"), \
            forbid_method(PeftModel, "print_trainable_parameters", whose="peft models"):
        got = impl.count_trainable(wrapped)
    expect(tuple(got) == want, f"count_trainable on the LoRA-wrapped BERT gave {tuple(got)}, peft says {want}")
    plain = bert()
    plain.embeddings.requires_grad_(False)
    params = list(plain.parameters())
    want = (sum(p.numel() for p in params if p.requires_grad), sum(p.numel() for p in params))
    got = impl.count_trainable(plain)
    expect(tuple(got) == want, f"count_trainable on a BERT with frozen embeddings gave {tuple(got)}, expected {want}")
    gpt = GPT(vocab_size=50, block_size=8, n_layer=1, n_head=2, n_embd=16)
    total = 50 * 16 + 8 * 16 + (12 * 16 * 16 + 13 * 16) + 2 * 16  # the tied head adds nothing
    got = impl.count_trainable(gpt)
    expect(tuple(got) == (total, total), f"a GPT whose head shares the embedding matrix has {total} parameters; "
           f"count_trainable gave {tuple(got)} (count a shared tensor once: model.parameters() does)")


# ----------------------------------------------------------------------------- pooling and the classifier


@given(st.integers(1, 4), st.integers(1, 7), st.integers(1, 6), st.integers(0, 10**6))
@settings(max_examples=30)
def test_mean_pool_matches_sentence_transformers(impl, b, t, d, seed):
    """mean_pool(hidden, mask) = sum_t m_t h_t / max(sum_t m_t, 1e-9), sentence-transformers' mean pooling,
    on random float64 inputs to 1e-12; a row with no real token (all-zero mask) gives zeros."""
    g = torch.Generator().manual_seed(seed)
    hidden = torch.randn(b, t, d, generator=g, dtype=torch.float64)
    mask = (torch.rand(b, t, generator=g) < 0.6).long()
    mask[0] = 0  # one sentence with no real token
    got = impl.mean_pool(hidden, mask)
    assert_close(got.numpy(), st_mean_pool(hidden, mask).numpy(), rtol=1e-12, atol=1e-14, what="mean_pool")
    assert_raises_value_error(impl.mean_pool, hidden, mask[:, :-1] if t > 1 else mask[:, :0],
                              why="the mask must have shape (B, T)")


def test_classifier_is_encoder_mean_pool_head(impl):
    """SentenceClassifier(encoder, 3)(ids, mask) = head(mean_pool(encoder(ids, mask).last_hidden_state)),
    with head an nn.Linear(d, 3), checked against that computation written here (float64, 1e-10)."""
    model = impl.SentenceClassifier(bert(), 3).double()
    encoder, head = parts(model)
    expect((head.in_features, head.out_features) == (WIDTH, 3), f"head should be nn.Linear({WIDTH}, 3), got "
           f"nn.Linear({head.in_features}, {head.out_features})")
    ids, mask, _ = batch(1)
    with torch.no_grad():
        want = head(st_mean_pool(encoder(input_ids=ids, attention_mask=mask).last_hidden_state, mask))
        got = model(ids, mask)
    assert_close(got.numpy(), want.numpy(), **TOL, what="classifier logits")


def test_lora_classifier_trains_adapters_and_head_only(impl):
    """With lora=LoraConfig(r=4, ...) the encoder is wrapped by peft (a PeftModel) and only the adapters and
    the head train: 2 x 3 x 4 x 64 + (32 x 3 + 3) = 1,635 of the model's parameters."""
    model = impl.SentenceClassifier(bert(), 3, lora=LoraConfig(r=4, lora_alpha=8,
                                                               target_modules=["query", "key", "value"]))
    encoder, _ = parts(model)
    expect(isinstance(encoder, PeftModel), f"with a LoRA config, .encoder should be get_peft_model(encoder, "
           f"config), a PeftModel; got {type(encoder).__name__}")
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    want = LAYERS * 3 * 4 * 2 * WIDTH + WIDTH * 3 + 3
    expect(trainable == want, f"{trainable} trainable parameters, expected {want} (adapters + head)")
    assert_raises_value_error(impl.SentenceClassifier, bert(), 1, why="a classifier needs at least two classes")


def test_train_step_equals_one_step_written_with_torch(impl):
    """train_step(model, optimizer, ids, mask, labels) does one step on the mean cross-entropy and returns
    that loss: on a LoRA classifier in float64, the loss and every parameter after an AdamW step equal a step
    written here to 1e-10, and the frozen BERT weights do not move at all."""
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["query", "key", "value"])
    model = impl.SentenceClassifier(bert(), 3, lora=config).double()
    with torch.no_grad():  # make the adapters non-zero, so the step changes A as well as B
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.copy_(0.1 * torch.randn(p.shape, generator=torch.Generator().manual_seed(len(name)),
                                          dtype=p.dtype))
    theirs = copy.deepcopy(model)
    ids, mask, labels = batch(2)
    got = impl.train_step(model, torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2),
                          ids, mask, labels)
    encoder, head = parts(theirs)
    opt = torch.optim.AdamW([p for p in theirs.parameters() if p.requires_grad], lr=1e-2)
    theirs.train()
    logits = head(st_mean_pool(encoder(input_ids=ids, attention_mask=mask).last_hidden_state, mask))
    want = F.cross_entropy(logits, labels)
    opt.zero_grad()
    want.backward()
    opt.step()
    expect(isinstance(got, float), f"train_step should return the loss as a Python float, got {type(got).__name__}")
    assert_close(got, want.item(), **TOL, what="the loss train_step returned")
    start = bert().double().state_dict()  # the same seed: the BERT weights before any step
    frozen = 0
    for (name, p), q in zip(model.named_parameters(), theirs.parameters(), strict=True):
        assert_close(p.detach().numpy(), q.detach().numpy(), **TOL, what=f"{name} after the step")
        key = name.removeprefix("encoder.base_model.model.").replace(".base_layer", "")
        if not p.requires_grad and key in start:
            frozen += 1
            expect(torch.equal(p.detach(), start[key]), f"the frozen weight {name} changed")
    expect(frozen > 0, "no frozen BERT weight found: wrap the encoder with get_peft_model(encoder, lora)")
