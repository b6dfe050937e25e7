"""The command line: thin Typer commands that build options and make one call each."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from curriculum_gen.render.formats import RenderSettings

from curriculum_gen import __version__
from curriculum_gen.errors import CurriculumError, escape

app = typer.Typer(
    name="curriculum-gen",
    help="Build workshop packs that weave soft-skill practice into every session.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(func: F) -> F:
    """Print each located problem on its own line (the first hundred, then a count) and exit 2; no traceback."""
    from curriculum_gen.errors import MAX_SHOWN

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CurriculumError as exc:
            for line in exc.lines(limit=MAX_SHOWN):
                typer.echo(line, err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"curriculum-gen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Build workshop packs that weave soft-skill practice into every session."""


def _render(format: str, paper: Paper, large_print: bool, agency: Path | None) -> RenderSettings:
    """The render settings of build, handout and batch, from their shared options."""
    from curriculum_gen.render.formats import FORMATS, RenderSettings

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in format.split(",") if f.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        from curriculum_gen.errors import unknown

        raise typer.BadParameter(
            "; ".join(unknown("format", f, FORMATS) for f in bad)
            or f"no format given (expected a list of {', '.join(FORMATS)})"
        )
    return RenderSettings(formats=chosen, paper=paper.value, large_print=large_print, agency=agency)


def _threshold(value: str) -> float:
    text = value.strip().rstrip("%")
    try:
        number = float(text)
    except ValueError:
        raise typer.BadParameter(f"expected a percent like 40 or 40%, got {value!r}") from None
    if not 0 <= number <= 100:
        raise typer.BadParameter(f"expected a percent from 0 to 100, got {value}")
    return number


class Paper(str, Enum):
    letter = "letter"
    a4 = "a4"


# options shared by build, handout and batch
PaperOption = Annotated[Paper, typer.Option(help="Page size of the Word and PDF files.")]
AgencyOption = Annotated[
    Path | None, typer.Option(help="Agency file: name, logo and local community resources.", dir_okay=False)
]
FormatOption = Annotated[
    str, typer.Option("--format", help="Comma-separated formats: md, html, docx, pdf (pdf needs LibreOffice).")
]
LargePrintOption = Annotated[bool, typer.Option("--large-print", help="Participant documents at 18 pt.")]

# planning and output options of build (and batch)
ProfileOption = Annotated[Path | None, typer.Option(help="Group profile YAML file.", dir_okay=False)]
ReferenceOption = Annotated[
    str | None, typer.Option(help="Reference profile instead of a file (default: all-clients).")
]
ProgramOption = Annotated[str | None, typer.Option(help="career-exploration, job-search or all (default: all).")]
SessionsOption = Annotated[int | None, typer.Option(min=1, max=52, help="Number of sessions (default: the program's).")]
MinutesOption = Annotated[
    int | None, typer.Option(min=30, max=480, help="Minutes per session (default: the program's).")
]
ThresholdOption = Annotated[
    str | None, typer.Option(help="Need (percent) at which a soft skill must be practised (default: 40).")
]
OutOption = Annotated[Path | None, typer.Option(help="Put the pack exactly in this folder (default: output/<group>/).")]
PlanOption = Annotated[Path | None, typer.Option(help="Render this plan.yaml instead of planning.", dir_okay=False)]
ParticipantsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=1_000_000,  # models.GROUP_MAX (not imported: --help stays quick)
        help="People expected, for copy counts (default: assessed, or 12).",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace a pack even if its files were edited.")]

AllowSmallGroupOption = Annotated[
    bool,
    typer.Option(
        "--allow-small-group", help="Accept a group of fewer than 5 people (small counts can identify people)."
    ),
]


def _check_sources(
    profile: Path | None,
    reference: str | None,
    plan: Path | None,
    program: str | None,
    sessions: int | None,
    minutes: int | None,
    threshold: str | None,
) -> None:
    """Refuse --profile with --reference, and --plan with any option the plan already fixes."""
    if profile is not None and reference is not None:
        raise typer.BadParameter("give --profile or --reference, not both")
    if plan is None:
        return
    given = [
        name
        for name, value in (
            ("--profile", profile),
            ("--reference", reference),
            ("--program", program),
            ("--sessions", sessions),
            ("--minutes", minutes),
            ("--threshold", threshold),
        )
        if value is not None
    ]
    if given:
        raise typer.BadParameter(
            f"--plan already fixes the group, programs, sessions and threshold; "
            f"drop {', '.join(given)} (or build without --plan)"
        )


