"""A learner's round trip in JupyterHub's Assignments tab, in a real browser.

JupyterHub runs as root and starts each user's server as that user, from the user's own
environment. The learner logs in, opens Nbgrader > Assignment List, fetches the released
assignment, works on it and submits it; the instructor collects, the kit grades and the
instructor releases the feedback; the learner fetches the feedback in the same tab and reads the
kit's checkpoint feedback page. Screenshots land in build/browser/.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE, MISTAKES, ROOT, missing_package
from servers import answers, free_port
from unix_course import KIT_PREFIX, grade, instructor_course, missing, unix_users

from autograder.corpus import mistake_notebook

ASSIGNMENT = "01_business_understanding"
ARTEFACTS = ROOT / "build" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: make test installs configurable-http-proxy from npm into the kit's environment (scripts/node-packages.sh).
PROXY = shutil.which("configurable-http-proxy") or shutil.which("configurable-http-proxy", path=str(KIT_PREFIX / "node" / "node_modules" / ".bin"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed: pip install -e '.[dev]'")
pytestmark = [
    pytest.mark.skipif(bool(missing()), reason=missing()),
    pytest.mark.skipif(importlib.util.find_spec("jupyterhub") is None, reason="JupyterHub is not installed: pip install -e '.[dev]'"),
    pytest.mark.skipif(PROXY is None, reason="configurable-http-proxy is not installed (make test installs it with npm where npm is): npm install --prefix .venv/node configurable-http-proxy"),
    pytest.mark.skipif(CHROMIUM is None, reason=missing_package("chromium")),
]


def _hub_config(folder: Path, learner, port: int) -> Path:
    config = folder / "jupyterhub_config.py"
    environment = {"JUPYTER_PATH": f"{KIT_PREFIX}/share/jupyter", "JUPYTER_CONFIG_PATH": f"{KIT_PREFIX}/etc/jupyter",
                   "JUPYTERLAB_DIR": f"{KIT_PREFIX}/share/jupyter/lab", "PATH": f"{learner.env}/bin:/usr/bin:/bin"}
    config.write_text(f"""c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{PROXY!r}]
c.JupyterHub.authenticator_class = "dummy"  # loopback only, one allowed user
c.Authenticator.allowed_users = {{{learner.name!r}}}
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.Spawner.cmd = [{str(learner.env / 'bin' / 'jupyterhub-singleuser')!r}]
c.Spawner.args = ["--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
c.Spawner.environment = {json.dumps(environment)}
""")
    return config


@pytest.fixture(scope="module")
def hub():
    """JupyterHub on loopback for one learner, an instructor beside it, and the course folder."""
    try:
        with unix_users("teach", "cleo") as (users, exchange):
            folder = exchange.parent / "hub"
            folder.mkdir(mode=0o700)
            port = free_port()
            log = (folder / "hub.log").open("wb")
            server = subprocess.Popen([str(KIT_PREFIX / "bin" / "jupyterhub"), "-f", str(_hub_config(folder, users["cleo"], port))],
                                      cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                      env={**os.environ, "PATH": f"{KIT_PREFIX}/bin:{os.environ['PATH']}"})
            base = f"http://127.0.0.1:{port}"
            if not answers(f"{base}/hub/login", 120):
                server.kill()
                pytest.fail(f"JupyterHub did not start within two minutes:\n{(folder / 'hub.log').read_text()[-3000:]}")
            try:
                yield base, users, instructor_course(users["teach"], ASSIGNMENT)
            finally:
                server.terminate()  # stops the learner's server too
                server.wait(timeout=120)
                log.close()
    except LookupError as reason:
        pytest.skip(str(reason))


def _open_assignment_list(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.wait_for_selector("#released_assignments_list", timeout=120_000)


def test_a_learner_fetches_submits_and_reads_the_kits_feedback_in_the_assignments_tab(hub):
    base, users, course = hub
    learner, instructor = users["cleo"], users["teach"]
    instructor.nbgrader("release_assignment", ASSIGNMENT, cwd=course)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/hub/login")
        page.fill("#username_input", learner.name)
        page.fill("#password_input", "any")
        page.click("#login_submit")
        page.wait_for_selector(".jp-LabShell", timeout=600_000)  # the learner's server starts as the learner
        _open_assignment_list(page)

        page.locator("#released_assignments_list button", has_text="Fetch").click(timeout=120_000)
        page.locator("#fetched_assignments_list", has_text=ASSIGNMENT).wait_for(timeout=120_000)
        path = learner.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nbformat.write(mistake_notebook(COURSE, next(m for m in MISTAKES if m.name == "hours_ignored")), path)
        learner.give(path)  # the learner's work, saved
        page.locator("#fetched_assignments_list button", has_text="Submit").click()
        page.locator("#submitted_assignments_list", has_text=ASSIGNMENT).wait_for(timeout=120_000)
        page.screenshot(path=str(ARTEFACTS / "hub-submitted.png"))

        instructor.nbgrader("collect", ASSIGNMENT, cwd=course)
        grade(course)
        instructor.nbgrader("release_feedback", ASSIGNMENT, cwd=course)

        page.click("#refresh_assignments_list")
        page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").click(timeout=120_000)
        page.locator("#submitted_assignments_list a", has_text="view feedback").wait_for(timeout=120_000)
        page.screenshot(path=str(ARTEFACTS / "hub-feedback-fetched.png"))
        (fetched,) = (learner.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
        relative = urllib.parse.quote(str(fetched.relative_to(learner.home)))
        page.goto(f"{base}/user/{learner.name}/files/{relative}")
        registry = COURSE.assignment(ASSIGNMENT).registry()
        earned = registry.automatic_score - registry.checkpoints["bu.daily_value"].points  # the written answer waits
        assert page.locator("p.score").inner_text().startswith(f"{learner.name} · Score: {earned:g} / {registry.max_score:g} (")
        assert page.locator(".miss").count() == 1 and page.locator("#bu\\.daily_value").count() == 1
        page.screenshot(path=str(ARTEFACTS / "hub-feedback.png"), full_page=True)
        browser.close()
