"""Profile + programs + sessions × minutes → a timed :class:`Plan`. Pure and deterministic.

The steps of :func:`plan_workshop`, in order:

1. Weigh the soft skills for this group (:func:`~curriculum_gen.plan.value.skill_weights`):
   the share needing help times that share over the national 'Not Ready' share; a card's
   value sums the weights of its skills (half for secondary ones).
2. Take each session's frame (openings, closings and breaks) off its minutes
   (:func:`~curriculum_gen.plan.timing.content_minutes`).
3. Lay out the components: they share the remaining minutes by their shares, leaned up to
   ±30% towards the components worth most to this group, laid end to end across the
   sessions and cut into per-session segments; a component may continue into the next
   session (:func:`~curriculum_gen.plan.timing.lay_out`). Each component's core cards
   (a résumé draft, interview answers) then take its ``core_share`` of that time, in the
   order listed; their minutes stay fixed from here on (:func:`_place_core`).
4. Cover the priority skills: each soft skill at or above the threshold gets the best-value
   card that builds it (:func:`_cover_priority_skills`).
5. Fill each segment by value per minute and fit its durations within each card's min–max,
   the most valuable stretching first and shrinking last; time a segment cannot use goes to
   a neighbour in its session (:func:`_fill_segments`).
6. A segment still short of cards takes one from its component's earlier sessions
   (:func:`_move_cards_forward`).
7. Keep the order cards need: a card runs after what it declares it needs (``after``), with
   ``sessions_after`` sessions between; a missing need is pulled in, a late one moved, or
   else the card is left out, and the plan says which (:func:`_keep_order`).
8. Build the sessions: frame, chosen cards; time no soft-skill card can use stretches the
   segment's core card where it can, or else becomes a catch-up block;
   each break goes between two blocks near its share of the session, one near the middle
   (:func:`~curriculum_gen.plan.breaks.place_breaks`).

Ties always break by id, so the same inputs give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, cast

from curriculum_gen.i18n import gettext as _
from curriculum_gen.i18n import ngettext
from curriculum_gen.load.library import Library
from curriculum_gen.models import (
    SOFT_SKILLS,
    Activity,
    Block,
    ErsFactor,
    LeftOut,
    Plan,
    PlanNeed,
    PlanSession,
    Profile,
    skill_words,
)
from curriculum_gen.plan.breaks import break_minutes, place_breaks
from curriculum_gen.plan.order import Ordering, respect_order
from curriculum_gen.plan.tailoring import all_clients, flagged_skills, tailored
from curriculum_gen.plan.timing import (
    Pick,
    Segment,
    at_shortest,
    borrow,
    component_of,
    content_minutes,
    core_lengths,
    fitted,
    frame_blocks,
    in_component_order,
    lay_out,
)
from curriculum_gen.plan.value import (
    activity_value,
    best_value_per_minute_first,
    neediest_first,
    skill_weights,
)
from curriculum_gen.plan.wording import joined, percent

__all__ = ["PlanOptions", "activity_value", "plan_workshop", "skill_weights"]

DEFAULT_PARTICIPANTS = 12
"""Copies to plan for when neither the profile nor the user says how many will come."""
LOW_VALUE = 0.75
"""A card worth less than this fraction of a segment's best is dropped if others can use its time."""


@dataclass(frozen=True)
class PlanOptions:
    """What to plan: the programs, how many sessions of how many minutes, and the threshold of a priority skill."""

    programs: tuple[str, ...]
    sessions: int
    minutes: int
    threshold: float = 40.0
    start_time: str = "09:00"
    participants: int | None = None
    """People expected (sets copy counts); default: the number assessed, else 12."""


@dataclass(frozen=True)
class _Choosing:
    """What every choice of a card reads: the group, what its needs weigh, and each component's cards."""

    profile: Profile
    national: dict[str, float]
    weights: dict[str, float]
    cards: dict[str, list[Activity]]
    """Each component's cards (by component id), in the order the component lists them."""


def plan_workshop(profile: Profile, library: Library, options: PlanOptions, national: dict[str, float]) -> Plan:
    """Build the plan, tailored so the group's flagged skills get more time than in a plan for all clients
    (:mod:`~curriculum_gen.plan.tailoring`).

    Raises:
        InputError: when the sessions are too short for their frame.
    """
    flagged = flagged_skills(profile, library, national)
    if not flagged:
        return _plan(profile, library, options, national, {})
    baseline = _plan(all_clients(national), library, options, national, {})
    return tailored(lambda boost: _plan(profile, library, options, national, boost), flagged, baseline, library)


