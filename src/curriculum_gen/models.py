"""Typed data: curricula, group profiles and the plan.

Every model refuses unknown keys (``extra="forbid"``) so a misspelt key in a
hand-edited YAML file is reported instead of silently ignored.
"""

from __future__ import annotations

import math
import re
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from curriculum_gen.i18n import gettext

# The names of the ERS factors are written once, in these two Literals; the tuples, the
# titles' order and the fields of a profile's ``needs_help`` are all derived from them.
SoftSkill = Literal["self_efficacy", "outcome_expectancy", "social_supports", "work_history", "job_maintenance"]
"""The five soft skills the ERS measures, in the article's order."""
EmployabilityFactor = Literal["career_decision_making", "skills_enhancement", "job_search", "ongoing_career_management"]
"""ERS factors that are not soft skills (job maintenance is both)."""
ErsFactor = Literal[SoftSkill, EmployabilityFactor]
"""Every ERS factor: the soft skills, then the others."""

SOFT_SKILLS: tuple[str, ...] = get_args(SoftSkill)
EMPLOYABILITY_ONLY: tuple[str, ...] = get_args(EmployabilityFactor)
ERS_FACTORS: tuple[str, ...] = get_args(ErsFactor)


def N_(message: str) -> str:  # gettext's own name for a marker, which Babel extracts
    """Mark ``message`` for the catalogues without translating it: a constant is read before any language is
    set, so it is translated where it is shown (:func:`skill_title`)."""
    return message


_TITLES: dict[ErsFactor, str] = {  # typed, so a key that is not a factor is a type error
    "self_efficacy": N_("Self-efficacy"),
    "outcome_expectancy": N_("Outcome expectancy"),
    "social_supports": N_("Social supports"),
    "work_history": N_("Work history"),
    "job_maintenance": N_("Job maintenance"),
    "career_decision_making": N_("Career decision-making"),
    "skills_enhancement": N_("Skills enhancement"),
    "job_search": N_("Job search"),
    "ongoing_career_management": N_("Ongoing career management"),
}
SKILL_TITLES: dict[str, str] = {factor: _TITLES[factor] for factor in get_args(ErsFactor)}
"""Each ERS factor's title in English, in factor order (a factor without a title fails at import); documents
show :func:`skill_title`."""
_IN_A_SENTENCE: dict[SoftSkill, str] = {
    # Translators: a soft skill named inside a sentence ("chosen for self-efficacy"), with its article if the
    # language needs one ("l'efficacité personnelle").
    "self_efficacy": N_("self-efficacy"),
    # Translators: a soft skill inside a sentence, with its article if the language needs one.
    "outcome_expectancy": N_("outcome expectancy"),
    # Translators: a soft skill inside a sentence, with its article if the language needs one.
    "social_supports": N_("social supports"),
    # Translators: a soft skill inside a sentence, with its article if the language needs one.
    "work_history": N_("work history"),
    # Translators: a soft skill inside a sentence, with its article if the language needs one.
    "job_maintenance": N_("job maintenance"),
}


def skill_title(key: str) -> str:
    """An ERS factor's title in the language being rendered ('Self-efficacy', 'Efficacité personnelle');
    an unknown key as it is."""
    return gettext(SKILL_TITLES[key]) if key in SKILL_TITLES else key


def skill_words(key: str) -> str:
    """A soft skill as a sentence names it: 'self-efficacy' (its title in lower case) in English,
    'l'efficacité personnelle' in French."""
    return gettext(_IN_A_SENTENCE[key]) if key in _IN_A_SENTENCE else skill_title(key).lower()


GROUP_MAX = 1_000_000
"""The largest group anywhere (a regional roll-up): profiles, plans and ``--participants`` share this bound."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
"""Words people read: a translation (``curricula/fr/``) gives its own, and the rest of the file stays the same."""


class SameInEveryLanguage:
    """Marks a text field a translation keeps word for word (see :data:`Citation`)."""

    def __repr__(self) -> str:
        return "SameInEveryLanguage()"


Citation = Annotated[str, Field(min_length=1), SameInEveryLanguage()]
"""Where something comes from, citing the English article's headings: the same in every language's file."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- curricula


class Minutes(Strict):
    """How long an activity can run: it is stretched or shrunk within min..max."""

    min: int = Field(ge=5, le=240, description="Shortest useful length, in minutes.")
    typical: int = Field(ge=5, le=240, description="Usual length, in minutes.")
    max: int = Field(ge=5, le=240, description="Longest useful length, in minutes.")

    @model_validator(mode="after")
    def _ordered(self) -> Minutes:
        if not self.min <= self.typical <= self.max:
            raise ValueError(f"expected min <= typical <= max, got {self.min}, {self.typical}, {self.max}")
        return self


