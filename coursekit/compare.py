"""Compare plain data (see :mod:`coursekit.plain`) and say what differs without giving the answer.

These functions decide every check: in the grader's own process from recorded values, in the
learner's self-check the same way, and in the kernel for plain nbgrader and ``check_all()``. A
verdict's :class:`~coursekit.verdicts.Reason` names the place and the kind of difference
("differs at 3 of 10 positions"), never the expected value. Every function here is total on
well-formed plain data (:func:`coursekit.plain.check_plain`): it returns a verdict, it never raises.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from coursekit.plain import PlainData, freeze, kind_of
from coursekit.verdicts import MATCH, Reason, Verdict, miss
from coursekit.vocabulary import REQUEST_TYPES, ROLES

#: Names a learner typed that feedback may quote: short and made of letters (a mistyped role).
_QUOTABLE = re.compile(r"[A-Za-z][A-Za-z/ ]{0,39}")
#: Ask ids, as the course writes them (``a1``, ``env_python``).
ASK_ID = re.compile(r"[a-z][a-z0-9_]{0,15}")


def _is_number(value: PlainData) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers_close(actual: float | None, expected: float | None, rtol: float, atol: float) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=rtol, abs_tol=atol)


def _sequence(actual: list, expected: list, where: str, rtol: float, atol: float, part: str = "items") -> Verdict:
    """Item-wise comparison; ``part`` names what the items are (a ``part.*`` label: items, values, rows, lines)."""
    if len(actual) != len(expected):
        return miss("reason.length", where=where, count=len(actual), part=part)
    wrong = [i for i, (a, e) in enumerate(zip(actual, expected)) if not close(a, e, rtol=rtol, atol=atol, where="").ok]
    if wrong:
        return miss("reason.positions", where=where, wrong=len(wrong), total=len(expected), first=wrong[0], part=part)
    return MATCH


def _pairs(pairs: list) -> dict:
    """A ``__dict__`` value's pairs as a dict keyed by frozen keys (the last of repeated keys wins)."""
    return {freeze(key): value for key, value in pairs}


def _key_names(keys: list) -> str:
    """Expected keys a learner may be told are missing: the documented names of a result's fields."""
    return ", ".join(repr(key) for key in keys[:5] if isinstance(key, str) and len(key) <= 40)


def _dicts(actual: list, expected: list, where: str, rtol: float, atol: float) -> Verdict:
    given, wanted = _pairs(actual), _pairs(expected)
    missing = [key for key in wanted if key not in given]
    extra = [key for key in given if key not in wanted]
    if missing and _key_names(missing):  # the learner's own keys are counted, never quoted
        return miss("reason.missing_keys", where=where, keys=_key_names(missing), extra=len(extra))
    if missing or extra:
        return miss("reason.other_keys", where=where, missing=len(missing), extra=len(extra))
    for key, value in wanted.items():
        label = f"{where}[{key!r}]" if isinstance(key, str) and len(key) <= 40 else where
        verdict = close(given[key], value, rtol=rtol, atol=atol, where=label)
        if not verdict.ok:
            return verdict
    return MATCH


def _tagged(tag: str, actual: dict, expected: dict, where: str, rtol: float, atol: float) -> Verdict:
    a, e = actual[tag], expected[tag]
    if tag == "__series__":
        if not _sequence(a["index"], e["index"], where, 0.0, 0.0).ok:
            return miss("reason.index", where=where)
        return _sequence(a["values"], e["values"], where, rtol, atol, part="values")
    if tag == "__frame__":
        for part in ("columns", "index"):
            if not _sequence(a[part], e[part], where, 0.0, 0.0).ok:
                return miss(f"reason.{part}", where=where)
        return _sequence(a["data"], e["data"], where, rtol, atol, part="rows")
    if tag == "__dict__":
        return _dicts(a, e, where, rtol, atol)
    if tag == "__set__":
        return MATCH if {freeze(x) for x in a} == {freeze(x) for x in e} else miss("reason.set_differs", where=where)
    if tag == "__axes__":
        return _sequence(a["lines"], e["lines"], where, rtol, atol, part="lines")
    return MATCH if a == e else miss("reason.differs", where=where)


