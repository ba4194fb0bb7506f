"""The course's autograder: one engine behind ``autograder grade``, ``autograder cohort`` and the
learner's ``pytest`` self-check.

The grading path reads as a chain of small steps::

    read_submission -> identify_assignment -> restore_test_cells -> run_notebook -> judge -> Report
"""
from autograder.grade import grade_notebook
from autograder.report import CheckpointResult, Report

__all__ = ["CheckpointResult", "Report", "grade_notebook"]
