"""The label table: one place for every word, every catalogue complete and current."""
from __future__ import annotations

import re

import polib
import pytest

from autograder.catalogue import problems
from coursekit.labels import ENGLISH, LOCALE, check_language, languages, reason_text, text
from coursekit.verdicts import Reason

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
FIELDS = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != "en"])
def test_every_label_has_a_current_translation(lang):
    path = LOCALE / f"{lang}.po"
    assert {kind: found for kind, found in problems(path, ENGLISH).items() if found} == {}, \
        "run 'python -m autograder.catalogue' and translate what it lists"
    for key, entry in {entry.msgctxt: entry for entry in polib.pofile(str(path))}.items():
        assert sorted(FIELDS.findall(entry.msgstr)) == sorted(FIELDS.findall(ENGLISH[key])), f"{key}: the fields differ"


def test_japanese_labels_are_japanese():
    english_only = [key for key in ENGLISH if not JAPANESE.search(text(key, "ja")) and text(key, "ja") == ENGLISH[key]
                    and not key.startswith("metric.")]
    assert english_only == []


def test_a_changed_english_text_falls_back_to_english_until_translated(monkeypatch):
    from coursekit import labels

    monkeypatch.setitem(labels.ENGLISH, "report.score", "Points")
    labels.catalogue.cache_clear()
    try:
        assert text("report.score", "ja") == "Points"
    finally:
        labels.catalogue.cache_clear()


def test_a_check_reason_reads_as_a_sentence_in_each_language():
    reason = Reason("reason.positions", {"where": "the series", "wrong": 3, "total": 10, "first": 2, "part": "values"})
    assert reason_text(reason) == "This check did not hold: the series differs at 3 of 10 values (the first at position 2)."
    assert "10個の値のうち 3 か所" in reason_text(reason, "ja")
    assert reason_text(Reason("reason.raised", {"error": "Score 20/20"})) == \
        "Your code raised an exception of its own while this checkpoint was checked."
    assert reason_text(Reason("reason.no_such_key")).startswith("This check did not hold")


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="use one of en, ja"):
        check_language("fr")