def close(actual: PlainData, expected: PlainData, *, rtol: float = 1e-6, atol: float = 1e-9, where: str = "the value") -> Verdict:
    """Match when ``actual`` has the shape of ``expected`` and its numbers are within tolerance."""
    if _is_number(expected):
        if not _is_number(actual) and actual is not None:
            return miss("reason.not_number", where=where, kind=kind_of(actual))
        return MATCH if _numbers_close(actual, expected, rtol, atol) else miss("reason.not_expected_number", where=where)
    if expected is None:  # naming the expected kind would give the answer away
        return MATCH if actual is None else miss("reason.not_expected_value", where=where)
    if isinstance(expected, (bool, str)):
        if type(actual) is not type(expected):
            return miss("reason.wrong_kind", where=where, expected_kind=kind_of(expected), kind=kind_of(actual))
        return MATCH if actual == expected else miss("reason.not_expected_of_kind", where=where, expected_kind=kind_of(expected))
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return miss("reason.wrong_kind", where=where, expected_kind="list", kind=kind_of(actual))
        return _sequence(actual, expected, where, rtol, atol)
    tag = next(iter(expected))
    if not isinstance(actual, dict) or tag not in actual:
        return miss("reason.wrong_kind", where=where, expected_kind=kind_of(expected), kind=kind_of(actual))
    return _tagged(tag, actual, expected, where, rtol, atol)


def equal(actual: PlainData, expected: PlainData, *, where: str = "the value") -> Verdict:
    """Exact match of plain data (numbers compared exactly)."""
    return close(actual, expected, rtol=0.0, atol=0.0, where=where)


def _unknown_role(role: PlainData) -> Reason:
    if isinstance(role, str) and _QUOTABLE.fullmatch(role):
        return Reason("note.unknown_role", {"role": role})
    return Reason("note.unknown_role_unnamed")


def _request_pairs(answer: PlainData) -> tuple[set[tuple[str, str]], list[Reason]] | None:
    """(role, request type) pairs of a communication answer and notes on names outside the
    vocabulary, or ``None`` when it is not a dict of roles to request types."""
    if not (isinstance(answer, dict) and "__dict__" in answer):
        return None
    pairs, notes = set(), []
    for role, types in answer["__dict__"]:
        kinds = types["__set__"] if isinstance(types, dict) and "__set__" in types else types
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(kinds, list):
            return None
        if role not in ROLES:
            notes.append(_unknown_role(role))
        for kind in kinds:
            if kind not in REQUEST_TYPES:
                quotable = isinstance(kind, str) and _QUOTABLE.fullmatch(kind) and role in ROLES
                notes.append(Reason("note.unknown_request_type", {"request": kind, "role": role}) if quotable
                             else Reason("note.unknown_request_type_unnamed"))
            pairs.add((role if isinstance(role, str) else repr(freeze(role)), repr(freeze(kind))))
    return pairs, notes


def vocabulary_notes(answer: PlainData, *, where: str = "the answer") -> list[Reason]:
    """What in a communication answer is not in ``ROLES`` / ``REQUEST_TYPES`` (empty when all is known)."""
    found = _request_pairs(answer)
    return [Reason("reason.not_request_dict", {"where": where})] if found is None else found[1]


#: Separates alternative roles in a key entry: ``{"Product Manager | Domain Expert": {"work"}}``.
ALTERNATIVES = " | "


def _groups(either: PlainData) -> list[frozenset[str]]:
    """``either``'s groups of interchangeable roles."""
    return [frozenset(r for r in group if isinstance(r, str)) for group in (either or []) if isinstance(group, list)]


def _requirements(key_pairs: set[tuple[str, str]], groups: list[frozenset[str]]) -> set[tuple[frozenset[str], str]]:
    """(the roles that satisfy it, request type) for each pair of a key.

    A key entry names one role or alternatives (``"IT Auditor | Model Risk Manager"``); every
    group of ``either`` that holds one of them adds its roles.
    """
    requirements = set()
    for entry, kind in key_pairs:
        named = frozenset(entry.split(ALTERNATIVES))
        requirements.add((named.union(*(group for group in groups if group & named)), kind))
    return requirements


