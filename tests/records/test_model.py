"""Records: scales, Chinese enum aliases, defaults and derived ids."""

import datetime as dt

import pytest
from pydantic import ValidationError

from stakegraph.config import Settings
from stakegraph.records.model import (
    SCORE_DIMENSIONS,
    Opportunity,
    Owner,
    Post,
    Relationship,
    Stage,
    Tenure,
    Tie,
)


def test_named_grades_map_to_integers():
    post = Post.model_validate({"id": "p", "org": "o", "title": "局长", "grade": "正处"})
    assert post.grade == 5
    assert Post.model_validate({"id": "p", "org": "o", "title": "x", "grade": "副局"}).grade == 6
    assert Post.model_validate({"id": "p", "org": "o", "title": "x", "grade": 10}).grade == 10


@pytest.mark.parametrize("grade", [0, 11, "正团", True, 3.5])
def test_grade_outside_scale_or_unknown_is_rejected(grade):
    with pytest.raises(ValidationError):
        Post.model_validate({"id": "p", "org": "o", "title": "x", "grade": grade})


def test_configurable_grade_table_changes_the_scale():
    settings = Settings(grades={"junior": 1, "senior": 2})
    post = Post.model_validate(
        {"id": "p", "org": "o", "title": "x", "grade": "senior"}, context={"settings": settings}
    )
    assert post.grade == 2
    with pytest.raises(ValidationError):
        Post.model_validate(
            {"id": "p", "org": "o", "title": "x", "grade": 5}, context={"settings": settings}
        )


def test_owner_tiers_by_name_in_english_or_chinese():
    assert Owner.model_validate({"id": "a", "name": "A", "tier": "vp"}).tier == 4
    assert Owner.model_validate({"id": "a", "name": "A", "tier": "客户经理"}).tier == 1


def test_chinese_enum_aliases():
    opp = Opportunity.model_validate({"id": "o", "name": "项目", "client": "c", "stage": "前期"})
    assert opp.stage is Stage.PURSUIT
    tie = Tie.model_validate({"a": "x", "b": "y", "kind": "同学"})
    assert tie.kind.value == "classmate"


def test_derived_ids_and_step_ids():
    rel = Relationship.model_validate({"owner": "o1", "person": "p1"})
    assert rel.id == "o1~p1"
    tie = Tie.model_validate({"a": "x", "b": "y", "kind": "hometown"})
    assert tie.id == "x~y~hometown"
    opp = Opportunity.model_validate(
        {
            "id": "o",
            "name": "n",
            "client": "c",
            "chain": [
                {"name": "立项", "roles": [{"post": "p", "role": "approver"}]},
                {"name": "招标"},
            ],
        }
    )
    assert [s.id for s in opp.chain] == ["s1", "s2"]


def test_scores_are_bounded():
    with pytest.raises(ValidationError):
        Relationship.model_validate({"owner": "o", "person": "p", "support": 6})
    with pytest.raises(ValidationError):
        Relationship.model_validate({"owner": "o", "person": "p", "acceptance": -1})


def test_tenure_end_is_exclusive_for_handover():
    before = Tenure(post="x", start=dt.date(2020, 1, 1), end=dt.date(2026, 9, 1))
    after = Tenure(post="x", start=dt.date(2026, 9, 1))
    handover = dt.date(2026, 9, 1)
    assert not before.active_on(handover)
    assert after.active_on(handover)
    assert before.active_on(dt.date(2026, 8, 31))


def test_role_needs_exactly_one_holder():
    base = {"id": "o", "name": "n", "client": "c"}
    with pytest.raises(ValidationError, match="a post, a person or an unknown holder"):
        Opportunity.model_validate({**base, "chain": [{"name": "s", "roles": [{"role": "user"}]}]})
    with pytest.raises(ValidationError, match="not both"):
        Opportunity.model_validate(
            {
                **base,
                "chain": [{"name": "s", "roles": [{"role": "user", "post": "a", "person": "b"}]}],
            }
        )


def test_default_scores_have_the_type_of_given_scores():
    # a score left out must print as a given one does, or the two engines' JSON differs
    left_out = Relationship(owner="liu", person="xu")
    given = Relationship.model_validate(left_out.model_dump(mode="json"))
    assert left_out.model_dump_json() == given.model_dump_json()
    assert all(isinstance(getattr(left_out, d), float) for d in SCORE_DIMENSIONS)


def _one_role(**role):
    base = {"id": "o", "name": "n", "client": "c"}
    chain = [{"name": "s", "roles": [{"role": "evaluator", **role}]}]
    return Opportunity.model_validate({**base, "chain": chain}).chain[0].roles[0]


def test_unknown_holder_names_an_organisation_and_a_grade_of_the_scale():
    role = _one_role(unknown_org="fin", unknown_grade="正科", unknown_description="一位评审")
    assert role.unknown and (role.unknown_org, role.unknown_grade) == ("fin", 3)
    assert _one_role(unknown_org="fin").unknown_grade is None
    assert not _one_role(post="a").unknown
    with pytest.raises(ValidationError, match="unknown grade '正局长'"):
        _one_role(unknown_org="fin", unknown_grade="正局长")


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ({"post": "a", "unknown_org": "fin"}, "not 'post' and 'unknown_org'"),
        ({"person": "b", "unknown_org": "fin"}, "not 'person' and 'unknown_org'"),
        ({"unknown_grade": "正科"}, "an unknown holder must name its organisation"),
        ({"unknown_description": "一位评审"}, "an unknown holder must name its organisation"),
        ({"post": "a", "unknown_grade": "正科"}, "describe an unknown holder"),
        ({"person": "b", "unknown_description": "一位评审"}, "describe an unknown holder"),
    ],
)
def test_unknown_holder_is_one_of_three_holders(role, message):
    with pytest.raises(ValidationError, match=message):
        _one_role(**role)
