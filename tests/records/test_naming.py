"""The ids made from names: pinyin, surname-given for persons, one rule."""

from __future__ import annotations

import pytest

from stakegraph.records.naming import id_slug, person_slug, spellings, spells, text_slug


@pytest.mark.parametrize(
    "name, slug",
    [
        ("刘德华", "liu-dehua"),
        ("周蔚然", "zhou-weiran"),
        ("何静", "he-jing"),
        ("欧阳澜", "ouyang-lan"),
        ("司马", "si-ma"),  # two characters only: a surname and a given name
        ("曾国藩", "zeng-guofan"),
        ("单田芳", "shan-tianfang"),
        ("吕布", "lv-bu"),
        ("王 伟", "wang-wei"),
        ("Dana Whitfield", "dana-whitfield"),
        ("José Núñez", "jose-nunez"),
    ],
)
def test_person_ids_are_surname_then_given_name(name, slug):
    assert person_slug(name) == slug


def test_other_names_take_one_syllable_per_hyphen():
    assert text_slug("市财政局") == "shi-cai-zheng-ju"
    assert text_slug("Ranking Member (acting)") == "ranking-member-acting"


@pytest.mark.parametrize(
    "text",
    ["2026-11-27-visit-xu-zhiheng", "improve-jc_fin-2026-11-27", "a--b", "Plan.B x", "-x-"],
)
def test_ids_made_from_ids_keep_what_they_kept(text):
    """Text without Chinese gives the id it gave before: only spaces and punctuation change."""
    expected = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text).strip("-")
    assert id_slug(text) == expected


def test_ids_made_from_chinese_ids_are_pinyin():
    assert id_slug("2026-11-27-visit-王伟") == "2026-11-27-visit-wang-wei"
    assert id_slug("improve-财政局-2026-11-27") == "improve-cai-zheng-ju-2026-11-27"
    assert id_slug("a王b") == "a-wang-b"


def test_any_reading_of_a_character_spells_it():
    assert spells("zengguofan", spellings("曾国藩"))
    assert spells("cengguofan", spellings("曾国藩"))
    assert not spells("zengguofa", spellings("曾国藩"))
    assert not spells("", spellings(""))
