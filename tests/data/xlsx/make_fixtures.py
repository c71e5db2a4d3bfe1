"""Make the workbooks in this folder (see README.md); the tests only read them.

Run from the repository root with LibreOffice installed (Debian:
``libreoffice-calc-nogui``)::

    PYTHONPATH=$PWD python tests/data/xlsx/make_fixtures.py

Each book is first written by stakegraph or openpyxl, then, unless said
otherwise, opened and saved again by LibreOffice Calc, so it holds what a
spreadsheet application writes (booleans as ``=TRUE()`` with a saved value,
shared strings, its own styles).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from stakegraph.io import load_workspace, save_workspace

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def _resave(source: Path, target: Path) -> None:
    """``target``: ``source`` opened and saved again by LibreOffice Calc."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", out, str(source)],
            check=True,
            capture_output=True,
        )
        shutil.copyfile(Path(out) / source.name, target)


def _converted(workspace: Path, work: Path, name: str, language: str = "en") -> Path:
    """The workspace as a workbook; English sheets, which the edits below name."""
    path = work / name
    records = load_workspace(workspace)
    records.settings = records.settings.model_copy(update={"language": language})
    save_workspace(records, path)
    return path


def _edited(source: Path, edit) -> Path:
    book = load_workbook(source)
    edit(book)
    book.save(source)
    return source


def _score_formula(book) -> None:
    # the first score of the example typed as a formula
    book["survey_scores"]["C2"] = "=2+2"


def _uncached(book) -> None:
    # a name computed by a formula, as a script writes it (openpyxl saves no value)
    book["persons"]["B3"] = '="王"&"芳"'


def _merged(book) -> None:
    # one organisation kind for the first two rows, typed once in a merged range
    sheet = book["organisations"]
    sheet["C2"] = "government"
    sheet["C3"] = None
    sheet.merge_cells("C2:C3")


def _typed(book) -> None:
    sheet = book["organisations"]
    row = sheet.max_row + 1
    # an id shown with leading zeros: the number 571 formatted 0000
    sheet.cell(row=row, column=1, value=571).number_format = "0000"
    # a day typed into a text field (the name)
    sheet.cell(row=row, column=2, value=dt.datetime(2026, 11, 20)).number_format = "yyyy-mm-dd"
    # text that looks like an escape of the file format
    sheet.cell(row=row, column=10, value="plain _x0041_ text")


def _crlf(book) -> None:
    # a line break typed on Windows, stored the way Excel stores it
    sheet = book["organisations"]
    sheet.cell(row=2, column=10, value="第一行_x000D_\n第二行")


def _long(book) -> None:
    # openpyxl itself cuts text at 32,767 characters: a marker, lengthened in the file
    book["organisations"].cell(row=2, column=10, value="LONG-NOTE")


def _lengthen(path: Path) -> None:
    """Replace the marker by 40,000 characters, as a writer without a limit would."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            new.writestr(info, data.replace(b"LONG-NOTE", ("长" * 40000).encode()))


def _break_sheet(path: Path, sheet_file: str) -> None:
    """Cut one sheet's XML in the middle of a cell."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            if info.filename == sheet_file:
                data = data[: data.index(b'<row r="3"') + 20]
            new.writestr(info, data)


def main() -> None:
    mini = ROOT / "tests" / "data" / "mini"
    example = ROOT / "examples" / "smart-city"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _resave(_converted(example, work, "smart-city.xlsx"), HERE / "smart-city.xlsx")
        _resave(_converted(example, work, "chinese.xlsx", "zh"), HERE / "chinese.xlsx")
        path = _edited(_converted(example, work, "score-formula.xlsx"), _score_formula)
        _resave(path, HERE / "score-formula.xlsx")
        _resave(_edited(_converted(mini, work, "merged.xlsx"), _merged), HERE / "merged.xlsx")
        _resave(_edited(_converted(mini, work, "typed.xlsx"), _typed), HERE / "typed.xlsx")
        _resave(_converted(mini, work, "broken.xlsx"), HERE / "broken.xlsx")
        _break_sheet(HERE / "broken.xlsx", "xl/worksheets/sheet3.xml")
        # LibreOffice would compute the formula, turn CR LF into LF and cut the text:
        # these three are written by openpyxl only
        for name, edit in (
            ("uncached.xlsx", _uncached),
            ("crlf.xlsx", _crlf),
            ("long.xlsx", _long),
        ):
            _edited(_converted(mini, work, name), edit)
            shutil.copyfile(work / name, HERE / name)
        _lengthen(HERE / "long.xlsx")


if __name__ == "__main__":
    sys.exit(main())
