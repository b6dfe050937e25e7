"""The pages a pack adds around its documents: the evaluation forms and the start-here page.

The forms (attendance sheet, feedback form, a self-check per session) are rendered from the
plan; the start-here page last, from the names of every other document, so it lists them all.
"""

from __future__ import annotations

from collections.abc import Sequence

import jinja2

from curriculum_gen.i18n import gettext as _
from curriculum_gen.load.library import Library
from curriculum_gen.load.workspace import Workspace
from curriculum_gen.models import Agency, Plan
from curriculum_gen.plan.pack import (
    ATTENDANCE,
    FEEDBACK,
    SELF_CHECK,
    START_HERE,
    attendance_rows,
    attendance_sheets,
    describe_pack,
    session_checks,
)
from curriculum_gen.plan.summary import PlanSummary
from curriculum_gen.render.formats import Audience, Document
from curriculum_gen.render.markdown import Md, make_env, render_documents, render_template

FORM_TEMPLATES = (
    (ATTENDANCE, "attendance-sheet.md.j2", Audience.FACILITATOR),
    (FEEDBACK, "feedback-form.md.j2", Audience.PARTICIPANT),
    (SELF_CHECK, "self-check.md.j2", Audience.FACILITATOR),
)
"""Each form: its name in the pack, its template and who reads it."""


def pack_documents(
    plan: Plan,
    summary: PlanSummary,
    library: Library,
    workspace: Workspace,
    agency: Agency | None = None,
    formats: Sequence[str] = ("md", "html", "docx"),
) -> list[Document]:
    """Every Markdown document of a pack: the start-here page first, then the documents, then the forms."""
    documents = render_documents(plan, summary, library, workspace, agency)
    env = make_env(workspace)
    documents += render_forms(env, plan, library)
    return [render_start_here(env, plan, summary, library, documents, formats), *documents]


def render_forms(env: jinja2.Environment, plan: Plan, library: Library) -> list[Document]:
    """The attendance sheet, the participants' feedback form and the facilitator's self-check per session."""
    context = {
        "plan": plan,
        "sessions": list(range(1, len(plan.sessions) + 1)),
        "rows": list(range(1, attendance_rows(plan.participants) + 1)),
        "sheets": attendance_sheets(plan.participants),
        "checks": session_checks(plan, library),
        "line": Md("\\_" * 40),
    }
    return [
        Document(name, render_template(env, template, context), audience) for name, template, audience in FORM_TEMPLATES
    ]


def render_start_here(
    env: jinja2.Environment,
    plan: Plan,
    summary: PlanSummary,
    library: Library,
    documents: Sequence[Document],
    formats: Sequence[str],
) -> Document:
    """The start-here page: every file of the pack, what it is for, what to print for whom, and when it is used."""
    listed = [(START_HERE, _("Start here")), *((d.name, d.title) for d in documents)]
    guide = describe_pack(plan, summary, library, listed, formats)
    context = {"plan": plan, "guide": guide, "forms": {"feedback": FEEDBACK, "self_check": SELF_CHECK}}
    return Document(START_HERE, render_template(env, "start-here.md.j2", context), Audience.FACILITATOR)
