"""Compare plain data (see :mod:`coursekit.plain`) and say what differs without giving the answer.

These functions decide every checkpoint: in the learner's kernel for the self-check and for
plain nbgrader, and in the grader's own process for the hardened path. A reason names the place
and the kind of difference ("values differ at 3 of 10 positions"), never the expected value.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from coursekit.plain import PlainData, describe
from coursekit.vocabulary import REQUEST_TYPES, ROLES


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison: ``score`` is 1.0 for a match, a fraction for partial credit.

    ``attempted`` is False when the learner's value says the exercise was not attempted yet.
    """

    score: float
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    attempted: bool = True

    @property
    def ok(self) -> bool:
        return self.score >= 1.0


MATCH = Verdict(1.0)


def _miss(reason: str) -> Verdict:
    return Verdict(0.0, reason)


def _is_number(value: PlainData) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers_close(actual: float | None, expected: float | None, rtol: float, atol: float) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=rtol, abs_tol=atol)


def _sequence(actual: list, expected: list, where: str, rtol: float, atol: float) -> Verdict:
    if len(actual) != len(expected):
        return _miss(f"{where} has {len(actual)} items, which is not the number expected")
    wrong = [i for i, (a, e) in enumerate(zip(actual, expected)) if not close(a, e, rtol=rtol, atol=atol, where="").ok]
    if wrong:
        return _miss(f"{where} differs at {len(wrong)} of {len(expected)} positions (first at position {wrong[0]})")
    return MATCH


def _tagged(tag: str, actual: dict, expected: dict, where: str, rtol: float, atol: float) -> Verdict:
    a, e = actual[tag], expected[tag]
    if tag == "__series__":
        verdict = _sequence(a["index"], e["index"], f"the index of {where}", 0.0, 0.0)
        return verdict if not verdict.ok else _sequence(a["values"], e["values"], f"the values of {where}", rtol, atol)
    if tag == "__frame__":
        for part in ("columns", "index"):
            verdict = _sequence(a[part], e[part], f"the {part} of {where}", 0.0, 0.0)
            if not verdict.ok:
                return verdict
        return _sequence(a["data"], e["data"], f"the rows of {where}", rtol, atol)
    if tag == "__dict__":
        a_items, e_items = dict(map(tuple, a)) if _hashable(a) else None, dict(map(tuple, e))
        if a_items is None:
            return _miss(f"{where} has keys that are not plain labels")
        missing = [k for k in e_items if k not in a_items]
        extra = [k for k in a_items if k not in e_items]
        if missing or extra:  # the learner's own keys are counted, never quoted
            parts = ([f"missing keys {missing!r}"] if missing else []) + ([f"{len(extra)} unexpected key(s)"] if extra else [])
            return _miss(f"{where} has " + " and ".join(parts))
        for key, value in e_items.items():
            verdict = close(a_items[key], value, rtol=rtol, atol=atol, where=f"{where}[{key!r}]")
            if not verdict.ok:
                return verdict
        return MATCH
    if tag == "__set__":
        return MATCH if a == e else _miss(f"{where} does not hold the expected items")
    if tag == "__axes__":
        return _sequence(a["lines"], e["lines"], f"the lines drawn on {where}", rtol, atol)
    return MATCH if a == e else _miss(f"{where} differs")


def _hashable(pairs: list) -> bool:
    try:
        dict(map(tuple, pairs))
    except TypeError:
        return False
    return True


def close(actual: PlainData, expected: PlainData, *, rtol: float = 1e-6, atol: float = 1e-9, where: str = "the value") -> Verdict:
    """Match when ``actual`` has the shape of ``expected`` and its numbers are within tolerance."""
    if _is_number(expected):
        if not _is_number(actual) and actual is not None:
            return _miss(f"{where} should be a number but is {describe(actual)}")
        return MATCH if _numbers_close(actual, expected, rtol, atol) else _miss(f"{where} is not the expected number")
    if expected is None:  # naming the expected kind would give the answer away
        return MATCH if actual is None else _miss(f"{where} is not the expected value")
    if isinstance(expected, (bool, str)):
        if type(actual) is not type(expected):
            return _miss(f"{where} should be {describe(expected)} but is {describe(actual)}")
        return MATCH if actual == expected else _miss(f"{where} is not the expected {describe(expected)[2:]}")
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return _miss(f"{where} should be a list but is {describe(actual)}")
        return _sequence(actual, expected, where, rtol, atol)
    tag = next(iter(expected))
    if not isinstance(actual, dict) or tag not in actual:
        return _miss(f"{where} should be {describe(expected)} but is {describe(actual)}")
    return _tagged(tag, actual, expected, where, rtol, atol)


def equal(actual: PlainData, expected: PlainData, *, where: str = "the value") -> Verdict:
    """Exact match of plain data (numbers compared exactly)."""
    return close(actual, expected, rtol=0.0, atol=0.0, where=where)


#: Separates alternative roles in a key entry: ``{"Product Manager | Domain Expert": {"work"}}``.
ALTERNATIVES = " | "


