"""The runner stops what a notebook should not do to the grader: loop, exit, die."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.options import Limits
from autograder.runner import run_notebook

LIMITS = Limits(cell_seconds=2, notebook_seconds=6)


def _statuses(code: str, tmp_path) -> list[tuple[str, str]]:
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell(code), new_code_cell("print(x)")])
    return [(run.status, run.ename) for run in run_notebook(nb, tmp_path, LIMITS)]


@pytest.mark.parametrize(
    "code, expected",
    [
        ("import sys; sys.exit(3)", [("ok", ""), ("error", "SystemExit"), ("ok", "")]),
        ("import os; os._exit(0)", [("ok", ""), ("crashed", "DeadKernelError"), ("crashed", "DeadKernelError")]),
        ("while True: pass", [("ok", ""), ("timeout", "CellTimeoutError"), ("ok", "")]),
        (
            "import time\nwhile True:\n    try:\n        time.sleep(10)\n    except KeyboardInterrupt:\n        pass",
            [("ok", ""), ("timeout", "CellTimeoutError"), ("timeout", "CellTimeoutError")],
        ),
    ],
    ids=["sys.exit", "os._exit", "infinite-loop", "loop-that-swallows-interrupts"],
)
def test_a_notebook_that_misbehaves_gets_a_truthful_status(code, expected, tmp_path):
    assert _statuses(code, tmp_path) == expected


def test_outputs_and_errors_of_each_cell_are_reported(tmp_path):
    nb = new_notebook(cells=[new_code_cell("print('hi')"), new_code_cell("1/0")])
    ok, failed = run_notebook(nb, tmp_path, LIMITS)
    assert ok.status == "ok" and ok.outputs[0]["text"] == "hi\n"
    assert (failed.status, failed.ename) == ("error", "ZeroDivisionError")


def test_no_kernel_outlives_its_run(tmp_path):
    """A kernel left running would eat the process budget of every later notebook."""
    import os
    import subprocess

    from autograder.course import Course
    from autograder.sandbox import Sandbox
    from autograder.zygote import kernel_zygote

    forked = Sandbox.best_available()
    zygote = kernel_zygote(forked, Course.locate()) if forked.forks_kernels else None
    uids = []
    for sandbox, parent in ((None, None), (Sandbox.best_available(fork_kernels=False), None), (forked, zygote)):
        scratch = tmp_path if parent is None else Path(tempfile.mkdtemp(dir=parent.root))
        run = run_notebook(new_notebook(cells=[new_code_cell("import os; print(os.getuid())")]), scratch, LIMITS, sandbox, parent)
        uids.append(int(run[0].outputs[0]["text"]))
    children = subprocess.run(["ps", "-ww", "--ppid", str(os.getpid()), "-o", "args="], capture_output=True, text=True).stdout
    kernels = [line for line in children.splitlines() if ("ipykernel" in line or "bwrap" in line) and "kernel_zygote" not in line]
    assert kernels == []
    left = [uid for uid in uids if uid != os.getuid() and subprocess.run(["pgrep", "-u", str(uid)]).returncode == 0]
    assert left == []  # nothing a kernel of its own uid started is left either


def test_a_kernel_in_a_folder_too_deep_for_unix_sockets_still_runs(tmp_path):
    """A Unix socket's path holds 107 bytes: pytest's own folders can be deeper than that."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    nb = new_notebook(cells=[new_code_cell("import os; print(os.getcwd())")])
    (run,) = run_notebook(nb, deep, LIMITS)
    assert (run.status, run.outputs[0]["text"]) == ("ok", f"{deep}\n")
    assert list(deep.iterdir()) == [], "no socket nor connection file is left behind"


@pytest.mark.parametrize("kind", ["rlimits", "bubblewrap"])
def test_only_an_isolated_kernel_too_deep_for_unix_sockets_is_refused_with_the_fix(kind, tmp_path):
    """Without bubblewrap the kernel reaches a short socket folder anywhere; in it, only its own folder."""
    from conftest import missing_package

    from autograder.sandbox import Sandbox

    if kind == "bubblewrap" and not Sandbox.best_available().isolated:
        pytest.skip(missing_package("bubblewrap"))
    deep = tmp_path / ("d" * 120)
    deep.mkdir()
    nb = new_notebook(cells=[new_code_cell("print(1)")])
    if kind == "rlimits":
        (run,) = run_notebook(nb, deep, LIMITS, Sandbox(kind, fork_kernels=False))
        assert (run.status, run.outputs[0]["text"]) == ("ok", "1\n")
    else:
        with pytest.raises(ValueError, match="grade under a shorter folder"):
            run_notebook(nb, deep, LIMITS, Sandbox(kind, fork_kernels=False))
