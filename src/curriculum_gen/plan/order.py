"""Keep the order cards need: what each declares must run before it (``after``), and how many sessions between.

:func:`respect_order` runs once the cards are chosen and placed. For each card whose need is
broken, in the order the workshop runs, it tries in turn:

1. a card it needs that is not in the plan is pulled in, at a place before it that has room
   (the cards there shrink within their min–max), or in place of a card worth less to the
   group than the one that needs it;
2. a card it needs that runs too late (or in the same session, when real time must pass) is
   put right: the card moves to a later part of its component, or what it needs to an earlier
   one, each where there is room, or either changes places with a card of its component;
3. failing that, the card is left out, and the time it leaves may go to another card of its
   component that builds a priority skill or fills the time.

A change is kept only when it breaks nothing that held before, so the steps end; every
decision is written in the reason of the blocks it touches, or as a :class:`LeftOut` note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from curriculum_gen.i18n import gettext as _
from curriculum_gen.i18n import ngettext
from curriculum_gen.load.library import Library
from curriculum_gen.models import Activity, LeftOut, skill_words
from curriculum_gen.plan.timing import Pick, Segment, at_shortest, fitted, frame_blocks
from curriculum_gen.plan.value import activity_value, best_value_per_minute_first, least_valuable_first


@dataclass(frozen=True)
class Ordering:
    """What keeping the order reads: the library, what the group's needs weigh, each component's cards."""

    library: Library
    weights: dict[str, float]
    cards: dict[str, list[Activity]]
    """Each component's cards (by component id), in the order the component lists them."""
    priority: frozenset[str]
    """The soft skills at or above the threshold: a card that alone builds one is not given up for room."""


class Position(NamedTuple):
    """Where a card runs: by session, then opening (0), content (1) or closing (2), then segment, then place."""

    session: int
    part: int
    segment: int
    place: int


class Broken(NamedTuple):
    """A card whose need is not met: the card, the segment it runs in, the card it needs, and whether that is missing."""

    card: Activity
    segment: Segment
    need: Activity
    missing: bool


def respect_order(segments: list[Segment], ordering: Ordering) -> list[LeftOut]:
    """Make every placed card run after what it needs, or leave it out; returns the cards left out, and why.

    Changes ``segments`` in place, like the planner's other steps: their picks, and the minutes
    of a segment whose cards moved away, which go to a neighbour in its session (:func:`_hand_on_slack`).
    """
    left: list[LeftOut] = []
    slack = [_slack([seg]) for seg in segments]
    for _try in range(4 * len(ordering.library.activities) + 4):  # each change breaks less, or adds or drops a card
        broken = broken_needs(segments, ordering)
        if not broken:
            break
        if not _repair(broken[0], segments, ordering, left):
            _leave_out(broken[0], segments, ordering, left)
    while broken := broken_needs(segments, ordering):
        _leave_out(broken[0], segments, ordering, left)
    _hand_on_slack(segments, ordering, slack)
    return left


def _hand_on_slack(segments: list[Segment], ordering: Ordering, before: list[int]) -> None:
    """Time the changes left unfilled goes to a neighbour in the same session whose cards can stretch over it.

    The next segment is asked first, then the one before; a segment left with no cards and no
    minutes is dropped.
    """
    for i, seg in enumerate(segments):
        extra = _slack([seg]) - before[i]
        for j in (i + 1, i - 1):
            if extra <= 0 or not 0 <= j < len(segments) or segments[j].session != seg.session:
                continue
            taker = segments[j]
            give = min(extra, taker.longest - taker.minutes)
            if give > 0:
                seg.minutes -= give
                taker.minutes += give
                extra -= give
                _set(seg, seg.picks, ordering)
                _set(taker, taker.picks, ordering)
    segments[:] = [seg for seg in segments if seg.minutes > 0 or seg.picks]


def broken_needs(segments: list[Segment], ordering: Ordering) -> list[Broken]:
    """Every (card, need) pair that does not hold, in the order the workshop runs."""
    where = _positions(segments, ordering.library)
    broken: list[Broken] = []
    for seg in segments:
        for pick in seg.picks:
            card = pick.activity
            for need_id in card.after:
                need = ordering.library.activities.get(need_id)
                if need is None or need_id == card.id:
                    continue  # ``validate`` refuses these; a library with them never gets here
                if need_id not in where:
                    broken.append(Broken(card, seg, need, missing=True))
                elif not _runs_before(where[need_id], where[card.id], card.sessions_after):
                    broken.append(Broken(card, seg, need, missing=False))
    return broken


