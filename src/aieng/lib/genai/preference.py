"""Learning from preferences: the Bradley–Terry model, a reward model on a GPT, and DPO.

People find it easier to say which of two answers is better than to score one on an absolute scale, so
alignment data comes as pairs (prompt x, chosen y_w, rejected y_l). Two routes turn such pairs into a
better model:

- **RLHF** (InstructGPT): fit a reward model r(x, y) with the Bradley–Terry likelihood
  ``P(y_w > y_l) = sigma(r(x, y_w) - r(x, y_l))``, then maximize the reward with PPO under a KL penalty
  that keeps the policy near the supervised (SFT) model.
- **DPO** (Rafailov et al., 2023): the KL-regularized optimum is ``pi*(y|x) ∝ pi_ref(y|x) exp(r(x,y)/beta)``,
  so the reward is ``beta log(pi(y|x) / pi_ref(y|x))`` up to a term in x alone, which cancels in a
  difference. Put that into the Bradley–Terry likelihood and the policy itself is the reward model:
  ``loss = -log sigma(beta [(log pi(y_w|x) - log pi_ref(y_w|x)) - (log pi(y_l|x) - log pi_ref(y_l|x))])``.

What is here:

- `preference_probability`, `pairwise_loss` (and its hand-derived gradient `pairwise_loss_grad`),
  `fit_bradley_terry` (penalized maximum likelihood by Newton's method, for item scores);
- `final_hidden_states` and `RewardModel`: a scalar head on a GPT's last hidden state;
- `sequence_logprobs` (response tokens only, prompt masked), `dpo_loss`, `implicit_reward`, `dpo_step`,
  `win_rate`, and `train_dpo`, the loop the benchmark runs.

Left out: PPO itself (the lesson writes its objective out), reward-model ensembles, IPO/KTO/ORPO and the
other DPO variants, label smoothing of preferences, ties in the data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import Tensor, nn
from torch.nn import functional as F

__all__ = [
    "RewardModel", "dpo_loss", "dpo_step", "final_hidden_states", "fit_bradley_terry", "implicit_reward",
    "pairwise_loss", "pairwise_loss_grad", "preference_probability", "sequence_logprobs", "train_dpo",
    "win_rate",
]


# ----------------------------------------------------------------------------- Bradley–Terry


def _pair(a: Tensor, b: Tensor, what: str) -> tuple[Tensor, Tensor]:
    """Two float tensors of one shape, or a ValueError naming `what`."""
    a, b = torch.as_tensor(a), torch.as_tensor(b)
    if a.shape != b.shape:
        raise ValueError(f"{what}: both inputs need the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    if not (a.is_floating_point() and b.is_floating_point()):
        raise ValueError(f"{what}: rewards must be floating-point tensors, got {a.dtype} and {b.dtype}")
    return a, b


def preference_probability(r_a: Tensor, r_b: Tensor) -> Tensor:
    """Bradley–Terry: the probability that a is preferred to b, ``sigma(r_a - r_b)``, elementwise.

    Only the difference matters: adding the same constant to every reward changes nothing.
    ``P(a > b) + P(b > a) = 1``. Stable for any difference (torch.sigmoid never overflows).

    >>> preference_probability(torch.tensor([2.0]), torch.tensor([0.0]))
    tensor([0.8808])
    """
    r_a, r_b = _pair(r_a, r_b, "preference_probability")
    return torch.sigmoid(r_a - r_b)


def pairwise_loss(r_chosen: Tensor, r_rejected: Tensor) -> Tensor:
    """Mean negative log-likelihood of the preferences, ``mean_i -log sigma(r_chosen_i - r_rejected_i)``.

    Written with ``-logsigmoid(d) = log(1 + e^(-d))`` (softplus), which stays finite for any margin d:
    ``-log(sigmoid(-1000))`` would be ``-log(0) = inf`` in float arithmetic, the stable form gives 1000.
    Shapes: (N,) and (N,) -> scalar. O(N).
    """
    r_chosen, r_rejected = _pair(r_chosen, r_rejected, "pairwise_loss")
    if r_chosen.numel() == 0:
        raise ValueError("pairwise_loss needs at least one pair")
    return -F.logsigmoid(r_chosen - r_rejected).mean()


def pairwise_loss_grad(r_chosen: Tensor, r_rejected: Tensor) -> tuple[Tensor, Tensor]:
    """The gradient of `pairwise_loss` (a mean over N pairs), by hand: with d = r_chosen - r_rejected,

        d/dr_chosen = -sigma(-d) / N,    d/dr_rejected = +sigma(-d) / N.

    sigma(-d) is the probability the model currently gives to the *wrong* order: a pair already ranked
    with a large margin contributes almost nothing, a mis-ranked pair pushes hardest.
    """
    r_chosen, r_rejected = _pair(r_chosen, r_rejected, "pairwise_loss_grad")
    if r_chosen.numel() == 0:
        raise ValueError("pairwise_loss_grad needs at least one pair")
    wrong = torch.sigmoid(r_rejected - r_chosen) / r_chosen.numel()
    return -wrong, wrong


def fit_bradley_terry(winners: ArrayLike, losers: ArrayLike, n_items: int, l2: float = 1e-2,
                      tol: float = 1e-10, max_iter: int = 100) -> np.ndarray:
    """Item scores s (n_items,) from comparisons "winners[k] beat losers[k]", by penalized maximum likelihood:

        minimize  sum_k log(1 + exp(-(s[w_k] - s[l_k])))  +  (l2 / 2) ||s||^2.

    The likelihood alone sees only differences, so s + c fits as well as s; the small ridge term picks
    the solution with sum(s) = 0 (at the optimum l2 * s = -gradient of the likelihood term, whose entries
    sum to zero) and keeps the scores finite when an item wins every comparison. It is logistic
    regression without intercept on the rows x_k = e_{w_k} - e_{l_k}, all labelled 1.

    Newton's method with backtracking: gradient ``g = -X^T sigma(-z) + l2 s`` and Hessian
    ``H = X^T diag(sigma(z) sigma(-z)) X + l2 I`` (z = X s), assembled from the pairs without forming X.
    O(iterations x (m + n^3)) for m comparisons of n items; a handful of iterations suffice.
    """
    w = np.asarray(winners)
    lo = np.asarray(losers)
    if not isinstance(n_items, int | np.integer) or n_items < 1:
        raise ValueError(f"n_items must be a positive integer, got {n_items!r}")
    if w.ndim != 1 or lo.shape != w.shape:
        raise ValueError(f"winners and losers must be 1-D of the same length, got {w.shape} and {lo.shape}")
    if w.size and not (np.issubdtype(w.dtype, np.integer) and np.issubdtype(lo.dtype, np.integer)):
        raise ValueError("winners and losers must hold integer item indices")
    if w.size and (min(w.min(), lo.min()) < 0 or max(w.max(), lo.max()) >= n_items):
        raise ValueError(f"item indices must lie in [0, {n_items})")
    if np.any(w == lo):
        raise ValueError("an item cannot be compared with itself")
    if not (l2 > 0 and math.isfinite(l2)):
        raise ValueError(f"l2 must be a positive number (it fixes the free shift), got {l2}")
    w, lo = w.astype(np.intp), lo.astype(np.intp)

    def objective(s: np.ndarray) -> float:
        return float(np.logaddexp(0.0, -(s[w] - s[lo])).sum() + 0.5 * l2 * s @ s)

    s = np.zeros(n_items)
    for _ in range(max_iter):
        z = s[w] - s[lo]
        wrong = 1.0 / (1.0 + np.exp(z))  # sigma(-z), the probability of the other order
        grad = l2 * s + np.bincount(lo, wrong, n_items) - np.bincount(w, wrong, n_items)
        if np.abs(grad).max() <= tol:
            break
        h = wrong * (1.0 - wrong)
        cross = np.bincount(w * n_items + lo, h, n_items * n_items).reshape(n_items, n_items)
        cross = cross + cross.T  # h summed over the pairs (i, j) and (j, i)
        hess = np.diag(cross.sum(axis=1) + l2) - cross
        step = np.linalg.solve(hess, grad)
        current, t = objective(s), 1.0
        while objective(s - t * step) > current - 0.25 * t * (grad @ step) and t > 1e-10:
            t *= 0.5  # Armijo backtracking: Newton's full step can overshoot when the data separate
        s = s - t * step
    return s


# ----------------------------------------------------------------------------- a reward model on a GPT


def final_hidden_states(gpt: nn.Module, idx: Tensor) -> Tensor:
    """The GPT's last hidden states (B, T, d): the output of its final LayerNorm, the vectors the LM head
    reads (so ``gpt.lm_head(final_hidden_states(gpt, idx)) == gpt(idx)``).

    Runs the GPT's own parts: token + position embeddings, the causal blocks, ``ln_f``. Works with the
    course's `aieng.lib.genai.gpt.GPT` (attributes tok_emb, pos_emb, drop, blocks, ln_f).
    """
    if idx.ndim != 2 or idx.dtype != torch.long:
        raise ValueError(f"idx must be a (B, T) tensor of int64 token ids, got {tuple(idx.shape)} {idx.dtype}")
    if idx.shape[1] > gpt.pos_emb.num_embeddings:
        raise ValueError(f"{idx.shape[1]} tokens exceed the GPT's block_size {gpt.pos_emb.num_embeddings}")
    positions = torch.arange(idx.shape[1], device=idx.device)
    x = gpt.drop(gpt.tok_emb(idx) + gpt.pos_emb(positions))
    for block in gpt.blocks:
        x = block(x, causal=True)
    return gpt.ln_f(x)


class RewardModel(nn.Module):
    """r(x, y): a GPT body and a linear head on the hidden state of the sequence's last real token.

    ``reward = head(h[b, lengths[b] - 1])`` with ``head = nn.Linear(d, 1)``, so (B, T) -> (B,). Thanks to
    the causal mask, that position has read the whole sequence and nothing after it, so right padding
    changes nothing. InstructGPT initializes the body from the SFT model and trains everything with
    `pairwise_loss` on (chosen, rejected) pairs; only differences of rewards are learned, so the scale
    of r is arbitrary (RLHF pipelines often normalize it).

    >>> from aieng.lib.genai.gpt import GPT
    >>> rm = RewardModel(GPT(vocab_size=10, block_size=8, n_layer=1, n_head=2, n_embd=16))
    >>> rm(torch.zeros(3, 8, dtype=torch.long)).shape
    torch.Size([3])
    """

    def __init__(self, gpt: nn.Module) -> None:
        super().__init__()
        self.backbone = gpt
        self.head = nn.Linear(gpt.tok_emb.embedding_dim, 1)

    def forward(self, idx: Tensor, lengths: Tensor | None = None) -> Tensor:
        hidden = final_hidden_states(self.backbone, idx)  # (B, T, d)
        b, t = idx.shape
        if lengths is None:
            last = torch.full((b,), t - 1, dtype=torch.long, device=idx.device)
        else:
            lengths = torch.as_tensor(lengths, device=idx.device)
            if lengths.shape != (b,) or lengths.dtype not in (torch.int32, torch.int64):
                raise ValueError(f"lengths must be an integer tensor of shape ({b},), got {tuple(lengths.shape)}")
            if bool((lengths < 1).any() or (lengths > t).any()):
                raise ValueError(f"every length must lie in [1, {t}]")
            last = lengths.long() - 1
        return self.head(hidden[torch.arange(b, device=idx.device), last]).squeeze(-1)


# ----------------------------------------------------------------------------- DPO


def sequence_logprobs(model: nn.Module, idx: Tensor, response_mask: Tensor) -> Tensor:
    """log pi(y | x) for each sequence: the sum of the log-probabilities of its response tokens only.

    idx (B, T) holds prompt + response (+ right padding); response_mask (B, T) is True at response
    tokens. Token t is predicted by the logits at position t - 1, so::

        logp = log_softmax(model(idx[:, :-1]))             (B, T-1, V)
        token_logp = logp.gather(-1, idx[:, 1:])            (B, T-1): log p(idx[t] | idx[<t])
        result = (token_logp * response_mask[:, 1:]).sum(1) (B,)

    Prompt tokens are masked out because DPO compares two answers to the same prompt (the prompt's own
    likelihood would cancel anyway, but padding would not). Differentiable; O(B T V).
    """
    if idx.ndim != 2 or idx.dtype != torch.long:
        raise ValueError(f"idx must be a (B, T) tensor of int64 token ids, got {tuple(idx.shape)} {idx.dtype}")
    if response_mask.shape != idx.shape or response_mask.dtype != torch.bool:
        raise ValueError(f"response_mask must be a bool tensor of shape {tuple(idx.shape)}, got "
                         f"{tuple(response_mask.shape)} {response_mask.dtype}")
    if idx.shape[1] < 2:
        raise ValueError("a sequence needs a prompt token and at least one response token")
    if bool(response_mask[:, 0].any()):
        raise ValueError("position 0 cannot be a response token: nothing before it predicts it")
    logits = model(idx[:, :-1])
    token_logp = torch.log_softmax(logits, dim=-1).gather(-1, idx[:, 1:, None]).squeeze(-1)
    return (token_logp * response_mask[:, 1:].to(token_logp.dtype)).sum(dim=1)


def implicit_reward(policy_logps: Tensor, ref_logps: Tensor, beta: float = 0.1) -> Tensor:
    """DPO's implicit reward ``beta (log pi(y|x) - log pi_ref(y|x))``, elementwise: how much more likely the
    policy makes a response than the reference does, in units of beta."""
    policy_logps, ref_logps = _pair(policy_logps, ref_logps, "implicit_reward")
    _check_beta(beta)
    return beta * (policy_logps - ref_logps)


def _check_beta(beta: float) -> None:
    if not (isinstance(beta, int | float) and beta > 0 and math.isfinite(beta)):
        raise ValueError(f"beta must be a positive number, got {beta!r}")


def dpo_loss(policy_chosen: Tensor, policy_rejected: Tensor, ref_chosen: Tensor, ref_rejected: Tensor,
             beta: float = 0.1) -> Tensor:
    """The DPO loss, a mean over the batch of

        -log sigma(beta [(log pi(y_w|x) - log pi_ref(y_w|x)) - (log pi(y_l|x) - log pi_ref(y_l|x))]),

    from four (B,) tensors of sequence log-probabilities. Equal log-ratios give log 2; as beta -> 0 the
    loss tends to log 2 for any margin, as beta -> inf to 0 (margin > 0) or to beta |margin| (margin < 0).
    Uses ``-logsigmoid``, finite for any margin. The gradient scales each pair by sigma(-beta margin),
    the weight of pairs the policy still ranks wrongly.
    """
    tensors = [torch.as_tensor(t) for t in (policy_chosen, policy_rejected, ref_chosen, ref_rejected)]
    if len({t.shape for t in tensors}) != 1 or tensors[0].ndim != 1:
        raise ValueError(f"the four log-probability tensors must share one 1-D shape, got "
                         f"{[tuple(t.shape) for t in tensors]}")
    if tensors[0].numel() == 0:
        raise ValueError("dpo_loss needs at least one pair")
    _check_beta(beta)
    pc, pr, rc, rr = tensors
    margin = (pc - rc) - (pr - rr)
    return -F.logsigmoid(beta * margin).mean()


def dpo_step(policy: nn.Module, reference: nn.Module, optimizer: Any, chosen: Tensor, rejected: Tensor,
             chosen_mask: Tensor, rejected_mask: Tensor, beta: float = 0.1,
             nll_weight: float = 0.0) -> dict[str, float]:
    """One DPO update of `policy` on a batch of pairs; `reference` (the frozen SFT model) is only read.

    The reference log-probs are computed under ``torch.no_grad()``: the reference is a fixed anchor, not
    a second model to train. Returns the batch's statistics *before* the update: loss, mean implicit
    rewards of chosen and rejected, their mean margin and the fraction of pairs ranked right
    (accuracy). At the very first step, with policy == reference, the loss is exactly log 2.

    `nll_weight` > 0 adds that multiple of the chosen answers' negative log-likelihood per token (an SFT
    term on the chosen answers, as in RPO): it keeps the chosen answers likely, so the probability DPO takes
    from the rejected ones cannot drift to malformed text. Not part of the exercise; 0 is plain DPO.
    """
    _check_beta(beta)
    policy.train()
    with torch.no_grad():
        ref_chosen = sequence_logprobs(reference, chosen, chosen_mask)
        ref_rejected = sequence_logprobs(reference, rejected, rejected_mask)
    pol_chosen = sequence_logprobs(policy, chosen, chosen_mask)
    pol_rejected = sequence_logprobs(policy, rejected, rejected_mask)
    loss = dpo_loss(pol_chosen, pol_rejected, ref_chosen, ref_rejected, beta)
    if nll_weight:
        loss = loss - nll_weight * pol_chosen.sum() / chosen_mask[:, 1:].sum().clamp(min=1)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        reward_chosen = implicit_reward(pol_chosen.detach(), ref_chosen, beta)
        reward_rejected = implicit_reward(pol_rejected.detach(), ref_rejected, beta)
        margin = reward_chosen - reward_rejected
    return {"loss": loss.item(), "chosen_reward": reward_chosen.mean().item(),
            "rejected_reward": reward_rejected.mean().item(), "margin": margin.mean().item(),
            "accuracy": (margin > 0).double().mean().item()}


def win_rate(policy_scores: ArrayLike, reference_scores: ArrayLike) -> float:
    """How often the policy's answer beats the reference's on the same prompt, ties counting one half:
    ``mean(1[p > r] + 0.5 * 1[p == r])``. 0.5 means "no better, no worse"; scores come from a judge
    (a rule, a reward model, a person)."""
    p = np.asarray(policy_scores, dtype=np.float64)
    r = np.asarray(reference_scores, dtype=np.float64)
    if p.ndim != 1 or p.shape != r.shape or p.size == 0:
        raise ValueError(f"win_rate needs two non-empty 1-D score arrays of one length, got {p.shape} and {r.shape}")
    if np.isnan(p).any() or np.isnan(r).any():
        raise ValueError("scores must not be NaN")
    return float(np.mean((p > r) + 0.5 * (p == r)))


def train_dpo(policy: nn.Module, reference: nn.Module,
              batches: Iterator[tuple[Tensor, Tensor, Tensor, Tensor]], steps: int, beta: float = 0.1,
              lr: float = 1e-3, on_step: Callable[[int, dict[str, float]], None] | None = None,
              nll_weight: float = 0.0) -> list[dict]:
    """Run `steps` DPO updates with Adam; `batches` yields (chosen, rejected, chosen_mask, rejected_mask);
    `nll_weight` as in `dpo_step`.

    The reference is put in eval mode and its parameters frozen. Returns the per-step statistics of
    `dpo_step`; `on_step(step, stats)` is called after each step (a progress bar, say).
    """
    reference.eval()
    for p in reference.parameters():
        p.requires_grad_(False)
    optimizer = torch.optim.Adam(policy.parameters(), lr=lr)
    history = []
    for step in range(steps):
        stats = dpo_step(policy, reference, optimizer, *next(batches), beta=beta, nll_weight=nll_weight)
        history.append(stats)
        if on_step is not None:
            on_step(step, stats)
    return history
