"""Keep gettext catalogues (``.po``) in step with the English they translate.

A catalogue entry is keyed by a context (``msgctxt``: a label key, a cell id...) and carries the
English text as its ``msgid``, as translators expect in any .po editor. Several entries may share
a context (the check descriptions of one checkpoint): an entry is the pair (context, English).
:func:`sync_catalogue` adds what is new (untranslated), marks what changed as fuzzy (the old
translation kept as a suggestion, the old English as ``msgid_previous``) and drops what is gone;
:func:`problems` lists what a translator still has to do, and :func:`broken_rules` the
translations that lost what must stay as the English has it (code spans, numbers, placeholders),
for the kit tests and ``make catalogues``.

    python -m autograder.catalogue      # sync coursekit/locale/*.po with the label table
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import polib

#: What a catalogue translates: context -> English, or (context, English) pairs where contexts repeat.
Entries = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(entries: Entries) -> list[tuple[str, str]]:
    """The (context, English) pairs of ``entries``, each once, in order."""
    pairs = entries.items() if isinstance(entries, Mapping) else entries
    return list(dict.fromkeys((str(context), str(english)) for context, english in pairs))


#: A letter or digit next to a number makes it part of a word ("1st", "x2"), as in English prose;
#: Japanese characters do not ("30日" quotes 30), since Japanese writes no space before a counter.
_LETTER = r"[^\W\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
#: A number as prose writes it ("¥1,200", "7.5", "2930"): the one pattern of the figure tests
#: (``tests/prose.py``) and of the translation rules.
NUMBER = re.compile(rf"(?<!{_LETTER})(?<![.$^_{{])[¥$]?\d[\d,]*(?:\.\d+)?(?!{_LETTER})")
#: An English ordinal ("95th"): a translation writes its number ("95 パーセンタイル").
ORDINAL = re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)\b")
#: A code span or a fenced code block of markdown (as many backticks close it as opened it).
CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
#: A ``str.format`` field of a label template (``{n}``, ``{kind}``); ``{{`` is a literal brace.
PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_]\w*\}(?!\})")
#: A formula of markdown (``$...$``, ``$$...$$``): its braces are LaTeX's (``\text{return}`` translates), not placeholders.
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)


def placeholders(text: str) -> list[str]:
    """The placeholders of ``text``, outside its formulas."""
    return PLACEHOLDER.findall(MATH.sub(" ", text))


def numbers(text: str) -> list[str]:
    """Every number written in ``text``, in order, a trailing comma dropped ("1, 3 and 4")."""
    return [token.rstrip(",") for token in NUMBER.findall(text)]


def code_spans(text: str) -> list[str]:
    """Every code span and fenced block of ``text``, backticks included, in order."""
    return [match.group(0) for match in CODE.finditer(text)]


def broken_rule(english: str, translation: str, extra_spans: frozenset[str] = frozenset()) -> list[str]:
    """How ``translation`` fails to keep what must stay exactly as ``english`` has it: each code
    span and block, each number, each placeholder, as often as the English has it. A span in
    ``extra_spans`` may be added (the glossary adds a role's identifier once in code form)."""
    broken = []
    spans_en, spans_tr = Counter(code_spans(english)), Counter(code_spans(translation))
    if lost := sorted((spans_en - spans_tr).elements()):
        broken.append("code spans lost or changed: " + ", ".join(lost))
    if added := sorted(span for span in (spans_tr - spans_en).elements() if span.strip("`\"") not in extra_spans):
        broken.append("code spans the English does not have: " + ", ".join(added))
    for what, find in (("numbers", numbers), ("placeholders", placeholders)):
        found_en, found_tr = Counter(find(english)), Counter(find(translation))
        if find is numbers:
            found_en.update(ORDINAL.findall(english))
        if found_en != found_tr:
            lost, added = sorted((found_en - found_tr).elements()), sorted((found_tr - found_en).elements())
            broken.append(f"{what} differ: " + "; ".join(part for part in (
                "lost " + ", ".join(lost) if lost else "", "added " + ", ".join(added) if added else "") if part))
    return broken


def broken_rules(path: Path, extra_spans: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """context -> how its translation breaks :func:`broken_rule`, for every translated entry of
    the catalogue at ``path`` (fuzzy ones too: a suggestion should keep the rules as well)."""
    broken: dict[str, list[str]] = {}
    for entry in _read(path):
        if entry.msgstr and (found := broken_rule(entry.msgid, entry.msgstr, extra_spans)):
            broken.setdefault(entry.msgctxt or "", []).extend(found)
    return broken


def _new_catalogue(lang: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "ml-project-course-kit", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    return po


def _read(path: Path, obsolete: bool = False) -> list[polib.POEntry]:
    """The entries of the catalogue at ``path`` (none if it does not exist): the current ones, or
    the obsolete ones (``#~``, kept by some .po editors) with ``obsolete``."""
    return [entry for entry in polib.pofile(str(path), wrapwidth=0) if entry.obsolete == obsolete] if path.exists() else []


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
    English changed), fuzzy or untranslated entries, entries nothing uses any more, and obsolete
    entries left in the file (each a sorted list of contexts). ``make catalogues`` clears all
    but the fuzzy and untranslated ones, the translator's work."""
    matched, unused = _match(_read(path), _pairs(entries))
    return {
        "missing": sorted(context for (context, _), entry, _ in matched if entry is None),
        "stale": sorted(context for (context, _), entry, exact in matched if entry is not None and not exact),
        "fuzzy": sorted(context for (context, _), entry, exact in matched if exact and entry.fuzzy),
        "untranslated": sorted(context for (context, _), entry, exact in matched if exact and not entry.fuzzy and not entry.msgstr),
        "unused": sorted(entry.msgctxt or "" for entry in unused),
        "obsolete": sorted(entry.msgctxt or "" for entry in _read(path, obsolete=True)),
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
