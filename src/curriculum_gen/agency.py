"""Agency files: the agency's details and its local community resources."""

from __future__ import annotations

from pathlib import Path

from curriculum_gen.loaders import load_model
from curriculum_gen.models import Agency


def load_agency(path: Path) -> Agency:
    """Read an agency file.

    Raises:
        InputError: every problem in the file, located.
    """
    agency, _ = load_model(path, Agency)
    return agency
