"""What each soft skill and activity card is worth to this group, and the orders built on that worth.

Every order ends on an id, so ties always break the same way and the same inputs give the
same plan.
"""

from __future__ import annotations

from typing import NamedTuple

from curriculum_gen.models import SOFT_SKILLS, Activity, Profile


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


class NeediestFirst(NamedTuple):
    """Sort key for soft skills: the larger share of the group needing help first, then by name."""

    minus_share: float
    skill: str


def neediest_first(skill: str, profile: Profile) -> NeediestFirst:
    """The key that puts the skills this group most needs help with first."""
    return NeediestFirst(-profile.share(skill), skill)


class MostValuableFirst(NamedTuple):
    """Sort key for cards: the card worth most to this group first, then by id."""

    minus_value: float
    activity: str


def most_valuable_first(activity: Activity, weights: dict[str, float]) -> MostValuableFirst:
    """The key that puts the cards worth most to this group first."""
    return MostValuableFirst(-activity_value(activity, weights), activity.id)


class BestValuePerMinuteFirst(NamedTuple):
    """Sort key for cards: the most worth per minute (at the card's typical length) first, then by id."""

    minus_value_per_minute: float
    activity: str


def best_value_per_minute_first(activity: Activity, weights: dict[str, float]) -> BestValuePerMinuteFirst:
    """The key that puts the cards giving this group most per minute of workshop time first."""
    return BestValuePerMinuteFirst(-activity_value(activity, weights) / activity.minutes.typical, activity.id)


class LeastValuableFirst(NamedTuple):
    """Sort key for cards: the card worth least to this group first, then by id."""

    value: float
    activity: str


def least_valuable_first(activity: Activity, weights: dict[str, float]) -> LeastValuableFirst:
    """The key that puts the cards worth least to this group first: the first to give way."""
    return LeastValuableFirst(activity_value(activity, weights), activity.id)
