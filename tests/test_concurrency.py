"""Two staff building the same pack, builds stopped mid-write, other people's folders beside a pack.

Every build runs through the real CLI in its own process, as it would on a shared drive.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import tree_files

EXE = str(Path(sys.executable).with_name("curriculum-gen"))
BUILD = [EXE, "build", "--program", "job-search", "--sessions", "2"]


def pack_options(pack: Path) -> dict[str, object]:
    """The options of a whole pack, after checking every listed file is there, intact, and nothing else is."""
    manifest = json.loads((pack / "manifest.json").read_text())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((pack / name).read_bytes()).hexdigest() == digest, name
    assert sorted([*manifest["outputs"], "manifest.json"]) == tree_files(pack)
    options: dict[str, object] = manifest["options"]
    return options


def start(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*BUILD, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_concurrent_builds_to_one_folder_end_with_one_whole_pack(tmp_path: Path) -> None:
    subprocess.run([*BUILD, "--out", "pack", "--participants", "5"], cwd=tmp_path, check=True, capture_output=True)
    for round_ in range(20):
        pair = [start(tmp_path, "--out", "pack", "--participants", str(n)) for n in (6 + round_ % 5, 14 + round_ % 5)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in pair]
        for code, _, err in results:
            assert code == 0, err
            assert all(line.startswith("warning: ") for line in err.splitlines()), err
        assert pack_options(tmp_path / "pack")["participants"] in (6 + round_ % 5, 14 + round_ % 5)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"], f"round {round_}: leftovers"


def test_concurrent_batch_runs_to_one_folder_end_with_whole_packs(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name, n in (("tuesday", 10), ("thursday", 14)):
        (profiles / f"{name}.yaml").write_text(
            f"group: {name}\nassessed: {n}\nneeds_help:\n  self_efficacy: 5\n  outcome_expectancy: 5\n"
            "  social_supports: 5\n  work_history: 5\n  job_maintenance: 5\n"
        )
    runs = [
        subprocess.Popen(
            [EXE, "batch", "profiles", "--out", "packs", "--jobs", "2", "--format", "md"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for run in runs:
        code = run.wait(timeout=300)
        _, err = run.communicate()
        assert code == 0, err
    for name in ("tuesday", "thursday"):
        assert pack_options(tmp_path / "packs" / name)["participants"] == (10 if name == "tuesday" else 14)
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == ["thursday", "tuesday"]


def _wait_for_work_folder(parent: Path, process: subprocess.Popen[str], other_than: Path | None = None) -> Path | None:
    """The temporary folder of a running build as soon as it appears (the build is then writing), or None
    if the build finished before this process saw it (on a busy machine the write can slip by)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = [p for p in parent.iterdir() if p.name.startswith(".pack.tmp-") and p != other_than]
        if found:
            return found[0]
        if process.poll() is not None:
            return None
    raise AssertionError("no temporary folder appeared")


def _start_and_catch_writing(parent: Path, *args: str) -> tuple[subprocess.Popen[str], Path]:
    """A build caught while its temporary folder exists; a build that slips by is let finish and run again."""
    for _ in range(20):
        process = start(parent, *args)
        work = _wait_for_work_folder(parent, process)
        if work is not None:
            return process, work
        process.communicate()
    raise AssertionError("20 builds in a row finished before their temporary folder was seen")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["INT", "TERM", "KILL"])
