"""Spaced review with FSRS (the `fsrs` package): when should each quiz item be asked again?

Each item a learner has answered has a card, stored as fsrs's own JSON. An answer becomes a rating:
fully right → Good, partly right → Hard, wrong → Again. The scheduler has no same-day learning steps
and no fuzzing, so a review is due on a whole later day and the schedule is reproducible: a wrong
answer comes back tomorrow, a right one in two days, then at growing intervals.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from aieng.quiz.scoring import Result

_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating(result: Result) -> Rating:
    if result.correct:
        return Rating.Good
    return Rating.Hard if result.score >= 0.5 else Rating.Again


def utc(moment: datetime) -> datetime:
    """fsrs wants timezone-aware UTC; the store keeps naive UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def review(card_json: str | None, result: Result, now: datetime) -> tuple[str, datetime]:
    """The card after this answer (as JSON) and when it is due next (naive UTC)."""
    card = Card.from_dict(json.loads(card_json)) if card_json else Card()
    card, _ = _SCHEDULER.review_card(card, rating(result), review_datetime=utc(now))
    return json.dumps(card.to_dict()), card.due.astimezone(UTC).replace(tzinfo=None)
