"""Settings of a workspace: ``stakegraph.toml`` beside the record files.

Every value has a documented default, so a workspace without the file works. The
grade and tier scales live here because users adapt them (a company may have more
owner tiers; a region may name grades differently).
"""

from __future__ import annotations

import re
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from stakegraph.errors import ConfigError

CONFIG_FILE = "stakegraph.toml"

#: The Chinese civil-service grade scale (职级), junior to senior. Several names may
#: share a number (副厅 and 副局 are the same grade); the first is the canonical one.
DEFAULT_GRADES: dict[str, int] = {
    "科员": 1,
    "副科": 2,
    "正科": 3,
    "副处": 4,
    "正处": 5,
    "副厅": 6,
    "副局": 6,
    "正厅": 7,
    "正局": 7,
    "副部": 8,
    "副省": 8,
    "正部": 9,
    "正省": 9,
    "国家级": 10,
}

#: Our own people's tiers, junior to senior.
DEFAULT_TIERS: dict[str, int] = {
    "rep": 1,
    "客户经理": 1,
    "manager": 2,
    "经理": 2,
    "director": 3,
    "总监": 3,
    "vp": 4,
    "副总裁": 4,
    "executive": 5,
    "总裁": 5,
}

#: The grade each tier is matched with in high-level pairing (高层对接).
DEFAULT_TIER_GRADE: dict[str, int] = {
    "rep": 3,
    "manager": 4,
    "director": 5,
    "vp": 6,
    "executive": 7,
}

#: English names of the default grade scale, for an English workspace that keeps it.
DEFAULT_GRADE_NAMES_EN: dict[int, str] = {
    1: "staff member",
    2: "deputy section chief",
    3: "section chief",
    4: "deputy division chief",
    5: "division chief",
    6: "deputy director-general",
    7: "director-general",
    8: "vice minister",
    9: "minister",
    10: "state leader",
}

#: The language a command was told to speak (``stakegraph --lang``), over the
#: workspace's own; None leaves it to the workspace (see
#: :func:`stakegraph.records.naming.workspace_language`).
LANGUAGE: ContextVar[str | None] = ContextVar("stakegraph_language", default=None)

Unit = Annotated[float, Field(ge=0, le=1)]


