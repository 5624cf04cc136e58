"""Feedback latency: how long `aieng check` takes to grade a correct solution, per exercise.

Grades each exercise's reference solution (copied to a temp file, as a learner's file would be) with
the real sandboxed grader, `--repeats` times, and prints the median wall time per exercise and over
all. The bar from the core issue: under 1.5 s for a non-torch exercise on a 2-core machine.

    python benchmarks/grader_latency.py [--repeats 5] [-k SUBSTRING]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from aieng.course import load
from aieng.course.loader import module_file
from aieng.grader import grade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("-k", default="", help="only exercises whose id contains this")
    args = parser.parse_args()
    table = Table(title="grader feedback latency, correct solutions (seconds)")
    for column in ("exercise", "checks", "median", "min", "max"):
        table.add_column(column, justify="left" if column == "exercise" else "right")
    medians = []
    with tempfile.TemporaryDirectory() as tmp:
        for exercise in load().exercises:
            if args.k not in exercise.id:
                continue
            learner_file = Path(tmp) / f"{exercise.slug}.py"
            shutil.copy(module_file(exercise.reference), learner_file)  # type: ignore[arg-type]
            times, checks = [], 0
            for _ in range(args.repeats):
                start = time.perf_counter()
                report = grade(exercise, learner_file)
                times.append(time.perf_counter() - start)
                if not report.passed:
                    raise SystemExit(f"{exercise.id}: the reference did not pass: {report.message}")
                checks = len(report.checks)
            median = statistics.median(times)
            medians.append(median)
            table.add_row(exercise.id, str(checks), f"{median:.2f}", f"{min(times):.2f}", f"{max(times):.2f}")
    table.add_section()
    table.add_row("median over exercises", "", f"{statistics.median(medians):.2f}", f"{min(medians):.2f}",
                  f"{max(medians):.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
