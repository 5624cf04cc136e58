"""Small data sets the course makes from its own text, for the LLM-lifecycle exercises.

- `qa_pairs`: question-answer pairs for instruction tuning (SFT). Every glossary term becomes
  "What is <term>?" answered by its definition; every quiz item with an answer (single, multiple,
  numeric, short) becomes its prompt answered by the answer and the explanation. Two sources, two
  tasks: glossary pairs alone are a single-task set (define a term), both together a multi-task one.
- `course_text`: every lesson's Markdown, concatenated: the pre-training corpus of a tiny base GPT.
- `stage_paragraphs`: lesson paragraphs labelled by the stage they come from ("00_python", "01_math",
  ...): a text-classification task with one class per stage that has enough lessons.
- `split`: a seeded shuffle into train and held-out parts (stratified by label when labels are given).

Whitespace is normalized everywhere (runs of spaces and newlines become one space), so a newline can
mark the end of an answer in the instruction template. The sets grow with the course: numbers measured
on them (loss, accuracy) move a little whenever a lesson is added.

Left out: deduplication of near-identical items, paraphrased questions, held-out sets curated by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    from aieng.course import Course, QuizItem

__all__ = ["LabelledText", "QAPair", "course_text", "glossary_pairs", "normalize", "qa_pairs", "quiz_pairs",
           "split", "stage_paragraphs"]

T = TypeVar("T")


@dataclass(frozen=True)
class QAPair:
    """One instruction-tuning example: a question, its answer, and where it came from ("glossary:norm")."""

    question: str
    answer: str
    source: str


@dataclass(frozen=True)
class LabelledText:
    """A lesson paragraph, the index of its class, and the stage it comes from."""

    text: str
    label: int
    stage: str


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends: ``"a\\n  b " -> "a b"``."""
    return " ".join(text.split())


def _course(course: Course | None) -> Course:
    if course is not None:
        return course
    from aieng.course import load

    return load()


def glossary_pairs(course: Course | None = None) -> list[QAPair]:
    """One pair per glossary term: "What is <term>?" -> its definition (course order)."""
    return [QAPair(f"What is {normalize(t.term)}?", normalize(t.definition), f"glossary:{t.term}")
            for t in _course(course).glossary]


def _quiz_answer(item: QuizItem) -> str | None:
    """The answer of a quiz item as text, with its explanation; None for an essay (no single answer)."""
    if item.type == "essay" or item.answer is None:
        return None
    if item.type == "multiple":
        answer = "; ".join(str(a) for a in item.answer)  # type: ignore[union-attr]
    elif item.type == "numeric":
        answer = f"{float(item.answer):g}"  # type: ignore[arg-type]
    else:
        answer = str(item.answer)
    answer = normalize(answer)
    explanation = normalize(item.explanation)
    separator = " " if answer.endswith((".", "!", "?")) else ". "
    return f"{answer}{separator}{explanation}" if explanation else answer


def quiz_pairs(course: Course | None = None) -> list[QAPair]:
    """One pair per quiz item that has an answer: its prompt -> "<answer>. <explanation>"."""
    pairs = []
    for stage in _course(course).stages:
        for item in stage.quiz:
            answer = _quiz_answer(item)
            if answer:
                pairs.append(QAPair(normalize(item.prompt), answer, f"quiz:{item.id}"))
    return pairs


def qa_pairs(course: Course | None = None, sources: Sequence[str] = ("glossary", "quiz"),
             max_answer_chars: int | None = None) -> list[QAPair]:
    """The instruction-tuning set: glossary pairs, quiz pairs, or both (the multi-task mixture).

    `max_answer_chars` drops pairs whose answer is longer (small models with short contexts).

    >>> pairs = qa_pairs(sources=("glossary",))
    >>> pairs[0].question
    'What is vector?'
    """
    makers = {"glossary": glossary_pairs, "quiz": quiz_pairs}
    unknown = [s for s in sources if s not in makers]
    if unknown or not sources:
        raise ValueError(f"sources must be a non-empty subset of {sorted(makers)}, got {list(sources)}")
    if max_answer_chars is not None and max_answer_chars < 1:
        raise ValueError(f"max_answer_chars must be >= 1, got {max_answer_chars}")
    course = _course(course)
    pairs = [p for s in sources for p in makers[s](course)]
    return [p for p in pairs if max_answer_chars is None or len(p.answer) <= max_answer_chars]


def course_text(course: Course | None = None) -> str:
    """Every lesson's Markdown, in roadmap order, separated by blank lines: a corpus to pre-train on."""
    return "\n\n".join(ex.lesson().strip() for ex in _course(course).exercises)


_SKIP = ("#", "$$", "|", "```", "<")


def _paragraphs(markdown: str, min_chars: int) -> list[str]:
    """Prose paragraphs of a lesson: blank-line separated blocks that are not headings, display math,
    tables, code or HTML, with at least `min_chars` characters once whitespace is normalized."""
    blocks = [normalize(b) for b in re.split(r"\n\s*\n", markdown) if not b.lstrip().startswith(_SKIP)]
    return [b for b in blocks if len(b) >= min_chars]


def stage_paragraphs(course: Course | None = None, min_chars: int = 80,
                     min_per_stage: int = 30) -> tuple[list[LabelledText], list[str]]:
    """Lesson paragraphs labelled by their stage -> (examples, class names).

    Stages with fewer than `min_per_stage` paragraphs are left out (a stage with no lessons yet has
    nothing to learn from); labels are 0..C-1 in roadmap order and `class names[label]` is the stage.
    """
    if min_chars < 1 or min_per_stage < 1:
        raise ValueError(f"min_chars and min_per_stage must be >= 1, got {min_chars}, {min_per_stage}")
    course = _course(course)
    by_stage = {stage.id: [p for ex in stage.exercises for p in _paragraphs(ex.lesson(), min_chars)]
                for stage in course.stages}
    names = [s for s, paragraphs in by_stage.items() if len(paragraphs) >= min_per_stage]
    if len(names) < 2:
        raise ValueError(f"fewer than two stages have {min_per_stage} paragraphs: nothing to classify")
    examples = [LabelledText(p, label, stage) for label, stage in enumerate(names) for p in by_stage[stage]]
    return examples, names


def split(items: Sequence[T], test_fraction: float = 0.25, seed: int = 0,
          labels: Sequence[int] | None = None) -> tuple[list[T], list[T]]:
    """A seeded shuffle of `items` into (train, test); with `labels`, each class is split on its own
    (stratified), so both parts keep the class proportions.

    >>> split(list(range(8)), 0.25, seed=0)[1]
    [2, 4]
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}")
    if labels is not None and len(labels) != len(items):
        raise ValueError(f"{len(labels)} labels for {len(items)} items")
    rng = np.random.default_rng(seed)
    groups = [np.arange(len(items))] if labels is None else [
        np.flatnonzero(np.asarray(labels) == c) for c in sorted(Counter(labels))]
    train_idx: list[int] = []
    test_idx: list[int] = []
    for group in groups:
        order = rng.permutation(group)
        n_test = round(test_fraction * len(order))
        test_idx += order[:n_test].tolist()
        train_idx += order[n_test:].tolist()
    return [items[i] for i in train_idx], [items[i] for i in test_idx]
