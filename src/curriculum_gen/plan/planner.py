"""Profile + programs + sessions × minutes → a timed :class:`Plan`. Pure and deterministic.

1. Every session has a frame (openings and closings) whose minutes come off its budget.
2. Each soft skill gets a weight: the share needing help times that share over the
   national 'Not Ready' share (:func:`skill_weights`); an activity's value sums the
   weights of its skills (half for secondary ones).
3. The programs' components share the remaining minutes by their shares, leaned up to
   ±30% towards the components worth most to this group, laid end to end across the
   sessions; a component may continue into the next session.
4. First, each soft skill at or above the threshold gets the best-value activity that
   covers it; then the rest of each component's time is filled by value per minute;
   then durations are stretched (most valuable first) or shrunk (least valuable first)
   within each card's min–max to fit exactly. Time nothing can use is a catch-up block.
Ties always break by id, so the same inputs give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from curriculum_gen.errors import InputError, Problem
from curriculum_gen.load.library import Library
from curriculum_gen.models import (
    SKILL_TITLES,
    SOFT_SKILLS,
    Activity,
    Block,
    ErsFactor,
    FrameBlock,
    Plan,
    PlanNeed,
    PlanSession,
    Profile,
)

UNIT = 5
"""Component boundaries land on five-minute marks."""
DEFAULT_PARTICIPANTS = 12
"""Copies to plan for when neither the profile nor the user says how many will come."""
LOW_VALUE = 0.75
"""A card worth less than this fraction of a segment's best is dropped if others can use its time."""
SHARE_FLEX = 0.3
"""How far (±30%) a component's share of time may lean towards this group's needs."""
MIN_CONTENT = 15
"""A session needs at least this much time after its frame."""


@dataclass(frozen=True)
class PlanOptions:
    programs: tuple[str, ...]
    sessions: int
    minutes: int
    threshold: float = 40.0
    start_time: str = "09:00"
    participants: int | None = None
    """People expected (sets copy counts); default: the number assessed, else 12."""


@dataclass
class _Segment:
    """The part of one component that falls in one session."""

    session: int
    component: str
    program: str
    minutes: int
    chosen: list[tuple[Activity, str]] = field(default_factory=list)
    durations: list[int] = field(default_factory=list)

    @property
    def used(self) -> int:
        return sum(self.durations)


def frame_blocks(library: Library, first: bool, part: str) -> list[FrameBlock]:
    assert library.frame is not None
    wanted = ("first", "all") if first else ("later", "all")
    return [b for b in getattr(library.frame, part) if b.sessions in wanted]


def skill_weights(profile: Profile, national: dict[str, float]) -> dict[str, float]:
    """How much each soft skill matters for this group.

    The share needing help, times how that share compares with the national 'Not Ready'
    figure: a need the group shares with everyone counts as it is, a need well above the
    national picture (what Table 1 marks in bold) counts more, one below it less.
    """
    weights = {}
    for skill in SOFT_SKILLS:
        share = profile.share(skill)
        base = national.get(skill)
        weights[skill] = share * (share / (base / 100)) if base else share
    return weights


def activity_value(activity: Activity, weights: dict[str, float]) -> float:
    """Σ skill weight × (1 for a main skill, ½ for a secondary one)."""
    return sum(weights[s] for s in activity.primary) + 0.5 * sum(weights[s] for s in activity.secondary)


def plan_workshop(profile: Profile, library: Library, options: PlanOptions, national: dict[str, float]) -> Plan:
    """Build the plan.

    Raises:
        InputError: when the sessions are too short for their frame.
    """
    weights = skill_weights(profile, national)
    segments = _lay_out(library, options, weights)
    _choose(segments, library, profile, options.threshold, national, weights)
    sessions = [_session(number, segments, library, options) for number in range(1, options.sessions + 1)]
    needs = _plan_needs(profile, national)
    ref_title = None
    if profile.reference:
        ref_title = library.references[profile.reference][0].title
    return Plan(
        group=profile.group,
        assessed=profile.assessed,
        reference=profile.reference,
        reference_title=ref_title,
        programs=list(options.programs),
        threshold=options.threshold,
        participants=options.participants or profile.assessed or DEFAULT_PARTICIPANTS,
        client_group=profile.client_group,
        needs=needs,
        start_time=options.start_time,
        sessions=sessions,
    )


