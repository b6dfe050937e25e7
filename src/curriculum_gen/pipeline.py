"""One pack (or one handout): load → plan → render → write, each stage called in turn.

Only write/ puts files where the user will find them (LibreOffice's scratch files for PDF aside).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from curriculum_gen import __version__
from curriculum_gen.errors import InputError, Problem, display_path, unknown
from curriculum_gen.i18n import language
from curriculum_gen.load.agency import Branding
from curriculum_gen.load.library import Library
from curriculum_gen.load.reading import read_input
from curriculum_gen.load.workspace import Workspace, find_workspace, load_libraries
from curriculum_gen.load.yaml_source import MAX_BYTES
from curriculum_gen.models import SKILL_TITLES, Plan
from curriculum_gen.plan.summary import PlanSummary, summarise
from curriculum_gen.render.formats import Audience, Conversion, Document, RenderSettings, convert
from curriculum_gen.write.files import check_output_path, check_target, sha256, write_files, write_pack

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """Everything ``curriculum-gen build`` was asked to do."""

    profile: Path | None = None
    reference: str | None = None
    program: str = "all"
    sessions: int | None = None
    minutes: int | None = None
    threshold: float = 40.0
    render: RenderSettings = field(default_factory=RenderSettings)
    """Formats, paper, print size and agency: how the pack is printed."""
    out: Path | None = None
    plan: Path | None = None
    allow_small_group: bool = False
    force: bool = False
    """Replace a pack even if its files were edited since it was built."""
    participants: int | None = None
    start: Path | None = None
    """Folder to look for a workspace from (the current folder by default)."""
    group_name: str | None = None
    """The group's name as participant sheets show it; by default the plan's group without '(reference)'."""
    facilitator: str | None = None
    """Who runs the sessions, for the guide's cover; kept in the plan (with ``--plan``, it replaces the plan's)."""
    dates: str | None = None
    """When the sessions run, for the guide's cover; kept in the plan like ``facilitator``."""


@dataclass
class BuildResult:
    out: Path
    files: list[str]
    plan: Plan
    coverage: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    language: str = "en"
    """The language its documents are written in."""


def slugify(text: str) -> str:
    """A safe, stable folder name: letters, digits and hyphens, at most 60 characters.

    Accents are dropped (Café → cafe); other scripts are kept (日本語 stays); a name with
    no letters at all gets a short hash, so two such groups never share a folder.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", plain).lower()).strip("-")
    slug = slug[:60].strip("-")
    if slug.split(".")[0] in _RESERVED:  # names Windows keeps for devices
        slug += "-group"
    return slug or "group-" + hashlib.sha256(text.encode()).hexdigest()[:8]


_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def source_date() -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC)


def shown_group(plan: Plan) -> str:
    """The group's name as participant sheets show it by default: without '(reference)'."""
    from curriculum_gen.load.profiles import without_reference_mark

    return without_reference_mark(plan.group).strip() or plan.group


def make_plan(options: BuildOptions, workspace: Workspace, library: Library) -> Plan:
    """The plan to render: read from ``--plan`` or made from the profile, with the cover's facilitator and dates."""
    plan = _plan(options, library)
    cover = {name: value for name, value in (("facilitator", options.facilitator), ("dates", options.dates)) if value}
    return plan.model_copy(update=cover) if cover else plan


