"""Keep gettext catalogues (``.po``) in step with the English they translate.

A catalogue entry is keyed by a context (``msgctxt``: a label key, a cell id...) and carries the
English text as its ``msgid``, as translators expect in any .po editor. :func:`sync_catalogue`
adds what is new (untranslated), marks what changed as fuzzy (the old translation kept as a
suggestion, the old English as ``msgid_previous``) and drops what is gone; :func:`problems` lists
what a translator still has to do, for the kit tests.

    python -m autograder.catalogue      # sync coursekit/locale/*.po with the label table
"""
from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import polib


def _new_catalogue(lang: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "ml-project-course-kit", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    return po


def sync_catalogue(path: Path, entries: Mapping[str, str], lang: str) -> list[str]:
    """Bring the catalogue at ``path`` in line with ``entries`` (context -> English); return the
    contexts that need a translator (new or changed), in ``entries``' order."""
    old = {entry.msgctxt: entry for entry in polib.pofile(str(path), wrapwidth=0)} if path.exists() else {}
    po = _new_catalogue(lang) if not path.exists() else polib.pofile(str(path), wrapwidth=0)
    po[:] = []
    todo = []
    for context, english in entries.items():
        entry = old.get(context)
        if entry is None:
            entry = polib.POEntry(msgctxt=context, msgid=english, msgstr="")
        elif entry.msgid != english:
            entry.previous_msgid, entry.msgid = entry.msgid, english
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        if not entry.msgstr or entry.fuzzy:
            todo.append(context)
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return todo


def problems(path: Path, entries: Mapping[str, str]) -> dict[str, list[str]]:
    """What keeps the catalogue at ``path`` from translating ``entries``: missing, stale, fuzzy or
    untranslated entries, and entries nothing uses any more (each a sorted list of contexts)."""
    found = {entry.msgctxt: entry for entry in polib.pofile(str(path)) if not entry.obsolete} if path.exists() else {}
    return {
        "missing": sorted(set(entries) - set(found)),
        "stale": sorted(c for c, e in found.items() if c in entries and e.msgid != entries[c]),
        "fuzzy": sorted(c for c, e in found.items() if c in entries and (e.fuzzy or not e.msgstr)),
        "unused": sorted(set(found) - set(entries)),
    }


def main() -> int:
    from coursekit.labels import ENGLISH, LOCALE, languages

    for lang in languages()[1:]:
        todo = sync_catalogue(LOCALE / f"{lang}.po", ENGLISH, lang)
        print(f"{LOCALE / f'{lang}.po'}: {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} to translate"
              + (": " + ", ".join(todo) if todo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
