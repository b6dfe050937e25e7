"""Many packs at once: one per profile in a folder, on every core."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from curriculum_gen.errors import CurriculumError, InputError, Problem, display_path
from curriculum_gen.load.clients import looks_like_clients
from curriculum_gen.load.library import Library
from curriculum_gen.load.workspace import Workspace, find_workspace, load_library
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.pipeline import BuildOptions, build_pack, slugify

PROFILE_SUFFIXES = (".yaml", ".yml", ".csv", ".tsv")
"""Profiles by name; a ``.txt`` file (Excel's tab-separated text) counts when it holds a client list."""


@dataclass(frozen=True)
class Outcome:
    """How one profile's pack went; ``problems`` are located one-line messages."""

    profile: str
    out: str
    ok: bool
    seconds: float
    files: int
    problems: tuple[str, ...] = ()


log = logging.getLogger(__name__)

_LOADED: tuple[Workspace, Library] | None = None


def find_profiles(folder: Path) -> list[Path]:
    """The profile files of a folder, in name order.

    Raises:
        InputError: not a folder, or no profiles in it.
    """
    if not folder.is_dir():
        raise InputError(Problem(display_path(folder), message="is not a folder of profiles"))
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and (p.suffix.lower() in PROFILE_SUFFIXES or p.suffix.lower() == ".txt" and _holds_clients(p))
    )
    if not found:
        raise InputError(
            Problem(display_path(folder), message="holds no profiles (*.yaml, *.csv, *.tsv, or *.txt client lists)")
        )
    return found


def _holds_clients(path: Path) -> bool:
    """Whether a text file is a client list (its first row names ERS factors); notes and unreadable files are not."""
    try:
        return looks_like_clients(read_text(path, display_path(path)))
    except CurriculumError:
        return False


def _build_one(task: tuple[Path, BuildOptions]) -> Outcome:
    profile, options = task
    started = time.perf_counter()
    try:
        result = build_pack(options, _LOADED)
    except CurriculumError as exc:
        return Outcome(
            display_path(profile),
            display_path(options.out or profile),
            False,
            time.perf_counter() - started,
            0,
            tuple(exc.lines()),
        )
    except Exception as exc:  # a bug must not take the other packs down with it
        log.exception("building %s failed", profile)
        problem = Problem(
            display_path(profile),
            1,
            1,
            "",
            f"internal error ({type(exc).__name__}); this pack was not "
            "built, please report it with the profile's shape",
        )
        return Outcome(
            display_path(profile),
            display_path(options.out or profile),
            False,
            time.perf_counter() - started,
            0,
            (str(problem),),
        )
    return Outcome(
        display_path(profile), display_path(result.out), True, time.perf_counter() - started, len(result.files)
    )


def _stop_worker(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds the build (its temporary folder is removed) and exits quietly


def _build_in_worker(task: tuple[Path, BuildOptions]) -> Outcome:
    """:func:`_build_one` in a pool worker: a terminate during a build cleans up; between builds it just ends."""
    signal.signal(signal.SIGTERM, _stop_worker)
    try:
        return _build_one(task)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _start_worker() -> None:
    """Workers leave Ctrl-C to the parent (which stops them) and do not inherit its SIGTERM handler."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def plan_outputs(profiles: list[Path], out: Path) -> dict[Path, Path]:
    """Each profile's pack folder, ``out/<profile name>``.

    Raises:
        InputError: two profiles would share a folder (``tuesday.yaml`` and ``Tuesday!.csv``);
            nothing is built then.
    """
    folders: dict[str, list[Path]] = {}
    for profile in profiles:
        folders.setdefault(slugify(profile.stem).casefold(), []).append(profile)
    clashes = [
        Problem(
            display_path(same[0]),
            1,
            1,
            "",
            (
                f"{_names(same)} would all be built into {display_path(out / slugify(same[0].stem))}; "
                "rename all but one so each profile has its own pack"
            ),
        )
        for same in folders.values()
        if len(same) > 1
    ]
    if clashes:
        raise InputError(clashes)
    return {p: out / slugify(p.stem) for p in profiles}


def _names(paths: list[Path]) -> str:
    names = [p.name for p in paths]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def run_batch(folder: Path, out: Path, template: BuildOptions, jobs: int | None = None) -> Iterator[Outcome]:
    """Build one pack per profile in ``folder`` into ``out/<profile-name>/``, yielding each outcome as it ends.

    The library is loaded once, before the workers start (they inherit it), and a bad
    profile only fails its own pack.

    Raises:
        CurriculumError: the folder or the library itself is unusable, or two profiles
            would share a pack folder.
    """
    global _LOADED
    profiles = find_profiles(folder)
    outputs = plan_outputs(profiles, out)
    workspace = find_workspace(template.start)
    _LOADED = (workspace, load_library(workspace))
    tasks = [(p, replace(template, profile=p, out=outputs[p])) for p in profiles]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        yield from map(_build_one, tasks)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pool = context.Pool(workers, initializer=_start_worker)
    try:
        yield from pool.imap_unordered(_build_in_worker, tasks)
    except BaseException:
        pool.terminate()  # Ctrl-C or an error here: stop the builds (each removes its temporary folder)
        pool.join()
        raise
    pool.close()  # every pack is done: let the workers finish on their own
    pool.join()


def report(outcomes: Iterator[Outcome], total: int, on_terminal: bool, echo: Callable[[str], None]) -> list[Outcome]:
    """Show progress: a bar on a terminal, plain lines otherwise."""
    done: list[Outcome] = []
    if on_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("Building packs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
        ) as progress:
            bar = progress.add_task("packs", total=total)
            for outcome in outcomes:
                done.append(outcome)
                progress.advance(bar)
    else:
        for outcome in outcomes:
            done.append(outcome)
            state = "built" if outcome.ok else "FAILED"
            echo(f"[{len(done)}/{total}] {state} {outcome.profile} -> {outcome.out} ({outcome.seconds:.2f} s)")
    return done
