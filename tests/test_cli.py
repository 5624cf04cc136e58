"""The CLI as a learner uses it: Typer's CliRunner for each command, and one real subprocess run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from aieng.cli import app
from tests.conftest import REFERENCE_NORMS

runner = CliRunner()
WORKSPACE_FILE = Path("aieng-workspace/01_math/01_vector_norms.py")


class Outcome:
    """A CLI run: exit code, raw stdout, and `output` with Rich's boxes and line wraps flattened."""

    def __init__(self, exit_code: int, stdout: str, output: str) -> None:
        self.exit_code, self.stdout = exit_code, stdout
        self.output = " ".join(re.sub(r"[│╭╮╰╯─┃┏┓┗┛━┡┩┣┫╇╋┳┻]", " ", output).split())


def aieng(*args: str) -> Outcome:
    result = runner.invoke(app, list(args))
    return Outcome(result.exit_code, result.stdout, result.output)


def test_commands_outside_a_workspace_say_how_to_start(env: Path) -> None:
    result = aieng("status")
    assert result.exit_code == 2
    assert "aieng init" in result.output and "Traceback" not in result.output
    lesson = aieng("show", "vector-norms")  # reading needs no workspace
    assert lesson.exit_code == 0 and "Vector norms" in lesson.output and "aieng init" in lesson.output


def test_init_then_status_shows_the_roadmap_and_next_exercise(env: Path) -> None:
    result = aieng("init")
    assert result.exit_code == 0, result.output
    assert WORKSPACE_FILE.exists() and "1 exercise file(s) added" in result.output
    result = aieng()
    assert result.exit_code == 0, result.output
    assert "Mathematics" in result.output and "coming soon" in result.output
    assert "Next: Vector norms" in result.output and "aieng show vector-norms" in result.output


def test_list_and_show(env: Path) -> None:
    aieng("init")
    listing = aieng("list", "math")
    assert listing.exit_code == 0 and "vector-norms" in listing.output
    assert aieng("list", "stats").exit_code == 0
    bad_stage = aieng("list", "mathz")
    assert bad_stage.exit_code == 2 and "did you mean" in bad_stage.output
    lesson = aieng("show", "vector-norms")
    assert lesson.exit_code == 0 and "Vector norms" in lesson.output and "‖x‖" in lesson.output


def test_unknown_id_suggests_the_closest(env: Path) -> None:
    aieng("init")
    for command in ("show", "check", "hint", "solution", "reset"):
        result = aieng(command, "vectr-norms")
        assert result.exit_code == 2, command
        assert "did you mean 'vector-norms'" in result.output and "Traceback" not in result.output


def test_check_starter_fails_with_exit_1_then_reference_passes_with_exit_0(env: Path) -> None:
    aieng("init")
    result = aieng("check")
    assert result.exit_code == 1, result.output
    assert "not started" in result.output and "aieng hint vector-norms" in result.output
    WORKSPACE_FILE.write_text(REFERENCE_NORMS.read_text())
    result = aieng("check", "vector-norms")
    assert result.exit_code == 0, result.output
    assert "✓" in result.output and "all" in result.output
    assert "Every available exercise is done" in aieng("status").output


