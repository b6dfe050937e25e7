"""Hostile files and paths: pipes, devices, sizes that lie, paths the system refuses, links, absurd logos.

Each case runs the real CLI in its own process, with a timeout (a hang fails the test
instead of hanging the suite) and a 1 GiB address-space cap (an unbounded read fails the
test instead of exhausting the machine). A refusal is exit 2, one located line per
problem (``FILE:LINE:COL: message``), no traceback, and nothing written.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import yaml
from conftest import AGENCY, DATA, REPO, make_workspace, png, write_tree

EXE = str(Path(sys.executable).with_name("curriculum-gen"))
PROFILE = (DATA / "profiles" / "tuesday-job-club.yaml").read_text(encoding="utf-8")
CLIENTS = "client_id,Self-Efficacy,Outcome Expectancy,Social Supports,Work History,Job Maintenance\n" + "".join(
    f"C{i},{'yes' if i % 2 else 'no'},no,yes,{'no' if i % 3 else 'yes'},yes\n" for i in range(8)
)
LOCATED = re.compile(r"^.+:\d+:\d+: \S.*$")
TIMEOUT = 30.0
"""A process still running after this long is taken to hang."""
QUICK = 10.0
"""Every refusal here takes well under this."""
MEMORY_CAP = 1 << 30
NOBODY = 65534
MAX_EXTENT = 27_273_042_316_900
"""OOXML's ST_PositiveCoordinate: 0 < extent <= this many EMU."""
LOGO_BOX = (8 * 360_000, 432_000)
"""8 cm × 1.2 cm: the box the header's logo is fitted into."""


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run(args: list[str | bytes], cwd: Path, *, python: str | None = None, user: int | None = None) -> Result:
    """The CLI in a subprocess: ``EXE``, or ``python -m curriculum_gen`` (as ``user``) when given."""
    command: list[str | bytes] = [python, "-m", "curriculum_gen", *args] if python else [EXE, *args]
    options: dict[str, object] = {}
    if user is not None:
        options = {"user": user, "group": user, "extra_groups": [], "env": _nobody_env()}
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False, preexec_fn=_cap_memory, **options
    )
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
        time.monotonic() - started,
    )


def snapshot(root: Path) -> list[tuple[str, int]]:
    """Every path under ``root`` with its size (0 for what is not a regular file), without opening anything."""
    found = []
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = Path(folder) / name
            info = path.lstat()
            found.append((str(path.relative_to(root)), info.st_size if path.is_file() and not path.is_symlink() else 0))
    return sorted(found)


def assert_refused(result: Result, expect: str, root: Path, before: list[tuple[str, int]]) -> None:
    assert result.code == 2, (result.code, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), lines
    assert any(expect in line for line in lines), lines
    assert result.seconds < QUICK, result.seconds
    assert snapshot(root) == before  # nothing written


# ------------------------------------------------------------------ pipes and devices

FIFO_CASES: dict[str, tuple[dict[str, str], str, list[str], str]] = {
    # name: (files to write, which path becomes a FIFO, command, expected message)
    "profile": (
        {},
        "pipe.yaml",
        ["build", "--profile", "pipe.yaml", "--out", "out", "--format", "md"],
        "pipe.yaml:1:1: is a named pipe (FIFO), not a regular file",
    ),
    "csv": (
        {},
        "pipe.csv",
        ["profile", "from-csv", "pipe.csv", "--group", "G", "-o", "g.yaml"],
        "pipe.csv:1:1: is a named pipe (FIFO), not a regular file",
    ),
    "plan": (
        {},
        "plan.yaml",
        ["build", "--plan", "plan.yaml", "--out", "out", "--format", "md"],
        "plan.yaml:1:1: is a named pipe (FIFO), not a regular file",
    ),
    "agency": (
        {},
        "agency.yaml",
        ["handout", "community-resources", "--agency", "agency.yaml", "--out", "out"],
        "agency.yaml:1:1: is a named pipe (FIFO), not a regular file",
    ),
    "logo": (
        {"agency.yaml": AGENCY},
        "logo.png",
        ["handout", "community-resources", "--agency", "agency.yaml", "--out", "out"],
        "agency.yaml:2:7: logo: logo file 'logo.png': is a named pipe (FIFO), not a regular file",
    ),
}


@pytest.mark.parametrize("case", sorted(FIFO_CASES))
def test_a_fifo_input_is_refused_at_once(case: str, tmp_path: Path) -> None:
    files, fifo, command, expect = FIFO_CASES[case]
    write_tree(tmp_path, files)
    os.mkfifo(tmp_path / fifo)
    before = snapshot(tmp_path)
    assert_refused(run(list(command), tmp_path), expect, tmp_path, before)


