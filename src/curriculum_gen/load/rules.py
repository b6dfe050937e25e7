"""Cross-file checks of a loaded library: every reference resolves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from curriculum_gen.errors import Problem, unknown
from curriculum_gen.load.yaml_source import Loc
from curriculum_gen.models import GROUND_RULES_SHEET, SKILL_TITLES, SOFT_SKILLS, Material

if TYPE_CHECKING:
    from curriculum_gen.load.library import Library


def check_library(lib: Library, incomplete: frozenset[str]) -> tuple[list[Problem], list[Problem]]:
    """Problems that need more than one file to see; unused cards and handouts become warnings.

    Args:
        lib: the library as far as it loaded.
        incomplete: folders (or single files) that failed to load: references into them are
            not judged, nor are the rules and warnings that need every file.

    Returns:
        The problems, and the warnings in the order they are shown.
    """
    problems, used = _check_programs(lib, incomplete)
    frame_problems, frame_used = _check_frame(lib, incomplete)
    problems += frame_problems
    problems += _check_activities(lib, incomplete)
    problems += _check_materials(lib, incomplete)
    problems += _check_core(lib)
    problems += _check_order(lib, incomplete)
    warnings: list[Problem] = []
    if not incomplete:
        problems += _program_rules(lib)
        warnings += _unused_activities(lib, used | frame_used)
        warnings += _unused_handouts(lib)
    if "all-clients" not in lib.references and "reference" not in incomplete:
        problems.append(
            Problem(
                "curricula/reference", message="reference group 'all-clients' is missing (it is the default profile)"
            )
        )
    return problems, warnings


_FOLDER = {"activity": "activities", "handout": "handouts", "program": "programs"}


def _unknown_ref(
    lib: Library, incomplete: frozenset[str], kind: str, ident: str, table: Mapping[str, object], owner: str, loc: Loc
) -> list[Problem]:
    """An id missing from ``table``, unless its folder failed to load (then it may be there)."""
    if ident in table or _FOLDER[kind] in incomplete:
        return []
    listed = f"curriculum-gen list {_FOLDER[kind]}" if _FOLDER[kind] in ("activities", "handouts") else ""
    return [lib.locate(owner, loc, unknown(kind, ident, sorted(table), see=listed))]


def _check_programs(lib: Library, incomplete: frozenset[str]) -> tuple[list[Problem], set[str]]:
    """Component ids used twice, unknown or repeated activities; and the activities programs use."""
    problems: list[Problem] = []
    used: set[str] = set()
    components: dict[str, str] = {}
    for pid, program in lib.programs.items():
        for ci, component in enumerate(program.components):
            if component.id in components:
                problems.append(
                    lib.locate(
                        f"program:{pid}",
                        ("components", ci, "id"),
                        f"component id '{component.id}' is also used in program '{components[component.id]}'",
                    )
                )
            components[component.id] = pid
        seen: set[str] = set()
        for ci, component in enumerate(program.components):
            for ai, aid in enumerate(component.activities):
                loc = ("components", ci, "activities", ai)
                problems += _unknown_ref(lib, incomplete, "activity", aid, lib.activities, f"program:{pid}", loc)
                if aid in seen:
                    problems.append(
                        lib.locate(f"program:{pid}", loc, f"activity '{aid}' is listed twice in this program")
                    )
                seen.add(aid)
                used.add(aid)
    return problems, used


def _check_core(lib: Library) -> list[Problem]:
    """A component's core blocks name core cards, and a core card it lists is one of its core blocks."""
    problems: list[Problem] = []
    for pid, program in lib.programs.items():
        for ci, component in enumerate(program.components):
            core = {block.activity for block in component.core}
            for bi, block in enumerate(component.core):
                card = lib.activities.get(block.activity)
                if card is not None and not card.core:
                    problems.append(
                        lib.locate(
                            f"program:{pid}",
                            ("components", ci, "core", bi, "activity"),
                            f"'{block.activity}' is a soft-skill card, not a core card (core blocks need 'core: true')",
                        )
                    )
            for ai, aid in enumerate(component.activities):
                card = lib.activities.get(aid)
                if card is not None and card.core and aid not in core:
                    problems.append(
                        lib.locate(
                            f"program:{pid}",
                            ("components", ci, "activities", ai),
                            f"'{aid}' is a core card: list it under this component's core too",
                        )
                    )
    return problems


