"""The library: every curriculum file of a workspace, loaded, with where each item was defined."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from curriculum_gen.errors import Problem
from curriculum_gen.load.yaml_source import Loc, Source
from curriculum_gen.models import (
    Activity,
    Frame,
    GroundRules,
    Handout,
    InformalStrategies,
    Program,
    ReferenceGroup,
    ReferenceTable,
)


@dataclass
class Library:
    """Every curriculum file of a workspace, loaded and cross-checked."""

    programs: dict[str, Program] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    handouts: dict[str, Handout] = field(default_factory=dict)
    references: dict[str, tuple[ReferenceGroup, ReferenceTable]] = field(default_factory=dict)
    """Client groups of the need-for-help table, usable as profiles."""
    tables: dict[str, ReferenceTable] = field(default_factory=dict)
    """Every reference table by its measure (need_help, self_sufficient, left_behind, referred)."""
    frame: Frame | None = None
    ground_rules: GroundRules | None = None
    informal: InformalStrategies | None = None
    files: list[Path] = field(default_factory=list)
    where: dict[str, tuple[Source, Loc]] = field(default_factory=dict)
    """``"activity:ID"`` etc. → the file and key path that defines it, for located messages."""
    warnings: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    """Duplicate ids and ids that do not match their file: reported with everything else."""
    incomplete: set[str] = field(default_factory=set)
    """Folders (or single files) that failed to load: references into them are not judged."""

    def locate(self, key: str, loc: Loc, message: str) -> Problem:
        source, prefix = self.where[key]
        return source.problem((*prefix, *loc), message)
