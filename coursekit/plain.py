"""Reduce a learner's value to plain data (JSON types with a few tags) before it is compared.

Comparing plain data instead of live objects means an object whose ``__eq__`` always says yes,
a float subclass or a Series subclass earns nothing: only the numbers and labels it holds count.
The same plain form can travel out of the kernel as JSON, so the grader can compare it in its
own process.
"""
from __future__ import annotations

import datetime as dt
import math
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


def describe(plain: PlainData) -> str:
    """A learner-facing name for the kind of a plain value: "a number", "a pandas Series", ..."""
    if plain is None:
        return "nothing (None or a missing value)"
    if isinstance(plain, bool):
        return "a True/False value"
    if isinstance(plain, (int, float)):
        return "a number"
    if isinstance(plain, str):
        return "a string"
    if isinstance(plain, list):
        return "a list"
    tag = next(iter(plain))
    return {
        "__frame__": "a pandas DataFrame",
        "__series__": "a pandas Series",
        "__dict__": "a dict",
        "__set__": "a set",
        "__axes__": "a matplotlib Axes",
        "__time__": "a date",
    }.get(tag, "an unknown value")
