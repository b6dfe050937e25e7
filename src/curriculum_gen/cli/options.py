"""What the commands share: error handling, options declared once, and the values they turn into."""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from curriculum_gen.errors import CurriculumError

if TYPE_CHECKING:
    from curriculum_gen.render.formats import RenderSettings

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
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


def render_settings(
    format: str, paper: Paper, large_print: bool, agency: Path | None, lang: str = "en"
) -> RenderSettings:
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
    return RenderSettings(
        formats=chosen, paper=paper.value, large_print=large_print, agency=agency, languages=languages(lang)
    )


def languages(value: str) -> tuple[str, ...]:
    """A ``--lang`` as given: ``en``, ``fr``, or both (``en,fr``: the first one's pack in the folder asked for)."""
    from curriculum_gen.i18n import LANGUAGES

    chosen = tuple(dict.fromkeys(code.strip().lower() for code in value.split(",") if code.strip()))
    bad = [code for code in chosen if code not in LANGUAGES]
    if bad or not chosen:
        from curriculum_gen.errors import unknown

        raise typer.BadParameter(
            "; ".join(unknown("language", code, LANGUAGES) for code in bad)
            or f"no language given (expected {', '.join(LANGUAGES)} or both, e.g. en,fr)",
            param_hint="--lang",
        )
    return chosen


def group_name(value: str | None) -> str | None:
    """A ``--group-name`` as people write it: one line of at most 200 characters."""
    if value is None:
        return None
    from curriculum_gen.models import check_group_name

    try:
        return check_group_name(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--group-name") from None


def cover_line(value: str | None, field: str) -> str | None:
    """A ``--facilitator`` or ``--dates`` for the guide's cover: one line of at most 200 characters."""
    if value is None:
        return None
    from curriculum_gen.models import COVER_LINES, check_line

    try:
        return check_line(value, field, COVER_LINES[field])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"--{field}") from None


def threshold_percent(value: str) -> float:
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
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of the documents: en, fr, or both (en,fr: the first in the folder asked for, "
        "the other beside it with -fr or -en added to its name).",
    ),
]

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
        help="People expected, for copy counts and attendance rows (default: assessed, or 12).",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace a pack even if its files were edited.")]
GroupNameOption = Annotated[
    str | None,
    typer.Option(
        "--group-name",
        help="The group's name as participant sheets show it (default: the group's name, without '(reference)').",
    ),
]
FacilitatorOption = Annotated[
    str | None,
    typer.Option(
        help="Who runs the sessions, printed on the guide's cover and kept in plan.yaml "
        "(default: a blank to fill in by hand).",
    ),
]
DatesOption = Annotated[
    str | None,
    typer.Option(
        help="When the sessions run, as the guide's cover prints it, such as 'Tuesdays, 3 to 24 March 2026'; "
        "kept in plan.yaml (default: a blank to fill in by hand).",
    ),
]

AllowSmallGroupOption = Annotated[
    bool,
    typer.Option(
        "--allow-small-group", help="Accept a group of fewer than 5 people (small counts can identify people)."
    ),
]
