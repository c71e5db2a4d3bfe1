"""Importing a large appointments table: ``stakegraph import appointments`` at 10^5 rows.

A seeded generator writes a table shaped like a province's appointment notices
(任免表): 2,500 organisations (50 regions × 50 departments), ten posts each
(厅长 … 科员, graded 正厅 … 科员), and four five-year terms per post from 1990, so
``rows / 4`` persons each hold one term per era in randomly drawn posts. Names are
three-character Chinese names, unique as text (their pinyin ids still collide,
as real ones do: 张伟 and 章伟 are both ``zhang-wei``). One successor in a
hundred starts a day before the predecessor leaves (a handover warning).

Measured, each in a fresh process as a user runs it:

* **import (new)**: ``stakegraph import appointments TABLE WS`` into a workspace
  that does not exist yet, for a YAML folder and a CSV folder;
* **re-import (same file)**: the same command again, which must find nothing to
  change and write nothing;
* **check** (the baseline, same run): ``stakegraph check WS``, which reads and
  validates the imported workspace; the import's ratio to it says what the import
  costs beyond reading the result once.

Then, in this process, the phases of one YAML import: reading the table,
merging, validating and writing. Figures go to ``benchmarks/results/appointments.json``.

Usage::

    python -m benchmarks.bench_appointments [--rows 100000] [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "appointments.json"

REGIONS = [
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
    "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
    "新疆", "杭州", "宁波", "温州", "苏州", "无锡", "南京", "合肥", "福州", "厦门",
    "济南", "青岛", "郑州", "武汉", "长沙", "广州", "深圳", "成都", "西安", "兰州",
]  # fmt: skip
DEPARTMENTS = [
    "发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "民族宗教事务委员会",
    "公安厅", "民政厅", "司法厅", "财政厅", "人力资源和社会保障厅", "自然资源厅",
    "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅", "农业农村厅", "商务厅",
    "文化和旅游厅", "卫生健康委员会", "退役军人事务厅", "应急管理厅", "审计厅",
    "外事办公室", "国有资产监督管理委员会", "市场监督管理局", "广播电视局", "体育局",
    "统计局", "医疗保障局", "机关事务管理局", "大数据管理局", "地方金融监督管理局",
    "粮食和物资储备局", "能源局", "监狱管理局", "林业局", "药品监督管理局", "知识产权局",
    "信访局", "人民防空办公室", "地震局", "气象局", "档案局", "口岸办公室", "供销合作社",
    "政务服务管理办公室", "乡村振兴局", "数据资源管理局", "公共资源交易中心", "政府采购中心",
]  # fmt: skip
#: Posts of every organisation: title, grade name, seats.
POSTS = [
    ("厅长", "正厅", 1),
    ("副厅长", "副厅", 1),
    ("巡视员", "副厅", 1),
    ("办公室主任", "正处", 1),
    ("规划处处长", "正处", 1),
    ("财务处处长", "正处", 1),
    ("信息处处长", "正处", 1),
    ("副处长", "副处", 1),
    ("主任科员", "正科", 1),
    ("科员", "科员", 1),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建国志东海波宁辉斌飞龙云峰亮林晨晓光春雪梅琳宇浩然凯文博阳欣怡佳俊哲瑞思远嘉诚"
HEADER = ["姓名", "职务", "单位", "任职开始", "任职结束", "职级", "出生年份"]


def write_table(path: Path, rows: int, seed: int = 0) -> int:
    """Write an appointments table of ``rows`` rows (a multiple of 4); return the rows."""
    rng = random.Random(seed)
    orgs = [f"{r}{d}" for r in REGIONS for d in DEPARTMENTS]
    posts = [(org, title, grade) for org in orgs for title, grade, _ in POSTS]
    eras = 4
    per_era = rows // eras
    persons = per_era
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < persons:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    born = [rng.randint(1940, 1975) for _ in names]
    chosen = rng.sample(range(len(posts)), k=min(per_era, len(posts)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        count = 0
        for era in range(eras):
            start = dt.date(1990 + 5 * era, 3, 1)
            end = dt.date(1995 + 5 * era, 3, 1) if era < eras - 1 else None
            holders = list(range(persons))
            rng.shuffle(holders)
            for slot, person in enumerate(holders):
                org, title, grade = posts[chosen[slot % len(chosen)]]
                began = start - dt.timedelta(days=1) if era and slot % 100 == 0 else start
                out.writerow(
                    [
                        names[person],
                        title,
                        org,
                        began.isoformat(),
                        end.isoformat() if end else "",
                        grade,
                        born[person],
                    ]
                )
                count += 1
    return count


def _stakegraph(*args: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one command in a new process.

    On a shared machine the wall time includes waiting for a core; the CPU time is
    what the command itself used.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "stakegraph.cli.main", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def phases(table: Path, workspace: Path) -> dict[str, float]:
    """Seconds of each phase of one import into a new YAML workspace, in this process,
    with the cycle collector paused as the import pauses it."""
    from stakegraph._gc import gc_paused
    from stakegraph.config import load_settings
    from stakegraph.io import save_workspace
    from stakegraph.io.appointments import read_appointments
    from stakegraph.io.appointments_merge import merge_appointments
    from stakegraph.records.validate import check_workspace
    from stakegraph.records.workspace import Workspace

    times: dict[str, float] = {}
    settings = load_settings(None)
    start = time.perf_counter()
    read = read_appointments(table, settings)
    times["read table"] = time.perf_counter() - start
    with gc_paused():
        start = time.perf_counter()
        merge = merge_appointments(Workspace(settings), read)
        times["merge"] = time.perf_counter() - start
        start = time.perf_counter()
        problems = check_workspace(merge.workspace)
        times["validate"] = time.perf_counter() - start
        assert not [p for p in problems if not p.is_warning], problems[:3]
        start = time.perf_counter()
        save_workspace(merge.workspace, workspace, "yaml")
        times["write yaml"] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    figures: dict[str, object] = {"rows": args.rows, "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = folder / "appointments.csv"
        start = time.perf_counter()
        rows = write_table(table, args.rows, args.seed)
        figures["generate_s"] = round(time.perf_counter() - start, 2)
        figures["table_mib"] = round(table.stat().st_size / 2**20, 1)
        for fmt in ("yaml", "csv"):
            ws = folder / f"ws-{fmt}"
            new, new_cpu = _stakegraph("import", "appointments", str(table), str(ws), "--to", fmt)
            same, same_cpu = _stakegraph("import", "appointments", str(table), str(ws))
            check, check_cpu = _stakegraph("check", str(ws))
            figures[fmt] = {
                "import_new_s": round(new, 2),
                "import_new_cpu_s": round(new_cpu, 2),
                "reimport_same_s": round(same, 2),
                "reimport_same_cpu_s": round(same_cpu, 2),
                "check_s": round(check, 2),
                "check_cpu_s": round(check_cpu, 2),
                "import_over_check": round(new / check, 2),
                "import_over_check_cpu": round(new_cpu / check_cpu, 2),
            }
            print(
                f"{fmt}: import {new:.1f} s ({new_cpu:.1f} s CPU), re-import {same:.1f} s "
                f"({same_cpu:.1f} s CPU), check {check:.1f} s ({check_cpu:.1f} s CPU); "
                f"import / check {new / check:.2f} wall, {new_cpu / check_cpu:.2f} CPU"
            )
        figures["phases_s"] = {k: round(v, 2) for k, v in phases(table, folder / "phases").items()}
        print("phases:", figures["phases_s"])
    figures["rows"] = rows
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    figures["machine"] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
