"""Speed and memory of curriculum-gen, measured against pandoc in one run.

Run with `make bench` (or `.venv/bin/python benchmarks/bench.py`). Needs pandoc
(Debian: `apt-get install pandoc`). Not part of the test suite: it prints figures.

Measured, alternating the commands round by round so machine load hits all alike:
  - `curriculum-gen --help` and `--version` (start-up);
  - `curriculum-gen build` of the default pack in md+html+docx;
  - pandoc converting that pack's Markdown files to DOCX and to HTML, one process per
    file and format (what a user writing Markdown by hand would run);
  - `curriculum-gen batch` of generated profiles with --jobs 1 and --jobs 2;
  - packs of 1, 4, 8 and 16 sessions, to show cost per session stays flat.
Wall time is the median of the rounds; peak memory is the largest resident set of
any one process (from wait4), so pandoc's figure is per process, not summed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOOL = str(Path(sys.executable).with_name("curriculum-gen"))
SKILLS = ["self_efficacy", "outcome_expectancy", "social_supports", "work_history", "job_maintenance"]


def run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident megabytes of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def pandoc_pack(pack: Path, target: Path, cwd: Path) -> tuple[float, float]:
    """Every Markdown file of a pack to DOCX and to standalone HTML, one pandoc process each."""
    started = time.perf_counter()
    peak = 0.0
    target.mkdir(exist_ok=True)
    for md in sorted(pack.rglob("*.md")):
        stem = target / md.relative_to(pack).as_posix().replace("/", "__")[:-3]
        for args in (["-o", f"{stem}.docx"], ["-s", "--metadata", f"title={md.stem}", "-o", f"{stem}.html"]):
            _, megabytes = run(["pandoc", str(md), *args], cwd)
            peak = max(peak, megabytes)
    return time.perf_counter() - started, peak


def line(label: str, seconds: float, megabytes: float, extra: str = "") -> None:
    print(f"  {label:<44} {seconds * 1000:8.0f} ms {megabytes:7.1f} MB  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the alternating measurements")
    parser.add_argument("--profiles", type=int, default=200, help="profiles for the batch measurement")
    options = parser.parse_args()
    if shutil.which("pandoc") is None:
        raise SystemExit("pandoc is not installed: on Debian or Ubuntu, run `apt-get install pandoc`")
    work = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    try:
        print(f"curriculum-gen benchmark: {os.cpu_count()} cores, {options.rounds} rounds, median wall time\n")
        times: dict[str, list[float]] = {}
        peaks: dict[str, float] = {}

        def record(name: str, measured: tuple[float, float]) -> None:
            times.setdefault(name, []).append(measured[0])
            peaks[name] = max(peaks.get(name, 0.0), measured[1])

        run([TOOL, "build", "--out", str(work / "warm")], work)  # fill the OS file cache first
        for round_number in range(options.rounds):
            record("help", run([TOOL, "--help"], work))
            record("version", run([TOOL, "--version"], work))
            pack = work / f"pack-{round_number}"
            record("build", run([TOOL, "build", "--format", "md,html,docx", "--out", str(pack)], work))
            record("pandoc", pandoc_pack(pack, work / f"pandoc-{round_number}", work))
        median = {name: statistics.median(values) for name, values in times.items()}
        documents = len(list((work / "pack-0").rglob("*.md")))
        print(f"Start-up and the default pack ({documents} documents, each as md, html and docx):")
        line("curriculum-gen --help", median["help"], peaks["help"], "target <= 150 ms")
        line("curriculum-gen --version", median["version"], peaks["version"], "target <= 150 ms")
        line("curriculum-gen build (md+html+docx)", median["build"], peaks["build"], "target <= 120 MB")
        line(f"pandoc, {2 * documents} processes (docx+html)", median["pandoc"], peaks["pandoc"], "per process")
        ratio = median["build"] / median["pandoc"]
        print(f"  ratio ours/pandoc: {ratio:.2f} (target <= 0.33)\n")

        print("Scaling (job-search, 90-minute sessions), median of the rounds:")
        medians = {}
        for sessions in (1, 4, 8, 16):
            spent = [run([TOOL, "build", "--program", "job-search", "--sessions", str(sessions), "--minutes", "90",
                          "--out", str(work / f"s{sessions}-{r}")], work)[0] for r in range(options.rounds)]
            seconds = medians[sessions] = statistics.median(spent)
            print(f"  {sessions:>2} sessions: {seconds * 1000:7.0f} ms, {seconds * 1000 / sessions:6.0f} ms per session")
        steps = [(medians[b] - medians[a]) / (b - a) * 1000 for a, b in ((1, 4), (4, 8), (8, 16))]
        print("  each extra session costs " + ", ".join(f"{step:.0f}" for step in steps)
              + " ms (1->4, 4->8, 8->16): flat means linear growth\n")

        profiles = work / "profiles"
        profiles.mkdir()
        chance = random.Random(2014)
        for i in range(options.profiles):
            size = chance.randint(6, 40)
            counts = "".join(f"  {skill}: {chance.randint(0, size)}\n" for skill in SKILLS)
            (profiles / f"group-{i:03d}.yaml").write_text(f"group: Group {i}\nassessed: {size}\nneeds_help:\n{counts}")
        print(f"Batch of {options.profiles} profiles (md+html+docx):")
        batch = {}
        for jobs in (1, 2):
            seconds, megabytes = run([TOOL, "batch", str(profiles), "--out", str(work / f"batch-{jobs}"),
                                      "--jobs", str(jobs)], work)
            batch[jobs] = seconds
            line(f"batch --jobs {jobs}", seconds, megabytes, f"{options.profiles / seconds:.2f} packs per second")
        print(f"  speed-up with 2 jobs: {batch[1] / batch[2]:.2f}x (target >= 1.7x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
