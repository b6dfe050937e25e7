"""A card's steps timed for one block: the version written for its length, and go-round steps sized to the group.

A block runs the card's variant whose range holds its minutes, else the card's own steps.
Steps keep the author's proportions where they can. A step that goes round the room
(``per_person``) gets at least its minutes per person times the people in it; when the room
is too big for that, it splits into groups that go round at the same time, and the step's
note says so. The other steps never shrink below their share at the version's shortest
length, so what their text promises at that length still holds. The minutes always add up
to the block's.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from curriculum_gen.i18n import gettext as _
from curriculum_gen.models import Activity, Step, Variant


class TimedStep(NamedTuple):
    """One step as the guide prints it."""

    minutes: int
    do: str
    builds: str | None
    note: str | None
    """For a go-round that splits the room into groups, how; none otherwise."""


def pick_variant(activity: Activity, minutes: int) -> Variant | None:
    """The variant written for a block of ``minutes``, or none when the card's own steps are for it."""
    return next((v for v in activity.variants if v.minutes.holds(minutes)), None)


def timed_steps(activity: Activity, minutes: int, participants: int, focus: str | None = None) -> list[TimedStep]:
    """The steps a block of ``minutes`` runs for ``participants`` people, each with its minutes.

    The minutes add up to ``minutes`` exactly. Each step gets at least one minute when the
    block has a minute for each step. With a ``focus``, a step written for that soft skill
    (``Step.focus``) is asked that way and says it builds it.
    """
    if focus:
        steps = [_focused(step, focus) for step in activity.steps]
        activity = activity.model_copy(update={"steps": steps})
    variant = pick_variant(activity, minutes)
    steps = variant.steps if variant is not None else activity.steps
    shortest = variant.minutes.min if variant is not None else _shortest_own(activity)
    floors = _floors(steps, min(shortest, minutes))
    groups = _groups(steps, floors, minutes, participants)
    if groups is None:  # not even pairs fit beside the other steps at their floors: let those give way
        floors = [1] * len(steps)
        groups = _groups(steps, floors, minutes, participants)
    if groups is None:  # a block too short for its steps: keep the author's proportions
        least = [1] * len(steps) if minutes >= len(steps) else None
        return [_timed(step, share, None) for step, share in zip(steps, _shares(_weights(steps), minutes, least))]
    size = math.ceil(participants / groups)
    needs = [_need(step, size) if step.per_person else floor for step, floor in zip(steps, floors)]
    timed = _shares(_weights(steps), minutes, needs)
    return [
        _timed(step, share, _note(participants, groups) if step.per_person else None)
        for step, share in zip(steps, timed)
    ]


def _focused(step: Step, focus: str) -> Step:
    """``step`` as asked for ``focus``: its text for that skill, building it; unchanged when it has none."""
    if focus not in step.focus:
        return step
    return step.model_copy(update={"do": step.focus[focus], "builds": focus})


def _shortest_own(activity: Activity) -> int:
    """The shortest block the card's own steps run in: its min, past any variant that starts there."""
    low = activity.minutes.min
    while (variant := pick_variant(activity, low)) is not None:
        low = variant.minutes.max + 1
    return min(low, activity.minutes.typical)


def _weights(steps: list[Step]) -> list[float]:
    return [float(step.minutes) for step in steps]


def _floors(steps: list[Step], length: int) -> list[int]:
    """The least each step may get: its share of ``length`` (the version's shortest), rounded down, at least 1."""
    total = sum(step.minutes for step in steps)
    return [max(1, step.minutes * length // total) for step in steps]


def _need(step: Step, people: int) -> int:
    """Whole minutes for a go-round of ``people``, at the step's minutes per person."""
    assert step.per_person is not None
    return max(1, math.ceil(step.per_person * people - 1e-9))


def _groups(steps: list[Step], floors: list[int], minutes: int, participants: int) -> int | None:
    """The fewest groups the room splits into so every go-round fits beside the other steps' floors.

    Groups have two people at least; ``None`` when not even that fits.
    """
    fixed = sum(floor for step, floor in zip(steps, floors) if not step.per_person)
    for groups in range(1, max(1, participants // 2) + 1):
        size = math.ceil(participants / groups)
        if fixed + sum(_need(step, size) for step in steps if step.per_person) <= minutes:
            return groups
    return None


def _shares(weights: list[float], total: int, least: list[int] | None = None) -> list[int]:
    """Split ``total`` in proportion to ``weights``, no share below ``least``, in whole minutes.

    Shares that would fall below their least are held there and the rest is split again in
    proportion; whole minutes then go by largest remainder (ties to the earlier step).
    """
    least = least or [0] * len(weights)
    held: set[int] = set()
    while True:
        free = total - sum(least[i] for i in held)
        weight = sum(w for i, w in enumerate(weights) if i not in held)
        raw = [float(least[i]) if i in held else (w * free / weight if weight else 0.0) for i, w in enumerate(weights)]
        low = {i for i, r in enumerate(raw) if i not in held and r < least[i]}
        if not low:
            break
        held |= low
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _timed(step: Step, minutes: int, note: str | None) -> TimedStep:
    return TimedStep(minutes, step.do, step.builds, note)


def _note(participants: int, groups: int) -> str | None:
    """How a go-round runs when the room splits into groups; none when it goes round the whole room."""
    if groups == 1:
        return None
    small, large = participants // groups, math.ceil(participants / groups)
    if small == large:  # two groups at least, so the words are plural
        return _("In {groups} groups of {size}, at the same time, so everyone has a turn.").format(
            groups=groups, size=large
        )
    return _("In {groups} groups of {small} or {large}, at the same time, so everyone has a turn.").format(
        groups=groups, small=small, large=large
    )
