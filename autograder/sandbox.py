"""Where learner code runs: a kernel command wrapped in bubblewrap, confined as
:class:`~autograder.confinement.Confinement` says.

With ``bwrap`` installed the kernel sees a filesystem made of the system's read-only folders,
the Python environment and the ``coursekit`` package, and one writable scratch folder: no
course source, no hidden tests, no gradebook, no output folder, no other learner's files, no
network. Run as root, the grader also gives each kernel a uid of its own, so the process limit
holds (root is exempt from it), and bubblewrap drops every capability but the three the kernel
side of the confinement needs to change uid, which it then drops too. Without ``bwrap`` only the
resource limits apply, and the report says so.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import coursekit
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.session import Session
from traitlets import Any as AnyTrait
from traitlets import Integer
from traitlets import default

from autograder.confinement import Confinement

#: The kernel side of the confinement, bound alone into the sandbox (standard library only).
KERNEL_SIDE = Path(__file__).with_name("kernel_zygote.py")
#: What the kernel side needs to become another uid and then drop everything.
_CHANGE_UID = ("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")
#: What the zygote needs besides: its own mount, PID and IPC namespaces per kernel.
_ZYGOTE = ("CAP_SYS_ADMIN", *_CHANGE_UID)


@dataclass(frozen=True)
class Sandbox:
    """How a kernel is confined: ``bubblewrap`` (isolated), ``rlimits`` (resource limits only) or
    ``none`` (the caller's own code, as in a learner's self-check)."""

    kind: str
    confinement: Confinement = field(default_factory=Confinement)
    fork_kernels: bool = True

    @classmethod
    def best_available(cls, confinement: Confinement = Confinement(), fork_kernels: bool = True) -> "Sandbox":
        return cls("bubblewrap" if shutil.which("bwrap") else "rlimits", confinement, fork_kernels)

    @property
    def isolated(self) -> bool:
        return self.kind == "bubblewrap"

    def fresh_uid(self) -> int | None:
        """A uid of its own for one kernel when the grader runs as root, so that what one learner's
        processes leave behind never counts against the next notebook's process limit."""
        return 100_000 + secrets.randbelow(60_000) if os.geteuid() == 0 and self.isolated else None

    @property
    def forks_kernels(self) -> bool:
        """Whether kernels are forked from a zygote (:mod:`autograder.zygote`): isolated, as root."""
        return self.fork_kernels and self.isolated and os.geteuid() == 0

    def wrap(self, command: list[str], scratch: Path, uid: int | None) -> list[str]:
        """The kernel command, confined (as ``uid`` when one is given)."""
        if self.kind == "none":
            return command
        confined = [sys.executable, str(KERNEL_SIDE), "exec", json.dumps(self.confinement.request(scratch, uid)), "--", *command]
        if not self.isolated:
            return confined
        capabilities = _capabilities(_CHANGE_UID if uid is not None else ())
        return ["bwrap", *capabilities, *_bwrap_options(scratch, self.confinement, [KERNEL_SIDE]), "--", *confined]

    def zygote_command(self, command: list[str], root: Path) -> list[str]:
        """The zygote's command: the kernels' sandbox with ``root`` writable, the kernel side
        readable, and only the capabilities the zygote needs to confine each kernel it forks."""
        return ["bwrap", *_capabilities(_ZYGOTE), *_bwrap_options(root, self.confinement, [KERNEL_SIDE]), "--", *command]


def _capabilities(kept: tuple[str, ...]) -> list[str]:
    """bubblewrap's options to keep only ``kept`` (as root it would otherwise keep nearly all)."""
    if os.geteuid() != 0:
        return []
    return ["--cap-drop", "ALL", *(option for cap in kept for option in ("--cap-add", cap))]


def readable_paths() -> list[Path]:
    """What a kernel may read beyond the system: the Python environment and the ``coursekit`` package."""
    return [Path(sys.base_prefix), Path(sys.prefix), Path(coursekit.__file__).resolve().parent]


