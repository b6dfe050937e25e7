"""French keys read as their English ones: the ERS factors' French names and the renaming of a YAML file's keys.

Each loader holds its own table of French words (``profiles.FRENCH``, ``clients.FRENCH``,
``agency.FRENCH``); this module holds what they share. A French word is matched without
accents, case or spacing (:func:`normal`), so ``Efficacité personnelle``, ``efficacite
personnelle`` and ``efficacite_personnelle`` are one key; English keys are matched as
written, as before. A file may mix the two languages; its messages suggest keys in the
language most of its keys are written in.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from curriculum_gen.errors import Problem
from curriculum_gen.load.yaml_source import Source

FACTOR_NAMES: dict[str, tuple[str, ...]] = {
    "self_efficacy": ("efficacité personnelle", "auto-efficacité"),
    "outcome_expectancy": ("attentes de résultats", "attente de résultats", "attentes à l'égard des résultats"),
    "social_supports": ("soutien social", "soutiens sociaux"),
    "work_history": ("antécédents de travail", "antécédents professionnels", "expérience de travail"),
    "job_maintenance": ("maintien en emploi", "maintien dans l'emploi"),
    "career_decision_making": ("prise de décision de carrière", "prise de décisions de carrière", "choix de carrière"),
    "skills_enhancement": ("amélioration des compétences", "perfectionnement des compétences"),
    "job_search": ("recherche d'emploi",),
    "ongoing_career_management": ("gestion continue de carrière", "gestion continue de la carrière"),
}
"""Every ERS factor's French names (curricula/fr/GLOSSARY.md): the first is the one messages suggest."""

KeyTable = Mapping[tuple[str, ...], Mapping[str, tuple[str, ...]]]
"""A file kind's French keys: at each place in the file (a path of English keys, ``*`` for any list item),
each English key's French names, the first being the one messages suggest."""


def normal(word: str) -> str:
    """A word as it is matched: ``Efficacité personnelle`` → ``efficacite_personnelle`` (no accents, lower case, ``_``)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain.casefold()).strip("_")


def french_words(names: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """``{English: French names}`` → ``{French name as matched: English}``."""
    return {normal(french): english for english, frenches in names.items() for french in frenches}


def rename_keys(data: Any, source: Source, table: KeyTable) -> Source:
    """Rename the French keys of ``data`` (the file just parsed) to English, in place; its source, knowing them.

    The source still finds each renamed key's line and shows it as written
    (``besoins d'aide.efficacité personnelle``); when most of the file's keys are French,
    its messages name and suggest keys in French. A key written in both languages in one
    mapping (``group`` and ``groupe``) is reported where it repeats, as a duplicate key is.
    """
    renamed: dict[tuple[Any, ...], str] = {}
    repeated: list[tuple[tuple[Any, ...], str, str]] = []
    counts = {"en": 0, "fr": 0}
    for place, names in table.items():
        words = french_words(names)
        for loc, mapping in list(_mappings(data, place)):
            read: dict[Any, Any] = {}
            for key, value in mapping.items():
                english = _english(key, names, words, counts)
                if english in read:
                    repeated.append((loc, key, renamed.get((*loc, english), english)))
                    continue
                if english != key:
                    renamed[(*loc, english)] = key
                read[english] = value
            mapping.clear()
            mapping.update(read)
    shown = {place: {english: french[0] for english, french in names.items()} for place, names in table.items()}
    source = dataclasses.replace(source, renamed=renamed, names=shown if counts["fr"] > counts["en"] else {})
    return dataclasses.replace(source, early=(*source.early, *(_repeated(source, *r) for r in repeated)))


def _english(key: Any, names: Mapping[str, tuple[str, ...]], words: Mapping[str, str], counts: dict[str, int]) -> Any:
    """The English key ``key`` stands for, counting the language it is written in (a word both share counts for neither)."""
    if not isinstance(key, str):
        return key
    french = words.get(normal(key))
    if key in names:
        counts["en"] += french != key
        return key
    if french is None:
        return key
    counts["fr"] += 1
    return french


def _repeated(source: Source, loc: tuple[Any, ...], key: str, first: str) -> Problem:
    """A key written twice in one mapping, once in each language: a problem at the second one."""
    parent, _ = source.find(loc)
    node = parent
    if isinstance(parent, yaml.MappingNode):
        node = next((k for k, _ in reversed(parent.value) if isinstance(k, yaml.ScalarNode) and k.value == key), parent)
    line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
    return Problem(
        source.name, line, column, "", f"duplicate key '{key}' (the same key as '{first}'; each key may appear once)"
    )


def _mappings(
    data: Any, place: tuple[str, ...], loc: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], dict[Any, Any]]]:
    """Every mapping at ``place`` in ``data``, with its path (list items numbered)."""
    if not place:
        if isinstance(data, dict):
            yield loc, data
        return
    head, rest = place[0], place[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _mappings(item, rest, (*loc, index))
    elif isinstance(data, dict) and head in data:
        yield from _mappings(data[head], rest, (*loc, head))
