"""Prompt engineering as code — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check prompt-engineering`.
The classes Attempt, StructuredResult and StructuredOutputError are given: use them as they are.
"""

# (no `from __future__ import annotations` here: the dataclasses below need real annotations when this file
# is loaded on its own)
import json  # noqa: F401  (you will want it)
import string  # noqa: F401  (string.Formatter().parse splits a template)
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError  # noqa: F401  (you will want it)


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace each {name} in `template` by str(values[name]); {{ and }} stand for literal braces.

    Strict: raise ValueError when a placeholder has no value, when a value is never used, when a placeholder is
    not a plain identifier ({0}, {}, {a.b}, {a[0]}, {a!r}, {a:>5}), or for a lone { or }.
    """
    raise NotImplementedError


def few_shot_prompt(instruction: str, examples: Sequence[tuple[str, str]], query: str, *,
                    input_label: str = "Input", output_label: str = "Output", max_tokens: int | None = None,
                    count_tokens: Callable[[str], int] = len) -> str:
    """Blocks joined by one blank line ("\\n\\n"): the instruction (left out when empty), then one block
    f"{input_label}: {x}\\n{output_label}: {y}" per example, then f"{input_label}: {query}\\n{output_label}:"
    (no trailing space).

    With max_tokens: keep the first k examples for the largest k such that count_tokens(prompt) <= max_tokens;
    raise ValueError if even k = 0 does not fit.
    """
    raise NotImplementedError


def chain_of_thought_prompt(question: str, examples: Sequence[tuple[str, str, str]] = (), *,
                            cue: str = "Let's think step by step.", marker: str = "The answer is:") -> str:
    """Worked examples (question, reasoning, answer) as f"Q: {q}\\nA: {reasoning}\\n{marker} {answer}", blocks
    joined by "\\n\\n", then f"Q: {question}\\nA: {cue}"."""
    raise NotImplementedError


def extract_answer(completion: str, marker: str = "The answer is:") -> str | None:
    """The text after the LAST `marker` in `completion`, up to the end of that line, stripped; None if the marker
    does not occur. ValueError for an empty marker."""
    raise NotImplementedError


def json_instructions(schema: type[BaseModel]) -> str:
    """An instruction line asking for a single JSON object and nothing else, then (as the last line)
    json.dumps(schema.model_json_schema())."""
    raise NotImplementedError


def extract_json(text: str) -> str:
    """text[first '{' : last '}' + 1] when such a span exists, else text.strip()."""
    raise NotImplementedError


def retry_prompt(prompt: str, reply: str, error: str) -> str:
    """f"{prompt}\\n\\nYour previous reply was:\\n{reply}\\nIt was rejected: {error}\\n"
    "Reply again with the corrected JSON object only." """
    raise NotImplementedError


@dataclass(frozen=True)
class Attempt:
    """One call of the model: the prompt, the reply, and why it was rejected (None when accepted)."""

    prompt: str
    reply: str
    error: str | None


@dataclass(frozen=True)
class StructuredResult:
    """The validated object and every attempt it took (the last one accepted)."""

    value: BaseModel
    attempts: list[Attempt] = field(default_factory=list)


class StructuredOutputError(ValueError):
    """Every attempt failed; `attempts` holds them all."""

    def __init__(self, message: str, attempts: list[Attempt]) -> None:
        super().__init__(message)
        self.attempts = attempts


def generate_structured(generate: Callable[[str], str], prompt: str, schema: type[BaseModel],
                        max_retries: int = 2) -> StructuredResult:
    """Ask `generate` (prompt -> reply) for a JSON object valid under `schema`, retrying on failure.

    first = prompt + "\\n\\n" + json_instructions(schema). Each reply is parsed with
    schema.model_validate_json(extract_json(reply)); pydantic raises ValidationError for bad JSON and for
    schema violations alike. On failure, call again with retry_prompt(first, reply, str(error)). At most
    1 + max_retries calls; then raise StructuredOutputError(message, attempts). Return
    StructuredResult(value, attempts) on success. ValueError for max_retries < 0 (before any call).
    """
    raise NotImplementedError
