"""JupyterLab on the release in one of the course's languages: ``make lab LANG=ja``.

Opens ``assignments/`` (English) or ``assignments-<lang>/``, and JupyterLab's own menus in that
language where its language pack is installed (``jupyterlab-language-pack-ja-JP``, the ``lab``
extra). The locale is a settings *override* in a folder of this run (``build/lab-<lang>/``),
passed as ``--LabApp.app_settings_dir``: the learner's own JupyterLab settings are never written.

    python -m autograder.lab [--lang ja] [JUPYTER LAB OPTIONS...]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path

from autograder.course import Course
from coursekit.labels import check_language

#: JupyterLab's setting that names its display language.
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"


def release_folder(course: Course, lang: str) -> Path:
    """The released assignments in ``lang``: ``assignments/`` or ``assignments-<lang>/``."""
    return course.root / ("assignments" if lang == "en" else f"assignments-{lang}")


def jupyterlab_locale(lang: str) -> str | None:
    """The locale of the installed JupyterLab language pack for ``lang`` (``ja`` -> ``ja_JP``), or
    ``None`` when none is installed (English needs none: it is JupyterLab's own)."""
    if lang == "en":
        return "en"
    packs = sorted(point.name for point in entry_points(group="jupyterlab.languagepack"))
    return next((pack for pack in packs if pack == lang or pack.split("_")[0] == lang), None)


def language_settings(lang: str, settings: Path) -> list[str]:
    """``jupyter lab`` options that show JupyterLab in ``lang``: its locale written as an override
    into the folder ``settings`` (made here), for this run only."""
    settings.mkdir(parents=True, exist_ok=True)
    locale = jupyterlab_locale(lang)
    overrides = {TRANSLATION_PLUGIN: {"locale": locale}} if locale else {}
    (settings / "overrides.json").write_text(json.dumps(overrides, indent=2), encoding="utf-8")
    return [f"--LabApp.app_settings_dir={settings}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.lab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="en", help="the release's language (default: %(default)s)")
    parser.add_argument("--course", help="the course folder (default: the one this kit sits in)")
    args, jupyter = parser.parse_known_args(argv)
    course = Course.locate(args.course)
    try:
        lang = check_language(args.lang)
    except ValueError as error:
        raise SystemExit(str(error)) from None
    if not release_folder(course, lang).is_dir():
        raise SystemExit(f"{release_folder(course, lang)} does not exist: run 'make release' first.")
    if jupyterlab_locale(lang) is None:
        print(f"note: no JupyterLab language pack for {lang!r} is installed, so JupyterLab's own menus stay in English "
              f"(the notebooks are in {lang}). Install jupyterlab-language-pack-<{lang}-XX> from PyPI to change that.",
              file=sys.stderr)
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={release_folder(course, lang)}",
               *language_settings(lang, course.root / "build" / f"lab-{lang}"), *jupyter]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    sys.exit(main())