def _session(number: int, segments: list[_Segment], library: Library, options: PlanOptions) -> PlanSession:
    """One session: its opening, the activities of its segments, then its closing."""
    blocks = [
        Block(
            kind="opening",
            activity=b.activity,
            minutes=b.minutes,
            reason="opens the first session" if number == 1 else "opens every later session",
        )
        for b in frame_blocks(library, number == 1, "opening")
    ]
    comps: list[str] = []
    for seg in (s for s in segments if s.session == number):
        comps.append(seg.component)
        blocks += _segment_blocks(seg)
    blocks += [
        Block(kind="closing", activity=b.activity, minutes=b.minutes, reason="closes every session")
        for b in frame_blocks(library, number == 1, "closing")
    ]
    return PlanSession(number=number, minutes=options.minutes, components=comps, blocks=blocks)


def _segment_blocks(seg: _Segment) -> list[Block]:
    """A segment's chosen activities, and a catch-up block for any time they leave."""
    blocks = [
        Block(kind="activity", activity=activity.id, component=seg.component, minutes=minutes, reason=reason)
        for (activity, reason), minutes in zip(seg.chosen, seg.durations)
    ]
    if seg.minutes > seg.used:
        blocks.append(
            Block(
                kind="catch-up",
                component=seg.component,
                minutes=seg.minutes - seg.used,
                reason="time left after every fitting activity ran at its longest; "
                "use it to practise, catch up or go deeper",
            )
        )
    return blocks


def _plan_needs(profile: Profile, national: dict[str, float]) -> list[PlanNeed]:
    """The skills the group needs help with, beside the national reference share."""
    return [
        PlanNeed(skill=cast(ErsFactor, k), percent=need.percent, count=need.count, reference_percent=national.get(k))
        for k, need in profile.needs_help.items()
    ]


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


def _lay_out(library: Library, options: PlanOptions, weights: dict[str, float]) -> list[_Segment]:
    """Cut the components' time into per-session segments."""
    content: list[int] = []
    for number in range(1, options.sessions + 1):
        frame = sum(b.minutes for part in ("opening", "closing") for b in frame_blocks(library, number == 1, part))
        left = options.minutes - frame
        if left < MIN_CONTENT:
            raise InputError(
                Problem(
                    "--minutes",
                    message=(
                        f"{options.minutes} minutes leaves {left} for activities in session {number} after its "
                        f"{frame}-minute opening and closing (expected at least {MIN_CONTENT}; try --minutes {frame + 60})"
                    ),
                )
            )
        content.append(left)
    total = sum(content)
    shares: list[tuple[str, str, float]] = []
    caps: list[float] = []
    for pid in options.programs:
        leaned = component_weights(library, pid, weights)
        for comp in library.programs[pid].components:
            shares.append((pid, comp.id, leaned[comp.id] / 100 / len(options.programs)))
            # leaning never gives a component more time than its cards usually take
            room = sum(library.activities[a].minutes.typical for a in comp.activities) / total
            caps.append(max(room, comp.share / 100 / len(options.programs)))
    shares = _capped(shares, caps)
    # component boundaries on the whole timeline, rounded to the unit
    bounds, acc = [0], 0.0
    for _, _, share in shares:
        acc += share
        bounds.append(min(total, UNIT * round(total * acc / UNIT)))
    bounds[-1] = total
    session_bounds, acc_i = [0], 0
    for minutes in content:
        acc_i += minutes
        session_bounds.append(acc_i)
    segments: list[_Segment] = []
    for s in range(options.sessions):
        lo, hi = session_bounds[s], session_bounds[s + 1]
        in_session = []
        for (pid, cid, _), a, b in zip(shares, bounds, bounds[1:]):
            overlap = min(b, hi) - max(a, lo)
            if overlap > 0:
                in_session.append(_Segment(s + 1, cid, pid, overlap))
        segments += _merge_small(in_session, library)
    return segments


def _capped(shares: list[tuple[str, str, float]], caps: list[float]) -> list[tuple[str, str, float]]:
    """Shares held under their caps, the excess handed to the others in proportion."""
    values = [s for _, _, s in shares]
    for _ in range(len(values)):
        excess = sum(max(0.0, v - c) for v, c in zip(values, caps))
        if excess <= 1e-12:
            break
        values = [min(v, c) for v, c in zip(values, caps)]
        open_total = sum(v for v, c in zip(values, caps) if v < c)
        if open_total <= 0:
            break
        values = [v + excess * v / open_total if v < c else v for v, c in zip(values, caps)]
    return [(pid, cid, v) for (pid, cid, _), v in zip(shares, values)]


