"""Checks for `llm-evaluation`: perplexity, BLEU, ROUGE and a multiple-choice benchmark harness.

Oracles: torch.nn.functional.cross_entropy (switched off while your code runs) for token log-probabilities and
perplexity; sacrebleu.corpus_bleu(tokenize="none") for BLEU and rouge_score's RougeScorer(use_stemmer=False)
for ROUGE, on hypothesis-generated sentences (both packages switched off while your code runs); closed forms
(brevity penalty, uniform perplexity); the chain rule one prefix at a time on a GPT; a stub scorer with known
log-likelihoods for the harness; and a run of the course's GPT on the course's own single-choice quiz items,
scored plainly in the test.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, forbid_package
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)

NO_CROSS_ENTROPY = ("torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss")


# ----------------------------------------------------------------------------- perplexity


@st.composite
def logits_and_targets(draw, dtype=np.float64):
    b, t, v = draw(st.integers(1, 3)), draw(st.integers(1, 6)), draw(st.integers(2, 12))
    logits = draw(hnp.arrays(dtype, (b, t, v), elements=st.floats(-20, 20, width=32, allow_subnormal=False)))
    targets = draw(hnp.arrays(np.int64, (b, t), elements=st.integers(0, v - 1)))
    mask = draw(hnp.arrays(np.bool_, (b, t)))
    return logits, targets, mask


@given(logits_and_targets(np.float64) | logits_and_targets(np.float32))
@settings(max_examples=30)
def test_token_logprobs_equal_minus_cross_entropy(impl, case):
    """token_logprobs(logits, targets)[b, t] = log softmax(logits[b, t])[targets[b, t]] = -F.cross_entropy(...,
    reduction='none'): float64 to 1e-12, float32 to 1e-5 (cross_entropy is switched off during your call)."""
    logits, targets, _ = case
    want = -F.cross_entropy(torch.tensor(logits).transpose(1, 2), torch.tensor(targets), reduction="none").numpy()
    with forbid(impl, *NO_CROSS_ENTROPY):
        got = impl.token_logprobs(torch.tensor(logits), torch.tensor(targets))
    tol = 1e-12 if logits.dtype == np.float64 else 1e-5
    assert_close(got.numpy(), want, rtol=tol, atol=tol, what="token log-probabilities")


@given(logits_and_targets(np.float64))
@settings(max_examples=30)
def test_perplexity_is_exp_of_the_mean_cross_entropy(impl, case):
    """perplexity(logits, targets, mask) = exp(F.cross_entropy over the tokens where mask is True), and over all
    tokens when mask is None; float64 to 1e-10."""
    logits, targets, mask = case
    flat_logits, flat_targets = torch.tensor(logits).reshape(-1, logits.shape[-1]), torch.tensor(targets).reshape(-1)
    with forbid(impl, *NO_CROSS_ENTROPY):
        got_all = impl.perplexity(torch.tensor(logits), torch.tensor(targets))
        got_masked = impl.perplexity(torch.tensor(logits), torch.tensor(targets), torch.tensor(mask)) \
            if mask.any() else None
    assert_close(got_all, math.exp(F.cross_entropy(flat_logits, flat_targets).item()), rtol=1e-10,
                 what="perplexity over all tokens")
    if got_masked is not None:
        keep = torch.tensor(mask).reshape(-1)
        want = math.exp(F.cross_entropy(flat_logits[keep], flat_targets[keep]).item())
        assert_close(got_masked, want, rtol=1e-10, what="perplexity over the masked tokens")


def test_uniform_model_has_perplexity_v(impl):
    """Equal logits mean a uniform guess over V tokens: perplexity exactly V (here 50), whatever the targets."""
    got = impl.perplexity(torch.zeros(2, 7, 50, dtype=torch.float64), torch.arange(14).reshape(2, 7))
    assert_close(got, 50.0, rtol=1e-12, what="perplexity of a uniform model over 50 tokens")


def test_perplexity_rejects_bad_input(impl):
    """ValueError when no token is counted (an empty mask), shapes do not fit, or a target id is outside [0, V)."""
    logits, targets = torch.zeros(1, 3, 4), torch.zeros(1, 3, dtype=torch.long)
    assert_raises_value_error(impl.perplexity, logits, targets, torch.zeros(1, 3, dtype=torch.bool),
                              why="no token is counted")
    assert_raises_value_error(impl.perplexity, logits, torch.zeros(1, 2, dtype=torch.long), why="shapes differ")
    assert_raises_value_error(impl.perplexity, logits, torch.full((1, 3), 4), why="target 4 is not below V = 4")


# ----------------------------------------------------------------------------- BLEU

WORDS = ["the", "cat", "sat", "on", "a", "mat", "dog", "red", "ran", ".", ","]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
REFERENCE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)


@st.composite
def corpora(draw):
    n, k = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    hyps = [draw(SENTENCE) for _ in range(n)]
    refs = [[draw(REFERENCE) for _ in range(k)] for _ in range(n)]
    return hyps, refs


@given(corpora(), st.sampled_from(["none", "exp"]))
@settings(max_examples=30)
def test_corpus_bleu_matches_sacrebleu(impl, corpus, smooth):
    """corpus_bleu(hypotheses, references, smooth_method=s) equals sacrebleu.corpus_bleu(hypotheses, the
    references transposed into streams, tokenize='none', smooth_method=s).score to 1e-6 (both on 0-100; tokens
    are whitespace-separated words, punctuation included, one to three references per sentence)."""
    import sacrebleu

    hyps, refs = corpus
    want = sacrebleu.corpus_bleu(hyps, [list(stream) for stream in zip(*refs, strict=True)], tokenize="none",
                                 smooth_method=smooth).score
    with forbid_package(impl, "sacrebleu"):
        got = impl.corpus_bleu(hyps, refs, smooth_method=smooth)
    assert_close(got, want, rtol=1e-9, atol=1e-6, what=f"BLEU (smooth_method={smooth!r}) of {hyps!r} vs {refs!r}")


def test_bleu_hand_computed_example(impl):
    """'the cat sat on the mat' against 'the cat is on the mat': clipped precisions 5/6, 3/5, 1/4, 0/3, so plain
    BLEU is 0; with 'exp' smoothing the zero becomes 1/(2 x 3) and BLEU = 100 (5/6 x 3/5 x 1/4 x 1/6)^(1/4)."""
    hyp, ref = ["the cat sat on the mat"], [["the cat is on the mat"]]
    assert_close(impl.corpus_bleu(hyp, ref), 0.0, atol=1e-12, what="BLEU without smoothing")
    want = 100 * (5 / 6 * 3 / 5 * 1 / 4 * 1 / 6) ** 0.25
    assert_close(impl.corpus_bleu(hyp, ref, smooth_method="exp"), want, rtol=1e-12, what="BLEU with exp smoothing")


@given(st.integers(4, 9), st.integers(1, 6))
def test_brevity_penalty_on_a_truncated_copy(impl, c, cut):
    """A hypothesis that is the first c words of a reference of c + cut distinct words has every n-gram right,
    so BLEU = 100 exp(1 - r / c) with r = c + cut: only the brevity penalty remains."""
    words = [f"w{i}" for i in range(c + cut)]
    got = impl.corpus_bleu([" ".join(words[:c])], [[" ".join(words)]])
    assert_close(got, 100 * math.exp(1 - (c + cut) / c), rtol=1e-12, what=f"BLEU of a {c}-word prefix")


def test_bleu_rejects_bad_input(impl):
    """ValueError for unequal numbers of hypotheses and reference lists, an empty corpus, max_n < 1, and an
    unknown smoothing method."""
    assert_raises_value_error(impl.corpus_bleu, ["a b"], [["a b"], ["c"]], why="2 reference lists for 1 hypothesis")
    assert_raises_value_error(impl.corpus_bleu, [], [], why="the corpus is empty")
    assert_raises_value_error(impl.corpus_bleu, ["a"], [["a"]], max_n=0, why="max_n must be >= 1")
    assert_raises_value_error(impl.corpus_bleu, ["a"], [["a"]], smooth_method="magic", why="unknown smoothing")


# ----------------------------------------------------------------------------- ROUGE

MESSY = st.lists(st.sampled_from(["The", "cat", "CAT", "sat", "on", "the", "mat", "mat.", "dog's", "a-b", "42",
                                  "red,", "!", "ran"]), max_size=10).map(" ".join)


@given(MESSY, MESSY)
@settings(max_examples=30)
def test_rouge_matches_rouge_score(impl, hypothesis, reference):
    """rouge_n(hyp, ref, 1), rouge_n(hyp, ref, 2) and rouge_l(hyp, ref) give (precision, recall, fmeasure) equal to
    rouge_score's RougeScorer(['rouge1', 'rouge2', 'rougeL'], use_stemmer=False).score(ref, hyp) to 1e-12:
    lowercase, anything but a-z and 0-9 separates tokens. Note rouge_score takes the REFERENCE first."""
    from rouge_score import rouge_scorer

    want = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False).score(reference, hypothesis)
    with forbid_package(impl, "rouge_score"):
        got = {"rouge1": impl.rouge_n(hypothesis, reference, 1), "rouge2": impl.rouge_n(hypothesis, reference, 2),
               "rougeL": impl.rouge_l(hypothesis, reference)}
    for key, score in got.items():
        expect(len(score) == 3, f"{key} should be (precision, recall, fmeasure), got {score!r}")
        assert_close(np.array(score, dtype=float), np.array(want[key], dtype=float), rtol=1e-12, atol=1e-12,
                     what=f"{key} (precision, recall, fmeasure) of {hypothesis!r} vs {reference!r}")


def test_rouge_l_hand_computed_example(impl):
    """'the cat sat on the mat' vs 'the cat is on the mat': the longest common subsequence 'the cat on the mat'
    has 5 tokens, so precision = recall = F1 = 5/6; ROUGE-2 shares 'the cat', 'on the', 'the mat': 3/5."""
    lcs = impl.rouge_l("the cat sat on the mat", "the cat is on the mat")
    assert_close(np.array(lcs, dtype=float), np.full(3, 5 / 6), rtol=1e-12, what="ROUGE-L")
    assert_close(np.array(impl.rouge_n("the cat sat on the mat", "the cat is on the mat", 2), dtype=float),
                 np.full(3, 3 / 5), rtol=1e-12, what="ROUGE-2")


# ----------------------------------------------------------------------------- log-likelihood of a continuation


def tiny_gpt(vocab, block, seed=0, dtype=torch.float64):
    torch.manual_seed(seed)
    return GPT(vocab_size=vocab, block_size=block, n_layer=1, n_head=2, n_embd=16).to(dtype).eval()


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=10)
def test_sequence_loglikelihood_follows_the_chain_rule(impl, seed):
    """sequence_loglikelihood(model, context, continuation) = sum_j log p(continuation[j] | context +
    continuation[:j]), checked one prefix at a time on a float64 GPT whose context holds everything (1e-10)."""
    rng = np.random.default_rng(seed)
    model = tiny_gpt(9, 16, seed=int(seed % 5))
    context = rng.integers(9, size=int(rng.integers(1, 8))).tolist()
    continuation = rng.integers(9, size=int(rng.integers(1, 8))).tolist()
    want = 0.0
    with torch.no_grad():
        for j, token in enumerate(continuation):
            prefix = torch.tensor([context + continuation[:j]])
            want += torch.log_softmax(model(prefix)[0, -1], -1)[token].item()
    got = impl.sequence_loglikelihood(model, context, continuation)
    assert_close(got, want, rtol=1e-10, atol=1e-10, what="log-likelihood of the continuation")


def test_long_contexts_are_cut_from_the_left(impl):
    """With block_size 8, a context of 12 tokens and a continuation of 3, only the last 8 of the 14 input tokens
    are read: the result equals one forward pass over them, and dropping the first context tokens changes
    nothing. A continuation longer than block_size, or an empty context or continuation, raises ValueError."""
    model = tiny_gpt(9, 8, seed=1)
    context, continuation = [0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3], [4, 5, 6]
    tokens = torch.tensor(context + continuation)
    with torch.no_grad():
        logp = torch.log_softmax(model(tokens[:-1][-8:][None])[0, -3:], -1)
    want = logp.gather(1, tokens[-3:, None]).sum().item()
    assert_close(impl.sequence_loglikelihood(model, context, continuation), want, rtol=1e-10, what="truncated")
    assert_close(impl.sequence_loglikelihood(model, context[-6:], continuation), want, rtol=1e-10,
                 what="the same with only the last 6 context tokens")
    assert_raises_value_error(impl.sequence_loglikelihood, model, [1], list(range(9)), why="9 > block_size 8")
    assert_raises_value_error(impl.sequence_loglikelihood, model, [], [1], why="the context is empty")
    assert_raises_value_error(impl.sequence_loglikelihood, model, [1], [], why="the continuation is empty")


# ----------------------------------------------------------------------------- the multiple-choice harness


class Stub:
    """A scorer with known log-likelihoods per continuation; records the (context, continuation) it is asked."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table, self.calls = table, []

    def __call__(self, context: str, continuation: str) -> float:
        self.calls.append((context, continuation))
        return self.table[continuation]


