"""The grader's result: a `Report` of `Check`s, plain data that the CLI renders, the store records and
`aieng check --json` prints."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Outcome = Literal["passed", "failed", "error", "skipped"]

# Report.status values, each with a plain message (see aieng.grader.runner)
PASSED = "passed"
FAILED = "failed"
NOT_STARTED = "not_started"  # every failing check hit `raise NotImplementedError`
MISSING_FILE = "missing_file"
SYNTAX_ERROR = "syntax_error"
IMPORT_ERROR = "import_error"
MISSING_ENTRY = "missing_entry"
EXITED = "exited"  # sys.exit / os._exit / a crash of the child process
TIMEOUT = "timeout"
MEMORY = "memory"
OUTPUT_LIMIT = "output_limit"
SANDBOX = "sandbox"  # tried to write outside the temp dir
INTERNAL_ERROR = "internal_error"


@dataclass
class Check:
    """One test of the exercise, as feedback: `doc` says in words what was checked."""

    name: str
    doc: str
    outcome: Outcome
    duration: float = 0.0
    message: str = ""  # plain one-to-few-line reason for a failure
    where: str = ""  # "line 12: return x.sum()" in the learner's file, when known
    falsifying_example: str = ""  # hypothesis' minimal failing input
    details: dict[str, Any] = field(default_factory=dict)  # expected vs got, shapes, errors, index
    stdout: str = ""  # what the learner's code printed during this check
    not_implemented: bool = False
    scores: list[dict[str, Any]] = field(default_factory=list)  # an `achieve` check's metrics against its bars

    @property
    def passed(self) -> bool:
        return self.outcome in ("passed", "skipped")


@dataclass
class Report:
    """Everything one grading run found out about one file."""

    exercise_id: str
    path: str
    status: str
    message: str = ""
    checks: list[Check] = field(default_factory=list)
    stdout: str = ""  # printed while the module was imported
    duration: float = 0.0
    next_hint: int | None = None  # 1-based number of the hint `aieng hint` would show next

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def n_passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def n_failed(self) -> int:
        return sum(not c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(passed=self.passed, n_passed=self.n_passed, n_failed=self.n_failed)
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, default=str)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["checks"] = [
            Check(**{k: v for k, v in c.items() if k in Check.__dataclass_fields__}) for c in data["checks"]
        ]
        return cls(**fields)
