"""Rewrite a trusted test cell so a kernel records values instead of judging them.

``check.close(daily_value(20, 7.5, 2, 7.5, 1200), 162_000.0, "...")`` becomes
``__course_record__("bu.daily_value", 0, [daily_value(20, 7.5, 2, 7.5, 1200)])`` in the learner's
kernel: the expected side never reaches it. Run on the reference solution (or by the learner's
own self-check) the rewrite keeps the expected side too, and that run gives the values to judge
against. A check is a method call on a name the cell bound to ``Checkpoint(...)``; which of its
arguments are the learner's, which is expected and which is its description, the check table
(:data:`coursekit.compare.CHECKS`) says.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from coursekit.compare import CHECKS, CheckKind

RECORDER = "__course_record__"
_IMPORT = f"from coursekit.record import record as {RECORDER}\n"
#: ``check.earned()``: nbgrader's partial-credit line, not a check.
_EARNED = "earned"


class RecordingError(ValueError):
    """A test cell whose checks the grader cannot read (the course's own bug, not the learner's)."""


@dataclass(frozen=True)
class CallSite:
    """Check number ``site`` of a test cell: its kind, what it checks, and its literal options."""

    site: int
    kind: str
    what: str
    options: dict = field(default_factory=dict)

    @property
    def check(self) -> CheckKind:
        return CHECKS[self.kind]


def _checkers(tree: ast.AST) -> set[str]:
    """The names a cell binds to ``Checkpoint(...)``."""
    return {
        target.id
        for node in ast.walk(tree) if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name) and node.value.func.id == "Checkpoint"
        for target in node.targets if isinstance(target, ast.Name)
    }


def _check_calls(tree: ast.AST) -> list[ast.Call]:
    """Every check call of a cell (``earned()`` excluded), in source order."""
    checkers = _checkers(tree)
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
        and node.func.value.id in checkers and node.func.attr != _EARNED
    ]
    return sorted(calls, key=lambda node: (node.lineno, node.col_offset))


def _site(index: int, call: ast.Call) -> CallSite:
    kind = CHECKS.get(call.func.attr)
    if kind is None:
        raise RecordingError(f"line {call.lineno}: {call.func.value.id}.{call.func.attr} is not a known check")
    if any(isinstance(arg, ast.Starred) for arg in call.args) or len(call.args) != kind.what_position + 1:
        raise RecordingError(f"line {call.lineno}: check.{kind.name} takes {kind.what_position + 1} positional arguments, no *args")
    unknown = [kw.arg for kw in call.keywords if kw.arg not in kind.options]
    if unknown:
        raise RecordingError(f"line {call.lineno}: check.{kind.name} has no option {unknown[0]!r}")
    try:
        what = ast.literal_eval(call.args[kind.what_position])
        options = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
    except ValueError as error:
        raise RecordingError(f"line {call.lineno}: check.{kind.name} needs a literal description and literal options ({error})") from None
    if not isinstance(what, str) or not what:
        raise RecordingError(f"line {call.lineno}: check.{kind.name} needs a description string")
    return CallSite(index, kind.name, what, options)


def call_sites(source: str) -> list[CallSite]:
    """Every check of a test cell, in source order."""
    return [_site(index, call) for index, call in enumerate(_check_calls(ast.parse(source)))]


class _ToRecords(ast.NodeTransformer):
    def __init__(self, checkpoint_id: str, sites: dict[int, int], keep_expected: bool) -> None:
        self.checkpoint_id, self.sites, self.keep_expected = checkpoint_id, sites, keep_expected

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == _EARNED:
            return ast.Pass()  # the grader scores the records instead
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        site = self.sites.get(id(node))
        if site is None:
            return node
        kind = CHECKS[node.func.attr]
        learner = ast.List(node.args[:kind.learner_args], ast.Load())
        expected = node.args[kind.learner_args:kind.learner_args + 1] if kind.takes_expected and self.keep_expected else []
        return ast.Call(ast.Name(RECORDER, ast.Load()), [ast.Constant(self.checkpoint_id), ast.Constant(site), learner, *expected], [])


def recording_tree(source: str, checkpoint_id: str, *, keep_expected: bool) -> ast.Module:
    """The cell's code with every check turned into a record of its learner-side (and expected) values."""
    tree = ast.parse(source)
    sites = {id(call): site for site, call in enumerate(_check_calls(tree))}
    return ast.fix_missing_locations(_ToRecords(checkpoint_id, sites, keep_expected).visit(tree))


