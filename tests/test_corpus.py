"""The bad-input corpus: every file gives exit 2, located one-line messages, fast, small, and writes nothing.

Each case runs through the real CLI in its own process so time and peak memory can be measured.
`tests/data/invalid/expected.yaml` says how to run each case and what its first message must say.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, REPO, Measured, run_measured

INVALID = DATA / "invalid"
EXPECTED = yaml.safe_load((INVALID / "expected.yaml").read_text(encoding="utf-8"))
EXE = str(Path(sys.executable).with_name("curriculum-gen"))
LIMIT_SECONDS = 2.0
LIMIT_MB = 200


def _command(kind: str, target: Path, out: Path) -> list[str]:
    return {
        "profile": ["build", "--profile", str(target), "--out", str(out)],
        "csv": ["profile", "from-csv", str(target), "--group", "G", "-o", str(out / "g.yaml")],
        "curricula": ["validate", str(target)],
        "agency": ["handout", "community-resources", "--agency", str(target), "--out", str(out)],
        "plan": ["build", "--plan", str(target), "--out", str(out)],
    }[kind]


def _run(args: list[str], cwd: Path) -> Measured:
    return run_measured([EXE, *args], cwd)


def test_the_corpus_is_big_enough() -> None:
    assert len(EXPECTED) >= 40
    assert all(case.get("expect") for case in EXPECTED.values()), [
        k for k, c in EXPECTED.items() if not c.get("expect")
    ]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input(case: str, tmp_path: Path) -> None:
    spec = EXPECTED[case]
    source = INVALID / case
    if spec["run"] == "curricula":
        target = tmp_path / "ws"
        shutil.copytree(REPO / "curricula", target / "curricula")
        shutil.copytree(REPO / "templates", target / "templates")
        shutil.copytree(source, target / "curricula", dirs_exist_ok=True)
        shown = "ws/curricula"
    else:
        target = tmp_path / source.name
        shutil.copy(source, target)
        shown = source.name
    out = tmp_path / "out"
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = _run(_command(spec["run"], target.relative_to(tmp_path), out.relative_to(tmp_path)), tmp_path)
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(":" in line for line in lines)
    assert spec["expect"].replace("{file}", shown) in lines[0] or any(
        spec["expect"].replace("{file}", shown) in line for line in lines
    ), lines
    assert result.seconds < LIMIT_SECONDS, result.seconds
    assert result.megabytes < LIMIT_MB, result.megabytes  # this case's own peak
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written


def test_time_and_memory_limits_hold_for_the_worst_cases(tmp_path: Path) -> None:
    """Big, deep and explosive inputs: each under 2 s and 200 MB, measured in a fresh process."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"group: big\nassessed: 14\nnotes: '" + b"x" * 20_000_000 + b"'\n")
    deep = tmp_path / "deep.yaml"
    deep.write_text("group: " + "[" * 10_000 + "]" * 10_000 + "\n")
    bomb = tmp_path / "bomb.yaml"
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\ngroup: *a8\n")
    for path in (big, deep, bomb):
        result = _run(["build", "--profile", str(path), "--out", "x"], tmp_path)
        assert result.code == 2, result.stderr
        assert result.seconds < LIMIT_SECONDS, (path.name, result.seconds)
        assert result.megabytes < LIMIT_MB, (path.name, result.megabytes)
        assert "Traceback" not in result.stderr and f"{path.name}:" in result.stderr
        assert not (tmp_path / "x").exists()


def test_memory_is_measured_per_case_whatever_ran_before(tmp_path: Path) -> None:
    """A big process first must not count against the next, small one (as a running peak would)."""
    hog = run_measured(
        [sys.executable, "-c", "b = bytearray(400 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"], tmp_path
    )
    assert hog.code == 0 and hog.megabytes > 400
    small = _run(["build", "--profile", "missing.yaml", "--out", "x"], tmp_path)
    assert small.code == 2 and small.megabytes < LIMIT_MB, small.megabytes
