"""Checks for `prompt-engineering`: a strict template filler, few-shot and chain-of-thought prompts, and
structured JSON output with validation and retries.

Oracles: Python's own str.format on valid templates; prompts spelled out plainly in the test; a brute-force
search for the example budget; json.loads and pydantic's own validation errors; and two kinds of model:
- a scripted stub (a callable returning prepared replies, recording every prompt). It is the right tool
  here because what is tested is the engine's behaviour (what it asks, when it retries, when it gives up),
  which must not depend on how good a model is;
- the course's GPT (untrained, greedy), to check that prompts fit its context and that the engine records
  exactly what a real model replied.
"""

from __future__ import annotations

import json
import string

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)

NAMES = st.sampled_from(["question", "context", "x", "answer_format", "n"])
PLAIN = st.text(alphabet=string.ascii_letters + string.digits + " .,:;!?-\n'\"", max_size=12)


def show(text: str) -> str:
    return repr(text) if len(text) < 300 else repr(text[:297] + "...")


def same_text(got: object, want: str, what: str) -> None:
    expect(isinstance(got, str), f"{what} should be a string, got {type(got).__name__}")
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
        raise AssertionError(f"{what} differs from the expected text at character {at}: expected "
                             f"...{want[max(0, at - 30):at + 30]!r}..., got ...{got[max(0, at - 30):at + 30]!r}... "
                             f"(lengths {len(want)} and {len(got)})")


# ----------------------------------------------------------------------------- fill


@st.composite
def templates(draw):
    """A template built from literal pieces (with escaped braces) and {name} placeholders, and its values."""
    pieces, used = [], set()
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["text", "brace", "field"]))
        if kind == "text":
            pieces.append(draw(PLAIN))
        elif kind == "brace":
            pieces.append(draw(st.sampled_from(["{{", "}}", "{{json}}"])))
        else:
            name = draw(NAMES)
            used.add(name)
            pieces.append("{" + name + "}")
    values = {name: draw(PLAIN | st.integers(-99, 99)) for name in sorted(used)}
    return "".join(pieces), values


@given(templates())
def test_fill_matches_str_format_on_valid_templates(impl, case):
    """fill(template, values) equals template.format(**values) whenever every placeholder is a plain name with a
    value and every value is used: {name} is replaced by str(value), {{ and }} become literal braces."""
    template, values = case
    same_text(impl.fill(template, values), template.format(**values), f"fill({template!r}, {values!r})")


def test_fill_leaves_braces_inside_values_alone(impl):
    """A value is inserted as is: braces inside it are not placeholders (no second round of filling)."""
    same_text(impl.fill("Q: {q}", {"q": "what is {x}?"}), "Q: what is {x}?", "fill with braces in a value")


def test_fill_rejects_missing_unused_and_fancy_placeholders(impl):
    """ValueError (not KeyError) for a placeholder without a value and for a value the template never uses (a
    typo would otherwise pass silently); for placeholders that are not plain names ({0}, {}, {a.b}, {a[0]},
    {a!r}, {a:>5}); and for a lone { or }."""
    assert_raises_value_error(impl.fill, "Hello {name}", {}, why="{name} has no value")
    assert_raises_value_error(impl.fill, "Hello {name}", {"name": "Ada", "nmae": "x"}, why="'nmae' is never used")
    for bad in ("{0}", "{}", "{a.b}", "{a[0]}", "{a!r}", "{a:>5}"):
        assert_raises_value_error(impl.fill, f"x {bad} y", {"a": 1}, why=f"{bad} is not a plain name")
    assert_raises_value_error(impl.fill, "open { brace", {}, why="a lone { is malformed (write {{)")
    assert_raises_value_error(impl.fill, "close } brace", {}, why="a lone } is malformed (write }})")


# ----------------------------------------------------------------------------- few-shot prompts

LINE = st.text(alphabet=string.ascii_lowercase + " .,?", min_size=1, max_size=15)


def expected_few_shot(instruction, examples, query, input_label="Input", output_label="Output"):
    head = [instruction] if instruction else []
    blocks = [f"{input_label}: {x}\n{output_label}: {y}" for x, y in examples]
    return "\n\n".join(head + blocks + [f"{input_label}: {query}\n{output_label}:"])


@given(st.text(alphabet=string.ascii_letters + " .", max_size=30), st.lists(st.tuples(LINE, LINE), max_size=4), LINE)
def test_few_shot_prompt_is_exactly_the_documented_string(impl, instruction, examples, query):
    """Blocks separated by one blank line: the instruction (omitted when empty), 'Input: x\\nOutput: y' per
    example, and 'Input: query\\nOutput:' with no trailing space."""
    same_text(impl.few_shot_prompt(instruction, examples, query), expected_few_shot(instruction, examples, query),
              "few-shot prompt")


