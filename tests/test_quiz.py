"""Quizzes: the file format's validation, scoring of every item type, FSRS review through days, the CLI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aieng.cli import app
from aieng.course.loader import load as fresh_load
from aieng.course.model import QuizItem
from aieng.errors import CourseError
from aieng.quiz import score
from aieng.session import LearnerSession
from aieng.workspace import Workspace

QUIZ = """
[[item]]
id = "l2-of-3-4"
type = "numeric"
prompt = "What is the L2 norm of (3, 4)?"
answer = 5.0
tolerance = 1e-6
explanation = "sqrt(9 + 16) = 5."
lessons = ["vector-norms"]

[[item]]
id = "sparse-penalty"
type = "single"
prompt = "Which penalty drives weights exactly to zero?"
choices = ["L1", "L2"]
answer = "L1"
explanation = "The L1 ball has corners on the axes."
glossary = ["norm"]

[[item]]
id = "true-norms"
type = "multiple"
prompt = "Which are norms?"
choices = ["L1", "L2", "L0.5"]
answer = ["L1", "L2"]
explanation = "For p < 1 the triangle inequality fails."
glossary = ["norm"]

[[item]]
id = "why-scale"
type = "short"
prompt = "Why scale by the largest entry before taking powers?"
answer = "To avoid overflow: every ratio is at most 1."
explanation = "1e200 squared is beyond float64."
lessons = ["vector-norms"]

