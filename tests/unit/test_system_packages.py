"""scripts/system-packages.sh, which make test and make demo call: silent when a package is present,
installs it as root with apt-get, and never fails the target when it cannot. A fake apt-get on a
PATH of its own stands in for Debian's: nothing is installed on this machine."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-packages.sh"
PACKAGE = "kit-test-package:kit-test-command,kit-test-other"
FAKE_APT = """#!/bin/sh
echo "$*" >> "{calls}"
case " $* " in *" install "*) {install};; esac
"""
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="apt-get is used only as root")


def _path(tmp_path: Path, apt: str | None = None) -> Path:
    """A PATH folder with the few commands the script uses, and a fake apt-get doing ``apt``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "id").symlink_to("/usr/bin/id")
    if apt is not None:
        (folder / "apt-get").write_text(FAKE_APT.format(calls=tmp_path / "calls", install=apt))
        (folder / "apt-get").chmod(0o755)
    return folder


def _run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/bash", str(SCRIPT), PACKAGE], env={"PATH": str(folder)}, capture_output=True, text=True,
                          timeout=60)


def test_a_present_package_is_silent(tmp_path):
    folder = _path(tmp_path, apt="exit 1")
    (folder / "kit-test-other").symlink_to("/usr/bin/true")  # any one of its commands will do
    run = _run(folder)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert not (tmp_path / "calls").exists()


def test_without_apt_get_the_package_is_named_and_the_target_goes_on(tmp_path):
    run = _run(_path(tmp_path))
    assert run.returncode == 0
    why = "no apt-get" if os.geteuid() == 0 else "not root"
    assert f"note: kit-test-package not installed and not installable here ({why})" in run.stderr
    assert "sudo apt-get install kit-test-package" in run.stderr and len(run.stderr.splitlines()) == 1


@ROOT_ONLY
def test_as_root_apt_get_installs_it_once(tmp_path):
    folder = _path(tmp_path, apt=f"/usr/bin/ln -s /usr/bin/true {tmp_path / 'bin' / 'kit-test-command'}")
    first = _run(folder)
    assert first.returncode == 0 and "warning" not in first.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert [call.split()[-1] for call in calls] == ["update", "kit-test-package"]
    assert "install -y --no-install-recommends kit-test-package" in calls[1]
    again = _run(folder)
    assert (again.returncode, again.stderr) == (0, "") and (tmp_path / "calls").read_text().splitlines() == calls


@ROOT_ONLY
def test_as_root_offline_it_warns_and_the_target_goes_on(tmp_path):
    run = _run(_path(tmp_path, apt="exit 100"))
    assert run.returncode == 0
    assert "warning: apt-get could not install kit-test-package (offline, or not in its sources)" in run.stderr
