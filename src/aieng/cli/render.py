"""Rich renderings of the roadmap, a lesson and a grading report for the terminal."""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from aieng.cli.tex import lesson_for_terminal
from aieng.course import Exercise, GlossaryTerm
from aieng.grader import report as r
from aieng.grader.report import Check, Report
from aieng.session import ExerciseStatus, StageStatus

MARK = {"done": ("✓", "green"), "attempted": ("●", "yellow"), "todo": ("○", "dim")}
DETAILS_SHOWN = 3  # failing checks explained in full; the rest get one line each


def _bar(percent: float, width: int = 12) -> Text:
    filled = round(width * percent / 100)
    return Text("█" * filled, style="green") + Text("░" * (width - filled), style="dim")


def exercise_line(status: ExerciseStatus, is_next: bool = False) -> Text:
    mark, style = MARK[status.state]
    line = Text(f"{mark} ", style=style) + Text(status.exercise.title, style="bold" if is_next else "")
    line += Text(f"  {status.exercise.id}", style="cyan")
    if not status.unlocked and status.state == "todo":
        line += Text("  (after: " + ", ".join(status.exercise.requires) + ")", style="dim")
    if is_next:
        line += Text("  ← next", style="bold magenta")
    return line


def roadmap(stages: list[StageStatus], next_exercise: Exercise | None) -> RenderableType:
    """A table of the nine stages with progress, then the exercises of the stage being worked on."""
    table = Table(title="Your roadmap", title_style="bold", expand=False, show_lines=False)
    table.add_column("stage")
    table.add_column("progress")
    table.add_column("done", justify="right")
    table.add_column("attempted", justify="right")
    table.add_column("todo", justify="right")
    current = None
    for stage in stages:
        n = len(stage.exercises)
        if n == 0:
            table.add_row(Text(stage.stage.title, style="dim"), Text("coming soon", style="dim"), "", "", "")
            continue
        attempted = sum(e.state == "attempted" for e in stage.exercises)
        table.add_row(
            stage.stage.title, _bar(stage.percent) + Text(f" {stage.percent:3.0f}%"),
            str(stage.done), str(attempted), str(n - stage.done - attempted),
        )
        if next_exercise and next_exercise.stage_id == stage.stage.id:
            current = stage
    parts: list[RenderableType] = [table]
    if current:
        lines = [exercise_line(e, e.exercise == next_exercise) for e in current.exercises]
        parts.append(Panel(Group(*lines), title=f"{current.stage.title}", title_align="left"))
    if next_exercise:
        parts.append(Text.assemble(
            ("Next: ", "bold"), (next_exercise.title, "bold magenta"), f" — {next_exercise.summary}\n",
            "  read the lesson:  ", (f"aieng show {next_exercise.id}", "cyan"), "\n",
            "  edit:             ", (str(next_exercise.workspace_relpath), "cyan"), "\n",
            "  check it:         ", ("aieng check", "cyan"),
            "   (or ", ("aieng watch", "cyan"), " to re-check on save)",
        ))
    else:
        parts.append(Text("Every available exercise is done. Well played!", style="bold green"))
    return Group(*parts)


def exercise_table(statuses: list[ExerciseStatus]) -> Table:
    table = Table(expand=False)
    for column in ("", "id", "title", "stage", "level", "min", "file"):
        table.add_column(column)
    for s in statuses:
        mark, style = MARK[s.state]
        ex = s.exercise
        table.add_row(Text(mark, style=style), Text(ex.id, style="cyan"), ex.title, ex.stage_id,
                      "★" * ex.difficulty, str(ex.minutes), str(ex.workspace_relpath))
    return table


def glossary_table(terms: tuple[GlossaryTerm, ...]) -> Table:
    table = Table(title=f"Glossary ({len(terms)} terms)", expand=False, show_lines=False)
    table.add_column("term", style="bold cyan", no_wrap=True)
    table.add_column("definition")
    for term in sorted(terms, key=lambda t: t.term.lower()):
        first = term.definition.split(". ")[0].rstrip(".") + "."
        table.add_row(term.term, first)
    return table


def glossary_term(term: GlossaryTerm) -> RenderableType:
    parts: list[RenderableType] = [Text(lesson_for_terminal(term.definition))]
    if term.related:
        parts.append(Text("related: ", style="dim") + Text(", ".join(term.related), style="cyan"))
    if term.lessons:
        parts.append(Text("taught in: ", style="dim")
                     + Text("  ·  ".join(f"aieng show {lesson}" for lesson in term.lessons), style="cyan"))
    return Panel(Group(*parts), title=Text(term.term, style="bold"), title_align="left", expand=False)