def _runs_before(need: Position, card: Position, sessions: int) -> bool:
    """Whether a card at ``need`` runs before one at ``card``, with at least ``sessions`` sessions between."""
    return need < card and card.session - need.session >= sessions


def _positions(segments: list[Segment], library: Library) -> dict[str, Position]:
    """Where each card first runs: the planned cards, and the frame's openings and closings."""
    where: dict[str, Position] = {}
    last = max((seg.session for seg in segments), default=0)
    for session in range(1, last + 1):
        for part, name in ((0, "opening"), (2, "closing")):
            for i, block in enumerate(frame_blocks(library, session == 1, name) if library.frame else []):
                where.setdefault(block.activity, Position(session, part, 0, i))
    for s, seg in enumerate(segments):
        for i, pick in enumerate(seg.picks):
            where.setdefault(pick.activity.id, Position(seg.session, 1, s, i))
    return where


def _pairs(segments: list[Segment], ordering: Ordering) -> set[tuple[str, str]]:
    """The broken (card, need) pairs, by id."""
    return {(b.card.id, b.need.id) for b in broken_needs(segments, ordering)}


# -- changing the segments ------------------------------------------------------------------------


def _run_order(picks: list[Pick], cards: list[Activity]) -> list[Pick]:
    """The picks in their component's order, except that a card runs after what it needs from the same segment."""
    ids = [card.id for card in cards]
    todo = sorted(picks, key=lambda pick: ids.index(pick.activity.id))
    here = {pick.activity.id for pick in picks}
    done: list[Pick] = []
    while todo:
        ready = next(
            (p for p in todo if all(n not in here or n in {d.activity.id for d in done} for n in p.activity.after)),
            todo[0],  # a cycle (``validate`` refuses it): keep the component's order
        )
        done.append(ready)
        todo.remove(ready)
    return done


def _set(seg: Segment, picks: list[Pick], ordering: Ordering) -> None:
    """Give ``seg`` these picks, in run order, fitted to its minutes from their shortest."""
    seg.picks = fitted(at_shortest(_run_order(picks, ordering.cards[seg.component])), seg.minutes, ordering.weights)


def _room(seg: Segment, without: Activity | None = None) -> int:
    """Minutes ``seg`` has for another card once its cards (but ``without``) shrink to their shortest."""
    return seg.minutes - sum(p.shortest for p in seg.picks if p.activity is not without)


def _reason(seg: Segment, card: Activity) -> str:
    return next(pick.reason for pick in seg.picks if pick.activity is card)


def _move(card: Activity, source: Segment, target: Segment, note: str, ordering: Ordering) -> None:
    """Move ``card`` from ``source`` to ``target``, its reason followed by ``note``."""
    reason = f"{_reason(source, card)}; {note}"
    _set(source, [p for p in source.picks if p.activity is not card], ordering)
    _set(target, [*target.picks, Pick(card, reason, card.minutes.min)], ordering)


def _kept(
    segments: list[Segment],
    ordering: Ordering,
    change: Callable[[], None],
    accept: Callable[[set[tuple[str, str]], set[tuple[str, str]]], bool],
    tight: bool = False,
) -> bool:
    """Make ``change``; undo it unless ``accept`` takes the broken pairs before and after (and, when ``tight``,
    unless it leaves time no card can fill, :func:`_slack`). Whether it was kept."""
    before, slack = _pairs(segments, ordering), _slack(segments)
    saved = [seg.picks for seg in segments]
    change()
    if accept(before, _pairs(segments, ordering)) and not (tight and _slack(segments) > slack):
        return True
    for seg, picks in zip(segments, saved):
        seg.picks = picks
    return False


def _slack(segments: list[Segment]) -> int:
    """Minutes the cards cannot fill even at their longest (they become catch-up time)."""
    return sum(max(0, seg.minutes - seg.longest) for seg in segments)


class _Change(NamedTuple):
    """One way to put a broken need right: what to do, and the card it leaves out to make room, if any."""

    make: Callable[[], None]
    leaves_out: LeftOut | None = None


