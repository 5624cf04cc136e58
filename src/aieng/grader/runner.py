"""`grade(exercise, path)`: run an exercise's tests on a learner's file in a sandboxed child process.

The parent never imports learner code. It starts `python -m aieng.grader.child` in a fresh temp dir
with CPU, memory and file-size limits and a wall-clock timeout, then reads the JSON lines the child
appended to a results file (structured data, not scraped terminal text) into a `Report`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aieng.course import Exercise
from aieng.grader import report as r
from aieng.grader.report import Check, Report
from aieng.grader.sandbox import SANDBOX_PREFIX

GiB = 1024**3


@dataclass(frozen=True)
class Limits:
    """Resource limits for one grading run (defaults: 30 s, 2 GiB, 16 MiB of output)."""

    timeout: float = 30.0
    memory_bytes: int = 2 * GiB
    file_bytes: int = 16 * 1024**2

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by AIENG_TIMEOUT (seconds) and AIENG_MEMORY_MB."""
        timeout = float(os.environ.get("AIENG_TIMEOUT", cls.timeout))
        memory = int(float(os.environ.get("AIENG_MEMORY_MB", cls.memory_bytes / 1024**2)) * 1024**2)
        return cls(timeout=timeout, memory_bytes=memory)


def _child_env(tmpdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TMPDIR=str(tmpdir), TEMP=str(tmpdir), TMP=str(tmpdir), MPLCONFIGDIR=str(tmpdir / "mpl"), MPLBACKEND="Agg",
        OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0", PYTHONUNBUFFERED="1",
    )
    env.pop("PYTHONSTARTUP", None)
    return env


def _read_events(results: Path) -> list[dict]:
    if not results.exists():
        return []
    events = []
    for line in results.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut short by a kill
            break
    return events


def _tail(path: Path, limit: int = 1500) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as f:
        f.seek(max(path.stat().st_size - limit, 0))
        return f.read().decode(errors="replace")


def _status_from_checks(checks: list[Check], limits: Limits) -> tuple[str, str]:
    failed = [c for c in checks if not c.passed]
    if not checks:
        return r.INTERNAL_ERROR, "the exercise's tests ran no check"
    if not failed:
        return r.PASSED, f"all {len(checks)} checks passed"
    if any(SANDBOX_PREFIX in c.message for c in failed):
        return r.SANDBOX, next(c.message for c in failed if SANDBOX_PREFIX in c.message)
    if any("File too large" in c.message for c in failed):  # RLIMIT_FSIZE (Python ignores SIGXFSZ)
        return r.OUTPUT_LIMIT, (f"your code printed or wrote more than {limits.file_bytes // 1024**2} MiB, so it "
                                "was stopped: a print inside a loop?")
    if any(c.message.startswith("your code called sys.exit") for c in failed):
        return r.EXITED, next(c.message for c in failed if c.message.startswith("your code called sys.exit"))
    if any(c.message.startswith("MemoryError") for c in failed):
        return r.MEMORY, "your code ran out of memory (the limit protects your machine); look for a huge array"
    if all(c.not_implemented for c in failed):
        return r.NOT_STARTED, "not started yet: replace each `raise NotImplementedError` with your code"
    return r.FAILED, f"{len(failed)} of {len(checks)} checks failed"


def grade(exercise: Exercise, path: Path, limits: Limits | None = None) -> Report:
    """Grade the learner's file `path` for `exercise`; never raises for anything the learner's code does."""
    limits = limits or Limits.from_env()
    start = time.perf_counter()
    report = Report(exercise.id, str(path), r.PASSED)
    if not path.is_file():
        report.status = r.MISSING_FILE
        report.message = f"{path} does not exist: run `aieng reset {exercise.id}` to restore the starter"
        return report
    tmpdir = Path(tempfile.mkdtemp(prefix="aieng-grade-"))
    try:
        results, output = tmpdir / "results.jsonl", tmpdir / "output.txt"
        config = {
            "module_path": str(path.resolve()), "test_path": str(exercise.test_path), "entry": list(exercise.entry),
            "reference": exercise.reference,
            "results": str(results), "tmpdir": str(tmpdir), "memory_bytes": limits.memory_bytes,
            "file_bytes": limits.file_bytes, "cpu_seconds": int(limits.timeout) + 5,
        }
        (tmpdir / "config.json").write_text(json.dumps(config))
        with output.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "aieng.grader.child", str(tmpdir / "config.json")],
                cwd=tmpdir, env=_child_env(tmpdir), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                start_new_session=True,
            )
            # A timer kills the child's process group at the deadline; the blocking wait returns the moment
            # the child exits (Popen.wait(timeout=...) would poll in sleeps of up to 50 ms instead).
            expired = threading.Event()

            def kill() -> None:
                expired.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)

            deadline = threading.Timer(limits.timeout, kill)
            deadline.start()
            proc.wait()
            deadline.cancel()
            timed_out = expired.is_set()
        _fill(report, _read_events(results), proc.returncode, timed_out, limits, _tail(output))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    report.duration = time.perf_counter() - start
    return report


def _fill(report: Report, events: list[dict], returncode: int, timed_out: bool, limits: Limits, output: str) -> None:
    """Turn the child's events and its exit into the report's checks, status and message."""
    last_started = ""
    for event in events:
        kind = event["type"]
        if kind == "imported":
            report.stdout = event.get("stdout", "")
        elif kind == "start":
            last_started = event["name"]
        elif kind == "check":
            report.checks.append(Check(**event["check"]))
        elif kind == "fatal":
            report.status, report.message = event["status"], event["message"]
            report.stdout = event.get("stdout", report.stdout)
            return
    done = any(e["type"] == "done" for e in events)
    if timed_out or returncode == -signal.SIGXCPU:
        running = f" while running check `{last_started}`" if last_started else ""
        report.status = r.TIMEOUT
        report.message = (f"stopped after {limits.timeout:g} s{running}: an infinite loop, or a very slow "
                          "solution? (set AIENG_TIMEOUT to allow more time)")
    elif not done:
        if returncode == -signal.SIGKILL or "MemoryError" in output:
            report.status, report.message = r.MEMORY, (
                f"your code went over the memory limit ({limits.memory_bytes / GiB:g} GiB) and was stopped")
        elif returncode is not None and returncode >= 0 and "Traceback" not in output:
            report.status, report.message = r.EXITED, (
                f"the grading process ended early with exit code {returncode}: does your code call "
                "os._exit() or sys.exit()? Return the answer instead")
        else:
            report.status, report.message = r.INTERNAL_ERROR, (
                f"the grader crashed (exit code {returncode}); its last output:\n{output.strip()[-1200:]}")
    else:
        report.status, report.message = _status_from_checks(report.checks, limits)
