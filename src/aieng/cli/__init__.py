"""`aieng`: the learner's command line (Typer + Rich). A thin face over `aieng.session`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.syntax import Syntax
from rich.text import Text

from aieng import __version__
from aieng.cli import render, study
from aieng.course import Exercise, load
from aieng.errors import AiengError, UsageError, WorkspaceError
from aieng.grader import Limits
from aieng.session import LearnerSession, SolutionLocked, find_exercise, find_term
from aieng.workspace import DEFAULT_DIR, Workspace

if TYPE_CHECKING:
    from aieng.classroom import Classroom

app = typer.Typer(
    name="aieng",
    help="A hands-on AI engineering course, from math to generative AI, graded as you go.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)
F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """Turn an AiengError into one red line and its exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AiengError as exc:
            errors.print(Text("error: ", style="bold red") + Text(str(exc)))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            errors.print("stopped.")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _session() -> LearnerSession:
    return LearnerSession.open()


def _current(session: LearnerSession, exercise_id: str | None) -> Exercise:
    if exercise_id:
        return session.exercise(exercise_id)
    exercise = session.next_exercise()
    if exercise is None:
        raise UsageError("every exercise is done: name one to check, e.g. `aieng check vector-norms`")
    return exercise


def _print_version(value: bool) -> None:
    if value:
        console.print(f"aieng {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _default(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="print the version and exit")] = False,
) -> None:
    """With no command: show the roadmap and the next exercise."""
    if ctx.invoked_subcommand is None:
        status()


@app.command()
@friendly
def init(
    directory: Annotated[Path, typer.Argument(help="where to create the workspace")] = Path(DEFAULT_DIR),
) -> None:
    """Create your workspace (or add new exercises to it). Never overwrites your files."""
    course = load()
    ws, result = Workspace.init(directory, course)
    LearnerSession(ws, course)  # creates the progress database
    verb = "Created" if result.created else "Updated"
    console.print(Text.assemble((f"{verb} your workspace at ", "bold"), (str(ws.root), "cyan")))
    already = len(course.exercises) - len(result.added)
    console.print(f"  {len(result.added)} exercise file(s) added, {already} already there")
    for ex in result.kept:
        console.print(Text(f"  kept your existing file {ex.workspace_relpath}", style="yellow"))
    for ex in result.changed_starters:
        console.print(Text.assemble(
            (f"  the starter of {ex.id} changed in the course; your file is untouched. ", "yellow"),
            "To take the new one: ", (f"aieng reset {ex.id}", "cyan"), " (your file is backed up first)"))
    cwd = Path.cwd().resolve()
    where = "" if ws.root in (cwd, cwd / DEFAULT_DIR) else f"cd {ws.root} && "
    console.print(Text.assemble("Next: ", (f"{where}aieng", "cyan"), " shows your roadmap."))


@app.command()
@friendly
def status() -> None:
    """Your roadmap: stages, progress, and the next exercise."""
    session = _session()
    stages = session.roadmap()
    console.print(render.roadmap(stages, session.next_exercise(stages)))
    due = len(session.due_items())
    if due:
        console.print(Text.assemble((f"{due} quiz item(s) due for review: ", "bold yellow"), ("aieng review", "cyan")))


@app.command("list")
@friendly
def list_(stage: Annotated[str | None, typer.Argument(help="a stage, e.g. 01_math or math")] = None) -> None:
    """Every exercise with its state (✓ done, ● attempted, ○ to do)."""
    session = _session()
    stages = session.roadmap()
    if stage:
        wanted = session.stage(stage).id
        stages = [s for s in stages if s.stage.id == wanted]
    rows = [e for s in stages for e in s.exercises]
    if not rows:
        console.print("No exercises in this stage yet: it is coming soon.")
        return
    console.print(render.exercise_table(rows))


