"""``plan.yaml``: write a plan readably, read a hand-edited one back with checks."""

from __future__ import annotations

from pathlib import Path

import yaml

from curriculum_gen.errors import InputError, Problem, unknown
from curriculum_gen.load.library import Library
from curriculum_gen.load.schema import validate_data
from curriculum_gen.load.yaml_source import Source, load_yaml
from curriculum_gen.models import Block, Plan, PlanSession

HEADER = (
    "# curriculum-gen workshop plan. You may edit it (reorder blocks, change minutes or\n"
    "# activities, move or remove a 'kind: break' block) and render it with:\n"
    "# curriculum-gen build --plan plan.yaml\n"
)


def dump_plan(plan: Plan) -> str:
    """The plan as stable, readable YAML (keys in model order, no flow style)."""
    data = plan.model_dump(mode="json", exclude_none=True)
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def load_plan(path: Path, library: Library, *, allow_small_group: bool = False) -> Plan:
    """Read a plan and check it against the library.

    Raises:
        InputError: unknown programs or activities, sessions that overfill, durations
            outside an activity's range, a small group without ``allow_small_group``.
    """
    data, source = load_yaml(path)
    plan = validate_data(data, Plan, source)
    problems = _group_problems(plan, source, allow_small_group)
    problems += _program_problems(plan, library, source)
    components = {c.id for p in plan.programs if p in library.programs for c in library.programs[p].components}
    for si, session in enumerate(plan.sessions):
        problems += _session_problems(session, si, library, components, source)
    if problems:
        raise InputError(problems)
    return plan


def _group_problems(plan: Plan, source: Source, allow_small_group: bool) -> list[Problem]:
    """A group too small to share, and need counts above the number assessed."""
    from curriculum_gen.load.profiles import MIN_GROUP

    problems: list[Problem] = []
    if plan.assessed is not None and plan.assessed < MIN_GROUP and not allow_small_group:
        problems.append(
            source.problem(
                ("assessed",),
                f"group of {plan.assessed} is smaller than {MIN_GROUP}; small "
                "counts can identify people (use --allow-small-group if you must)",
            )
        )
    for ni, need in enumerate(plan.needs):
        if need.count is not None and (plan.assessed is None or need.count > plan.assessed):
            problems.append(
                source.problem(
                    ("needs", ni, "count"), f"count {need.count} is more than assessed ({plan.assessed or 'not given'})"
                )
            )
    return problems


def _program_problems(plan: Plan, library: Library, source: Source) -> list[Problem]:
    """Programs the library does not have."""
    return [
        source.problem(("programs", pi), unknown("program", program, sorted(library.programs)))
        for pi, program in enumerate(plan.programs)
        if program not in library.programs
    ]


def _session_problems(
    session: PlanSession, si: int, library: Library, components: set[str], source: Source
) -> list[Problem]:
    """A session whose blocks overfill it, then each block's problems in order."""
    problems: list[Problem] = []
    total = sum(b.minutes for b in session.blocks)
    if total > session.minutes:
        problems.append(
            source.problem(
                ("sessions", si, "blocks"),
                f"blocks add up to {total} minutes but session {session.number} has {session.minutes} "
                f"(shorten or remove {total - session.minutes} minutes)",
            )
        )
    for bi, block in enumerate(session.blocks):
        if block.kind == "break":
            problems += _break_problems(block, ("sessions", si, "blocks", bi), source)
        elif block.kind != "catch-up":
            problems += _block_problems(block, ("sessions", si, "blocks", bi), library, components, source)
    return problems


def _break_problems(block: Block, loc: tuple[str | int, ...], source: Source) -> list[Problem]:
    """A break that names an activity or a component: a break is a pause, part of no activity."""
    return [
        source.problem((*loc, key), f"a break has no {key}; remove '{key}' (or set kind: activity)")
        for key in ("activity", "component")
        if getattr(block, key)
    ]


def _block_problems(
    block: Block, loc: tuple[str | int, ...], library: Library, components: set[str], source: Source
) -> list[Problem]:
    """A missing or unknown activity, minutes outside its range, an unknown component, a focus its card
    has no step for."""
    problems: list[Problem] = []
    if not block.activity:
        problems.append(source.problem(loc, f"a block of kind '{block.kind}' needs an activity id"))
    elif block.activity not in library.activities:
        problems.append(
            source.problem(
                (*loc, "activity"),
                unknown("activity", block.activity, library.activities, see="curriculum-gen list activities"),
            )
        )
    elif block.kind == "activity":
        span = library.activities[block.activity].minutes
        if not span.min <= block.minutes <= span.max:
            problems.append(
                source.problem(
                    (*loc, "minutes"),
                    f"{block.minutes} minutes is outside what '{block.activity}' can take ({span.min}..{span.max})",
                )
            )
    card = library.activities.get(block.activity or "")
    if block.focus and card is not None and block.focus not in card.focus_skills:
        offered = ", ".join(card.focus_skills) or "none: remove 'focus'"
        problems.append(
            source.problem(
                (*loc, "focus"), f"'{card.id}' has no step asked for {block.focus}; its focus can be: {offered}"
            )
        )
    if block.component and block.component not in components:
        problems.append(
            source.problem(
                (*loc, "component"),
                unknown("component", block.component, sorted(components)),
            )
        )
    return problems
