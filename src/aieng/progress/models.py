"""The progress store's tables (SQLAlchemy 2 typed declarative). Schema changes go through Alembic
migrations in `migrations/versions/`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Learner(Base):
    __tablename__ = "learner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Account(Base):
    """A classroom sign-in: one per learner or instructor; the password only as an argon2 hash."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"), unique=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # "learner" or "instructor"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(Base):
    """One grading run: what was checked, how it went, and the exact code that was checked."""

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(40))
    passed: Mapped[bool]
    n_passed: Mapped[int]
    n_failed: Mapped[int]
    duration: Mapped[float]
    code_sha256: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(Text)


class HintUnlock(Base):
    """The learner revealed hint number `hint_index` (1-based) of an exercise."""

    __tablename__ = "hint_unlock"
    __table_args__ = (UniqueConstraint("learner_id", "exercise_id", "hint_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(200))
    hint_index: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SolutionView(Base):
    """The learner looked at the reference solution; `before_pass` if they had not passed yet."""

    __tablename__ = "solution_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(200))
    before_pass: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAnswer(Base):
    """One answer to one quiz item, as scored by `aieng.quiz.score`."""

    __tablename__ = "quiz_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(200), index=True)
    stage_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    correct: Mapped[bool]
    score: Mapped[float]
    response: Mapped[str] = mapped_column(Text)  # JSON of what the learner answered


class ReviewCard(Base):
    """The FSRS schedule of one quiz item for one learner (`card` is fsrs's JSON)."""

    __tablename__ = "review_card"
    __table_args__ = (UniqueConstraint("learner_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(200))
    due: Mapped[datetime] = mapped_column(index=True)
    card: Mapped[str] = mapped_column(Text)
