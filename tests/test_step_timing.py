"""Timing that fits the people and the minutes (issue 13, point 4).

Every card of the shipped library is timed at its shortest, usual and longest length for 6,
12 and 24 people: the steps add up to the block, each gets a minute or more, a step that goes
round the room fits the group or says it splits into groups, and whatever a step's text
promises (minutes, speakers, rounds, questions) fits in the minutes the step is given.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.models import Activity, Step
from curriculum_gen.plan.steps import TimedStep, pick_variant, timed_steps
from curriculum_gen.render.markdown import escape_md

LIB = load_library(Workspace(REPO))
CARDS = sorted(LIB.activities.values(), key=lambda a: a.id)
PEOPLE = (6, 12, 24)


def lengths(card: Activity) -> list[int]:
    """The card's shortest, usual and longest length, and each end of every variant's range and beside it.

    A step's minutes grow with the block, so a promise that holds at both ends of a version holds between.
    """
    ends = {card.minutes.min, card.minutes.typical, card.minutes.max}
    for variant in card.variants:
        ends |= {variant.minutes.min - 1, variant.minutes.min, variant.minutes.max, variant.minutes.max + 1}
    return sorted(m for m in ends if card.minutes.min <= m <= card.minutes.max)


CASES = [
    pytest.param(card, minutes, people, id=f"{card.id}-{minutes}min-{people}")
    for card in CARDS
    for minutes in lengths(card)
    for people in PEOPLE
]


# --------------------------------------------------------------------------- reading promises

_UNITS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"),
]
WORDS = {word: n for n, word in enumerate(_UNITS)} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_NUM = (
    r"(?:\d+|(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(sorted(WORDS, key=len, reverse=True))
    + ")"
)
DURATION = re.compile(rf"\b({_NUM})(?:\s+(?:to|or)\s+{_NUM})?[\s-]+minutes?\b", re.IGNORECASE)
"""'about four minutes', 'a five-minute interview', 'two to three minutes' (the least is what is promised)."""
COUNTED = re.compile(
    rf"\b({_NUM})(?:\s+(?:to|or)\s+{_NUM})?\s+(?:short\s+)?(speakers?|panel members?|rounds?|turns?|questions?|conversations?)\b",
    re.IGNORECASE,
)
"""'three speakers', 'two or three questions', 'at least three short conversations' (again the least)."""
MINUTES_EACH = {"speaker": 2.0, "panel member": 2.0, "round": 2.0, "turn": 1.0, "question": 0.5, "conversation": 2.0}
"""The least time one counted thing takes when the text gives no minutes for it."""
PER_ITEM = re.compile(r"\beach\b|\ba turn\b|\bapiece\b|\ba person\b|\bper person\b", re.IGNORECASE)
TWO_WAYS = re.compile(r"\beach way\b|\bswitch\b|\bin pairs\b|\bboth partners\b", re.IGNORECASE)
GROUPS_OF = re.compile(rf"\bgroups? of ({_NUM})\b", re.IGNORECASE)
GO_ROUND = re.compile(
    r"\bgo (?:a)?round the room\b"
    r"|\beach (?:person|participant|pair)\b[^.]*\b(?:to the group|with the group|reports?)\b"
    r"|\beach pair shares\b",
    re.IGNORECASE,
)
"""Wording of a step where every person (or pair) takes a turn in front of the whole room."""


def number(text: str) -> int:
    text = text.lower()
    if text.isdigit():
        return int(text)
    if "-" in text:
        tens, unit = text.split("-")
        return WORDS[tens] + WORDS[unit]
    return WORDS[text]


@dataclass(frozen=True)
class Promise:
    sentence: str
    minutes: float
    """The least time the sentence promises."""
    unresolved: bool = False
    """It gives minutes for each of something, but not how many."""


def promises(text: str, people: int | None = None) -> list[Promise]:
    """What each sentence of a step promises, in minutes.

    ``people`` is how many take a turn when the step goes round the room (the people in
    the room, or in each group when it splits).
    """
    found = []
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        counts = [(number(m.group(1)), m.group(2).lower().rstrip("s")) for m in COUNTED.finditer(sentence)]
        durations = [number(m.group(1)) for m in DURATION.finditer(sentence)]
        if durations:
            found.append(_timed_promise(sentence, durations, [n for n, _ in counts], people))
        elif counts:
            least = sum(n * MINUTES_EACH[_unit(noun)] for n, noun in counts)
            found.append(Promise(sentence, least))
    return found


def _unit(noun: str) -> str:
    return "panel member" if noun.startswith("panel member") else noun


def _timed_promise(sentence: str, durations: list[int], counts: list[int], people: int | None) -> Promise:
    """A sentence that names minutes: 'for about four minutes' once, or for each speaker, round or way."""
    if not PER_ITEM.search(sentence) and not TWO_WAYS.search(sentence) and not counts:
        return Promise(sentence, sum(durations))
    times = list(counts)
    times += [2] if TWO_WAYS.search(sentence) else []
    times += [number(m.group(1)) for m in GROUPS_OF.finditer(sentence)]
    times += [people] if people else []
    if not times:  # 'each panel member speaks for about four minutes': at least two, and how many is not said
        return Promise(sentence, 2 * sum(durations), unresolved=True)
    return Promise(sentence, max(times) * sum(durations))


def _people_in_turn(step: TimedStep, card: Activity, people: int) -> int | None:
    """How many take a turn in a go-round step: the room, or each group it splits into."""
    if not _source_step(card, step).per_person:
        return None
    if step.note and (match := re.search(r"groups of (\d+)(?: or (\d+))?", step.note)):
        return int(match.group(2) or match.group(1))
    return people


def _source_step(card: Activity, step: TimedStep) -> Step:
    for candidate in [*card.steps, *(s for v in card.variants for s in v.steps)]:
        if candidate.do == step.do:
            return candidate
    raise AssertionError(f"no step of {card.id} reads {step.do!r}")


def test_the_promise_reader_finds_what_the_reviewer_found() -> None:
    [panel] = promises("Each panel member speaks for about four minutes on one turning point.")
    assert panel.unresolved and panel.minutes == 8  # at least two speakers, and how many is not said
    [three] = promises("Each of the three panel members speaks for about four minutes.")
    assert (three.minutes, three.unresolved) == (12, False)
    [interview] = promises("In pairs, run a five-minute practice interview each way, then give feedback.")
    assert interview.minutes == 10
    [rounds] = promises("Run two rounds of about six minutes each.")
    assert rounds.minutes == 12
    [asks] = promises("The other asks two or three questions about job conditions.")
    assert asks.minutes == 1
    [turns] = promises("Each person speaks for about one minute.", people=8)
    assert turns.minutes == 8
    assert promises("Each person finishes the sentence. Rate the job from 1 to 5.") == []
    assert promises("Discuss what people notice in the first minute.") == []
    [speakers] = promises("Twenty-five speakers take a turn.")
    assert speakers.minutes == 50


# --------------------------------------------------------------------------- every card, every length


@pytest.mark.parametrize(("card", "minutes", "people"), CASES)
def test_step_minutes_add_up_to_the_block_and_each_step_has_a_minute(card: Activity, minutes: int, people: int) -> None:
    steps = timed_steps(card, minutes, people)
    assert sum(s.minutes for s in steps) == minutes
    assert min(s.minutes for s in steps) >= 1


@pytest.mark.parametrize(("card", "minutes", "people"), CASES)
def test_what_each_step_promises_fits_in_its_minutes(card: Activity, minutes: int, people: int) -> None:
    broken = []
    for step in timed_steps(card, minutes, people):
        for promise in promises(step.do, _people_in_turn(step, card, people)):
            if promise.unresolved:
                broken.append(f"says minutes for each but not for how many: {promise.sentence!r}")
            elif promise.minutes > step.minutes:
                broken.append(f"promises {promise.minutes:g} min in a {step.minutes}-min step: {promise.sentence!r}")
    assert broken == []


@pytest.mark.parametrize(
    ("card", "minutes"),
    [pytest.param(card, minutes, id=f"{card.id}-{minutes}") for card in CARDS for minutes in lengths(card)],
)
def test_a_go_round_for_24_people_fits_or_says_it_splits_into_groups(card: Activity, minutes: int) -> None:
    for step in timed_steps(card, minutes, 24):
        source = _source_step(card, step)
        if not source.per_person:
            assert step.note is None
            continue
        people = _people_in_turn(step, card, 24)
        assert people is not None
        if people < 24:
            assert step.note and re.fullmatch(
                r"In \d+ groups of \d+( or \d+)?, at the same time, so everyone has a turn\.", step.note
            )
        assert step.minutes >= math.ceil(source.per_person * people - 1e-9), step.do


def test_every_step_that_goes_round_the_room_declares_minutes_per_person() -> None:
    undeclared = [
        f"{card.id}: {step.do}"
        for card in CARDS
        for step in [*card.steps, *(s for v in card.variants for s in v.steps)]
        if GO_ROUND.search(step.do) and not step.per_person
    ]
    assert undeclared == []
    go_rounds = {card.id for card in CARDS if any(s.per_person for s in card.steps)}
    assert {"welcome-introductions", "check-in", "closing-round"} <= go_rounds
    too_short_for_12 = [  # a go-round's minutes are its length for the usual group of 12
        f"{card.id}: {step.do}"
        for card in CARDS
        for step in card.steps
        if step.per_person and step.per_person * 12 > step.minutes
    ]
    assert too_short_for_12 == []


def test_a_variant_is_used_wherever_its_range_holds_the_minutes() -> None:
    with_variants = [card for card in CARDS if card.variants]
    assert {"hobbies-interview", "alumni-panel"} <= {card.id for card in with_variants}
    for card in with_variants:
        for minutes in range(card.minutes.min, card.minutes.max + 1):
            holding = [v for v in card.variants if v.minutes.min <= minutes <= v.minutes.max]
            expected = holding[0].steps if holding else card.steps
            assert len(holding) <= 1
            assert pick_variant(card, minutes) is (holding[0] if holding else None)
            assert [s.do for s in timed_steps(card, minutes, 12)] == [s.do for s in expected], (card.id, minutes)
        assert pick_variant(card, card.minutes.typical) is None  # the card's own steps are for its usual length


def test_the_short_hobbies_interview_and_alumni_panel_no_longer_read_as_the_full_ones() -> None:
    interview = LIB.activities["hobbies-interview"]
    short = [s.do for s in timed_steps(interview, interview.minutes.min, 12)]
    assert not {s.do for s in interview.steps} & set(short)
    panel = LIB.activities["alumni-panel"]
    squeezed = timed_steps(panel, panel.minutes.min, 12)
    assert "Each panel member speaks for about four minutes" not in " ".join(s.do for s in squeezed)


@pytest.mark.parametrize("people", [1, 2, 3, 5, 6, 12, 13, 24, 25, 40, 100])
def test_every_length_of_every_card_adds_up_for_any_group(people: int) -> None:
    for card in CARDS:
        for minutes in range(card.minutes.min, card.minutes.max + 1):
            steps = timed_steps(card, minutes, people)
            assert sum(s.minutes for s in steps) == minutes, (card.id, minutes, people)
            assert min(s.minutes for s in steps) >= 1, (card.id, minutes, people)


# --------------------------------------------------------------------------- the rule, on a small card


def _card(steps: list[dict], **extra: object) -> Activity:
    data = {
        "id": "round",
        "title": "Round",
        "purpose": "A test card.",
        "takeaway": "Something.",
        "primary": {"social_supports": "Talking."},
        "minutes": {"min": 10, "typical": 10, "max": 30},
        "group": "whole-group",
        "size": {"min": 2, "max": 30},
        "space": "A circle.",
        "steps": steps,
        "participant_instructions": "Take a turn.",
        "adaptations": {
            "one_to_one": "a",
            "online": "b",
            "disabilities": "c",
            "newcomers": "d",
            "low_literacy": "e",
            "interpreters": "f",
        },
        "source": "Test",
        **extra,
    }
    return Activity.model_validate(data)


def test_a_go_round_grows_with_the_room_and_splits_when_the_block_is_full() -> None:
    card = _card([{"minutes": 4, "do": "Explain."}, {"minutes": 6, "do": "Each person speaks.", "per_person": 0.5}])
    assert [s.minutes for s in timed_steps(card, 10, 12)] == [4, 6]
    assert [s.minutes for s in timed_steps(card, 10, 6)] == [4, 6]  # a small room keeps the usual share
    assert [(s.minutes, s.note) for s in timed_steps(card, 20, 24)] == [(8, None), (12, None)]
    grown = timed_steps(card, 16, 24)  # 12 minutes for the round, 4 for the rest: it still fits
    assert [(s.minutes, s.note) for s in grown] == [(4, None), (12, None)]
    split = timed_steps(card, 10, 24)
    assert [s.minutes for s in split] == [4, 6]
    assert split[1].note == "In 2 groups of 12, at the same time, so everyone has a turn."
    odd = timed_steps(card, 10, 25)
    assert odd[1].note == "In 3 groups of 8 or 9, at the same time, so everyone has a turn."
    assert odd[1].minutes >= math.ceil(0.5 * 9)


def test_a_block_shorter_than_its_steps_still_adds_up() -> None:
    card = _card([{"minutes": 5, "do": "Explain."}, {"minutes": 5, "do": "Each speaks.", "per_person": 3}])
    steps = timed_steps(card, 3, 40)
    assert sum(s.minutes for s in steps) == 3 and min(s.minutes for s in steps) >= 1


def test_variants_must_fit_the_card_and_each_other() -> None:
    steps = [{"minutes": 10, "do": "Do it."}]
    short = {"minutes": {"min": 10, "max": 12}, "steps": [{"minutes": 11, "do": "Do less."}]}
    with pytest.raises(ValueError, match="holds minutes.typical"):
        _card(steps, variants=[short])
    card = {"min": 10, "typical": 20, "max": 30}
    wide = {"minutes": {"min": 5, "max": 12}, "steps": [{"minutes": 10, "do": "Do less."}]}
    with pytest.raises(ValueError, match=r"outside the card's 10-30 minutes"):
        _card([{"minutes": 20, "do": "Do it."}], minutes=card, variants=[wide])
    first = {"minutes": {"min": 10, "max": 15}, "steps": [{"minutes": 12, "do": "Do less."}]}
    second = {"minutes": {"min": 14, "max": 18}, "steps": [{"minutes": 16, "do": "Do a bit more."}]}
    with pytest.raises(ValueError, match=r"variants\[1\] \(14-18 min\) overlaps variants\[0\] \(10-15 min\)"):
        _card([{"minutes": 20, "do": "Do it."}], minutes=card, variants=[first, second])
    long = {"minutes": {"min": 25, "max": 30}, "steps": [{"minutes": 22, "do": "Do more."}]}
    with pytest.raises(ValueError, match="steps add up to 22 minutes, outside this version's 25-30"):
        _card([{"minutes": 20, "do": "Do it."}], minutes=card, variants=[long])


# --------------------------------------------------------------------------- the guide


def _guide(cli, out: str, *args: str) -> tuple[str, dict, Path]:
    result = cli("build", "--format", "md", "--out", out, *args)
    assert result.code == 0, result.stderr
    pack = Path(out).resolve()
    plan = yaml.safe_load((pack / "plan.yaml").read_text(encoding="utf-8"))
    return (pack / "facilitator-guide.md").read_text(encoding="utf-8"), plan, pack


def test_the_guide_splits_introductions_for_24_people(cli) -> None:
    guide, plan, _ = _guide(cli, "pack", "--program", "job-search", "--participants", "24")
    assert plan["participants"] == 24
    card = LIB.activities["welcome-introductions"]
    [round_step] = [s for s in card.steps if s.per_person]
    [line] = [line for line in guide.splitlines() if escape_md(round_step.do) in line]
    minutes = int(re.match(r"1\. \((\d+) min\)", line).group(1))
    if minutes < math.ceil(round_step.per_person * 24):
        match = re.search(r"In (\d+) groups of (\d+)(?: or (\d+))?, at the same time, so everyone has a turn\.", line)
        assert match, line
        assert minutes >= math.ceil(round_step.per_person * int(match.group(3) or match.group(2)))


def test_a_short_block_prints_the_short_version_of_the_card(cli, tmp_path: Path) -> None:
    _, plan, _ = _guide(cli, "pack", "--program", "career-exploration")
    card = LIB.activities["hobbies-interview"]
    short = pick_variant(card, card.minutes.min)
    assert short is not None
    session = plan["sessions"][0]
    block = next(b for b in session["blocks"] if b["kind"] == "activity" and b["minutes"] >= card.minutes.min)
    block.update(activity=card.id, minutes=card.minutes.min, reason="a short turn, to test the short version")
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(plan, sort_keys=False, allow_unicode=True), encoding="utf-8")
    guide, _, pack = _guide(cli, "again", "--plan", str(edited))
    part = guide.split(f"{card.title} ({card.minutes.min} min)")[1].split("\n### ")[0]
    assert f"**Steps (the version for {short.minutes.min} to {short.minutes.max} minutes):**" in part
    for step in short.steps:
        assert escape_md(step.do) in part
    for step in card.steps:
        assert escape_md(step.do) not in part
    if short.participant_instructions:
        assert escape_md(short.participant_instructions) in part
        sheet = (pack / "handouts" / "our-sessions.md").read_text(encoding="utf-8")
        assert escape_md(short.participant_instructions) in sheet
