"""Plain language, measured: participant texts should read at grade 7 or below.

Grade 7 is about the reading level of the ERS itself. The measure is the Flesch-Kincaid
grade from textstat, on each text that a participant reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from curriculum_gen.errors import Problem

if TYPE_CHECKING:
    from curriculum_gen.load.library import Library
    from curriculum_gen.load.yaml_source import Loc

GRADE_BAR = 7.0


def participant_texts(lib: Library) -> Iterator[tuple[str, Loc, str]]:
    """(owner key, key path, text) for every text a participant reads."""
    for hid, handout in sorted(lib.handouts.items()):
        yield f"handout:{hid}", ("intro",), handout.intro
        for si, section in enumerate(handout.sections):
            if section.text:
                yield f"handout:{hid}", ("sections", si, "text"), section.text
            for pi, point in enumerate(section.points):
                yield f"handout:{hid}", ("sections", si, "points", pi), point
    for aid, activity in sorted(lib.activities.items()):
        yield f"activity:{aid}", ("participant_instructions",), activity.participant_instructions
        for vi, variant in enumerate(activity.variants):
            if variant.participant_instructions:
                yield f"activity:{aid}", ("variants", vi, "participant_instructions"), variant.participant_instructions
        yield f"activity:{aid}", ("takeaway",), activity.takeaway
        if activity.between_sessions:
            yield f"activity:{aid}", ("between_sessions",), activity.between_sessions
    if lib.ground_rules is not None:
        yield "ground-rules", ("intro",), lib.ground_rules.intro
        for ri, rule in enumerate(lib.ground_rules.rules):
            yield "ground-rules", ("rules", ri, "rule"), rule.rule
            yield "ground-rules", ("rules", ri, "at_work"), rule.at_work


def grade(text: str) -> float:
    import textstat  # type: ignore[import-untyped]  # only `validate` pays for the import

    return float(textstat.flesch_kincaid_grade(text))


def check_reading_level(lib: Library, bar: float = GRADE_BAR) -> list[Problem]:
    """One problem for each participant text that reads above ``bar``."""
    problems = []
    for owner, loc, text in participant_texts(lib):
        level = grade(text)
        if level > bar:
            problems.append(
                lib.locate(
                    owner,
                    loc,
                    f"reads at grade {level:.1f} (expected {bar:g} or below: shorter sentences and shorter words)",
                )
            )
    return problems
