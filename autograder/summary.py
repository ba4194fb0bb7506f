"""What an instructor reads after a cohort run: an LMS gradebook CSV, the checkpoint statistics
(``checkpoints.csv``), pictures of them, and one summary page linking every learner's feedback page.

Every word of the page, its pictures and the CSV's flag column comes from one label table
(:mod:`coursekit.labels`, keys ``summary.*``), so a language is one more catalogue there.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import json
import warnings
from pathlib import Path

from markupsafe import Markup

from autograder import analytics
from autograder.analytics import CheckpointStats, Flag
from autograder.cohort import CohortRun
from autograder.render import template
from autograder.workers import KIT
from coursekit.labels import ENGLISH, catalogue

#: The label keys of the summary's words (``summary.<word>`` in :data:`coursekit.labels.ENGLISH`).
_PREFIX = "summary."

CSV_COLUMNS = ("checkpoint", "assignment", "kind", "title", "learners", "facility", "discrimination",
               *analytics.STATUS_COLUMNS, "common_error", "common_error_count", "flag")
#: Up to this many learners the scores table is open on the page; above, a click opens it.
SCORES_OPEN_UP_TO = 40
#: The one script the summary page runs (sorting its tables); the page's CSP allows it by its hash alone.
SORT_SCRIPT = (Path(__file__).parent / "templates" / "sort_table.js").read_text(encoding="utf-8")
#: Beside the summary: what it was written from (a digest) and the files written, so that a re-run
#: in which nothing changed keeps them instead of drawing every picture again.
INPUTS_FILE = ".summary-inputs.json"


def words(lang: str) -> dict[str, str]:
    """The summary's words in ``lang`` (English where the catalogue has no current entry), by their
    key without the prefix; templates keep their fields (``{n}``) for the page to fill in."""
    table = catalogue(lang)
    return {key.removeprefix(_PREFIX): table.get(key) or english for key, english in ENGLISH.items() if key.startswith(_PREFIX)}


def script_hash(script: str) -> str:
    """The CSP source that allows exactly the inline ``script``: ``'sha256-<base64 digest>'``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def flag_text(flag: Flag, table: dict[str, str]) -> str:
    """A flag in words: why the checkpoint looks dubious and what to look at."""
    values = dict(flag.values)
    if isinstance(values.get("r"), float):
        values["r"] = f"{values['r']:.2f}"
    if "cause" in values:
        values["cause"] = table.get(f"cause_{values['cause']}", values["cause"])
    return table[f"flag_{flag.code}"].format(**values)


def assignments_of(run: CohortRun) -> list[str]:
    return sorted({r["assignment"] for r in run.reports})


def learners_of(run: CohortRun) -> list[str]:
    return sorted({r["learner"] for r in run.reports})


def write_gradebook_csv(run: CohortRun, path: Path) -> None:
    """One row per learner, one column per assignment plus the total (what an LMS gradebook imports)."""
    assignments = assignments_of(run)
    scores = {(r["learner"], r["assignment"]): r["score"] for r in run.reports}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", *assignments, "total"])
        for learner in learners_of(run):
            row = [scores.get((learner, a), 0.0) for a in assignments]
            writer.writerow([learner, *(f"{s:g}" for s in row), f"{sum(row):g}"])


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def write_checkpoints_csv(stats: list[CheckpointStats], path: Path, lang: str = "en") -> None:
    """One row per checkpoint: facility, discrimination, the count of each status, the most common
    error and the flags (empty where a statistic is undefined or nothing looks dubious)."""
    table = words(lang)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for s in stats:
            writer.writerow([s.id, s.assignment, s.kind, s.title, s.learners, _number(s.facility), _number(s.discrimination),
                             *(s.statuses[status] for status in analytics.STATUS_COLUMNS),
                             s.common_error, s.common_error_count, "; ".join(flag_text(f, table) for f in s.flags)])


def _figures(run: CohortRun, stats: list[CheckpointStats], out: Path, table: dict[str, str]) -> list[dict]:
    """Draw each assignment's scatter and heat-map; what the page shows of each assignment."""
    from autograder import figures

    learners = learners_of(run)
    sections = []
    for assignment in assignments_of(run):
        reports = [r for r in run.reports if r["assignment"] == assignment]
        own = [s for s in stats if s.assignment == assignment]
        title = f"{assignment} — {reports[0].get('assignment_title', assignment)}"
        scatter, heatmap = f"scatter-{assignment}.png", f"heatmap-{assignment}.png"
        if any(s.discrimination is not None for s in own):
            figures.scatter(own, table, out / scatter)
        else:  # one learner, or all alike: every point would sit on "undefined"
            scatter = None
        figures.heatmap(reports, learners, own, table, out / heatmap)
        sections.append({"assignment": assignment, "title": title, "scatter": scatter, "heatmap": heatmap})
    return sections


