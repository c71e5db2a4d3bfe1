"""Appointment tables: one row per person, post and period, as public directories publish them.

Layout
------
A CSV file (UTF-8 with or without a byte-order mark, or GB18030 from Chinese
Excel, told apart as for CSV workspaces) or a workbook (the sheet
``appointments``, ``任职`` or ``任免``, else the first sheet). Row 1 names the
columns; Chinese and English names are recognised (case, spaces, ``_`` and a
part in brackets do not matter), and a mapping file or options name others:

=================  ========================================================
field              headers recognised
=================  ========================================================
``person``         姓名, 人员, name, person, person name, full name
``post``           职务, 职位, 岗位, post, position, office, and ``title``
                   when the table has no other post column
``organisation``   单位, 机构, 部门, 工作单位, 任职单位, organisation,
                   organization, org, ministry, body
``start``          任职开始, 开始, 起始, 任职时间, 任职日期, start, from,
                   start date, appointed
``end``            任职结束, 结束, 离任, 离任时间, 免职时间, end, to, until,
                   end date, left
``title``          头衔, 称谓, role, seat title, tenure title (the seat's own
                   title: Chair, Ranking Member, 常务副部长)
``acting``         代理, 主持工作, 是否代理, acting
``concurrent``     兼任, 是否兼任, concurrent
``rank``           职级, 级别, rank, grade
``person_id``      人员编号, person id
``post_id``        职务编号, post id
``org_id``         单位编号, 机构编号, org id, organisation id, organization id
``org_kind``       机构类型, 单位类型, org kind, organisation kind, kind
``level``          行政级别, 层级, level
``region``         地区, 区域, 省份, region
``born``           出生年份, 出生年月, 出生, born, birth year, year of birth
``hometown``       籍贯, hometown
``school``         毕业院校, 学校, school, alma mater, university
=================  ========================================================

``person``, ``post``, ``organisation`` and ``start`` are needed (``person_id``,
``post_id`` or ``org_id`` may stand in for a name when the record exists).

Cells
-----
* Dates: ``2018-03-16``, ``2018/3/16``, ``2018.3.16``, ``2018年3月16日``,
  ``20180316``, a real Excel date; a month (``2018-03``, ``2018.3``,
  ``2018年3月``) or a year (``2018``) is read as its first day, with a note. An
  empty end, ``至今``, ``今``, ``present`` or ``now`` means the person still holds
  the post.
* Yes/no (``acting``, ``concurrent``): 是/否, yes/no, y/n, true/false, 1/0, ✓;
  the words 代理, 主持工作 and acting mean yes.
* Ranks: a grade name of the workspace's scale (正处, 副部 ...), a number, a
  word the mapping's ``[ranks]`` (or ``--rank WORD=GRADE``) assigns, the name
  with 级 (正厅级) or the civil-service category (厅局级正职, 县处级副职).
  Grades are written back by name, so a numeric rank and a named one give
  the same file.
* ``born``: a year, or a date or month whose year is taken.
* ``hometown`` and ``school`` become the person's tags ``hometown:…`` and
  ``school:…``, from which ``derive-ties`` finds 同乡 and 同学.

Every problem (a date that is not a date, an end before the start, an unknown
rank, a mapping naming a column the file does not have, a missing column) is
reported at its file, row and column, all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from stakegraph._gc import gc_paused
from stakegraph.config import Settings
from stakegraph.errors import WARNING, ImportInvalid, Location, Problem, StakegraphError
from stakegraph.io.table_file import read_table_file
from stakegraph.io.xlsx_book import _filled
from stakegraph.records.model import ID_PATTERN, Level, OrgKind

#: Field -> the header names recognised for it (compared after :func:`header_key`).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "person": ("姓名", "人员", "name", "person", "person name", "full name"),
    "post": ("职务", "职位", "岗位", "post", "position", "office"),
    "organisation": (
        "单位",
        "机构",
        "部门",
        "工作单位",
        "任职单位",
        "organisation",
        "organization",
        "org",
        "ministry",
        "body",
    ),
    "start": (
        "任职开始",
        "开始",
        "起始",
        "任职时间",
        "任职日期",
        "开始日期",
        "start",
        "from",
        "start date",
        "appointed",
    ),
    "end": (
        "任职结束",
        "结束",
        "离任",
        "离任时间",
        "免职时间",
        "结束日期",
        "end",
        "to",
        "until",
        "end date",
        "left",
    ),
    "title": ("头衔", "称谓", "role", "seat title", "tenure title"),
    "acting": ("代理", "主持工作", "是否代理", "acting"),
    "concurrent": ("兼任", "是否兼任", "concurrent"),
    "rank": ("职级", "级别", "rank", "grade"),
    "person_id": ("人员编号", "person id"),
    "post_id": ("职务编号", "post id"),
    "org_id": ("单位编号", "机构编号", "org id", "organisation id", "organization id"),
    "org_kind": ("机构类型", "单位类型", "org kind", "organisation kind", "kind"),
    "level": ("行政级别", "层级", "level"),
    "region": ("地区", "区域", "省份", "region"),
    "born": ("出生年份", "出生年月", "出生", "born", "birth year", "year of birth"),
    "hometown": ("籍贯", "hometown"),
    "school": ("毕业院校", "学校", "school", "alma mater", "university"),
}
FIELDS = tuple(COLUMN_NAMES)

#: Sheet names taken before the first sheet of a workbook.
SHEETS = ("appointments", "任职", "任免")

#: Civil-service categories (职务层次) and the grade names they stand for.
RANK_CATEGORIES = {
    "国家级正职": "国家级",
    "省部级正职": "正部",
    "省部级副职": "副部",
    "厅局级正职": "正厅",
    "厅局级副职": "副厅",
    "县处级正职": "正处",
    "县处级副职": "副处",
    "乡科级正职": "正科",
    "乡科级副职": "副科",
}

_OPEN_END = frozenset({"至今", "今", "现在", "现任", "present", "now", "current", "-", "—", "–"})
_YES = frozenset({"是", "y", "yes", "true", "1", "t", "x", "✓", "√", "代理", "主持工作", "acting"})
_NO = frozenset({"否", "n", "no", "false", "0", "f"})
_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR = re.compile(r"(\d{4})\s*年?")
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
_LAYOUT = (
    "row 1 names the columns: at least the person (姓名), post (职务), organisation "
    "(单位) and start (任职开始)"
)


def header_key(text: str) -> str:
    """A header as compared: lower case, brackets dropped, ``_``/``-`` as spaces.

    >>> header_key(" Start_Date (YYYY-MM-DD) ")
    'start date'
    >>> header_key("任职开始（年月）")
    '任职开始'
    """
    text = _BRACKETS.sub("", str(text)).strip().strip(":：").lower()
    return " ".join(text.replace("_", " ").replace("-", " ").split())


@dataclass
class Mapping:
    """How the columns of a table and its rank words are read.

    ``columns`` maps a field to the header of its column; ``ranks`` maps a word
    of the rank column to a grade (a name of the scale or a number).
    ``origin`` and ``lines`` locate each entry for problems.
    """

    columns: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, int | str] = field(default_factory=dict)
    default_grade: int | str | None = None
    origin: str = "options"
    lines: dict[str, int] = field(default_factory=dict)

    def where(self, key: str) -> Location:
        return Location(self.origin, self.lines.get(key))


def load_mapping(path: Path | str) -> Mapping:
    """Read a mapping file (TOML)::

        [columns]          # field = "header in the table"
        person = "Member"
        post = "Seat"
        [ranks]            # word in the rank column = grade name or number
        "部长级" = "正部"
        "Cabinet" = 9
        [defaults]
        grade = "正处"     # for posts whose rows give no rank

    Raises
    ------
    ImportInvalid
        An unknown section, field or value, located by file and line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StakegraphError(f"{path}: cannot be read as UTF-8 text ({exc}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImportInvalid(
            [Problem(f"is not valid TOML: {exc}.", Location(path.name), hint="correct the line.")]
        ) from None
    lines = _key_lines(text)
    mapping = Mapping(origin=path.name)
    problems: list[Problem] = []

    def bad(message: str, key: str, hint: str) -> None:
        problems.append(Problem(message, Location(path.name, lines.get(key)), hint=hint))

    for section in data:
        if section not in ("columns", "ranks", "defaults"):
            bad(f"unknown section [{section}].", section, "use [columns], [ranks] and [defaults].")
    columns = data.get("columns", {})
    for name, header in columns.items() if isinstance(columns, dict) else ():
        if name not in COLUMN_NAMES:
            bad(
                f"[columns] names an unknown field '{name}'.",
                name,
                f"use one of: {', '.join(FIELDS)}.",
            )
        elif not isinstance(header, str) or not header.strip():
            bad(f"the column of '{name}' must be a header text.", name, 'write name = "Header".')
        else:
            mapping.columns[name] = header
            mapping.lines[f"columns.{name}"] = lines.get(name, 0)
    ranks = data.get("ranks", {})
    for word, grade in ranks.items() if isinstance(ranks, dict) else ():
        if isinstance(grade, bool) or not isinstance(grade, int | str):
            bad(f"rank '{word}' must map to a grade name or number.", word, '"部长级" = "正部".')
        else:
            mapping.ranks[word.strip()] = grade
    defaults = data.get("defaults", {})
    if isinstance(defaults, dict) and "grade" in defaults:
        mapping.default_grade = defaults["grade"]
    if problems:
        raise ImportInvalid(problems)
    return mapping