def _plan(options: BuildOptions, library: Library) -> Plan:
    from curriculum_gen.load.planfile import load_plan
    from curriculum_gen.load.profiles import DEFAULT_REFERENCE, load_profile, national_percents, reference_profile
    from curriculum_gen.plan.planner import PlanOptions, plan_workshop

    if options.plan is not None:
        plan = load_plan(options.plan, library, allow_small_group=options.allow_small_group)
        return plan.model_copy(update={"participants": options.participants}) if options.participants else plan
    if options.profile is not None:
        profile = load_profile(options.profile, allow_small_group=options.allow_small_group, library=library)
    else:
        profile = reference_profile(library, options.reference or DEFAULT_REFERENCE)
    if options.program == "all":
        programs = tuple(sorted(library.programs))
    elif options.program in library.programs:
        programs = (options.program,)
    else:
        raise InputError(
            Problem("--program", message=unknown("program", options.program, sorted(library.programs), extra=("all",)))
        )
    chosen = [library.programs[p] for p in programs]
    sessions = options.sessions or sum(p.sessions for p in chosen)
    minutes = options.minutes or max(p.minutes for p in chosen)
    plan_options = PlanOptions(
        programs=programs,
        sessions=sessions,
        minutes=minutes,
        threshold=options.threshold,
        participants=options.participants,
    )
    return plan_workshop(profile, library, plan_options, national_percents(library))


def render_pack(
    plan: Plan, summary: PlanSummary, library: Library, workspace: Workspace, conversion: Conversion
) -> dict[str, bytes]:
    """Every file of the pack, in memory, keyed by its path inside the pack.

    All its templates share one allowance of template time and output (:func:`template_budget`).
    """
    from curriculum_gen.load.planfile import dump_plan
    from curriculum_gen.render.pack_pages import pack_documents
    from curriculum_gen.render.sandbox import template_budget

    brand = conversion.brand
    agency = brand.agency if brand else None
    with template_budget():
        documents = pack_documents(plan, summary, library, workspace, agency, conversion.settings.formats)
        files: dict[str, bytes] = {"plan.yaml": dump_plan(plan).encode()}
        files.update(convert(documents, conversion))
    return files


def load_brand(settings: RenderSettings) -> Branding | None:
    """The agency's details and logo, when the settings name an agency file."""
    if settings.agency is None:
        return None
    from curriculum_gen.load.agency import load_agency

    return load_agency(settings.agency)


def language_folder(out: Path, settings: RenderSettings, code: str) -> Path:
    """Where the pack (or file) in ``code`` goes: ``out`` for the first language asked, ``out-fr`` beside it for another."""
    return out if code == settings.languages[0] else out.with_name(f"{out.name}-{code}")


@dataclass
class _Pack:
    """One language's pack on its way: its settings, library and plan, then its files."""

    settings: RenderSettings
    library: Library
    plan: Plan
    out: Path = Path()
    files: dict[str, bytes] = field(default_factory=dict)
    coverage: dict[str, int] = field(default_factory=dict)


def build_pack(options: BuildOptions, loaded: tuple[Workspace, dict[str, Library]] | None = None) -> list[BuildResult]:
    """Build a whole pack in each language asked for and move each into place.

    The plan is made once per language, inside that language (its reasons in its words), and is the
    same plan in each: the same sessions and timed blocks. Every pack is rendered before any is
    written; each is then written whole, as one pack is. ``loaded`` passes a workspace and its
    libraries by language, already loaded (``batch`` loads them once).

    Returns:
        One result per language, in the order asked.

    Raises:
        CurriculumError: any problem with inputs, templates or the output folders;
            in that case nothing is written.
    """
    workspace, libraries = loaded or _load(options)
    brand = load_brand(options.render)
    packs = []
    for settings in options.render.each_language():
        with language(settings.language):
            library = libraries[settings.language]
            packs.append(_Pack(settings, library, make_plan(options, workspace, library)))
    check_same_plan([pack.plan for pack in packs])
    first = packs[0].plan
    out = options.out or (workspace.root if not workspace.shipped else Path.cwd()) / "output" / slugify(first.group)
    out = out.resolve()  # "..", "." and symlinked parents would break the swap below
    for pack in packs:
        pack.out = language_folder(out, options.render, pack.settings.language)
        check_output_path(pack.out)
        check_target(pack.out, force=options.force)
    for pack in packs:
        _render(options, workspace, brand, pack)
    for pack in packs:
        write_pack(pack.out, pack.files, force=options.force)
    return [
        BuildResult(
            out=pack.out,
            files=sorted(pack.files),
            plan=pack.plan,
            coverage=pack.coverage,
            warnings=_warnings(pack.plan, pack.library, pack.coverage) if pack is packs[0] else [],
            language=pack.settings.language,
        )
        for pack in packs
    ]


