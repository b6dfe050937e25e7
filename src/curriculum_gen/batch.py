"""Many packs at once: one per profile in a folder, on every core."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from curriculum_gen.errors import CurriculumError, InputError, Problem
from curriculum_gen.loaders import display_path
from curriculum_gen.pipeline import BuildOptions, build_pack, slugify
from curriculum_gen.workspace import Library, Workspace, find_workspace, load_library

PROFILE_SUFFIXES = (".yaml", ".yml", ".csv")


@dataclass(frozen=True)
class Outcome:
    """How one profile's pack went; ``problems`` are located one-line messages."""

    profile: str
    out: str
    ok: bool
    seconds: float
    files: int
    problems: tuple[str, ...] = ()


_LOADED: tuple[Workspace, Library] | None = None


def find_profiles(folder: Path) -> list[Path]:
    """The profile files of a folder, in name order.

    Raises:
        InputError: not a folder, or no profiles in it.
    """
    if not folder.is_dir():
        raise InputError(Problem(display_path(folder), message="is not a folder of profiles"))
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
    if not found:
        raise InputError(Problem(display_path(folder), message="holds no profiles (*.yaml or *.csv)"))
    return found


def _build_one(task: tuple[Path, BuildOptions]) -> Outcome:
    profile, options = task
    started = time.perf_counter()
    try:
        result = build_pack(options, _LOADED)
    except CurriculumError as exc:
        return Outcome(display_path(profile), display_path(options.out or profile), False,
                       time.perf_counter() - started, 0, tuple(exc.lines()))
    return Outcome(display_path(profile), display_path(result.out), True, time.perf_counter() - started,
                   len(result.files))


def run_batch(folder: Path, out: Path, template: BuildOptions, jobs: int | None = None) -> Iterator[Outcome]:
    """Build one pack per profile in ``folder`` into ``out/<profile-name>/``, yielding each outcome as it ends.

    The library is loaded once, before the workers start (they inherit it), and a bad
    profile only fails its own pack.

    Raises:
        CurriculumError: the folder or the library itself is unusable.
    """
    global _LOADED
    profiles = find_profiles(folder)
    workspace = find_workspace(template.start)
    _LOADED = (workspace, load_library(workspace))
    tasks = [(p, replace(template, profile=p, out=out / slugify(p.stem))) for p in profiles]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        yield from map(_build_one, tasks)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap_unordered(_build_one, tasks)


def report(outcomes: Iterator[Outcome], total: int, on_terminal: bool,
           echo: Callable[[str], None]) -> list[Outcome]:
    """Show progress: a bar on a terminal, plain lines otherwise."""
    done: list[Outcome] = []
    if on_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("Building packs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      transient=True) as progress:
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
