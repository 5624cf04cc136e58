"""The workspace: init adds, never overwrites; reset backs up; find locates it."""

from __future__ import annotations

from pathlib import Path

import pytest

from aieng.course import Course, load
from aieng.course.loader import load as fresh_load
from aieng.errors import WorkspaceError
from aieng.workspace import Workspace


def test_init_copies_every_starter_and_a_readme(mini_course: Course, tmp_path: Path) -> None:
    ws, result = Workspace.init(tmp_path / "ws", mini_course)
    assert result.created and [ex.id for ex in result.added] == ["vector-norms"]
    path = ws.root / "01_math" / "01_vector_norms.py"
    assert path.read_text() == mini_course["vector-norms"].starter()
    assert (ws.root / "README.md").exists() and ws.state_dir.is_dir()


def test_init_again_never_overwrites_the_learners_file(mini_course: Course, tmp_path: Path) -> None:
    ws, _ = Workspace.init(tmp_path / "ws", mini_course)
    path = ws.path_for(mini_course["vector-norms"])
    path.write_text("# my precious work\n")
    _, again = Workspace.init(tmp_path / "ws", mini_course)
    assert path.read_text() == "# my precious work\n"
    assert not again.created and not again.added and not again.changed_starters


def test_changed_starter_is_reported_not_applied(mini_course_dir: Path, tmp_path: Path) -> None:
    ws, _ = Workspace.init(tmp_path / "ws", load(mini_course_dir))
    starter = mini_course_dir / "01_math/01_vector_norms/starter.py"
    starter.write_text(starter.read_text() + "\n# a newer starter\n")
    course = fresh_load(mini_course_dir)  # uncached: the course changed on disk
    _, result = Workspace.init(ws.root, course)
    assert [ex.id for ex in result.changed_starters] == ["vector-norms"]
    assert "# a newer starter" not in ws.path_for(course["vector-norms"]).read_text()


def test_existing_file_of_a_new_workspace_is_kept(mini_course: Course, tmp_path: Path) -> None:
    target = tmp_path / "ws" / "01_math" / "01_vector_norms.py"
    target.parent.mkdir(parents=True)
    target.write_text("# written before init\n")
    _, result = Workspace.init(tmp_path / "ws", mini_course)
    assert [ex.id for ex in result.kept] == ["vector-norms"]
    assert target.read_text() == "# written before init\n"


def test_reset_moves_the_old_file_to_backup(mini_course: Course, tmp_path: Path) -> None:
    ws, _ = Workspace.init(tmp_path / "ws", mini_course)
    exercise = mini_course["vector-norms"]
    ws.path_for(exercise).write_text("# attempt one\n")
    backup = ws.reset(exercise)
    assert backup is not None and backup.read_text() == "# attempt one\n"
    assert backup.parent == ws.backup_dir / "01_math"
    assert ws.path_for(exercise).read_text() == exercise.starter()
    ws.path_for(exercise).write_text("# attempt two\n")
    second = ws.reset(exercise)
    assert second is not None and second != backup and backup.exists()


def test_find_walks_up_and_honours_the_environment(
    mini_course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIENG_WORKSPACE", raising=False)
    ws, _ = Workspace.init(tmp_path / "aieng-workspace", mini_course)
    assert Workspace.find(ws.root / "01_math") == ws
    assert Workspace.find(tmp_path) == ws  # ./aieng-workspace, where a plain `aieng init` puts it
    with pytest.raises(WorkspaceError, match="aieng init"):
        Workspace.find(tmp_path / "aieng-workspace" / ".." / "..")
    monkeypatch.setenv("AIENG_WORKSPACE", str(ws.root))
    assert Workspace.find(Path("/")) == ws
    monkeypatch.setenv("AIENG_WORKSPACE", str(tmp_path / "nowhere"))
    with pytest.raises(WorkspaceError, match="not an aieng workspace"):
        Workspace.find()


def test_init_refuses_a_file_as_the_folder(mini_course: Course, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(WorkspaceError, match="not a folder"):
        Workspace.init(tmp_path / "afile", mini_course)
