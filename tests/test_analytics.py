"""Cohort statistics (``autograder.analytics``) on small hand-made cohorts whose numbers are known,
``checkpoints.csv`` and the summary page on synthetic cohorts of 1 and 500 learners, and the demo
cohort's ``checkpoints.csv`` against the statistics recomputed from its JSON reports."""
from __future__ import annotations

import csv
import json
import math
from html.parser import HTMLParser
from statistics import NormalDist

import nbformat
import numpy as np
import pytest
from conftest import COURSE
from synthetic_cohort import INVERTED, KEYERROR, synthetic_reports

from autograder.analytics import (
    STATUS_COLUMNS, area_summaries, checkpoint_stats, clearly_negative, learner_areas, pearson, weakest,
)
from autograder.cohort import CohortRun, grade_cohort
from autograder.demo import DEMO_LIMITS, build_demo_cohort
from autograder.summary import CSV_COLUMNS, SORT_SCRIPT, script_hash, summary_text, write_checkpoints_csv, write_summary


def result(cid: str, points: float, max_points: float, status: str | None = None, kind: str = "technical",
           error_type: str = "") -> dict:
    status = status or ("passed" if points == max_points else "failed")
    return {"id": cid, "kind": kind, "title": f"Title of {cid}", "status": status, "passed": status == "passed",
            "points": points, "max_points": max_points, "error_type": error_type}


def report(learner: str, *results: dict, assignment: str = "01_x", error: str = "") -> dict:
    return {"assignment": assignment, "assignment_title": "X", "learner": learner, "error": error,
            "score": sum(r["points"] for r in results), "max_score": sum(r["max_points"] for r in results),
            "checkpoints": list(results)}


#: Four learners, three checkpoints worth 1, 1 and 2 points.
#:          c1   c2   c3        total
#:   ann    1    1    2 (1.0)   4
#:   ben    1    0    1 (0.5)   2
#:   cas    0    1    0         1   (c1 missed with a KeyError)
#:   dan    0    0    0         0   (c1 missed with a KeyError, c2 not attempted)
FOUR = [
    report("ann", result("c1", 1, 1), result("c2", 1, 1), result("c3", 2, 2)),
    report("ben", result("c1", 1, 1), result("c2", 0, 1), result("c3", 1, 2)),
    report("cas", result("c1", 0, 1, "error", error_type="KeyError"), result("c2", 1, 1), result("c3", 0, 2)),
    report("dan", result("c1", 0, 1, "error", error_type="KeyError"), result("c2", 0, 1, "not_attempted"), result("c3", 0, 2)),
]


def by_id(stats) -> dict:
    return {s.id: s for s in stats}


def test_facility_is_the_mean_share_of_the_points():
    stats = by_id(checkpoint_stats(FOUR))
    assert stats["c1"].facility == (1 + 1 + 0 + 0) / 4
    assert stats["c2"].facility == (1 + 0 + 1 + 0) / 4
    assert stats["c3"].facility == (2 / 2 + 1 / 2 + 0 + 0) / 4
    assert [s.learners for s in stats.values()] == [4, 4, 4]


def test_discrimination_is_pearson_r_against_the_rest_of_the_assignment():
    stats = by_id(checkpoint_stats(FOUR))
    # c1: shares x = (1, 1, 0, 0); rest (c2 + c3 of 3 points) y = (3/3, 1/3, 1/3, 0/3).
    # mean x = 1/2, mean y = 5/12; deviations x: ±1/2, y: (7, -1, -1, -5)/12.
    # Sxy = (7 - 1 + 1 + 5) / 24 = 1/2; Sxx = 4/4 = 1; Syy = (49 + 1 + 1 + 25) / 144 = 76/144.
    assert stats["c1"].discrimination == pytest.approx(0.5 / math.sqrt(76 / 144))
    # c3: shares x = (1, 1/2, 0, 0); rest (c1 + c2 of 2 points) y = (1, 1/2, 1/2, 0).
    # mean x = 3/8, mean y = 1/2; deviations x: (5, 1, -3, -3)/8, y: (1, 0, 0, -1)/2.
    # Sxy = (5 + 3) / 16 = 1/2; Sxx = (25 + 1 + 9 + 9) / 64 = 44/64; Syy = 2/4.
    assert stats["c3"].discrimination == pytest.approx(0.5 / math.sqrt(44 / 64 * 2 / 4))
    assert stats["c1"].discrimination == pytest.approx(np.corrcoef([1, 1, 0, 0], [1, 1 / 3, 1 / 3, 0])[0, 1])


