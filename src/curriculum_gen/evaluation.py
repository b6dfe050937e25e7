"""The evaluation report for ``curriculum-gen profile compare``, and the cells it shares with the terminal table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curriculum_gen.load.workspace import Workspace
from curriculum_gen.models import SKILL_TITLES
from curriculum_gen.plan.analysis import ChangeRow, Comparison, format_p


def change_cells(row: ChangeRow) -> list[str]:
    became = "n/a" if row.became_self_sufficient is None else f"{row.became_self_sufficient:.0f}%"
    return [
        SKILL_TITLES[row.skill],
        f"{row.needed_before} of {row.assessed_before}",
        f"{row.needed_after} of {row.assessed_after}",
        became,
        "n/a" if row.reference is None else f"{row.reference:g}%",
        format_p(row.p_value),
        "yes" if row.significant else "no",
    ]


def method_note(result: Comparison) -> str:
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
    from curriculum_gen.pipeline import source_date
    from curriculum_gen.render.formats import Audience, Conversion, Document, RenderSettings, convert
    from curriculum_gen.render.markdown import make_env, render_template
    from curriculum_gen.render.sandbox import template_budget
    from curriculum_gen.write.files import write_files

    conversion = Conversion(RenderSettings(), workspace, subject="Evaluation report", when=source_date())
    with template_budget():
        text = render_template(make_env(workspace), "evaluation-report.md.j2", evaluation_context(result, alpha))
        files = convert([Document("evaluation-report", text, Audience.FACILITATOR)], conversion)
    return write_files(out, files)


def evaluation_context(result: Comparison, alpha: float) -> dict[str, Any]:
    """What ``evaluation-report.md.j2`` is given."""
    rows = [
        dict(zip(("skill", "before", "after", "became", "national", "p", "significant"), change_cells(r)))
        for r in result.rows
    ]
    return {
        "result": result,
        "rows": rows,
        "alpha": alpha,
        "note": method_note(result),
        "improved": [SKILL_TITLES[r.skill] for r in result.rows if r.significant],
    }