def _plan(
    profile: Profile, library: Library, options: PlanOptions, national: dict[str, float], boost: dict[str, float]
) -> Plan:
    """One plan, the skills in ``boost`` weighing that many times more."""
    weights = {skill: weight * boost.get(skill, 1.0) for skill, weight in skill_weights(profile, national).items()}
    content = content_minutes(library, options.sessions, options.minutes)
    segments = lay_out(library, options.programs, content, weights)
    choosing = _Choosing(profile, national, weights, _component_cards(segments, library))
    no_room = _place_core(segments, choosing, library)
    _cover_priority_skills(segments, choosing, options.threshold)
    _fill_segments(segments, choosing)
    if any(seg.free > 0 for seg in segments):
        _move_cards_forward(segments, choosing)
    left_out = no_room + _keep_order(segments, choosing, library, options.threshold)
    return Plan(
        group=profile.group,
        assessed=profile.assessed,
        reference=profile.reference,
        reference_title=library.references[profile.reference][0].title if profile.reference else None,
        programs=list(options.programs),
        threshold=options.threshold,
        participants=options.participants or profile.assessed or DEFAULT_PARTICIPANTS,
        client_group=profile.client_group,
        needs=_plan_needs(profile, national),
        start_time=options.start_time,
        sessions=[_session(n, segments, library, options) for n in range(1, options.sessions + 1)],
        left_out=left_out,
    )


def _component_cards(segments: list[Segment], library: Library) -> dict[str, list[Activity]]:
    """The cards of each component the segments belong to, in the component's order."""
    return {
        seg.component: [library.activities[a] for a in component_of(library, seg.program, seg.component).activities]
        for seg in segments
    }


def _used(segments: list[Segment]) -> set[str]:
    """The ids of the cards already placed: no card runs twice."""
    return {pick.activity.id for seg in segments for pick in seg.picks}


def _place(seg: Segment, card: Activity, reason: str, choosing: _Choosing) -> None:
    """Add ``card`` to ``seg`` at its typical length (or the minutes left, if fewer), in component order."""
    pick = Pick(card, reason, min(card.minutes.typical, seg.free))
    seg.picks = in_component_order([*seg.picks, pick], choosing.cards[seg.component])


def _fit(seg: Segment, choosing: _Choosing) -> None:
    """Fit ``seg``'s durations to its minutes (:func:`~curriculum_gen.plan.timing.fitted`)."""
    seg.picks = fitted(seg.picks, seg.minutes, choosing.weights)


# -- step 3b: the core content -------------------------------------------------------------------


def _place_core(segments: list[Segment], choosing: _Choosing, library: Library) -> list[LeftOut]:
    """Give each component's core cards its ``core_share`` of the component's minutes, before any soft-skill card.

    The cards run in the order the component lists them, each in the first of the component's
    segments (from the last one's on) with room for it; the rest of the time is for soft-skill
    cards. A core card no segment has room for, even borrowing from its session, is left out.
    """
    left: list[LeftOut] = []
    for (program, component), segs in _by_component(segments).items():
        comp = component_of(library, program, component)
        if not comp.core:
            continue
        cards = [library.activities[block.activity] for block in comp.core]
        total = sum(seg.minutes for seg in segs)
        reason = _("core content of '{component}' ({share} of its time is for core content)").format(
            component=comp.title, share=percent(comp.core_share)
        )
        for card, length in zip(cards, core_lengths(cards, comp.core_share * total / 100)):
            placed = _core_segment(card, length, segs, segments)
            if placed is None:
                why = _("'{component}' has no room for its shortest length ({minutes} min) in these sessions").format(
                    component=comp.title, minutes=card.minutes.min
                )
                left.append(LeftOut(activity=card.id, reason=why, cause="room"))
                continue
            segs = segs[segs.index(placed) :]
            pick = Pick(card, reason, min(length, placed.free))
            placed.picks = in_component_order([*placed.picks, pick], choosing.cards[component])
    return left


