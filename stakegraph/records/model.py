"""The records of a workspace (pydantic v2): the single source of truth for fields.

Each record type is described once, here or in the modules gathered here
(:mod:`~stakegraph.records.base`, :mod:`~stakegraph.records.kinds`,
:mod:`~stakegraph.records.opportunity`), and every public name is importable
from this module; loaders, writers, the graph and the Neo4j store all derive
their field lists from these classes. Records are validated
with a context carrying the :class:`~stakegraph.config.Settings`, so named grades
("正处") and tiers ("vp") become the integers the algorithms compare.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from stakegraph.records.base import ID_PATTERN, Named, Record, Score, Unit
from stakegraph.records.fields import (
    Day,
    HintedError,
    _ordered_lifetime,
    _scale_value,
    _settings,
    _within,
)
from stakegraph.records.kinds import (
    ActionOrigin,
    ActionStatus,
    Background,
    InteractionKind,
    Level,
    OrgKind,
    ReformKind,
    ReformScope,
    RelationshipLevel,
    RoleKind,
    Stage,
    Stance,
    TieKind,
    _ChineseAliases,
    term_zh,
)
from stakegraph.records.opportunity import Opportunity, Role, Step
from stakegraph.records.periods import (
    NamePeriod,
    OrgPeriod,
    Period,
    PostPeriod,
    collapse_many,
    collapse_one,
    many_on,
    name_on,
    one_on,
    plain_one,
)

__all__ = [
    "DIMENSION_LABELS",
    "ID_PATTERN",
    "RECORD_BY_COLLECTION",
    "RECORD_TYPES",
    "SCORE_DIMENSIONS",
    "Action",
    "ActionOrigin",
    "ActionStatus",
    "Assessment",
    "Background",
    "DatedOrg",
    "DatedPost",
    "Interaction",
    "InteractionKind",
    "Level",
    "Named",
    "OrgItem",
    "OrgKind",
    "Opportunity",
    "Organisation",
    "Owner",
    "Person",
    "Post",
    "Record",
    "Reform",
    "ReformKind",
    "ReformScope",
    "Relationship",
    "RelationshipLevel",
    "Role",
    "RoleKind",
    "Score",
    "Stage",
    "Stance",
    "Step",
    "Survey",
    "Tenure",
    "Tie",
    "TieKind",
    "Unit",
    "_ChineseAliases",
    "record_references",
    "term_zh",
]


def _one_form(value: Any) -> str:
    return "dated" if isinstance(value, list) else "plain"


def _item_form(value: Any) -> str:
    return "dated" if isinstance(value, dict | Period) else "plain"


#: ``reports_to``: a post id, or the posts it reported to over time (see records.periods).
DatedPost = Annotated[
    Annotated[str, Tag("plain")] | Annotated[list[PostPeriod], Tag("dated")],
    Discriminator(_one_form),
]
#: ``parent``: an organisation id, or the parents over time.
DatedOrg = Annotated[
    Annotated[str, Tag("plain")] | Annotated[list[OrgPeriod], Tag("dated")],
    Discriminator(_one_form),
]
#: An item of ``oversees`` or ``guided_by``: an id, or an id with its period.
OrgItem = Annotated[
    Annotated[str, Tag("plain")] | Annotated[OrgPeriod, Tag("dated")],
    Discriminator(_item_form),
]


SCORE_DIMENSIONS: tuple[str, ...] = (
    "acceptance",
    "participation",
    "information",
    "guidance",
    "support",
    "preference",
)

#: Chinese labels of the six dimensions (seed 000) for reports and figures.
DIMENSION_LABELS: dict[str, str] = {
    "acceptance": "接受认可度",
    "participation": "活动参与度",
    "information": "信息传递度",
    "guidance": "日常指导度",
    "support": "项目支持度",
    "preference": "竞争偏向度",
}


class Organisation(Named):
    """A government body, party committee, bureau, division, SOE or institution.

    ``parent`` is the 块 (territorial) leader; ``guided_by`` the 条 (line) bureaus.
    """

    collection: ClassVar[str] = "organisations"
    noun: ClassVar[str] = "organisation"
    references: ClassVar[dict[str, str]] = {"parent": "organisations", "guided_by": "organisations"}

    kind: OrgKind = OrgKind.BUREAU
    level: Level | None = None
    region: str | None = None
    parent: DatedOrg | None = None
    guided_by: list[OrgItem] = Field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None

    _lifetime = model_validator(mode="after")(_ordered_lifetime)

    @field_validator("parent", mode="before")
    @classmethod
    def _bare_parents(cls, value: Any) -> Any:
        return plain_one(value, "org")

    @model_validator(mode="after")
    def _plain_when_undated(self) -> Organisation:
        self.parent = collapse_one(self.parent)
        self.guided_by = collapse_many(self.guided_by)
        return self

    def live_on(self, day: dt.date) -> bool:
        """Whether the organisation exists on ``day`` (``end`` is the first day it does not)."""
        return _within(self.start, self.end, day)

    def parent_on(self, day: dt.date) -> str | None:
        """The parent (块) on ``day``; a plain ``parent`` holds on every day."""
        return one_on(self.parent, day)

    def guided_by_on(self, day: dt.date) -> list[str]:
        """The guiding organisations (条) on ``day``, in list order."""
        return many_on(self.guided_by, day)


class Post(Record):
    """A position in an organisation; people hold it over time (see Person.tenures)."""

    collection: ClassVar[str] = "posts"
    noun: ClassVar[str] = "post"
    references: ClassVar[dict[str, str]] = {
        "org": "organisations",
        "reports_to": "posts",
        "oversees": "organisations",
    }

    org: str
    title: str = Field(min_length=1)
    grade: int
    leadership: bool = False
    reports_to: DatedPost | None = None
    oversees: list[OrgItem] = Field(default_factory=list)
    seats: int = Field(1, ge=1)
    start: dt.date | None = None
    end: dt.date | None = None

    _lifetime = model_validator(mode="after")(_ordered_lifetime)

    @field_validator("reports_to", mode="before")
    @classmethod
    def _bare_superiors(cls, value: Any) -> Any:
        return plain_one(value, "post")

    @model_validator(mode="after")
    def _plain_when_undated(self) -> Post:
        self.reports_to = collapse_one(self.reports_to)
        self.oversees = collapse_many(self.oversees)
        return self

    def reports_to_on(self, day: dt.date) -> str | None:
        """The superior post on ``day``; a plain ``reports_to`` holds on every day."""
        return one_on(self.reports_to, day)

    def oversees_on(self, day: dt.date) -> list[str]:
        """The organisations this post oversees (分管) on ``day``, in list order."""
        return many_on(self.oversees, day)

    def live_on(self, day: dt.date) -> bool:
        """Whether the post exists on ``day`` by its own dates (its org's: see Workspace)."""
        return _within(self.start, self.end, day)

    @field_validator("grade", mode="before")
    @classmethod
    def _grade(cls, value: Any, info: ValidationInfo) -> int:
        return _scale_value(value, _settings(info).grades, "grade")

    @property
    def name(self) -> str:
        return self.title


class Tenure(BaseModel):
    """A person holding a post from ``start`` until ``end``, the day they left it.

    ``end`` is exclusive, so a handover written as the predecessor's ``end`` and the
    successor's ``start`` on the same day leaves exactly one holder on every day.
    Open-ended when None.

    ``title`` is the seat's own title when it differs from the post's (常务副市长,
    "Ranking Member"). ``acting`` marks someone who runs the post without being
    appointed to it (主持工作, 代理): they fill it, but it stays formally vacant.
    ``concurrent`` marks a post held beside one's main post (兼任). A tenure with
    ``on_leave`` does not hold the post on its days; split a tenure in three to
    record a leave inside it.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    post: str
    start: Day | None = None
    end: Day | None = None
    title: str | None = None
    acting: bool = False
    concurrent: bool = False
    on_leave: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Tenure:
        if self.start and self.end and self.end < self.start:
            raise HintedError(
                f"end {self.end} is before start {self.start}",
                "correct one of the dates: 'end' is the day the person left the post.",
            )
        return self

    def active_on(self, day: dt.date) -> bool:
        return _within(self.start, self.end, day)

    def holds_on(self, day: dt.date) -> bool:
        """Active on ``day`` and not on leave: the person fills the post that day."""
        return not self.on_leave and _within(self.start, self.end, day)


class Person(Named):
    """An official or other outside stakeholder."""

    collection: ClassVar[str] = "persons"
    noun: ClassVar[str] = "person"
    references: ClassVar[dict[str, str]] = {"tenures.post": "posts"}

    #: Names the person went by for a while (``name`` is the current one).
    names: list[NamePeriod] = Field(default_factory=list)
    background: Background | None = None
    born: int | None = Field(None, ge=1900, le=2100)
    tenures: list[Tenure] = Field(default_factory=list)

    def name_on(self, day: dt.date | None) -> str:
        """The name in force on ``day``: a dated name that holds then, else ``name``."""
        return name_on(self.name, self.names, day)

    def every_name(self) -> list[str]:
        """``name``, every dated name and every alias, each once."""
        return list(dict.fromkeys([self.name, *(n.name for n in self.names), *self.aliases]))

    def posts_on(self, day: dt.date) -> list[str]:
        return [t.post for t in self.tenures if t.active_on(day)]


class Owner(Named):
    """One of our own people, from account rep to CEO."""

    collection: ClassVar[str] = "owners"
    noun: ClassVar[str] = "owner"
    references: ClassVar[dict[str, str]] = {"manager": "owners"}

    title: str | None = None
    tier: int
    capacity: int = Field(5, ge=0)
    manager: str | None = None

    @field_validator("tier", mode="before")
    @classmethod
    def _tier(cls, value: Any, info: ValidationInfo) -> int:
        return _scale_value(value, _settings(info).tiers, "tier")


class Relationship(Record):
    """Our owner's relationship with a person, scored on the six dimensions (0–5).

    On the responsible relationship (A角, ``responsible``), ``backup`` names the owner
    who takes the person over when the responsible owner leaves (B角).
    """

    collection: ClassVar[str] = "relationships"
    noun: ClassVar[str] = "relationship"
    references: ClassVar[dict[str, str]] = {
        "owner": "owners",
        "person": "persons",
        "backup": "owners",
    }

    id: str = Field("", validate_default=False)
    owner: str
    person: str
    acceptance: Score = 0.0
    participation: Score = 0.0
    information: Score = 0.0
    guidance: Score = 0.0
    support: Score = 0.0
    preference: Score = 0.0
    level: RelationshipLevel | None = None
    target_level: RelationshipLevel | None = None
    responsible: bool = False
    backup: str | None = None
    since: Day | None = None
    last_contact: Day | None = None
    confidence: Unit = 1.0
    source: str | None = None

    @model_validator(mode="after")
    def _derive_id(self) -> Relationship:
        if not self.id:
            self.id = self.default_id()
        return self

    def default_id(self) -> str:
        return f"{self.owner}~{self.person}"

    def scores(self) -> dict[str, float]:
        return {d: getattr(self, d) for d in SCORE_DIMENSIONS}


class Tie(Record):
    """An informal link between two persons (非正式组织): classmates, colleagues, ...

    Undirected by default. With ``directed: true``, ``a`` defers to ``b`` (a student
    to a mentor), which is how the influence analysis reads it.
    """

    collection: ClassVar[str] = "ties"
    noun: ClassVar[str] = "tie"
    references: ClassVar[dict[str, str]] = {"a": "persons", "b": "persons"}

    id: str = Field("", validate_default=False)
    a: str
    b: str
    kind: TieKind = TieKind.OTHER
    strength: Unit = 0.5
    directed: bool = False
    since: Day | None = None
    confidence: Unit = 1.0
    source: str | None = None

    @model_validator(mode="after")
    def _derive_id(self) -> Tie:
        if not self.id:
            self.id = self.default_id()
        return self

    def default_id(self) -> str:
        return f"{self.a}~{self.b}~{self.kind.value}"


class Interaction(Record):
    """Something that happened between us and them: a visit, meeting, event, call.

    The log is the evidence behind the participation and information scores:
    ``information_shared`` marks a contact in which the official passed us
    information (信息传递). An interaction naming ``orgs`` and no persons is an
    organisation-to-organisation exchange (组织客户关系).
    """

    collection: ClassVar[str] = "interactions"
    noun: ClassVar[str] = "interaction"
    references: ClassVar[dict[str, str]] = {
        "owners": "owners",
        "persons": "persons",
        "orgs": "organisations",
    }

    date: Day
    kind: InteractionKind
    owners: list[str] = Field(default_factory=list)
    persons: list[str] = Field(default_factory=list)
    orgs: list[str] = Field(default_factory=list)
    information_shared: bool = False


class Assessment(Record):
    """A dated re-assessment of one relationship: some or all of the six scores.

    Assessments are never edited: each re-assessment adds one, and the scores of a
    relationship on a day are its own, overlaid by every assessment up to that
    day in date order. A score left out carries over from before.
    """

    collection: ClassVar[str] = "assessments"
    noun: ClassVar[str] = "assessment"
    references: ClassVar[dict[str, str]] = {"owner": "owners", "person": "persons"}

    id: str = Field("", validate_default=False)
    owner: str
    person: str
    date: Day
    acceptance: Score | None = None
    participation: Score | None = None
    information: Score | None = None
    guidance: Score | None = None
    support: Score | None = None
    preference: Score | None = None
    level: RelationshipLevel | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _derive_id(self) -> Assessment:
        if not self.id:
            self.id = self.default_id()
        return self

    def default_id(self) -> str:
        return f"{self.owner}~{self.person}~{self.date.isoformat()}"

    def given_scores(self) -> dict[str, float]:
        """The scores this assessment sets (the others carry over)."""
        return {d: getattr(self, d) for d in SCORE_DIMENSIONS if getattr(self, d) is not None}


class Action(Record):
    """One line of an action plan (行动计划) or an improvement after a complaint.

    ``owner`` carries it out; ``person`` or ``org`` is the target; ``complaint``
    and ``survey`` link an improvement to what prompted it (seed 004).
    ``baseline_cover`` is the target's cover when the plan was saved, so a review
    can tell whether the work moved it.
    """

    collection: ClassVar[str] = "actions"
    noun: ClassVar[str] = "action"
    references: ClassVar[dict[str, str]] = {
        "owner": "owners",
        "person": "persons",
        "org": "organisations",
        "opportunity": "opportunities",
        "complaint": "interactions",
        "survey": "surveys",
    }

    owner: str
    action: str = Field(min_length=1)
    origin: ActionOrigin = ActionOrigin.PLAN
    person: str | None = None
    org: str | None = None
    opportunity: str | None = None
    created: Day
    due: Day | None = None
    status: ActionStatus = ActionStatus.PLANNED
    done: Day | None = None
    complaint: str | None = None
    survey: str | None = None
    baseline_cover: Unit | None = None

    @field_validator("due")
    @classmethod
    def _due_after_created(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        created = info.data.get("created")
        if value and created and value < created:
            raise HintedError(
                f"due {value} is before created {created}",
                "correct one of the dates: 'due' is the deadline, 'created' the day it was set.",
            )
        return value

    @field_validator("done")
    @classmethod
    def _done_with_status(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        status = info.data.get("status")
        if value and status is not None and status != ActionStatus.DONE:
            raise HintedError(
                f"'done' is set ({value}) but status is {status.value}",
                "set 'status: done', or remove the 'done' date.",
            )
        return value


class Survey(Record):
    """A satisfaction survey answer set (items scored 1–5) from a person or org."""

    collection: ClassVar[str] = "surveys"
    noun: ClassVar[str] = "survey"
    references: ClassVar[dict[str, str]] = {"person": "persons", "org": "organisations"}

    date: Day
    person: str | None = None
    org: str | None = None
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _respondent(self) -> Survey:
        if not self.person and not self.org:
            raise HintedError(
                "a survey must name its respondent: a person or an org",
                "fill in 'person' with a person id or 'org' with an organisation id.",
            )
        return self


class Reform(Record):
    """What a reform (机构改革) did to organisations or posts on one day.

    ``of`` says which: ``organisations`` or ``posts``. ``predecessors`` are the
    records the change takes from, ``successors`` those it gives to, both ids of
    that collection. A predecessor either ends on ``day`` (its ``end`` is the
    reform day: it ceases) or lives on across it (it gives up ``functions``, the
    duties that moved, e.g. 数据管理职责). A successor is live on ``day``: it
    starts that day, or it existed and absorbs the predecessors.

    The kinds and their shapes: ``rename`` (one ceases, one starts that day:
    the same body or post under a new name), ``merge`` (two or more into
    successors), ``split`` (one into two or more; ``continued_by`` names the
    successor that carries its decision rights, otherwise all do),
    ``transfer`` (functions move; the predecessors may live on) and ``abolish``
    (predecessors cease without successor).
    """

    collection: ClassVar[str] = "reforms"
    noun: ClassVar[str] = "reform"
    #: The referenced collection depends on ``of``: see :func:`record_references`.
    references: ClassVar[dict[str, str]] = {}

    kind: ReformKind
    of: ReformScope = ReformScope.ORGANISATIONS
    day: Day
    predecessors: list[str] = Field(default_factory=list)
    successors: list[str] = Field(default_factory=list)
    continued_by: str | None = None
    functions: str | None = None

    def linked(self) -> dict[str, str]:
        """Field -> the collection its ids name (``of``)."""
        target = self.of.value
        return {"predecessors": target, "successors": target, "continued_by": target}


def record_references(record: Record) -> dict[str, str]:
    """Fields of ``record`` that name other records: field -> collection.

    The class's :attr:`Record.references`, except for a :class:`Reform`, whose
    ids name the collection its ``of`` says.
    """
    if isinstance(record, Reform):
        return record.linked()
    return type(record).references


#: Every record type, in the order files are read and written.
RECORD_TYPES: tuple[type[Record], ...] = (
    Organisation,
    Post,
    Person,
    Owner,
    Relationship,
    Tie,
    Opportunity,
    Interaction,
    Survey,
    Assessment,
    Action,
    Reform,
)
RECORD_BY_COLLECTION: dict[str, type[Record]] = {t.collection: t for t in RECORD_TYPES}