def _key_lines(text: str) -> dict[str, int]:
    """The line of each ``key =`` of a small TOML file (keys may be quoted)."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r'\s*(?:\[([^\]]+)\]|"([^"]+)"|\'([^\']+)\'|([\w-]+))\s*=?', line)
        if match:
            key = next(g for g in match.groups() if g is not None).strip()
            found.setdefault(key, number)
    return found


@dataclass(frozen=True)
class Cells:
    """Where the cells of a table are: its file, sheet and each field's column letter."""

    file: str
    sheet: str | None
    columns: dict[str, str]

    def at(self, row: int, name: str | None = None) -> Location:
        column = self.columns.get(name) if name else None
        return Location(self.file, sheet=self.sheet, row=row, column=column)


@dataclass(slots=True)
class Appointment:
    """One row of an appointments table, read and checked cell by cell.

    ``cells`` locates each field's cell, so that problems found later (two rows
    contradicting each other) point at them.
    """

    row: int
    cells: Cells
    person: str | None = None
    person_id: str | None = None
    post: str | None = None
    post_id: str | None = None
    organisation: str | None = None
    org_id: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    title: str | None = None
    acting: bool | None = None
    concurrent: bool | None = None
    grade: int | None = None
    org_kind: str | None = None
    level: str | None = None
    region: str | None = None
    born: int | None = None
    hometown: str | None = None
    school: str | None = None

    @property
    def where(self) -> Location:
        """The row."""
        return self.cells.at(self.row)

    def at(self, name: str) -> Location:
        """The cell of field ``name`` in this row (the row when the table has no such column)."""
        return self.cells.at(self.row, name)


