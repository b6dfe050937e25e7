"""Agency files: the agency's details, logo and local community resources."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from curriculum_gen.errors import InputError, display_path
from curriculum_gen.load.reading import UnreadableFile, read_input
from curriculum_gen.load.schema import validate_data
from curriculum_gen.load.yaml_source import load_yaml
from curriculum_gen.models import Agency

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 20_000
"""A logo's width and height, at most: a header claiming more is a mistake or an attack."""
MAX_LOGO_ASPECT = 50
"""How many times wider than tall (or taller than wide) a logo may be."""
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Branding:
    """What every document of an agency carries: its details and, if given, its logo."""

    agency: Agency
    logo: bytes | None = None
    logo_type: str | None = None
    logo_size: tuple[int, int] | None = None  # width and height in pixels

    @property
    def contact(self) -> str:
        a = self.agency
        return " · ".join(part for part in (a.address, a.phone, a.website) if part)


def load_agency(path: Path) -> Branding:
    """Read an agency file and its logo (PNG or JPEG, relative to the file).

    Raises:
        InputError: every problem in the file, located; a missing or unreadable logo is
            reported at the ``logo`` line.
    """
    data, source = load_yaml(path)
    agency = validate_data(data, Agency, source)
    if not agency.logo:
        return Branding(agency)
    logo_path = path.parent / agency.logo
    try:
        content = read_input(logo_path, display_path(logo_path), limit=MAX_LOGO_BYTES)
    except UnreadableFile as exc:
        reason = f" not found (a path relative to {path.name})" if exc.missing else f": {exc.reason}"
        raise InputError(source.problem(("logo",), f"logo file '{agency.logo}'{reason}")) from None
    kind = next((mime for magic, mime in _SIGNATURES.items() if content.startswith(magic)), None)
    declared = _declared_size(content) if kind else None
    if kind is None or declared is None:
        raise InputError(source.problem(("logo",), f"'{agency.logo}' is not a PNG or JPEG image"))
    problem = _odd_size(*declared)
    if problem:
        raise InputError(source.problem(("logo",), f"'{agency.logo}' {problem}"))
    return Branding(agency, content, kind, declared)


def _odd_size(width: int, height: int) -> str | None:
    """Why a logo of this many pixels cannot be placed beside the agency's name, or None."""
    shown = f"{width:,} × {height:,} pixels"
    if not width or not height:
        return f"is {shown} (its header declares no pixels)"
    if max(width, height) > MAX_LOGO_PIXELS:
        return f"is {shown} (expected at most {MAX_LOGO_PIXELS:,} on a side)"
    if max(width, height) > MAX_LOGO_ASPECT * min(width, height):
        return f"is {shown}, too narrow or too wide (expected at most {MAX_LOGO_ASPECT}:1 either way)"
    return None


def _declared_size(content: bytes) -> tuple[int, int] | None:
    """The width and height a PNG's or JPEG's header declares (perhaps zero), or None when it has none."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        if content[12:16] != b"IHDR" or len(content) < 33:
            return None
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if not content.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 9 <= len(content):  # walk the JPEG segments to the frame header (SOF0–SOF15)
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # padding
            at += 1
            continue
        length = struct.unpack(">H", content[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return width, height
        if length < 2:
            return None
        at += 2 + length
    return None
