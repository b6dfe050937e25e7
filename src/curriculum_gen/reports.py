"""Terminal tables and the evaluation report for ``curriculum-gen profile``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curriculum_gen.analysis import ChangeRow, Comparison, NeedRow
from curriculum_gen.catalog import terminal
from curriculum_gen.models import SKILL_TITLES
from curriculum_gen.workspace import Workspace


def _p(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


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
            _p(row.p_value),
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
        table.add_row(*_change_cells(row))
    console = terminal()
    console.print(table)
    console.print(_method_note(result))


def _change_cells(row: ChangeRow) -> list[str]:
    became = "n/a" if row.became_self_sufficient is None else f"{row.became_self_sufficient:.0f}%"
    return [
        SKILL_TITLES[row.skill],
        f"{row.needed_before} of {row.assessed_before}",
        f"{row.needed_after} of {row.assessed_after}",
        became,
        "n/a" if row.reference is None else f"{row.reference:g}%",
        _p(row.p_value),
        "yes" if row.significant else "no",
    ]


def _method_note(result: Comparison) -> str:
    if result.paired:
        note = (
            f"{result.matched} clients matched by id in both files; exact McNemar test on who changed. "
            "Became self-sufficient = share of those needing help before who no longer need it after."
        )
        if result.unmatched:
            note += f" {result.unmatched} rows appear in one file only and are left out."
        return note
    return (
        "The files are not matched client by client, so each skill's share needing help is compared with a "
        "two-proportion z-test, and 'became self-sufficient' is estimated from the drop in that share."
    )


def write_evaluation_report(result: Comparison, alpha: float, workspace: Workspace, out: Path) -> list[Path]:
    """``evaluation-report.md``, ``.html`` and ``.docx`` in ``out`` for funders.

    Raises:
        CurriculumError: a broken template or an unwritable folder.
    """
    from curriculum_gen.pipeline import FORMATS, convert_documents
    from curriculum_gen.rendering import make_env, render_template
    from curriculum_gen.sandbox import template_budget
    from curriculum_gen.writing import write_files

    with template_budget():
        text = render_template(make_env(workspace), "evaluation-report.md.j2", evaluation_context(result, alpha))
        files = convert_documents({"evaluation-report": text}, workspace, FORMATS, subject="Evaluation report")
    return write_files(out, files)


def evaluation_context(result: Comparison, alpha: float) -> dict[str, Any]:
    """What ``evaluation-report.md.j2`` is given."""
    rows = [
        dict(zip(("skill", "before", "after", "became", "national", "p", "significant"), _change_cells(r)))
        for r in result.rows
    ]
    return {
        "result": result,
        "rows": rows,
        "alpha": alpha,
        "note": _method_note(result),
        "improved": [SKILL_TITLES[r.skill] for r in result.rows if r.significant],
    }