@dataclass
class AppointmentTable:
    """The rows of an appointments file, the fields its columns give and the notes."""

    source: str
    rows: list[Appointment]
    given: set[str]
    notes: list[Problem] = field(default_factory=list)


def read_appointments(
    source: Path | str, settings: Settings, mapping: Mapping | None = None
) -> AppointmentTable:
    """Read an appointments table (see the module documentation).

    Parameters
    ----------
    source : a ``.csv`` file or an ``.xlsx`` workbook.
    settings : the settings of the workspace the rows go into (its grade scale).
    mapping : column and rank names beyond the recognised ones.

    Returns
    -------
    AppointmentTable
        The non-empty rows in file order, with notes (dates read at reduced
        precision).

    Raises
    ------
    ImportInvalid
        Every problem of the file, each at its file, row and column.

    Notes
    -----
    Cost: linear in the cells of the file.
    """
    source = Path(source)
    mapping = mapping or Mapping()
    rows, sheet = _read_rows(source)
    if not rows or not any(_filled(v) for v in rows[0]):
        raise StakegraphError(f"{source}: no appointments found; {_LAYOUT}.")

    def at(number: int, index: int | None = None) -> Location:
        column = None if index is None else get_column_letter(index + 1)
        return Location(source.name, sheet=sheet, row=number, column=column)

    problems: list[Problem] = []
    columns = _columns(rows[0], mapping, at, problems)
    letters = {name: get_column_letter(index + 1) for name, index in columns.items()}
    reader = _RowReader(settings, mapping, columns, Cells(source.name, sheet, letters))
    read = []
    with gc_paused():
        for number, cells in enumerate(rows[1:], start=2):
            if any(_filled(v) for v in cells):
                read.append(reader.read(number, cells))
    problems += reader.problems
    if not read and not problems:
        raise StakegraphError(f"{source}: no appointment rows below the header; {_LAYOUT}.")
    if problems:
        raise ImportInvalid(problems)
    notes = [
        Problem(
            f"{count} date{'s' if count > 1 else ''} given as a {kind} (first here) read as "
            f"the first day of that {kind}.",
            where,
            severity=WARNING,
        )
        for kind, (count, where) in reader.partial.items()
    ]
    return AppointmentTable(source.name, read, set(columns), notes)


