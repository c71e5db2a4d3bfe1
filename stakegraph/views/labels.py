"""Every label, colour and font the views print, defined once.

Colours
-------
Each concept the views colour has one table here (gap kinds, cover levels, stances,
the links between people, organisation kinds, plan phases, the parts of an influence
score ...), and the HTML report, its page style, the map and the figures all read it,
so a gap kind or a stance has one colour wherever it is shown. Neutral colours (paper,
ink, rules, fills) are named here as well; no other module of ``stakegraph.views``
writes a colour literal (``tests/views/test_one_colour_table.py`` checks it).

The terminal cannot show an exact colour on every console and should follow the
user's theme, so each table that the terminal uses has a mapping beside it from the
same keys to a rich style: the named ANSI colour of the same hue (the test checks the
hue), with ``bold`` where the concept needs to stand out.
"""

from __future__ import annotations

from stakegraph.records.vocabulary import labels, zh_labels

#: Bilingual labels of stances and roles ("坚定支持者 champion"), from the one table of
#: each enumeration (stakegraph.records.vocabulary), so every printed label parses back.
STANCE_LABELS = labels("Stance")

ROLE_LABELS = labels("RoleKind")

#: The three phases of the inverted-triangle plan (倒三角), top-down.
PHASE_LABELS = {
    "senior": "高层对接 senior pairing",
    "middle": "持续互动 channels",
    "base": "责任到人 named owners",
}

# --- the words of the analyses' codes ------------------------------------------------------
# Each analysis returns codes (a gap kind, a stage, an action status ...); these tables turn
# them into the bilingual label the tables, figures and ``--json`` documents print. Keys are
# the plain codes; the analyses' StrEnum members look them up as well.

#: Gap kinds of an opportunity's chain (stakegraph.analysis.coverage.GapKind).
GAP_LABELS = {
    "UNCOVERED": "无覆盖 uncovered",
    "WEAK": "关系弱 weak",
    "STALE": "久未联系 stale",
    "NO_OWNER": "未责任到人 no owner",
    "SINGLE_THREADED": "单线联系 single-threaded",
    "RANK_MISMATCH": "级别不对等 rank mismatch",
    "OPPONENT": "反对/倾向对手 opponent",
    "VACANT": "岗位空缺 vacant",
    "ACTING": "主持工作 acting head",
    "ROTATED": "人员轮岗 rotated",
    "UNKNOWN_HOLDER": "人选未明 holder unknown",
}

#: The stance each cell of the portfolio calls for: (segment, covered) → what to do.
STANCES = {
    ("key", True): "守 defend: keep the key persons strong",
    ("key", False): "攻 invest: pressure strategy (压强) on the key persons",
    ("general", True): "保 maintain: penetrate the wide base (渗透)",
    ("general", False): "养 nurture: organisation-level exchanges first",
}

#: Sales stages of an opportunity, in funnel order (stakegraph.records.model.Stage).
STAGE_LABELS = labels("Stage")

#: Statuses of an improvement action (stakegraph.records.model.ActionStatus).
STATUS_LABELS = labels("ActionStatus")

#: Relationship levels (stakegraph.records.model.RelationshipLevel).
LEVEL_LABELS = labels("RelationshipLevel")

#: Chinese names of the informal tie kinds (stakegraph.records.model.TieKind), for circles.
TIE_KIND_LABELS: dict[str, str] = zh_labels("TieKind")

#: The group of actions that belong to no opportunity, in a review.
NO_OPPORTUNITY_LABEL = "无商机 no opportunity"

#: Why an action needs correction (stakegraph.analysis.review.Correction).
CORRECTION_LABELS = {
    "OVERDUE": "逾期 overdue",
    "NOT_IMPROVED": "覆盖未提升 cover not improved",
    "NO_CONTACT": "无互动 no contact",
    "OWNER_LEFT": "责任人变动 owner left",
    "TARGET_ROTATED": "对象轮岗 target rotated",
}

#: The three kinds of relationship of an account (stakegraph.analysis.relationship_kinds).
KIND_LABELS = {
    "key": "关键 key",
    "general": "普遍 general",
    "organisational": "组织 organisational",
}

#: A holder arriving at or leaving a post between two days (stakegraph.analysis.diff).
ROTATION_LABELS = {"in": "到任 in", "out": "离任 out"}

#: The dated lines of the structure (stakegraph.analysis.structure_diff).
STRUCTURE_LABELS = {
    "reports_to": "汇报关系 reporting line",
    "oversees": "分管 oversight",
    "parent": "隶属(块) parent",
    "guided_by": "业务指导(条) guidance",
}
#: Whether such a line begins or ends.
CHANGE_LABELS = {"begins": "开始 begins", "ends": "结束 ends"}

#: Marks an acting holder (主持工作, 代理) beside their name in chains and tables.
ACTING_LABEL = "主持工作 acting"


def holder_name(name: str, acting: bool) -> str:
    """A holder's name, flagged when they act for the post without being appointed."""
    return f"{name} ({ACTING_LABEL})" if acting else name