def _request_pairs(answer: PlainData, where: str) -> tuple[set[tuple[str, str]], list[str]]:
    """(role, request type) pairs of a communication answer, and notes on names outside the vocabulary."""
    if not isinstance(answer, dict) or "__dict__" not in answer:
        raise ValueError(f"{where} should be a dict {{role: set of request types}}")
    pairs, notes = set(), []
    for role, types in answer["__dict__"]:
        kinds = types["__set__"] if isinstance(types, dict) and "__set__" in types else types
        if isinstance(kinds, str):
            kinds = [kinds]
        if not isinstance(role, str) or not isinstance(kinds, list):
            raise ValueError(f"{where} should map each role name to a set of request types")
        if role not in ROLES:
            notes.append(f"Unknown role {role!r}: use a name from ROLES.")
        for kind in kinds:
            if kind not in REQUEST_TYPES:
                notes.append(f"Unknown request type {kind!r} for {role!r}: use one of {list(REQUEST_TYPES)}.")
            pairs.add((role, str(kind)))
    return pairs, notes


def vocabulary_notes(answer: PlainData, *, where: str = "the answer") -> list[str]:
    """What in a communication answer is not in ``ROLES`` / ``REQUEST_TYPES`` (empty when all is known)."""
    try:
        return _request_pairs(answer, where)[1]
    except ValueError as error:
        return [str(error) + "."]


def _requirements(key: PlainData, groups: list[frozenset[str]]) -> set[tuple[frozenset[str], str]]:
    """(roles that satisfy it, request type) for each pair of the key.

    A key entry names one role or alternatives (``"IT Auditor | Model Risk Manager"``); a group of
    ``either`` that holds one of them adds its roles too.
    """
    requirements = set()
    for entry, kind in _request_pairs(key, "the key")[0]:
        named = frozenset(entry.split(ALTERNATIVES))
        requirements.add((named.union(*(group for group in groups if group & named)), kind))
    return requirements


def overlap(answer: PlainData, key: PlainData, *, either: PlainData = (), where: str = "the answer") -> Verdict:
    """Partial credit for a communication answer: how many of the key's requests it makes, over the
    key's requests plus the requests it makes that the key does not hold.

    Asking every role for everything scores low: each request the key does not hold counts against.
    A key entry may name alternatives, ``{"IT Auditor | Model Risk Manager": {"information"}}``, and
    roles grouped in ``either`` are interchangeable throughout the key: naming one, the other or
    both counts the same. (With neither, this is the Jaccard overlap of the (role, type) pairs.)
    """
    groups = [frozenset(group) for group in either or ()]
    try:
        given, notes = _request_pairs(answer, where)
    except ValueError as error:
        return _miss(str(error))
    wanted = _requirements(key, groups)
    met = {(roles, kind) for roles, kind in wanted if any(role in roles and k == kind for role, k in given)}
    # A request the key does not hold counts once per group of interchangeable roles.
    extra = {(next((g for g in groups if role in g), frozenset([role])), kind) for role, kind in given
             if not any(role in roles and kind == k for roles, k in wanted)}
    asked = len(wanted) + len(extra)
    score = len(met) / asked if asked else 1.0
    reason = "" if score >= 1.0 else f"{where} matches {score:.0%} of the roles and requests the course expects"
    return Verdict(score, reason, notes)


def _lines(axes: PlainData, where: str) -> list[dict] | Verdict:
    if not isinstance(axes, dict) or "__axes__" not in axes:
        return _miss(f"{where}: the function should return the matplotlib Axes it drew on, not {describe(axes)}")
    return axes["__axes__"]["lines"]


def draws(axes: PlainData, values: PlainData, *, rtol: float = 1e-6, atol: float = 1e-9, where: str = "the chart") -> Verdict:
    """Some line of ``axes`` has exactly the y values ``values`` (a list, Series or array)."""
    lines = _lines(axes, where)
    if isinstance(lines, Verdict):
        return lines
    wanted = values["__series__"]["values"] if isinstance(values, dict) and "__series__" in values else values
    if any(close(line["y"], wanted, rtol=rtol, atol=atol).ok for line in lines):
        return MATCH
    return _miss(f"{where}: no line drawn has the values expected")


def draws_level(axes: PlainData, level: PlainData, *, where: str = "the chart") -> Verdict:
    """Some line of ``axes`` is a horizontal line at ``level``."""
    lines = _lines(axes, where)
    if isinstance(lines, Verdict):
        return lines
    if any(line["y"] and all(y is not None and math.isclose(y, level, abs_tol=1e-9) for y in line["y"]) for line in lines):
        return MATCH
    return _miss(f"{where}: no horizontal line at the expected level")


def labelled(axes: PlainData, *, where: str = "the chart") -> Verdict:
    """Both axes of ``axes`` have a label."""
    if not isinstance(axes, dict) or "__axes__" not in axes:
        return _miss(f"{where}: the function should return the matplotlib Axes it drew on, not {describe(axes)}")
    return MATCH if axes["__axes__"]["xlabel"] and axes["__axes__"]["ylabel"] else _miss(f"{where}: an axis has no label")


