"""Checks for `dpo`: sequence log-probabilities, the DPO loss, one DPO step, and the effect of training.

Oracles: a stub bigram "model" whose log-probabilities the test computes by hand, and the chain rule on a GPT
(one forward pass per prefix) for sequence_logprobs; the closed form -log sigma(beta * margin) with its limits
(equal log-ratios -> log 2, beta -> 0 -> log 2, beta -> inf -> 0 or beta |margin|) and torch.autograd for the
loss; a plain loop for the win rate; and a real DPO run on a tiny GPT judged by the rule that generated the
preferences.

The preference task (generated, so a tiny model learns it in seconds): sequences are 4 random prompt letters,
'>', 3 random answer letters, and a final mark. The SFT model was trained on answers ending in '.' a quarter
of the time and in '!' otherwise. The preference pairs share prompt and letters; the chosen answer ends with
'.', the rejected one with '!'. The rule that judges a sampled answer: does it end with '.'?
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.torch_oracle import assert_grads_match, value_and_grads
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)

LETTERS, SEP, DOT, BANG = 6, 6, 7, 8  # tokens 0..5 are letters a..f; then '>', '.', '!'
VOCAB, PROMPT, ANSWER = 9, 4, 3
LENGTH = PROMPT + 1 + ANSWER + 1  # 9 tokens; the response is positions 5..8


class Adam:
    """The textbook Adam update, written here so the test does not pay torch.optim's first-step import."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params = [p for p in params if p.requires_grad]
        self.lr, self.betas, self.eps, self.t = lr, betas, eps, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        b1, b2 = self.betas
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            if p.grad is not None:
                m.mul_(b1).add_(p.grad, alpha=1 - b1)
                v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                p.sub_(self.lr * (m / (1 - b1**self.t)) / ((v / (1 - b2**self.t)).sqrt() + self.eps))


# ----------------------------------------------------------------------------- sequence log-probabilities


class Bigram(torch.nn.Module):
    """A stub language model: the logits at position t are row idx[t] of a fixed table (a bigram model)."""

    def __init__(self, table: np.ndarray) -> None:
        super().__init__()
        self.table = torch.nn.Parameter(torch.tensor(table))

    def forward(self, idx):
        return self.table[idx]


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=25)
def test_sequence_logprobs_sum_the_response_tokens_of_a_known_model(impl, seed):
    """With a bigram stub whose log p(next | current) the test knows, sequence_logprobs(model, idx, mask) is
    sum over t with mask[t] of log p(idx[t] | idx[t-1]): prompt and padding positions (mask False) add nothing.
    float64 to 1e-12."""
    rng = np.random.default_rng(seed)
    vocab, b, t = int(rng.integers(2, 8)), int(rng.integers(1, 5)), int(rng.integers(2, 9))
    table = rng.normal(size=(vocab, vocab)) * 2
    idx = rng.integers(vocab, size=(b, t))
    mask = np.zeros((b, t), dtype=bool)
    for row in range(b):  # a prompt of >= 1 token, a response, then padding
        start = int(rng.integers(1, t))
        stop = int(rng.integers(start, t + 1))
        mask[row, start:stop] = True
    logp = table - np.logaddexp.reduce(table, axis=1, keepdims=True)
    want = [sum(logp[idx[r, k - 1], idx[r, k]] for k in range(1, t) if mask[r, k]) for r in range(b)]
    got = impl.sequence_logprobs(Bigram(table), torch.tensor(idx), torch.tensor(mask))
    expect(isinstance(got, torch.Tensor) and tuple(got.shape) == (b,),
           f"sequence_logprobs should return a tensor of shape (B,) = ({b},), got {getattr(got, 'shape', got)}")
    assert_close(got.detach().numpy(), np.array(want), rtol=1e-12, atol=1e-12, what="log pi(y | x) per sequence")


