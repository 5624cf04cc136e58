"""Score one answer to one quiz item. Pure functions: no prompting, no storage, no clock.

A response is what the learner gave, by item type:
single: the chosen choice (str); multiple: the chosen choices (a collection of str); numeric: a number;
short: True/False, the learner's own verdict after reading the model answer; essay: one True/False per
rubric criterion, the learner's self-assessment.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from aieng.course.model import QuizItem

Response = str | float | bool | Collection[str] | Collection[bool]


@dataclass(frozen=True)
class Result:
    """How an answer went: `correct` for the record, `score` in [0, 1] for partial credit."""

    item_id: str
    correct: bool
    score: float
    expected: str  # the right answer, in words
    explanation: str


def expected_answer(item: QuizItem) -> str:
    """The right answer of `item` as a learner should read it."""
    if item.type == "multiple":
        return "; ".join(item.answer)  # type: ignore[arg-type]
    if item.type == "numeric":
        return f"{item.answer:g} (± {item.tolerance:g})"
    if item.type == "essay":
        return "a good answer covers: " + "; ".join(item.rubric)
    return str(item.answer)


def score(item: QuizItem, response: Response) -> Result:
    """Score `response` to `item`; ValueError if the response does not fit the item's type."""
    if item.type == "single":
        if response not in item.choices:
            raise ValueError(f"{response!r} is not one of the choices")
        points = float(response == item.answer)
    elif item.type == "multiple":
        chosen = set(response)  # type: ignore[arg-type]
        if not chosen <= set(item.choices):
            raise ValueError(f"{sorted(chosen - set(item.choices))} are not among the choices")
        right = set(item.answer)  # type: ignore[arg-type]
        # partial credit: right picks minus wrong picks, over the number of right answers
        points = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))
    elif item.type == "numeric":
        value = float(response)  # type: ignore[arg-type]
        if not math.isfinite(value):
            raise ValueError("the answer must be a finite number")
        points = float(abs(value - item.answer) <= item.tolerance)  # type: ignore[operator]
    elif item.type == "short":
        if not isinstance(response, bool):
            raise ValueError("a short answer is self-graded: True if yours matched the model answer")
        points = float(response)
    else:
        verdicts = list(response)  # type: ignore[arg-type]
        if len(verdicts) != len(item.rubric) or not all(isinstance(v, bool) for v in verdicts):
            raise ValueError(f"an essay is self-assessed with one True/False per criterion ({len(item.rubric)})")
        points = sum(verdicts) / len(verdicts)
    return Result(item.id, points == 1.0, points, expected_answer(item), item.explanation)