def overlap(answer: PlainData, key: PlainData, *, either: PlainData = (), where: str = "the answer") -> Verdict:
    """Partial credit for a communication answer: the key's requests it makes, over the key's
    requests plus the requests it makes that the key does not hold.

    Asking every role for everything scores low: each request the key does not hold counts against.
    A key entry may name alternatives, ``{"IT Auditor | Model Risk Manager": {"information"}}``, and
    roles grouped in ``either`` are interchangeable throughout the key: naming one, the other or
    both counts the same. (With neither, this is the Jaccard overlap of the (role, type) pairs.)
    """
    groups = _groups(either)
    given, wanted = _request_pairs(answer), _request_pairs(key)
    if given is None or wanted is None:
        return Verdict(0.0, Reason("reason.not_request_dict", {"where": where}), partial=True)
    (given, notes), (key_pairs, _) = given, wanted
    required = _requirements(key_pairs, groups)
    met = {(roles, kind) for roles, kind in required if any(role in roles and k == kind for role, k in given)}
    # A request the key does not hold counts once per group of interchangeable roles.
    extra = {(next((g for g in groups if role in g), frozenset([role])), kind) for role, kind in given
             if not any(role in roles and kind == k for roles, k in required)}
    asked = len(required) + len(extra)
    score = len(met) / asked if asked else 1.0
    reason = None if score >= 1.0 else Reason("reason.overlap", {"where": where, "share": round(100 * score)})
    return Verdict(score, reason, tuple(notes[:3]), partial=True)


def routing(answer: PlainData, key: PlainData, *, where: str = "ROUTING") -> Verdict:
    """Partial credit per ask: the share of the key's asks routed to a role the key accepts.

    ``answer`` maps ask ids to a role name or ``None`` (not now / nobody); ``key`` maps each ask id
    to ``{"roles": [accepted role or None, ...], "why": "..."}``. A missing ask earns nothing;
    unknown role names and ask ids are named in the notes (both are short vocabulary words).
    """
    if not (isinstance(answer, dict) and "__dict__" in answer):
        return Verdict(0.0, Reason("reason.not_routing_dict", {"where": where, "kind": kind_of(answer)}), partial=True)
    given = _pairs(answer["__dict__"])
    accepted = {freeze(ask): _accepted_roles(entry) for ask, entry in (key.get("__dict__", []) if isinstance(key, dict) else [])}
    notes: list[Reason] = []
    for ask, role in given.items():
        if ask not in accepted:
            notes.append(Reason("note.unknown_ask", {"ask": ask}) if isinstance(ask, str) and ASK_ID.fullmatch(ask)
                         else Reason("note.unknown_ask_unnamed"))
        elif role is not None and role not in ROLES:
            notes.append(_unknown_role(role))
    unanswered = [ask for ask in accepted if ask not in given]
    if unanswered:
        notes.append(Reason("note.unanswered_asks", {"count": len(unanswered)}))
    right = sum(1 for ask, roles in accepted.items() if ask in given and freeze(given[ask]) in roles)
    score = right / len(accepted) if accepted else 0.0
    reason = None if score >= 1.0 else Reason("reason.routing", {"where": where, "right": right, "total": len(accepted)})
    return Verdict(score, reason, tuple(notes[:3]), partial=True)


def _accepted_roles(entry: PlainData) -> set:
    fields = _pairs(entry["__dict__"]) if isinstance(entry, dict) and "__dict__" in entry else {}
    roles = fields.get("roles")
    return {freeze(role) for role in roles} if isinstance(roles, list) else set()


def worked_answers(key: PlainData) -> list[dict]:
    """The worked answer a routing key holds: per ask id, its accepted roles and the why."""
    answers = []
    for ask, entry in key.get("__dict__", []) if isinstance(key, dict) else []:
        fields = _pairs(entry["__dict__"]) if isinstance(entry, dict) and "__dict__" in entry else {}
        roles = fields.get("roles") if isinstance(fields.get("roles"), list) else []
        why = fields.get("why") if isinstance(fields.get("why"), str) else ""
        answers.append({"ask": ask, "roles": [r for r in roles if r is None or isinstance(r, str)], "why": why})
    return answers