def test_sequence_logprobs_follow_the_chain_rule_on_a_gpt(impl):
    """On a GPT (float64), the result equals the chain rule computed one prefix at a time: for each response
    position t, log_softmax(model(idx[:, :t])[:, -1])[idx[:, t]], summed (1e-10). The logits at position t - 1
    predict token t: off-by-one shifts fail here."""
    torch.manual_seed(0)
    model = GPT(vocab_size=VOCAB, block_size=LENGTH, n_layer=1, n_head=2, n_embd=16).double().eval()
    idx = torch.randint(VOCAB, (3, LENGTH), generator=torch.Generator().manual_seed(1))
    mask = torch.zeros(3, LENGTH, dtype=torch.bool)
    mask[0, 5:] = True
    mask[1, 2:6] = True
    mask[2, 1:] = True
    want = torch.zeros(3, dtype=torch.float64)
    with torch.no_grad():
        for t in range(1, LENGTH):
            logp = torch.log_softmax(model(idx[:, :t])[:, -1], dim=-1).gather(1, idx[:, t:t + 1])[:, 0]
            want += torch.where(mask[:, t], logp, torch.zeros_like(logp))
        got = impl.sequence_logprobs(model, idx, mask)
    assert_close(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-10, what="sequence log-probabilities")


def test_sequence_logprobs_are_differentiable(impl):
    """The result carries gradients back to the model's parameters (DPO trains through it)."""
    model = Bigram(np.random.default_rng(0).normal(size=(4, 4)))
    idx = torch.tensor([[0, 1, 2, 3]])
    mask = torch.tensor([[False, False, True, True]])
    impl.sequence_logprobs(model, idx, mask).sum().backward()
    expect(model.table.grad is not None and bool(model.table.grad.abs().sum() > 0),
           "no gradient reached the model: do not detach or use torch.no_grad inside sequence_logprobs")


def test_sequence_logprobs_reject_bad_masks(impl):
    """ValueError when the mask marks position 0 (nothing predicts the first token), when its shape differs from
    idx, or when it is not a bool tensor."""
    model = Bigram(np.zeros((4, 4)))
    idx = torch.tensor([[0, 1, 2, 3]])
    assert_raises_value_error(impl.sequence_logprobs, model, idx, torch.tensor([[True, True, False, False]]),
                              why="token 0 has no prediction")
    assert_raises_value_error(impl.sequence_logprobs, model, idx, torch.ones(1, 3, dtype=torch.bool),
                              why="the mask must have idx's shape")
    assert_raises_value_error(impl.sequence_logprobs, model, idx, torch.tensor([[0, 1, 1, 1]]),
                              why="the mask must be a bool tensor")


# ----------------------------------------------------------------------------- the DPO loss


def dpo_args(pc, pr, rc, rr):
    return [torch.tensor(np.array([v]) if np.ndim(v) == 0 else np.array(v), dtype=torch.float64)
            for v in (pc, pr, rc, rr)]


def test_dpo_loss_hand_computed_cases(impl):
    """Closed forms: equal log-ratios give log 2 for every beta; log-probs (-1, -3) for the policy and (-2, -2)
    for the reference give margin 2, so beta = 0.5 gives log(1 + e^-1) = 0.31326...; float64 to 1e-12."""
    for beta in (0.01, 0.1, 1.0, 7.0):
        got = impl.dpo_loss(*dpo_args([-3.0, -1.0], [-5.0, -2.0], [-4.0, -1.5], [-6.0, -2.5]), beta=beta)
        assert_close(got.item(), math.log(2), rtol=1e-12, what=f"loss with equal log-ratios, beta = {beta}")
    got = impl.dpo_loss(*dpo_args(-1.0, -3.0, -2.0, -2.0), beta=0.5)
    assert_close(got.item(), math.log1p(math.exp(-1.0)), rtol=1e-12, what="loss with margin 2 and beta 0.5")


