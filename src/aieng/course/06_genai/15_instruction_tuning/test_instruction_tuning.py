"""Checks for `instruction-tuning`: the template against its literal definition, the shift-and-mask encoding
and the padding against brute-force loops written here, the masked loss against
torch.nn.functional.cross_entropy(ignore_index=-100) (value and gradient, float64) and a per-token loop, one
fine-tuning step against the same step written with torch, and 30 steps on a tiny GPT pre-trained here on the
course's own lessons (the answer-token loss must fall).
"""

from __future__ import annotations

import copy
import math
import tomllib
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import aieng.course
from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)
READY_MADE = ("torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss", "torch.nn.CrossEntropyLoss",
              "torch.nn.NLLLoss")
ALPHABET = "abcdeQA: ?\n"
STOI = {c: i for i, c in enumerate(ALPHABET)}
BLOCK = 48  # context of the tiny GPT


def loss_of(impl, logits, labels):
    """impl.sft_loss with torch's ready-made losses switched off (its backward runs outside)."""
    with forbid(impl, *READY_MADE):
        return impl.sft_loss(logits, labels)


def brute_encode(prompt, response, block_size):
    """The rule, one position at a time."""
    s = [STOI[c] for c in prompt + response][: block_size + 1]
    inputs = s[:-1]
    labels = [s[t + 1] if t + 1 >= len(prompt) else -100 for t in range(len(inputs))]
    return inputs, labels


def random_problem(seed, b, t, v, keep=0.6):
    """float64 logits (b, t, v) and labels with about `keep` of the positions unmasked (at least one)."""
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, t, v, generator=g, dtype=torch.float64) * 3
    labels = torch.randint(v, (b, t), generator=g)
    labels[torch.rand(b, t, generator=g) > keep] = -100
    labels[0, 0] = int(torch.randint(v, (1,), generator=g))
    return logits, labels


# ----------------------------------------------------------------------------- template and encoding


@given(st.text(ALPHABET + " \t", min_size=1, max_size=20), st.text(ALPHABET + " \t", min_size=1, max_size=30))
@settings(max_examples=30)
def test_format_example_follows_the_template(impl, question, answer):
    """format_example(q, a) is ("Q: <q>\\nA: ", "<a>\\n") with every run of whitespace collapsed to one space
    and the ends stripped, so a newline only ever separates the question from the answer or ends it."""
    q, a = " ".join(question.split()), " ".join(answer.split())
    if not q or not a:
        assert_raises_value_error(impl.format_example, question, answer, why="a blank question or answer "
                                  "teaches nothing")
        return
    got = impl.format_example(question, answer)
    expect(tuple(got) == (f"Q: {q}\nA: ", f"{a}\n"), f"format_example({question!r}, {answer!r}) should be "
           f"{(f'Q: {q}' + chr(10) + 'A: ', a + chr(10))!r}, got {got!r}")


@given(st.text("abcde ?", min_size=1, max_size=15), st.text("abcde", min_size=1, max_size=25), st.integers(1, 40))
@settings(max_examples=40)
def test_encode_example_shifts_and_masks_the_prompt(impl, prompt, response, block_size):
    """input_ids = s[:-1], labels = s[1:] of the first block_size + 1 tokens of prompt + response, with -100
    wherever the target is still a prompt token (t < len(prompt) - 1); int64 tensors. A prompt longer than
    block_size leaves no answer token in the window: ValueError."""
    if len(prompt) > block_size:
        assert_raises_value_error(impl.encode_example, prompt, response, STOI, block_size,
                                  why="no answer token fits in the window")
        return
    inputs, labels = impl.encode_example(prompt, response, STOI, block_size)
    want_inputs, want_labels = brute_encode(prompt, response, block_size)
    for name, got, want in (("input_ids", inputs, want_inputs), ("labels", labels, want_labels)):
        expect(isinstance(got, torch.Tensor) and got.dtype == torch.int64, f"{name} should be an int64 tensor")
        expect(got.tolist() == want, f"encode_example({prompt!r}, {response!r}, block_size={block_size}): {name} "
               f"should be {want}, got {got.tolist()}")


def test_encode_example_rejects_bad_input(impl):
    """A character outside the vocabulary, an empty prompt or response, or block_size < 1 raise ValueError."""
    assert_raises_value_error(impl.encode_example, "Q: z", "a", STOI, 8, why="'z' is not in the vocabulary")
    assert_raises_value_error(impl.encode_example, "", "a", STOI, 8, why="the prompt is empty")
    assert_raises_value_error(impl.encode_example, "Q: a", "", STOI, 8, why="the response is empty")
    assert_raises_value_error(impl.encode_example, "Q", "a", STOI, 0, why="block_size must be >= 1")