class Step(Strict):
    minutes: int = Field(ge=1, le=240, description="Time for this step at the typical length.")
    do: Text = Field(description="What the facilitator does, in one or two sentences.")
    builds: SoftSkill | None = Field(
        default=None,
        description="The soft skill this step practises, where a soft-skill moment is woven into core "
        "content (the guide names it beside the step).",
    )
    per_person: float | None = Field(
        default=None,
        gt=0,
        le=30,
        description="For a step that goes round the room (introductions, a check-in round): the minutes each "
        "person takes. The step then gets at least this times the number of people, or the room splits into "
        "smaller groups that go round at the same time; ``minutes`` is its length for a group of 12.",
    )
    focus: dict[SoftSkill, Text] = Field(
        default_factory=dict,
        description="For a step of a routine (a check-in or closing round): the same step asked so that it "
        "practises another soft skill, by skill. A plan for a group that needs a skill more than most clients "
        "asks the step that way (the block's ``focus``), and the step's minutes count for that skill.",
    )


class MinuteRange(Strict):
    """A range of block lengths, in minutes."""

    min: int = Field(ge=5, le=240, description="Shortest length, in minutes.")
    max: int = Field(ge=5, le=240, description="Longest length, in minutes.")

    @model_validator(mode="after")
    def _ordered(self) -> MinuteRange:
        if self.min > self.max:
            raise ValueError(f"expected min <= max, got {self.min} and {self.max}")
        return self

    def holds(self, minutes: int) -> bool:
        return self.min <= minutes <= self.max


class Variant(Strict):
    """A version of a card for a shorter or longer block, with steps written to fit that length.

    A block whose minutes fall in ``minutes`` runs these steps instead of the card's own, so a
    card squeezed to 15 minutes does not promise what only fits in 45.
    """

    minutes: MinuteRange = Field(description="The block lengths this version is for (within the card's min..max).")
    steps: list[Step] = Field(min_length=1, description="Its steps; their minutes add up to a length in its range.")
    participant_instructions: Text | None = Field(
        default=None, description="What participants are told in this version, when it differs from the card's."
    )

    @model_validator(mode="after")
    def _fits(self) -> Variant:
        total = sum(step.minutes for step in self.steps)
        if not self.minutes.holds(total):
            raise ValueError(
                f"steps add up to {total} minutes, outside this version's {self.minutes.min}-{self.minutes.max} "
                "(make them add up to a length in its range)"
            )
        return self


class GroupSize(Strict):
    """How many people the activity works for, as written."""

    min: int = Field(ge=1, le=100)
    max: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> GroupSize:
        if self.min > self.max:
            raise ValueError(f"expected min <= max, got {self.min} and {self.max}")
        return self


GROUND_RULES_SHEET = "ground-rules"
"""The id by which a material's ``sheet`` names the pack's ground-rules document (not a handout)."""


class Material(Strict):
    """One thing to bring; ``per`` and ``count`` give how many for a group of a given size."""

    item: Text
    per: Literal["room", "group", "pair", "participant"] = Field(
        default="room", description="One set for the room, per small group (of 4), per pair or per participant."
    )
    count: int = Field(default=1, ge=1, le=50, description="How many per room, group, pair or participant.")
    printed: bool = Field(default=False, description="A printed sheet (goes on the print list).")
    sheet: Slug | None = Field(
        default=None,
        description="For a printed material: the id of the document in the pack that is it "
        "(a handout, a list, or a card set laid out for cutting).",
    )
    own: Text | None = Field(
        default=None,
        description="For a printed material the pack does not make: the facilitator's own, and what to bring.",
    )


class Adaptations(Strict):
    """How to run the activity in other settings and for other people."""

    one_to_one: Text
    online: Text
    disabilities: Text
    newcomers: Text
    first_nations: str | None = Field(
        default=None,
        description="For First Nations, Inuit and Métis participants, wherever the card touches identity, "
        "community, family or the past: culturally grounded ways and resources.",
    )
    low_literacy: Text = Field(
        description="For people who read or write with difficulty: how to run it with less reading and writing."
    )
    interpreters: Text = Field(
        description="With a spoken-language or ASL interpreter, or captioning: pacing, seating, what to send ahead.",
    )


RoomRisk = Literal["silence", "domination", "conflict", "disclosure", "distress"]
"""Moments a facilitator may have to handle; 'Running the room' in the guide says how."""


class PrepTask(Strict):
    """One thing to arrange ahead: for a card, when it is planned, or for every workshop (``preparation.yaml``)."""

    when: Literal["weeks-before", "day-before", "on-the-day"] = Field(
        description="Weeks before the first session, the day before each session that needs it, or on its day."
    )
    weeks: int | None = Field(
        default=None, ge=1, le=12, description="For 'weeks-before': how many weeks before the first session."
    )
    task: Text = Field(description="What to do, in one plain sentence.")

    @model_validator(mode="after")
    def _weeks_when_weeks_before(self) -> PrepTask:
        if self.when == "weeks-before" and self.weeks is None:
            raise ValueError("'weeks-before' needs weeks: how many weeks ahead (1 to 12)")
        if self.when != "weeks-before" and self.weeks is not None:
            raise ValueError(f"weeks is only for 'weeks-before', not '{self.when}' (remove it)")
        return self


