"""No wasted pages: every Word file of three packs, printed through LibreOffice, read page by page.

Three packs, each converted to PDF in one LibreOffice run (a run per file would take minutes):
the default pack on Letter, the default pack in large print on A4, and a job-search pack with an
agency file and its logo. Each pack also prints the worksheets drawn as panels and rings
(``success-storyboard``, ``support-network-map``), which a default plan may not pick. On every
page but a document's last there must be about six lines of text or more (a page holding one
stray bullet is a sheet wasted twelve times over), three on a last page, and no page may end with a worksheet prompt
(or the heading above it) whose space to write went on to the next page.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import AGENCY, png, write_tree

from curriculum_gen.render.docx_contents import live_page_numbers
from curriculum_gen.render.markup import parse

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs LibreOffice and poppler-utils (make test installs them)",
)

LEAST_LINES = 6
"""A page other than a document's last holds at least this many lines of text."""
LEAST_ON_LAST = 3
"""The last page of a document of several holds at least this many: not a closing line alone."""
DRAWN_SHEETS = ("success-storyboard", "support-network-map")
"""Worksheets with panels and rings, printed with every pack whether its plan picks them or not."""
PACKS = {
    "default": [],
    "large-print-a4": ["--large-print", "--paper", "a4"],
    "agency": ["--program", "job-search", "--agency", "agency.yaml", "--paper", "a4"],
}
"""Letter at 14 pt, A4 at 18 pt, and A4 at 14 pt with a logo in every header."""
ONE_PAGE = {"default": ["ground-rules"], "large-print-a4": [], "agency": ["ground-rules"]}
"""What prints on one page, to post on the wall: the ground rules at 14 pt, on Letter and on A4."""


@dataclass(frozen=True)
class Line:
    """One line of text on a printed page: its top and bottom in points, and its words."""

    top: float
    bottom: float
    text: str


def squash(text: str) -> str:
    """Text without any white space, so a line broken anywhere still matches."""
    return "".join(text.split())


def pdf_lines(pdf: Path) -> list[tuple[float, list[Line]]]:
    """Each page's height and its lines of text, top to bottom (cells of one table row are one line)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', xhtml, re.DOTALL):
        found = []
        for top, bottom, inner in re.findall(
            r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', page.group(2), re.DOTALL
        ):
            words = " ".join(html.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", inner))
            if words.strip():
                found.append(Line(float(top), float(bottom), words))
        found.sort(key=lambda line: line.top)
        merged: list[Line] = []
        for line in found:  # lines side by side (the cells of a table row) are one line: their middles meet
            if merged and abs(line.top - merged[-1].top) < (line.bottom - line.top) / 2:
                last = merged[-1]
                merged[-1] = Line(last.top, max(last.bottom, line.bottom), f"{last.text} {line.text}")
            else:
                merged.append(line)
        pages.append((float(page.group(1)), merged))
    return pages


def header_and_footer(docx: Path) -> tuple[str, str]:
    """The text of a Word file's header and of its footer (digits dropped: page numbers change)."""
    with zipfile.ZipFile(docx) as package:

        def text(part: str) -> str:
            return "".join(
                html.unescape(t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", package.read(part).decode())
            )

        return squash(text("word/header1.xml")), re.sub(r"\d", "", squash(text("word/footer1.xml")))


def body_lines(lines: list[Line], header: str, footer: str) -> list[Line]:
    """A page's lines without its header (the first lines, which spell the header) and footer (the last)."""
    lines = list(lines)
    seen = ""
    while lines and squash(lines[0].text) and header.startswith(seen + squash(lines[0].text)):
        seen += squash(lines.pop(0).text)
        if seen == header:
            break
    while lines and (footless := re.sub(r"\d", "", squash(lines[-1].text))) and footless in footer:
        lines.pop()
    return lines


def prompts(markdown: str) -> list[str]:
    """What asks to be answered on paper: the text just before a space to write (lines, blank rows, panels,
    a ring map), and the heading above that text or that space."""
    _, root = parse(markdown)
    found: list[str] = []

    def space_to_write(element: Any) -> bool:
        kind = element.get("class") if element is not None else None
        if element is None:
            return False
        if element.tag == "table":
            return any(tr.get("class") == "blank" for tr in element.iter("tr"))
        return kind in ("write-in", "panels", "ring-map")

    def walk(parent: Any) -> None:
        children = list(parent)
        for i, child in enumerate(children):
            after = children[i + 1 : i + 3] + [None, None]
            asks = space_to_write(after[0]) and not space_to_write(child)
            heads = child.tag in ("h1", "h2", "h3", "h4") and (
                asks or (after[0] is not None and after[0].tag == "p" and space_to_write(after[1]))
            )
            text = squash("".join(child.itertext()))
            if (asks or heads) and text:
                found.append(text)
            if child.tag in ("ul", "ol", "li", "blockquote"):
                walk(child)

    walk(root)
    return list(dict.fromkeys(found))


def pixels(pdf: Path, page: int, top: float, bottom: float) -> tuple[int, bytes]:
    """A band of a page between two heights (in points), in grey at 36 dots per inch: its width and its bytes."""
    dpi = 36
    scale = dpi / 72
    image = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-y", str(round(top * scale)),
         "-H", str(max(round((bottom - top) * scale), 1)), "-W", "10000", str(pdf)],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    magic, size, _depth, grey = image.split(b"\n", 3)  # a PGM: P5, width and height, 255, then one byte a pixel
    assert magic == b"P5"
    return int(size.split()[0]), grey


