"""Many packs at once: one per profile in a folder, on every core."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from curriculum_gen.errors import CurriculumError, InputError, Problem, display_path, escape
from curriculum_gen.load.clients import looks_like_clients
from curriculum_gen.load.library import Library
from curriculum_gen.load.workspace import Workspace, find_workspace, load_libraries
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.pipeline import BuildOptions, build_pack, language_folder, slugify
from curriculum_gen.render.formats import RenderSettings

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

_LOADED: tuple[Workspace, dict[str, Library]] | None = None


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
        results = build_pack(options, _LOADED)
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
        log.debug("building %s failed", profile, exc_info=True)
        problem = Problem(
            display_path(profile),
            1,
            1,
            "",
            f"this pack was not built: an internal error ({type(exc).__name__}) in curriculum-gen, not necessarily "
            "in this profile; please report it",
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
        display_path(profile),
        ", ".join(display_path(result.out) for result in results),
        True,
        time.perf_counter() - started,
        sum(len(result.files) for result in results),
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


def plan_outputs(profiles: list[Path], out: Path, settings: RenderSettings | None = None) -> dict[Path, Path]:
    """Each profile's pack folder, ``out/<profile name>`` (and ``out/<profile name>-fr`` for a second language).

    Raises:
        InputError: two profiles would share a folder (``tuesday.yaml`` and ``Tuesday!.csv``, or with
            ``--lang en,fr`` ``tuesday.yaml`` in French and ``tuesday-fr.yaml`` in English); nothing is built then.
    """
    settings = settings or RenderSettings()
    folders: dict[str, list[Path]] = {}
    names: dict[str, str] = {}
    for profile in profiles:
        for code in settings.languages:
            folder = language_folder(out / slugify(profile.stem), settings, code).name
            folders.setdefault(folder.casefold(), []).append(profile)
            names.setdefault(folder.casefold(), folder)
    clashes = [
        Problem(
            display_path(same[0]),
            1,
            1,
            "",
            (
                f"{_names(same)} would all be built into {display_path(out / names[folder])}; "
                "rename all but one so each profile has its own pack"
            ),
        )
        for folder, same in folders.items()
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

    The library is loaded once, before the workers start (forked workers inherit it; where
    processes are spawned, each loads it again), and a bad profile only fails its own pack.

    Raises:
        CurriculumError: the folder or the library itself is unusable, or two profiles
            would share a pack folder.
    """
    global _LOADED
    profiles = find_profiles(folder)
    outputs = plan_outputs(profiles, out, template.render)
    workspace = find_workspace(template.start)
    _LOADED = (workspace, load_libraries(workspace, template.render.languages))
    tasks = [(p, replace(template, profile=p, out=outputs[p])) for p in profiles]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        yield from map(_build_one, tasks)
        return
    yield from _in_workers(tasks, workers)


def _in_workers(tasks: list[tuple[Path, BuildOptions]], workers: int) -> Iterator[Outcome]:
    """Build in worker processes, each outcome as it ends.

    A worker that dies (killed, out of memory) fails the packs it had not finished, by
    name, instead of leaving the batch waiting for ever; Ctrl-C stops every worker, and
    each removes its unfinished pack.
    """
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    futures = {executor.submit(_build_in_worker, task): task for task in tasks}
    try:
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield _lost(futures[future])
    except BaseException:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()  # each build in progress removes its temporary folder, then the worker ends
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _lost(task: tuple[Path, BuildOptions]) -> Outcome:
    """The outcome of a pack whose worker process died before it was built."""
    profile, options = task
    problem = Problem(
        display_path(profile),
        1,
        1,
        "",
        "a worker process stopped before this pack was confirmed; run the batch again for it "
        "(a pack is never left half-written)",
    )
    return Outcome(display_path(profile), display_path(options.out or profile), False, 0.0, 0, (str(problem),))


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
            shown = f"{escape(outcome.profile)} -> {escape(outcome.out)}"
            echo(f"[{len(done)}/{total}] {state} {shown} ({outcome.seconds:.2f} s)")
    return done
