"""What makes a written workbook easy to fill in Excel and WPS, beyond its values.

- a help sheet first (``说明`` / ``help``): what each sheet holds, Chinese and
  English, from the starter workspace (:mod:`stakegraph.io.field_help`);
- each header cell carries the field's explanation as a comment;
- drop-down lists: the words of every enumeration (from a hidden sheet
  ``列表`` / ``lists``, one column per list), the names of the grade and tier
  scales, and the ids of the records a reference column may name (the id column
  of that table, so a record added to it shows up at once);
- number checks from the fields' bounds (the six scores 0–5, strengths and
  confidence 0–1, ...);
- name columns: a formula showing the name of the record an id names.

Drop-downs warn rather than refuse, because readers also take the English codes,
synonyms and Chinese spellings of :mod:`stakegraph.records.vocabulary`.
"""

from __future__ import annotations

import types
from enum import StrEnum
from typing import Annotated, Any, Union, get_args, get_origin

from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel

from stakegraph.config import Settings
from stakegraph.io.field_help import table_help
from stakegraph.io.tabular import TABLES, _Table
from stakegraph.io.xlsx_layout import (
    HELP_SHEET,
    LISTS_SHEET,
    NAME_COLUMN,
    Column,
    header_code,
    list_references,
    name_field,
    references,
    sheet_name,
    table_of_sheet,
    written_columns,
)
from stakegraph.records.model import RECORD_BY_COLLECTION, Role, Step, Tenure
from stakegraph.records.vocabulary import VOCABULARY, Term

#: Rows a validation covers: every row of the sheet below the header.
LAST_ROW = 1048576
_CHILD_MODELS: dict[str, type[BaseModel]] = {"tenures": Tenure, "steps": Step, "roles": Role}


def model_of(table: _Table) -> type[BaseModel] | None:
    """The model whose fields a table's columns are."""
    if table.parent is None:
        return RECORD_BY_COLLECTION[table.name]
    return _CHILD_MODELS.get(table.name)


