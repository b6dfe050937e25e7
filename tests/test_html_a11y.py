"""Accessible HTML: axe-core in headless Chromium finds nothing on any page we write, and every
page reflows at 320 px wide (WCAG 1.4.10): no sideways scrolling but inside a wide table's own box.

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
from conftest import DATA, png, write_tree

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
    """One line per page that a reader must scroll sideways at 320 px wide (WCAG 1.4.10), naming the widest culprit.

    What is wider than the page inside its own scrolling box (a wide table) is allowed; the
    page as a whole, and every element outside such a box, must fit.
    """
    lines = []
    for page in report:
        reflow = page["reflow"]
        if reflow["scrollWidth"] > 320 or reflow["elements"]:
            widest = reflow["elements"][0] if reflow["elements"] else None
            culprit = f"widest {widest['element']} {widest['text']!r} at {widest['width']} px" if widest else "?"
            lines.append(
                f"{Path(page['file']).relative_to(root).as_posix()}: {reflow['scrollWidth']} px wide at 320 px, "
                f"{culprit} ({len(reflow['elements'])} element(s) stick out or spill)"
            )
    return lines


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


# An agency whose every detail is long: the header must wrap at 320 px, phone numbers whole.
LONG_AGENCY = """\
name: Sunshine Coast Community Employment and Career Development Hub Society
logo: logo.png
address: Suite 1200, 12345 Marine Drive Northwest, Gibsons-Roberts Creek BC V0N 1V0
phone: 604-555-0147 extension 12345 (toll-free 1-800-555-0199)
website: https://www.sunshinecoastemploymenthub.example.org/programs/workshops/soft-skills-for-work
resources:
  - name: Coast Community Services and Family Supports Association
    helps_with: food, housing and child care
    contact: intake.coordinator@coastcommunityservices.example.org, 604-555-0199 extension 204
"""


def write_agency(folder: Path) -> Path:
    (folder / "logo.png").write_bytes(png(600, 80))  # wider than a 320 px screen
    return write_tree(folder, {"agency.yaml": LONG_AGENCY}) / "agency.yaml"


# Every way the tool writes HTML: the default pack, a branded pack, large print, one handout on
# its own (without an agency its resources table has blank rows), the worksheets drawn as panels
# and as a ring map, and the funders' report.
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
    "panels-worksheet": (
        ["handout", "success-storyboard", "--format", "html", "--out", "out"],
        ["success-storyboard.html"],
    ),
    "ring-map-worksheet": (
        ["handout", "support-network-map", "--large-print", "--format", "html", "--out", "out"],
        ["support-network-map.html"],
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
def test_axe_finds_no_violations_and_every_page_reflows_at_320_px(cli, tmp_path: Path, way: str) -> None:
    pages = write_html(cli, tmp_path, way)
    report = run_node("axe-check.mjs", *pages)  # one browser for all the pages
    assert [Path(p["file"]) for p in report] == pages
    assert all(p["passes"] > 10 for p in report), "axe ran almost no rules: was axe.min.js injected?"
    problems = describe_violations(report, tmp_path / "out")
    assert not problems, f"axe-core found {len(problems)} violation(s):\n" + "\n".join(problems)
    sideways = describe_reflow(report, tmp_path / "out")
    assert not sideways, "pages need sideways scrolling on a narrow screen or at 400% zoom:\n" + "\n".join(sideways)
    if way in ("default-pack", "agency-pack"):  # what the check passed includes what is hard to fit
        assert any(p["reflow"]["scrolled"] for p in report), "no table was wider than 320 px: is each in its box?"
    if way == "agency-pack":
        assert all('<header class="agency">' in p.read_text(encoding="utf-8") for p in pages)


@needs_browser
def test_the_axe_check_reports_what_is_wrong_and_where(tmp_path: Path) -> None:
    """The check can fail: a page with known faults gives each rule, its impact and the element."""
    write_tree(
        tmp_path,
        {
            "bad.html": "<!DOCTYPE html><html><head><title>Bad</title></head><body>"
            '<p style="color:#aaa">Faint text</p><h1>Title</h1><h3>Skipped a level</h3>'
            '<img src="data:image/png;base64,iVBORw0KGgo=" id="logo">'
            "<p>Name: ____________________________________________________</p></body></html>",
            # A table wider than the page in its own scrolling box is allowed; the same table outside is not.
            "tables.html": '<!DOCTYPE html><html lang="en"><head><title>Tables</title></head><body><main><h1>T</h1>'
            '<div role="region" aria-label="Wide one" tabindex="0" style="overflow-x: auto">'
            '<table><tr><td style="white-space: nowrap">a row of text far, far too long for a narrow screen to show whole</td></tr></table>'
            "</div>"
            '<table id="loose"><tr><td style="white-space: nowrap">a row of text far, far too long for one either, in a table that is loose</td></tr></table>'
            "</main></body></html>",
        },
    )
    report = run_node("axe-check.mjs", tmp_path / "bad.html", tmp_path / "tables.html")
    lines = describe_violations(report, tmp_path)
    for expected in [
        "bad.html: html-has-lang (serious) at html:",
        "bad.html: image-alt (critical) at #logo:",
        "bad.html: heading-order (moderate) at h3:",
        "bad.html: color-contrast (serious) at p:",
        "bad.html: region (moderate) at h1:",
    ]:
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    bad, tables = describe_reflow(report, tmp_path)
    assert re.match(r"bad\.html: \d{3} px wide at 320 px, widest p:nth-of-type\(2\) 'Name: ____", bad), bad
    assert re.match(
        r"tables\.html: \d{3} px wide at 320 px, widest main > table#loose 'a row of text far, far too long for one",
        tables,
    ), tables
    assert [s["label"] for s in report[1]["reflow"]["scrolled"]] == ["Wide one"]
    assert not any("region" in e["element"] or "div" in e["element"] for e in report[1]["reflow"]["elements"])


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
        # each table in its own scrolling box, named for a screen reader and distinct on the page
        boxes = re.findall(r'<div class="table-wrap" role="region" aria-label="([^"]+)" tabindex="0"><table>', text)
        assert len(boxes) == text.count("<table>") and len(set(boxes)) == len(boxes), (name, boxes)
