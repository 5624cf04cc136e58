"""Errors a user can cause and fix. The CLI prints them as one plain line, never a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class AiengError(Exception):
    """A problem the user can fix; `exit_code` is what the CLI exits with (2 = usage error)."""

    exit_code = 1


class UsageError(AiengError):
    """The command was asked for something that does not exist or makes no sense."""

    exit_code = 2


class CourseError(AiengError):
    """The course content is malformed; the message names the file and the field."""


class WorkspaceError(AiengError):
    """No workspace, or a file in it is missing."""

    exit_code = 2


class EditConflict(WorkspaceError):
    """A file changed on disk after an editor loaded it; `current` is what is on disk now."""

    exit_code = 1

    def __init__(self, message: str, current: str) -> None:
        super().__init__(message)
        self.current = current


class StoreError(AiengError):
    """The progress database cannot be opened or written."""


def did_you_mean(word: str, choices: Iterable[str], what: str = "id") -> str:
    """A one-line message for an unknown `word`, suggesting the closest `choices`.

    >>> did_you_mean("vector-norm", ["vector-norms", "dot-product"])
    "unknown id 'vector-norm' — did you mean 'vector-norms'?"
    """
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    hint = f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"unknown {what} {word!r}{hint}"
