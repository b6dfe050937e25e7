"""Group profiles: from a profile file or from a shipped reference column."""

from __future__ import annotations

import re
from pathlib import Path

from curriculum_gen.errors import InputError, Problem, display_path, unknown
from curriculum_gen.i18n import gettext as _
from curriculum_gen.load.library import Library
from curriculum_gen.load.schema import validate_data
from curriculum_gen.load.synonyms import FACTOR_NAMES, KeyTable, rename_keys
from curriculum_gen.load.yaml_source import Source, parse_yaml, read_text
from curriculum_gen.models import ERS_FACTORS, SOFT_SKILLS, Need, Profile, ProfileFile, ReferenceGroup, check_group_name

DEFAULT_REFERENCE = "all-clients"
MIN_GROUP = 5
"""Smaller groups are refused by default: a count of 1 or 2 can identify a person."""
FRENCH: KeyTable = {
    (): {
        "group": ("groupe", "nom du groupe"),
        "assessed": ("personnes évaluées", "évalués", "évaluées", "nombre évalué"),
        "needs_help": ("besoins d'aide", "besoin d'aide", "besoins", "besoin"),
        "client_group": ("groupe de clientèle", "clientèle"),
    },
    ("needs_help",): FACTOR_NAMES,
}
"""A profile's French keys (the first of each is the one messages suggest); values are as in English, but a
percent may be written with a decimal comma (``14,6 %``). ``client_group`` takes a reference's id, as French
curricula do (``age-19-24``)."""
_DECIMAL_COMMA = re.compile(r"^\s*(\d+),(\d{1,2})\s*%\s*$")
"""``14,6 %`` or ``14,65%``: one or two decimals, so a thousands comma (``1,000%``) is never read as a decimal one."""
NOT_A_PROFILE = (
    "not a group profile (expected a YAML mapping with group, assessed and needs_help, or a per-client "
    "CSV whose first row names the ERS factors)"
)


def load_profile(
    path: Path, *, allow_small_group: bool = False, library: Library | None = None, group: str | None = None
) -> Profile:
    """Read a group profile: YAML, or a per-client CSV rolled up into counts.

    Counts and percents are never guessed. Keys, headers and answers may be French
    (``FRENCH`` here and in ``clients``). With ``library``, ``client_group`` is
    checked against the reference groups.

    Raises:
        InputError: every problem in the file, located.
    """
    from curriculum_gen.load.clients import is_client_file

    name = display_path(path)
    text = read_text(path, name)
    if is_client_file(path, text):
        return _roll_up_clients(path, text, allow_small_group, group)
    data, source = parse_yaml(text, name)
    if not isinstance(data, dict):  # never quoted: it may be a client list without its header row
        raise InputError(Problem(name, 1, 1, "", NOT_A_PROFILE))
    source = rename_keys(data, source, FRENCH)
    _decimal_points(data)
    problems: list[Problem] = []
    raw: ProfileFile | None = None
    assessed = data.get("assessed")
    try:  # the needs are read against 'assessed' in the same pass, so one run shows every problem
        raw = validate_data(data, ProfileFile, source, context={"assessed": assessed})
    except InputError as exc:
        problems += exc.problems
    if type(assessed) is int and 1 <= assessed < MIN_GROUP and not allow_small_group:
        problems.append(source.problem(("assessed",), _small(assessed)))
    if raw is not None and raw.client_group and library is not None and raw.client_group not in library.references:
        problems.append(_unknown_client_group(raw.client_group, library, source))
    if problems or raw is None:
        raise InputError(sorted(set(problems)))
    needs = {f: need for f in ERS_FACTORS if (need := getattr(raw.needs_help, f)) is not None}
    return Profile(
        group=raw.group if group is None else group,
        assessed=raw.assessed,
        needs_help=needs,
        client_group=raw.client_group,
    )


def _decimal_points(data: dict[object, object]) -> None:
    """Each percent written with a decimal comma (``14,6 %``) rewritten with a point, as the profile model reads it."""
    needs = data.get("needs_help")
    if isinstance(needs, dict):
        for factor, value in needs.items():
            if isinstance(value, str) and (match := _DECIMAL_COMMA.match(value)):
                needs[factor] = f"{match[1]}.{match[2]}%"


def _roll_up_clients(path: Path, text: str, allow_small_group: bool, group: str | None) -> Profile:
    """A per-client CSV counted into a profile, named after the file unless ``group`` is given."""
    from curriculum_gen.load.clients import read_clients, roll_up

    results = read_clients(path, text)
    if len(results.rows) < MIN_GROUP and not allow_small_group:
        raise InputError(Problem(results.name, 1, 1, "", _small(len(results.rows))))
    name = path.stem.replace("-", " ").replace("_", " ") if group is None else group
    try:
        name = check_group_name(name)
    except ValueError as exc:
        raise InputError(Problem("--group", message=str(exc))) from None
    return roll_up(results, name)


def _unknown_client_group(client_group: str, library: Library, source: Source) -> Problem:
    """A client group the library has no reference for, with the choices."""
    return source.problem(
        ("client_group",),
        unknown("client group", client_group, sorted(library.references)),
    )


def _small(size: int) -> str:
    return (
        f"group of {size} is smaller than {MIN_GROUP}; small counts can identify people "
        "(use --allow-small-group if you must)"
    )


def reference_group(library: Library, name: str, option: str) -> ReferenceGroup:
    """A reference client group (a column of Table 1) by its id, as named by ``option``.

    Raises:
        InputError: an unknown reference, with the nearest name or the choices.
    """
    if name not in library.references:
        raise InputError(Problem(option, message=unknown("reference", name, sorted(library.references))))
    return library.references[name][0]


REFERENCE_MARK = " (reference)"
"""What a reference profile's group name ends with in English: the facilitator's pages say so, participants'
sheets do not (:func:`without_reference_mark`)."""


def reference_name(title: str) -> str:
    """A reference group's name as its plan gives it, in the language being rendered: 'All clients (reference)'."""
    return _("{group} (reference)").format(group=title)


def without_reference_mark(group: str) -> str:
    """``group`` without the mark a reference profile's name ends with, in the language being rendered or
    in English; a name that does not end with one is returned as it is."""
    for mark in (reference_name(""), REFERENCE_MARK):
        if mark and group.endswith(mark):
            return group.removesuffix(mark)
    return group


def reference_profile(library: Library, name: str) -> Profile:
    """A shipped reference column (e.g. Table 1's 'all-clients') as a profile.

    Raises:
        InputError: unknown reference name, with the nearest suggestion.
    """
    group = reference_group(library, name, "--reference")
    missing = [s for s in SOFT_SKILLS if s not in group.values]
    if missing:
        raise InputError(library.locate(f"reference:{name}", ("values",), f"missing soft skills: {', '.join(missing)}"))
    needs = {k: Need(percent=float(v)) for k, v in group.values.items()}
    return Profile(
        group=reference_name(group.title), needs_help=needs, reference=name, client_group=name, higher=group.higher
    )


def national_percents(library: Library) -> dict[str, float]:
    """The national 'Not Ready' figure per factor, to compare a group against."""
    if DEFAULT_REFERENCE not in library.references:
        return {}
    return dict(library.references[DEFAULT_REFERENCE][0].values)
