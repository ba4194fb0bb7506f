"""The translated release points its learners at their own release's folders."""
from __future__ import annotations

from autograder.localized_release import _release_paths


def test_paths_into_the_english_release_point_at_the_translated_one():
    prose = "`pytest assignments/05_train` を実行し、`solutions/05_train` と比べます。"
    assert _release_paths(prose, "ja") == "`pytest assignments-ja/05_train` を実行し、`solutions-ja/05_train` と比べます。"


def test_other_paths_are_left_alone():
    for prose in ("my-assignments/05_train", "assignments/README.md", "docs/assignments/05_train", "assignments-ja/05_train"):
        assert _release_paths(prose, "ja") == prose
