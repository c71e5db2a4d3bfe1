"""Change fields of one record on disk without rewriting what the user typed.

Closing an action, or correcting a date, changes a record someone typed by hand,
so only that record's text changes:

- YAML: the record's ``key: value`` lines are found through the parser's marks;
  a value is replaced where it stands (a comment after it stays), a missing key
  is inserted after the record's last line at the indentation of its keys, a
  removed key loses its line. Every other byte, comments included, stays.
- CSV: the record's row is written again with the new cells, in the file's own
  encoding and line endings; every other row stays byte for byte. A column the
  change needs is added to the header line.
- xlsx: the cells of the record's row are set (a missing column gets a header
  cell); the sheet's formatting stays, and formulas are written back as the
  values saved with them, as when appending (:mod:`stakegraph.io.append`).

The whole workspace is validated with the change first; on any problem nothing
is written. After writing, the workspace is read back and must equal the
expected one; if not, the file is restored and the problem reported. The whole
cycle holds the workspace's writer lock (:mod:`stakegraph.io.lock`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel, ValidationError

from stakegraph.errors import Location, StakegraphError, WorkspaceInvalid
from stakegraph.io import detect_format, load_workspace
from stakegraph.io.append import (
    _csv_line,
    _csv_text,
    _csv_with_columns,
    _open_book,
    _write_checked,
    _xlsx_header,
    _xlsx_set,
)
from stakegraph.io.cells import _csv_cell
from stakegraph.io.common import _plain, record_to_data
from stakegraph.io.lock import WorkspaceLock, workspace_lock
from stakegraph.io.tabular import TABLES
from stakegraph.io.xlsx_dress import refresh_name_formulas, shown_value
from stakegraph.io.xlsx_layout import header_code
from stakegraph.io.yaml_folder import _Loader, _PlainDumper
from stakegraph.records.model import RECORD_BY_COLLECTION, Record
from stakegraph.records.validate import check_workspace
from stakegraph.records.workspace import RawRecord, Workspace, problems_from

#: The line breaks YAML counts (str.splitlines also splits on form feeds and more).
_YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
#: Wide enough that no value is folded over lines.
_WIDE = 1 << 30


def update_record(
    path: Path | str,
    collection: str,
    record_id: str,
    changes: dict[str, Any],
    lock_timeout: float | None = None,
) -> Path:
    """Change fields of one record of the workspace at ``path``, in place.

    Parameters
    ----------
    path : a workspace folder (YAML or CSV) or an ``.xlsx`` workbook.
    collection : the record type ("actions", "interactions", ...).
    record_id : the id of the record to change.
    changes : field -> new value, as a file would hold it (``"done"`` or
        ``ActionStatus.DONE``, a date, a number, text); None removes the field, so
        its default applies. Only single values: lists, mappings and ``id`` are
        refused, as is a change that would change a derived id.
    lock_timeout : seconds to wait while another writer changes the workspace
        (None: ``$STAKEGRAPH_LOCK_TIMEOUT`` or 30 s); see :mod:`stakegraph.io.lock`.

    Returns
    -------
    Path
        The file written (the workbook for xlsx).

    Raises
    ------
    WorkspaceInvalid
        The workspace, or the record with the change, has problems; nothing is
        written.
    StakegraphError
        An unknown record or field, or a file whose text cannot take the change
        without other text changing; nothing is written.
    WorkspaceBusy
        Another writer held the workspace for longer than ``lock_timeout``.

    Notes
    -----
    Cost: one load and validation of the workspace before writing and one after,
    O(size of the workspace); only the file holding the record is parsed again.
    The whole cycle holds the workspace's writer lock (:mod:`stakegraph.io.lock`).
    """
    if not changes:
        raise StakegraphError(f"no change given for '{record_id}'.")
    path = Path(path)
    fmt = detect_format(path)
    with workspace_lock(path, lock_timeout) as lock:
        return _update_locked(lock, path, fmt, collection, record_id, changes)


def _update_locked(
    lock: WorkspaceLock,
    path: Path,
    fmt: str,
    collection: str,
    record_id: str,
    changes: dict[str, Any],
) -> Path:
    workspace = load_workspace(path)
    change = _validated(workspace, collection, record_id, changes)
    where = workspace.locations[(collection, record_id)].location
    if fmt == "yaml":
        plan = _yaml_write(path / where.file, where, change)
    elif fmt == "csv":
        plan = _csv_write(path / where.file, where, change)
    else:
        plan = (path, _xlsx_bytes(path, where, change))

    def differs() -> str | None:
        try:
            again = load_workspace(path)
        except StakegraphError as exc:
            return str(exc).splitlines()[0]
        return None if again == workspace else f"{change.record.noun} '{record_id}'"

    problem = _write_checked(lock, [plan], differs)
    if problem:
        raise StakegraphError(
            f"{plan[0]}: the change did not read back as written ({problem}); the file "
            "was restored and nothing was changed. Make the change by hand."
        )
    return plan[0]


@dataclass
class _Change:
    """A validated change: the new record and the plain value of each changed field."""

    record: Record
    #: field -> value to write (None: remove the field)
    values: dict[str, Any]


def _validated(
    workspace: Workspace, collection: str, record_id: str, changes: dict[str, Any]
) -> _Change:
    """The record with ``changes`` applied, checked alone and with the whole workspace.

    ``workspace`` then holds the changed record: it is what must read back.
    """
    cls = RECORD_BY_COLLECTION.get(collection)
    if cls is None:
        raise StakegraphError(
            f"unknown record type '{collection}'; use one of: {', '.join(RECORD_BY_COLLECTION)}."
        )
    old = workspace.get(collection, record_id)
    for name, value in changes.items():
        if name == "id":
            raise StakegraphError(
                f"the id of {cls.noun} '{record_id}' cannot be changed here: other records "
                "may name it. Edit the workspace files instead."
            )
        if name not in cls.model_fields:
            raise StakegraphError(
                f"{cls.noun} has no field '{name}'; its fields are: "
                f"{', '.join(f for f in cls.model_fields if f != 'id')}."
            )
        if isinstance(value, list | dict | tuple | set | BaseModel) or isinstance(
            getattr(old, name), list | dict | BaseModel
        ):
            raise StakegraphError(
                f"'{name}' holds a list or a mapping; only single values can be changed "
                "here. Edit the workspace files instead."
            )
    # an id derived from other fields (relationships, ties, assessments) stays derived
    data = record_to_data(old, workspace.settings)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    raw = workspace.locations[(collection, record_id)]
    try:
        new = cls.model_validate(data, context={"settings": workspace.settings})
    except ValidationError as exc:
        located = RawRecord(collection, data, raw.location, raw.field_locations)
        raise WorkspaceInvalid(problems_from(exc, located, cls)) from None
    if new.id != record_id:
        raise StakegraphError(
            f"the change would make {cls.noun} '{record_id}' into '{new.id}' (its id is "
            "made from the changed fields); edit the workspace files instead."
        )
    workspace.add(new)
    problems = check_workspace(workspace)
    if problems:
        raise WorkspaceInvalid(problems)
    written = record_to_data(new, workspace.settings)
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            values[name] = None
        else:
            # as a writer writes it (grades and tiers by name); a default spelled out
            values[name] = written[name] if name in written else _plain(getattr(new, name))
    return _Change(new, values)


# --- YAML ------------------------------------------------------------------------------


def _yaml_write(target: Path, where: Location, change: _Change) -> tuple[Path, bytes]:
    raw = target.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    # load_workspace read it, so it is UTF-8; the parser's marks do not count the mark
    text = raw.decode("utf-8-sig")
    noun, rid = change.record.noun, change.record.id
    # load_workspace has read this file, so it holds a document
    root = cast(yaml.Node, yaml.compose(text, Loader=_Loader))
    collection = change.record.collection
    items = root if target.stem == collection else _section(root, collection)
    index, node = next(
        ((i, item) for i, item in enumerate(items.value) if item.start_mark.line + 1 == where.line),
        (None, None),
    )
    if not isinstance(node, yaml.MappingNode) or index is None:
        raise StakegraphError(f"{target}: {noun} '{rid}' was not found at line {where.line}.")
    starts = _line_starts(text)
    edits = _yaml_edits(text, starts, node, change.values, f"{target}: {noun} '{rid}'")
    new = text
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        new = new[:start] + replacement + new[end:]
    # the file must read as before with only those fields changed
    expected = yaml.load(text, Loader=_Loader)
    record = (expected if target.stem == collection else expected[collection])[index]
    for name, value in change.values.items():
        if value is None:
            record.pop(name, None)
        else:
            record[name] = value
    try:
        reread = yaml.load(new, Loader=_Loader)
    except yaml.YAMLError:
        reread = None
    if reread != expected:
        raise StakegraphError(
            f"{target}: {noun} '{rid}' cannot be changed in this file without changing "
            "other text; make the change by hand."
        )
    return target, (codecs.BOM_UTF8 if bom else b"") + new.encode("utf-8")


def _section(root: yaml.Node, collection: str) -> yaml.Node:
    """The list of ``collection`` in a file of sections (``actions:`` ...)."""
    for key, value in root.value:
        if key.value == collection:
            return value
    raise StakegraphError(f"no '{collection}' section found")  # pragma: no cover - read before


def _line_starts(text: str) -> list[int]:
    """Offset of the first character of each line, as the YAML parser counts lines."""
    return [0, *(m.end() for m in _YAML_BREAK.finditer(text))]


def _offset(starts: list[int], mark: Any) -> int:
    return starts[mark.line] + mark.column


def _line_end(text: str, starts: list[int], line: int) -> int:
    """Offset just past the text of ``line``, before its line break."""
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    match = _YAML_BREAK.search(text, starts[line], end)
    return match.start() if match else end


def _last_line(node: yaml.Node, text: str, starts: list[int]) -> int:
    """The last line holding text of ``node``.

    A block list or mapping ends where the next token starts, past any comments, so
    its children are asked; a block scalar ends after its trailing blank lines.
    """
    if isinstance(node, yaml.ScalarNode) or (
        isinstance(node, yaml.nodes.CollectionNode) and node.flow_style
    ):
        line = node.end_mark.line
        if node.end_mark.column == 0 and line > node.start_mark.line:
            line -= 1
            while (
                line > node.start_mark.line
                and not text[starts[line] : _line_end(text, starts, line)].strip()
            ):
                line -= 1
        return line
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = [part for pair in node.value for part in pair]
    if not children:  # pragma: no cover - an empty block collection is written in brackets
        return node.start_mark.line
    return max(_last_line(child, text, starts) for child in children)


def _scalar_text(value: Any, flow: bool) -> str:
    """``value`` as one line of YAML (double-quoted with escapes when it has line breaks)."""
    wrapped = [value] if flow else {"k": value}
    options: dict[str, Any] = dict(
        Dumper=_PlainDumper, allow_unicode=True, width=_WIDE, sort_keys=False
    )
    out = yaml.dump(wrapped, default_flow_style=flow, **options).rstrip("\n")
    if "\n" in out:
        out = yaml.dump(wrapped, default_flow_style=flow, default_style='"', **options)
        out = out.rstrip("\n")
    # strip the wrapper: "[...]" in flow, "k: " (or '"k": ' when quoted) in block
    return out[1:-1] if flow else out.split(": ", 1)[1]


def _yaml_edits(
    text: str, starts: list[int], node: yaml.MappingNode, values: dict[str, Any], what: str
) -> list[tuple[int, int, str]]:
    """(start, end, replacement) text edits that set ``values`` in the record ``node``."""
    flow = bool(node.flow_style)
    keys = {str(k.value): (k, v) for k, v in node.value}
    edits: list[tuple[int, int, str]] = []
    added: list[tuple[str, str]] = []
    for name, value in values.items():
        pair = keys.get(name)
        if value is None:
            if pair is not None:
                edits.append(_removal(text, starts, node, *pair, what, flow))
            continue
        scalar = _scalar_text(value, flow)
        if pair is None:
            added.append((name, scalar))
            continue
        key, old = pair
        if not isinstance(old, yaml.ScalarNode):
            raise StakegraphError(f"{what}: '{name}' is not a single value; change it by hand.")
        start, end = _offset(starts, old.start_mark), _offset(starts, old.end_mark)
        if old.style in ("|", ">"):
            # a block scalar ends after its trailing blank lines: keep them
            end = _line_end(text, starts, _last_line(old, text, starts))
        if start == end:  # an empty value ("done:"): the new one goes after the colon
            edits.append((start, start, " " + scalar))
        else:
            edits.append((start, end, scalar))
    if added:
        edits.append(_insertion(text, starts, node, added, what, flow))
    return edits


def _insertion(
    text: str,
    starts: list[int],
    node: yaml.MappingNode,
    added: list[tuple[str, str]],
    what: str,
    flow: bool,
) -> tuple[int, int, str]:
    """The edit adding ``key: value`` pairs after the last key of a record."""
    if flow:
        # "{id: a, status: planned}": the new pairs go before the closing brace
        close = _offset(starts, node.end_mark) - 1
        if text[close] != "}":  # pragma: no cover - a flow mapping ends with its brace
            raise StakegraphError(f"{what}: cannot find the end of the record; edit it by hand.")
        before = text[:close].rstrip()
        sep = " " if before.endswith((",", "{")) else ", "
        return close, close, sep + ", ".join(f"{k}: {v}" for k, v in added)
    last = _last_line(node, text, starts)
    indent = " " * node.value[0][0].start_mark.column
    end = _line_end(text, starts, last)
    match = _YAML_BREAK.search(text)
    newline = match.group() if match else "\n"
    if end < len(text):
        # after the last line and its own line break, in that line break's style
        eol = _YAML_BREAK.match(text, end)
        newline = eol.group() if eol else newline
        at = end + len(newline)
        return at, at, "".join(f"{indent}{k}: {v}{newline}" for k, v in added)
    # the last line of a file without a final line break: it still ends without one
    return end, end, "".join(f"{newline}{indent}{k}: {v}" for k, v in added)


def _removal(
    text: str,
    starts: list[int],
    node: yaml.MappingNode,
    key: yaml.Node,
    value: yaml.Node,
    what: str,
    flow: bool,
) -> tuple[int, int, str]:
    """The edit removing a key's lines (only a key on lines of its own)."""
    line = key.start_mark.line
    alone = not text[starts[line] : _offset(starts, key.start_mark)].strip()
    if flow or not alone or key is node.value[0][0]:
        raise StakegraphError(
            f"{what}: '{key.value}' cannot be removed from this layout; remove its line by hand."
        )
    last = _last_line(value, text, starts)
    end = _line_end(text, starts, last)
    if end < len(text):
        eol = _YAML_BREAK.match(text, end)
        return starts[line], end + (len(eol.group()) if eol else 0), ""
    # the last line of the file: take the line break before it instead
    return starts[line] - len(_break_before(text, starts[line])), end, ""