def test_status_counts_and_the_most_common_error():
    stats = by_id(checkpoint_stats(FOUR))
    assert stats["c1"].statuses == {s: {"passed": 2, "error": 2}.get(s, 0) for s in STATUS_COLUMNS}
    assert (stats["c1"].common_error, stats["c1"].common_error_count) == ("KeyError", 2)
    assert stats["c2"].statuses["not_attempted"] == 1 and stats["c2"].common_error == ""
    assert "manual" in STATUS_COLUMNS


def test_only_builtin_exceptions_are_named():
    own = [report(name, result("c1", 0, 1, "error", error_type=error), result("c2", 1, 1))
           for name, error in [("a", "KeyErrorOfMine"), ("b", "<script>alert(1)</script>"), ("c", "__class__"), ("d", "ValueError")]]
    stats = by_id(checkpoint_stats(own))
    assert (stats["c1"].statuses["error"], stats["c1"].common_error, stats["c1"].common_error_count) == (4, "ValueError", 1)
    (flag,) = stats["c1"].flags  # three of the four misses raised something the report cannot name
    assert flag.values == {"cause": "error", "count": 3, "misses": 4}


def test_discrimination_is_undefined_when_everyone_is_alike_or_alone():
    everyone_passes = [report(name, result("c1", 1, 1), result("c2", p, 1)) for name, p in [("a", 1), ("b", 0), ("c", 1)]]
    stats = by_id(checkpoint_stats(everyone_passes))
    assert stats["c1"].facility == 1.0 and stats["c1"].discrimination is None  # no spread on c1
    assert stats["c2"].discrimination is None  # the rest (c1) has no spread
    alone = by_id(checkpoint_stats([report("a", result("c1", 1, 1), result("c2", 0, 1))]))
    assert alone["c1"].facility == 1.0 and alone["c1"].discrimination is None
    only_checkpoint = by_id(checkpoint_stats([report(n, result("c1", p, 1)) for n, p in [("a", 1), ("b", 0)]]))
    assert only_checkpoint["c1"].facility == 0.5 and only_checkpoint["c1"].discrimination is None  # no rest at all
    assert pearson([0.1] * 3, [0.1 + 0.2, 0.5, 0.7]) is None  # equal shares, whatever their float rounding


def test_ungradable_submissions_and_waiting_manual_grades_are_left_out():
    damaged = report("eve", result("c1", 0, 1, "error"), result("c2", 0, 1, "error"), result("c3", 0, 2, "error"),
                     error="not valid notebook JSON")
    stats = by_id(checkpoint_stats([*FOUR, damaged]))
    assert stats["c1"].learners == 4 and stats["c1"].facility == 0.5
    waiting = [report(n, result("w", 0, 2, "manual", kind="business"), result("c1", p, 1), result("c2", p, 1))
               for n, p in [("a", 1), ("b", 0), ("c", 1)]]
    stats = by_id(checkpoint_stats(waiting))
    assert stats["w"].facility is None and stats["w"].discrimination is None and stats["w"].statuses["manual"] == 3
    assert stats["c1"].discrimination == pytest.approx(1.0)  # the rest is c2 alone: the waiting answer counts for nothing


def test_flags_say_why_a_checkpoint_looks_dubious():
    stats = by_id(checkpoint_stats(FOUR))
    assert [f.code for f in stats["c1"].flags] == []  # 2 misses: too few to say they share a cause
    five = [*FOUR, report("fay", result("c1", 0, 1, "error", error_type="KeyError"), result("c2", 1, 1), result("c3", 2, 2))]
    (flag,) = by_id(checkpoint_stats(five))["c1"].flags
    assert (flag.code, flag.values) == ("same_cause", {"cause": "KeyError", "count": 3, "misses": 3})
    # Twelve learners whose rest share rises with their index; "odd" is passed by the six weakest only.
    twelve = [report(f"l{i:02d}", result("odd", float(i < 6), 1), *(result(f"r{j}", float(j < i), 1) for j in range(11)))
              for i in range(12)]
    odd = by_id(checkpoint_stats(twelve))["odd"]
    assert odd.discrimination < -0.8 and [f.code for f in odd.flags] == ["negative_discrimination"]
    nobody = [report(f"l{i}", result("hard", 0, 1), result("easy", 1, 1)) for i in range(5)]
    assert [f.code for f in by_id(checkpoint_stats(nobody))["hard"].flags] == ["nobody_earned"]
    not_tried = [report(f"l{i}", result("hard", 0, 1, "not_attempted"), result("easy", 1, 1)) for i in range(5)]
    assert by_id(checkpoint_stats(not_tried))["hard"].flags == ()


