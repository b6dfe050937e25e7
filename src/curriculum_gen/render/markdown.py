"""Plan + library → Markdown documents, through Jinja2 templates.

Text from YAML is data: every ``{{ value }}`` passes through :func:`escape_md` unless it
is already trusted Markdown (:class:`Md`), and templates run in Jinja2's sandbox.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, get_args

import jinja2

from curriculum_gen.errors import CurriculumError, Problem, WorkspaceError, display_path
from curriculum_gen.i18n import gettext as _
from curriculum_gen.i18n import ngettext
from curriculum_gen.load.library import Library
from curriculum_gen.load.workspace import Workspace
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.models import Agency, Block, Handout, Plan, RoomRisk, skill_title
from curriculum_gen.plan.analysis import format_p
from curriculum_gen.plan.pack import ATTENDANCE, FEEDBACK, SELF_CHECK
from curriculum_gen.plan.steps import pick_variant, timed_steps
from curriculum_gen.plan.summary import NeedSummary, PlanSummary, sheet_file
from curriculum_gen.plan.wording import joined, percent
from curriculum_gen.render import localize
from curriculum_gen.render.docx_reference import check_reference
from curriculum_gen.render.formats import Audience, Document
from curriculum_gen.render.limits import MAX_TEMPLATE_BYTES
from curriculum_gen.render.markup import anchor
from curriculum_gen.render.sandbox import LimitedEnvironment, LimitedLoader


class Md(str):
    """A string that is already Markdown: printed as is."""


_INLINE = re.compile(r"([\\`*_\[\]|#])")
_LEADING = re.compile(r"^(\d+[.)]|[-+](?=\s|$)|>)")
"""What starts a list item or a quote at the start of a line: '1.', '2)', '- ', '+ ', '>'."""
_SPACE = re.compile(r"\s+")


def escape_md(text: str) -> str:
    """Make text literal in Markdown: one line, every markup character escaped.

    ``&`` and ``<`` become character references, so no Markdown reader can take the
    text for HTML or an entity.
    """
    # one line; a space the template put at either end stays (" (priority)")
    text = _SPACE.sub(" ", text.strip("\r\n"))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    body = text.lstrip(" ")
    match = _LEADING.match(body)
    if match and (
        len(body) == len(match.group(1))
        or not match.group(1)[0].isdigit()
        or body[len(match.group(1)) :][:1] in (" ", "")
    ):
        cut = len(text) - len(body) + len(match.group(1)) - 1  # escape the punctuation mark itself
        text = text[:cut] + "\\" + text[cut:]
    return text


def _finalize(value: Any) -> Any:
    if isinstance(value, Md):
        return value
    if isinstance(value, str):
        return escape_md(value)
    if value is None:
        return ""
    return value


def make_env(workspace: Workspace) -> LimitedEnvironment:
    """The one Jinja2 environment: workspace templates first, shipped ones last.

    One per set of template folders and process, so each template is compiled once (a
    ``batch`` worker builds many packs); Jinja2 still reloads a template whose file changed.
    Templates run sandboxed and within limits (:mod:`curriculum_gen.render.sandbox`).
    """
    return _env(tuple(str(d) for d in workspace.template_dirs()))


@functools.lru_cache(maxsize=8)
def _env(template_dirs: tuple[str, ...]) -> LimitedEnvironment:
    env = LimitedEnvironment(
        loader=LimitedLoader(list(template_dirs)),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    localize.install_gettext(env, Md, lambda value: str(_finalize(value)))
    for name, figure in localize.FILTERS.items():  # pct, num, time: figures in the language being rendered
        env.filters[name] = figure
    env.filters["skill"] = lambda key: skill_title(str(key))
    env.filters["sessions"] = lambda numbers: ", ".join(str(n) for n in numbers)
    env.filters["sheet_file"] = sheet_file
    # a heading's link target, as Markdown readers make it: [Title](#{{ title | anchor }})
    env.filters["anchor"] = lambda heading: Md(anchor(str(heading)))
    return env


@contextlib.contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Turn a broken or missing template into a located error instead of a traceback."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = display_path(Path(exc.filename)) if exc.filename else f"templates/{name}"
        raise WorkspaceError(Problem(where, exc.lineno or 0, 1, "", f"template error: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        raise WorkspaceError(Problem(f"templates/{exc.name}", message="template not found")) from None
    except jinja2.TemplateError as exc:  # undefined names, sandbox refusals
        raise WorkspaceError(Problem(f"templates/{name}", message=f"template error: {exc}")) from None
    except RecursionError:  # while compiling: rendering catches its own
        raise WorkspaceError(
            Problem(f"templates/{name}", message="template error: nested too deeply to compile")
        ) from None


def check_templates(workspace: Workspace) -> list[Problem]:
    """Syntax errors in any template the workspace would use, and a reference document Word cannot take styles from."""
    env = make_env(workspace)
    problems: list[Problem] = check_reference(workspace.template_dirs())
    for path in template_files(workspace):
        if path.suffix != ".j2":
            continue
        try:
            text = read_text(path, display_path(path), limit=MAX_TEMPLATE_BYTES)
            with template_errors(path.name):
                env.parse(text, path.name, str(path))
        except CurriculumError as exc:
            problems += exc.problems
    return problems


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template to Markdown in the language being rendered, with that language's typography
    (French: OQLF spacing, :func:`curriculum_gen.render.localize.typeset_document`), turning template
    faults into located errors."""
    with template_errors(name):
        text = env.get_template(name).render(**context)
    # one blank line at most, one newline at the end: stable diffs
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return localize.typeset_document(text)


