"""Every kind of bad profile gives located one-line messages, exit 2 and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, REPO

INVALID = DATA / "invalid"

CASES = [
    (
        "yaml-syntax.yaml",
        [
            (
                "yaml-syntax.yaml:2:9: invalid YAML: expected ',' or ']', but got ':' "
                "(while parsing a flow sequence started at line 1)"
            )
        ],
    ),
    (
        "unknown-factor.yaml",
        [
            (
                "unknown-factor.yaml:6:3: needs_help.social_support: unknown ERS factor "
                "'social_support'; did you mean 'social_supports'?"
            )
        ],
    ),
    (
        "count-not-whole.yaml",
        [
            (
                "count-not-whole.yaml:4:18: needs_help.self_efficacy: 71.4 is not a whole number "
                "of people (write a count like 71 or a percent like 71.4%)"
            )
        ],
    ),
    (
        "percent-over-100.yaml",
        [("percent-over-100.yaml:5:23: needs_help.outcome_expectancy: percent 120% is outside 0%..100%")],
    ),
    (
        "count-above-assessed.yaml",
        [
            (
                "count-above-assessed.yaml:7:17: needs_help.work_history: count 15 is outside "
                "0..14 (assessed is 14; write a percent as 15%)"
            )
        ],
    ),
    ("duplicate-key.yaml", ["duplicate-key.yaml:9:3: duplicate key 'self_efficacy' (each key may appear once)"]),
    ("missing-skill.yaml", ["missing-skill.yaml:4:3: needs_help: required key 'job_maintenance' is missing"]),
    ("unknown-key.yaml", ["unknown-key.yaml:3:1: asessed_on: unknown key 'asessed_on'"]),
    (
        "python-tag.yaml",
        [("python-tag.yaml:1:8: invalid YAML: tag '!!python/object/apply:os.system' is not allowed (plain YAML only)")],
    ),
    ("empty.yaml", ["empty.yaml:1:1: file is empty (expected a YAML mapping)"]),
    (
        "small-group.yaml",
        [
            (
                "small-group.yaml:2:11: assessed: group of 3 is smaller than 5; small counts can identify "
                "people (use --allow-small-group if you must)"
            )
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_profile_is_located_and_writes_nothing(cli, tmp_path: Path, name: str, expected: list[str]) -> None:
    shutil.copy(INVALID / name, tmp_path / name)
    result = cli("build", "--profile", name, "--out", "pack")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    for line in expected:
        assert any(got.startswith(line) for got in result.stderr.splitlines()), result.stderr
    assert not (tmp_path / "pack").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_all_problems_of_a_file_are_reported_in_one_run(cli, tmp_path: Path) -> None:
    shutil.copy(INVALID / "many-problems.yaml", tmp_path / "p.yaml")
    result = cli("build", "--profile", "p.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        (
            "p.yaml:4:18: needs_help.self_efficacy: 2.5 is not a whole number of people "
            "(write a count like 2 or a percent like 2.5%)"
        ),
        "p.yaml:5:23: needs_help.outcome_expectancy: percent 101% is outside 0%..100%",
        "p.yaml:6:20: needs_help.social_supports: count 11 is outside 0..10 (assessed is 10; write a percent as 11%)",
        "p.yaml:7:17: needs_help.work_history: expected a count (0..10) or a percent like 40%, got 'lots'",
    ]


def test_small_group_is_accepted_when_asked(cli, tmp_path: Path) -> None:
    shutil.copy(INVALID / "small-group.yaml", tmp_path / "p.yaml")
    result = cli("build", "--profile", "p.yaml", "--out", "pack", "--allow-small-group", "--format", "md")
    assert result.code == 0, result.stderr
    assert (tmp_path / "pack" / "facilitator-guide.md").is_file()


def test_missing_profile_file(cli) -> None:
    result = cli("build", "--profile", "nowhere.yaml", "--out", "pack")
    assert result.code == 2
    assert result.stderr.strip() == "nowhere.yaml:1:1: file not found"


def test_unknown_reference_suggests(cli) -> None:
    result = cli("build", "--reference", "visible-minority", "--out", "pack")
    assert result.code == 2
    assert (
        result.stderr.strip() == "--reference: unknown reference 'visible-minority'; did you mean 'visible-minorities'?"
    )


def test_unknown_program_suggests(cli) -> None:
    result = cli("build", "--program", "job-serch", "--out", "pack")
    assert result.code == 2
    assert result.stderr.strip() == "--program: unknown program 'job-serch'; did you mean 'job-search'?"


def test_unknown_program_without_a_near_name_lists_the_choices(cli) -> None:
    result = cli("build", "--program", "welding", "--out", "pack")
    assert result.code == 2
    assert result.stderr.strip() == (
        "--program: unknown program 'welding' (expected one of: career-exploration, job-search, all)"
    )


def test_sessions_too_short_for_their_frame(cli, tmp_path: Path) -> None:
    result = cli("build", "--minutes", "45", "--out", "pack")
    assert result.code == 2
    assert "--minutes: 45 minutes leaves 5 for activities in session 1" in result.stderr
    assert not (tmp_path / "pack").exists()


def test_bad_format_is_a_usage_error(cli) -> None:
    result = cli("build", "--format", "md,odt", "--out", "pack")
    assert result.code == 2
    assert "unknown format 'odt' (expected one of: md, html, docx, pdf)" in result.stderr
    result = cli("build", "--format", "htm", "--out", "pack")
    assert result.code == 2
    assert "unknown format 'htm'; did you mean 'html'?" in result.stderr


def test_out_folder_that_is_not_a_pack_is_left_alone(cli, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = cli("build", "--out", "mine")
    assert result.code == 2
    assert "mine:1:1: folder is not empty and holds no curriculum-gen pack" in result.stderr
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]


def test_libyaml_reads_every_file_as_pure_python_pyyaml_does() -> None:
    """Valid files are read with libyaml for speed; the data and every line number must not change."""
    import yaml

    from curriculum_gen.load import yaml_source as loaders

    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML has no libyaml")
    files = sorted(REPO.glob("curricula/**/*.yaml")) + sorted(DATA.glob("**/*.yaml"))
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            slow_data, slow = loaders._parse(text, "f", loaders._Loader)
        except loaders.InputError:  # a bad file: the fast reader must refuse it too (parse_yaml then re-reads it)
            with pytest.raises(loaders.InputError):
                loaders._parse(text, "f", loaders._FastLoader)
            continue
        fast_data, fast = loaders._parse(text, "f", loaders._FastLoader)
        assert fast_data == slow_data, path
        assert _marks(fast.node) == _marks(slow.node), path
        assert fast.early == slow.early, path
        compared += 1
    assert compared > 40


def _marks(node: object) -> list[tuple[int, int]]:
    import yaml

    out, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.Node):
            out.append((current.start_mark.line, current.start_mark.column))
            if isinstance(current.value, list):
                stack.extend(n for pair in current.value for n in (pair if isinstance(pair, tuple) else (pair,)))
    return out
