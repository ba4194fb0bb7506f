"""The pictures of the cohort summary: per assignment a facility × discrimination scatter and a
learners × checkpoints heat-map, and for the cohort the weakest areas.

Every word drawn comes from the summary's label table (``words``); every number from
:mod:`autograder.analytics`. Each picture stays readable from 1 learner to 500. Japanese is drawn
with IPAexGothic, which the kit installs from PyPI (``matplotlib-fontja``), else a Japanese font
of the system's (Debian's ``fonts-noto-cjk``, ``fonts-ipafont``); :func:`draws` tells whether a
text can be drawn at all, so the summary falls back to English pictures rather than empty boxes.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from autograder.analytics import PENDING, AreaSummary, CheckpointStats, share  # noqa: E402

KIND_COLOURS = {"business": "#b35806", "technical": "#2c5f9e"}
FLAG_COLOUR = "#c0392b"
NOT_SUBMITTED, NOT_GRADED, WAITING = "#e3e3e3", "#8c8c8c", "#9ecae1"
#: Share of a checkpoint's points earned (0 to 1) to colour, on the heat-maps.
SHARE_COLOURS = matplotlib.colormaps["RdYlGn"]
#: What the heat-maps' colours mean: (CSS colour, key of the label table); the page draws the legend.
HEATMAP_LEGEND = (
    (matplotlib.colors.to_hex(SHARE_COLOURS(1.0)), "heatmap_earned"), (matplotlib.colors.to_hex(SHARE_COLOURS(0.5)), "heatmap_half"),
    (matplotlib.colors.to_hex(SHARE_COLOURS(0.0)), "heatmap_missed"), (NOT_SUBMITTED, "heatmap_not_submitted"),
    (NOT_GRADED, "heatmap_not_graded"), (WAITING, "heatmap_waiting"),
)
#: Above this many learners a heat-map names no learner (their rows are too thin to label).
NAMED_ROWS = 40
#: Where a checkpoint whose discrimination is undefined sits on the scatter's y axis.
UNDEFINED_Y = -1.32
DPI = 100
LABEL_SIZE = 9


#: Japanese fonts, best first: the kit's own, then the system's.
JAPANESE_FONTS = ("IPAexGothic", "Noto Sans CJK JP", "IPAGothic", "IPAPGothic", "TakaoGothic")
#: The font each picture draws Latin text with; a Japanese font follows it for what it lacks.
LATIN_FONT = "DejaVu Sans"


@cache
def japanese_font() -> str | None:
    """The family of the first of :data:`JAPANESE_FONTS` matplotlib can use (the kit's font
    registered first), or ``None`` where there is none."""
    try:
        kit_font = resources.files("matplotlib_fontja") / "fonts" / "ipaexg.ttf"
        if kit_font.is_file():
            font_manager.fontManager.addfont(str(kit_font))
    except ModuleNotFoundError:
        pass
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in JAPANESE_FONTS if family in installed), None)


def draws(text: str) -> bool:
    """Whether the pictures can draw ``text``: it is Latin (and Greek, symbols...) or a Japanese font is installed."""
    return all(ord(char) < 0x2E80 for char in text) or japanese_font() is not None


def _fonts() -> dict:
    """The rc settings of every picture: the Latin font, then the Japanese one for the glyphs it lacks."""
    return {"font.family": [LATIN_FONT, *filter(None, [japanese_font()])]}


def _with_fonts(draw: Callable[..., None]) -> Callable[..., None]:
    """``draw`` with the pictures' fonts (:func:`_fonts`) in force while it lays out and saves."""
    @wraps(draw)
    def drawn(*args, **kwargs) -> None:
        with plt.rc_context(_fonts()):
            draw(*args, **kwargs)
    return drawn


def _save(fig: plt.Figure, path: Path) -> None:
    fig.set_layout_engine(None)  # laid out already: without this, savefig lays the figure out a second time
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def _overlaps(box: Bbox, others: list[Bbox]) -> bool:
    return any(box.overlaps(other) for other in others)