class GroupSetup(str, Enum):
    individual = "individual"
    pairs = "pairs"
    small_groups = "small-groups"
    whole_group = "whole-group"


class Activity(Strict):
    """One activity card."""

    id: Slug
    title: Text
    purpose: Text = Field(description="One line: what the activity is for.")
    takeaway: Text = Field(
        description="One plain sentence: what a participant leaves with "
        "(e.g. 'A list of three people who can give you honest feedback.'). "
        "A session's objectives and its closing summary are built from these."
    )
    between_sessions: Text | None = Field(
        default=None,
        description="A small task to try before next time, for cards that lead to practice; "
        "the closing sets it and the next check-in asks about it.",
    )
    primary: dict[SoftSkill, Text] = Field(
        default_factory=dict, description="Soft skills it mainly builds, each with why."
    )
    secondary: dict[SoftSkill, Text] = Field(
        default_factory=dict, description="Soft skills it also builds, each with why."
    )
    minutes: Minutes
    group: GroupSetup = Field(description="How people work during the activity.")
    size: GroupSize = Field(description="Group sizes the activity works for.")
    space: Text = Field(description="The room and layout it needs.")
    materials: list[Material] = Field(default_factory=list)
    handouts: list[Slug] = Field(default_factory=list, description="Handout ids it uses (one copy per participant).")
    after: list[Slug] = Field(
        default_factory=list,
        description="Ids of the activities that must run earlier in the workshop whenever this one runs "
        "(the planner pulls them in, or leaves this one out).",
    )
    sessions_after: int = Field(
        default=0,
        ge=0,
        le=52,
        description="Sessions that must pass after the last of ``after`` before this one runs: "
        "0, later in the same session is fine; 1, a later session (real time has to pass).",
    )
    steps: list[Step] = Field(min_length=1)
    variants: list[Variant] = Field(
        default_factory=list,
        description="Shorter or longer versions, each for a range of minutes, with steps written for that length; "
        "the card's own steps serve every other length.",
    )
    debrief: list[Text] = Field(default_factory=list)
    participant_instructions: Text = Field(description="What participants are told (printed on handouts).")
    adaptations: Adaptations
    source: Citation = Field(description="The article section the idea comes from.")
    prepare: list[PrepTask] = Field(
        default_factory=list,
        description="What to arrange ahead when this card is planned (speakers, hosts, a room); "
        "the guide's preparation timeline is built from these.",
    )
    risks: list[RoomRisk] = Field(
        default_factory=list,
        description="What may happen in the room during this card; the guide points to 'Running the room'.",
    )
    core: bool = Field(
        default=False,
        description="Core content: what a component is usually for (a résumé draft, practised interview "
        "answers), run whenever the component runs; soft-skill moments are woven into its steps (``builds``).",
    )

    @model_validator(mode="after")
    def _skills(self) -> Activity:
        both = sorted(set(self.primary) & set(self.secondary))
        if both:
            raise ValueError(f"{', '.join(both)} is both primary and secondary (pick one)")
        if self.core and not self.primary and not any(step.builds for step in self.steps):
            raise ValueError("a core card weaves in at least one soft skill (give a step 'builds:')")
        built = set(self.primary) | set(self.secondary)
        for number, step in enumerate(self.steps, 1):
            if again := sorted(built & set(step.focus)):
                raise ValueError(
                    f"step {number} has a focus on {', '.join(again)}, which the whole card already builds "
                    "(a focus is for a skill the card does not practise otherwise)"
                )
        if any(step.focus for variant in self.variants for step in variant.steps):
            raise ValueError("a focus goes on the card's own steps, not a variant's")
        total = sum(step.minutes for step in self.steps)
        if total != self.minutes.typical:
            raise ValueError(
                f"steps add up to {total} minutes but minutes.typical is {self.minutes.typical} (make them equal)"
            )
        return self

    @model_validator(mode="after")
    def _variants(self) -> Activity:
        card = MinuteRange(min=self.minutes.min, max=self.minutes.max)
        woven = {step.builds for step in self.steps} - {None}
        ranges: list[tuple[int, MinuteRange]] = []
        for index, variant in enumerate(self.variants):
            span = f"variants[{index}] ({variant.minutes.min}-{variant.minutes.max} min)"
            if not (card.holds(variant.minutes.min) and card.holds(variant.minutes.max)):
                raise ValueError(f"{span} is outside the card's {card.min}-{card.max} minutes")
            if variant.minutes.holds(self.minutes.typical):
                raise ValueError(
                    f"{span} holds minutes.typical ({self.minutes.typical}); the card's own steps are for that length"
                )
            for other, taken in ranges:
                if variant.minutes.min <= taken.max and taken.min <= variant.minutes.max:
                    raise ValueError(f"{span} overlaps variants[{other}] ({taken.min}-{taken.max} min)")
            ranges.append((index, variant.minutes))
            if {step.builds for step in variant.steps} - {None} != woven:
                raise ValueError(f"{span} must weave in the same soft skills ('builds:') as the card's own steps")
        return self

    @property
    def focus_skills(self) -> list[str]:
        """The soft skills a step of this card can be asked for (``Step.focus``), in the usual order."""
        offered = {skill for step in self.steps for skill in step.focus}
        return [s for s in SOFT_SKILLS if s in offered]

    @property
    def skills(self) -> list[str]:
        """The soft skills it builds: main, also, and those woven into its steps."""
        woven = {step.builds for step in self.steps}
        return [s for s in SOFT_SKILLS if s in self.primary or s in self.secondary or s in woven]


