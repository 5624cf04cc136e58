"""Evaluating language models: perplexity, BLEU, ROUGE and a multiple-choice benchmark harness.

- **Perplexity** ``exp(-mean_t log p(x_t | x_<t))``: the exponential of the mean cross-entropy in nats
  per token; a uniform guess over V tokens scores V. Only comparable between models that share a
  tokenizer (per-token numbers change with the token length).
- **BLEU** (Papineni et al., 2002), corpus level, as sacrebleu computes it: clipped n-gram precisions
  p_1..p_4 summed over the whole corpus, their geometric mean, times the brevity penalty
  ``BP = min(1, exp(1 - r / c))`` (c: hypothesis tokens, r: closest reference lengths), on a 0–100 scale.
  Tokens are whitespace-separated (sacrebleu's ``tokenize="none"``); tokenize first for anything else.
- **ROUGE-N / ROUGE-L** (Lin, 2004), sentence level, as Google's ``rouge_score`` computes them: n-gram
  overlap or longest common subsequence turned into precision, recall and F1, on the rouge tokenization
  (lowercase, every run of characters other than a–z and 0–9 is a separator), no stemming.
- **Multiple-choice harness**, as EleutherAI's lm-evaluation-harness scores such tasks: for each choice,
  the model's log-likelihood of ``" " + choice`` after ``"Question: {question}\\nAnswer:"``; the
  prediction is the argmax (`acc`), or the argmax of the log-likelihood divided by the choice's length
  in characters (`acc_norm`, which removes the bias towards short answers).

Left out: BLEU's other tokenizers and smoothing methods besides "none" and "exp", sentence-level BLEU's
effective order, ROUGE-Lsum and stemming, chrF, METEOR, BERTScore, LLM-as-a-judge, few-shot contexts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
from torch import Tensor, nn

__all__ = [
    "Score", "corpus_bleu", "multiple_choice_accuracy", "perplexity", "predict_choice", "rouge_l", "rouge_n",
    "sequence_loglikelihood", "token_logprobs",
]


# ----------------------------------------------------------------------------- perplexity


def token_logprobs(logits: Tensor, targets: Tensor) -> Tensor:
    """log p(targets[b, t]) under softmax(logits[b, t]): (B, T, V) and (B, T) int64 -> (B, T).

    ``log_softmax`` then a gather: never softmax-then-log, which underflows to -inf for unlikely tokens.
    """
    if logits.ndim != 3 or targets.shape != logits.shape[:2]:
        raise ValueError(f"logits (B, T, V) and targets (B, T) do not fit: {tuple(logits.shape)} and "
                         f"{tuple(targets.shape)}")
    if targets.dtype != torch.long:
        raise ValueError(f"targets must be int64 token ids, got {targets.dtype}")
    if targets.numel() and (int(targets.min()) < 0 or int(targets.max()) >= logits.shape[-1]):
        raise ValueError(f"target ids must lie in [0, {logits.shape[-1]})")
    return torch.log_softmax(logits, dim=-1).gather(-1, targets[..., None]).squeeze(-1)


def perplexity(logits: Tensor, targets: Tensor, mask: Tensor | None = None) -> float:
    """``exp(-(sum of log p over counted tokens) / (number of counted tokens))``.

    logits (B, T, V), targets (B, T) int64, mask (B, T) bool (True = count this token; padding and
    prompt tokens are usually excluded). Equals ``exp(F.cross_entropy(...))`` on the counted tokens.
    """
    logp = token_logprobs(logits, targets)
    if mask is None:
        mask = torch.ones_like(targets, dtype=torch.bool)
    if mask.shape != targets.shape or mask.dtype != torch.bool:
        raise ValueError(f"mask must be a bool tensor of shape {tuple(targets.shape)}")
    count = int(mask.sum())
    if count == 0:
        raise ValueError("perplexity of zero tokens is undefined")
    return math.exp(-float(logp[mask].double().sum()) / count)


# ----------------------------------------------------------------------------- BLEU


def _ngrams(tokens: Sequence[str], max_n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i:i + n]) for n in range(1, max_n + 1) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[Sequence[str]], max_n: int = 4,
                smooth_method: str = "none") -> float:
    """Corpus BLEU on a 0–100 scale; ``references[i]`` lists the reference(s) of ``hypotheses[i]``.

    Per hypothesis, each n-gram's count is clipped at its largest count in any one reference; matches
    and hypothesis n-grams are summed over the corpus: ``p_n = matches_n / total_n``. Then

        BLEU = 100 * BP * exp((1 / N) sum_n log p_n),   BP = 1 if c > r else exp(1 - r / c),

    with c the hypothesis tokens and r the sum of the reference lengths closest to each hypothesis
    length (ties: the shorter). ``smooth_method="none"`` gives 0 as soon as some p_n is 0;
    ``"exp"`` (sacrebleu's default) replaces the k-th zero precision by 1 / (2^k total_n).
    Whitespace tokens. O(total tokens x N).
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} reference lists")
    if not hypotheses:
        raise ValueError("BLEU of an empty corpus is undefined")
    if not isinstance(max_n, int) or max_n < 1:
        raise ValueError(f"max_n must be a positive integer, got {max_n!r}")
    if smooth_method not in ("none", "exp"):
        raise ValueError(f"smooth_method must be 'none' or 'exp', got {smooth_method!r}")
    matches, totals = [0] * max_n, [0] * max_n
    hyp_len = ref_len = 0
    for hyp, refs in zip(hypotheses, references, strict=True):
        if isinstance(refs, str) or not refs:
            raise ValueError("each hypothesis needs a non-empty list of reference strings")
        tokens = hyp.split()
        ref_tokens = [r.split() for r in refs]
        hyp_len += len(tokens)
        ref_len += min((abs(len(r) - len(tokens)), len(r)) for r in ref_tokens)[1]
        clip: Counter[tuple[str, ...]] = Counter()
        for r in ref_tokens:
            clip |= _ngrams(r, max_n)  # | keeps the maximum count over references
        for gram, count in _ngrams(tokens, max_n).items():
            totals[len(gram) - 1] += count
            matches[len(gram) - 1] += min(count, clip[gram])
    if hyp_len == 0 or not any(matches):
        return 0.0
    bp = 1.0 if hyp_len > ref_len else math.exp(1.0 - ref_len / hyp_len)
    log_sum, zeros = 0.0, 0
    for m, t in zip(matches, totals, strict=True):
        if t == 0 or (m == 0 and smooth_method == "none"):
            return 0.0
        if m == 0:
            zeros += 1
            log_sum += math.log(1.0 / (2**zeros * t))
        else:
            log_sum += math.log(m / t)
    return 100.0 * bp * math.exp(log_sum / max_n)


