"""``autograder grade``: formats, languages, and clear messages for bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from conftest import COURSE, MISTAKES, ROOT, write

from autograder.corpus import filled_notebook, mistake_notebook
from autograder.report import STATUSES

ASSIGNMENT = "01_business_understanding"


def _grade(*args: str):
    return subprocess.run([sys.executable, "-m", "autograder", "grade", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def mistake_path(tmp_path_factory):
    mistake = next(m for m in MISTAKES if m.name == "monthly_cost_every_day")
    return write(mistake_notebook(COURSE, mistake), tmp_path_factory.mktemp("cli"), "bob")


def test_json_report_has_the_contract_keys(mistake_path):
    result = _grade(mistake_path, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"assignment", "learner", "score", "max_score", "checkpoints"} <= set(report)
    assert (report["assignment"], report["learner"]) == (ASSIGNMENT, "bob")
    keys = {"id", "kind", "passed", "points", "max_points", "hidden", "title", "hint", "status"}
    assert all(keys <= set(c) for c in report["checkpoints"])
    assert all(c["status"] in STATUSES for c in report["checkpoints"])
    missed = [c for c in report["checkpoints"] if not c["passed"] and c["status"] != "manual"]
    assert [c["id"] for c in missed] == ["bu.monthly_cost_per_day"]
    pending = [c for c in report["checkpoints"] if c["status"] == "manual"]
    assert [c["id"] for c in pending] == ["bu.written_ask"]  # the corpus's notebook carries a written answer
    assert report["score"] == report["max_score"] - missed[0]["max_points"] - pending[0]["max_points"]


def test_text_report_shows_the_miss_with_its_hint_and_no_hidden_code(mistake_path):
    out = _grade(mistake_path).stdout
    assert "Missed business checkpoints" in out and "bu.monthly_cost_per_day" in out
    assert "Hint: Section 2" in out
    assert "Every checkpoint passed" not in out
    source = COURSE.assignment(ASSIGNMENT).read_source()
    hidden_code = next(c.source for c in source.cells if "bu.monthly_cost_per_day" in c.source and "HIDDEN" in c.source)
    assert "10_000.0 * days" in hidden_code and "10_000.0 * days" not in out


def test_japanese_report(mistake_path):
    out = _grade(mistake_path, "--lang", "ja").stdout
    assert "未達成のビジネスチェックポイント" in out and "月額運用コストを日割りにする" in out


def test_html_report_is_a_page(mistake_path):
    out = _grade(mistake_path, "--format", "html").stdout
    assert out.startswith("<!doctype html>") and "bu.monthly_cost_per_day" in out


@pytest.mark.parametrize(
    "content, message",
    [
        ("{ this is not json", "not valid notebook JSON"),
        ("", "is empty"),
        (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}), "notebook format 3"),
    ],
    ids=["broken-json", "empty-file", "nbformat-3"],
)
def test_a_file_that_is_no_notebook_gets_a_clear_message(content, message, tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text(content)
    result = _grade(path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_notebook_of_another_assignment_is_named(tmp_path):
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = write(other, tmp_path, "other")
    result = _grade(path)
    assert result.returncode == 2 and "Cannot tell which assignment" in result.stderr


def test_a_learner_id_that_is_not_a_plain_name_is_refused(tmp_path):
    path = write(filled_notebook(COURSE, ASSIGNMENT), tmp_path, "ok")
    result = _grade(path, "--learner", "../x")
    assert result.returncode == 2 and "not a plain name" in result.stderr


def test_gradescope_results_json(mistake_path):
    results = json.loads(_grade(mistake_path, "--format", "gradescope").stdout)
    assert results["score"] == sum(t["score"] for t in results["tests"])
    missed = [t for t in results["tests"] if t.get("status") == "failed"]
    assert [t["name"].split(":")[0] for t in missed] == ["bu.monthly_cost_per_day"]
    pending = [t for t in results["tests"] if "status" not in t]  # Gradescope leaves it to the instructor
    assert [t["name"].split(":")[0] for t in pending] == ["bu.written_ask"] and pending[0]["score"] == 0
    assert "Hint: Section 2" in missed[0]["output"] and missed[0]["visibility"] == "after_published"
