"""Input written in French: profiles, client lists and agency files read as their English equivalents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, tree_files, write_tree

GROUP = "Groupe du mardi – Moncton"
ENGLISH_PROFILE = f"""\
group: {GROUP}
assessed: 14
needs_help:
  self_efficacy: 10
  outcome_expectancy: 35.7%
  social_supports: 11
  work_history: 9
  job_maintenance: 50%
  job_search: 4
"""
FRENCH_PROFILE = f"""\
groupe: {GROUP}
personnes évaluées: 14
besoins d'aide:
  Efficacité personnelle: 10
  attentes de resultats: 35,7\u00a0%
  soutien_social: 11
  ANTÉCÉDENTS DE TRAVAIL: 9
  maintien en emploi: 50\u202f%
  recherche d'emploi: 4
"""
ENGLISH_CLIENTS = """\
client_id,Self-Efficacy,Outcome Expectancy,Social Supports,Work History,Job Maintenance
C-01,yes,no,needs help,1,self-sufficient
C-02,no,no,yes,yes,no
C-03,yes,yes,yes,yes,yes
C-04,no,no,no,no,no
C-05,1,1,0,0,1
C-06,yes,no,yes,yes,no
"""
FRENCH_CLIENTS = (  # as a French Excel saves it: a byte-order mark, semicolons, a typographic apostrophe
    "\ufeffIdentifiant;Efficacité personnelle;Attentes de résultats;Soutien social;Antécédents de travail;"
    "Maintien en emploi\n"
    "C-01;oui;non;A besoin d’aide;1;autonome\n"
    "C-02;Non;NON;oui;Oui;non\n"
    "C-03;oui;oui;oui;oui;oui\n"
    "C-04;non;non;non;non;non\n"
    "C-05;1;1;0;0;1\n"
    "C-06;a besoin d'aide;autonome;oui;oui;non\n"
)
ENGLISH_AGENCY = """\
name: Centre d'emploi du Grand Moncton
address: 123, rue Main, Moncton (N.-B.)
phone: 506-555-0147
website: https://exemple.org
resources:
  - name: Banque alimentaire de Moncton
    helps_with: alimentation et dépannage
    contact: 506-555-0199
"""
FRENCH_AGENCY = """\
Nom: Centre d'emploi du Grand Moncton
adresse: 123, rue Main, Moncton (N.-B.)
téléphone: 506-555-0147
site web: https://exemple.org
ressources:
  - nom: Banque alimentaire de Moncton
    aide pour: alimentation et dépannage
    coordonnées: 506-555-0199
