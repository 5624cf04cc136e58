"""The course: roadmap, stages, exercises (data, validated once at load)."""

from functools import cache
from pathlib import Path

from aieng.course.loader import COURSE_ROOT
from aieng.course.loader import load as _load
from aieng.course.model import Course, Exercise, GlossaryTerm, Stage

__all__ = ["Course", "Exercise", "GlossaryTerm", "Stage", "load"]


@cache
def load(root: Path = COURSE_ROOT) -> Course:
    """The validated course under `root` (cached: the course is immutable)."""
    return _load(root)
