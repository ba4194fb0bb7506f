"""What a learner's notebook imports: the course data, its vocabulary and the checkpoint checks.

This package runs inside the learner's kernel. It holds no answer and no grading verdict that
counts: the grader (``autograder``) decides in its own process.
"""
from coursekit.checks import Checkpoint, CheckpointFailed
from coursekit.data import load_churn, load_house_prices
from coursekit.inline import check_all, check_checkpoint, set_language
from coursekit.roles import roles
from coursekit.vocabulary import REQUEST_TYPES, ROLES

__all__ = [
    "Checkpoint",
    "CheckpointFailed",
    "REQUEST_TYPES",
    "ROLES",
    "check_all",
    "check_checkpoint",
    "load_churn",
    "load_house_prices",
    "roles",
    "set_language",
]
