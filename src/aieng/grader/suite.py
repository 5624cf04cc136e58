"""Run one exercise's pytest file against a module, in this process, and collect `Check`s.

The sandboxed child (`aieng.grader.child`) calls this on the learner's module; the project's own
test suite calls it directly on the reference and on the starter. One code path for both.
"""

from __future__ import annotations

import gc
import inspect
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from aieng.grader.achieve import SCORE_PROPERTY
from aieng.grader.report import Check

MAX_STDOUT = 2000
settings.register_profile(
    "aieng",
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs every run: feedback a learner can reproduce
    print_blob=False,
    report_multiple_bugs=False,  # one clear failure with its input, not an ExceptionGroup
    # no Phase.explain: it re-runs failing tests many times to annotate them, seconds per failure
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def clip(text: str, limit: int = MAX_STDOUT) -> str:
    """Keep the head and the tail of a long text."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n… [{len(text) - limit} characters cut] …\n{text[-half:]}"


def _doc(item: pytest.Item) -> str:
    function = getattr(item, "function", None)
    doc = inspect.getdoc(function) if function else None
    return doc.strip().split("\n\n")[0].replace("\n", " ") if doc else item.name


def _falsifying_example(exc: BaseException) -> str:
    """Hypothesis attaches the minimal failing input as an exception note."""
    for note in getattr(exc, "__notes__", []):
        if note.startswith(("Falsifying example", "Failing test case")):
            lines = [ln for ln in note.splitlines()[1:] if not ln.strip().startswith(("impl=", ")"))]
            return "\n".join(ln.strip() for ln in lines).strip()
    return ""


def _where(exc: BaseException, module_file: str | None) -> str:
    """The deepest line of the learner's own file in the traceback, e.g. 'line 12: return x @ y'."""
    if not module_file:
        return ""
    target = os.path.realpath(module_file)  # frames from eval or lambdify have no real file: never equal
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.realpath(f.filename) == target]
    if not frames:
        return ""
    frame = frames[-1]
    return f"line {frame.lineno} in {frame.name}(): {(frame.line or '').strip()}"


def _message(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return "not implemented yet: the function still raises NotImplementedError"
    if isinstance(exc, SystemExit):
        return f"your code called sys.exit({exc.code!r}): return the answer instead of exiting"
    text = str(exc).split("\nassert ")[0].strip()  # drop pytest's assertion-rewrite dump
    name = type(exc).__name__
    if isinstance(exc, AssertionError):
        return text or "assertion failed"
    return f"{name}: {text}" if text else name


class _Collector:
    """A pytest plugin: provides the `impl` fixture and turns test reports into `Check`s."""

    def __init__(self, module: ModuleType, on_check: Callable[[Check], None] | None,
                 on_start: Callable[[str], None] | None, freeze: bool) -> None:
        self.module = module
        self.freeze = freeze
        self.module_file = getattr(module, "__file__", None)
        self.on_check = on_check
        self.on_start = on_start
        self.checks: dict[str, Check] = {}
        self.errors: list[str] = []

    @pytest.fixture(scope="session")
    def impl(self) -> ModuleType:
        return self.module

    def pytest_configure(self, config: pytest.Config) -> None:
        settings.load_profile("aieng")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self.freeze:
            # Everything imported so far (pytest, hypothesis, numpy, sympy...) lives until the process ends:
            # moving it out of the collector's sight makes every later gc pass cheap (~0.1-0.3 s per run).
            gc.freeze()

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        if self.on_start:
            self.on_start(nodeid.split("::")[-1])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        if report.when == "call" or report.outcome != "passed":
            check = self.checks.setdefault(item.nodeid, Check(name=item.name, doc=_doc(item), outcome="passed"))
            check.duration += report.duration
            if report.outcome == "skipped":
                check.outcome = "skipped"
            elif report.outcome == "failed" and call.excinfo is not None:
                exc = call.excinfo.value
                check.outcome = "failed" if report.when == "call" else "error"
                check.message = _message(exc)
                check.not_implemented = isinstance(exc, NotImplementedError)
                check.where = _where(exc, self.module_file)
                check.falsifying_example = _falsifying_example(exc)
                check.details = dict(getattr(exc, "details", {}) or {})
            check.stdout = clip("".join(c for _, c in [s for s in report.sections if "stdout" in s[0]]))
            check.scores = [value for key, value in report.user_properties if key == SCORE_PROPERTY]
        if report.when == "teardown" and item.nodeid in self.checks and self.on_check:
            self.on_check(self.checks[item.nodeid])
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(str(report.longrepr))


class SuiteError(RuntimeError):
    """The exercise's test file itself could not be collected (a course bug, not the learner's)."""


def run_suite(
    test_path: Path,
    module: ModuleType,
    on_check: Callable[[Check], None] | None = None,
    on_start: Callable[[str], None] | None = None,
    select: str | None = None,
    freeze_after_collection: bool = False,
) -> list[Check]:
    """Run the pytest file `test_path` with fixture `impl` bound to `module`; return its checks in order.

    `select` is a pytest `-k` expression to run a subset. Runs in this process (pytest.main).
    `freeze_after_collection` calls gc.freeze() once the tests are collected: right for a short-lived
    process (the grading child), wrong for a long one (it never frees what was frozen).
    """
    collector = _Collector(module, on_check, on_start, freeze_after_collection)
    args = [
        str(test_path), "-q", "-c", os.devnull, "--rootdir", str(test_path.parent), "--noconftest",
        "--import-mode=importlib", "-p", "no:cacheprovider", "-p", "no:unraisableexception", "-W",
        "ignore", "--capture=fd", "--no-header",
        "--tb=no", "-rN",
    ]
    if select:
        args += ["-k", select]
    # Entry-point plugins (xdist, benchmark, ...) cost ~0.6 s to load and are not needed here.
    previous = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        code = pytest.main(args, plugins=[collector])
    finally:
        if previous is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = previous
    if collector.errors or code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        raise SuiteError(f"the tests in {test_path} could not run: {' '.join(collector.errors)[-2000:]}")
    return list(collector.checks.values())