def _first_kept(
    changes: list[_Change],
    segments: list[Segment],
    ordering: Ordering,
    accept: Callable[[set[tuple[str, str]], set[tuple[str, str]]], bool],
    left: list[LeftOut],
) -> bool:
    """Keep the first change ``accept`` takes, preferring one that leaves no time unfilled; whether one was kept."""
    for tight in (True, False):
        for change in changes:
            if _kept(segments, ordering, change.make, accept, tight):
                if change.leaves_out is not None:
                    left.append(change.leaves_out)
                return True
    return False


def _component_segments(card: Activity, segments: list[Segment], ordering: Ordering) -> list[Segment]:
    """The segments whose component lists ``card``, in the order they run."""
    return [seg for seg in segments if card in ordering.cards[seg.component]]


def _gap(sessions: int) -> str:
    """'first', or 'at least one session earlier' (when real time must pass between)."""
    if sessions == 0:
        # Translators: how early a card must run before the one that needs it ("which it needs first").
        return _("first")
    return ngettext("at least one session earlier", "at least {count} sessions earlier", sessions).format(
        count=sessions
    )


def _is_placed(card: Activity, segments: list[Segment]) -> bool:
    return any(card in seg.cards for seg in segments)


def _builds_alone(card: Activity, segments: list[Segment], ordering: Ordering, joining: Activity) -> bool:
    """Whether ``card`` is the only placed card (with ``joining`` added) that builds one of the priority skills."""
    others = {s for seg in segments for a in [*seg.cards, joining] if a is not card for s in a.skills}
    return any(s in ordering.priority and s not in others for s in card.skills)


def _needed(card: Activity, segments: list[Segment]) -> bool:
    """Whether a placed card needs ``card``."""
    return any(card.id in a.after for seg in segments for a in seg.cards)


def _value(card: Activity, ordering: Ordering) -> float:
    return activity_value(card, ordering.weights)


def _left_ids(left: list[LeftOut]) -> set[str]:
    return {note.activity for note in left}


def _precedes(seg: Segment, broken: Broken, segments: list[Segment]) -> bool:
    """Whether a card in ``seg`` would run early enough for ``broken.card``."""
    there, here = segments.index(seg), segments.index(broken.segment)
    gap = broken.segment.session - seg.session >= broken.card.sessions_after
    return gap and (there < here or (seg is broken.segment and broken.card.sessions_after == 0))


def _breaks_nothing(before: set[tuple[str, str]], after: set[tuple[str, str]]) -> bool:
    return after <= before


# -- the three ways to put a broken need right ------------------------------------------------------


def _repair(broken: Broken, segments: list[Segment], ordering: Ordering, left: list[LeftOut]) -> bool:
    """Pull in a missing need, or move a late one (or its card); whether the need now holds."""
    if broken.missing:
        return broken.need.id not in _left_ids(left) and _pull_in(broken, segments, ordering, left)
    return _reorder(broken, segments, ordering, left)


def _pull_in(broken: Broken, segments: list[Segment], ordering: Ordering, left: list[LeftOut]) -> bool:
    """Put the missing need where it runs early enough: in a segment with room, else in place of a lesser card.

    The latest such segment is tried first, so the need runs close to the card that needs it.
    """
    card, need = broken.card, broken.need
    pair, gap = (card.id, need.id), _gap(card.sessions_after)

    def accept(before: set[tuple[str, str]], after: set[tuple[str, str]]) -> bool:
        return pair not in after and all(dependent == need.id for dependent, _ in after - before)

    places = [seg for seg in _component_segments(need, segments, ordering) if _precedes(seg, broken, segments)]
    places.reverse()
    if card.sessions_after:
        reason = _("pulled in before '{card}', which needs it {gap}").format(card=card.title, gap=gap)
    else:
        reason = _("pulled in before '{card}', which needs it").format(card=card.title)
    add = Pick(need, reason, need.minutes.min)
    changes = [
        _Change(partial(_set, seg, [*seg.picks, add], ordering)) for seg in places if _room(seg) >= need.minutes.min
    ]
    for seg in places:
        for out in sorted(seg.cards, key=lambda a: least_valuable_first(a, ordering.weights)):
            if _can_give_way(out, seg, broken, segments, ordering):
                instead = Pick(need, _in_place_of(reason, out), need.minutes.min)
                rest = [p for p in seg.picks if p.activity is not out]
                why = _("made room for '{need}', which '{card}' needs first").format(need=need.title, card=card.title)
                changes.append(
                    _Change(
                        partial(_set, seg, [*rest, instead], ordering),
                        LeftOut(activity=out.id, reason=why, cause="room"),
                    )
                )
    return _first_kept(changes, segments, ordering, accept, left)


