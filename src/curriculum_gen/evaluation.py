"""The evaluation report for ``curriculum-gen profile compare``, and the cells it shares with the terminal table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curriculum_gen.i18n import gettext as _
from curriculum_gen.i18n import ngettext
from curriculum_gen.load.workspace import Workspace
from curriculum_gen.models import skill_title
from curriculum_gen.plan.analysis import ChangeRow, Comparison, format_p
from curriculum_gen.plan.wording import percent


def change_cells(row: ChangeRow) -> list[str]:
    """One skill's row of the report and of the terminal's table, in the language being rendered."""
    became = _("n/a") if row.became_self_sufficient is None else percent(row.became_self_sufficient, 0)
    of = _("{count} of {assessed}")
    return [
        skill_title(row.skill),
        of.format(count=row.needed_before, assessed=row.assessed_before),
        of.format(count=row.needed_after, assessed=row.assessed_after),
        became,
        _("n/a") if row.reference is None else percent(row.reference),
        format_p(row.p_value),
        _("yes") if row.significant else _("no"),
    ]


def method_note(result: Comparison) -> str:
    """How the report compares before and after, in words."""
    if result.paired:
        note = ngettext(
            "{count} clients matched by id in both files; exact McNemar test on who changed. "
            "Became self-sufficient = share of those needing help before who no longer need it after.",
            "{count} clients matched by id in both files; exact McNemar test on who changed. "
            "Became self-sufficient = share of those needing help before who no longer need it after.",
            result.matched,
        ).format(count=result.matched)
        if result.unmatched:
            left = ngettext(
                "{count} rows appear in one file only and are left out.",
                "{count} rows appear in one file only and are left out.",
                result.unmatched,
            )
            note += " " + left.format(count=result.unmatched)
        return note
    return _(
        "The files are not matched client by client, so each skill's share needing help is compared with a "
        "two-proportion z-test, and 'became self-sufficient' is estimated from the drop in that share."
    )


def write_evaluation_report(
    result: Comparison, alpha: float, workspace: Workspace, out: Path, languages: tuple[str, ...] = ("en",)
) -> list[Path]:
    """``evaluation-report.md``, ``.html`` and ``.docx`` in ``out`` for funders, in each language asked for:
    the first language's files in ``out``, another's beside it (``out-fr``).

    Raises:
        CurriculumError: a broken template or an unwritable folder.
    """
    from curriculum_gen.i18n import language
    from curriculum_gen.pipeline import language_folder, source_date
    from curriculum_gen.render.formats import Audience, Conversion, Document, RenderSettings, convert
    from curriculum_gen.render.markdown import make_env, render_template
    from curriculum_gen.render.sandbox import template_budget
    from curriculum_gen.write.files import write_files

    settings = RenderSettings(languages=languages)
    made: list[tuple[Path, dict[str, bytes]]] = []
    for each in settings.each_language():
        with language(each.language), template_budget():
            conversion = Conversion(each, workspace, subject=_("Evaluation report"), when=source_date())
            text = render_template(make_env(workspace), "evaluation-report.md.j2", evaluation_context(result, alpha))
            files = convert([Document("evaluation-report", text, Audience.FACILITATOR)], conversion)
        made.append((language_folder(out, settings, each.language), files))
    return [path for folder, files in made for path in write_files(folder, files)]


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
        "improved": [skill_title(r.skill) for r in result.rows if r.significant],
    }
