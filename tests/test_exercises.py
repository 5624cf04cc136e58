"""Every exercise's tests pass on the reference solution and fail on the untouched starter.

This keeps the course honest: a test that cannot fail is a defect, and so is a reference that does
not pass its own exercise. The suites run in-process (`run_suite`), the same code the grader's child
runs. Select one exercise with `pytest tests/test_exercises.py -k vector-norms`.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from types import ModuleType

import pytest

from aieng.course import Exercise, load
from aieng.grader.suite import run_suite

EXERCISES = load().exercises


def _load_starter(exercise: Exercise) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"starter_{exercise.id.replace('-', '_')}", exercise.starter_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _summary(checks: list) -> str:
    return "\n".join(f"  {c.outcome:7} {c.name}: {c.message[:300]} {c.falsifying_example}" for c in checks)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_reference_passes(exercise: Exercise) -> None:
    checks = run_suite(exercise.test_path, importlib.import_module(exercise.reference))
    assert checks, f"{exercise.id}: its tests collected no check"
    failed = [c for c in checks if not c.passed]
    assert not failed, f"{exercise.id}: the reference fails its own tests:\n{_summary(failed)}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_starter_fails(exercise: Exercise) -> None:
    checks = run_suite(exercise.test_path, _load_starter(exercise))
    assert any(not c.passed for c in checks), f"{exercise.id}: every check passes on the untouched starter"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_every_check_has_a_docstring(exercise: Exercise) -> None:
    """A check's docstring is the feedback a learner reads; a bare test name is not enough."""
    tree = ast.parse(exercise.test_path.read_text(encoding="utf-8"))
    tests = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    undocumented = [t.name for t in tests if not ast.get_docstring(t)]
    assert tests, f"{exercise.id}: no test functions in {exercise.test_path.name}"
    assert not undocumented, f"{exercise.id}: tests without a docstring: {undocumented}"