def _place_labels(ax: plt.Axes, points: list[tuple[float, float, str, str]], avoid: list[plt.Artist]) -> None:
    """Label each point ``(x, y, text, colour)`` where its text overlaps no other label, no marker, none
    of the artists to ``avoid`` and stays inside the axes: the free place nearest to the point (beside
    it, then above or below it, then further away with a leader line)."""
    renderer = ax.figure.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    pixels = ax.figure.dpi / 72  # per point
    centres = [ax.transData.transform((x, y)) for x, y, _, _ in points]
    taken = [Bbox.from_bounds(px - 5, py - 5, 10, 10) for px, py in centres]  # the markers
    taken += [artist.get_window_extent(renderer) for artist in avoid]
    step = 1.3 * LABEL_SIZE
    for (x, y, text, colour), (px, py) in sorted(zip(points, centres), key=lambda p: (-p[0][1], p[0][0])):
        label = ax.annotate(text, (x, y), xytext=(8, 0), textcoords="offset points", va="center", fontsize=LABEL_SIZE, color=colour)
        extent = label.get_window_extent(renderer)
        width, height = extent.width, extent.height * 1.1
        near, far = ("right", "left") if x > 0.6 else ("left", "right")  # labels of points on the right go left first
        # (alignment, dx, dy in points, cost): beside on either side, centred above or below, moving away step by step.
        candidates = [(ha, 8 if ha == "left" else -8, sign * k * step, k + (ha == far) * 0.5)
                      for k in range(12) for sign in (1, -1) for ha in (near, far)]
        candidates += [("center", 0, sign * (k + 0.8) * step, k + 0.25) for k in range(12) for sign in (1, -1)]
        candidates.sort(key=lambda c: c[3])

        def box(ha: str, dx: float, dy: float) -> Bbox:
            x0 = px + dx * pixels - {"left": 0, "right": width, "center": width / 2}[ha]
            return Bbox.from_bounds(x0, py + dy * pixels - height / 2, width, height)

        def free(candidate: tuple[str, float, float, float]) -> bool:
            b = box(*candidate[:3])
            return inside.x0 <= b.x0 and b.x1 <= inside.x1 and inside.y0 <= b.y0 and b.y1 <= inside.y1 and not _overlaps(b, taken)

        ha, dx, dy, _ = next(filter(free, candidates), candidates[0])
        label.set_ha(ha)
        label.xyann = (dx, dy)
        taken.append(box(ha, dx, dy))
        if abs(dy) >= 1.5 * step:  # away from its point: a leader line from the label to it
            ax.annotate("", (x, y), xytext=(dx, dy), textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.6, "shrinkA": 0, "shrinkB": 3})


@_with_fonts
def scatter(stats: list[CheckpointStats], words: dict[str, str], path: Path) -> None:
    """Facility (x) against discrimination (y), one labelled point per checkpoint, coloured by kind;
    checkpoints whose discrimination is undefined sit in a band below the axis, flagged ones are
    ringed in red. (The page gives the title and the legend.)"""
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    ax.axhspan(-1.05, 0, color="#fbeaea", zorder=0)
    ax.axhspan(UNDEFINED_Y - 0.16, UNDEFINED_Y + 0.16, color="#efefef", zorder=0)
    ax.axhline(0, color="#bbbbbb", lw=0.8, zorder=1)
    note = ax.text(0.01, -0.06, words["scatter_negative"], transform=ax.get_yaxis_transform(), va="top", fontsize=8, color=FLAG_COLOUR)
    points = []
    for s in stats:
        if s.facility is None:
            continue
        y = UNDEFINED_Y if s.discrimination is None else s.discrimination
        flagged = bool(s.flags)
        ax.scatter([s.facility], [y], s=46, color=KIND_COLOURS.get(s.kind, "#555555"), zorder=3,
                   edgecolors=FLAG_COLOUR if flagged else "white", linewidths=2.0 if flagged else 0.8)
        points.append((s.facility, y, s.id, FLAG_COLOUR if flagged else "#222222"))
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(UNDEFINED_Y - 0.16, 1.08)
    ax.set_yticks([UNDEFINED_Y, -1, -0.5, 0, 0.5, 1], [words["undefined"], "−1", "−0.5", "0", "0.5", "1"])
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0", "0.25", "0.5", "0.75", "1"])
    ax.set_xlabel(words["facility_axis"])
    ax.set_ylabel(words["discrimination_axis"])
    fig.tight_layout()
    _place_labels(ax, points, avoid=[note])
    _save(fig, path)