def test_a_negative_discrimination_is_flagged_only_beyond_chance():
    # Fisher's z = atanh(r) * sqrt(n - 3) must fall below -2: r = -0.3 is noise over 12 learners, not over 100.
    assert math.atanh(-0.3) * math.sqrt(12 - 3) > -2 and not clearly_negative(-0.3, 12)
    assert math.atanh(-0.3) * math.sqrt(100 - 3) < -2 and clearly_negative(-0.3, 100)
    assert not clearly_negative(-1.0, 9) and clearly_negative(-1.0, 10) and not clearly_negative(0.5, 500)
    # The README's figures: the flag starts at r = tanh(-2 / sqrt(n - 3)), which chance reaches in 1 cohort in 44.
    for n, quoted in [(12, -0.58), (50, -0.28), (500, -0.09)]:
        assert round(math.tanh(-2 / math.sqrt(n - 3)), 2) == quoted
        assert clearly_negative(quoted - 0.01, n) and not clearly_negative(quoted + 0.01, n)
    assert round(1 / NormalDist().cdf(-2)) == 44


def test_a_learners_weakest_area_is_the_lowest_share_of_an_assignments_kind():
    reports = [
        report("ann", result("b1", 1, 2, kind="business"), result("t1", 3, 4), result("t2", 0, 0)),
        report("ann", result("b1", 2, 2, kind="business"), result("t1", 0, 4), assignment="02_y"),
        report("ben", result("b1", 1, 2, kind="business"), result("t1", 2, 4)),  # equal shares: 2 points missed beat 1
        report("cas", result("b1", 2, 2, kind="business"), result("t1", 4, 4)),
    ]
    areas = learner_areas(reports)
    assert [(a.assignment, a.kind, a.share) for a in areas["ann"]] == [
        ("01_x", "business", 0.5), ("01_x", "technical", 0.75), ("02_y", "business", 1.0), ("02_y", "technical", 0.0)]
    assert (weakest(areas["ann"]).assignment, weakest(areas["ann"]).kind) == ("02_y", "technical")
    assert (weakest(areas["ben"]).kind, weakest(areas["ben"]).max_points - weakest(areas["ben"]).points) == ("technical", 2)
    assert weakest(areas["cas"]).share == 1.0 and weakest([]) is None
    summary = {(a.assignment, a.kind): (a.learners, a.mean_share, a.weakest_for) for a in area_summaries(reports)}
    assert summary == {("01_x", "business"): (3, (0.5 + 0.5 + 1) / 3, 0), ("01_x", "technical"): (3, (0.75 + 0.5 + 1) / 3, 1),
                       ("02_y", "business"): (1, 1.0, 0), ("02_y", "technical"): (1, 0.0, 1)}


