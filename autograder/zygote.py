"""Kernels forked from a zygote that imported the course's libraries once (the grader's side).

Starting a kernel and importing pandas, scikit-learn and matplotlib costs about a second of CPU,
every notebook, before any learner code runs. A grading process instead starts one
:mod:`autograder.kernel_zygote` inside bubblewrap, which imports what the course's notebooks
import and then forks each kernel, confined as a kernel of its own would be (see that module).
Used when the grader runs as root with bubblewrap; otherwise each kernel starts from scratch.
"""
from __future__ import annotations

import ast
import json
import multiprocessing.util
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner
from nbformat import NotebookNode

from autograder.course import Course
from autograder.sandbox import KERNEL_SIDE, Sandbox, readable_paths
from autograder.scratch import ScratchRoot, scratch_root
#: Always preloaded: what every kernel imports as it starts (ipykernel imports its debugger then,
#: not at import), and the course's own helpers.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "coursekit", "coursekit.checks",
                  "coursekit.data", "coursekit.inline", "coursekit.record")
_READY_SECONDS = 120.0
_WORKAROUND = "Grade with --kernels fresh to start each kernel on its own instead."


class ZygoteError(RuntimeError):
    """The zygote could not start, or could not fork a kernel."""


def imported_modules(sources: Iterable[str]) -> tuple[str, ...]:
    """Every module the Python code in ``sources`` imports (absolute imports), in order of first appearance.

    Parameters
    ----------
    sources
        Python source texts: notebook code cells or module files. A text that does not parse
        (a cell with IPython magics) is skipped.
    """
    modules: dict[str, None] = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:  # IPython magics: nothing to read there
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules[node.module] = None
    return tuple(modules)


def notebook_imports(nb: NotebookNode) -> tuple[str, ...]:
    """Every module the code cells of notebook ``nb`` import, in order of first appearance."""
    return imported_modules(cell.source for cell in nb.cells if cell.cell_type == "code")


def course_imports(course: Course) -> tuple[str, ...]:
    """Every module the course's source notebooks import, in order of first appearance."""
    found = (module for assignment in course.assignments() for module in notebook_imports(assignment.read_source()))
    return tuple(dict.fromkeys([*KERNEL_MODULES, *found]))


class ZygoteKernel:
    """A forked kernel, shaped like the :class:`subprocess.Popen` jupyter_client expects."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: "KernelZygote", pid: int) -> None:
        self.zygote, self.pid = zygote, pid

    def poll(self) -> int | None:
        return self.zygote.request(op="poll", pid=self.pid)["status"] if self.zygote.alive else -signal.SIGKILL

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (status := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return status

    def send_signal(self, signum: int) -> None:
        """Any signal ends the kernel and everything it started (interrupts go by message)."""
        if self.zygote.alive:
            self.zygote.request(op="kill", pid=self.pid)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    terminate = kill


class ZygoteProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the kernel forked by a zygote instead of executed."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        km = self.parent
        self.process = km.zygote.spawn(km.connection_file, km.scratch, km.uid)
        self.pid, self.pgid = self.process.pid, None
        return self.connection_info


class KernelZygote:
    """One zygote process, forking kernels whose scratch folders live under ``scratch``."""

    def __init__(self, sandbox: Sandbox, preload: tuple[str, ...], scratch: ScratchRoot) -> None:
        self.sandbox, self.scratch = sandbox, scratch
        self.root = scratch.path
        home = self.root / "zygote"
        home.mkdir(mode=0o755, exist_ok=True)
        self._log_path = self.root / "zygote.log"
        self._log = os.fdopen(os.open(self._log_path, os.O_WRONLY | os.O_CREAT, 0o600), "wb")
        config = {"preload": list(preload), "readable": [str(path) for path in readable_paths()],
                  "env": sandbox.confinement.environment(home)}
        command = [sys.executable, str(KERNEL_SIDE), "zygote", json.dumps(config)]
        self._process = subprocess.Popen(sandbox.zygote_command(command, self.root),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        self._lock = threading.Lock()
        self.preloaded = self._answer(_READY_SECONDS)["ready"]

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def _answer(self, seconds: float) -> dict:
        readable, _, _ = select.select([self._process.stdout], [], [], seconds)
        line = self._process.stdout.readline() if readable else b""
        if not line:
            self._process.kill()
            self._log.flush()
            tail = self._log_path.read_text(errors="replace")[-2000:]
            raise ZygoteError(f"The kernel zygote stopped answering; its last words: {tail.strip() or '(none)'}. {_WORKAROUND}")
        return json.loads(line)

    def request(self, **message) -> dict:
        with self._lock:
            self._process.stdin.write(json.dumps(message).encode() + b"\n")
            self._process.stdin.flush()
            return self._answer(_READY_SECONDS)

    def provisioner(self, km) -> ZygoteProvisioner:
        """The provisioner through which kernel manager ``km`` gets its kernel from this zygote."""
        return ZygoteProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)

    def spawn(self, connection_file: str, scratch: Path, uid: int) -> ZygoteKernel:
        """Fork one kernel that reads ``connection_file`` and runs as ``uid`` in ``scratch``."""
        answer = self.request(op="spawn", connection_file=str(connection_file),
                              confinement=self.sandbox.confinement.request(Path(scratch), uid))
        if "error" in answer:
            raise ZygoteError(f"The kernel zygote could not start a kernel: {answer['error']}. {_WORKAROUND}")
        return ZygoteKernel(self, answer["pid"])

    def close(self) -> None:
        if self.alive:
            self._process.kill()
        self._process.wait()
        self._log.close()


_zygotes: dict[tuple, KernelZygote] = {}
_zygotes_lock = threading.Lock()


def kernel_zygote(sandbox: Sandbox, course: Course) -> KernelZygote:
    """This process's zygote for ``sandbox`` and ``course`` (started, or restarted, on first use)."""
    key = (sandbox, course.root)
    with _zygotes_lock:
        zygote = _zygotes.get(key)
        if zygote is None or not zygote.alive:
            if zygote is not None:
                zygote.close()
            zygote = _zygotes[key] = KernelZygote(sandbox, course_imports(course), scratch_root(sandbox.confinement))
            # Closed at exit, also in a process-pool worker (which skips atexit handlers).
            multiprocessing.util.Finalize(zygote, zygote.close, exitpriority=0)
        return zygote
