"""What a learner can do, as plain functions over the course, the workspace, the grader and the store.

The CLI and the web UI are two thin faces over `LearnerSession`: neither holds logic the other lacks.
"""

from __future__ import annotations

import ast
import difflib
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from aieng.course import Course, Exercise, GlossaryTerm, Stage, load
from aieng.course.loader import module_file
from aieng.course.model import QuizItem
from aieng.errors import UsageError, did_you_mean
from aieng.grader import Limits, Report, grade
from aieng.progress import ExerciseProgress, Store
from aieng.quiz import Response, Result, review, score
from aieng.workspace import Workspace, sha256

State = Literal["done", "attempted", "todo"]


@dataclass(frozen=True)
class ExerciseStatus:
    exercise: Exercise
    state: State
    attempts: int
    unlocked: bool  # every exercise it requires is done


@dataclass(frozen=True)
class StageStatus:
    stage: Stage
    exercises: tuple[ExerciseStatus, ...]

    @property
    def done(self) -> int:
        return sum(e.state == "done" for e in self.exercises)

    @property
    def percent(self) -> float:
        return 100.0 * self.done / len(self.exercises) if self.exercises else 0.0


@dataclass(frozen=True)
class ProgressSummary:
    """What the progress page charts (and `aieng progress` prints)."""

    attempts_per_day: list[tuple[date, int, int]]  # day, checks run, checks passed
    time_to_pass: list[tuple[str, float, int]]  # exercise id, minutes from first check to first pass, checks needed
    quiz_accuracy: list[tuple[str, int, float]]  # stage id, answers given, mean score in [0, 1]


def utcnow() -> datetime:
    """The clock every dated operation reads (naive UTC); tests replace it to travel in time."""
    return datetime.now(UTC).replace(tzinfo=None)


def _term_key(name: str) -> str:
    """A term as compared for lookup: lower case, hyphens and runs of spaces as one space."""
    return " ".join(name.lower().replace("-", " ").split())


def find_term(course: Course, name: str) -> GlossaryTerm:
    """The glossary entry for `name`: exact (any case), else the one term containing it; UsageError otherwise."""
    if (term := course.term(name)) is not None:
        return term
    key = _term_key(name)
    same = [t for t in course.glossary if _term_key(t.term) == key]  # "fine tuning" finds "fine-tuning"
    if len(same) == 1:
        return same[0]
    containing = [t for t in course.glossary if key in _term_key(t.term)]
    if len(containing) == 1:
        return containing[0]
    names = [t.term for t in course.glossary]
    close = difflib.get_close_matches(name.lower(), [n.lower() for n in names], n=3, cutoff=0.6)
    suggestions = [n for n in names if n.lower() in close] or [t.term for t in containing[:3]]
    hint = f" — did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise UsageError(f"no glossary term {name!r}{hint} (see `aieng glossary`)")


def find_exercise(course: Course, exercise_id: str) -> Exercise:
    """The exercise with this id (a unique prefix or the folder's slug works too); UsageError otherwise."""
    if exercise_id in course:
        return course[exercise_id]
    matches = [ex for ex in course.exercises
               if ex.id.startswith(exercise_id) or ex.slug.split("_", 1)[1] == exercise_id.replace("-", "_")]
    if len(matches) == 1:
        return matches[0]
    raise UsageError(did_you_mean(exercise_id, [ex.id for ex in course.exercises], "exercise id")
                     + " (see `aieng list`)")


class SolutionLocked(UsageError):
    """The solution was asked for before a pass, without confirmation."""


