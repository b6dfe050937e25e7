"""Putting packs and files on disk: whole or not at all, and never over someone's work."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import stat
import tempfile
import time
from pathlib import Path
from typing import Self

from curriculum_gen.errors import InputError, OutputError, Problem, display_path
from curriculum_gen.load.reading import read_input

MAX_MANIFEST_BYTES = 2_000_000
MAX_PACK_FILE_BYTES = 500_000_000
"""Far beyond any pack file (a PDF with a logo); a link to a device inside a pack is not read for ever."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_target(out: Path, *, force: bool = False) -> None:
    """Refuse to replace anything but an earlier pack of ours, and never lose a file in it.

    Checked while no other build of the pack is swapping it, so a pack mid-swap is not
    taken for an edited one; :func:`write_pack` checks again before it writes.
    """
    if not out.parent.is_dir():
        return  # nothing there yet; write_pack makes the folders
    with _PackLock(out):
        _check_target(out, force)


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(display_path(out), message="exists and is not a folder (choose another --out)"))
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        listed = json.loads(read_input(out / "manifest.json", "manifest.json", limit=MAX_MANIFEST_BYTES))
        ours = listed.get("tool") == "curriculum-gen" and isinstance(listed.get("outputs"), dict)
    except (InputError, ValueError, AttributeError):
        ours = False
    if not ours:
        raise OutputError(
            Problem(
                display_path(out),
                message="folder is not empty and holds no curriculum-gen pack "
                "(no manifest.json of ours); choose another --out",
            )
        )
    known = set(listed["outputs"]) | {"manifest.json"}
    edited = sorted(
        name for name, digest in listed["outputs"].items() if (out / name).is_file() and _digest(out / name) != digest
    )
    if edited and not force:
        shown = ", ".join(edited[:5]) + (f" and {len(edited) - 5} more" if len(edited) > 5 else "")
        raise OutputError(
            Problem(
                display_path(out),
                message=f"files were edited since this pack was built ({shown}); "
                "save your changes elsewhere, or use --force to replace them",
            )
        )
    extra = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).as_posix() not in known
    )
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise OutputError(
            Problem(
                display_path(out),
                message=f"the pack folder holds files the pack did not make "
                f"({shown}); move them out or choose another --out",
            )
        )


def _digest(path: Path) -> str | None:
    """A pack file's SHA-256, read as any input is (a link to a device or a pipe is not followed)."""
    try:
        return sha256(read_input(path, path.name, limit=MAX_PACK_FILE_BYTES))
    except InputError:
        return None


def write_pack(out: Path, files: dict[str, bytes], *, force: bool = False) -> None:
    """Write every file into a temporary folder beside ``out``, then swap it into place.

    Builds of the same pack take turns (a lock beside it), and each checks the folder
    again once it holds the lock, so two builds at once end with one whole pack. On Linux
    the swap is one atomic exchange, so a build stopped at any moment (even by SIGKILL)
    leaves the previous pack or the new one, never a mix or nothing; the next build
    removes what a stopped one left, recognised by a marker inside, never by name alone.

    Raises:
        OutputError: the folder is not ours to replace, another build holds it too long,
            or it cannot be written.
    """
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            Problem(display_path(parent), message=f"cannot create the pack folder ({exc.strerror})")
        ) from None
    with _PackLock(out) as lock:
        _check_target(out, force)
        try:
            work = _WorkFolder(parent, out.name, lock)
        except OSError as exc:
            raise OutputError(Problem(display_path(parent), message=f"cannot write here ({exc.strerror})")) from None
        try:
            _write_tree(work.pack, files)
            if not out.exists():
                work.pack.rename(out)
            elif not _exchange(work.pack, out):  # no atomic exchange here: two renames, restored on failure
                out.rename(work.folder / "old")
                try:
                    work.pack.rename(out)
                except BaseException:
                    (work.folder / "old").rename(out)
                    raise
        except OSError as exc:
            raise OutputError(Problem(display_path(out), message=f"cannot write the pack ({exc.strerror})")) from None
        finally:
            work.remove()  # after an exchange it holds the previous pack


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    root.mkdir()
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