def test_few_shot_prompt_uses_the_labels_given(impl):
    """Custom labels replace Input/Output everywhere, and the prompt ends with the output label and a colon."""
    got = impl.few_shot_prompt("Reverse each word.", [("cat", "tac"), ("dog", "god")], "owl",
                               input_label="Word", output_label="Reversed")
    want = "Reverse each word.\n\nWord: cat\nReversed: tac\n\nWord: dog\nReversed: god\n\nWord: owl\nReversed:"
    same_text(got, want, "few-shot prompt with labels Word/Reversed")


def words(text: str) -> int:
    return len(text.split())


@given(st.lists(st.tuples(LINE, LINE), max_size=6), st.integers(5, 60), st.sampled_from(["len", "words"]))
@settings(max_examples=30)
def test_few_shot_budget_keeps_the_most_examples_that_fit(impl, examples, budget, counter):
    """With max_tokens, the prompt keeps the first k examples for the largest k whose prompt has at most
    max_tokens tokens by count_tokens (brute force over k here), or raises ValueError if no k fits."""
    count = len if counter == "len" else words
    instruction, query = "Answer briefly.", "why?"
    fitting = [k for k in range(len(examples), -1, -1)
               if count(expected_few_shot(instruction, examples[:k], query)) <= budget]
    if not fitting:
        assert_raises_value_error(impl.few_shot_prompt, instruction, examples, query, max_tokens=budget,
                                  count_tokens=count, why=f"even the prompt without examples exceeds {budget} tokens")
        return
    got = impl.few_shot_prompt(instruction, examples, query, max_tokens=budget, count_tokens=count)
    same_text(got, expected_few_shot(instruction, examples[:fitting[0]], query),
              f"prompt within {budget} tokens ({counter})")


class CharModel:
    """The course's GPT (untrained, seeded) on printable ASCII, one token per character; generates greedily."""

    def __init__(self, block_size: int = 64) -> None:
        self.chars = string.printable
        self.index = {c: i for i, c in enumerate(self.chars)}
        torch.manual_seed(0)
        self.gpt = GPT(vocab_size=len(self.chars), block_size=block_size, n_layer=1, n_head=2, n_embd=16).eval()
        self.calls: list[str] = []

    def encode(self, text: str) -> list[int]:
        return [self.index.get(c, self.index[" "]) for c in text]

    def __call__(self, prompt: str, new_tokens: int = 12) -> str:
        self.calls.append(prompt)
        idx = torch.tensor([self.encode(prompt)])
        out = self.gpt.generate(idx, new_tokens, temperature=0.0)
        return "".join(self.chars[i] for i in out[0, idx.shape[1]:].tolist())


def test_few_shot_prompt_fits_the_gpt_context(impl):
    """For the course's GPT (context 64 characters), a few-shot prompt built with max_tokens = 64 - 12 leaves room
    for a 12-token answer: it encodes to at most 52 tokens, keeps as many examples as fit, and the GPT can
    continue it without cropping."""
    model = CharModel(block_size=64)
    examples = [("2+2", "4"), ("3+5", "8"), ("7+1", "8"), ("9+9", "18")]  # each adds 22 or 23 characters
    prompt = impl.few_shot_prompt("Add.", examples, "4+4", max_tokens=64 - 12,
                                  count_tokens=lambda t: len(model.encode(t)))
    n = len(model.encode(prompt))
    expect(n <= 52, f"the prompt has {n} tokens, more than 64 - 12 = 52")
    k = max(k for k in range(5) if len(model.encode(expected_few_shot("Add.", examples[:k], "4+4"))) <= 52)
    same_text(prompt, expected_few_shot("Add.", examples[:k], "4+4"), f"prompt for a 52-token budget ({k} examples)")
    expect(len(model(prompt, 12)) == 12, "the GPT should continue the prompt by 12 characters")


# ----------------------------------------------------------------------------- chain of thought