def _by_component(segments: list[Segment]) -> dict[tuple[str, str], list[Segment]]:
    """Each component's segments, in the order they run."""
    grouped: dict[tuple[str, str], list[Segment]] = {}
    for seg in segments:
        grouped.setdefault((seg.program, seg.component), []).append(seg)
    return grouped


def _core_segment(card: Activity, length: int, own: list[Segment], segments: list[Segment]) -> Segment | None:
    """The segment of ``own`` to run a core card in: the first with room for ``length``, else the first with
    room for its shortest, else the first whose session can lend that room (:func:`borrow`); None if none."""
    for enough in (length, card.minutes.min):
        seg = next((s for s in own if s.free >= enough), None)
        if seg is not None:
            return seg
    for seg in own:
        if seg.free + sum(s.free for s in segments if s.session == seg.session and s is not seg) >= card.minutes.min:
            borrow(segments, seg, card.minutes.min - seg.free)
            return seg
    return None


# -- step 4: cover the priority skills ------------------------------------------------------------


class _CoverKey(NamedTuple):
    """Sort key for (segment, card) pairs that could cover a skill: best first."""

    builds_it_second: bool
    """False first: a card with the skill as a main skill beats one that builds it on the side."""
    minus_value: float
    """Then the card worth most to this group."""
    activity: str
    """Then by card id."""
    minus_free: int
    """For the same card: the segment with most free minutes first."""
    session: int
    """Then the earliest session."""


def _cover_key(skill: str, seg: Segment, card: Activity, weights: dict[str, float]) -> _CoverKey:
    """The key that ranks running ``card`` in ``seg`` to cover ``skill``."""
    return _CoverKey(skill not in card.primary, -activity_value(card, weights), card.id, -seg.free, seg.session)


def _cover_priority_skills(segments: list[Segment], choosing: _Choosing, threshold: float) -> None:
    """Give each soft skill at or above the threshold the best-value card that builds it.

    The neediest skills choose first. A skill an earlier choice already builds is skipped
    (the frame does not count: it is extra practice). When the best card is longer than its
    segment's free time, the segment borrows minutes from its session's other segments.
    """
    priority = sorted(
        (s for s in SOFT_SKILLS if choosing.profile.needs_help[s].percent >= threshold),
        key=lambda s: neediest_first(s, choosing.profile),
    )
    covered: set[str] = set()
    for skill in priority:
        if skill in covered:
            continue
        best = _best_cover(skill, segments, choosing)
        if best is None:
            continue
        seg, card = best
        borrow(segments, seg, card.minutes.min - seg.free)
        reason = _("chosen for {skill}: {needs}").format(
            skill=skill_words(skill), needs=_need_words(skill, choosing.profile, choosing.national)
        )
        _place(seg, card, reason, choosing)
        covered.update(card.skills)


def _best_cover(skill: str, segments: list[Segment], choosing: _Choosing) -> tuple[Segment, Activity] | None:
    """The unused card to build ``skill`` and the segment to run it in (:class:`_CoverKey`), or None.

    A card that fits its own segment's free time is preferred; failing that, one that fits
    the free time of its whole session.
    """
    used = _used(segments)

    def free_in_session(seg: Segment) -> int:
        return sum(s.free for s in segments if s.session == seg.session)

    for room in (lambda seg: seg.free, free_in_session):
        candidates = [
            (seg, card)
            for seg in segments
            for card in choosing.cards[seg.component]
            if card.id not in used and not card.core and skill in card.skills and card.minutes.min <= room(seg)
        ]
        if candidates:
            return min(candidates, key=lambda c: _cover_key(skill, c[0], c[1], choosing.weights))
    return None


# -- step 5: fill the segments --------------------------------------------------------------------


def _fill_segments(segments: list[Segment], choosing: _Choosing) -> None:
    """Fill and fit each segment in turn; time one cannot use goes to its neighbour (:func:`_pass_on_slack`)."""
    for i, seg in enumerate(segments):
        _fill(seg, segments, choosing)
        _fit(seg, choosing)
        if seg.free:
            _pass_on_slack(segments, i, choosing)


def _fill(seg: Segment, segments: list[Segment], choosing: _Choosing) -> None:
    """Add cards to ``seg`` while :func:`_next_fill` finds one."""
    while (card := _next_fill(seg, segments, choosing)) is not None:
        top = sorted(card.skills, key=lambda s: neediest_first(s, choosing.profile))[:2]
        builds = joined(
            [f"{skill_words(s)} ({_need_words(s, choosing.profile, choosing.national, short=True)})" for s in top]
        )
        _place(seg, card, _("good value for this group: builds {skills}").format(skills=builds), choosing)