def clock(start: str, minutes: int) -> str:
    hours, mins = (int(x) for x in start.split(":"))
    total = hours * 60 + mins + minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


def _need_row(need: NeedSummary) -> dict[str, Any]:
    """A row of the guide's needs table, every figure as the reader sees it."""
    plan_need, test = need.need, need.test
    if plan_need.count is not None and need.assessed:
        group = _("{count} of {assessed} ({percent})").format(
            count=plan_need.count, assessed=need.assessed, percent=percent(plan_need.percent, 0)
        )
    else:
        group = percent(plan_need.percent, 0)
    tested = test is not None and test.p_value is not None
    return {
        "skill": need.skill,
        "group": group,
        "percent": plan_need.percent,
        "national": "" if plan_need.reference_percent is None else percent(plan_need.reference_percent),
        "priority": need.priority,
        "minutes": need.minutes,
        # Translators: percentage points, the group's share above (+) or below (-) the national one.
        "difference": _("{difference} pts").format(difference=f"{test.difference:+.0f}") if test else _("n/a"),
        "p_value": format_p(test.p_value if test else None),
        "higher": (_("yes") if test.significantly_higher else _("no"))
        if test is not None and tested
        else _("yes (Table 1)")
        if plan_need.flagged
        else _("n/a"),
        "flagged": plan_need.flagged,
        "all_clients_minutes": plan_need.all_clients_minutes,
    }


def _block_view(block: Block, start: str, library: Library, participants: int) -> dict[str, Any]:
    activity = library.activities.get(block.activity or "")
    view: dict[str, Any] = {
        "start": start,
        "minutes": block.minutes,
        "kind": block.kind,
        "reason": block.reason,
        "own_material": None,
    }
    if activity is None:  # a break, or time no activity could use
        view.update(title=_("Break") if block.kind == "break" else _("Practice and catch-up"), skills=[], activity=None)
        return view
    variant = pick_variant(activity, block.minutes)  # the version written for this length, if any
    view.update(
        title=activity.title,
        activity=activity,
        skills=activity.skills,
        steps=timed_steps(activity, block.minutes, participants, block.focus),
        plain=timed_steps(activity, block.minutes, participants) if block.focus else None,
        variant=variant,
        instructions=(variant and variant.participant_instructions) or activity.participant_instructions,
        handouts=[library.handouts[h] for h in activity.handouts if h in library.handouts],
        risks=_risks(activity.risks, library),
    )
    if block.own_material:  # the agency's own material replaces our steps and worksheet; name the woven moments
        view.update(own_material=block.own_material, handouts=[], woven=[s for s in view["steps"] if s.builds])
    return view