@pytest.mark.parametrize(
    ("fifo", "command"),
    [
        ("curricula/activities/zz-pipe.yaml", ["validate", "ws"]),
        ("curricula/handouts/zz-pipe.yaml", ["build", "--program", "job-search", "--out", "out", "--format", "md"]),
        ("templates/zz-pipe.md.j2", ["validate", "ws"]),
        ("templates/style.css", ["build", "--program", "job-search", "--out", "out", "--format", "html"]),
    ],
)
def test_a_fifo_in_a_workspace_is_refused_at_once(fifo: str, command: list[str], tmp_path: Path) -> None:
    """Curricula files and template files alike; Jinja2 reads templates itself, so they are checked up front."""
    ws = make_workspace(tmp_path / "ws")
    (ws / fifo).unlink(missing_ok=True)
    os.mkfifo(ws / fifo)
    before = snapshot(tmp_path)
    cwd = tmp_path if command[0] == "validate" else ws
    shown = f"ws/{fifo}" if command[0] == "validate" else fifo
    assert_refused(run(command, cwd), f"{shown}:1:1: is a named pipe (FIFO), not a regular file", tmp_path, before)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("name", ["x.yaml", "x.csv"])
def test_a_device_behind_a_profile_name_is_refused(device: str, name: str, tmp_path: Path) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    (tmp_path / name).symlink_to(device)
    before = snapshot(tmp_path)
    result = run(["build", "--profile", name, "--out", "out", "--format", "md"], tmp_path)
    assert_refused(result, f"{name}:1:1: is a character device, not a regular file", tmp_path, before)


def test_a_file_whose_size_lies_is_read_no_further_than_the_cap(tmp_path: Path) -> None:
    """``/proc`` files say they hold 0 bytes; the cap holds whatever ``st_size`` says."""
    lying = Path("/proc/kallsyms")
    try:
        fits = lying.stat().st_size == 0 and len(lying.read_bytes()) > 2_000_000
    except OSError:
        fits = False
    if not fits:
        pytest.skip("no readable /proc/kallsyms of more than 2 MB that says it is empty")
    (tmp_path / "k.yaml").symlink_to(lying)
    before = snapshot(tmp_path)
    result = run(["build", "--profile", "k.yaml", "--out", "out", "--format", "md"], tmp_path)
    assert_refused(
        result, "k.yaml:1:1: file is more than 2,000,000 bytes (expected at most 2,000,000)", tmp_path, before
    )


# ------------------------------------------------------------------ paths the system refuses

LONG = "a" * 5000


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["build", "--profile", "p.yaml", "--out", LONG, "--format", "md"], LONG),
        (["handout", "community-resources", "--out", LONG, "--format", "md"], LONG),
        (["profile", "from-csv", "c.csv", "--group", "G", "-o", LONG + ".yaml"], LONG + ".yaml"),
        (["build", "--profile", LONG + ".yaml", "--out", "out", "--format", "md"], LONG + ".yaml"),
    ],
)
def test_a_name_too_long_is_a_located_error(command: list[str], shown: str, tmp_path: Path) -> None:
    write_tree(tmp_path, {"p.yaml": PROFILE, "c.csv": CLIENTS})
    before = snapshot(tmp_path)
    result = run(command, tmp_path)
    assert_refused(result, f"{shown}:1:1: cannot ", tmp_path, before)
    assert "(File name too long)" in result.stderr


