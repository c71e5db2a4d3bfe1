"""Finding a record by what is typed: id, name, alias, pinyin or initials, in that order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stakegraph.errors import AmbiguousName, Location, UnknownRecord
from stakegraph.records.lookup import Lookup, _record_names, resolve
from stakegraph.records.model import Person
from stakegraph.records.periods import NamePeriod
from stakegraph.records.workspace import RawRecord, Workspace, build_workspace

DAY = dt.date(2026, 11, 28)

RECORDS: dict[str, list[dict[str, Any]]] = {
    "organisations": [
        {"id": "fin", "name": "市财政局", "aliases": ["财政局"]},
        {"id": "bdb", "name": "市大数据局"},
    ],
    "posts": [
        {"id": "fin-deputy", "org": "fin", "title": "副局长", "grade": "副处"},
        {"id": "bdb-deputy", "org": "bdb", "title": "副局长", "grade": "副处"},
        {"id": "bdb-chief", "org": "bdb", "title": "科长", "grade": "正科"},
    ],
    "persons": [
        {"id": "wang-wei", "name": "王伟", "tenures": [{"post": "fin-deputy"}]},
        {"id": "wang-wei-2", "name": "王伟", "tenures": [{"post": "bdb-deputy"}]},
        {"id": "xu-zhiheng", "name": "许志恒", "aliases": ["老许"]},
        {"id": "zhou-weiran", "name": "周蔚然", "tenures": [{"post": "bdb-chief"}]},
        {"id": "lv-bu", "name": "吕布"},
        # a name that is another record's id, and an alias that is another's name
        {"id": "he-jing", "name": "何静"},
        {"id": "hj-2", "name": "He-Jing", "aliases": ["许志恒"]},
        {"id": "dana", "name": "Dana Whitfield"},
        {"id": "xu-zhihong", "name": "徐志宏"},
    ],
    "owners": [{"id": "liu-kai", "name": "刘凯", "tier": "rep", "title": "客户经理"}],
    "opportunities": [{"id": "brain", "name": "城市大脑一期", "client": "bdb"}],
}


def _workspace() -> Workspace:
    raws = [
        RawRecord(collection, dict(data), Location(collection))
        for collection, items in RECORDS.items()
        for data in items
    ]
    return build_workspace(raws, name="names")


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return _workspace()


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("person", "zhou-weiran", "zhou-weiran"),
        ("person", "  zhou-weiran ", "zhou-weiran"),
        ("person", "Zhou-Weiran", "zhou-weiran"),
        ("person", "周蔚然", "zhou-weiran"),
        ("person", "周 蔚然", "zhou-weiran"),
        ("person", "zhou weiran", "zhou-weiran"),
        ("person", "ZhouWeiran", "zhou-weiran"),
        ("person", "Zhōu Wèirán", "zhou-weiran"),
        ("person", "zwr", "zhou-weiran"),
        ("person", "老许", "xu-zhiheng"),
        ("person", "lv bu", "lv-bu"),
        ("person", "lü bu", "lv-bu"),
        ("person", "lubu", "lv-bu"),
        ("person", "dana whitfield", "dana"),
        ("person", "DANA WHITFIELD", "dana"),
        ("person", "danawhitfield", "dana"),
        ("person", "dw", "dana"),
        ("owner", "刘凯", "liu-kai"),
        ("owner", "Liu Kai", "liu-kai"),
        ("organisation", "财政局", "fin"),
        ("organisation", "市大数据局", "bdb"),
        ("post", "市财政局副局长", "fin-deputy"),
        ("post", "科长", "bdb-chief"),
        ("opportunity", "城市大脑一期", "brain"),
        ("opportunity", "chengshidanaoyiqi", "brain"),
    ],
)
def test_each_way_of_naming_finds_the_record(ws, kind, text, expected):
    assert resolve(ws, kind, text, DAY) == expected


def test_an_id_wins_over_another_records_name(ws):
    assert resolve(ws, "person", "he-jing") == "he-jing"
    assert resolve(ws, "person", "HE-JING") == "he-jing"  # an id in another case, too


def test_a_name_wins_over_another_records_alias(ws):
    assert resolve(ws, "person", "许志恒") == "xu-zhiheng"
    assert Lookup(ws).find("person", "许志恒") == ("name", ["xu-zhiheng"])


def test_a_name_shared_by_two_is_ambiguous_and_lists_their_posts(ws):
    with pytest.raises(AmbiguousName) as info:
        resolve(ws, "person", "王伟", DAY, option="--to")
    message = str(info.value)
    assert message.startswith('--to: 人员 person "王伟" matches 2: ')
    assert "wang-wei 王伟 (市财政局副局长)" in message
    assert "wang-wei-2 王伟 (市大数据局副局长)" in message
    assert message.endswith("give the id.") and "\n" not in message


def test_pinyin_shared_by_two_is_ambiguous(ws):
    with pytest.raises(AmbiguousName, match="matches 2: wang-wei .*wang-wei-2"):
        resolve(ws, "person", "wangwei", DAY)


def test_initials_are_taken_only_when_they_fit_one(ws):
    # 许志恒, 徐志宏 and the alias 许志恒 of hj-2 are all xzh
    with pytest.raises(AmbiguousName, match="matches 3 by its initials: xu-zhiheng"):
        resolve(ws, "person", "xzh", DAY)
    # one letter is never taken for initials
    with pytest.raises(UnknownRecord):
        resolve(ws, "person", "z", DAY)


def test_a_post_title_shared_by_two_posts_lists_their_full_names(ws):
    with pytest.raises(AmbiguousName) as info:
        resolve(ws, "post", "副局长", DAY)
    assert "fin-deputy 市财政局副局长 (王伟)" in str(info.value)
    assert "bdb-deputy 市大数据局副局长 (王伟)" in str(info.value)


def test_an_unknown_name_suggests_the_closest_at_most_five(ws):
    with pytest.raises(UnknownRecord) as info:
        resolve(ws, "person", "zhou wr", DAY, option="--person")
    message = str(info.value)
    assert message.startswith('--person: no 人员 person "zhou wr" in names')
    assert "closest: zhou-weiran 周蔚然 (市大数据局科长)" in message
    assert len(Lookup(ws).closest("person", "e")) == 5  # in most ids: five are shown


def test_an_unknown_name_with_nothing_close_says_so(ws):
    with pytest.raises(UnknownRecord, match=r"none is close \(9 in all\)"):
        resolve(ws, "person", "qqqqqqqq", DAY)


def test_chinese_text_is_not_read_as_pinyin(ws):
    with pytest.raises(UnknownRecord):
        resolve(ws, "person", "周蔚", DAY)


def test_a_person_without_a_post_says_so(ws):
    with pytest.raises(AmbiguousName, match="无任职 no post on 2026-11-28"):
        Lookup(ws, DAY).resolve("person", "xzh")


def test_the_name_in_force_on_the_day_is_the_name():
    """A person renamed: the name of the day is the name, former ones are aliases."""
    ws = Workspace(name="w")
    ws.add(
        Person(id="chen", name="陈晓", aliases=["陈局"], names=[NamePeriod(name="陈小红", end=DAY)])
    )
    ws.add(Person(id="hong", name="陈小红"))  # another person, named so today
    ws.add(Person(id="zhang", name="张三", aliases=["陈局"]))
    before = DAY - dt.timedelta(days=1)
    # before the rename 陈小红 is the name of the day of both
    with pytest.raises(AmbiguousName, match="matches 2: chen 陈小红 .*hong 陈小红"):
        resolve(ws, "person", "陈小红", before)
    # from the rename day only hong is named so; chen's former name is an alias
    assert resolve(ws, "person", "陈小红", DAY) == "hong"
    assert resolve(ws, "person", "陈晓", DAY) == "chen"
    assert resolve(ws, "person", "chenxiao", DAY) == "chen"
    assert _record_names(ws, "person", ws.persons["chen"], DAY).aliases == ["陈局", "陈小红"]
    with pytest.raises(AmbiguousName, match="matches 2: chen .*zhang"):
        resolve(ws, "person", "陈局")
    with pytest.raises(UnknownRecord, match='no 人员 person "李四" in w'):
        resolve(ws, "person", "李四")


def test_an_unknown_kind_is_a_programming_error(ws):
    with pytest.raises(ValueError, match="cannot look up"):
        resolve(ws, "tie", "x")


def test_workspace_get_suggests_the_closest_ids_not_the_first_ones(ws):
    with pytest.raises(UnknownRecord) as info:
        ws.get("persons", "zhou-weiren")
    assert "no person with id 'zhou-weiren' in names; closest: zhou-weiran" in str(info.value)
    assert "wang-wei" not in str(info.value)


def test_what_was_typed_is_shown_on_one_line_and_cut(ws):
    with pytest.raises(UnknownRecord) as info:
        resolve(ws, "person", "zhou\nwr\x1b", DAY)
    assert '"zhou\\nwr\\u001b"' in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(UnknownRecord) as info:
        resolve(ws, "person", "x" * 61, DAY)
    assert f'"{"x" * 60}…" (61 characters)' in str(info.value)
    with pytest.raises(UnknownRecord) as info:
        resolve(ws, "person", "x" * 60, DAY)
    assert f'"{"x" * 60}" in names' in str(info.value)


def test_empty_text_asks_for_a_name(ws):
    with pytest.raises(UnknownRecord, match="--to: empty; give the 人员 person's id"):
        resolve(ws, "person", "  ", DAY, option="--to")