def _risks(risks: Sequence[str], library: Library) -> list[str]:
    """The titles of the parts of 'Running the room' a card's risks point to, in the order the guide prints them."""
    room = library.room
    return [room.situations[r].title for r in get_args(RoomRisk) if r in risks] if room is not None else []


def guide_context(plan: Plan, library: Library, summary: PlanSummary) -> dict[str, Any]:
    """What the guide and the session handout are given: the plan, its summary, and views for display."""
    from curriculum_gen.plan.analysis import intervention_advice

    needs = [_need_row(n) for n in summary.needs]
    informal = []
    if library.informal is not None:  # the strategies per soft skill, the group's biggest needs first
        informal = [{"need": _need_row(n), "strategies": library.informal.skills[n.skill]} for n in summary.by_need]
    return {
        "plan": plan,
        "informal": informal,
        "advice": intervention_advice(library, plan.client_group),
        "informal_intro": library.informal,
        "room": library.room,
        "room_situations": [library.room.situations[r] for r in get_args(RoomRisk)] if library.room else [],
        "materials": {"print": summary.to_print, "bring": summary.to_bring},
        "preparation": summary.preparation,
        "preparation_intro": library.preparation.intro if library.preparation else None,
        "forms": {"attendance": ATTENDANCE, "feedback": FEEDBACK, "self_check": SELF_CHECK},
        "programs": [library.programs[p] for p in plan.programs],
        "program_plans": _program_plans(plan, library),
        "sessions": _session_views(plan, library, summary),
        "needs": needs,
        "priority": list(summary.priority),
        "uncovered": list(summary.uncovered),
    }


def _program_plans(plan: Plan, library: Library) -> list[dict[str, Any]]:
    """Each program of the plan with the sessions it runs in, as the plan has them (not its defaults)."""
    rows = []
    for program_id in plan.programs:
        program = library.programs[program_id]
        own = {c.id for c in program.components}
        numbers, minutes = [], []
        for number, session in enumerate(plan.sessions, start=1):
            used = set(session.components) | {b.component for b in session.blocks if b.component}
            if used & own:
                numbers.append(number)
                minutes.append(session.minutes)
        rows.append(
            {
                "program": program,
                "count": len(numbers),
                "minutes": minutes[0] if len(set(minutes)) == 1 else None,  # None: sessions differ in length
                "total": sum(minutes),
                "span": "" if len(numbers) == len(plan.sessions) else _span(numbers),
            }
        )
    return rows


def _span(numbers: list[int]) -> str:
    """Session numbers in words, runs joined: 'session 5', 'sessions 1 to 5', 'sessions 1 to 3 and 6'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else _("{first} to {last}").format(first=r[0], last=r[-1]) for r in runs]
    if not parts:
        return ""
    words = parts[0] if len(parts) == 1 else joined([", ".join(parts[:-1]), parts[-1]])
    return ngettext("session {numbers}", "sessions {numbers}", len(numbers)).format(numbers=words)


def _mark_repeats(view: dict[str, Any], number: int, first: dict[str, dict[str, Any]]) -> None:
    """Point a card already shown in full back to it, keeping what differs here (timings, reason).

    A routine (check-in, closing, break) or any activity planned twice is written out once; later
    uses get ``repeat``, which the guide shows as a short reference.
    """
    activity = view.get("activity")
    key = activity.id if activity is not None else "break" if view["kind"] == "break" else None
    seen = first.get(key) if key else None
    if key and seen is None:
        first[key] = {"session": number, **view}
    if seen is None or _texts(view) != _texts(seen):  # another version of the card, or split another way
        view["repeat"] = None
        return
    steps = view.get("steps", [])
    timings = [step.minutes for step in steps]
    view["repeat"] = {
        "session": seen["session"],
        "start": seen["start"],
        "title": seen["title"],
        "timings": None if timings == [step.minutes for step in seen.get("steps", [])] else timings,
        "reason": None if view["reason"] == seen["reason"] else view["reason"],
        # steps asked for another soft skill this time (a routine's focus), by number
        "asked": [(n, step) for n, (step, was) in enumerate(zip(steps, seen.get("steps", [])), 1) if step.do != was.do],
    }


def _texts(view: dict[str, Any]) -> list[tuple[str, str | None]]:
    """What a block's steps say, each as the card writes it (not as a focus asks it): a later use refers
    back only when its steps say the same."""
    return [(step.do, step.note) for step in view.get("plain") or view.get("steps", [])]


def _mark_frame(blocks: list[dict[str, Any]], number: int) -> None:
    """Mark where the session's outcome is said: the first closing block sums up and sets the
    tasks; in a later session, the first opening block (the check-in) asks about the last tasks.
    Session 1's first opening block starts with the housekeeping of 'Running the room'."""
    closing = next((b for b in blocks if b["kind"] == "closing"), None)
    check_in = next((b for b in blocks if b["kind"] == "opening"), None) if number > 1 else None
    housekeeping = next((b for b in blocks if b["kind"] == "opening"), None) if number == 1 else None
    for block in blocks:
        block["closes"] = block is closing
        block["asks"] = block is check_in
        block["housekeeping"] = block is housekeeping