def _lines(axes: PlainData, where: str) -> list[dict] | Verdict:
    if not isinstance(axes, dict) or "__axes__" not in axes:
        return miss("reason.not_axes", where=where, kind=kind_of(axes))
    return axes["__axes__"]["lines"]


def draws(axes: PlainData, values: PlainData, *, rtol: float = 1e-6, atol: float = 1e-9, where: str = "the chart") -> Verdict:
    """Some line of ``axes`` has exactly the y values ``values`` (a list, Series or array)."""
    lines = _lines(axes, where)
    if isinstance(lines, Verdict):
        return lines
    wanted = values["__series__"]["values"] if isinstance(values, dict) and "__series__" in values else values
    if any(close(line["y"], wanted, rtol=rtol, atol=atol).ok for line in lines):
        return MATCH
    return miss("reason.no_line", where=where)


def draws_level(axes: PlainData, level: PlainData, *, where: str = "the chart") -> Verdict:
    """Some line of ``axes`` is a horizontal line at ``level``."""
    lines = _lines(axes, where)
    if isinstance(lines, Verdict):
        return lines
    if _is_number(level) and any(
        line["y"] and all(_is_number(y) and math.isclose(y, level, abs_tol=1e-9) for y in line["y"]) for line in lines
    ):
        return MATCH
    return miss("reason.no_level", where=where)


def labelled(axes: PlainData, *, where: str = "the chart") -> Verdict:
    """Both axes of ``axes`` have a label."""
    if not isinstance(axes, dict) or "__axes__" not in axes:
        return miss("reason.not_axes", where=where, kind=kind_of(axes))
    return MATCH if axes["__axes__"]["xlabel"] and axes["__axes__"]["ylabel"] else miss("reason.unlabelled", where=where)


def one_of(actual: PlainData, allowed: PlainData, *, where: str = "the value") -> Verdict:
    """``actual`` is one of the set ``allowed``; or, for a dict of sets, each value of the dict
    ``actual`` is one of the set under its key (the keys must match)."""
    if isinstance(allowed, dict) and "__set__" in allowed:
        accepted = {freeze(item) for item in allowed["__set__"]}
        return MATCH if freeze(actual) in accepted else miss("reason.not_one_of", where=where)
    if not (isinstance(actual, dict) and "__dict__" in actual):
        return miss("reason.wrong_kind", where=where, expected_kind="dict", kind=kind_of(actual))
    given = _pairs(actual["__dict__"])
    wanted = _pairs(allowed["__dict__"]) if isinstance(allowed, dict) and "__dict__" in allowed else {}
    if set(given) != set(wanted):
        return miss("reason.exact_keys", where=where, keys=_key_names(sorted(k for k in wanted if isinstance(k, str))))
    for name, accepted in wanted.items():
        options = accepted["__set__"] if isinstance(accepted, dict) and "__set__" in accepted else []
        if freeze(given[name]) not in {freeze(option) for option in options}:
            return miss("reason.not_accepted_at", where=where, key=_key_names([name]) or "?")
    return MATCH


def at_least(actual: PlainData, bound: PlainData, *, where: str = "the value") -> Verdict:
    """A number no lower than ``bound`` (a score floor such as a minimum R² or AUC)."""
    if not _is_number(actual) or math.isnan(actual):
        return miss("reason.not_number", where=where, kind=kind_of(actual))
    return MATCH if _is_number(bound) and actual >= bound else miss("reason.below_bar", where=where)


def at_most(actual: PlainData, bound: PlainData, *, where: str = "the value") -> Verdict:
    """A number no higher than ``bound`` (a ceiling such as a maximum error or latency)."""
    if not _is_number(actual) or math.isnan(actual):
        return miss("reason.not_number", where=where, kind=kind_of(actual))
    return MATCH if _is_number(bound) and actual <= bound else miss("reason.above_bar", where=where)


#: A run of kana or kanji (Japanese is written without spaces between words).
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
#: Characters of Japanese text counted as one word (a Japanese word is about two characters long).
JAPANESE_CHARACTERS_PER_WORD = 2


