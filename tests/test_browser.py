"""`aieng serve` end to end in a real browser: Playwright driving Debian's Chromium against the real server
(uvicorn on a free loopback port, the real grader). Screenshots go to test-artifacts/screenshots/ (or
$AIENG_ARTIFACTS). Without /usr/bin/chromium the tests skip locally and fail in CI (`.ci/run` installs it)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from aieng.course import load
from aieng.session import LearnerSession
from aieng.web import create_app
from aieng.workspace import Workspace
from tests.conftest import REFERENCE_NORMS
from tests.test_web import make_web_course

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("AIENG_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))
if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Chromium (apt-get install -y chromium) for the browser tests", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install -y chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

WRONG = '''import numpy as np


def norm(x, p=2):
    return float(np.sum(np.abs(np.asarray(x, dtype=float))))  # the L1 norm, whatever p is


def normalize(x, p=2):
    x = np.asarray(x, dtype=float)
    return x / norm(x, p)
'''


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
            "--no-first-run", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, LearnerSession]]:
    course = load(make_web_course(tmp_path / "course"))
    workspace, _ = Workspace.init(tmp_path / "ws", course)
    session = LearnerSession(workspace, course)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(session), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", session
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)  # a check runs the real grader in a child process
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def replace_code(page: Page, code: str) -> None:
    """Select everything in the editor and paste `code` (a paste: no auto-indent on top of ours)."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def test_finish_an_exercise_in_the_browser(page: Page, served: tuple[str, LearnerSession]) -> None:
    """Roadmap → first exercise → a wrong solution fails with expected vs got → a right one passes →
    the roadmap shows it done."""
    url, session = served
    page.goto(url)
    chip = page.locator('a.chip[data-id="vector-norms"]')
    expect(chip).to_have_class("chip todo next")
    shot(page, "01-roadmap")
    chip.click()
    expect(page.locator("h1").first).to_contain_text("Vector norms")
    expect(page.locator("article.lesson math").first).to_be_visible()  # MathML rendered
    expect(page.locator(".cm-content")).to_contain_text("raise NotImplementedError")
    shot(page, "02-exercise")

    replace_code(page, WRONG)
    page.keyboard.press("Control+Enter")  # the check shortcut
    status = page.locator("#report-status")
    expect(status).to_be_visible()
    expect(page.locator("#report")).to_have_class("card report failed")
    expect(page.locator("#report .checks .bad").first).to_be_visible()
    expect(page.locator("#report code.expected").first).to_be_visible()
    assert "the L1 norm" in session.workspace.path_for(session.exercise("vector-norms")).read_text()
    expect(page.locator("#conflict")).to_be_hidden()  # the browser's own save is no conflict
    shot(page, "03-failed-check")

    replace_code(page, REFERENCE_NORMS.read_text())
    page.locator("#check").click()
    expect(page.locator("#report")).to_have_class("card report passed")
    expect(status).to_contain_text("passed")
    expect(page.locator("#conflict")).to_be_hidden()
    shot(page, "04-passed-check")

    page.goto(url)
    expect(page.locator('a.chip[data-id="vector-norms"]')).to_have_class("chip done")
    expect(page.locator("#overall")).to_contain_text("1 of 1")
    shot(page, "05-roadmap-done")


def test_an_edit_in_another_editor_is_offered_not_forced(page: Page, served: tuple[str, LearnerSession]) -> None:
    """A save from the learner's own editor shows a banner; 'Load the file from disk' brings it in."""
    url, session = served
    page.goto(f"{url}/exercises/vector-norms")
    expect(page.locator(".cm-content")).to_contain_text("raise NotImplementedError")
    path = session.workspace.path_for(session.exercise("vector-norms"))
    path.write_text("# saved from vim\n")
    expect(page.locator("#conflict")).to_be_visible()
    assert path.read_text() == "# saved from vim\n"  # nothing overwritten
    page.locator("#reload").click()
    expect(page.locator(".cm-content")).to_contain_text("# saved from vim")
    expect(page.locator("#conflict")).to_be_hidden()


def test_quiz_and_glossary(page: Page, served: tuple[str, LearnerSession]) -> None:
    """Answer a quiz item and see it scored and explained; search the glossary."""
    url, session = served
    page.goto(f"{url}/quiz/01_math")
    item = page.locator('form[data-item="web-norm-choice"]')
    item.get_by_label("L1").check()
    item.get_by_role("button", name="Answer").click()
    expect(item.locator(".result")).to_contain_text("Right.")
    numeric = page.locator('form[data-item="web-l2-norm"]')
    numeric.locator("input").fill("4")
    numeric.get_by_role("button", name="Answer").click()
    expect(numeric.locator(".result")).to_contain_text("Not quite")
    shot(page, "06-quiz")
    assert sorted(a.item_id for a in session.store.quiz_answers()) == ["web-l2-norm", "web-norm-choice"]

    page.goto(f"{url}/glossary")
    page.locator("#glossary-search").fill("euclidean norm")
    visible = page.locator(".term-entry:visible")
    expect(visible.first).to_be_visible()
    assert 0 < visible.count() < 20
    for text in visible.all_inner_texts():
        assert "euclidean" in text.lower() and "norm" in text.lower()
    shot(page, "07-glossary")


def test_readable_at_phone_width(browser: Browser, served: tuple[str, LearnerSession]) -> None:
    """At 390 px wide the lesson and the editor stack, and nothing scrolls sideways."""
    url, _ = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for path in ("/", "/exercises/vector-norms"):
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, path
    expect(page.locator(".cm-content")).to_be_visible()
    shot(page, "08-phone-exercise")
    context.close()
