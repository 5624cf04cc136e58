"""The course as immutable data: a `Course` holds `Stage`s, a stage holds `Exercise`s.

Built once by `aieng.course.load()`; nothing here reads files or runs code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Kind = Literal["implement", "achieve"]
QuizType = Literal["single", "multiple", "numeric", "short", "essay"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: a lesson to read, a starter to edit, tests that grade it."""

    id: str
    title: str
    summary: str
    stage_id: str
    slug: str  # folder name, e.g. "01_vector_norms"; the workspace file is <stage>/<slug>.py
    folder: Path
    requires: tuple[str, ...]
    difficulty: int
    minutes: int
    kind: Kind
    reference: str  # dotted module path of the solution in aieng.lib
    entry: tuple[str, ...]  # names the learner must define
    oracle: str
    glossary: tuple[str, ...]
    hints: tuple[str, ...]

    @property
    def lesson_path(self) -> Path:
        return self.folder / "lesson.md"

    @property
    def starter_path(self) -> Path:
        return self.folder / "starter.py"

    @property
    def test_path(self) -> Path:
        return self.folder / f"test_{self.slug.split('_', 1)[1]}.py"

    @property
    def workspace_relpath(self) -> Path:
        """Where the learner's copy lives inside a workspace."""
        return Path(self.stage_id) / f"{self.slug}.py"

    def lesson(self) -> str:
        return self.lesson_path.read_text(encoding="utf-8")

    def starter(self) -> str:
        return self.starter_path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class QuizItem:
    """One quiz question. What `answer` holds depends on `type`:

    single: the correct choice (a string among `choices`); multiple: the correct choices (a tuple);
    numeric: the number, right within `tolerance`; short: a model answer the learner grades themself
    against; essay: unused, the learner assesses themself against `rubric`.
    """

    id: str
    stage_id: str
    type: QuizType
    prompt: str
    explanation: str
    choices: tuple[str, ...] = ()
    answer: str | float | tuple[str, ...] | None = None
    tolerance: float | None = None
    rubric: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()  # ids of exercises whose lesson teaches it
    glossary: tuple[str, ...] = ()  # glossary terms it tests


@dataclass(frozen=True)
class Stage:
    """A stage of the roadmap (e.g. `01_math`), its exercises in order."""

    id: str
    title: str
    summary: str
    library: str  # the aieng.lib package that mirrors it
    exercises: tuple[Exercise, ...] = field(default=())
    quiz: tuple[QuizItem, ...] = field(default=())


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    related: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()  # ids of exercises whose lesson teaches it


@dataclass(frozen=True)
class Course:
    """The whole course; look exercises up by id with `course[id]`."""

    title: str
    root: Path
    stages: tuple[Stage, ...]
    glossary: tuple[GlossaryTerm, ...] = ()

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(ex for stage in self.stages for ex in stage.exercises)

    def __getitem__(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)

    def __contains__(self, exercise_id: object) -> bool:
        return any(ex.id == exercise_id for ex in self.exercises)

    @property
    def quiz_items(self) -> tuple[QuizItem, ...]:
        return tuple(item for stage in self.stages for item in stage.quiz)

    def term(self, name: str) -> GlossaryTerm | None:
        """The glossary entry for `name` (case-insensitive), or None."""
        return next((t for t in self.glossary if t.term.lower() == name.lower()), None)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage_id in (stage.id, stage.id.split("_", 1)[1]):
                return stage
        raise KeyError(stage_id)
