"""The course in every language it is translated into: catalogues, translated releases, words.

The structural checks run for every assignment without a kernel: each catalogue translates the
current English (nothing missing, fuzzy, untranslated, stale, unused or obsolete), each
translation keeps the English's code spans, numbers and placeholders, the translated releases are
what ``make release`` makes of today's catalogues, and their prose cells are in their language.
They fail until the translators have finished: that is their job. The same checks run on a
synthetic catalogue to show that they pass on a complete translation and catch each fault.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tokenize
from html.parser import HTMLParser

import nbformat
import polib
import pytest
from conftest import ASSIGNMENTS, COURSE, MISTAKES, ROOT, write
from synthetic_cohort import synthetic_reports

from autograder.catalogue import CODE, PLACEHOLDER, broken_rule, code_spans, problems, sync_catalogue, translations
from autograder.cells import nbgrader_meta
from autograder.cohort import CohortRun
from autograder.corpus import filled_notebook, mistake_notebook, released_notebook
from autograder.render import RENDERERS
from autograder.report import CheckpointResult, Report
from autograder.summary import write_summary
from autograder.localized_release import RELEASES, localize_assignment, localized_folder, translate_notebook
from autograder.translation import ADDED_SPANS, catalogue_path, course_languages, entries, rule_breaks, translation_table
from coursekit.labels import ENGLISH as LABELS_EN
from coursekit.labels import LOCALE as LABELS
from coursekit.labels import reason_text, text
from coursekit.verdicts import Outcome, Reason, Status
from coursekit.vocabulary import ROLES

LANGS = course_languages()
CASES = [pytest.param(lang, a, id=f"{lang}-{a}") for lang in LANGS for a in ASSIGNMENTS]
#: The script a cell in that language is written in (a language without one is only checked to differ from the English).
SCRIPTS = {"ja": re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")}
_NOT_PROSE = (CODE, re.compile(r"\$[^$\n]+\$"), re.compile(r"\]\([^)\s]*\)"), re.compile(r"<[^>]+>"), re.compile(r"https?://\S+"))
_LATIN = re.compile(r"[A-Za-z]")


def todo(path, wanted) -> dict[str, list[str]]:
    """What the catalogue at ``path`` still lacks to translate ``wanted``, by kind (empty when complete)."""
    return {kind: contexts for kind, contexts in problems(path, wanted).items() if contexts}


def outside_code(markdown: str) -> str:
    """``markdown`` without its code spans and blocks, formulas, link targets, HTML tags and URLs."""
    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    return markdown


def untranslated_cells(nb: nbformat.NotebookNode, english: nbformat.NotebookNode, lang: str) -> list[str]:
    """Ids of the markdown cells of ``nb`` (the release in ``lang``) that are not in ``lang``: the
    same as the English, or (where the language has a script) with fewer of its characters than a
    quarter of the Latin letters. Cells that are only code, and written-answer cells, are left out."""
    english_of = {cell.id: cell.source for cell in english.cells}
    script = SCRIPTS.get(lang)
    left = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or nbgrader_meta(cell).get("solution"):
            continue
        prose = outside_code(cell.source)
        if not _LATIN.search(prose) and (script is None or not script.search(prose)):
            continue  # only code
        own = len(script.findall(prose)) if script else 0
        if cell.source == english_of.get(cell.id) or (script and own * 4 < len(_LATIN.findall(prose))):
            left.append(cell.id)
    return left


def stale_files(made, committed) -> list[str]:
    """The files that differ between two release folders of an assignment (notebooks compared as JSON)."""
    names = {p.relative_to(made) for p in made.rglob("*") if p.is_file()} | {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
    stale = []
    for name in sorted(names):
        new, old = made / name, committed / name
        if not (new.is_file() and old.is_file()):
            stale.append(str(name))
            continue
        a, b = new.read_bytes(), old.read_bytes()
        if name.suffix == ".ipynb":
            a, b = json.loads(a), json.loads(b)
        if a != b:
            stale.append(str(name))
    return stale


def _english_notebook(folder: str, assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)


# --- the course's own catalogues and releases (fail until the translators are done) -------------

@pytest.mark.parametrize("lang, assignment", CASES)
def test_every_catalogue_translates_the_current_english(lang, assignment):
    path = catalogue_path(COURSE, assignment, lang)
    assert todo(path, entries(COURSE.assignment(assignment))) == {}, \
        f"run 'make catalogues', then translate what it lists in {path.relative_to(ROOT)} (docs/TRANSLATING.md)"


@pytest.mark.parametrize("lang, assignment", CASES)
def test_translations_keep_code_spans_numbers_and_placeholders(lang, assignment):
    assert rule_breaks(catalogue_path(COURSE, assignment, lang)) == {}


@pytest.mark.parametrize("lang", LANGS)
def test_the_kits_own_labels_keep_numbers_and_placeholders(lang):
    assert rule_breaks(LABELS / f"{lang}.po") == {}


@pytest.mark.parametrize("lang, assignment", CASES)
def test_translated_release_and_solutions_are_up_to_date(lang, assignment, tmp_path):
    """assignments-<lang>/ and solutions-<lang>/ are what make release makes of the English ones and today's catalogue."""
    table = translation_table(COURSE, assignment, lang)
    for folder in RELEASES:
        made = tmp_path / folder
        localize_assignment(ROOT / folder, made, assignment, table, lang)
        assert stale_files(made, localized_folder(COURSE, folder, lang) / assignment) == [], \
            f"{folder}-{lang}/{assignment} is stale: run 'make release' and commit the result"