def read_csv(path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(CSV_COLUMNS)
    return {row["checkpoint"]: row for row in rows}


def test_checkpoints_csv_has_the_hand_computed_numbers(tmp_path):
    write_checkpoints_csv(checkpoint_stats(FOUR), tmp_path / "checkpoints.csv")
    rows = read_csv(tmp_path / "checkpoints.csv")
    assert (rows["c1"]["facility"], rows["c1"]["discrimination"]) == ("0.5000", f"{0.5 / math.sqrt(76 / 144):.4f}")
    assert (rows["c1"]["error"], rows["c1"]["common_error"], rows["c1"]["common_error_count"], rows["c1"]["flag"]) == ("2", "KeyError", "2", "")
    write_checkpoints_csv(checkpoint_stats(FOUR[:1]), tmp_path / "checkpoints.csv")
    assert read_csv(tmp_path / "checkpoints.csv")["c1"]["discrimination"] == ""


class _Page(HTMLParser):
    """The parts of a summary page the tests look at: its CSP, its scripts, images and table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.csp, self.scripts, self.images, self.rows, self._in_script = "", [], [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")
        self.images += [attrs["src"]] if tag == "img" else []

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script


@pytest.mark.parametrize("learners", [1, 500])
def test_summary_of_a_synthetic_cohort_has_every_picture_and_allows_only_its_own_script(tmp_path, learners):
    reports = synthetic_reports(COURSE, learners)
    run = CohortRun(reports=reports, graded=len(reports))
    written = write_summary(run, tmp_path)
    assert all(path.stat().st_size > 1000 for path in written if path.suffix == ".png")
    page = _Page()
    page.feed((tmp_path / "summary.html").read_text(encoding="utf-8"))
    assert page.scripts == [SORT_SCRIPT]
    policy = {name: sources for name, *sources in (d.split() for d in page.csp.split(";"))}
    assert policy["script-src"] == [script_hash(SORT_SCRIPT)] and policy["default-src"] == ["'none'"]
    assert sorted(page.images) == sorted(p.name for p in written if p.suffix == ".png")
    rows = read_csv(tmp_path / "checkpoints.csv")
    assert len(rows) == sum(len(a.registry().checkpoints) for a in COURSE.assignments())
    if learners == 500:
        inverted, keyerror = rows[INVERTED[1]], rows[KEYERROR[1]]
        assert float(inverted["discrimination"]) < 0 and inverted["flag"].startswith("negative discrimination")
        assert keyerror["common_error"] == "KeyError" and "misses are KeyError" in keyerror["flag"]
        assert sum(bool(r["flag"]) for r in rows.values()) == 2  # nothing else is dubious
    else:
        assert {r["discrimination"] for r in rows.values()} == {""}  # one learner: nothing to correlate
        assert {r["learners"] for r in rows.values()} == {"1"}


def test_a_summary_written_from_the_same_reports_is_kept_and_redrawn_when_one_changes(tmp_path):
    reports = synthetic_reports(COURSE, 3)
    written = write_summary(CohortRun(reports=reports, graded=len(reports)), tmp_path)
    stamps = {path: path.stat().st_mtime_ns for path in written}
    assert write_summary(CohortRun(reports=reports, skipped=len(reports)), tmp_path) == written
    assert {path: path.stat().st_mtime_ns for path in written} == stamps  # nothing rewritten
    reports[0]["score"] = reports[0]["score"] - 1
    write_summary(CohortRun(reports=reports, skipped=len(reports)), tmp_path)
    assert all(path.stat().st_mtime_ns > stamps[path] for path in written)
    (tmp_path / "summary.html").unlink()
    assert (tmp_path / "summary.html") in write_summary(CohortRun(reports=reports), tmp_path)
    assert (tmp_path / "summary.html").is_file()


def test_the_terminal_lists_as_missed_what_was_not_earned_and_not_what_waits_for_the_instructor(tmp_path):
    reports = [report(learner, result("c1", 1, 1), result("written", 0, 2, "manual"), result("c3", 0, 1))
               for learner in ("ann", "ben")]
    text = summary_text(CohortRun(reports=reports, graded=2), tmp_path)
    missed = text.split("Checkpoints missed most:")[1].splitlines()[1:]
    assert [line.split()[:2] for line in missed if line.startswith("  ")] == [["2/2", "c3"]]


def test_learner_text_is_escaped_on_the_summary_page(tmp_path):
    payload = "<img src=x onerror=alert(1)>"
    reports = [report(payload, result("c1", 1, 1)), report("ben", result("c1", 0, 1))]
    reports[0]["checkpoints"][0]["title"] = payload
    write_summary(CohortRun(reports=reports, graded=2), tmp_path)
    page = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2


# --- the demo cohort, graded for real -------------------------------------------------------------

DEMO_ASSIGNMENT = "01_business_understanding"


def _raising(nb: nbformat.NotebookNode, function: str, raise_line: str) -> nbformat.NotebookNode:
    """``nb`` with the answer function ``function`` redefined, after its reference answer, as one that raises."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith(f"def {function}("))
    cell.source += f"\n\n\ndef {function}(*args, **kwargs):\n    {raise_line}\n"
    return nb


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """The demo cohort's first assignment without its looping learner, plus two learners whose code
    raises (a builtin KeyError, and an exception class of the learner's own), graded for real."""
    root = tmp_path_factory.mktemp("demo")
    submitted, out = root / "submitted", root / "out"
    build_demo_cohort(COURSE, submitted)
    for folder in submitted.glob("*/*"):
        if folder.name != DEMO_ASSIGNMENT or folder.parent.name == "lena":
            for path in folder.glob("*"):
                path.unlink()
            folder.rmdir()
    alice = submitted / "alice" / DEMO_ASSIGNMENT / f"{DEMO_ASSIGNMENT}.ipynb"
    # The demo damages kenta's first notebook (00's); damage this one too, so a report with an error is left out here.
    (submitted / "kenta" / DEMO_ASSIGNMENT / f"{DEMO_ASSIGNMENT}.ipynb").write_text('{"cells": [ cut off', encoding="utf-8")
    for learner, line in [("omar", "return {}['hours']"), ("pia", "raise type('KeyErrorOfMine', (Exception,), {})()")]:
        nb = _raising(nbformat.read(alice, as_version=4), "daily_value", line)
        (submitted / learner / DEMO_ASSIGNMENT).mkdir(parents=True)
        nbformat.write(nb, submitted / learner / DEMO_ASSIGNMENT / f"{DEMO_ASSIGNMENT}.ipynb")
    run = grade_cohort(submitted, out, course=COURSE, jobs=2, limits=DEMO_LIMITS, progress=False)
    write_summary(run, out)
    return out, run


def test_demo_checkpoints_csv_agrees_with_the_json_reports(demo_run):
    out, run = demo_run
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob(f"*/{DEMO_ASSIGNMENT}.json"))]
    assert len(reports) == 13 and sum(bool(r["error"]) for r in reports) == 1  # kenta's file is damaged
    graded = [r for r in reports if not r["error"]]
    rows = read_csv(out / "checkpoints.csv")
    ids = [c["id"] for c in graded[0]["checkpoints"]]
    assert list(rows) == ids
    points = np.array([[c["points"] for c in r["checkpoints"]] for r in graded])
    maxima = np.array([c["max_points"] for c in graded[0]["checkpoints"]])
    for j, cid in enumerate(ids):
        mine = points[:, j] / maxima[j]
        rest = (points.sum(axis=1) - points[:, j]) / (maxima.sum() - maxima[j])
        assert int(rows[cid]["learners"]) == len(graded)
        assert float(rows[cid]["facility"]) == pytest.approx(mine.mean(), abs=5e-5)
        if np.ptp(mine) == 0 or np.ptp(rest) == 0:
            assert rows[cid]["discrimination"] == ""
        else:
            assert float(rows[cid]["discrimination"]) == pytest.approx(np.corrcoef(mine, rest)[0, 1], abs=5e-5)
        statuses = [r["checkpoints"][j]["status"] for r in graded]
        assert {s: int(rows[cid][s]) for s in STATUS_COLUMNS} == {s: statuses.count(s) for s in STATUS_COLUMNS}
    assert any(rows[cid]["discrimination"] for cid in ids)  # the demo's mistakes spread the learners


def test_an_error_is_named_by_its_builtin_exception_only(demo_run):
    out, _ = demo_run
    omar, pia = (json.loads((out / name / f"{DEMO_ASSIGNMENT}.json").read_text()) for name in ("omar", "pia"))
    assert {c["id"]: (c["status"], c["error_type"]) for c in omar["checkpoints"]}["bu.daily_value"] == ("error", "KeyError")
    assert {c["id"]: c["status"] for c in pia["checkpoints"]}["bu.daily_value"] == "error"
    assert "KeyErrorOfMine" not in (out / "checkpoints.csv").read_text() + (out / "summary.html").read_text()
    daily = read_csv(out / "checkpoints.csv")["bu.daily_value"]
    assert (daily["error"], daily["common_error"], daily["common_error_count"]) == ("2", "KeyError", "1")


def test_the_terminal_summary_points_to_the_statistics(demo_run):
    out, run = demo_run
    text = summary_text(run, out)
    assert str(out / "checkpoints.csv") in text and "Checkpoints missed most:" in text
    assert "bu.daily_value" in text
