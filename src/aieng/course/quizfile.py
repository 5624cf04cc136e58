"""Read and validate a stage's `quiz.toml`: a list of `[[item]]` tables, one per question.

```toml
[[item]]
id = "norm-of-3-4"                 # kebab-case, unique in the course: review schedules key on it
type = "numeric"                   # single | multiple | numeric | short | essay
prompt = "What is the L2 norm of (3, 4)?"
answer = 5.0
tolerance = 1e-9                   # numeric items only, and required there
explanation = "sqrt(3^2 + 4^2) = 5."
lessons = ["vector-norms"]         # exercise ids whose lesson teaches it; and/or
glossary = ["norm"]                # glossary terms it tests
```
single: `choices` and `answer` (one of them); multiple: `choices` and `answer` (a list of them);
short: `answer` is the model answer; essay: `rubric`, a list of criteria.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aieng.course.model import QuizItem
from aieng.errors import CourseError

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_COMMON = {"id", "type", "prompt", "explanation", "lessons", "glossary"}
_ALLOWED = {
    "single": _COMMON | {"choices", "answer"},
    "multiple": _COMMON | {"choices", "answer"},
    "numeric": _COMMON | {"answer", "tolerance"},
    "short": _COMMON | {"answer"},
    "essay": _COMMON | {"rubric"},
}


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _item(path: Path, stage_id: str, number: int, data: dict[str, Any]) -> QuizItem:
    name = f"item #{number} ({data.get('id', 'no id')})"

    def fail(message: str) -> CourseError:
        return CourseError(f"{path}: {name}: {message}")

    kind = data.get("type")
    if kind not in _ALLOWED:
        raise fail(f"field 'type' must be one of {', '.join(_ALLOWED)}, got {kind!r}")
    if not isinstance(data.get("id"), str) or not _KEBAB.match(data["id"]):
        raise fail("field 'id' must be a kebab-case string")
    for field in ("prompt", "explanation"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise fail(f"field '{field}' must be a non-empty string")
    unknown = sorted(set(data) - _ALLOWED[kind])
    if unknown:
        raise fail(f"unknown field(s) for a {kind} item: {', '.join(unknown)}")
    for field in ("lessons", "glossary"):
        if field in data and not _strings(data[field]):
            raise fail(f"field '{field}' must be a list of strings")
    if not data.get("lessons") and not data.get("glossary"):
        raise fail("needs a link: 'lessons' (exercise ids) or 'glossary' (terms) it tests")

    choices: tuple[str, ...] = ()
    answer: Any = data.get("answer")
    if kind in ("single", "multiple"):
        if not _strings(data.get("choices")) or len(data["choices"]) < 2:
            raise fail("field 'choices' must list at least two choices")
        choices = tuple(data["choices"])
        if len(set(choices)) != len(choices):
            raise fail("field 'choices' has duplicates")
        wanted = [answer] if kind == "single" else answer
        if kind == "single" and not isinstance(answer, str):
            raise fail("field 'answer' must be one of the choices (a string)")
        if kind == "multiple" and (not _strings(answer) or not answer):
            raise fail("field 'answer' must be a non-empty list of choices")
        missing = [a for a in wanted if a not in choices]
        if missing:
            raise fail(f"answer {missing[0]!r} is not among the choices")
        answer = answer if kind == "single" else tuple(answer)
    elif kind == "numeric":
        if not isinstance(answer, int | float) or isinstance(answer, bool):
            raise fail("field 'answer' must be a number")
        tolerance = data.get("tolerance")
        if not isinstance(tolerance, int | float) or isinstance(tolerance, bool) or tolerance < 0:
            raise fail("a numeric item needs 'tolerance', a number >= 0")
        answer = float(answer)
    elif kind == "short":
        if not isinstance(answer, str) or not answer.strip():
            raise fail("field 'answer' must be the model answer (a non-empty string)")
    elif not _strings(data.get("rubric")) or not data["rubric"]:
        raise fail("an essay item needs 'rubric', a non-empty list of criteria")
    return QuizItem(
        id=data["id"], stage_id=stage_id, type=kind, prompt=data["prompt"].strip(),
        explanation=data["explanation"].strip(), choices=choices, answer=answer,
        tolerance=float(data["tolerance"]) if kind == "numeric" else None,
        rubric=tuple(data.get("rubric", ())), lessons=tuple(data.get("lessons", ())),
        glossary=tuple(data.get("glossary", ())),
    )


def load_quiz(path: Path, stage_id: str, data: dict[str, Any]) -> tuple[QuizItem, ...]:
    """The items of one quiz file, each checked for its type's fields (links are checked by the loader)."""
    items = data.get("item", [])
    if not isinstance(items, list):
        raise CourseError(f"{path}: expected a list of [[item]] tables")
    return tuple(_item(path, stage_id, i + 1, item) for i, item in enumerate(items))