class ActivityFile(Strict):
    activities: list[Activity] = Field(min_length=1)


class FrameBlock(Strict):
    """A fixed part of every session: openings and closings."""

    activity: Slug = Field(description="Id of the activity card to run.")
    sessions: Literal["first", "later", "all"] = "all"
    minutes: int = Field(ge=1, le=120)


class BreakRule(Strict):
    """When a session gets breaks, how many and how long (``breaks`` in ``frame.yaml``).

    A session of ``from_minutes`` or more gets at least one break, and as many as it takes
    to keep every stretch between breaks (opening and closing included) to at most
    ``every_minutes``. With the defaults, a 90- to 190-minute session gets one 10-minute
    break near its middle and a 4-hour session two, about 75 minutes apart.
    """

    from_minutes: int = Field(default=90, ge=30, le=480, description="Sessions this long or longer get a break.")
    every_minutes: int = Field(
        default=90,
        ge=30,
        le=480,
        description="The longest stretch without a break, in minutes; longer sessions get more.",
    )
    minutes: int = Field(default=10, ge=5, le=60, description="Length of each break, in minutes.")

    def lengths(self, session_minutes: int) -> list[int]:
        """The length of each break a session of ``session_minutes`` gets, in the order they run (none if short)."""
        if session_minutes < self.from_minutes:
            return []
        count = 1
        while (session_minutes - count * self.minutes) / (count + 1) > self.every_minutes:
            count += 1
        return [self.minutes] * count


class Frame(Strict):
    opening: list[FrameBlock] = Field(min_length=1)
    closing: list[FrameBlock] = Field(min_length=1)
    breaks: BreakRule | None = Field(
        default_factory=BreakRule, description="The break rule; leave it empty (``breaks:``) for no breaks."
    )


class Preparation(Strict):
    """What every workshop needs arranged, whatever cards are planned (``preparation.yaml``).

    The guide's preparation timeline lists these first, then the ``prepare`` tasks of the
    cards the plan holds.
    """

    intro: Text = Field(description="One or two sentences the guide prints above the timeline.")
    tasks: list[PrepTask] = Field(
        min_length=1, description="The room, accessibility, interpreters, printing, links to other services."
    )


class CoreBlock(Strict):
    """A component's core content: a core card, or the agency's own material in its place."""

    activity: Slug = Field(description="Id of the core card (``core: true``) that sets its time and take-away.")
    own_material: Text | None = Field(
        default=None,
        description="Run the agency's own material here instead of the card's steps, named as the facilitator "
        "will find it (e.g. 'Résumé workbook, pages 3 to 9'); the time is kept.",
    )


class Component(Strict):
    id: Slug
    title: Text
    purpose: Text
    share: int = Field(gt=0, le=100, description="Percent of the program's content time.")
    core: list[CoreBlock] = Field(
        default_factory=list, description="The core blocks, run whenever the component runs, in the order listed."
    )
    core_share: int = Field(
        default=0,
        ge=0,
        le=90,
        description="Percent of the component's time for its core blocks; the rest goes to soft-skill cards.",
    )
    activities: list[Slug] = Field(
        min_length=1,
        description="Every card it can draw on, core ones included, in the order they run: a soft-skill "
        "card listed before a core card is woven in before it, one listed after, after it.",
    )

    @model_validator(mode="after")
    def _core(self) -> Component:
        if bool(self.core) != bool(self.core_share):
            raise ValueError("give both core blocks and a core_share above 0, or neither")
        missing = [c.activity for c in self.core if c.activity not in self.activities]
        if missing:
            raise ValueError(f"core card {', '.join(missing)} is not in activities (list it where it runs)")
        return self


class Program(Strict):
    id: Slug
    title: Text
    summary: Text
    sessions: int = Field(ge=1, le=52, description="Default number of sessions.")
    minutes: int = Field(ge=30, le=480, description="Default minutes per session.")
    components: list[Component] = Field(min_length=1)

    @model_validator(mode="after")
    def _shares(self) -> Program:
        total = sum(c.share for c in self.components)
        if total != 100:
            raise ValueError(f"component shares must add up to 100, got {total}")
        return self


