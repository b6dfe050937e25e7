"""The guide's preparation timeline: what to arrange weeks before, the day before and on the day.

It holds what every workshop needs (``preparation.yaml``) and the ``prepare`` tasks of the
cards the plan holds, and nothing else: a card that is not planned adds no task.
"""

from __future__ import annotations

from dataclasses import dataclass

from curriculum_gen.load.library import Library
from curriculum_gen.models import Plan, PrepTask

WHEN_ORDER = ("weeks-before", "day-before", "on-the-day")
"""The stages of the timeline in the order they come."""


@dataclass(frozen=True)
class PrepItem:
    """One task of the timeline, and the card and sessions that need it."""

    task: str
    activity: str | None
    """The title of the card that needs it; ``None`` for what every workshop needs."""
    sessions: tuple[int, ...]
    """The sessions that run the card, in order; empty for what every workshop needs."""


@dataclass(frozen=True)
class PrepStage:
    """One point of the timeline: so many weeks before the first session, the day before, or on the day."""

    when: str
    weeks: int | None
    """For ``weeks-before``: weeks before the first session."""
    items: tuple[PrepItem, ...]
    """What every workshop needs first, then the cards' tasks in the order the cards are first planned."""


def preparation_timeline(plan: Plan, library: Library) -> tuple[PrepStage, ...]:
    """The timeline of ``plan``: weeks before (most weeks first), the day before, on the day.

    A card's tasks are listed once, however often it runs, with every session that runs it.
    A block that runs the agency's own material in a card's place adds none of the card's tasks,
    as it adds none of its materials.
    """
    found: dict[tuple[str, int | None], dict[tuple[str, int], PrepItem]] = {}
    if library.preparation is not None:
        for index, task in enumerate(library.preparation.tasks):
            _add(found, task, ("", index), PrepItem(" ".join(task.task.split()), None, ()))
    for number, session in enumerate(plan.sessions, start=1):
        for block in session.blocks:
            card = library.activities.get(block.activity or "")
            if card is None or block.own_material:
                continue
            for index, task in enumerate(card.prepare):
                item = PrepItem(" ".join(task.task.split()), card.title, (number,))
                _add(found, task, (card.id, index), item)
    stages = [PrepStage(when, weeks, tuple(items.values())) for (when, weeks), items in found.items()]
    return tuple(sorted(stages, key=lambda s: (WHEN_ORDER.index(s.when), -(s.weeks or 0))))


def _add(
    found: dict[tuple[str, int | None], dict[tuple[str, int], PrepItem]],
    task: PrepTask,
    key: tuple[str, int],
    item: PrepItem,
) -> None:
    """Add a task to its stage, or the session to a task already there."""
    items = found.setdefault((task.when, task.weeks), {})
    seen = items.get(key)
    if seen is None:
        items[key] = item
    elif item.sessions and item.sessions[0] not in seen.sessions:
        items[key] = PrepItem(seen.task, seen.activity, (*seen.sessions, *item.sessions))
