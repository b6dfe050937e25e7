"""Plain language, measured: participant texts should read at grade 7 or below, or in French at 70 or above.

Grade 7 is about the reading level of the ERS itself. The measure is the Flesch-Kincaid
grade from textstat, on each text that a participant reads. French words are longer in
syllables, so a French text is measured with the formula made for French: Kandel and
Moles' reading ease (textstat's ``flesch_reading_ease`` in French), where 70 and above
reads "fairly easy", the band of a grade 7 text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from curriculum_gen.errors import Problem

if TYPE_CHECKING:
    from curriculum_gen.load.library import Library
    from curriculum_gen.load.yaml_source import Loc

GRADE_BAR = 7.0
EASE_BAR = 70.0
"""The lowest French reading ease (Kandel–Moles) for participant texts."""


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


@functools.cache
def _french() -> Any:
    """textstat's measures for French: an instance of its own, as ``textstat.set_lang`` would change English's too."""
    from textstat.textstat import textstatistics  # type: ignore[import-untyped]

    measures = textstatistics()
    measures.set_lang("fr")
    return measures


def reading_ease_fr(text: str) -> float:
    """Kandel and Moles' reading ease of a French text: 207 - 1.015 × words per sentence - 73.6 × syllables per word."""
    return float(_french().flesch_reading_ease(text))


def check_reading_level(lib: Library, bar: float | None = None) -> list[Problem]:
    """One problem for each participant text that is harder to read than ``bar``.

    English texts are measured in grades (``bar`` defaults to :data:`GRADE_BAR`); a French library's
    in reading ease (:data:`EASE_BAR`).
    """
    if lib.language == "fr":
        return _check_ease(lib, EASE_BAR if bar is None else bar)
    bar = GRADE_BAR if bar is None else bar
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


def _check_ease(lib: Library, bar: float) -> list[Problem]:
    problems = []
    for owner, loc, text in participant_texts(lib):
        ease = reading_ease_fr(text)
        if ease < bar:
            problems.append(
                lib.locate(
                    owner,
                    loc,
                    f"reading ease {ease:.0f} in French (Kandel–Moles; expected {bar:g} or above: "
                    "shorter sentences and shorter words)",
                )
            )
    return problems