class GroundRule(Strict):
    id: Slug
    rule: Text = Field(description="The rule, as the group says it.")
    at_work: Text = Field(description="What the rule looks like in a workplace.")


class GroundRules(Strict):
    title: Text
    intro: Text
    rules: list[GroundRule] = Field(min_length=1)


RING_COUNTS = (2, 3, 4, 5)
"""How many rings a ring map may have (a ``layout: rings`` section's points): one drawing ships for each."""
MAX_PANELS = 12
"""The most boxes in one ``layout: panels`` section: two rows to a page, six pages."""


class HandoutSection(Strict):
    heading: Text
    text: str = ""
    points: list[Text] = Field(default_factory=list)
    tick_boxes: bool = Field(default=False, description="Show the points as boxes to tick, not bullets.")
    write_in: int = Field(
        default=0,
        ge=0,
        le=30,
        description="Blank lines to write on; in a table (``columns``), its blank rows; on a card set, lines on each card.",
    )
    columns: list[Text] = Field(
        default_factory=list,
        max_length=4,
        description="Headings of a table to fill in by hand, with ``write_in`` blank rows (e.g. a two-column worksheet).",
    )
    rows: list[list[Text]] = Field(
        default_factory=list,
        max_length=30,
        description="Rows of the table already filled in, one cell per column, before any blank rows: short "
        "facts such as the names of offices (not read for reading level, so keep prose in ``text`` and ``points``).",
    )
    resources: bool = Field(
        default=False,
        description="List the agency's community resources here "
        "(or blank rows to fill in when there is no agency file).",
    )
    layout: Literal["plain", "panels", "rings"] = Field(
        default="plain",
        description="How the points are laid out on a worksheet. plain: a list (or boxes to tick). panels: one "
        "box per point, side by side like a comic strip, the point at its top and ``write_in`` lines of room "
        "to draw or write under it (2 or more; the room is not ruled). rings: a map of rings around the reader, "
        f"one ring per point from the middle out ({RING_COUNTS[0]} to {RING_COUNTS[-1]}), numbered in the "
        "drawing, which holds no words; the points, numbered alike, are its legend. People write in the "
        "rings, so a rings section has no ``write_in``.",
    )

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> HandoutSection:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"rows[{index}] has {len(row)} cells but there are {len(self.columns)} columns (give one cell per column)"
                )
        return self

    @model_validator(mode="after")
    def _layout_fits(self) -> HandoutSection:
        if self.layout == "plain":
            return self
        others = [
            name
            for name, used in (
                ("tick_boxes", self.tick_boxes),
                ("columns", self.columns),
                ("resources", self.resources),
            )
            if used
        ]
        if others:
            raise ValueError(f"layout {self.layout} lays out points only; remove {', '.join(others)}")
        if self.layout == "panels":
            if not 1 <= len(self.points) <= MAX_PANELS:
                raise ValueError(
                    f"layout panels needs 1 to {MAX_PANELS} points, one for each box; got {len(self.points)}"
                )
            if self.write_in < 2:
                raise ValueError("layout panels needs write_in: 2 or more, the lines of room in each box")
        else:
            if len(self.points) not in RING_COUNTS:
                raise ValueError(
                    f"layout rings needs {RING_COUNTS[0]} to {RING_COUNTS[-1]} points, one for each ring; got {len(self.points)}"
                )
            if self.write_in:
                raise ValueError("layout rings has no write_in: people write in the rings (remove write_in)")
        return self


class Handout(Strict):
    id: Slug
    title: Text
    kind: Literal["handout", "worksheet", "cards"] = Field(
        default="handout",
        description="handout: to read; worksheet: to write on; cards: a set laid out for cutting, one point per card.",
    )
    intro: Text
    sections: list[HandoutSection] = Field(min_length=1)

    @model_validator(mode="after")
    def _layouts_on_sheets(self) -> Handout:
        if self.kind == "cards" and any(section.layout != "plain" for section in self.sections):
            raise ValueError(
                "a card set lays out its points as cards: layout panels or rings is for a worksheet or handout"
            )
        return self


class StrategiesByLevel(Strict):
    """An approach's strategies, split by who acts: staff with one person, or the agency as a whole."""

    one_to_one: list[Text] = Field(
        default_factory=list, description="Moves a facilitator or counsellor makes with one client."
    )
    agency: list[Text] = Field(
        default_factory=list,
        description="What the agency does: referrals, partnerships, program design, lists kept for staff, follow-up.",
    )

    @model_validator(mode="after")
    def _not_empty(self) -> StrategiesByLevel:
        if not self.one_to_one and not self.agency:
            raise ValueError("an approach needs at least one strategy under one_to_one or agency")
        return self


class Approach(Strict):
    title: Text = Field(description="The approach, in a few words.")
    why: Text = Field(description="One or two sentences: when and why it helps.")
    strategies: StrategiesByLevel


