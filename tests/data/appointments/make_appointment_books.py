"""Write cabinet.xlsx from cabinet.csv: the same rows, dates as real Excel dates.

Run from the repository root: python tests/data/appointments/make_appointment_books.py
"""

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def main() -> None:
    with (HERE / "cabinet.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    sheet.title = "appointments"
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = []
        for header, value in zip(rows[0], row, strict=True):
            if header in ("start", "end") and value:
                cells.append(dt.datetime.fromisoformat(value))
            elif header in ("rank", "born") and value:
                cells.append(int(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    book.properties.created = dt.datetime(2026, 1, 1)
    book.save(HERE / "cabinet.xlsx")


if __name__ == "__main__":
    main()
