"""Shared fixtures for aieng's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def workspace_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to init a workspace in, with the progress DB pointed inside it."""
    monkeypatch.delenv("AIENG_DATABASE_URL", raising=False)
    monkeypatch.delenv("AIENG_WORKSPACE", raising=False)
    return tmp_path / "ws"
