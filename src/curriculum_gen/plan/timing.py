"""The plan's time: each session's frame, the components' shares cut into segments, and fitted durations.

The planner (:mod:`curriculum_gen.plan.planner`) chooses the cards; this module says how
many minutes each part of each session has, and fits the chosen cards' durations within
their min–max to fill those minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise
from typing import NamedTuple

from curriculum_gen.errors import InputError, Problem
from curriculum_gen.load.library import Library
from curriculum_gen.models import Activity, Component, FrameBlock
from curriculum_gen.plan.breaks import break_minutes
from curriculum_gen.plan.value import activity_value, most_valuable_first

UNIT = 5
"""Component boundaries land on five-minute marks."""
SHARE_FLEX = 0.3
"""How far (±30%) a component's share of time may lean towards this group's needs."""
MIN_CONTENT = 15
"""A session needs at least this much time after its frame."""


@dataclass(frozen=True)
class Pick:
    """A card chosen for a segment: why it was chosen, and how many minutes it runs."""

    activity: Activity
    reason: str
    minutes: int

    @property
    def fixed(self) -> bool:
        """A core card keeps the minutes its component's ``core_share`` gave it: fitting never changes them."""
        return self.activity.core

    @property
    def shortest(self) -> int:
        return self.minutes if self.fixed else self.activity.minutes.min

    @property
    def longest(self) -> int:
        return self.minutes if self.fixed else self.activity.minutes.max


@dataclass(eq=False)
class Segment:
    """The part of one component that falls in one session, and the cards chosen for it.

    Two kinds of step change a segment, in place: handing time between the segments of a
    session changes ``minutes`` (:func:`borrow`, the planner's slack), and placing, moving
    or fitting a card replaces ``picks``.
    The picks are kept in the order their component lists them, the order they run in (except
    that a card runs after one it needs in the same segment: :mod:`curriculum_gen.plan.order`).
    """

    session: int
    component: str
    program: str
    minutes: int
    picks: list[Pick] = field(default_factory=list)

    @property
    def cards(self) -> list[Activity]:
        return [pick.activity for pick in self.picks]

    @property
    def used(self) -> int:
        return sum(pick.minutes for pick in self.picks)

    @property
    def free(self) -> int:
        """Minutes the picks leave (negative when they run over)."""
        return self.minutes - self.used

    @property
    def shortest(self) -> int:
        """Minutes the picks take at their shortest."""
        return sum(pick.shortest for pick in self.picks)

    @property
    def longest(self) -> int:
        """Minutes the picks take at their longest."""
        return sum(pick.longest for pick in self.picks)


class Share(NamedTuple):
    """A component's fraction of all the sessions' content time together."""

    program: str
    component: str
    share: float


def frame_blocks(library: Library, first: bool, part: str) -> list[FrameBlock]:
    """The frame's ``part`` ('opening' or 'closing') for the first session or a later one."""
    assert library.frame is not None
    wanted = ("first", "all") if first else ("later", "all")
    return [b for b in getattr(library.frame, part) if b.sessions in wanted]


def content_minutes(library: Library, sessions: int, minutes: int) -> list[int]:
    """Each session's minutes for activities: its length less its frame's openings, closings and breaks.

    Raises:
        InputError: when a session keeps less than ``MIN_CONTENT`` minutes after its frame.
    """
    content: list[int] = []
    breaks = sum(break_minutes(library, minutes))
    for number in range(1, sessions + 1):
        frame = sum(b.minutes for part in ("opening", "closing") for b in frame_blocks(library, number == 1, part))
        frame += breaks
        left = minutes - frame
        if left < MIN_CONTENT:
            raise InputError(
                Problem(
                    "--minutes",
                    message=(
                        f"{minutes} minutes leaves {left} for activities in session {number} after its "
                        f"{frame}-minute opening{', breaks' if breaks else ''} and closing "
                        f"(expected at least {MIN_CONTENT}; try --minutes {frame + 60})"
                    ),
                )
            )
        content.append(left)
    return content


def component_of(library: Library, program: str, component: str) -> Component:
    """The component ``component`` of program ``program``."""
    return next(c for c in library.programs[program].components if c.id == component)


def component_weights(library: Library, program_id: str, weights: dict[str, float]) -> dict[str, float]:
    """Each component's share of its program, leaned towards the components this group needs most.

    A component's worth is the mean value of its three best activities for this group; its
    share moves by twice its relative difference from the program's average worth, at
    most ±30%, and the shares are scaled back to add up to the same total.
    """
    components = library.programs[program_id].components
    worth = {}
    for comp in components:
        values = sorted((activity_value(library.activities[a], weights) for a in comp.activities), reverse=True)
        worth[comp.id] = sum(values[:3]) / len(values[:3])
    mean = sum(worth.values()) / len(worth)
    raw = {
        c.id: c.share * min(1 + SHARE_FLEX, max(1 - SHARE_FLEX, 1 + 2 * (worth[c.id] - mean) / mean))
        if mean
        else float(c.share)
        for c in components
    }
    total = sum(raw.values())
    return {cid: 100 * value / total for cid, value in raw.items()}


def component_shares(library: Library, programs: tuple[str, ...], total: int, weights: dict[str, float]) -> list[Share]:
    """Each component's share of all ``total`` content minutes, programs splitting the time evenly.

    A share is leaned towards this group's needs (:func:`component_weights`), but never to
    more time than the component's cards usually take, unless its own share already gives it more.
    """
    shares: list[Share] = []
    caps: list[float] = []
    for pid in programs:
        leaned = component_weights(library, pid, weights)
        for comp in library.programs[pid].components:
            shares.append(Share(pid, comp.id, leaned[comp.id] / 100 / len(programs)))
            room = sum(library.activities[a].minutes.typical for a in comp.activities) / total
            caps.append(max(room, comp.share / 100 / len(programs)))
    return _capped(shares, caps)