def test_dpo_loss_limits_in_beta(impl):
    """beta -> 0: the loss tends to log 2 whatever the margin (beta = 1e-9, margin 3: log 2 - 1.5e-9). beta -> inf
    (1e4): margin +0.5 costs e^-5000 = 0, margin -0.5 costs beta * 0.5 = 5000 exactly, with no overflow."""
    small = impl.dpo_loss(*dpo_args(0.0, -3.0, 0.0, 0.0), beta=1e-9).item()
    assert_close(small, math.log(2) - 1.5e-9, rtol=1e-12, what="loss for beta = 1e-9")
    right = impl.dpo_loss(*dpo_args(0.5, 0.0, 0.0, 0.0), beta=1e4).item()
    wrong = impl.dpo_loss(*dpo_args(-0.5, 0.0, 0.0, 0.0), beta=1e4).item()
    assert_close(right, 0.0, atol=1e-12, what="loss for beta = 1e4, margin +0.5")
    assert_close(wrong, 5000.0, rtol=1e-12, what="loss for beta = 1e4, margin -0.5")


LOGPS = st.floats(-50, 0, allow_nan=False, allow_subnormal=False)


def four_logps(dtype):
    return st.integers(1, 12).flatmap(lambda n: st.tuples(*[
        hnp.arrays(dtype, n, elements=LOGPS.map(lambda v: float(dtype(v)))) for _ in range(4)]))


@given(four_logps(np.float64), st.floats(0.01, 5.0))
def test_dpo_loss_matches_the_closed_form(impl, logps, beta):
    """dpo_loss = mean log(1 + exp(-beta [(pi_w - ref_w) - (pi_l - ref_l)])) (numpy.logaddexp), float64 to 1e-12."""
    pc, pr, rc, rr = logps
    want = np.mean(np.logaddexp(0.0, -beta * ((pc - rc) - (pr - rr))))
    got = impl.dpo_loss(*(torch.tensor(a) for a in logps), beta=beta)
    expect(isinstance(got, torch.Tensor) and got.ndim == 0, "dpo_loss should return a scalar tensor (the mean)")
    assert_close(got.item(), want, rtol=1e-12, atol=1e-14, what=f"DPO loss (beta = {beta})")


@given(four_logps(np.float64) | four_logps(np.float32), st.sampled_from([0.1, 0.5, 2.0]))
@settings(max_examples=20)
def test_dpo_loss_gradient_matches_autograd(impl, logps, beta):
    """The gradients of your loss with respect to all four inputs equal torch.autograd's on the closed form
    -F.logsigmoid(beta * margin).mean(): float64 to 1e-10, float32 to 1e-5 relative."""
    def closed_form(pc, pr, rc, rr):
        return -F.logsigmoid(beta * ((pc - rc) - (pr - rr))).mean()

    _, want = value_and_grads(closed_form, *logps)
    inputs = [torch.tensor(a, requires_grad=True) for a in logps]
    got = torch.autograd.grad(impl.dpo_loss(*inputs, beta=beta), inputs, allow_unused=True)
    got = [np.zeros_like(a) if g is None else g.numpy() for a, g in zip(logps, got, strict=True)]
    assert_grads_match(got, want, ["dL/dpi_w", "dL/dpi_l", "dL/dref_w", "dL/dref_l"], dtype=logps[0].dtype)


@given(hnp.arrays(np.float64, 5, elements=LOGPS), hnp.arrays(np.float64, 5, elements=LOGPS), st.floats(0.01, 5.0))
def test_implicit_reward_is_beta_times_the_log_ratio(impl, policy, ref, beta):
    """implicit_reward(policy_logps, ref_logps, beta) = beta (policy_logps - ref_logps), elementwise (1e-12)."""
    got = impl.implicit_reward(torch.tensor(policy), torch.tensor(ref), beta=beta)
    assert_close(got.numpy(), beta * (policy - ref), rtol=1e-12, atol=1e-13, what="implicit reward")


def test_dpo_loss_rejects_bad_input(impl):
    """ValueError for beta <= 0, tensors of different shapes, and an empty batch."""
    args = dpo_args([-1.0], [-2.0], [-1.0], [-2.0])
    assert_raises_value_error(impl.dpo_loss, *args, beta=0.0, why="beta must be positive")
    assert_raises_value_error(impl.dpo_loss, *args, beta=-1.0, why="beta must be positive")
    assert_raises_value_error(impl.dpo_loss, args[0], args[1], args[2], torch.zeros(2, dtype=torch.float64),
                              beta=0.1, why="the four tensors need one shape")
    empty = [torch.zeros(0, dtype=torch.float64)] * 4
    assert_raises_value_error(impl.dpo_loss, *empty, beta=0.1, why="there are no pairs")


