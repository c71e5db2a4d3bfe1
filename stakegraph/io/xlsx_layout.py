"""What a workbook's sheets and header cells are called, in Chinese or English.

A workbook is written in the workspace's language (``language`` in
``stakegraph.toml``, Chinese by default):

- Chinese: sheets are named ``组织机构``, ``岗位``, ``人员``, ``任职``, ...; each
  header cell holds the Chinese label and the field code on a second line
  (``姓名`` / ``name``), so a reader always sees which field a column fills.
- English: sheets are named by their table (``organisations``, ...) and headers
  are the field codes, as in CSV.

Reading takes either language and the bare codes of earlier workbooks: a sheet
by its Chinese or English name, a header cell by its code, by its last word when
that is a code of the table (``姓名 name``), or by its Chinese label alone.

Beside every column naming one record (``person``, ``org``, ...) the writer puts
a name column headed ``人员（名称）`` / ``person (name)``, whose formula shows the
name of the record named; readers skip those columns whatever they hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from stakegraph.io.tabular import SETTINGS_SHEET, TABLES, _Table
from stakegraph.records.model import DIMENSION_LABELS, RECORD_BY_COLLECTION

LANGUAGES = ("zh", "en")

#: Chinese sheet names; a table without one (added later) keeps its English name.
SHEETS_ZH: dict[str, str] = {
    "organisations": "组织机构",
    "organisation_lines": "机构关系变动",
    "posts": "岗位",
    "post_lines": "岗位关系变动",
    "persons": "人员",
    "tenures": "任职",
    "names": "曾用名",
    "owners": "我方人员",
    "relationships": "关系",
    "ties": "非正式关系",
    "opportunities": "商机",
    "steps": "决策链",
    "roles": "决策角色",
    "interactions": "互动记录",
    "surveys": "满意度调查",
    "survey_scores": "调查得分",
    "assessments": "关系评估",
    "actions": "行动计划",
    "reforms": "机构改革",
    SETTINGS_SHEET: "设置",
}

#: The help sheet (first) and the hidden sheet of drop-down lists, by language.
HELP_SHEET = {"zh": "说明", "en": "help"}
LISTS_SHEET = {"zh": "列表", "en": "lists"}

#: Chinese labels of fields, by code.
LABELS_ZH: dict[str, str] = {
    "id": "标识",
    "name": "名称",
    "title": "职务",
    "kind": "类型",
    "level": "级别",
    "region": "地区",
    "parent": "上级单位（块）",
    "guided_by": "业务指导单位（条）",
    "start": "开始日期",
    "end": "结束日期",
    "aliases": "别名",
    "tags": "标签",
    "notes": "备注",
    "org": "所属单位",
    "grade": "职级",
    "leadership": "领导职务",
    "reports_to": "直接上级岗位",
    "oversees": "分管单位",
    "seats": "席位数",
    "background": "出身",
    "born": "出生年份",
    "person": "人员",
    "post": "岗位",
    "acting": "主持工作/代理",
    "concurrent": "兼任",
    "on_leave": "离岗",
    "tier": "层级",
    "capacity": "可负责人数",
    "manager": "直属上级",
    "owner": "我方人员",
    **DIMENSION_LABELS,
    "target_level": "目标层级",
    "responsible": "责任人",
    "backup": "B角",
    "since": "建立日期",
    "last_contact": "最近接触",
    "confidence": "把握",
    "source": "来源",
    "a": "人员甲",
    "b": "人员乙",
    "strength": "强度",
    "directed": "单向",
    "client": "客户单位",
    "stage": "阶段",
    "value": "金额",
    "close": "预计签约",
    "competitors": "竞争对手",
    "opportunity": "商机",
    "order": "序号",
    "step": "步骤",
    "role": "角色",
    "weight": "分量",
    "stance": "立场",
    "competitor_leaning": "倾向对手",
    "unknown_org": "未明人选单位",
    "unknown_grade": "未明人选职级",
    "unknown_description": "未明人选描述",
    "date": "日期",
    "owners": "我方人员",
    "persons": "客户方人员",
    "orgs": "涉及单位",
    "information_shared": "传递信息",
    "survey": "调查",
    "item": "项目",
    "score": "得分",
    "action": "行动",
    "origin": "来源类型",
    "created": "制定日期",
    "due": "期限",
    "status": "状态",
    "done": "完成日期",
    "complaint": "投诉",
    "baseline_cover": "基线覆盖度",
}

#: Labels that differ by table: (table, code) -> label.
_TABLE_LABELS_ZH: dict[tuple[str, str], str] = {
    ("organisations", "level"): "行政级别",
    ("organisations", "start"): "成立日期",
    ("organisations", "end"): "撤销日期",
    ("posts", "title"): "职务名称",
    ("posts", "start"): "设立日期",
    ("posts", "end"): "撤销日期",
    ("persons", "name"): "姓名",
    ("owners", "name"): "姓名",
    ("tenures", "start"): "到任日期",
    ("tenures", "end"): "离任日期",
    ("tenures", "title"): "本席职务",
    ("relationships", "level"): "关系层级",
    ("assessments", "level"): "关系层级",
    ("assessments", "date"): "评估日期",
    ("steps", "step"): "步骤标识",
    ("steps", "name"): "步骤名称",
    ("actions", "person"): "对象人员",
    ("actions", "org"): "对象单位",
}

#: The suffix of a name column's header: ``人员（名称）``, ``person (name)``.
NAME_SUFFIX = {"zh": "（名称）", "en": " (name)"}

#: The key columns of child tables that name a record: table -> column -> collection.
_CHILD_REFERENCES: dict[str, dict[str, str]] = {
    "tenures": {"person": "persons", "post": "posts"},
    "steps": {"opportunity": "opportunities"},
    "roles": {
        "opportunity": "opportunities",
        "post": "posts",
        "person": "persons",
        "unknown_org": "organisations",
    },
    "survey_scores": {"survey": "surveys"},
}


def sheet_name(table: str, language: str) -> str:
    """The sheet of a table (or of the settings) in a language."""
    return SHEETS_ZH.get(table, table) if language == "zh" else table


def table_of_sheet(title: str) -> str | None:
    """The table a sheet holds, from its Chinese or English name (None: not a table).

    >>> table_of_sheet("组织机构"), table_of_sheet(" Posts "), table_of_sheet("Sheet1")
    ('organisations', 'posts', None)
    """
    key = title.strip().lower()
    if key in TABLES or key == SETTINGS_SHEET:
        return key
    return _BY_SHEET.get(key)


_BY_SHEET = {zh: table for table, zh in SHEETS_ZH.items()}


def label(table: str, column: str) -> str:
    """The Chinese label of a column of a table (its code when it has none)."""
    return _TABLE_LABELS_ZH.get((table, column)) or LABELS_ZH.get(column, column)


def header_text(table: str, column: str, language: str) -> str:
    """The text of a column's header cell: ``姓名`` and ``name`` on two lines, or ``name``."""
    if language != "zh":
        return column
    zh = label(table, column)
    return column if zh == column else f"{zh}\n{column}"


