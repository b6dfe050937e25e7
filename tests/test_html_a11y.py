"""Accessible HTML: axe-core in headless Chromium finds nothing on any page we write.

The browser side lives in tests/a11y/ (axe-core and playwright-core pinned in its package.json,
installed with `npm ci --prefix tests/a11y`, which `make test` runs); it drives Debian's
/usr/bin/chromium. Where node, those packages or Chromium are missing the browser tests skip.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import AGENCY, DATA, png, write_tree

A11Y = Path(__file__).resolve().parent / "a11y"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def browser_tools_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "node is not installed (make test installs Debian's nodejs and npm when run as root)"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    if not re.fullmatch(r"v(\d+)\..*", version) or int(version[1:].split(".")[0]) < 20:
        return f"node {version or '(unknown version)'} is too old: playwright-core needs node 20 or newer"
    missing = [p for p in ("axe-core", "playwright-core") if not (A11Y / "node_modules" / p / "package.json").is_file()]
    if missing:
        return f"{' and '.join(missing)} not installed: run 'npm ci --prefix tests/a11y' (make test does)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (make test installs Debian's chromium when run as root)"
    return None


_missing = browser_tools_missing()
needs_browser = pytest.mark.skipif(_missing is not None, reason=str(_missing))


def run_node(script: str, *args: str | os.PathLike[str]) -> list[dict]:
    """Run one of the tests/a11y scripts and return the JSON list it prints."""
    done = subprocess.run(
        ["node", str(A11Y / script), *[str(a) for a in args]],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "CHROMIUM_PATH": CHROMIUM},
    )
    if done.returncode != 0:
        pytest.fail(f"{script} failed with exit status {done.returncode}:\n{done.stderr}")
    report: list[dict] = json.loads(done.stdout)
    return report


def describe_violations(report: list[dict], root: Path) -> list[str]:
    """One line per failing element: file, rule id, impact, target selector and what the rule asks."""
    lines = []
    for page in report:
        name = Path(page["file"]).relative_to(root).as_posix()
        for rule in page["violations"]:
            for node in rule["nodes"]:
                target = " ".join(" >>> ".join(t) if isinstance(t, list) else t for t in node["target"])
                lines.append(f"{name}: {rule['id']} ({rule['impact']}) at {target}: {rule['help']}")
    return lines


def describe_reflow(report: list[dict], root: Path) -> list[str]:
    """One line per page that needs sideways scrolling at 320 px wide (WCAG 1.4.10), naming the culprits."""
    lines = []
    for page in report:
        elements = page["reflow"]["elements"]
        if page["reflow"]["scrollWidth"] > 320 or elements:
            shown = "; ".join(f"<{e['element']}> {e['text']!r} is {e['width']} px wide" for e in elements[:3])
            lines.append(
                f"{Path(page['file']).relative_to(root).as_posix()}: reflow: {page['reflow']['scrollWidth']} px "
                f"wide at 320 px ({len(elements)} element(s): {shown})"
            )
    return lines


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def write_agency(folder: Path) -> Path:
    (folder / "logo.png").write_bytes(png(120, 40))
    return write_tree(folder, {"agency.yaml": AGENCY}) / "agency.yaml"


# Every way the tool writes HTML: the default pack, a branded pack, large print, one handout on
# its own (without an agency its resources table has blank rows) and the funders' report.
WAYS = {
    "default-pack": (
        ["build", "--out", "out"],
        ["facilitator-guide.html", "ground-rules.html", "handouts/workplace-behaviour.html"],
    ),
    "agency-pack": (
        ["build", "--agency", "agency.yaml", "--format", "html", "--out", "out"],
        ["facilitator-guide.html", "handouts/community-resources.html"],
    ),
    "large-print-pack": (["build", "--large-print", "--format", "html", "--out", "out"], ["ground-rules.html"]),
    "handout-command": (
        ["handout", "community-resources", "--format", "html", "--out", "out"],
        ["community-resources.html"],
    ),
    "evaluation-report": (
        [
            "profile",
            "compare",
            str(DATA / "profiles" / "tuesday-job-club.yaml"),
            str(DATA / "profiles" / "young-adults-like.yaml"),
            "--report",
            "out",
        ],
        ["evaluation-report.html"],
    ),
}


def write_html(cli, tmp_path: Path, way: str) -> list[Path]:
    args, expected = WAYS[way]
    write_agency(tmp_path)
    result = cli(*args)
    assert result.code == 0, result.stderr
    pages = html_files(tmp_path / "out")
    assert {p.relative_to(tmp_path / "out").as_posix() for p in pages} >= set(expected)
    return pages


@needs_browser
@pytest.mark.parametrize("way", WAYS)
def test_axe_finds_no_violations(cli, tmp_path: Path, way: str) -> None:
    pages = write_html(cli, tmp_path, way)
    report = run_node("axe-check.mjs", *pages)
    assert [Path(p["file"]) for p in report] == pages
    assert all(p["passes"] > 10 for p in report), "axe ran almost no rules: was axe.min.js injected?"
    problems = describe_violations(report, tmp_path / "out")
    assert not problems, f"axe-core found {len(problems)} violation(s):\n" + "\n".join(problems)
    sideways = describe_reflow(report, tmp_path / "out")
    assert not sideways, "text needs sideways scrolling on a narrow screen or at 400% zoom:\n" + "\n".join(sideways)


@needs_browser
def test_the_axe_check_reports_what_is_wrong_and_where(tmp_path: Path) -> None:
    """The check can fail: a page with known faults gives each rule, its impact and the element."""
    write_tree(
        tmp_path,
        {
            "bad.html": "<!DOCTYPE html><html><head><title>Bad</title></head><body>"
            '<p style="color:#aaa">Faint text</p><h1>Title</h1><h3>Skipped a level</h3>'
            '<img src="data:image/png;base64,iVBORw0KGgo=" id="logo">'
            "<p>Name: ____________________________________________________</p></body></html>"
        },
    )
    report = run_node("axe-check.mjs", tmp_path / "bad.html")
    lines = describe_violations(report, tmp_path)
    for expected in [
        "bad.html: html-has-lang (serious) at html:",
        "bad.html: image-alt (critical) at #logo:",
        "bad.html: heading-order (moderate) at h3:",
        "bad.html: color-contrast (serious) at p:",
        "bad.html: region (moderate) at h1:",
    ]:
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    [reflow] = describe_reflow(report, tmp_path)
    assert reflow.startswith("bad.html: reflow: ") and "<p> 'Name: ____" in reflow


def test_every_page_is_self_contained_with_language_and_headings_in_order(cli, tmp_path: Path) -> None:
    """No browser needed: what a page must hold to print and read anywhere, offline."""
    pages = write_html(cli, tmp_path, "agency-pack")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        name = page.name
        assert text.startswith('<!DOCTYPE html>\n<html lang="en-CA">'), name
        assert not re.search(r"<(link|script|iframe|object|embed)\b", text), name
        sources = re.findall(r'\s(?:src|href|srcset|poster)="([^"]*)"', text) + re.findall(r"url\(([^)]*)\)", text)
        assert sources and all(s.strip("'\"").startswith(("data:", "#")) for s in sources), (name, sources)
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", text)]
        assert levels[0] == 1 and levels.count(1) == 1, (name, levels)
        skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not skips, f"{name}: heading levels jump {skips}"
        title = html.unescape(re.search(r"<title>(.*?)</title>", text).group(1))
        assert title == html.unescape(re.search(r"<h1>(.*?)</h1>", text).group(1)), name
