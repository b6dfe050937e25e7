"""What a profile means: against the national picture, and before against after."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from curriculum_gen.errors import InputError, Problem, display_path
from curriculum_gen.i18n import gettext as _
from curriculum_gen.load.library import Library
from curriculum_gen.load.profiles import reference_group
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.models import INTERVENTIONS, SOFT_SKILLS
from curriculum_gen.plan.stats import binomial_greater, mcnemar_exact, two_proportion_z
from curriculum_gen.plan.wording import number

ALPHA = 0.05


@dataclass(frozen=True)
class NeedRow:
    """One soft skill of a group against a reference share (the judgement of Table 1's bold figures)."""

    skill: str
    need: float
    """Percent of the group needing help."""
    reference: float
    """Percent needing help in the reference group."""
    difference: float
    """Percentage points above (+) or below (-) the reference."""
    count: int | None
    assessed: int | None
    p_value: float | None
    """One-sided exact binomial P(X >= count) under the reference share; None without counts."""
    significantly_higher: bool

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["p_value"] = None if self.p_value is None else round(self.p_value, 6)
        return data


def reference_values(library: Library, name: str) -> tuple[dict[str, float], str]:
    """The need-for-help percents and title of a reference group.

    Raises:
        InputError: an unknown reference, with a suggestion.
    """
    group = reference_group(library, name, "--against")
    return dict(group.values), group.title


def compare_needs(
    needs: dict[str, tuple[float, int | None]], assessed: int | None, reference: dict[str, float], alpha: float = ALPHA
) -> list[NeedRow]:
    """Per soft skill: need against the reference, with an exact one-sided binomial test.

    ``needs`` maps skill → (percent, count or None). A percent given without a count is
    turned into people as percent × assessed, rounded: that is what the percent says.
    """
    rows = []
    for skill in SOFT_SKILLS:
        percent, count = needs[skill]
        ref = reference[skill]
        if count is None and assessed:
            count = math.floor(percent * assessed / 100 + 0.5)  # half up: 35% of 10 is 4 people, 45% is 5
        p_value = binomial_greater(count, assessed, ref / 100) if count is not None and assessed else None
        rows.append(
            NeedRow(
                skill,
                round(percent, 2),
                ref,
                round(percent - ref, 2),
                count,
                assessed,
                p_value,
                p_value is not None and p_value < alpha,
            )
        )
    return rows


@dataclass(frozen=True)
class InterventionRow:
    intervention: str
    title: str
    left_behind: float
    referred: float | None


def intervention_advice(library: Library, client_group: str | None) -> dict[str, Any] | None:
    """Tables 3–4 for a client group: interventions from fewest clients left behind to most."""
    left = library.tables.get("left_behind")
    if left is None:
        return None
    group_id = client_group if client_group in {g.id for g in left.groups} else "all-clients"
    group = next((g for g in left.groups if g.id == group_id), None)
    if group is None:
        return None
    referred_table = library.tables.get("referred")
    referred = next((g.values for g in referred_table.groups if g.id == group_id), {}) if referred_table else {}
    rows = sorted(
        (InterventionRow(key, _(INTERVENTIONS[key]), value, referred.get(key)) for key, value in group.values.items()),
        key=lambda r: (r.left_behind, r.intervention),
    )
    most_referred = max(rows, key=lambda r: (r.referred or 0, r.intervention)) if referred else None
    sources = [left.source] + ([referred_table.source] if referred_table else [])
    return {
        "group": group.title,
        "group_id": group_id,
        "given": client_group == group_id,
        "rows": rows,
        "best": rows[0],
        "worst": rows[-1],
        "most_referred": most_referred,
        "sources": sources,
    }


# --------------------------------------------------------------------------- before and after


@dataclass(frozen=True)
class ChangeRow:
    """One soft skill, before against after (the measure of the source article's Table 2)."""

    skill: str
    needed_before: int
    assessed_before: int
    needed_after: int
    assessed_after: int
    became_self_sufficient: float | None
    """Percent of those who needed help before who no longer need it after."""
    method: str
    p_value: float | None
    significant: bool
    reference: float | None
    """National 'Not Ready' share becoming self-sufficient (Table 2), for comparison."""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["p_value"] = None if self.p_value is None else round(self.p_value, 6)
        return data


@dataclass(frozen=True)
class Comparison:
    rows: list[ChangeRow]
    paired: bool
    matched: int
    unmatched: int
    before_name: str
    after_name: str


def compare_before_after(
    before: Path, after: Path, library: Library, *, alpha: float = ALPHA, allow_small_group: bool = False
) -> Comparison:
    """Before/after per soft skill: exact McNemar on matched clients, else a two-proportion test.

    Raises:
        InputError: problems in either file, located.
    """
    from curriculum_gen.load.clients import is_client_file, read_clients
    from curriculum_gen.load.profiles import load_profile

    national = {}
    if "self_sufficient" in library.tables:
        national = next((g.values for g in library.tables["self_sufficient"].groups if g.id == "all-clients"), {})
    texts = [read_text(p, display_path(p)) for p in (before, after)]
    if all(is_client_file(p, t) for p, t in zip((before, after), texts)):
        first, second = read_clients(before, texts[0]), read_clients(after, texts[1])
        if first.ids is not None and second.ids is not None:
            return _paired(first, second, national, alpha, allow_small_group)
    profiles = [load_profile(p, allow_small_group=allow_small_group) for p in (before, after)]
    rows = []
    for skill in SOFT_SKILLS:
        counts = []
        for profile in profiles:
            need = profile.needs_help[skill]
            assessed = profile.assessed or 0
            counts.append(
                (need.count if need.count is not None else math.floor(need.percent * assessed / 100 + 0.5), assessed)
            )
        (kb, nb), (ka, na) = counts
        share_before, share_after = kb / nb, ka / na
        became = max(0.0, (share_before - share_after) / share_before) * 100 if share_before else None
        p_value = two_proportion_z(kb, nb, ka, na)
        rows.append(
            ChangeRow(
                skill,
                kb,
                nb,
                ka,
                na,
                None if became is None else round(became, 2),
                "two-proportion z-test (groups, not matched clients)",
                p_value,
                p_value < alpha and share_after < share_before,
                national.get(skill),
            )
        )
    return Comparison(rows, False, 0, 0, str(before.name), str(after.name))


def _paired(first: Any, second: Any, national: dict[str, float], alpha: float, allow_small_group: bool) -> Comparison:
    from curriculum_gen.load.profiles import MIN_GROUP

    after_by_id = dict(zip(second.ids, second.rows))
    pairs = [(row, after_by_id[cid]) for cid, row in zip(first.ids, first.rows) if cid in after_by_id]
    unmatched = len(first.rows) + len(second.rows) - 2 * len(pairs)
    if not pairs:
        raise InputError(
            Problem(
                second.name,
                1,
                1,
                "",
                f"no client id appears in both {first.name} and {second.name} (check that both files use the same ids)",
            )
        )
    if len(pairs) < MIN_GROUP and not allow_small_group:
        raise InputError(
            Problem(
                second.name,
                1,
                1,
                "",
                f"only {len(pairs)} clients appear in both files; fewer than "
                f"{MIN_GROUP} can identify people (use --allow-small-group if you must)",
            )
        )
    rows = []
    for skill in SOFT_SKILLS:
        needed = [(b[skill], a[skill]) for b, a in pairs]
        before_count = sum(1 for b, _after in needed if b)
        improved = sum(1 for b, a in needed if b and not a)
        worsened = sum(1 for b, a in needed if not b and a)
        after_count = sum(1 for _before, a in needed if a)
        p_value = mcnemar_exact(improved, worsened) if pairs else None
        rows.append(
            ChangeRow(
                skill,
                before_count,
                len(pairs),
                after_count,
                len(pairs),
                round(100 * improved / before_count, 2) if before_count else None,
                "exact McNemar test (matched clients)",
                p_value,
                p_value is not None and p_value < alpha and improved > worsened,
                national.get(skill),
            )
        )
    return Comparison(rows, True, len(pairs), unmatched, first.name, second.name)


def format_p(value: float | None) -> str:
    """A p-value as every table shows it: ``< 0.001``, ``0.042``, or ``n/a`` when there is no test
    (``< 0,001``, ``0,042``, ``s. o.`` in French)."""
    if value is None:
        # Translators: not applicable, in a table cell with no figure.
        return _("n/a")
    return f"< {number(0.001, 3)}" if value < 0.001 else number(value, 3)
