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


def run_measured(args: list[str], cwd: Path, timeout: float = 60, address_space: int | None = None) -> Measured:
    """Run a command and measure its own time and peak memory; killed (and failing) after ``timeout`` seconds.

    ``address_space`` caps the child's memory (``RLIMIT_AS``), so a runaway cannot swamp the machine.
    """
    import resource
    import tempfile
    import threading
    import time

    def cap() -> None:
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:  # files: nothing to drain while waiting
        started = time.monotonic()
        # no other thread runs at this fork: each timer is joined before the function returns
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, preexec_fn=cap)  # noqa: PLW1509
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            timer.join()
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        out.seek(0)
        err.seek(0)
        assert process.returncode != -9 or seconds < timeout, f"killed after {timeout} s: {args}"
        return Measured(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )
