"""The prose of a source notebook, for the kit tests that recompute the figures it quotes.

Every number a notebook's prose quotes is either *recomputed* by a test (a payback day, a count of
rows, a fence) or *given* (an input of a scenario, a threshold the course sets, a section number).
``unaccounted`` names the numbers that are neither, so a new figure cannot slip into the prose
without a test. The communication sections are left out: they quote no figures of the data.
"""
from __future__ import annotations

from conftest import COURSE

from autograder.catalogue import numbers


def prose(assignment: str) -> str:
    """The markdown of ``assignment``'s source notebook, outside its communication sections."""
    kept, in_communication = [], False
    for cell in COURSE.assignment(assignment).read_source().cells:
        if cell.cell_type != "markdown":
            continue
        heading = next((line for line in cell.source.splitlines() if line.startswith("## ")), None)
        if heading is not None:
            in_communication = "Communication" in heading
        if not in_communication:
            kept.append(cell.source)
    return "\n\n".join(kept)


def quoted_numbers(text: str) -> set[str]:
    """Every number written in ``text`` ("¥1,200", "7.5", "2930"), a trailing comma dropped."""
    return set(numbers(text))  # the translation rules count numbers alike (autograder.catalogue.NUMBER)


def unaccounted(assignment: str, recomputed: set[str], given: set[str]) -> set[str]:
    """The numbers ``assignment`` quotes that no test recomputes and that are not given."""
    return quoted_numbers(prose(assignment)) - recomputed - given


def flat(text: str) -> str:
    """``text`` with its line breaks and runs of spaces turned into single spaces (prose wraps)."""
    return " ".join(text.split())