class SkillStrategies(Strict):
    key: Text = Field(description="The key to strengthening this skill, in one sentence.")
    signs: Text = Field(description="What you may notice when someone needs help with it.")
    approaches: list[Approach] = Field(min_length=1)


class InformalStrategies(Strict):
    """Ways to build each soft skill outside formal sessions (between sessions, one-to-one)."""

    title: Text
    intro: Text
    source: Citation
    skills: dict[SoftSkill, SkillStrategies]

    @model_validator(mode="after")
    def _every_skill(self) -> InformalStrategies:
        missing = [s for s in SOFT_SKILLS if s not in self.skills]
        if missing:
            raise ValueError(f"every soft skill needs strategies; missing: {', '.join(missing)}")
        return self


class HousekeepingPoint(Strict):
    """One thing to say at the start of session 1 (purpose, breaks, washrooms, exits, phones)."""

    topic: Text = Field(description="A word or two, printed in bold (e.g. 'Breaks').")
    say: Text = Field(description="What to say or show, in a sentence or two.")


class Confidentiality(Strict):
    """What stays in the room, and when the facilitator must act and may have to tell someone."""

    title: Text = Field(description="The heading, as the guide prints it.")
    say: Text = Field(description="What to tell the group about privacy.")
    limits_intro: Text = Field(description="The sentence that leads into the limits.")
    limits: list[Text] = Field(
        min_length=1, description="Each limit: harm to self or others, child protection, the law, agency policy."
    )
    note: Text = Field(description="What the facilitator checks or does about it.")


class Housekeeping(Strict):
    """Session 1's housekeeping: the session 1 opening card points here."""

    title: Text = Field(description="The heading, as the guide prints it.")
    intro: Text = Field(description="When and how to cover it.")
    points: list[HousekeepingPoint] = Field(min_length=1)
    confidentiality: Confidentiality


class RoomSituation(Strict):
    """One moment a facilitator may have to handle, and what to do about it."""

    title: Text = Field(description="The heading, as the guide prints it and cards that risk it name it.")
    signs: Text = Field(description="What you may notice, and what it often means.")
    moves: list[Text] = Field(
        min_length=2, description="Concrete things to do or say, roughly in the order to try them."
    )
    refer: Text = Field(description="When it calls for the referral step, and what to refer to.")


class ReferralStep(Strict):
    """How to refer someone on, whatever the situation, and who to call in a crisis."""

    title: Text = Field(description="The heading, as the guide prints it and each situation names it.")
    intro: Text
    steps: list[Text] = Field(min_length=1, description="The steps, in order.")
    crisis: list[Text] = Field(min_length=1, description="Who to call when someone is in danger now.")


class RunningTheRoom(Strict):
    """The guide's 'Running the room' (``running-the-room.yaml``): session 1 housekeeping and the limits
    of confidentiality, what to do in each moment a card may risk (``Activity.risks``), and the referral step."""

    title: Text
    intro: Text
    housekeeping: Housekeeping
    situations: dict[RoomRisk, RoomSituation] = Field(description="What to do in each moment, by its name.")
    referral: ReferralStep

    @model_validator(mode="after")
    def _every_risk(self) -> RunningTheRoom:
        missing = [r for r in get_args(RoomRisk) if r not in self.situations]
        if missing:
            raise ValueError(f"every moment a card may risk needs a part; missing: {', '.join(missing)}")
        return self


class Resource(Strict):
    name: Text
    helps_with: Text
    contact: Text


class Agency(Strict):
    """An agency file: its name and details, and local community resources."""

    name: Text
    logo: str | None = None
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    resources: list[Resource] = Field(default_factory=list)
    reference_doc: str | None = None
    """A Word reference document (.docx), relative to this file, whose styles, page set-up and header/footer
    layout every Word file of the agency takes (as pandoc's --reference-doc); it wins over the workspace's."""


# --------------------------------------------------------------------------- profiles

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$")


class Need(Strict):
    """How many in the group need help on one factor: a count, a percent, or both."""

    count: int | None = None
    percent: float

    @property
    def share(self) -> float:
        return self.percent / 100.0


INTERVENTIONS: dict[str, str] = {
    "career_exploration": N_("Career exploration"),
    "job_search": N_("Job search"),
    "life_skills": N_("Life skills"),
    "employment_counselling": N_("Employment counselling"),
}
"""The intervention types of the source article's Tables 3 and 4, in English: documents show ``gettext`` of each."""

Measure = Literal["need_help", "self_sufficient", "left_behind", "referred"]
MEASURE_KEYS: dict[str, tuple[str, ...]] = {
    "need_help": ERS_FACTORS,
    "self_sufficient": ERS_FACTORS,
    "left_behind": tuple(INTERVENTIONS),
    "referred": tuple(INTERVENTIONS),
}


