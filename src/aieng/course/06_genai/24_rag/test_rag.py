"""Checks for `rag`: prompts against the stated layout built here, answers that hypothesis builds from known
claims and citation markers, and the agentic loop driven by a scripted retriever and a scripted generator.

The loop is tested with scripted functions on purpose: what is under test is the loop's control flow
(queries, deduplication, the search option, the step limit), and a real model would make every check depend
on what the model happens to say. Nothing here is numeric: text must match exactly.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect

INSTRUCTION = (
    "Answer the question using only the numbered passages below. After each sentence, cite the passages "
    "that support it by their numbers in square brackets, like [1] or [2, 3]. If the passages do not "
    "contain the answer, say that you do not know."
)
SEARCH_OPTION = (
    "If the passages are not enough, do not answer yet: reply with a single line of the form "
    "SEARCH: <a better search query>"
)
WORDS = ["norms", "measure", "length", "the", "gradient", "3.5", "v1.2", "vectors", "is", "small", "Adam"]


def expected_prompt(question, passages, allow_search):
    """The layout of the docstring, built the plain way."""
    head = INSTRUCTION + ("\n" + SEARCH_OPTION if allow_search else "")
    lines = [f"[{n}] {text.strip()}" for n, (_, text) in enumerate(passages, start=1)]
    body = "\n".join(lines) if lines else "(no passages were found)"
    return head + "\n\n" + body + "\n\n" + f"Question: {question.strip()}\nAnswer:"


passage_lists = st.lists(st.tuples(st.text("abcxyz", min_size=1, max_size=4),
                                   st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)),
                         max_size=6)
questions = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(lambda w: " ".join(w) + "?")


def make_answer(rng, n_passages):
    """An answer built from claims with known texts and citations, markers placed every way a model writes them."""
    parts, claims = [], []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(["Norms", "The", "Adam", "It"])] + [rng.choice(WORDS) for _ in range(rng.randint(0, 5))]
        body, end = " ".join(words), rng.choice([".", "!", "?", "..."])
        numbers = [rng.randint(0, n_passages + 2) for _ in range(rng.randint(0, 3))]
        if not numbers:
            text = body + end
        else:
            style = rng.choice(["before", "after", "after-tight", "split", "inside"])
            joined = ", ".join(map(str, numbers))
            if style == "before":
                text = f"{body} [{joined}]{end}"
            elif style == "after":
                text = f"{body}{end} [{joined}]"
            elif style == "after-tight":
                text = f"{body}{end}" + "".join(f"[{n}]" for n in numbers)
            elif style == "split":
                text = f"{body} [{numbers[0]}]{end}" + "".join(f" [ {n} ]" for n in numbers[1:])
            else:
                text = f"{words[0]} [{joined}] {' '.join(words[1:])}{end}".replace("  ", " ")
        parts.append(text)
        claims.append((" ".join(words).replace("  ", " ") + end, tuple(dict.fromkeys(numbers))))
    separator = rng.choice([" ", "  ", "\n", "\n\n"])
    return separator.join(parts), claims


answers = st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 5)).map(
    lambda a: (*make_answer(random.Random(a[0]), a[1]), a[1]))


def as_pairs(claims, what="parse_claims"):
    expect(isinstance(claims, list), f"{what} should return a list of Claim, got {type(claims).__name__}")
    return [(c.text, tuple(c.citations)) for c in claims]


# ----------------------------------------------------------------------------- the prompt


@given(questions, passage_lists, st.booleans())
def test_prompt_follows_the_layout(impl, question, passages, allow_search):
    """The prompt is the instruction (plus the search option when allowed), the passages numbered [1], [2], ... in
    order, and the question last, the three blocks separated by a blank line."""
    got = impl.build_grounded_prompt(question, passages, allow_search=allow_search)
    want = expected_prompt(question, passages, allow_search)
    expect(got == want, f"the prompt differs from the layout.\nexpected:\n{want}\n\ngot:\n{got}")


def test_prompt_example_and_empty_question(impl):
    """Two passages with surrounding whitespace are stripped and numbered; an empty question raises ValueError."""
    got = impl.build_grounded_prompt(" What is a norm? ", [("n1", " A norm is a length.\n"), ("n2", "L1 sums.")])
    want = INSTRUCTION + "\n\n[1] A norm is a length.\n[2] L1 sums.\n\nQuestion: What is a norm?\nAnswer:"
    expect(got == want, f"expected:\n{want}\n\ngot:\n{got}")
    assert_raises_value_error(impl.build_grounded_prompt, "  ", [("a", "b")], why="there is no question to answer")


# ----------------------------------------------------------------------------- claims and citations


@given(answers)
def test_claims_are_parsed_with_their_citations(impl, case):
    """Every claim is found with its text (markers removed, no space before the full stop) and the numbers it
    cites in order without repeats, whether the markers come before or after the punctuation, as [1, 2] or [1][2]."""
    answer, claims, _ = case
    got = as_pairs(impl.parse_claims(answer))
    expect(got == claims, f"parse_claims({answer!r})\ngave     {got!r}\nexpected {claims!r}")


@given(answers)
def test_citations_are_checked_against_the_passages(impl, case):
    """Claims citing a real passage are kept (with the valid numbers only), the others are unsupported, numbers
    outside 1..n are invalid, and the cited ids follow the order of first citation."""
    answer, claims, n = case
    ids = [f"p{i}" for i in range(1, n + 1)]
    kept, unsupported, invalid, cited = [], [], [], []
    for text, numbers in claims:
        valid = tuple(c for c in numbers if 1 <= c <= n)
        invalid += [c for c in numbers if not 1 <= c <= n]
        if valid:
            kept.append((text, valid))
            cited += [ids[c - 1] for c in valid]
        else:
            unsupported.append(text)
    got = impl.check_citations(answer, ids)
    expect(as_pairs(list(got.claims), "check_citations(...).claims") == kept,
           f"kept claims: got {as_pairs(list(got.claims))!r}, expected {kept!r}")
    expect(tuple(got.unsupported) == tuple(unsupported),
           f"unsupported: got {tuple(got.unsupported)!r}, expected {tuple(unsupported)!r}")
    expect(tuple(got.invalid) == tuple(dict.fromkeys(invalid)),
           f"invalid numbers: got {tuple(got.invalid)!r}, expected {tuple(dict.fromkeys(invalid))!r}")
    expect(tuple(got.cited_ids) == tuple(dict.fromkeys(cited)),
           f"cited ids: got {tuple(got.cited_ids)!r}, expected {tuple(dict.fromkeys(cited))!r}")


def test_worked_example(impl):
    """The lesson's example: 'Paris is in France [1]. It has 9 moons [7]. Nice.' keeps one claim, flags two, and
    reports 7 as an invented source."""
    got = impl.check_citations("Paris is in France [1]. It has 9 moons [7]. Nice.", ["geo", "astro"])
    expect(as_pairs(list(got.claims)) == [("Paris is in France.", (1,))], f"claims: {got.claims!r}")
    expect(tuple(got.unsupported) == ("It has 9 moons.", "Nice."), f"unsupported: {got.unsupported!r}")
    expect(tuple(got.invalid) == (7,) and tuple(got.cited_ids) == ("geo",), f"got {got!r}")
    expect(not got.grounded, "an answer with unsupported claims is not grounded")


def test_search_requests(impl):
    """'SEARCH: query' on the first non-blank line (any case) is a request for that query; anything else is not."""
    cases = {"SEARCH: vanishing gradients": "vanishing gradients", "\n  search:  HNSW recall \nmore": "HNSW recall",
             "The answer is 4 [1].": None, "SEARCH:   ": None, "I would SEARCH: x": None}
    for reply, want in cases.items():
        got = impl.parse_search_request(reply)
        expect(got == want, f"parse_search_request({reply!r}) gave {got!r}, expected {want!r}")


# ----------------------------------------------------------------------------- the agentic loop (scripted)

CORPUS = {"q1": [("a", "Alpha text."), ("b", "Beta text.")], "more about b": [("b", "Beta text."), ("c", "Gamma.")],
          "even more": [("d", "Delta."), ("d", "Delta."), ("a", "Alpha text.")]}


class Script:
    """A scripted generator and retriever that record every call."""

    def __init__(self, replies):
        self.replies, self.prompts, self.queries = list(replies), [], []

    def retrieve(self, query):
        self.queries.append(query)
        return CORPUS.get(query, [])

    def generate(self, prompt):
        self.prompts.append(prompt)
        return self.replies.pop(0) if self.replies else "SEARCH: even more"


def test_loop_answers_at_once(impl):
    """A generator that answers at once: one retrieval with the question, one prompt offering the search option,
    the answer's citations checked against the retrieved passages."""
    script = Script(["Alpha is first [1]."])
    result = impl.agentic_answer("q1", script.retrieve, script.generate, max_steps=3)
    expect(script.queries == ["q1"], f"retrieve was called with {script.queries}, expected ['q1']")
    expect(script.prompts == [expected_prompt("q1", CORPUS["q1"], True)], "the first prompt should be the grounded "
           "prompt over the retrieved passages with the search option")
    expect(result.stopped == "answered" and result.reply == "Alpha is first [1].", f"got {result!r}")
    expect(result.answer is not None and tuple(result.answer.cited_ids) == ("a",), f"answer: {result.answer!r}")
    expect([(s.query, tuple(s.new_ids)) for s in result.steps] == [("q1", ("a", "b"))], f"steps: {result.steps!r}")