def _next_fill(seg: Segment, segments: list[Segment], choosing: _Choosing) -> Activity | None:
    """The unused card of best value per minute that fits ``seg``'s free time; None if none does or it gives way."""
    used = _used(segments)
    fits = [a for a in choosing.cards[seg.component] if a.id not in used and not a.core and a.minutes.min <= seg.free]
    if not fits:
        return None
    card = min(fits, key=lambda a: best_value_per_minute_first(a, choosing.weights))
    return None if _gives_way(card, seg, segments, choosing, used) else card


def _gives_way(card: Activity, seg: Segment, segments: list[Segment], choosing: _Choosing, used: set[str]) -> bool:
    """Whether ``card`` is left out because the cards already in ``seg`` can stretch to fill its time instead.

    It is left out when it is worth much less to this group than the best of them
    (``LOW_VALUE``), or when taking it would leave too few cards for the component's
    time in later sessions.
    """
    chosen = seg.cards
    if not chosen or seg.longest - seg.used < seg.free:
        return False
    best = max(activity_value(a, choosing.weights) for a in chosen)
    if activity_value(card, choosing.weights) < LOW_VALUE * best:
        return True
    later = sum(s.minutes for s in segments[segments.index(seg) + 1 :] if s.component == seg.component)
    spare = sum(
        a.minutes.max for a in choosing.cards[seg.component] if a.id not in used and not a.core and a is not card
    )
    return bool(later) and spare < later


def _pass_on_slack(segments: list[Segment], i: int, choosing: _Choosing) -> None:
    """Hand the minutes segment ``i`` cannot use to a neighbour in the same session.

    The next segment takes them into its own time (it is filled next). Failing that, the
    segment before takes them and is filled and fitted again; what it cannot use either
    comes back.
    """
    seg = segments[i]
    slack = seg.free
    if i + 1 < len(segments) and segments[i + 1].session == seg.session:
        seg.minutes -= slack
        segments[i + 1].minutes += slack
    elif i > 0 and segments[i - 1].session == seg.session:
        prev = segments[i - 1]
        prev.minutes += slack
        _fill(prev, segments, choosing)
        _fit(prev, choosing)
        back = prev.free
        prev.minutes -= back
        seg.minutes -= slack - back


# -- step 6: move cards forward -------------------------------------------------------------------


def _move_cards_forward(segments: list[Segment], choosing: _Choosing) -> None:
    """Give a segment its component's cards cannot fill a card from the component's earlier sessions.

    The earlier sessions are tried latest first, each giving at most one card, until the
    segment is full.
    """
    for seg in segments:
        earlier = [s for s in segments if s.component == seg.component and s.session < seg.session]
        for giver in reversed(earlier):
            if seg.free <= 0:
                break
            pick = _movable_pick(giver, seg, choosing)
            if pick is None:
                continue
            cards = choosing.cards[seg.component]
            giver.picks = fitted(
                at_shortest([p for p in giver.picks if p is not pick]), giver.minutes, choosing.weights
            )
            seg.picks = fitted(
                at_shortest(in_component_order([*seg.picks, pick], cards)), seg.minutes, choosing.weights
            )


def _movable_pick(giver: Segment, taker: Segment, choosing: _Choosing) -> Pick | None:
    """The pick ``giver`` can hand to ``taker``, trying its last in component order first; None if none can go.

    The cards left must still fill ``giver`` within their min–max, and the card must fit
    ``taker`` at its shortest beside the cards already there.
    """
    ids = [card.id for card in choosing.cards[taker.component]]
    for pick in sorted(giver.picks, key=lambda p: ids.index(p.activity.id), reverse=True):
        rest = [p for p in giver.picks if p is not pick]
        if (
            not pick.fixed
            and rest
            and sum(p.shortest for p in rest) <= giver.minutes <= sum(p.longest for p in rest)
            and taker.shortest + pick.shortest <= taker.minutes
        ):
            return pick
    return None


# -- step 7: keep the order cards need ------------------------------------------------------------


