"""The bad-input corpus: every file gives exit 2, located one-line messages, fast, small, and writes nothing.

Each case runs through the real CLI in its own process so time and peak memory can be measured.
`tests/data/invalid/expected.yaml` says how to run each case and what its first message must say.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import DATA, REPO

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


def _run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    result = subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    elapsed = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result, elapsed, max(peak_kb, before) / 1024


def test_the_corpus_is_big_enough() -> None:
    assert len(EXPECTED) >= 40
    assert all(case.get("expect") for case in EXPECTED.values()), [k for k, c in EXPECTED.items() if not c.get("expect")]


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
    result, seconds, megabytes = _run(_command(spec["run"], target.relative_to(tmp_path), out.relative_to(tmp_path)),
                              tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(":" in line for line in lines)
    assert spec["expect"].replace("{file}", shown) in lines[0] or any(
        spec["expect"].replace("{file}", shown) in line for line in lines), lines
    assert seconds < LIMIT_SECONDS, seconds
    # the peak of all child processes so far: an upper bound for this one
    assert megabytes < LIMIT_MB, megabytes
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
        # a fresh Python per case so ru_maxrss is this case's own peak
        code = (f"import resource, subprocess, sys, time; t = time.monotonic(); "
                f"r = subprocess.run([{EXE!r}, 'build', '--profile', {str(path)!r}, '--out', 'x'], capture_output=True, text=True); "
                "print(r.returncode, time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
                "print(r.stderr)")
        probe = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                               check=True)
        status, seconds, megabytes = probe.stdout.split("\n", 1)[0].split()
        assert status == "2", probe.stdout
        assert float(seconds) < LIMIT_SECONDS, (path.name, seconds)
        assert float(megabytes) < LIMIT_MB, (path.name, megabytes)
        assert "Traceback" not in probe.stdout and f"{path.name}:" in probe.stdout
        assert not (tmp_path / "x").exists()