def _nobody_env() -> dict[str, str]:
    """Enough for another interpreter to import this checkout and the venv's packages."""
    paths = [str(REPO / "src"), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def _python_for_nobody() -> str | None:
    """A Python of this version that user nobody may run (this venv's may live under /root)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        sys.executable,
        os.path.realpath(sys.executable),
        getattr(sys, "_base_executable", ""),
        f"/usr/bin/python{version}",
        f"/usr/local/bin/python{version}",
        shutil.which(f"python{version}") or "",
    ]
    for candidate in dict.fromkeys(c for c in candidates if c):
        try:
            probe = subprocess.run(
                [candidate, "-c", "import curriculum_gen.cli.app, pydantic_core, yaml"],
                cwd="/",
                user=NOBODY,
                group=NOBODY,
                extra_groups=[],
                env=_nobody_env(),
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return candidate
    return None


@pytest.fixture
def unprivileged(tmp_path: Path) -> Iterator[tuple[Path, Callable[[list[str | bytes]], Result]]]:
    """A folder and a way to run the CLI where permissions deny: as nobody when we are root."""
    if os.geteuid() != 0:
        yield tmp_path, lambda args: run(args, tmp_path)
        return
    python = _python_for_nobody()
    if python is None:
        pytest.skip("no Python interpreter of this version that user nobody may run")
    root = Path(tempfile.mkdtemp(prefix="hostile-"))  # pytest's tmp_path is closed to other users
    try:
        os.chmod(root, 0o755)
        os.chown(root, NOBODY, NOBODY)
        yield root, lambda args: run(args, root, python=python, user=NOBODY)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _lock(folder: Path) -> None:
    """Listable but not searchable: its names can be read, nothing in it reached."""
    folder.chmod(0o644)
    if os.geteuid() != 0:
        folder.chmod(0o600)


@pytest.mark.parametrize(
    ("command", "expect"),
    [
        (
            ["build", "--profile", "locked/p.yaml", "--out", "out", "--format", "md"],
            "locked/p.yaml:1:1: cannot read file (Permission denied)",
        ),
        (
            ["build", "--profile", "p.yaml", "--out", "locked/pack", "--format", "md"],
            "locked/pack:1:1: cannot write here (Permission denied)",
        ),
        (
            ["build", "--profile", "p.yaml", "--out", "locked", "--format", "md"],
            "locked:1:1: cannot write here (Permission denied)",
        ),
        (
            ["handout", "community-resources", "--out", "locked/h", "--format", "md"],
            "locked/h:1:1: cannot write here (Permission denied)",
        ),
        (
            ["profile", "from-csv", "c.csv", "--group", "G", "-o", "locked/g.yaml"],
            "locked/g.yaml:1:1: cannot write here (Permission denied)",
        ),
        (["validate", "ws"], "ws/curricula/activities/"),
    ],
)
def test_a_folder_that_cannot_be_searched_is_a_located_error(
    command: list[str], expect: str, unprivileged: tuple[Path, Callable[[list[str | bytes]], Result]]
) -> None:
    root, cli = unprivileged
    write_tree(root, {"p.yaml": PROFILE, "c.csv": CLIENTS, "locked/p.yaml": PROFILE})
    _lock(root / "locked")
    if command[0] == "validate":
        make_workspace(root / "ws")
        _lock(root / "ws" / "curricula" / "activities")
    try:
        before = snapshot(root)
        result = cli(list(command))
        assert_refused(result, expect, root, before)
        assert "(Permission denied)" in result.stderr
    finally:
        for folder in (root / "locked", root / "ws" / "curricula" / "activities"):
            if folder.exists():
                folder.chmod(0o755)


@pytest.mark.parametrize(("name", "text"), [(b"gr\xffoup.yaml", PROFILE), (b"cl\xffents.csv", CLIENTS)])
def test_a_profile_whose_file_name_is_not_utf8(name: bytes, text: str, tmp_path: Path) -> None:
    """The name would reach the manifest and messages; it is refused, with no traceback."""
    path = tmp_path / os.fsdecode(name)
    path.write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    result = run([b"build", b"--profile", name, b"--out", b"out", b"--format", b"md"], tmp_path)
    assert_refused(result, ":1:1: file name is not UTF-8 (rename the file)", tmp_path, before)


# ------------------------------------------------------------------ writing through links


def test_from_csv_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    write_tree(tmp_path, {"c.csv": CLIENTS, "elsewhere/profile.yaml": "old\n"})
    (tmp_path / "elsewhere" / "profile.yaml").chmod(0o600)
    (tmp_path / "link.yaml").symlink_to("elsewhere/profile.yaml")
    (tmp_path / "dangling.yaml").symlink_to("elsewhere/new.yaml")
    for link in ("link.yaml", "dangling.yaml"):
        result = run(["profile", "from-csv", "c.csv", "--group", "G", "--allow-small-group", "-o", link], tmp_path)
        assert result.code == 0, result.stderr
        assert (tmp_path / link).is_symlink()
    assert os.readlink(tmp_path / "link.yaml") == "elsewhere/profile.yaml"
    for written in ("profile.yaml", "new.yaml"):
        assert yaml.safe_load((tmp_path / "elsewhere" / written).read_text())["group"] == "G"
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["new.yaml", "profile.yaml"]
    assert (tmp_path / "elsewhere" / "profile.yaml").stat().st_mode & 0o777 == 0o600  # its mode is kept


def test_from_csv_never_writes_over_client_data_or_a_pipe_through_a_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {"c.csv": CLIENTS, "other.csv": "kept\n"})
    (tmp_path / "to-csv.yaml").symlink_to("other.csv")
    (tmp_path / "to-input.yaml").symlink_to("c.csv")
    os.mkfifo(tmp_path / "pipe.yaml")
    before = snapshot(tmp_path)
    for link, expect in (
        ("to-csv.yaml", "to-csv.yaml:1:1: would overwrite client data"),
        ("to-input.yaml", "to-input.yaml:1:1: would overwrite client data"),
        ("pipe.yaml", "pipe.yaml:1:1: exists and is not a regular file"),
    ):
        result = run(["profile", "from-csv", "c.csv", "--group", "G", "--allow-small-group", "-o", link], tmp_path)
        assert_refused(result, expect, tmp_path, before)
    assert (tmp_path / "pipe.yaml").is_fifo()


def test_a_handout_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    write_tree(tmp_path, {"elsewhere/cr.md": "old\n"})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "community-resources.md").symlink_to("../elsewhere/cr.md")
    result = run(["handout", "community-resources", "--out", "out", "--format", "md"], tmp_path)
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "community-resources.md").is_symlink()
    assert (tmp_path / "elsewhere" / "cr.md").read_text().startswith("# ")
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["cr.md"]


# ------------------------------------------------------------------ logos


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims this size, with one row of real data: what a forged file looks like."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x1f\x4e\x79"))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    """A JPEG that is all header: JFIF, then a frame header (SOF0) claiming this size."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xc0\x00\x11\x08"
        + struct.pack(">HH", height, width)
        + b"\x03"
        + b"\x01\x22\x00" * 3
        + b"\xff\xd9"
    )


