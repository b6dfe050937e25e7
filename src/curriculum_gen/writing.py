"""Putting packs and files on disk: whole or not at all, and never over someone's work."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from curriculum_gen.errors import OutputError, Problem
from curriculum_gen.loaders import display_path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_target(out: Path, *, force: bool = False) -> None:
    """Refuse to replace anything but an earlier pack of ours, and never lose a file in it."""
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(display_path(out), message="exists and is not a folder (choose another --out)"))
    if not out.is_dir() or not any(out.iterdir()):
        return
    manifest = out / "manifest.json"
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))
        ours = listed.get("tool") == "curriculum-gen" and isinstance(listed.get("outputs"), dict)
    except (OSError, ValueError, AttributeError):
        ours = False
    if not ours:
        raise OutputError(Problem(display_path(out), message="folder is not empty and holds no curriculum-gen pack "
                                                             "(no manifest.json of ours); choose another --out"))
    known = set(listed["outputs"]) | {"manifest.json"}
    edited = sorted(name for name, digest in listed["outputs"].items()
                    if (out / name).is_file() and sha256((out / name).read_bytes()) != digest)
    if edited and not force:
        shown = ", ".join(edited[:5]) + (f" and {len(edited) - 5} more" if len(edited) > 5 else "")
        raise OutputError(Problem(display_path(out), message=f"files were edited since this pack was built ({shown}); "
                                                             "save your changes elsewhere, or use --force to replace them"))
    extra = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.is_file() and p.relative_to(out).as_posix() not in known)
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise OutputError(Problem(display_path(out), message=f"the pack folder holds files the pack did not make "
                                                             f"({shown}); move them out or choose another --out"))


def write_pack(out: Path, files: dict[str, bytes]) -> None:
    """Write every file into a temporary folder beside ``out``, then swap it into place.

    On Linux the swap is one atomic exchange, so a build stopped at any moment (even by
    SIGKILL) leaves the previous pack or the new one, never a mix or nothing; folders left
    by a stopped build are removed by the next one.
    """
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(parent, out.name)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    except OSError as exc:
        raise OutputError(Problem(display_path(parent), message=f"cannot create the pack folder ({exc.strerror})")) from None
    try:
        for name, data in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        tmp.chmod(0o755)
        if out.exists():
            if not _exchange(tmp, out):  # no atomic exchange here: two renames, restored on failure
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
                out.rename(old / "pack")
                try:
                    tmp.rename(out)
                except BaseException:
                    (old / "pack").rename(out)
                    raise
                shutil.rmtree(old, ignore_errors=True)
                return
        else:
            tmp.rename(out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(Problem(display_path(out), message=f"cannot write the pack ({exc.strerror})")) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)  # after an exchange it holds the previous pack


def remove_leftovers(parent: Path, name: str) -> None:
    """Delete temporary folders that a stopped build of ``name`` left behind."""
    for prefix in (f".{name}.tmp-", f".{name}.old-"):
        for folder in parent.glob(prefix + "*"):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


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

    A reader never sees half a file, and other files in the folder are left alone.

    Raises:
        OutputError: the folder cannot be made or written.
    """
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(display_path(out), message="exists and is not a folder (choose another folder)"))
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(files.items()):
            target = out / name
            handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            written.append(target)
    except OSError as exc:
        raise OutputError(Problem(display_path(out), message=f"cannot write here ({exc.strerror})")) from None
    return written


def write_text_file(path: Path, text: str) -> None:
    """One text file, written whole or not at all.

    Raises:
        OutputError: the file cannot be written.
    """
    if path.is_dir():
        raise OutputError(Problem(display_path(path), message="is a folder (expected a file name)"))
    write_files(path.resolve().parent, {path.name: text.encode()})
