"""Render a :class:`Report` as text, Markdown, JSON or an HTML feedback page.

Misses come first, business before technical, each with what was expected and a hint. Only a
report whose every checkpoint passed says so; learner-controlled text is escaped in HTML.
"""
from __future__ import annotations

import json

from jinja2 import Environment, PackageLoader

from autograder.report import Report

_LABELS = {
    "en": {
        "score": "Score", "missed": "Missed {kind} checkpoints", "passed": "Passed",
        "business": "business", "technical": "technical", "expected": "Expected", "hint": "Hint",
        "all_passed": "Every checkpoint passed, hidden ones included.", "notes": "Notes", "warnings": "Warnings",
        "points": "points",
    },
    "ja": {
        "score": "得点", "missed": "未達成の{kind}チェックポイント", "passed": "達成",
        "business": "ビジネス", "technical": "技術", "expected": "期待されること", "hint": "ヒント",
        "all_passed": "隠しテストを含め、すべてのチェックポイントを達成しました。", "notes": "注意", "warnings": "警告",
        "points": "点",
    },
}

environment = Environment(loader=PackageLoader("autograder"), autoescape=True, trim_blocks=True, lstrip_blocks=True)


def labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang, _LABELS["en"])


def _sections(report: Report) -> list[tuple[str, list]]:
    words = labels(report.lang)
    return [
        (words["missed"].format(kind=words[kind]), report.missed(kind))
        for kind in ("business", "technical")
        if report.missed(kind)
    ]


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def to_text(report: Report) -> str:
    words = labels(report.lang)
    lines = [f"{report.assignment} — {report.assignment_title} — {report.learner}",
             f"{words['score']}: {report.score:g} / {report.max_score:g}"]
    for heading, misses in _sections(report):
        lines += ["", f"{heading}:"]
        for c in misses:
            lines.append(f"  ✗ {c.id} [{c.status}] {c.points:g}/{c.max_points:g} — {c.title}")
            lines.append(f"      {words['expected']}: {c.expected}")
            lines.append(f"      {words['hint']}: {c.hint}")
            if c.detail:
                lines.append(f"      {c.detail}")
    passed = [c.id for c in report.checkpoints if c.passed]
    if passed:
        lines += ["", f"{words['passed']}: " + ", ".join(passed)]
    if not report.missed():
        lines += ["", words["all_passed"]]
    for key in ("notes", "warnings"):
        if getattr(report, key):
            lines += ["", f"{words[key]}:"] + [f"  - {text}" for text in getattr(report, key)]
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    words = labels(report.lang)
    lines = [f"# {report.assignment} — {report.assignment_title}", "",
             f"**{report.learner}** · {words['score']}: **{report.score:g} / {report.max_score:g}**"]
    for heading, misses in _sections(report):
        lines += ["", f"## {heading}", ""]
        for c in misses:
            lines.append(f"- **{c.title}** (`{c.id}`, {c.status}, {c.points:g}/{c.max_points:g})  ")
            lines.append(f"  {words['expected']}: {c.expected}  ")
            lines.append(f"  {words['hint']}: {c.hint}" + (f"  \n  {c.detail}" if c.detail else ""))
    passed = [f"`{c.id}`" for c in report.checkpoints if c.passed]
    if passed:
        lines += ["", f"{words['passed']}: " + ", ".join(passed)]
    if not report.missed():
        lines += ["", words["all_passed"]]
    return "\n".join(lines) + "\n"


def to_gradescope(report: Report) -> str:
    """Gradescope's ``results.json``: one test per checkpoint, hidden ones shown after publishing."""
    words = labels(report.lang)
    tests = [
        {
            "name": f"{c.id}: {c.title}",
            "score": c.points,
            "max_score": c.max_points,
            "status": "passed" if c.passed else "failed",
            "output": "" if c.passed else f"{words['expected']}: {c.expected}\n{words['hint']}: {c.hint}\n{c.detail}".strip(),
            "tags": [c.kind],
            "visibility": "after_published" if c.hidden else "visible",
        }
        for c in report.checkpoints
    ]
    output = report.error or "\n".join(report.notes + report.warnings)
    return json.dumps({"score": report.score, "output": output, "tests": tests}, ensure_ascii=False, indent=2)


def to_html(report: Report) -> str:
    return environment.get_template("feedback.html.j2").render(
        report=report, sections=_sections(report), words=labels(report.lang)
    )


RENDERERS = {"text": to_text, "json": to_json, "markdown": to_markdown, "html": to_html, "gradescope": to_gradescope}
