"""The grader: run an exercise's tests on a learner's file, sandboxed, and return a `Report`."""

from aieng.grader.report import Check, Report
from aieng.grader.runner import Limits, grade

__all__ = ["Check", "Limits", "Report", "grade"]
