"""Issue 16, the French curricula: curricula/fr/ loads as the same library in French words, validate
refuses any drift from the English and says where, French participant texts are measured in French,
and French typography and numbers follow the OQLF through Babel."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, make_workspace

from curriculum_gen.errors import InputError
from curriculum_gen.load.library import Library
from curriculum_gen.load.profiles import national_percents, reference_profile
from curriculum_gen.load.readability import participant_texts, reading_ease_fr
from curriculum_gen.load.workspace import Workspace, load_library
from curriculum_gen.plan.planner import PlanOptions, plan_workshop
from curriculum_gen.render.french import (
    NBSP,
    format_date,
    format_minutes,
    format_number,
    format_percent,
    format_time,
    typeset,
)

ENGLISH = load_library(Workspace(REPO))
FRENCH = load_library(Workspace(REPO), "fr")


def _line(path: Path, text: str) -> int:
    """The number of the first line of ``path`` holding ``text``."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


# --------------------------------------------------------------------------- the French library


def test_the_french_library_has_french_words_and_the_same_ids_and_minutes() -> None:
    assert FRENCH.language == "fr" and ENGLISH.language == "en"
    assert FRENCH.programs["job-search"].title == "Recherche d'emploi"
    assert ENGLISH.programs["job-search"].title == "Job Search"
    for kind in ("programs", "activities", "handouts", "references", "tables"):
        assert getattr(FRENCH, kind).keys() == getattr(ENGLISH, kind).keys(), kind
    for aid, card in ENGLISH.activities.items():
        french = FRENCH.activities[aid]
        assert french.minutes == card.minutes
        assert [s.minutes for s in french.steps] == [s.minutes for s in card.steps]
        assert french.skills == card.skills
        assert french.title != card.title or len(card.title.split()) < 3, aid
    assert all(str(path).startswith(str(REPO / "curricula" / "fr")) for path in FRENCH.files)
    assert national_percents(FRENCH) == national_percents(ENGLISH)


def test_a_plan_times_the_same_blocks_from_either_language() -> None:
    """The plan is made from the English library; the French one, with the same structure, gives the same blocks."""
    profile = reference_profile(ENGLISH, "age-19-24")
    options = PlanOptions(programs=("career-exploration", "job-search"), sessions=6, minutes=120)
    national = national_percents(ENGLISH)

    def blocks(library: Library) -> list[tuple[object, ...]]:
        plan = plan_workshop(profile, library, options, national)
        return [(s.number, b.kind, b.activity, b.minutes, b.focus) for s in plan.sessions for b in s.blocks]

    assert blocks(FRENCH) == blocks(ENGLISH)


