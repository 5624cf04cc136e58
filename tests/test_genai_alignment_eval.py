"""Project tests of aieng.lib.genai.preference, .prompting and .evaluation against the real libraries.

The exercises' graded suites already compare the reference with these oracles on small inputs; here the
library itself is checked more broadly: BLEU under sacrebleu's 13a tokenizer (tokenize first, then score on
whitespace), more Bradley–Terry fits against scikit-learn, DPO training end to end through `train_dpo`, and
the DPO benchmark script (slow).
"""

from __future__ import annotations

import copy
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from pydantic import BaseModel

from aieng.lib.genai import evaluation, preference, prompting
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- preference


@pytest.mark.parametrize("seed", range(4))
def test_bradley_terry_equals_sklearn_logistic_regression(seed):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    n, m, l2 = int(rng.integers(3, 25)), int(rng.integers(20, 800)), float(10 ** rng.uniform(-3, 0.5))
    i = rng.integers(n, size=m)
    j = (i + rng.integers(1, n, size=m)) % n
    scores = rng.normal(size=n) * 2
    i_wins = rng.random(m) < 1 / (1 + np.exp(-(scores[i] - scores[j])))
    w, lo = np.where(i_wins, i, j), np.where(i_wins, j, i)
    x = np.zeros((m, n))
    x[np.arange(m), w] += 1
    x[np.arange(m), lo] -= 1
    sk = LogisticRegression(fit_intercept=False, C=1 / (2 * l2), tol=1e-12, max_iter=20_000)
    sk.fit(np.vstack([x, -x]), np.r_[np.ones(m), np.zeros(m)])
    ours = preference.fit_bradley_terry(w, lo, n, l2=l2)

    def objective(s):
        return np.logaddexp(0.0, -(s[w] - s[lo])).sum() + 0.5 * l2 * s @ s

    # sklearn's L-BFGS stops a little short when the penalty is weak and scores are large (up to ~10 here):
    # ours (Newton, gradient < 1e-10) must be at least as good, and close
    assert objective(ours) <= objective(sk.coef_[0]) + 1e-9
    np.testing.assert_allclose(ours, sk.coef_[0], atol=1e-4)


def test_pairwise_loss_and_gradient_against_autograd():
    g = torch.Generator().manual_seed(0)
    c, r = torch.randn(50, generator=g, dtype=torch.float64) * 5, torch.randn(50, generator=g, dtype=torch.float64)
    c.requires_grad_(True)
    r.requires_grad_(True)
    loss = -F.logsigmoid(c - r).mean()
    gc, gr = torch.autograd.grad(loss, (c, r))
    assert torch.allclose(preference.pairwise_loss(c, r), loss, rtol=1e-12)
    got = preference.pairwise_loss_grad(c.detach(), r.detach())
    assert torch.allclose(got[0], gc, rtol=1e-12) and torch.allclose(got[1], gr, rtol=1e-12)


def test_dpo_loss_closed_form_and_limits():
    args = [torch.tensor([v], dtype=torch.float64) for v in (-1.0, -3.0, -2.0, -2.0)]
    assert preference.dpo_loss(*args, beta=0.5).item() == pytest.approx(math.log1p(math.exp(-1)), rel=1e-12)
    assert preference.dpo_loss(*args, beta=1e-9).item() == pytest.approx(math.log(2), rel=1e-8)
    flipped = [args[1], args[0], args[2], args[3]]
    assert preference.dpo_loss(*flipped, beta=1e4).item() == pytest.approx(2e4, rel=1e-12)


def test_reward_model_ignores_padding_and_reads_ln_f():
    torch.manual_seed(0)
    gpt = GPT(vocab_size=7, block_size=10, n_layer=2, n_head=2, n_embd=16).double().eval()
    model = preference.RewardModel(gpt).double().eval()
    idx = torch.randint(7, (3, 10), generator=torch.Generator().manual_seed(1))
    lengths = torch.tensor([3, 10, 6])
    other = idx.clone()
    other[0, 3:] = 0
    other[2, 6:] = 1
    with torch.no_grad():
        assert torch.allclose(model(idx, lengths), model(other, lengths), rtol=0, atol=1e-13)
        assert torch.allclose(gpt.lm_head(preference.final_hidden_states(gpt, idx)), gpt(idx), atol=1e-12)


def test_train_dpo_moves_the_policy_towards_the_chosen_answers():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import genai_dpo as bench
    finally:
        sys.path.pop(0)
    reference = bench.train_sft(0, 120)
    policy = copy.deepcopy(reference)
    frozen = [p.detach().clone() for p in reference.parameters()]
    before = bench.measure(policy, reference, 0.1, 300, 0)
    history = preference.train_dpo(policy, reference, bench.batches(32, 1), 40, beta=0.1, lr=3e-3)
    after = bench.measure(policy, reference, 0.1, 300, 0)
    assert history[0]["loss"] == pytest.approx(math.log(2), rel=1e-6)
    assert before["margin"] == 0.0 and after["margin"] > 0.2
    assert after["rate"] > before["rate"] + 0.3 and after["win"] > 0.65
    assert all(torch.equal(p, q) for p, q in zip(reference.parameters(), frozen, strict=True))


