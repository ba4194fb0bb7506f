"""A warning about the grading (no bubblewrap) is kept apart from notes about the submission,
and every format that shows notes shows it too."""
from __future__ import annotations

import json

from autograder.render import to_gradescope, to_html, to_json, to_text
from autograder.report import CheckpointResult, Report
from coursekit.labels import text

WARNING = text("note.no_sandbox", "en")


def _report() -> Report:
    result = CheckpointResult("bu.qcd", "business", "passed", 2.0, 2.0, False, "QCD value", "a dict", "see QCD")
    return Report("01_business_understanding", "Business Understanding", "alice", [result],
                  notes=["Test cell bu-qcd was edited; the original was graded."], sandbox="rlimits", warnings=[WARNING])


def test_warnings_are_their_own_json_key_and_survive_a_round_trip():
    data = json.loads(to_json(_report()))
    assert data["warnings"] == [WARNING] and WARNING not in data["notes"]
    assert Report.from_dict(data) == _report()
    del data["warnings"]  # a report written before warnings existed
    assert Report.from_dict(data).warnings == []


def test_every_format_that_shows_notes_shows_warnings():
    report = _report()
    text = to_text(report)
    assert "Notes:\n  - Test cell bu-qcd was edited" in text and f"Warnings:\n  - {WARNING}" in text
    html = to_html(report)
    assert "<h2>Warnings</h2>" in html and "bubblewrap (bwrap) is not installed" in html and "<h2>Notes</h2>" in html
    assert WARNING in json.loads(to_gradescope(report))["output"]
    assert "警告" in to_text(Report(**{**report.__dict__, "lang": "ja"}))