def _can_give_way(out: Activity, seg: Segment, broken: Broken, segments: list[Segment], ordering: Ordering) -> bool:
    """Whether ``out`` may leave ``seg`` for ``broken.need``: worth less than the card that needs it,
    needed by no placed card, not alone in building a priority skill, and leaving room enough."""
    return (
        out is not broken.card
        and not out.core
        and _value(out, ordering) < _value(broken.card, ordering)
        and not _needed(out, segments)
        and not _builds_alone(out, segments, ordering, broken.need)
        and _room(seg, without=out) >= broken.need.minutes.min
    )


def _reorder(broken: Broken, segments: list[Segment], ordering: Ordering, left: list[LeftOut]) -> bool:
    """Move the card later or its need earlier (each where there is room), else swap either with a card of its
    component; the first change that breaks nothing that held is kept, one that leaves no time unfilled first."""
    card, need = broken.card, broken.need
    pair, gap = (card.id, need.id), _gap(card.sessions_after)

    def accept(before: set[tuple[str, str]], after: set[tuple[str, str]]) -> bool:
        return pair not in after and after <= before

    home = next(seg for seg in segments if need in seg.cards)
    later = [
        s for s in _component_segments(card, segments, ordering) if segments.index(s) > segments.index(broken.segment)
    ]
    earlier = [s for s in _component_segments(need, segments, ordering) if segments.index(s) < segments.index(home)]
    ways = (
        (card, broken.segment, later, _("moved after '{need}', which it needs {gap}").format(need=need.title, gap=gap)),
        (  # the nearest first
            need,
            home,
            earlier[::-1],
            _("moved before '{card}', which needs it {gap}").format(card=card.title, gap=gap),
        ),
    )
    changes = [
        _Change(partial(_move, mover, source, target, note, ordering))
        for mover, source, targets, note in ways
        for target in targets
        if not mover.core and _room(target) >= mover.minutes.min
    ]
    changes += [
        _Change(partial(_swap, mover, other, source, target, note, ordering))
        for mover, source, targets, note in ways
        for target in targets
        for other in sorted(target.cards, key=lambda a: least_valuable_first(a, ordering.weights))
        if not (mover.core or other.core)
        and _room(target, without=other) >= mover.minutes.min
        and _room(source, without=mover) >= other.minutes.min
    ]
    return _first_kept(changes, segments, ordering, accept, left)


def _swap(mover: Activity, other: Activity, source: Segment, target: Segment, note: str, ordering: Ordering) -> None:
    """``mover`` and ``other`` change places: ``mover`` to ``target``, ``other`` to ``source``."""
    _move(mover, source, target, note, ordering)
    _move(other, target, source, _("changed places with '{card}'").format(card=mover.title), ordering)


def _in_place_of(reason: str, out: Activity) -> str:
    """A reason followed by the card given up for it: '..., in place of 'Mock interview''."""
    return _("{reason}, in place of '{card}'").format(reason=reason, card=out.title)


# -- leaving a card out -----------------------------------------------------------------------------


def _leave_out(broken: Broken, segments: list[Segment], ordering: Ordering, left: list[LeftOut]) -> None:
    """Leave the card out, say why, and give its time to another card of its component where one fits."""
    card, need, seg = broken.card, broken.need, broken.segment
    why = _("it needs '{need}' {gap}, and {why}").format(
        need=need.title, gap=_gap(card.sessions_after), why=_no_way(broken, segments, ordering, left)
    )
    _set(seg, [p for p in seg.picks if p.activity is not card], ordering)
    left.append(LeftOut(activity=card.id, reason=why, cause="order"))
    _fill_gap(seg, card, why, segments, ordering, left)


def _no_way(broken: Broken, segments: list[Segment], ordering: Ordering, left: list[LeftOut]) -> str:
    """Why what ``broken.card`` needs cannot run early enough: the end of a left-out reason."""
    sessions = max(s.session for s in segments)
    if broken.need.id in _left_ids(left) and not _is_placed(broken.need, segments):
        return _("that was left out too")
    if broken.card.sessions_after >= sessions:
        return ngettext(
            "the workshop has only {count} session", "the workshop has only {count} sessions", sessions
        ).format(count=sessions)
    if not _component_segments(broken.need, segments, ordering):
        programs = [ordering.library.programs[p] for p in dict.fromkeys(seg.program for seg in segments)]
        home = next((c for p in programs for c in p.components if broken.need.id in c.activities), None)
        if home is None:
            return _("it is not part of the programs planned")
        return _("'{component}' gets no time before it").format(component=home.title)
    if broken.missing:
        return (
            _("there is no room for it in an earlier session")
            if broken.card.sessions_after
            else _("there is no room for both")
        )
    return _("these sessions have no room to run both in that order")