@pytest.mark.slow
def test_dpo_benchmark_runs():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks/genai_dpo.py"), "--quick"], capture_output=True,
                         text=True, timeout=600, check=True).stdout
    assert "win rate vs SFT" in out and "DPO" in out


# ----------------------------------------------------------------------------- evaluation

WORDS = ["The", "cat,", "the", "dog", "and", "a", "bird", "sat", "on", "(the)", "mat", ";", "it's", "3.5", "m",
         "long", "!", "Isn't", "it?"]


def _sentences(rng, n, low=0):
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(low, 14)))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_bleu_under_13a_tokenization_equals_sacrebleu(seed):
    """Tokenize with sacrebleu's 13a tokenizer, then score on whitespace: equals sacrebleu's own 13a BLEU."""
    import sacrebleu
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 8)), int(rng.integers(1, 4))
    hyps, refs = _sentences(rng, n), [_sentences(rng, k, low=1) for _ in range(n)]
    tok = Tokenizer13a()
    for smooth in ("none", "exp"):
        want = sacrebleu.corpus_bleu(hyps, [list(s) for s in zip(*refs, strict=True)], tokenize="13a",
                                     smooth_method=smooth).score
        got = evaluation.corpus_bleu([tok(h) for h in hyps], [[tok(r) for r in rs] for rs in refs],
                                     smooth_method=smooth)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_rouge_equals_rouge_score(seed):
    from rouge_score import rouge_scorer

    rng = np.random.default_rng(seed)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    for hyp, ref in zip(_sentences(rng, 20), _sentences(rng, 20), strict=True):
        want = scorer.score(ref, hyp)
        got = {"rouge1": evaluation.rouge_n(hyp, ref, 1), "rouge2": evaluation.rouge_n(hyp, ref, 2),
               "rougeL": evaluation.rouge_l(hyp, ref)}
        for key in got:
            assert tuple(got[key]) == pytest.approx(tuple(want[key]), rel=1e-12, abs=1e-12)


def test_perplexity_equals_exp_cross_entropy():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 9, 30, generator=g, dtype=torch.float64) * 3
    targets = torch.randint(30, (4, 9), generator=g)
    mask = torch.rand(4, 9, generator=g) > 0.3
    want = math.exp(F.cross_entropy(logits[mask], targets[mask]).item())
    assert evaluation.perplexity(logits, targets, mask) == pytest.approx(want, rel=1e-12)


def test_harness_runs_on_the_course_quiz():
    """The harness runs over the course's quiz; an untrained model's accuracy lies in [0, 1] and matches a
    second, independent computation of the predictions."""
    from aieng.course import load

    items = [(q.prompt, list(q.choices), list(q.choices).index(q.answer)) for q in load().quiz_items
             if q.type == "single"]
    chars = sorted({c for q, cs, _ in items for c in "Question: \nAnswer:" + q + "".join(cs)})
    index = {c: i for i, c in enumerate(chars)}
    torch.manual_seed(0)
    model = GPT(vocab_size=len(chars), block_size=512, n_layer=1, n_head=2, n_embd=16).eval()

    def score(context, continuation):
        return evaluation.sequence_loglikelihood(model, [index[c] for c in context], [index[c] for c in continuation])

    acc = evaluation.multiple_choice_accuracy(score, items)
    preds = [evaluation.predict_choice(score, q, cs) for q, cs, _ in items]
    assert acc == pytest.approx(np.mean([p == a for p, (_, _, a) in zip(preds, items, strict=True)]))


# ----------------------------------------------------------------------------- prompting


class Pair(BaseModel):
    a: int
    b: int


def test_structured_output_retries_then_succeeds():
    replies = iter(["{a: 1}", '{"a": 1, "b": "x"}', 'Here: {"a": 1, "b": 2} done'])
    prompts = []

    def generate(prompt):
        prompts.append(prompt)
        return next(replies)

    result = prompting.generate_structured(generate, "Give a pair.", Pair, max_retries=2)
    assert result.value == Pair(a=1, b=2) and len(result.attempts) == 3 and len(prompts) == 3
    assert prompts[2].startswith(prompts[0]) and "Your previous reply was:\n" + '{"a": 1, "b": "x"}' in prompts[2]
    with pytest.raises(prompting.StructuredOutputError) as caught:
        prompting.generate_structured(lambda p: "nope", "Give a pair.", Pair, max_retries=1)
    assert len(caught.value.attempts) == 2


def test_fill_agrees_with_format_and_is_strict():
    assert prompting.fill("{a} and {{b}} {a}", {"a": 1}) == "{a} and {{b}} {a}".format_map({"a": 1})
    for bad, values in [("{a}", {}), ("{a}", {"a": 1, "b": 2}), ("{0}", {}), ("{a!r}", {"a": 1}), ("{", {})]:
        with pytest.raises(ValueError):
            prompting.fill(bad, values)
