"""Issue 16, the words the code writes into documents: every one goes through gettext, the French catalogue
(``locale/fr/LC_MESSAGES/code.po``) translates each of them, ``code.pot`` is what Babel extracts from the code
today, and a plan made in French is the English plan with its reasons in French: the same blocks, and no English
left in its reasons, notes and summary."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from conftest import REPO

from curriculum_gen.evaluation import change_cells, method_note
from curriculum_gen.i18n import language
from curriculum_gen.load.library import Library
from curriculum_gen.load.profiles import national_percents, reference_profile, without_reference_mark
from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.models import SKILL_TITLES, SOFT_SKILLS, Need, Plan, Profile, skill_title, skill_words
from curriculum_gen.plan.analysis import ChangeRow, Comparison
from curriculum_gen.plan.pack import describe_pack
from curriculum_gen.plan.planner import PlanOptions, plan_workshop
from curriculum_gen.plan.summary import PlanSummary, summarise
from curriculum_gen.render.markdown import guide_context

SRC = REPO / "src" / "curriculum_gen"
LOCALE = SRC / "locale"
POT = LOCALE / "code.pot"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "code.po"
MAPPING = REPO / "babel-code.cfg"

ENGLISH = load_library(Workspace(REPO))
with language("fr"):
    FRENCH = load_library(Workspace(REPO), "fr")
NATIONAL = national_percents(ENGLISH)
REFERENCES = ("all-clients", "clients-with-disabilities", "visible-minorities", "age-19-24", "age-46-65")
DEFAULT = PlanOptions(
    programs=tuple(sorted(ENGLISH.programs)),
    sessions=sum(p.sessions for p in ENGLISH.programs.values()),
    minutes=max(p.minutes for p in ENGLISH.programs.values()),
)
"""The layout ``build`` plans when it is given no option (``pipeline.make_plan``)."""
LAYOUTS = {"default": DEFAULT, "job-search-3x150": PlanOptions(programs=("job-search",), sessions=3, minutes=150)}


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def _plan(reference: str, options: PlanOptions, french: bool) -> Plan:
    """The plan for a reference group, made as the pipeline makes it: in French, inside the language's context
    from the French library."""
    if not french:
        return plan_workshop(reference_profile(ENGLISH, reference), ENGLISH, options, NATIONAL)
    with language("fr"):
        return plan_workshop(reference_profile(FRENCH, reference), FRENCH, options, national_percents(FRENCH))


# --------------------------------------------------------------------------- the catalogues


def test_code_pot_holds_what_babel_extracts_from_the_code_today(tmp_path: Path) -> None:
    """Re-extract with the committed mapping: a message added, changed or dropped in the code without
    ``pybabel extract`` (see the README) fails here."""
    fresh = tmp_path / "code.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(MAPPING), "-c", "Translators:", "-o", str(fresh), str(SRC)]
    )
    assert _ids(_catalog(fresh)) == _ids(_catalog(POT))


def test_the_french_catalogue_translates_every_message_of_code_pot() -> None:
    french = _catalog(FRENCH_PO)
    assert str(french.locale) == "fr_CA" and french.num_plurals == 2
    problems = []
    for template in _catalog(POT):
        if not template.id:
            continue
        message = french.get(template.id)
        if message is None:
            problems.append(f"missing: {template.id!r}")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or len(strings) != (2 if template.pluralizable else 1):
            problems.append(f"fuzzy or empty: {template.id!r}")
        names = set(re.findall(r"\{(\w+)\}", " ".join(template.id if template.pluralizable else [template.id])))
        for string in strings:  # a French plural may say 'une séance' where English says '{count} sessions'
            found = set(re.findall(r"\{(\w+)\}", string))
            if not found <= names or (not template.pluralizable and found != names):
                problems.append(f"placeholders {sorted(found)} for {sorted(names)}: {template.id!r}")
    extra = _ids(french) - _ids(_catalog(POT))
    assert problems == [] and extra == set()


def _gettext_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            marked = isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "gettext", "ngettext", "N_")
            if marked and isinstance(node, ast.Call):
                calls.append((f"{path.relative_to(REPO)}:{node.lineno}", node))
    return calls


def test_every_marked_message_is_a_literal_with_named_placeholders() -> None:
    """Babel extracts only literals, and a translator can reorder only named placeholders: no f-string,
    no ``%``, no ``{}`` inside ``_()``. Constants marked ``N_`` are translated where they are shown."""
    bad = []
    calls = _gettext_calls()
    for where, call in calls:
        literals = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        formatted = any(isinstance(a, ast.JoinedStr) for a in call.args) or any("{}" in s for s in literals)
        plural = getattr(call.func, "id", "") == "ngettext"
        if formatted or (plural and len(literals) != 2):
            bad.append(where)
    assert bad == [] and len(calls) > 80


def test_cli_messages_stay_english() -> None:
    assert not [where for where, _call in _gettext_calls() if "/cli/" in where]


def test_skill_titles_are_translated_when_shown_not_when_imported() -> None:
    for skill in SOFT_SKILLS:
        assert skill_words(skill) == SKILL_TITLES[skill].lower() and skill_title(skill) == SKILL_TITLES[skill]
    with language("fr"):
        assert [skill_title(s) for s in SOFT_SKILLS] == [
            "Efficacité personnelle",
            "Attentes de résultats",
            "Soutien social",
            "Antécédents de travail",
            "Maintien en emploi",
        ]
        assert skill_words("self_efficacy") == "l'efficacité personnelle"
        assert skill_title("not_a_factor") == "not_a_factor"
    assert skill_title("social_supports") == "Social supports"


def test_a_reference_group_is_marked_in_the_language_of_its_plan() -> None:
    english = reference_profile(ENGLISH, "age-19-24").group
    with language("fr"):
        french = reference_profile(FRENCH, "age-19-24").group
        assert french == "19 à 24 ans (référence)" and without_reference_mark(french) == "19 à 24 ans"
        assert without_reference_mark(english) == english.removesuffix(" (reference)")  # a plan made in English
    assert english.endswith(" (reference)") and without_reference_mark(english) == english.removesuffix(" (reference)")
    assert without_reference_mark("Tuesday club") == "Tuesday club"


# --------------------------------------------------------------------------- a French plan is the same plan


def _shape(plan: Plan) -> list[object]:
    """Everything of a plan but its words: each session's blocks, the cards left out, the flagged skills."""
    sessions = [
        (
            session.number,
            session.minutes,
            session.components,
            [(b.kind, b.activity, b.component, b.minutes, b.focus, b.own_material) for b in session.blocks],
        )
        for session in plan.sessions
    ]
    left = [(note.activity, note.cause) for note in plan.left_out]
    needs = [
        (n.skill, n.percent, n.count, n.reference_percent, bool(n.flagged), n.all_clients_minutes) for n in plan.needs
    ]
    return [sessions, left, needs, plan.programs, plan.participants, plan.threshold, plan.start_time]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("reference", REFERENCES)