@pytest.mark.parametrize(
    ("logo", "expect"),
    [
        (png_header(4_000_000_000, 1), "'logo.png' is 4,000,000,000 × 1 pixels (expected at most 20,000 on a side)"),
        (png_header(1, 4_000_000_000), "'logo.png' is 1 × 4,000,000,000 pixels (expected at most 20,000 on a side)"),
        (png_header(0, 0), "'logo.png' is 0 × 0 pixels (its header declares no pixels)"),
        (png_header(1000, 10), "'logo.png' is 1,000 × 10 pixels, too narrow or too wide (expected at most 50:1"),
        (jpeg_header(30_000, 1_000), "'logo.png' is 30,000 × 1,000 pixels (expected at most 20,000 on a side)"),
    ],
    ids=["png-4e9x1", "png-1x4e9", "png-0x0", "png-100to1", "jpeg-30000x1000"],
)
def test_a_logo_of_absurd_size_is_refused_at_its_line(logo: bytes, expect: str, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(logo)
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    before = snapshot(tmp_path)
    result = run(
        ["handout", "community-resources", "--agency", "agency.yaml", "--out", "out", "--format", "docx"], tmp_path
    )
    assert_refused(result, f"agency.yaml:2:7: logo: {expect}", tmp_path, before)


def header_extents(path: Path) -> list[tuple[int, int]]:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/header1.xml").decode()
    return [(int(cx), int(cy)) for cx, cy in re.findall(r'<(?:wp:extent|a:ext) cx="(-?\d+)" cy="(-?\d+)"/>', xml)]


@pytest.mark.parametrize(("width", "height"), [(1, 1), (120, 40), (1000, 20), (20, 1000), (20_000, 20_000)])
def test_a_sound_logo_is_placed_within_the_box_and_the_ooxml_limits(width: int, height: int, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(
        png(width, height) if width * height <= 1_000_000 else png_header(width, height)
    )
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    result = run(
        ["handout", "community-resources", "--agency", "agency.yaml", "--out", "out", "--format", "docx"], tmp_path
    )
    assert result.code == 0, result.stderr
    document = tmp_path / "out" / "community-resources.docx"
    logo_cell = docx.Document(str(document)).sections[0].header.tables[0].rows[0].cells[0]
    assert "<pic:pic" in logo_cell._tc.xml
    extents = header_extents(document)
    assert len(extents) == 2 and extents[0] == extents[1]
    cx, cy = extents[0]
    assert 0 < cx <= LOGO_BOX[0] and 0 < cy <= LOGO_BOX[1]
    assert cx == LOGO_BOX[0] or cy == LOGO_BOX[1]  # as large as the box lets it be
    assert abs(cx / cy - width / height) <= 0.01 * width / height + 1 / cy  # its shape kept


@pytest.mark.parametrize("size", [(4_000_000_000, 1), (1, 4_000_000_000), (0, 0), (-5, 3), (2**64, 1)])
def test_the_word_writer_keeps_any_logo_size_within_ooxml(size: tuple[int, int], tmp_path: Path) -> None:
    """Even a size no agency file can give (the loader refuses these) makes a valid Word file."""
    from curriculum_gen.load.agency import Branding
    from curriculum_gen.models import Agency
    from curriculum_gen.render.docx import render_docx

    brand = Branding(Agency(name="Hub"), png(1, 1), "image/png", size)
    document = tmp_path / "x.docx"
    document.write_bytes(render_docx("# Title\n\nText.\n", title="Title", subject="S", participant=True, brand=brand))
    docx.Document(str(document))
    for cx, cy in header_extents(document):
        assert 0 < cx <= min(MAX_EXTENT, LOGO_BOX[0]) and 0 < cy <= min(MAX_EXTENT, LOGO_BOX[1])
