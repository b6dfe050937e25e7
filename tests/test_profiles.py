"""Profiles that mean something: CSV roll-ups, national figures, significance, before and after."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, tree_files, write_tree

from curriculum_gen.plan.stats import mcnemar_exact

SKILLS = ["self_efficacy", "outcome_expectancy", "social_supports", "work_history", "job_maintenance"]
IDS = [f"CL-{9000 + i}-X" for i in range(12)]


def clients_csv(rows: list[list[str]], ids: list[str] | None = IDS, header: list[str] | None = None) -> str:
    head = header or ["Self-Efficacy", "Outcome Expectancy", "Social Supports", "Work History", "Job Maintenance"]
    lines = [",".join((["client_id"] if ids else []) + head)]
    for i, row in enumerate(rows):
        lines.append(",".join(([ids[i]] if ids else []) + row))
    return "\n".join(lines) + "\n"


ANSWERS = [
    ["yes", "no", "Needs help", "1", "NO"],
    ["Y", "0", "self-sufficient", "yes", "no"],
    ["yes", "yes", "yes", "yes", "yes"],
    ["no", "no", "no", "no", "no"],
    ["1", "1", "0", "0", "1"],
    ["yes", "no", "yes", "yes", "no"],
    ["needs help", "no", "yes", "no", "yes"],
    ["yes", "no", "yes", "yes", "no"],
    ["no", "yes", "yes", "yes", "no"],
    ["yes", "no", "no", "yes", "yes"],
    ["yes", "no", "yes", "yes", "no"],
    ["no", "no", "yes", "no", "no"],
]


def all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_from_csv_rolls_up_counts_and_drops_ids(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"clients.csv": clients_csv(ANSWERS)})
    result = cli("profile", "from-csv", "clients.csv", "--group", "Tuesday job club", "-o", "group.yaml")
    assert result.code == 0, result.stderr
    profile = yaml.safe_load((tmp_path / "group.yaml").read_text())
    expected = {
        s: sum(1 for row in ANSWERS if row[i].lower() in ("yes", "y", "1", "needs help")) for i, s in enumerate(SKILLS)
    }
    assert profile == {"group": "Tuesday job club", "assessed": 12, "needs_help": expected}
    assert not any(cid.encode() in (tmp_path / "group.yaml").read_bytes() for cid in IDS)
    printed = cli("profile", "from-csv", "clients.csv", "--group", "Tuesday job club")
    assert yaml.safe_load(printed.stdout) == profile and not any(cid in printed.stdout for cid in IDS)


def test_csv_errors_name_line_and_column_never_the_id(cli, tmp_path: Path) -> None:
    rows = [list(r) for r in ANSWERS]
    rows[3][3] = "maybe"
    rows[6][0] = ""
    write_tree(
        tmp_path,
        {
            "clients.csv": clients_csv(
                rows,
                header=["Self-Efficacy", "Outcome Expectancy", "Social Support", "Work History", "Job Maintenance"],
            )
        },
    )
    result = cli("profile", "from-csv", "clients.csv", "--group", "G", "-o", "group.yaml")
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert (
        "clients.csv:1:4: header: column 4 is not an ERS factor; did you mean 'social_supports'? (the first row "
        "must name the columns: ERS factors and, optionally, one client id column; remove other columns)"
    ) in lines
    assert "clients.csv:1:1: header: missing columns for social_supports (all five soft skills are required)" in lines
    assert (
        "clients.csv:5:5: work_history: not an answer the tool knows (expected yes/no, 1/0 or "
        "needs help/self-sufficient)"
    ) in lines
    assert "clients.csv:8:2: self_efficacy: empty cell (expected yes/no, 1/0 or needs help/self-sufficient)" in lines
    assert not any(cid in result.stderr for cid in IDS) and "maybe" not in result.stderr
    assert not (tmp_path / "group.yaml").exists()


def test_duplicate_ids_are_named_by_line(cli, tmp_path: Path) -> None:
    ids = list(IDS)
    ids[5] = ids[2]
    write_tree(tmp_path, {"c.csv": clients_csv(ANSWERS, ids=ids)})
    result = cli("profile", "from-csv", "c.csv", "--group", "G")
    assert result.code == 2
    assert result.stderr.strip() == "c.csv:7:1: client_id: the same client id as line 4"


def test_small_csv_groups_are_refused_unless_allowed(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"c.csv": clients_csv(ANSWERS[:3])})
    result = cli("profile", "from-csv", "c.csv", "--group", "G")
    assert result.code == 2 and "group of 3 is smaller than 5" in result.stderr
    assert cli("profile", "from-csv", "c.csv", "--group", "G", "--allow-small-group").code == 0
    assert cli("build", "--profile", "c.csv", "--out", "p").code == 2
    assert not (tmp_path / "p").exists()


def test_build_takes_a_csv_directly_and_no_id_reaches_the_pack(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"tuesday-club.csv": clients_csv(ANSWERS)})
    result = cli("build", "--profile", "tuesday-club.csv", "--out", "pack", "--program", "job-search")
    assert result.code == 0, result.stderr
    assert "**Group:** tuesday club (12 people assessed)" in (tmp_path / "pack" / "facilitator-guide.md").read_text()
    blob = all_bytes(tmp_path / "pack")
    assert not any(cid.encode() in blob for cid in IDS)


def test_reference_tables_1_to_4_ship_with_sources() -> None:
    tables = {}
    for path in (REPO / "curricula" / "reference").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        tables[data["table"]] = data
        assert "Ward" in data["source"] and f"Table {data['table']}" in data["source"]
    assert sorted(tables) == [1, 2, 3, 4]

    def value(table: int, group: str, key: str) -> float:
        return next(g for g in tables[table]["groups"] if g["id"] == group)["values"][key]

    assert value(1, "clients-with-disabilities", "self_efficacy") == 75
    assert value(2, "all-clients", "outcome_expectancy") == 14
    assert value(3, "age-46-65", "career_exploration") == 34
    assert value(4, "age-19-24", "employment_counselling") == 39.4


@pytest.mark.parametrize(
    ("group", "higher"),
    [
        ("clients-with-disabilities", {"self_efficacy", "outcome_expectancy", "job_maintenance"}),
        ("visible-minorities", {"social_supports"}),
        ("age-19-24", {"work_history"}),
        ("age-46-65", {"social_supports"}),
    ],
)
def test_profile_show_reproduces_the_bold_figures_of_table_1(cli, tmp_path: Path, group: str, higher: set[str]) -> None:
    """Table 1's columns as a group of 300: the skills the article marks as significantly higher.

    The article does not give its group sizes; at 300 people the one-sided exact test marks
    exactly the figures printed in bold.
    """
    column = next(
        g
        for g in yaml.safe_load((REPO / "curricula/reference/need-by-group.yaml").read_text())["groups"]
        if g["id"] == group
    )["values"]
    counts = "".join(f"  {s}: {int(column[s] * 3)}\n" for s in SKILLS)
    write_tree(tmp_path, {"p.yaml": f"group: {group}\nassessed: 300\nneeds_help:\n{counts}"})
    result = cli("profile", "show", "p.yaml", "--json")
    assert result.code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["skill"] for r in rows] == SKILLS
    assert all({"skill", "need", "reference", "p_value", "significantly_higher"} <= set(r) for r in rows)
    assert {r["skill"] for r in rows if r["significantly_higher"]} == higher


def test_profile_show_alpha_and_text_table(cli, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "p.yaml": "group: Club\nassessed: 40\nneeds_help:\n  self_efficacy: 33\n"
            "  outcome_expectancy: 16\n  social_supports: 27\n  work_history: 29\n"
            "  job_maintenance: 20\n"
        },
    )
    strict = json.loads(cli("profile", "show", "p.yaml", "--json", "--alpha", "0.01").stdout)
    loose = json.loads(cli("profile", "show", "p.yaml", "--json").stdout)
    se_strict = next(r for r in strict if r["skill"] == "self_efficacy")
    se_loose = next(r for r in loose if r["skill"] == "self_efficacy")
    assert 0.01 < se_loose["p_value"] < 0.05  # 33 of 40 (82.5%) against 67%
    assert se_loose["significantly_higher"] and not se_strict["significantly_higher"]
    text = cli("profile", "show", "p.yaml", "--against", "age-19-24").stdout
    assert "Club against 19-24 years old" in text and "33 of 40 (82%)" in text
    bad = cli("profile", "show", "p.yaml", "--against", "age-19")
    assert bad.code == 2 and "unknown reference 'age-19'" in bad.stderr


def test_guide_gives_intervention_advice_for_the_client_group(cli, tmp_path: Path) -> None:
    profile = (
        REPO / "tests/data/profiles/tuesday-job-club.yaml"
    ).read_text() + "client_group: clients-with-disabilities\n"
    write_tree(tmp_path, {"p.yaml": profile})
    assert cli("build", "--profile", "p.yaml", "--out", "pack", "--format", "md").code == 0
    guide = (tmp_path / "pack" / "facilitator-guide.md").read_text()
    assert (
        "For clients with disabilities nationally,\ncareer exploration left the fewest clients still needing help "
        "with soft skills (30%), and life skills left the most (39%)."
    ) in guide
    assert "Yet the most common single referral was to job search (36.2% of clients)." in guide
    assert "| Career exploration | 30% | 19.5% |" in guide and "Table 3" in guide and "Table 4" in guide
    write_tree(tmp_path, {"q.yaml": profile.replace("clients-with-disabilities", "disabled")})
    result = cli("build", "--profile", "q.yaml", "--out", "pack2")
    assert result.code == 2
    assert re.search(r"q.yaml:\d+:15: client_group: unknown client group 'disabled'", result.stderr), result.stderr


def _paired_files(tmp_path: Path) -> None:
    # self-efficacy: 8 of 12 need help before; after, 5 of them no longer do and nobody gets worse
    before = [["yes" if i < 8 else "no", "no", "yes", "yes", "no"] for i in range(12)]
    after = [["yes" if 5 <= i < 8 else "no", "no", "yes" if i % 2 else "no", "yes", "no"] for i in range(12)]
    write_tree(
        tmp_path,
        {"before.csv": clients_csv(before), "after.csv": clients_csv(list(reversed(after)), ids=list(reversed(IDS)))},
    )


def test_compare_matched_clients_uses_exact_mcnemar(cli, tmp_path: Path) -> None:
    _paired_files(tmp_path)
    result = cli("profile", "compare", "before.csv", "after.csv", "--json")
    assert result.code == 0, result.stderr
    rows = {r["skill"]: r for r in json.loads(result.stdout)}
    se = rows["self_efficacy"]
    assert (se["needed_before"], se["needed_after"], se["became_self_sufficient"]) == (8, 3, 62.5)
    assert se["p_value"] == pytest.approx(mcnemar_exact(5, 0), abs=1e-6) == pytest.approx(0.0625)
    assert se["method"].startswith("exact McNemar") and se["reference"] == 21
    ss = rows["social_supports"]
    assert (ss["needed_before"], ss["needed_after"], ss["became_self_sufficient"]) == (12, 6, 50.0)
    assert ss["significant"] and ss["p_value"] == pytest.approx(2 / 64)
    assert rows["work_history"]["became_self_sufficient"] == 0.0
    assert rows["outcome_expectancy"]["became_self_sufficient"] is None


def test_compare_aggregates_uses_a_two_proportion_test(cli, tmp_path: Path) -> None:
    head = "group: G\nassessed: 100\nneeds_help:\n"
    write_tree(
        tmp_path,
        {
            "before.yaml": head + "  self_efficacy: 60\n  outcome_expectancy: 40\n  social_supports: 50\n"
            "  work_history: 70\n  job_maintenance: 50\n",
            "after.yaml": head + "  self_efficacy: 40\n  outcome_expectancy: 40\n  social_supports: 45\n"
            "  work_history: 70\n  job_maintenance: 50\n",
        },
    )
    rows = {r["skill"]: r for r in json.loads(cli("profile", "compare", "before.yaml", "after.yaml", "--json").stdout)}
    se = rows["self_efficacy"]
    assert se["method"].startswith("two-proportion") and se["p_value"] == pytest.approx(0.004678, abs=1e-5)
    assert se["became_self_sufficient"] == pytest.approx(33.33, abs=0.01) and se["significant"]
    assert not rows["social_supports"]["significant"]


def test_compare_report_for_funders_in_three_formats_without_ids(cli, tmp_path: Path) -> None:
    _paired_files(tmp_path)
    result = cli("profile", "compare", "before.csv", "after.csv", "--report", "report")
    assert result.code == 0, result.stderr
    assert "Self-efficacy" in result.stdout and "exact McNemar" in result.stdout
    assert tree_files(tmp_path / "report") == [f"evaluation-report.{x}" for x in ("docx", "html", "md")]
    md = (tmp_path / "report" / "evaluation-report.md").read_text()
    assert "| Self-efficacy | 8 of 12 | 3 of 12 | 62% | 21% | 0.062 | no |" in md
    assert "| Social supports | 12 of 12 | 6 of 12 | 50% | 27% | 0.031 | yes |" in md
    table = docx.Document(str(tmp_path / "report" / "evaluation-report.docx")).tables[0]
    assert table.rows[0].cells[3].text == "Became self-sufficient"
    blob = all_bytes(tmp_path / "report") + result.stdout.encode() + result.stderr.encode()
    assert not any(cid.encode() in blob for cid in IDS)


def test_a_csv_without_a_header_never_shows_its_first_client(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"c.csv": "NOHDR-77,yes,no,yes,yes,no\nNOHDR-78,no,no,yes,yes,no\n"})
    result = cli("profile", "from-csv", "c.csv", "--group", "G")
    assert result.code == 2 and "NOHDR" not in result.stderr
    assert "c.csv:1:1: header: column 1 is not an ERS factor" in result.stderr


def test_from_csv_never_overwrites_client_data_and_checks_the_group_name(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"c.csv": clients_csv(ANSWERS)})
    before = (tmp_path / "c.csv").read_bytes()
    result = cli("profile", "from-csv", "c.csv", "--group", "G", "-o", "c.csv")
    assert result.code == 2 and "would overwrite client data" in result.stderr
    assert (tmp_path / "c.csv").read_bytes() == before
    for bad, message in (
        ("a\nb", "group name must be one line"),
        ("", "group name is empty"),
        ("x" * 201, "group name has 201 characters (expected at most 200)"),
    ):
        result = cli("profile", "from-csv", "c.csv", "--group", bad, "-o", "g.yaml")
        assert result.code == 2 and f"--group: {message}" in result.stderr
    assert not (tmp_path / "g.yaml").exists()


def test_from_csv_can_name_the_client_group(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"c.csv": clients_csv(ANSWERS)})
    assert cli("profile", "from-csv", "c.csv", "--group", "G", "--client-group", "age-19-24", "-o", "g.yaml").code == 0
    assert yaml.safe_load((tmp_path / "g.yaml").read_text())["client_group"] == "age-19-24"
    assert cli("build", "--profile", "g.yaml", "--out", "p", "--format", "md").code == 0
    assert "For 19-24 years old nationally" in (tmp_path / "p" / "facilitator-guide.md").read_text()
    bad = cli("profile", "from-csv", "c.csv", "--group", "G", "--client-group", "age-19")
    assert bad.code == 2 and "unknown client group 'age-19'" in bad.stderr


def test_compare_with_no_shared_ids_says_so(cli, tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"b.csv": clients_csv(ANSWERS), "a.csv": clients_csv(ANSWERS, ids=[f"Q{i}" for i in range(12)])}
    )
    result = cli("profile", "compare", "b.csv", "a.csv", "--allow-small-group")
    assert result.code == 2
    assert "no client id appears in both b.csv and a.csv (check that both files use the same ids)" in result.stderr


def test_percent_profiles_are_tested_on_the_count_they_stand_for(cli, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "p.yaml": "group: G\nassessed: 10\nneeds_help:\n  self_efficacy: 35%\n"
            "  outcome_expectancy: 45%\n  social_supports: 25%\n  work_history: 15%\n"
            "  job_maintenance: 50%\n"
        },
    )
    rows = {r["skill"]: r for r in json.loads(cli("profile", "show", "p.yaml", "--json").stdout)}
    assert [rows[s]["count"] for s in SKILLS] == [4, 5, 3, 2, 5]  # half up, never half to even
    assert "35% (about 4 of 10)" in cli("profile", "show", "p.yaml").stdout


def test_an_agency_file_always_brings_its_resources_handout(cli, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "agency.yaml": "name: Hub\nresources:\n  - name: Food Bank\n    helps_with: food\n"
            "    contact: 604-555-0100\n"
        },
    )
    assert (
        cli("build", "--program", "career-exploration", "--agency", "agency.yaml", "--out", "p", "--format", "md").code
        == 0
    )
    assert "| Food Bank | food | 604-555-0100 |" in (tmp_path / "p/handouts/community-resources.md").read_text()
