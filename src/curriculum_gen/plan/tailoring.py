"""Tailoring that follows the article: the skills a group needs significantly more help with than
all clients get more minutes than a plan for all clients gives them at the same layout.

A skill is *flagged* for a reference group when its source says so (Table 1's bold cells,
``higher`` in ``curricula/reference/need-by-group.yaml``), and for a group with ERS results
when its own one-sided binomial test against the national figure is significant. The planner
plans once; while a flagged skill has no more minutes than in the all-clients plan, it plans
again with the flagged skills still short weighing more (:data:`BOOST`), leaning minutes towards them
within sessions, and keeps the first plan that gives every flagged skill more, or else the closest.
The routine cards (check-in, closing round) ask one of their steps for a flagged skill they do not
practise otherwise (:func:`focused`): the same minutes, spent on what this group needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from curriculum_gen.i18n import gettext as _
from curriculum_gen.i18n import ngettext
from curriculum_gen.load.library import Library
from curriculum_gen.models import SOFT_SKILLS, Activity, Block, LeftOut, Need, Plan, Profile, skill_words
from curriculum_gen.plan.analysis import NeedRow, compare_needs, format_p
from curriculum_gen.plan.summary import blocks_coverage, coverage, practice_minutes
from curriculum_gen.plan.wording import joined, percent

BOOST = 1.6
"""Each try, a flagged skill still short of the all-clients minutes weighs this many times more."""
TRIES = 6
"""Plans tried at most, the first with no boost."""
LEAN_STEP = 5
"""Minutes moved between two cards at a time when leaning a session towards the flagged skills."""
LEAN_MARGIN = 0.1
"""Leaning stops once a flagged skill has this much more time than in the all-clients plan."""


def flagged_skills(profile: Profile, library: Library, national: dict[str, float]) -> dict[str, str]:
    """The skills to give more time than in a plan for all clients, each with why, in words."""
    if profile.reference == "all-clients" or not all(s in national for s in SOFT_SKILLS):
        return {}
    if profile.assessed:
        rows = compare_needs(
            {s: (profile.needs_help[s].percent, profile.needs_help[s].count) for s in SOFT_SKILLS},
            profile.assessed,
            national,
        )
        return {row.skill: _tested_higher(row) for row in rows if row.significantly_higher}
    if profile.reference and profile.higher:
        table = library.references[profile.reference][1]
        return {
            skill: _(
                "Table {table} of the article finds it significantly higher for this group than for all "
                "'Not Ready' clients ({group} against {national})"
            ).format(
                table=table.table, group=percent(profile.needs_help[skill].percent), national=percent(national[skill])
            )
            for skill in profile.higher
        }
    return {}


def _tested_higher(row: NeedRow) -> str:
    """Why a group's own test flags a skill: its count against the national share, and the test's p."""
    count = row.count or 0
    return ngettext(
        "{count} of {assessed} in this group need help, against {national} of all "
        "'Not Ready' clients nationally (exact binomial test, p {p})",
        "{count} of {assessed} in this group need help, against {national} of all "
        "'Not Ready' clients nationally (exact binomial test, p {p})",
        count,
    ).format(count=count, assessed=row.assessed, national=percent(row.reference), p=format_p(row.p_value))


def all_clients(national: dict[str, float]) -> Profile:
    """The profile of all 'Not Ready' clients nationally: the plan a group's plan is weighed against."""
    return Profile(
        group="All clients",
        needs_help={s: Need(percent=national[s]) for s in SOFT_SKILLS},
        reference="all-clients",
        client_group="all-clients",
    )


def tailored(
    plan_with: Callable[[dict[str, float]], Plan], flagged: dict[str, str], baseline: Plan, library: Library
) -> Plan:
    """The plan whose flagged skills get more minutes than in ``baseline``.

    ``plan_with`` plans with each skill's weight multiplied by its factor. Each try multiplies
    the factor of every flagged skill still short by :data:`BOOST`, up to :data:`TRIES` tries,
    and then leans each session's minutes towards the short skills (:func:`leaned`). The first
    plan that gives all of them more is kept, else the one that gives fewest of them less, then
    most of them more (the largest margin breaking ties). Each flagged skill's need records why
    it is flagged and its minutes in ``baseline``.
    """
    before = coverage(baseline, library)
    boost = dict.fromkeys(flagged, 1.0)
    best: tuple[tuple[int, int, int], Plan] | None = None
    for _try in range(TRIES):
        plan = leaned(focused(plan_with(boost), library, before, set(flagged)), library, before, set(flagged))
        minutes = coverage(plan, library)
        short = [s for s in flagged if minutes[s] <= before[s]]
        less = sum(minutes[s] < before[s] for s in flagged)
        score = (-less, len(flagged) - len(short), sum(minutes[s] - before[s] for s in flagged))
        if best is None or score > best[0]:
            best = (score, plan)
        if not short:
            break
        boost.update({s: boost[s] * BOOST for s in short})
    assert best is not None
    needs = [
        need.model_copy(update={"flagged": flagged[need.skill], "all_clients_minutes": before[need.skill]})
        if need.skill in flagged
        else need
        for need in best[1].needs
    ]
    return best[1].model_copy(update={"needs": needs})


