"""Catalogues follow their English: new entries wait for a translator, changed ones turn fuzzy."""
from __future__ import annotations

import polib

from autograder.catalogue import problems, sync_catalogue


def test_a_catalogue_follows_its_english(tmp_path):
    path = tmp_path / "ja.po"
    assert sync_catalogue(path, {"a": "Score", "b": "Hint"}, "ja") == ["a", "b"]
    po = polib.pofile(str(path))
    po.find("Score", msgctxt="a").msgstr, po.find("Hint", msgctxt="b").msgstr = "得点", "ヒント"
    po.save()
    assert not any(problems(path, {"a": "Score", "b": "Hint"}).values())
    assert sync_catalogue(path, {"a": "Points", "c": "Notes"}, "ja") == ["a", "c"]
    entry = polib.pofile(str(path)).find("Points", msgctxt="a")
    assert entry.fuzzy and entry.msgstr == "得点" and entry.previous_msgid == "Score"  # a suggestion, not a translation
    found = problems(path, {"a": "Points", "c": "Notes"})
    assert (found["fuzzy"], found["untranslated"]) == (["a"], ["c"])
    assert problems(path, {"a": "Points", "c": "Notes", "d": "New"})["missing"] == ["d"]
    assert problems(path, {"a": "Points"})["unused"] == ["c"]


def test_contexts_may_repeat_and_a_changed_entry_keeps_its_context(tmp_path):
    """The check descriptions of one checkpoint share a context: each (context, English) pair is an entry."""
    path = tmp_path / "a.po"
    pairs = [("what:x", "first check"), ("what:x", "second check"), ("cell", "Text")]
    assert sync_catalogue(path, pairs, "ja") == ["what:x", "what:x", "cell"]
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = "訳:" + entry.msgid
    po.save()
    assert not any(problems(path, pairs).values())
    changed = [("what:x", "first check"), ("what:x", "second check, reworded"), ("cell", "Text")]
    assert problems(path, changed)["stale"] == ["what:x"]
    assert sync_catalogue(path, changed, "ja") == ["what:x"]
    entry = polib.pofile(str(path)).find("second check, reworded", msgctxt="what:x")
    assert entry.fuzzy and entry.previous_msgid == "second check" and entry.msgstr == "訳:second check"
    assert problems(path, changed[:1])["unused"] == ["cell", "what:x"]
