"""Prompt engineering as code: a strict template filler, few-shot and chain-of-thought prompts, and
structured (JSON) output validated with pydantic and retried with the validation error fed back.

A prompt is a program's input, so it deserves what other inputs get: one function that builds it, a
test that pins the exact string (a stray trailing space changes how a BPE tokenizer splits the next
word), a budget check against the context length, and validation of what comes back.

- `fill`: ``{name}`` placeholders, ``{{`` and ``}}`` for literal braces, every value used exactly once
  or a ValueError (a misspelt name is caught, not silently left in the prompt).
- `few_shot_prompt`: instruction, solved examples, the query; examples dropped from the end until the
  prompt fits a token budget.
- `chain_of_thought_prompt` and `extract_answer`: worked examples whose answers show their reasoning,
  a cue ("Let's think step by step."), and a fixed answer line to parse.
- `generate_structured`: ask for JSON that follows a pydantic model's JSON schema, validate the reply,
  and on failure ask again with the reply and the error message, at most `max_retries` times.

The model is any callable ``generate(prompt) -> str``: the course's GPT, an API client, or a scripted
stub in tests (the engine's behaviour is what is tested there, not a model's).

Left out: chat templates with roles, tool calling, constrained (grammar-guided) decoding, which makes
invalid JSON impossible instead of retrying.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

__all__ = [
    "Attempt", "StructuredOutputError", "StructuredResult", "chain_of_thought_prompt", "extract_answer",
    "extract_json", "few_shot_prompt", "fill", "generate_structured", "json_instructions", "retry_prompt",
]


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace each ``{name}`` in `template` by ``str(values[name])``; ``{{`` and ``}}`` are literal braces.

    Strict, unlike ``str.format``: a placeholder must be a plain identifier (no ``{0}``, ``{a.b}``,
    ``{a!r}``, ``{a:>5}``, ``{}``), every placeholder needs a value, and every value must be used.

    >>> fill("Translate {word} into French. {{json}}", {"word": "cat"})
    'Translate cat into French. {json}'
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone "{" or "}"
        raise ValueError(f"malformed template: {exc}") from None
    out, used = [], set()
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"placeholder {{{shown}}} is not a plain name")
        if name not in values:
            raise ValueError(f"no value for placeholder {{{name}}}")
        out.append(str(values[name]))
        used.add(name)
    unused = sorted(set(values) - used)
    if unused:
        raise ValueError(f"values never used by the template: {', '.join(unused)}")
    return "".join(out)


def few_shot_prompt(instruction: str, examples: Sequence[tuple[str, str]], query: str, *,
                    input_label: str = "Input", output_label: str = "Output", max_tokens: int | None = None,
                    count_tokens: Callable[[str], int] = len) -> str:
    """Blocks separated by one blank line: the instruction (left out if empty), one block per example
    ``"{input_label}: {x}\\n{output_label}: {y}"``, and the query ``"{input_label}: {query}\\n{output_label}:"``
    with no trailing space: the model writes the space as part of its first token.

    With `max_tokens`, keeps the first k examples for the largest k whose prompt has at most
    `max_tokens` tokens by `count_tokens` (default: characters, right for a character-level model);
    ValueError if even the prompt without examples is too long.
    """
    if max_tokens is not None and max_tokens < 1:
        raise ValueError(f"max_tokens must be positive, got {max_tokens}")
    head = [instruction] if instruction else []
    tail = f"{input_label}: {query}\n{output_label}:"
    blocks = [f"{input_label}: {x}\n{output_label}: {y}" for x, y in examples]
    for k in range(len(blocks), -1, -1):
        prompt = "\n\n".join([*head, *blocks[:k], tail])
        if max_tokens is None or count_tokens(prompt) <= max_tokens:
            return prompt
    raise ValueError(f"the prompt has {count_tokens(prompt)} tokens without any example, over max_tokens = "
                     f"{max_tokens}")


COT_CUE = "Let's think step by step."
ANSWER_MARKER = "The answer is:"


def chain_of_thought_prompt(question: str, examples: Sequence[tuple[str, str, str]] = (), *,
                            cue: str = COT_CUE, marker: str = ANSWER_MARKER) -> str:
    """A chain-of-thought prompt: worked examples ``(question, reasoning, answer)`` written as
    ``"Q: {q}\\nA: {reasoning}\\n{marker} {answer}"``, blocks separated by a blank line, then
    ``"Q: {question}\\nA: {cue}"``. The model continues the reasoning and, copying the examples, ends with
    the marker line that `extract_answer` reads. With no examples it is zero-shot CoT (the cue alone).
    """
    blocks = [f"Q: {q}\nA: {reasoning}\n{marker} {answer}" for q, reasoning, answer in examples]
    return "\n\n".join([*blocks, f"Q: {question}\nA: {cue}"])


def extract_answer(completion: str, marker: str = ANSWER_MARKER) -> str | None:
    """The text after the *last* `marker` in `completion`, up to the end of that line, stripped; None when
    the marker never appears (the model ran out of tokens, or did not follow the format)."""
    if not marker:
        raise ValueError("the marker must not be empty")
    at = completion.rfind(marker)
    if at < 0:
        return None
    return completion[at + len(marker):].split("\n", 1)[0].strip()


def json_instructions(schema: type[BaseModel]) -> str:
    """What to append to a prompt to ask for JSON: one line of instruction and the model's JSON schema
    (``json.dumps(schema.model_json_schema())``)."""
    return ("Reply with a single JSON object, and nothing else, that follows this JSON schema:\n"
            + json.dumps(schema.model_json_schema()))


def extract_json(text: str) -> str:
    """The span from the first ``{`` to the last ``}`` (models like to wrap JSON in chatter or code
    fences); the stripped text itself when there is no such span, so that the parser reports the error."""
    start, end = text.find("{"), text.rfind("}")
    return text[start:end + 1] if 0 <= start < end else text.strip()


def retry_prompt(prompt: str, reply: str, error: str) -> str:
    """The prompt of the next attempt: the original prompt, the rejected reply and why it was rejected.

    ``f"{prompt}\\n\\nYour previous reply was:\\n{reply}\\nIt was rejected: {error}\\nReply again with the
    corrected JSON object only."``. Built from the *original* prompt every time, so retries do not pile up.
    """
    return (f"{prompt}\n\nYour previous reply was:\n{reply}\nIt was rejected: {error}\n"
            "Reply again with the corrected JSON object only.")


@dataclass(frozen=True)
class Attempt:
    """One call of the model: what it was asked, what it said, and why that was rejected (None: accepted)."""

    prompt: str
    reply: str
    error: str | None


@dataclass(frozen=True)
class StructuredResult:
    """The validated object and the attempts it took (the last one accepted)."""

    value: BaseModel
    attempts: list[Attempt] = field(default_factory=list)


class StructuredOutputError(ValueError):
    """Every attempt failed validation; `attempts` holds them all."""

    def __init__(self, message: str, attempts: list[Attempt]) -> None:
        super().__init__(message)
        self.attempts = attempts


def generate_structured(generate: Callable[[str], str], prompt: str, schema: type[BaseModel],
                        max_retries: int = 2) -> StructuredResult:
    """Ask `generate` for a JSON object valid under the pydantic model `schema`, retrying on failure.

    1. First prompt: ``prompt + "\\n\\n" + json_instructions(schema)``.
    2. Parse: ``schema.model_validate_json(extract_json(reply))``; both bad JSON and a wrong field raise
       pydantic's ValidationError, whose message says what and where.
    3. On failure, if retries are left, call again with ``retry_prompt(first_prompt, reply, str(error))``.

    At most ``1 + max_retries`` calls; then StructuredOutputError (a ValueError) with every attempt.
    """
    if not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be an integer >= 0, got {max_retries!r}")
    first = f"{prompt}\n\n{json_instructions(schema)}"
    attempts: list[Attempt] = []
    current = first
    for _ in range(1 + max_retries):
        reply = generate(current)
        if not isinstance(reply, str):
            raise ValueError(f"generate must return a string, got {type(reply).__name__}")
        try:
            value = schema.model_validate_json(extract_json(reply))
        except ValidationError as exc:
            attempts.append(Attempt(current, reply, str(exc)))
            current = retry_prompt(first, reply, str(exc))
            continue
        attempts.append(Attempt(current, reply, None))
        return StructuredResult(value, attempts)
    raise StructuredOutputError(f"no valid {schema.__name__} after {len(attempts)} attempts; last error: "
                                f"{attempts[-1].error}", attempts)
