"""Agency files: the agency's details, logo and local community resources."""

from __future__ import annotations

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
    if kind is None or not _readable(content, kind):
        raise InputError(source.problem(("logo",), f"'{agency.logo}' is not a PNG or JPEG image"))
    return Branding(agency, content, kind)


def _readable(content: bytes, kind: str) -> bool:
    """A cheap check that the image can be placed: python-docx must read its size."""
    from docx.image.image import Image

    try:
        image = Image.from_blob(content)
        return bool(image.px_width > 0 and image.px_height > 0)
    except Exception:  # noqa: BLE001 - any failure to read the image header means a bad image
        return False