[[item]]
id = "norms-in-ml"
type = "essay"
prompt = "Where do norms appear in machine learning?"
rubric = ["Names regularization", "Names distances", "Explains L1 sparsity"]
explanation = "Losses, penalties and distances are built on norms."
lessons = ["vector-norms"]
"""
NOON = datetime(2026, 11, 25, 12, 0)


@pytest.fixture
def quiz_course(mini_course_dir: Path) -> Path:
    (mini_course_dir / "01_math" / "quiz.toml").write_text(QUIZ)
    return mini_course_dir


def _item(course_dir: Path, item_id: str) -> QuizItem:
    return next(i for i in fresh_load(course_dir).quiz_items if i.id == item_id)


def test_quiz_items_load_with_their_stage(quiz_course: Path) -> None:
    course = fresh_load(quiz_course)
    assert [i.id for i in course.stage("01_math").quiz] == [
        "l2-of-3-4", "sparse-penalty", "true-norms", "why-scale", "norms-in-ml"]
    assert {i.type for i in course.quiz_items} == {"single", "multiple", "numeric", "short", "essay"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('answer = "L1"', 'answer = "L3"', "answer 'L3' is not among the choices"),
        ('answer = ["L1", "L2"]', 'answer = ["L1", "L9"]', "answer 'L9' is not among the choices"),
        ("tolerance = 1e-6\n", "", "needs 'tolerance'"),
        ('lessons = ["vector-norms"]\n\n[[item]]\nid = "sparse', 'lessons = ["vectr-norms"]\n\n[[item]]\nid = "sparse',
         "lesson link 'vectr-norms' is not an exercise id"),
        ('glossary = ["norm"]\n\n[[item]]\nid = "true', 'glossary = ["nrom"]\n\n[[item]]\nid = "true',
         "glossary link 'nrom'"),
        ('type = "essay"', 'type = "poem"', "field 'type' must be one of"),
        ('rubric = ["Names regularization", "Names distances", "Explains L1 sparsity"]', "rubric = []",
         "needs 'rubric'"),
        ('id = "true-norms"', 'id = "l2-of-3-4"', "id already used"),
        ('explanation = "sqrt(9 + 16) = 5."\nlessons = ["vector-norms"]', 'explanation = "sqrt(9 + 16) = 5."',
         "needs a link"),
    ],
)
def test_a_malformed_item_is_rejected_naming_file_and_item(quiz_course: Path, old: str, new: str, message: str) -> None:
    path = quiz_course / "01_math" / "quiz.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CourseError) as info:
        fresh_load(quiz_course)
    assert message in str(info.value) and str(path) in str(info.value)


def test_scoring_every_type(quiz_course: Path) -> None:
    numeric = _item(quiz_course, "l2-of-3-4")
    assert score(numeric, 5.0000001).correct and not score(numeric, 5.1).correct
    single = _item(quiz_course, "sparse-penalty")
    assert score(single, "L1").correct and score(single, "L2").score == 0
    multiple = _item(quiz_course, "true-norms")
    assert score(multiple, {"L1", "L2"}).correct
    assert score(multiple, {"L1"}).score == 0.5 and not score(multiple, {"L1"}).correct
    assert score(multiple, {"L1", "L0.5"}).score == 0.0  # a wrong pick cancels a right one
    short = _item(quiz_course, "why-scale")
    assert score(short, True).correct and not score(short, False).correct
    essay = _item(quiz_course, "norms-in-ml")
    assert score(essay, [True, True, False]).score == pytest.approx(2 / 3)
    assert "Names distances" in score(essay, [True, True, True]).expected


def test_malformed_responses_are_refused(quiz_course: Path) -> None:
    with pytest.raises(ValueError, match="not one of the choices"):
        score(_item(quiz_course, "sparse-penalty"), "L7")
    with pytest.raises(ValueError, match="one True/False per criterion"):
        score(_item(quiz_course, "norms-in-ml"), [True])
    with pytest.raises(ValueError, match="finite"):
        score(_item(quiz_course, "l2-of-3-4"), float("nan"))


def test_review_asks_exactly_the_due_items_on_later_days(quiz_course: Path, tmp_path: Path) -> None:
    """Wrong answers come back tomorrow, right ones in two days; nothing is due the same afternoon."""
    course = fresh_load(quiz_course)
    ws, _ = Workspace.init(tmp_path / "ws", course)
    session = LearnerSession(ws, course)
    items = {i.id: i for i in course.quiz_items}
    session.answer(items["l2-of-3-4"], 5.0, now=NOON)  # right
    session.answer(items["sparse-penalty"], "L2", now=NOON)  # wrong
    session.answer(items["true-norms"], {"L1"}, now=NOON)  # half right
    assert session.due_items(now=NOON + timedelta(hours=6)) == []
    tomorrow = NOON + timedelta(days=1)
    assert {i.id for i in session.due_items(now=tomorrow)} == {"sparse-penalty", "true-norms"}
    session.answer(items["sparse-penalty"], "L1", now=tomorrow)
    assert {i.id for i in session.due_items(now=tomorrow)} == {"true-norms"}
    in_two_days = NOON + timedelta(days=2)
    assert {i.id for i in session.due_items(now=in_two_days)} == {"l2-of-3-4", "true-norms"}
    answers = session.store.quiz_answers("01_math")
    assert [a.correct for a in answers] == [True, False, False, True]


def _flat(output: str) -> str:
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def test_cli_quiz_explains_a_wrong_answer_and_review_brings_it_back(
    quiz_course: Path, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIENG_COURSE_DIR", str(quiz_course))
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    course = fresh_load(quiz_course)
    order = [i.id for i in LearnerSession(Workspace.find(), course).quiz_items(course.stage("01_math"), 2, seed=7)]
    answers = {"l2-of-3-4": "4\n", "sparse-penalty": "2\n", "true-norms": "1 2\n", "why-scale": "\ny\n",
               "norms-in-ml": "\ny\ny\nn\n"}
    monkeypatch.setattr("aieng.session.utcnow", lambda: NOON)
    result = runner.invoke(app, ["quiz", "math", "-n", "2", "--seed", "7"], input="".join(answers[i] for i in order))
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert order == ["norms-in-ml", "l2-of-3-4"]  # the essay (self-assessed 2 of 3) and the numeric (wrong)
    assert "question 1 of 2" in text and "0 of 2 right" in text
    assert "not quite (partly)" in text and "Answer: 5 (± 1e-06)" in text and "sqrt(9 + 16) = 5." in text
    monkeypatch.setattr("aieng.session.utcnow", lambda: NOON + timedelta(days=1))
    assert "2 quiz item(s) due for review" in _flat(runner.invoke(app, ["status"]).output)
    review = runner.invoke(app, ["review"], input="\ny\ny\ny\n5\n")  # equally due: asked in the order answered
    assert review.exit_code == 0, review.output
    assert "2 of 2 right" in _flat(review.output)
    assert "Nothing is due" in runner.invoke(app, ["review"]).output


def test_cli_glossary_lists_shows_and_suggests(env: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["glossary"])
    assert listing.exit_code == 0 and "norm" in listing.output
    one = runner.invoke(app, ["glossary", "NORM"])
    assert one.exit_code == 0 and "triangle inequality" in _flat(one.output) and "aieng show vector-norms" in one.output
    spaced = runner.invoke(app, ["glossary", "LINEAR-algebra"])
    assert spaced.exit_code == 0 and "vector spaces" in _flat(spaced.output)
    typo = runner.invoke(app, ["glossary", "nrom"])
    assert typo.exit_code == 2 and "did you mean 'norm'" in typo.output