def _session_views(plan: Plan, library: Library, summary: PlanSummary) -> list[dict[str, Any]]:
    """Each session with its clock times, the view of each block and what it leaves people with."""
    components = {c.id: c for p in library.programs.values() for c in p.components}
    sessions = []
    first: dict[str, dict[str, Any]] = {}  # activity id -> the view where its card is shown in full
    introduced: dict[str, int] = {}  # component id -> the session whose objectives give its purpose
    for number, session in enumerate(plan.sessions, start=1):  # a hand-edited plan may drop a session
        offset, blocks = 0, []
        for block in session.blocks:
            blocks.append(_block_view(block, clock(plan.start_time, offset), library, plan.participants))
            _mark_repeats(blocks[-1], number, first)
            offset += block.minutes
        _mark_frame(blocks, number)
        shown = [c for c in session.components if c in components]
        continued = {c: introduced[c] for c in shown if c in introduced}
        introduced.update({c: number for c in shown if c not in introduced})
        sessions.append(
            {
                "number": number,
                "minutes": session.minutes,
                "unplanned": session.minutes - offset,
                "end": clock(plan.start_time, session.minutes),
                "components": [components[c] for c in shown],
                "continued": continued,  # component id -> the earlier session its purpose is given in
                "blocks": blocks,
                "outcome": summary.sessions[number - 1],  # take-aways (the objectives) and tasks
                "last": number == len(plan.sessions),  # its tasks are for after the workshop
            }
        )
    return sessions


def render_documents(
    plan: Plan, summary: PlanSummary, library: Library, workspace: Workspace, agency: Agency | None = None
) -> list[Document]:
    """Every Markdown document of a pack, each named by its path inside the pack (no suffix)."""
    env = make_env(workspace)
    context = {**guide_context(plan, library, summary), "agency": agency}
    docs = [
        Document("facilitator-guide", render_template(env, "facilitator-guide.md.j2", context), Audience.FACILITATOR),
        Document(
            "ground-rules",
            render_template(env, "ground-rules.md.j2", {"rules": library.ground_rules}),
            Audience.PARTICIPANT,
        ),
        Document("handouts/our-sessions", render_template(env, "our-sessions.md.j2", context), Audience.PARTICIPANT),
    ]
    handouts = list(summary.handouts)
    if agency is not None:  # an agency file is given for its local resources: always hand them out
        handouts += [h for h in library.handouts.values() if any(s.resources for s in h.sections) and h not in handouts]
    for handout in handouts:
        docs.append(Document(f"handouts/{handout.id}", render_handout(env, handout, agency), Audience.PARTICIPANT))
    return docs


def render_handout(env: jinja2.Environment, handout: Handout, agency: Agency | None = None) -> str:
    """One handout or worksheet; a resources section lists the agency's resources or blank rows."""
    context = {"handout": handout, "agency": agency, "line": Md("\\_" * 40), "blank_rows": BLANK_ROWS}
    return render_template(env, "handout.md.j2", context)


BLANK_ROWS = 6
"""Rows to write in when a resources list has no agency file to fill it."""


def template_files(workspace: Workspace) -> list[Path]:
    """Every template file that could be used, for the manifest's input hashes."""
    files: dict[str, Path] = {}
    for folder in reversed(workspace.template_dirs()):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(folder))] = path
    return [files[k] for k in sorted(files)]
