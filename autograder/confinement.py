"""What confines one kernel, defined once: its resource limits, its environment, the size of its
private /tmp, and the disk its grading process may fill.

Both ways of starting a kernel apply this one definition: a kernel started by bubblewrap on its
own (:mod:`autograder.sandbox`) and a kernel forked from the zygote (:mod:`autograder.zygote`).
Either way the kernel side of the confinement is :func:`autograder.kernel_zygote.confine`, which
receives :meth:`Confinement.request` as JSON.
"""
from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Confinement:
    """The limits of one kernel and of the disk its grading process lends it."""

    #: Address space of the kernel and of each process it starts.
    memory_bytes: int = 4 * 1024**3
    #: Processes and threads of the kernel's uid (a kernel with numpy needs a few dozen).
    processes: int = 256
    #: Largest file the kernel may write.
    file_bytes: int = 256 * 1024**2
    open_files: int = 1024
    #: Size of the kernel's own empty /tmp and /dev/shm.
    tmp_bytes: int = 256 * 1024**2
    #: Size of the tmpfs holding the scratch folders of one grading process (as root): one
    #: notebook filling it stops only itself, never a notebook graded beside it.
    disk_bytes: int = 1024**3

    def rlimits(self) -> dict[str, int]:
        """The resource limits, by the name of their ``resource.RLIMIT_*`` constant."""
        return {"RLIMIT_AS": self.memory_bytes, "RLIMIT_NPROC": self.processes,
                "RLIMIT_FSIZE": self.file_bytes, "RLIMIT_NOFILE": self.open_files}

    def environment(self, home: Path) -> dict[str, str]:
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

    def request(self, scratch: Path, uid: int | None) -> dict:
        """What the kernel side needs to confine one kernel, as plain JSON."""
        return {"rlimits": self.rlimits(), "uid": uid, "scratch": str(scratch), "env": self.environment(scratch),
                "tmp_bytes": self.tmp_bytes}

    def to_dict(self) -> dict[str, int]:
        return asdict(self)