def count_words(text: str) -> int:
    """The words of ``text`` in either language of the course: words separated by spaces, and in
    Japanese text one word per :data:`JAPANESE_CHARACTERS_PER_WORD` kana or kanji (rounded up)."""
    japanese = _JAPANESE.findall(text)
    rest = _JAPANESE.sub(" ", text).split()
    return len(rest) + sum(math.ceil(len(run) / JAPANESE_CHARACTERS_PER_WORD) for run in japanese)


def words_at_least(texts: PlainData, bound: PlainData, *, where: str = "the text") -> Verdict:
    """Every text of ``texts`` (one text or a list of them) has at least ``bound`` words
    (:func:`count_words`), counted here rather than by the learner's code."""
    items = texts if isinstance(texts, list) else [texts]
    if not items or not all(isinstance(item, str) for item in items):
        return miss("reason.wrong_kind", where=where, expected_kind="str", kind=kind_of(texts))
    fewest = min(count_words(item) for item in items)
    return MATCH if _is_number(bound) and fewest >= bound else miss("reason.too_few_words", where=where, bound=bound)


def _empty(value: PlainData) -> bool:
    if value is None or value == [] or value == "":
        return True
    return isinstance(value, dict) and any(value.get(tag) == [] for tag in ("__dict__", "__set__"))


def answered(answer: PlainData, *, where: str = "the answer") -> Verdict:
    """An empty answer means the exercise is not attempted yet."""
    return Verdict(0.0, Reason("reason.empty", {"where": where}), attempted=False) if _empty(answer) else MATCH


def known_roles(answer: PlainData, *, where: str = "the answer") -> Verdict:
    """Every role and request type comes from the course vocabulary; the unknown ones are named."""
    notes = vocabulary_notes(answer, where=where)
    return Verdict(0.0, notes[0], tuple(notes[:3])) if notes else MATCH


def _values(plain: PlainData) -> list | None:
    """The numbers (or labels) of a list, array or Series, or ``None`` for anything else."""
    if isinstance(plain, dict) and "__series__" in plain:
        return plain["__series__"]["values"]
    return plain if isinstance(plain, list) else None


def _share_within_10pct(y_true: list, y_pred: list) -> float:
    return sum(abs(p - t) <= 0.1 * abs(t) for t, p in zip(y_true, y_pred)) / len(y_true)


#: The metrics ``check.metric`` computes itself: name -> function of (truth, predictions).
METRICS: dict[str, Callable[[list, list], float]] = {
    "r2": lambda t, p: _sklearn("r2_score", t, p),
    "rmse": lambda t, p: _sklearn("root_mean_squared_error", t, p),
    "mae": lambda t, p: _sklearn("mean_absolute_error", t, p),
    "roc_auc": lambda t, p: _sklearn("roc_auc_score", t, p),
    "accuracy": lambda t, p: _sklearn("accuracy_score", t, p),
    "within_10pct": _share_within_10pct,
}


def _sklearn(name: str, y_true: list, y_pred: list) -> float:
    import warnings

    import sklearn.metrics  # here, not at import: the learner's kernel imports this module at start

    with warnings.catch_warnings():  # an undefined metric is NaN, judged below; nothing on stderr
        warnings.simplefilter("ignore")
        return float(getattr(sklearn.metrics, name)(y_true, y_pred))


def metric(predictions: PlainData, truth: PlainData, *, metric: str, at_least: float | None = None,
           at_most: float | None = None, where: str = "the predictions") -> Verdict:
    """The ``metric`` of ``predictions`` against ``truth``, computed here, within the bound(s)."""
    y_pred, y_true = _values(predictions), _values(truth)
    if y_pred is None or y_true is None or len(y_pred) != len(y_true) or not y_true:
        return miss("reason.metric_shape", where=where, metric=metric)
    numeric = metric not in ("accuracy",)
    if numeric and not all(_is_number(v) and math.isfinite(v) for v in y_pred):
        return miss("reason.metric_shape", where=where, metric=metric)
    try:
        value = METRICS[metric](y_true, y_pred)
    except (ValueError, TypeError, ZeroDivisionError):  # one class only, mixed labels, ...
        return miss("reason.metric_undefined", where=where, metric=metric)
    if math.isnan(value):
        return miss("reason.metric_undefined", where=where, metric=metric)
    if at_least is not None and value < at_least:
        return miss("reason.metric_below", where=where, metric=metric)
    if at_most is not None and value > at_most:
        return miss("reason.metric_above", where=where, metric=metric)
    return MATCH


