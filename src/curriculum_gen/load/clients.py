"""Per-client ERS results from a CSV file: read, check, roll up.

Privacy: a client id column is read only to pair before/after files; ids never
leave this module, and no error message quotes a cell (a shifted column could
hold an id). Errors name the line and column instead.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from curriculum_gen.errors import InputError, Problem, display_path, escape, suggest
from curriculum_gen.load.synonyms import FACTOR_NAMES, french_words, normal
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.models import ERS_FACTORS, SOFT_SKILLS, Need, Profile

ID_COLUMNS = frozenset(
    {
        "id",
        "client",
        "client_id",
        "clientid",
        "client_number",
        "client_no",
        "case",
        "case_id",
        "case_number",
        "file",
        "file_number",
        "participant",
        "participant_id",
    }
)
YES = frozenset({"yes", "y", "1", "true", "needs_help", "need_help"})
NO = frozenset({"no", "n", "0", "false", "self_sufficient", "selfsufficient"})
"""Answers as matched (:func:`~curriculum_gen.load.synonyms.normal`: any case, ``needs help`` or ``needs-help``)."""
ANSWERS = {"en": "yes/no, 1/0 or needs help/self-sufficient", "fr": "oui/non, 1/0 or a besoin d'aide/autonome"}
FRENCH = french_words(
    {
        "client_id": (
            "identifiant",
            "id client",
            "identifiant client",
            "identifiant du client",
            "no client",
            "no de client",
            "numéro de client",
            "numéro client",
            "no de dossier",
            "numéro de dossier",
            "dossier",
            "participante",
        ),
        **FACTOR_NAMES,
        "yes": ("oui", "o", "vrai", "a besoin d'aide", "besoin d'aide"),
        "no": ("non", "faux", "autonome"),
    }
)
"""A client list's French headers and answers, as matched, each with the English one it stands for
(``Efficacité personnelle`` → ``self_efficacy``, ``a besoin d'aide`` → ``yes``)."""


@dataclass(frozen=True)
class ClientResults:
    """Whether each client needs help on each factor; ``ids`` stay inside the tool."""

    name: str
    factors: tuple[str, ...]
    rows: tuple[dict[str, bool], ...]
    ids: tuple[str, ...] | None
    lines: tuple[int, ...]
    """The file line of each row, for messages that must not quote ids."""


def _is_id_column(key: str) -> bool:
    return (
        key in ID_COLUMNS
        or key.endswith(("_id", "_no", "_number", "_num", "_client", "_dossier"))
        or key.startswith(("client", "case", "id_", "identifiant", "no_", "numero_", "dossier"))
    )


def _column_key(header: str) -> str:
    """A header as matched: ``Efficacité personnelle`` → ``efficacite_personnelle``."""
    return normal(header)


def _english(key: str) -> str:
    """The English column a header's key stands for: itself, or its French word's."""
    return key if key in ERS_FACTORS or key in ID_COLUMNS else FRENCH.get(key, key)


def _language(keys: list[str]) -> str:
    """``fr`` when more of the headers are French than English: the language of the file's messages."""
    french = sum(1 for k in keys if _english(k) != k)
    return "fr" if french > sum(1 for k in keys if k in ERS_FACTORS or k in ID_COLUMNS) else "en"


def _factor_name(factor: str, language: str) -> str:
    """An ERS factor as a header in the file's language names it."""
    if language == "fr":
        name = FACTOR_NAMES[factor][0]
        return name[0].upper() + name[1:]
    return factor


CSV_SUFFIXES = (".csv", ".tsv")
DELIMITERS = (",", ";", "\t")


def _header_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def delimiter(header: str) -> str:
    """The delimiter of a CSV, from its header row: whichever of comma, semicolon or tab occurs most outside quotes.

    The header names columns, so it holds no doubled quotes or quoted delimiters to
    mislead the count; the rows are then read by RFC 4180 rules (Excel's).
    """
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def looks_like_clients(text: str) -> bool:
    """Whether text is a per-client CSV whatever its file name: a first row of delimited column names, one an ERS factor."""
    header = _header_line(text)
    if not header or header.lstrip().startswith("#") or ":" in header:
        return False
    cells = next(csv.reader([header], delimiter=delimiter(header)), [])
    return len(cells) >= 2 and any(_english(_column_key(c)) in ERS_FACTORS for c in cells)


def is_client_file(path: Path, text: str) -> bool:
    """A per-client CSV by name (``.csv``, ``.tsv``) or by content (Excel's ``.txt``, no extension)."""
    return path.suffix.lower() in CSV_SUFFIXES or looks_like_clients(text)


def read_clients(path: Path, text: str | None = None) -> ClientResults:
    """Read a per-client CSV: one row per client, one column per ERS factor.

    RFC 4180 as Excel writes it: quoted cells with commas, doubled quotes, CRLF line ends,
    a byte-order mark, and Excel's semicolon or tab dialects.

    Raises:
        InputError: every problem, located by line and column.
    """
    name = display_path(path)
    if text is None:
        text = read_text(path, name)
    if not text.strip():
        raise InputError(Problem(name, 1, 1, "", "file is empty (expected a header row and one row per client)"))
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter(_header_line(text)))
    problems: list[Problem] = []
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(Problem(name, 1, 1, "", f"not a readable CSV header ({exc})")) from None
    keys = [_column_key(h) for h in header]
    id_col, columns, language = _columns(keys, name, problems)
    rows: list[dict[str, bool]] = []
    ids: list[str] = []
    lines: list[int] = []
    number = 0
    try:
        while True:
            line = reader.line_num + 1  # where this record starts, even if a quoted cell spans lines
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(c.strip() for c in cells):
                continue
            number += 1
            if len(cells) != len(header):
                problems.append(
                    Problem(name, line, 1, f"row {number}", f"has {len(cells)} cells but the header has {len(header)}")
                )
                continue
            rows.append(_answers(cells, columns, (name, line), language, problems))
            lines.append(line)
            if id_col is not None:
                ids.append(cells[id_col].strip())
    except csv.Error as exc:
        problems.append(Problem(name, line, 1, "", f"not readable as CSV from here ({exc})"))
    if not rows and not problems:
        problems.append(Problem(name, 2, 1, "", "no client rows (expected one row per client under the header)"))
    if id_col is not None:
        problems += _id_problems(name, lines, ids, id_col, keys[id_col])
    if problems:
        raise InputError(problems)
    return ClientResults(
        name,
        tuple(dict.fromkeys(factor for factor, _ in columns.values())),
        tuple(rows),
        tuple(ids) if id_col is not None else None,
        tuple(lines),
    )


