"""Limits for the grading child process: CPU, memory and file size by `resource.setrlimit`, and an
audit hook that refuses writes outside the child's own temp dir.

The audit hook guards against accidents (a learner's `open("data.csv", "w")` in the wrong place, an
`os.remove` of a real file), not against a determined attacker: the child is still the learner's own
Python, on the learner's own machine.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.truncate": (0,),
    "os.chmod": (0,), "os.chown": (0,), "os.symlink": (1,), "os.link": (1,), "os.utime": (0,),
    "shutil.rmtree": (0,), "shutil.move": (0, 1), "shutil.copyfile": (1,),
}
SANDBOX_PREFIX = "aieng sandbox:"


def set_limits(memory_bytes: int, cpu_seconds: int, file_bytes: int) -> None:
    """Cap address space, CPU time and the size of any file written (stdout included: it is a file)."""
    for limit, value in (
        (resource.RLIMIT_AS, memory_bytes),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, file_bytes),
        (resource.RLIMIT_CORE, 0),
    ):
        _, hard = resource.getrlimit(limit)
        resource.setrlimit(limit, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _is_inside(path: str, roots: tuple[str, ...]) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root + os.sep) for root in roots)


def confine_writes(allowed: list[Path]) -> None:
    """Install an audit hook: writing, creating, moving or deleting outside `allowed` raises
    PermissionError (which the test shows as the learner's error)."""
    roots = tuple(os.path.realpath(p) for p in [*allowed, os.devnull])

    def refuse(path: object) -> None:
        raise PermissionError(
            f"{SANDBOX_PREFIX} writing to {path!s} is not allowed while grading; write files under "
            "tempfile.gettempdir() instead"
        )

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int) or path is None:
                return
            writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & _WRITE_FLAGS)
            if writing and not _is_inside(os.fsdecode(path), roots):
                refuse(path)
        elif event in _PATH_EVENTS:
            for i in _PATH_EVENTS[event]:
                target = args[i]
                if isinstance(target, str | bytes | os.PathLike) and not _is_inside(os.fsdecode(target), roots):
                    refuse(target)

    sys.addaudithook(hook)
