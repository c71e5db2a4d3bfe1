"""Opportunities and their decision chains (决策链): steps and the roles on them."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stakegraph.records.base import ID_PATTERN, Named, Unit
from stakegraph.records.fields import Day, HintedError
from stakegraph.records.kinds import RoleKind, Stage, Stance


class Role(BaseModel):
    """A role on a decision step, held by a post (resolved as of a date) or a person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    post: str | None = None
    person: str | None = None
    role: RoleKind
    weight: Unit = 1.0
    stance: Stance = Stance.NEUTRAL
    competitor_leaning: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _holder(self) -> Role:
        if not self.post and not self.person:
            raise HintedError(
                "a role must name a post or a person",
                "fill in 'post' (whoever holds it on the day) or 'person' (one official).",
            )
        if self.post and self.person:
            raise HintedError(
                "a role names either a post or a person, not both",
                "keep 'post' to follow whoever holds it, or 'person' for one official.",
            )
        return self


class Step(BaseModel):
    """One step of a decision chain (需求立项, 技术评审, 预算审批, ...)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

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