class SettingConflict(ValueError):
    """Settings that contradict each other; ``key`` is the one the message points at."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StrengthSettings(_Section):
    """Relationship strength: weighted mean of the six scores with recency decay."""

    acceptance: float = Field(1.0, ge=0)
    participation: float = Field(1.0, ge=0)
    information: float = Field(1.0, ge=0)
    guidance: float = Field(1.0, ge=0)
    support: float = Field(1.0, ge=0)
    preference: float = Field(1.0, ge=0)
    half_life_days: float = Field(180.0, gt=0)

    @model_validator(mode="after")
    def _some_weight(self) -> StrengthSettings:
        if sum(self.weights().values()) <= 0:
            raise ValueError("at least one dimension weight must be above 0")
        return self

    def weights(self) -> dict[str, float]:
        return {
            "acceptance": self.acceptance,
            "participation": self.participation,
            "information": self.information,
            "guidance": self.guidance,
            "support": self.support,
            "preference": self.preference,
        }


class LevelSettings(_Section):
    """Mean score thresholds of the four relationship levels (seed 003)."""

    preferred: float = Field(2.0, ge=0, le=5)
    partner: float = Field(3.0, ge=0, le=5)
    strategic: float = Field(4.0, ge=0, le=5)
    strategic_min_support: float = Field(4.0, ge=0, le=5)
    strategic_min_preference: float = Field(4.0, ge=0, le=5)

    @model_validator(mode="after")
    def _ordered(self) -> LevelSettings:
        if not (self.preferred <= self.partner <= self.strategic):
            raise ValueError("thresholds must rise: preferred <= partner <= strategic")
        return self


class InfluenceSettings(_Section):
    """Weights of the deference graph and the PageRank damping factor."""

    formal: float = Field(1.0, ge=0)
    oversight: float = Field(1.0, ge=0)
    tie: float = Field(0.5, ge=0)
    damping: float = Field(0.85, gt=0, lt=1)
    tolerance: float = Field(1e-10, gt=0)
    max_iterations: int = Field(200, ge=1)


class CoverageSettings(_Section):
    """Thresholds of the coverage gaps."""

    weak_threshold: Unit = 0.4
    strong_threshold: Unit = 0.6
    stale_days: int = Field(90, ge=1)
    max_hops: int = Field(2, ge=0, le=6)
    low_confidence: Unit = 0.5
    rank_mismatch_tiers: int = Field(2, ge=1)

    @model_validator(mode="after")
    def _weak_not_above_strong(self) -> CoverageSettings:
        # Equal thresholds are allowed: no cover is then between weak and strong.
        if self.weak_threshold > self.strong_threshold:
            raise SettingConflict(
                "weak_threshold",
                f"weak_threshold {self.weak_threshold:g} is above strong_threshold "
                f"{self.strong_threshold:g}, so a cover could be weak and strong at once; "
                "make weak_threshold at most strong_threshold",
            )
        return self


class PlanSettings(_Section):
    """Inverted-triangle plan: channels per target and the senior/middle split."""

    channels: int = Field(3, ge=1)
    senior_grade: int = Field(6, ge=0)
    middle_grade: int = Field(4, ge=0)

    @model_validator(mode="after")
    def _middle_not_above_senior(self) -> PlanSettings:
        # Equal grades are allowed: the plan then has no middle phase.
        if self.middle_grade > self.senior_grade:
            raise SettingConflict(
                "middle_grade",
                f"middle_grade {self.middle_grade} is above senior_grade {self.senior_grade}; "
                "the middle phase starts at or below the senior one",
            )
        return self


class EvidenceSettings(_Section):
    """What the interactions log says about the participation and information scores.

    ``participation_steps[k]`` is the number of logged contacts (visits, meetings,
    events, calls with both the owner and the official) within ``window_days``
    needed for a suggested participation score of k + 1; ``information_steps`` the
    same for contacts in which the official shared information.
    """

    window_days: int = Field(365, ge=1)
    participation_steps: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 6])
    information_steps: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5])
    disagreement: float = Field(3.0, gt=0, le=5)
    silent_days: int = Field(180, ge=1)

    @field_validator("participation_steps", "information_steps")
    @classmethod
    def _five_rising_steps(cls, values: list[int]) -> list[int]:
        if len(values) != 5 or any(v < 1 for v in values) or values != sorted(values):
            raise ValueError("give five rising counts of at least 1, one per score 1–5")
        return values


class PortfolioSettings(_Section):
    """Segmentation of accounts (key / general) and the coverage bar of the heatmap.

    ``key_account_value`` above 0 replaces the share with a fixed value threshold.
    """

    key_account_share: Unit = 0.2
    key_account_value: float = Field(0.0, ge=0)
    covered: Unit = 0.6


class DarkHorseSettings(_Section):
    """Juniors to cultivate (培养黑马): how far above their grade peers counts.

    ``max_grade`` above 0 also leaves out officials above that grade.
    """

    ratio: float = Field(1.5, gt=1)
    promoted_days: int = Field(365, ge=1)
    max_grade: int = Field(0, ge=0)
    top: int = Field(10, ge=1)


class FormalLineSettings(_Section):
    """Reporting and oversight lines as channels (上级引荐, 汇报).

    A channel may step from a subordinate to the holder of the post they report to
    (or the leader who oversees their body) at strength ``upward``: an introduction
    or a report upward. It may step from a superior to their subordinate at
    strength ``downward``: a referral down the line. 0 turns a direction off. An
    informal tie between the same two people is used instead when it is at least
    as strong.
    """

    upward: Unit = 0.5
    downward: Unit = 0.6


class FormalInformalSettings(_Section):
    """Formal versus informal findings (非正式组织): what counts as a finding.

    * a reporting or oversight line is *bare* when the strongest informal tie between
      the subordinate and the superior is below ``line_tie``;
    * a person is consulted *more than their superior* when their informal
      deference in-strength is above ``consulted_ratio`` times their superior's;
    * a junior (grade below ``[plan] senior_grade``) is *sought out* when the number
      of people who turn to them informally is at least ``indegree_ratio`` times the
      median of the post holders of their grade, and at least ``min_indegree``.
    """

    line_tie: Unit = 0.3
    consulted_ratio: float = Field(1.0, gt=0)
    indegree_ratio: float = Field(2.0, gt=1)
    min_indegree: int = Field(2, ge=1)


class ReviewSettings(_Section):
    """The five-step loop: default due date of a saved plan, and the review's patience."""

    due_days: int = Field(30, ge=1)
    grace_days: int = Field(14, ge=0)


