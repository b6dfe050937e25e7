from __future__ import annotations

import os
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curriculum_gen.cli.app import app

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the real CLI in a fresh folder outside any workspace (the shipped curricula apply)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01, fixed for reproducible files

    def run(*args: str | os.PathLike[str]) -> Run:
        result = CliRunner().invoke(app, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create files from a {relative path: text} mapping; returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def make_workspace(root: Path) -> Path:
    """A copy of the shipped curricula and templates: a workspace to break on purpose."""
    import shutil

    shutil.copytree(REPO / "curricula", root / "curricula")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def tree_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def png(width: int, height: int) -> bytes:
    """A small, valid PNG of one colour."""
    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


AGENCY = (
    "name: Sunshine Coast Employment Hub\nlogo: logo.png\naddress: 12 Marine Drive, Gibsons BC\n"
    "phone: 604-555-0147\nwebsite: https://example.org\nresources:\n  - name: Coast Community Services\n"
    "    helps_with: food, housing and child care\n    contact: 604-555-0199\n"
)


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    megabytes: float
    """The peak resident memory of this process alone (``os.wait4``), whatever ran before it."""


_LAUNCHER = """
import os, resource, sys
limit, report, *command = sys.argv[1:]
pid = os.fork()
if pid == 0:
    if int(limit):
        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    f.write(f"{usage.ru_maxrss} {status}")
"""
"""Runs the measured command from a small process: Linux counts the memory a process had when it was
forked (here the launcher's few megabytes, not the test run's hundreds) in the peak of the command it
becomes, so a command forked from pytest itself would be charged with pytest's own memory."""


def run_measured(args: list[str], cwd: Path, timeout: float = 60, address_space: int | None = None) -> Measured:
    """Run a command and measure its own time and peak memory; killed (and failing) after ``timeout`` seconds.

    ``address_space`` caps the child's memory (``RLIMIT_AS``), so a runaway cannot swamp the machine.
    """
    import contextlib
    import signal
    import sys
    import tempfile
    import threading
    import time

    with (
        tempfile.TemporaryDirectory() as scratch,
        open(Path(scratch) / "out", "w+b") as out,
        open(Path(scratch) / "err", "w+b") as err,
    ):  # files: nothing to drain while waiting
        report = Path(scratch) / "usage"
        launcher = [sys.executable, "-c", _LAUNCHER, str(address_space or 0), str(report), *map(str, args)]
        started = time.monotonic()
        process = subprocess.Popen(
            launcher, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True
        )

        def kill() -> None:
            with contextlib.suppress(ProcessLookupError):  # it ended as the time ran out
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
            timer.join()
        seconds = time.monotonic() - started
        maxrss, status = map(int, report.read_text().split()) if report.exists() else (0, signal.SIGKILL)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        assert code != -9 or seconds < timeout, f"killed after {timeout} s: {args}"
        return Measured(
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            maxrss / 1024,
        )
