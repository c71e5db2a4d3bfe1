"""The enumerations users type in records (stance, role, stage, ...), each accepting its words.

Every enumeration takes its code ("supporter") and every word of its table in
:mod:`stakegraph.records.vocabulary` (支持者, "supporter").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from stakegraph.records.vocabulary import parse_term, term


class _ChineseAliases(StrEnum):
    """An enum that also accepts every word of its table in :mod:`stakegraph.records.vocabulary`:
    the Chinese and English labels views print (坚定支持者, "budget holder") and synonyms."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            code = parse_term(cls.__name__, value)
            if code is not None:
                return cls(code)
        return None


class OrgKind(_ChineseAliases):
    GOVERNMENT = "government"
    PARTY_COMMITTEE = "party_committee"
    CONGRESS = "congress"
    DEPARTMENT = "department"
    BUREAU = "bureau"
    DIVISION = "division"
    COMMITTEE = "committee"
    AGENCY = "agency"
    SOE = "soe"
    INSTITUTION = "institution"
    COMPANY = "company"
    OTHER = "other"


class Level(_ChineseAliases):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    DISTRICT = "district"
    COUNTY = "county"
    TOWNSHIP = "township"


class Background(_ChineseAliases):
    MILITARY = "military"
    ACADEMIA = "academia"
    ROTATION = "rotation"
    CAREER = "career"
    RECRUITED = "recruited"
    BUSINESS = "business"
    OTHER = "other"


class TieKind(_ChineseAliases):
    CLASSMATE = "classmate"
    FORMER_COLLEAGUE = "former_colleague"
    HOMETOWN = "hometown"
    MENTOR = "mentor"
    FAMILY = "family"
    FRIEND = "friend"
    OTHER = "other"


class Stage(_ChineseAliases):
    EARLY = "early"
    PURSUIT = "pursuit"
    DELIVERY = "delivery"
    COLLECTION = "collection"


class RoleKind(_ChineseAliases):
    DECISION_MAKER = "decision_maker"
    APPROVER = "approver"
    BUDGET_HOLDER = "budget_holder"
    EVALUATOR = "evaluator"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"


class Stance(_ChineseAliases):
    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    OPPONENT = "opponent"


class RelationshipLevel(_ChineseAliases):
    VENDOR = "vendor"
    PREFERRED = "preferred"
    PARTNER = "partner"
    STRATEGIC = "strategic"


class InteractionKind(_ChineseAliases):
    VISIT = "visit"
    MEETING = "meeting"
    EVENT = "event"
    CALL = "call"
    COMPLAINT = "complaint"
    SURVEY = "survey"
    AGREEMENT = "agreement"
    OTHER = "other"


class ActionStatus(_ChineseAliases):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ActionOrigin(_ChineseAliases):
    PLAN = "plan"
    IMPROVEMENT = "improvement"


class ReformKind(_ChineseAliases):
    RENAME = "rename"
    MERGE = "merge"
    SPLIT = "split"
    TRANSFER = "transfer"
    ABOLISH = "abolish"


class ReformScope(_ChineseAliases):
    ORGANISATIONS = "organisations"
    POSTS = "posts"


def term_zh(enum: type[StrEnum], value: StrEnum) -> str:
    """The Chinese label of an enumeration value (``更名`` for ``rename``)."""
    return term(enum.__name__, value.value).zh