class StructureSettings(_Section):
    """Government structure over time: how long a handover may overlap.

    A successor who starts at most ``handover_days`` days before the predecessor
    leaves is a handover overlap, reported as a warning; a longer overlap on a
    post with no free seat is an error.
    """

    handover_days: int = Field(31, ge=0)


class RotationSettings(_Section):
    """Rotation risk ahead (轮岗预警): the stated numbers of its piecewise hazard.

    A holder leaves their post at ``within_term`` a year until they have served the
    expected term (``term_years``, by default five years in one post, the term of
    the cadre rules), at ``after_term`` a year after it, and surely on reaching
    ``term_limit_years`` (ten years in one post: 必须交流) or the retirement age
    (``retirement_age``, 60 for 厅局级 and below; ``retirement_ages`` by grade name
    above it). A reform (机构改革) of their organisation or post adds ``reform`` a
    year for ``reform_days`` after its day. ``terms`` sets the expected term by
    grade name. A holder whose chance of leaving within the horizon
    (``horizon_months`` unless a command gives one) is at least ``likely`` is
    counted as likely to leave.
    """

    term_years: float = Field(5.0, gt=0)
    term_limit_years: float = Field(10.0, gt=0)
    within_term: float = Field(0.1, ge=0)
    after_term: float = Field(1.5, ge=0)
    reform: float = Field(0.3, ge=0)
    reform_days: int = Field(365, ge=0)
    retirement_age: int = Field(60, ge=18, le=100)
    retirement_ages: dict[str, int] = Field(
        default_factory=lambda: {"副部": 63, "副省": 63, "正部": 65, "正省": 65}
    )
    terms: dict[str, float] = Field(default_factory=dict)
    likely: Unit = 0.5
    horizon_months: int = Field(6, ge=1, le=120)

    @model_validator(mode="after")
    def _limit_after_term(self) -> RotationSettings:
        for name, years in self.terms.items():
            if years <= 0 or years > self.term_limit_years:
                raise SettingConflict(
                    "terms",
                    f"expected term {years:g} years of '{name}' is not within (0, term_limit_years "
                    f"{self.term_limit_years:g}]; give a term above 0 and at most the limit",
                )
        if self.term_years > self.term_limit_years:
            raise SettingConflict(
                "term_years",
                f"term_years {self.term_years:g} is above term_limit_years "
                f"{self.term_limit_years:g}; the expected term comes before the limit",
            )
        bad = [name for name, age in self.retirement_ages.items() if not 18 <= age <= 100]
        if bad:
            raise SettingConflict(
                "retirement_ages", f"retirement age of '{bad[0]}' is not between 18 and 100"
            )
        return self


#: The tie kinds (kept in step with :class:`stakegraph.records.model.TieKind`; the base
#: layer imports no record type, a test keeps the two equal).
TieKindName = Literal[
    "classmate", "former_colleague", "hometown", "mentor", "family", "friend", "other"
]


class TieSettings(_Section):
    """How ties combine and which way they are read: ``[ties]`` in stakegraph.toml.

    ``deference`` says how several ties between the same two persons add up in the
    deference graph of influence (PageRank): ``"sum"`` (default: a classmate who is
    also a former colleague weighs both ties) or ``"max"`` (the strongest tie only).
    ``strength`` says how they combine into the one strength of the pair that warm
    paths, channels, circles and Burt's constraint read: ``"max"`` (default: the
    strongest tie) or ``"noisy_or"`` (``1 − Π(1 − s_i)``: each tie a separate chance
    of an introduction, in [0, 1]).

    ``directed_kinds`` are the advice-like kinds whose directed ties brokerage reads
    one way by default (a student seeks out a mentor); with a relation filter keeping
    only such kinds, ``brokerage = "auto"`` (the default, or ``--brokerage auto``) uses
    the directed tie graph for betweenness, otherwise the undirected person graph; kin,
    classmates and the others are read both ways. ``"directed"`` or ``"undirected"``
    fixes the graph whatever the kinds.

    ``against_deference`` scales the strength of a channel step that goes against a
    directed tie: ``a → b`` means a defers to (asks) b, so a can carry our proposal
    to b at full strength, while b reaching a through it is scored ``s ×
    against_deference``. Default 0.5: the one who asks has a standing reason to call
    on the one they ask and bring a matter along, while the one asked seldom brings
    matters to the asker, so the reverse step is half as likely a channel. 1.0 reads
    a directed tie both ways alike, as an undirected one; 0 not at all.
    """

    deference: Literal["sum", "max"] = "sum"
    strength: Literal["max", "noisy_or"] = "max"
    directed_kinds: tuple[TieKindName, ...] = ("mentor",)
    brokerage: Literal["auto", "directed", "undirected"] = "auto"
    against_deference: float = Field(0.5, ge=0, le=1)


