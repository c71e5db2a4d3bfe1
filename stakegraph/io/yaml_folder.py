"""The YAML workspace: a folder with one file per record type.

Layout::

    my-account/
      stakegraph.toml        optional settings
      organisations.yaml     a list of organisations
      posts.yaml             a list of posts
      persons.yaml           ...
      owners.yaml, relationships.yaml, ties.yaml, opportunities.yaml,
      interactions.yaml, surveys.yaml

A file named after a record type holds a list of those records. Any other
``*.yaml`` file holds sections (``persons:``, ``ties:`` ...), so one account can
also live in a single file. Every record and field keeps its line number, so
problems point at the exact line.

Hostile or mistaken files are refused with a located problem rather than read
at any cost: a file may use at most :data:`MAX_ALIASES` aliases (``*name``), which
may stand for at most :data:`MAX_ALIAS_VALUES` values in all (so a kilobyte of
nested aliases cannot ask for gigabytes), a record nests at most
:data:`MAX_DEPTH` levels of lists and mappings, and a key given twice in one mapping is reported with both lines
instead of the last one silently winning.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from stakegraph._gc import gc_paused
from stakegraph.errors import Location, Problem, shown
from stakegraph.io.common import ordered_fields, record_to_data
from stakegraph.records.model import RECORD_BY_COLLECTION, RECORD_TYPES
from stakegraph.records.workspace import RawRecord, Workspace

SUFFIXES = (".yaml", ".yml")

#: Aliases (``*name``) one file may use.
MAX_ALIASES = 10_000
#: Values (scalars, lists and mappings) that all the aliases of a file may stand for.
MAX_ALIAS_VALUES = 100_000
#: Lists and mappings nested inside each other, a record being the first level;
#: records need about five.
MAX_DEPTH = 50

try:  # libyaml makes large workspaces several times faster to read
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
    # cyaml imports CParser from libyaml's binding but leaves it out of its exports
    _Parser: Any = yaml.cyaml.CParser  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - wheels without libyaml
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper
    _Parser = yaml.SafeLoader


class _PlainDumper(_Dumper):
    """Never writes anchors and aliases: a date shared by two records stays a date."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_constructor = yaml.constructor.SafeConstructor()


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def read_yaml_folder(
    folder: Path, progress: Callable[[int], None] | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Read every YAML file of a folder into raw records (not yet validated).

    ``progress`` is called with the number of records of each file once read.
    """
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    files = yaml_files(folder)
    order = {t.collection: i for i, t in enumerate(RECORD_TYPES)}
    files.sort(key=lambda p: (order.get(p.stem, len(order)), p.name))
    for path in files:
        got, bad = read_yaml_file(path, label=path.name)
        raws += got
        problems += bad
        if progress is not None:
            progress(len(got))
    return raws, problems


def read_yaml_file(path: Path, label: str | None = None) -> tuple[list[RawRecord], list[Problem]]:
    """Read one YAML file into raw records (not yet validated) and the problems found."""
    return read_yaml_bytes(path.read_bytes(), path.stem, label or str(path))


@gc_paused()
def read_yaml_bytes(data: bytes, stem: str, label: str) -> tuple[list[RawRecord], list[Problem]]:
    """Read the bytes of a YAML file named ``stem`` + ``.yaml`` (see :func:`read_yaml_file`).

    The cache (:mod:`stakegraph.io.cache`) reads a file's bytes once, to key them and
    to parse them, so what it stores is what those bytes hold.
    """
    collection = stem if stem in RECORD_BY_COLLECTION else None
    try:
        # line breaks read as text files read them (universal newlines)
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        return [], [
            Problem(
                f"is not UTF-8 text (byte {exc.start}).",
                Location(label),
                hint="save the file as UTF-8." + _waiting(collection),
                unread=collection,
            )
        ]
    try:
        return _read_document(_NodeStream(text), collection, label)
    except _Refused as exc:
        return [], [
            Problem(
                exc.message,
                Location(label, exc.line),
                hint=exc.hint + _waiting(collection),
                unread=collection,
            )
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        return [], [
            Problem(
                f"is not valid YAML: {reason}.",
                Location(label, line),
                hint="check indentation and quoting on this line." + _waiting(collection),
                unread=collection,
            )
        ]


def _waiting(collection: str | None) -> str:
    """What a file that cannot be read holds back: the references to its records."""
    if collection is None:
        return ""
    return f" References to its {collection} are checked once it reads."


class _Refused(Exception):
    """A file past one of the limits above; read_yaml_file turns it into a Problem."""

    def __init__(self, message: str, line: int, hint: str) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


def _too_deep(line: int) -> _Refused:
    return _Refused(
        f"is nested more than {MAX_DEPTH} levels deep (the limit).",
        line,
        "a record needs only a few levels of lists and mappings; check the indentation.",
    )


class _Alias(yaml.Node):
    """An alias (``*name``) in the node tree: the anchored node, and where the alias is.

    The composer hands back the anchored node itself; wrapping it lets the
    conversion count what aliases expand to, and locate the alias when that is
    too much.
    """

    def __init__(self, target: yaml.Node, mark: Any) -> None:
        super().__init__(target.tag, target.value, mark, mark)
        self.target = target


def _target(node: yaml.Node) -> yaml.Node:
    return node.target if isinstance(node, _Alias) else node


class _NodeStream(_Parser, yaml.composer.Composer, yaml.resolver.Resolver):
    """Composes a file's YAML nodes one record at a time.

    ``yaml.compose`` builds a file's whole node tree before the first record can be
    read; for 10^5 ties that tree outweighs the records made from it. Here libyaml
    still parses, and the composer takes the events one top-level record at a time.
    It also counts aliases and nesting, refusing a file past the limits.
    """

    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.aliases = 0
        self.depth = 0
        #: values converted so far through aliases, against MAX_ALIAS_VALUES
        self.alias_values = 0

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(
                    f"uses more than {MAX_ALIASES} aliases (*name), the limit for one file.",
                    mark.line + 1,
                    "write the values out instead of repeating them through aliases.",
                )
            target = super().compose_node(parent, index)
            assert target is not None  # an alias always names a node composed before
            return _Alias(target, mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _too_deep(self.peek_event().start_mark.line + 1)
            node = super().compose_node(parent, index)
            assert node is not None  # asked only while an event remains
            return node
        finally:
            self.depth -= 1

    def next_node(self) -> yaml.Node:
        return self.compose_node(None, None)

    def sequence_items(self) -> Iterator[yaml.Node]:
        """The items of the sequence that starts at the next event, each when reached."""
        self.get_event()
        while not self.check_event(yaml.SequenceEndEvent):
            yield self.next_node()
        self.get_event()


def _read_document(
    stream: _NodeStream, collection: str | None, label: str
) -> tuple[list[RawRecord], list[Problem]]:
    """Read the one document of a file: a list of ``collection``, or sections of lists."""
    stream.get_event()  # stream start
    if stream.check_event(yaml.StreamEndEvent):
        return [], []  # nothing but comments
    start = stream.get_event().start_mark  # document start
    if collection:
        if stream.check_event(yaml.SequenceStartEvent):
            result = _read_items(stream, collection, label)
        else:
            result = _not_a_list(stream.next_node(), collection, label)
    elif stream.check_event(yaml.MappingStartEvent):
        result = _read_sections(stream, label)
    else:
        node = stream.next_node()
        result = (
            [],
            [
                Problem(
                    "must hold sections such as 'persons:' or be named after a record type "
                    f"({', '.join(RECORD_BY_COLLECTION)}).yaml.",
                    Location(label, node.start_mark.line + 1),
                    hint="rename the file or put its records under a section.",
                )
            ],
        )
    stream.get_event()  # document end
    if not stream.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError(
            "expected a single document in the stream",
            start,
            "but found another document",
            stream.get_event().start_mark,
        )
    return result


def _read_sections(stream: _NodeStream, label: str) -> tuple[list[RawRecord], list[Problem]]:
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    stream.get_event()  # mapping start
    while not stream.check_event(yaml.MappingEndEvent):
        key_node = stream.next_node()
        section = str(key_node.value)
        if section not in RECORD_BY_COLLECTION:
            problems.append(
                Problem(
                    f"unknown section '{section}'.",
                    Location(label, key_node.start_mark.line + 1),
                    hint=f"use one of: {', '.join(RECORD_BY_COLLECTION)}.",
                )
            )
            stream.next_node()  # its value
            continue
        if stream.check_event(yaml.SequenceStartEvent):
            got, bad = _read_items(stream, section, label)
        else:
            got, bad = _not_a_list(stream.next_node(), section, label)
        raws += got
        problems += bad
    stream.get_event()
    return raws, problems


def _not_a_list(node: yaml.Node, collection: str, label: str) -> tuple[list, list[Problem]]:
    return [], [
        Problem(
            f"{collection} must be a list of records (each starting with '- id: ...').",
            Location(label, node.start_mark.line + 1),
            hint="put a '- ' before each record.",
        )
    ]


def _read_items(
    stream: _NodeStream, collection: str, label: str
) -> tuple[list[RawRecord], list[Problem]]:
    """The records of the list that starts at the next event of ``stream``."""
    noun = RECORD_BY_COLLECTION[collection].noun
    raws, problems = [], []
    at = _Locations(label, stream)
    for item in stream.sequence_items():
        line = item.start_mark.line + 1
        if not isinstance(_target(item), yaml.MappingNode):
            problems.append(
                Problem(
                    f"each {noun} must be a mapping of fields, got {item.value!r}.",
                    Location(label, line),
                    noun,
                    hint="write fields as 'name: value' lines under '- '.",
                )
            )
            continue
        field_locations: dict[tuple, Location] = {}
        at.twice = []
        try:
            data = _to_python(item, (), at, field_locations)
        except yaml.YAMLError as exc:
            problems.append(Problem(f"cannot read a value: {exc}.", at[line], noun))
            continue
        if at.twice:
            problems += _twice_problems(at, data, noun, field_locations)
        raws.append(RawRecord(collection, data, at[line], field_locations))
    return raws, problems


def _twice_problems(
    at: _Locations, data: Any, noun: str, field_locations: dict[tuple, Location]
) -> list[Problem]:
    """One problem per key given twice in a record (the first value was kept)."""
    rid = data.get("id") if isinstance(data, dict) else None
    out = []
    for field, line in at.twice:
        first = field_locations[field].line
        out.append(
            Problem(
                f"is given twice in one mapping (lines {first} and {line}); "
                "only one value can count.",
                at[line],
                noun,
                rid if isinstance(rid, str) else None,
                _dotted(field),
                hint="remove one of the two lines, or merge them into one.",
            )
        )
    at.twice = []
    return out


def _dotted(path: tuple) -> str:
    """('chain', 0, 'roles') -> 'chain[0].roles', as validation names fields."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


class _Locations(dict[int, Location]):
    """The one Location of each line of a file, shared by the records and fields on it.

    ``path`` likewise keeps one copy of each field path (``("tenures", 0, "post")``),
    which every record of a type repeats.
    """

    def __init__(self, label: str, stream: _NodeStream) -> None:
        super().__init__()
        self.label = label
        self.paths: dict[tuple, tuple] = {}
        self.stream = stream
        #: (field path, line) of each key repeated in the record being converted
        self.twice: list[tuple[tuple, int]] = []

    def path(self, path: tuple) -> tuple:
        return self.paths.setdefault(path, path)

    def __missing__(self, line: int) -> Location:
        location = self[line] = Location(self.label, line)
        return location


def _to_python(
    node: yaml.Node,
    path: tuple,
    at: _Locations,
    lines: dict[tuple, Location],
    alias_line: int = 0,
) -> Any:
    """Python data of ``node``; ``alias_line`` is set while expanding an alias."""
    lines[path] = at[node.start_mark.line + 1]
    if node.__class__ is _Alias:
        alias_line = alias_line or node.start_mark.line + 1
        node = node.target
    if alias_line:
        stream = at.stream
        stream.alias_values += 1
        if stream.alias_values > MAX_ALIAS_VALUES:
            raise _Refused(
                f"has aliases (*name) standing for more than {MAX_ALIAS_VALUES} values "
                "(the limit for one file).",
                alias_line,
                "write the values out instead of nesting aliases inside anchors.",
            )
    if isinstance(node, yaml.MappingNode):
        if len(path) >= MAX_DEPTH:  # only aliases can nest this deep past the composer
            raise _too_deep(alias_line or node.start_mark.line + 1)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            # the same few field names repeat in every record: keep one copy of each
            key = sys.intern(str(_scalar(_target(key_node))))
            field = at.path((*path, key))
            key_line = key_node.start_mark.line + 1
            if key in out:
                # keep the first value: the problem names both lines
                at.twice.append((field, key_line))
                continue
            out[key] = _to_python(value_node, field, at, lines, alias_line)
            # the key's line is more useful than the value's for messages
            lines[field] = at[key_line]
        return out
    if isinstance(node, yaml.SequenceNode):
        if len(path) >= MAX_DEPTH:
            raise _too_deep(alias_line or node.start_mark.line + 1)
        return [
            _to_python(v, at.path((*path, i)), at, lines, alias_line)
            for i, v in enumerate(node.value)
        ]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    # Dispatch on the resolved tag directly: construct_object would memoise every node.
    build = _constructor.yaml_constructors.get(node.tag)
    if build is None or not isinstance(node, yaml.ScalarNode):
        raise yaml.YAMLError(f"unsupported value with tag {shown(node.tag)}")
    try:
        return build(_constructor, node)
    except ValueError:
        # an impossible date such as 2024-02-30: keep the text, validation explains it
        return node.value


def write_yaml_folder(workspace: Workspace, folder: Path) -> list[Path]:
    """Write one YAML file per non-empty record type; return the files written."""
    written = []
    for cls in RECORD_TYPES:
        if not workspace.records[cls.collection]:
            continue
        path = folder / f"{cls.collection}.yaml"
        path.write_text(collection_yaml(workspace, cls.collection), encoding="utf-8")
        written.append(path)
    return written


def collection_yaml(workspace: Workspace, collection: str) -> str:
    """The text of ``<collection>.yaml`` as :func:`write_yaml_folder` writes it."""
    items = [
        ordered_fields(r, record_to_data(r, workspace.settings))
        for r in workspace.records[collection].values()
    ]
    return yaml.dump(
        items,
        Dumper=_PlainDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