# --- neutrals ----------------------------------------------------------------------------

#: The page and figure background, and text on a dark or coloured fill.
PAPER = "#ffffff"
#: The darkest text and marks (numbers in heatmap cells, threshold lines).
BLACK = "#000000"

#: The page's colours (report and map): text, background, rules and fills.
PAGE_INK = "#1d2430"
PAGE_BACKGROUND = "#f4f6f9"
#: Secondary text: the line under a title, notes, captions.
PAGE_MUTED = "#555566"
PAGE_LEGEND_INK = "#444455"
#: The faintest text: the footer, hints.
PAGE_FAINT = "#777788"
PAGE_LABEL_INK = "#666677"
#: Our side and the page's accent: section rules, our owners on the map.
ACCENT = "#234e86"
PAGE_RULE = "#e3e7ec"
PAGE_GROUP_RULE = "#b8c3d1"
PAGE_CARD_BORDER = "#e0e5eb"
PAGE_HEADER_FILL = "#eef2f7"
PAGE_BAR_TRACK = "#eceff3"
MAP_BORDER = "#cfd6df"
MAP_RULE = "#e3e8ee"
NOTE_FILL = "#fff7e0"
NOTE_RULE = "#f1e2b3"

#: The figures' greys, darkest first: text, notes, lines, ticks, grids and fills.
FIGURE_TEXT = "#222222"
FIGURE_TEXT_SOFT = "#333333"
FIGURE_NOTE = "#444444"
FIGURE_LINE = "#555555"
FIGURE_EDGE = "#666666"
FIGURE_TICK = "#777777"
VACANT_EDGE = "#8a8a8a"
FIGURE_SPINE = "#bbbbbb"
EMPTY_EDGE = "#c8c8c8"
VACANT_HATCH = "#cccccc"
FIGURE_GRID = "#dddddd"
HEATMAP_GRID = "#e6e6e6"
NEUTRAL_FILL = "#eeeeee"
EMPTY_FILL = "#f2f2f2"
HEADER_FILL = "#f4f4f4"
BAND_FILL = "#f5f5f5"
#: The halo behind node labels on the map, so a label stays legible across an edge.
LABEL_HALO = "rgba(255,255,255,0.85)"

# --- signals: bad, warning, good ----------------------------------------------------------

#: What needs attention (vacant, missing, overdue, uncovered), a warning, what is fine.
SIGNAL_COLOURS = {"bad": "#c0392b", "warn": "#b7791f", "good": "#1a7f37"}
SIGNAL_TERMINAL = {"bad": "red", "warn": "yellow", "good": "green"}
BAD = SIGNAL_COLOURS["bad"]
GOOD = SIGNAL_COLOURS["good"]
#: Text that warns in a figure (a vacancy hint, gap tags, an uncovered target's name).
BAD_INK = "#8b1a1a"
#: The fill of an uncovered target in the plan figure.
UNCOVERED_FILL = "#f8d7d3"

# --- gap kinds ----------------------------------------------------------------------------

#: One colour per gap kind: report tags, the legend, the map's detail panel.
GAP_COLOURS = {
    "UNCOVERED": BAD,
    "VACANT": "#e4574a",
    "UNKNOWN_HOLDER": "#c0392b",
    "OPPONENT": "#8e44ad",
    "ACTING": "#d68910",
    "ROTATED": "#b9770e",
    "WEAK": "#d4a106",
    "STALE": "#a0522d",
    "RANK_MISMATCH": "#1f7a8c",
    "NO_OWNER": "#2e6fb0",
    "SINGLE_THREADED": "#148f77",
}
GAP_TERMINAL = {
    "UNCOVERED": "bold red",
    "VACANT": "red",
    "UNKNOWN_HOLDER": "red",
    "OPPONENT": "magenta",
    "ACTING": "yellow",
    "ROTATED": "yellow",
    "WEAK": "yellow",
    "STALE": "yellow",
    "RANK_MISMATCH": "cyan",
    "NO_OWNER": "cyan",
    "SINGLE_THREADED": "cyan",
}
#: A gap kind missing from the table, should one be added without a colour.
GAP_FALLBACK = "#888888"
#: The map's vacant post: a dashed box with its label in this dark red.
VACANT_INK = "#7a1f17"

# --- cover ---------------------------------------------------------------------------------

#: The cover and strength scale, red (none) → amber → green (strong), as the stops of a
#: linear colour map (figures, the map's nodes, the report's coverage bars).
COVER_STOPS = ("#e4574a", "#f5b841", "#f3e27a", "#8fcf7e", "#3f9f5a")

#: The tint of a cover cell in a table, by level (below 0.4, below 0.6, from 0.6).
COVER_LEVEL_COLOURS = {"poor": "#fbe3e0", "fair": "#fdf3d6", "good": "#e2f3e4"}
COVER_LEVEL_TERMINAL = {"poor": "red", "fair": "yellow", "good": "green"}