def _inputs_digest(run: CohortRun, lang: str, table: dict[str, str]) -> str:
    """Everything the summary's files depend on: the reports, the refused folders, the words and the kit's code."""
    payload = json.dumps([KIT, lang, table, run.reports, run.refused], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _kept(out: Path, digest: str) -> list[Path] | None:
    """The files of a summary written from the same inputs, if all are still there."""
    try:
        written = json.loads((out / INPUTS_FILE).read_text(encoding="utf-8"))
        paths = [out / name for name in written["files"]] if written["digest"] == digest else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return paths if paths and all(path.is_file() for path in paths) else None


def _drawable(table: dict[str, str]) -> dict[str, str]:
    """``table``, or the English words where no installed font draws it (with a warning saying so)."""
    from autograder import figures

    if all(figures.draws(word) for word in table.values()):
        return table
    warnings.warn("No installed font draws the summary's language: its pictures are labelled in English. Reinstall the kit "
                  "(pip install -e .) to get matplotlib-fontja, or install Debian's fonts-noto-cjk.", stacklevel=4)
    return words("en")


def write_summary(run: CohortRun, out: Path, lang: str = "en") -> list[Path]:
    """Write the gradebook CSV, ``checkpoints.csv``, the pictures and the summary page into ``out``;
    return the paths written (or kept: a summary written from the same inputs is not redrawn)."""
    out.mkdir(parents=True, exist_ok=True)
    table = words(lang)
    digest = _inputs_digest(run, lang, table)
    kept = _kept(out, digest)
    if kept:
        return kept
    written = _write_summary(run, out, lang, table)
    (out / INPUTS_FILE).write_text(json.dumps({"digest": digest, "files": [p.name for p in written]}), encoding="utf-8")
    return written


def _write_summary(run: CohortRun, out: Path, lang: str, table: dict[str, str]) -> list[Path]:
    from autograder import figures  # matplotlib: imported only when there is something to draw

    stats = analytics.checkpoint_stats(run.reports)
    grades_csv, checkpoints_csv, html_path = out / "grades.csv", out / "checkpoints.csv", out / "summary.html"
    write_gradebook_csv(run, grades_csv)
    write_checkpoints_csv(stats, checkpoints_csv, lang)
    drawn = _drawable(table)
    sections = _figures(run, stats, out, drawn)
    areas = analytics.area_summaries(run.reports)
    if areas:
        figures.weakest_areas(areas, drawn, out / "weakest-areas.png")
    learner_areas = analytics.learner_areas(run.reports)
    html_path.write_text(
        template("summary.html.j2").render(
            run=run, words=table, lang=lang, stats=stats, flag_text=lambda f: flag_text(f, table),
            statuses=analytics.STATUS_COLUMNS, sections=sections, kind_colours=figures.KIND_COLOURS,
            flag_colour=figures.FLAG_COLOUR, heatmap_legend=figures.HEATMAP_LEGEND, areas="weakest-areas.png" if areas else None,
            learners=learners_of(run), assignments=assignments_of(run),
            scores={(r["learner"], r["assignment"]): r for r in run.reports},
            weakest={learner: analytics.weakest(own) for learner, own in learner_areas.items()},
            left_out=len(run.reports) - len(analytics.graded(run.reports)),
            thresholds={"z": f"{analytics.NEGATIVE_DISCRIMINATION_Z:g}", "min_learners": analytics.NEGATIVE_DISCRIMINATION_MIN_LEARNERS,
                        "min_misses": analytics.SAME_CAUSE_MIN_MISSES, "min_attempts": analytics.NOBODY_EARNED_MIN_ATTEMPTS},
            sort_script=Markup(SORT_SCRIPT), script_src=script_hash(SORT_SCRIPT), scores_open_up_to=SCORES_OPEN_UP_TO,
        ),
        encoding="utf-8",
    )
    pictures = [out / name for section in sections for name in (section["scatter"], section["heatmap"]) if name]
    return [html_path, grades_csv, checkpoints_csv, *pictures, *([out / "weakest-areas.png"] if areas else [])]


def summary_text(run: CohortRun, out: Path, top: int = 10, lang: str = "en") -> str:
    """The few lines a terminal shows after a cohort run."""
    table = words(lang)
    lines = [table["terminal_graded"].format(submissions=len(run.reports), learners=len(learners_of(run)),
                                             graded=run.graded, skipped=run.skipped)]
    broken = [r for r in run.reports if r.get("error")]
    if broken:
        lines.append(table["terminal_broken"].format(n=len(broken), which=", ".join(f"{r['learner']}/{r['assignment']}" for r in broken)))
    if run.refused:
        lines.append(table["terminal_refused"].format(n=len(run.refused)))
        lines += [f"  - {message}" for message in run.refused]
    stats = analytics.checkpoint_stats(run.reports)
    # A written answer waiting for the instructor's grade is pending, not missed.
    unearned = {s.id: s.learners - s.statuses["passed"] - s.statuses["manual"] for s in stats}
    missed = sorted((s for s in stats if unearned[s.id] > 0), key=lambda s: (-unearned[s.id], s.assignment, s.id))
    if missed:
        lines.append(table["terminal_missed"])
        lines += [f"  {unearned[s.id]:>3}/{s.learners:<3} {s.id:<28} {s.kind:<9} {s.title}" for s in missed[:top]]
    flagged = [s for s in stats if s.flags]
    if flagged:
        lines.append(table["terminal_flagged"])
        lines += [f"  {s.id:<28} " + "; ".join(flag_text(f, table) for f in s.flags) for s in flagged]
    lines.append(table["terminal_page"].format(page=out / "summary.html", grades=out / "grades.csv", checkpoints=out / "checkpoints.csv",
                                               feedback=f"{out}/<learner>/<assignment>.html"))
    return "\n".join(lines)
