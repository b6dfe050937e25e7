"""Tables on the terminal: the rich console, need-for-help and before-and-after tables."""

from __future__ import annotations

from typing import Any

from curriculum_gen.evaluation import change_cells, method_note
from curriculum_gen.models import SKILL_TITLES
from curriculum_gen.plan.analysis import Comparison, NeedRow, format_p


def terminal(stderr: bool = False) -> Any:
    """A rich console that does not wrap lines when its output goes to a file or a pipe."""
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(highlight=False, stderr=stderr, width=None if stream.isatty() else 160)


def print_need_rows(group: str, assessed: int | None, reference: str, rows: list[NeedRow], alpha: float) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"{group} against {reference} ('Not Ready')"), header_style="bold")
    for column, justify in (
        ("Soft skill", "left"),
        ("Need help", "right"),
        ("Reference", "right"),
        ("Difference", "right"),
        ("p-value", "right"),
        (f"Higher (α = {alpha:g})", "center"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        if row.count is None:
            need = f"{row.need:g}%"
        elif abs(100 * row.count / (row.assessed or 1) - row.need) < 0.01:
            need = f"{row.count} of {row.assessed} ({row.need:.0f}%)"
        else:  # a percent given: say which count was tested
            need = f"{row.need:g}% (about {row.count} of {row.assessed})"
        table.add_row(
            SKILL_TITLES[row.skill],
            need,
            f"{row.reference:g}%",
            f"{row.difference:+.0f} pts",
            format_p(row.p_value),
            "yes" if row.significantly_higher else "no",
        )
    console = terminal()
    console.print(table)
    if assessed is None:
        console.print("No number of people assessed, so no significance test.")


def print_change_rows(result: Comparison, alpha: float) -> None:
    from rich.table import Table

    table = Table(title=f"Before ({result.before_name}) and after ({result.after_name})", header_style="bold")
    for column, justify in (
        ("Soft skill", "left"),
        ("Needed help before", "right"),
        ("After", "right"),
        ("Became self-sufficient", "right"),
        ("National", "right"),
        ("p-value", "right"),
        (f"Significant (α = {alpha:g})", "center"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in result.rows:
        table.add_row(*change_cells(row))
    console = terminal()
    console.print(table)
    console.print(method_note(result))