class LearnerSession:
    """One learner working in one workspace."""

    def __init__(self, workspace: Workspace, course: Course | None = None, store: Store | None = None) -> None:
        self.workspace = workspace
        self.course = course or load()
        self.store = store or Store.for_sqlite_file(workspace.database_path)

    @classmethod
    def open(cls, start: Path | None = None) -> LearnerSession:
        return cls(Workspace.find(start))

    # ---- looking things up -------------------------------------------------------------------------
    def exercise(self, exercise_id: str) -> Exercise:
        return find_exercise(self.course, exercise_id)

    def stage(self, stage_id: str) -> Stage:
        try:
            return self.course.stage(stage_id)
        except KeyError:
            names = [s.id for s in self.course.stages] + [s.id.split("_", 1)[1] for s in self.course.stages]
            raise UsageError(did_you_mean(stage_id, names, "stage")) from None

    def roadmap(self) -> list[StageStatus]:
        progress = self.store.progress()
        done = {ex_id for ex_id, p in progress.items() if p.passed}
        stages = []
        for stage in self.course.stages:
            rows = []
            for ex in stage.exercises:
                p = progress.get(ex.id, ExerciseProgress(0, False, "", None))
                state: State = "done" if p.passed else "attempted" if p.attempts else "todo"
                rows.append(ExerciseStatus(ex, state, p.attempts, all(r in done for r in ex.requires)))
            stages.append(StageStatus(stage, tuple(rows)))
        return stages

    def next_exercise(self, roadmap: list[StageStatus] | None = None) -> Exercise | None:
        """The first exercise not yet done whose prerequisites are all done."""
        for stage in roadmap or self.roadmap():
            for status in stage.exercises:
                if status.state != "done" and status.unlocked:
                    return status.exercise
        return None

    # ---- doing things ------------------------------------------------------------------------------
    def check(self, exercise: Exercise, limits: Limits | None = None) -> Report:
        """Grade the learner's file for `exercise`, record the attempt, and say which hint comes next."""
        path = self.workspace.path_for(exercise)
        code = self.workspace.code_of(exercise)
        report = grade(exercise, path, limits)
        if code is not None:
            self.store.record_attempt(
                exercise.id, status=report.status, passed=report.passed, n_passed=report.n_passed,
                n_failed=report.n_failed, duration=report.duration, code=code, code_sha256=sha256(code),
            )
        unlocked = self.store.hints_unlocked(exercise.id)
        report.next_hint = unlocked + 1 if unlocked < len(exercise.hints) else None
        return report

    def hint(self, exercise: Exercise) -> list[str]:
        """Unlock the next hint; return every hint unlocked so far (the newest last)."""
        unlocked = self.store.unlock_hint(exercise.id, len(exercise.hints))
        return list(exercise.hints[:unlocked])

    def solution(self, exercise: Exercise, confirmed: bool = False) -> str:
        """The reference source of the exercise's entry names. Before a pass, only when `confirmed`
        (and the early look is recorded)."""
        passed = self.store.has_passed(exercise.id)
        if not passed and not confirmed:
            raise SolutionLocked(
                f"you have not passed {exercise.id} yet; try `aieng hint {exercise.id}` first, or confirm with "
                f"`aieng solution {exercise.id} --yes`"
            )
        self.store.record_solution_view(exercise.id, before_pass=not passed)
        return reference_source(exercise)

    def reset(self, exercise: Exercise) -> Path | None:
        return self.workspace.reset(exercise)

    def save(self, exercise: Exercise, text: str, base_sha256: str | None) -> str:
        """Save code written in another face (the web editor); EditConflict if the file changed meanwhile."""
        return self.workspace.save(exercise, text, base_sha256)

    def progress_summary(self) -> ProgressSummary:
        """Checks per day, time and checks needed to pass each exercise, quiz accuracy per stage."""
        attempts = sorted(self.store.attempts(), key=lambda a: a.created_at)
        runs: Counter[date] = Counter(a.created_at.date() for a in attempts)
        passes: Counter[date] = Counter(a.created_at.date() for a in attempts if a.passed)
        per_day = [(day, runs[day], passes[day]) for day in sorted(runs)]
        first: dict[str, datetime] = {}
        count: Counter[str] = Counter()
        to_pass: dict[str, tuple[float, int]] = {}
        for a in attempts:
            first.setdefault(a.exercise_id, a.created_at)
            if a.exercise_id in to_pass:
                continue
            count[a.exercise_id] += 1
            if a.passed:
                minutes = (a.created_at - first[a.exercise_id]).total_seconds() / 60
                to_pass[a.exercise_id] = (minutes, count[a.exercise_id])
        scores: defaultdict[str, list[float]] = defaultdict(list)
        for answer in self.store.quiz_answers():
            scores[answer.stage_id].append(answer.score)
        accuracy = [(stage.id, len(scores[stage.id]), sum(scores[stage.id]) / len(scores[stage.id]))
                    for stage in self.course.stages if scores[stage.id]]
        return ProgressSummary(per_day, [(ex, *v) for ex, v in to_pass.items()], accuracy)

    # ---- quizzes -----------------------------------------------------------------------------------
    def quiz_items(self, stage: Stage | None = None, n: int | None = None, seed: int | None = None) -> list[QuizItem]:
        """Up to `n` items of a stage's quiz (all stages' when `stage` is None), in a shuffled order."""
        items = list(stage.quiz if stage else self.course.quiz_items)
        random.Random(seed).shuffle(items)
        return items[:n] if n else items

    def answer(self, item: QuizItem, response: Response, now: datetime | None = None) -> Result:
        """Score an answer, record it and reschedule the item's review (FSRS)."""
        result = score(item, response)
        now = now or utcnow()
        card, due = review(self.store.review_card(item.id), result, now)
        stored = response if isinstance(response, str | float | bool) else list(response)
        self.store.record_quiz_answer(item.id, item.stage_id, correct=result.correct, score=result.score,
                                      response=json.dumps(stored), at=now, card=card, due=due)
        return result

    def due_items(self, now: datetime | None = None) -> list[QuizItem]:
        """The quiz items due for review at `now`, the most overdue first."""
        by_id = {item.id: item for item in self.course.quiz_items}
        return [by_id[i] for i in self.store.due_items(now or utcnow()) if i in by_id]


def reference_source(exercise: Exercise) -> str:
    """The reference module's imports, private helpers and the exercise's entry definitions, in file order
    (other exercises' solutions that share the module are left out)."""
    path = module_file(exercise.reference)
    assert path is not None, exercise.reference
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    keep = []
    for node in tree.body:
        name = getattr(node, "name", None)
        if isinstance(node, ast.Assign):
            name = next((t.id for t in node.targets if isinstance(t, ast.Name)), None)
        if (isinstance(node, ast.Import | ast.ImportFrom) or name in exercise.entry
                or (name or "").startswith("_") or (node is tree.body[0] and isinstance(node, ast.Expr))):
            keep.append(ast.get_source_segment(source, node, padded=True) or "")
    return "\n\n\n".join(keep).strip() + "\n"