MARKER = ".curriculum-gen-build"
"""Inside every temporary folder of a build: names the pack, and is locked while the build lives."""
LOCK_WAIT_SECONDS = 60.0
"""How long a build waits for another build of the same pack to finish (``CURRICULUM_GEN_LOCK_WAIT``)."""


class _PackLock:
    """Builds of one pack take turns: an exclusive lock on ``.NAME.lock`` beside it, removed on release.

    Whoever takes the lock first removes what stopped builds of the pack left behind.

    The lock is an ``flock``, so the kernel drops it when its holder dies, even by SIGKILL.
    The file is removed while still locked; a waiter that then locks the removed file
    notices (its inode is no longer at the path) and tries again.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out.parent / f".{out.name}.lock"
        self.fd = -1

    def __enter__(self) -> Self:
        wait = _lock_wait()
        deadline = time.monotonic() + wait
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as exc:
                raise OutputError(
                    Problem(display_path(self.out), message=f"cannot lock the pack folder ({exc.strerror})")
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_small(fd).partition("\n")[0]
                os.close(fd)
                if time.monotonic() >= deadline:
                    who = f" (process {holder})" if holder.isdigit() else ""
                    raise OutputError(
                        Problem(
                            display_path(self.out),
                            message=(
                                f"another build{who} is writing this pack and did not finish within {wait:g} s; "
                                "try again when it has finished, or choose another --out"
                            ),
                        )
                    ) from None
                time.sleep(0.02)
                continue
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path, follow_symlinks=False).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                try:
                    # a work folder its last holder did not remove: that build died
                    _remove_recorded(self.out.parent, self.out.name, _read_small(fd).partition("\n")[2])
                    remove_leftovers(self.out.parent, self.out.name)
                    self.record("")
                except BaseException:
                    self.__exit__()
                    raise
                return self
            os.close(fd)  # the holder before us removed this file: lock the new one

    def record(self, work: str) -> None:
        """Note in the lock file our process and the work folder we are about to make."""
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n{work}".encode(), 0)

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)


def _lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("CURRICULUM_GEN_LOCK_WAIT", LOCK_WAIT_SECONDS)))
    except ValueError:
        return LOCK_WAIT_SECONDS


def _read_small(fd: int) -> str:
    try:
        return os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


class _WorkFolder:
    """A build's temporary folder beside the pack: ``pack/`` to fill, and a marker it holds locked.

    Its name is written in the pack's lock file before the folder is made, so a build
    killed before the marker exists still leaves a trace the next build can follow.
    """

    def __init__(self, parent: Path, name: str, lock: _PackLock) -> None:
        self.fd = -1
        self.folder = parent / f".{name}.tmp-{secrets.token_hex(4)}"
        try:
            while True:
                lock.record(self.folder.name)
                try:
                    self.folder.mkdir(mode=0o700)
                    break
                except FileExistsError:
                    self.folder = parent / f".{name}.tmp-{secrets.token_hex(4)}"
            self.fd = os.open(self.folder / MARKER, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX)  # before the marker says anything, so no one takes it for dead
            os.write(self.fd, json.dumps({"tool": "curriculum-gen", "pack": name, "pid": os.getpid()}).encode())
        except BaseException:
            self.remove()
            raise
        self.pack = self.folder / "pack"

    def remove(self) -> None:
        """Remove the folder whole: Ctrl-C or TERM arriving meanwhile takes effect once it is gone."""
        held = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the mask as it is, before anything changes
        try:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            shutil.rmtree(self.folder, ignore_errors=True)
            if self.fd >= 0:
                os.close(self.fd)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _remove_recorded(parent: Path, name: str, left: str) -> None:
    """Remove the work folder a dead build of ``name`` recorded in the lock file, if it is still there.

    The folder must hold nothing but what a build puts there (the marker, ``pack/`` and
    ``old/``), so a build killed before its marker was written, or while removing its
    folder, leaves nothing behind for good.
    """
    if not left.startswith(f".{name}.tmp-") or "/" in left or os.sep in left:
        return
    folder = parent / left
    try:
        if folder.is_symlink() or not folder.is_dir() or not set(os.listdir(folder)) <= {MARKER, "pack", "old"}:
            return
    except OSError:
        return
    shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(parent: Path, name: str) -> None:
    """Delete temporary folders that stopped builds of pack ``name`` left in ``parent``.

    A folder is removed only if it holds this tool's marker naming this pack, and only if
    no live build holds that marker's lock; a look-alike name is never enough.
    """
    prefix = f".{name}.tmp-"
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for entry in entries:
        try:
            fd = os.open(os.path.join(entry.path, MARKER), os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue  # no marker: not a folder this tool made
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            marker = json.loads(os.pread(fd, 4096, 0) or b"null")
            if isinstance(marker, dict) and marker.get("tool") == "curriculum-gen" and marker.get("pack") == name:
                shutil.rmtree(entry.path, ignore_errors=True)
        except (OSError, ValueError):
            pass  # a live build holds it, or it is not ours
        finally:
            os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code))


def write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write files into a folder, each beside its target then renamed into place.

    A reader never sees half a file, and other files in the folder are left alone. A file
    that is a symbolic link is written through, as a shell's ``>`` would: the file it points
    to is replaced (beside it, then renamed, so still whole or not at all) and the link
    stays. Where a file would replace a folder, a device or a pipe, nothing is written.

    Returns:
        The files written (for a link, the file it points to).

    Raises:
        OutputError: located at the folder or file at fault.
    """
    check_output_path(out)
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(display_path(out), 1, 1, "", "exists and is not a folder (choose another folder)"))
    targets = {name: _through_links(out / name) for name in sorted(files)}  # every refusal before any write
    written: list[Path] = []
    where = out
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, target in targets.items():
            where = target
            handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(files[name])
                os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            written.append(target)
    except OSError as exc:
        raise OutputError(Problem(display_path(where), 1, 1, "", f"cannot write here ({exc.strerror})")) from None
    return written


