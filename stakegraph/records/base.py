"""The fields every record shares: the record base classes, id pattern and score types."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_PATTERN = re.compile(r"^[^\s/:]+$")


Score = Annotated[float, Field(ge=0, le=5)]
Unit = Annotated[float, Field(ge=0, le=1)]


class Record(BaseModel):
    """Fields every record shares."""

    # validators are built when first used: records read back from the cache never are
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, validate_assignment=False, defer_build=True
    )

    #: The key of this record type in files and in the workspace ("persons").
    collection: ClassVar[str] = ""
    #: The singular noun used in messages ("person").
    noun: ClassVar[str] = ""
    #: Fields that name other records: field -> collection they refer to.
    references: ClassVar[dict[str, str]] = {}

    id: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("an id must not contain spaces, '/' or ':'")
        return value


class Named(Record):
    name: str = Field(min_length=1)
