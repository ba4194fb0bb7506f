"""Where kernels write: one scratch folder per kernel, under one root per grading process.

As root the root is a tmpfs of :attr:`Confinement.disk_bytes <autograder.confinement.Confinement>`:
a grading process runs one kernel at a time, so a notebook that fills its disk stops only itself,
never a notebook graded beside it in another process. Removing a scratch folder copes with any
depth of folders a notebook made.
"""
from __future__ import annotations

import multiprocessing.util
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from autograder.confinement import Confinement


def remove_tree(path: Path) -> None:
    """Remove ``path`` and everything under it, however deep (``shutil.rmtree`` recurses)."""
    subprocess.run(["rm", "-rf", "--one-file-system", "--", str(path)], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class ScratchRoot:
    """The folder under which one grading process's kernels get their scratch folders."""

    def __init__(self, confinement: Confinement) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="autograder-kernels-"))
        self.mounted = False
        if os.geteuid() == 0 and shutil.which("mount"):
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={confinement.disk_bytes},mode=0711,nosuid,nodev",
                                   "autograder-scratch", str(self.path)], capture_output=True)
            self.mounted = done.returncode == 0
        self.path.chmod(0o711)  # kernels reach their own folder, never list the others

    @contextmanager
    def folder(self, *files: Path) -> Iterator[Path]:
        """A fresh scratch folder holding copies of ``files``, removed afterwards."""
        folder = Path(tempfile.mkdtemp(prefix="kernel-", dir=self.path))
        try:
            for file in files:
                (folder / file.name).write_bytes(file.read_bytes())
            yield folder
        finally:
            remove_tree(folder)

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False, capture_output=True)
        remove_tree(self.path)


_roots: dict[Confinement, ScratchRoot] = {}
_lock = threading.Lock()


def scratch_root(confinement: Confinement) -> ScratchRoot:
    """This process's scratch root for ``confinement`` (made on first use, removed at exit)."""
    with _lock:
        root = _roots.get(confinement)
        if root is None:
            root = _roots[confinement] = ScratchRoot(confinement)
            multiprocessing.util.Finalize(root, root.close, exitpriority=0)  # also in a pool worker
        return root
