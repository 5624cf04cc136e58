"""The grader, with real child processes: every failure class gets its own plain message."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from aieng.course import Course
from aieng.grader import Limits, Report, grade
from aieng.grader import report as r
from tests.conftest import REFERENCE_NORMS

STUB_NORMALIZE = "\ndef normalize(x, p=2):\n    return x\n"


def _grade(course: Course, tmp_path: Path, source: str, limits: Limits | None = None) -> Report:
    path = tmp_path / "learner.py"
    path.write_text(source)
    return grade(course["vector-norms"], path, limits or Limits(timeout=20))


def test_reference_passes(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, REFERENCE_NORMS.read_text())
    assert report.status == r.PASSED and report.passed, report.message
    assert report.n_failed == 0 and report.n_passed == len(report.checks) >= 5
    assert all(c.doc and c.doc != c.name for c in report.checks)


def test_starter_is_not_started(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, mini_course["vector-norms"].starter())
    assert report.status == r.NOT_STARTED
    assert all(c.not_implemented for c in report.checks if not c.passed)


def test_wrong_answer_reports_input_expected_and_got(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, textwrap.dedent("""
        import numpy as np
        def norm(x, p=2):
            print("debugging", len(x))
            return float(np.sum(np.abs(x)))   # always the L1 norm
    """) + STUB_NORMALIZE)
    assert report.status == r.FAILED
    failed = next(c for c in report.checks if c.name == "test_matches_numpy_for_l1_l2_and_max_norms")
    assert failed.falsifying_example.startswith("x=array(") and "p=" in failed.falsifying_example
    assert {"expected", "got", "max_abs_error", "max_rel_error"} <= failed.details.keys()
    assert "expected" in failed.message and "debugging" in failed.stdout


def test_wrong_array_reports_first_bad_index(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, REFERENCE_NORMS.read_text() + """
def normalize(x, p=2):
    y = x / norm(x, p)
    y[-1] = 7.0
    return y
""")
    failed = next(c for c in report.checks if c.name == "test_normalize_gives_unit_length_same_direction")
    assert "first_bad_index" in failed.details and failed.details["expected_shape"] == failed.details["got_shape"]


def test_exception_in_learner_code_points_at_the_line(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, "def norm(x, p=2):\n    return x.no_such_method()\n" + STUB_NORMALIZE)
    check = report.checks[0]
    assert "AttributeError" in check.message and check.where.startswith("line 2 in norm()")


@pytest.mark.parametrize(
    ("source", "status", "words"),
    [
        ("def norm(x, p=2):\n    return ((\n", r.SYNTAX_ERROR, "line 2"),
        ("import numpyy\n", r.IMPORT_ERROR, "No module named 'numpyy'"),
        ("raise RuntimeError('boom')\n", r.IMPORT_ERROR, "boom"),
        ("def nrm(x, p=2):\n    pass\n", r.MISSING_ENTRY, "`norm`"),
        ("from aieng.lib.math.vectors import norm, normalize\n", r.IMPORT_ERROR, "reference solution"),
        ("import sys\nsys.exit(3)\n", r.EXITED, "sys.exit(3)"),
        ("import sys\ndef norm(x, p=2):\n    sys.exit(0)\n" + STUB_NORMALIZE, r.EXITED, "sys.exit(0)"),
        ("import os\ndef norm(x, p=2):\n    os._exit(0)\n" + STUB_NORMALIZE, r.EXITED, "os._exit"),
        ("def norm(x, p=2):\n    while True:\n        print('spam' * 1000)\n" + STUB_NORMALIZE, r.OUTPUT_LIMIT, "MiB"),
        ("def norm(x, p=2):\n    open('/tmp/aieng-escape.txt', 'w')\n" + STUB_NORMALIZE, r.SANDBOX, "not allowed"),
        ("import numpy as np\ndef norm(x, p=2):\n    return np.ones((60000, 60000)).sum()\n" + STUB_NORMALIZE,
         r.MEMORY, "memory"),
    ],
    ids=["syntax", "import-missing", "import-raises", "missing-entry", "imports-reference", "exit-at-import",
         "exit-in-test", "os-exit", "prints-megabytes", "writes-outside", "memory"],
)
def test_failure_classes_get_plain_messages(
    mini_course: Course, tmp_path: Path, source: str, status: str, words: str
) -> None:
    report = _grade(mini_course, tmp_path, source, Limits(timeout=20, memory_bytes=1024**3, file_bytes=2 * 1024**2))
    assert report.status == status, (report.status, report.message)
    assert words in report.message
    assert "Traceback" not in report.message
    assert not Path("/tmp/aieng-escape.txt").exists()


def test_infinite_loop_times_out(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, "def norm(x, p=2):\n    while True:\n        pass\n" + STUB_NORMALIZE,
                    Limits(timeout=3))
    assert report.status == r.TIMEOUT
    assert "3 s" in report.message and "test_matches_numpy" in report.message
    assert report.duration < 10


def test_missing_file(mini_course: Course, tmp_path: Path) -> None:
    report = grade(mini_course["vector-norms"], tmp_path / "gone.py")
    assert report.status == r.MISSING_FILE and "aieng reset vector-norms" in report.message


def test_report_round_trips_through_json(mini_course: Course, tmp_path: Path) -> None:
    report = _grade(mini_course, tmp_path, "import numpy as np\ndef norm(x, p=2):\n    return 0.0\n" + STUB_NORMALIZE)
    data = json.loads(report.to_json())
    assert data["passed"] is False and data["n_failed"] == report.n_failed
    assert Report.from_dict(data).to_dict() == report.to_dict()


def test_grader_never_imports_learner_code_in_the_parent(mini_course: Course, tmp_path: Path) -> None:
    marker = tmp_path / "imported-in-parent"
    report = _grade(mini_course, tmp_path, f"import os\nif os.getpid() == {__import__('os').getpid()}:\n"
                                           f"    open({str(marker)!r}, 'w')\n")
    assert report.status == r.MISSING_ENTRY
    assert not marker.exists()


def test_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIENG_TIMEOUT", "7.5")
    monkeypatch.setenv("AIENG_MEMORY_MB", "512")
    limits = Limits.from_env()
    assert limits.timeout == 7.5 and limits.memory_bytes == 512 * 1024**2


def test_achieve_scores_reach_the_report_pass_or_fail(tmp_path: Path) -> None:
    """An `achieve` check records its metric, bar and reference figure whether it passes or not."""
    import types

    from aieng.grader.suite import run_suite

    test_file = tmp_path / "test_scores.py"
    test_file.write_text(textwrap.dedent('''
        from aieng.grader.achieve import reach

        def test_high(impl, record_property):
            """accuracy reaches 0.9"""
            reach(record_property, "accuracy", impl.accuracy, bar=0.9, reference=0.95)

        def test_low(impl, record_property):
            """cost stays under 10"""
            reach(record_property, "cost", impl.cost, bar=10.0, higher_is_better=False)
    '''))
    module = types.ModuleType("learner")
    module.accuracy, module.cost = 0.93, 12.5  # type: ignore[attr-defined]
    high, low = run_suite(test_file, module)
    assert high.outcome == "passed"
    assert high.scores == [{"metric": "accuracy", "value": 0.93, "bar": 0.9, "higher_is_better": True,
                            "reference": 0.95}]
    assert low.outcome == "failed"
    assert low.scores[0]["value"] == 12.5
    assert "12.5 misses the bar: cost must be at most 10" in low.message
    assert Report.from_dict(json.loads(Report("x", "p", r.FAILED, checks=[low]).to_json())).checks[0].scores == \
        low.scores
