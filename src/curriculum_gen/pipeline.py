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
from curriculum_gen.load.agency import Branding
from curriculum_gen.load.library import Library
from curriculum_gen.load.reading import read_input
from curriculum_gen.load.workspace import Workspace, find_workspace, load_library
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


@dataclass
class BuildResult:
    out: Path
    files: list[str]
    plan: Plan
    coverage: dict[str, int]
    warnings: list[str] = field(default_factory=list)


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
    from curriculum_gen.load.profiles import REFERENCE_MARK

    return plan.group.removesuffix(REFERENCE_MARK).strip() or plan.group


def make_plan(options: BuildOptions, workspace: Workspace, library: Library) -> Plan:
    """The plan to render: read from ``--plan`` or made from the profile."""
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


def build_pack(options: BuildOptions, loaded: tuple[Workspace, Library] | None = None) -> BuildResult:
    """Build a whole pack and move it into place.

    ``loaded`` passes a workspace and library already loaded (``batch`` loads them once).

    Raises:
        CurriculumError: any problem with inputs, templates or the output folder;
            in that case nothing is written.
    """
    if loaded is None:
        workspace = find_workspace(options.start)
        library = load_library(workspace)
    else:
        workspace, library = loaded
    brand = load_brand(options.render)
    plan = make_plan(options, workspace, library)
    out = options.out or (workspace.root if not workspace.shipped else Path.cwd()) / "output" / slugify(plan.group)
    out = out.resolve()  # "..", "." and symlinked parents would break the swap below
    check_output_path(out)
    check_target(out, force=options.force)
    shown = options.group_name or shown_group(plan)
    conversion = Conversion(
        options.render, workspace, subject=plan.group, shown_as=shown, when=source_date(), brand=brand
    )
    summary = summarise(plan, library)
    files = render_pack(plan, summary, library, workspace, conversion)
    cov = summary.coverage
    manifest = _manifest(options, plan, workspace, library, brand, files, cov)
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    write_pack(out, files, force=options.force)
    return BuildResult(out=out, files=sorted(files), plan=plan, coverage=cov, warnings=_warnings(plan, library, cov))


def _manifest(
    options: BuildOptions,
    plan: Plan,
    workspace: Workspace,
    library: Library,
    brand: Branding | None,
    files: dict[str, bytes],
    cov: dict[str, int],
) -> dict[str, object]:
    """What ``manifest.json`` records: version, options, and the SHA-256 of every input and output file."""
    from curriculum_gen.render.markdown import template_files

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
    """Render one handout on its own into ``out`` (default ``output/handouts``).

    Each file is written beside its target and renamed into place, so a reader never
    sees half a file; other files in the folder are left alone.

    Raises:
        CurriculumError: unknown handout, bad agency file, unwritable folder.
    """
    from curriculum_gen.render.markdown import make_env, render_handout

    workspace = find_workspace(options.start)
    library = load_library(workspace)
    if options.name not in library.handouts:
        raise InputError(
            Problem(
                "handout",
                message=unknown("handout", options.name, library.handouts, see="curriculum-gen list handouts"),
            )
        )
    brand = load_brand(options.render)
    from curriculum_gen.render.sandbox import template_budget

    handout = library.handouts[options.name]
    conversion = Conversion(options.render, workspace, subject=handout.title, when=source_date(), brand=brand)
    with template_budget():
        text = render_handout(make_env(workspace), handout, brand.agency if brand else None)
        files = convert([Document(options.name, text, Audience.PARTICIPANT)], conversion)
    out = options.out or (workspace.root if not workspace.shipped else Path.cwd()) / "output" / "handouts"
    return write_files(out, files)