@app.command()
@_handle_errors
def build(
    profile: ProfileOption = None,
    reference: ReferenceOption = None,
    program: ProgramOption = None,
    sessions: SessionsOption = None,
    minutes: MinutesOption = None,
    threshold: ThresholdOption = None,
    format: FormatOption = "md,html,docx",
    out: OutOption = None,
    plan: PlanOption = None,
    participants: ParticipantsOption = None,
    agency: AgencyOption = None,
    allow_small_group: AllowSmallGroupOption = False,
    force: ForceOption = False,
    large_print: LargePrintOption = False,
    paper: PaperOption = Paper.letter,
) -> None:
    """Plan a workshop for a group and write its pack: guide, ground rules, handouts."""
    from curriculum_gen.errors import display_path
    from curriculum_gen.pipeline import BuildOptions, build_pack

    _check_sources(profile, reference, plan, program, sessions, minutes, threshold)
    options = BuildOptions(
        profile=profile,
        reference=reference,
        program=program or "all",
        sessions=sessions,
        minutes=minutes,
        threshold=_threshold(threshold or "40"),
        render=_render(format, paper, large_print, agency),
        out=out,
        plan=plan,
        allow_small_group=allow_small_group,
        participants=participants,
        force=force,
    )
    result = build_pack(options)
    for warning in result.warnings:
        typer.echo(warning, err=True)
    typer.echo(
        f"Built {len(result.files)} files for '{escape(result.plan.group)}' in {escape(display_path(result.out))}"
    )


