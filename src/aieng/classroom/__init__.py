"""Classroom mode: many learners on one server (`aieng serve --classroom`), each signed in, each with a
workspace of their own, one shared database (PostgreSQL via AIENG_DATABASE_URL), a bounded grading pool
and an instructor's dashboard."""

from aieng.classroom.accounts import Accounts, ImportResult
from aieng.classroom.classroom import Classroom
from aieng.classroom.pool import GradingPool

__all__ = ["Accounts", "Classroom", "GradingPool", "ImportResult"]
