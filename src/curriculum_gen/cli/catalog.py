"""What a workspace offers: rows for ``list`` and cards for ``show``."""

from __future__ import annotations

from typing import Any

from curriculum_gen.cli.tables import terminal
from curriculum_gen.errors import InputError, Problem, unknown
from curriculum_gen.load.library import Library
from curriculum_gen.load.workspace import find_workspace, load_library
from curriculum_gen.models import SKILL_TITLES, SOFT_SKILLS, Activity, Step


def _owners(lib: Library) -> dict[str, tuple[str, str]]:
    """Activity id → (program, component); frame cards belong to 'general'."""
    owner: dict[str, tuple[str, str]] = {}
    for prog in sorted(lib.programs.values(), key=lambda p: p.id):
        for comp in prog.components:
            for aid in comp.activities:
                owner.setdefault(aid, (prog.id, comp.id))
    return owner


def list_rows(
    what: str, library: Library | None = None, *, skill: str | None = None, program: str | None = None
) -> list[dict[str, Any]]:
    """Rows with at least ``id`` and ``title``; activities also ``program`` and ``skills``.

    Raises:
        InputError: an unknown skill or program filter, with a suggestion.
    """
    lib = library or load_library(find_workspace())
    _check_filters(what, lib, skill, program)
    if what == "programs":
        return _program_rows(lib)
    if what == "activities":
        return _activity_rows(lib, skill, program)
    if what == "handouts":
        return _handout_rows(lib)
    if what == "references":
        return _reference_rows(lib)
    raise ValueError(what)


def _check_filters(what: str, lib: Library, skill: str | None, program: str | None) -> None:
    """Refuse a filter on anything but activities, and an unknown skill or program."""
    if (skill or program) and what != "activities":
        raise InputError(Problem("--skill/--program", message="filters apply to 'list activities' only"))
    if skill is not None and skill not in SOFT_SKILLS:
        raise InputError(
            Problem(
                "--skill",
                message=unknown("soft skill", skill, SOFT_SKILLS),
            )
        )
    if program is not None and program not in (*lib.programs, "general"):
        raise InputError(
            Problem("--program", message=unknown("program", program, sorted(lib.programs), extra=("general",)))
        )


def _program_rows(lib: Library) -> list[dict[str, Any]]:
    """One row per program, by id."""
    return [
        {
            "id": p.id,
            "title": p.title,
            "sessions": p.sessions,
            "minutes": p.minutes,
            "components": [c.id for c in p.components],
        }
        for p in sorted(lib.programs.values(), key=lambda p: p.id)
    ]


def _activity_rows(lib: Library, skill: str | None, program: str | None) -> list[dict[str, Any]]:
    """One row per activity that passes the filters, by id; frame cards belong to 'general'."""
    owner = _owners(lib)
    rows = []
    for aid in sorted(lib.activities):
        activity = lib.activities[aid]
        prog, comp = owner.get(aid, ("general", "session-frame"))
        if (skill and skill not in activity.skills) or (program and program != prog):
            continue
        rows.append(
            {
                "id": aid,
                "title": activity.title,
                "program": prog,
                "component": comp,
                "skills": activity.skills,
                "minutes": activity.minutes.typical,
            }
        )
    return rows


def _handout_rows(lib: Library) -> list[dict[str, Any]]:
    """One row per handout, by id."""
    return [{"id": h.id, "title": h.title, "kind": h.kind} for h in sorted(lib.handouts.values(), key=lambda h: h.id)]


def _reference_rows(lib: Library) -> list[dict[str, Any]]:
    """One row per reference client group, by id."""
    return [
        {"id": gid, "title": group.title, "source": table.source}
        for gid, (group, table) in sorted(lib.references.items())
    ]


def print_rows(what: str, rows: list[dict[str, Any]]) -> None:
    """A readable table; YAML text is printed as text, never as console markup."""
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    columns = {
        "programs": ["id", "title", "sessions", "minutes"],
        "activities": ["id", "title", "program", "component", "skills", "minutes"],
        "handouts": ["id", "title", "kind"],
        "references": ["id", "title"],
    }[what]
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(", ".join(SKILL_TITLES[s] for s in row[c]) if c == "skills" else str(row[c]) for c in columns))
    terminal().print(table)
    if not rows:
        terminal(stderr=True).print("nothing matches")


