"""Files → typed models, with every problem located as ``FILE:LINE:COL``.

YAML is untrusted: only the safe loader is used, aliases are capped, duplicate
keys are errors, and each pydantic error is walked back along the composed YAML
nodes to the line and column it came from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from curriculum_gen.errors import InputError, Problem, display_path
from curriculum_gen.load.reading import read_input

MAX_BYTES = 2_000_000
"""Curricula, profiles and plans are small; anything bigger is a mistake."""
MAX_ALIASES = 200
"""Enough for hand-written anchors."""
MAX_VALUES = 100_000
"""A document may expand (aliases counted in full) to at most this many values: no 'billion laughs'."""

Loc = Sequence[int | str]


def format_loc(loc: Loc) -> str:
    """``('activities', 3, 'minutes')`` → ``activities[3].minutes``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + ("~" if part is None else str(part))
    return out


class _Guards:
    """What both loaders add to PyYAML: duplicate keys are noted and aliases are capped."""

    duplicates: list[tuple[yaml.Node, str]]
    aliases: int

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                event = self.peek_event()  # type: ignore[attr-defined]
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (refused)", event.start_mark
                )
        return yaml.composer.Composer.compose_node(self, parent, index)  # type: ignore[arg-type]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                if key in seen:  # named as written: 'true', not 'True'
                    self.duplicates.append(
                        (key_node, str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else str(key))
                    )
                seen.add(key)
            except TypeError:
                pass  # unhashable: the base class reports it
        return yaml.constructor.SafeConstructor.construct_mapping(self, node, deep=deep)  # type: ignore[arg-type]