def cell_seconds_at_most(seconds: PlainData, bound: PlainData, *, where: str = "the cell") -> Verdict:
    """The test cell's own wall time, as measured outside the learner's code, within ``bound``."""
    if not _is_number(seconds) or not _is_number(bound) or seconds > bound:
        return miss("reason.too_slow", where=where, seconds=bound if _is_number(bound) else 0)
    return MATCH


@dataclass(frozen=True)
class CheckKind:
    """One kind of check a test cell can make: ``check.<name>(*learner values[, expected], what, **options)``.

    ``learner_args`` values come from the learner's side (recorded in the grader's kernel); the
    ``expected`` side, when the kind takes one, is evaluated only in the reference run;
    ``measured`` kinds are judged on what the grader measured of the cell (its wall time);
    ``imports`` names the modules judging the kind imports on first use (the grader imports them
    while the notebook runs, not after).
    """

    name: str
    judge: Callable[..., Verdict]
    learner_args: int = 1
    takes_expected: bool = True
    options: tuple[str, ...] = ()
    measured: bool = False
    imports: tuple[str, ...] = ()

    @property
    def what_position(self) -> int:
        """The position of the ``what`` description among the call's arguments."""
        return self.learner_args + self.takes_expected

    def verdict(self, actual: list, expected: PlainData, what: str, options: dict, cell_seconds: float | None = None) -> Verdict:
        """Judge the plain learner-side ``actual`` values against plain ``expected``.

        Total: a check given values of the wrong shape misses, a kind's own bug never passes.
        """
        arguments = [*actual, *([expected] if self.takes_expected else [])]
        if self.measured:
            arguments = [cell_seconds, *arguments]
        try:
            return self.judge(*arguments, where=what, **options)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError, OverflowError):
            return miss("reason.unjudgeable", where=what)


def _true(condition: PlainData, *, where: str) -> Verdict:
    return equal(condition, True, where=where)


def _same(value: PlainData, other: PlainData, *, where: str, rtol: float = 1e-6, atol: float = 1e-9) -> Verdict:
    return close(value, other, rtol=rtol, atol=atol, where=where)


def _overlap_or_unanswered(answer: PlainData, key: PlainData, *, where: str, either: PlainData = ()) -> Verdict:
    return answered(answer, where=where) if _empty(answer) else overlap(answer, key, where=where, either=either)


def _routing_or_unanswered(answer: PlainData, key: PlainData, *, where: str) -> Verdict:
    return answered(answer, where=where) if _empty(answer) else routing(answer, key, where=where)


#: Every kind of check, by method name. The learner's kernel (``check_all()``, plain nbgrader) and
#: the grader's own process both judge through this table, so a check means the same everywhere.
CHECKS: dict[str, CheckKind] = {
    kind.name: kind
    for kind in (
        CheckKind("close", close, options=("rtol", "atol")),
        CheckKind("equal", equal),
        CheckKind("one_of", one_of),
        CheckKind("at_least", at_least),
        CheckKind("at_most", at_most),
        CheckKind("words_at_least", words_at_least),
        CheckKind("true", _true, takes_expected=False),
        CheckKind("answered", answered, takes_expected=False),
        CheckKind("known_roles", known_roles, takes_expected=False),
        CheckKind("overlap", _overlap_or_unanswered, options=("either",)),
        CheckKind("routing", _routing_or_unanswered),
        CheckKind("draws", draws, options=("rtol", "atol")),
        CheckKind("draws_level", draws_level),
        CheckKind("labelled", labelled, takes_expected=False),
        CheckKind("same", _same, learner_args=2, takes_expected=False, options=("rtol", "atol")),
        CheckKind("metric", metric, options=("metric", "at_least", "at_most"), imports=("sklearn.metrics",)),
        CheckKind("cell_seconds_at_most", cell_seconds_at_most, learner_args=0, measured=True),
    )
}