def _fill_gap(
    seg: Segment, gone: Activity, why: str, segments: list[Segment], ordering: Ordering, left: list[LeftOut]
) -> None:
    """Make up for ``gone``: a card of its component takes its place when the cards left cannot fill the
    time or a priority skill only ``gone`` built is lost; a skill still lost is covered elsewhere."""
    if _lost(gone, segments, ordering) or seg.longest < seg.minutes:
        _take_place(seg, gone, why, segments, ordering, left)
    for skill in _lost(gone, segments, ordering):
        _cover_elsewhere(skill, gone, segments, ordering, left)


def _lost(gone: Activity, segments: list[Segment], ordering: Ordering) -> list[str]:
    """The priority skills ``gone`` built that no placed card builds."""
    built = {s for seg in segments for a in seg.cards for s in a.skills}
    return [s for s in gone.skills if s in ordering.priority and s not in built]


def _take_place(
    seg: Segment, gone: Activity, why: str, segments: list[Segment], ordering: Ordering, left: list[LeftOut]
) -> None:
    """Add the card of ``seg``'s component that fits, runs after all it needs and builds a lost priority skill
    (else gives most value per minute)."""
    lost = set(_lost(gone, segments, ordering))
    skip = _left_ids(left) | {a.id for sg in segments for a in sg.cards}
    fits = [a for a in ordering.cards[seg.component] if a.id not in skip and not a.core and a.minutes.min <= _room(seg)]
    fits.sort(key=lambda a: (not lost & set(a.skills), best_value_per_minute_first(a, ordering.weights)))
    reason = _("takes the place of '{card}', which was left out: {why}").format(card=gone.title, why=why)
    for card in fits:
        add = Pick(card, reason, card.minutes.min)
        if _kept(segments, ordering, partial(_set, seg, [*seg.picks, add], ordering), _breaks_nothing):
            return


class _CoverKey(NamedTuple):
    """Sort key for (segment, card) pairs that could build a lost skill: best first (as the planner's step 4)."""

    builds_it_second: bool
    minus_value: float
    activity: str
    minus_room: int
    session: int


def _cover_elsewhere(
    skill: str, gone: Activity, segments: list[Segment], ordering: Ordering, left: list[LeftOut]
) -> None:
    """Build ``skill`` again with an unused card anywhere it fits and runs after all it needs: where there is
    room, else in place of a card no other card needs and that builds no priority skill alone."""
    skip = _left_ids(left) | {a.id for sg in segments for a in sg.cards}
    options = sorted(
        (
            (seg, card)
            for seg in segments
            for card in ordering.cards[seg.component]
            if card.id not in skip and skill in card.skills and not card.core
        ),
        key=lambda o: _CoverKey(
            skill not in o[1].primary, -_value(o[1], ordering), o[1].id, -_room(o[0]), o[0].session
        ),
    )
    reason = _("chosen for {skill}, which '{card}' built before it was left out").format(
        skill=skill_words(skill), card=gone.title
    )
    for seg, card in options:
        add = Pick(card, reason, card.minutes.min)
        if _room(seg) >= card.minutes.min and _kept(
            segments, ordering, partial(_set, seg, [*seg.picks, add], ordering), _breaks_nothing
        ):
            return
    for seg, card in options:
        for out in sorted(seg.cards, key=lambda a: least_valuable_first(a, ordering.weights)):
            if out.core or _needed(out, segments) or _builds_alone(out, segments, ordering, card):
                continue
            add = Pick(card, _in_place_of(reason, out), card.minutes.min)
            rest = [p for p in seg.picks if p.activity is not out]
            if _room(seg, without=out) >= card.minutes.min and _kept(
                segments, ordering, partial(_set, seg, [*rest, add], ordering), _breaks_nothing
            ):
                note = _("made room for '{card}', which builds {skill} in place of '{gone}'").format(
                    card=card.title, skill=skill_words(skill), gone=gone.title
                )
                left.append(LeftOut(activity=out.id, reason=note, cause="room"))
                return
