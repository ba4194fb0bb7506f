"""Keep gettext catalogues (``.po``) in step with the English they translate.

A catalogue entry is keyed by a context (``msgctxt``: a label key, a cell id...) and carries the
English text as its ``msgid``, as translators expect in any .po editor. Several entries may share
a context (the check descriptions of one checkpoint): an entry is the pair (context, English).
:func:`sync_catalogue` adds what is new (untranslated), marks what changed as fuzzy (the old
translation kept as a suggestion, the old English as ``msgid_previous``) and drops what is gone;
:func:`problems` lists what a translator still has to do, for the kit tests.

    python -m autograder.catalogue      # sync coursekit/locale/*.po with the label table
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import polib

#: What a catalogue translates: context -> English, or (context, English) pairs where contexts repeat.
Entries = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(entries: Entries) -> list[tuple[str, str]]:
    """The (context, English) pairs of ``entries``, each once, in order."""
    pairs = entries.items() if isinstance(entries, Mapping) else entries
    return list(dict.fromkeys((str(context), str(english)) for context, english in pairs))


def _new_catalogue(lang: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "ml-project-course-kit", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    return po


def _read(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path), wrapwidth=0) if not entry.obsolete] if path.exists() else []


def _match(old: list[polib.POEntry], pairs: list[tuple[str, str]]):
    """Each pair with its entry in ``old`` and whether that entry has today's English (``exact``);
    an entry whose English changed is the one left over under the same context (in order). Also
    returns the entries nothing matched."""
    exact = {(entry.msgctxt or "", entry.msgid): entry for entry in old}
    taken = {id(exact[pair]) for pair in pairs if pair in exact}
    leftover: dict[str, list[polib.POEntry]] = {}
    for entry in old:
        if id(entry) not in taken:
            leftover.setdefault(entry.msgctxt or "", []).append(entry)
    matched = []
    for pair in pairs:
        if pair in exact:
            matched.append((pair, exact[pair], True))
        else:
            candidates = leftover.get(pair[0], [])
            matched.append((pair, candidates.pop(0) if candidates else None, False))
    return matched, [entry for entries in leftover.values() for entry in entries]


def sync_catalogue(path: Path, entries: Entries, lang: str) -> list[str]:
    """Bring the catalogue at ``path`` in line with ``entries``; return the contexts that need a
    translator (new, changed or untranslated), in ``entries``' order."""
    po = polib.pofile(str(path), wrapwidth=0) if path.exists() else _new_catalogue(lang)
    matched, _ = _match(_read(path), _pairs(entries))
    po[:] = []
    todo = []
    for (context, english), entry, exact in matched:
        if entry is None:
            entry = polib.POEntry(msgctxt=context, msgid=english, msgstr="")
        elif not exact:
            entry.previous_msgid, entry.msgid = entry.msgid, english
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        if not entry.msgstr or entry.fuzzy:
            todo.append(context)
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return todo


def problems(path: Path, entries: Entries) -> dict[str, list[str]]:
    """What keeps the catalogue at ``path`` from translating ``entries``: missing, stale (the
    English changed), fuzzy or untranslated entries, and entries nothing uses any more (each a
    sorted list of contexts)."""
    matched, unused = _match(_read(path), _pairs(entries))
    return {
        "missing": sorted(context for (context, _), entry, _ in matched if entry is None),
        "stale": sorted(context for (context, _), entry, exact in matched if entry is not None and not exact),
        "fuzzy": sorted(context for (context, _), entry, exact in matched if exact and (entry.fuzzy or not entry.msgstr)),
        "unused": sorted(entry.msgctxt or "" for entry in unused),
    }


def translations(path: Path) -> dict[tuple[str, str], str]:
    """(context, English) -> translation, for the entries of the catalogue at ``path`` that are
    translated and not fuzzy (a fuzzy entry is a suggestion, never shown)."""
    return {(entry.msgctxt or "", entry.msgid): entry.msgstr for entry in _read(path) if entry.msgstr and not entry.fuzzy}


def main() -> int:
    from coursekit.labels import ENGLISH, LOCALE, languages

    for lang in languages()[1:]:
        todo = sync_catalogue(LOCALE / f"{lang}.po", ENGLISH, lang)
        print(f"{LOCALE / f'{lang}.po'}: {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} to translate"
              + (": " + ", ".join(todo) if todo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
