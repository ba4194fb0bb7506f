"""The kernel side of the confinement, and the kernel zygote that forks confined kernels.

Standard library only: this file is not part of the ``autograder`` package the kernel could
read, it is bound alone into the sandbox. Two ways to use it:

``python kernel_zygote.py exec REQUEST -- KERNEL COMMAND...``
    confine this process as :func:`confine` says, then become the kernel (a kernel started by
    bubblewrap on its own, or with resource limits only).

``python kernel_zygote.py zygote CONFIG``
    import the course's libraries once, then fork one confined kernel per request. It runs
    inside bubblewrap as root with four capabilities; only this file, never learner code, runs
    with them. It reads one JSON request per line on stdin and answers one JSON line on stdout:

        {"op": "spawn", "connection_file": ..., "confinement": {...}}  -> {"pid": N} or {"error": "..."}
        {"op": "poll", "pid": N}  -> {"status": exit code or null while it runs}
        {"op": "kill", "pid": N}  -> {}

    Each kernel gets what a kernel started by bubblewrap on its own gets: a PID namespace of its
    own (whose init ends with the kernel, which kills everything the kernel left behind), a mount
    namespace with its own /proc and empty /tmp and /dev/shm, an IPC namespace, and then
    :func:`confine`: resource limits, an environment of its own, a uid of its own without
    capabilities or any way to gain them, its scratch folder as its home, no file descriptors of
    the zygote.

The request of :func:`confine` is made by ``autograder.confinement.Confinement.request``.
"""
from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import signal
import sys

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID = 0x00020000, 0x08000000, 0x20000000
#: The zygote's capabilities: CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_SYS_ADMIN.
ZYGOTE_CAPABILITIES = (6, 7, 8, 21)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 0x1000, 0x4000, 0x40000
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 1, 24, 38, 47, 4
_CAPABILITY_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)


def _call(name: str, *args) -> None:
    if getattr(_libc, name)(*args) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{name}{args[:2]}: {os.strerror(error)}")


