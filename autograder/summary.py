"""What an instructor reads after a cohort run: an LMS gradebook CSV, the checkpoints the cohort
missed most (a table and a learners × checkpoints heat-map), and one summary page linking every
learner's feedback page."""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from autograder.cohort import CohortRun  # noqa: E402
from autograder.render import template  # noqa: E402


@dataclass(frozen=True)
class Miss:
    """How many of the learners who submitted an assignment missed one of its checkpoints."""

    assignment: str
    id: str
    kind: str
    title: str
    missed: int
    graded: int


def assignments_of(run: CohortRun) -> list[str]:
    return sorted({r["assignment"] for r in run.reports})


def learners_of(run: CohortRun) -> list[str]:
    return sorted({r["learner"] for r in run.reports})


def misses(run: CohortRun) -> list[Miss]:
    """Every checkpoint with its miss count, most missed first."""
    missed, graded, about = Counter(), Counter(), {}
    for report in run.reports:
        for c in report["checkpoints"]:
            key = (report["assignment"], c["id"])
            about[key] = (c["kind"], c["title"])
            graded[key] += 1
            missed[key] += not c["passed"]
    rows = [Miss(a, cid, *about[(a, cid)], missed[(a, cid)], graded[(a, cid)]) for a, cid in about]
    return sorted(rows, key=lambda m: (-m.missed, m.assignment, m.id))


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


def write_heatmap(run: CohortRun, path: Path) -> None:
    """Learners × checkpoints, coloured by the share of the points earned (grey: not submitted)."""
    learners = learners_of(run)
    columns = sorted({(r["assignment"], c["id"]) for r in run.reports for c in r["checkpoints"]})
    row, column = {name: i for i, name in enumerate(learners)}, {key: i for i, key in enumerate(columns)}
    share = np.full((len(learners), len(columns)), np.nan)
    for report in run.reports:
        for c in report["checkpoints"]:
            share[row[report["learner"]], column[(report["assignment"], c["id"])]] = (
                c["points"] / c["max_points"] if c["max_points"] else 1.0
            )
    fig, ax = plt.subplots(figsize=(max(6, 0.28 * len(columns) + 2), max(2.5, 0.35 * len(learners) + 1.5)))
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    ax.imshow(np.ma.masked_invalid(share), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(columns)), [cid for _, cid in columns], rotation=90, fontsize=7)
    ax.set_yticks(range(len(learners)), learners, fontsize=8)
    ax.set_title("Share of each checkpoint's points (green: earned, red: missed, grey: not submitted)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_summary(run: CohortRun, out: Path) -> list[Path]:
    """Write the gradebook CSV, the heat-map and the summary page into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path, png_path, html_path = out / "grades.csv", out / "heatmap.png", out / "summary.html"
    write_gradebook_csv(run, csv_path)
    if run.reports:
        write_heatmap(run, png_path)
    scores = {(r["learner"], r["assignment"]): r for r in run.reports}
    html_path.write_text(
        template("summary.html.j2").render(
            run=run, misses=misses(run), learners=learners_of(run), assignments=assignments_of(run),
            scores=scores, heatmap=png_path.name if run.reports else None,
        ),
        encoding="utf-8",
    )
    return [html_path, csv_path, png_path]


def summary_text(run: CohortRun, out: Path, top: int = 10) -> str:
    """The few lines a terminal shows after a cohort run."""
    lines = [
        f"Graded {len(run.reports)} submission(s) of {len(learners_of(run))} learner(s): "
        f"{run.graded} graded now, {run.skipped} unchanged since the last run."
    ]
    broken = [r for r in run.reports if r.get("error")]
    if broken:
        lines.append(f"{len(broken)} submission(s) could not be graded (their reports say why): "
                     + ", ".join(f"{r['learner']}/{r['assignment']}" for r in broken))
    if run.refused:
        lines.append(f"{len(run.refused)} folder(s) refused:")
        lines += [f"  - {message}" for message in run.refused]
    missed = [m for m in misses(run) if m.missed]
    if missed:
        lines.append("Checkpoints missed most:")
        lines += [f"  {m.missed:>3}/{m.graded:<3} {m.id:<28} {m.kind:<9} {m.title}" for m in missed[:top]]
    lines.append(f"Summary page: {out / 'summary.html'}  (gradebook: {out / 'grades.csv'}; "
                 f"feedback pages: {out}/<learner>/<assignment>.html)")
    return "\n".join(lines)
