"""The progress store: every check, hint and solution view, in SQLite by default or PostgreSQL.

`Store(url)` migrates the database to the newest schema (Alembic) and exposes small, committed-at-once
operations, so a crash in the middle of a check loses nothing already recorded.
"""

from __future__ import annotations

import copy
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from aieng.errors import StoreError
from aieng.progress.models import Attempt, HintUnlock, Learner, QuizAnswer, ReviewCard, SolutionView

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest Alembic revision. Checking it with one SELECT spares every CLI start the import of alembic
# (~75 ms); tests/test_store.py asserts it equals alembic's head.
SCHEMA_HEAD = "0003"
DATABASE_URL_ENV = "AIENG_DATABASE_URL"


@dataclass(frozen=True)
class ExerciseProgress:
    """A learner's history with one exercise, summarised."""

    attempts: int
    passed: bool
    last_status: str
    first_pass_at: datetime | None


def _explain(exc: SQLAlchemyError, url: str) -> StoreError:
    text = str(getattr(exc, "orig", exc)).lower()
    where = url.removeprefix("sqlite:///")
    if "locked" in text or "busy" in text:
        return StoreError(f"the progress database {where} is locked by another program; close it and try again")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the progress database {where} is damaged ({text}). Your exercise files are safe: move the "
            "database aside and run the command again to start a fresh record"
        )
    return StoreError(f"the progress database {where} cannot be used: {text}")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest Alembic revision (a no-op when it is already there)."""
    with engine.begin() as connection:
        if inspect(connection).has_table("alembic_version"):
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if current == SCHEMA_HEAD:
                return
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """Progress of one learner (`learner_name`, default: the OS user) in the database at `url`.

    `busy_timeout`: seconds SQLite waits for another process's write lock before giving up.
    """

    def __init__(self, url: str, learner_name: str | None = None, busy_timeout: float = 5.0) -> None:
        self.url = url
        try:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
                self.engine = create_engine(url, connect_args={"timeout": busy_timeout})
                event.listen(self.engine, "connect", _sqlite_pragmas)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
            migrate(self.engine)
            self.learner_id = self._learner(learner_name or _default_learner())
        except (DatabaseError, OperationalError) as exc:
            raise _explain(exc, url) from None
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the progress database {url}: {exc}") from None

    def as_learner(self, learner_name: str) -> Store:
        """The same database (and connection pool) seen as another learner: what a classroom server hands
        each signed-in request. Every query of the returned store is scoped to that learner."""
        other = copy.copy(self)
        other.learner_id = self._learner(learner_name)
        return other

    @classmethod
    def for_sqlite_file(cls, path: Path, learner_name: str | None = None) -> Store:
        """The store for a workspace: $AIENG_DATABASE_URL if set, else SQLite at `path`."""
        return cls(os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{path}", learner_name)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except (DatabaseError, OperationalError) as exc:
            raise _explain(exc, self.url) from None

    def _learner(self, name: str) -> int:
        with self._session() as s:
            learner = s.scalar(select(Learner).where(Learner.name == name))
            if learner is None:
                learner = Learner(name=name)
                s.add(learner)
                s.flush()
            return learner.id

    def record_attempt(
        self, exercise_id: str, *, status: str, passed: bool, n_passed: int, n_failed: int, duration: float,
        code: str, code_sha256: str,
    ) -> None:
        with self._session() as s:
            s.add(Attempt(
                learner_id=self.learner_id, exercise_id=exercise_id, status=status, passed=passed,
                n_passed=n_passed, n_failed=n_failed, duration=duration, code=code, code_sha256=code_sha256,
            ))

    def attempts(self, exercise_id: str | None = None) -> list[Attempt]:
        with self._session() as s:
            query = select(Attempt).where(Attempt.learner_id == self.learner_id).order_by(Attempt.id)
            if exercise_id is not None:
                query = query.where(Attempt.exercise_id == exercise_id)
            return list(s.scalars(query))

    def progress(self) -> dict[str, ExerciseProgress]:
        """Per exercise id: number of attempts, whether any passed, the last status, the first pass time."""
        summary: dict[str, ExerciseProgress] = {}
        with self._session() as s:
            rows = s.execute(
                select(Attempt.exercise_id, Attempt.status, Attempt.passed, Attempt.created_at)
                .where(Attempt.learner_id == self.learner_id)
                .order_by(Attempt.id)
            )
            for exercise_id, status, passed, created_at in rows:
                before = summary.get(exercise_id)
                first_pass = before.first_pass_at if before else None
                if passed and first_pass is None:
                    first_pass = created_at
                summary[exercise_id] = ExerciseProgress(
                    attempts=(before.attempts if before else 0) + 1,
                    passed=bool(passed) or (before.passed if before else False),
                    last_status=status,
                    first_pass_at=first_pass,
                )
        return summary

    def has_passed(self, exercise_id: str) -> bool:
        with self._session() as s:
            return bool(s.scalar(select(func.count()).select_from(Attempt).where(
                Attempt.learner_id == self.learner_id, Attempt.exercise_id == exercise_id, Attempt.passed
            )))

    def hints_unlocked(self, exercise_id: str) -> int:
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(HintUnlock).where(
                HintUnlock.learner_id == self.learner_id, HintUnlock.exercise_id == exercise_id
            )) or 0)

    def unlock_hint(self, exercise_id: str, available: int) -> int:
        """Reveal one more hint (up to `available`); return how many are unlocked now."""
        unlocked = self.hints_unlocked(exercise_id)
        if unlocked < available:
            with self._session() as s:
                s.add(HintUnlock(learner_id=self.learner_id, exercise_id=exercise_id, hint_index=unlocked + 1))
            unlocked += 1
        return unlocked

    def record_solution_view(self, exercise_id: str, before_pass: bool) -> None:
        with self._session() as s:
            s.add(SolutionView(learner_id=self.learner_id, exercise_id=exercise_id, before_pass=before_pass))

    def solution_views(self, exercise_id: str) -> list[SolutionView]:
        with self._session() as s:
            return list(s.scalars(select(SolutionView).where(
                SolutionView.learner_id == self.learner_id, SolutionView.exercise_id == exercise_id
            )))


    # ---- quizzes and spaced review ------------------------------------------------------------------
    def record_quiz_answer(self, item_id: str, stage_id: str, *, correct: bool, score: float, response: str,
                           at: datetime, card: str, due: datetime) -> None:
        """Record an answer and store the item's new review schedule, in one transaction."""
        with self._session() as s:
            s.add(QuizAnswer(learner_id=self.learner_id, item_id=item_id, stage_id=stage_id, correct=correct,
                             score=score, response=response, created_at=at))
            row = s.scalar(select(ReviewCard).where(ReviewCard.learner_id == self.learner_id,
                                                    ReviewCard.item_id == item_id))
            if row is None:
                s.add(ReviewCard(learner_id=self.learner_id, item_id=item_id, card=card, due=due))
            else:
                row.card, row.due = card, due

    def review_card(self, item_id: str) -> str | None:
        with self._session() as s:
            return s.scalar(select(ReviewCard.card).where(ReviewCard.learner_id == self.learner_id,
                                                          ReviewCard.item_id == item_id))

    def due_items(self, now: datetime) -> list[str]:
        """Ids of the quiz items whose review is due at `now` (naive UTC), the most overdue first."""
        with self._session() as s:
            query = select(ReviewCard.item_id).where(ReviewCard.learner_id == self.learner_id, ReviewCard.due <= now)
            return list(s.scalars(query.order_by(ReviewCard.due, ReviewCard.id)))

    def quiz_answers(self, stage_id: str | None = None) -> list[QuizAnswer]:
        with self._session() as s:
            query = select(QuizAnswer).where(QuizAnswer.learner_id == self.learner_id).order_by(QuizAnswer.id)
            if stage_id is not None:
                query = query.where(QuizAnswer.stage_id == stage_id)
            return list(s.scalars(query))


def _default_learner() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"