def _check_frame(lib: Library, incomplete: frozenset[str]) -> tuple[list[Problem], set[str]]:
    """Unknown activities in the session frame; and the activities it uses."""
    problems: list[Problem] = []
    used: set[str] = set()
    if lib.frame is not None:
        for part in ("opening", "closing"):
            for bi, block in enumerate(getattr(lib.frame, part)):
                used.add(block.activity)
                problems += _unknown_ref(
                    lib, incomplete, "activity", block.activity, lib.activities, "frame", (part, bi, "activity")
                )
    return problems, used


def _check_activities(lib: Library, incomplete: frozenset[str]) -> list[Problem]:
    """Unknown handouts on activity cards."""
    problems: list[Problem] = []
    for aid, activity in lib.activities.items():
        for hi, hid in enumerate(activity.handouts):
            problems += _unknown_ref(lib, incomplete, "handout", hid, lib.handouts, f"activity:{aid}", ("handouts", hi))
    return problems


def _check_materials(lib: Library, incomplete: frozenset[str]) -> list[Problem]:
    """Every printed material ships: it names its sheet in the pack (a known one) or is the facilitator's own."""
    problems: list[Problem] = []
    sheets = sorted({*lib.handouts, GROUND_RULES_SHEET})
    for aid, activity in lib.activities.items():
        for mi, material in enumerate(activity.materials):
            owner, loc = f"activity:{aid}", ("materials", mi)
            for key, message in _material_faults(material):
                problems.append(lib.locate(owner, (*loc, key) if key else loc, message))
            if material.sheet is not None and material.sheet not in sheets and "handouts" not in incomplete:
                message = unknown("sheet", material.sheet, sheets, see="curriculum-gen list handouts")
                problems.append(lib.locate(owner, (*loc, "sheet"), message))
    return problems


def _material_faults(material: Material) -> list[tuple[str, str]]:
    """(key, message) for a material that is not exactly one of: unprinted, a sheet in the pack, your own."""
    if material.sheet is not None and material.own is not None:
        return [("own", "a material is either a sheet in the pack or your own, not both (remove 'sheet' or 'own')")]
    if not material.printed:
        key = "sheet" if material.sheet is not None else "own" if material.own is not None else ""
        return [(key, f"'{key}' is for printed materials (add 'printed: true' or remove '{key}')")] if key else []
    if material.sheet is None and material.own is None:
        message = (
            f"printed material '{material.item}' has no document in the pack: name it with 'sheet: ID' "
            "(a handout, list or card set in curricula/handouts) or say what to bring with 'own: ...'"
        )
        return [("", message)]
    return []


def _check_order(lib: Library, incomplete: frozenset[str]) -> list[Problem]:
    """What activities need before them (``after``): unknown ids, a card that needs itself, and cycles."""
    problems: list[Problem] = []
    for aid, activity in lib.activities.items():
        for i, need in enumerate(activity.after):
            owner, loc = f"activity:{aid}", ("after", i)
            if need == aid:
                problems.append(lib.locate(owner, loc, f"activity '{aid}' lists itself (it cannot run before itself)"))
            else:
                problems += _unknown_ref(lib, incomplete, "activity", need, lib.activities, owner, loc)
    for cycle in _order_cycles(lib):
        chain = ", which needs ".join(f"'{a}'" for a in cycle[1:])
        problems.append(
            lib.locate(
                f"activity:{cycle[0]}",
                ("after",),
                f"'{cycle[0]}' needs {chain}: a cycle, so none of them can run first (remove one of these links from 'after')",
            )
        )
    return problems


def _order_cycles(lib: Library) -> list[list[str]]:
    """One cycle of ``after`` links per group of activities that need each other, e.g. ``[a, b, a]``.

    Each cycle starts at its card listed first in the library and follows the first link that
    leads back, so the same library gives the same message.
    """
    needs = {aid: [n for n in a.after if n in lib.activities and n != aid] for aid, a in lib.activities.items()}
    group = _groups(needs)
    cycles: list[list[str]] = []
    reported: set[int] = set()
    for aid in lib.activities:
        if group[aid] in reported or not any(group[n] == group[aid] for n in needs[aid]):
            continue
        reported.add(group[aid])
        inside = {k: [n for n in v if group[n] == group[aid]] for k, v in needs.items() if group[k] == group[aid]}
        path = _path_back(aid, inside)
        if path is not None:
            cycles.append(path)
    return cycles


