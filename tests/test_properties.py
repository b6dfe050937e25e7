"""Properties over many generated inputs (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum_gen.errors import InputError
from curriculum_gen.load.agency import load_agency
from curriculum_gen.load.planfile import load_plan
from curriculum_gen.load.profiles import load_profile, national_percents
from curriculum_gen.load.schema import load_model
from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.models import SOFT_SKILLS, ActivityFile, Need, Profile
from curriculum_gen.plan.planner import PlanOptions, plan_workshop

LIB = load_library(Workspace(REPO))
NATIONAL = national_percents(LIB)
assert LIB.frame is not None and LIB.frame.breaks is not None
BREAK_FROM = LIB.frame.breaks.from_minutes
PROGRAMS = [("career-exploration",), ("job-search",), ("career-exploration", "job-search")]


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    assessed = draw(st.integers(5, 500))
    needs = {}
    for skill in SOFT_SKILLS:
        count = draw(st.integers(0, assessed))
        needs[skill] = Need(count=count, percent=round(100 * count / assessed, 4))
    return Profile(group="Generated", assessed=assessed, needs_help=needs)


def any_layout(test: Any) -> Any:
    """A property over any profile, programs, number and length of sessions, and threshold."""
    return settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])(
        given(
            profile=profiles(),
            programs=st.sampled_from(PROGRAMS),
            sessions=st.integers(1, 8),
            minutes=st.integers(12, 48).map(lambda m: m * 5),
            threshold=st.sampled_from([0.0, 25.0, 40.0, 60.0, 100.0]),
        )(test)
    )


@any_layout
def test_any_profile_and_layout_gives_a_plan_that_fits(
    profile: Profile, programs: tuple[str, ...], sessions: int, minutes: int, threshold: float
) -> None:
    options = PlanOptions(programs=programs, sessions=sessions, minutes=minutes, threshold=threshold)
    try:
        plan = plan_workshop(profile, LIB, options, NATIONAL)
    except InputError as exc:  # only when the frame leaves too little time, and it says so
        assert exc.problems[0].file == "--minutes"
        return
    assert plan == plan_workshop(profile, LIB, options, NATIONAL)  # deterministic
    assert len(plan.sessions) == sessions
    for session in plan.sessions:
        assert sum(b.minutes for b in session.blocks) == minutes
        for block in session.blocks:
            if block.kind == "activity":
                span = LIB.activities[block.activity].minutes
                assert span.min <= block.minutes <= span.max
        # a session of 90 minutes or more has a break; no break opens or ends a session, or has an activity
        kinds = [b.kind for b in session.blocks]
        assert ("break" in kinds) == (minutes >= BREAK_FROM)
        assert kinds[0] != "break" and kinds[-1] != "break"
        breaks = [i for i, k in enumerate(kinds) if k == "break"]
        if breaks:  # never inside the opening or the closing
            assert max(i for i, k in enumerate(kinds) if k == "opening") < breaks[0]
            assert breaks[-1] < min(i for i, k in enumerate(kinds) if k == "closing")
        assert all(b.activity is None and b.component is None for b in session.blocks if b.kind == "break")
    used = [b.activity for s in plan.sessions for b in s.blocks if b.kind == "activity"]
    assert len(used) == len(set(used))
    # with room for it, every priority skill is practised: two or more sessions of 100 minutes or more (a
    # 90-minute session loses 10 to its break), and 300 minutes or more per program, since each component's
    # core content takes its share first (below that, the core blocks leave no room for a card per skill)
    if sessions >= 2 and minutes >= 100 and sessions * minutes >= 300 * len(programs):
        practised = {k for a in used for k in LIB.activities[a].skills}
        priority = {s for s in SOFT_SKILLS if profile.needs_help[s].percent >= threshold}
        assert priority <= practised


YAMLISH = st.lists(
    st.sampled_from(
        [
            "group: ",
            "assessed: ",
            "needs_help:\n",
            "  self_efficacy: ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "&a ",
            "*a ",
            "!!python/object ",
            "%",
            "12",
            "3.5",
            ".nan",
            "\n",
            "  ",
            "\t",
            ":",
            "'",
            '"',
            "\x00",
            "\ufeff",
            "é",
            "#",
        ]
    ),
    max_size=40,
).map("".join)
LOADERS = {
    "profile.yaml": lambda p: load_profile(p),
    "clients.csv": lambda p: load_profile(p),
    "plan.yaml": lambda p: load_plan(p, LIB),
    "agency.yaml": lambda p: load_agency(p),
    "activities.yaml": lambda p: load_model(p, ActivityFile),
}


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(LOADERS)),
    data=st.one_of(st.binary(max_size=600), YAMLISH.map(str.encode), st.text(max_size=300).map(str.encode)),
)
def test_any_bytes_give_a_model_or_a_located_error(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            LOADERS[name](path)
        except InputError as exc:
            assert exc.problems
            for problem in exc.problems:
                line = str(problem)
                assert "\n" not in line and line.startswith(str(problem.file))


@any_layout
def test_nothing_runs_before_what_it_needs(
    profile: Profile, programs: tuple[str, ...], sessions: int, minutes: int, threshold: float
) -> None:
    options = PlanOptions(programs=programs, sessions=sessions, minutes=minutes, threshold=threshold)
    try:
        plan = plan_workshop(profile, LIB, options, NATIONAL)
    except InputError:
        return
    first: dict[str, tuple[int, int]] = {}  # where each card first runs: (session, block)
    for session in plan.sessions:
        for i, block in enumerate(session.blocks):
            if block.activity:
                first.setdefault(block.activity, (session.number, i))
    for session in plan.sessions:
        for i, block in enumerate(session.blocks):
            if block.kind != "activity" or block.activity is None:
                continue
            card = LIB.activities[block.activity]
            for need in card.after:
                assert need in first, f"{card.id} runs without {need}"  # pulled in, or the card is left out
                assert first[need] < (session.number, i), f"{need} runs after {card.id}, which needs it"
                gap = session.number - first[need][0]
                assert gap >= card.sessions_after, f"{gap} sessions between {need} and {card.id}"
    assert not {note.activity for note in plan.left_out} & set(first)  # a card left out stays out
