"""HTML that prints: headless Chromium prints the pages on US Letter and on A4, and the PDFs
show what a reader holding the paper would notice (sessions on new pages, full-size text inside
the margins, page numbers, table headers repeated)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_html_a11y import browser_tools_missing, html_files, run_node

PAPER_PT = {"Letter": (612.0, 792.0), "A4": (595.28, 841.89)}

_missing = browser_tools_missing() or (
    None if shutil.which("pdftotext") and shutil.which("pdfinfo") else "poppler-utils (pdftotext) is not installed"
)
pytestmark = [
    pytest.mark.skipif(_missing is not None, reason=str(_missing)),
    pytest.mark.parametrize("paper", list(PAPER_PT)),
]


def page_texts(pdf: Path) -> list[list[str]]:
    """Each page's non-blank lines, as pdftotext lays them out."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def page_boxes(pdf: Path) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Each page's width and its words as (left, right, word), in points."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', xhtml, re.DOTALL):
        words = [
            (float(a), float(b), html.unescape(w))
            for a, b, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page.group(2)
            )
        ]
        pages.append((float(page.group(1)), words))
    return pages


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found.group(1)), float(found.group(2))


def print_pages(pages: list[Path], paper: str, out: Path) -> list[dict]:
    """Print to PDF and check what holds for every document on this paper; returns the report."""
    report = run_node("print-pdf.mjs", "--format", paper, "--out", out, *pages)
    assert [Path(r["file"]) for r in report] == pages
    for entry in report:
        name, pdf = Path(entry["file"]).name, Path(entry["pdf"])
        # No page size fixed by the stylesheet: the reader's paper is the paper used.
        assert page_size(pdf) == pytest.approx(PAPER_PT[paper], abs=1), name
        # Nothing wider than the printable width (the browser would shrink the whole page to fit).
        assert entry["overflowing"] == [] and entry["scrollWidth"] <= entry["printableWidth"], (name, entry)
        left, right = entry["margins"]["left"] * 0.75, entry["margins"]["right"] * 0.75  # CSS px -> pt
        assert left >= 36 and right >= 36, f"{name}: margins under half an inch are cut by many printers"
        boxes = page_boxes(pdf)
        texts = page_texts(pdf)
        assert len(boxes) == len(texts) >= 1
        # Printed at full size: text starts at the left margin and stays inside the right one.
        starts = [x0 for _, words in boxes for x0, _, _ in words]
        assert min(starts) == pytest.approx(left, abs=1), f"{name}: text starts at {min(starts):.1f} pt, not {left}"
        for number, (width, words) in enumerate(boxes, 1):
            outside = [w for _, x1, w in words if x1 > width - right + 1]
            assert not outside, f"{name} page {number}: {outside[:5]} run into the right margin"
        for number, lines in enumerate(texts, 1):
            assert lines[-1] == f"Page {number} of {len(texts)}", (name, number, lines[-1])
    return report


def build(cli, tmp_path: Path, *args: str, out: str = "pack") -> Path:
    result = cli("build", "--format", "html", "--out", out, *args)
    assert result.code == 0, result.stderr
    return tmp_path / out


def test_facilitator_guide_prints_each_session_on_a_new_page(cli, tmp_path: Path, paper: str) -> None:
    guide = build(cli, tmp_path) / "facilitator-guide.html"
    [entry] = print_pages([guide], paper, tmp_path / "pdf")
    pages = page_texts(Path(entry["pdf"]))
    assert len(pages) > 1
    source = guide.read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<h1>(.*?)</h1>", source).group(1))
    assert pages[0][0] == title, "something prints above the guide's title"
    h2 = [html.unescape(t) for t in re.findall(r"<h2(?: id=\"[^\"]*\")?>(.*?)</h2>", source)]
    assert h2[:2] == ["Contents", "This group"] and "Session 1 of 8" in h2
    assert h2[-2:] == ["Materials checklist", "Evaluation"]
    # The cover and its contents share the first page; every section after them (the group, each session,
    # the checklist, evaluation) starts a page, in order.
    first_lines = [lines[0] for lines in pages]
    starts = [first_lines.index(heading) if heading in first_lines else None for heading in h2[1:]]
    assert None not in starts, [h for h, s in zip(h2[1:], starts) if s is None]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for number, lines in enumerate(pages[1:], 2):  # the first page lists them all: its contents
        inside = [line for line in lines[1:] if line in h2[1:]]
        assert not inside, f"page {number}: {inside} printed below the top of the page"
    assert [line for line in pages[0] if line in h2[1:]] == h2[1:], "the contents list every part, in order"
    # A checklist table running onto another page repeats its header row there.
    checklist_pages = 0
    for number, lines in enumerate(pages, 1):
        rows = [i for i, line in enumerate(lines) if line.startswith("☐")]
        if rows:
            checklist_pages += 1
            assert any(line.startswith("Done ") for line in lines[: rows[0]]), f"page {number}: rows without header"
    assert checklist_pages > 1, "the materials checklist (rows starting with ☐) should run over more than one page"


def test_participant_pages_print_at_full_size_in_normal_and_large_print(cli, tmp_path: Path, paper: str) -> None:
    normal = build(cli, tmp_path)
    handouts = [normal / "ground-rules.html", *html_files(normal / "handouts")]
    large = build(cli, tmp_path, "--large-print", out="large")
    large_print = [large / "ground-rules.html", *html_files(large / "handouts")]
    assert len(handouts) > 2
    report = print_pages(handouts + large_print, paper, tmp_path / "pdf")
    for entry in report:
        source = Path(entry["file"]).read_text(encoding="utf-8")
        title = html.unescape(re.search(r"<h1>(.*?)</h1>", source).group(1))
        assert page_texts(Path(entry["pdf"]))[0][0] == title, entry["file"]
    # Large print (18 pt) takes more paper than the same documents at 14 pt.
    sheets = [len(page_texts(Path(e["pdf"]))) for e in report]
    assert sum(sheets[len(handouts) :]) > sum(sheets[: len(handouts)])