def _groups(needs: Mapping[str, list[str]]) -> dict[str, int]:
    """Each card's strongly connected group (cards that need each other share one): Kosaraju, without recursion."""
    finished: list[str] = []
    seen: set[str] = set()
    for root in needs:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(needs[root]))]
        while stack:
            node, links = stack[-1]
            nxt = next((n for n in links if n not in seen), None)
            if nxt is None:
                finished.append(node)
                stack.pop()
            else:
                seen.add(nxt)
                stack.append((nxt, iter(needs[nxt])))
    needed_by: dict[str, list[str]] = {aid: [] for aid in needs}
    for aid, direct in needs.items():
        for n in direct:
            needed_by[n].append(aid)
    group: dict[str, int] = {}
    for number, root in enumerate(reversed(finished)):
        todo = [root] if root not in group else []
        while todo:
            node = todo.pop()
            if node not in group:
                group[node] = number
                todo += [n for n in needed_by[node] if n not in group]
    return group


def _path_back(start: str, needs: Mapping[str, list[str]]) -> list[str] | None:
    """The shortest chain of ``after`` links from ``start`` back to itself (first links first), or None."""
    paths: list[list[str]] = [[start]]
    seen = {start}
    while paths:
        grown: list[list[str]] = []
        for path in paths:
            for need in needs[path[-1]]:
                if need == start:
                    return [*path, start]
                if need not in seen:
                    seen.add(need)
                    grown.append([*path, need])
        paths = grown
    return None


def _unused_activities(lib: Library, used: set[str]) -> list[Problem]:
    """A warning for each card that no program and not the session frame uses."""
    return [
        lib.locate(f"activity:{aid}", ("id",), f"activity '{aid}' is not used by any program or the session frame")
        for aid in lib.activities
        if aid not in used
    ]


def _unused_handouts(lib: Library) -> list[Problem]:
    """A warning for each handout no activity lists, as a handout or as a material's sheet."""
    used_handouts = {h for a in lib.activities.values() for h in (*a.handouts, *(m.sheet for m in a.materials))}
    return [
        lib.locate(
            f"handout:{hid}",
            ("id",),
            f"handout '{hid}' is not used by any activity (it can still be printed with 'curriculum-gen handout')",
        )
        for hid in sorted(set(lib.handouts) - used_handouts)
    ]


MIN_PER_SKILL = 3
"""Each program offers at least this many activities for every soft skill."""


def _program_rules(lib: Library) -> list[Problem]:
    """Rules that keep every program plannable for any group."""
    problems: list[Problem] = []
    frame = lib.frame
    for pid, program in lib.programs.items():
        cards = [lib.activities[a] for c in program.components for a in c.activities if a in lib.activities]
        for skill in SOFT_SKILLS:
            offering = [a.id for a in cards if skill in a.skills]
            if len(offering) < MIN_PER_SKILL:
                problems.append(
                    lib.locate(
                        f"program:{pid}",
                        ("components",),
                        (
                            f"offers {len(offering)} activities for {SKILL_TITLES[skill].lower()} "
                            f"(expected at least {MIN_PER_SKILL}, so any group's need can be met)"
                        ),
                    )
                )
        # the default layout: sessions × minutes, less the frame of each session (with its breaks)
        content = program.sessions * program.minutes
        if frame is not None:
            content -= sum(b.minutes for b in frame.opening + frame.closing if b.sessions in ("first", "all"))
            content -= (program.sessions - 1) * sum(
                b.minutes for b in frame.opening + frame.closing if b.sessions in ("later", "all")
            )
            content -= program.sessions * sum(frame.breaks.lengths(program.minutes) if frame.breaks else [])
        for ci, component in enumerate(program.components):
            share = content * component.share // 100
            cards = [lib.activities[a] for a in component.activities if a in lib.activities]
            shortest = sum(a.minutes.min for a in cards)
            what = "its activities need"
            if component.core:  # the core must run; the soft-skill cards share what is left
                soft = [a.minutes.min for a in cards if not a.core]
                shortest = sum(a.minutes.min for a in cards if a.core) + min(soft, default=0)
                what = "its core cards and its shortest soft-skill card need"
            if shortest > share:
                problems.append(
                    lib.locate(
                        f"program:{pid}",
                        ("components", ci, "share"),
                        (
                            f"{what} {shortest} minutes at their shortest but {component.share}% of "
                            f"{program.sessions} × {program.minutes} minutes leaves {share} (raise the share or drop an activity)"
                        ),
                    )
                )
            for ai, aid in enumerate(component.activities):
                card = lib.activities.get(aid)
                if card is not None and not card.materials:
                    problems.append(
                        lib.locate(
                            f"activity:{aid}",
                            ("id",),
                            ("materials list is empty (list at least what people write on or print)"),
                        )
                    )
    return problems