def test_a_plan_made_in_french_is_the_english_plan_with_french_reasons(reference: str, layout: str) -> None:
    english, french = _plan(reference, LAYOUTS[layout], False), _plan(reference, LAYOUTS[layout], True)
    assert _shape(french) == _shape(english)
    pairs = [
        (e.reason, f.reason) for s, t in zip(english.sessions, french.sessions) for e, f in zip(s.blocks, t.blocks)
    ]
    pairs += [(e.reason, f.reason) for e, f in zip(english.left_out, french.left_out)]
    pairs += [(e.flagged, f.flagged) for e, f in zip(english.needs, french.needs) if e.flagged]
    same = [english for english, french in pairs if english == french]
    assert pairs and same == []


# --------------------------------------------------------------------------- no English left


def _english_phrases() -> list[str]:
    """The words of every message of code.pot between its placeholders, where they run to three words or more."""
    phrases = set()
    for message in _catalog(POT):
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            for part in re.split(r"\{\w+\}", text):
                part = part.strip(" '():;,.%")
                if len(part.split()) > 2:
                    phrases.add(part)
    return sorted(phrases)


def _tested_group() -> Profile:
    """A group with ERS results whose own test flags social supports (14 of 14 against 67%)."""
    counts = {
        "self_efficacy": 9,
        "outcome_expectancy": 1,
        "social_supports": 14,
        "work_history": 8,
        "job_maintenance": 7,
    }
    return Profile(
        group="Groupe du mardi",
        assessed=14,
        needs_help={s: Need(count=n, percent=round(100 * n / 14, 4)) for s, n in counts.items()},
    )


def _words_of(plan: Plan, summary: PlanSummary, library: Library) -> list[str]:
    """Every text the code wrote for this plan: its reasons and notes, the summary's lines, the guide's cells."""
    context = guide_context(plan, library, summary)
    texts = [b.reason for s in plan.sessions for b in s.blocks] + [n.reason for n in plan.left_out]
    texts += [n.flagged or "" for n in plan.needs]
    texts += [line.item for line in (*summary.to_print, *summary.to_bring)]
    texts += [per for line in (*summary.to_print, *summary.to_bring) for per in line.per]
    texts += [str(value) for row in context["needs"] for value in row.values() if isinstance(value, str)]
    texts += [row["span"] for row in context["program_plans"]]
    for session in context["sessions"]:
        for block in session["blocks"]:
            texts += [block["title"], *(step.note or "" for step in block.get("steps", []))]
    guide = describe_pack(plan, summary, library, [("facilitator-guide", "Guide")], ("md",))
    texts += [f.sides for f in guide.files]
    return texts


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_french_plan_its_summary_and_guide_cells_hold_no_english(layout: str) -> None:
    phrases = _english_phrases()
    assert "in this group need help" in phrases and "a pause so people can rest and come back fresh" in phrases
    texts: list[str] = []
    with language("fr"):
        profiles = [reference_profile(FRENCH, r) for r in REFERENCES] + [_tested_group()]
        for profile in profiles:
            options = LAYOUTS[layout]
            plan = plan_workshop(profile, FRENCH, options, national_percents(FRENCH))
            plan = plan.model_copy(update={"participants": 30})  # go-rounds split the room into groups
            texts += _words_of(plan, summarise(plan, FRENCH), FRENCH)
        row = ChangeRow("social_supports", 10, 14, 4, 14, 60.0, "", 0.01, True, 37.5)
        texts += change_cells(row)
        texts += [method_note(Comparison([row], True, 14, 2, "a.csv", "b.csv"))]
        texts += [method_note(Comparison([row], False, 0, 0, "a.yaml", "b.yaml"))]
    words = "\n".join(texts)
    assert "significativement plus élevé" in words and "test binomial exact" in words  # both kinds of flag
    assert "groupes de" in words and "en même temps" in words  # a go-round split for 30 people
    left = [phrase for phrase in phrases if phrase in words]
    assert left == []
    assert not re.search(r"\d\.\d|\d%", words), "French figures: decimal comma, a space before %"
