"""The course's autograder: one engine behind ``autograder grade``, ``autograder cohort`` and the
learner's ``pytest`` self-check.

The grading path reads as a chain of small steps (:mod:`autograder.grade`)::

    read_submission -> identify_assignment -> restore_test_cells -> to_recording
    -> run_notebook -> collect_records -> judge_recorded -> Report

Its names are imported on first use, so the command line starts without the notebook machinery.
"""
from __future__ import annotations

import importlib
import sys

# nbformat validates with jsonschema, which imports the optional ``rfc3987_syntax`` (pulled in by
# jupyter-events' ``jsonschema[format-nongpl]``) only to check the "iri" string format; that import
# compiles about 40 lark grammars, 2-4 s of CPU in every process that imports nbformat
# (python-jsonschema/jsonschema#1392). Notebook schemas use no such format: the grader's processes
# leave it out, and jsonschema skips that one format check.
sys.modules.setdefault("rfc3987_syntax", None)

_EXPORTS = {"CheckpointResult": "autograder.report", "Report": "autograder.report", "grade_notebook": "autograder.grade"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'autograder' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
