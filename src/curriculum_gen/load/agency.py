"""Agency files: the agency's details, logo, local community resources and, if it has one, its Word look."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from curriculum_gen.errors import InputError, display_path
from curriculum_gen.load.reading import UnreadableFile, read_input
from curriculum_gen.load.schema import validate_data
from curriculum_gen.load.synonyms import KeyTable, rename_keys
from curriculum_gen.load.yaml_source import MAX_BYTES, Source, load_yaml
from curriculum_gen.models import Agency

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 20_000
"""A logo's width and height, at most: a header claiming more is a mistake or an attack."""
MAX_LOGO_ASPECT = 50
"""How many times wider than tall (or taller than wide) a logo may be."""
FRENCH: KeyTable = {
    (): {
        "name": ("nom", "nom de l'organisme", "organisme"),
        "logo": ("logo",),
        "reference_doc": ("document de référence", "modèle word"),
        "address": ("adresse",),
        "phone": ("téléphone", "tél", "numéro de téléphone"),
        "website": ("site web", "site internet", "site"),
        "resources": ("ressources", "ressources communautaires"),
    },
    ("resources", "*"): {
        "name": ("nom",),
        "helps_with": ("aide pour", "aide à", "aide avec", "services"),
        "contact": ("coordonnées", "contact", "pour joindre"),
    },
}
"""An agency file's French keys (the first of each is the one messages suggest)."""
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Branding:
    """What every document of an agency carries: its details and, if given, its logo."""

    agency: Agency
    logo: bytes | None = None
    logo_type: str | None = None
    logo_size: tuple[int, int] | None = None  # width and height in pixels
    reference_doc: bytes | None = None
    """The agency's own reference document (Word styles, page set-up, header and footer), if it names one."""
    reference_name: str = ""
    """Where ``reference_doc`` was read from, to locate a problem with it."""

    @property
    def contact(self) -> str:
        a = self.agency
        return " · ".join(part for part in (a.address, a.phone, a.website) if part)


def load_agency(path: Path) -> Branding:
    """Read an agency file, its logo (PNG or JPEG) and its reference document (.docx), both relative to the file.

    Raises:
        InputError: every problem in the file, located; a logo or reference document
            that is missing or unreadable is reported at its line.
    """
    data, source = load_yaml(path)
    source = rename_keys(data, source, FRENCH)
    agency = validate_data(data, Agency, source)
    content = _read_beside(path, source, "logo", agency.logo, MAX_LOGO_BYTES)
    logo: tuple[bytes | None, str | None, tuple[int, int] | None] = (None, None, None)
    if content is not None:
        found = picture_size(content)
        if isinstance(found, str):
            raise InputError(source.problem(("logo",), f"'{agency.logo}' {found}"))
        logo = (content, next(mime for magic, mime in _SIGNATURES.items() if content.startswith(magic)), found)
    reference = _read_beside(path, source, "reference_doc", agency.reference_doc, MAX_BYTES)
    if reference is not None and not reference.startswith(b"PK\x03\x04"):
        raise InputError(source.problem(("reference_doc",), f"'{agency.reference_doc}' is not a Word document (.docx)"))
    where = display_path(path.parent / agency.reference_doc) if agency.reference_doc else ""
    return Branding(agency, *logo, reference_doc=reference, reference_name=where)


def _read_beside(path: Path, source: Source, key: str, name: str | None, limit: int) -> bytes | None:
    """A file an agency file names, relative to it; a missing or unreadable one is located at its line."""
    if not name:
        return None
    what = {"logo": "logo file", "reference_doc": "reference document"}[key]
    try:
        return read_input(path.parent / name, display_path(path.parent / name), limit=limit)
    except UnreadableFile as exc:
        reason = f" not found (a path relative to {path.name})" if exc.missing else f": {exc.reason}"
        raise InputError(source.problem((key,), f"{what} '{name}'{reason}")) from None


def picture_size(content: bytes) -> tuple[int, int] | str:
    """A PNG's or JPEG's width and height in pixels, or why it cannot be placed on a page."""
    kind = next((mime for magic, mime in _SIGNATURES.items() if content.startswith(magic)), None)
    declared = _declared_size(content) if kind else None
    if kind is None or declared is None:
        return "is not a PNG or JPEG image"
    return _odd_size(*declared) or declared


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
