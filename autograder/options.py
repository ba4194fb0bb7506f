"""The options of grading a submission, declared once with their help text.

``autograder grade`` and ``autograder cohort`` build their command-line options from
:class:`GradingOptions` (as nbgrader builds its flags from configurable traits), and every front
door passes one ``GradingOptions`` down the chain, so an option is added in one place.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields

from coursekit.labels import languages


@dataclass(frozen=True)
class Limits:
    """Limits of one notebook run: seconds, and bytes of output kept per cell."""

    cell_seconds: float = 60.0
    notebook_seconds: float = 300.0
    startup_seconds: float = 60.0
    output_bytes: int = 1024**2
    #: Values recorded for the grader have their own, larger allowance, for the whole notebook (a
    #: course's reference records at most 0.4 MB in all).
    record_bytes: int = 32 * 1024**2


def _option(default, help: str, flag: str | None = None, choices=None, kind: type | None = None):  # noqa: A002 - argparse's own word
    """An option; ``kind`` is its type where the default (``None``: decided per submission) does not tell."""
    return field(default=default, metadata={"help": help, "flag": flag, "choices": choices, "kind": kind or type(default)})


@dataclass(frozen=True)
class GradingOptions:
    """How submissions are graded and reported."""

    lang: str | None = _option(None, "language of every title, hint, label and message (default: the language of the "
                                     "release each learner submitted)", choices=languages, kind=str)
    cell_seconds: float = _option(Limits.cell_seconds, "seconds one cell may run", flag="--cell-timeout")
    notebook_seconds: float = _option(Limits.notebook_seconds, "seconds a whole notebook may run", flag="--timeout")
    kernels: str = _option("auto", "how each kernel starts: 'fork' from a zygote that imported the course's libraries "
                                   "once per grading process (as root with bubblewrap only), 'fresh' from scratch, 'auto' "
                                   "fork for a cohort and fresh for one notebook", choices=("auto", "fork", "fresh"))
    show_answers: bool = _option(False, "after the deadline: add the worked answer (each ask, the roles it goes to, why) "
                                        "to the feedback of every communication checkpoint")

    @property
    def limits(self) -> Limits:
        return Limits(cell_seconds=self.cell_seconds, notebook_seconds=self.notebook_seconds)

    def fork_kernels(self, cohort: bool) -> bool:
        """Whether to fork kernels from a zygote when grading a cohort, or one notebook.

        The zygote imports every library the course uses before the first kernel: about two
        seconds that a cohort's notebooks share, but more than one notebook's own imports save
        (``benchmarks/fixed_costs.py``), so ``auto`` forks for a cohort only.
        """
        return self.kernels == "fork" or (self.kernels == "auto" and cohort)

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add every option to ``parser``, with its default and help."""
        for option in fields(cls):
            flag = option.metadata["flag"] or "--" + option.name.replace("_", "-")
            help_text = option.metadata["help"]
            if option.type in (bool, "bool"):
                parser.add_argument(flag, dest=option.name, action="store_true", help=help_text)
                continue
            choices = option.metadata["choices"]
            shown = help_text if option.default is None else f"{help_text} (default: %(default)s)"
            parser.add_argument(flag, dest=option.name, default=option.default, type=option.metadata["kind"],
                                choices=choices() if callable(choices) else choices, help=shown)

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> "GradingOptions":
        return cls(**{option.name: getattr(args, option.name) for option in fields(cls)})
