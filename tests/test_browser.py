"""The learner's day in a real browser: JupyterLab on a copy of the course, driven by Debian's Chromium.

Opens an assignment, runs all cells, fills one function through the editor, runs the checker and
reads the checkpoint's result off the page; then opens a feedback page and a cohort summary page
from the grader. Screenshots land in build/browser/ as test artefacts.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import COURSE, ROOT, write

from autograder.cohort import grade_cohort
from autograder.corpus import filled_notebook, released_notebook
from autograder.options import Limits
from autograder.summary import write_summary

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed: pip install -e '.[dev]'")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: apt-get install chromium (.ci/run does)")

ASSIGNMENT = "01_business_understanding"
ARTEFACTS = ROOT / "build" / "browser"
TOKEN = "course-kit-browser-test"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QCD = '''def qcd_value(claims_before, claims_after, loss_per_claim, inspectors_before, inspectors_after, hours,
              hourly_wage, minutes_before, minutes_after):
    return {
        "quality": float((claims_before - claims_after) * loss_per_claim),
        "cost": float((inspectors_before - inspectors_after) * hours * hourly_wage),
        "delivery": float(minutes_before - minutes_after),
    }
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of the released assignment, loopback only."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "assignments" / ASSIGNMENT, root / ASSIGNMENT)
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".config"), "JUPYTER_DATA_DIR": str(root / ".data"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime"), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--allow-root"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within a minute")
    yield base
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _command(page, command: str, **args) -> None:
    page.evaluate("([c, a]) => window.jupyterapp.commands.execute(c, a)", [command, args])


def test_a_learner_fills_a_function_and_checks_it_in_jupyterlab(lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # The notebook is the current widget and its kernel is connected and idle (slow on a busy machine).
    page.wait_for_function(
        "window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'", timeout=180_000)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    _command(page, "notebook:run-all-cells")  # stops at the first stub that raises, as it does for a learner
    page.wait_for_selector(".jp-OutputArea-output:has-text('NotImplementedError')", timeout=120_000)

    answer = page.locator(".jp-CodeCell", has_text="def qcd_value").first
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(QCD)
    page.keyboard.press("Shift+Enter")  # run the filled cell

    _command(page, "notebook:move-cursor-down")
    last = page.locator(".jp-Notebook .jp-Cell").last
    last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below the last one
    page.keyboard.press("Enter")
    page.keyboard.insert_text("from coursekit import check_checkpoint\ncheck_checkpoint('bu.qcd')")
    page.keyboard.press("Shift+Enter")
    result = page.locator(".jp-OutputArea-output", has_text="bu.qcd —").last
    result.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTEFACTS / "jupyterlab-checker.png"), full_page=False)
    assert "✓ bu.qcd — Quality, cost and delivery value: visible checks pass; hidden checks are graded later" in result.inner_text()


def test_feedback_and_summary_pages_render_without_scripts(browser, tmp_path):
    submitted, out = tmp_path / "submitted", tmp_path / "out"
    write(filled_notebook(COURSE, ASSIGNMENT), submitted / "alice" / ASSIGNMENT, ASSIGNMENT)
    write(released_notebook(COURSE, ASSIGNMENT), submitted / "bob" / ASSIGNMENT, ASSIGNMENT)
    run = grade_cohort(submitted, out, course=COURSE, jobs=2, limits=Limits(cell_seconds=30, notebook_seconds=120), progress=False)
    write_summary(run, out)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((out / "bob" / f"{ASSIGNMENT}.html").as_uri())
    assert page.locator("h1").inner_text().startswith(ASSIGNMENT)
    assert page.locator(".miss").count() == 9
    page.screenshot(path=str(ARTEFACTS / "feedback.png"), full_page=True)
    page.goto((out / "summary.html").as_uri())
    assert page.locator("img").evaluate("img => img.naturalWidth") > 100  # the heat-map loaded
    assert page.locator("table").first.locator("tr").count() == 10  # header + 9 checkpoints
    page.screenshot(path=str(ARTEFACTS / "summary.png"), full_page=True)
