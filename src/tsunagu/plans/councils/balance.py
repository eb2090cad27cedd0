"""Balance of a 準備会's key persons by area, age band and gender.

香春町 まちづくり課 chooses key persons so that no particular area, age or gender dominates
(事例表№1 香春町 3(2)). The report names no threshold: a value holding more than half of
the key persons (with at least four of them) is flagged as a lean — an assumption [U], shown
as such on the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tsunagu.plans.councils.models import AgeBand, Gender, KeyPerson

LEAN_SHARE = 0.5
MIN_PERSONS = 4


@dataclass(frozen=True)
class Dimension:
    title: str
    counts: tuple[tuple[str, int], ...]
    total: int

    @property
    def leans(self) -> list[str]:
        if self.total < MIN_PERSONS:
            return []
        return [label for label, n in self.counts if n / self.total > LEAN_SHARE]


def balance_of(persons: Iterable[KeyPerson]) -> list[Dimension]:
    persons = list(persons)
    total = len(persons)
    areas = Counter(p.sub_area for p in persons)
    ages = Counter(p.age_band for p in persons)
    genders = Counter(p.gender for p in persons)
    return [
        Dimension("地域", tuple(sorted(areas.items())), total),
        Dimension("年齢層", tuple((c.label, ages.get(c.value, 0)) for c in AgeBand), total),
        Dimension("性別", tuple((c.label, genders.get(c.value, 0)) for c in Gender), total),
    ]
