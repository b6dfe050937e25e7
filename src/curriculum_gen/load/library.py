"""The library: every curriculum file of a workspace, loaded, with where each item was defined."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from curriculum_gen.errors import Problem
from curriculum_gen.load.yaml_source import Loc, Source
from curriculum_gen.models import (
    Activity,
    Frame,
    GroundRules,
    Handout,
    InformalStrategies,
    Preparation,
    Program,
    ReferenceGroup,
    ReferenceTable,
    RunningTheRoom,
)


@dataclass(frozen=True)
class LoadReport:
    """What loading found that is not an error: shown by ``validate`` and with every pack built."""

    warnings: tuple[Problem, ...] = ()
    """Activity cards and handouts nothing uses, in the order they were found."""


@dataclass(frozen=True, eq=False, kw_only=True)
class Library:
    """Every curriculum file of a workspace, loaded and cross-checked: a value no one changes.

    Made only by :func:`curriculum_gen.load.workspace.load_library`, whose mappings are
    read-only views (``types.MappingProxyType``) over frozen models. Two loads are two
    libraries: a library is compared by identity.
    """

    programs: Mapping[str, Program]
    activities: Mapping[str, Activity]
    handouts: Mapping[str, Handout]
    references: Mapping[str, tuple[ReferenceGroup, ReferenceTable]]
    """Client groups of the need-for-help table, usable as profiles."""
    tables: Mapping[str, ReferenceTable]
    """Every reference table by its measure (need_help, self_sufficient, left_behind, referred)."""
    frame: Frame | None
    ground_rules: GroundRules | None
    informal: InformalStrategies | None
    preparation: Preparation | None
    """What every workshop needs arranged ahead (``preparation.yaml``): the start of the preparation timeline."""
    room: RunningTheRoom | None
    """Session 1 housekeeping and what to do in hard moments (``running-the-room.yaml``): the guide's 'Running the room'."""
    files: tuple[Path, ...]
    """Every curriculum file read, in path order: the pack's manifest records their hashes."""
    where: Mapping[str, tuple[Source, Loc]]
    """``"activity:ID"`` etc. → the file and key path that defines it, for located messages."""
    report: LoadReport = LoadReport()
    """What loading found besides the curricula (warnings), kept apart from them."""
    language: str = "en"
    """The language of its words: ``en`` for ``curricula/``, ``fr`` for ``curricula/fr/`` (same ids and numbers)."""

    def items(self) -> dict[str, BaseModel]:
        """Every item by its key in ``where``: programs, activities, handouts, tables and the single files.

        A single file's key is its library attribute with a dash (``ground-rules`` is ``ground_rules``);
        reference groups are left out, as they are part of their table.
        """
        found: dict[str, BaseModel] = {}
        kinds: dict[str, Mapping[str, BaseModel]] = {
            "program": self.programs,
            "activity": self.activities,
            "handout": self.handouts,
            "table": self.tables,
        }
        for key in self.where:
            kind, _, name = key.partition(":")
            if kind in kinds:
                found[key] = kinds[kind][name]
            elif not name:
                found[key] = getattr(self, key.replace("-", "_"))
        return found

    def locate(self, key: str, loc: Loc, message: str) -> Problem:
        """A problem at ``loc`` inside the item ``key`` (``"program:ID"``, ``"frame"``, …)."""
        source, prefix = self.where[key]
        return source.problem((*prefix, *loc), message)