def test_predict_choice_asks_the_documented_strings(impl):
    """Each choice is scored as the continuation ' ' + choice after the context 'Question: {question}\\nAnswer:'
    (lm-evaluation-harness's layout); the prediction is the index of the largest log-likelihood."""
    stub = Stub({" Paris": -3.0, " Rome": -5.0, " a small village in Provence": -9.0})
    got = impl.predict_choice(stub, "Capital of France?", ["Paris", "Rome", "a small village in Provence"])
    expect(got == 0, f"the highest log-likelihood is choice 0, got {got}")
    want = [("Question: Capital of France?\nAnswer:", c) for c in (" Paris", " Rome", " a small village in Provence")]
    expect(stub.calls == want, f"the scorer was asked {stub.calls!r}, expected {want!r}")


def test_length_normalization_divides_by_characters(impl):
    """normalize=True compares log-likelihood / len(' ' + choice) in characters (lm-eval's acc_norm): -9 over 28
    characters beats -3 over 6, so the long choice wins only when normalized."""
    stub = Stub({" Paris": -3.0, " Rome": -5.0, " a small village in Provence": -9.0})
    choices = ["Paris", "Rome", "a small village in Provence"]
    expect(impl.predict_choice(stub, "q", choices) == 0, "unnormalized, choice 0 (-3) should win")
    expect(impl.predict_choice(stub, "q", choices, normalize=True) == 2,
           "normalized, choice 2 (-9/28 = -0.32 > -3/6 = -0.5) should win")


