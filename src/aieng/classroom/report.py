"""The instructor's view of a class: who has done what, where the class gets stuck, quiz accuracy per stage,
and the grades as CSV. Aggregates over every learner with an account (instructors left out)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from aieng.classroom.classroom import Classroom
from aieng.progress.models import Account, Attempt, HintUnlock, QuizAnswer


@dataclass(frozen=True)
class Stuck:
    exercise_id: str
    failed_checks: int  # failing checks summed over every attempt
    hints: int  # hints revealed, all learners
    attempted: int  # learners who checked at least once
    done: int  # learners who passed


@dataclass(frozen=True)
class ClassReport:
    learners: list[str]
    exercise_ids: list[str]  # course order, only those someone attempted
    state: dict[tuple[str, str], str]  # (learner, exercise) -> "done" | "attempted"
    stuck: list[Stuck]  # most failed checks first
    quiz: list[tuple[str, int, float]]  # stage id, answers, mean score

    def done_count(self, learner: str) -> int:
        return sum(self.state.get((learner, e)) == "done" for e in self.exercise_ids)


def class_report(classroom: Classroom) -> ClassReport:
    learners_q = select(Account.username, Account.learner_id).where(Account.role == "learner")
    with Session(classroom.store.engine) as s:
        accounts = dict(s.execute(learners_q).tuples().all())
        ids = list(accounts.values())
        by_id = {v: k for k, v in accounts.items()}
        attempts = s.execute(
            select(Attempt.learner_id, Attempt.exercise_id, func.max(cast(Attempt.passed, Integer)),
                   func.sum(Attempt.n_failed)).where(Attempt.learner_id.in_(ids))
            .group_by(Attempt.learner_id, Attempt.exercise_id)).tuples().all()
        hints = dict(s.execute(select(HintUnlock.exercise_id, func.count()).where(HintUnlock.learner_id.in_(ids))
                               .group_by(HintUnlock.exercise_id)).tuples().all())
        quiz = s.execute(select(QuizAnswer.stage_id, func.count(), func.avg(QuizAnswer.score))
                         .where(QuizAnswer.learner_id.in_(ids)).group_by(QuizAnswer.stage_id)).tuples().all()
    state: dict[tuple[str, str], str] = {}
    failed: defaultdict[str, int] = defaultdict(int)
    attempted: defaultdict[str, int] = defaultdict(int)
    done: defaultdict[str, int] = defaultdict(int)
    for learner_id, exercise_id, passed, n_failed in attempts:
        state[(by_id[learner_id], exercise_id)] = "done" if passed else "attempted"
        failed[exercise_id] += int(n_failed or 0)
        attempted[exercise_id] += 1
        done[exercise_id] += int(bool(passed))
    order = [e.id for e in classroom.course.exercises]
    touched = [e for e in order if attempted[e]]
    stuck = sorted((Stuck(e, failed[e], int(hints.get(e, 0)), attempted[e], done[e]) for e in touched),
                   key=lambda x: (-x.failed_checks, -x.hints, order.index(x.exercise_id)))
    stages = [s.id for s in classroom.course.stages]
    quiz_rows = sorted(((stage, int(n), float(mean)) for stage, n, mean in quiz),
                       key=lambda row: stages.index(row[0]) if row[0] in stages else len(stages))
    return ClassReport(sorted(accounts), touched, state, stuck, quiz_rows)


def grades_csv(report: ClassReport, course_exercise_ids: list[str]) -> str:
    """One row per learner: exercises done, then 1 (done) / 0 (attempted) / blank per exercise."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "exercises_done", *course_exercise_ids])
    for learner in report.learners:
        cells = [{"done": "1", "attempted": "0"}.get(report.state.get((learner, e), ""), "")
                 for e in course_exercise_ids]
        writer.writerow([learner, sum(c == "1" for c in cells), *cells])
    return out.getvalue()