def ink_below(pdf: Path, page: int, top: float, bottom: float) -> bool:
    """Whether anything is drawn on a page between two heights (in points): lines to write on, boxes."""
    if bottom - top < 4:
        return False
    return min(pixels(pdf, page, top, bottom)[1], default=255) < 160


def ruled_lines(pdf: Path, page: int, top: float, bottom: float) -> int:
    """How many lines are ruled across a page between two heights: lines to write on, rows and boxes to fill in."""
    if bottom - top < 4:
        return 0
    width, grey = pixels(pdf, page, top, bottom)
    rules, on_a_rule = 0, False
    for start in range(0, len(grey) - width + 1, width):
        dark = bytes(255 if value < 160 else 0 for value in grey[start : start + width])
        longest = max((len(run) for run in dark.split(b"\0")), default=0)
        ruled = longest > width / 4
        rules += ruled and not on_a_rule
        on_a_rule = ruled
    return rules


def page_problems(docx: Path, markdown: str, pdf: Path) -> tuple[list[int], list[str]]:
    """Lines of text on each page, and what is wrong: a near-empty page, a prompt cut from its space."""
    header, footer = header_and_footer(docx)
    asked = prompts(markdown)
    pages = pdf_lines(pdf)
    counts, problems = [], []
    for number, (height, lines) in enumerate(pages, 1):
        body = body_lines(lines, header, footer)
        counts.append(len(body))
        if not body:
            problems.append(f"{docx.name} page {number} of {len(pages)}: no text at all")
            continue
        footer_lines = lines[lines.index(body[-1]) + 1 :]
        foot = footer_lines[0].top if footer_lines else height
        header_lines = lines[: lines.index(body[0])]
        head = header_lines[-1].bottom if header_lines else 0.0
        least = LEAST_ON_LAST if number == len(pages) else LEAST_LINES
        if len(body) < least and len(pages) > 1:  # lines to write on count as lines: a page of them is not wasted
            ruled = ruled_lines(pdf, number, head + 2, foot - 2)
            if len(body) + ruled < least:
                problems.append(f"{docx.name} page {number} of {len(pages)}: {len(body)} lines of text, {ruled} ruled")
        if number == len(pages):
            continue
        endings = {squash(" ".join(line.text for line in body[-n:])) for n in range(1, min(len(body), 6) + 1)}
        prompt = next((p for p in asked if p in endings), None)  # whole lines: a prompt, not a cell that ends alike
        if prompt is not None and not ink_below(pdf, number, body[-1].bottom + 2, foot - 2):
            problems.append(f"{docx.name} page {number}: '{prompt[:40]}' ends the page, its space is on the next")
    return counts, problems