def focused(plan: Plan, library: Library, before: dict[str, int], flagged: set[str]) -> Plan:
    """``plan`` with each routine block (an opening or closing card) that can ask a step for a flagged skill
    (``Step.focus``) asking it for the one furthest behind the all-clients minutes, in turn; its reason says so.
    A block already given a focus keeps it."""
    sessions = [list(session.blocks) for session in plan.sessions]
    for blocks in sessions:
        for index, block in enumerate(blocks):
            card = library.activities.get(block.activity or "")
            offered = [s for s in card.focus_skills if s in flagged] if card is not None else []
            if block.kind not in ("opening", "closing") or block.focus or not offered:
                continue
            minutes = _minutes(sessions, library)
            skill = min(offered, key=lambda s: minutes[s] - before[s])
            note = _("this time it asks about {skill}, which this group needs more than most").format(
                skill=skill_words(skill)
            )
            blocks[index] = block.model_copy(
                update={"focus": skill, "reason": f"{block.reason}; {note}" if block.reason else note.capitalize()}
            )
    return plan.model_copy(
        update={"sessions": [s.model_copy(update={"blocks": b}) for s, b in zip(plan.sessions, sessions)]}
    )


def _target(before: int) -> int:
    """Minutes a flagged skill is leaned towards: a tenth more than the all-clients plan, and at least 5 more."""
    return before + max(LEAN_STEP, math.ceil(before * LEAN_MARGIN / LEAN_STEP) * LEAN_STEP)


class _Move(NamedTuple):
    """Minutes to hand from one block of a session to another."""

    session: int
    giver: int
    taker: int


def leaned(plan: Plan, library: Library, before: dict[str, int], flagged: set[str]) -> Plan:
    """``plan`` leaned towards the flagged skills still short of their :func:`_target`.

    Minutes move, :data:`LEAN_STEP` at a time, within a session between soft-skill cards
    (:func:`_next_move`); when no move helps, a soft-skill card gives its place to an unused
    card of its component that builds a short skill (:func:`_next_swap`). Nothing leaves a
    flagged skill at or below the all-clients minutes that was above them; every change is
    said in the block's reason, and a card given up under ``left_out``.
    """
    sessions = [list(session.blocks) for session in plan.sessions]
    given: dict[tuple[int, int], int] = {}
    left = list(plan.left_out)
    priority: set[str] = {need.skill for need in plan.needs if need.percent >= plan.threshold}
    while True:
        if (move := _next_move(sessions, library, before, flagged)) is not None:
            for index, change in ((move.giver, -LEAN_STEP), (move.taker, LEAN_STEP)):
                block = sessions[move.session][index]
                sessions[move.session][index] = block.model_copy(update={"minutes": block.minutes + change})
                given[move.session, index] = given.get((move.session, index), 0) + change
        elif (
            swap := _next_swap(sessions, library, before, flagged, {out.activity for out in left}, priority)
        ) is not None:
            number, index, card = swap
            out = library.activities[sessions[number][index].activity or ""]
            why = _("chosen for {skills}, which this group needs more than most").format(
                skills=_skill_words(card.skills, flagged)
            )
            block = sessions[number][index]
            instead = _("{reason}, in place of '{card}'").format(reason=why, card=out.title)
            sessions[number][index] = block.model_copy(update={"activity": card.id, "reason": instead})
            gave = _("gave its place to '{card}', {why}").format(card=card.title, why=why)
            left.append(LeftOut(activity=out.id, reason=gave, cause="room"))
            given.pop((number, index), None)  # minutes moved earlier went to the card given up: not this one's
        else:
            break
    for (number, index), change in given.items():
        if change > 0:
            block = sessions[number][index]
            skills = _skill_words(library.activities[block.activity or ""].skills, flagged)
            longer = _("{reason}; {minutes} minutes longer for {skills}, which this group needs more than most")
            note = longer.format(reason=block.reason, minutes=change, skills=skills)
            sessions[number][index] = block.model_copy(update={"reason": note})
    blocks = [s.model_copy(update={"blocks": b}) for s, b in zip(plan.sessions, sessions)]
    return plan.model_copy(update={"sessions": blocks, "left_out": left})