@_with_fonts
def heatmap(reports: list[dict], learners: list[str], stats: list[CheckpointStats], words: dict[str, str], path: Path) -> None:
    """Learners × checkpoints of one assignment, coloured by the share of the points earned (the
    colours of :data:`HEATMAP_LEGEND`), best score at the top; column labels coloured by kind."""
    columns = [s.id for s in stats]
    by_learner = {r["learner"]: r for r in reports}
    rows = sorted(learners, key=lambda l: (l not in by_learner, -by_learner[l]["score"] if l in by_learner else 0, l))
    shares = np.zeros((len(rows), len(columns)))
    special = np.full((len(rows), len(columns)), "", dtype=object)  # a grey or blue cell instead of a share
    for i, learner in enumerate(rows):
        report = by_learner.get(learner)
        results = {c["id"]: c for c in report["checkpoints"]} if report else {}
        for j, cid in enumerate(columns):
            c = results.get(cid)
            if c is None:
                special[i, j] = NOT_SUBMITTED
            elif report.get("error"):
                special[i, j] = NOT_GRADED
            elif c["status"] == PENDING:
                special[i, j] = WAITING
            else:
                shares[i, j] = share(c)
    colours = SHARE_COLOURS(shares)
    for colour in (NOT_SUBMITTED, NOT_GRADED, WAITING):
        colours[special == colour] = matplotlib.colors.to_rgba(colour)
    named = len(rows) <= NAMED_ROWS
    grid_height = 0.24 * len(rows) if named else 4.5
    fig, ax = plt.subplots(figsize=(max(5.0, 0.55 * len(columns) + 2.6), grid_height + 2.2))
    ax.imshow(colours, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right", rotation_mode="anchor", fontsize=9)
    for tick, s in zip(ax.get_xticklabels(), stats):
        tick.set_color(KIND_COLOURS.get(s.kind, "#222222"))
    if named:
        ax.set_yticks(range(len(rows)), rows, fontsize=9 if len(rows) <= 25 else 7)
    else:
        ax.set_yticks([])
        ax.set_ylabel(words["heatmap_rows"].format(n=len(rows)))
    fig.tight_layout()
    _save(fig, path)


@_with_fonts
def weakest_areas(summaries: list[AreaSummary], words: dict[str, str], path: Path) -> None:
    """Per area (assignment × kind): the cohort's mean share of its points, and how many learners have
    it as their weakest area."""
    labels = [f"{a.assignment} · {words[a.kind]}" for a in summaries]
    colours = [KIND_COLOURS.get(a.kind, "#555555") for a in summaries]
    positions = np.arange(len(summaries))
    fig, (left, right) = plt.subplots(1, 2, sharey=True, figsize=(10, 0.34 * len(summaries) + 1.6),
                                      gridspec_kw={"width_ratios": [3, 2]})
    left.barh(positions, [a.mean_share for a in summaries], color=colours)
    left.set_xlim(0, 1)
    left.xaxis.set_major_formatter(PercentFormatter(1.0))
    left.set_yticks(positions, labels)
    left.invert_yaxis()
    left.set_title(words["areas_mean"], loc="left", fontsize=10)
    for y, a in zip(positions, summaries):
        left.text(min(a.mean_share, 0.9) + 0.01, y, f"{a.mean_share:.0%}", va="center", fontsize=8)
    counts = [a.weakest_for for a in summaries]
    right.barh(positions, counts, color=colours)
    right.set_xlim(0, max(1, max(counts, default=0)) * 1.15)
    right.xaxis.get_major_locator().set_params(integer=True)
    right.set_title(words["areas_weakest"], loc="left", fontsize=10)
    for y, n in zip(positions, counts):
        right.text(n, y, f" {n}", va="center", fontsize=8)
    fig.tight_layout()
    _save(fig, path)