def _inner(annotation: Any) -> list[Any]:
    """The types inside an annotation (through Optional and Annotated), with their bounds."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return [t for a in get_args(annotation) if a is not type(None) for t in _inner(a)]
    if origin is Annotated:
        args = get_args(annotation)
        return [(args[0], args[1:])]
    return [(annotation, ())]


def enumeration(table: _Table, column: str) -> str | None:
    """The name of the enumeration a column holds, if it holds one."""
    model = model_of(table)
    info = model.model_fields.get(column) if model is not None else None
    if info is None:
        return None
    for kind, _ in _inner(info.annotation):
        if isinstance(kind, type) and issubclass(kind, StrEnum) and kind.__name__ in VOCABULARY:
            return kind.__name__
    return None


def bounds(table: _Table, column: str) -> tuple[str, float | None, float | None] | None:
    """("whole" or "decimal", low, high) of a number column with bounds, else None."""
    if table.name == "survey_scores":
        return ("whole", 1, 5) if column == "score" else None
    model = model_of(table)
    info = model.model_fields.get(column) if model is not None else None
    if info is None:
        return None
    low = high = None
    kind = None
    for inner, meta in _inner(info.annotation):
        kind = inner
        for item in [*meta, *info.metadata]:
            for bound in getattr(item, "metadata", [item]):
                low = getattr(bound, "ge", low)
                high = getattr(bound, "le", high)
    if kind not in (int, float) or (low is None and high is None):
        return None
    return ("whole" if kind is int else "decimal", low, high)


def term_text(item: Term, language: str) -> str:
    """What an enumeration cell shows: ``坚定支持者 champion``, or ``champion`` in English."""
    return item.label if language == "zh" else item.en


def lists(settings: Settings, language: str) -> dict[str, list[str]]:
    """Every drop-down list of words, by name: the enumerations, then grade and tier."""
    out = {name: [term_text(t, language) for t in terms] for name, terms in VOCABULARY.items()}
    out["grade"] = list(settings.grades)
    out["tier"] = list(settings.tiers)
    return out


def write_lists_sheet(book: Any, settings: Settings, language: str) -> dict[str, str]:
    """The hidden sheet of drop-down words; returns list name -> its range formula."""
    sheet = book.create_sheet(LISTS_SHEET[language])
    sheet.sheet_state = "hidden"
    words = lists(settings, language)
    names = list(words)
    longest = max(len(v) for v in words.values())
    sheet.append(names)
    for index in range(longest):
        sheet.append([words[n][index] if index < len(words[n]) else None for n in names])
    title = quote_sheetname(sheet.title)
    return {
        name: f"{title}!${get_column_letter(i)}$2:${get_column_letter(i)}${len(words[name]) + 1}"
        for i, name in enumerate(names, start=1)
    }


def define_id_lists(book: Any, language: str) -> dict[str, str]:
    """A workbook name per record type, the ids filled in its sheet: collection -> name."""
    out = {}
    for collection in RECORD_BY_COLLECTION:
        if name_field(collection) is None or collection not in TABLES:
            continue
        title = quote_sheetname(sheet_name(collection, language))
        name = f"ids_{collection}"
        book.defined_names[name] = DefinedName(
            name,
            attr_text=f"OFFSET({title}!$A$2,0,0,MAX(COUNTA({title}!$A:$A)-1,1),1)",
        )
        out[collection] = name
    return out


def _validation(**kwargs: Any) -> DataValidation:
    return DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="warning", **kwargs)


def add_validations(
    sheet: Any,
    table: _Table,
    columns: list[Column],
    word_lists: dict[str, str],
    id_lists: dict[str, str],
    language: str,
) -> None:
    """Drop-downs and number checks on the data rows of one sheet."""
    zh = language == "zh"
    for index, column in enumerate(columns, start=1):
        if column.names is not None:
            continue
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        check = _check(table, column.code, word_lists, id_lists, zh)
        if check is not None:
            check.add(cells)
            sheet.data_validations.append(check)


#: Columns whose drop-down is a scale of the settings: column -> list name.
_SCALES = {"grade": "grade", "tier": "tier", "unknown_grade": "grade"}


def _check(
    table: _Table, code: str, word_lists: dict[str, str], id_lists: dict[str, str], zh: bool
) -> DataValidation | None:
    listed = enumeration(table, code) or _SCALES.get(code)
    if listed is not None and listed in word_lists:
        return _validation(
            type="list",
            formula1=word_lists[listed],
            error="请从下拉列表中选择（也可写英文代码）。"
            if zh
            else "Pick a value from the list (codes and Chinese words are read too).",
        )
    target = references(table).get(code)
    if target is not None and target in id_lists:
        return _validation(
            type="list",
            formula1=id_lists[target],
            error="该 id 不在对应表中，请先添加该记录。"
            if zh
            else "This id is not in its sheet yet; add the record there first.",
        )
    several = list_references(table).get(code)
    if several is not None and several in id_lists:
        # A list cell holds "a; b": the drop-down offers one id at a time and lets the
        # person type more, so no error stops a typed list (check reads and checks it).
        return DataValidation(
            type="list",
            formula1=id_lists[several],
            allow_blank=True,
            showErrorMessage=False,
            showInputMessage=True,
            promptTitle="可填多个" if zh else "One or more",
            prompt="从下拉列表选一个 id；多个 id 用分号（;）分隔。"
            if zh
            else "Pick an id from the list; separate several with a semicolon (;).",
        )
    bound = bounds(table, code)
    if bound is None:
        return None
    kind, low, high = bound
    if high is None:
        check = _validation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
        shown = f"≥ {low:g}"
    else:
        check = _validation(type=kind, operator="between", formula1=str(low), formula2=str(high))
        shown = f"{low:g}–{high:g}"
    whole = kind == "whole"
    check.error = (
        f"请填写{'整数' if whole else '数字'} {shown}。"
        if zh
        else f"Write a {'whole ' if whole else ''}number {shown}."
    )
    return check


def header_comment(table: _Table, code: str) -> Comment | None:
    """The bilingual explanation of a field, from the starter, as a header comment."""
    text = table_help(table.name)[1].get(code)
    if not text:
        return None
    comment = Comment(f"{code}\n{text}", "stakegraph")
    lines = text.count("\n") + 2
    comment.width = 360
    comment.height = min(40 + 18 * lines, 400)
    return comment


def name_formula(row: int, ref_letter: str, target: str, language: str) -> str:
    """The formula of a name cell: the name of the record whose id is in ``ref_letter``."""
    spec = TABLES[target]
    columns = written_columns(spec, language)
    field = name_field(target)
    position = next(i for i, c in enumerate(columns, start=1) if c.code == field and not c.names)
    letter = get_column_letter(position)
    title = quote_sheetname(sheet_name(target, language))
    return (
        f'=IF({ref_letter}{row}="","",IFERROR(INDEX({title}!${letter}:${letter},'
        f'MATCH({ref_letter}{row},{title}!$A:$A,0)),"?"))'
    )


def write_help_sheet(book: Any, language: str) -> None:
    """The first sheet: how the workbook works and what each sheet holds."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(HELP_SHEET[language], 0)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)

    def line(first: Any, second: Any = None, strong: bool = False) -> None:
        cells = []
        for value in (first, second):
            cell = WriteOnlyCell(sheet, value=value)
            cell.alignment = wrap
            if strong:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    for first, second in _INTRO:
        line(first, second, strong=not second)
    line(None)
    line("工作表 sheet", "内容 what it holds", strong=True)
    for name in TABLES:
        about = table_help(name)[0]
        line(sheet_name(name, language), about or name)


