"""The start-here page's facts: each file of a pack, who it is for, the copies and sides to print, when it is used.

Worked out from the plan, its summary and the names of the documents the pack holds, so
the page only displays them. Copies follow the plan's number of participants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from curriculum_gen.i18n import gettext as _
from curriculum_gen.load.library import Library
from curriculum_gen.models import SOFT_SKILLS, Plan
from curriculum_gen.plan.summary import PlanSummary, units

START_HERE = "00-start-here"
"""The start-here page: the digits sort it first in any file list, before every letter."""
ATTENDANCE = "forms/attendance-sheet"
FEEDBACK = "forms/feedback-form"
SELF_CHECK = "forms/self-check"
ATTENDANCE_ROWS = 30
"""Rows on one attendance sheet: a bigger group (a regional roll-up) prints more sheets, not a longer one."""
RECORDS = ("plan.yaml", "manifest.json")
"""Files of every pack that are not documents: kept, not printed."""

_FIXED = {
    START_HERE: "start-here",
    "facilitator-guide": "guide",
    "ground-rules": "ground-rules",
    "handouts/our-sessions": "sessions-sheet",
    ATTENDANCE: "attendance",
    FEEDBACK: "feedback",
    SELF_CHECK: "self-check",
    "plan.yaml": "plan",
    "manifest.json": "manifest",
}
_SINGLE_SIDED = frozenset({"ground-rules", "worksheet", "cards", "attendance", "self-check"})
"""Sheets written on at length, cut apart, posted or filed by session: nothing on the back. The feedback
form is ticked more than written on, and is handed back as one sheet: both sides."""
_ONE_COPY = frozenset({"start-here", "guide", "attendance", "self-check"})
"""What the facilitator keeps: one copy, whatever the group's size."""


@dataclass(frozen=True)
class PackFile:
    """One document (or record file) of the pack and how to print it."""

    name: str
    """Its path in the pack without a suffix (``handouts/resume-draft``); record files with theirs."""
    kind: str
    """start-here, guide, ground-rules, sessions-sheet, handout, worksheet, cards, attendance, feedback,
    self-check, plan, manifest, or other (a document this page knows nothing more about)."""
    title: str
    suffixes: tuple[str, ...]
    """The formats it was made in (``.docx``, ``.html``, ``.md``), or ``("",)`` for a record file."""
    facilitator: bool
    """For the facilitator (else for each participant, or not printed at all)."""
    copies: int
    """How many to print; 0: not printed."""
    sides: str
    """``single-sided`` or ``double-sided`` (in the language being rendered); empty when not printed."""
    sessions: tuple[int, ...]
    """The sessions it is used in; empty: before the workshop, or whenever it is needed."""


@dataclass(frozen=True)
class SessionUse:
    """What one session uses, in the order it is used."""

    number: int
    start: tuple[PackFile, ...]
    """Used as people arrive (the attendance sheet)."""
    new: tuple[PackFile, ...]
    """Handed out in this session for the first time, in order of use."""
    again: tuple[PackFile, ...]
    """Handed out before and used again here: people bring them back."""
    end: tuple[PackFile, ...]
    """Filled in at the end (the feedback form, in the last session)."""
    after: tuple[PackFile, ...]
    """Filled in by the facilitator after the session (its self-check)."""


@dataclass(frozen=True)
class PackGuide:
    """Everything the start-here page shows."""

    files: tuple[PackFile, ...]
    """Every file of the pack: documents in the order they are first used, then the record files."""
    sessions: tuple[SessionUse, ...]
    participants: int
    print_suffix: str
    """The format to print from: ``.pdf`` or ``.docx`` when made, else ``.html``, else ``.md``."""
    lead_weeks: int | None
    """How many weeks before the first session the preparation timeline starts."""

    def file(self, name: str) -> PackFile | None:
        return next((f for f in self.files if f.name == name), None)


def describe_pack(
    plan: Plan, summary: PlanSummary, library: Library, documents: Sequence[tuple[str, str]], formats: Sequence[str]
) -> PackGuide:
    """The start-here page's facts for a pack holding ``documents`` ((name, title) pairs) in ``formats``.

    A handout, worksheet or card set is used in the sessions whose planned cards call for it
    (as a handout, or as the sheet of a printed material); one that no planned card uses (an
    agency's resources) is handed out whenever it is needed.
    """
    names = [name for name, _title in documents]
    used = _used_by_session(plan, library, names)
    sheet_copies = _sheet_copies(plan, library, names)
    suffixes = tuple(f".{f}" for f in formats)
    files: dict[str, PackFile] = {}
    for name, title in (*documents, *((r, r) for r in RECORDS)):
        kind = _kind(name, library)
        copies = _copies(kind, plan.participants, sheet_copies.get(name))
        files[name] = PackFile(
            name=name,
            kind=kind,
            title=title,
            suffixes=("",) if name in RECORDS else suffixes,
            facilitator=kind in _ONE_COPY,
            copies=copies,
            sides=(_("single-sided") if kind in _SINGLE_SIDED else _("double-sided")) if copies else "",
            sessions=_sessions(kind, name, used),
        )
    first_use = [name for session in used for name in session]
    order = [START_HERE, "facilitator-guide", ATTENDANCE, "ground-rules", "handouts/our-sessions", *first_use]
    order += [*names, FEEDBACK, SELF_CHECK, *RECORDS]
    weeks = [stage.weeks for stage in summary.preparation if stage.weeks]
    return PackGuide(
        files=tuple(files[n] for n in dict.fromkeys(order) if n in files),
        sessions=_session_uses(files, used),
        participants=plan.participants,
        print_suffix=next((s for s in (".pdf", ".docx", ".html", ".md") if s in suffixes), ".md"),
        lead_weeks=max(weeks) if weeks else None,
    )


