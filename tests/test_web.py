"""The web UI's API and pages, in process (FastAPI's TestClient): the same session the CLI uses, CSRF,
host checks, no path traversal, no silent overwrite, and a slow check that does not block other requests."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aieng.course import load
from aieng.session import LearnerSession
from aieng.web import create_app
from aieng.workspace import Workspace, sha256
from tests.conftest import REFERENCE_NORMS, make_mini_course

QUIZ = '''
[[item]]
id = "web-l2-norm"
type = "numeric"
prompt = "Euclidean norm of (3, 4)?"
answer = 5.0
tolerance = 1e-9
explanation = "sqrt(9 + 16) = 5."
lessons = ["vector-norms"]

[[item]]
id = "web-norm-choice"
type = "single"
prompt = "Which norm makes weights exactly zero?"
choices = ["L1", "L2"]
answer = "L1"
explanation = "The L1 ball has corners on the axes."
glossary = ["norm"]
'''


def make_web_course(root: Path) -> Path:
    """The mini course (vector-norms) plus a two-item quiz for stage 01."""
    course = make_mini_course(root)
    (course / "01_math" / "quiz.toml").write_text(QUIZ)
    return course


@pytest.fixture
def session(tmp_path: Path) -> LearnerSession:
    course = load(make_web_course(tmp_path / "course"))
    workspace, _ = Workspace.init(tmp_path / "ws", course)
    return LearnerSession(workspace, course)


@pytest.fixture
def client(session: LearnerSession) -> TestClient:
    return TestClient(create_app(session, allowed_hosts=("testserver",)))


def _token(client: TestClient) -> dict[str, str]:
    page = client.get("/").text
    return {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', page)[1]}


def test_pages_render(client: TestClient) -> None:
    roadmap = client.get("/")
    assert roadmap.status_code == 200 and "Vector norms" in roadmap.text and "chip todo" in roadmap.text
    lesson = client.get("/exercises/vector-norms")
    assert lesson.status_code == 200
    assert "<math" in lesson.text  # math as MathML, no JavaScript needed
    assert 'id="editor"' in lesson.text and "/static/editor.js" in lesson.text
    for path in ("/glossary?q=norm", "/quiz", "/quiz/01_math", "/review", "/progress", "/tutor", "/static/editor.js",
                 "/static/app.js", "/static/style.css", "/code.css"):
        assert client.get(path).status_code == 200, path
    assert "https://" not in client.get("/exercises/vector-norms").text.split("<main>")[0]  # no CDN


def test_unknown_ids_and_paths_are_404_never_files(client: TestClient) -> None:
    assert client.get("/exercises/nope").status_code == 404
    assert client.get("/api/exercises/nope/file").status_code == 404
    for sneaky in ("../../lib/math/vectors.py", "..%2F..%2Fexercise.toml", "/etc/passwd", "exercise.toml"):
        assert client.get(f"/figures/vector-norms/{sneaky}").status_code == 404


def test_state_changes_need_the_csrf_token_and_a_known_host(client: TestClient) -> None:
    assert client.post("/api/exercises/vector-norms/hint").status_code == 403
    assert client.put("/api/exercises/vector-norms/file", json={"text": "x = 1\n"}).status_code == 403
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.post("/api/exercises/vector-norms/hint", headers=_token(client)).json()["hints"]


def test_save_never_overwrites_a_file_changed_on_disk(client: TestClient, session: LearnerSession) -> None:
    headers = _token(client)
    loaded = client.get("/api/exercises/vector-norms/file").json()
    path = session.workspace.path_for(session.exercise("vector-norms"))
    path.write_text("# edited in another editor\n")  # the learner's own editor saves meanwhile
    stale = client.put("/api/exercises/vector-norms/file", headers=headers,
                       json={"text": "# from the browser\n", "base_sha256": loaded["sha256"]})
    assert stale.status_code == 409 and stale.json()["text"] == "# edited in another editor\n"
    assert path.read_text() == "# edited in another editor\n"
    fresh = client.put("/api/exercises/vector-norms/file", headers=headers,
                       json={"text": "# from the browser\n", "base_sha256": sha256("# edited in another editor\n")})
    assert fresh.status_code == 200 and path.read_text() == "# from the browser\n"


def test_check_grades_the_workspace_file_and_updates_the_roadmap(client: TestClient) -> None:
    headers = _token(client)
    first = client.post("/api/exercises/vector-norms/check", headers=headers).json()["report"]
    assert first["status"] == "not_started" and not first["passed"]
    client.put("/api/exercises/vector-norms/file", headers=headers,
               json={"text": REFERENCE_NORMS.read_text(), "base_sha256": None})
    second = client.post("/api/exercises/vector-norms/check", headers=headers).json()["report"]
    assert second["passed"], second["message"]
    assert 'data-state="done"' in client.get("/").text
    assert client.post("/api/exercises/vector-norms/solution", headers=headers, json={}).status_code == 200
    assert "Minutes from first check to pass" in client.get("/progress").text


def test_solution_is_locked_before_a_pass(client: TestClient) -> None:
    locked = client.post("/api/exercises/vector-norms/solution", headers=_token(client), json={"confirm": False})
    assert locked.status_code == 403 and locked.json()["locked"]


def test_quiz_answers_go_through_the_quiz_engine(client: TestClient, session: LearnerSession) -> None:
    headers = _token(client)
    right = client.post("/api/quiz/web-l2-norm/answer", headers=headers, json={"response": 5}).json()
    assert right["correct"] and right["score"] == 1.0
    wrong = client.post("/api/quiz/web-norm-choice/answer", headers=headers, json={"response": "L2"}).json()
    assert not wrong["correct"] and wrong["expected"] == "L1"
    assert client.post("/api/quiz/web-norm-choice/answer", headers=headers,
                       json={"response": "L3"}).status_code == 422
    assert client.post("/api/quiz/nope/answer", headers=headers, json={"response": 1}).status_code == 404
    assert [a.item_id for a in session.store.quiz_answers()] == ["web-l2-norm", "web-norm-choice"]


def test_a_slow_check_does_not_block_other_requests(client: TestClient, session: LearnerSession,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    real_check = session.check

    def slow_check(exercise, limits=None):  # type: ignore[no-untyped-def]
        started.set()
        assert release.wait(30)
        return real_check(exercise, limits)

    monkeypatch.setattr(session, "check", slow_check)
    headers = _token(client)
    worker = threading.Thread(target=lambda: client.post("/api/exercises/vector-norms/check", headers=headers))
    worker.start()
    try:
        assert started.wait(30)
        assert client.get("/").status_code == 200  # served while the check is still running
        assert client.get("/api/exercises/vector-norms/file").status_code == 200
    finally:
        release.set()
        worker.join(60)
