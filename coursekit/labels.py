"""The label table: every word the kit itself shows a learner or an instructor, in every language.

One English template per key lives here; each other language is a gettext catalogue
``coursekit/locale/<lang>.po`` whose entries carry the key as ``msgctxt`` and the English
template as ``msgid`` (what a translator sees in any .po editor). An entry counts only while its
``msgid`` is today's English and it is not fuzzy, so a changed English text falls back to English
until it is translated again (and a kit test fails until then). A third language is one more
catalogue file, nothing else.

The checkpoint texts (title, what was expected, hint) are not here: they live in each
assignment's registry, beside the checks they describe.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from coursekit.verdicts import BUILTIN_ERRORS, Reason

LOCALE = Path(__file__).with_name("locale")

#: key -> English template (``str.format`` fields in braces).
ENGLISH: dict[str, str] = {
    # What a learner's value is, named in a reason.
    "kind.none": "nothing (None or a missing value)",
    "kind.bool": "a True/False value",
    "kind.number": "a number",
    "kind.string": "a string",
    "kind.list": "a list",
    "kind.frame": "a pandas DataFrame",
    "kind.series": "a pandas Series",
    "kind.dict": "a dict",
    "kind.set": "a set",
    "kind.axes": "a matplotlib Axes",
    "kind.date": "a date",
    "kind.unknown": "an unknown value",
    "part.items": "items",
    "part.values": "values",
    "part.rows": "rows",
    "part.lines": "lines drawn",
    "metric.r2": "R²",
    "metric.rmse": "RMSE",
    "metric.mae": "mean absolute error",
    "metric.roc_auc": "ROC AUC",
    "metric.accuracy": "accuracy",
    "metric.within_10pct": "share of predictions within 10 %",
    "error.own": "an exception of its own",
    # Why a check did not hold.
    "reason.length": "{where} has {count} {part}, which is not the number expected",
    "reason.positions": "{where} differs at {wrong} of {total} {part} (the first at position {first})",
    "reason.index": "{where}: the index (the row labels) is not the expected one",
    "reason.columns": "{where}: the columns are not the expected ones",
    "reason.missing_keys": "{where} is missing the keys {keys} (and has {extra} unexpected key(s))",
    "reason.other_keys": "{where} lacks {missing} expected key(s) and has {extra} unexpected key(s)",
    "reason.set_differs": "{where} does not hold the expected items",
    "reason.differs": "{where} differs from what was expected",
    "reason.not_number": "{where} should be a number but is {kind}",
    "reason.not_expected_number": "{where} is not the expected number",
    "reason.not_expected_value": "{where} is not the expected value",
    "reason.wrong_kind": "{where} should be {expected_kind} but is {kind}",
    "reason.not_expected_of_kind": "{where} is not the expected value ({expected_kind})",
    "reason.not_request_dict": "{where} should be a dict {{role: set of request types}}",
    "reason.overlap": "{where} matches {share} % of the roles and requests the course expects",
    "reason.not_routing_dict": "{where} should be a dict {{ask id: role or None}} but is {kind}",
    "reason.routing": "{where} routes {right} of {total} asks to a role the course accepts",
    "reason.not_axes": "{where}: the function should return the matplotlib Axes it drew on, not {kind}",
    "reason.no_line": "{where}: no line drawn has the values expected",
    "reason.no_level": "{where}: no horizontal line at the expected level",
    "reason.unlabelled": "{where}: an axis has no label",
    "reason.not_one_of": "{where} is not one of the accepted answers",
    "reason.exact_keys": "{where} should have exactly the keys {keys}",
    "reason.not_accepted_at": "{where}: the answer for {key} is not one of the accepted ones",
    "reason.below_bar": "{where} is below the bar the course set",
    "reason.too_few_words": "{where} has fewer than {bound} words: write it out as a sentence",
    "reason.above_bar": "{where} is above the bar the course set",
    "reason.empty": "{where} is still empty",
    "reason.metric_shape": "{where}: the {metric} needs one number per row to predict",
    "reason.metric_undefined": "{where}: the {metric} cannot be computed from these predictions",
    "reason.metric_below": "{where}: the {metric} of the predictions is below the bar the course set",
    "reason.metric_above": "{where}: the {metric} of the predictions is above the bar the course set",
    "reason.too_slow": "{where} took longer than the {seconds} s the course allows",
    "reason.unjudgeable": "{where}: the value has a shape this check cannot judge",
    "reason.unplain": "{where}: the value cannot be checked; return plain values, lists, dicts or pandas objects",
    "note.unknown_role": "Unknown role '{role}': use a name from ROLES.",
    "note.unknown_role_unnamed": "A role name is not one of ROLES: use the names exactly as ROLES spells them.",
    "note.unknown_request_type": "Unknown request type '{request}' for '{role}': use information, work or review.",
    "note.unknown_request_type_unnamed": "A request type is not one of information, work or review.",
    "note.unknown_ask": "Unknown ask id '{ask}': use the ids of ASKS.",
    "note.unknown_ask_unnamed": "An ask id is not one of ASKS: use the ids exactly as ASKS spells them.",
    "note.unanswered_asks": "{count} ask(s) have no routing yet.",
    # How a checkpoint ended when it did not pass.
    "reason.never_ran": "This checkpoint's test cell never ran.",
    "reason.timeout": "Your code ran out of time during this checkpoint: look for a loop that never ends.",
    "reason.kernel_died": "The kernel died before this checkpoint finished (the code exited or used too much memory).",
    "reason.not_implemented": "Not attempted yet: a function or answer still raises NotImplementedError.",
    "reason.out_of_memory": "Your code ran out of memory during this checkpoint.",
    "reason.raised": "Your code raised {error} while this checkpoint was checked.",
    "reason.checks_missing": "The checks of this checkpoint did not all run.",
    "reason.nothing_recorded": "This checkpoint's test cell made no check, so it cannot pass: run it as released.",
    "reason.partly": "Partly right: {share} % of the expected answer.",
    "reason.tampered": "This checkpoint's values did not come from the course's own checks in their order, so it is not graded.",
    "reason.kit_failed": "The grader failed while judging this checkpoint (a fault of the kit, not of your code); your instructor has the details.",
    "reason.failed_in_kernel": "A check of this checkpoint did not hold.",
    "reason.manual": "A written answer: your instructor grades it.",
    "reason.manual_empty": "The written answer is still empty.",
    # Words of the reports, the self-check and check_all().
    "status.passed": "passed",
    "status.failed": "failed",
    "status.error": "error",
    "status.not_attempted": "not attempted yet",
    "status.timeout": "out of time",
    "status.crashed": "stopped",
    "status.manual": "to be graded by the instructor",
    "status.later": "visible checks pass; hidden checks are graded later",
    "checkpoint_kind.business": "business",
    "checkpoint_kind.technical": "technical",
    "report.did_not_hold": "This check did not hold: {clause}.",
    "report.score": "Score",
    "report.pending": "{points} point(s) of written answers still to be graded by the instructor",
    "report.missed": "Missed {kind} checkpoints",
    "report.passed": "Passed",
    "report.expected": "Expected",
    "report.hint": "Hint",
    "report.all_passed": "Every checkpoint passed, hidden ones included.",
    "report.notes": "Notes",
    "report.warnings": "Warnings",
    "report.points": "points",
    "report.worked_answer": "Worked answer",
    "report.nobody_now": "nobody at this stage",
    "report.or": " or ",
    "report.not_graded": "not graded",
    "inline.summary": "{passed} of {total} checkpoints pass their visible checks.",
    "selfcheck.item": "checkpoint {checkpoint}",
    "selfcheck.later": "{count} passing checkpoint(s) also have hidden checks that the grader runs later: {ids}",
    # Notes on how a submission was graded.
    "note.cell_edited": "Test cell {checkpoint} was edited; the original was graded.",
    "note.cell_deleted": "Test cell {checkpoint} was deleted; the original was put back and graded.",
    "note.cell_forged": "A cell that looks like a test cell is not the course's: it was run but not graded.",
    "note.nbgrader": "Graded by nbgrader autograde: the hidden tests ran in the learner's kernel.",
    "note.no_sandbox": ("bubblewrap (bwrap) is not installed: learner code ran with resource limits only and could read "
                        "files this user can read. Install Debian's 'bubblewrap' package to isolate it."),
    # Why a submission could not be graded at all (shown to the learner in the report).
    "submission.missing": "The notebook file does not exist: check the path and submit again.",
    "submission.not_text": "The file is not a text notebook file (.ipynb): submit the notebook itself.",
    "submission.empty": "The notebook file is empty: it was not saved. Save it in JupyterLab and submit again.",
    "submission.bad_json": ("The notebook is not valid notebook JSON (line {line}, column {column}): it was damaged outside "
                            "Jupyter. Restore it from a checkpoint or the released copy and submit again."),
    "submission.wrong_format": "The notebook is in notebook format {found}, not 4: open and save it in JupyterLab 4, then submit again.",
    "submission.invalid": "The notebook is not a valid notebook ({error}): open and save it in JupyterLab, then submit again.",
    "submission.wrong_assignment": "This notebook belongs to {found}, not {expected}: submit the {expected} notebook.",
    "submission.unknown_assignment": ("Cannot tell which assignment this notebook is (it has none of the course's test cells): "
                                      "submit the notebook you were given, or grade it with --assignment NAME."),
    "submission.no_notebook": "No notebook was submitted for {assignment}: submit {assignment}.ipynb.",
    "submission.several_notebooks": "Several notebooks were submitted for {assignment}: keep only {assignment}.ipynb and submit again.",
    "submission.too_large": ("The notebook submitted for {assignment} is larger than {mib} MiB: clear its outputs "
                             "(Edit > Clear Outputs of All Cells), save it and submit again."),
    "submission.learner_id": ("Learner id {learner} is not a plain name: use letters, digits, '.', '_' or '-' "
                              "(no slashes, no '..', at most 64 characters). Rename the learner's folder and grade again."),
    # The instructor's cohort summary (autograder.summary, its pictures and checkpoints.csv's flags).
    "summary.page_title": "Cohort summary",
    "summary.run": "{submissions} submission(s) of {learners} learner(s) · {graded} graded in this run · {skipped} unchanged.",
    "summary.left_out": "{n} submission(s) could not be graded at all (see the scores below); the statistics leave them out.",
    "summary.downloads": "Downloads",
    "summary.checkpoints_heading": "Checkpoints",
    "summary.checkpoints_intro": "One row per checkpoint, in course order. Click a column heading to sort by it, again to reverse.",
    'summary.definitions': "Facility: the mean share of the checkpoint's points the learners earned (0: nobody, 1: everyone). Discrimination: Pearson's r between a learner's share of this checkpoint and their share of the rest of the assignment's points; near 1, the learners who did well elsewhere did well here; below 0, the opposite, which usually means a faulty test or expected answer; — where it is undefined (fewer than two learners, or everyone alike).",
    "summary.checkpoint": "checkpoint",
    "summary.assignment": "assignment",
    "summary.kind": "kind",
    "summary.learners": "learners",
    "summary.facility": "facility",
    "summary.discrimination": "discrimination",
    "summary.common_error": "most common error",
    "summary.flag": "flag",
    "summary.passed": "passed",
    "summary.failed": "failed",
    "summary.error": "error",
    "summary.not_attempted": "not attempted",
    "summary.timeout": "timeout",
    "summary.crashed": "crashed",
    "summary.manual": "manual",
    "summary.business": "business",
    "summary.technical": "technical",
    "summary.by_assignment": "By assignment",
    "summary.scatter_alt": "Facility against discrimination of each checkpoint of {assignment}",
    "summary.heatmap_alt": "Share of the points of each checkpoint of {assignment} earned by each learner",
    "summary.areas_heading": "Weakest areas",
    'summary.areas_intro': "An area is the business or the technical checkpoints of one assignment. A learner's weakest area is where they earned the lowest share of the points (of equals, the one missing the most points).",
    "summary.areas_alt": "Mean share of the points per area, and how many learners have each as their weakest area",
    "summary.scores_heading": "Scores",
    'summary.scores_summary': "Each learner's score per assignment and weakest area ({n} learners)",
    "summary.learner": "learner",
    "summary.total": "total",
    "summary.weakest_area": "weakest area",
    "summary.not_graded": "not graded",
    "summary.every_point": "every point earned",
    "summary.refused_heading": "Refused folders",
    "summary.undefined": "undefined",
    "summary.facility_axis": "facility (mean share of the points)",
    "summary.discrimination_axis": "discrimination (r with the rest of the assignment)",
    "summary.scatter_negative": "negative discrimination: check the test",
    "summary.heatmap_rows": "{n} learners, highest score at the top",
    "summary.heatmap_earned": "all points earned",
    "summary.heatmap_half": "half of them",
    "summary.heatmap_missed": "none",
    "summary.heatmap_not_submitted": "not submitted",
    "summary.heatmap_not_graded": "could not be graded",
    "summary.heatmap_waiting": "waiting for a manual grade",
    "summary.legend_kinds": "Points and labels by kind:",
    "summary.legend_flagged": "flagged (see the table)",
    'summary.legend_share': "Heat-map cells: share of the checkpoint's points the learner earned:",
    "summary.areas_mean": "Mean share of the points",
    "summary.areas_weakest": "Learners whose weakest area it is",
    "summary.flag_negative_discrimination": "negative discrimination (r = {r}, {learners} learners): check the test and its expected answer",
    "summary.flag_same_cause": "{count} of {misses} misses are {cause}: a bug in the notebook, or an unclear instruction?",
    "summary.flag_nobody_earned": "none of the {attempted} learners who attempted it earned a point: too hard, or a wrong test?",
    'summary.flags_help': "Flags: negative discrimination, when it is beyond chance (Fisher's z of r below −{z}) over at least {min_learners} learners: those who did well on the rest of the assignment did worse here; the same cause, when more than half of at least {min_misses} misses (answers not attempted aside) are the same error, a timeout or a crash; nobody earned a point, among at least {min_attempts} learners who attempted it.",
    "summary.no_scatter": "No facility × discrimination picture: discrimination is undefined for every checkpoint here (it needs at least two learners whose results differ).",
    "summary.cause_error": "errors without a builtin exception",
    "summary.cause_timeout": "timeouts",
    "summary.cause_crashed": "crashes",
    "summary.terminal_flagged": "Checkpoints that look dubious (checkpoints.csv has every statistic):",
    "summary.terminal_missed": "Checkpoints missed most:",
    "summary.terminal_graded": "Graded {submissions} submission(s) of {learners} learner(s): {graded} graded now, {skipped} unchanged since the last run.",
    "summary.terminal_broken": "{n} submission(s) could not be graded (their reports say why): {which}",
    "summary.terminal_refused": "{n} folder(s) refused:",
    "summary.terminal_page": "Summary page: {page}  (gradebook: {grades}; checkpoint statistics: {checkpoints}; feedback pages: {feedback})",
    # The translated release (autograder.localized_release).
    "release.code_stub": "YOUR CODE HERE",
    "submission.crashed": ("The grader failed on this submission (a fault of the kit, not of your notebook); your instructor "
                           "has the details and will grade it again."),
}

#: Parameters whose value is itself a label (``kind="series"`` is shown as ``kind.series``).
_LABELLED_PARAMS = {"kind": "kind", "expected_kind": "kind", "part": "part", "metric": "metric"}


def languages() -> tuple[str, ...]:
    """English, then every language that has a catalogue, in the order of their codes."""
    return ("en", *sorted(path.stem for path in LOCALE.glob("*.po")))


def check_language(lang: str) -> str:
    """``lang`` if the kit speaks it, else a :class:`ValueError` naming the languages it speaks."""
    if lang not in languages():
        raise ValueError(f"Unknown language {lang!r}: use one of {', '.join(languages())}.")
    return lang


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """key -> translated template of ``lang``, for entries that are current (their ``msgid`` is
    today's English) and not fuzzy."""
    path = LOCALE / f"{lang}.po"
    if lang == "en" or not path.is_file():
        return {}
    import polib  # here: only a kernel that shows a translated label pays for it

    return {
        entry.msgctxt: entry.msgstr
        for entry in polib.pofile(str(path))
        if entry.msgstr and not entry.fuzzy and not entry.obsolete and ENGLISH.get(entry.msgctxt) == entry.msgid
    }


def text(key: str, lang: str = "en", /, translate: Callable[[str], str] | None = None, **params: object) -> str:
    """The label ``key`` in ``lang`` (English where the catalogue has no current entry), filled in.

    Parameters named in ``_LABELLED_PARAMS`` are labels themselves; ``error`` is a builtin
    exception name (any other name is shown as "an exception of its own"); ``where`` is a
    course-written description, shown through ``translate`` when given.
    """
    template = catalogue(lang).get(key) or ENGLISH[key]
    shown = {}
    for name, value in params.items():
        if name in _LABELLED_PARAMS and f"{_LABELLED_PARAMS[name]}.{value}" in ENGLISH:
            value = text(f"{_LABELLED_PARAMS[name]}.{value}", lang)
        elif name == "error":
            value = value if value in BUILTIN_ERRORS else text("error.own", lang)
        elif name == "where" and translate is not None:
            value = translate(str(value))
        shown[name] = value
    return template.format_map(_Blank(shown))


class _Blank(dict):
    """Format fields a reason does not carry are left empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def reason_text(reason: Reason, lang: str = "en", translate: Callable[[str], str] | None = None) -> str:
    """A :class:`~coursekit.verdicts.Reason` as a sentence in ``lang``."""
    key = reason.key if reason.key in ENGLISH else "reason.unjudgeable"
    sentence = text(key, lang, translate, **reason.params)
    if ENGLISH[key].startswith("{where}"):  # a clause about one check, not a sentence of its own
        return text("report.did_not_hold", lang, clause=sentence)
    return sentence
