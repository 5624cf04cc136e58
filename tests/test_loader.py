"""The course loader rejects a malformed exercise with a message naming the file and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aieng.course import load
from aieng.course.loader import load as fresh_load
from aieng.errors import CourseError

EXERCISE = "01_math/01_vector_norms"


def test_the_packaged_course_is_valid() -> None:
    course = load()
    assert [s.id for s in course.stages][:2] == ["00_python", "01_math"]
    assert len(course.stages) == 9
    ids = [ex.id for ex in course.exercises]
    assert len(ids) == len(set(ids)) and "vector-norms" in ids


def _edit(course_dir: Path, name: str, old: str, new: str) -> None:
    path = course_dir / EXERCISE / name
    text = path.read_text()
    assert re.search(old, text, flags=re.MULTILINE), old
    path.write_text(re.sub(old, new, text, count=1, flags=re.MULTILINE))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("exercise.toml", r"^difficulty = 1$", "", "field 'difficulty' is missing"),
        ("exercise.toml", r"^difficulty = 1$", "difficulty = 9", "field 'difficulty' must be an integer from 1 to 5"),
        ("exercise.toml", r'^id = "vector-norms"$', 'id = "Vector Norms"', "field 'id' must be a kebab-case"),
        ("exercise.toml", r"^requires = \[\]$", 'requires = ["nope"]', "field 'requires': unknown id 'nope'"),
        ("exercise.toml", r"^requires = \[\]$", 'requires = ["vector-norms"]', "must come earlier"),
        ("exercise.toml", r'^kind = "implement"$', 'kind = "build"', "field 'kind'"),
        ("exercise.toml", r"(?s)^hints = \[.*\]\s*\Z", "hints = []\n", "field 'hints' must be a non-empty list"),
        ("exercise.toml", r'^entry = \["norm", "normalize"\]$', 'entry = ["norm", "cosine"]',
         "field 'entry': cosine not defined in starter.py"),
        ("exercise.toml", r'^reference = ".*"$', 'reference = "aieng.lib.math.nothing"', "field 'reference'"),
        ("exercise.toml", r'"linear algebra"\]', '"linear algebra", "flux capacitor"]', "'flux capacitor'"),
        ("exercise.toml", r"^minutes = 20$", "minutes = 20\nfoo = 1", "unknown field(s) foo"),
        ("exercise.toml", r"^minutes = 20$", "minutes = = 20", "invalid TOML"),
        ("starter.py", r"^def normalize", "def normalise", "normalize not defined in starter.py"),
    ],
)
def test_malformed_exercise_is_rejected(mini_course_dir: Path, file: str, old: str, new: str, message: str) -> None:
    _edit(mini_course_dir, file, old, new)
    with pytest.raises(CourseError) as info:
        fresh_load(mini_course_dir)
    assert message in str(info.value)
    assert str(mini_course_dir / EXERCISE) in str(info.value)


def test_missing_lesson_is_rejected(mini_course_dir: Path) -> None:
    (mini_course_dir / EXERCISE / "lesson.md").unlink()
    with pytest.raises(CourseError, match=r"expected file lesson\.md"):
        fresh_load(mini_course_dir)


def test_duplicate_ids_are_rejected(mini_course_dir: Path) -> None:
    import shutil

    shutil.copytree(mini_course_dir / EXERCISE, mini_course_dir / "01_math/02_vector_norms")
    with pytest.raises(CourseError, match="already used"):
        fresh_load(mini_course_dir)


def test_duplicate_glossary_terms_are_rejected(mini_course_dir: Path) -> None:
    glossary = mini_course_dir / "glossary.toml"
    glossary.write_text(glossary.read_text() + '\n[[term]]\nterm = "Vector"\ndefinition = "again"\n')
    with pytest.raises(CourseError, match="defined twice"):
        fresh_load(mini_course_dir)


def test_missing_stage_file_is_rejected(mini_course_dir: Path) -> None:
    (mini_course_dir / "02_stats" / "stage.toml").unlink()
    with pytest.raises(CourseError, match=r"02_stats/stage\.toml: file is missing"):
        fresh_load(mini_course_dir)
