"""``curriculum-gen profile``: roll up per-client results, compare with national figures, before and after."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from curriculum_gen.cli.options import AllowSmallGroupOption, LangOption, handle_errors, languages
from curriculum_gen.errors import escape

profile_app = typer.Typer(
    help="Group profiles: roll up per-client results, compare with national figures, compare before and after.",
    no_args_is_help=True,
)


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
@handle_errors
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
@handle_errors
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
@handle_errors
def profile_compare(
    before: Annotated[Path, typer.Argument(help="Results before (per-client CSV or profile).", dir_okay=False)],
    after: Annotated[Path, typer.Argument(help="Results after (per-client CSV or profile).", dir_okay=False)],
    alpha: Annotated[float, typer.Option(help="Significance level.")] = 0.05,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Also write an evaluation report (md, html, docx) here.", file_okay=False)
    ] = None,
    allow_small_group: AllowSmallGroupOption = False,
    lang: LangOption = "en",
) -> None:
    """Who became self-sufficient: before against after, per soft skill, with a significance test.

    ``--lang`` is the report's language (the table printed here stays English).
    """
    from curriculum_gen.cli.tables import print_change_rows
    from curriculum_gen.evaluation import write_evaluation_report
    from curriculum_gen.load.workspace import find_workspace, load_library
    from curriculum_gen.plan.analysis import compare_before_after

    chosen = languages(lang)
    workspace = find_workspace()
    library = load_library(workspace)
    result = compare_before_after(before, after, library, alpha=_alpha(alpha), allow_small_group=allow_small_group)
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in result.rows], indent=2))
    else:
        print_change_rows(result, alpha)
    if report is not None:
        for path in write_evaluation_report(result, alpha, workspace, report, chosen):
            typer.echo(f"Wrote {escape(str(path))}", err=True)