def test_chain_of_thought_prompt_is_exactly_the_documented_string(impl):
    """Worked examples 'Q: q\\nA: reasoning\\nThe answer is: a', a blank line between blocks, then 'Q: question\\nA:
    Let's think step by step.'; with no examples only the last block (zero-shot chain of thought)."""
    examples = [("Tom has 3 apples and buys 2. How many?", "He starts with 3 and adds 2, so 5.", "5")]
    want = ("Q: Tom has 3 apples and buys 2. How many?\nA: He starts with 3 and adds 2, so 5.\nThe answer is: 5\n\n"
            "Q: Ann has 4 pens and loses 1. How many?\nA: Let's think step by step.")
    same_text(impl.chain_of_thought_prompt("Ann has 4 pens and loses 1. How many?", examples), want, "CoT prompt")
    same_text(impl.chain_of_thought_prompt("Why?"), "Q: Why?\nA: Let's think step by step.", "zero-shot CoT prompt")


@given(st.lists(LINE, max_size=3), st.text(alphabet=string.ascii_letters + string.digits + " ", max_size=12), LINE)
def test_extract_answer_reads_the_last_marker_line(impl, before, answer, after):
    """extract_answer returns the text after the LAST 'The answer is:' up to the end of its line, stripped."""
    completion = "\n".join([*before, "The answer is: wrong", "so actually", f"The answer is: {answer}", after])
    got = impl.extract_answer(completion)
    expect(got == answer.strip(), f"extract_answer({show(completion)}) returned {got!r}, expected {answer.strip()!r}")


def test_extract_answer_without_a_marker_is_none(impl):
    """No marker in the completion (the model stopped early or ignored the format): None, not an exception."""
    expect(impl.extract_answer("I think it is 5") is None, "extract_answer should return None without a marker")
    expect(impl.extract_answer("Final: 7", marker="Final:") == "7", "a custom marker should be honoured")


# ----------------------------------------------------------------------------- structured output


class Capital(BaseModel):
    city: str
    confidence: float = Field(ge=0, le=1)


def test_json_instructions_end_with_the_schema(impl):
    """json_instructions(schema) ends with json.dumps(schema.model_json_schema()) on its last line (pydantic's
    JSON schema, so the model sees field names, types and bounds) after a line of instruction."""
    text = impl.json_instructions(Capital)
    head, _, last = text.rpartition("\n")
    same_text(last, json.dumps(Capital.model_json_schema()), "last line of json_instructions")
    expect(bool(head.strip()), "json_instructions should start with an instruction line before the schema")


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-9, 9) | st.text(string.ascii_letters, max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.text(string.ascii_letters, min_size=1, max_size=4), inner, max_size=3),
                           max_leaves=6)
CHATTER = st.text(alphabet=string.ascii_letters + " .:!`\n", max_size=20)


@given(st.dictionaries(st.text(string.ascii_letters, min_size=1, max_size=4), JSON_VALUES, max_size=4),
       CHATTER, CHATTER)
def test_extract_json_finds_the_object_inside_chatter(impl, obj, before, after):
    """Text around a JSON object ('Sure! ```json ... ``` Hope this helps') is cut away: json.loads of the result
    equals the object (the span runs from the first { to the last })."""
    text = before + json.dumps(obj) + after
    got = impl.extract_json(text)
    expect(json.loads(got) == obj, f"extract_json({show(text)}) returned {show(got)}")


def test_extract_json_without_braces_returns_the_stripped_text(impl):
    """With no {...} span, the stripped text comes back, so the JSON parser reports what is wrong with it."""
    same_text(impl.extract_json("  no json here \n"), "no json here", "extract_json without braces")


def test_retry_prompt_is_exactly_the_documented_string(impl):
    """retry_prompt(prompt, reply, error) = prompt, a blank line, 'Your previous reply was:', the reply, 'It was
    rejected: ' + error, and 'Reply again with the corrected JSON object only.', one per line."""
    want = ("P\n\nYour previous reply was:\n{bad}\nIt was rejected: E\n"
            "Reply again with the corrected JSON object only.")
    same_text(impl.retry_prompt("P", "{bad}", "E"), want, "retry prompt")


class Scripted:
    """A stub model: returns the prepared replies in order and records every prompt it is given."""

    def __init__(self, *replies: str) -> None:
        self.replies, self.prompts = list(replies), []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.replies:
            raise AssertionError("the model was called more often than the retries allow")
        return self.replies.pop(0)


def pydantic_error(span: str) -> str:
    """pydantic's own message for validating `span` as a Capital (the oracle of the fed-back error)."""
    try:
        Capital.model_validate_json(span)
    except ValidationError as exc:
        return str(exc)
    raise AssertionError("the test expected this span to be invalid")


def run(impl, model, max_retries=2):
    return impl.generate_structured(model, "What is the capital of France?", Capital, max_retries=max_retries)