@given(st.lists(st.tuples(st.lists(st.integers(-20, 0), min_size=2, max_size=5), st.integers(0, 4)),
                min_size=1, max_size=12), st.booleans())
def test_accuracy_matches_brute_force_on_a_stub(impl, rows, normalize):
    """multiple_choice_accuracy over items (question, choices, answer) equals the fraction of items whose argmax
    (first index on ties) of the stub's scores, divided by the continuation's length when normalize, is the
    answer; computed plainly here."""
    items, table, hits = [], {}, 0
    for q, (scores, answer) in enumerate(rows):
        choices = [f"q{q}c{i}" + "x" * i for i in range(len(scores))]
        for c, s in zip(choices, scores, strict=True):
            table[" " + c] = float(s)
        answer = answer % len(choices)
        items.append((f"question {q}", choices, answer))
        values = [s / len(" " + c) if normalize else s for c, s in zip(choices, scores, strict=True)]
        hits += int(np.argmax(values)) == answer
    got = impl.multiple_choice_accuracy(Stub(table), items, normalize=normalize)
    assert_close(got, hits / len(items), rtol=1e-12, what="accuracy")


def test_harness_rejects_bad_items(impl):
    """ValueError for no items, fewer than two choices, and an answer index outside the choices."""
    stub = Stub({" a": -1.0, " b": -2.0})
    assert_raises_value_error(impl.multiple_choice_accuracy, stub, [], why="no items")
    assert_raises_value_error(impl.predict_choice, stub, "q", ["a"], why="one choice is no choice")
    assert_raises_value_error(impl.multiple_choice_accuracy, stub, [("q", ["a", "b"], 2)], why="answer 2 of 2 choices")


