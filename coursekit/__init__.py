"""What a learner's notebook imports: the course data, its vocabulary and the checkpoint checks.

This package runs inside the learner's kernel. It holds no answer and no grading verdict that
counts: the grader (``autograder``) decides in its own process. Its names are imported on first
use, so that a program needing one of them (the grader's command line) does not pay for pandas.
"""
from __future__ import annotations

import importlib

# Imported now, not on first use: the function must win over the submodule of the same name,
# which the import system would otherwise leave as the package's attribute ``roles``.
from coursekit.roles import roles

#: Each public name and the module that defines it.
_EXPORTS = {
    "Checkpoint": "coursekit.checks",
    "CheckpointFailed": "coursekit.checks",
    "REQUEST_TYPES": "coursekit.vocabulary",
    "ROLES": "coursekit.vocabulary",
    "Status": "coursekit.verdicts",
    "check_all": "coursekit.inline",
    "check_checkpoint": "coursekit.inline",
    "load_churn": "coursekit.data",
    "load_house_prices": "coursekit.data",
    "roles": "coursekit.roles",
    "set_language": "coursekit.inline",
}
__all__ = sorted([*_EXPORTS, "roles"])


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'coursekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
