"""One classroom: the accounts, a workspace per learner under `root/workspaces/<username>`, the shared store
seen as each learner in turn, and the grading pool."""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from aieng.classroom.accounts import USERNAME, Accounts
from aieng.classroom.pool import GradingPool
from aieng.course import Course, load
from aieng.errors import UsageError
from aieng.progress import Store
from aieng.progress.store import DATABASE_URL_ENV
from aieng.session import LearnerSession
from aieng.workspace import Workspace

SECRET_ENV = "AIENG_SECRET_KEY"
_SERVER_IDENTITY = "_classroom"  # the store's own learner row; it has no account and never shows up


class Classroom:
    def __init__(self, root: Path, store: Store, course: Course | None = None, max_checks: int = 4) -> None:
        self.root = root.expanduser().resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.course = course or load()
        self.store = store
        self.accounts = Accounts(store)
        self.pool = GradingPool(max_checks)
        self.secret = _secret(self.root)
        self._sessions: dict[str, LearnerSession] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, root: Path, max_checks: int = 4, course: Course | None = None) -> Classroom:
        """The classroom at `root`, on $AIENG_DATABASE_URL (PostgreSQL for a real class) or SQLite inside it."""
        url = os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{root.expanduser().resolve() / 'classroom.db'}"
        return cls(root, Store(url, learner_name=_SERVER_IDENTITY), course, max_checks)

    @property
    def database_url(self) -> str:
        return self.store.url

    def session_for(self, username: str) -> LearnerSession:
        """The signed-in learner's session: their own workspace (created on first use) and their own rows."""
        if not USERNAME.match(username):
            raise UsageError(f"not a classroom username: {username!r}")
        with self._lock:
            if username not in self._sessions:
                workspace, _ = Workspace.init(self.root / "workspaces" / username, self.course)
                self._sessions[username] = LearnerSession(workspace, self.course, self.store.as_learner(username))
            return self._sessions[username]


def _secret(root: Path) -> bytes:
    """The key that signs session cookies: $AIENG_SECRET_KEY, else one generated once into root/.secret
    (readable by the server's user only), so sign-ins survive a restart."""
    if env := os.environ.get(SECRET_ENV):
        return env.encode()
    path = root / ".secret"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()