class _Loader(_Guards, yaml.SafeLoader):
    """Safe loader that reports duplicate keys and refuses alias bombs.

    Plain scalars follow YAML 1.2: only ``true``/``false`` are booleans and only decimal
    numbers are numbers, so ``no``, ``010``, ``0x0A``, ``1_000``, ``10:30`` or a date stay
    text and are reported as such instead of being silently converted.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates = []
        self.aliases = 0


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regex)
        for tag, regex in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:timestamp",
        )
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_SPECIAL = r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?" + _SPECIAL),
    list("-+0123456789."),
)
_TAGGED = {  # what an explicit tag accepts: YAML 1.2's core schema, decimal only, like plain scalars
    "tag:yaml.org,2002:int": (_INT, "an integer", "decimal digits, like 90"),
    "tag:yaml.org,2002:float": (
        re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?" + _SPECIAL),
        "a number",
        "a decimal number like 1.5, 2e3, .inf or .nan",
    ),
    "tag:yaml.org,2002:bool": (_BOOL, "a boolean", "true or false only"),
    "tag:yaml.org,2002:null": (re.compile(r"^(?:~|null|Null|NULL|)$"), "null", "null, ~ or nothing"),
}


if yaml.__with_libyaml__:

    class _FastLoader(
        _Guards,
        yaml.composer.Composer,
        yaml.cyaml.CParser,  # type: ignore[misc,name-defined]
        yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
    ):
        """:class:`_Loader` with libyaml's scanner and parser, about ten times faster.

        Composing stays in Python, so the same guards run; files it refuses are read again
        by :class:`_Loader`, so every error message is the same either way.
        """

        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.duplicates = []
            self.aliases = 0


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "merge")
)
MAX_DIGITS = 100


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node, self.message = node, message


def _expanded_size(node: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded (computed without expanding).

    The same walk refuses tags other than plain YAML's, absurdly long numbers, and tagged
    scalars YAML 1.2 does not read as their tag says (``!!int 1:00`` is not 60, ``!!bool yes`` not true).

    Raises:
        _Refused: the node at fault, and why.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        if id(current) in sizes:
            continue
        if current.tag not in _PLAIN_TAGS:
            shown = current.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(current, f"tag '{shown}' is not allowed (plain YAML only)")
        if isinstance(current, yaml.ScalarNode):
            if current.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(current.value) > MAX_DIGITS:
                raise _Refused(
                    current, f"a number of {len(current.value):,} characters (expected at most {MAX_DIGITS})"
                )
            rule = _TAGGED.get(current.tag)
            if rule is not None and not rule[0].match(current.value):
                tag = current.tag.replace("tag:yaml.org,2002:", "!!")
                raise _Refused(
                    current, f"{short_repr(current.value)} is not {rule[1]} (YAML 1.2 reads {tag} as {rule[2]})"
                )
            sizes[id(current)] = 1
            continue
        children = [n for pair in current.value for n in (pair if isinstance(pair, tuple) else (pair,))]
        if done:
            sizes[id(current)] = min(MAX_VALUES + 1, 1 + sum(sizes.get(id(c), 0) for c in children))
        else:
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(node)]


@dataclass(frozen=True)
class Source:
    """A loaded YAML file: its display name and composed node tree, for locating problems."""

    name: str
    node: yaml.Node | None
    early: tuple[Problem, ...] = ()
    """Problems found while parsing (duplicate keys), reported with the schema's."""
    renamed: Mapping[tuple[Any, ...], str] = field(default_factory=dict)
    """Keys read under another name (a French key as its English one, ``load/synonyms.py``): the path read → the key
    as written, so a problem is found at its line and shown in the file's words."""
    names: Mapping[tuple[str, ...], Mapping[str, str]] = field(default_factory=dict)
    """In a file written in French: each key's French name, by place (``*`` for any list item), for messages."""
    _keys: dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Each mapping's keys, indexed the first time it is searched: locating n problems takes n steps, not n²."""

    def problem(self, loc: Loc, message: str, *, key: bool = False, shown: str | None = None) -> Problem:
        """A problem at ``loc``; ``key=True`` points at the mapping key rather than its value; ``shown`` replaces the path."""
        found, _ = self.find(loc, key=key)
        line, column = (found.start_mark.line + 1, found.start_mark.column + 1) if found is not None else (1, 1)
        return Problem(self.name, line, column, format_loc(self.written(loc)) if shown is None else shown, message)

    def written(self, loc: Loc) -> tuple[Any, ...]:
        """``loc`` with each renamed key as the file writes it."""
        if not self.renamed:
            return tuple(loc)
        return tuple(self.renamed.get(tuple(loc[: i + 1]), part) for i, part in enumerate(loc))

    def name_of(self, place: Loc, key: str) -> str:
        """A key as the file's language names it at ``place`` (English unless the file is written in French)."""
        where = tuple("*" if isinstance(part, int) else str(part) for part in place)
        return self.names.get(where, {}).get(key, key)

    def find(self, loc: Loc, *, key: bool = False) -> tuple[yaml.Node | None, bool]:
        """The node at ``loc`` (its key's with ``key=True``) and True, or the deepest node on the way there and False.

        A key in ``loc`` is matched as loaded (``True`` is the key ``true``, ``None`` a null key), then as written.
        """
        found = self.node
        for i, part in enumerate(self.written(loc)):
            if isinstance(found, yaml.MappingNode) and part != "[key]":
                pairs = self._pairs(found)
                pair = pairs.get((type(part).__name__, part)) or pairs.get(str(part))
                if pair is None:
                    return found, False
                found = pair[0] if key and i == len(loc) - 1 else pair[1]
            elif isinstance(found, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(found.value):
                found = found.value[part]
            else:
                return found, False
        return found, True

    def _pairs(self, mapping: yaml.MappingNode) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
        pairs = self._keys.get(id(mapping))
        if pairs is None:
            pairs = self._keys[id(mapping)] = {}
            for key_node, value_node in mapping.value:  # a repeated key: the last one wins, as in the loaded data
                if isinstance(key_node, yaml.ScalarNode):
                    value = _key_value(key_node)
                    pairs[(type(value).__name__, value)] = pairs[str(key_node.value)] = (key_node, value_node)
        return pairs


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_KEY_TYPES: dict[str, Any] = {
    f"tag:yaml.org,2002:{t}": getattr(_CONSTRUCTOR, f"construct_yaml_{t}") for t in ("int", "float", "bool", "null")
}


def _key_value(node: yaml.ScalarNode) -> Any:
    """The key a scalar node stands for in the loaded data: ``true`` → True, ``42`` → 42, ``~`` → None."""
    build = _KEY_TYPES.get(node.tag)
    try:
        return build(node) if build else node.value
    except ValueError:  # not reachable for a parsed file; a key as written still matches
        return node.value


def read_text(path: Path, name: str, limit: int = MAX_BYTES) -> str:
    """Read a text file as UTF-8 (a BOM is allowed), refusing binary and huge files and anything but a regular file.

    Raises:
        InputError: located; see :func:`curriculum_gen.load.reading.read_input`.
    """
    data = read_input(path, name, limit=limit)
    if b"\x00" in data:
        at = data.index(b"\x00")
        line = data[:at].count(b"\n") + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise InputError(Problem(name, line, column, "", "binary file: a NUL byte (expected UTF-8 text)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            Problem(name, line, column, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x}; save the file as UTF-8)")
        ) from None
    return text


def parse_yaml(text: str, name: str) -> tuple[Any, Source]:
    """Parse YAML text safely into plain data plus its :class:`Source`.

    Raises:
        InputError: syntax errors, unknown tags, duplicate keys, alias bombs.
    """
    if yaml.__with_libyaml__:
        try:
            return _parse(text, name, _FastLoader)
        except InputError:
            pass  # read it again below, so the messages are always PyYAML's
    return _parse(text, name, _Loader)


def _parse(text: str, name: str, kind: type[_Loader | _FastLoader]) -> tuple[Any, Source]:
    loader = _open_loader(text, name, kind)
    try:
        node = loader.get_single_node()
        _check_expansion(node, name)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise InputError(_marked_problem(exc, name)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(name, 1, 1, "", f"invalid YAML: {exc}")) from None
    except RecursionError:
        raise InputError(Problem(name, 1, 1, "", "invalid YAML: nesting is too deep")) from None
    finally:
        loader.dispose()
    source = Source(name, node, _duplicate_problems(loader, name))
    if data is None:
        raise InputError(Problem(name, 1, 1, "", "file is empty (expected a YAML mapping)"))
    return data, source


def _open_loader(text: str, name: str, kind: type[_Loader | _FastLoader]) -> _Loader | _FastLoader:
    """A loader over ``text``, refusing control characters with their line and column."""
    try:
        return kind(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(
            Problem(
                name,
                line,
                column,
                "",
                f"invalid YAML: control character 0x{exc.character:02x} is not allowed (save the file as plain text)",
            )
        ) from None


def _check_expansion(node: yaml.Node | None, name: str) -> None:
    """Refuse a document whose aliases expand past ``MAX_VALUES`` or break a guard."""
    try:
        if node is not None and _expanded_size(node) > MAX_VALUES:
            raise InputError(
                Problem(
                    name, 1, 1, "", f"document expands to more than {MAX_VALUES:,} values through aliases (refused)"
                )
            )
    except _Refused as exc:
        mark = exc.node.start_mark
        raise InputError(Problem(name, mark.line + 1, mark.column + 1, "", f"invalid YAML: {exc.message}")) from None


def _marked_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    """A located problem for a YAML error, naming refused tags plainly."""
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "invalid YAML"
    if "could not determine a constructor" in what:
        what = f"tag {what.split('tag ')[-1].strip()} is not allowed (plain YAML only)"
    elif exc.context and exc.context_mark and exc.problem_mark:
        what += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    return Problem(name, (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1, "", f"invalid YAML: {what}")


def _duplicate_problems(loader: _Loader | _FastLoader, name: str) -> tuple[Problem, ...]:
    """One problem per key that appears twice in a mapping, at the second one."""
    return tuple(
        Problem(
            name,
            k.start_mark.line + 1,
            k.start_mark.column + 1,
            "",
            f"duplicate key '{key}' (each key may appear once)",
        )
        for k, key in loader.duplicates
    )


def load_yaml(path: Path) -> tuple[Any, Source]:
    name = display_path(path)
    return parse_yaml(read_text(path, name), name)


def short_repr(value: Any) -> str:
    """A value for an error message: never more than 40 characters, never a walk of a huge structure."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