def test_a_french_library_needs_its_folder_and_a_known_language(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    with pytest.raises(InputError) as unknown:
        load_library(Workspace(ws), "de")
    assert str(unknown.value.problems[0]) == "--lang: unknown language 'de' (expected one of: en, fr)"
    shutil.rmtree(ws / "curricula" / "fr")
    with pytest.raises(InputError) as missing:
        load_library(Workspace(ws), "fr")
    assert "curricula/fr:1:1: no French curricula" in str(missing.value.problems[0])
    assert load_library(Workspace(ws)).activities.keys() == ENGLISH.activities.keys()  # English as today


# --------------------------------------------------------------------------- parity in validate


def test_validate_passes_and_says_the_french_matches(cli) -> None:
    result = cli("validate", REPO)
    assert result.code == 0, result.stderr
    assert "French: every file matches its English one" in result.stdout


def test_a_workspace_without_french_is_valid_as_before(cli, ws: Path) -> None:
    shutil.rmtree(ws / "curricula" / "fr")
    result = cli("validate", ws)
    assert result.code == 0, result.stderr
    assert "French" not in result.stdout


def test_a_changed_number_is_located_in_the_french_file(cli, ws: Path) -> None:
    french = ws / "curricula" / "fr" / "activities" / "general.yaml"
    _edit(french, "        per_person: 0.5\n", "        per_person: 1\n")
    _edit(french, "    size: {min: 2, max: 20}\n", "    size: {min: 2, max: 25}\n")
    result = cli("validate", ws)
    assert result.code == 2
    assert "OK" not in result.stdout
    english = ws / "curricula" / "activities" / "general.yaml"
    size, per_person = _line(french, "max: 25"), _line(french, "per_person: 1")
    assert result.stderr.splitlines() == [
        (
            f"ws/curricula/fr/activities/general.yaml:{size}:25: activities[0].size.max: 25 here but 20 in English "
            f"(ws/curricula/activities/general.yaml:{_line(english, 'max: 20}')}): a translation changes only the words"
        ),
        (
            f"ws/curricula/fr/activities/general.yaml:{per_person}:21: activities[0].steps[2].per_person: 1 here but "
            f"0.5 in English (ws/curricula/activities/general.yaml:{_line(english, 'per_person: 0.5')}): "
            "a translation changes only the words"
        ),
    ]


def test_a_dropped_debrief_question_and_point_are_located_in_the_english_file(cli, ws: Path) -> None:
    french = ws / "curricula" / "fr" / "activities" / "general.yaml"
    _edit(french, "      - Comment les personnes présentes pourraient-elles s'entraider?\n", "")
    handout = ws / "curricula" / "fr" / "handouts" / "opening-lines.yaml"
    _edit(handout, '      - "« C\'est votre première fois à un événement comme celui-ci? »"\n', "")
    result = cli("validate", ws)
    assert result.code == 2
    english = ws / "curricula" / "activities" / "general.yaml"
    question = _line(english, "How could the people in this room help each other?")
    assert (
        f"ws/curricula/activities/general.yaml:{question}:9: activities[0].debrief[1]: missing from the French "
        f"(ws/curricula/fr/activities/general.yaml:{_line(french, 'debrief:') + 1}): translate it there"
    ) in result.stderr
    assert "ws/curricula/handouts/opening-lines.yaml:" in result.stderr
    assert ".points[2]: missing from the French (ws/curricula/fr/handouts/opening-lines.yaml:" in result.stderr
    assert len(result.stderr.splitlines()) == 2


def test_a_dropped_step_is_named_not_the_steps_after_it(cli, ws: Path) -> None:
    """The ground-rules card runs 2, 5, 6 and 2 minutes; the French drops the third step and gives its time to the second."""
    french = ws / "curricula" / "fr" / "activities" / "general.yaml"
    text = french.read_text(encoding="utf-8")
    card = text.index("  - id: set-ground-rules")
    steps = text.index("    steps:\n", card)
    third = text.index("      - minutes: 6\n", steps)
    fourth = text.index("      - minutes: 2\n", third)
    text = text[:third] + text[fourth:]
    french.write_text(text[:steps] + text[steps:].replace("      - minutes: 5\n", "      - minutes: 11\n", 1))
    result = cli("validate", ws)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("ws/curricula/activities/general.yaml:")
    assert "activities[1].steps[2]: missing from the French (ws/curricula/fr/activities/general.yaml:" in lines[0]
    assert lines[1].startswith("ws/curricula/fr/activities/general.yaml:")
    assert "activities[1].steps[1].minutes: 11 here but 5 in English" in lines[1]


def test_a_text_left_in_english_is_reported_but_a_shared_name_is_not(cli, ws: Path) -> None:
    french = ws / "curricula" / "fr" / "ground-rules.yaml"
    english_rule = ENGLISH.ground_rules.rules[0] if ENGLISH.ground_rules else None
    assert english_rule is not None
    _edit(french, "    rule: Nous commençons et finissons à l'heure.\n", f"    rule: {english_rule.rule}\n")
    result = cli("validate", ws)
    assert result.code == 2
    assert result.stderr.splitlines() == [
        (
            f"ws/curricula/fr/ground-rules.yaml:{_line(french, english_rule.rule)}:11: rules[0].rule: left in English "
            f"(the same words as ws/curricula/ground-rules.yaml:{_line(ws / 'curricula' / 'ground-rules.yaml', english_rule.rule)}): "
            "translate it"
        )
    ]
    # the Quebec row names the same French commission in both files: not a text left in English
    row = "Commission des droits de la personne et des droits de la jeunesse"
    assert row in (ws / "curricula" / "handouts" / "workplace-behaviour.yaml").read_text(encoding="utf-8")
    assert row in (ws / "curricula" / "fr" / "handouts" / "workplace-behaviour.yaml").read_text(encoding="utf-8")


def test_a_missing_french_file_is_one_line(cli, ws: Path) -> None:
    (ws / "curricula" / "fr" / "handouts" / "job-lead-log.yaml").unlink()
    result = cli("validate", ws)
    assert result.code == 2
    assert result.stderr.splitlines() == [
        (
            "ws/curricula/fr/handouts/job-lead-log.yaml:1:1: French file is missing "
            "(the French version of ws/curricula/handouts/job-lead-log.yaml)"
        )
    ]


def test_a_french_file_with_no_english_one_and_an_extra_item_are_located_in_french(cli, ws: Path) -> None:
    fr = ws / "curricula" / "fr"
    shutil.copy(fr / "handouts" / "job-lead-log.yaml", fr / "handouts" / "job-lead-log-2.yaml")
    rules = fr / "ground-rules.yaml"
    _edit(
        rules,
        "  - id: on-time\n",
        "  - id: phones-away\n    rule: Rangez vos téléphones.\n"
        "    at_work: Rangez votre téléphone au travail.\n  - id: on-time\n",
    )
    result = cli("validate", ws)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert (
        "ws/curricula/fr/handouts/job-lead-log-2.yaml:1:1: no English file ws/curricula/handouts/job-lead-log-2.yaml: "
        "this folder holds the French version of each file under ws/curricula/, path for path"
    ) in lines
    assert (
        f"ws/curricula/fr/ground-rules.yaml:{_line(rules, 'phones-away')}:5: rules[0]: not in the English "
        f"(ws/curricula/ground-rules.yaml:{_line(ws / 'curricula' / 'ground-rules.yaml', 'id: on-time')}): remove it or add it"
    ) in lines
    assert any("duplicate handout id 'job-lead-log'" in line for line in lines)  # checked as in English


def test_ids_kinds_skills_and_sources_stay_as_in_english(cli, ws: Path) -> None:
    french = ws / "curricula" / "fr" / "activities" / "general.yaml"
    _edit(french, "    group: pairs\n", "    group: small-groups\n")
    _edit(french, "      social_supports: Connaître", "      work_history: Connaître")
    _edit(
        french,
        "    source: Strengthening Soft Skills in Formal Interventions\n",
        "    source: Renforcer les compétences\n",
    )
    result = cli("validate", ws)
    assert result.code == 2
    text = result.stderr
    assert "activities[0].group: 'small-groups' here but 'pairs' in English" in text
    assert "activities[0].primary.work_history: not in the English" in text
    assert "ws/curricula/activities/general.yaml:" in text and "activities[0].primary.social_supports: missing" in text
    assert "activities[1].source: differs from the English" in text
    assert "it stays word for word in every language" in text
    assert len(text.splitlines()) == 4, text


def test_a_french_file_that_does_not_load_is_reported_like_any_other(cli, ws: Path) -> None:
    french = ws / "curricula" / "fr" / "frame.yaml"
    french.write_text(french.read_text(encoding="utf-8") + "surprise: true\n", encoding="utf-8")
    result = cli("validate", ws)
    assert result.code == 2
    assert result.stderr.startswith(f"ws/curricula/fr/frame.yaml:{_line(french, 'surprise')}:1: surprise: unknown key")
    assert len(result.stderr.splitlines()) == 1  # not also 'missing' items


# --------------------------------------------------------------------------- French reading ease


def test_every_french_participant_text_reads_at_70_or_above() -> None:
    hard = [(owner, loc) for owner, loc, text in participant_texts(FRENCH) if reading_ease_fr(text) < 70]
    assert hard == []


def test_french_is_measured_with_the_french_formula() -> None:
    easy = "Vous faites une liste. Elle vous aide."
    hard = (
        "L'organisation méthodologique des responsabilités professionnelles nécessite "
        "une compréhension approfondie des caractéristiques organisationnelles."
    )
    assert reading_ease_fr(easy) >= 70 > reading_ease_fr(hard)
    import textstat

    before = textstat.flesch_reading_ease(easy)
    reading_ease_fr(easy)
    assert textstat.flesch_reading_ease(easy) == before  # the English measure is left in English


def test_validate_warns_about_hard_french_at_its_line(cli, ws: Path) -> None:
    french = ws / "curricula" / "fr" / "ground-rules.yaml"
    hard = (
        "L'organisation méthodologique des responsabilités professionnelles nécessite "
        "une compréhension approfondie des caractéristiques organisationnelles."
    )
    _edit(
        french,
        "    at_work: Arrivez à chaque quart de travail quelques minutes en avance. Revenez de la pause à l'heure.\n",
        f"    at_work: {hard}\n",
    )
    result = cli("validate", ws)
    assert result.code == 0, result.stderr
    ease = reading_ease_fr(hard)
    assert (
        f"ws/curricula/fr/ground-rules.yaml:{_line(french, hard)}:14: rules[0].at_work: reading ease {ease:.0f} "
        "in French (Kandel–Moles; expected 70 or above: shorter sentences and shorter words) (warning)"
    ) in result.stderr.splitlines()
    assert cli("validate", ws, "--strict").code == 2


# --------------------------------------------------------------------------- typography and numbers


@pytest.mark.parametrize(
    ("written", "typeset_as"),
    [
        ("Note : voici", "Note\u00a0: voici"),
        ("Note: voici", "Note\u00a0: voici"),
        ("Note\u00a0: voici", "Note\u00a0: voici"),  # a no-break space already there stays one
        ("Note  : voici", "Note\u00a0: voici"),
        ("« Bonjour »", "«\u00a0Bonjour\u00a0»"),
        ("«Bonjour»", "«\u00a0Bonjour\u00a0»"),
        ("« Pourquoi ? »", "«\u00a0Pourquoi?\u00a0»"),
        ("Vraiment ? Oui ! Non ; peut-être", "Vraiment? Oui! Non; peut-être"),
        ("14,6 % et 100%", "14,6\u00a0% et 100\u00a0%"),
        ("Durée : 15 min, puis 2 h 30.", "Durée\u00a0: 15\u00a0min, puis 2\u00a0h\u00a030."),
        ("1 000 personnes, 25 $", "1\u00a0000 personnes, 25\u00a0$"),
        ("9-8-8 : Ligne d'aide", "9-8-8\u00a0: Ligne d'aide"),
        ("Rendez-vous à 10:50 : soyez là.", "Rendez-vous à 10:50\u00a0: soyez là."),
        ("Site : https://www.canada.ca/fr:x?a=1%20b. Fin", "Site\u00a0: https://www.canada.ca/fr:x?a=1%20b. Fin"),
        ("(voir : https://guichetemplois.gc.ca)", "(voir\u00a0: https://guichetemplois.gc.ca)"),
        ("Écrivez à info@exemple.ca : on répond.", "Écrivez à info@exemple.ca\u00a0: on répond."),
        ("Ratio 3:1, 3 mois, 3 heures", "Ratio 3:1, 3 mois, 3 heures"),
    ],
)
def test_french_typography_follows_the_oqlf(written: str, typeset_as: str) -> None:
    assert typeset(written) == typeset_as
    assert typeset(typeset_as) == typeset_as  # typesetting twice changes nothing


def test_no_line_of_the_french_curricula_starts_with_punctuation_once_typeset() -> None:
    """With every space before : » % and units no-break, a line can only break where a reader expects it."""
    for _, _, text in participant_texts(FRENCH):
        spaced = typeset(text)
        for word in re.split(r"[ \t\n]+", spaced):
            assert word[0] not in ":»%;!?", (text, word)


def test_numbers_percents_times_and_dates_in_canadian_french() -> None:
    assert format_number(1234.5) == f"1{NBSP}234,5"
    assert format_number(14.63, 1) == "14,6"
    assert format_number(14.0, 1) == "14"
    assert format_percent(14.6) == f"14,6{NBSP}%"
    assert format_percent(15) == f"15{NBSP}%"
    assert format_percent(14.63, 0) == f"15{NBSP}%"
    assert format_minutes(45) == f"45{NBSP}min"
    assert format_time("09:30") == f"9{NBSP}h{NBSP}30"
    assert format_time("13:00") == f"13{NBSP}h"
    assert format_time(datetime.time(9, 5)) == f"9{NBSP}h{NBSP}05"
    assert format_date(datetime.date(2026, 11, 25)) == f"25{NBSP}novembre 2026"
    assert format_date(datetime.date(2026, 11, 1)) == f"1er{NBSP}novembre 2026"
