"""Opening input files: regular files only, never blocking, never reading past a cap.

Every file the tool reads as input (profiles, CSV files, plans, agency files and logos,
curricula, the stylesheet) comes through :func:`read_input`; template files, which Jinja2
reads itself, are checked with :func:`check_input` when the workspace is opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from curriculum_gen.errors import InputError, Problem


class UnreadableFile(InputError):
    """An input that cannot be read: missing, not a regular file, too big, or not permitted.

    Located at ``FILE:1:1``; ``reason`` and ``missing`` let a caller place it elsewhere
    (the ``logo`` line of an agency file).
    """

    def __init__(self, name: str, reason: str, *, missing: bool = False) -> None:
        super().__init__(Problem(name, 1, 1, "", reason))
        self.reason, self.missing = reason, missing


_NOT_REGULAR = (
    (stat.S_ISDIR, "is a folder (expected a file)"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _check_stat(info: os.stat_result, name: str, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(
            name, next((why for test, why in _NOT_REGULAR if test(info.st_mode)), "is not a regular file")
        )
    if info.st_size > limit:
        raise UnreadableFile(name, f"file is {info.st_size:,} bytes (expected at most {limit:,})")


def _unreadable(exc: OSError, name: str) -> UnreadableFile:
    if isinstance(exc, FileNotFoundError):
        return UnreadableFile(name, "file not found", missing=True)
    return UnreadableFile(name, f"cannot read file ({exc.strerror or exc})")


def check_input(path: Path, name: str, *, limit: int) -> None:
    """Refuse, as :func:`read_input` would, what is not a regular file of at most ``limit`` bytes, without opening it.

    For files another library reads itself (Jinja2 reads templates).

    Raises:
        UnreadableFile: located at ``name:1:1``.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the file name, kept as surrogates
        raise UnreadableFile(name, "file name is not UTF-8 (rename the file)") from None
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc, name) from None
    _check_stat(info, name, limit)


def read_input(path: Path, name: str, *, limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them; every input the tool reads comes through here.

    A pipe, device or socket is refused whatever its name or a symbolic link says: the
    path is checked before opening, and the open descriptor again (the file may have been
    swapped in between). The file is opened without blocking, so a FIFO never waits for a
    writer, and at most ``limit + 1`` bytes are read, since ``st_size`` may be wrong
    (``/proc`` files say 0, a file may grow while it is read).

    Raises:
        UnreadableFile: located at ``name:1:1``.
    """
    check_input(path, name, limit=limit)
    chunks: list[bytes] = []
    left = limit + 1
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            _check_stat(os.fstat(fd), name, limit)
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _unreadable(exc, name) from None
    if left <= 0:
        raise UnreadableFile(name, f"file is more than {limit:,} bytes (expected at most {limit:,})")
    return b"".join(chunks)
