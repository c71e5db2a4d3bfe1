"""The bilingual explanation of every table and field, read from the starter workspace.

The starter's YAML files (``stakegraph init``) open with a comment block: what
the file holds, then under ``字段 Fields`` one entry per field, Chinese and
English. Workbooks show the same words (the help sheet and the comments on
header cells), so the explanations are written once, in the starter.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from stakegraph.io.tabular import TABLES

#: A field entry: names (``id *, name *``), spaces, the explanation (not starting in
#: lower case, which would be English prose continuing the line before).
_ENTRY = re.compile(
    r"(?P<names>[a-z_]+ ?\*?(?:, [a-z_]+ ?\*?)*)(?:\s{2,}(?P<text>\S.*)|\s(?P<more>[^a-z\s].*))?$"
)
#: Child tables and the starter entry they are explained under.
_NESTED = {"tenures": "tenures", "steps": "chain", "roles": "roles", "survey_scores": "scores"}
_FILES = {"tenures": "persons", "steps": "opportunities", "roles": "opportunities"}
_ORDER = "序号：1、2、3……按决策链顺序；排序表格不会打乱 / order: 1, 2, 3 … in chain order."
#: The key columns of child tables, which the starter (nesting them) does not list.
_KEY_HELP: dict[str, dict[str, str]] = {
    "tenures": {"person": "人员 id（人员表）/ the person holding the post."},
    "steps": {
        "opportunity": "商机 id（商机表）/ the opportunity whose chain this step is in.",
        "order": "步骤在决策链中的" + _ORDER,
    },
    "roles": {
        "opportunity": "商机 id（商机表）/ the opportunity.",
        "step": "步骤标识（决策链表）/ the step id, as in the steps sheet.",
        "order": "角色在本步骤中的" + _ORDER,
    },
    "survey_scores": {
        "survey": "调查 id（满意度调查表）/ the survey.",
        "item": "项目名称，自定 / the item, named freely.",
        "score": "得分 1–5 / the score, 1–5.",
    },
}


@functools.cache
def _comment_block(collection: str) -> tuple[str, list[str]]:
    """The description of a starter file and the lines of its field list."""
    path = resources.files("stakegraph") / "starter" / f"{collection}.yaml"
    if not path.is_file():
        return "", []
    lines = [line[1:] for line in path.read_text(encoding="utf-8").splitlines() if line[:1] == "#"]
    rules = [i for i, line in enumerate(lines) if line.strip().startswith("=====")]
    if len(rules) < 2:
        return "", []
    block = lines[rules[0] + 1 : rules[1]]
    start = next((i for i, line in enumerate(block) if "字段 Fields" in line), len(block))
    about = "\n".join(line.strip() for line in block[1:start] if line.strip())
    return about, block[start + 1 :]


def _entries(lines: list[str], known: set[str]) -> list[tuple[int, list[str], list[str]]]:
    """(indent, field names, text lines) of each entry naming only fields in ``known``."""
    found: list[tuple[int, list[str], list[str]]] = []
    for line in lines:
        body = line.lstrip()
        indent = len(line) - len(body)
        match = _ENTRY.match(body)
        names = (
            [n.strip(" *") for n in match.group("names").split(",")] if match is not None else []
        )
        if match is not None and names and all(n in known for n in names):
            found.append((indent, names, [match.group("text") or match.group("more") or ""]))
        elif found and body:
            found[-1][2].append(body)
    return found


def _explain(entry: list[str]) -> str:
    return "\n".join(part for part in entry if part).strip()


@functools.cache
def table_help(table: str) -> tuple[str, dict[str, str]]:
    """What a table holds and, per field code, its explanation ("" when the starter has none).

    >>> about, fields = table_help("persons")
    >>> about.splitlines()[0], fields["born"]
    ('客户方官员及其他外部关键人（如评审专家）。', '出生年份 / year of birth (1900–2100, optional).')
    """
    spec = TABLES.get(table)
    if spec is None:
        return "", {}
    nested = _NESTED.get(table)
    about, lines = _comment_block(_FILES.get(table, spec.parent or table))
    known = set(spec.columns) | {"chain", "tenures", "roles", "scores", "names", "id"}
    entries = _entries(lines, known)
    if nested is None:
        top = min((indent for indent, _, _ in entries), default=0)
        chosen = [e for e in entries if e[0] == top]
        return about, {n: _explain(text) for _, names, text in chosen for n in names}
    parent = next((e for e in entries if nested in e[1]), None)
    if parent is None:
        return "", {}
    where = entries.index(parent)
    inside = []
    for entry in entries[where + 1 :]:
        if entry[0] <= parent[0]:
            break
        inside.append(entry)
    depth = min((indent for indent, _, _ in inside), default=0)
    fields = {n: _explain(text) for indent, names, text in inside if indent == depth for n in names}
    if table == "steps" and "id" in fields:
        fields["step"] = fields.pop("id")
    return _explain(parent[2]), {**_KEY_HELP.get(table, {}), **fields}
