"""What a workspace offers, as plain rows for ``curriculum-gen list``."""

from __future__ import annotations

from typing import Any

from curriculum_gen.workspace import Library, find_workspace, load_library


def list_rows(what: str, library: Library | None = None) -> list[dict[str, Any]]:
    """Rows with at least ``id`` and ``title``; activities also ``program`` and ``skills``."""
    lib = library or load_library(find_workspace())
    if what == "programs":
        return [{"id": p.id, "title": p.title, "sessions": p.sessions, "minutes": p.minutes,
                 "components": [c.id for c in p.components]} for p in sorted(lib.programs.values(), key=lambda p: p.id)]
    if what == "activities":
        owner: dict[str, tuple[str, str]] = {}
        for prog in sorted(lib.programs.values(), key=lambda p: p.id):
            for comp in prog.components:
                for aid in comp.activities:
                    owner.setdefault(aid, (prog.id, comp.id))
        rows = []
        for aid in sorted(lib.activities):
            activity = lib.activities[aid]
            program, component = owner.get(aid, ("general", "session-frame"))
            rows.append({"id": aid, "title": activity.title, "program": program, "component": component,
                         "skills": activity.skills, "minutes": activity.minutes.typical})
        return rows
    if what == "handouts":
        return [{"id": h.id, "title": h.title} for h in sorted(lib.handouts.values(), key=lambda h: h.id)]
    if what == "references":
        return [{"id": gid, "title": group.title, "source": table.source}
                for gid, (group, table) in sorted(lib.references.items())]
    raise ValueError(what)