def _read_rows(source: Path) -> tuple[list[Sequence[Any]], str | None]:
    """Every row of the file, and the sheet read (None for CSV)."""
    return read_table_file(source, SHEETS, "the appointments", ImportInvalid)


def _columns(
    header: Sequence[Any], mapping: Mapping, at: Any, problems: list[Problem]
) -> dict[str, int]:
    """Field -> column index, from the mapping first, then the recognised names."""
    keys = [header_key(v) if _filled(v) else "" for v in header]
    columns: dict[str, int] = {}
    for name, wanted in mapping.columns.items():
        key = header_key(wanted)
        if key in keys:
            columns[name] = keys.index(key)
            continue
        shown = ", ".join(str(v) for v in header if _filled(v))
        problems.append(
            Problem(
                f"the column '{wanted}' named for '{name}' is not in the table "
                f"({at(1)}; its columns: {shown}).",
                mapping.where(f"columns.{name}"),
                hint="correct the header name in the mapping, or remove the entry.",
            )
        )
        columns[name] = -1
    taken = set(columns.values())
    seen: dict[str, int] = {}
    bare_title: int | None = None  # a column headed just "title"
    for index, key in enumerate(keys):
        if not key or index in taken:
            continue
        if key == "title":
            bare_title = index if bare_title is None else bare_title
            continue
        target = next((f for f, names in COLUMN_NAMES.items() if key in names), None)
        if target is None or target in columns:
            continue
        if target in seen:
            first = get_column_letter(seen[target] + 1)
            problems.append(
                Problem(
                    f"column '{header[index]}' gives the {target} again (first in column {first}).",
                    at(1, index),
                    hint="remove or rename one of them, or name the one to use in a mapping.",
                )
            )
            continue
        seen[target] = index
    if bare_title is not None:
        # "title" alone is the post's title; beside a post column, the seat's own title
        target = "title" if "post" in seen or "post" in columns else "post"
        if target not in seen and target not in columns:
            seen[target] = bare_title
    columns.update(seen)
    columns = {k: v for k, v in columns.items() if v >= 0}
    needs = {
        "person": ("person", "person_id"),
        "post": ("post", "post_id"),
        "organisation": ("organisation", "org_id", "post_id"),
        "start": ("start",),
    }
    for name, any_of in needs.items():
        if not any(n in columns for n in any_of) and not any(n in mapping.columns for n in any_of):
            names = " / ".join(COLUMN_NAMES[name][:3])
            problems.append(
                Problem(
                    f"there is no {name} column ({names}).",
                    at(1),
                    hint=f"add the column, or name it in a mapping file: [columns] {name} = "
                    '"Header".',
                )
            )
    return columns


