"""The progress store (SQLAlchemy 2 + Alembic): SQLite in the workspace by default, or
$AIENG_DATABASE_URL (e.g. PostgreSQL for a classroom server)."""

from aieng.progress.store import DATABASE_URL_ENV, ExerciseProgress, Store

__all__ = ["DATABASE_URL_ENV", "ExerciseProgress", "Store"]