@pytest.mark.parametrize("lang, assignment", CASES)
def test_every_prose_cell_of_the_translated_release_is_translated(lang, assignment):
    nb = nbformat.read(localized_folder(COURSE, "assignments", lang) / assignment / f"{assignment}.ipynb", as_version=4)
    assert untranslated_cells(nb, _english_notebook("assignments", assignment), lang) == []


# --- the same checks on synthetic catalogues: they pass on a complete translation, catch each fault --

def placeholder_translation(english: str) -> str:
    """A stand-in Japanese translation: every word outside code spans and placeholders becomes 訳,
    so code spans, numbers, placeholders and markdown structure stay as the rules want."""
    kept = re.compile(f"{CODE.pattern}|{PLACEHOLDER.pattern}", re.DOTALL)
    parts, last = [], 0
    for match in kept.finditer(english):
        parts += [re.sub(r"\w*[A-Za-z]\w*", "訳", english[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(parts + [re.sub(r"\w*[A-Za-z]\w*", "訳", english[last:])])


def _placeholder_catalogue(path, wanted) -> None:
    sync_catalogue(path, wanted, "ja")
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        entry.msgstr = placeholder_translation(entry.msgid)
    po.save(str(path))


def _edit(path, context: str, change) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    change(next(entry for entry in po if entry.msgctxt == context))
    po.save(str(path))


def test_the_checks_report_every_kind_of_fault_of_a_small_catalogue(tmp_path):
    path = tmp_path / "ja.po"
    wanted = [("intro", "Pay **¥1,200** an hour for `hours` hours."), ("what:a.b", "daily_value(20, 7.5) is {n}"),
              ("what:a.b", "a second check"), ("md-owners", "Ask the Product Manager."), ("gone", "Old text")]
    sync_catalogue(path, wanted, "ja")
    po = polib.pofile(str(path), wrapwidth=0)
    translated = {"Pay **¥1,200** an hour for `hours` hours.": "`hours` 時間、時給 **¥1,200** を払います。",
                  "daily_value(20, 7.5) is {n}": "daily_value(20, 7.5) は {n}",
                  "a second check": "二つ目のチェック", "Ask the Product Manager.": "プロダクトマネージャー（`\"Product Manager\"`）に聞きます。",
                  "Old text": "古い文"}
    for entry in po:
        entry.msgstr = translated[entry.msgid]
    po.append(polib.POEntry(msgctxt="older", msgid="Removed long ago", msgstr="昔の文", obsolete=True))
    po.save(str(path))
    assert todo(path, wanted) == {"obsolete": ["older"]}
    assert todo(path, wanted[:-1]) == {"unused": ["gone"], "obsolete": ["older"]}
    assert todo(path, [*wanted, ("new", "A new cell")]) == {"missing": ["new"], "obsolete": ["older"]}
    changed = [("intro", "Pay **¥1,300** an hour for `hours` hours."), *wanted[1:]]
    assert todo(path, changed) == {"stale": ["intro"], "obsolete": ["older"]}  # the English changed under it
    sync_catalogue(path, changed, "ja")  # make catalogues: the old translation becomes a fuzzy suggestion
    assert todo(path, changed) == {"fuzzy": ["intro"]}
    assert ("intro", changed[0][1]) not in translations(path)  # a fuzzy entry is never shown
    _edit(path, "md-owners", lambda entry: setattr(entry, "msgstr", ""))
    assert todo(path, changed)["untranslated"] == ["md-owners"]
    assert rule_breaks(path) == {"intro": ["numbers differ: lost ¥1,300; added ¥1,200"]}  # the suggestion is checked too


@pytest.mark.parametrize("english, translation, broken", [
    ("Pay `x` now.", "今すぐ `y` を払います。", ["code spans lost or changed: `x`", "code spans the English does not have: `y`"]),
    ("Pay `x` now.", "今すぐ払います。", ["code spans lost or changed: `x`"]),
    ("Ask the ML Engineer.", "機械学習エンジニア（`\"ML Engineer\"`）に聞きます。", []),  # a role's identifier may be added
    ("30 days at ¥1,200", "30日間、¥1,200", []),  # a Japanese counter right after a number keeps it a number
    ("30 days at ¥1,200", "30日間、1,200円", ["numbers differ: lost ¥1,200; added 1,200"]),  # no currency conversion
    ("one row per day", "1日1行", ["numbers differ: added 1, 1"]),  # no number the English does not write
    ("one row per day", "一日一行", []),  # counting words may be kanji
    ("{n} of {total} pass", "{total} 件中 {n} 件が合格", []),
    ("{n} of {total} pass", "{n} 件が合格", ["placeholders differ: lost {total}"]),
    ("$\\text{return}(d) = 30 d$", "$\\text{リターン}(d) = 30 d$", []),  # a formula's braces are LaTeX's
    ("1, 3 and 4", "1、3、4", []),
])
def test_a_translation_keeps_code_spans_numbers_and_placeholders(english, translation, broken):
    assert broken_rule(english, translation, ADDED_SPANS) == broken


@pytest.mark.parametrize("assignment", ASSIGNMENTS[:2])
def test_a_complete_translation_passes_every_check_and_each_fault_fails_one(assignment, tmp_path):
    """The course's checks, on a stand-in translation of a real assignment's catalogue."""
    path, wanted = tmp_path / f"{assignment}.po", entries(COURSE.assignment(assignment))
    _placeholder_catalogue(path, wanted)
    assert todo(path, wanted) == {} and rule_breaks(path) == {}
    release = {folder: tmp_path / "release" / folder for folder in RELEASES}
    for folder, out in release.items():
        localize_assignment(ROOT / folder, out, assignment, translations(path), "ja")
    english = _english_notebook("assignments", assignment)
    translated = nbformat.read(release["assignments"] / f"{assignment}.ipynb", as_version=4)
    assert untranslated_cells(translated, english, "ja") == []
    assert untranslated_cells(english, english, "ja") != []  # the English release is caught

    cell = next(c for c in english.cells if c.cell_type == "markdown" and re.search(r"\d", outside_code(c.source)))
    _edit(path, cell.id, lambda entry: setattr(entry, "msgstr", re.sub(r"\d", "9", entry.msgstr, count=1) + " 7"))
    assert cell.id in rule_breaks(path)
    _edit(path, cell.id, lambda entry: entry.flags.append("fuzzy"))
    assert todo(path, wanted) == {"fuzzy": [cell.id]}
    again = tmp_path / "again"
    localize_assignment(ROOT / "assignments", again, assignment, translations(path), "ja")
    assert stale_files(again, release["assignments"]) == [f"{assignment}.ipynb"]  # the committed release would be stale
    assert untranslated_cells(nbformat.read(again / f"{assignment}.ipynb", as_version=4), english, "ja") == [cell.id]
    shutil.rmtree(again)


# --- graded the same: a few kernel runs, shared by the tests below ---------------------------------

GRADED = ASSIGNMENTS[:2]  # the fastest two; the structural checks above cover every assignment
#: learner -> (the release they took, what they submitted)
LEARNERS = {"alice": ("en", "reference"), "hana": ("ja", "reference"), "ken": ("ja", "stub")}


def _submission(assignment: str, lang: str, kind: str) -> nbformat.NotebookNode:
    return filled_notebook(COURSE, assignment, lang=lang) if kind == "reference" else released_notebook(COURSE, assignment, lang)


@pytest.fixture(scope="module")
def mixed_cohort(tmp_path_factory):
    """``autograder cohort`` on an English and a Japanese learner with the reference answers and
    a Japanese learner who submitted the stub, for each of :data:`GRADED`; the output folder."""
    root = tmp_path_factory.mktemp("mixed")
    for learner, (lang, kind) in LEARNERS.items():
        for assignment in GRADED:
            write(_submission(assignment, lang, kind), root / "submitted" / learner / assignment, assignment)
    subprocess.run([sys.executable, "-m", "autograder", "cohort", str(root / "submitted"), "--out", str(root / "out"), "--jobs", "1"],
                   check=True, capture_output=True, text=True, cwd=ROOT, timeout=900)
    return root


def _report(root, learner: str, assignment: str) -> dict:
    return json.loads((root / "out" / learner / f"{assignment}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("assignment", GRADED)
def test_reference_answers_typed_into_the_translated_release_score_full_marks(mixed_cohort, assignment):
    report = _report(mixed_cohort, "hana", assignment)
    assert report["lang"] == "ja"
    assert [(c["id"], c["status"]) for c in report["checkpoints"] if not c["passed"] and c["status"] != "manual"] == []
    assert report["score"] == report["max_score"] - report["pending"] > 0 and not report["notes"]


@pytest.mark.parametrize("assignment", GRADED)
def test_the_translated_stub_scores_zero(mixed_cohort, assignment):
    report = _report(mixed_cohort, "ken", assignment)
    assert report["score"] == 0 and {c["status"] for c in report["checkpoints"]} == {"not_attempted"}
    assert not report["notes"], "the translated stub must not look edited"


@pytest.mark.parametrize("assignment", GRADED)
def test_a_mixed_cohort_gets_each_report_in_its_learners_language_with_equal_points(mixed_cohort, assignment):
    registry = COURSE.assignment(assignment).registry()
    english, japanese = _report(mixed_cohort, "alice", assignment), _report(mixed_cohort, "hana", assignment)
    assert [(c["id"], c["status"], c["points"]) for c in english["checkpoints"]] == \
        [(c["id"], c["status"], c["points"]) for c in japanese["checkpoints"]]
    for report, lang in ((english, "en"), (japanese, "ja")):
        assert report["lang"] == lang
        assert [c["title"] for c in report["checkpoints"]] == [spec.text("title", lang) for spec in registry.checkpoints.values()]
        page = (mixed_cohort / "out" / report["learner"] / f"{assignment}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page


def test_autograder_grade_reads_the_language_from_the_translated_release(mixed_cohort):
    assignment = GRADED[0]
    notebook = mixed_cohort / "submitted" / "hana" / assignment / f"{assignment}.ipynb"
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", str(notebook), "--format", "json"],
                            check=True, capture_output=True, text=True, cwd=ROOT, timeout=600)
    graded, cohort = json.loads(result.stdout), _report(mixed_cohort, "hana", assignment)
    assert graded["lang"] == "ja"
    assert [(c["id"], c["points"]) for c in graded["checkpoints"]] == [(c["id"], c["points"]) for c in cohort["checkpoints"]]


def _english_fragments(assignment: str) -> set[str]:
    """English a Japanese learner should never read from the kit: the fixed parts of every label,
    the checkpoints' English texts and the English descriptions of the assignment's checks."""
    fragments = {part.strip(" .:,()'") for template in LABELS_EN.values() for part in re.split(r"\{\w*\}", template)}
    for spec in COURSE.assignment(assignment).registry().checkpoints.values():
        fragments |= {spec.text(field, "en") for field in ("title", "expected", "hint")}
    fragments |= {english for context, english in entries(COURSE.assignment(assignment)) if context.startswith("what:")}
    return {fragment for fragment in fragments if len(fragment) >= 8 and _LATIN.search(fragment)}


def test_the_self_check_of_the_translated_release_shows_no_english_label(tmp_path):
    assignment = "01_business_understanding"
    folder = tmp_path / assignment
    shutil.copytree(localized_folder(COURSE, "assignments", "ja") / assignment, folder)
    mistake = next(m for m in MISTAKES if m.name == "no_breakeven_line")
    write(mistake_notebook(COURSE, mistake, "ja"), folder, assignment)
    result = subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:xdist", "-p", "no:randomly", "--course-lang", "ja"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    ours = result.stdout.split("= FAILURES =")[1].split("short test summary info")[0]  # what the kit wrote, not pytest's frame
    assert "期待されること" in ours and "ヒント" in ours and "隠しチェック" in ours
    assert sorted(fragment for fragment in _english_fragments(assignment) if fragment in ours) == []


# --- no English label in a translated report or summary (no kernel: reports made from the registries) --

#: English a translated page may keep: library, tool, format and exception names, identifiers the
#: learner types (ROLES, ASKS, request types, role identifiers), units.
ALLOWED = {"pandas", "DataFrame", "Series", "matplotlib", "Axes", "numpy", "sklearn", "scikit-learn", "Jupyter", "JupyterLab",
           "nbgrader", "autograde", "pytest", "Python", "bubblewrap", "bwrap", "Debian", "JSON", "ipynb", "csv", "png", "html",
           "None", "True", "False", "dict", "list", "set", "ROLES", "ASKS", "ROUTING", "REQUESTS", "information", "work", "review",
           "NAME", "assignment", "MiB", "ID", "RMSE", "ROC", "AUC", "R", "r", "z", "PoC", "QCD", "ML", "AI", "KPI", "CSV", "Gradescope", "skops", "joblib", "pickle",
           "elastic", "net", "id", "Go", "No-Go", "go", "no-go", "Kaggle", "Pearson", "Fisher", "Moodle",
           "Order", "Id",  # columns of the Ames data the hints name
           "Web"}  # a loanword Japanese writes in Latin letters
ALLOWED |= {word for role in ROLES for word in re.findall(r"[A-Za-z]+", role)}
#: Identifiers: code spans and quoted names, checkpoint and assignment ids, file names, names with an
#: underscore, a dot or a call, exception names, options, keyword arguments, acronyms and constants
#: (ALL CAPS), CamelCase names (classes, data columns), single letters (a formula's variables).
_IDENTIFIER = re.compile(r"`[^`]*`|'[^'\s]*'|" r'"[^"\s]*"' r"|\b[a-z]{2}\.[a-z0-9_]+\b|\b\d\d_[a-z_]+\b|[\w./-]+\.(?:csv|json|html|png|ipynb)\b"
                         r"|\b\w+_\w+\b|\b\w+\(\)|\b[A-Z]\w*Error\b|--[a-z-]+|\w+\.\w+(?:\.\w+)*|\b\w+=\S*"
                         r"|\b[A-Z][A-Z0-9]+\b|\b[A-Z][a-z]+[A-Z]\w*\b|(?<![\w-])[A-Za-z](?![\w-])")


def english_words(text: str, keep: frozenset[str] = frozenset()) -> list[str]:
    """The English words of ``text`` that are neither identifiers, nor allowed (:data:`ALLOWED`), nor in ``keep``."""
    text = _IDENTIFIER.sub(" ", text)
    return sorted({word for word in re.findall(r"(?<![\w-])[A-Za-z][A-Za-z'-]*(?!\w)", text) if word.strip("'-") not in ALLOWED | keep})


def code_names(assignment: str) -> frozenset[str]:
    """The names of an assignment's code (functions, arguments, constants), the names its code
    quotes as strings (dict keys, column names) and the words of its English prose's code spans
    (the data's columns and values): a translated text may mention them unquoted."""
    names = {word for _, english in entries(COURSE.assignment(assignment)) for span in code_spans(english)
             for word in re.findall(r"[A-Za-z]+", span)}
    for cell in COURSE.assignment(assignment).read_source().cells:
        if cell.cell_type != "code":
            continue
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(cell.source).readline))
        except (tokenize.TokenError, IndentationError):
            continue
        for token in tokens:
            if token.type == tokenize.NAME:
                names.add(token.string)
            elif token.type == tokenize.STRING and re.fullmatch(r"[rbfu]*(['\"])[A-Za-z_]\w*\1", token.string, re.I):
                names.add(token.string.strip("rbfuRBFU'\""))
    return frozenset(names)


class _Text(HTMLParser):
    """The words an HTML page shows: its text (not scripts or styles), and its alt and title attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.shown, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.shown += [value for name, value in attrs if name in ("alt", "title", "aria-label") and value]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.shown.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(re.sub(r"<wbr\s*/?>", "", html))  # a line-break opportunity inside an id is no space
    return "\n".join(parser.shown)


#: Parameters of every reason and note, as the grader fills them (learner text in Japanese, identifiers as they are).
_PARAMS = {"count": 3, "part": "rows", "wrong": 1, "total": 4, "first": 0, "keys": "['a1']", "extra": 1, "missing": 1,
           "kind": "series", "expected_kind": "frame", "share": 50, "right": 2, "key": "'a1'", "metric": "roc_auc",
           "seconds": 5, "error": "KeyError", "role": "上司", "request": "相談", "ask": "a9", "checkpoint": "bu.daily_value",
           "found": "02_analyze", "expected": "01_business_understanding", "assignment": "01_business_understanding",
           "mib": 20, "learner": "山田", "line": 3, "column": 7, "points": 2, "ids": "bu.qcd", "passed": 1}


def _reasons(lang: str, where: str, translate) -> list[str]:
    shown = []
    for key in LABELS_EN:
        if key.startswith(("reason.", "note.")):
            shown.append(reason_text(Reason(key, {**_PARAMS, "where": where}), lang, translate))
    return shown


def translated_reports(assignment: str, lang: str) -> list[Report]:
    """Reports in ``lang`` of ``assignment`` as the grader writes them, every status, reason and
    note among them, the worked answers shown; and one report per reason a submission is refused."""
    registry = COURSE.assignment(assignment).registry()
    table = translation_table(COURSE, assignment, lang)
    whats = [(context.split(":", 1)[1], english) for context, english in entries(COURSE.assignment(assignment)) if context.startswith("what:")]
    statuses = [status for status in Status if status != Status.PASSED] + [Status.PASSED]
    results, reasons = [], iter([])
    for index, spec in enumerate(registry.checkpoints.values()):
        checkpoint, what = whats[index % len(whats)] if whats else (spec.id, spec.id)
        detail = next(reasons, None) or None
        if detail is None:
            reasons = iter(_reasons(lang, what, lambda english, c=checkpoint: table.get((f"what:{c}", english), english)))
            detail = next(reasons)
        status = statuses[index % len(statuses)]
        result = CheckpointResult.of(spec, Outcome(status, 0.5 if status == Status.FAILED else float(status == Status.PASSED)), lang)
        result.detail = "" if status == Status.PASSED else detail
        results.append(result)
    asks = [(context.split(":", 1)[1], english) for context, english in entries(COURSE.assignment(assignment)) if context.startswith("ask:")]
    whys = {context.split(":", 1)[1]: english for context, english in entries(COURSE.assignment(assignment)) if context.startswith("why:")}
    if asks:
        results[-1].answers = [{"ask": ask, "text": table.get((f"ask:{ask}", english), english), "roles": [ROLES[0], None],
                                "why": table.get((f"why:{ask}", whys.get(ask, "")), whys.get(ask, ""))} for ask, english in asks]
    notes = [text(key, lang, **_PARAMS) for key in ("note.cell_edited", "note.cell_deleted", "note.cell_forged", "note.nbgrader")]
    reports = [Report(assignment, registry.title(lang), "hana", results, lang, notes=notes, warnings=[text("note.no_sandbox", lang)])]
    for key in (key for key in LABELS_EN if key.startswith("submission.")):
        reports.append(Report(assignment, registry.title(lang), "hana", [], lang, error=text(key, lang, **{**_PARAMS, "error": "…"})))
    return reports


def _shown(format_name: str, report: Report) -> str:
    """What a learner reads of ``report`` rendered as ``format_name``."""
    rendered = RENDERERS[format_name](report)
    if format_name == "html":
        return page_text(rendered)
    if format_name == "gradescope":
        results = json.loads(rendered)
        return "\n".join([results["output"]] + [f"{test['name']}\n{test['output']}" for test in results["tests"]])
    return rendered


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("format_name", ["text", "markdown", "html", "gradescope"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_translated_report_has_no_english_word_but_code_and_names(assignment, format_name, lang):
    keep = code_names(assignment) | {"hana"}
    left = {word for report in translated_reports(assignment, lang) for word in english_words(_shown(format_name, report), keep)}
    assert sorted(left) == [], f"English in the {lang} {format_name} report of {assignment}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_page_in_a_translated_language_has_no_english_word(lang, tmp_path):
    reports = synthetic_reports(COURSE, 6)
    specs = {(a.name, spec.id): spec for a in COURSE.assignments() for spec in a.registry().checkpoints.values()}
    for report in reports:
        report["lang"], report["assignment_title"] = lang, COURSE.assignment(report["assignment"]).registry().title(lang)
        for result in report["checkpoints"]:
            result |= {field: specs[report["assignment"], result["id"]].text(field, lang) for field in ("title", "expected", "hint")}
    write_summary(CohortRun(reports=reports, graded=len(reports)), tmp_path, lang)
    keep = frozenset(re.findall(r"[a-z]+", " ".join(report["learner"] for report in reports))).union(*map(code_names, ASSIGNMENTS))
    assert english_words(page_text((tmp_path / "summary.html").read_text(encoding="utf-8")), keep) == []


def test_the_summary_pictures_draw_japanese_and_fall_back_to_english_without_a_font(tmp_path, monkeypatch):
    import warnings

    from autograder import figures

    reports = synthetic_reports(COURSE, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of every glyph its fonts lack
        write_summary(CohortRun(reports=reports, graded=len(reports)), tmp_path / "ja", "ja")
    assert figures.japanese_font() is not None
    drawn = []
    monkeypatch.setattr(figures, "japanese_font", lambda: None)
    monkeypatch.setattr(figures, "weakest_areas", lambda areas, words, path: drawn.append(words))
    with pytest.warns(UserWarning, match="pictures are labelled in English"):
        write_summary(CohortRun(reports=reports, graded=len(reports)), tmp_path / "fallback", "ja")
    assert drawn and drawn[0]["areas_mean"] == LABELS_EN["summary.areas_mean"]
