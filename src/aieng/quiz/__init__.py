"""The quiz engine: scoring (`scoring.score`) and spaced review (`schedule.review`), with no prompting.

The CLI and the web UI ask the questions; this package only judges answers and schedules items.
"""

from aieng.quiz.schedule import review
from aieng.quiz.scoring import Response, Result, expected_answer, score

__all__ = ["Response", "Result", "expected_answer", "review", "score"]