@pytest.fixture(scope="module")
def quiz():
    """The course's own single-choice quiz items, as (question, choices, answer index)."""
    from aieng.course import load

    items = [(it.prompt, list(it.choices), list(it.choices).index(it.answer))
             for it in load().quiz_items if it.type == "single"]
    if len(items) < 10:
        raise AssertionError(f"expected the course to hold at least 10 single-choice quiz items, found {len(items)}")
    return items


def test_the_course_gpt_on_the_course_quiz(impl, quiz):
    """The harness run on the course's GPT (one layer, untrained, character-level, context 512) over every
    single-choice quiz item of the course gives the same predictions, hence the same accuracy and acc_norm, as
    scoring each choice plainly here: one forward pass over context + continuation, log_softmax, the
    continuation's log-probabilities summed (float64, so no near-ties flip)."""
    chars = sorted({c for q, choices, _ in quiz for c in "Question: \nAnswer:" + q + "".join(choices)})
    index = {c: i for i, c in enumerate(chars)}
    model = tiny_gpt(len(chars), 512, seed=0)

    def encode(text):
        return [index[c] for c in text]

    @functools.cache  # both passes ask the same questions
    def score(context, continuation):
        return impl.sequence_loglikelihood(model, encode(context), encode(continuation))

    plain = []  # per item, the log-likelihood and length of each choice, scored here
    for q, choices, answer in quiz:
        row = []
        for c in choices:
            ids = torch.tensor(encode(f"Question: {q}\nAnswer:") + encode(" " + c))
            n = len(c) + 1
            with torch.no_grad():
                logp = torch.log_softmax(model(ids[None, :-1])[0, -n:], -1).gather(1, ids[-n:, None]).sum().item()
            row.append((logp, n))
        plain.append((row, answer))
    for normalize in (False, True):
        want_hits = sum(int(np.argmax([lp / n if normalize else lp for lp, n in row])) == answer
                        for row, answer in plain)
        got = impl.multiple_choice_accuracy(score, quiz, normalize=normalize)
        assert_close(got, want_hits / len(quiz), rtol=1e-12,
                     what=f"accuracy on {len(quiz)} quiz items (normalize={normalize})")