# ----------------------------------------------------------------------------- ROUGE


class Score(NamedTuple):
    """Precision, recall and their harmonic mean (F1) of one hypothesis against one reference."""

    precision: float
    recall: float
    fmeasure: float


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def _rouge_tokens(text: str) -> list[str]:
    """rouge_score's tokenization: lowercase, separators are runs of anything but a-z and 0-9."""
    return _NOT_ALPHANUMERIC.sub(" ", text.lower()).split()


def _score(overlap: int, n_hyp: int, n_ref: int) -> Score:
    precision = overlap / max(n_hyp, 1)
    recall = overlap / max(n_ref, 1)
    f = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return Score(precision, recall, f)


def rouge_n(hypothesis: str, reference: str, n: int = 1) -> Score:
    """ROUGE-N: ``overlap = sum over n-grams of min(count in hyp, count in ref)``;
    precision = overlap / hyp n-grams, recall = overlap / ref n-grams, F1 their harmonic mean.
    An empty side gives 0 (not a division error)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    hyp, ref = _rouge_tokens(hypothesis), _rouge_tokens(reference)
    h = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
    r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    return _score(sum((h & r).values()), sum(h.values()), sum(r.values()))


def rouge_l(hypothesis: str, reference: str) -> Score:
    """ROUGE-L: the longest common subsequence (in order, gaps allowed) of the two token lists, by dynamic
    programming in O(len(hyp) len(ref)); precision = LCS / len(hyp), recall = LCS / len(ref)."""
    hyp, ref = _rouge_tokens(hypothesis), _rouge_tokens(reference)
    if not hyp or not ref:
        return Score(0.0, 0.0, 0.0)
    previous = [0] * (len(hyp) + 1)
    for token in ref:  # row by row: previous[j] = LCS(ref[:i], hyp[:j])
        current = [0]
        for j, other in enumerate(hyp):
            current.append(previous[j] + 1 if token == other else max(previous[j + 1], current[j]))
        previous = current
    return _score(previous[-1], len(hyp), len(ref))


# ----------------------------------------------------------------------------- multiple choice


@torch.no_grad()
def sequence_loglikelihood(model: nn.Module, context: Sequence[int], continuation: Sequence[int],
                           block_size: int | None = None) -> float:
    """``sum_j log p(continuation[j] | context, continuation[:j])`` under a causal LM, in one forward pass.

    The input is ``(context + continuation)[:-1]``, cut to its last `block_size` tokens when longer
    (the start of the context is dropped, the continuation is always scored whole); the logits at its
    last len(continuation) positions predict the continuation. `block_size` defaults to the model's.
    """
    context, continuation = list(context), list(continuation)
    block = block_size if block_size is not None else getattr(model, "block_size", None)
    if not isinstance(block, int) or block < 1:
        raise ValueError("pass block_size: the model does not say how many tokens it can read")
    if not context:
        raise ValueError("the context must hold at least one token (it predicts the first continuation token)")
    if not continuation or len(continuation) > block:
        raise ValueError(f"the continuation must hold 1 to block_size = {block} tokens, got {len(continuation)}")
    tokens = torch.tensor(context + continuation, dtype=torch.long)
    inputs = tokens[:-1][-block:]
    was_training = model.training
    model.eval()
    logits = model(inputs[None])[0, -len(continuation):]
    model.train(was_training)
    logp = torch.log_softmax(logits.double(), dim=-1)
    return float(logp.gather(-1, tokens[-len(continuation):, None]).sum())


def _prompt(question: str) -> str:
    return f"Question: {question}\nAnswer:"


def predict_choice(loglikelihood: Callable[[str, str], float], question: str, choices: Sequence[str],
                   normalize: bool = False) -> int:
    """The index of the choice the model finds most likely: argmax over i of
    ``loglikelihood("Question: {question}\\nAnswer:", " " + choices[i])``, divided by
    ``len(" " + choices[i])`` (characters) when `normalize` (lm-eval's acc_norm). Ties: the first."""
    if len(choices) < 2:
        raise ValueError(f"a multiple-choice question needs at least two choices, got {len(choices)}")
    context = _prompt(question)
    scores = []
    for choice in choices:
        continuation = " " + choice
        value = float(loglikelihood(context, continuation))
        scores.append(value / len(continuation) if normalize else value)
    return max(range(len(scores)), key=scores.__getitem__)


def multiple_choice_accuracy(loglikelihood: Callable[[str, str], float],
                             items: Sequence[tuple[str, Sequence[str], int]], normalize: bool = False) -> float:
    """Fraction of items ``(question, choices, answer_index)`` whose `predict_choice` is the answer.

    `loglikelihood(context, continuation)` is the harness's only contact with the model: any model
    that can score a continuation can be benchmarked, and a stub with known scores tests the harness.
    """
    if not items:
        raise ValueError("accuracy over zero items is undefined")
    correct = 0
    for question, choices, answer in items:
        if not 0 <= answer < len(choices):
            raise ValueError(f"answer index {answer} is not among {len(choices)} choices")
        correct += predict_choice(loglikelihood, question, choices, normalize) == answer
    return correct / len(items)