@app.command()
@friendly
def show(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Read the lesson of an exercise (works outside a workspace too)."""
    try:
        session = _session()
    except WorkspaceError:  # reading needs no workspace; the footer says how to get one
        exercise = find_exercise(load(), exercise_id)
        console.print(render.lesson(exercise, "none yet: run `aieng init` to create your workspace"))
        return
    exercise = session.exercise(exercise_id)
    console.print(render.lesson(exercise, str(session.workspace.path_for(exercise))))


@app.command()
@friendly
def check(
    exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="default: the current exercise")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    timeout: Annotated[float | None, typer.Option(help="seconds before the check is stopped (default 30)")] = None,
) -> None:
    """Grade your solution. Exit code 0 when every check passes, 1 otherwise."""
    session = _session()
    exercise = _current(session, exercise_id)
    limits = Limits.from_env()
    if timeout is not None:
        if timeout <= 0:
            raise UsageError("--timeout must be a positive number of seconds")
        limits = Limits(timeout=timeout, memory_bytes=limits.memory_bytes, file_bytes=limits.file_bytes)
    if as_json:
        report = session.check(exercise, limits)
        sys.stdout.write(report.to_json() + "\n")
    else:
        with console.status(f"checking {exercise.id} …"):
            report = session.check(exercise, limits)
        console.print(render.report(report, exercise))
    raise typer.Exit(0 if report.passed else 1)


@app.command()
@friendly
def watch(exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None) -> None:
    """Re-check the current exercise every time you save it; move on when it passes. Ctrl+C to stop."""
    from watchfiles import watch as watch_changes

    session = _session()
    exercise = _current(session, exercise_id)

    def run(ex: Exercise) -> bool:
        console.rule(Text(f"{ex.title} · {ex.workspace_relpath}", style="bold"))
        with console.status(f"checking {ex.id} …"):
            report = session.check(ex)
        console.print(render.report(report, ex))
        return report.passed

    passed = run(exercise)
    while True:
        while passed:
            following = session.next_exercise()
            if following is None:
                console.print(Text("Every available exercise is done. Well played!", style="bold green"))
                return
            exercise = following
            console.print(Text.assemble(("Next up: ", "bold"), (exercise.title, "bold magenta"),
                                        "  read it with ", (f"aieng show {exercise.id}", "cyan")))
            passed = run(exercise)
        console.print(Text(f"watching {exercise.workspace_relpath} — save to re-check, Ctrl+C to stop", style="dim"))
        target = session.workspace.path_for(exercise).resolve()
        for changes in watch_changes(session.workspace.root, debounce=200, step=50,
                                     watch_filter=lambda _c, p: p.endswith(".py")):
            if any(Path(p).resolve() == target for _, p in changes):
                passed = run(exercise)
                break


@app.command()
@friendly
def hint(exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None) -> None:
    """Reveal the next hint (they unlock one at a time, from nudge to near-solution)."""
    session = _session()
    exercise = _current(session, exercise_id)
    hints = session.hint(exercise)
    for i, text in enumerate(hints, 1):
        newest = i == len(hints)
        console.print(Text(f"Hint {i} of {len(exercise.hints)}: ", style="bold yellow" if newest else "dim")
                      + Text(text, style="" if newest else "dim"))
    if len(hints) == len(exercise.hints):
        console.print(Text.assemble("That was the last hint. Still stuck? ",
                                    (f"aieng solution {exercise.id}", "cyan")))


@app.command()
@friendly
def solution(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="show it even before you pass")] = False,
) -> None:
    """Show the reference solution (after you pass, or on confirmation)."""
    session = _session()
    exercise = session.exercise(exercise_id)
    try:
        source = session.solution(exercise, confirmed=yes)
    except SolutionLocked:
        if not sys.stdin.isatty():
            raise
        if not typer.confirm(f"You have not passed {exercise.id} yet. Look at the solution anyway?", default=False):
            raise typer.Exit(1) from None
        source = session.solution(exercise, confirmed=True)
    console.print(Text.assemble(("Reference solution: ", "bold"), (exercise.reference, "cyan")))
    console.print(Syntax(source, "python", theme="ansi_dark", line_numbers=False))


@app.command()
@friendly
def reset(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Restore the starter file; your current file is moved to .aieng/backup/ first."""
    session = _session()
    exercise = session.exercise(exercise_id)
    backup = session.reset(exercise)
    console.print(Text.assemble("Restored the starter of ", (exercise.id, "cyan"), " at ",
                                (str(session.workspace.path_for(exercise)), "cyan")))
    if backup:
        console.print(Text.assemble("Your previous file is kept at ", (str(backup), "cyan")))


@app.command()
@friendly
def quiz(
    stage: Annotated[str | None, typer.Argument(help="a stage, e.g. 02_stats or stats; default: all")] = None,
    n: Annotated[int, typer.Option("-n", help="how many questions", min=1)] = 10,
    seed: Annotated[int | None, typer.Option(help="fix the order of questions (same seed, same quiz)")] = None,
) -> None:
    """Take a quiz: questions are scored, explained and scheduled for review."""
    session = _session()
    chosen = session.stage(stage) if stage else None
    items = session.quiz_items(chosen, n, seed)
    if not items:
        console.print("This stage has no quiz yet.")
        return
    right, points = study.ask_all(console, items, session.answer)
    console.rule()
    console.print(Text(f"{right} of {len(items)} right ({points:.1f} points). ", style="bold")
                  + Text("Each item comes back for review when it is due: ", style="dim")
                  + Text("aieng review", style="cyan"))


@app.command()
@friendly
def review() -> None:
    """Answer the quiz items that are due today (spaced repetition, scheduled by FSRS)."""
    session = _session()
    items = session.due_items()
    if not items:
        console.print("Nothing is due for review. Take a quiz to add items: " + "aieng quiz")
        return
    right, _ = study.ask_all(console, items, session.answer)
    console.rule()
    console.print(Text(f"{right} of {len(items)} right. Items come back sooner when you miss them.", style="bold"))


@app.command()
@friendly
def glossary(term: Annotated[str | None, typer.Argument(help="a term (partial names work)")] = None) -> None:
    """The course glossary, or one term with its related terms and lessons."""
    course = load()
    if term is None:
        console.print(render.glossary_table(course.glossary))
        return
    console.print(render.glossary_term(find_term(course, term)))


def main() -> None:
    """Console-script entry point."""
    app()


@app.command()
@friendly
def tutor(
    question: Annotated[str, typer.Argument(help='your question, e.g. "why does my loss become nan?"')],
    k: Annotated[int, typer.Option(help="passages to retrieve", min=1, max=20)] = 5,
) -> None:
    """Ask the course: the most relevant lesson passages, and a grounded answer with citations when a generator
    is available (AIENG_LLM_URL, else the course's own toy GPT, else passages only)."""
    from rich.markdown import Markdown

    from aieng.tutor import ask

    if not question.strip():
        raise UsageError('ask a question, e.g. aieng tutor "what is a norm?"')
    try:
        workspace = Workspace.find().root
    except WorkspaceError:
        workspace = None  # the tutor works outside a workspace too
    console.print(Markdown(ask(question, k=k, course=load(), workspace=workspace).to_markdown()))


@app.command()
@friendly
def progress() -> None:
    """Your progress in numbers: checks per day, time to pass each exercise, quiz accuracy per stage."""
    from rich.table import Table

    summary = _session().progress_summary()
    if not (summary.attempts_per_day or summary.quiz_accuracy):
        console.print("No checks or quiz answers yet.")
        return
    for title, columns, rows in [
        ("Checks per day", ("day", "checks", "passed"),
         [(d.isoformat(), str(n), str(p)) for d, n, p in summary.attempts_per_day]),
        ("Time to pass", ("exercise", "minutes from first check", "checks needed"),
         [(e, f"{m:.1f}", str(n)) for e, m, n in summary.time_to_pass]),
        ("Quiz accuracy", ("stage", "answers", "mean score"),
         [(s, str(n), f"{100 * a:.0f}%") for s, n, a in summary.quiz_accuracy]),
    ]:
        if rows:
            table = Table(*columns, title=title, title_justify="left")
            for row in rows:
                table.add_row(*row)
            console.print(table)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


CLASSROOM_DIR = "aieng-classroom"


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(help="address to listen on; anything but 127.0.0.1 exposes your work")] =
    "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="do not open a browser window")] = False,
    classroom: Annotated[bool, typer.Option("--classroom", help="serve a class: sign-in, a workspace per "
                                                                 "learner, the instructor's dashboard")] = False,
    classroom_dir: Annotated[Path, typer.Option(help="where a class's workspaces live")] = Path(CLASSROOM_DIR),
    max_checks: Annotated[int, typer.Option(help="classroom: most checks graded at once (the rest queue)",
                                            min=1)] = 4,
) -> None:
    """Your roadmap, lessons, editor, quizzes and progress in the browser (creates the workspace if needed).

    With --classroom, an instructor serves many learners (accounts from `aieng classroom add-accounts`);
    set AIENG_DATABASE_URL=postgresql+psycopg://... for a real class.
    """
    import socket
    import threading
    import webbrowser

    import uvicorn

    from aieng.web import create_app

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}): try another --port") from None
    if classroom:
        room = _classroom(classroom_dir, max_checks)
        if not any(a.role == "instructor" for a in room.accounts.all()):
            errors.print(Text("warning: no instructor account yet: add one with `aieng classroom add-accounts`",
                              style="yellow"))
        web = create_app(classroom=room, allowed_hosts=None if host in ("0.0.0.0", "::") else (*LOOPBACK, host))
        where = f"classroom {room.root} on {_safe_url(room.database_url)}, at most {max_checks} checks at once"
    else:
        try:
            session = _session()
        except WorkspaceError:
            course = load()
            ws, _ = Workspace.init(Path(DEFAULT_DIR), course)
            session = LearnerSession(ws, course)
            console.print(Text.assemble("Created your workspace at ", (str(ws.root), "cyan")))
        if host not in LOOPBACK:
            errors.print(Text(f"warning: listening on {host}: anyone who can reach this machine can read and "
                              "change your work. Use the default 127.0.0.1 unless you mean it.", style="bold yellow"))
        web = create_app(session, allowed_hosts=None if host in ("0.0.0.0", "::") else (*LOOPBACK, host))
        where = str(session.workspace.root)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    console.print(Text.assemble("aieng is serving ", (url, "bold cyan"), f" from {where}", ("  (Ctrl+C to stop)",
                                                                                          "dim")))
    if not no_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(web, host=host, port=port, log_level="warning")