class _RowReader:
    """Reads the cells of one row into an :class:`Appointment`, collecting problems."""

    def __init__(self, settings: Settings, mapping: Mapping, columns: dict[str, int], cells: Cells):
        self.settings = settings
        self.mapping = mapping
        self.columns = columns
        self.cells = cells
        self.problems: list[Problem] = []
        self.reported: set[tuple[int, str]] = set()
        self.rank_cache: dict[Any, int | None] = {}
        self.partial: dict[str, tuple[int, Location]] = {}
        self.ranks = {header_key(k): v for k, v in mapping.ranks.items()}

    def read(self, number: int, cells: Sequence[Any]) -> Appointment:
        row = Appointment(number, self.cells)
        for name, index in self.columns.items():
            value = cells[index] if index < len(cells) else None
            if value is None or value == "" or (isinstance(value, str) and not value.strip()):
                continue
            if name in ("start", "end"):
                setattr(row, name, self.date(value, row, name))
            elif name in ("acting", "concurrent"):
                setattr(row, name, self.flag(value, row, name))
            elif name == "rank":
                row.grade = self.rank(value, row)
            elif name == "born":
                row.born = self.born(value, row)
            elif name == "org_kind":
                row.org_kind = self.word(OrgKind, value, row, name, "organisation kind")
            elif name == "level":
                row.level = self.word(Level, value, row, name, "level")
            elif name in ("person_id", "post_id", "org_id"):
                setattr(row, name, self.record_id(value, row, name))
            else:
                setattr(row, name, _text(value))
        self.complete(row)
        return row

    def complete(self, row: Appointment) -> None:
        """Report what the row lacks or contradicts within itself."""
        alternatives = {"person": "person_id", "post": "post_id", "organisation": "org_id"}
        for name, other in alternatives.items():
            if getattr(row, name) is not None or getattr(row, other) is not None:
                continue
            if name == "organisation" and row.post_id is not None:
                continue
            if name in self.columns or other in self.columns:
                self.problem(f"the {name} is missing.", row, name, f"fill in the {name}.")
        if (
            "start" in self.columns
            and row.start is None
            and (row.row, "start") not in self.reported
        ):
            self.problem(
                "the start date is missing.",
                row,
                "start",
                "write the day the person took the post (YYYY-MM-DD); a month or year will do.",
            )
        if row.start and row.end and row.end < row.start:
            self.problem(
                f"the end {row.end} is before the start {row.start}.",
                row,
                "end",
                "correct one of the dates: the end is the day the person left the post.",
            )

    def record_id(self, value: Any, row: Appointment, name: str) -> str | None:
        text = _text(value)
        if text is not None and ID_PATTERN.match(text):
            return text
        self.problem(
            f"{text!r} is not a valid id.",
            row,
            name,
            "an id holds no spaces, '/' or ':'; write e.g. liu-dehua, or leave the cell empty "
            "to have one made from the name.",
        )
        return None

    def problem(self, message: str, row: Appointment, name: str, hint: str) -> None:
        self.reported.add((row.row, name))
        self.problems.append(Problem(message, row.at(name), hint=hint))

    def date(self, value: Any, row: Appointment, name: str) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value) or ""
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:  # the common case, quickly
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        if name == "end" and text.strip().lower() in _OPEN_END:
            return None
        day, kind = parse_day(text)
        if day is None:
            self.problem(
                f"{text!r} is not a date.",
                row,
                name,
                "write it as YYYY-MM-DD (2018-03-16); 2018/3/16, 2018年3月16日, a month "
                "(2018-03) or a year also do"
                + (
                    "; leave the end empty (or write 至今) while the post is held."
                    if name == "end"
                    else "."
                ),
            )
        elif kind is not None and kind not in self.partial:
            self.partial[kind] = (1, row.at(name))
        elif kind is not None:
            count, first = self.partial[kind]
            self.partial[kind] = (count + 1, first)
        return day

    def flag(self, value: Any, row: Appointment, name: str) -> bool | None:
        if isinstance(value, bool):
            return value
        word = (_text(value) or "").strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        self.problem(
            f"{word!r} is not yes or no.",
            row,
            name,
            f"write 是 or 否 (yes or no) in the {name} column, or leave it empty for no.",
        )
        return None

    def rank(self, value: Any, row: Appointment) -> int | None:
        key = (type(value), value)
        if key in self.rank_cache:
            grade = self.rank_cache[key]
            if grade is None:
                self._unknown_rank(value, row)
            return grade
        grade = self._rank(value)
        self.rank_cache[key] = grade
        if grade is None:
            self._unknown_rank(value, row)
        return grade

    def _unknown_rank(self, value: Any, row: Appointment) -> None:
        grades = self.settings.grades
        low, high = self.settings.grade_range()
        text = (_text(value) or "").strip()
        self.problem(
            f"unknown rank {text!r}.",
            row,
            "rank",
            f"use a grade of the scale ({', '.join(dict.fromkeys(grades))}) or a number "
            f"{low}–{high}, or map the word to a grade: [ranks] in a mapping file, or "
            f"--rank '{text}=GRADE'.",
        )

    def _rank(self, value: Any) -> int | None:
        grades = self.settings.grades
        low, high = self.settings.grade_range()
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and float(value).is_integer() and low <= int(value) <= high:
            return int(value)
        text = (_text(value) or "").strip()
        target: Any = self.ranks.get(header_key(text), text)
        target = RANK_CATEGORIES.get(str(target), target)
        if isinstance(target, int) and low <= target <= high:
            return target
        name = str(target).strip()
        for candidate in (name, name.removesuffix("级")):
            if candidate in grades:
                return grades[candidate]
        if re.fullmatch(r"\d+", name) and low <= int(name) <= high:
            return int(name)
        return None

    def born(self, value: Any, row: Appointment) -> int | None:
        if isinstance(value, dt.date):
            return value.year
        if isinstance(value, int | float) and not isinstance(value, bool):
            year: int | None = int(value) if 1900 <= value < 2101 else None
        else:
            match = re.match(r"\s*(\d{4})", _text(value) or "")
            year = int(match.group(1)) if match else None
        if year is None or not 1900 <= year <= 2100:
            self.problem(
                f"{value!r} is not a year of birth.",
                row,
                "born",
                "write the year (1962), or a date or month of birth.",
            )
            return None
        return year

    def word(self, enum: Any, value: Any, row: Appointment, name: str, what: str) -> str | None:
        text = (_text(value) or "").strip()
        try:
            return str(enum(text).value)
        except ValueError:
            try:
                return str(enum(text.lower()).value)
            except ValueError:
                pass
        self.problem(
            f"unknown {what} {text!r}.",
            row,
            name,
            f"use one of: {', '.join(m.value for m in enum)}.",
        )
        return None


def parse_day(text: str) -> tuple[dt.date | None, str | None]:
    """A date from the forms tables use, and 'month' or 'year' when only that was given.

    >>> parse_day("2018年3月16日")
    (datetime.date(2018, 3, 16), None)
    >>> parse_day("2018.03")
    (datetime.date(2018, 3, 1), 'month')
    >>> parse_day("2018-02-30")
    (None, None)
    """
    text = text.strip()
    for pattern, kind in ((_FULL, None), (_COMPACT, None), (_MONTH, "month"), (_YEAR, "year")):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
        try:
            return dt.date(*parts), kind
        except ValueError:
            return None, None
    return None, None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text or None


__all__ = [
    "COLUMN_NAMES",
    "Appointment",
    "AppointmentTable",
    "Mapping",
    "header_key",
    "load_mapping",
    "parse_day",
    "read_appointments",
]
