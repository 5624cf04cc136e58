"""Shared fixtures for aieng's own tests.

Core tests run on a small course of their own (`mini_course`): a copy of the packaged roadmap with
just the `vector-norms` exercise, so they do not change as the real course grows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

from aieng.course import COURSE_DIR_ENV, Course, load
from aieng.course.loader import COURSE_ROOT

# xdist runs one worker per core: a worker's BLAS (and OpenMP) using every core as well makes small matrix
# products 10-20x slower on a busy machine, not faster. The grader's child does the same for learners.
threadpool_limits(1)

REFERENCE_NORMS = Path(__file__).resolve().parents[1] / "src/aieng/lib/math/vectors.py"


def make_mini_course(root: Path) -> Path:
    """Copy the roadmap, the stage files, the glossary and the vector-norms exercise to `root`."""
    root.mkdir(parents=True)
    for name in ("roadmap.toml", "glossary.toml"):
        shutil.copy(COURSE_ROOT / name, root / name)
    for stage in COURSE_ROOT.iterdir():
        if (stage / "stage.toml").exists():
            (root / stage.name).mkdir()
            shutil.copy(stage / "stage.toml", root / stage.name / "stage.toml")
    shutil.copytree(COURSE_ROOT / "01_math/01_vector_norms", root / "01_math/01_vector_norms")
    return root


@pytest.fixture
def mini_course_dir(tmp_path: Path) -> Path:
    return make_mini_course(tmp_path / "course")


@pytest.fixture
def mini_course(mini_course_dir: Path) -> Course:
    return load(mini_course_dir)


@pytest.fixture
def env(tmp_path: Path, mini_course_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment for CLI tests: the mini course, no database URL, cwd in an empty folder."""
    monkeypatch.setenv(COURSE_DIR_ENV, str(mini_course_dir))
    monkeypatch.delenv("AIENG_DATABASE_URL", raising=False)
    monkeypatch.delenv("AIENG_WORKSPACE", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    return home
