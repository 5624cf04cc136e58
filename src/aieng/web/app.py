"""The learner's home in the browser: a FastAPI app over `LearnerSession`, the same object the CLI drives.

Pages render on the server (Jinja2; lessons as HTML with MathML), the editor is CodeMirror 6 served from
this package, and nothing is fetched from the network. Safety: only exercise ids map to files (never a
client path), every state-changing request carries the page's CSRF token, the Host header must be one the
server was started for, and grading runs in the sandboxed child process on a worker thread, so a slow check
never blocks other requests.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from matplotlib.figure import Figure
from pydantic import BaseModel

from aieng.errors import AiengError, EditConflict, UsageError
from aieng.quiz.scoring import expected_answer
from aieng.session import LearnerSession, SolutionLocked
from aieng.web.markdown import anchor, pygments_css, render_lesson
from aieng.workspace import sha256

HERE = Path(__file__).parent
FIGURE_TYPES = {".png", ".svg", ".jpg", ".jpeg", ".gif"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class SaveRequest(BaseModel):
    text: str
    base_sha256: str | None = None  # the version the editor started from; None overwrites knowingly


class SolutionRequest(BaseModel):
    confirm: bool = False


class AnswerRequest(BaseModel):
    response: str | float | bool | list[str] | list[bool]


def create_app(session: LearnerSession,
               allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "::1")) -> FastAPI:
    """The web UI for one learner's `session`. Requests whose Host header is not in `allowed_hosts` are refused
    (a web page elsewhere cannot reach this server through a rebound DNS name); None accepts any host."""
    app = FastAPI(title="aieng", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=HERE / "templates")
    csrf_token = secrets.token_urlsafe(32)
    templates.env.globals.update(csrf_token=csrf_token, anchor=anchor)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]")
        if allowed_hosts is not None and host not in allowed_hosts:
            return JSONResponse({"error": f"host {host!r} is not served here"}, status_code=400)
        if request.method in UNSAFE_METHODS and not secrets.compare_digest(
                request.headers.get("x-csrf-token", ""), csrf_token):
            return JSONResponse({"error": "missing or wrong CSRF token: reload the page"}, status_code=403)
        return await call_next(request)

    @app.exception_handler(AiengError)
    async def user_error(request: Request, exc: AiengError) -> Response:
        status = 404 if isinstance(exc, UsageError) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=status)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        context.setdefault("due", len(session.due_items()))
        return templates.TemplateResponse(request, name, context)

    # ---- pages ---------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def roadmap(request: Request) -> HTMLResponse:
        stages = session.roadmap()
        total = sum(len(s.exercises) for s in stages)
        done = sum(s.done for s in stages)
        return page(request, "roadmap.html", stages=stages, next=session.next_exercise(stages), done=done,
                    total=total, titles={e.id: e.title for e in session.course.exercises})

    @app.get("/exercises/{exercise_id}", response_class=HTMLResponse)
    def exercise_page(request: Request, exercise_id: str) -> HTMLResponse:
        exercise = session.exercise(exercise_id)
        code = session.workspace.code_of(exercise) or ""
        lesson = render_lesson(exercise.lesson(), f"/figures/{exercise.id}", list(exercise.glossary))
        unlocked = session.store.hints_unlocked(exercise.id)
        return page(request, "exercise.html", exercise=exercise, lesson=lesson, code=code, sha=sha256(code),
                    hints=exercise.hints[:unlocked], passed=session.store.has_passed(exercise.id),
                    path=str(exercise.workspace_relpath))

    @app.get("/figures/{exercise_id}/{name:path}")
    def figure(exercise_id: str, name: str) -> FileResponse:
        folder = session.exercise(exercise_id).lesson_path.parent.resolve()
        path = (folder / name).resolve()
        if not path.is_relative_to(folder) or path.suffix.lower() not in FIGURE_TYPES or not path.is_file():
            raise UsageError(f"no figure {name!r} in {exercise_id}")
        return FileResponse(path)

    @app.get("/quiz", response_class=HTMLResponse)
    @app.get("/quiz/{stage_id}", response_class=HTMLResponse)
    def quiz(request: Request, stage_id: str | None = None, n: int = 10) -> HTMLResponse:
        stage = session.stage(stage_id) if stage_id else None
        items = session.quiz_items(stage, n=max(1, min(n, 50)))
        return page(request, "quiz.html", title=f"Quiz: {stage.title}" if stage else "Quiz: all stages",
                    items=items, stages=session.course.stages, current=stage_id)

    @app.get("/review", response_class=HTMLResponse)
    def review(request: Request) -> HTMLResponse:
        items = session.due_items()
        return page(request, "quiz.html", title="Review: items due today", items=items,
                    stages=session.course.stages, current="review")

    @app.get("/glossary", response_class=HTMLResponse)
    def glossary(request: Request, q: str = "") -> HTMLResponse:
        terms = sorted(session.course.glossary, key=lambda t: t.term.lower())
        return page(request, "glossary.html", terms=terms, q=q,
                    titles={e.id: e.title for e in session.course.exercises})

    @app.get("/progress", response_class=HTMLResponse)
    def progress(request: Request) -> HTMLResponse:
        summary = session.progress_summary()
        return page(request, "progress.html", summary=summary, charts=_charts(summary),
                    titles={e.id: e.title for e in session.course.exercises})

    @app.get("/code.css")
    def code_css() -> Response:
        return Response(pygments_css(), media_type="text/css")

    # ---- actions (JSON) ------------------------------------------------------------------------------
    @app.get("/api/exercises/{exercise_id}/file")
    def load_file(exercise_id: str) -> dict[str, Any]:
        code = session.workspace.code_of(session.exercise(exercise_id))
        return {"text": code or "", "sha256": sha256(code or ""), "exists": code is not None}

    @app.put("/api/exercises/{exercise_id}/file")
    def save_file(exercise_id: str, body: SaveRequest) -> Response:
        try:
            return JSONResponse({"sha256": session.save(session.exercise(exercise_id), body.text,
                                                        body.base_sha256)})
        except EditConflict as conflict:
            return JSONResponse({"error": str(conflict), "text": conflict.current,
                                 "sha256": sha256(conflict.current)}, status_code=409)

    @app.post("/api/exercises/{exercise_id}/check")
    def check(exercise_id: str) -> dict[str, Any]:  # a plain def: FastAPI runs it on a worker thread
        exercise = session.exercise(exercise_id)
        report = session.check(exercise)
        following = session.next_exercise()
        return {"report": report.to_dict(), "next": following.id if following else None,
                "next_title": following.title if following else None}

    @app.post("/api/exercises/{exercise_id}/hint")
    def hint(exercise_id: str) -> dict[str, Any]:
        exercise = session.exercise(exercise_id)
        return {"hints": session.hint(exercise), "total": len(exercise.hints)}

    @app.post("/api/exercises/{exercise_id}/solution")
    def solution(exercise_id: str, body: SolutionRequest) -> Response:
        try:
            return JSONResponse({"source": session.solution(session.exercise(exercise_id), body.confirm)})
        except SolutionLocked as locked:
            return JSONResponse({"error": str(locked), "locked": True}, status_code=403)

    @app.post("/api/quiz/{item_id}/answer")
    def answer(item_id: str, body: AnswerRequest) -> Response:
        by_id = {item.id: item for item in session.course.quiz_items}
        if item_id not in by_id:
            raise UsageError(f"no quiz item {item_id!r}")
        try:
            result = session.answer(by_id[item_id], body.response)
        except (ValueError, TypeError) as bad:
            return JSONResponse({"error": f"that answer does not fit the question: {bad}"}, status_code=422)
        return JSONResponse({"correct": result.correct, "score": result.score, "expected": result.expected,
                             "explanation": result.explanation})

    @app.get("/api/quiz/{item_id}/model-answer")
    def model_answer(item_id: str) -> dict[str, Any]:
        """What a short or essay item is self-assessed against (shown after the learner has written)."""
        by_id = {item.id: item for item in session.course.quiz_items}
        if item_id not in by_id:
            raise UsageError(f"no quiz item {item_id!r}")
        item = by_id[item_id]
        return {"expected": expected_answer(item), "rubric": list(item.rubric or [])}

    return app


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.find("<svg"):]


def _charts(summary: Any) -> dict[str, str]:
    """The progress page's three charts as inline SVG (drawn on the server: no chart library to ship)."""
    charts: dict[str, str] = {}
    if summary.attempts_per_day:
        days = [d.isoformat() for d, _, _ in summary.attempts_per_day]
        fig = Figure(figsize=(7, 2.6), layout="constrained")
        ax = fig.subplots()
        ax.bar(days, [n for _, n, _ in summary.attempts_per_day], color="#9db4d8", label="checks")
        ax.bar(days, [p for _, _, p in summary.attempts_per_day], color="#3a7d44", label="passed")
        ax.set(title="Checks per day", ylabel="checks")
        ax.legend()
        ax.tick_params(axis="x", labelrotation=45)
        charts["attempts"] = _svg(fig)
    if summary.time_to_pass:
        fig = Figure(figsize=(7, max(2.0, 0.3 * len(summary.time_to_pass) + 1)), layout="constrained")
        ax = fig.subplots()
        ax.barh([e for e, _, _ in summary.time_to_pass], [m for _, m, _ in summary.time_to_pass], color="#3a7d44")
        ax.set(title="Minutes from first check to pass", xlabel="minutes")
        ax.invert_yaxis()
        charts["time_to_pass"] = _svg(fig)
    if summary.quiz_accuracy:
        fig = Figure(figsize=(7, 2.6), layout="constrained")
        ax = fig.subplots()
        ax.bar([s for s, _, _ in summary.quiz_accuracy], [100 * a for _, _, a in summary.quiz_accuracy],
               color="#7a5ea8")
        ax.set(title="Quiz accuracy per stage", ylabel="mean score (%)", ylim=(0, 100))
        charts["quiz"] = _svg(fig)
    return charts