def _keep_order(segments: list[Segment], choosing: _Choosing, library: Library, threshold: float) -> list[LeftOut]:
    """Every card after what it needs (:func:`~curriculum_gen.plan.order.respect_order`); the cards left out."""
    priority = frozenset(s for s in SOFT_SKILLS if choosing.profile.needs_help[s].percent >= threshold)
    return respect_order(segments, Ordering(library, choosing.weights, choosing.cards, priority))


# -- step 8: the sessions -------------------------------------------------------------------------


def _session(number: int, segments: list[Segment], library: Library, options: PlanOptions) -> PlanSession:
    """One session: its opening, the activities of its segments, then its closing; breaks go between (:func:`place_breaks`)."""
    first = number == 1
    blocks = [
        Block(
            kind="opening",
            activity=b.activity,
            minutes=b.minutes,
            reason=_("opens the first session") if first else _("opens every later session"),
        )
        for b in frame_blocks(library, first, "opening")
    ]
    opening = len(blocks)
    in_session = [seg for seg in segments if seg.session == number]
    for seg in in_session:
        blocks += _segment_blocks(seg, library)
    closing = [
        Block(kind="closing", activity=b.activity, minutes=b.minutes, reason=_("closes every session"))
        for b in frame_blocks(library, first, "closing")
    ]
    blocks = place_breaks([*blocks, *closing], break_minutes(library, options.minutes), opening, len(closing))
    return PlanSession(
        number=number, minutes=options.minutes, components=[seg.component for seg in in_session], blocks=blocks
    )


def _segment_blocks(seg: Segment, library: Library) -> list[Block]:
    """A segment's chosen activities (a core block with the agency's own material, if named); time they
    leave stretches its last core card within its maximum, or else becomes a catch-up block."""
    own = {b.activity: b.own_material for b in component_of(library, seg.program, seg.component).core}
    blocks = [
        Block(
            kind="activity",
            activity=p.activity.id,
            component=seg.component,
            minutes=p.minutes,
            reason=p.reason,
            own_material=own.get(p.activity.id),
        )
        for p in seg.picks
    ]
    stretch = next(
        (b for b in reversed(blocks) if library.activities[b.activity or ""].core and not b.own_material), None
    )
    if (
        seg.free > 0
        and stretch is not None
        and stretch.minutes + seg.free <= library.activities[stretch.activity or ""].minutes.max
    ):
        # no soft-skill card fits the time left: the core content runs that much longer rather than leave a gap
        longer = stretch.model_copy(
            update={
                "minutes": stretch.minutes + seg.free,
                "reason": _("{reason}; {minutes} minutes longer, as no soft-skill card fits the time left").format(
                    reason=stretch.reason, minutes=seg.free
                ),
            }
        )
        blocks[blocks.index(stretch)] = longer
    elif seg.free > 0:
        blocks.append(
            Block(
                kind="catch-up",
                component=seg.component,
                minutes=seg.free,
                reason=_(
                    "time left after every fitting activity ran at its longest; "
                    "use it to practise, catch up or go deeper"
                ),
            )
        )
    return blocks


def _plan_needs(profile: Profile, national: dict[str, float]) -> list[PlanNeed]:
    """The skills the group needs help with, beside the national reference share."""
    return [
        PlanNeed(skill=cast(ErsFactor, k), percent=need.percent, count=need.count, reference_percent=national.get(k))
        for k, need in profile.needs_help.items()
    ]


def _need_words(skill: str, profile: Profile, national: dict[str, float], short: bool = False) -> str:
    """'9 of 12 in this group need help (national 'Not Ready': 72%)', or '9 of 12 need help'."""
    need = profile.needs_help[skill]
    if need.count is not None and profile.assessed:
        count, assessed = need.count, profile.assessed
        if short:
            return ngettext("{count} of {assessed} need help", "{count} of {assessed} need help", count).format(
                count=count, assessed=assessed
            )
        words = ngettext(
            "{count} of {assessed} in this group need help", "{count} of {assessed} in this group need help", count
        ).format(count=count, assessed=assessed)
    elif short:
        return _("{percent} need help").format(percent=percent(need.percent))
    else:
        words = _("{percent} in this group need help").format(percent=percent(need.percent))
    if skill in national and profile.reference != "all-clients":
        words = _("{needs} (national 'Not Ready': {percent})").format(needs=words, percent=percent(national[skill]))
    return words
