"""Make ``templates/images/rings-N.png``: the ring maps the Word files print, from the SVG the HTML shows.

Regenerate them after changing the drawing in ``src/curriculum_gen/render/rings.py``, and commit them::

    .venv/bin/python scripts/ring_maps.py            # needs Debian's /usr/bin/chromium (headless)
    .venv/bin/python scripts/ring_maps.py --check    # exit 1 if a PNG was not made from today's drawing

Each PNG is headless Chromium's screenshot of the SVG, 1200 pixels square (about 250 dots
per inch at the 12 cm it is printed), with the drawing's fingerprint in a ``tEXt`` chunk:
``--check`` (and a test) compares fingerprints, not pixels, since two Chromium versions may
smooth an edge differently. No words are drawn, so one picture serves every language.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

from curriculum_gen.models import RING_COUNTS
from curriculum_gen.render.rings import drawing_digest, image_path, ring_map_svg

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PIXELS = 1200
KEY = b"curriculum-gen drawing"
CHROMIUM = "/usr/bin/chromium"


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """A PNG's chunks as (type, data)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        found.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
    return found


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def fingerprint(png: bytes) -> str | None:
    """The drawing's fingerprint a PNG was made from, or None."""
    for kind, data in chunks(png):
        if kind == b"tEXt" and data.startswith(KEY + b"\0"):
            return data[len(KEY) + 1 :].decode()
    return None


def screenshot(svg: str, work: Path) -> bytes:
    page = work / "map.html"
    page.write_text(f'<!DOCTYPE html><html><body style="margin:0;background:#fff">{svg}</body></html>')
    out = work / "map.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
         f"--window-size={PIXELS},{PIXELS}", f"--screenshot={out}", page.as_uri()],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return out.read_bytes()


def make(count: int, work: Path) -> bytes:
    """The PNG of ``count`` rings: only its picture's chunks, and the drawing's fingerprint."""
    svg = ring_map_svg(count)
    svg.set("width", str(PIXELS))
    svg.set("height", str(PIXELS))
    shot = screenshot(ET.tostring(svg, encoding="unicode"), work)
    kept = [(k, d) for k, d in chunks(shot) if k in (b"IHDR", b"PLTE", b"IDAT", b"IEND")]
    text = (b"tEXt", KEY + b"\0" + drawing_digest(count).encode())
    kept.insert(1, text)
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(k, d) for k, d in kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a PNG was not made from today's drawing")
    args = parser.parse_args()
    stale = [
        image_path(count)
        for count in RING_COUNTS
        if not (TEMPLATES / image_path(count)).is_file()
        or fingerprint((TEMPLATES / image_path(count)).read_bytes()) != drawing_digest(count)
    ]
    if args.check:
        for name in stale:
            print(f"templates/{name} was not made from today's drawing: run scripts/ring_maps.py", file=sys.stderr)
        return 1 if stale else 0
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        print("needs headless Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        for count in RING_COUNTS:
            target = TEMPLATES / image_path(count)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(make(count, Path(folder)))
            print(f"wrote templates/{image_path(count)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
