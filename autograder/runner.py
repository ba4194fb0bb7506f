"""Run a notebook for real in a fresh Jupyter kernel, cell by cell, within time limits.

Narrow on purpose: a notebook and a working folder in, one :class:`CellRun` per code cell out.
Nothing here knows about checkpoints or points.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output

from autograder.options import Limits
from autograder.sandbox import Sandbox, SandboxedKernelManager
from autograder.zygote import KernelZygote
from coursekit.record import RECORD_MIME

#: The ``ename`` nbclient gives a cell that ran past its time limit.
TIMEOUT_ENAME = "CellTimeoutError"
#: The longest base path of the kernel's Unix sockets: ``sun_path`` holds 107 bytes and a NUL,
#: and jupyter_client appends ``-<n>`` to the base for each of the five channels.
_SOCKET_BASE_MAX = 100


def _size(msg: dict) -> int:
    """Bytes of a message as it arrived (:class:`~autograder.sandbox.GuardedSession` measures them)."""
    return msg["bytes"] if isinstance(msg.get("bytes"), int) else len(json.dumps(msg.get("content"), default=str))


#: Deeper than this, a message's content is nothing a kernel's own code sends (nbformat copies an
#: output recursively: a 600-deep list would exhaust the grader's stack).
_MAX_DEPTH = 64
_DISPLAYS = ("display_data", "update_display_data", "execute_result")


def _within_depth(value: object, limit: int = _MAX_DEPTH) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((part, depth + 1) for part in item.values())
        elif isinstance(item, list):
            stack.extend((part, depth + 1) for part in item)
    return True


def _shaped(msg_type: object, content: object) -> bool:
    """Whether a message's content has the shape its type promises (what nbclient and nbformat read)."""
    if not isinstance(msg_type, str) or not isinstance(content, dict) or not _within_depth(content):
        return False
    if msg_type in _DISPLAYS:
        transient = content.get("transient")
        return (isinstance(content.get("data"), dict) and isinstance(content.get("metadata", {}), dict)
                and (not transient or (isinstance(transient, dict) and isinstance(transient.get("display_id", ""), str)))
                and type(content.get("execution_count", 0)) in (int, type(None)))
    if msg_type == "stream":
        return isinstance(content.get("name"), str) and isinstance(content.get("text"), str)
    if msg_type == "error":
        traceback = content.get("traceback", [])
        return (isinstance(content.get("ename"), str) and isinstance(content.get("evalue"), str)
                and isinstance(traceback, list) and all(isinstance(line, str) for line in traceback))
    if msg_type == "status":
        return isinstance(content.get("execution_state"), str)
    if msg_type == "clear_output":
        return isinstance(content.get("wait", False), bool)
    return type(content.get("execution_count", 0)) in (int, type(None))


def _well_formed(msg: dict) -> dict:
    """``msg``, or a malformed record in its place when its content is not what its type promises
    (a display whose ``data`` is a list, content that is no object, a 600-deep value, ...): the
    cell it claims is then not graded, and nothing of it reaches nbclient or nbformat."""
    if _shaped(msg.get("msg_type"), msg.get("content")):
        return msg
    header = (msg.get("header") if isinstance(msg.get("header"), dict) else {}) | {"msg_type": "display_data"}
    return msg | {"msg_type": "display_data", "header": header, "content": {"data": {RECORD_MIME: None}, "metadata": {}}}


