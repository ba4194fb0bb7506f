"""Where learner code runs: a kernel command wrapped in bubblewrap, with resource limits.

With ``bwrap`` installed the kernel sees a filesystem made of the system's read-only folders,
the Python environment and the ``coursekit`` package, and one writable scratch folder: no
course source, no hidden tests, no gradebook, no output folder, no other learner's files, no
network. Run as root, the grader also gives each kernel a uid of its own, so the process limit
holds (root is exempt from it). Without ``bwrap`` only the resource limits apply, and the
report says so.
"""
from __future__ import annotations

import os
import secrets
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import coursekit
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any as AnyTrait


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one kernel."""

    memory_bytes: int = 4 * 1024**3
    processes: int = 256  # threads count too: a kernel with numpy needs a few dozen
    file_bytes: int = 256 * 1024**2
    open_files: int = 1024


@dataclass(frozen=True)
class Sandbox:
    """How a kernel is confined: ``bubblewrap`` (isolated), ``rlimits`` (resource limits only) or
    ``none`` (the caller's own code, as in a learner's self-check)."""

    kind: str
    limits: SandboxLimits = SandboxLimits()
    fork_kernels: bool = True

    @classmethod
    def best_available(cls, limits: SandboxLimits = SandboxLimits(), fork_kernels: bool = True) -> "Sandbox":
        return cls("bubblewrap" if shutil.which("bwrap") else "rlimits", limits, fork_kernels)

    @property
    def isolated(self) -> bool:
        return self.kind == "bubblewrap"

    @property
    def warning(self) -> str:
        if self.isolated:
            return ""
        return ("bubblewrap (bwrap) is not installed: learner code ran with resource limits only and could read "
                "files this user can read. Install Debian's 'bubblewrap' package to isolate it.")

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
        limits = self.limits
        nproc = [f"--nproc={limits.processes}"] if uid is not None or os.geteuid() != 0 else []
        prlimit = ["prlimit", f"--as={limits.memory_bytes}", f"--fsize={limits.file_bytes}",
                   f"--nofile={limits.open_files}", *nproc, "--"]
        env = _environment(scratch)
        if not self.isolated:
            return ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *prlimit, *command]
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs", "--"] if uid else []
        return ["bwrap", *_bwrap_options(scratch, env), "--", *prlimit, *drop, *command]

    def zygote_command(self, command: list[str], root: Path, home: Path, script: Path) -> list[str]:
        """The zygote's command: the kernels' sandbox with ``root`` writable, ``script`` readable, and
        the capabilities the zygote needs to confine each kernel it forks (which keeps none of them)."""
        capabilities = [option for cap in ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP") for option in ("--cap-add", cap)]
        return ["bwrap", *_bwrap_options(root, _environment(home), also_readable=[script]), *capabilities, "--", *command]


def _environment(home: Path) -> dict[str, str]:
    """A kernel's whole environment, with ``home`` as its home folder."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".matplotlib"),
        "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MPLBACKEND": "agg",  # grading reads what was drawn, never the picture: no PNG per figure
    }
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # keep the machine's OpenBLAS workarounds
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def readable_paths() -> list[Path]:
    """What a kernel may read beyond the system: the Python environment and the ``coursekit`` package."""
    return [Path(sys.base_prefix), Path(sys.prefix), Path(coursekit.__file__).resolve().parent]


def _bwrap_options(scratch: Path, env: dict[str, str], also_readable: list[Path] = ()) -> list[str]:
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
    options += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm", "--perms", "1777", "--tmpfs", "/tmp"]
    for path in readable:
        if not str(path).startswith("/usr/"):
            options += [*parents(path), "--ro-bind", str(path), str(path)]
    options += [*parents(scratch), "--bind", str(scratch), str(scratch), "--chdir", str(scratch)]
    for key, value in env.items():
        options += ["--setenv", key, value]
    return options


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel command runs inside a :class:`Sandbox`."""

    sandbox = AnyTrait()
    scratch = AnyTrait()
    uid = AnyTrait(None)
    zygote = AnyTrait(None)  # an autograder.zygote.KernelZygote to fork the kernel from, or None to execute it

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
