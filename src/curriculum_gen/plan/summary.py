"""What a plan adds up to, computed once before anything is rendered.

The guide's needs table (with its significance tests), the minutes each soft skill gets,
the priorities, the handouts, the materials checklist and what each session leaves people
with (its objectives, closing summary and between-sessions tasks) are all worked out here, so
templates only display them and the manifest reads the same figures the guide shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from curriculum_gen.i18n import gettext as _
from curriculum_gen.load.library import Library
from curriculum_gen.models import (
    GROUND_RULES_SHEET,
    SOFT_SKILLS,
    Activity,
    Block,
    Handout,
    Material,
    Plan,
    PlanNeed,
    SoftSkill,
)
from curriculum_gen.plan.analysis import NeedRow, compare_needs
from curriculum_gen.plan.preparation import PrepStage, preparation_timeline

_SKILLS: tuple[SoftSkill, ...] = get_args(SoftSkill)


@dataclass(frozen=True)
class NeedSummary:
    """One soft skill of the plan: how many need help, against the nation, and the minutes planned for it."""

    skill: SoftSkill
    need: PlanNeed
    assessed: int | None
    priority: bool
    """At or above the plan's threshold: the skill must be practised."""
    minutes: int
    """Minutes of planned activities that practise it."""
    test: NeedRow | None
    """The one-sided exact test against the national figure, when the plan has national figures."""


@dataclass(frozen=True)
class MaterialLine:
    """One line of the materials checklist: what, how many, and the sessions that use it."""

    item: str
    count: int
    sessions: tuple[int, ...]
    per: tuple[str, ...] = ()
    """For printed lines, how the count is made, once for each way it is asked for ('1 per pair')."""
    own: str | None = None
    """For the facilitator's own printed material: what to print or bring."""


@dataclass(frozen=True)
class SessionOutcome:
    """What one session leaves people with, built from the content cards planned in it."""

    number: int
    takeaways: tuple[str, ...]
    """The take-away of each content card planned in the session, in agenda order, each once:
    the session's objectives and its closing summary."""
    tasks: tuple[str, ...]
    """The between-sessions tasks of those cards, each once (a card without one adds nothing)."""
    follow_up: tuple[str, ...]
    """The tasks set in the session before, which this session's check-in asks about."""


@dataclass(frozen=True)
class PlanSummary:
    """Everything about a plan that the documents and the manifest show, computed once."""

    needs: tuple[NeedSummary, ...]
    """Every soft skill, in the canonical order."""
    coverage: dict[str, int]
    """Minutes per soft skill (the manifest's ``coverage``)."""
    priority: tuple[str, ...]
    """Priority skills, most needed first."""
    uncovered: tuple[str, ...]
    """Priority skills no planned activity practises."""
    handouts: tuple[Handout, ...]
    """Handouts the planned activities call for, in first-use order."""
    to_print: tuple[MaterialLine, ...]
    to_bring: tuple[MaterialLine, ...]
    sessions: tuple[SessionOutcome, ...]
    """Each session's take-aways and tasks, in plan order."""
    preparation: tuple[PrepStage, ...] = ()
    """The preparation timeline: what every workshop needs and what the planned cards need, by when."""

    @property
    def by_need(self) -> tuple[NeedSummary, ...]:
        """The soft skills, the group's biggest needs first."""
        return tuple(sorted(self.needs, key=lambda n: (-n.need.percent, SOFT_SKILLS.index(n.skill))))


def summarise(plan: Plan, library: Library) -> PlanSummary:
    """The summary of ``plan`` for this library: pure, and the same for the same inputs."""
    minutes = coverage(plan, library)
    tests = _need_tests(plan)
    by_skill: dict[str, PlanNeed] = {n.skill: n for n in plan.needs}
    needs = tuple(
        NeedSummary(s, by_skill[s], plan.assessed, by_skill[s].percent >= plan.threshold, minutes[s], tests.get(s))
        for s in _SKILLS
    )
    to_print, to_bring = materials_checklist(plan, library)
    return PlanSummary(
        needs=needs,
        coverage=minutes,
        priority=tuple(n.skill for n in sorted(needs, key=lambda n: -n.need.percent) if n.priority),
        uncovered=tuple(n.skill for n in needs if n.priority and n.minutes == 0),
        handouts=tuple(handouts_used(plan, library)),
        to_print=to_print,
        to_bring=to_bring,
        sessions=session_outcomes(plan, library),
        preparation=preparation_timeline(plan, library),
    )