@given(st.lists(st.integers(1, 9), min_size=1, max_size=5), st.integers(0, 10**6))
@settings(max_examples=25)
def test_collate_pads_on_the_right(impl, lengths, seed):
    """collate stacks examples into (B, T_max) tensors: inputs padded with pad_id, labels with -100, each
    example's tokens first, unchanged."""
    g = torch.Generator().manual_seed(seed)
    examples = []
    for n in lengths:
        y = torch.randint(10, (n,), generator=g)
        y[torch.rand(n, generator=g) < 0.4] = -100
        examples.append((torch.randint(10, (n,), generator=g), y))
    inputs, labels = impl.collate(examples, 11)
    width = max(lengths)
    want_x = [x.tolist() + [11] * (width - len(x)) for x, _ in examples]
    want_y = [y.tolist() + [-100] * (width - len(y)) for _, y in examples]
    expect(inputs.tolist() == want_x, f"padded inputs should be {want_x}, got {inputs.tolist()}")
    expect(labels.tolist() == want_y, f"padded labels should be {want_y}, got {labels.tolist()}")
    assert_raises_value_error(impl.collate, [], 11, why="there is nothing to collate")


# ----------------------------------------------------------------------------- the masked loss


@given(st.integers(1, 4), st.integers(1, 8), st.integers(2, 12), st.integers(0, 10**6))
@settings(max_examples=30)
def test_sft_loss_matches_torch_cross_entropy_with_ignore_index(impl, b, t, v, seed):
    """sft_loss(logits, labels) and its gradient equal torch's F.cross_entropy(..., ignore_index=-100) on
    random float64 problems, to 1e-12 (value) and 1e-10 (gradient) relative: the mean over unmasked tokens."""
    logits, labels = random_problem(seed, b, t, v)
    mine = logits.clone().requires_grad_(True)
    got = loss_of(impl, mine, labels)
    expect(isinstance(got, torch.Tensor) and got.ndim == 0, "sft_loss should return a 0-d tensor")
    got.backward()
    ref = logits.clone().requires_grad_(True)
    want = F.cross_entropy(ref.reshape(-1, v), labels.reshape(-1), ignore_index=-100)
    want.backward()
    assert_close(got.item(), want.item(), rtol=1e-12, atol=1e-14, what="sft_loss")
    expect(mine.grad is not None, "no gradient reached the logits: keep the computation in torch")
    assert_close(mine.grad.numpy(), ref.grad.numpy(), rtol=1e-10, atol=1e-13, what="d sft_loss / d logits")


def test_sft_loss_matches_a_per_token_loop(impl):
    """sft_loss equals the definition computed token by token with math.log and math.exp: the mean of
    -log softmax(logits[b, t])[y] over the positions whose label is not -100."""
    logits, labels = random_problem(7, 3, 6, 5, keep=0.5)
    terms = []
    for bi in range(3):
        for ti in range(6):
            y = int(labels[bi, ti])
            if y == -100:
                continue
            row = logits[bi, ti].tolist()
            top = max(row)
            terms.append(-(row[y] - top - math.log(sum(math.exp(z - top) for z in row))))
    assert_close(loss_of(impl, logits, labels).item(), sum(terms) / len(terms), rtol=1e-12, what="sft_loss")


def test_masked_positions_change_nothing(impl):
    """Changing the logits of positions labelled -100 (the prompt and the padding) by a lot leaves the loss
    unchanged to 1e-12 and their gradient exactly zero: the prompt does not contribute."""
    logits, labels = random_problem(11, 2, 9, 6, keep=0.5)
    masked = (labels == -100).unsqueeze(-1)
    noisy = torch.where(masked, logits + 40 * torch.randn(logits.shape, dtype=torch.float64,
                                                           generator=torch.Generator().manual_seed(3)), logits)
    noisy.requires_grad_(True)
    base = loss_of(impl, logits, labels).item()
    changed = loss_of(impl, noisy, labels)
    assert_close(changed.item(), base, rtol=1e-12, what="sft_loss after changing masked logits")
    changed.backward()
    expect(noisy.grad is not None, "no gradient reached the logits: keep the computation in torch")
    leak = noisy.grad[masked.expand_as(noisy)].abs().max().item()
    expect(leak == 0.0, f"masked positions should get a zero gradient, the largest is {leak:.3g}")


def test_sft_loss_rejects_bad_input(impl):
    """Every label masked (nothing to learn), a labels shape that is not (B, T), or a label outside
    [0, V) other than -100 raise ValueError."""
    logits = torch.zeros(2, 3, 4)
    assert_raises_value_error(impl.sft_loss, logits, torch.full((2, 3), -100), why="no label is left to learn")
    assert_raises_value_error(impl.sft_loss, logits, torch.zeros(2, 4, dtype=torch.long), why="shapes differ")
    assert_raises_value_error(impl.sft_loss, logits, torch.full((2, 3), 4), why="label 4 is not a token of V = 4")