def _mount(source: str, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    _call("mount", source.encode(), target.encode(), kind.encode() if kind else None, ctypes.c_ulong(flags),
          data.encode() if data else None)


def _private_mounts(scratch: str, readable: list[str], tmp_bytes: int) -> None:
    """A mount namespace of the kernel's own: fresh /proc for its PID namespace, empty /tmp and
    /dev/shm, and what it may use from under them (the course and its environment may live in
    /tmp) bound back in place: its scratch folder writable, the ``readable`` paths read-only."""
    _call("unshare", CLONE_NEWNS | CLONE_NEWIPC)
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    hidden = [path for path in readable if path.startswith(("/tmp/", "/dev/shm/"))]
    kept = [(os.open(path, os.O_PATH | os.O_DIRECTORY), path, MS_RDONLY) for path in hidden]
    kept.append((os.open(scratch, os.O_PATH | os.O_DIRECTORY), scratch, 0))
    for folder in ("/tmp", "/dev/shm"):
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={tmp_bytes}")
    for fd, path, read_only in kept:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        if read_only:
            _mount("none", path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)


def _bound_capabilities(kept: tuple[int, ...] = ()) -> None:
    """Empty the capability bounding set but for ``kept``: nothing this process or its children
    execute can gain any other capability (needs CAP_SETPCAP)."""
    with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as last:
        capabilities = int(last.read()) + 1
    for capability in range(capabilities):
        if capability not in kept:
            _call("prctl", PR_CAPBSET_DROP, capability, 0, 0, 0)


def _keep_only(kept: tuple[int, ...]) -> None:
    """Hold the capabilities ``kept`` and nothing else: none to pass on through ``execve``
    (bubblewrap's ``--cap-add`` makes them inheritable and ambient too)."""
    _bound_capabilities(kept)
    _call("prctl", PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    mask = sum(1 << capability for capability in kept)
    header, sets = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0), (ctypes.c_uint32 * 6)(mask, mask, 0, 0, 0, 0)
    _call("capset", header, sets)  # effective and permitted kept, inheritable emptied


def _drop_privileges(uid: int) -> None:
    """Become ``uid`` with no groups and no capabilities, with no way back (needs CAP_SETUID,
    CAP_SETGID and CAP_SETPCAP, which the process then loses with everything else)."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    _bound_capabilities()
    os.setresuid(uid, uid, uid)  # leaving uid 0 clears the permitted and effective capabilities
    header, no_capabilities = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0), (ctypes.c_uint32 * 6)()
    _call("capset", header, no_capabilities)  # and this the inheritable ones


def confine(request: dict) -> None:
    """Confine this process as one kernel: its resource limits, its whole environment, its uid
    (when one is given: the grader runs as root) and its scratch folder as working folder."""
    for name, value in request["rlimits"].items():
        if name == "RLIMIT_NPROC" and request["uid"] is None and os.geteuid() == 0:
            continue  # root is exempt anyway, and the limit counts every process of the grader's uid
        resource.setrlimit(getattr(resource, name), (value, value))
    os.environ.clear()
    os.environ.update(request["env"])
    if request["uid"] is not None:
        _drop_privileges(request["uid"])
    _call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.chdir(request["scratch"])


def _become_kernel(request: dict, ready: int) -> None:
    """In the forked kernel: confine this process, tell the zygote, then run ipykernel (never returns)."""
    os.setsid()
    confine(request["confinement"])
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.write(ready, b"ok\n")
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]  # as in a kernel started on its own
    IPKernelApp.launch_instance(argv=sys.argv[1:])
    os._exit(0)


def _report_failure(ready: int, error: BaseException) -> None:
    """Tell the zygote why this kernel could not start, then end this process."""
    os.write(ready, f"{type(error).__name__}: {error}\n".encode())
    os._exit(70)


def _init(request: dict, ready: int) -> None:
    """PID 1 of the kernel's namespace: set up its mounts, fork the kernel, reap until it ends."""
    try:
        _call("prctl", PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # should its parent die first
        confinement = request["confinement"]
        _private_mounts(confinement["scratch"], request["readable"], confinement["tmp_bytes"])
        kernel = os.fork()
        if kernel == 0:
            try:
                _become_kernel(request, ready)
            except BaseException as error:  # noqa: BLE001 - reported to the grader, then gone
                _report_failure(ready, error)
        os.close(ready)
        while True:
            pid, status = os.wait()
            if pid == kernel:  # leaving PID 1 ends the namespace: whatever the kernel left is killed
                os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    except BaseException as error:  # noqa: BLE001
        _report_failure(ready, error)


def _parent(request: dict, ready: int) -> None:
    """The zygote's child: the parent, outside, of a new PID namespace whose init is :func:`_init`."""
    try:
        _call("unshare", CLONE_NEWPID)  # once per process: each kernel needs a process of its own to do it
        init = os.fork()
        if init == 0:
            _init(request, ready)
        os.close(ready)
        # Asked to stop, kill the init: its namespace is empty once it has been reaped.
        signal.signal(signal.SIGTERM, lambda *_: os.kill(init, signal.SIGKILL))
        _, status = os.waitpid(init, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    except BaseException as error:  # noqa: BLE001
        _report_failure(ready, error)


def _spawn(request: dict, channel: tuple[int, int]) -> dict:
    ready_read, ready = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_read)
        for fd in channel:
            os.close(fd)
        _parent(request, ready)
    os.close(ready)
    with os.fdopen(ready_read, "rb") as answer:
        said = answer.readline().decode(errors="replace").strip()
    if said != "ok":
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return {"error": said or "the kernel process ended before it was ready"}
    return {"pid": pid}


def _exec(request: dict, command: list[str]) -> None:
    """Confine this process, then become ``command`` (the kernel)."""
    confine(request)
    os.execv(command[0], command)


def _zygote(config: dict) -> None:
    os.environ.clear()
    os.environ.update(config["env"])  # before any import: libraries read it as they load (matplotlib's backend)
    if os.geteuid() == 0:
        _keep_only(ZYGOTE_CAPABILITIES)
    sys.path.pop(0)  # this file's folder: kernels start with the course's path, as ipykernel_launcher does
    channel = (os.dup(0), os.dup(1))
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # whatever an import prints never reaches the channel
    preloaded = []
    for name in config["preload"]:
        try:
            importlib.import_module(name)
            preloaded.append(name)
        except Exception:  # noqa: BLE001 - the kernel imports it again and shows the error where it belongs
            pass
        if len(os.listdir("/proc/self/task")) > 1:  # forking a process with threads is not safe
            raise SystemExit(f"importing {name} started a thread: kernels cannot be forked from this process")
    requests = os.fdopen(channel[0], "r", encoding="utf-8")
    answers = os.fdopen(channel[1], "w", encoding="utf-8")
    answers.write(json.dumps({"ready": preloaded}) + "\n")
    answers.flush()
    finished: dict[int, int] = {}
    for line in requests:
        request = json.loads(line)
        pid = request.get("pid")
        if request["op"] == "spawn":
            answer = _spawn(request | {"readable": config["readable"]}, channel)
        elif request["op"] == "poll":
            if pid not in finished:
                try:
                    done, status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:  # not a kernel of this zygote
                    done, status = pid, 255 << 8
                if done:
                    finished[pid] = os.waitstatus_to_exitcode(status)
            answer = {"status": finished.get(pid)}
        elif request["op"] == "kill":
            if pid not in finished:  # the kernel's parent returns once its namespace is empty
                os.kill(pid, signal.SIGTERM)
                finished[pid] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            answer = {}
        else:
            answer = {"error": f"unknown request {request['op']!r}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main() -> None:
    mode, argument, *command = sys.argv[1:]
    if mode == "exec":
        _exec(json.loads(argument), command[1:] if command[:1] == ["--"] else command)
    else:
        _zygote(json.loads(argument))


if __name__ == "__main__":
    main()
