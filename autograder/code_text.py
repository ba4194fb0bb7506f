"""The prose inside a code cell: its comments, its docstrings and the strings of a literal dict.

:func:`code_texts` finds what a learner reads in a cell (a run of full-line comments is one
text; a comment that is itself code, and nbgrader's markers, are not prose), and
:func:`replace_code_texts` writes other words in their place and changes nothing else, so the
code of a translated cell is the English cell's code, token for token.
"""
from __future__ import annotations

import ast
import inspect
import io
import json
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

#: nbgrader's marker lines and the stub's own line: never prose of the course.
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
#: The comment nbgrader writes into every stub (``ClearSolutions.code_stub``): a label of the kit.
CODE_STUB = "YOUR CODE HERE"
#: Characters of translated text per line of a string literal split over lines.
LITERAL_WIDTH = 40


@dataclass(frozen=True)
class CodeText:
    """One text of a cell: a comment (``role`` "comment") or a docstring ("docstring of NAME")."""

    role: str
    english: str
    #: (line, column) of its first and past its last character, as :mod:`tokenize` counts them.
    start: tuple[int, int]
    end: tuple[int, int]


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(source).readline))


def _is_code(text: str) -> bool:
    """A comment that is a line of Python (``# payback_day(...)``) shows code, not prose."""
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _comments(tokens: list[tokenize.TokenInfo], lines: list[str]) -> list[CodeText]:
    """Comments, a run of full-line comments at one indentation being one text."""
    found: list[CodeText] = []
    run: list[tokenize.TokenInfo] = []

    def close() -> None:
        if run:
            found.append(CodeText("comment", "\n".join(t.string[1:].strip() for t in run), run[0].start, run[-1].end))
            run.clear()

    for token in tokens:
        if token.type != tokenize.COMMENT:
            if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                close()
            continue
        body = token.string[1:].strip()
        line, column = token.start
        full_line = not lines[line - 1][:column].strip()
        if token.string.strip() in MARKERS or body == CODE_STUB or not body or _is_code(body):
            close()
            continue
        if not full_line:
            close()
            found.append(CodeText("comment", body, token.start, token.end))
        elif run and (run[-1].start[0] != line - 1 or run[-1].start[1] != column):
            close()
            run.append(token)
        else:
            run.append(token)
    close()
    return found


def _docstrings(tree: ast.AST, tokens: list[tokenize.TokenInfo]) -> list[CodeText]:
    strings = {token.start[0]: token for token in tokens if token.type == tokenize.STRING}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            token = strings.get(first.lineno)
            if token is not None and token.end[0] == first.end_lineno:
                found.append(CodeText(f"docstring of {node.name}", inspect.cleandoc(first.value.value), token.start, token.end))
    return found


def code_texts(source: str) -> list[CodeText]:
    """The comments and docstrings of ``source``, in the order they appear (none if it does not parse)."""
    try:
        tree = ast.parse(source)
        tokens = _tokens(source)
    except (SyntaxError, tokenize.TokenError):
        return []
    found = _comments(tokens, source.split("\n")) + _docstrings(tree, tokens)
    return sorted(found, key=lambda text: text.start)


def _offsets(source: str) -> list[int]:
    """The character offset at which each line of ``source`` starts (line 1 first)."""
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _splice(source: str, replacements: list[tuple[tuple[int, int], tuple[int, int], str]]) -> str:
    """``source`` with each span (start, end as (line, column)) replaced, last first."""
    starts = _offsets(source)
    for start, end, new in sorted(replacements, reverse=True):
        begin, stop = starts[start[0] - 1] + start[1], starts[end[0] - 1] + end[1]
        source = source[:begin] + new + source[stop:]
    return source


def _comment(text: CodeText, translated: str, source_lines: list[str]) -> str:
    """A comment of one or more lines; after code on its line, one line."""
    body = [line.strip() for line in translated.strip().splitlines()] or [""]
    if source_lines[text.start[0] - 1][: text.start[1]].strip():
        return "# " + " ".join(body)
    return ("\n" + " " * text.start[1]).join(f"# {line}".rstrip() for line in body)


def _docstring(text: CodeText, translated: str) -> str:
    indent = " " * text.start[1]
    lines = [line.rstrip() for line in translated.strip().replace('"""', '\\"\\"\\"').splitlines()] or [""]
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    return '"""' + lines[0] + "".join(f"\n{indent}{line}" if line else "\n" for line in lines[1:]) + f"\n{indent}" + '"""'


def replace_code_texts(source: str, translate: Callable[[CodeText], str | None]) -> str:
    """``source`` with each comment and docstring ``translate`` gives a text for written in it
    (the others, and all the code, unchanged)."""
    lines = source.split("\n")
    replacements = []
    for text in code_texts(source):
        translated = translate(text)
        if translated:
            new = _docstring(text, translated) if text.role != "comment" else _comment(text, translated, lines)
            replacements.append((text.start, text.end, new))
    return _splice(source, replacements)


def replace_code_stub(source: str, stub: str) -> str:
    """``source`` with nbgrader's ``# YOUR CODE HERE`` comment saying ``stub`` instead."""
    replacements = [(t.start, t.end, f"# {stub}") for t in _tokens(source)
                    if t.type == tokenize.COMMENT and t.string[1:].strip() == CODE_STUB]
    return _splice(source, replacements)


def literal_dict(source: str, name: str) -> ast.Dict | None:
    """The literal dict a top-level statement assigns to ``name`` (``ASKS = {...}``), if any."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for statement in tree.body:
        target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        if target is None and isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target = statement.target
        if isinstance(target, ast.Name) and target.id == name and isinstance(statement.value, ast.Dict):
            return statement.value
    return None


def _literal(text: str, column: int) -> str:
    """``text`` as a Python string literal starting at ``column``: split over lines, each part
    at most :data:`LITERAL_WIDTH` characters, breaking after punctuation or a space where it can."""
    parts, rest = [], text
    while len(rest) > LITERAL_WIDTH:
        window = rest[:LITERAL_WIDTH]
        cut = max(window.rfind(mark) for mark in ("、", "。", "）", " ", ",", "："))
        cut = cut + 1 if cut >= LITERAL_WIDTH // 2 else LITERAL_WIDTH
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return ("\n" + " " * column).join(json.dumps(part, ensure_ascii=False) for part in parts)


def replace_dict_strings(source: str, name: str, values: dict[str, str]) -> str:
    """``source`` with the string value of each key of ``values`` in the literal dict ``name``
    replaced by the given text (keys, other values and the rest of the code unchanged)."""
    node = literal_dict(source, name)
    if node is None:
        return source
    lines = source.split("\n")

    def column(line: int, byte_offset: int) -> int:  # ast counts UTF-8 bytes, tokenize characters
        return len(lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

    replacements = []
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        new = values.get(str(key.value))
        if new:
            start = (value.lineno, column(value.lineno, value.col_offset))
            end = (value.end_lineno, column(value.end_lineno, value.end_col_offset))
            replacements.append((start, end, _literal(new, start[1])))
    return _splice(source, replacements)