def loaded_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _targets(target: ast.expr) -> set[str] | None:
    """The names an assignment target binds, or ``None`` when it also writes elsewhere (``x[0] = ...``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        names = [_targets(element.value if isinstance(element, ast.Starred) else element) for element in target.elts]
        return None if any(n is None for n in names) else set().union(*names)
    return None


def defined(statement: ast.stmt) -> set[str] | None:
    """The names a top-level definition binds (``def``, ``class``, plain assignment), else ``None``."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        names = [_targets(target) for target in statement.targets]
        return None if any(n is None for n in names) else set().union(*names)
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return _targets(statement.target)
    return None


def _reads(statement: ast.stmt) -> set[str]:
    """The names a statement reads (``x += 1`` reads ``x`` too)."""
    augmented = {node.target.id for node in ast.walk(statement) if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)}
    return loaded_names(statement) | augmented


def prune(trees: list[ast.Module]) -> None:
    """Drop, from the test cells (``trees``, in the notebook's order), every top-level definition
    that no later statement reads before the name is bound again: what only the expected side of
    some check needed.

    A helper or a value computed for the expected side alone would otherwise sit in the learner's
    kernel, where learner code could call or read it. Liveness runs backwards through the cells,
    so a name some other cell binds and reads for itself keeps nothing alive here. A function or
    class body reads its globals when it is called, not where it stands: the names a kept body
    reads stay wherever they are bound (repeated until nothing more is pinned).
    """
    pinned: set[str] = set()
    while True:
        bodies, body_reads = _live_statements(trees, pinned)
        if body_reads <= pinned:
            break
        pinned |= body_reads
    for tree, body in zip(trees, bodies):
        tree.body = body


def _live_statements(trees: list[ast.Module], pinned: set[str]) -> tuple[list[list[ast.stmt]], set[str]]:
    """One backward pass of :func:`prune`: each tree's statements still needed (definitions of
    ``pinned`` names always are), and the names the kept function and class bodies read."""
    bodies, body_reads, live = [], set(), set()
    for tree in reversed(trees):
        kept = []
        for statement in reversed(tree.body):
            if (names := defined(statement)) is not None:
                if not names & (live | pinned):
                    continue
                statement = _trimmed(statement, live | pinned)
                live -= defined(statement)
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                body_reads |= _reads(statement)
            live |= _reads(statement)
            kept.append(statement)
        bodies.append(kept[::-1] or [ast.Pass()])
    return bodies[::-1], body_reads


def _trimmed(statement: ast.stmt, used: set[str]) -> ast.stmt:
    """``a, b = x, y`` without the pairs whose name nothing uses (the statement itself when none goes)."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(target := statement.targets[0], (ast.Tuple, ast.List)) and isinstance(statement.value, (ast.Tuple, ast.List))
            and len(target.elts) == len(statement.value.elts) and all(isinstance(e, ast.Name) for e in target.elts)):
        return statement
    pairs = [(name, value) for name, value in zip(target.elts, statement.value.elts) if name.id in used]
    if len(pairs) == len(target.elts):
        return statement
    names, values = zip(*pairs)
    if len(pairs) == 1:
        trimmed = ast.Assign([names[0]], values[0])
    else:
        trimmed = ast.Assign([ast.Tuple(list(names), ast.Store())], ast.Tuple(list(values), ast.Load()))
    return ast.fix_missing_locations(ast.copy_location(trimmed, statement))


def to_source(tree: ast.Module) -> str:
    return _IMPORT + ast.unparse(tree)