class _LimitedOutputClient(NotebookClient):
    """nbclient that keeps at most ``output_bytes`` of a cell's output, counting every byte of every
    message, like nbgrader's LimitOutput but while it runs. Values recorded for the grader have
    their own, larger allowance, ``record_bytes`` for the whole notebook: the grader holds every
    record until it judges, so an allowance per cell would let a notebook of many test cells fill
    the grader's memory (60 MB of forged records before each cell took it to 4 GB)."""

    def __init__(self, nb: NotebookNode, limits: Limits, **kwargs) -> None:
        super().__init__(nb, **kwargs)
        self.limits = limits
        self._kept: dict[int, int] = {}  # cell index -> output bytes
        self._recorded = 0  # recorded bytes of the whole notebook

    def process_message(self, msg, cell, cell_index):
        msg_type = msg.get("msg_type")
        if isinstance(msg_type, str) and msg_type.startswith("comm"):
            return None  # widget state: nothing grading reads, and its fields are the kernel's to forge
        return super().process_message(_well_formed(msg), cell, cell_index)

    def output(self, outs, msg, display_id, cell_index):
        size = _size(msg)
        if RECORD_MIME in msg["content"].get("data", {}):
            self._recorded += size
            return None if self._recorded > self.limits.record_bytes else super().output(outs, msg, display_id, cell_index)
        kept = self._kept[cell_index] = self._kept.get(cell_index, 0) + size
        if kept > self.limits.output_bytes:
            if kept - size <= self.limits.output_bytes:
                outs.append(new_output("stream", name="stdout", text=f"[output cut at {self.limits.output_bytes} bytes]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


class QuickStartClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel answers on both channels.

    The stock ``wait_for_ready`` then waits for 0.2 s of silence on IOPub, every kernel; nbclient
    ignores IOPub messages of other requests anyway.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub connected: the request's status came
                    self._handle_kernel_info_reply(reply)
                    return
            except Empty:
                pass
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


@dataclass
class CellRun:
    """What happened to one code cell: ``ok``, ``error``, ``timeout``, ``crashed`` or ``skipped``."""

    index: int
    status: str
    ename: str = ""
    evalue: str = ""
    outputs: list = field(default_factory=list)
    seconds: float = 0.0


def run_notebook(nb: NotebookNode, workdir: Path, limits: Limits = Limits(), sandbox: Sandbox | None = None,
                 zygote: KernelZygote | None = None) -> list[CellRun]:
    """Execute every code cell of ``nb`` (in place) with ``workdir`` as the kernel's folder.

    With a ``sandbox`` the kernel runs confined (see :mod:`autograder.sandbox`), forked from
    ``zygote`` when one is given (``workdir`` must then be under its root); without a sandbox it
    runs as the caller, as a learner's own self-check does.
    """
    sandbox = sandbox or Sandbox("none")
    with _socket_base(workdir, isolated=sandbox.isolated) as sockets:
        kernel = SandboxedKernelManager(kernel_name="python3", transport="ipc", ip=str(sockets),
                                        connection_file=str(workdir / ".kernel.json"), sandbox=sandbox, scratch=workdir,
                                        zygote=zygote, client_class=f"{__name__}.QuickStartClient")
        return _run(nb, workdir, limits, kernel)


@contextmanager
def _socket_base(workdir: Path, isolated: bool) -> Iterator[Path]:
    """Where the kernel's Unix sockets go: no TCP port, and in ``workdir`` they cross into bubblewrap.

    A Unix socket's path is limited to 107 bytes: a kernel that sees the whole file system (no
    bubblewrap) and whose folder is deeper than that gets its sockets in a short temporary folder
    instead; an isolated one cannot (it sees only its own folder), so that is an error naming the fix.
    """
    base = workdir / ".kernel"
    if len(os.fsencode(base)) <= _SOCKET_BASE_MAX:
        yield base
        return
    if isolated:
        raise ValueError(f"the kernel's folder {workdir} is too long a path for its Unix sockets "
                         f"(at most {_SOCKET_BASE_MAX - len('/.kernel')} bytes): grade under a shorter folder")
    folder = Path(tempfile.mkdtemp(prefix="kernel-"))
    try:
        yield folder / "k"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(nb: NotebookNode, workdir: Path, limits: Limits, kernel: SandboxedKernelManager) -> list[CellRun]:
    replies: dict[int, dict] = {}

    def remember_reply(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply.get("content", {}) if execute_reply else {}

    kernel.session.max_message_bytes = limits.record_bytes
    kernel.start_kernel_as_its_own_user()
    client = _LimitedOutputClient(
        nb,
        limits,
        km=kernel,
        timeout=int(limits.cell_seconds),
        startup_timeout=int(limits.startup_seconds),
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": f"cell ran longer than {limits.cell_seconds:g} s", "traceback": []},
        on_cell_executed=remember_reply,
        resources={"metadata": {"path": str(workdir)}},
    )
    runs: list[CellRun] = []
    try:
        _execute(client, nb, limits, runs, replies)
    finally:  # nbclient leaves a kernel manager it did not make running: stop the kernel here
        if client.kc is not None:
            client.kc.stop_channels()
        if kernel.has_kernel:  # also for a kernel that died: the shutdown reaps its process
            run_sync(kernel.shutdown_kernel)(now=True)
    return runs


def _execute(client: NotebookClient, nb: NotebookNode, limits: Limits, runs: list[CellRun], replies: dict[int, dict]) -> None:
    code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    deadline = time.monotonic() + limits.notebook_seconds
    # The kernel's own stdout/stderr go nowhere: learner code must not write to the grader's terminal.
    with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL):
        for position, index in enumerate(code_cells):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                runs += [CellRun(i, "timeout", TIMEOUT_ENAME, "the notebook ran out of time") for i in code_cells[position:]]
                return
            client.timeout = int(max(1, min(limits.cell_seconds, remaining)))
            started = time.monotonic()
            try:
                client.execute_cell(nb.cells[index], index)
            except DeadKernelError:
                runs.append(CellRun(index, "crashed", "DeadKernelError", "the kernel died", seconds=time.monotonic() - started))
                runs += [CellRun(i, "crashed", "DeadKernelError", "the kernel had died") for i in code_cells[position + 1:]]
                return
            runs.append(_cell_run(index, nb.cells[index], replies.pop(index, {}), time.monotonic() - started))


def _cell_run(index: int, cell: NotebookNode, reply: dict, seconds: float) -> CellRun:
    outputs = list(cell.get("outputs", []))
    if reply.get("status") == "error":
        ename = str(reply.get("ename", ""))
        status = "timeout" if ename == TIMEOUT_ENAME else "error"
        return CellRun(index, status, ename, str(reply.get("evalue", "")), outputs, seconds)
    return CellRun(index, "ok", outputs=outputs, seconds=seconds)