def session_outcomes(plan: Plan, library: Library) -> tuple[SessionOutcome, ...]:
    """Each session's take-aways and tasks, from its content cards (not the frame's routines).

    Objectives come from what is planned, never from a component's boilerplate: a card
    that is not in the session promises nothing for it.
    """
    outcomes = []
    previous: tuple[str, ...] = ()
    for number, session in enumerate(plan.sessions, start=1):
        cards = [
            library.activities[b.activity]
            for b in session.blocks
            if b.kind == "activity" and b.activity and b.activity in library.activities
        ]
        takeaways = tuple(dict.fromkeys(" ".join(c.takeaway.split()) for c in cards))
        tasks = tuple(dict.fromkeys(" ".join(c.between_sessions.split()) for c in cards if c.between_sessions))
        outcomes.append(SessionOutcome(number, takeaways, tasks, previous))
        previous = tasks
    return tuple(outcomes)


def coverage(plan: Plan, library: Library) -> dict[str, int]:
    """Minutes of planned activities that practise each soft skill (see :func:`practice_minutes`)."""
    return blocks_coverage((block for session in plan.sessions for block in session.blocks), library)


def blocks_coverage(blocks: Iterable[Block], library: Library) -> dict[str, int]:
    """Minutes of these blocks that practise each soft skill (see :func:`practice_minutes`)."""
    minutes = dict.fromkeys(SOFT_SKILLS, 0)
    for block in blocks:
        if block.activity and block.activity in library.activities:
            card = library.activities[block.activity]
            for skill, practised in practice_minutes(card, block.minutes, block.focus).items():
                minutes[skill] += practised
    return minutes


def practice_minutes(activity: Activity, minutes: int, focus: str | None = None) -> dict[str, int]:
    """The minutes of a ``minutes``-long run of ``activity`` that practise each skill it builds.

    A soft-skill card practises each of its skills for its whole length; a core card only in
    the steps its soft skills are woven into (their share of its length). With a ``focus``, the
    steps asked for that skill (``Step.focus``) practise it for their share of the length too.
    """
    total = sum(step.minutes for step in activity.steps)
    if activity.core:
        woven = {s: sum(step.minutes for step in activity.steps if step.builds == s) for s in activity.skills}
        practised = {
            s: minutes if s in activity.primary or s in activity.secondary else round(minutes * w / total)
            for s, w in woven.items()
        }
    else:
        practised = dict.fromkeys(activity.skills, minutes)
    if focus and focus not in practised:
        asked = sum(step.minutes for step in activity.steps if focus in step.focus)
        if asked:
            practised[focus] = round(minutes * asked / total)
    return practised


def _need_tests(plan: Plan) -> dict[str, NeedRow]:
    """Each soft skill's test against the national figure, when the plan carries every national figure."""
    by_skill: dict[str, PlanNeed] = {n.skill: n for n in plan.needs}
    if not all(by_skill[s].reference_percent is not None for s in SOFT_SKILLS):
        return {}
    rows = compare_needs(
        {s: (by_skill[s].percent, by_skill[s].count) for s in SOFT_SKILLS},
        plan.assessed,
        {s: float(by_skill[s].reference_percent or 0) for s in SOFT_SKILLS},
    )
    return {r.skill: r for r in rows}


def handouts_used(plan: Plan, library: Library) -> list[Handout]:
    """Handouts the plan's activities call for, as handouts or as their materials' sheets, in first-use order.

    A core block run with the agency's own material uses none of its card's.
    """
    seen: dict[str, Handout] = {}
    for session in plan.sessions:
        for block in session.blocks:
            activity = library.activities.get(block.activity or "")
            for hid in _documents(activity) if activity and not block.own_material else ():
                if hid in library.handouts:
                    seen.setdefault(hid, library.handouts[hid])
    return list(seen.values())


def _documents(activity: Activity) -> list[str]:
    """The handouts a card lists, then the sheets its materials name (not the ground rules: always printed)."""
    sheets = [m.sheet for m in activity.materials if m.sheet and m.sheet != GROUND_RULES_SHEET]
    return [*activity.handouts, *sheets]


