"""Asking quiz items in the terminal (Rich prompts) and showing how each answer went.

Only the asking lives here; scoring and scheduling are `aieng.quiz`'s, reached through the session.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Confirm, FloatPrompt, Prompt
from rich.text import Text

from aieng.cli.tex import lesson_for_terminal
from aieng.course.model import QuizItem
from aieng.quiz import Response, Result


def _choices(console: Console, item: QuizItem) -> None:
    for number, choice in enumerate(item.choices, 1):
        console.print(Text(f"  {number}. ", style="bold") + Text(lesson_for_terminal(choice)))


def ask(console: Console, item: QuizItem) -> Response:
    """Prompt for one answer, re-asking until it is well formed; the learner's own grading for short/essay."""
    if item.type == "single":
        _choices(console, item)
        numbers = [str(n) for n in range(1, len(item.choices) + 1)]
        return item.choices[int(Prompt.ask("your choice", choices=numbers, console=console)) - 1]
    if item.type == "multiple":
        _choices(console, item)
        while True:
            raw = Prompt.ask("all correct choices, e.g. 1 3", console=console)
            picks = re.findall(r"\d+", raw)
            if picks and all(1 <= int(p) <= len(item.choices) for p in picks):
                return {item.choices[int(p) - 1] for p in picks}
            console.print(Text(f"type numbers between 1 and {len(item.choices)}", style="red"))
    if item.type == "numeric":
        return FloatPrompt.ask("your answer (a number)", console=console)
    if item.type == "short":
        Prompt.ask("your answer", console=console, default="")
        console.print(Panel(Text(lesson_for_terminal(str(item.answer))), title="model answer", title_align="left"))
        return Confirm.ask("did your answer say the same thing?", console=console)
    console.print(Text("Write your answer on paper or in a file; then grade it against the rubric.", style="dim"))
    Prompt.ask("press Enter when you are done", console=console, default="")
    return [Confirm.ask(f"does it {criterion[0].lower()}{criterion[1:]}?" if criterion else "?", console=console)
            for criterion in item.rubric]


def show_result(console: Console, item: QuizItem, result: Result) -> None:
    if result.correct:
        console.print(Text("✓ right", style="bold green"))
    else:
        partly = " (partly)" if result.score > 0 else ""
        console.print(Text(f"✗ not quite{partly}. ", style="bold red")
                      + Text("Answer: ", style="bold") + Text(lesson_for_terminal(result.expected)))
    console.print(Text(lesson_for_terminal(result.explanation), style="italic"))
    links = [f"aieng show {lesson}" for lesson in item.lessons] + [f"aieng glossary {term!r}" for term in item.glossary]
    if links:
        console.print(Text("more: ", style="dim") + Text("  ·  ".join(links), style="cyan"))


def ask_all(console: Console, items: list[QuizItem], answer: object) -> tuple[int, float]:
    """Ask each item, score it with `answer(item, response)`, show the result; return (right, points)."""
    right, points = 0, 0.0
    for number, item in enumerate(items, 1):
        console.rule(Text(f"question {number} of {len(items)} · {item.type}", style="dim"))
        console.print(Text(lesson_for_terminal(item.prompt), style="bold"))
        result: Result = answer(item, ask(console, item))  # type: ignore[operator]
        show_result(console, item, result)
        right += result.correct
        points += result.score
    return right, points
