"""Inconsistency rules for statistics (DOMAIN.md 3.2): recorded and shown, never corrected."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tsunagu.areas.models import COUNT_FIELDS, StatisticsSnapshot

RATE_TOLERANCE = Decimal("0.05")


@dataclass(frozen=True)
class Inconsistency:
    area: str
    area_key: tuple[str, int]
    as_of: object
    rule: str  # reported_rate | elderly_over_total | old_old_over_elderly | conflict
    what: str  # Japanese description of what disagrees
    value_a: str
    value_b: str
    sources: tuple[str, ...]
    # The unrounded computed value, for ``check-data --verbose`` only: rates are
    # printed to one decimal everywhere else, as the report prints them.
    exact: str = ""

    def line(self, *, verbose: bool = False) -> str:
        """One line for ``tsunagu check-data`` (``verbose`` adds the unrounded value)."""
        line = (
            f"{self.area}\t{self.as_of:%Y-%m-%d}\t{self.what}\t"
            f"{self.value_a} / {self.value_b}\t{' / '.join(self.sources)}"
        )
        if verbose and self.exact:
            line += f"\t計算値（端数処理前） {self.exact}"
        return line


def _fmt(value: object) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _label(field: str) -> str:
    # The descriptions are written in Japanese (check-data output, source comparison);
    # keep the field label in the same language whatever the active one is.
    from django.utils import translation

    with translation.override("ja"):
        return str(StatisticsSnapshot._meta.get_field(field).verbose_name)


def _area_name(snapshot: StatisticsSnapshot) -> str:
    area = snapshot.area
    if snapshot.municipality_id and area is not snapshot.municipality:
        return f"{snapshot.municipality.name} {area.name}"
    return area.name


def check_snapshot(snapshot: StatisticsSnapshot) -> list[Inconsistency]:
    """Rules that concern one snapshot alone."""
    found = []
    name, key = _area_name(snapshot), snapshot.area_key
    total, elderly = snapshot.total_population, snapshot.population_65_plus
    if total is not None and elderly is not None and elderly > total:
        found.append(
            Inconsistency(
                name,
                key,
                snapshot.as_of,
                "elderly_over_total",
                "65歳以上人口が総人口を上回っている（65歳以上 / 総人口）",
                _fmt(elderly),
                _fmt(total),
                (snapshot.source,),
            )
        )
    old_old = snapshot.population_75_plus
    if old_old is not None and elderly is not None and old_old > elderly:
        found.append(
            Inconsistency(
                name,
                key,
                snapshot.as_of,
                "old_old_over_elderly",
                "75歳以上人口が65歳以上人口を上回っている（75歳以上 / 65歳以上）",
                _fmt(old_old),
                _fmt(elderly),
                (snapshot.source,),
            )
        )
    computed = snapshot.computed_aging_rate_exact
    reported = snapshot.reported_aging_rate
    if computed is not None and reported is not None and abs(reported - computed) > RATE_TOLERANCE:
        found.append(
            Inconsistency(
                name,
                key,
                snapshot.as_of,
                "reported_rate",
                "記載の高齢化率と人口から計算した値が0.05ポイントを超えて異なる（記載 / 計算）",
                f"{reported.normalize():f}%",
                f"{computed.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%",
                (snapshot.source,),
                exact=f"{computed.normalize():f}%",
            )
        )
    return found


def check_snapshots(snapshots: Iterable[StatisticsSnapshot]) -> list[Inconsistency]:
    """All rules over a set of snapshots (pass every snapshot of the areas concerned)."""
    found: list[Inconsistency] = []
    groups: dict[tuple[tuple[str, int], object], list[StatisticsSnapshot]] = defaultdict(list)
    for snapshot in snapshots:
        found.extend(check_snapshot(snapshot))
        groups[(snapshot.area_key, snapshot.as_of)].append(snapshot)
    for (_key, _as_of), group in groups.items():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                found.extend(_conflicts(first, second))
    found.sort(key=lambda i: (i.area, str(i.as_of), i.rule))
    return found


def _conflicts(a: StatisticsSnapshot, b: StatisticsSnapshot) -> list[Inconsistency]:
    found = []
    for field in (*COUNT_FIELDS, "reported_aging_rate"):
        value_a, value_b = getattr(a, field), getattr(b, field)
        if value_a is None or value_b is None or value_a == value_b:
            continue
        if field == "reported_aging_rate":
            value_a, value_b = f"{value_a.normalize():f}%", f"{value_b.normalize():f}%"
        found.append(
            Inconsistency(
                _area_name(a),
                a.area_key,
                a.as_of,
                "conflict",
                f"同じ区域・同じ時点の{_label(field)}が出典によって異なる",
                _fmt(value_a),
                _fmt(value_b),
                (a.source, b.source),
            )
        )
    return found
