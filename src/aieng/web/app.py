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

from fastapi import FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer
from matplotlib.figure import Figure
from pydantic import BaseModel, Field

from aieng.classroom import Classroom
from aieng.classroom.report import class_report, grades_csv
from aieng.errors import AiengError, EditConflict, UsageError
from aieng.quiz.scoring import expected_answer
from aieng.session import LearnerSession, SolutionLocked
from aieng.web.markdown import anchor, pygments_css, render_lesson
from aieng.workspace import sha256

HERE = Path(__file__).parent
COOKIE = "aieng_session"
SIGN_IN_HOURS = 12
FIGURE_TYPES = {".png", ".svg", ".jpg", ".jpeg", ".gif"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class SaveRequest(BaseModel):
    text: str
    base_sha256: str | None = None  # the version the editor started from; None overwrites knowingly


class SolutionRequest(BaseModel):
    confirm: bool = False


class TutorRequest(BaseModel):
    question: str
    k: int = Field(5, ge=1, le=20)


class AnswerRequest(BaseModel):
    response: str | float | bool | list[str] | list[bool]


class NotSignedIn(Exception):
    """A classroom request without a valid session cookie."""


class Forbidden(Exception):
    """A signed-in user asked for something their role does not allow."""


def create_app(session: LearnerSession | None = None, *, classroom: Classroom | None = None,
               allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "::1")) -> FastAPI:
    """The web UI: for one learner's `session` (the default, `aieng serve`), or for a `classroom` of signed-in
    learners, each mapped to their own session, workspace and rows (`aieng serve --classroom`).

    Requests whose Host header is not in `allowed_hosts` are refused (a web page elsewhere cannot reach this
    server through a rebound DNS name); None accepts any host.
    """
    if (session is None) == (classroom is None):
        raise ValueError("give either a learner session or a classroom")
    app = FastAPI(title="aieng", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(anchor=anchor, classroom=classroom is not None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app_token = secrets.token_urlsafe(32)
    signer = URLSafeTimedSerializer(classroom.secret, salt="aieng-session") if classroom else None

    def signed_in(request: Request) -> dict[str, str] | None:
        """The classroom user of this request ({"user", "role", "csrf"}), or None."""
        if signer is None or not (raw := request.cookies.get(COOKIE)):
            return None
        try:
            data = signer.loads(raw, max_age=SIGN_IN_HOURS * 3600)
        except BadSignature:
            return None
        role = classroom.accounts.role_of(data["user"]) if classroom else None  # re-read: a removed account is out
        return {"user": data["user"], "role": role, "csrf": data["csrf"]} if role else None

    def csrf_for(request: Request) -> str:
        user = getattr(request.state, "user", None)
        return user["csrf"] if user else (app_token if classroom is None else "")

    def learner(request: Request) -> LearnerSession:
        if session is not None:
            return session
        user = getattr(request.state, "user", None)
        if user is None:
            raise NotSignedIn
        return classroom.session_for(user["user"])  # type: ignore[union-attr]

    def instructor(request: Request) -> None:
        user = getattr(request.state, "user", None)
        if user is None:
            raise NotSignedIn
        if user["role"] != "instructor":
            raise Forbidden

    def grade(job: Callable[[], Any]) -> Any:
        return classroom.pool.run(job) if classroom else job()

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]")
        if allowed_hosts is not None and host not in allowed_hosts:
            return JSONResponse({"error": f"host {host!r} is not served here"}, status_code=400)
        request.state.user = signed_in(request)
        if request.method in UNSAFE_METHODS:
            if request.url.path == "/login":  # no session yet: the browser's Origin must be this server
                origin = request.headers.get("origin")
                if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
                    return JSONResponse({"error": "sign-in from another site refused"}, status_code=403)
            elif not (expected := csrf_for(request)) or not secrets.compare_digest(
                    request.headers.get("x-csrf-token", ""), expected):
                return JSONResponse({"error": "missing or wrong CSRF token: reload the page"}, status_code=403)
        return await call_next(request)

    @app.exception_handler(AiengError)
    async def user_error(request: Request, exc: AiengError) -> Response:
        status = 404 if isinstance(exc, UsageError) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc), "due": 0,
                                                                  "csrf_token": csrf_for(request)},
                                          status_code=status)

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return JSONResponse({"error": "only an instructor may see this"}, status_code=403)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        context.setdefault("due", len(learner(request).due_items()))
        context.update(csrf_token=csrf_for(request), user=getattr(request.state, "user", None))
        return templates.TemplateResponse(request, name, context)

    # ---- signing in (classroom mode) -------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/", error: str = "") -> HTMLResponse:
        if classroom is None:
            raise UsageError("sign-in exists in classroom mode only")
        return templates.TemplateResponse(request, "login.html", {"next": next, "error": error, "due": 0,
                                                                  "csrf_token": "", "user": None})

    @app.post("/login")
    def login(username: str = Form(...), password: str = Form(...), next: str = Form("/")) -> Response:
        if classroom is None or signer is None:
            raise UsageError("sign-in exists in classroom mode only")
        account = classroom.accounts.verify(username.strip().lower(), password)
        target = next if next.startswith("/") and not next.startswith("//") else "/"  # no open redirect
        if account is None:
            return RedirectResponse(f"/login?error=1&next={target}", status_code=303)
        response = RedirectResponse(target, status_code=303)
        cookie = signer.dumps({"user": account.username, "csrf": secrets.token_urlsafe(32)})
        response.set_cookie(COOKIE, cookie, max_age=SIGN_IN_HOURS * 3600, httponly=True, samesite="strict")
        return response

    @app.post("/logout")
    def logout() -> Response:
        response = JSONResponse({"signed_out": True})
        response.delete_cookie(COOKIE)
        return response

    # ---- the instructor (classroom mode) ---------------------------------------------------------------
    @app.get("/instructor", response_class=HTMLResponse)
    def dashboard(request: Request) -> HTMLResponse:
        instructor(request)
        assert classroom is not None
        report = class_report(classroom)
        return page(request, "instructor.html", report=report, pool=classroom.pool,
                    titles={e.id: e.title for e in classroom.course.exercises},
                    stages={s.id: s.title for s in classroom.course.stages})

    @app.get("/instructor/grades.csv")
    def grades(request: Request) -> Response:
        instructor(request)
        assert classroom is not None
        text = grades_csv(class_report(classroom), [e.id for e in classroom.course.exercises])
        return Response(text, media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="aieng-grades.csv"'})

    # ---- pages ---------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def roadmap(request: Request) -> HTMLResponse:
        me = learner(request)
        stages = me.roadmap()
        total = sum(len(s.exercises) for s in stages)
        done = sum(s.done for s in stages)
        return page(request, "roadmap.html", stages=stages, next=me.next_exercise(stages), done=done,
                    total=total, titles={e.id: e.title for e in me.course.exercises})

    @app.get("/exercises/{exercise_id}", response_class=HTMLResponse)
    def exercise_page(request: Request, exercise_id: str) -> HTMLResponse:
        me = learner(request)
        exercise = me.exercise(exercise_id)
        code = me.workspace.code_of(exercise) or ""
        lesson = render_lesson(exercise.lesson(), f"/figures/{exercise.id}", list(exercise.glossary))
        unlocked = me.store.hints_unlocked(exercise.id)
        return page(request, "exercise.html", exercise=exercise, lesson=lesson, code=code, sha=sha256(code),
                    hints=exercise.hints[:unlocked], passed=me.store.has_passed(exercise.id),
                    path=str(exercise.workspace_relpath))

    @app.get("/figures/{exercise_id}/{name:path}")
    def figure(request: Request, exercise_id: str, name: str) -> FileResponse:
        me = learner(request)
        folder = me.exercise(exercise_id).lesson_path.parent.resolve()
        path = (folder / name).resolve()
        if not path.is_relative_to(folder) or path.suffix.lower() not in FIGURE_TYPES or not path.is_file():
            raise UsageError(f"no figure {name!r} in {exercise_id}")
        return FileResponse(path)

    @app.get("/quiz", response_class=HTMLResponse)
    @app.get("/quiz/{stage_id}", response_class=HTMLResponse)
    def quiz(request: Request, stage_id: str | None = None, n: int = 10) -> HTMLResponse:
        me = learner(request)
        stage = me.stage(stage_id) if stage_id else None
        items = me.quiz_items(stage, n=max(1, min(n, 50)))
        return page(request, "quiz.html", title=f"Quiz: {stage.title}" if stage else "Quiz: all stages",
                    items=items, stages=me.course.stages, current=stage_id)

    @app.get("/review", response_class=HTMLResponse)
    def review(request: Request) -> HTMLResponse:
        me = learner(request)
        items = me.due_items()
        return page(request, "quiz.html", title="Review: items due today", items=items,
                    stages=me.course.stages, current="review")

    @app.get("/glossary", response_class=HTMLResponse)
    def glossary(request: Request, q: str = "") -> HTMLResponse:
        me = learner(request)
        terms = sorted(me.course.glossary, key=lambda t: t.term.lower())
        return page(request, "glossary.html", terms=terms, q=q,
                    titles={e.id: e.title for e in me.course.exercises})

    @app.get("/progress", response_class=HTMLResponse)
    def progress(request: Request) -> HTMLResponse:
        me = learner(request)
        summary = me.progress_summary()
        return page(request, "progress.html", summary=summary, charts=_charts(summary),
                    titles={e.id: e.title for e in me.course.exercises})

    @app.get("/tutor", response_class=HTMLResponse)
    def tutor_page(request: Request) -> HTMLResponse:
        return page(request, "tutor.html")

    @app.post("/api/tutor")
    def tutor(request: Request, body: TutorRequest) -> dict[str, Any]:  # worker thread: retrieval takes a while
        from aieng.tutor import ask

        me = learner(request)
        if not body.question.strip():
            raise UsageError("ask a question")
        return ask(body.question, k=body.k, course=me.course, workspace=me.workspace.root, progress=False).to_dict()

    @app.get("/code.css")
    def code_css() -> Response:
        return Response(pygments_css(), media_type="text/css")

    # ---- actions (JSON) ------------------------------------------------------------------------------
    @app.get("/api/exercises/{exercise_id}/file")
    def load_file(request: Request, exercise_id: str) -> dict[str, Any]:
        me = learner(request)
        code = me.workspace.code_of(me.exercise(exercise_id))
        return {"text": code or "", "sha256": sha256(code or ""), "exists": code is not None}

    @app.put("/api/exercises/{exercise_id}/file")
    def save_file(request: Request, exercise_id: str, body: SaveRequest) -> Response:
        me = learner(request)
        try:
            return JSONResponse({"sha256": me.save(me.exercise(exercise_id), body.text,
                                                        body.base_sha256)})
        except EditConflict as conflict:
            return JSONResponse({"error": str(conflict), "text": conflict.current,
                                 "sha256": sha256(conflict.current)}, status_code=409)

    @app.post("/api/exercises/{exercise_id}/check")
    def check(request: Request, exercise_id: str) -> dict[str, Any]:  # a plain def: runs on a worker thread
        me = learner(request)
        exercise = me.exercise(exercise_id)
        report = grade(lambda: me.check(exercise))  # bounded in classroom mode
        following = me.next_exercise()
        return {"report": report.to_dict(), "next": following.id if following else None,
                "next_title": following.title if following else None}

    @app.post("/api/exercises/{exercise_id}/hint")
    def hint(request: Request, exercise_id: str) -> dict[str, Any]:
        me = learner(request)
        exercise = me.exercise(exercise_id)
        return {"hints": me.hint(exercise), "total": len(exercise.hints)}

    @app.post("/api/exercises/{exercise_id}/solution")
    def solution(request: Request, exercise_id: str, body: SolutionRequest) -> Response:
        me = learner(request)
        try:
            return JSONResponse({"source": me.solution(me.exercise(exercise_id), body.confirm)})
        except SolutionLocked as locked:
            return JSONResponse({"error": str(locked), "locked": True}, status_code=403)

    @app.post("/api/quiz/{item_id}/answer")
    def answer(request: Request, item_id: str, body: AnswerRequest) -> Response:
        me = learner(request)
        by_id = {item.id: item for item in me.course.quiz_items}
        if item_id not in by_id:
            raise UsageError(f"no quiz item {item_id!r}")
        try:
            result = me.answer(by_id[item_id], body.response)
        except (ValueError, TypeError) as bad:
            return JSONResponse({"error": f"that answer does not fit the question: {bad}"}, status_code=422)
        return JSONResponse({"correct": result.correct, "score": result.score, "expected": result.expected,
                             "explanation": result.explanation})

    @app.get("/api/quiz/{item_id}/model-answer")
    def model_answer(request: Request, item_id: str) -> dict[str, Any]:
        """What a short or essay item is self-assessed against (shown after the learner has written)."""
        me = learner(request)
        by_id = {item.id: item for item in me.course.quiz_items}
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