_INTRO = (
    ("stakegraph 工作簿 / workbook", None),
    (
        "如何填写",
        "每个工作表一类记录，第 1 行为表头（中文名称，下一行为字段代码），其下每行一条记录。"
        "把鼠标停在表头上可看到字段说明。带下拉箭头的单元格可从列表选择；"
        "“（名称）”列由公式显示 id 对应的名称，读取时忽略。日期写成 2024-03-01、"
        "2024/3/1 或 2024年3月1日。决策链和决策角色按“序号”排序，表格排序不会打乱顺序。\n"
        "Each sheet holds one kind of record: row 1 is the header (a Chinese label, the field "
        "code under it), every row below one record. Hover over a header to read what the "
        "field means. Cells with a drop-down arrow take a value from the list; the "
        "'(name)' columns show, by formula, the name an id stands for and are not read. "
        "Dates may be typed 2024-03-01, 2024/3/1 or 2024年3月1日. Steps and roles are "
        "read in the order of their 'order' column, so sorting a sheet cannot reorder a chain.",
    ),
    (
        "检查",
        "保存后运行 stakegraph check 工作簿.xlsx：每个问题都指出工作表、行和列。\n"
        "After saving, run `stakegraph check book.xlsx`: every problem names its sheet, row "
        "and column.",
    ),
)


def refresh_name_formulas(book: Any) -> None:
    """Write the formula of every name column again, on every row naming a record.

    The in-place writers open a workbook with formulas replaced by their saved
    values (a formula openpyxl would write back loses its value); the name
    columns, which only show what the ids name, get their formulas back.
    """
    found: dict[str, tuple[Any, dict[str, int]]] = {}
    for sheet in book.worksheets:
        table = table_of_sheet(sheet.title)
        if table in TABLES and table not in found:
            header = [header_code(TABLES[table], str(c.value or "")) for c in sheet[1]]
            found[table] = (sheet, {code: i for i, code in enumerate(header, start=1) if code})
    for table, (sheet, _) in found.items():
        refs = _name_columns(sheet, TABLES[table])
        for index, target in refs:
            where = found.get(target)
            field = name_field(target)
            if where is None or field not in where[1] or "id" not in where[1]:
                continue
            title = quote_sheetname(where[0].title)
            names = get_column_letter(where[1][field])
            ids = get_column_letter(where[1]["id"])
            ref = get_column_letter(index - 1)
            for row in range(2, sheet.max_row + 1):
                if sheet.cell(row=row, column=index - 1).value in (None, ""):
                    continue
                cell = sheet.cell(row=row, column=index)
                cell.value = (
                    f'=IF({ref}{row}="","",IFERROR(INDEX({title}!${names}:${names},'
                    f'MATCH({ref}{row},{title}!${ids}:${ids},0)),"?"))'
                )


def _name_columns(sheet: Any, table: _Table) -> list[tuple[int, str]]:
    """(column index, collection) of each name column, read from the reference left of it."""
    refs = references(table)
    out = []
    header = [header_code(table, str(c.value or "")) if c.value else None for c in sheet[1]]
    for index, code in enumerate(header, start=1):
        if code == NAME_COLUMN and index > 1 and header[index - 2] in refs:
            out.append((index, refs[str(header[index - 2])]))
    return out


def shown_value(sheet: Any, table: str, column: str, value: Any) -> Any:
    """A value as the sheet's drop-down shows it: an enumeration code as its label.

    The language is the sheet's: a sheet named in Chinese gets ``完成 done``, one
    named by its table ``done``.
    """
    listed = enumeration(TABLES[table], column) if isinstance(value, str) else None
    if listed is None:
        return value
    found = next((t for t in VOCABULARY[listed] if t.code == value), None)
    language = "en" if table_of_sheet(sheet.title) == sheet.title.strip().lower() else "zh"
    return value if found is None else term_text(found, language)
