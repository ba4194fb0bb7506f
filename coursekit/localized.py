"""Which language a released notebook speaks, and its own translations of the visible checks.

A translated release (``assignments-ja/``) marks its notebook in the metadata::

    "coursekit": {"lang": "ja", "checks": {"bu.daily_value": {"<English what>": "<translation>"}}}

``checks`` holds the descriptions of the checks the released notebook shows (never the hidden
ones), so the learner's self-check and ``check_all()`` name a check in the notebook's language.
The grader uses the course's own catalogues instead: the metadata is the learner's to edit, so
it only ever chooses among the languages the kit speaks, and only for the learner's own view.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from coursekit.labels import languages

METADATA_KEY = "coursekit"


def _own(metadata: object) -> Mapping:
    own = metadata.get(METADATA_KEY) if isinstance(metadata, Mapping) else None
    return own if isinstance(own, Mapping) else {}


def notebook_language(metadata: object) -> str:
    """The language a notebook's metadata names, if the kit speaks it; English otherwise."""
    lang = _own(metadata).get("lang")
    return lang if isinstance(lang, str) and lang in languages() else "en"


def describer(metadata: object, checkpoint: str) -> Callable[[str], str]:
    """The description of one of ``checkpoint``'s checks in the notebook's language (as written where
    the notebook carries no translation of it)."""
    checks = _own(metadata).get("checks")
    own = checks.get(checkpoint) if isinstance(checks, Mapping) else None
    table = {str(k): str(v) for k, v in own.items()} if isinstance(own, Mapping) else {}
    return lambda what: table.get(what, what)


def read_metadata(notebook: Path) -> dict:
    """The metadata of the notebook file at ``notebook`` (empty if it cannot be read), read as
    plain JSON: a kernel should not pay for importing nbformat."""
    try:
        metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return metadata if isinstance(metadata, dict) else {}


def metadata_beside(folder: Path) -> dict:
    """The metadata of the assignment notebook in ``folder`` (named after its registry's
    assignment), where a kernel runs; empty when there is none."""
    from coursekit.registry import RegistryError, load_registry

    try:
        assignment = load_registry(folder).assignment
    except RegistryError:
        return {}
    return read_metadata(folder / f"{assignment}.ipynb")
