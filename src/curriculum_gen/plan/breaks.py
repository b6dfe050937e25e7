"""Breaks: how many minutes of each session they take, and where in the session they go.

The frame's break rule (:class:`~curriculum_gen.models.BreakRule`) says how many breaks a
session of a given length gets; :func:`break_minutes` takes them off the time for
activities, and :func:`place_breaks` puts each one between two blocks, as near as it can
to its share of the session (the middle, for one break). A break never splits a block,
never goes inside the opening or the closing, and is never first or last.
"""

from __future__ import annotations

from typing import NamedTuple

from curriculum_gen.i18n import gettext as _
from curriculum_gen.load.library import Library
from curriculum_gen.models import Block


def break_minutes(library: Library, session_minutes: int) -> list[int]:
    """The length of each break a session of ``session_minutes`` gets (none when the frame has no break rule)."""
    rule = library.frame.breaks if library.frame is not None else None
    return rule.lengths(session_minutes) if rule is not None else []


class _Gap(NamedTuple):
    """Sort key for the gaps between blocks a break could take: best first."""

    distance: float
    """The gap whose start is nearest the break's target first."""
    at_frame: bool
    """Then a gap between two activities before one next to the opening or the closing."""
    position: int
    """Then the earlier."""


def place_breaks(blocks: list[Block], lengths: list[int], opening: int, closing: int) -> list[Block]:
    """``blocks`` with a break of each of ``lengths`` between two of them, spread evenly over the session.

    ``opening`` and ``closing`` count the frame's blocks at either end, which no break
    may split. Break ``j`` of ``k`` aims to be centred at ``j / (k + 1)`` of the session;
    each takes the free gap after the break before it where its start comes nearest to
    that (:class:`_Gap`).
    When there are fewer gaps than breaks, the last break placed takes the minutes of
    those left over, so the session still adds up.
    """
    gaps = list(range(max(1, opening), min(len(blocks) - 1, len(blocks) - closing) + 1))
    if not lengths or not gaps:
        return blocks
    total = sum(b.minutes for b in blocks) + sum(lengths)
    placed = _choose_gaps(blocks, lengths, gaps, total, (opening, len(blocks) - closing))
    if len(placed) < len(lengths):
        last = max(placed)
        placed[last] += sum(lengths[len(placed) :])
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i in placed:
            out.append(
                Block(kind="break", minutes=placed[i], reason=_("a pause so people can rest and come back fresh"))
            )
        out.append(block)
    return out


def _choose_gaps(
    blocks: list[Block], lengths: list[int], gaps: list[int], total: int, edges: tuple[int, int]
) -> dict[int, int]:
    """The gap (index of the block it comes before) for each break that finds one, with its minutes.

    The breaks are placed in order, each after the one before, so they run in the order of their targets.
    """
    placed: dict[int, int] = {}
    for j, minutes in enumerate(lengths, start=1):
        free = [g for g in gaps if g > max(placed, default=0)]
        if not free:
            break
        target = total * j / (len(lengths) + 1) - minutes / 2
        before = sum(placed.values())  # every break placed so far runs before these gaps
        best = min(free, key=lambda g: _Gap(abs(sum(b.minutes for b in blocks[:g]) + before - target), g in edges, g))
        placed[best] = minutes
    return placed
