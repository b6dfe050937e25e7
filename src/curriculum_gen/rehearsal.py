"""``validate``'s rehearsal: every template rendered once against a sample plan.

A template can be valid Jinja2 and still fail when it runs (an undefined name, a loop
without end); rendering it once here finds that before a facilitator meets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from curriculum_gen.errors import CurriculumError, Problem
from curriculum_gen.load.library import Library
from curriculum_gen.load.workspace import Workspace

if TYPE_CHECKING:
    from curriculum_gen.plan.analysis import Comparison


def check_rendering(workspace: Workspace, library: Library) -> list[Problem]:
    """Render each template a pack or report uses once, against the plan ``build`` makes by default.

    The plan is made from the reference profile (``all-clients``, or the first there is) and
    every program, with this workspace's library; the renders share one template budget.

    Returns:
        The first problem of each template that fails, located in the template.
    """
    from curriculum_gen.evaluation import evaluation_context
    from curriculum_gen.load.profiles import DEFAULT_REFERENCE
    from curriculum_gen.pipeline import BuildOptions, make_plan, source_date
    from curriculum_gen.plan.summary import summarise
    from curriculum_gen.render.formats import Audience, Conversion, Document, RenderSettings, convert
    from curriculum_gen.render.markdown import guide_context, make_env, render_handout, render_template
    from curriculum_gen.render.pack_pages import render_forms, render_start_here
    from curriculum_gen.render.sandbox import template_budget

    if not library.references or not library.programs or library.ground_rules is None:
        return []  # nothing to plan with: loading has said why
    reference = DEFAULT_REFERENCE if DEFAULT_REFERENCE in library.references else min(library.references)
    try:
        plan = make_plan(BuildOptions(reference=reference), workspace, library)
    except CurriculumError as exc:
        return exc.problems
    env = make_env(workspace)
    summary = summarise(plan, library)
    context = {**guide_context(plan, library, summary), "agency": None}
    sample_text = "# Sample\n\nA paragraph of *sample* text.\n"

    def handouts() -> None:
        for handout in sorted(library.handouts.values(), key=lambda h: h.id):
            render_handout(env, handout)

    renders: list[Callable[[], object]] = [
        lambda: render_template(env, "facilitator-guide.md.j2", context),
        lambda: render_template(env, "ground-rules.md.j2", {"rules": library.ground_rules}),
        lambda: render_template(env, "our-sessions.md.j2", context),
        handouts,
        lambda: render_forms(env, plan, library),
        lambda: render_start_here(env, plan, summary, library, [], ("md", "html", "docx")),
        lambda: render_template(env, "evaluation-report.md.j2", evaluation_context(_sample_comparison(), 0.05)),
        lambda: convert(
            [Document("sample", sample_text, Audience.PARTICIPANT)],
            Conversion(RenderSettings(formats=("html",)), workspace, subject="Sample", when=source_date()),
        ),
    ]
    problems: list[Problem] = []
    with template_budget():
        for render in renders:
            try:
                render()
            except CurriculumError as exc:
                problems += exc.problems
    return sorted(set(problems))


def _sample_comparison() -> Comparison:
    from curriculum_gen.models import SOFT_SKILLS
    from curriculum_gen.plan.analysis import ChangeRow, Comparison

    rows = [
        ChangeRow(
            skill=skill,
            needed_before=6,
            assessed_before=12,
            needed_after=3,
            assessed_after=12,
            became_self_sufficient=50.0,
            method="sample",
            p_value=0.03,
            significant=i % 2 == 0,
            reference=40.0,
        )
        for i, skill in enumerate(SOFT_SKILLS)
    ]
    return Comparison(rows=rows, paired=True, matched=12, unmatched=0, before_name="before.csv", after_name="after.csv")