def test_check_json_is_the_report(env: Path) -> None:
    aieng("init")
    result = aieng("check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["exercise_id"] == "vector-norms" and report["status"] == "not_started"
    assert report["checks"] and report["next_hint"] == 1


def test_check_reports_a_deleted_file(env: Path) -> None:
    aieng("init")
    WORKSPACE_FILE.unlink()
    result = aieng("check", "vector-norms")
    assert result.exit_code == 1 and "aieng reset vector-norms" in result.output


def test_bad_timeout_is_a_usage_error(env: Path) -> None:
    aieng("init")
    result = aieng("check", "--timeout", "-1")
    assert result.exit_code == 2 and "positive" in result.output


def test_hints_unlock_one_at_a_time_and_are_remembered(env: Path) -> None:
    aieng("init")
    first = aieng("hint", "vector-norms")
    assert "Hint 1 of 4" in first.output and "Hint 2" not in first.output
    second = aieng("hint", "vector-norms")
    assert "Hint 1 of 4" in second.output and "Hint 2 of 4" in second.output
    report = json.loads(aieng("check", "--json").stdout)
    assert report["next_hint"] == 3


def test_solution_is_locked_before_a_pass_unless_confirmed(env: Path) -> None:
    aieng("init")
    locked = aieng("solution", "vector-norms")
    assert locked.exit_code == 2 and "--yes" in locked.output and "def norm" not in locked.output
    shown = aieng("solution", "vector-norms", "--yes")
    assert shown.exit_code == 0 and "def norm" in shown.output and "def normalize" in shown.output


def test_reset_restores_the_starter_and_keeps_a_backup(env: Path) -> None:
    aieng("init")
    WORKSPACE_FILE.write_text("# my attempt\n")
    result = aieng("reset", "vector-norms")
    assert result.exit_code == 0 and "backup" in result.output
    backups = list(Path("aieng-workspace/.aieng/backup/01_math").iterdir())
    assert [b.read_text() for b in backups] == ["# my attempt\n"]
    assert "raise NotImplementedError" in WORKSPACE_FILE.read_text()


def test_init_twice_keeps_the_learners_work(env: Path) -> None:
    aieng("init")
    WORKSPACE_FILE.write_text("# my attempt\n")
    again = aieng("init")
    assert again.exit_code == 0 and "0 exercise file(s) added" in again.output
    assert WORKSPACE_FILE.read_text() == "# my attempt\n"


def test_a_real_subprocess_init_check_status(env: Path) -> None:
    """The installed entry point, as a shell would run it."""
    run_env = {**os.environ, "COLUMNS": "100"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "aieng", *args], capture_output=True, text=True, env=run_env,
                              timeout=120)

    assert run("init", "mine").returncode == 0
    os.chdir("mine")
    failing = run("check", "vector-norms")
    assert failing.returncode == 1 and "not started" in failing.stdout
    Path("01_math/01_vector_norms.py").write_text(REFERENCE_NORMS.read_text())
    assert run("check").returncode == 0
    status = run("status")
    assert status.returncode == 0 and "100%" in status.stdout


def test_watch_rechecks_on_save_and_stops_when_all_is_done(env: Path) -> None:
    """`aieng watch` grades the current file, waits for a save, re-grades, and finishes after the pass."""
    assert aieng("init").exit_code == 0
    log = Path("watch.log")
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "aieng", "watch"], stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "COLUMNS": "100"})
        try:
            deadline = time.monotonic() + 90
            while "watching" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.2)
            # the watcher starts a moment after it says so: save until it notices, like an impatient learner
            while proc.poll() is None and time.monotonic() < deadline:
                WORKSPACE_FILE.write_text(REFERENCE_NORMS.read_text())
                time.sleep(2)
        finally:
            proc.kill()
            proc.wait()
    text = log.read_text()
    assert "not started" in text and "Every available exercise is done" in text, text
    assert proc.returncode == 0


def test_progress_reports_checks_and_time_to_pass(env: Path) -> None:
    aieng("init")
    assert "No checks" in aieng("progress").output
    aieng("check")
    WORKSPACE_FILE.write_text(REFERENCE_NORMS.read_text())
    aieng("check")
    result = aieng("progress")
    assert result.exit_code == 0
    assert "Checks per day" in result.output and "Time to pass" in result.output
    assert "vector-norms" in result.output and " 2 1 " in result.output  # 2 checks, 1 passed


def test_serve_refuses_a_port_in_use(env: Path) -> None:
    import socket

    aieng("init")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = aieng("serve", "--no-browser", "--port", str(busy.getsockname()[1]))
    assert result.exit_code == 2 and "try another --port" in result.output