def test_a_build_stopped_mid_write_leaves_the_old_pack_or_the_new_one(tmp_path: Path, sig: signal.Signals) -> None:
    subprocess.run([*BUILD, "--out", "pack", "--participants", "10"], cwd=tmp_path, check=True, capture_output=True)
    old = pack_options(tmp_path / "pack")
    mid_write = stops = 0
    # stops at several moments after the temporary folder appears; on a busy machine a stop
    # can land after the swap, so go on (up to 21 stops) until at least 2 came mid-write
    for delay in (0.0, 0.0, 0.002, 0.005, 0.01, 0.02, 0.05) * 3:
        if stops >= 7 and mid_write >= 2:
            break
        stops += 1
        process, work = _start_and_catch_writing(tmp_path, "--out", "pack", "--participants", "20")
        if delay:
            time.sleep(delay)
        process.send_signal(signal.SIGSTOP)  # frozen: what is on disk now is what the signal interrupts
        if process.poll() is not None:  # it finished during the delay: a whole new pack
            assert process.returncode == 0 and pack_options(tmp_path / "pack")["participants"] == 20
            subprocess.run(
                [*BUILD, "--out", "pack", "--participants", "10"], cwd=tmp_path, check=True, capture_output=True
            )
            continue
        if work.exists() and pack_options(tmp_path / "pack") == old:
            mid_write += 1  # the new pack was being written and not yet swapped in
        process.send_signal(sig)
        process.send_signal(signal.SIGCONT)
        code = process.wait(timeout=60)
        _, err = process.communicate()
        assert "Traceback" not in err
        state = pack_options(tmp_path / "pack")
        # stopped while exiting, a build has finished; otherwise the old pack stands or the new one is whole
        assert state["participants"] == 20 if code == 0 else state == old or state["participants"] == 20
        if sig != signal.SIGKILL:  # Ctrl-C and TERM clean up after themselves at once
            assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]
        subprocess.run([*BUILD, "--out", "pack", "--participants", "10"], cwd=tmp_path, check=True, capture_output=True)
        assert pack_options(tmp_path / "pack") == old
        # the next build removes what a killed one left behind
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]
    assert mid_write >= 2, f"only {mid_write} of {stops} stops came while the pack was being written"


def test_clean_up_touches_only_folders_this_tool_made(tmp_path: Path) -> None:
    drive = tmp_path / "D"
    drive.mkdir()
    theirs = [
        drive / ".tuesday.old-backup",
        drive / ".tuesday.tmp-notes",
        drive / ".thesis.old-draft",
        drive / ".tuesday.tmp-x",
    ]
    for folder in theirs:
        folder.mkdir()
        (folder / "work.txt").write_text("someone's work")
    (drive / ".tuesday.tmp-x" / ".curriculum-gen-build").write_text('{"tool": "curriculum-gen", "pack": "other"}')
    for out in ("D/tuesday", "D/*", "D/.tuesday", "D/.thesis.old-draft2"):
        result = subprocess.run(
            [*BUILD, "--out", out, "--format", "md"], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
    for folder in theirs:
        assert (folder / "work.txt").read_text() == "someone's work"


def test_a_killed_build_is_cleaned_up_but_a_live_one_is_left_alone(tmp_path: Path) -> None:
    subprocess.run([*BUILD, "--out", "pack"], cwd=tmp_path, check=True, capture_output=True)
    for _ in range(20):
        dead, dead_work = _start_and_catch_writing(tmp_path, "--out", "pack", "--participants", "20")
        dead.kill()
        dead.communicate()
        assert dead_work.exists()
        live = start(tmp_path, "--out", "pack", "--participants", "30")
        live_work = _wait_for_work_folder(tmp_path, live, other_than=dead_work)
        assert not dead_work.exists(), "the next build did not remove the killed build's folder"
        if live_work is not None:
            break
        live.communicate()  # it finished before it was seen: try again
    else:
        raise AssertionError("20 builds in a row finished before their temporary folder was seen")
    live.send_signal(signal.SIGSTOP)
    try:
        # a third build must neither delete the stopped build's folder nor write over it
        third = subprocess.run(
            [*BUILD, "--out", "pack"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "CURRICULUM_GEN_LOCK_WAIT": "1"},
            check=False,
        )
        assert third.returncode == 2
        assert third.stderr == (
            f"pack:1:1: another build (process {live.pid}) is writing this pack and did not "
            "finish within 1 s; try again when it has finished, or choose another --out\n"
        )
        assert live_work.exists()
    finally:
        live.send_signal(signal.SIGCONT)
    assert live.wait(timeout=60) == 0
    assert pack_options(tmp_path / "pack")["participants"] == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]
