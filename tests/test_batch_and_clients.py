"""Batch runs that collide or break, regional groups of any size, and client lists as Excel saves them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("curriculum-gen"))
FACTORS = "self_efficacy,outcome_expectancy,social_supports,work_history,job_maintenance"


def profile_yaml(group: str, assessed: int, each: int) -> str:
    needs = "".join(f"  {f}: {each}\n" for f in FACTORS.split(","))
    return f"group: {group}\nassessed: {assessed}\nneeds_help:\n{needs}"


def client_rows(count: int, sep: str = ",") -> str:
    rows = [sep.join(["client_id", *FACTORS.split(",")])]
    rows += [sep.join([f"C{i:05d}", *("yes" if (i + k) % 3 else "no" for k in range(5))]) for i in range(count)]
    return "\n".join(rows) + "\n"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_batch_refuses_profiles_that_would_share_a_pack_before_building_anything(tmp_path: Path) -> None:
    folder = tmp_path / "groups"
    folder.mkdir()
    (folder / "tuesday.yaml").write_text(profile_yaml("Tuesday", 10, 5))
    (folder / "tuesday.csv").write_text(client_rows(8))
    (folder / "Tuesday!.csv").write_text(client_rows(9))
    (folder / "monday.yaml").write_text(profile_yaml("Monday", 10, 5))
    result = run(tmp_path, "batch", "groups", "--out", "packs", "--format", "md")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        (
            "groups/Tuesday!.csv:1:1: Tuesday!.csv, tuesday.csv and tuesday.yaml would all be built into packs/tuesday; "
            "rename all but one so each profile has its own pack"
        )
    ]
    assert not (tmp_path / "packs").exists()


def test_a_group_too_big_for_the_plan_fails_only_its_own_pack(tmp_path: Path) -> None:
    folder = tmp_path / "groups"
    folder.mkdir()
    (folder / "region.yaml").write_text(profile_yaml("Region", 1500, 900))
    (folder / "broken.yaml").write_text("group: [unclosed\n")
    (folder / "small.yaml").write_text(profile_yaml("Small", 10, 5))
    result = run(tmp_path, "batch", "groups", "--out", "packs", "--jobs", "2", "--format", "md")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == ["region", "small"]
    assert json.loads((tmp_path / "packs/region/manifest.json").read_text())["options"]["participants"] == 1500
    problems = [line for line in result.stderr.splitlines() if line.startswith("groups/")]
    assert problems and all(line.startswith("groups/broken.yaml:") for line in problems), result.stderr


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_batch_workers_end_quietly_run_after_run(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "groups"
    folder.mkdir()
    for i in range(6):
        (folder / f"group-{i}.yaml").write_text(profile_yaml(f"Group {i}", 10 + i, 5))
    for round_ in range(6):
        result = run(tmp_path, "batch", "groups", "--out", f"packs-{round_}", "--jobs", jobs, "--format", "md")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert len(list((tmp_path / f"packs-{round_}").iterdir())) == 6


def _start_batch(tmp_path: Path, count: int, *, start_new_session: bool = False) -> subprocess.Popen[str]:
    """``count`` small profiles in ``groups/``, and a two-worker batch building them into ``packs/``."""
    folder = tmp_path / "groups"
    folder.mkdir()
    for i in range(count):
        (folder / f"group-{i:02d}.yaml").write_text(profile_yaml(f"Group {i}", 10 + i, 5))
    return subprocess.Popen(
        [EXE, "batch", "groups", "--out", "packs", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=start_new_session,
    )


def test_ctrl_c_stops_a_batch_without_worker_tracebacks_or_half_packs(tmp_path: Path) -> None:
    process = _start_batch(tmp_path, 40, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "packs").is_dir() or len(list((tmp_path / "packs").iterdir())) < 3:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    process.wait(timeout=60)
    _, err = process.communicate()
    assert process.returncode != 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    for pack in (tmp_path / "packs").iterdir():
        assert not pack.name.startswith("."), f"left behind: {pack.name}"
        assert (pack / "manifest.json").is_file()


@pytest.mark.parametrize("kind", ["yaml", "csv"])
def test_every_group_size_the_profile_accepts_builds(tmp_path: Path, kind: str) -> None:
    if kind == "yaml":
        (tmp_path / "region.yaml").write_text(profile_yaml("Region", 1_000_000, 600_000))
        args = ["--profile", "region.yaml"]
    else:
        (tmp_path / "region.csv").write_text(client_rows(1001))
        args = ["--profile", "region.csv"]
    result = run(tmp_path, "build", *args, "--program", "job-search", "--out", "pack", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    expected = 1_000_000 if kind == "yaml" else 1001
    assert json.loads((tmp_path / "pack/manifest.json").read_text())["options"]["participants"] == expected
    assert f"**Participants:** {expected}" in (tmp_path / "pack/facilitator-guide.md").read_text()


def test_participants_option_allows_what_a_profile_allows(tmp_path: Path) -> None:
    result = run(
        tmp_path, "build", "--participants", "1000000", "--out", "pack", "--format", "md", "--program", "job-search"
    )
    assert result.returncode == 0, result.stderr
    too_many = run(tmp_path, "build", "--participants", "1000001", "--out", "pack2", "--format", "md")
    assert too_many.returncode == 2 and "Traceback" not in too_many.stderr


@pytest.mark.parametrize("name", ["clients.txt", "clients.tsv", "clients", "clients.dat"])
def test_a_client_list_is_recognised_by_its_content_whatever_its_name(tmp_path: Path, name: str) -> None:
    sep = "\t" if name.endswith((".tsv", ".txt")) else ","
    (tmp_path / name).write_text(client_rows(12, sep))
    result = run(tmp_path, "profile", "from-csv", name, "--group", "Tuesday")
    assert result.returncode == 0, result.stderr
    assert "assessed: 12\n" in result.stdout
    assert "C000" not in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["clients.txt", "clients", "clients.yaml"])
def test_a_client_list_without_its_header_is_refused_without_quoting_a_byte(tmp_path: Path, name: str) -> None:
    rows = client_rows(12).splitlines()[1:]
    (tmp_path / name).write_text("\n".join(rows) + "\n")
    for args in (["build", "--profile", name, "--out", "pack"], ["profile", "show", name]):
        result = run(tmp_path, *args)
        assert result.returncode == 2
        assert "C000" not in result.stderr and "yes" not in result.stderr
        assert result.stderr == (
            f"{name}:1:1: not a group profile (expected a YAML mapping with group, assessed and "
            "needs_help, or a per-client CSV whose first row names the ERS factors)\n"
        )
    assert not (tmp_path / "pack").exists()


def _excel_file(dialect: str) -> bytes:
    """Twelve clients as Excel writes them: a BOM, CRLF, and a quoted id holding doubled quotes, then the delimiter."""
    sep = ";" if dialect == "semicolon" else ","
    header = sep.join(["client_id", *FACTORS.split(",")])
    rows = [header]
    for i in range(12):
        client = f'"J{i} ""Jay"" Smith{sep} Jr."'
        rows.append(sep.join([client, "Yes", "No" if i % 2 else "Yes", "yes", "no", "Needs help"]))
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


@pytest.mark.parametrize("dialect", ["comma", "semicolon"])
def test_rfc_4180_client_lists_as_excel_writes_them_roll_up(tmp_path: Path, dialect: str) -> None:
    (tmp_path / "clients.csv").write_bytes(_excel_file(dialect))
    result = run(tmp_path, "profile", "from-csv", "clients.csv", "--group", "Tuesday")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2:9] == [
        "assessed: 12",
        "needs_help:",
        "  self_efficacy: 12",
        "  outcome_expectancy: 6",
        "  social_supports: 12",
        "  work_history: 0",
        "  job_maintenance: 12",
    ]
    assert "Smith" not in result.stdout + result.stderr


def test_matched_before_and_after_lists_pair_by_content_not_name(tmp_path: Path) -> None:
    (tmp_path / "before.txt").write_text(client_rows(12, "\t"))
    after = client_rows(12, "\t").replace("\tyes\t", "\tno\t")
    (tmp_path / "after").write_text(after)
    result = run(tmp_path, "profile", "compare", "before.txt", "after", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["method"] for r in rows} == {"exact McNemar test (matched clients)"}


def test_batch_takes_a_client_list_saved_as_text_and_leaves_notes_alone(tmp_path: Path) -> None:
    folder = tmp_path / "groups"
    folder.mkdir()
    (folder / "tuesday.txt").write_text(client_rows(12, "\t"))
    (folder / "notes.txt").write_text("Room 4 is booked until March.\n")
    result = run(tmp_path, "batch", "groups", "--out", "packs", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == ["tuesday"]
    assert json.loads((tmp_path / "packs/tuesday/manifest.json").read_text())["options"]["participants"] == 12


def test_a_worker_killed_mid_batch_fails_its_packs_by_name_instead_of_hanging(tmp_path: Path) -> None:
    process = _start_batch(tmp_path, 30)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    packs = tmp_path / "packs"
    while not (packs.is_dir() and len(list(packs.iterdir())) >= 2 and children.read_text().split()):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    os.kill(int(children.read_text().split()[0]), signal.SIGKILL)  # what the out-of-memory killer does
    _, err = process.communicate(timeout=120)  # a hang fails here
    assert process.returncode == 2
    assert "Traceback" not in err
    lost = [line for line in err.splitlines() if "a worker process stopped before this pack was confirmed" in line]
    assert lost and all(line.startswith("groups/group-") for line in lost)
    built = {p.name for p in packs.iterdir() if not p.name.startswith(".")}
    # every profile has its pack or is named (a pack finished just before the kill may be both)
    assert built | {line.split("/")[1].split(".")[0] for line in lost} == {f"group-{i:02d}" for i in range(30)}


@pytest.mark.parametrize("target", ["other.tsv", "other.txt", "other"])
def test_from_csv_never_writes_a_profile_over_a_client_list_whatever_its_name(tmp_path: Path, target: str) -> None:
    (tmp_path / "before.csv").write_text(client_rows(12))
    (tmp_path / target).write_text(client_rows(8, "\t"))
    kept = (tmp_path / target).read_bytes()
    result = run(tmp_path, "profile", "from-csv", "before.csv", "--group", "G", "-o", target)
    assert result.returncode == 2
    assert result.stderr == f"{target}:1:1: would overwrite client data (write the profile to a .yaml file)\n"
    assert (tmp_path / target).read_bytes() == kept


def test_a_group_name_cannot_send_terminal_codes_through_the_summary_line(tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text(profile_yaml('"Evil\\e]0;pwned\\a club"', 12, 5))
    result = run(tmp_path, "build", "--profile", "evil.yaml", "--out", "pack", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Evil\\x1b]0;pwned\\x07 club" in result.stdout