class WorkspaceSettings(_Section):
    """How the workspace writes money: ``[workspace] currency = "CNY"  unit = "万元"``.

    ``unit`` names the unit values are shown in (万元 divides by 10,000, k by 1,000);
    without it, a Chinese workspace shows 万元 and an English one k. ``currency`` is
    printed before the unit only when set.
    """

    currency: str | None = None
    unit: Literal["元", "万元", "亿元", "k", "M", "units"] | None = None


class Settings(_Section):
    """All settings of a workspace. Build with :func:`load_settings`."""

    grades: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_GRADES))
    tiers: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_TIERS))
    tier_grade: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_TIER_GRADE))
    strength: StrengthSettings = Field(default_factory=StrengthSettings)
    levels: LevelSettings = Field(default_factory=LevelSettings)
    influence: InfluenceSettings = Field(default_factory=InfluenceSettings)
    coverage: CoverageSettings = Field(default_factory=CoverageSettings)
    plan: PlanSettings = Field(default_factory=PlanSettings)
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)
    portfolio: PortfolioSettings = Field(default_factory=PortfolioSettings)
    dark_horses: DarkHorseSettings = Field(default_factory=DarkHorseSettings)
    formal_lines: FormalLineSettings = Field(default_factory=FormalLineSettings)
    formal_informal: FormalInformalSettings = Field(default_factory=FormalInformalSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    structure: StructureSettings = Field(default_factory=StructureSettings)
    rotation: RotationSettings = Field(default_factory=RotationSettings)
    ties: TieSettings = Field(default_factory=TieSettings)
    #: The version of the words this workspace was written with (see
    #: stakegraph.records.vocabulary): 2 says 支持者 in a stance means supporter, as the
    #: tool prints it. Without it (1), a stance written 支持者, which meant champion
    #: before 0.2, gets a warning from ``check``. ``init`` writes 2.
    vocabulary: int = Field(1, ge=1, le=2)
    #: The language of the workspace: its terminal output, report and figures, and a
    #: workbook written from it: "zh" (Chinese sheet names and headers, the field code
    #: under each header) or "en" (English names, field codes as headers; no Chinese
    #: words outside the records). Without it the records decide: mostly Chinese names
    #: give "zh". Either workbook language reads back the same.
    language: Literal["zh", "en"] | None = None
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings)

    @field_validator("grades", "tiers")
    @classmethod
    def _scale(cls, values: dict[str, int]) -> dict[str, int]:
        if not values:
            raise ValueError("must name at least one entry")
        negative = [name for name, v in values.items() if v < 0]
        if negative:
            raise SettingConflict(negative[0], "values must be 0 or more")
        return values

    @field_validator("tier_grade")
    @classmethod
    def _known_tiers(cls, values: dict[str, int], info: ValidationInfo) -> dict[str, int]:
        tiers = info.data.get("tiers") or {}
        unknown = [t for t in values if t not in tiers]
        if unknown:
            raise ValueError(f"names tiers not in [tiers]: {', '.join(unknown)}")
        negative = [name for name, v in values.items() if v < 0]
        if negative:
            raise SettingConflict(negative[0], "grades must be 0 or more")
        # A more senior tier of ours is paired with a grade at least as high.
        by_tier = sorted(values.items(), key=lambda item: (tiers[item[0]], item[1]))
        for (low, low_grade), (high, high_grade) in zip(by_tier, by_tier[1:], strict=False):
            if tiers[high] > tiers[low] and high_grade < low_grade:
                raise SettingConflict(
                    high,
                    f"tier '{high}' ({tiers[high]}) is paired with grade {high_grade}, below "
                    f"grade {low_grade} of the junior tier '{low}' ({tiers[low]}); "
                    "pair senior tiers with grades at least as high",
                )
        return values

    @field_validator("rotation")
    @classmethod
    def _rotation_grades(cls, value: RotationSettings, info: ValidationInfo) -> RotationSettings:
        grades = info.data.get("grades") or {}
        # the default ages name grades of the default scale: only names written are checked
        for key in ("terms", "retirement_ages") if grades else ():
            if key not in value.model_fields_set:
                continue
            unknown = [name for name in getattr(value, key) if name not in grades]
            if unknown:
                raise SettingConflict(
                    key, f"'{unknown[0]}' is not a grade of [grades]; name a grade of the scale"
                )
        return value

    # --- scale helpers -------------------------------------------------------------
    def grade_range(self) -> tuple[int, int]:
        return min(self.grades.values()), max(self.grades.values())

    def tier_range(self) -> tuple[int, int]:
        return min(self.tiers.values()), max(self.tiers.values())

    def grade_name(self, value: int) -> str | None:
        """The canonical (first) name of a grade number, or None."""
        return _first_name(self.grades, value)

    def grade_name_in(self, value: int, language: str) -> str | None:
        """The name of a grade number in ``language``.

        Chinese: the canonical name. English: the first name of the scale written
        without Chinese; for the default scale its English name; otherwise
        ``grade N``.
        """
        name = self.grade_name(value)
        if language != "en" or name is None or name.isascii():
            return name
        for other, number in self.grades.items():
            if number == value and other.isascii():
                return other
        if self.grades == DEFAULT_GRADES and value in DEFAULT_GRADE_NAMES_EN:
            return DEFAULT_GRADE_NAMES_EN[value]
        return f"grade {value}"

    def tier_name(self, value: int) -> str | None:
        return _first_name(self.tiers, value)

    def tier_grade_of(self, tier: int) -> int | None:
        """The grade a tier number is paired with (through any tier name of it)."""
        for name, grade in self.tier_grade.items():
            if self.tiers.get(name) == tier:
                return grade
        return None


