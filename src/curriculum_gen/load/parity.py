"""A translation against the English curricula: the same files, items and structure, its own words.

The rule comes from the models. A string is words people read, which a translation gives
in its own language, unless it is an id (a ``Slug``: it carries a pattern) or is marked
``SameInEveryLanguage`` (a ``Citation``: ``source`` cites the English article). Everything
else is the same in both files: ids, numbers, flags, kinds, skill and risk keys, which
handouts and cards are named, every list's length and every mapping's keys, and whether
an optional text is there at all. A text identical to the English one and reading as
English is reported as left untranslated.

Each problem is located in the translated file, or in the English file when the
translation lacks a whole item (a card, a step, a debrief question, a handout line).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Hashable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel

from curriculum_gen.errors import Problem, display_path
from curriculum_gen.load.library import Library
from curriculum_gen.load.yaml_source import Loc, Source, short_repr
from curriculum_gen.models import SameInEveryLanguage

LEFT_IN_ENGLISH_WORDS = 4
"""A text this many words long or longer, identical to the English and reading as English, was not translated.

Shorter ones (a name such as "WorkSafeBC", "CV", a phone number) may well be the same in both languages.
"""
_ENGLISH_WORDS = frozenset(
    (  # noqa: SIM905 (words read better as a sentence than as 38 quoted items)
        "the and of to you your is are with for what how this that it be can will who when "
        "they their them from about have has was were do does not at by or if our we"
    ).split()
)
"""Common English words that are not French words: a text holding one reads as English."""


@dataclass(frozen=True)
class Curricula:
    """One language's curricula: the library and the folder its files are read from."""

    library: Library
    root: Path

    def relative(self) -> dict[str, Path]:
        """Each file's path relative to ``root``, by the name its problems are located with."""
        return {display_path(path): path.relative_to(self.root) for path in self.library.files}


def check_parity(english: Curricula, translated: Curricula, language: str, unloaded: frozenset[Path]) -> list[Problem]:
    """Every difference between the English curricula and a translation's, located.

    Args:
        english: the English library, loaded and checked.
        translated: the translation's library, from the files that loaded.
        language: the translation's name in messages ("French").
        unloaded: translated files (relative paths) that failed to load; their problems are
            reported already, and their items are not said to be missing.
    """
    problems = _file_problems(english, translated, language)
    english_files, translated_files = english.relative(), translated.relative()
    skipped = (set(english_files.values()) - set(translated_files.values())) | unloaded
    theirs = translated.library.items()
    for key, item in english.library.items().items():
        source, loc = english.library.where[key]
        other = theirs.get(key)
        if other is None:
            if english_files[source.name] not in skipped:
                there = display_path(translated.root / english_files[source.name])
                problems.append(source.problem(loc, f"missing from the {language} file {there} (translate it there)"))
            continue
        other_source, other_loc = translated.library.where[key]
        if english_files[source.name] != translated_files[other_source.name]:
            problems.append(
                other_source.problem(
                    other_loc,
                    f"is in {english_files[source.name].as_posix()} in English: keep it in the same file "
                    f"({display_path(translated.root / english_files[source.name])})",
                )
            )
        comparison = _Comparison(_Side(source, tuple(loc)), _Side(other_source, tuple(other_loc)), language)
        comparison.value(type(item), item, other, (), ())
        problems += comparison.problems
    for key in theirs.keys() - english.library.items().keys():
        source, loc = translated.library.where[key]
        if translated_files[source.name] in set(english_files.values()):  # a file with no English one is one line
            problems.append(source.problem(loc, "not in the English curricula (a translation holds the same items)"))
    return problems


def _file_problems(english: Curricula, translated: Curricula, language: str) -> list[Problem]:
    """A translated file missing altogether, or one with no English file: one line each."""
    ours = {path.relative_to(english.root) for path in english.library.files}
    theirs = {path.relative_to(translated.root) for path in translated.library.files}
    missing = [
        Problem(
            display_path(translated.root / rel),
            message=f"{language} file is missing (the {language} version of {display_path(english.root / rel)})",
        )
        for rel in sorted(ours - theirs)
    ]
    extra = [
        Problem(
            display_path(translated.root / rel),
            message=f"no English file {display_path(english.root / rel)}: this folder holds the {language} "
            f"version of each file under {display_path(english.root)}/, path for path",
        )
        for rel in sorted(theirs - ours)
    ]
    return missing + extra


@dataclass(frozen=True)
class _Side:
    """One language's copy of an item: its file and where the item starts in it."""

    source: Source
    prefix: tuple[int | str, ...]

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        return self.source.problem((*self.prefix, *loc), message, key=key)

    def where(self, loc: Loc) -> str:
        found = self.problem(loc, "")
        return f"{found.file}:{found.line}"

    def has(self, loc: Loc) -> bool:
        return self.source.find((*self.prefix, *loc))[1]

    def written(self, loc: Loc, value: Any) -> str:
        """A value as the file writes it (``1``, not the ``1.0`` it was read into) when it is a short scalar there."""
        node, exact = self.source.find((*self.prefix, *loc))
        if not (exact and isinstance(node, yaml.ScalarNode) and len(node.value) <= 40):
            return _shown(value)
        return f"'{node.value}'" if isinstance(value, str | Enum) else str(node.value)