@given(hnp.arrays(np.int64, st.integers(1, 30), elements=st.integers(0, 2)), st.integers(0, 2**32 - 1))
def test_win_rate_counts_ties_as_half(impl, policy, seed):
    """win_rate(policy_scores, reference_scores) = (wins + ties / 2) / n, against a plain loop (1e-12)."""
    reference = np.random.default_rng(seed).integers(0, 3, size=policy.size)
    wins = sum(1.0 if p > r else 0.5 if p == r else 0.0 for p, r in zip(policy, reference, strict=True))
    assert_close(impl.win_rate(policy, reference), wins / policy.size, rtol=1e-12, what="win rate")
    assert_raises_value_error(impl.win_rate, np.array([]), np.array([]), why="no comparisons")
    assert_raises_value_error(impl.win_rate, np.ones(3), np.ones(2), why="lengths differ")


# ----------------------------------------------------------------------------- DPO on a tiny GPT


def task(n: int, generator: torch.Generator, p_dot: float) -> torch.Tensor:
    """n sequences 'pppp>aaa' + mark: the mark is '.' with probability p_dot, else '!'."""
    seqs = torch.randint(LETTERS, (n, LENGTH), generator=generator)
    seqs[:, PROMPT] = SEP
    dot = torch.rand(n, generator=generator) < p_dot
    seqs[:, -1] = torch.where(dot, torch.tensor(DOT), torch.tensor(BANG))
    return seqs


def response_mask(n: int) -> torch.Tensor:
    mask = torch.zeros(n, LENGTH, dtype=torch.bool)
    mask[:, PROMPT + 1:] = True
    return mask