class ReferenceGroup(Strict):
    id: Slug
    title: Text
    values: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(
        description="Percent, per ERS factor or intervention type."
    )
    total: Annotated[float, Field(ge=0, le=100)] | None = Field(
        default=None,
        description="The table's 'Total Soft Skills' row for the group (Tables 1 and 2), as the source prints it; "
        "kept apart from `values` so they hold only the five soft skills.",
    )
    higher: list[SoftSkill] = Field(
        default_factory=list,
        description="Soft skills the source finds significantly higher than for all clients "
        "(the cells Table 1 prints in bold); a plan for the group gives them more time.",
    )


class ReferenceTable(Strict):
    """One table of reference figures: percents per client group."""

    table: int = Field(ge=1, description="The table's number in the source article.")
    measure: Measure = Field(description="need_help, self_sufficient (Table 2), left_behind (3) or referred (4).")
    title: Text
    source: Citation
    groups: list[ReferenceGroup] = Field(min_length=1)


class Profile(Strict):
    """A client group's need for help, as loaded from a profile file or a reference."""

    group: Text
    assessed: int | None = Field(default=None, description="People with ERS results.")
    needs_help: dict[str, Need]
    reference: str | None = Field(default=None, description="Reference id, if built from one.")
    client_group: str | None = Field(default=None, description="Reference client group it belongs to.")
    higher: list[SoftSkill] = Field(
        default_factory=list,
        description="For a reference group: the skills its source finds significantly higher than for all clients.",
    )

    def share(self, skill: str) -> float:
        return self.needs_help[skill].share


def _need_value(value: object, info: ValidationInfo) -> object:
    """A ``needs_help`` value read against the profile's ``assessed`` (given as validation context)."""
    assessed = (info.context or {}).get("assessed")
    if type(assessed) is not int or assessed < 1:
        return Need(percent=0.0)  # a count cannot be judged; the bad 'assessed' is reported itself
    return parse_need(value, assessed)


NeedValue = Annotated[Need, BeforeValidator(_need_value)]
"""A count or ``N%`` as written, read into a :class:`Need` (pass ``context={"assessed": n}``)."""

if TYPE_CHECKING:  # a model built at run time is not a type to mypy

    class ProfileNeeds(Strict):
        def __getattr__(self, factor: str) -> Need | None: ...

else:
    ProfileNeeds = create_model(
        "ProfileNeeds",
        __base__=Strict,
        __module__=__name__,
        __doc__="The ``needs_help`` mapping of a profile file: every soft skill, other factors optional.",
        **{factor: (NeedValue, ...) for factor in SOFT_SKILLS},
        **{factor: (NeedValue, None) for factor in EMPLOYABILITY_ONLY},  # an explicit null is still refused
    )


class ProfileFile(Strict):
    """A group profile exactly as written in YAML."""

    group: Text = Field(max_length=200)
    assessed: int = Field(ge=1, le=GROUP_MAX, strict=True)
    needs_help: ProfileNeeds
    client_group: str | None = Field(default=None, description="A reference client group id, e.g. age-19-24.")

    @field_validator("group")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return check_group_name(value)


def check_group_name(value: str) -> str:
    """A group name as people write it: one non-empty line of at most 200 characters.

    Raises:
        ValueError: what is wrong with it.
    """
    return check_line(value, "group name", "a name such as 'Tuesday job club'")


def check_line(value: str, what: str, example: str) -> str:
    """One non-empty line of at most 200 characters, its ends trimmed (a name, the dates of a workshop).

    Raises:
        ValueError: what is wrong with it, naming ``what`` and ``example`` (what was expected).
    """
    if not value.strip():
        raise ValueError(f"{what} is empty (expected {example})")
    if "\n" in value.strip() or "\r" in value.strip():
        raise ValueError(f"{what} must be one line")
    if len(value.strip()) > 200:
        raise ValueError(f"{what} has {len(value.strip())} characters (expected at most 200)")
    return value.strip()


COVER_LINES = {
    "dates": "the dates, such as 'Tuesdays, 3 to 24 March 2026'",
    "facilitator": "a name, such as 'Sam Lee'",
}
"""What the guide's cover prints when the build is told (``--dates``, ``--facilitator``): each its example."""


def parse_need(value: object, assessed: int) -> Need:
    """Read one ``needs_help`` value: a whole count or ``N%``; never guess.

    Raises:
        ValueError: with a message saying what was expected (callers locate it).
    """
    expected = f"expected a count (0..{assessed}) or a percent like 40%"
    if isinstance(value, bool) or value is None:
        got = "nothing" if value is None else str(value).lower()
        raise ValueError(f"{expected}, got {got}")
    if isinstance(value, int):
        if not 0 <= value <= assessed:
            hint = f"; write a percent as {value}%" if assessed < value <= 100 else ""
            raise ValueError(f"count {value} is outside 0..{assessed} (assessed is {assessed}{hint})")
        return Need(count=value, percent=round(100.0 * value / assessed, 4))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{expected}, got {value}")
        raise ValueError(  # noqa: TRY004
            f"{value!r} is not a whole number of people (write a count like {int(value)} or a percent like {value!r}%)"
        )
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if not match:
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise ValueError(f"{expected}, got {shown!r}")
        percent = float(match.group(1))
        if percent > 100:
            raise ValueError(f"percent {value.strip()} is outside 0%..100%")
        return Need(percent=percent)
    raise ValueError(f"{expected}, got {'a list' if isinstance(value, list) else 'a mapping'}")


