"""Rewrite a trusted test cell so a kernel records values instead of judging them.

``check.close(daily_value(20, 7.5, 2, 7.5, 1200), 162_000.0, "...")`` becomes
``__course_record__("bu.daily_value", 0, daily_value(20, 7.5, 2, 7.5, 1200))`` in the learner's
kernel: the expected side never reaches it. Run on the reference solution, the rewrite keeps
the expected side too, and that run gives the values the learner's are judged against.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from coursekit.compare import CHECKS

RECORDER = "__course_record__"
_IMPORT = f"from coursekit.checks import record as {RECORDER}\n"


class RecordingError(ValueError):
    """A test cell whose checks the grader cannot read (the course's own bug, not the learner's)."""


@dataclass(frozen=True)
class CallSite:
    """Check number ``site`` of a test cell: its kind, what it checks, and its literal options."""

    site: int
    kind: str
    what: str
    options: dict = field(default_factory=dict)


def _check_calls(tree: ast.AST) -> list[ast.Call]:
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "check"
    ]
    return sorted(calls, key=lambda node: (node.lineno, node.col_offset))


def _site(index: int, call: ast.Call) -> CallSite:
    kind = CHECKS.get(call.func.attr)
    if kind is None:
        raise RecordingError(f"line {call.lineno}: check.{call.func.attr} is not a known check")
    what_at = 2 if kind.takes_expected else 1
    try:
        what = ast.literal_eval(call.args[what_at])
        options = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg in kind.options}
    except (IndexError, ValueError) as error:
        raise RecordingError(f"line {call.lineno}: check.{kind.name} needs a literal description and literal options ({error})") from None
    return CallSite(index, kind.name, what, options)


def call_sites(source: str) -> list[CallSite]:
    """Every check of a test cell, in source order (``check.earned()`` is not a check)."""
    calls = [c for c in _check_calls(ast.parse(source)) if c.func.attr != "earned"]
    return [_site(index, call) for index, call in enumerate(calls)]


class _ToRecords(ast.NodeTransformer):
    def __init__(self, checkpoint_id: str, keep_expected: bool) -> None:
        self.checkpoint_id, self.keep_expected = checkpoint_id, keep_expected
        self.sites: dict[int, int] = {}

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "earned":
            return ast.Pass()  # nbgrader's partial-credit line: the grader scores the records instead
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        site = self.sites.get(id(node))
        if site is None:
            return node
        kind = CHECKS[node.func.attr]
        values = node.args[:2] if kind.takes_expected and self.keep_expected else node.args[:1]
        return ast.Call(ast.Name(RECORDER, ast.Load()), [ast.Constant(self.checkpoint_id), ast.Constant(site), *values], [])


def recording_tree(source: str, checkpoint_id: str, *, keep_expected: bool) -> ast.Module:
    """The cell's code with every check turned into a record of its actual (and expected) value."""
    tree = ast.parse(source)
    transformer = _ToRecords(checkpoint_id, keep_expected)
    checks = [call for call in _check_calls(tree) if call.func.attr != "earned"]
    transformer.sites = {id(call): site for site, call in enumerate(checks)}
    return ast.fix_missing_locations(transformer.visit(tree))


def loaded_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _defines_only(statement: ast.stmt, unused: set[str]) -> bool:
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return statement.name in unused
    if isinstance(statement, ast.Assign):
        return all(isinstance(t, ast.Name) and t.id in unused for t in statement.targets)
    return False


def prune(tree: ast.Module, used_elsewhere: set[str]) -> ast.Module:
    """Drop top-level definitions nothing uses any more: what only the expected side needed.

    A helper or a value computed for the expected side alone would otherwise sit in the learner's
    kernel, where learner code could call or read it.
    """
    while True:
        used = loaded_names(tree) | used_elsewhere
        body = [s for s in tree.body if not _defines_only(s, {n for n in _defined(s) if n not in used})]
        if len(body) == len(tree.body):
            return tree
        tree.body = body or [ast.Pass()]


def _defined(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        return {t.id for t in statement.targets if isinstance(t, ast.Name)}
    return set()


def to_source(tree: ast.Module) -> str:
    return _IMPORT + ast.unparse(tree)