def _through_links(path: Path) -> Path:
    """The file to replace for ``path``: itself, or the file a symbolic link there points to.

    Raises:
        OutputError: a loop of links, or something there that is not a regular file.
    """
    try:
        target = path.resolve(strict=False)
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links, before Python 3.13
        why = exc.strerror if isinstance(exc, OSError) else "Too many levels of symbolic links"
        raise OutputError(Problem(display_path(path), 1, 1, "", f"cannot write here ({why})")) from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(Problem(display_path(path), 1, 1, "", "is a folder (expected a file name)"))
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            Problem(display_path(path), 1, 1, "", "exists and is not a regular file (choose another name)")
        )
    return target


def write_text_file(path: Path, text: str) -> None:
    """One text file, written whole or not at all; through a symbolic link, the file it points to.

    Raises:
        OutputError: the file cannot be written (see :func:`write_files`).
    """
    check_output_path(path)
    write_files(path.parent, {path.name: text.encode()})


def check_output_path(path: Path) -> None:
    """Refuse, located at ``path:1:1``, a path the system will not let us write to.

    A name too long, a folder that cannot be searched, a file where a folder should be: the
    nearest part of ``path`` that exists must be a folder we may search (and write in, if
    something must be made inside it) or ``path`` itself.

    Raises:
        OutputError: why, as the system says it.
    """
    here, need = path, os.X_OK
    while True:
        try:
            info = os.stat(here)
            break
        except FileNotFoundError:
            if here.parent == here:
                return
            here, need = here.parent, os.W_OK | os.X_OK
        except OSError as exc:  # ENAMETOOLONG, EACCES, ENOTDIR, ELOOP
            raise OutputError(Problem(display_path(path), 1, 1, "", f"cannot write here ({exc.strerror})")) from None
    if stat.S_ISDIR(info.st_mode) and not os.access(here, need):
        raise OutputError(Problem(display_path(path), 1, 1, "", f"cannot write here ({os.strerror(errno.EACCES)})"))
