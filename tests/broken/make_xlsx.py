"""Write the book.xlsx of every workbook case in tests/broken.

Run ``python tests/broken/make_xlsx.py`` after changing a case below, and commit
the written files. The output is byte-for-byte stable: cell values come from the
tables here, and the workbook's timestamps are fixed. tests/test_broken.py writes
the books again into a temporary folder and compares them with the committed ones.

Each case is a mapping of sheet name to rows; the first row is the header.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
BOOK = "book.xlsx"
_FIXED_TIME = dt.datetime(2024, 1, 1)

Rows = list[list[object]]

_ORGS: Rows = [["id", "name", "kind"], ["city-bdb", "示例市大数据管理局", "bureau"]]
_DIRECTOR: list[object] = ["bdb-director", "局长", "city-bdb", "正处"]

CASES: dict[str, dict[str, Rows]] = {
    # the relationship names a person who is not on the persons sheet
    "05-relationship-missing-person": {
        "persons": [["id", "name"], ["li-ming", "李明"]],
        "owners": [["id", "name", "tier"], ["chen-jing", "陈静", "manager"]],
        "relationships": [
            ["owner", "person", "acceptance", "support", "last_contact"],
            ["chen-jing", "li-ming", 3, 4, dt.date(2024, 5, 20)],
            ["chen-jing", "liu-yang", 2, 1, dt.date(2024, 4, 2)],
        ],
    },
    # the client 'city-dsj' is not on the organisations sheet
    "09-opportunity-missing-client": {
        "organisations": _ORGS,
        "opportunities": [
            ["id", "name", "client", "stage", "value"],
            ["smart-city", "智慧城市一期", "city-dsj", "pursuit", 3200000],
        ],
    },
    # tiers run from 1 to 5
    "12-tier-outside-scale": {
        "owners": [
            ["id", "name", "tier", "capacity"],
            ["chen-jing", "陈静", "manager", 5],
            ["zhou-tao", "周涛", 7, 3],
        ],
    },
    # three people hold a post with two seats at once from 2023-07-01
    "17-more-holders-than-seats": {
        "organisations": _ORGS,
        "posts": [
            ["id", "title", "org", "grade", "seats"],
            _DIRECTOR + [1],
            ["bdb-deputy", "副局长", "city-bdb", "副处", 2],
        ],
        "persons": [
            ["id", "name"],
            ["li-ming", "李明"],
            ["wang-fang", "王芳"],
            ["zhao-lei", "赵磊"],
        ],
        "tenures": [
            ["person", "post", "start", "end"],
            ["li-ming", "bdb-deputy", dt.date(2020, 1, 1), None],
            ["wang-fang", "bdb-deputy", dt.date(2022, 1, 1), None],
            ["zhao-lei", "bdb-deputy", dt.date(2023, 7, 1), None],
        ],
    },
    # 'born' is a number, not text
    "23-text-for-number": {
        "persons": [
            ["id", "name", "born", "background"],
            ["li-ming", "李明", 1972, "career"],
            ["wang-fang", "王芳", "1975年", "academia"],
        ],
    },
    # the role names a post and a person at once
    "27-role-names-both": {
        "organisations": _ORGS,
        "posts": [["id", "title", "org", "grade"], _DIRECTOR],
        "persons": [["id", "name"], ["li-ming", "李明"]],
        "tenures": [["person", "post", "start"], ["li-ming", "bdb-director", dt.date(2021, 3, 1)]],
        "opportunities": [["id", "name", "client"], ["smart-city", "智慧城市一期", "city-bdb"]],
        "steps": [["opportunity", "step", "name"], ["smart-city", "approval", "预算审批"]],
        "roles": [
            ["opportunity", "step", "post", "person", "role"],
            ["smart-city", "approval", "bdb-director", "li-ming", "approver"],
        ],
    },
    # an unknown holder's expected grade is not on the grade scale
    "98-unknown-holder-bad-grade": {
        "organisations": [*_ORGS, ["city-fin", "示例市财政局", "bureau"]],
        "opportunities": [["id", "name", "client"], ["smart-city", "智慧城市一期", "city-bdb"]],
        "steps": [["opportunity", "step", "name"], ["smart-city", "approval", "预算审批"]],
        "roles": [
            ["opportunity", "step", "role", "unknown_org", "unknown_grade", "unknown_description"],
            ["smart-city", "approval", "evaluator", "city-fin", "正局长", "财政局一位评审"],
        ],
    },
    # 'people' is not a table; the persons sheet is called 'persons'
    "31-unknown-sheet": {
        "organisations": _ORGS,
        "people": [["id", "name"], ["li-ming", "李明"]],
    },
    # a date cell typed as text, with a month that does not exist
    "37-bad-date-cell": {
        "persons": [["id", "name"], ["li-ming", "李明"]],
        "interactions": [
            ["id", "date", "kind", "persons"],
            ["visit-1", dt.date(2024, 3, 5), "visit", "li-ming"],
            ["visit-2", "2024-13-05", "meeting", "li-ming"],
        ],
    },
    # the post was abolished on 2024-01-01, but the tenure ends months later
    "48-tenure-outside-post-lifetime": {
        "organisations": _ORGS,
        "posts": [
            ["id", "title", "org", "grade", "start", "end"],
            _DIRECTOR + [dt.date(2019, 3, 1), dt.date(2024, 1, 1)],
        ],
        "persons": [["id", "name"], ["li-ming", "李明"]],
        "tenures": [
            ["person", "post", "start", "end"],
            ["li-ming", "bdb-director", dt.date(2019, 3, 1), dt.date(2024, 6, 1)],
        ],
    },
    # Chinese sheets: the second step of the chain repeats order 1 (and so 2 is missing)
    "77-step-order-twice": {
        "组织机构": [["标识\nid", "名称\nname"], ["city-bdb", "示例市大数据管理局"]],
        "商机": [["标识\nid", "名称\nname", "客户单位\nclient"], ["dc", "数据中台", "city-bdb"]],
        "决策链": [
            ["商机\nopportunity", "序号\norder", "步骤标识\nstep", "步骤名称\nname"],
            ["dc", 1, "proposal", "需求立项"],
            ["dc", 1, "signoff", "分管领导审批"],
        ],
    },
    # the steps of the chain are numbered 1 and 3
    "78-step-order-gap": {
        "组织机构": [["标识\nid", "名称\nname"], ["city-bdb", "示例市大数据管理局"]],
        "商机": [["标识\nid", "名称\nname", "客户单位\nclient"], ["dc", "数据中台", "city-bdb"]],
        "决策链": [
            ["商机\nopportunity", "序号\norder", "步骤标识\nstep", "步骤名称\nname"],
            ["dc", 3, "signoff", "分管领导审批"],
            ["dc", 1, "proposal", "需求立项"],
        ],
    },
    # a role's order is written in words
    "79-role-order-not-a-number": {
        "组织机构": _ORGS,
        "岗位": [["标识\nid", "职务名称\ntitle", "所属单位\norg", "职级\ngrade"], _DIRECTOR],
        "商机": [["id", "name", "client"], ["dc", "数据中台", "city-bdb"]],
        "决策链": [["opportunity", "order", "step", "name"], ["dc", 1, "proposal", "需求立项"]],
        "决策角色": [
            ["商机\nopportunity", "步骤\nstep", "序号\norder", "岗位\npost", "角色\nrole"],
            ["dc", "proposal", "一", "bdb-director", "决策者 decision maker"],
        ],
    },
    # a stance picked from the drop-down, then mistyped
    "80-stance-typed-wrong": {
        "组织机构": _ORGS,
        "岗位": [["id", "title", "org", "grade"], _DIRECTOR],
        "商机": [["id", "name", "client"], ["dc", "数据中台", "city-bdb"]],
        "决策链": [["opportunity", "order", "step", "name"], ["dc", 1, "proposal", "需求立项"]],
        "决策角色": [
            ["opportunity", "step", "order", "post", "role", "立场\nstance"],
            ["dc", "proposal", 1, "bdb-director", "决策者 decision maker", "坚定支持着"],
        ],
    },
    # a Chinese header that is not a field of the sheet
    "81-unknown-chinese-header": {
        "人员": [["标识\nid", "姓名\nname", "生日"], ["li-ming", "李明", "1975-03-02"]],
    },
}


def build(sheets: dict[str, Rows]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    book.properties.creator = "stakegraph tests"
    book.properties.created = _FIXED_TIME
    return book


def save(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so writing the same cells gives the same bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


def write_books(root: Path = HERE) -> list[Path]:
    """Write <root>/<case>/book.xlsx for every case; return the paths written."""
    written = []
    for case, sheets in CASES.items():
        folder = root / case
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / BOOK
        save(build(sheets), path)
        written.append(path)
    return written


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in write_books(root):
        print(path)
