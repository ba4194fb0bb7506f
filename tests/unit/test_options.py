"""Grading options: declared once, parsed the same by every subcommand, one rule for kernels."""
from __future__ import annotations

import argparse

import pytest

from autograder.options import GradingOptions


def _parsed(*argv: str) -> GradingOptions:
    parser = argparse.ArgumentParser()
    GradingOptions.add_arguments(parser)
    return GradingOptions.from_arguments(parser.parse_args(argv))


def test_every_option_has_its_flag_default_and_help():
    options = _parsed()
    assert options == GradingOptions()
    assert _parsed("--cell-timeout", "5", "--timeout", "9", "--lang", "ja", "--show-answers", "--kernels", "fresh") == \
        GradingOptions(lang="ja", cell_seconds=5.0, notebook_seconds=9.0, kernels="fresh", show_answers=True)
    assert (options.limits.cell_seconds, options.limits.notebook_seconds) == (60.0, 300.0)


@pytest.mark.parametrize("kernels, cohort, one", [("auto", True, False), ("fork", True, True), ("fresh", False, False)])
def test_a_cohort_forks_its_kernels_and_one_notebook_starts_a_fresh_one_unless_told(kernels, cohort, one):
    options = GradingOptions(kernels=kernels)
    assert (options.fork_kernels(cohort=True), options.fork_kernels(cohort=False)) == (cohort, one)


def test_an_unknown_kernel_start_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit):
        _parsed("--kernels", "spawn")
    assert "invalid choice: 'spawn'" in capsys.readouterr().err