def _skill_words(skills: list[str], flagged: set[str]) -> str:
    """'self-efficacy and job maintenance': the flagged ones among ``skills``."""
    return joined([skill_words(s) for s in skills if s in flagged])


def _next_swap(
    sessions: list[list[Block]],
    library: Library,
    before: dict[str, int],
    flagged: set[str],
    left: set[str],
    priority: set[str],
) -> tuple[int, int, Activity] | None:
    """The first (session, block, card): an unused soft-skill card (never one already left out, whose reason
    the facilitator reads) of the block's component that can run in its
    minutes and after all it needs, no placed card needing the card it replaces (nor a priority skill only that
    card practises), and that brings the flagged
    skills closer to their targets without leaving one at or below the all-clients minutes; None if none."""
    minutes = _minutes(sessions, library)
    now = _progress(minutes, before, flagged)
    components = {c.id: c for p in library.programs.values() for c in p.components}
    placed = {b.activity: (n, i) for n, blocks in enumerate(sessions) for i, b in enumerate(blocks) if b.activity}
    needed = {need for a in placed for need in library.activities[a].after}
    for number, blocks in enumerate(sessions):
        for index, block in enumerate(blocks):
            out = library.activities.get(block.activity or "")
            if (
                block.kind != "activity"
                or out is None
                or out.core
                or out.id in needed
                or block.component not in components
            ):
                continue
            others = {s for a in placed if a != out.id for s in library.activities[a].skills}
            if any(s in priority and s not in others for s in out.skills):
                continue  # the only card practising a priority skill stays
            lost = practice_minutes(out, block.minutes)
            for card in (library.activities[a] for a in components[block.component].activities):
                if card.id in placed or card.id in left or card.core:
                    continue
                if not card.minutes.min <= block.minutes <= card.minutes.max:
                    continue
                gain = practice_minutes(card, block.minutes)
                after = {s: minutes[s] + gain.get(s, 0) - lost.get(s, 0) for s in flagged}
                kept = all(after[s] > before[s] or after[s] >= minutes[s] for s in flagged)
                if (
                    kept
                    and _progress(after, before, flagged) > now
                    and _runs_after_needs(card, (number, index), placed)
                ):
                    return number, index, card
    return None


def _runs_after_needs(card: Activity, where: tuple[int, int], placed: dict[str, tuple[int, int]]) -> bool:
    """Whether everything ``card`` needs is placed early enough for it to run at ``where`` (session, block)."""
    for need in card.after:
        if need not in placed:
            return False
        if card.sessions_after and placed[need][0] + card.sessions_after > where[0]:
            return False
        if placed[need] >= where:
            return False
    return True


def _next_move(
    sessions: list[list[Block]], library: Library, before: dict[str, int], flagged: set[str]
) -> _Move | None:
    """The first move between two soft-skill cards of a session that brings the flagged skills closer to their
    targets (:func:`_progress` grows) and leaves none of them at or below the all-clients minutes that was above
    them; None when there is none."""
    minutes = _minutes(sessions, library)
    now = _progress(minutes, before, flagged)
    for number, blocks in enumerate(sessions):
        soft = [
            (i, b, card)
            for i, b in enumerate(blocks)
            if b.kind == "activity" and (card := library.activities.get(b.activity or "")) is not None and not card.core
        ]
        takers = [(i, set(card.skills)) for i, b, card in soft if b.minutes + LEAN_STEP <= card.minutes.max]
        givers = [(i, set(card.skills)) for i, b, card in soft if b.minutes - LEAN_STEP >= card.minutes.min]
        for taker, gains in takers:
            for giver, losses in givers:
                after = {s: minutes[s] + LEAN_STEP * ((s in gains) - (s in losses)) for s in flagged}
                kept = all(after[s] > before[s] or after[s] >= minutes[s] for s in flagged)
                if taker != giver and kept and _progress(after, before, flagged) > now:
                    return _Move(number, giver, taker)
    return None


def _progress(minutes: dict[str, int], before: dict[str, int], flagged: set[str]) -> int:
    """How far the flagged skills have come towards their targets: leaning only ever makes this grow."""
    return sum(min(minutes[s], _target(before[s])) for s in flagged)


def _minutes(sessions: list[list[Block]], library: Library) -> dict[str, int]:
    """Minutes that practise each soft skill in these sessions (as :func:`~curriculum_gen.plan.summary.coverage`)."""
    return blocks_coverage((block for blocks in sessions for block in blocks), library)