class _Comparison:
    """Walks an English item and its translation together, by the model's types, collecting problems."""

    def __init__(self, english: _Side, translated: _Side, language: str) -> None:
        self.english, self.translated, self.language = english, translated, language
        self.problems: list[Problem] = []

    def value(self, tp: Any, ours: Any, theirs: Any, at: Loc, there: Loc) -> None:
        """Compare one value of type ``tp``: ``at`` is its place in the English item, ``there`` in the translation."""
        kind, inner = _shape(tp)
        if kind == "same":
            self._same(ours, theirs, at, there, kept=inner is not None)
        elif kind == "text":
            self._text(ours, theirs, at, there)
        elif (ours is None) != (theirs is None):
            self._presence(ours is not None, at, there)
        elif ours is None:
            return
        elif kind == "optional":
            self.value(inner, ours, theirs, at, there)
        elif kind == "model":
            for name, field in inner.model_fields.items():
                self.value(
                    field.rebuild_annotation(), getattr(ours, name), getattr(theirs, name), (*at, name), (*there, name)
                )
        elif kind == "dict":
            self._mapping(inner, ours, theirs, at, there)
        else:
            self._list(inner, ours, theirs, at, there)

    def _same(self, ours: Any, theirs: Any, at: Loc, there: Loc, *, kept: bool) -> None:
        if ours == theirs:
            return
        where = self.english.where(at)
        if kept:
            message = f"differs from the English ({where}): it stays word for word in every language"
        elif not self.translated.has(there):
            message = f"missing; the English file has {_shown(ours)} ({where})"
        else:
            shown, english = self.translated.written(there, theirs), self.english.written(at, ours)
            message = f"{shown} here but {english} in English ({where}): "
            message += "a translation changes only the words"
        self.problems.append(self.translated.problem(there, message))

    def _text(self, ours: str | None, theirs: str | None, at: Loc, there: Loc) -> None:
        if bool(ours) != bool(theirs):
            self._presence(bool(ours), at, there)
        elif ours and ours == theirs and reads_as_english(ours):
            self.problems.append(
                self.translated.problem(
                    there, f"left in English (the same words as {self.english.where(at)}): translate it"
                )
            )

    def _presence(self, in_english: bool, at: Loc, there: Loc) -> None:
        """A whole value or item in one language only: located where it is."""
        if in_english:
            self.problems.append(
                self.english.problem(
                    at, f"missing from the {self.language} ({self.translated.where(there)}): translate it there"
                )
            )
        else:
            self.problems.append(
                self.translated.problem(there, f"not in the English ({self.english.where(at)}): remove it or add it")
            )

    def _mapping(self, tp: Any, ours: dict[Any, Any], theirs: dict[Any, Any], at: Loc, there: Loc) -> None:
        for key in ours.keys() - theirs.keys():
            self.problems.append(
                self.english.problem(
                    (*at, key), f"missing from the {self.language} ({self.translated.where(there)})", key=True
                )
            )
        for key in theirs.keys() - ours.keys():
            self.problems.append(
                self.translated.problem((*there, key), f"not in the English ({self.english.where(at)})", key=True)
            )
        for key in ours.keys() & theirs.keys():
            self.value(tp, ours[key], theirs[key], (*at, key), (*there, key))

    def _list(self, tp: Any, ours: list[Any], theirs: list[Any], at: Loc, there: Loc) -> None:
        """Items paired by their structure (ids, minutes, skills), so a dropped step is named, not the ones after it."""
        matcher = difflib.SequenceMatcher(
            None, [_structure(tp, v) for v in ours], [_structure(tp, v) for v in theirs], autojunk=False
        )
        for _, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                self.value(tp, ours[i1 + k], theirs[j1 + k], (*at, i1 + k), (*there, j1 + k))
            for i in range(i1 + paired, i2):
                self._presence(True, (*at, i), there)
            for j in range(j1 + paired, j2):
                self._presence(False, at, (*there, j))


def _shape(tp: Any) -> tuple[str, Any]:
    """How a type is compared: ``text``, ``same`` (inner is a marker when kept word for word),
    ``optional``, ``model``, ``dict`` or ``list`` (inner is what they hold)."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        base, *metadata = typing.get_args(tp)
        if any(isinstance(m, SameInEveryLanguage) for m in metadata):
            return "same", SameInEveryLanguage
        return ("same", None) if _has_pattern(metadata) else _shape(base)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            return "same", None
        inner = _shape(args[0])
        return inner if inner[0] == "same" else ("optional", args[0])
    if origin is list:
        return "list", typing.get_args(tp)[0]
    if origin is dict:
        return "dict", typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "model", tp
    return ("text", None) if tp is str else ("same", None)


def _has_pattern(metadata: list[Any]) -> bool:
    """Whether a constraint holds a pattern (an id), looking inside pydantic's ``FieldInfo`` too."""
    return any(getattr(m, "pattern", None) or _has_pattern(list(getattr(m, "metadata", []))) for m in metadata)


def _structure(tp: Any, value: Any) -> Hashable:
    """What a translation keeps of a value: texts become whether they are there."""
    kind, inner = _shape(tp)
    if value is None or kind == "same":
        return _hashable(value)
    if kind == "text":
        return bool(value)
    if kind == "optional":
        return _structure(inner, value)
    if kind == "model":
        return tuple(_structure(f.rebuild_annotation(), getattr(value, n)) for n, f in inner.model_fields.items())
    if kind == "dict":
        return tuple(sorted((str(k), _structure(inner, v)) for k, v in value.items()))
    return tuple(_structure(inner, v) for v in value)


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    return value.value if isinstance(value, Enum) else value  # type: ignore[no-any-return]


def _shown(value: Any) -> str:
    return short_repr(value.value if isinstance(value, Enum) else value)


def reads_as_english(text: str) -> bool:
    """Whether a text is long enough and English enough to have been left untranslated."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return len(text.split()) >= LEFT_IN_ENGLISH_WORDS and any(word in _ENGLISH_WORDS for word in words)