def _load(options: BuildOptions) -> tuple[Workspace, dict[str, Library]]:
    workspace = find_workspace(options.start)
    return workspace, load_libraries(workspace, options.render.languages)


def _render(options: BuildOptions, workspace: Workspace, brand: Branding | None, pack: _Pack) -> None:
    """A pack's files, with its manifest, in its language."""
    plan, library = pack.plan, pack.library
    with language(pack.settings.language):
        shown = options.group_name or shown_group(plan)
        conversion = Conversion(
            pack.settings, workspace, subject=plan.group, shown_as=shown, when=source_date(), brand=brand
        )
        summary = summarise(plan, library)
        pack.files = render_pack(plan, summary, library, workspace, conversion)
    pack.coverage = summary.coverage
    manifest = _manifest(options, pack, workspace, brand)
    pack.files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def check_same_plan(plans: list[Plan]) -> None:
    """Refuse plans in two languages that differ in anything but their words: a fault of the tool, not of the input.

    Each language's curricula have the ids, minutes and skills of the English ones (``validate`` checks it),
    so the planner, which reads only those, gives the same sessions and timed blocks in each.
    """
    shapes = {_shape(plan) for plan in plans}
    if len(shapes) > 1:
        raise RuntimeError("the plans made in each language differ in their blocks; please report this")


def _shape(plan: Plan) -> tuple[object, ...]:
    """What a plan is, without its words: each session's minutes and its blocks' kinds, cards, minutes and focus."""
    return tuple(
        (session.minutes, tuple((b.kind, b.activity, b.minutes, b.focus, b.component) for b in session.blocks))
        for session in plan.sessions
    )


def _manifest(options: BuildOptions, pack: _Pack, workspace: Workspace, brand: Branding | None) -> dict[str, object]:
    """What ``manifest.json`` records: version, options, and the SHA-256 of every input and output file."""
    from curriculum_gen.render.markdown import template_files

    plan, library, files, cov = pack.plan, pack.library, pack.files, pack.coverage
    agency = options.render.agency
    inputs = [p for p in (options.profile, options.plan, agency) if p is not None]
    if brand is not None and agency is not None:  # the files an agency file names
        inputs += [agency.parent / name for name in (brand.agency.logo, brand.agency.reference_doc) if name]
    inputs += [*library.files, *template_files(workspace)]
    return {
        "tool": "curriculum-gen",
        "version": __version__,
        "options": {
            "profile": display_path(options.profile) if options.profile else None,
            "reference": None if options.profile or options.plan else plan.reference,
            "plan": display_path(options.plan) if options.plan else None,
            "agency": display_path(agency) if agency else None,
            "participants": plan.participants,
            "group_name": options.group_name,
            "programs": plan.programs,
            "sessions": len(plan.sessions),
            "minutes": [s.minutes for s in plan.sessions],
            "threshold": plan.threshold,
            "formats": list(options.render.formats),
            "language": pack.settings.language,
        },
        "inputs": {_input_name(p, workspace): sha256(read_input(p, display_path(p), limit=MAX_BYTES)) for p in inputs},
        "outputs": {name: sha256(data) for name, data in sorted(files.items())},
        "coverage": cov,
    }