def sheet_file(sheet: str) -> str:
    """Where a material's sheet is in the pack (no suffix): the ground-rules document, or a handout."""
    return GROUND_RULES_SHEET if sheet == GROUND_RULES_SHEET else f"handouts/{sheet}"


def units(per: str, people: int) -> int:
    """How many rooms, small groups (of about four), pairs or participants ``people`` make."""
    return {"room": 1, "group": -(-people // 4), "pair": -(-people // 2), "participant": people}[per]


def _per(per: str) -> str:
    """'per pair': for what a card asks for one of a material, in words."""
    words = {
        "room": _("for the room"),
        "group": _("per group of about 4"),
        "pair": _("per pair"),
        "participant": _("per person"),
    }
    return words[per]


def copies(material: Material) -> str:
    """How a card asks for a material, in words: '2 per pair', '1 for the room'."""
    return f"{material.count} {_per(material.per)}"


def _fixed() -> dict[str, str]:
    """What is printed for every pack, one per person, whichever cards run: each sheet's key and line."""
    return {
        f"sheet:{GROUND_RULES_SHEET}": _("Ground rules sheet ({file})").format(file=GROUND_RULES_SHEET),
        "sheet:our-sessions": _("What we will do in each session ({file})").format(file="handouts/our-sessions"),
    }


def materials_checklist(plan: Plan, library: Library) -> tuple[tuple[MaterialLine, ...], tuple[MaterialLine, ...]]:
    """What to print and what to bring, with counts for the plan's number of participants.

    Printed sheets are used up, so their counts add up over the workshop; other things
    are reused, so the largest count any session needs is enough. A material printed from
    a sheet in the pack is that sheet's line, with its file; one that is the facilitator's
    own is to bring, with what to bring.
    """
    people = plan.participants
    each = f"1 {_per('participant')}"
    to_print = {key: MaterialLine(item, people, (1,), (each,)) for key, item in _fixed().items()}
    to_bring: dict[str, MaterialLine] = {}
    for number, session in enumerate(plan.sessions, start=1):
        for block in session.blocks:
            activity = library.activities.get(block.activity or "")
            if activity is None:
                continue
            if block.own_material:  # the agency's material replaces the card's
                item = _("Your own material for '{card}': {material}").format(
                    card=activity.title, material=block.own_material
                )
                old = to_bring.get(item, MaterialLine(item, 1, ()))
                to_bring[item] = MaterialLine(item, 1, _with(old.sessions, number))
                continue
            for material in activity.materials:
                table = to_print if material.printed and material.own is None else to_bring
                _count_in(table, material, library, people, number)
            for hid in activity.handouts:
                if hid in library.handouts:
                    title = _("Handout: {title} ({file})").format(
                        title=library.handouts[hid].title, file=f"handouts/{hid}"
                    )
                    old = to_print.get(title, MaterialLine(title, people, ()))
                    to_print[title] = MaterialLine(title, old.count, _with(old.sessions, number))
    return _in_order(to_print), _in_order(to_bring)


def _count_in(table: dict[str, MaterialLine], material: Material, library: Library, people: int, number: int) -> None:
    """Count one use of a material into its line: its sheet's, your own's, or the item's."""
    key, item = material.item, material.item
    if material.sheet is not None:
        key = f"sheet:{material.sheet}"
        handout = library.handouts.get(material.sheet)
        title, file = handout.title if handout else material.item, sheet_file(material.sheet)
        if handout is not None and handout.kind == "cards":
            item = _("Card set: {title} ({file})").format(title=title, file=file)
        else:
            item = _("Sheet: {title} ({file})").format(title=title, file=file)
    elif material.own is not None:
        key = f"own:{material.item}"
    count = material.count * units(material.per, people)
    old = table.get(key, MaterialLine(item, 0, ()))
    if not material.printed:  # reused: what the busiest session needs
        table[key] = MaterialLine(old.item, max(old.count, count), _with(old.sessions, number))
        return
    per = old.per if copies(material) in old.per else (*old.per, copies(material))
    table[key] = MaterialLine(old.item, old.count + count, _with(old.sessions, number), per, material.own)


def _with(sessions: tuple[int, ...], number: int) -> tuple[int, ...]:
    return sessions if number in sessions else (*sessions, number)


def _in_order(lines: dict[str, MaterialLine]) -> tuple[MaterialLine, ...]:
    """First needed first, then by name."""
    return tuple(sorted(lines.values(), key=lambda line: (line.sessions[0], line.item)))
