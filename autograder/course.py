"""Where the course lives: its ``source/`` notebooks and their checkpoint registries."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coursekit.registry import REGISTRY_FILE, Registry, load_registry


class CourseError(LookupError):
    """The course folder or an assignment in it cannot be found."""


@dataclass(frozen=True)
class Assignment:
    """One assignment of the course, as its trusted source defines it."""

    name: str
    folder: Path

    @property
    def source_notebook(self) -> Path:
        return self.folder / f"{self.name}.ipynb"

    @property
    def registry_file(self) -> Path:
        return self.folder / REGISTRY_FILE

    def registry(self) -> Registry:
        return load_registry(self.registry_file)

    def read_source(self):
        """The trusted source notebook (an ``nbformat.NotebookNode``)."""
        import nbformat  # here: the command line should not pay for nbformat's schema machinery to start

        return nbformat.read(self.source_notebook, as_version=4)


@dataclass(frozen=True)
class Course:
    """A course folder: ``nbgrader_config.py`` and ``source/<assignment>/<assignment>.ipynb``."""

    root: Path

    @classmethod
    def locate(cls, root: str | Path | None = None) -> "Course":
        """The course at ``root``, else at ``$COURSE_ROOT``, else the one this package sits in."""
        candidates = [root, os.environ.get("COURSE_ROOT"), Path(__file__).resolve().parent.parent]
        for candidate in candidates:
            if candidate and (Path(candidate) / "source").is_dir():
                return cls(Path(candidate).resolve())
        raise CourseError(
            "No course folder found (a folder with source/ inside): pass --course DIR or set COURSE_ROOT."
        )

    @property
    def source(self) -> Path:
        return self.root / "source"

    def assignments(self) -> list[Assignment]:
        folders = sorted(p for p in self.source.iterdir() if (p / f"{p.name}.ipynb").is_file())
        return [Assignment(p.name, p) for p in folders]

    def assignment(self, name: str) -> Assignment:
        for assignment in self.assignments():
            if assignment.name == name:
                return assignment
        known = ", ".join(a.name for a in self.assignments())
        raise CourseError(f"No assignment {name!r} in {self.source}; the course has: {known}.")