@app.command()
@_handle_errors
def validate(
    workspace: Annotated[Path | None, typer.Argument(help="Workspace folder (default: the one around you).")] = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check every curriculum file and cross-reference; exit 0 when all is well, 2 if not."""
    from curriculum_gen.errors import InputError
    from curriculum_gen.load.workspace import find_workspace, load_library, open_workspace
    from curriculum_gen.rehearsal import check_rendering
    from curriculum_gen.render.markdown import check_templates

    ws = open_workspace(workspace) if workspace else find_workspace()
    template_problems = check_templates(ws)
    try:
        library = load_library(ws)
    except InputError as exc:
        raise InputError(exc.problems + template_problems) from None
    # templates that parse are rendered once against a sample plan: a fault at run time shows now
    template_problems = template_problems or check_rendering(ws, library)
    if template_problems:
        raise InputError(template_problems)
    from curriculum_gen.load.readability import check_reading_level

    warnings = [*library.report.warnings, *check_reading_level(library)]
    for warning in warnings:
        typer.echo(f"{warning} (warning)", err=True)
    if strict and warnings:
        raise typer.Exit(2)
    typer.echo(
        f"OK: {len(library.programs)} programs, {len(library.activities)} activities, "
        f"{len(library.handouts)} handouts, {len(library.references)} reference profiles in {ws.curricula}"
    )


@app.command()
@_handle_errors
def handout(
    name: Annotated[str, typer.Argument(help="Handout id (see: curriculum-gen list handouts).")],
    format: FormatOption = "md,html,docx",
    out: Annotated[
        Path | None, typer.Option(help="Folder to write NAME.md etc. into (default: output/handouts/).")
    ] = None,
    agency: AgencyOption = None,
    large_print: LargePrintOption = False,
    paper: PaperOption = Paper.letter,
) -> None:
    """Render one handout on its own, e.g. to print for a one-to-one meeting."""
    from curriculum_gen.errors import display_path
    from curriculum_gen.pipeline import HandoutOptions, build_handout

    written = build_handout(HandoutOptions(name=name, render=_render(format, paper, large_print, agency), out=out))
    for path in written:
        typer.echo(f"Wrote {escape(display_path(path))}")


class Listable(str, Enum):
    programs = "programs"
    activities = "activities"
    handouts = "handouts"
    references = "references"


@app.command("list")
@_handle_errors
def list_items(
    what: Annotated[Listable, typer.Argument(help="What to list.")],
    skill: Annotated[str | None, typer.Option(help="Activities that build this soft skill.")] = None,
    program: Annotated[str | None, typer.Option(help="Activities of this program (or 'general').")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List programs, activities, handouts or reference profiles."""
    from curriculum_gen.cli.catalog import list_rows, print_rows

    rows = list_rows(what.value, skill=skill, program=program)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print_rows(what.value, rows)


@app.command()
@_handle_errors
def show(
    activity: Annotated[str, typer.Argument(help="Activity id (see: curriculum-gen list activities).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
) -> None:
    """Print one activity card in full: skills, timing, steps, debrief, adaptations."""
    from curriculum_gen.cli.catalog import card_json, print_card

    if as_json:
        typer.echo(json.dumps(card_json(activity), indent=2, ensure_ascii=False))
    else:
        print_card(activity)


@app.command()
@_handle_errors
def batch(
    profiles: Annotated[
        Path,
        typer.Argument(
            help="Folder of group profiles (*.yaml, *.csv; client lists as *.tsv or *.txt too).", file_okay=False
        ),
    ],
    out: Annotated[Path, typer.Option(help="Folder for the packs: one subfolder per profile.")],
    jobs: Annotated[int | None, typer.Option(min=1, max=256, help="Packs built at once (default: every core).")] = None,
    program: ProgramOption = None,
    sessions: SessionsOption = None,
    minutes: MinutesOption = None,
    format: FormatOption = "md,html,docx",
    allow_small_group: AllowSmallGroupOption = False,
    force: ForceOption = False,
    agency: AgencyOption = None,
    large_print: LargePrintOption = False,
    paper: PaperOption = Paper.letter,
) -> None:
    """Build one pack per profile in a folder, on every core; a bad profile fails only its own pack."""
    import sys
    import time

    from curriculum_gen.batch import find_profiles, report, run_batch
    from curriculum_gen.pipeline import BuildOptions

    template = BuildOptions(
        program=program or "all",
        sessions=sessions,
        minutes=minutes,
        render=_render(format, paper, large_print, agency),
        allow_small_group=allow_small_group,
        force=force,
    )
    total = len(find_profiles(profiles))
    started = time.perf_counter()
    outcomes = report(run_batch(profiles, out, template, jobs), total, sys.stderr.isatty(), typer.echo)
    elapsed = time.perf_counter() - started
    failed = sorted((o for o in outcomes if not o.ok), key=lambda o: o.profile)
    _print_batch_summary(len(outcomes) - len(failed), len(failed), elapsed)
    for outcome in failed:
        for line in outcome.problems:
            typer.echo(line, err=True)
    if failed:
        raise typer.Exit(2)


def _print_batch_summary(built: int, failed: int, elapsed: float) -> None:
    """One table: packs built and failed, the time taken and the packs per second."""
    from rich.table import Table

    from curriculum_gen.cli.tables import terminal

    table = Table(title="Batch summary", header_style="bold")
    for column in ("Built", "Failed", "Time", "Packs per second"):
        table.add_column(column, justify="right")
    table.add_row(str(built), str(failed), f"{elapsed:.1f} s", f"{(built + failed) / elapsed:.2f}" if elapsed else "-")
    terminal().print(table)


profile_app = typer.Typer(
    help="Group profiles: roll up per-client results, compare with national figures, compare before and after.",
    no_args_is_help=True,
)
app.add_typer(profile_app, name="profile")


def _alpha(value: float) -> float:
    if not 0 < value < 1:
        raise typer.BadParameter(f"expected a significance level between 0 and 1, got {value}")
    return value


def _holds_client_data(output: Path) -> bool:
    """Whether ``output`` (or what it links to) is, or is named like, a client list: never a profile's place."""
    import os

    from curriculum_gen.errors import CurriculumError
    from curriculum_gen.load.clients import CSV_SUFFIXES, is_client_file
    from curriculum_gen.load.yaml_source import read_text

    target = Path(os.path.realpath(output))
    if {output.suffix.lower(), target.suffix.lower()} & {*CSV_SUFFIXES, ".txt"}:
        return True
    try:
        return target.is_file() and is_client_file(target, read_text(target, str(output)))
    except CurriculumError:
        return False


@profile_app.command("from-csv")
@_handle_errors
def profile_from_csv(
    csv_file: Annotated[
        Path, typer.Argument(help="Per-client CSV: one row per client, one column per ERS factor.", dir_okay=False)
    ],
    group: Annotated[str, typer.Option(help="The group's name, e.g. 'Tuesday job club'.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the profile here (default: print it).", dir_okay=False)
    ] = None,
    client_group: Annotated[
        str | None, typer.Option(help="Reference client group, e.g. age-19-24 (for the guide's intervention advice).")
    ] = None,
    allow_small_group: AllowSmallGroupOption = False,
) -> None:
    """Roll a per-client CSV up into a group profile (counts only; client ids never leave)."""
    from curriculum_gen.errors import InputError, Problem
    from curriculum_gen.load.clients import profile_yaml
    from curriculum_gen.load.profiles import load_profile
    from curriculum_gen.write.files import check_output_path, write_text_file

    if output is not None:
        import os

        from curriculum_gen.errors import display_path

        check_output_path(output)
        try:
            same = os.path.samefile(output, csv_file)
        except OSError:  # either is missing or out of reach: not the same file
            same = False
        # -o through a symbolic link writes the file the link points to; a client list is never replaced
        if same or _holds_client_data(output):
            raise InputError(
                Problem(
                    display_path(output), 1, 1, "", "would overwrite client data (write the profile to a .yaml file)"
                )
            )
    profile = load_profile(csv_file, allow_small_group=allow_small_group, group=group)
    if client_group is not None:
        from curriculum_gen.load.workspace import find_workspace, load_library

        references = load_library(find_workspace()).references
        if client_group not in references:
            from curriculum_gen.errors import unknown

            raise InputError(
                Problem("--client-group", message=unknown("client group", client_group, sorted(references)))
            )
        profile = profile.model_copy(update={"client_group": client_group})
    text = profile_yaml(profile, csv_file.name)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(output, text)
        typer.echo(f"Wrote {escape(str(output))} ({profile.assessed} clients)", err=True)


@profile_app.command("show")
@_handle_errors
def profile_show(
    profile: Annotated[Path, typer.Argument(help="Group profile (YAML or per-client CSV).", dir_okay=False)],
    against: Annotated[str, typer.Option(help="Reference group to compare with.")] = "all-clients",
    alpha: Annotated[float, typer.Option(help="Significance level of the one-sided test.")] = 0.05,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    allow_small_group: AllowSmallGroupOption = False,
) -> None:
    """Compare a group's need for help with a national reference, skill by skill."""
    from curriculum_gen.load.profiles import load_profile
    from curriculum_gen.load.workspace import find_workspace, load_library
    from curriculum_gen.plan.analysis import compare_needs, reference_values

    library = load_library(find_workspace())
    group = load_profile(profile, allow_small_group=allow_small_group, library=library)
    reference, title = reference_values(library, against)
    rows = compare_needs(
        {s: (n.percent, n.count) for s, n in group.needs_help.items()}, group.assessed, reference, _alpha(alpha)
    )
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in rows], indent=2))
        return
    from curriculum_gen.cli.tables import print_need_rows

    print_need_rows(group.group, group.assessed, title, rows, alpha)


