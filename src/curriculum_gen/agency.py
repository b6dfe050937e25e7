"""Agency files: the agency's details, logo and local community resources."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from curriculum_gen.errors import InputError
from curriculum_gen.loaders import load_yaml, validate_data
from curriculum_gen.models import Agency

MAX_LOGO_BYTES = 2_000_000
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
    logo_path = (path.parent / agency.logo)
    try:
        size = logo_path.stat().st_size
        content = logo_path.read_bytes() if size <= MAX_LOGO_BYTES else b""
    except OSError:
        raise InputError(source.problem(("logo",), f"logo file '{agency.logo}' not found (a path relative to "
                                                   f"{path.name})")) from None
    if size > MAX_LOGO_BYTES:
        raise InputError(source.problem(("logo",), f"logo is {size:,} bytes (expected at most {MAX_LOGO_BYTES:,})"))
    kind = next((mime for magic, mime in _SIGNATURES.items() if content.startswith(magic)), None)
    pixels = image_size(content) if kind else None
    if kind is None or pixels is None:
        raise InputError(source.problem(("logo",), f"'{agency.logo}' is not a PNG or JPEG image"))
    return Branding(agency, content, kind, pixels)


def image_size(content: bytes) -> tuple[int, int] | None:
    """A PNG's or JPEG's width and height in pixels, or None when its header is not sound.

    Word places the logo at a fixed height and needs the size to keep its shape.
    """
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        if content[12:16] != b"IHDR" or len(content) < 33:
            return None
        width, height = struct.unpack(">II", content[16:24])
        return (width, height) if width and height else None
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
        length = struct.unpack(">H", content[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[at + 5:at + 9])
            return (width, height) if width and height else None
        if length < 2:
            return None
        at += 2 + length
    return None
