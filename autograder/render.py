"""Render a :class:`Report` as text, Markdown, JSON, Gradescope's results or an HTML feedback page.

Misses come first, business before technical, each with what was expected and a hint. Only a
report whose every checkpoint passed says so. Every word comes from the label table
(:mod:`coursekit.labels`) in the report's language; learner-controlled text is escaped in HTML.
"""
from __future__ import annotations

import json
from functools import cache

from coursekit.labels import ENGLISH, text

from autograder.report import CheckpointResult, Report

_WORD_PREFIXES = ("report.", "status.", "checkpoint_kind.")


def words(lang: str) -> dict[str, str]:
    """Every report word in ``lang``, by its key without the prefix (``score``, ``passed``, ``business``...)."""
    return {key.split(".", 1)[1]: text(key, lang) for key in ENGLISH if key.startswith(_WORD_PREFIXES) and "{" not in ENGLISH[key]}


@cache
def _environment():
    from jinja2 import Environment, PackageLoader  # here: the CLI's start pays for it only when it renders HTML

    return Environment(loader=PackageLoader("autograder"), autoescape=True, trim_blocks=True, lstrip_blocks=True)


def template(name: str):
    """The kit's Jinja template ``name`` (every one autoescapes)."""
    return _environment().get_template(name)


def _sections(report: Report) -> list[tuple[str, list[CheckpointResult]]]:
    lang = report.lang
    return [
        (text("report.missed", lang, kind=text(f"checkpoint_kind.{kind}", lang)), report.missed(kind))
        for kind in ("business", "technical")
        if report.missed(kind)
    ]


def answer_lines(result: CheckpointResult, lang: str) -> list[str]:
    """One line per ask of a worked answer: the ask, the roles it goes to, and why."""
    lines = []
    for answer in result.answers:
        roles = text("report.or", lang).join(role if role else text("report.nobody_now", lang) for role in answer["roles"])
        lines.append(f"{answer['ask']}. {answer.get('text', '')} → {roles}: {answer['why']}")
    return lines


def _status(result: CheckpointResult, lang: str) -> str:
    return text(f"status.{result.status}", lang)


def _score_line(report: Report) -> str:
    line = f"{text('report.score', report.lang)}: {report.score:g} / {report.max_score:g}"
    return line + (f" ({text('report.pending', report.lang, points=f'{report.pending:g}')})" if report.pending else "")


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def to_text(report: Report) -> str:
    lang = report.lang
    lines = [f"{report.assignment} — {report.assignment_title} — {report.learner}", _score_line(report)]
    for heading, misses in _sections(report):
        lines += ["", f"{heading}:"]
        for c in misses:
            lines.append(f"  ✗ {c.id} [{_status(c, lang)}] {c.points:g}/{c.max_points:g} — {c.title}")
            lines.append(f"      {text('report.expected', lang)}: {c.expected}")
            lines.append(f"      {text('report.hint', lang)}: {c.hint}")
            if c.detail:
                lines.append(f"      {c.detail}")
    manual = [c for c in report.checkpoints if c.status == "manual"]
    if manual:
        lines += [""] + [f"  … {c.id} [{_status(c, lang)}] {c.max_points:g} — {c.title}" for c in manual]
    passed = [c.id for c in report.checkpoints if c.passed]
    if passed:
        lines += ["", f"{text('report.passed', lang)}: " + ", ".join(passed)]
    answered = [c for c in report.checkpoints if c.answers]
    for c in answered:
        lines += ["", f"{text('report.worked_answer', lang)} — {c.id}:"] + [f"  {line}" for line in answer_lines(c, lang)]
    if not report.missed() and not manual:
        lines += ["", text("report.all_passed", lang)]
    for key in ("notes", "warnings"):
        if getattr(report, key):
            lines += ["", f"{text(f'report.{key}', lang)}:"] + [f"  - {line}" for line in getattr(report, key)]
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    lang = report.lang
    lines = [f"# {report.assignment} — {report.assignment_title}", "", f"**{report.learner}** · {_score_line(report)}"]
    for heading, misses in _sections(report):
        lines += ["", f"## {heading}", ""]
        for c in misses:
            lines.append(f"- **{c.title}** (`{c.id}`, {_status(c, lang)}, {c.points:g}/{c.max_points:g})  ")
            lines.append(f"  {text('report.expected', lang)}: {c.expected}  ")
            lines.append(f"  {text('report.hint', lang)}: {c.hint}" + (f"  \n  {c.detail}" if c.detail else ""))
    passed = [f"`{c.id}`" for c in report.checkpoints if c.passed]
    if passed:
        lines += ["", f"{text('report.passed', lang)}: " + ", ".join(passed)]
    for c in (c for c in report.checkpoints if c.answers):
        lines += ["", f"## {text('report.worked_answer', lang)} — `{c.id}`", ""] + [f"- {line}" for line in answer_lines(c, lang)]
    if not report.missed() and not report.pending:
        lines += ["", text("report.all_passed", lang)]
    return "\n".join(lines) + "\n"


def to_gradescope(report: Report) -> str:
    """Gradescope's ``results.json``: one test per checkpoint, hidden ones shown after publishing."""
    lang = report.lang
    tests = []
    for c in report.checkpoints:
        pending = c.status == "manual"
        output = ([_status(c, lang)] if pending else [] if c.passed else
                  [f"{text('report.expected', lang)}: {c.expected}", f"{text('report.hint', lang)}: {c.hint}", c.detail])
        if c.answers:
            output += [f"{text('report.worked_answer', lang)}:", *answer_lines(c, lang)]
        tests.append({
            "name": f"{c.id}: {c.title}",
            "score": c.points,
            "max_score": c.max_points,
            # a written answer waiting for the instructor has neither passed nor failed
            **({} if pending else {"status": "passed" if c.passed else "failed"}),
            "output": "\n".join(line for line in output if line),
            "tags": [c.kind],
            "visibility": "after_published" if c.hidden else "visible",
        })
    output = report.error or "\n".join(report.notes + report.warnings)
    return json.dumps({"score": report.score, "output": output, "tests": tests}, ensure_ascii=False, indent=2)


def to_html(report: Report) -> str:
    manual = [c for c in report.checkpoints if c.status == "manual"]
    return template("feedback.html.j2").render(
        report=report, sections=_sections(report), words=words(report.lang), score_line=_score_line(report),
        manual=manual, answered=[(c, answer_lines(c, report.lang)) for c in report.checkpoints if c.answers],
        status=lambda c: _status(c, report.lang),
    )


RENDERERS = {"text": to_text, "json": to_json, "markdown": to_markdown, "html": to_html, "gradescope": to_gradescope}
