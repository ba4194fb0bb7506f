"""``coursekit.roles``: every role's name and duty, in English and Japanese."""
from __future__ import annotations

import re

import pytest

from coursekit import ROLES, roles

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_role_has_a_name_and_a_one_sentence_duty(lang):
    table = roles(lang)
    assert list(table.index) == list(ROLES) and table.index.name == "role"
    assert list(table.columns) == ["name", "duty"]
    for role, row in table.iterrows():
        assert row["name"].strip() and row["duty"].strip(), f"{role}: empty text in {lang}"
    end = "。" if lang == "ja" else "."
    for role, duty in table["duty"].items():
        assert duty.endswith(end) and duty.count(end) == 1, f"{role}: the duty should be one sentence: {duty!r}"
    assert table["name"].is_unique and table["duty"].is_unique


def test_english_names_are_the_roles_themselves():
    assert list(roles("en")["name"]) == list(ROLES)


def test_japanese_is_really_japanese():
    ja, en = roles("ja"), roles("en")
    for role in ROLES:
        assert JAPANESE.search(ja.loc[role, "name"]), f"{role}: the Japanese name has no Japanese in it"
        assert JAPANESE.search(ja.loc[role, "duty"]), f"{role}: the Japanese duty has no Japanese in it"
        assert ja.loc[role, "duty"] != en.loc[role, "duty"]
    assert ja.loc["Product Manager", "name"] == "プロダクトマネージャー"
    assert ja.loc["ML Operator", "name"] == "業務担当者(機械学習側)"


def test_an_unknown_language_names_the_known_ones():
    with pytest.raises(ValueError, match=r"'fr'.*\['en', 'ja'\]"):
        roles("fr")


def test_each_call_gives_a_table_of_its_own():
    table = roles()
    table.loc["Operator", "duty"] = "changed"
    assert roles().loc["Operator", "duty"] != "changed"


# The communication exercises route asks by these duties: look-alike roles must stay apart.
ROUTED_BY = {
    "Operator": ["product software", "daily work"],
    "ML Operator": ["predictions", "feeds back"],
    "System Admin": ["watches", "services", "costs"],
    "MLOps Engineer": ["ML models", "automates"],
    "DevOps Engineer": ["source control", "branch rules", "development environments", "access"],
    "Architect": ["existing product software", "environments"],
    "AI/ML Architect": ["architecture ML models need"],
    "IT Auditor": ["software may be installed", "network access", "exception", "machines", "law"],
    "Model Risk Manager": ["predictions", "legal fit", "social impact"],
    "Data Architect": ["platform", "stores"],
    "Data Engineer": ["features", "pipelines"],
}


@pytest.mark.parametrize("role", sorted(ROUTED_BY))
def test_duties_say_what_the_exercises_route_on(role):
    duty = roles("en").loc[role, "duty"].lower()
    assert [words for words in ROUTED_BY[role] if words.lower() not in duty] == []
