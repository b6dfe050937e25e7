"""Cross-file checks of a loaded library: every reference resolves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from curriculum_gen.errors import Problem
from curriculum_gen.loaders import suggest

if TYPE_CHECKING:
    from curriculum_gen.workspace import Library


def check_library(lib: Library) -> list[Problem]:
    """Problems that need more than one file to see; unused cards become warnings."""
    problems: list[Problem] = []
    used: set[str] = set()

    folder = {"activity": "activities", "handout": "handouts", "program": "programs"}

    def ref(kind: str, ident: str, table: dict, owner: str, loc: tuple) -> None:  # type: ignore[type-arg]
        if ident not in table and folder[kind] not in lib.incomplete:
            problems.append(
                lib.locate(owner, loc, f"unknown {kind} '{ident}'{suggest(ident, table) or ''}")
            )

    components: dict[str, str] = {}
    for pid, program in lib.programs.items():
        for ci, component in enumerate(program.components):
            if component.id in components:
                problems.append(lib.locate(f"program:{pid}", ("components", ci, "id"),
                                           f"component id '{component.id}' is also used in program '{components[component.id]}'"))
            components[component.id] = pid
        seen: set[str] = set()
        for ci, component in enumerate(program.components):
            for ai, aid in enumerate(component.activities):
                loc = ("components", ci, "activities", ai)
                ref("activity", aid, lib.activities, f"program:{pid}", loc)
                if aid in seen:
                    problems.append(lib.locate(f"program:{pid}", loc, f"activity '{aid}' is listed twice in this program"))
                seen.add(aid)
                used.add(aid)

    if lib.frame is not None:
        for part in ("opening", "closing"):
            for bi, block in enumerate(getattr(lib.frame, part)):
                used.add(block.activity)
                ref("activity", block.activity, lib.activities, "frame", (part, bi, "activity"))

    for aid, activity in lib.activities.items():
        for hi, hid in enumerate(activity.handouts):
            ref("handout", hid, lib.handouts, f"activity:{aid}", ("handouts", hi))
        if aid not in used and not lib.incomplete:
            lib.warnings.append(lib.locate(f"activity:{aid}", ("id",), f"activity '{aid}' is not used by any program or the session frame"))

    if "all-clients" not in lib.references and "reference" not in lib.incomplete:
        problems.append(Problem("curricula/reference", message="reference group 'all-clients' is missing (it is the default profile)"))
    return problems
