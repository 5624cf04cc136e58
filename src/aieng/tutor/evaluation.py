"""How well the tutor retrieves: recall@k and MRR on hand-written questions with known source lessons.

A question counts as answered at k when one of the first k passages comes from one of its source
lessons (most questions have one; a few that two lessons answer equally list both). With one source
lesson this is recall@k in the sense of the retrieval-metrics exercise; it is also the "hit rate" of
RAG evaluations: did the lesson the learner needs reach the prompt? MRR is the mean of 1 / rank of the
first passage from a source lesson, within the first `depth` passages (0 beyond).

Two question sets ship with the tutor: ``questions.toml``, held out (measured, never tuned on), and
``dev_questions.toml``, for trying chunking and query-handling choices.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieng.lib.genai.retrieval import mean_reciprocal_rank, reciprocal_rank

HERE = Path(__file__).resolve().parent
HELD_OUT = HERE / "questions.toml"
DEV = HERE / "dev_questions.toml"


@dataclass(frozen=True)
class Question:
    text: str
    lessons: tuple[str, ...]  # any of these answers it


def load_questions(path: Path = HELD_OUT) -> list[Question]:
    """The [[question]] entries of a question file (text, lessons)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    questions = [Question(q["text"], tuple(q["lessons"])) for q in data.get("question", [])]
    if not questions or any(not q.text.strip() or not q.lessons for q in questions):
        raise ValueError(f"{path}: every [[question]] needs a text and at least one lesson")
    return questions


def evaluate(tutor: Any, questions: list[Question], ks: tuple[int, ...] = (1, 5), depth: int = 20) -> dict[str, Any]:
    """recall@k for each k, MRR (within `depth` passages) and one row per question (rank of the first hit)."""
    rankings, relevant, rows = [], [], []
    for q in questions:
        passages = tutor.search(q.text, k=depth)
        ranking = list(range(len(passages)))  # passage positions, best first
        hits = {i for i, p in enumerate(passages) if p.exercise_id in q.lessons}
        rankings.append(ranking)
        relevant.append(hits)
        first = min(hits) + 1 if hits else None
        rows.append({"question": q.text, "lessons": q.lessons, "rank": first,
                     "top": [p.exercise_id for p in passages[:5]]})
    result: dict[str, Any] = {f"recall@{k}": sum(reciprocal_rank(r, rel, k) > 0 for r, rel in
                                                 zip(rankings, relevant, strict=True)) / len(questions) for k in ks}
    result["MRR"] = mean_reciprocal_rank(rankings, relevant)
    result["n"] = len(questions)
    result["rows"] = rows
    return result