def _merge_small(segs: list[_Segment], library: Library) -> list[_Segment]:
    """A sliver too short for any activity of its component goes to its neighbour."""

    def shortest(seg: _Segment) -> int:
        comp = next(c for c in library.programs[seg.program].components if c.id == seg.component)
        return min(library.activities[a].minutes.min for a in comp.activities)

    changed = True
    while changed and len(segs) > 1:
        changed = False
        for i, seg in enumerate(segs):
            if seg.minutes < shortest(seg):
                j = i - 1 if i > 0 else i + 1
                segs[j].minutes += seg.minutes
                del segs[i]
                changed = True
                break
    return segs


def _need_words(skill: str, profile: Profile, national: dict[str, float], short: bool = False) -> str:
    """'9 of 12 in this group need help (national 'Not Ready': 72%)', or '9 of 12 need help'."""
    need = profile.needs_help[skill]
    if need.count is not None and profile.assessed:
        words = f"{need.count} of {profile.assessed}"
    else:
        words = f"{need.percent:g}%"
    if short:
        return f"{words} need help"
    words += " in this group need help"
    if skill in national and profile.reference != "all-clients":
        words += f" (national 'Not Ready': {national[skill]:g}%)"
    return words


class _Chooser:
    """Picks activities for segments; remembers which are used so none runs twice."""

    def __init__(
        self,
        segments: list[_Segment],
        library: Library,
        profile: Profile,
        national: dict[str, float],
        weights: dict[str, float],
    ) -> None:
        self.profile, self.national, self.weights = profile, national, weights
        self.segments = segments
        self.used: set[str] = set()
        self.acts: dict[str, list[Activity]] = {}
        for seg in segments:
            comp = next(c for c in library.programs[seg.program].components if c.id == seg.component)
            self.acts[seg.component] = [library.activities[a] for a in comp.activities]

    def place(self, seg: _Segment, activity: Activity, reason: str) -> None:
        seg.chosen.append((activity, reason))
        seg.durations.append(min(activity.minutes.typical, seg.minutes - seg.used))
        self.used.add(activity.id)
        # run a segment's activities in the order its component lists them
        order = self.acts[seg.component].index
        pairs = sorted(zip(seg.chosen, seg.durations), key=lambda p: order(p[0][0]))
        seg.chosen, seg.durations = [c for c, _ in pairs], [d for _, d in pairs]

    def cover(self, segments: list[_Segment], threshold: float) -> None:
        """Each soft skill at or above the threshold gets its best-value activity."""
        profile = self.profile
        priority = sorted(
            (s for s in SOFT_SKILLS if profile.needs_help[s].percent >= threshold), key=lambda s: (-profile.share(s), s)
        )
        covered: set[str] = set()  # by content activities; the frame is extra practice
        for skill in priority:
            if skill in covered:
                continue
            # prefer a card that fits its component's time; else borrow from the session's other components
            for room in (lambda seg: seg.minutes - seg.used, lambda seg: self.free_in_session(segments, seg.session)):
                options = [
                    (
                        skill not in act.primary,
                        -activity_value(act, self.weights),
                        act.id,
                        seg.used - seg.minutes,
                        seg.session,
                        act,
                        seg,
                    )
                    for seg in segments
                    for act in self.acts[seg.component]
                    if act.id not in self.used and skill in act.skills and act.minutes.min <= room(seg)
                ]
                if options:
                    break
            if not options:
                continue
            *_, act, seg = min(options, key=lambda o: o[:5])
            self.borrow(segments, seg, act.minutes.min - (seg.minutes - seg.used))
            self.place(
                seg, act, f"chosen for {SKILL_TITLES[skill].lower()}: {_need_words(skill, profile, self.national)}"
            )
            covered.update(act.skills)

    @staticmethod
    def free_in_session(segments: list[_Segment], session: int) -> int:
        return sum(s.minutes - s.used for s in segments if s.session == session)

    @staticmethod
    def borrow(segments: list[_Segment], seg: _Segment, needed: int) -> None:
        """Move unused minutes from the nearest segments of the same session into ``seg``."""
        index = segments.index(seg)
        donors = sorted(
            (s for s in segments if s.session == seg.session and s is not seg),
            key=lambda s: (abs(segments.index(s) - index), segments.index(s)),
        )
        for donor in donors:
            if needed <= 0:
                return
            give = min(needed, donor.minutes - donor.used)
            donor.minutes -= give
            seg.minutes += give
            needed -= give

    def fill(self, seg: _Segment) -> None:
        """Add the best value-per-minute activities that still fit."""
        profile = self.profile
        while True:
            fits = [
                a for a in self.acts[seg.component] if a.id not in self.used and a.minutes.min <= seg.minutes - seg.used
            ]
            if not fits:
                return
            act = min(fits, key=lambda a: (-activity_value(a, self.weights) / a.minutes.typical, a.id))
            # a card worth much less to this group than the ones already chosen is left out
            # when stretching those can fill the time instead
            chosen = [a for a, _ in seg.chosen]
            best = max((activity_value(a, self.weights) for a in chosen), default=0.0)
            stretch = sum(a.minutes.max for a in chosen) - seg.used
            if chosen and stretch >= seg.minutes - seg.used:
                if activity_value(act, self.weights) < LOW_VALUE * best:
                    return
                # keep enough cards for the component's time in later sessions
                later = sum(
                    s.minutes for s in self.segments[self.segments.index(seg) + 1 :] if s.component == seg.component
                )
                spare = sum(a.minutes.max for a in self.acts[seg.component] if a.id not in self.used and a is not act)
                if later and spare < later:
                    return
            top = sorted(act.skills, key=lambda s: (-profile.share(s), s))[:2]
            self.place(
                seg,
                act,
                "good value for this group: builds "
                + " and ".join(
                    f"{SKILL_TITLES[s].lower()} ({_need_words(s, profile, self.national, short=True)})" for s in top
                ),
            )


