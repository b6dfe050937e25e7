"""Profile + programs + sessions × minutes → a timed :class:`Plan`. Pure and deterministic.

1. Every session has a frame (openings and closings) whose minutes come off its budget.
2. The programs' components share the remaining minutes by their shares, in order, laid
   end to end across the sessions; a component may continue into the next session.
3. First, each soft skill at or above the threshold gets the best-value activity that
   covers it; then the rest of each component's time is filled by value per minute;
   then durations are stretched or shrunk within each card's min–max to fit exactly.
Ties always break by id, so the same inputs give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from curriculum_gen.errors import InputError, Problem
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
from curriculum_gen.workspace import Library

UNIT = 5
"""Component boundaries land on five-minute marks."""
DEFAULT_PARTICIPANTS = 12
"""Copies to plan for when neither the profile nor the user says how many will come."""
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


def activity_value(activity: Activity, profile: Profile) -> float:
    """Σ share needing help × (1 primary, ½ secondary)."""
    return sum(profile.share(s) for s in activity.primary) + 0.5 * sum(
        profile.share(s) for s in activity.secondary
    )


def plan_workshop(profile: Profile, library: Library, options: PlanOptions, national: dict[str, float]) -> Plan:
    """Build the plan.

    Raises:
        InputError: when the sessions are too short for their frame.
    """
    segments = _lay_out(library, options)
    _choose(segments, library, profile, options.threshold, national)
    sessions = []
    for number in range(1, options.sessions + 1):
        blocks = [Block(kind="opening", activity=b.activity, minutes=b.minutes,
                        reason="opens the first session" if number == 1 else "opens every later session")
                  for b in frame_blocks(library, number == 1, "opening")]
        comps: list[str] = []
        for seg in (s for s in segments if s.session == number):
            comps.append(seg.component)
            for (activity, reason), minutes in zip(seg.chosen, seg.durations):
                blocks.append(Block(kind="activity", activity=activity.id, component=seg.component,
                                    minutes=minutes, reason=reason))
            if seg.minutes > seg.used:
                blocks.append(Block(kind="catch-up", component=seg.component, minutes=seg.minutes - seg.used,
                                    reason="time left after every fitting activity ran at its longest; "
                                    "use it to practise, catch up or go deeper"))
        blocks += [Block(kind="closing", activity=b.activity, minutes=b.minutes, reason="closes every session")
                   for b in frame_blocks(library, number == 1, "closing")]
        sessions.append(PlanSession(number=number, minutes=options.minutes, components=comps, blocks=blocks))
    needs = [
        PlanNeed(skill=cast(ErsFactor, k), percent=need.percent, count=need.count, reference_percent=national.get(k))
        for k, need in profile.needs_help.items()
    ]
    ref_title = None
    if profile.reference:
        ref_title = library.references[profile.reference][0].title
    return Plan(group=profile.group, assessed=profile.assessed, reference=profile.reference,
                reference_title=ref_title, programs=list(options.programs), threshold=options.threshold,
                participants=options.participants or profile.assessed or DEFAULT_PARTICIPANTS,
                client_group=profile.client_group,
                needs=needs, start_time=options.start_time, sessions=sessions)


def _lay_out(library: Library, options: PlanOptions) -> list[_Segment]:
    """Cut the components' time into per-session segments."""
    content: list[int] = []
    for number in range(1, options.sessions + 1):
        frame = sum(b.minutes for part in ("opening", "closing") for b in frame_blocks(library, number == 1, part))
        left = options.minutes - frame
        if left < MIN_CONTENT:
            raise InputError(Problem("--minutes", message=(
                f"{options.minutes} minutes leaves {left} for activities in session {number} after its "
                f"{frame}-minute opening and closing (expected at least {MIN_CONTENT}; try --minutes {frame + 60})")))
        content.append(left)
    total = sum(content)
    shares: list[tuple[str, str, float]] = []
    for pid in options.programs:
        for comp in library.programs[pid].components:
            shares.append((pid, comp.id, comp.share / 100 / len(options.programs)))
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

    def __init__(self, segments: list[_Segment], library: Library, profile: Profile,
                 national: dict[str, float]) -> None:
        self.profile, self.national = profile, national
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
        priority = sorted((s for s in SOFT_SKILLS if profile.needs_help[s].percent >= threshold),
                          key=lambda s: (-profile.share(s), s))
        covered: set[str] = set()  # by content activities; the frame is extra practice
        for skill in priority:
            if skill in covered:
                continue
            # prefer a card that fits its component's time; else borrow from the session's other components
            for room in (lambda seg: seg.minutes - seg.used, lambda seg: self.free_in_session(segments, seg.session)):
                options = [
                    (skill not in act.primary, -activity_value(act, profile), act.id, seg.used - seg.minutes,
                     seg.session, act, seg)
                    for seg in segments for act in self.acts[seg.component]
                    if act.id not in self.used and skill in act.skills and act.minutes.min <= room(seg)
                ]
                if options:
                    break
            if not options:
                continue
            *_, act, seg = min(options, key=lambda o: o[:5])
            self.borrow(segments, seg, act.minutes.min - (seg.minutes - seg.used))
            self.place(seg, act, f"chosen for {SKILL_TITLES[skill].lower()}: "
                                 f"{_need_words(skill, profile, self.national)}")
            covered.update(act.skills)

    @staticmethod
    def free_in_session(segments: list[_Segment], session: int) -> int:
        return sum(s.minutes - s.used for s in segments if s.session == session)

    @staticmethod
    def borrow(segments: list[_Segment], seg: _Segment, needed: int) -> None:
        """Move unused minutes from the nearest segments of the same session into ``seg``."""
        index = segments.index(seg)
        donors = sorted((s for s in segments if s.session == seg.session and s is not seg),
                        key=lambda s: (abs(segments.index(s) - index), segments.index(s)))
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
            fits = [a for a in self.acts[seg.component]
                    if a.id not in self.used and a.minutes.min <= seg.minutes - seg.used]
            if not fits:
                return
            act = min(fits, key=lambda a: (-activity_value(a, profile) / a.minutes.typical, a.id))
            top = sorted(act.skills, key=lambda s: (-profile.share(s), s))[:2]
            self.place(seg, act, "good value for this group: builds " + " and ".join(
                f"{SKILL_TITLES[s].lower()} ({_need_words(s, profile, self.national, short=True)})" for s in top))


def _choose(segments: list[_Segment], library: Library, profile: Profile, threshold: float,
            national: dict[str, float]) -> None:
    chooser = _Chooser(segments, library, profile, national)
    chooser.cover(segments, threshold)
    for i, seg in enumerate(segments):
        chooser.fill(seg)
        _fit(seg, profile)
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
            _fit(prev, profile)
            back = prev.minutes - prev.used
            prev.minutes -= back
            seg.minutes -= slack - back


def _fit(seg: _Segment, profile: Profile) -> None:
    """Stretch or shrink durations within min..max so the segment is filled exactly.

    The activities worth most to this group stretch first and shrink last, so the
    group's biggest needs get the extra minutes.
    """
    acts = [a for a, _ in seg.chosen]
    order = sorted(range(len(acts)), key=lambda i: (-activity_value(acts[i], profile), acts[i].id))
    delta = seg.minutes - seg.used
    for i in order if delta > 0 else reversed(order):
        if delta > 0:
            change = min(delta, acts[i].minutes.max - seg.durations[i])
        else:
            change = -min(-delta, seg.durations[i] - acts[i].minutes.min)
        seg.durations[i] += change
        delta -= change
