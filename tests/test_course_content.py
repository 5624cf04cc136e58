"""The study aids are complete: a glossary that spans the roadmap and covers the seed's terms, and a
quiz of at least 15 mixed items for every stage that has exercises, with the seed's study questions."""

from __future__ import annotations

from collections import Counter

from aieng.course import load

# Every term of the source document's glossary ("Glossary of Key Terms"), as the course names it.
SEED_TERMS = [
    "AI engineering", "data science", "machine learning", "deep learning", "neural network", "linear algebra",
    "calculus", "statistics", "Python", "generative AI", "large language model", "generative adversarial network",
    "variational autoencoder", "transformer", "retrieval-augmented generation", "fine-tuning", "prompt engineering",
]


def test_glossary_has_150_terms_and_every_seed_term() -> None:
    course = load()
    assert len(course.glossary) >= 150
    missing = [term for term in SEED_TERMS if course.term(term) is None]
    assert not missing, f"seed glossary terms missing: {missing}"


def test_every_exercise_glossary_entry_resolves_and_links_back() -> None:
    course = load()
    for exercise in course.exercises:
        for name in exercise.glossary:
            term = course.term(name)
            assert term is not None, f"{exercise.id}: {name!r} is not in the glossary"
            assert exercise.id in term.lessons


def test_every_stage_with_exercises_has_a_mixed_quiz_of_15() -> None:
    for stage in load().stages:
        if not stage.exercises:
            continue
        kinds = Counter(item.type for item in stage.quiz)
        assert len(stage.quiz) >= 15, f"{stage.id}: {len(stage.quiz)} quiz items"
        assert len(kinds) >= 4, f"{stage.id}: item types {dict(kinds)}"


def test_the_seed_study_questions_and_essays_are_in_the_quizzes() -> None:
    kinds = Counter(item.type for item in load().quiz_items)
    assert kinds["short"] >= 10 and kinds["essay"] >= 5