def _capped(shares: list[Share], caps: list[float]) -> list[Share]:
    """Shares held under their caps, the excess handed to the others in proportion."""
    values = [s.share for s in shares]
    for _ in range(len(values)):
        excess = sum(max(0.0, v - c) for v, c in zip(values, caps))
        if excess <= 1e-12:
            break
        values = [min(v, c) for v, c in zip(values, caps)]
        open_total = sum(v for v, c in zip(values, caps) if v < c)
        if open_total <= 0:
            break
        values = [v + excess * v / open_total if v < c else v for v, c in zip(values, caps)]
    return [s._replace(share=v) for s, v in zip(shares, values)]


def _component_bounds(shares: list[Share], total: int) -> list[int]:
    """Where the components start and end, laid end to end on the whole timeline, rounded to ``UNIT``."""
    bounds, acc = [0], 0.0
    for share in shares:
        acc += share.share
        bounds.append(min(total, UNIT * round(total * acc / UNIT)))
    bounds[-1] = total
    return bounds


def lay_out(
    library: Library, programs: tuple[str, ...], content: list[int], weights: dict[str, float]
) -> list[Segment]:
    """Cut the components' time into per-session segments, in session order then component order.

    The components are laid end to end across the sessions' content minutes, so a component
    may continue into the next session; a part too short for any of its cards is merged away.
    """
    total = sum(content)
    shares = component_shares(library, programs, total, weights)
    bounds = _component_bounds(shares, total)
    segments: list[Segment] = []
    for number, (lo, hi) in enumerate(pairwise(accumulate(content, initial=0)), start=1):
        in_session = [
            Segment(number, share.component, share.program, min(end, hi) - max(start, lo))
            for share, start, end in zip(shares, bounds, bounds[1:])
            if min(end, hi) - max(start, lo) > 0
        ]
        segments += _merge_slivers(in_session, library)
    return segments


def _merge_slivers(segments: list[Segment], library: Library) -> list[Segment]:
    """A session's segments, each sliver too short for every card of its component merged into a neighbour.

    The sliver's minutes go to the segment before it (the one after, if it is the first);
    the first sliver is merged, then the search starts again.
    """

    def is_sliver(seg: Segment) -> bool:
        comp = component_of(library, seg.program, seg.component)
        return seg.minutes < min(library.activities[a].minutes.min for a in comp.activities)

    merged = list(segments)
    while len(merged) > 1:
        sliver = next((i for i, seg in enumerate(merged) if is_sliver(seg)), None)
        if sliver is None:
            break
        into = sliver - 1 if sliver > 0 else sliver + 1
        merged[into] = replace(merged[into], minutes=merged[into].minutes + merged[sliver].minutes)
        del merged[sliver]
    return merged


class _Nearest(NamedTuple):
    """Sort key for the segments of a session: the nearest to a given one first, then the earlier."""

    distance: int
    position: int


def borrow(segments: list[Segment], seg: Segment, needed: int) -> None:
    """Move up to ``needed`` free minutes into ``seg`` from the other segments of its session, nearest first."""
    here = segments.index(seg)
    donors = sorted(
        (s for s in segments if s.session == seg.session and s is not seg),
        key=lambda s: _Nearest(abs(segments.index(s) - here), segments.index(s)),
    )
    for donor in donors:
        if needed <= 0:
            return
        give = min(needed, donor.free)
        donor.minutes -= give
        seg.minutes += give
        needed -= give


def in_component_order(picks: list[Pick], cards: list[Activity]) -> list[Pick]:
    """The picks in the order their component lists its ``cards``: the order they run in."""
    ids = [card.id for card in cards]
    return sorted(picks, key=lambda pick: ids.index(pick.activity.id))


def at_shortest(picks: list[Pick]) -> list[Pick]:
    """The picks, each at its card's shortest length."""
    return [replace(pick, minutes=pick.shortest) for pick in picks]


def core_lengths(cards: list[Activity], target: float) -> list[int]:
    """Minutes for a component's core cards: ``target`` shared in proportion to their usual lengths,
    each on a five-minute mark where it can be and within its card's min..max."""
    typical = sum(card.minutes.typical for card in cards)
    lengths = []
    for card in cards:
        wanted = UNIT * round(target * card.minutes.typical / typical / UNIT)
        lengths.append(min(card.minutes.max, max(card.minutes.min, wanted)))
    return lengths


def fitted(picks: list[Pick], minutes: int, weights: dict[str, float]) -> list[Pick]:
    """The picks stretched or shrunk within each card's min..max to fill ``minutes`` exactly, as far as they can.

    A core card keeps its minutes (:attr:`Pick.fixed`). The activities worth most to this group stretch first and shrink last, so the group's
    biggest needs get the extra minutes.
    """
    durations = [pick.minutes for pick in picks]
    order = sorted(range(len(picks)), key=lambda i: most_valuable_first(picks[i].activity, weights))
    delta = minutes - sum(durations)
    for i in order if delta > 0 else reversed(order):
        if delta > 0:
            change = min(delta, picks[i].longest - durations[i])
        else:
            change = -min(-delta, durations[i] - picks[i].shortest)
        durations[i] += change
        delta -= change
    return [replace(pick, minutes=d) for pick, d in zip(picks, durations)]
