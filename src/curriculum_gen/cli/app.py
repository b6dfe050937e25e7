"""The command line: thin Typer commands that build options and make one call each."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from curriculum_gen import __version__
from curriculum_gen.cli.options import (
    AgencyOption,
    AllowSmallGroupOption,
    DatesOption,
    FacilitatorOption,
    ForceOption,
    FormatOption,
    GroupNameOption,
    LangOption,
    LargePrintOption,
    MinutesOption,
    OutOption,
    Paper,
    PaperOption,
    ParticipantsOption,
    PlanOption,
    ProfileOption,
    ProgramOption,
    ReferenceOption,
    SessionsOption,
    ThresholdOption,
    cover_line,
    group_name,
    handle_errors,
    render_settings,
    threshold_percent,
)
from curriculum_gen.cli.profile import profile_app
from curriculum_gen.errors import escape

app = typer.Typer(
    name="curriculum-gen",
    help="Build workshop packs that weave soft-skill practice into every session.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(profile_app, name="profile")


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
@handle_errors
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
    group_name_shown: GroupNameOption = None,
    lang: LangOption = "en",
    facilitator: FacilitatorOption = None,
    dates: DatesOption = None,
) -> None:
    """Plan a workshop for a group and write its pack: guide, ground rules, handouts (in English, French or both)."""
    from curriculum_gen.errors import display_path
    from curriculum_gen.load.workspace import TRANSLATIONS
    from curriculum_gen.pipeline import BuildOptions, build_pack

    _check_sources(profile, reference, plan, program, sessions, minutes, threshold)
    options = BuildOptions(
        profile=profile,
        reference=reference,
        program=program or "all",
        sessions=sessions,
        minutes=minutes,
        threshold=threshold_percent(threshold or "40"),
        render=render_settings(format, paper, large_print, agency, lang),
        out=out,
        plan=plan,
        allow_small_group=allow_small_group,
        participants=participants,
        force=force,
        group_name=group_name(group_name_shown),
        facilitator=cover_line(facilitator, "facilitator"),
        dates=cover_line(dates, "dates"),
    )
    results = build_pack(options)
    names = {"en": "English", **TRANSLATIONS}
    for warning in results[0].warnings:
        typer.echo(warning, err=True)
    for result in results:
        typer.echo(
            f"Built {len(result.files)} files for '{escape(result.plan.group)}' in {escape(display_path(result.out))}"
            + (f" ({names[result.language]})" if len(results) > 1 else "")
        )


@app.command()
@handle_errors
def validate(
    workspace: Annotated[Path | None, typer.Argument(help="Workspace folder (default: the one around you).")] = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check every curriculum file and cross-reference; exit 0 when all is well, 2 if not.

    When curricula/fr/ is there, every file in it is checked against its English file too, and every
    string of the templates must have its French translation.
    """
    from curriculum_gen.errors import InputError
    from curriculum_gen.load.workspace import (
        TRANSLATIONS,
        find_workspace,
        load_library,
        load_translation,
        open_workspace,
        translations,
    )
    from curriculum_gen.rehearsal import check_rendering
    from curriculum_gen.render.localize import untranslated
    from curriculum_gen.render.markdown import check_templates, make_env, template_files

    ws = open_workspace(workspace) if workspace else find_workspace()
    template_problems = check_templates(ws)
    try:
        library = load_library(ws)
    except InputError as exc:
        raise InputError(exc.problems + template_problems) from None
    # templates that parse are rendered once against a sample plan: a fault at run time shows now
    problems = list(template_problems or check_rendering(ws, library))
    libraries = [library]
    for language in translations(ws):
        try:
            libraries.append(load_translation(ws, library, language))
        except InputError as exc:
            problems += exc.problems
        if not template_problems:  # every template string has its translation in the language's templates.po
            problems += untranslated(make_env(ws), [p for p in template_files(ws) if p.suffix == ".j2"], language)
    if problems:
        raise InputError(problems)
    from curriculum_gen.load.readability import check_reading_level

    warnings = [*library.report.warnings, *(w for lib in libraries for w in check_reading_level(lib))]
    for warning in warnings:
        typer.echo(f"{warning} (warning)", err=True)
    if strict and warnings:
        raise typer.Exit(2)
    typer.echo(
        f"OK: {len(library.programs)} programs, {len(library.activities)} activities, "
        f"{len(library.handouts)} handouts, {len(library.references)} reference profiles in {ws.curricula}"
        + "".join(
            f"; {TRANSLATIONS[lib.language]}: every file matches its English one and every template string is translated"
            for lib in libraries[1:]
        )
    )


@app.command()
@handle_errors
def handout(
    name: Annotated[str, typer.Argument(help="Handout id (see: curriculum-gen list handouts).")],
    format: FormatOption = "md,html,docx",
    out: Annotated[
        Path | None, typer.Option(help="Folder to write NAME.md etc. into (default: output/handouts/).")
    ] = None,
    agency: AgencyOption = None,
    large_print: LargePrintOption = False,
    paper: PaperOption = Paper.letter,
    lang: LangOption = "en",
) -> None:
    """Render one handout on its own, e.g. to print for a one-to-one meeting."""
    from curriculum_gen.errors import display_path
    from curriculum_gen.pipeline import HandoutOptions, build_handout

    written = build_handout(
        HandoutOptions(name=name, render=render_settings(format, paper, large_print, agency, lang), out=out)
    )
    for path in written:
        typer.echo(f"Wrote {escape(display_path(path))}")


class Listable(str, Enum):
    programs = "programs"
    activities = "activities"
    handouts = "handouts"
    references = "references"


@app.command("list")
@handle_errors
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
@handle_errors
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
@handle_errors
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
    lang: LangOption = "en",
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
        render=render_settings(format, paper, large_print, agency, lang),
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
