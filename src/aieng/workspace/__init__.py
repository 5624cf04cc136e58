"""The learner's workspace: a folder with one file per exercise, and `.aieng/` for state.

Rule one: a learner's file is never overwritten. `init` adds missing files only; `reset` moves the old
file to `.aieng/backup/` before restoring the starter.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aieng.course import Course, Exercise
from aieng.errors import EditConflict, WorkspaceError

STATE_DIR = ".aieng"
DEFAULT_DIR = "aieng-workspace"
_README = Path(__file__).with_name("README.md")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class InitResult:
    """What `Workspace.init` did, for the CLI to report."""

    created: bool
    added: list[Exercise] = field(default_factory=list)
    kept: list[Exercise] = field(default_factory=list)  # a file was already there: left untouched
    changed_starters: list[Exercise] = field(default_factory=list)  # the course's starter changed since


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def manifest_path(self) -> Path:
        return self.state_dir / "manifest.json"

    @property
    def backup_dir(self) -> Path:
        return self.state_dir / "backup"

    @property
    def database_path(self) -> Path:
        return self.state_dir / "aieng.db"

    def path_for(self, exercise: Exercise) -> Path:
        return self.root / exercise.workspace_relpath

    def code_of(self, exercise: Exercise) -> str | None:
        path = self.path_for(exercise)
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None

    def save(self, exercise: Exercise, text: str, base_sha256: str | None) -> str:
        """Write the learner's code for `exercise` (atomically) and return its hash.

        `base_sha256` is the hash of the version the caller edited; if the file on disk has changed since
        (another editor saved it), nothing is written and `EditConflict` says so: no silent overwrite.
        Pass None to overwrite knowingly.
        """
        path = self.path_for(exercise)
        current = self.code_of(exercise)
        if base_sha256 is not None and current is not None and sha256(current) != base_sha256:
            raise EditConflict(f"{exercise.workspace_relpath} changed on disk since it was loaded", current)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.saving")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return sha256(text)

    def _manifest(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.manifest_path.read_text())["files"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            return {}

    def _write_manifest(self, files: dict[str, dict[str, str]]) -> None:
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"files": files}, indent=1, sort_keys=True))
        os.replace(tmp, self.manifest_path)

    @classmethod
    def init(cls, root: Path, course: Course) -> tuple[Workspace, InitResult]:
        """Create or update the workspace at `root`: add missing exercise files, never touch existing ones."""
        root = root.expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root} exists and is not a folder")
        ws = cls(root)
        result = InitResult(created=not ws.state_dir.is_dir())
        ws.state_dir.mkdir(parents=True, exist_ok=True)
        readme = root / "README.md"
        if not readme.exists():
            shutil.copyfile(_README, readme)
        manifest = ws._manifest()
        for exercise in course.exercises:
            starter_hash = sha256(exercise.starter())
            path = ws.path_for(exercise)
            known = manifest.get(exercise.id)
            if path.exists():
                if known is None:
                    result.kept.append(exercise)
                    manifest[exercise.id] = {"path": str(exercise.workspace_relpath), "starter_sha256": ""}
                elif known["starter_sha256"] != starter_hash:
                    result.changed_starters.append(exercise)
                continue
            if known is not None and known["starter_sha256"] != starter_hash:
                result.changed_starters.append(exercise)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(exercise.starter(), encoding="utf-8")
            manifest[exercise.id] = {"path": str(exercise.workspace_relpath), "starter_sha256": starter_hash}
            if known is None:
                result.added.append(exercise)
        ws._write_manifest(manifest)
        return ws, result

    @classmethod
    def find(cls, start: Path | None = None) -> Workspace:
        """The workspace for this command: $AIENG_WORKSPACE, else the nearest folder (cwd or a parent)
        holding `.aieng/`, else `./aieng-workspace` (where a plain `aieng init` puts it)."""
        if env := os.environ.get("AIENG_WORKSPACE"):
            ws = cls(Path(env).expanduser().resolve())
            if not ws.state_dir.is_dir():
                raise WorkspaceError(f"AIENG_WORKSPACE={env} is not an aieng workspace: run `aieng init {env}`")
            return ws
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / STATE_DIR).is_dir():
                return cls(folder)
        if (here / DEFAULT_DIR / STATE_DIR).is_dir():
            return cls(here / DEFAULT_DIR)
        raise WorkspaceError(
            "no aieng workspace here: run `aieng init` to create one (or cd into yours, or set AIENG_WORKSPACE)"
        )

    def reset(self, exercise: Exercise) -> Path | None:
        """Restore the starter; the old file (if any) is moved to .aieng/backup/ first. Returns the backup."""
        path = self.path_for(exercise)
        backup: Path | None = None
        if path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            backup = self.backup_dir / exercise.stage_id / f"{exercise.slug}.{stamp}.py"
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, backup)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(exercise.starter(), encoding="utf-8")
        manifest = self._manifest()
        manifest[exercise.id] = {"path": str(exercise.workspace_relpath), "starter_sha256": sha256(exercise.starter())}
        self._write_manifest(manifest)
        return backup
