"""Load and validate the course from its folder of TOML, Markdown and Python files.

Every problem is a `CourseError` naming the file and the field, so a malformed exercise is caught
when the course loads (in CI, by the course's own tests), never when a learner meets it.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from aieng.course.model import Course, Exercise, GlossaryTerm, QuizItem, Stage
from aieng.course.quizfile import load_quiz
from aieng.errors import CourseError

COURSE_ROOT = Path(__file__).resolve().parent
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SLUG = re.compile(r"^\d\d_[a-z0-9_]+$")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path}: file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseError(f"{path}: invalid TOML: {exc}") from None


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


# field -> (check, description used in the error message)
_EXERCISE_FIELDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "id": (lambda v: isinstance(v, str) and bool(_KEBAB.match(v)), "a kebab-case string"),
    "title": (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string"),
    "summary": (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string"),
    "requires": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of ids"),
    "difficulty": (lambda v: isinstance(v, int) and 1 <= v <= 5, "an integer from 1 to 5"),
    "minutes": (lambda v: isinstance(v, int) and 1 <= v <= 600, "a number of minutes (1-600)"),
    "kind": (lambda v: v in ("implement", "achieve"), "'implement' or 'achieve'"),
    "reference": (lambda v: isinstance(v, str) and v.startswith("aieng.lib."), "a module under aieng.lib"),
    "entry": (lambda v: _is_str_list(v) and len(v) > 0, "a non-empty list of names"),
    "oracle": (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string"),
    "glossary": (_is_str_list, "a list of glossary terms"),
    "hints": (lambda v: _is_str_list(v) and len(v) > 0, "a non-empty list of hints"),
}


def _check_fields(path: Path, data: Mapping[str, Any]) -> None:
    for name, (ok, description) in _EXERCISE_FIELDS.items():
        if name not in data:
            raise CourseError(f"{path}: field '{name}' is missing (expected {description})")
        if not ok(data[name]):
            raise CourseError(f"{path}: field '{name}' must be {description}, got {data[name]!r}")
    unknown = sorted(set(data) - set(_EXERCISE_FIELDS))
    if unknown:
        raise CourseError(f"{path}: unknown field(s) {', '.join(unknown)}")


def defined_names(source_path: Path) -> set[str]:
    """Top-level names a Python file defines (functions, classes, assignments), without running it."""
    try:
        tree = ast.parse(source_path.read_text(encoding="utf-8"), filename=str(source_path))
    except SyntaxError as exc:
        raise CourseError(f"{source_path}: syntax error on line {exc.lineno}: {exc.msg}") from None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def module_file(dotted: str) -> Path | None:
    """The source file of a module, found without executing the module itself."""
    try:
        spec = importlib.util.find_spec(dotted)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin else None


def _load_exercise(stage_id: str, folder: Path) -> Exercise:
    toml_path = folder / "exercise.toml"
    data = _read_toml(toml_path)
    _check_fields(toml_path, data)
    exercise = Exercise(
        id=data["id"],
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        stage_id=stage_id,
        slug=folder.name,
        folder=folder,
        requires=tuple(data["requires"]),
        difficulty=data["difficulty"],
        minutes=data["minutes"],
        kind=data["kind"],
        reference=data["reference"],
        entry=tuple(data["entry"]),
        oracle=data["oracle"].strip(),
        glossary=tuple(data["glossary"]),
        hints=tuple(h.strip() for h in data["hints"]),
    )
    for path in (exercise.lesson_path, exercise.starter_path, exercise.test_path):
        if not path.is_file():
            raise CourseError(f"{toml_path}: expected file {path.name} beside it")
    reference_path = module_file(exercise.reference)
    if reference_path is None:
        raise CourseError(f"{toml_path}: field 'reference': module {exercise.reference} not found")
    for label, source in (("starter.py", exercise.starter_path), (exercise.reference, reference_path)):
        missing = [name for name in exercise.entry if name not in defined_names(source)]
        if missing:
            raise CourseError(f"{toml_path}: field 'entry': {', '.join(missing)} not defined in {label}")
    return exercise


def _load_glossary(root: Path) -> tuple[GlossaryTerm, ...]:
    path = root / "glossary.toml"
    if not path.exists():
        return ()
    terms = []
    seen: set[str] = set()
    for i, item in enumerate(_read_toml(path).get("term", [])):
        if not isinstance(item.get("term"), str) or not isinstance(item.get("definition"), str):
            raise CourseError(f"{path}: term #{i + 1} needs string fields 'term' and 'definition'")
        if item["term"].lower() in seen:
            raise CourseError(f"{path}: term {item['term']!r} is defined twice")
        seen.add(item["term"].lower())
        terms.append(GlossaryTerm(item["term"], item["definition"].strip(), tuple(item.get("related", ())),
                                  tuple(item.get("lessons", ()))))
    return tuple(terms)


def _check_requires(exercises: list[Exercise]) -> None:
    """Every `requires` id exists and comes earlier in the roadmap (so the graph is acyclic)."""
    seen: set[str] = set()
    all_ids = {ex.id for ex in exercises}
    for ex in exercises:
        for req in ex.requires:
            if req not in all_ids:
                raise CourseError(f"{ex.folder / 'exercise.toml'}: field 'requires': unknown id {req!r}")
            if req not in seen:
                raise CourseError(
                    f"{ex.folder / 'exercise.toml'}: field 'requires': {req!r} must come earlier in the "
                    "roadmap (a cycle or a forward reference)"
                )
        seen.add(ex.id)


def load(root: Path = COURSE_ROOT) -> Course:
    """Read roadmap.toml, every stage.toml and exercise folder under `root`; validate; return a Course."""
    roadmap = _read_toml(root / "roadmap.toml")
    stage_ids = roadmap.get("stages")
    if not _is_str_list(stage_ids):
        raise CourseError(f"{root / 'roadmap.toml'}: field 'stages' must be a list of stage folder names")
    stages = []
    for stage_id in stage_ids:
        stage_dir = root / stage_id
        meta = _read_toml(stage_dir / "stage.toml")
        for name in ("title", "summary", "library"):
            if not isinstance(meta.get(name), str):
                raise CourseError(f"{stage_dir / 'stage.toml'}: field '{name}' must be a string")
        folders = sorted(p for p in stage_dir.iterdir() if p.is_dir() and _SLUG.match(p.name))
        exercises = tuple(_load_exercise(stage_id, f) for f in folders)
        quiz_path = stage_dir / "quiz.toml"
        quiz = load_quiz(quiz_path, stage_id, _read_toml(quiz_path)) if quiz_path.exists() else ()
        stages.append(Stage(stage_id, meta["title"], meta["summary"], meta["library"], exercises, quiz))

    all_exercises = [ex for stage in stages for ex in stage.exercises]
    ids: dict[str, Path] = {}
    for ex in all_exercises:
        if ex.id in ids:
            raise CourseError(f"{ex.folder / 'exercise.toml'}: field 'id': {ex.id!r} already used in {ids[ex.id]}")
        ids[ex.id] = ex.folder
    _check_requires(all_exercises)

    glossary = _load_glossary(root)
    known_terms = {t.term.lower() for t in glossary}
    for ex in all_exercises:
        unknown = [t for t in ex.glossary if t.lower() not in known_terms]
        if unknown:
            raise CourseError(
                f"{ex.folder / 'exercise.toml'}: field 'glossary': term(s) {', '.join(map(repr, unknown))} "
                "not defined in glossary.toml"
            )
    for term in glossary:
        dangling = [lesson for lesson in term.lessons if lesson not in ids]
        if dangling:
            raise CourseError(
                f"{root / 'glossary.toml'}: term {term.term!r}: lesson {dangling[0]!r} is not an exercise id"
            )
        unknown = [r for r in term.related if r.lower() not in known_terms]
        if unknown:
            raise CourseError(
                f"{root / 'glossary.toml'}: term {term.term!r}: related term {unknown[0]!r} is not defined"
            )
    glossary = _with_teaching_lessons(glossary, all_exercises)
    _check_quiz_links([item for stage in stages for item in stage.quiz], ids, known_terms, root)
    return Course(roadmap.get("title", "aieng"), root, tuple(stages), glossary)


def _with_teaching_lessons(glossary: tuple[GlossaryTerm, ...], exercises: list[Exercise]) -> tuple[GlossaryTerm, ...]:
    """Each term's `lessons`: those glossary.toml names, then every exercise that lists the term."""
    teaching: dict[str, list[str]] = {}
    for ex in exercises:
        for term in ex.glossary:
            teaching.setdefault(term.lower(), []).append(ex.id)
    return tuple(
        replace(t, lessons=tuple(dict.fromkeys([*t.lessons, *teaching.get(t.term.lower(), [])]))) for t in glossary
    )


def _check_quiz_links(items: list[QuizItem], exercise_ids: dict[str, Path], terms: set[str], root: Path) -> None:
    """Quiz ids are unique across the course; every lesson and glossary link resolves."""
    seen: set[str] = set()
    for item in items:
        where = f"{root / item.stage_id / 'quiz.toml'}: item {item.id!r}"
        if item.id in seen:
            raise CourseError(f"{where}: id already used by another quiz item")
        seen.add(item.id)
        for lesson in item.lessons:
            if lesson not in exercise_ids:
                raise CourseError(f"{where}: lesson link {lesson!r} is not an exercise id")
        for term in item.glossary:
            if term.lower() not in terms:
                raise CourseError(f"{where}: glossary link {term!r} is not defined in glossary.toml")