def test_invalid_json_is_retried_with_the_error_fed_back(impl):
    """Reply 1 is not JSON ('{city: Paris}'), reply 2 is valid. Two calls: the first prompt is the question, a
    blank line and json_instructions(Capital); the second is retry_prompt(first prompt, reply 1, pydantic's
    error message). The result's value is Capital(city='Paris', confidence=0.9) and both attempts are kept."""
    bad = "Sure, here it is: {city: Paris}"
    model = Scripted(bad, '{"city": "Paris", "confidence": 0.9}')
    result = run(impl, model)
    first = "What is the capital of France?\n\n" + impl.json_instructions(Capital)
    expect(len(model.prompts) == 2, f"the model should be called twice, was called {len(model.prompts)} times")
    same_text(model.prompts[0], first, "first prompt")
    same_text(model.prompts[1], impl.retry_prompt(first, bad, pydantic_error("{city: Paris}")), "second prompt")
    expect(result.value == Capital(city="Paris", confidence=0.9), f"wrong value: {result.value!r}")
    expect(len(result.attempts) == 2, f"two attempts should be recorded, got {len(result.attempts)}")
    expect(result.attempts[0].reply == bad and result.attempts[0].error is not None, "attempt 1: its reply and error")
    expect(result.attempts[1].error is None, "the accepted attempt has error None")


def test_a_schema_violation_is_retried_too(impl):
    """Valid JSON that breaks the schema (confidence 1.5 > 1, in a code fence) is rejected with pydantic's
    message and retried; the third reply is accepted."""
    fenced = '```json\n{"city": "Paris", "confidence": 1.5}\n```'
    model = Scripted("no idea", fenced, '{"city": "Paris", "confidence": 1.0}')
    result = run(impl, model)
    first = "What is the capital of France?\n\n" + impl.json_instructions(Capital)
    expect(len(model.prompts) == 3, f"the model should be called 3 times, was called {len(model.prompts)} times")
    error = pydantic_error('{"city": "Paris", "confidence": 1.5}')
    same_text(model.prompts[2], impl.retry_prompt(first, fenced, error), "third prompt (built from the first prompt, "
              "not piled up)")
    expect(result.value.confidence == 1.0, f"wrong value: {result.value!r}")


def test_a_valid_first_reply_needs_no_retry(impl):
    """A valid first reply: one call, one attempt, error None."""
    model = Scripted('{"confidence": 0.5, "city": "Lyon"}')
    result = run(impl, model)
    expect(len(model.prompts) == 1 and len(result.attempts) == 1, "one call and one attempt expected")
    expect(result.value == Capital(city="Lyon", confidence=0.5), f"wrong value: {result.value!r}")


@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_gives_up_after_max_retries(impl, max_retries):
    """When every reply is invalid, the model is called exactly 1 + max_retries times, then a ValueError is raised
    whose `attempts` lists every attempt (prompt, reply, error)."""
    model = Scripted(*["nope"] * (max_retries + 1))
    with pytest.raises(ValueError) as caught:
        run(impl, model, max_retries=max_retries)
    expect(len(model.prompts) == max_retries + 1,
           f"with max_retries={max_retries} the model should be called {max_retries + 1} times, "
           f"was called {len(model.prompts)} times")
    attempts = getattr(caught.value, "attempts", None)
    expect(attempts is not None and len(attempts) == max_retries + 1,
           "the error should carry `attempts`, one per call (use StructuredOutputError)")
    expect(all(a.error for a in attempts), "every failed attempt should record its error message")


def test_rejects_negative_retries(impl):
    """max_retries < 0 raises ValueError before calling the model."""
    model = Scripted()
    assert_raises_value_error(run, impl, model, max_retries=-1, why="max_retries must be >= 0")
    expect(not model.prompts, "the model should not be called when max_retries is invalid")


def test_with_the_course_gpt_every_reply_is_recorded(impl):
    """With the course's GPT as the model (untrained, greedy, so never valid JSON), the engine calls it 3 times
    (max_retries = 2), then raises; each recorded reply is exactly what the GPT answers to that prompt."""
    model = CharModel()
    with pytest.raises(ValueError) as caught:
        run(impl, model)
    attempts = getattr(caught.value, "attempts", [])
    expect(len(model.calls) == 3 and len(attempts) == 3, f"expected 3 calls and 3 attempts, got {len(model.calls)} "
           f"and {len(attempts)}")
    for k, attempt in enumerate(attempts):
        same_text(attempt.prompt, model.calls[k], f"prompt of attempt {k + 1}")
        same_text(attempt.reply, model(attempt.prompt), f"reply of attempt {k + 1}")
