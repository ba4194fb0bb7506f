"""A Dask cluster of real processes, ``dask scheduler`` and ``dask worker``, on this machine.

The workers can be started in a mount namespace of their own in which some folders are hidden
under an empty tmpfs, so that they see this machine as a worker elsewhere would: the course
installed, none of the instructor's folders. Used by the tests and by the benchmark.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DASK = Path(sys.executable).parent / "dask"


def can_hide_folders() -> bool:
    """Whether workers can be given a view without some folders (root, with ``unshare``)."""
    return os.geteuid() == 0 and shutil.which("unshare") is not None


class DaskProcesses:
    """A scheduler and ``workers`` worker processes (one thread each), the workers blind to ``hide``.

    ``env`` is added to the workers' environment (``COURSE_ROOT`` says where their course is).
    """

    def __init__(self, workers: int = 2, hide: tuple[Path, ...] = (), env: dict[str, str] | None = None) -> None:
        self.workers, self.hide, self.env = workers, hide, env or {}
        self.folder = Path(tempfile.mkdtemp(prefix="dask-processes-"))
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def _start(self, command: list[str], log: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        handle = open(self.folder / log, "wb")
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                   cwd=self.folder)
        handle.close()
        self.processes.append(process)
        return process

    def _wait(self, ready, what: str, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                logs = {path.name: path.read_text(errors="replace")[-1500:] for path in self.folder.glob("*.log")}
                self.close()
                raise RuntimeError(f"{what} did not start: {json.dumps(logs, indent=1)}")
            time.sleep(0.5)

    def __enter__(self) -> "DaskProcesses":
        from distributed import Client

        scheduler_file = self.folder / "scheduler.json"
        self._start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(scheduler_file)], "scheduler.log")
        self._wait(scheduler_file.exists, "The Dask scheduler")
        time.sleep(0.2)  # the file is written in one go, but give it a moment
        self.address = json.loads(scheduler_file.read_text())["address"]
        worker = [str(DASK), "worker", self.address, "--nworkers", str(self.workers), "--nthreads", "1", "--no-dashboard"]
        if self.hide:
            mounts = " && ".join(f"mount -t tmpfs -o size=1m,mode=0700 tmpfs {shlex.quote(str(p))}" for p in self.hide)
            worker = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", f"{mounts} && exec {shlex.join(worker)}"]
        self._start(worker, "worker.log", self.env)
        with Client(self.address, timeout=120) as client:
            self._wait(lambda: len(client.scheduler_info()["workers"]) >= self.workers, "The Dask workers")
        return self

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        self.close()