def pairs(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Chosen ends with '.', rejected is the same sequence ending with '!'."""
    chosen = task(n, generator, 1.0)
    rejected = chosen.clone()
    rejected[:, -1] = BANG
    return chosen, rejected


@pytest.fixture(scope="module")
def sft_model():
    """The SFT model: a 1-layer GPT trained for 60 steps on the task's answers (prompt tokens masked), so that
    about a quarter of its sampled answers end with '.'."""
    torch.manual_seed(0)
    model = GPT(vocab_size=VOCAB, block_size=LENGTH, n_layer=1, n_head=2, n_embd=16)
    optimizer = Adam(model.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(0)
    for _ in range(60):
        seqs = task(64, generator, 0.25)
        targets = seqs[:, 1:].clone()
        targets[:, :PROMPT] = -100  # the prompt is given, not learned
        loss = F.cross_entropy(model(seqs[:, :-1]).reshape(-1, VOCAB), targets.reshape(-1), ignore_index=-100)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def dot_rate(model, n=400, seed=1) -> torch.Tensor:
    """1.0 where the model's sampled answer (temperature 1, seeded) to a fresh prompt ends with '.', else 0.0."""
    prompts = task(n, torch.Generator().manual_seed(seed), 0.0)[:, :PROMPT + 1]
    out = model.generate(prompts, ANSWER + 1, temperature=1.0, generator=torch.Generator().manual_seed(seed + 7))
    return (out[:, -1] == DOT).double()


def test_first_dpo_step_has_loss_log_2(impl, sft_model):
    """At the first step the policy IS the reference: every log-ratio is 0, so the loss is log 2 (to 1e-6) and
    the reported margin is 0 and accuracy 0 (no pair is ranked strictly right yet)."""
    policy, reference = copy.deepcopy(sft_model), copy.deepcopy(sft_model)
    chosen, rejected = pairs(32, torch.Generator().manual_seed(3))
    stats = impl.dpo_step(policy, reference, Adam(policy.parameters(), lr=1e-3), chosen, rejected,
                          response_mask(32), response_mask(32), beta=0.1)
    expect(isinstance(stats, dict) and {"loss", "margin", "accuracy"} <= set(stats),
           f"dpo_step should return a dict with keys loss, margin, accuracy; got {stats!r}")
    assert_close(stats["loss"], math.log(2), rtol=1e-6, what="loss at the first step")
    assert_close(stats["margin"], 0.0, atol=1e-6, what="mean reward margin at the first step")
    assert_close(stats["accuracy"], 0.0, atol=0, what="accuracy at the first step")


def test_dpo_step_trains_the_policy_and_leaves_the_reference_alone(impl, sft_model):
    """Three steps change the policy's weights; the reference's weights are unchanged and it never receives a
    gradient (compute its log-probs under torch.no_grad: it is a fixed anchor, even when its parameters have
    requires_grad=True, as here)."""
    policy, reference = copy.deepcopy(sft_model), copy.deepcopy(sft_model)
    before = [p.detach().clone() for p in reference.parameters()]
    optimizer = Adam(policy.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(4)
    for _ in range(3):
        chosen, rejected = pairs(16, generator)
        impl.dpo_step(policy, reference, optimizer, chosen, rejected, response_mask(16), response_mask(16), beta=0.1)
    expect(all(p.grad is None for p in reference.parameters()), "the reference received gradients")
    expect(all(torch.equal(p, q) for p, q in zip(reference.parameters(), before, strict=True)),
           "the reference's weights changed")
    expect(any(not torch.equal(p, q) for p, q in zip(policy.parameters(), before, strict=True)),
           "the policy's weights did not change: call optimizer.zero_grad(), loss.backward(), optimizer.step()")


def test_dpo_raises_the_margin_and_wins_against_the_sft_model(impl, sft_model):
    """30 DPO steps (beta 0.1, Adam lr 3e-3, 32 pairs per step) from the SFT model:
    - the mean implicit reward margin on 500 held-out pairs rises from 0 to above 0.2 (reference: ~0.5), and
      at least 95% of those pairs get a positive margin;
    - on 400 fresh prompts, the policy's sampled answer ends with '.' (the rule) more often than the SFT
      model's by at least 0.3 (reference: ~0.21 -> ~0.92), and its win rate against the SFT model (1 when only
      the policy's answer follows the rule, 1/2 on ties) is at least 0.65 (reference: ~0.85). With no effect
      the win rate is 0.5 with standard error <= 0.025 on 400 prompts, so 0.65 is 6 standard errors above
      chance; the trained policy sits about 8 standard errors above the bar."""
    policy, reference = copy.deepcopy(sft_model), copy.deepcopy(sft_model)
    optimizer = Adam(policy.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(5)
    for _ in range(30):
        chosen, rejected = pairs(32, generator)
        impl.dpo_step(policy, reference, optimizer, chosen, rejected, response_mask(32), response_mask(32), beta=0.1)
    policy.eval()
    chosen, rejected = pairs(500, torch.Generator().manual_seed(99))
    with torch.no_grad():
        def logp(model, seqs):  # the test's own sequence log-probability: response tokens 5..8
            lp = torch.log_softmax(model(seqs[:, :-1]), -1).gather(-1, seqs[:, 1:, None])[..., 0]
            return lp[:, PROMPT:].sum(1)

        margin = 0.1 * ((logp(policy, chosen) - logp(reference, chosen))
                        - (logp(policy, rejected) - logp(reference, rejected)))
    mean_margin, positive = margin.mean().item(), (margin > 0).double().mean().item()
    expect(mean_margin > 0.2, f"mean implicit reward margin after training is {mean_margin:.3f}, expected > 0.2")
    expect(positive >= 0.95, f"only {positive:.1%} of held-out pairs have a positive margin, expected >= 95%")
    mine, base = dot_rate(policy), dot_rate(reference)
    win = ((mine > base).double() + 0.5 * (mine == base).double()).mean().item()
    expect(mine.mean().item() >= base.mean().item() + 0.3,
           f"answers ending with '.': policy {mine.mean().item():.1%}, SFT model {base.mean().item():.1%}; "
           "expected an increase of at least 30 points")
    expect(win >= 0.65, f"win rate against the SFT model is {win:.3f}, expected >= 0.65")
