"""Reduce a learner's value to plain data (JSON types with a few tags) before it is compared.

Comparing plain data instead of live objects means an object whose ``__eq__`` always says yes,
a float subclass or a Series subclass earns nothing: only the numbers and labels it holds count.
The same plain form can travel out of the kernel as JSON, so the grader can compare it in its
own process.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

PlainData = Any  # None | bool | int | float | str | list | dict with one "__tag__" key


class NotPlainError(TypeError):
    """A value the checks cannot read (a custom object, a function, ...)."""


def _scalar(value: Any) -> PlainData:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool.__bool__(bool(value))
    if isinstance(value, (int, np.integer)):
        return int.__int__(int(value))
    if isinstance(value, (float, np.floating)):
        number = float.__float__(float(value))
        return None if math.isnan(number) else number
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp, np.datetime64)):
        return {"__time__": pd.Timestamp(value).isoformat()}
    raise NotPlainError(type(value).__name__)


def _axes(ax: Any) -> PlainData:
    return {
        "__axes__": {
            "lines": [
                {
                    "x": to_plain(np.asarray(line.get_xdata(), dtype=float)),
                    "y": to_plain(np.asarray(line.get_ydata(), dtype=float)),
                    "label": str(line.get_label()),
                }
                for line in ax.get_lines()
            ],
            "title": str(ax.get_title()),
            "xlabel": str(ax.get_xlabel()),
            "ylabel": str(ax.get_ylabel()),
        }
    }


def to_plain(value: Any) -> PlainData:
    """The plain-data form of ``value``; raises :class:`NotPlainError` for anything else."""
    if isinstance(value, pd.DataFrame):
        return {
            "__frame__": {
                "columns": [to_plain(c) for c in value.columns],
                "index": [to_plain(i) for i in value.index],
                "data": [[to_plain(v) for v in row] for row in value.itertuples(index=False, name=None)],
            }
        }
    if isinstance(value, pd.Series):
        return {
            "__series__": {
                "index": [to_plain(i) for i in value.index],
                "values": [to_plain(v) for v in value.tolist()],
            }
        }
    if isinstance(value, pd.Index):
        return [to_plain(v) for v in value.tolist()]
    if isinstance(value, np.ndarray):
        return [to_plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {"__dict__": [[to_plain(k), to_plain(v)] for k, v in dict.items(value)]}
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted((to_plain(v) for v in value), key=repr)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in (list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value))]
    if type(value).__module__.startswith("matplotlib") and hasattr(value, "get_lines"):
        return _axes(value)
    return _scalar(value)


#: The tag of each tagged plain value and the fields its content must have (``None``: a string).
TAGS: dict[str, tuple[str, ...] | None] = {
    "__frame__": ("columns", "index", "data"),
    "__series__": ("index", "values"),
    "__dict__": (),  # a list of [key, value] pairs
    "__set__": (),  # a list of items
    "__axes__": ("lines", "title", "xlabel", "ylabel"),
    "__time__": None,
    "__unplain__": None,
}
_LINE_FIELDS = ("x", "y", "label")


@dataclass(frozen=True)
class PlainLimits:
    """Bounds on plain data that crossed from a learner's kernel: nesting depth, number of
    values, characters of text and digits of an integer."""

    depth: int = 24
    values: int = 20_000_000
    characters: int = 64 * 1024**2
    digits: int = 30


def check_plain(data: Any, limits: PlainLimits = PlainLimits()) -> PlainData:
    """``data`` itself when it is well-formed plain data within ``limits``, else :class:`NotPlainError`.

    Plain data that crossed from a kernel is untrusted: after this check every comparison in
    :mod:`coursekit.compare` can rely on its shape. The walk is iterative, so no depth of nesting
    can exhaust the grader's stack.
    """
    stack, values, characters = [(data, 0)], 0, 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if depth > limits.depth or values > limits.values:
            raise NotPlainError("value nested too deeply or too large")
        if value is None or isinstance(value, (bool, float)):
            continue
        if isinstance(value, int):
            if abs(value) >= 10**limits.digits:
                raise NotPlainError("integer with too many digits")
            continue
        if isinstance(value, str):
            characters += len(value)
            if characters > limits.characters:
                raise NotPlainError("too much text")
            continue
        if isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
            continue
        if not isinstance(value, dict) or len(value) != 1:
            raise NotPlainError(f"{type(value).__name__} is not plain data")
        tag, content = next(iter(value.items()))
        if tag not in TAGS:
            raise NotPlainError("unknown tag")
        stack.extend(_tagged_parts(tag, content, depth + 1))
    return data


def _tagged_parts(tag: str, content: Any, depth: int) -> list[tuple[Any, int]]:
    """The parts of one tagged value still to check, after checking its own shape."""
    fields = TAGS[tag]
    if fields is None:
        if not isinstance(content, str):
            raise NotPlainError(f"{tag} needs a string")
        return [(content, depth)]
    if not fields:
        if not isinstance(content, list):
            raise NotPlainError(f"{tag} needs a list")
        if tag == "__dict__" and not all(isinstance(pair, list) and len(pair) == 2 for pair in content):
            raise NotPlainError("__dict__ needs [key, value] pairs")
        return [(content, depth)]
    if not isinstance(content, dict) or set(content) != set(fields):
        raise NotPlainError(f"{tag} needs exactly {fields}")
    text_fields = {"title", "xlabel", "ylabel"}
    for name in fields:
        part = content[name]
        if (name in text_fields and not isinstance(part, str)) or (name not in text_fields and not isinstance(part, list)):
            raise NotPlainError(f"{tag}.{name} has the wrong type")
    if tag == "__frame__" and not all(isinstance(row, list) for row in content["data"]):
        raise NotPlainError("__frame__.data needs rows")
    if tag == "__series__" and len(content["index"]) != len(content["values"]):
        raise NotPlainError("__series__ needs one index label per value")
    if tag == "__axes__":
        for line in content["lines"]:
            if not (isinstance(line, dict) and set(line) == set(_LINE_FIELDS) and isinstance(line["x"], list)
                    and isinstance(line["y"], list) and isinstance(line["label"], str)):
                raise NotPlainError("__axes__ lines need x, y and a label")
        parts = [(line[name], depth + 1) for line in content["lines"] for name in _LINE_FIELDS]
        return parts + [(content[name], depth) for name in ("title", "xlabel", "ylabel")]
    return [(content[name], depth) for name in fields]


def freeze(plain: PlainData) -> Any:
    """A hashable stand-in for a plain value (lists become tuples), so any plain key can key a dict."""
    if isinstance(plain, list):
        return tuple(freeze(item) for item in plain)
    if isinstance(plain, dict):
        return tuple((key, freeze(value)) for key, value in sorted(plain.items()))
    return plain


def kind_of(plain: PlainData) -> str:
    """The kind of a plain value as a label-table word (``kind.<this>``): "number", "series", ..."""
    if plain is None:
        return "none"
    if isinstance(plain, bool):
        return "bool"
    if isinstance(plain, (int, float)):
        return "number"
    if isinstance(plain, str):
        return "string"
    if isinstance(plain, list):
        return "list"
    tag = next(iter(plain), "")
    return {
        "__frame__": "frame", "__series__": "series", "__dict__": "dict", "__set__": "set",
        "__axes__": "axes", "__time__": "date",
    }.get(tag, "unknown")