# ----------------------------------------------------------------------------- fine-tuning a pre-trained GPT


@pytest.fixture(scope="module")
def course():
    """A character vocabulary, a tiny GPT pre-trained here for 80 steps on the stage-06 lessons, and SFT
    data built from the glossary ("What is <term>?" -> definition), tokenized by the rule written here."""
    root = Path(aieng.course.__file__).parent
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "06_genai").glob("*/lesson.md")))
    terms = tomllib.loads((root / "glossary.toml").read_text(encoding="utf-8"))["term"]
    pairs = [(f"Q: What is {' '.join(t['term'].split())}?\nA: ", " ".join(t["definition"].split()) + "\n")
             for t in terms]
    pairs = [(p, r) for p, r in pairs if len(p) <= 32]  # short prompts: most of the window is answer
    chars = sorted(set(text + "".join(p + r for p, r in pairs)))
    stoi = {c: i for i, c in enumerate(chars)}
    pad = len(chars)
    torch.manual_seed(0)
    model = GPT(vocab_size=pad + 1, block_size=BLOCK, n_layer=2, n_head=2, n_embd=32)
    ids = torch.tensor([stoi[c] for c in text])
    g = torch.Generator().manual_seed(0)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    for _ in range(80):  # next-token pre-training on random windows
        starts = torch.randint(len(ids) - BLOCK - 1, (16,), generator=g)
        window = ids[starts[:, None] + torch.arange(BLOCK + 1)]
        loss = F.cross_entropy(model(window[:, :-1]).reshape(-1, pad + 1), window[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    batches = []
    for i in range(0, 96, 16):  # 6 batches of 16 pairs, encoded and padded by the rule
        rows = []
        for prompt, response in pairs[i: i + 16]:
            s = [stoi[c] for c in prompt + response][: BLOCK + 1]
            y = [s[t + 1] if t + 1 >= len(prompt) else -100 for t in range(len(s) - 1)]
            rows.append((s[:-1] + [pad] * (BLOCK - len(s) + 1), y + [-100] * (BLOCK - len(s) + 1)))
        batches.append((torch.tensor([r[0] for r in rows]), torch.tensor([r[1] for r in rows])))
    return {"model": model.eval(), "batches": batches, "pad": pad}


def answer_loss(model, batches):
    """Mean cross-entropy per answer token (torch's, ignore_index=-100), token-weighted over the batches."""
    with torch.no_grad():
        total = sum(F.cross_entropy(model(x).flatten(0, 1), y.flatten(), ignore_index=-100, reduction="sum")
                    for x, y in batches)
    return float(total) / sum(int((y != -100).sum()) for _, y in batches)


def test_sft_step_equals_one_step_written_with_torch(impl, course):
    """sft_step(model, optimizer, input_ids, labels) does one AdamW step on the masked loss and returns that
    loss: in float64, the returned loss and every parameter afterwards equal a step written here with
    F.cross_entropy(ignore_index=-100), to 1e-10 relative."""
    mine = copy.deepcopy(course["model"]).double()
    theirs = copy.deepcopy(course["model"]).double()
    x, y = course["batches"][0]
    got = impl.sft_step(mine, torch.optim.AdamW(mine.parameters(), lr=1e-3), x, y)
    opt = torch.optim.AdamW(theirs.parameters(), lr=1e-3)
    theirs.train()
    want = F.cross_entropy(theirs(x).flatten(0, 1), y.flatten(), ignore_index=-100)
    opt.zero_grad()
    want.backward()
    opt.step()
    expect(isinstance(got, float), f"sft_step should return the loss as a Python float, got {type(got).__name__}")
    assert_close(got, want.item(), rtol=1e-10, what="the loss sft_step returned")
    for (name, p), q in zip(mine.named_parameters(), theirs.parameters(), strict=True):
        assert_close(p.detach().numpy(), q.detach().numpy(), rtol=1e-10, atol=1e-12, what=f"{name} after the step")


def test_fine_tuning_lowers_the_answer_loss(impl, course):
    """30 sft_step calls (AdamW, lr 3e-3) on glossary pairs bring the pre-trained GPT's loss on their answer
    tokens down by at least 0.2 nats: the reference goes from about 3.26 to about 2.89 (the check above pins
    each step to torch's, so any correct solution follows the same path up to round-off)."""
    model = copy.deepcopy(course["model"])
    batches = course["batches"]
    before = answer_loss(model, batches)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    for step in range(30):
        impl.sft_step(model, opt, *batches[step % len(batches)])
    after = answer_loss(model, batches)
    expect(after <= before - 0.2, f"the answer-token loss went from {before:.3f} to {after:.3f} nats; it should "
           "fall by at least 0.2 in 30 steps")