def _bwrap_options(scratch: Path, confinement: Confinement, also_readable: list[Path]) -> list[str]:
    readable = [*readable_paths(), *also_readable]
    options = ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    if os.geteuid() == 0:
        options.remove("--unshare-all")  # as root: no user namespace, so the kernel can get a uid of its own
        options[0:0] = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            options += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            options += ["--ro-bind", top, top]
    made: set[Path] = {Path("/"), Path("/usr"), Path("/etc"), Path("/tmp")}

    def parents(path: Path) -> list[str]:
        """--dir options for the missing parents of ``path`` (bwrap would make them 0700)."""
        created = []
        for parent in reversed(path.parents):
            if parent not in made and not str(parent).startswith("/usr/"):
                created += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        return created

    # /tmp first: the course (and its environment) may itself live under /tmp.
    size = ["--size", str(confinement.tmp_bytes)]
    options += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", *size, "--tmpfs", "/dev/shm",
                "--perms", "1777", *size, "--tmpfs", "/tmp"]
    for path in readable:
        if not str(path).startswith("/usr/"):
            options += [*parents(path), "--ro-bind", str(path), str(path)]
    return [*options, *parents(scratch), "--bind", str(scratch), str(scratch), "--chdir", "/"]  # confine() enters the scratch folder


class GuardedSession(Session):
    """jupyter_client's session, for messages from an untrusted kernel.

    Each message is measured as it arrived (every byte counts toward the output limits), and a
    message that cannot be read — a resent signature, a broken frame, a value JSON cannot hold —
    becomes a malformed record for the cell it claims, never an exception in the grader. A message
    of more than ``max_message_bytes`` is not unpacked (gigabytes of the grader's memory): a
    malformed record if its bytes name the record type, else output cut.
    """

    #: A message larger than this is not even unpacked (a record allowance's worth: no output is as large).
    max_message_bytes = Integer(64 * 1024**2)

    def deserialize(self, msg_list, content=True, copy=True):
        size = sum(len(part.bytes if hasattr(part, "bytes") else part) for part in msg_list)
        try:
            if size > self.max_message_bytes:
                message = self._oversized(msg_list)
            else:
                message = super().deserialize(msg_list, content=content, copy=copy)
        except Exception:  # noqa: BLE001 - whatever the kernel sent, the cell it claims is not graded
            message = self._broken(msg_list)
        message["bytes"] = size
        return message

    def _oversized(self, msg_list) -> dict:
        """A message too large to unpack: a malformed record if it may hold one, else cut output
        (a huge print is no attack on the grading, only more output than a cell may keep)."""
        from coursekit.record import RECORD_MIME

        mime = RECORD_MIME.encode()
        if any(mime in (part.bytes if hasattr(part, "bytes") else part) for part in msg_list[3:]):  # metadata, content, buffers
            return self._broken(msg_list)
        return self._replaced(msg_list, "stream", {"name": "stdout", "text": "[a message too large to keep was cut]\n"})

    def _broken(self, msg_list) -> dict:
        from coursekit.record import RECORD_MIME

        return self._replaced(msg_list, "display_data", {"data": {RECORD_MIME: None}, "metadata": {}})

    def _replaced(self, msg_list, msg_type: str, content: dict) -> dict:
        """A message of ``msg_type`` with ``content`` in place of the one received, for the cell it claims."""
        try:
            parent = self.unpack(msg_list[2]) if len(msg_list) > 2 else {}
        except Exception:  # noqa: BLE001
            parent = {}
        parent = parent if isinstance(parent, dict) else {}
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": "", "username": "", "version": "5.3"}
        return {"header": header, "msg_id": header["msg_id"], "msg_type": msg_type, "parent_header": parent,
                "metadata": {}, "content": content, "buffers": []}


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel command runs inside a :class:`Sandbox`."""

    sandbox = AnyTrait()
    scratch = AnyTrait()
    uid = AnyTrait(None)
    zygote = AnyTrait(None)  # an autograder.zygote.KernelZygote to fork the kernel from, or None to execute it

    @default("session")
    def _guarded_session(self) -> Session:
        return GuardedSession(parent=self)

    def start_kernel_as_its_own_user(self) -> None:
        """Draw a uid for this kernel and give it the scratch folder (root only)."""
        self.uid = self.sandbox.fresh_uid()
        if self.uid is not None:
            os.chown(self.scratch, self.uid, self.uid)

    async def _async_pre_start_kernel(self, **kw):
        if self.zygote is not None and self.provisioner is None:
            self.kernel_id = self.kernel_id or str(uuid.uuid4())
            self.provisioner = self.zygote.provisioner(self)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        if self.sandbox.kind != "none":
            # A signal would reach the sandbox's wrapper, not the kernel: interrupt by message,
            # which ipykernel turns into a SIGINT to itself.
            self.kernel_spec.interrupt_mode = "message"
        return self.sandbox.wrap(super().format_kernel_cmd(extra_arguments), self.scratch, self.uid)

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.uid is not None:  # the kernel, under its own uid, must read its connection file
            os.chown(self.connection_file, self.uid, self.uid)
