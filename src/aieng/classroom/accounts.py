"""Classroom accounts: created by the instructor from a CSV file, passwords kept only as argon2id hashes
(argon2-cffi's defaults), checked in constant time whether or not the user exists."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from aieng.errors import UsageError
from aieng.progress import Store
from aieng.progress.models import Account, Learner

ROLES = ("learner", "instructor")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a real password")  # verified against when the username is unknown


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


class Accounts:
    """The sign-ins of one classroom database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, username: str, password: str, role: str = "learner") -> bool:
        """Create the account, or reset its password and role; True if it was created."""
        _validate(username, password, role)
        with Session(self.store.engine, expire_on_commit=False) as s, s.begin():
            account = s.scalar(select(Account).where(Account.username == username))
            if account is not None:
                account.password_hash, account.role = _HASHER.hash(password), role
                return False
            learner = s.scalar(select(Learner).where(Learner.name == username))
            if learner is None:
                learner = Learner(name=username)
                s.add(learner)
                s.flush()
            s.add(Account(learner_id=learner.id, username=username, password_hash=_HASHER.hash(password), role=role))
            return True

    def import_csv(self, path: Path) -> ImportResult:
        """Accounts from a CSV with a header `username,password[,role]`; every row is checked before any is
        written, and a bad row is reported with its line number."""
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from None
        if not rows or not {"username", "password"} <= set(rows[0]):
            raise UsageError(f"{path}: the first line must be a header with username,password (and optionally role)")
        seen: set[str] = set()
        for line, row in enumerate(rows, start=2):
            username, password = (row.get("username") or "").strip(), row.get("password") or ""
            role = (row.get("role") or "learner").strip() or "learner"
            try:
                _validate(username, password, role)
            except UsageError as exc:
                raise UsageError(f"{path}, line {line}: {exc}") from None
            if username in seen:
                raise UsageError(f"{path}, line {line}: {username!r} appears twice")
            seen.add(username)
        result = ImportResult()
        for row in rows:
            username = row["username"].strip()
            created = self.add(username, row["password"], (row.get("role") or "learner").strip() or "learner")
            (result.created if created else result.updated).append(username)
        return result

    def verify(self, username: str, password: str) -> Account | None:
        """The account if the password is right, else None; as slow for an unknown user as for a known one."""
        with Session(self.store.engine, expire_on_commit=False) as s:
            account = s.scalar(select(Account).where(Account.username == username))
        try:
            _HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return account

    def all(self) -> list[Account]:
        with Session(self.store.engine, expire_on_commit=False) as s:
            return list(s.scalars(select(Account).order_by(Account.username)))

    def role_of(self, username: str) -> str | None:
        with Session(self.store.engine) as s:
            return s.scalar(select(Account.role).where(Account.username == username))


def _validate(username: str, password: str, role: str) -> None:
    if not USERNAME.match(username):
        raise UsageError(f"username {username!r} must be 1-64 characters of a-z, 0-9, '.', '_' or '-', "
                         "starting with a letter or digit")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password of {username!r} is shorter than {MIN_PASSWORD} characters")
    if role not in ROLES:
        raise UsageError(f"role {role!r} of {username!r} must be one of {', '.join(ROLES)}")