def _choose(
    segments: list[_Segment],
    library: Library,
    profile: Profile,
    threshold: float,
    national: dict[str, float],
    weights: dict[str, float],
) -> None:
    chooser = _Chooser(segments, library, profile, national, weights)
    chooser.cover(segments, threshold)
    for i, seg in enumerate(segments):
        chooser.fill(seg)
        _fit(seg, weights)
        slack = seg.minutes - seg.used
        if not slack:
            continue
        # time a component cannot use goes to its neighbour in the same session
        if i + 1 < len(segments) and segments[i + 1].session == seg.session:
            seg.minutes -= slack
            segments[i + 1].minutes += slack  # filled next
        elif i > 0 and segments[i - 1].session == seg.session:
            prev = segments[i - 1]
            prev.minutes += slack
            chooser.fill(prev)
            _fit(prev, weights)
            back = prev.minutes - prev.used
            prev.minutes -= back
            seg.minutes -= slack - back
    if any(seg.minutes > seg.used for seg in segments):
        _rebalance(segments, weights, {cid: [a.id for a in acts] for cid, acts in chooser.acts.items()})


def _rebalance(segments: list[_Segment], weights: dict[str, float], order: dict[str, list[str]]) -> None:
    """Move a card from an earlier session into a segment its component cannot otherwise fill."""
    for seg in segments:
        for earlier in [s for s in segments if s.component == seg.component and s.session < seg.session][::-1]:
            if seg.minutes - seg.used <= 0:
                break
            for pair in sorted(earlier.chosen, key=lambda p: -order[seg.component].index(p[0].id)):
                act = pair[0]
                rest = [a for a, _ in earlier.chosen if a is not act]
                moved = [a for a, _ in seg.chosen] + [act]
                if not (
                    rest
                    and sum(a.minutes.min for a in rest) <= earlier.minutes <= sum(a.minutes.max for a in rest)
                    and sum(a.minutes.min for a in moved) <= seg.minutes
                ):
                    continue
                index = earlier.chosen.index(pair)
                earlier.chosen.pop(index)
                earlier.durations.pop(index)
                seg.chosen.append(pair)
                seg.durations.append(act.minutes.min)
                keyed = sorted(zip(seg.chosen, seg.durations), key=lambda p: order[seg.component].index(p[0][0].id))
                seg.chosen, seg.durations = [c for c, _ in keyed], [d for _, d in keyed]
                earlier.durations = [a.minutes.min for a, _ in earlier.chosen]
                seg.durations = [a.minutes.min for a, _ in seg.chosen]
                _fit(earlier, weights)
                _fit(seg, weights)
                break


def _fit(seg: _Segment, weights: dict[str, float]) -> None:
    """Stretch or shrink durations within min..max so the segment is filled exactly.

    The activities worth most to this group stretch first and shrink last, so the
    group's biggest needs get the extra minutes.
    """
    acts = [a for a, _ in seg.chosen]
    order = sorted(range(len(acts)), key=lambda i: (-activity_value(acts[i], weights), acts[i].id))
    delta = seg.minutes - seg.used
    for i in order if delta > 0 else reversed(order):
        if delta > 0:
            change = min(delta, acts[i].minutes.max - seg.durations[i])
        else:
            change = -min(-delta, seg.durations[i] - acts[i].minutes.min)
        seg.durations[i] += change
        delta -= change