def _break_before(text: str, offset: int) -> str:
    for candidate in ("\r\n", "\r", "\n", "\x85", "\u2028", "\u2029"):
        if text.endswith(candidate, 0, offset):
            return candidate
    return ""


# --- CSV -------------------------------------------------------------------------------


def _csv_write(target: Path, where: Location, change: _Change) -> tuple[Path, bytes]:
    encoding, text = _csv_text(target)
    spans = _csv_rows(text)
    number = (where.row or 0) - 1  # row 1 is the header
    if not 0 < number < len(spans):
        raise StakegraphError(f"{target}: row {where.row} of '{change.record.id}' was not found.")
    start, end, cells = spans[number]
    header = [cell.strip() for cell in spans[0][2]]
    _check_row(target, header, cells, change.record.id, where.row)
    filled = {name for name, value in change.values.items() if value is not None}
    # every column of the change: the header's own, then any added at its end
    _, full = _csv_with_columns(target, text, change.record.collection, filled)
    row = list(cells)
    for name, value in change.values.items():
        if name not in full:
            continue  # removing a field the table has no column for: nothing to clear
        index = full.index(name)
        if index >= len(row):
            if value is None:
                continue
            row += [""] * (index + 1 - len(row))
        row[index] = _csv_cell(value)
    original = text[start:end]
    ending = original[len(original.rstrip("\r\n")) :]
    text = text[:start] + _csv_line(row, ending) + text[end:]
    text, _ = _csv_with_columns(target, text, change.record.collection, filled)
    try:
        return target, text.encode(encoding)
    except UnicodeEncodeError:  # pragma: no cover - GB18030 encodes all of Unicode
        raise StakegraphError(f"{target}: cannot hold the new text in {encoding}.") from None