def test_loop_searches_again_and_deduplicates(impl):
    """A generator that asks 'SEARCH: more about b' once: the second retrieval uses that query, adds only the new
    passage c after a and b (numbers stay stable), and the answer is checked against all three."""
    script = Script(["SEARCH: more about b", "Gamma follows [3]. Beta [2]."])
    result = impl.agentic_answer("q1", script.retrieve, script.generate, max_steps=3)
    gathered = [("a", "Alpha text."), ("b", "Beta text."), ("c", "Gamma.")]
    expect(script.queries == ["q1", "more about b"], f"retrieve was called with {script.queries}")
    expect(len(script.prompts) == 2 and script.prompts[1] == expected_prompt("q1", gathered, True),
           "the second prompt should hold a, b, c (in that order, no repeats) and still offer a search")
    expect([tuple(p) for p in result.passages] == gathered, f"passages: {result.passages!r}")
    expect([(s.query, tuple(s.new_ids)) for s in result.steps] == [("q1", ("a", "b")), ("more about b", ("c",))],
           f"steps: {result.steps!r}")
    expect(result.stopped == "answered" and tuple(result.answer.cited_ids) == ("c", "b"), f"got {result!r}")


def test_loop_stops_at_the_step_limit(impl):
    """A generator that always asks to search: exactly max_steps retrievals, the last prompt no longer offers the
    search option, and the loop stops with no answer (stopped == 'step_limit'); repeated ids are added once."""
    script = Script(["SEARCH: more about b", "SEARCH: even more", "SEARCH: again"])
    result = impl.agentic_answer("q1", script.retrieve, script.generate, max_steps=3)
    gathered = [("a", "Alpha text."), ("b", "Beta text."), ("c", "Gamma."), ("d", "Delta.")]
    expect(script.queries == ["q1", "more about b", "even more"], f"retrieve was called with {script.queries}")
    expect(len(script.prompts) == 3, f"the generator was called {len(script.prompts)} times, expected 3")
    expect(script.prompts[-1] == expected_prompt("q1", gathered, False),
           "the last prompt must not offer the search option (and holds a, b, c, d once each)")
    expect(result.stopped == "step_limit" and result.answer is None, f"got {result!r}")
    expect([tuple(s.new_ids) for s in result.steps] == [("a", "b"), ("c",), ("d",)], f"steps: {result.steps!r}")


def test_one_step_and_bad_limit(impl):
    """max_steps=1 retrieves once and never offers a search; max_steps < 1 raises ValueError."""
    script = Script(["I do not know."])
    result = impl.agentic_answer("q1", script.retrieve, script.generate, max_steps=1)
    expect(script.prompts == [expected_prompt("q1", CORPUS["q1"], False)], "with one step the prompt must not offer "
                                                                           "a search")
    expect(result.stopped == "answered" and tuple(result.answer.unsupported) == ("I do not know.",),
           f"got {result!r}")
    assert_raises_value_error(impl.agentic_answer, "q1", script.retrieve, script.generate, 0,
                              why="the loop needs at least one step")