def _first_name(table: dict[str, int], value: int) -> str | None:
    for name, number in table.items():
        if number == value:
            return name
    return None


DEFAULT_SETTINGS = Settings()


def load_settings(folder: Path | str | None) -> Settings:
    """Read ``stakegraph.toml`` from a workspace folder; defaults when absent.

    Raises :class:`ConfigError` naming the file, the line and the key of a bad value.
    """
    if folder is None:
        return DEFAULT_SETTINGS
    path = Path(folder)
    if path.is_dir():
        path = path / CONFIG_FILE
    if not path.is_file():
        return DEFAULT_SETTINGS
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot be parsed as TOML: {exc}") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            conflict = (err.get("ctx") or {}).get("error")
            if isinstance(conflict, SettingConflict):
                loc = (*loc, conflict.key)
            key = ".".join(str(p) for p in loc if isinstance(p, str))
            line = _line_of(text, loc)
            where = f"{path}:{line}" if line else str(path)
            msg = err["msg"].removeprefix("Value error, ")
            items = [p for p in loc if isinstance(p, int)]
            if items:  # a list's item: named by its place, on the list's line
                msg = f"item {items[-1] + 1}: {msg}"
            if err["type"] == "extra_forbidden":
                msg = "unknown setting; see the documented settings in README.md"
            lines.append(f"{where}: setting '{key}': {msg}")
        raise ConfigError("\n".join(lines)) from None


def _line_of(text: str, loc: tuple) -> int | None:
    """Line of a key in a TOML text: the key inside its [section], best effort."""
    # a list item's index (directed_kinds.1) is on its key's line
    loc = tuple(part for part in loc if isinstance(part, str)) or loc
    if not loc:
        return None
    section, key = (loc[0], loc[-1]) if len(loc) > 1 else (None, loc[0])
    current = None
    header = None  # a key left at its default is shown at its section
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        head = re.match(r"^\[([^\]]+)\]", line)
        if head:
            current = head.group(1).strip()
            if section is None and current == str(key):
                return number
            if current == section and header is None:
                header = number
            continue
        if re.match(rf'^"?{re.escape(str(key))}"?\s*=', line) and (
            section is None or current == section
        ):
            return number
    return header