def _csv_rows(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, cells) of every row of a CSV text, its line break included.

    A quoted cell may span lines, so the reader is fed one line at a time and each
    row ends where the reader stopped taking lines.
    """
    consumed = 0

    def lines():
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    spans, start = [], 0
    for cells in csv.reader(lines()):
        spans.append((start, consumed, cells))
        start = consumed
    return spans


def _check_row(target: Path, header: list[str], cells: list[Any], rid: str, row: Any) -> None:
    """Refuse a row whose id cell names another record (an id left empty is derived)."""
    if "id" not in header:
        return
    index = header.index("id")
    cell = cells[index] if index < len(cells) else None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        cell = str(int(cell)) if float(cell).is_integer() else str(cell)
    if cell is not None and str(cell).strip() and str(cell).strip() != rid:
        raise StakegraphError(
            f"{target}: row {row} holds '{str(cell).strip()}', not '{rid}'; "
            "the file changed while reading it. Try again."
        )


# --- xlsx ------------------------------------------------------------------------------


def _xlsx_bytes(path: Path, where: Location, change: _Change) -> bytes:
    book = _open_book(path)
    sheet = next((s for s in book.worksheets if s.title == where.sheet), None)
    if sheet is None or where.row is None:  # pragma: no cover - read from that sheet
        raise StakegraphError(f"{path}: sheet '{where.sheet}' was not found.")
    table = TABLES[change.record.collection]
    header = ["" if c.value is None else header_code(table, str(c.value)) for c in sheet[1]]
    cells = [c.value for c in sheet[where.row]]
    _check_row(path, header, cells, change.record.id, where.row)
    filled = {name for name, value in change.values.items() if value is not None}
    header = _xlsx_header(sheet, change.record.collection, filled)
    for name, value in change.values.items():
        if name not in header:
            continue
        index = header.index(name) + 1
        if value is None:
            sheet.cell(row=where.row, column=index).value = None
        else:
            value = shown_value(sheet, change.record.collection, name, value)
            _xlsx_set(sheet, path, where.row, index, name, value)
    refresh_name_formulas(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["update_record"]