"""


def _plan(cli, root: Path, profile: str, *more: str) -> str:
    """The plan.yaml of a Markdown pack built in ``root`` from ``profile``."""
    result = cli("build", "--profile", root / profile, "--out", root / "pack", "--format", "md", *more)
    assert result.code == 0, result.stderr
    return (root / "pack" / "plan.yaml").read_text(encoding="utf-8")


def _pack(root: Path) -> dict[str, bytes]:
    """Every file of a pack but its manifest, which names the input files and their hashes."""
    return {name: (root / name).read_bytes() for name in tree_files(root) if name != "manifest.json"}


def test_a_french_profile_gives_the_english_profiles_plan(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"en/group.yaml": ENGLISH_PROFILE, "fr/groupe.yaml": FRENCH_PROFILE})
    english = _plan(cli, tmp_path / "en", "group.yaml")
    assert _plan(cli, tmp_path / "fr", "groupe.yaml") == english
    assert "percent: 35.7" in english and "skill: job_search" in english
    assert _pack(tmp_path / "fr" / "pack") == _pack(tmp_path / "en" / "pack")


def test_a_french_group_name_goes_through_end_to_end(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"groupe.yaml": FRENCH_PROFILE.replace(GROUP, "Groupe de l'Acadie – Édmundston")})
    result = cli("build", "--profile", "groupe.yaml", "--format", "md,html")
    assert result.code == 0, result.stderr
    pack = tmp_path / "output" / "groupe-de-l-acadie-edmundston"
    assert "**Group:** Groupe de l'Acadie – Édmundston (14 people assessed)" in (
        pack / "facilitator-guide.md"
    ).read_text(encoding="utf-8")
    plan = yaml.safe_load((pack / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["group"] == "Groupe de l'Acadie – Édmundston"
    assert cli("build", "--plan", pack / "plan.yaml", "--out", "again", "--format", "md").code == 0


def test_a_french_client_list_gives_the_english_lists_profile_and_plan(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"en/clients.csv": ENGLISH_CLIENTS, "fr/clients.csv": FRENCH_CLIENTS})
    profiles = []
    for lang in ("en", "fr"):
        result = cli("profile", "from-csv", tmp_path / lang / "clients.csv", "--group", GROUP, "--allow-small-group")
        assert result.code == 0, result.stderr
        profiles.append(result.stdout)
    assert profiles[0] == profiles[1]
    assert f'group: "{GROUP}"' in profiles[1]  # written as people read it, not "\u2013"
    assert "C-0" not in profiles[1]
    small = ("--allow-small-group", "--group-name", GROUP)
    assert _plan(cli, tmp_path / "fr", "clients.csv", *small) == _plan(cli, tmp_path / "en", "clients.csv", *small)


def test_a_french_client_list_is_recognised_by_its_content(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"groups/mardi.txt": FRENCH_CLIENTS.replace(";", "\t"), "groups/notes.txt": "à lire\n"})
    result = cli("batch", "groups", "--out", "packs", "--format", "md", "--allow-small-group", "--jobs", "1")
    assert result.code == 0, result.stderr
    assert (tmp_path / "packs" / "mardi" / "plan.yaml").is_file()


def test_a_french_agency_file_gives_the_english_agency_files_pack(cli, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "en/agency.yaml": ENGLISH_AGENCY,
            "en/group.yaml": ENGLISH_PROFILE,
            "fr/agency.yaml": FRENCH_AGENCY,
            "fr/group.yaml": ENGLISH_PROFILE,
        },
    )
    for lang in ("en", "fr"):
        _plan(cli, tmp_path / lang, "group.yaml", "--agency", tmp_path / lang / "agency.yaml")
    english, french = _pack(tmp_path / "en" / "pack"), _pack(tmp_path / "fr" / "pack")
    assert french == english
    assert b"Banque alimentaire de Moncton" in english["handouts/community-resources.md"]


def test_a_mixed_language_profile_is_read_key_by_key(cli, tmp_path: Path) -> None:
    """A facilitator who copies an English key into a French file is understood, not refused."""
    mixed = FRENCH_PROFILE.replace("personnes évaluées", "assessed").replace("soutien_social", "social_supports")
    write_tree(tmp_path, {"en/group.yaml": ENGLISH_PROFILE, "mixed/group.yaml": mixed})
    assert _plan(cli, tmp_path / "mixed", "group.yaml") == _plan(cli, tmp_path / "en", "group.yaml")


def test_a_key_written_in_both_languages_is_a_located_duplicate(cli, tmp_path: Path) -> None:
    twice = FRENCH_PROFILE.replace("  soutien_social: 11\n", "  soutien_social: 11\n  social_supports: 3\n")
    write_tree(tmp_path, {"g.yaml": "group: Mardi\n" + twice})
    result = cli("build", "--profile", "g.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "g.yaml:2:1: duplicate key 'groupe' (the same key as 'group'; each key may appear once)",
        "g.yaml:8:3: duplicate key 'social_supports' (the same key as 'soutien_social'; each key may appear once)",
    ]
    assert not (tmp_path / "pack").exists()


def test_a_french_typo_is_located_and_suggests_the_french_key(cli, tmp_path: Path) -> None:
    typo = FRENCH_PROFILE.replace("Efficacité personnelle", "efficacité personelle").replace("besoins", "besoin")
    typo = typo.replace("personnes évaluées: 14", "personnes évaluées: 14\ngroupe de clientelle: age-19-24")
    write_tree(tmp_path, {"groupe.yaml": typo})
    result = cli("build", "--profile", "groupe.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "groupe.yaml:3:1: groupe de clientelle: unknown key 'groupe de clientelle'; did you mean 'groupe de clientèle'?",
        "groupe.yaml:5:3: besoin d'aide: required key 'efficacité personnelle' is missing",
        (
            "groupe.yaml:5:3: besoin d'aide.efficacité personelle: unknown ERS factor 'efficacité personelle'; "
            "did you mean 'efficacité personnelle'?"
        ),
    ]
    assert not (tmp_path / "pack").exists()


def test_french_values_are_checked_where_they_are_written(cli, tmp_path: Path) -> None:
    bad = FRENCH_PROFILE.replace("35,7\u00a0%", "1,000 %").replace("soutien_social: 11", "soutien_social: 15")
    write_tree(tmp_path, {"groupe.yaml": bad})
    result = cli("build", "--profile", "groupe.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        (  # a thousands comma is never read as a decimal one
            "groupe.yaml:5:26: besoins d'aide.attentes de resultats: expected a count (0..14) or a percent like 40%, "
            "got '1,000 %'"
        ),
        "groupe.yaml:6:19: besoins d'aide.soutien_social: count 15 is outside 0..14 (assessed is 14; write a percent as 15%)",
    ]


def test_a_french_agency_typo_suggests_the_french_key(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"organisme.yaml": FRENCH_AGENCY.replace("coordonnées", "coordonées")})
    result = cli("handout", "community-resources", "--agency", "organisme.yaml", "--out", "out")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "organisme.yaml:6:5: ressources[0]: required key 'coordonnées' is missing",
        "organisme.yaml:8:5: ressources[0].coordonées: unknown key 'coordonées'; did you mean 'coordonnées'?",
    ]
    assert not (tmp_path / "out").exists()


def test_a_french_client_list_error_speaks_its_language_and_quotes_no_cell(cli, tmp_path: Path) -> None:
    rows = FRENCH_CLIENTS.replace("Efficacité personnelle", "Efficacite personelle").replace(
        "C-02;Non", "C-02;peut-être"
    )
    write_tree(tmp_path, {"clients.csv": rows.replace("C-04;non;non", "C-04;non;")})
    result = cli("profile", "from-csv", "clients.csv", "--group", "G", "--allow-small-group")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        (
            "clients.csv:1:2: header: column 2 is not an ERS factor; did you mean 'Efficacité personnelle'? (the first "
            "row must name the columns: ERS factors and, optionally, one client id column; remove other columns)"
        ),
        "clients.csv:1:1: header: missing columns for Efficacité personnelle (all five soft skills are required)",
        "clients.csv:5:3: attentes_de_resultats: empty cell (expected oui/non, 1/0 or a besoin d'aide/autonome)",
    ]
    fixed = rows.replace("Efficacite personelle", "Efficacité personnelle")
    write_tree(tmp_path, {"clients.csv": fixed})
    result = cli("profile", "from-csv", "clients.csv", "--group", "G", "--allow-small-group")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        (
            "clients.csv:3:2: efficacite_personnelle: not an answer the tool knows "
            "(expected oui/non, 1/0 or a besoin d'aide/autonome)"
        )
    ]
    assert "peut" not in result.stderr and "C-0" not in result.stderr


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Efficacité personnelle", "column appears twice"),
        ("self_efficacy", "the same ERS factor as column 2"),
    ],
)
def test_a_factor_given_two_columns_is_refused(cli, tmp_path: Path, header: str, message: str) -> None:
    head, *rows = FRENCH_CLIENTS.splitlines()
    write_tree(tmp_path, {"c.csv": "\n".join([f"{head};{header}", *(f"{r};oui" for r in rows)]) + "\n"})
    result = cli("profile", "from-csv", "c.csv", "--group", "G", "--allow-small-group")
    assert result.code == 2
    assert result.stderr.splitlines() == [f"c.csv:1:7: {header.lower().replace('é', 'e').replace(' ', '_')}: {message}"]


def test_the_french_samples_build(cli, tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    profile = _plan(cli, tmp_path, "examples/profil-exemple.yaml", "--agency", "examples/organisme-exemple.yaml")
    assert "group: Groupe du mardi – Moncton" in profile
    assert b"Banque alimentaire de Moncton" in (tmp_path / "pack" / "handouts" / "community-resources.md").read_bytes()
    result = cli("profile", "from-csv", "examples/clients-exemple.csv", "--group", GROUP)
    assert result.code == 0, result.stderr
    assert yaml.safe_load(result.stdout)["assessed"] == 12