def print_pack(folder: Path, out: Path) -> dict[Path, Path]:
    """Every Word file under ``folder`` as PDF, in one LibreOffice run: Word file → PDF."""
    files, out = sorted(folder.rglob("*.docx")), out.resolve()
    sources = out / "docx"
    sources.mkdir(parents=True)
    named = {}
    for index, path in enumerate(files):  # flat and unique names: one --outdir for all
        copy = sources / f"{index:03d}-{path.stem}.docx"
        copy.write_bytes(live_page_numbers(path.read_bytes()))  # as --format pdf does
        named[path] = out / "pdf" / f"{copy.stem}.pdf"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{out / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(out / "pdf"), *map(str, sorted(sources.iterdir()))],
        capture_output=True, timeout=600, check=False,
    )  # fmt: skip
    missing = [p.name for p, pdf in named.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return named


@pytest.mark.parametrize("pack", list(PACKS))
def test_no_wasted_pages_and_no_prompt_cut_from_its_space(cli, tmp_path: Path, pack: str) -> None:
    (tmp_path / "logo.png").write_bytes(png(120, 40))
    write_tree(tmp_path, {"agency.yaml": AGENCY})
    args = PACKS[pack]
    assert cli("build", "--format", "md,docx", *args, "--out", "pack").code == 0
    for sheet in DRAWN_SHEETS:
        settings = [a for a in args if a not in ("--program", "job-search")]
        assert cli("handout", sheet, "--format", "md,docx", *settings, "--out", "pack/drawn").code == 0
    printed = print_pack(tmp_path / "pack", tmp_path / "printed")
    problems, report = [], []
    for docx, pdf in printed.items():
        counts, found = page_problems(docx, docx.with_suffix(".md").read_text(encoding="utf-8"), pdf)
        report.append(f"{docx.stem}: {counts}")
        problems += found
    assert len(printed) >= 20
    assert not problems, "\n".join([*problems, "lines of text on each page:", *report])
    by_name = {docx.stem: pdf for docx, pdf in printed.items()}
    for name in ONE_PAGE[pack]:
        assert len(pdf_lines(by_name[name])) == 1, f"{name} runs to a second page"
    sheets = [pdf for docx, pdf in printed.items() if docx.parent.name == "handouts"]
    boxes = [size for pdf in sheets if (size := printed_box_mm(pdf)) is not None]
    assert boxes and min(boxes) >= 5, boxes  # a box to tick, as printed, is at least 5 mm
    contents_match_the_pages(by_name["facilitator-guide"])


def printed_box_mm(pdf: Path) -> float | None:
    """How tall the first box to tick is printed, in millimetres (its ink, measured on the page); None: no box."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page, box = next(
        (
            (number, found)
            for number, text in enumerate(xhtml.split("<page ")[1:], 1)
            if (
                found := re.search(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">\u2610<', text
                )
            )
        ),
        (0, None),
    )
    if box is None:
        return None
    left, top, right, bottom = (float(v) for v in box.groups())
    dpi = 288
    scale = dpi / 72
    image = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", str(round(left * scale)),
         "-y", str(round(top * scale)), "-W", str(round((right - left) * scale)), "-H", str(round((bottom - top) * scale)),
         str(pdf)],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    _magic, size, _depth, grey = image.split(b"\n", 3)
    width = int(size.split()[0])
    inked = [row for row in range(len(grey) // width) if min(grey[row * width : (row + 1) * width]) < 128]
    return (inked[-1] - inked[0] + 1) / dpi * 25.4 if inked else 0.0


def contents_match_the_pages(pdf: Path) -> None:
    """The printed contents give each part the page it starts on (LibreOffice works the numbers out)."""
    pages = pdf_lines(pdf)
    entries = {}
    for _, lines in pages[:2]:
        for line in lines:
            found = re.fullmatch(r"(.+?)\s*\.{3,}\s*(\d+)", line.text)
            if found:
                entries[found.group(1)] = int(found.group(2))
    assert len(entries) >= 8, entries
    for title, number in entries.items():
        starts = [line.text for line in pages[number - 1][1][:3]]
        assert title in starts, (title, number, starts)


def test_the_check_finds_a_cut_prompt_and_a_near_empty_page(tmp_path: Path) -> None:
    """Written as the writer writes it, no prompt is cut from its lines; with keep-with-next taken out, the
    check finds the prompt at a page's foot; and a part of one line before a page break is a wasted page."""
    from datetime import UTC, datetime

    from lxml import etree

    from curriculum_gen.render.docx import render_docx

    docs = tmp_path / "docs"
    docs.mkdir()
    line = "\\_" * 40
    for fillers in range(28, 48):
        body = "\n\n".join(f"Filler paragraph {n}." for n in range(fillers))
        markdown = f"# Check\n\n## Part one\n\nOne line.\n\n## Part two\n\n{body}\n\nWhat went well?\n\n"
        markdown += "\n\n".join([line] * 4) + "\n\nThe end.\n"
        data = render_docx(
            markdown, title="Check", subject="Check", participant=False, when=datetime(2026, 1, 1, tzinfo=UTC)
        )
        (docs / f"kept-{fillers}.docx").write_bytes(data)
        (docs / f"kept-{fillers}.md").write_text(markdown, encoding="utf-8")
        with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(docs / f"loose-{fillers}.docx", "w") as out:
            for name in package.namelist():
                content = package.read(name)
                if name == "word/document.xml":
                    root = etree.fromstring(content)
                    for keep in list(
                        root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}keepNext")
                    ):
                        keep.getparent().remove(keep)
                    content = etree.tostring(root)
                out.writestr(name, content)
        (docs / f"loose-{fillers}.md").write_text(markdown, encoding="utf-8")
    printed = print_pack(docs, tmp_path / "printed")
    found = {docx.stem: page_problems(docx, docx.with_suffix(".md").read_text(encoding="utf-8"), pdf)[1]
             for docx, pdf in printed.items()}  # fmt: skip
    assert all(
        any("Part one" not in p and "page 1 of" in p and "lines of text" in p for p in v) for v in found.values()
    )
    cut = [name for name, problems in found.items() if any("'Whatwentwell?' ends the page" in p for p in problems)]
    assert cut and all(name.startswith("loose-") for name in cut), found