def _kind(name: str, library: Library) -> str:
    """What a file is, from its name, or from the kind of the handout it shows."""
    if name in _FIXED:
        return _FIXED[name]
    handout = library.handouts.get(name.rsplit("/", 1)[-1])
    return handout.kind if handout is not None else "other"


def _copies(kind: str, people: int, sheet_copies: int | None) -> int:
    """Copies to print: none of a record file, one of what the facilitator keeps, else what the cards call for."""
    if kind in ("plan", "manifest", "other"):
        return 0
    if kind == "attendance":
        return attendance_sheets(people)
    if kind in _ONE_COPY:
        return 1
    return sheet_copies if sheet_copies is not None else people


def _sessions(kind: str, name: str, used: list[list[str]]) -> tuple[int, ...]:
    """The sessions a file is used in."""
    everyone = tuple(range(1, len(used) + 1))
    fixed = {
        "guide": everyone,
        "attendance": everyone,
        "self-check": everyone,
        "sessions-sheet": everyone[:1],
        "feedback": everyone[-1:],
    }
    if kind in fixed:
        return fixed[kind]
    sessions = tuple(n for n, names in enumerate(used, start=1) if name in names)
    return sessions or everyone[:1] if kind == "ground-rules" else sessions


def _session_uses(files: dict[str, PackFile], used: list[list[str]]) -> tuple[SessionUse, ...]:
    """Each session's files in the order they are used: on arrival, handed out, at the end, after."""
    seen: set[str] = set()
    uses = []
    for number, names in enumerate(used, start=1):
        if number == 1:  # the sessions sheet first; the ground rules where the cards use them, else here
            names = ["handouts/our-sessions", *names]
            if not any("ground-rules" in session for session in used):
                names.insert(0, "ground-rules")
        present = [n for n in dict.fromkeys(names) if n in files]
        uses.append(
            SessionUse(
                number=number,
                start=tuple(files[n] for n in (ATTENDANCE,) if n in files),
                new=tuple(files[n] for n in present if n not in seen),
                again=tuple(files[n] for n in present if n in seen),
                end=tuple(files[n] for n in (FEEDBACK,) if n in files and number == len(used)),
                after=tuple(files[n] for n in (SELF_CHECK,) if n in files),
            )
        )
        seen.update(present)
    return tuple(uses)


def _used_by_session(plan: Plan, library: Library, names: Sequence[str]) -> list[list[str]]:
    """The documents each session's cards call for, in agenda order: each card's printed sheets, used while
    it runs, then its handouts, often taken home.

    A block running the agency's own material in a card's place uses none of the card's sheets.
    """
    by_id = {name.rsplit("/", 1)[-1]: name for name in names}
    used = []
    for session in plan.sessions:
        here: list[str] = []
        for block in session.blocks:
            card = library.activities.get(block.activity or "")
            if card is None or block.own_material:
                continue
            ids = [*(m.sheet for m in card.materials if m.printed and m.sheet), *card.handouts]
            here += [by_id[i] for i in ids if i in by_id]
        used.append(list(dict.fromkeys(here)))
    return used


def _sheet_copies(plan: Plan, library: Library, names: Sequence[str]) -> dict[str, int]:
    """Copies of each document the planned cards call for, counted as the materials checklist counts them.

    A handout (and the ground rules and the sessions sheet) is one per participant for the
    workshop; a printed material's sheet is used up, so its copies add up over every block
    that uses it, on top of those.
    """
    by_id = {name.rsplit("/", 1)[-1]: name for name in names}
    people = plan.participants
    handed = {"ground-rules", "handouts/our-sessions"} & set(names)
    sheets: dict[str, int] = {}
    for session in plan.sessions:
        for block in session.blocks:
            card = library.activities.get(block.activity or "")
            if card is None or block.own_material:
                continue
            handed.update(by_id[h] for h in card.handouts if h in by_id)
            for material in card.materials:
                sheet = by_id.get(material.sheet or "") if material.printed and material.own is None else None
                if sheet is not None:
                    sheets[sheet] = sheets.get(sheet, 0) + material.count * units(material.per, people)
    return {name: (people if name in handed else 0) + sheets.get(name, 0) for name in {*handed, *sheets}}


@dataclass(frozen=True)
class SessionCheck:
    """What a session's self-check asks about: the cards that ran and the soft skills they practise."""

    number: int
    activities: tuple[tuple[str, int], ...]
    """Each planned card (title, minutes), in agenda order, breaks and spare time left out."""
    skills: tuple[tuple[str, tuple[str, ...]], ...]
    """Each soft skill the session practises, in the canonical order, with the cards that practise it."""


def session_checks(plan: Plan, library: Library) -> tuple[SessionCheck, ...]:
    """One self-check per session of the plan, built from the cards planned in it."""
    checks = []
    for number, session in enumerate(plan.sessions, start=1):
        cards = [
            (library.activities[b.activity], b.minutes)
            for b in session.blocks
            if b.activity and b.activity in library.activities
        ]
        skills = {
            skill: tuple(dict.fromkeys(card.title for card, _minutes in cards if skill in card.skills))
            for skill in SOFT_SKILLS
        }
        checks.append(
            SessionCheck(
                number=number,
                activities=tuple((card.title, minutes) for card, minutes in cards),
                skills=tuple((skill, titles) for skill, titles in skills.items() if titles),
            )
        )
    return tuple(checks)


def attendance_rows(people: int) -> int:
    """Rows on the attendance sheet: one for each person expected, up to a sheet's worth."""
    return min(people, ATTENDANCE_ROWS)


def attendance_sheets(people: int) -> int:
    """Attendance sheets to print: one, or as many as the expected people fill."""
    return -(-people // ATTENDANCE_ROWS)
