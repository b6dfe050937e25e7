"""Fidelity to the source article: the reference tables' Total rows and every card's `source` line.

Both tests read the article itself (shared/seed), so they fail if the data drift from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CURRICULA = ROOT / "curricula"
SEED_DIR = ROOT.parent / "shared" / "seed"

# The article's column order in Tables 1-4, as reference group ids.
COLUMNS = ["clients-with-disabilities", "visible-minorities", "age-19-24", "age-46-65", "all-clients"]

# Headings of the article's sections, by level: a section runs to the next heading of the same or a higher level.
LEVEL_1 = ["Strengthening Soft Skills Informally", "Strengthening Soft Skills in Formal Interventions", "Conclusion"]
LEVEL_2 = [
    "Self-Efficacy",
    "Outcome Expectancy",
    "Social Supports",
    "Work History",
    "Job Maintenance",
    "Career Exploration Interventions",
    "Job Search Interventions",
]

OWN = "curriculum-gen's own"


def _seed_lines() -> list[str]:
    files = sorted(SEED_DIR.glob("*.txt"))
    if not files:
        pytest.skip(f"the source article is not in {SEED_DIR}")
    return files[0].read_text(encoding="utf-8").splitlines()


def _table_totals(lines: list[str], caption: str) -> dict[str, float]:
    """The 'Total Soft Skills' row of the table whose caption starts with ``caption``."""
    start = next(i for i, line in enumerate(lines) if line.startswith(caption))
    row = next(line for line in lines[start:] if line.startswith("Total Soft Skills\t"))
    cells = [float(c) for c in row.split("\t")[1:] if c.strip()]
    assert len(cells) == len(COLUMNS)
    return dict(zip(COLUMNS, cells, strict=True))


@pytest.mark.parametrize(
    ("file", "caption"),
    [("need-by-group.yaml", "Table 1:"), ("self-sufficient-by-group.yaml", "Table 2:")],
)
def test_reference_totals_match_the_article(file: str, caption: str) -> None:
    from curriculum_gen.models import ReferenceTable

    expected = _table_totals(_seed_lines(), caption)
    table = ReferenceTable.model_validate(yaml.safe_load((CURRICULA / "reference" / file).read_text(encoding="utf-8")))
    assert {g.id: g.total for g in table.groups} == expected
    for group in table.groups:  # the total stays out of the soft-skill values
        assert "total" not in group.values


def test_left_behind_table_is_itself_total_soft_skills() -> None:
    """Table 3 has no Total row: every cell is already a total-soft-skills figure."""
    lines = _seed_lines()
    assert any(line.startswith("Table 3:") and "Total Soft Skills" in line for line in lines)


def _section_line(lines: list[str], name: str, start: int, end: int) -> int | None:
    """The line where section ``name`` starts (a heading or a paragraph lead-in 'Name. ...'), within [start, end)."""
    for i in range(start, end):
        line = lines[i]
        if line in (name, f"{name} Interventions") or line.startswith(f"{name}. "):
            return i
    return None


def _section_end(lines: list[str], begin: int, level: int) -> int:
    """Where the section starting at ``begin`` (a heading at ``level``) ends."""
    higher = LEVEL_1 if level == 1 else LEVEL_1 + LEVEL_2
    for i in range(begin + 1, len(lines)):
        if lines[i] in higher:
            return i
    return len(lines)


def _path_problem(lines: list[str], path: str) -> str | None:
    """None if each part of 'A > B > C' is found inside the one before it in the article."""
    start, end = 0, len(lines)
    for level, name in enumerate(path.split(" > "), start=1):
        found = _section_line(lines, name, start, end)
        if found is None:
            return f"'{name}' is not a section inside {lines[start]!r}" if start else f"'{name}' is not a section"
        start, end = found, _section_end(lines, found, level)
    return None


def _cards() -> list[tuple[str, str]]:
    cards = []
    for file in sorted((CURRICULA / "activities").glob("*.yaml")):
        for card in yaml.safe_load(file.read_text(encoding="utf-8"))["activities"]:
            cards.append((card["id"], card["source"]))
    return cards


@pytest.mark.parametrize(("card", "source"), _cards())
def test_card_source_names_an_article_section_or_says_it_is_our_own(card: str, source: str) -> None:
    lines = _seed_lines()
    if source.startswith(OWN):
        named = re.search(r"the article (?:names|makes) in (.+)$", source)
        if named is None:
            assert source == f"{OWN} activity (not in the article)", source
            return
        source = named.group(1)
    problem = _path_problem(lines, source)
    assert problem is None, f"{card}: {problem}"