_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")  # a terminal cannot show a figure: name its file


def lesson(exercise: Exercise, path_hint: str) -> RenderableType:
    header = Text.assemble((exercise.title, "bold magenta"), f"  ({exercise.id}, ~{exercise.minutes} min)\n",
                           ("Your file: ", "dim"), (path_hint, "cyan"))
    footer = Text.assemble("\nWhen ready: ", (f"aieng check {exercise.id}", "cyan"),
                           "   stuck: ", (f"aieng hint {exercise.id}", "cyan"))
    text = _IMAGE.sub(lambda m: f"*[figure: {m[1]}, {exercise.lesson_path.parent / m[2]}]*", exercise.lesson())
    return Group(header, Markdown(lesson_for_terminal(text), code_theme="ansi_dark"), footer)


def _check_details(check: Check) -> list[Text]:
    lines = [Text(f"    {line}", style="red") for line in check.message.splitlines()]
    if check.falsifying_example:
        lines.append(Text("    on input: ", style="bold") + Text(check.falsifying_example.replace("\n", " ")))
    d = check.details
    if "expected" in d and "got" in d and not check.not_implemented:
        lines.append(Text("    expected: ", style="bold") + Text(str(d["expected"])))
        lines.append(Text("    got:      ", style="bold") + Text(str(d["got"])))
    numbers = []
    if d.get("expected_shape") is not None and d.get("expected_shape") != d.get("got_shape"):
        numbers.append(f"shape {tuple(d.get('got_shape') or ())} vs expected {tuple(d['expected_shape'])}")
    if "max_abs_error" in d:
        rel = d["max_rel_error"]
        numbers.append(f"max abs error {d['max_abs_error']:.3g}, max rel error "
                       + ("n/a" if rel != rel else f"{rel:.3g}"))  # NaN: expected values were 0
    if "first_bad_index" in d:
        numbers.append(f"first bad index {tuple(d['first_bad_index'])}")
    if numbers:
        lines.append(Text("    " + "; ".join(numbers), style="dim"))
    if check.where:
        lines.append(Text("    in your file: ", style="bold") + Text(check.where))
    if check.stdout.strip():
        lines.append(Text("    you printed:  ", style="bold") + Text(check.stdout.strip()[:500]))
    return lines


def _scores(check: Check) -> list[Text]:
    """An `achieve` check's metrics: value, bar and the reference solution's figure."""
    lines = []
    for score in check.scores:
        relation = "≥" if score["higher_is_better"] else "≤"
        reference = f", reference solution {score['reference']:.4g}" if score.get("reference") is not None else ""
        lines.append(Text("    ") + Text(f"{score['metric']} = {score['value']:.4g}", style="bold")
                     + Text(f"  (bar {relation} {score['bar']:.4g}{reference})", style="dim"))
    return lines


def report(rep: Report, exercise: Exercise) -> RenderableType:
    """The grading report: ✓/✗ per check, full detail for the first failures, the way forward."""
    title = Text.assemble((exercise.title, "bold"), f"  {exercise.id}  ", (rep.path, "dim"))
    body: list[RenderableType] = [title]
    if rep.stdout.strip():
        body.append(Text("printed while importing: ", style="bold") + Text(rep.stdout.strip()[:500]))
    if rep.status in (r.PASSED, r.FAILED, r.NOT_STARTED, r.SANDBOX, r.MEMORY) or rep.checks:
        explained = 0
        for check in rep.checks:
            if check.passed:
                body.append(Text("  ✓ ", style="green") + Text(check.doc))
                body.extend(_scores(check))
                continue
            body.append(Text("  ✗ ", style="red") + Text(check.doc, style="bold"))
            body.extend(_scores(check))
            if rep.status != r.NOT_STARTED and explained < DETAILS_SHOWN:
                body.extend(_check_details(check))
                explained += 1
    style = "green" if rep.passed else "red"
    summary = Text(f"\n{rep.message}", style=f"bold {style}") + Text(f"  ({rep.duration:.2f} s)", style="dim")
    body.append(summary)
    if not rep.passed:
        file_hint = Text.assemble("Edit ", (str(exercise.workspace_relpath), "cyan"), " and check again.")
        body.append(file_hint)
        if rep.next_hint is not None:
            body.append(Text.assemble("Stuck? run ", (f"aieng hint {exercise.id}", "cyan"),
                                      f" (hint {rep.next_hint} of {len(exercise.hints)})"))
    return Panel(Group(*body), border_style=style, expand=False)
