"""The grading child process: `python -m aieng.grader.child CONFIG.json`.

Sets its limits, confines writes to its temp dir, checks the learner's file compiles and imports and
defines the entry names, then runs the exercise's tests on it. Every finding is appended as one JSON
line to the results file the parent named, so a crash or a kill loses only what had not happened yet.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from aieng.grader import report as r
from aieng.grader.sandbox import confine_writes, set_limits
from aieng.grader.suite import clip, run_suite


class _Emitter:
    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def __call__(self, kind: str, **data: Any) -> None:
        os.write(self.fd, (json.dumps({"type": kind, **data}, default=str) + "\n").encode())


def _learner_traceback(exc: BaseException, path: str) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    lines = [f"line {f.lineno}: {(f.line or '').strip()}" for f in frames[-3:]]
    return "\n".join([*lines, f"{type(exc).__name__}: {exc}"])


def _import_learner_module(path: str, emit: _Emitter) -> ModuleType | None:
    source = Path(path).read_text(encoding="utf-8", errors="replace")
    try:
        code = compile(source, path, "exec")
    except SyntaxError as exc:
        pointer = f"\n    {(exc.text or '').rstrip()}\n    {' ' * max((exc.offset or 1) - 1, 0)}^" if exc.text else ""
        emit("fatal", status=r.SYNTAX_ERROR, message=f"syntax error on line {exc.lineno}: {exc.msg}{pointer}")
        return None
    spec = importlib.util.spec_from_file_location("learner_solution", path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["learner_solution"] = module
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(code, module.__dict__)
    except SystemExit as exc:
        emit("fatal", status=r.EXITED, stdout=clip(printed.getvalue()),
             message=f"your file called sys.exit({exc.code!r}) while being imported; remove that call")
        return None
    except MemoryError:
        emit("fatal", status=r.MEMORY, message="ran out of memory while importing your file")
        return None
    except BaseException as exc:
        emit("fatal", status=r.IMPORT_ERROR, stdout=clip(printed.getvalue()),
             message=f"your file failed while being imported:\n{_learner_traceback(exc, path)}")
        return None
    emit("imported", stdout=clip(printed.getvalue()))
    return module


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    emit = _Emitter(config["results"])
    set_limits(config["memory_bytes"], config["cpu_seconds"], config["file_bytes"])
    sys.dont_write_bytecode = True
    confine_writes([Path(config["tmpdir"])])
    module = _import_learner_module(config["module_path"], emit)
    if module is None:
        return
    if config["reference"] in sys.modules:  # the tests never import it: the learner's file did
        emit("fatal", status=r.IMPORT_ERROR,
             message=f"your file imports the reference solution ({config['reference']}): write your own")
        return
    missing = [name for name in config["entry"] if not hasattr(module, name)]
    if missing:
        emit("fatal", status=r.MISSING_ENTRY,
             message=f"your file does not define {', '.join(f'`{m}`' for m in missing)}: keep the starter's names")
        return
    checks = run_suite(
        Path(config["test_path"]),
        module,
        on_check=lambda check: emit("check", check=check.__dict__),
        on_start=lambda name: emit("start", name=name),
        freeze_after_collection=True,
    )
    emit("done", n=len(checks))


if __name__ == "__main__":
    main(sys.argv[1])