def references(table: _Table) -> dict[str, str]:
    """The columns of a table that name one record (not a list): column -> collection."""
    if table.parent is None:
        cls = RECORD_BY_COLLECTION[table.name]
        found = {
            column: target
            for column, target in cls.references.items()
            if "." not in column and table.kinds.get(column) == "text"
        }
    else:
        found = dict(_CHILD_REFERENCES.get(table.name, {}))
    return {c: t for c, t in found.items() if c in table.columns}


def list_references(table: _Table) -> dict[str, str]:
    """The columns of a table that name several records in one cell: column -> collection."""
    if table.parent is not None:
        return {}
    cls = RECORD_BY_COLLECTION[table.name]
    return {
        column: target
        for column, target in cls.references.items()
        if "." not in column and table.kinds.get(column) == "list" and column in table.columns
    }


def name_field(collection: str) -> str | None:
    """The field holding a record's name (``name``, or ``title`` for posts)."""
    fields = RECORD_BY_COLLECTION[collection].model_fields
    return next((f for f in ("name", "title") if f in fields), None)


@dataclass(frozen=True)
class Column:
    """One column as written: a field, or the name column beside a reference."""

    #: The field code, or the reference column a name column belongs to.
    code: str
    header: str
    #: The collection a name column looks up (None: a field's own column).
    names: str | None = None


def written_columns(table: _Table, language: str) -> list[Column]:
    """The columns of a sheet as written, a name column right after each reference."""
    refs = references(table)
    out = []
    for column in table.columns:
        out.append(Column(column, header_text(table.name, column, language)))
        target = refs.get(column)
        if target is not None and name_field(target) is not None:
            shown = label(table.name, column) if language == "zh" else column
            out.append(Column(column, shown + NAME_SUFFIX[language], target))
    return out


#: What :func:`header_code` returns for a name column, which readers skip.
NAME_COLUMN = ""


def header_code(table: _Table, text: str) -> str:
    """The field a header cell names: its code, or :data:`NAME_COLUMN` for a name column.

    A text that names no field of the table comes back as written, so that the
    reader reports it as an unknown field.

    >>> persons = TABLES["persons"]
    >>> header_code(persons, "姓名\\nname"), header_code(persons, "姓名"), header_code(persons, "born")
    ('name', 'name', 'born')
    """
    text = text.strip()
    if text in table.columns:
        return text
    if text.endswith(NAME_SUFFIX["zh"]) or text.lower().endswith(NAME_SUFFIX["en"]):
        return NAME_COLUMN
    words = text.split()
    if len(words) > 1 and words[-1] in table.columns:
        return words[-1]
    for column in table.columns:
        if text == label(table.name, column) or (words and words[0] == label(table.name, column)):
            return column
    return text
