"""Opportunities and their decision chains (决策链): steps and the roles on them."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from stakegraph.records.base import ID_PATTERN, Named, Unit
from stakegraph.records.fields import Day, HintedError, _scale_value, _settings
from stakegraph.records.kinds import RoleKind, Stage, Stance


class Role(BaseModel):
    """A role on a decision step, held by a post (resolved as of a date), a person,
    or an unknown holder (人选未明).

    An unknown holder is a role we know exists while we do not know who holds it:
    ``unknown_org`` is the organisation it sits in, ``unknown_grade`` the grade
    we expect (named or a number, as posts' grades) and ``unknown_description``
    what we know of it ("the evaluator from the finance bureau"). It counts as
    uncovered until a post or a person is filled in instead.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    post: str | None = None
    person: str | None = None
    unknown_org: str | None = None
    unknown_grade: int | None = None
    unknown_description: str | None = None
    role: RoleKind
    weight: Unit = 1.0
    stance: Stance = Stance.NEUTRAL
    competitor_leaning: str | None = None
    notes: str | None = None

    @field_validator("unknown_grade", mode="before")
    @classmethod
    def _grade(cls, value: Any, info: ValidationInfo) -> int | None:
        if value is None or value == "":
            return None
        return _scale_value(value, _settings(info).grades, "grade")

    @model_validator(mode="after")
    def _holder(self) -> Role:
        named = [f for f in ("post", "person", "unknown_org") if getattr(self, f)]
        if not named and (self.unknown_grade is not None or self.unknown_description):
            raise HintedError(
                "an unknown holder must name its organisation",
                "fill in 'unknown_org' with the organisation id the holder sits in, "
                "or name the 'post' or 'person' once known.",
            )
        if not named:
            raise HintedError(
                "a role must name a post, a person or an unknown holder",
                "fill in 'post' (whoever holds it on the day), 'person' (one official) "
                "or 'unknown_org' (a holder not yet known, 人选未明).",
            )
        if named == ["post", "person"]:
            raise HintedError(
                "a role names either a post or a person, not both",
                "keep 'post' to follow whoever holds it, or 'person' for one official.",
            )
        if len(named) > 1:
            raise HintedError(
                f"a role names one holder, not {' and '.join(repr(f) for f in named)}",
                "keep 'post' to follow whoever holds it, 'person' for one official, or "
                "'unknown_org' (with 'unknown_grade', 'unknown_description') while nobody "
                "is known.",
            )
        if self.unknown_org is None and (
            self.unknown_grade is not None or self.unknown_description
        ):
            raise HintedError(
                "'unknown_grade' and 'unknown_description' describe an unknown holder",
                "remove them now that the post or person is named (keep what you know in 'notes').",
            )
        return self

    @property
    def unknown(self) -> bool:
        """Whether the role's holder is not known yet (人选未明)."""
        return self.unknown_org is not None


class Step(BaseModel):
    """One step of a decision chain (需求立项, 技术评审, 预算审批, ...)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    id: str = ""
    name: str = Field(min_length=1)
    roles: list[Role] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if value and not ID_PATTERN.match(value):
            raise ValueError("an id must not contain spaces, '/' or ':'")
        return value


class Opportunity(Named):
    """A project we pursue at a client, with its ordered decision chain (决策链)."""

    collection: ClassVar[str] = "opportunities"
    noun: ClassVar[str] = "opportunity"
    references: ClassVar[dict[str, str]] = {
        "client": "organisations",
        "chain.roles.post": "posts",
        "chain.roles.person": "persons",
        "chain.roles.unknown_org": "organisations",
    }

    client: str
    stage: Stage = Stage.EARLY
    value: float | None = Field(None, ge=0)
    close: Day | None = None
    competitors: list[str] = Field(default_factory=list)
    chain: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _step_ids(self) -> Opportunity:
        for index, step in enumerate(self.chain, start=1):
            if not step.id:
                step.id = f"s{index}"
        return self
