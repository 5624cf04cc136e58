"""The course: roadmap, stages, exercises (data, validated once at load)."""

import os
from functools import cache
from pathlib import Path

from aieng.course.loader import COURSE_ROOT
from aieng.course.loader import load as _load
from aieng.course.model import Course, Exercise, GlossaryTerm, QuizItem, Stage

__all__ = ["COURSE_DIR_ENV", "Course", "Exercise", "GlossaryTerm", "QuizItem", "Stage", "load"]
COURSE_DIR_ENV = "AIENG_COURSE_DIR"


def load(root: Path | None = None) -> Course:
    """The validated course under `root`, else $AIENG_COURSE_DIR, else the packaged course."""
    return _load_cached(Path(root or os.environ.get(COURSE_DIR_ENV) or COURSE_ROOT).resolve())


@cache
def _load_cached(root: Path) -> Course:
    return _load(root)