@profile_app.command("compare")
@_handle_errors
def profile_compare(
    before: Annotated[Path, typer.Argument(help="Results before (per-client CSV or profile).", dir_okay=False)],
    after: Annotated[Path, typer.Argument(help="Results after (per-client CSV or profile).", dir_okay=False)],
    alpha: Annotated[float, typer.Option(help="Significance level.")] = 0.05,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Also write an evaluation report (md, html, docx) here.", file_okay=False)
    ] = None,
    allow_small_group: AllowSmallGroupOption = False,
) -> None:
    """Who became self-sufficient: before against after, per soft skill, with a significance test."""
    from curriculum_gen.cli.tables import print_change_rows
    from curriculum_gen.evaluation import write_evaluation_report
    from curriculum_gen.load.workspace import find_workspace, load_library
    from curriculum_gen.plan.analysis import compare_before_after

    workspace = find_workspace()
    library = load_library(workspace)
    result = compare_before_after(before, after, library, alpha=_alpha(alpha), allow_small_group=allow_small_group)
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in result.rows], indent=2))
    else:
        print_change_rows(result, alpha)
    if report is not None:
        for path in write_evaluation_report(result, alpha, workspace, report):
            typer.echo(f"Wrote {escape(str(path))}", err=True)


def main() -> None:
    """Console-script entry point."""
    import signal

    def stop(signum: int, frame: object) -> None:
        # a terminated build unwinds like Ctrl-C, so its temporary folder is removed
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        app(prog_name="curriculum-gen")
    finally:
        # the work is done: a stop while Python shuts down just ends it, with no traceback
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)


if __name__ == "__main__":  # pragma: no cover
    main()
