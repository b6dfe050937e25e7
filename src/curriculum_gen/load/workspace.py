"""Find the workspace and load its curricula into one :class:`Library`."""

from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from curriculum_gen.errors import (
    Collector,
    CurriculumError,
    InputError,
    Problem,
    WorkspaceError,
    display_path,
    unknown,
)
from curriculum_gen.i18n import language as in_language
from curriculum_gen.load.library import Library, LoadReport
from curriculum_gen.load.parity import Curricula, check_parity
from curriculum_gen.load.reading import UnreadableFile, check_input
from curriculum_gen.load.rules import check_library
from curriculum_gen.load.schema import load_model
from curriculum_gen.load.yaml_source import MAX_BYTES, Loc, Source
from curriculum_gen.models import (
    MEASURE_KEYS,
    Activity,
    ActivityFile,
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

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The installed package: its ``_data`` folder holds the shipped curricula and templates."""


@dataclass(frozen=True)
class Workspace:
    """A folder holding ``curricula/`` and ``templates/``."""

    root: Path
    shipped: bool = False

    @property
    def curricula(self) -> Path:
        return self.root / "curricula"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def template_dirs(self) -> list[Path]:
        """Template folders in precedence order: this workspace's, then the shipped ones."""
        dirs = [self.templates]
        shipped = shipped_workspace()
        if shipped and shipped.templates.resolve() != self.templates.resolve():
            dirs.append(shipped.templates)
        return dirs


def _is_workspace(folder: Path) -> bool:
    try:
        return (folder / "curricula").is_dir() and (folder / "templates").is_dir()
    except OSError:  # a folder that cannot be searched is not one we can use
        return False


def shipped_workspace() -> Workspace | None:
    """The copies shipped inside the wheel, or the source checkout for an editable install."""
    for candidate in (PACKAGE_DIR / "_data", PACKAGE_DIR.parent.parent):
        if _is_workspace(candidate):
            return Workspace(candidate, shipped=True)
    return None


def find_workspace(start: Path | None = None) -> Workspace:
    """The nearest workspace from ``start`` upwards, else the shipped one.

    Raises:
        WorkspaceError: when neither exists (a broken install).
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_workspace(folder):
            return _checked(Workspace(folder))
    shipped = shipped_workspace()
    if shipped is None:
        raise WorkspaceError("no workspace found and the shipped curricula are missing; reinstall curriculum-gen")
    return shipped


def open_workspace(path: Path) -> Workspace:
    """A workspace named explicitly, e.g. ``validate DIR``.

    Raises:
        WorkspaceError: not a workspace, a folder that cannot be searched, or a template
            file that is not a regular file.
    """
    try:
        os.stat(path / "curricula")
        problem = None
    except OSError as exc:  # a folder that cannot be searched, a name too long
        problem = None if exc.errno in (errno.ENOENT, errno.ENOTDIR) else f"cannot open the workspace ({exc.strerror})"
    if problem:
        raise WorkspaceError(Problem(display_path(path), 1, 1, "", problem))
    if not _is_workspace(path):
        raise WorkspaceError(
            [Problem(display_path(path), message="not a workspace (expected folders curricula/ and templates/)")]
        )
    return _checked(Workspace(path.resolve()))


def _checked(workspace: Workspace) -> Workspace:
    """The workspace, once every file under its ``templates/`` is a regular file we may read.

    Jinja2 reads templates itself; a FIFO or device there would block or never end.

    Raises:
        WorkspaceError: every such file (and every folder that cannot be read), located.
    """
    problems: list[Problem] = []
    for path, unreadable in _walk(workspace.templates):
        try:
            if unreadable is not None:
                raise UnreadableFile(display_path(path), unreadable)
            check_input(path, display_path(path), limit=MAX_BYTES)
        except UnreadableFile as exc:
            problems += exc.problems
    if problems:
        raise WorkspaceError(problems)
    return workspace


def _walk(root: Path) -> list[tuple[Path, str | None]]:
    """Every file under ``root`` in name order, and every folder that cannot be read, with why.

    Unlike ``Path.rglob``, a folder that cannot be listed is reported, not skipped in silence.
    """
    found: list[tuple[Path, str | None]] = []

    def unreadable(exc: OSError) -> None:
        found.append((Path(exc.filename) if exc.filename else root, f"cannot read folder ({exc.strerror})"))

    for folder, _, names in os.walk(root, onerror=unreadable):
        found += [(Path(folder) / name, None) for name in names]
    return sorted(found, key=lambda item: item[0])


_SINGLE: dict[str, tuple[type[Frame | GroundRules | InformalStrategies | Preparation | RunningTheRoom], str, str]] = {
    "frame.yaml": (Frame, "frame", "frame"),
    "ground-rules.yaml": (GroundRules, "ground_rules", "ground-rules"),
    "informal-strategies.yaml": (InformalStrategies, "informal", "informal"),
    "preparation.yaml": (Preparation, "preparation", "preparation"),
    "running-the-room.yaml": (RunningTheRoom, "room", "room"),
}
"""Each single file: its model, its attribute of the library, and its key in ``Library.where``."""
_FOLDERS = ("programs", "activities", "handouts", "reference")


@dataclass
class _Loading:
    """A library while :func:`load_library` reads it, and what went wrong on the way; it never leaves here."""

    programs: dict[str, Program] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    handouts: dict[str, Handout] = field(default_factory=dict)
    references: dict[str, tuple[ReferenceGroup, ReferenceTable]] = field(default_factory=dict)
    tables: dict[str, ReferenceTable] = field(default_factory=dict)
    frame: Frame | None = None
    ground_rules: GroundRules | None = None
    informal: InformalStrategies | None = None
    preparation: Preparation | None = None
    room: RunningTheRoom | None = None
    files: list[Path] = field(default_factory=list)
    where: dict[str, tuple[Source, Loc]] = field(default_factory=dict)
    duplicates: list[Problem] = field(default_factory=list)
    """Duplicate ids and ids that do not match their file: reported with everything else."""
    incomplete: set[str] = field(default_factory=set)
    """Folders (or single files) that failed to load: references into them are not judged."""
    failed: set[Path] = field(default_factory=set)
    """Files (relative to the curricula folder) that failed to load: a translation's are not compared."""

    def library(self) -> Library:
        """What was loaded so far, as a value: copies behind read-only views."""
        return Library(
            programs=MappingProxyType(dict(self.programs)),
            activities=MappingProxyType(dict(self.activities)),
            handouts=MappingProxyType(dict(self.handouts)),
            references=MappingProxyType(dict(self.references)),
            tables=MappingProxyType(dict(self.tables)),
            frame=self.frame,
            ground_rules=self.ground_rules,
            informal=self.informal,
            preparation=self.preparation,
            room=self.room,
            files=tuple(self.files),
            where=MappingProxyType(dict(self.where)),
        )


TRANSLATIONS = {"fr": "French"}
"""Folders of ``curricula/`` that hold the same files in another language (``curricula/fr/``), not more
curricula, with the language's name."""


def load_library(workspace: Workspace, language: str = "en") -> Library:
    """Load and cross-check every YAML file under ``curricula/``, in English or in a translation.

    Args:
        workspace: where ``curricula/`` is.
        language: ``en`` for ``curricula/`` itself, or a translation's folder (``fr``): the same
            library, ids, numbers and structure, with the words of ``curricula/fr/``, once every
            file there is checked against its English one (:func:`load_translation`).

    Returns:
        The library, its warnings in ``Library.report``.

    Raises:
        InputError: all problems of all files, each located.
    """
    lib = _Loading()
    errors = Collector()
    root = workspace.curricula
    _read_tree(root, lib, errors, skip=tuple(TRANSLATIONS))
    for name, (model, _, _) in _SINGLE.items():
        if not (root / name).is_file():
            errors.add(
                Problem(display_path(root / name), message=f"file is missing (expected a {model.__name__} file)")
            )
    # cross-references are checked even when some files failed, so one run shows everything
    errors.extend(lib.duplicates)
    library = lib.library()
    problems, warnings = check_library(library, frozenset(lib.incomplete))
    errors.extend(problems)
    errors.raise_if_any()
    english = replace(library, report=LoadReport(warnings=tuple(warnings)))
    return english if language == "en" else load_translation(workspace, english, language)


def load_libraries(workspace: Workspace, languages: tuple[str, ...]) -> dict[str, Library]:
    """The library in English and in each other language asked for (``curricula/fr/``, checked against the English).

    Raises:
        CurriculumError: a problem in any of them, or a language the workspace has no curricula for.
    """
    libraries = {"en": load_library(workspace)}
    for code in languages:
        if code not in libraries:
            with in_language(code):
                libraries[code] = load_translation(workspace, libraries["en"], code)
    return libraries


def translations(workspace: Workspace) -> list[str]:
    """The languages whose folder is in the workspace's ``curricula/`` (``validate`` checks each)."""
    return [language for language in TRANSLATIONS if (workspace.curricula / language).is_dir()]


def load_translation(workspace: Workspace, english: Library, language: str) -> Library:
    """The library in ``language``, read from ``curricula/LANGUAGE/`` and checked against ``english``.

    Every file there is the translation of the English file at the same path: the same items,
    ids, numbers and lists, its own words (:mod:`curriculum_gen.load.parity`). A plan made
    from the English library fits it as it is.

    Raises:
        InputError: an unknown language, no folder for it, every problem of its files and every
            difference from the English, each located.
    """
    if language not in TRANSLATIONS:
        raise InputError(Problem("--lang", message=unknown("language", language, ["en", *TRANSLATIONS])))
    name = TRANSLATIONS[language]
    root = workspace.curricula / language
    if not root.is_dir():
        raise InputError(
            Problem(
                display_path(root),
                message=f"no {name} curricula (expected the {name} version of each file under curricula/ here)",
            )
        )
    lib = _Loading()
    errors = Collector()
    _read_tree(root, lib, errors, skip=())
    errors.extend(lib.duplicates)
    translated = replace(lib.library(), language=language)
    errors.extend(
        check_parity(Curricula(english, workspace.curricula), Curricula(translated, root), name, frozenset(lib.failed))
    )
    errors.raise_if_any()
    return translated


def _read_tree(root: Path, lib: _Loading, errors: Collector, *, skip: tuple[str, ...]) -> None:
    """Load every YAML file under ``root`` (but the folders ``skip``) into ``lib``; problems go to ``errors``."""
    for path, unreadable in _walk(root):
        if unreadable is not None:
            errors.add(Problem(display_path(path), 1, 1, "", unreadable))
            lib.incomplete.add(path.relative_to(root).parts[0] if path != root else "curricula")
            continue
        rel = path.relative_to(root)
        if path.suffix not in (".yaml", ".yml") or rel.parts[0] in skip:
            continue
        lib.files.append(path)
        try:
            _load_one(lib, rel, path)
        except CurriculumError as exc:
            errors.extend(exc.problems)
            lib.incomplete.add(rel.parts[0] if len(rel.parts) > 1 else rel.stem)
            lib.failed.add(rel)


def _load_one(lib: _Loading, rel: Path, path: Path) -> None:
    top = rel.parts[0] if len(rel.parts) > 1 else ""
    if not top and rel.name in _SINGLE:
        kind, slot, key = _SINGLE[rel.name]
        model, source = load_model(path, kind)
        setattr(lib, slot, model)
        lib.where[key] = (source, ())
        return
    if top == "programs":
        program, source = load_model(path, Program)
        _register(lib.programs, lib, "program", program.id, program, source, (), path)
    elif top == "activities":
        bundle, source = load_model(path, ActivityFile)
        for i, activity in enumerate(bundle.activities):
            _register(lib.activities, lib, "activity", activity.id, activity, source, ("activities", i), path)
    elif top == "handouts":
        handout, source = load_model(path, Handout)
        _register(lib.handouts, lib, "handout", handout.id, handout, source, (), path)
    elif top == "reference":
        table, source = load_model(path, ReferenceTable)
        allowed = MEASURE_KEYS[table.measure]
        wrong = [
            source.problem(
                ("groups", gi, "values", key),
                f"'{key}' is not a row of a {table.measure} table (expected one of: {', '.join(allowed)})",
                key=True,
            )
            for gi, group in enumerate(table.groups)
            for key in group.values
            if key not in allowed
        ]
        if wrong:
            raise InputError(wrong)
        _register(lib.tables, lib, "table", table.measure, table, source, (), path)
        if table.measure == "need_help":
            for i, group in enumerate(table.groups):
                _register(lib.references, lib, "reference", group.id, (group, table), source, ("groups", i), path)
    else:
        raise InputError(
            Problem(
                display_path(path),
                1,
                1,
                "",
                message=f"unexpected file (curricula holds {', '.join(_SINGLE)} and the folders {', '.join(_FOLDERS)})",
            )
        )


def _register(
    table: dict[str, Any], lib: _Loading, kind: str, key: str, value: object, source: Source, loc: Loc, path: Path
) -> None:
    """Add one item by its id; a duplicate is reported but loading goes on, so later checks still run."""
    if key in table:
        first, first_loc = lib.where[f"{kind}:{key}"]
        there = first.problem((*first_loc, "measure" if kind == "table" else "id"), "")
        field_name = "measure" if kind == "table" else "id"
        lib.duplicates.append(
            source.problem(
                (*loc, field_name),
                f"duplicate {kind} {field_name} '{key}' (first defined at {there.file}:{there.line})",
            )
        )
        return
    if kind in ("program", "handout") and path.stem != key:
        lib.duplicates.append(source.problem((*loc, "id"), f"{kind} id '{key}' must match its file name '{path.stem}'"))
    table[key] = value
    lib.where[f"{kind}:{key}"] = (source, loc)
