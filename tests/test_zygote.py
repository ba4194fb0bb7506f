"""Kernels forked from the zygote are confined as kernels started by bubblewrap are, and share nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.course import Course
from autograder.options import Limits
from autograder.runner import run_notebook
from autograder.sandbox import Sandbox, readable_paths
from autograder.zygote import course_imports, kernel_zygote

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.locate(ROOT)
FORKED = Sandbox("bubblewrap")
STARTED = Sandbox("bubblewrap", fork_kernels=False)
pytestmark = pytest.mark.skipif(not FORKED.forks_kernels, reason="kernels are forked only as root with bubblewrap")

FACTS = '''
import json, os, resource, socket
status = dict(line.split(":\\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\\t" in line)
try:
    socket.create_connection(("1.1.1.1", 53), timeout=1)
    network = "reachable"
except OSError:
    network = "unreachable"
def listable(path):
    try:
        os.listdir(path)
        return True
    except OSError:
        return False
print(json.dumps({
    "root": os.getuid() == 0 or os.getgid() == 0,
    "capabilities": [status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapAmb", "CapBnd")],
    "no_new_privs": status["NoNewPrivs"].strip(),
    "groups": os.getgroups(),
    "tmp": sorted(e for e in os.listdir("/tmp") if not f"{os.getcwd()}/".startswith(f"/tmp/{e}/")),  # but the way to its own folder
    "shm": sorted(os.listdir("/dev/shm")),
    "processes": len([p for p in os.listdir("/proc") if p.isdigit()]),
    "memory_limit": resource.getrlimit(resource.RLIMIT_AS),
    "process_limit": resource.getrlimit(resource.RLIMIT_NPROC),
    "network": network,
    "scratch_parent_listable": listable(os.path.dirname(os.getcwd())),
    "course_readable": os.path.exists(@SOURCE@),
}))
'''


def _run(sandbox: Sandbox, code: str, scratch: Path) -> list:
    zygote = kernel_zygote(sandbox, COURSE) if sandbox.forks_kernels else None
    runs = run_notebook(new_notebook(cells=[new_code_cell(code)]), scratch, Limits(cell_seconds=30), sandbox, zygote)
    assert [run.status for run in runs] == ["ok"], runs
    return [output for run in runs for output in run.outputs]


def _scratch(sandbox: Sandbox) -> Path:
    parent = kernel_zygote(sandbox, COURSE).root if sandbox.forks_kernels else None
    return Path(tempfile.mkdtemp(prefix="test-zygote-", dir=parent))


def _facts(sandbox: Sandbox) -> dict:
    scratch = _scratch(sandbox)
    try:
        outputs = _run(sandbox, FACTS.replace("@SOURCE@", repr(str(ROOT / "source"))), scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return json.loads(outputs[0]["text"])


def test_a_forked_kernel_is_confined_as_a_started_one_is():
    forked, started = _facts(FORKED), _facts(STARTED)
    none = "0000000000000000"
    assert started.pop("capabilities") == forked.pop("capabilities") == [none] * 5  # the bounding set too
    assert forked == started
    assert forked["root"] is False and forked["groups"] == []
    assert forked["no_new_privs"] == "1"
    ways = {path.relative_to("/tmp").parts[0] for path in readable_paths() if path.is_relative_to("/tmp")}
    assert set(forked["tmp"]) <= ways  # nothing in /tmp but the way to the environment, when it lives there
    assert forked["network"] == "unreachable" and forked["course_readable"] is False
    assert forked["memory_limit"] == [FORKED.confinement.memory_bytes] * 2
    assert forked["process_limit"] == [FORKED.confinement.processes] * 2


def test_forked_kernels_share_nothing_and_leave_nothing_behind():
    first, second = _scratch(FORKED), _scratch(FORKED)
    try:
        (first / "mine.txt").write_text("first learner's file")
        leave = ("import os, subprocess\nopen('/tmp/left', 'w').write('x'); open('/dev/shm/left', 'w').write('x')\n"
                 "subprocess.Popen(['sleep', '300'], start_new_session=True)\nprint(os.getuid())")
        uid = int(_run(FORKED, leave, first)[0]["text"])
        assert subprocess.run(["pgrep", "-u", str(uid)], capture_output=True).returncode == 1  # no process of it is left
        look = ("import os, json\nprint(json.dumps([os.listdir('/tmp'), os.listdir('/dev/shm'), "
                "os.listdir(os.path.dirname(os.getcwd())), os.path.exists(" + repr(str(first / "mine.txt")) + ")]))")
        tmp, shm, beside, other = json.loads(_run(FORKED, look, second)[0]["text"])
        ways = {path.relative_to("/tmp").parts[0] for path in (second, *readable_paths()) if path.is_relative_to("/tmp")}
        assert (sorted(tmp), shm, beside, other) == (sorted(ways), [], [second.name], False)
    finally:
        shutil.rmtree(first, ignore_errors=True)
        shutil.rmtree(second, ignore_errors=True)


def test_the_zygote_preloads_what_the_course_imports():
    imports = course_imports(COURSE)
    assert {"pandas", "sklearn.model_selection", "matplotlib.pyplot", "coursekit", "ipykernel.kernelapp"} <= set(imports)
    assert set(kernel_zygote(FORKED, COURSE).preloaded) == set(imports)


def test_a_dead_zygote_is_replaced_on_next_use():
    zygote = kernel_zygote(FORKED, COURSE)
    os.kill(zygote._process.pid, 9)
    zygote._process.wait()
    assert kernel_zygote(FORKED, COURSE) is not zygote
    scratch = _scratch(FORKED)
    try:
        assert _run(FORKED, "print(1 + 1)", scratch)[0]["text"] == "2\n"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _capabilities(pid: int) -> dict[str, str]:
    status = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
    return {key: status[key].strip() for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}


def _descendants(pid: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def test_the_zygote_holds_only_the_four_capabilities_it_needs():
    sandbox = kernel_zygote(FORKED, COURSE)._process.pid
    command = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in _descendants(sandbox)}
    zygotes = [pid for pid, argv in command.items() if argv[0].endswith(b"python") and argv[2:3] == [b"zygote"]]
    needed = sum(1 << bit for bit in (6, 7, 8, 21))  # CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_SYS_ADMIN
    assert zygotes
    for pid in zygotes:
        caps = _capabilities(int(pid))
        assert int(caps["CapEff"], 16) == int(caps["CapPrm"], 16) == int(caps["CapBnd"], 16) == needed
        assert int(caps["CapInh"], 16) == int(caps["CapAmb"], 16) == 0