def _warnings(plan: Plan, library: Library, cov: dict[str, int]) -> list[str]:
    """What the facilitator should know about a pack that was built: group sizes, spare time, skills left out."""
    warnings = [str(w) for w in library.report.warnings]
    sizes = [
        library.activities[b.activity].size
        for s in plan.sessions
        for b in s.blocks
        if b.activity and b.activity in library.activities
    ]
    if sizes and not max(z.min for z in sizes) <= plan.participants <= min(z.max for z in sizes):
        warnings.append(
            f"warning: some planned activities are made for {max(z.min for z in sizes)} to "
            f"{min(z.max for z in sizes)} people, and {plan.participants} are expected; see each "
            "activity's set-up in the guide"
        )
    spare = [b.minutes for s in plan.sessions for b in s.blocks if b.kind == "catch-up"]
    if spare:
        warnings.append(
            f"warning: {sum(spare)} minutes in {len(spare)} blocks have no activity (the programs' "
            "activities cannot fill this much time); the guide marks them 'Practice and catch-up'"
        )
    warnings += [
        f"warning: '{_title(note.activity, library)}' was left out: {note.reason}"
        for note in plan.left_out
        if note.cause == "order"
    ]
    warnings += [
        f"warning: the core content '{_title(note.activity, library)}' was left out: {note.reason}; "
        f"give the workshop more sessions or minutes{', or plan one program' if len(plan.programs) > 1 else ''}"
        for note in plan.left_out
        if note.cause == "room" and (card := library.activities.get(note.activity)) is not None and card.core
    ]
    for need in plan.needs:
        if need.skill in cov and need.percent >= plan.threshold and cov[need.skill] == 0:
            warnings.append(
                f"warning: no planned activity practises {SKILL_TITLES[need.skill].lower()} "
                f"({need.percent:.0f}% need help); add activities or sessions"
            )
    return warnings


def _title(activity: str, library: Library) -> str:
    """An activity's title, or its id when the library does not have it (a hand-edited plan)."""
    card = library.activities.get(activity)
    return card.title if card is not None else activity


def _input_name(path: Path, workspace: Workspace) -> str:
    try:
        rel = path.resolve().relative_to(workspace.root)
        return rel.as_posix() if not workspace.shipped else f"(shipped)/{rel.as_posix()}"
    except ValueError:
        return display_path(path)


@dataclass(frozen=True)
class HandoutOptions:
    """Everything ``curriculum-gen handout`` was asked to do."""

    name: str
    render: RenderSettings = field(default_factory=RenderSettings)
    out: Path | None = None
    start: Path | None = None


def build_handout(options: HandoutOptions) -> list[Path]:
    """Render one handout on its own into ``out`` (default ``output/handouts``), in each language asked for:
    the first language's files in ``out``, another's beside it (``out-fr``).

    Each file is written beside its target and renamed into place, so a reader never
    sees half a file; other files in the folder are left alone. Every language is rendered
    before any file is written.

    Raises:
        CurriculumError: unknown handout, bad agency file, unwritable folder.
    """
    from curriculum_gen.render.markdown import make_env, render_handout
    from curriculum_gen.render.sandbox import template_budget

    workspace = find_workspace(options.start)
    libraries = load_libraries(workspace, options.render.languages)
    if options.name not in libraries["en"].handouts:
        raise InputError(
            Problem(
                "handout",
                message=unknown("handout", options.name, libraries["en"].handouts, see="curriculum-gen list handouts"),
            )
        )
    brand = load_brand(options.render)
    out = options.out or (workspace.root if not workspace.shipped else Path.cwd()) / "output" / "handouts"
    made: list[tuple[Path, dict[str, bytes]]] = []
    for settings in options.render.each_language():
        handout = libraries[settings.language].handouts[options.name]
        conversion = Conversion(settings, workspace, subject=handout.title, when=source_date(), brand=brand)
        with language(settings.language), template_budget():
            text = render_handout(make_env(workspace), handout, brand.agency if brand else None)
            files = convert([Document(options.name, text, Audience.PARTICIPANT)], conversion)
        made.append((language_folder(out, options.render, settings.language), files))
    return [path for folder, files in made for path in write_files(folder, files)]