def one_of(actual: PlainData, allowed: PlainData, *, where: str = "the value") -> Verdict:
    """``actual`` is one of the set ``allowed``; or, for a dict of sets, each value of the dict
    ``actual`` is one of the set under its key (the keys must match)."""
    if isinstance(allowed, dict) and "__set__" in allowed:
        return MATCH if actual in allowed["__set__"] else _miss(f"{where} is not one of the accepted answers")
    if not (isinstance(allowed, dict) and "__dict__" in allowed):
        raise ValueError("one_of needs a set, or a dict of sets, as the accepted answers")
    if not isinstance(actual, dict) or "__dict__" not in actual or not _hashable(actual["__dict__"]):
        return _miss(f"{where} should be a dict but is {describe(actual)}")
    given, accepted = dict(map(tuple, actual["__dict__"])), dict(map(tuple, allowed["__dict__"]))
    missing = [k for k in accepted if k not in given]
    if missing or len(given) != len(accepted):
        return _miss(f"{where} should have exactly the keys {sorted(accepted)!r}")
    wrong = [k for k in accepted if given[k] not in accepted[k]["__set__"]]
    return _miss(f"{where}: the answer for {wrong[0]!r} is not one of the accepted ones") if wrong else MATCH


def at_least(actual: PlainData, bound: PlainData, *, where: str = "the value") -> Verdict:
    """A number no lower than ``bound`` (a score floor such as a minimum R² or AUC)."""
    if not _is_number(actual):
        return _miss(f"{where} should be a number but is {describe(actual)}")
    return MATCH if actual >= bound else _miss(f"{where} is below the bar the course set")


def at_most(actual: PlainData, bound: PlainData, *, where: str = "the value") -> Verdict:
    """A number no higher than ``bound`` (a ceiling such as a maximum error or latency)."""
    if not _is_number(actual):
        return _miss(f"{where} should be a number but is {describe(actual)}")
    return MATCH if actual <= bound else _miss(f"{where} is above the bar the course set")


def _empty(value: PlainData) -> bool:
    if value is None or value == [] or value == "":
        return True
    return isinstance(value, dict) and any(value.get(tag) == [] for tag in ("__dict__", "__set__"))


def answered(answer: PlainData, *, where: str = "the answer") -> Verdict:
    """An empty answer means the exercise is not attempted yet."""
    return Verdict(0.0, f"{where} is still empty", attempted=False) if _empty(answer) else MATCH


def known_roles(answer: PlainData, *, where: str = "the answer") -> Verdict:
    """Every role and request type comes from the course vocabulary; the unknown ones are named."""
    notes = vocabulary_notes(answer, where=where)
    return Verdict(0.0, " ".join(notes), notes) if notes else MATCH


@dataclass(frozen=True)
class CheckKind:
    """One kind of check a test cell can make: ``check.<name>(actual[, expected], what, **options)``."""

    name: str
    judge: Callable[[PlainData, PlainData, str, dict], Verdict]
    takes_expected: bool = True
    options: tuple[str, ...] = ()

    def verdict(self, actual: PlainData, expected: PlainData, what: str, options: dict) -> Verdict:
        """Judge plain ``actual`` against plain ``expected`` (ignored by kinds that take none)."""
        return self.judge(actual, expected, what, options)


def _overlap_or_unanswered(answer: PlainData, key: PlainData, where: str, options: dict) -> Verdict:
    return answered(answer, where=where) if _empty(answer) else overlap(answer, key, where=where, **options)


#: Every kind of check, by method name. The learner's kernel (self-check, plain nbgrader) and the
#: grader's own process both judge through this table, so a check means the same everywhere.
CHECKS: dict[str, CheckKind] = {
    kind.name: kind
    for kind in (
        CheckKind("close", lambda a, e, w, o: close(a, e, where=w, **o), options=("rtol", "atol")),
        CheckKind("equal", lambda a, e, w, o: equal(a, e, where=w)),
        CheckKind("one_of", lambda a, e, w, o: one_of(a, e, where=w)),
        CheckKind("at_least", lambda a, e, w, o: at_least(a, e, where=w)),
        CheckKind("at_most", lambda a, e, w, o: at_most(a, e, where=w)),
        CheckKind("true", lambda a, e, w, o: equal(a, True, where=w), takes_expected=False),
        CheckKind("answered", lambda a, e, w, o: answered(a, where=w), takes_expected=False),
        CheckKind("known_roles", lambda a, e, w, o: known_roles(a, where=w), takes_expected=False),
        CheckKind("overlap", _overlap_or_unanswered, options=("either",)),
        CheckKind("draws", lambda a, e, w, o: draws(a, e, where=w, **o), options=("rtol", "atol")),
        CheckKind("draws_level", lambda a, e, w, o: draws_level(a, e, where=w)),
        CheckKind("labelled", lambda a, e, w, o: labelled(a, where=w), takes_expected=False),
    )
}
