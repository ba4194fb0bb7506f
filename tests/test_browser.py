"""The learner's day in a real browser: JupyterLab on a copy of the course, driven by Debian's Chromium.

Opens an assignment, runs all cells, fills one function through the editor, runs the checker and
reads the checkpoint's result off the page, once in each language of the course (the translated
release, JupyterLab in that language as ``make lab LANG=<lang>`` opens it); then opens a feedback page and a cohort summary page
from the grader, and the summaries of synthetic cohorts of 1 and 500 learners. Screenshots land
in build/browser/ as test artefacts.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import COURSE, ROOT, missing_package, write
from servers import answers, free_port
from synthetic_cohort import synthetic_reports

from autograder.cohort import CohortRun, grade_cohort
from autograder.corpus import filled_notebook, released_notebook
from autograder.lab import jupyterlab_locale, language_settings, release_folder
from autograder.options import Limits
from autograder.summary import SCORES_OPEN_UP_TO, write_summary
from autograder.translation import course_languages
from coursekit.labels import text

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed: pip install -e '.[dev]'")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=missing_package("chromium"))

ASSIGNMENT = "01_business_understanding"
CHECKPOINTS = len(COURSE.assignment(ASSIGNMENT).registry().checkpoints)
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


def jupyterlab_word(english: str, lang: str, context: str = "") -> str:
    """``english``, a word of JupyterLab's own (in gettext ``context``), as its language pack for ``lang`` shows it."""
    locale = jupyterlab_locale(lang)
    if lang == "en" or locale is None:
        return english
    pack = Path(next(p for p in entry_points(group="jupyterlab.languagepack") if p.name == locale).load().__file__).parent
    table = json.loads((pack / "locale" / locale / "LC_MESSAGES" / "jupyterlab.json").read_text(encoding="utf-8"))
    return table.get(f"{context}\x04{english}" if context else english, [english])[0]



@pytest.fixture(scope="module", params=["en", *course_languages()])
def lab(request, tmp_path_factory):
    """JupyterLab on a copy of the assignment released in one language, in that language, loopback only; (url, language)."""
    lang = request.param
    if jupyterlab_locale(lang) is None:
        pytest.skip(f"JupyterLab's language pack for {lang} is not installed: pip install -e '.[lab]'")
    root = tmp_path_factory.mktemp(f"lab-{lang}")
    shutil.copytree(release_folder(COURSE, lang) / ASSIGNMENT, root / ASSIGNMENT)
    port = free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".config"), "JUPYTER_DATA_DIR": str(root / ".data"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime"), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--allow-root",
         *language_settings(lang, root / ".lab-settings")],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    if not answers(f"{base}/api/status?token={TOKEN}", 60):
        server.kill()
        pytest.fail("JupyterLab did not start within a minute")
    yield base, lang
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
    base, lang = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    assert page.locator(".lm-MenuBar-itemLabel").first.inner_text() == jupyterlab_word("File", lang, "menu")  # JupyterLab itself in the language
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
    page.screenshot(path=str(ARTEFACTS / f"jupyterlab-checker-{lang}.png"), full_page=False)
    title = COURSE.assignment(ASSIGNMENT).registry().checkpoints["bu.qcd"].text("title", lang)
    assert f"✓ bu.qcd — {title}: {text('status.later', lang)}" in result.inner_text()


def test_feedback_and_summary_pages_render_from_a_graded_cohort(browser, tmp_path):
    submitted, out = tmp_path / "submitted", tmp_path / "out"
    write(filled_notebook(COURSE, ASSIGNMENT), submitted / "alice" / ASSIGNMENT, ASSIGNMENT)
    write(released_notebook(COURSE, ASSIGNMENT), submitted / "bob" / ASSIGNMENT, ASSIGNMENT)
    run = grade_cohort(submitted, out, course=COURSE, jobs=2, limits=Limits(cell_seconds=30, notebook_seconds=120), progress=False)
    write_summary(run, out)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((out / "bob" / f"{ASSIGNMENT}.html").as_uri())
    assert page.locator("h1").inner_text().startswith(ASSIGNMENT)
    assert page.locator(".miss").count() == CHECKPOINTS
    assert page.locator("script").count() == 0  # a feedback page runs nothing
    page.screenshot(path=str(ARTEFACTS / "feedback.png"), full_page=True)
    page.goto((out / "summary.html").as_uri())
    assert page.locator("img").first.evaluate("img => img.naturalWidth") > 100  # the pictures loaded
    assert page.locator("#checkpoint-statistics tbody tr").count() == CHECKPOINTS  # one row per checkpoint
    page.screenshot(path=str(ARTEFACTS / "summary.png"), full_page=True)


@pytest.mark.parametrize("learners", [1, 500])
def test_summary_page_shows_the_statistics_and_pictures_and_sorts(browser, tmp_path, learners):
    """A synthetic cohort's summary in Chromium: the statistics table, every picture loaded, the
    sorting script allowed by its hash (no CSP violation) and sorting by facility both ways."""
    reports = synthetic_reports(COURSE, learners)
    pictures = [p for p in write_summary(CohortRun(reports=reports, graded=len(reports)), tmp_path) if p.suffix == ".png"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto((tmp_path / "summary.html").as_uri())
    table = page.locator("#checkpoint-statistics")
    assert table.locator("tbody tr").count() == sum(len(a.registry().checkpoints) for a in COURSE.assignments())
    assert table.locator("thead th").all_inner_texts()[:6] == ["checkpoint", "assignment", "kind", "learners", "facility",
                                                             "discrimination"]
    sizes = page.locator("img").evaluate_all("images => images.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(sizes) == len(pictures) and all(ok and w > 300 and h > 100 for ok, w, h in sizes)
    # Per assignment a heat-map, and a scatter unless discrimination is undefined throughout (one learner).
    assert page.locator(".no-scatter").count() == (len(COURSE.assignments()) if learners == 1 else 0)
    assert len(pictures) == (1 if learners == 1 else 2) * len(COURSE.assignments()) + 1
    scores = page.locator("#scores-table tbody tr")
    assert scores.count() == learners and scores.first.is_visible() == (learners <= SCORES_OPEN_UP_TO)
    page.screenshot(path=str(ARTEFACTS / f"summary-{learners}-learners.png"), full_page=True, timeout=120_000)
    facility = table.locator("thead th button", has_text="facility")
    column = "rows => rows.map(r => r.cells[4].dataset.sort)"
    facility.click()
    ascending = [float(v) for v in table.locator("tbody tr").evaluate_all(column)]
    facility.click()
    descending = [float(v) for v in table.locator("tbody tr").evaluate_all(column)]
    assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True) and len(set(ascending)) > 1
    page.screenshot(path=str(ARTEFACTS / f"summary-{learners}-learners-by-facility.png"), full_page=False)
    assert refused == []
