"""The progress store: attempts, hints and solution views survive; damage gets a clear message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aieng.errors import StoreError
from aieng.progress import Store
from aieng.progress.store import SCHEMA_HEAD


def _attempt(store: Store, exercise_id: str, passed: bool) -> None:
    store.record_attempt(exercise_id, status="passed" if passed else "failed", passed=passed, n_passed=3,
                         n_failed=0 if passed else 2, duration=0.4, code="def f(): pass\n", code_sha256="ab" * 32)


def test_attempts_are_recorded_with_their_code(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'p.db'}", "ada")
    _attempt(store, "vector-norms", False)
    _attempt(store, "vector-norms", True)
    _attempt(store, "vector-norms", False)
    attempts = store.attempts("vector-norms")
    assert [a.passed for a in attempts] == [False, True, False]
    assert attempts[0].code == "def f(): pass\n" and attempts[0].duration == pytest.approx(0.4)
    progress = store.progress()["vector-norms"]
    assert progress.attempts == 3 and progress.passed and progress.last_status == "failed"
    assert progress.first_pass_at == attempts[1].created_at
    assert store.has_passed("vector-norms") and not store.has_passed("dot-products")


def test_progress_survives_reopening_and_is_per_learner(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    _attempt(Store(url, "ada"), "vector-norms", True)
    assert Store(url, "ada").has_passed("vector-norms")
    assert not Store(url, "grace").has_passed("vector-norms")


def test_hints_unlock_one_at_a_time_up_to_the_last(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    assert store.hints_unlocked("x") == 0
    assert [store.unlock_hint("x", available=2) for _ in range(3)] == [1, 2, 2]
    assert store.hints_unlocked("x") == 2 and store.hints_unlocked("y") == 0


def test_solution_views_record_whether_before_a_pass(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    store.record_solution_view("x", before_pass=True)
    assert [v.before_pass for v in store.solution_views("x")] == [True]


def test_schema_is_created_by_alembic(tmp_path: Path) -> None:
    Store(f"sqlite:///{tmp_path / 'p.db'}")
    with sqlite3.connect(tmp_path / "p.db") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
        version = db.execute("select version_num from alembic_version").fetchone()[0]
    assert {"learner", "attempt", "hint_unlock", "solution_view", "quiz_answer", "review_card", "account"} <= tables
    assert version == SCHEMA_HEAD


def test_a_database_from_an_older_release_is_upgraded_in_place(tmp_path: Path) -> None:
    """A learner's progress recorded under schema 0001 survives the upgrade to the newest schema."""
    from alembic import command

    from aieng.progress.store import alembic_config

    url = f"sqlite:///{tmp_path / 'p.db'}"
    store = Store(url, "ada")
    _attempt(store, "vector-norms", True)
    with store.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert Store(url, "ada").has_passed("vector-norms")
    with sqlite3.connect(tmp_path / "p.db") as db:
        assert db.execute("select version_num from alembic_version").fetchone()[0] == SCHEMA_HEAD


def test_schema_head_constant_matches_the_migrations() -> None:
    from alembic.script import ScriptDirectory

    from aieng.progress.store import SCHEMA_HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_a_damaged_database_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"damaged.*exercise files are safe"):
        Store(f"sqlite:///{path}")


def test_a_locked_database_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = Store(f"sqlite:///{path}", busy_timeout=0.1)
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            _attempt(store, "x", True)
    finally:
        holder.rollback()
        holder.close()