def _safe_url(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _classroom(root: Path, max_checks: int = 4) -> Classroom:
    from aieng.classroom import Classroom

    return Classroom.open(root, max_checks=max_checks)


classroom_app = typer.Typer(help="Run a class: accounts and grades (serve it with `aieng serve --classroom`).",
                            no_args_is_help=True)
app.add_typer(classroom_app, name="classroom")


@classroom_app.command("add-accounts")
@friendly
def add_accounts(
    csv_file: Annotated[Path, typer.Argument(help="CSV with a header username,password[,role]")],
    classroom_dir: Annotated[Path, typer.Option(help="where the class's workspaces live")] = Path(CLASSROOM_DIR),
) -> None:
    """Create accounts (role learner or instructor) from a CSV; existing ones get the new password and role."""
    result = _classroom(classroom_dir).accounts.import_csv(csv_file)
    console.print(f"{len(result.created)} account(s) created, {len(result.updated)} updated. Passwords are stored "
                  "as argon2 hashes only: you may delete the CSV now.")


@classroom_app.command("grades")
@friendly
def export_grades(
    out: Annotated[Path, typer.Argument(help="CSV file to write")],
    classroom_dir: Annotated[Path, typer.Option(help="where the class's workspaces live")] = Path(CLASSROOM_DIR),
) -> None:
    """Write the grades (one row per learner, 1 = done, 0 = attempted, per exercise) as CSV."""
    from aieng.classroom.report import class_report, grades_csv

    room = _classroom(classroom_dir)
    out.write_text(grades_csv(class_report(room), [e.id for e in room.course.exercises]))
    console.print(f"wrote {out}")
