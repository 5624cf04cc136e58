"""Classroom mode: accounts from CSV with argon2 hashes, signed-cookie sessions, a workspace and rows per
learner that no other learner can reach, the bounded grading pool, the instructor's dashboard and grades,
and the schema on both SQLite and a real PostgreSQL server (a throwaway cluster started here; `.ci/run`
installs PostgreSQL where it is missing)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from aieng.classroom import Classroom, GradingPool
from aieng.course import load
from aieng.errors import UsageError
from aieng.progress import Store
from aieng.progress.store import SCHEMA_HEAD
from aieng.web import create_app
from tests.conftest import REFERENCE_NORMS
from tests.test_web import make_web_course

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL 15 cluster on a free loopback port, owned by the postgres user."""
    if not (PG_BIN / "initdb").exists() or shutil.which("su") is None or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL 15 (apt-get install -y postgresql) and run as root")
        pytest.skip("PostgreSQL 15 is not installed")
    data = Path(tempfile.mkdtemp(prefix="aieng-pg-"))  # not under pytest's tmp: that is private to root
    shutil.chown(data, "postgres")
    port = _free_port()

    def as_postgres(command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True, timeout=120)

    as_postgres(f"{PG_BIN}/initdb -D {data} -A trust -U postgres")
    as_postgres(f"{PG_BIN}/pg_ctl -D {data} -l {data}/server.log "
                f"-o '-p {port} -k {data} -c listen_addresses=127.0.0.1' -w start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        as_postgres(f"{PG_BIN}/pg_ctl -D {data} -m immediate stop")
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'class.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:  # each test starts from an empty database
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def test_migrations_create_and_upgrade_the_schema(database_url: str) -> None:
    from alembic import command

    from aieng.progress.store import alembic_config

    store = Store(database_url, learner_name="ada")
    with store.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == SCHEMA_HEAD
    config = alembic_config()
    with store.engine.begin() as connection:  # back to the first release, then forward again
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    again = Store(database_url, learner_name="ada")
    with again.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == SCHEMA_HEAD
        assert connection.execute(text("select count(*) from account")).scalar() == 0


@pytest.fixture
def classroom(tmp_path: Path, database_url: str) -> Classroom:
    course = load(make_web_course(tmp_path / "course"))
    room = Classroom(tmp_path / "class", Store(database_url, learner_name="_classroom"), course, max_checks=2)
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("username,password,role\nada,correct horse,learner\nbob,battery staple,learner\n"
                        "teach,instructor pass,instructor\n")
    room.accounts.import_csv(accounts)
    return room


def _sign_in(room: Classroom, username: str, password: str) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(create_app(classroom=room, allowed_hosts=("testserver",)))
    response = client.post("/login", data={"username": username, "password": password, "next": "/"})
    assert response.status_code == 200, response.text  # followed the redirect to the roadmap
    token = re.search(r'name="csrf-token" content="([^"]+)"', response.text)[1]
    return client, {"X-CSRF-Token": token}


def test_accounts_store_argon2_hashes_and_reject_bad_rows(classroom: Classroom, tmp_path: Path) -> None:
    teach = next(a for a in classroom.accounts.all() if a.username == "teach")
    assert teach.role == "instructor" and teach.password_hash.startswith("$argon2id$")
    assert "instructor pass" not in teach.password_hash
    assert classroom.accounts.verify("ada", "correct horse") is not None
    assert classroom.accounts.verify("ada", "wrong horse") is None
    assert classroom.accounts.verify("nobody", "correct horse") is None
    bad = tmp_path / "bad.csv"
    bad.write_text("username,password\ncy,long enough\nDan!,long enough\n")
    with pytest.raises(UsageError, match="line 3"):
        classroom.accounts.import_csv(bad)
    assert classroom.accounts.verify("cy", "long enough") is None  # nothing written when a row is bad


def test_learners_never_see_each_others_work(classroom: Classroom) -> None:
    ada, ada_headers = _sign_in(classroom, "ada", "correct horse")
    bob, bob_headers = _sign_in(classroom, "bob", "battery staple")
    ada.put("/api/exercises/vector-norms/file", headers=ada_headers,
            json={"text": REFERENCE_NORMS.read_text(), "base_sha256": None})
    assert ada.post("/api/exercises/vector-norms/check", headers=ada_headers).json()["report"]["passed"]
    assert 'data-state="done"' in ada.get("/").text
    assert "raise NotImplementedError" in bob.get("/api/exercises/vector-norms/file").json()["text"]
    assert 'data-state="done"' not in bob.get("/").text
    assert bob.post("/api/exercises/vector-norms/solution", headers=bob_headers, json={}).status_code == 403
    # bob's token does not work in ada's session, and no route takes a username or a path
    assert ada.post("/api/exercises/vector-norms/hint", headers=bob_headers).status_code == 403
    assert bob.get("/instructor").status_code == 403
    ws = classroom.root / "workspaces"
    assert "def norm" in (ws / "ada" / "01_math" / "01_vector_norms.py").read_text()
    assert "raise NotImplementedError" in (ws / "bob" / "01_math" / "01_vector_norms.py").read_text()


def test_signed_out_or_forged_sessions_get_nothing(classroom: Classroom) -> None:
    client = TestClient(create_app(classroom=classroom, allowed_hosts=("testserver",)))
    assert client.get("/api/exercises/vector-norms/file").status_code == 401
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    wrong = client.post("/login", data={"username": "ada", "password": "nope", "next": "/"})
    assert "Wrong username or password" in wrong.text
    client.cookies.set("aieng_session", "eyJ1c2VyIjoiYWRhIn0.forged.signature")
    assert client.get("/api/exercises/vector-norms/file").status_code == 401
    outside = client.post("/login", data={"username": "ada", "password": "correct horse"},
                          headers={"Origin": "http://evil.example"})
    assert outside.status_code == 403


def test_instructor_sees_the_class_and_exports_grades(classroom: Classroom) -> None:
    ada, ada_headers = _sign_in(classroom, "ada", "correct horse")
    bob, bob_headers = _sign_in(classroom, "bob", "battery staple")
    ada.put("/api/exercises/vector-norms/file", headers=ada_headers,
            json={"text": REFERENCE_NORMS.read_text(), "base_sha256": None})
    ada.post("/api/exercises/vector-norms/check", headers=ada_headers)
    bob.post("/api/exercises/vector-norms/check", headers=bob_headers)
    bob.post("/api/exercises/vector-norms/hint", headers=bob_headers)
    bob.post("/api/quiz/web-l2-norm/answer", headers=bob_headers, json={"response": 5})
    teach, _ = _sign_in(classroom, "teach", "instructor pass")
    dashboard = teach.get("/instructor").text
    assert "ada" in dashboard and "bob" in dashboard and "teach</td>" not in dashboard
    assert re.search(r"Vector norms</a></td><td>\d+</td><td>1</td><td>2</td><td>1</td>", dashboard)
    csv_text = teach.get("/instructor/grades.csv").text.splitlines()
    assert csv_text[0] == "learner,exercises_done,vector-norms"
    assert csv_text[1:] == ["ada,1,1", "bob,0,0"]


def test_the_grading_pool_bounds_concurrent_checks() -> None:
    pool = GradingPool(2)
    running, peak, lock = [0], [0], threading.Lock()

    def job() -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    threads = [threading.Thread(target=pool.run, args=(job,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert peak[0] == 2 == pool.peak and pool.running == pool.waiting == 0
    with pytest.raises(ValueError):
        GradingPool(0)


def test_classroom_checks_go_through_the_pool(classroom: Classroom) -> None:
    ada, headers = _sign_in(classroom, "ada", "correct horse")
    ada.post("/api/exercises/vector-norms/check", headers=headers)
    assert classroom.pool.peak == 1