def _card(activity_id: str) -> tuple[Activity, tuple[str, str], Library]:
    lib = load_library(find_workspace())
    if activity_id not in lib.activities:
        raise InputError(
            Problem(
                "show",
                message=unknown("activity", activity_id, lib.activities, see="curriculum-gen list activities"),
            )
        )
    return lib.activities[activity_id], _owners(lib).get(activity_id, ("general", "session-frame")), lib


def card_json(activity_id: str) -> dict[str, Any]:
    activity, (program, component), _ = _card(activity_id)
    return {"program": program, "component": component, **activity.model_dump(mode="json")}


def print_card(activity_id: str) -> None:
    """The whole card, laid out for reading in a terminal."""
    from rich.console import Group
    from rich.text import Text

    a, (program, component), lib = _card(activity_id)
    parts: list[Any] = [Text(a.purpose), Text("")]

    def heading(label: str) -> None:
        parts.append(Text(label, style="bold"))

    def line(text: str, indent: str = "  ") -> None:
        parts.append(Text(indent + text))

    heading("Builds")
    for skill, why in a.primary.items():
        line(f"{SKILL_TITLES[skill]} (main): {why}")
    for skill, why in a.secondary.items():
        line(f"{SKILL_TITLES[skill]} (also): {why}")
    heading("Timing and set-up")
    line(
        f"{a.minutes.min}-{a.minutes.max} minutes, usually {a.minutes.typical}; "
        f"{a.group.value.replace('-', ' ')} for {a.size.min}-{a.size.max} people"
    )
    line(a.space)
    if a.materials or a.handouts:
        heading("Materials")
        for m in a.materials:
            how = f", sheet {m.sheet}" if m.sheet else ", your own" if m.own else ", printed" if m.printed else ""
            line(f"{m.item} ({m.count} per {m.per}{how})" + (f": {m.own}" if m.own else ""))
        for hid in a.handouts:
            title = lib.handouts[hid].title if hid in lib.handouts else hid
            line(f"Handout: {title} ({hid}), one per person")
    heading("Steps")
    for step_line in _step_lines(a):
        line(step_line)
    if a.debrief:
        heading("Debrief questions")
        for question in a.debrief:
            line(f"- {question}")
    heading("Tell participants")
    line(a.participant_instructions)
    if a.risks:
        heading("Running the room")
        line(f"May call for: {', '.join(_room_parts(a, lib))} (see 'Running the room' in the guide)")
    heading("Adapting it")
    for label, text in _adaptations(a):
        line(f"{label}: {text}")
    parts.append(Text(f"\nSource: {a.source}", style="dim"))
    console = terminal()
    console.print(Text(a.title, style="bold underline"), Text(f"  {a.id}: {program} / {component}", style="dim"))
    console.print(Group(*parts))


def _adaptations(a: Activity) -> list[tuple[str, str]]:
    """Each adaptation the card has, with its label as the guide prints it."""
    labelled = [
        ("One-to-one", a.adaptations.one_to_one),
        ("Online", a.adaptations.online),
        ("Clients with disabilities", a.adaptations.disabilities),
        ("Newcomers", a.adaptations.newcomers),
        ("First Nations, Inuit and Métis participants", a.adaptations.first_nations),
        ("Low literacy", a.adaptations.low_literacy),
        ("Interpreters, ASL and captioning", a.adaptations.interpreters),
    ]
    return [(label, text) for label, text in labelled if text]


def _room_parts(a: Activity, lib: Library) -> list[str]:
    """The parts of 'Running the room' a card's risks point to (the risk's name when there is no such part)."""
    room = lib.room
    return [room.situations[r].title if room is not None else r for r in a.risks]


def _step_lines(a: Activity) -> list[str]:
    """The card's steps, then each shorter or longer version's, as lines of the card."""
    lines = [_step_line(number, step) for number, step in enumerate(a.steps, start=1)]
    for variant in a.variants:
        lines.append(f"For {variant.minutes.min}-{variant.minutes.max} minutes, instead:")
        lines += ["  " + _step_line(number, step) for number, step in enumerate(variant.steps, start=1)]
        if variant.participant_instructions:
            lines.append(f"  Tell participants: {variant.participant_instructions}")
    return lines


def _step_line(number: int, step: Step) -> str:
    """One step: a go-round also gives its time per person (its minutes are for a group of 12)."""
    each = ""
    if step.per_person:
        time = f"{round(step.per_person * 60)} seconds" if step.per_person < 1 else f"{step.per_person:g} min"
        each = f" for 12 people; {time} a person, round the room"
    return f"{number}. ({step.minutes} min{each}) {step.do}"