# --- stances -------------------------------------------------------------------------------

#: A stance's colour in the chain table; a neutral stance is plain text.
STANCE_COLOURS = {
    "champion": GOOD,
    "supporter": GOOD,
    "skeptic": SIGNAL_COLOURS["warn"],
    "opponent": BAD,
}
STANCE_TERMINAL = {
    "champion": "green",
    "supporter": "green",
    "skeptic": "yellow",
    "opponent": "red",
}

# --- table cells ---------------------------------------------------------------------------

#: Which signal each plain style class of a table cell (stakegraph.views.tables.Cell) shows.
CELL_SIGNALS = {"vacant": "bad", "missing": "bad", "bad": "bad", "good": "good"}


def cell_terminal_styles() -> dict[str, str]:
    """The rich style of every coloured cell class, from the tables above."""
    styles = {cls: SIGNAL_TERMINAL[signal] for cls, signal in CELL_SIGNALS.items()}
    styles.update({f"stance-{k}": v for k, v in STANCE_TERMINAL.items()})
    styles.update({f"cover-{k}": v for k, v in COVER_LEVEL_TERMINAL.items()})
    styles["step"] = "bold"
    return styles


# --- links between people and organisations --------------------------------------------------

#: The map's edges: reporting line, 分管 oversight, informal tie, our relationship.
LINK_COLOURS = {
    "formal": "#7b8794",
    "oversight": "#4a78b5",
    "tie": "#e08a1e",
    "relationship": "#2f9e57",
}

#: The organisation chart's lines: 块 (led by its parent), 条 (guided by a line organisation).
ORG_LINK_COLOURS = {"parent": FIGURE_LINE, "guided_by": "#2e6db4"}
ORG_LINK_TERMINAL = {"guided_by": "cyan"}

#: The fill of an organisation's box in the org chart, by kind.
ORG_KIND_COLOURS = {
    "party_committee": "#f6d5d1",
    "government": "#f9e2c8",
    "congress": "#f9e2c8",
    "department": "#d6e4f5",
    "bureau": "#d6e4f5",
    "committee": "#d6e4f5",
    "agency": "#dcefd9",
    "institution": "#dcefd9",
    "division": NEUTRAL_FILL,
    "soe": "#e7dcf2",
    "company": "#e7dcf2",
    "other": NEUTRAL_FILL,
}

# --- our side ------------------------------------------------------------------------------

#: Our owners on the map: the accent fill, a darker border, a lighter highlight.
OWNER_BORDER = "#11284a"
OWNER_HIGHLIGHT = "#3a6fb5"
#: An official on the map: off every chain, their border, and when selected.
OFF_CHAIN_FILL = "#dfe6ee"
NODE_BORDER = "#5f6b7a"
NODE_SELECTED_BORDER = "#111111"

#: One colour per owner in the chain and radar figures (cycled when there are more).
OWNER_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#637939",
)

#: The plan figure: the phases of their side, and the ink and fill of our side.
PHASE_COLOURS = {"senior": "#c9daf8", "middle": "#dde8f7", "base": "#eef3fa"}
THEIR_SIDE_INK = "#34495e"
OUR_SIDE_INK = "#6b5b3e"
OUR_SIDE_FILL = "#f3efe6"

#: The parts of an influence score in the influence figure.
INFLUENCE_PART_COLOURS = {
    "formal": "#3d6fb6",
    "informal": "#e08a3c",
    "position": "#8c8c8c",
    "decision": "#c0504d",
}

#: The portfolio funnel: its bars and the bands joining them.
FUNNEL_COLOUR = "#4c78a8"
FUNNEL_BAND = "#dfe7f1"


#: How an English legend names the colour the figures give what is uncovered.
ALERT_WORD = "red"


# --- rotation risk ahead (轮岗预警) --------------------------------------------------------

#: The rules of a rotation-risk estimate, most certain first (see
#: stakegraph.analysis.rotation_risk.RotationRule).
ROTATION_RULE_LABELS = {
    "RETIREMENT": "到龄退休 retirement age",
    "TERM_LIMIT": "任职满限 term limit",
    "TERM_DUE": "任期届满 term served",
    "REFORM": "机构改革 recent reform",
    "WITHIN_TERM": "任期内 within term",
    "START_UNKNOWN": "到任日期不详 start unknown",
}

#: Where a likely successor comes from: the post's deputies, or the body that guides it (条).
SUCCESSOR_LINE_LABELS = {"deputy": "副职 deputy", "guided_by": "条线 guiding body"}

#: The kinds of formal-versus-informal finding (非正式组织), and the lines they are on.
FORMAL_INFORMAL_LABELS = {
    "bare_line": "无私交的正式线 formal line, no informal tie",
    "consulted_over_superior": "越过上级被请教 consulted over their superior",
    "sought_junior": "同级中受倚重 sought out for their grade",
}
LINE_LABELS = {"reports_to": "汇报 reporting", "oversees": "分管 oversight"}