# --------------------------------------------------------------------------- plan


class PlanStrict(Strict):
    """Plans are edited by hand: no silent type conversion ("120" is not 120)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PlanNeed(PlanStrict):
    skill: ErsFactor
    percent: float = Field(ge=0, le=100)
    count: int | None = Field(default=None, ge=0)
    reference_percent: float | None = Field(default=None, ge=0, le=100)
    flagged: str | None = Field(
        default=None,
        description="Why this skill is significantly higher than for all clients (Table 1, or the group's own "
        "test); the plan gives it more minutes than a plan for all clients would.",
    )
    all_clients_minutes: int | None = Field(
        default=None, ge=0, description="For a flagged skill: its minutes in a plan for all clients at this layout."
    )


class Block(PlanStrict):
    """One timed item of a session's agenda."""

    kind: Literal["opening", "activity", "break", "closing", "catch-up"]
    activity: str | None = Field(default=None, description="Activity id, or none for a break or catch-up.")
    component: str | None = None
    minutes: int = Field(ge=1, le=480)
    reason: str = ""
    own_material: str | None = Field(
        default=None, description="For a core block: the agency's own material, run instead of the card's steps."
    )
    focus: SoftSkill | None = Field(
        default=None,
        description="For a routine card with a step asked for this soft skill (``Step.focus``): this time the step "
        "is asked that way.",
    )


class PlanSession(PlanStrict):
    number: int = Field(ge=1)
    minutes: int = Field(ge=1, le=480)
    components: list[str] = Field(default_factory=list)
    blocks: list[Block] = Field(min_length=1)


class LeftOut(PlanStrict):
    """A card the planner chose, then left out to keep the order cards need (``Activity.after``)."""

    activity: str = Field(description="Id of the card left out.")
    reason: str = Field(description="Why, in words the facilitator can check.")
    cause: Literal["order", "room"] = Field(
        description="order: what it needs could not run early enough; "
        "room: it gave its place to a card another one needs first."
    )


class Plan(PlanStrict):
    """A serialisable, hand-editable workshop plan (``plan.yaml``)."""

    plan_version: Literal[1] = 1
    group: Text
    assessed: int | None = Field(default=None, ge=1, le=GROUP_MAX)
    reference: str | None = None
    reference_title: str | None = None
    programs: list[str] = Field(min_length=1)
    participants: int = Field(default=12, ge=1, le=GROUP_MAX, description="People expected; sets copy counts.")
    client_group: str | None = Field(default=None, description="Reference client group for national figures.")
    threshold: float = Field(ge=0, le=100)
    needs: list[PlanNeed]
    start_time: str = Field(default="09:00", description="Clock time the sessions start, HH:MM.")
    dates: str | None = Field(
        default=None,
        description="When the sessions run, in the facilitator's words ('Tuesdays, 3 to 24 March 2026'), as the "
        "guide's cover prints it (build --dates); none: a labelled blank to fill in by hand.",
    )
    facilitator: str | None = Field(
        default=None,
        description="Who runs the sessions, as the guide's cover prints it (build --facilitator); none: a labelled "
        "blank to fill in by hand.",
    )
    sessions: list[PlanSession] = Field(min_length=1)
    left_out: list[LeftOut] = Field(
        default_factory=list, description="Cards chosen, then left out to keep the order cards need, and why."
    )

    @field_validator("start_time", mode="before")
    @classmethod
    def _clock(cls, value: object) -> str:
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", str(value).strip()) if isinstance(value, str) else None
        if not match:
            raise ValueError(f"expected a clock time like 09:00 or 13:30, got {value!r}")
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    @field_validator("dates", "facilitator")
    @classmethod
    def _cover_line(cls, value: str | None, info: ValidationInfo) -> str | None:
        name = info.field_name or ""
        return None if value is None else check_line(value, name, COVER_LINES[name])

    @field_validator("needs")
    @classmethod
    def _every_skill(cls, needs: list[PlanNeed]) -> list[PlanNeed]:
        listed = [n.skill for n in needs]
        missing = [s for s in SOFT_SKILLS if s not in listed]
        if missing:
            raise ValueError(f"needs must list every soft skill; missing: {', '.join(missing)}")
        twice = sorted({s for s in listed if listed.count(s) > 1})
        if twice:
            raise ValueError(f"needs lists {', '.join(twice)} more than once")
        return needs