def _columns(keys: list[str], name: str, problems: list[Problem]) -> tuple[int | None, dict[int, tuple[str, str]], str]:
    """The id column, the factor columns and the language of a header row; what is wrong with it goes to ``problems``.

    Headers may be French (``FRENCH``): each factor column is given as its English factor and its header's key,
    which names it in messages; the language (``en`` or ``fr``) is the one most headers are written in.
    """
    language = _language(keys)
    id_col: int | None = None
    factor_cols: dict[int, tuple[str, str]] = {}
    for col, key in enumerate(keys):
        english = _english(key)
        if english in ID_COLUMNS and id_col is None:
            id_col = col
        elif english in ERS_FACTORS:
            first = next((c for c, (f, _) in factor_cols.items() if f == english), None)
            if first is not None:
                twice = "column appears twice" if keys[first] == key else f"the same ERS factor as column {first + 1}"
                problems.append(Problem(name, 1, col + 1, key, twice))
            factor_cols[col] = (english, key)
        elif _is_id_column(key) and id_col is None:
            id_col = col
        elif key:
            # the cell itself is never quoted: without a header row it would be a client's id
            problems.append(
                Problem(
                    name,
                    1,
                    col + 1,
                    "header",
                    (
                        f"column {col + 1} is not an ERS factor{_nearest(key, language)} (the first row must name the "
                        "columns: ERS factors and, optionally, one client id column; remove other columns)"
                    ),
                )
            )
    found = {factor for factor, _ in factor_cols.values()}
    missing = [_factor_name(s, language) for s in SOFT_SKILLS if s not in found]
    if missing:
        problems.append(
            Problem(
                name, 1, 1, "header", f"missing columns for {', '.join(missing)} (all five soft skills are required)"
            )
        )
    return id_col, factor_cols, language


def _nearest(key: str, language: str) -> str:
    """``; did you mean 'x'?`` for a header that is not an ERS factor, from the factors named in the file's language."""
    return suggest(key, [_factor_name(f, language) for f in ERS_FACTORS])


def _answers(
    cells: list[str],
    columns: dict[int, tuple[str, str]],
    where: tuple[str, int],
    language: str,
    problems: list[Problem],
) -> dict[str, bool]:
    """One client's row: whether they need help on each factor; cells that are not answers go to ``problems``.

    ``columns`` gives each factor column's factor and its header's key, which names it in messages.
    """
    row: dict[str, bool] = {}
    for col, (factor, key) in columns.items():
        answer = normal(cells[col])
        answer = FRENCH.get(answer, answer)
        if answer in YES:
            row[factor] = True
        elif answer in NO:
            row[factor] = False
        else:
            what = "empty cell" if not cells[col].strip() else "not an answer the tool knows"
            problems.append(Problem(*where, col + 1, key, f"{what} (expected {ANSWERS[language]})"))
    return row


def _id_problems(name: str, lines: list[int], ids: list[str], col: int, key: str) -> list[Problem]:
    """Empty and repeated client ids, by line (never quoted)."""
    problems = []
    seen: dict[str, int] = {}
    for line, client in zip(lines, ids):
        if not client:
            problems.append(Problem(name, line, col + 1, key, "client id is empty"))
        elif client in seen:
            problems.append(Problem(name, line, col + 1, key, f"the same client id as line {seen[client]}"))
        else:
            seen[client] = line
    return problems


def roll_up(results: ClientResults, group: str) -> Profile:
    """Counts of clients needing help, per factor: the only thing that leaves this module."""
    assessed = len(results.rows)
    needs = {}
    for factor in results.factors:
        count = sum(1 for row in results.rows if row[factor])
        needs[factor] = Need(count=count, percent=round(100.0 * count / assessed, 4))
    return Profile(group=group, assessed=assessed, needs_help=needs)


def profile_yaml(profile: Profile, source_name: str) -> str:
    """A profile file with counts only, in the same shape people write by hand."""
    lines = [
        f"# Rolled up by curriculum-gen from {Path(source_name).name}: counts only, no client ids.",
        f"group: {_quote(profile.group)}",
        f"assessed: {profile.assessed}",
        "needs_help:",
    ]
    for factor in ERS_FACTORS:
        if factor in profile.needs_help:
            lines.append(f"  {factor}: {profile.needs_help[factor].count}")
    if profile.client_group:
        lines.append(f"client_group: {profile.client_group}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A YAML double-quoted string as people read it (``Groupe du mardi – Moncton``), anything unprintable escaped."""
    import yaml

    return escape(yaml.safe_dump(text, default_style='"', width=10_000, allow_unicode=True).strip())
