"""What an entry is made of: the values of organisations and resources, read in batches,
and their text analysed into terms (no writes here; :mod:`.index` writes them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tsunagu.core.text import search_terms
from tsunagu.directory.models import (
    Category,
    Eligibility,
    FundingBasis,
    Organisation,
    OrganisationType,
    Resource,
    SearchEntry,
    SogoServiceType,
    WeeklySlot,
)

# --- indexing --------------------------------------------------------------------------
#
# Documents are read as plain values, many records at a time (a few queries per batch,
# whatever the batch size): building 120,000 entries through model instances and their
# related managers cost more than analysing the text.


class _Names:
    """Names of areas, categories, eligibility: loaded once per indexing run."""

    def __init__(self) -> None:
        from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture

        self.prefecture = dict(Prefecture.objects.values_list("pk", "name"))
        self.municipality = {
            pk: (name, prefecture_id)
            for pk, name, prefecture_id in Municipality.objects.values_list(
                "pk", "name", "prefecture_id"
            )
        }
        self.district = dict(District.objects.values_list("pk", "name"))
        self.daily_life_area = dict(DailyLifeArea.objects.values_list("pk", "name"))
        self.category = {
            pk: (name, parent_id)
            for pk, name, parent_id in Category.objects.values_list("pk", "name", "parent_id")
        }
        self.eligibility = dict(Eligibility.objects.values_list("pk", "name"))
        self.org_type = {value: str(label) for value, label in OrganisationType.choices}
        self.funding = {value: str(label) for value, label in FundingBasis.choices}
        self.sogo = {value: str(label) for value, label in SogoServiceType.choices}
        # analysed phrases, for a bulk run (None: the small process-wide cache)
        self.phrases: dict[str, tuple[str, ...]] | None = None

    def scope(self, municipality_id: int | None, prefecture_id: int | None) -> list[str]:
        names = []
        if municipality_id in self.municipality:
            name, own_prefecture = self.municipality[municipality_id]
            names += [name, self.prefecture.get(own_prefecture, "")]
        if prefecture_id:
            names.append(self.prefecture.get(prefecture_id, ""))
        return names

    def category_path(self, category_id: int | None) -> list[str]:
        names: list[str] = []
        seen: set[int] = set()
        while category_id is not None and category_id in self.category and category_id not in seen:
            seen.add(category_id)
            name, category_id = self.category[category_id]
            names.append(name)
        return names


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for owner, *value in rows:
        grouped.setdefault(owner, []).append(value[0] if len(value) == 1 else tuple(value))
    return grouped


def _terms_of(
    texts: Iterable[str],
    cache: dict[str, tuple[str, ...]] | None,
    *,
    first: Iterable[str] = (),
) -> list[str]:
    """The terms of ``texts`` after ``first`` (terms already known), without duplicates."""
    terms: dict[str, None] = dict.fromkeys(first)
    for text in texts:
        if text:
            terms.update(dict.fromkeys(search_terms(text, cache=cache)))
    return list(terms)


def _keys_text(values: Iterable[int]) -> str:
    keys = sorted(set(values))
    return f" {' '.join(str(k) for k in keys)} " if keys else ""


def _mask(values: Iterable[int]) -> int:
    mask = 0
    for value in values:
        if 0 <= value < 63:
            mask |= 1 << value
    return mask


def _place_terms(
    names: _Names, row: dict[str, Any], area_ids: list[int], district_ids: list[int]
) -> list[str]:
    """Where an organisation or resource is: its municipality/prefecture, areas and districts."""
    return [
        *names.scope(row["municipality_id"], row["prefecture_id"]),
        *(names.daily_life_area.get(a, "") for a in area_ids),
        *(names.district.get(d, "") for d in district_ids),
    ]


def _shared_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The entry fields organisations and resources fill in the same way."""
    return {
        "name": row["name"][:200],
        "visibility": row["visibility"],
        "status": row["status"],
        "municipality_id": row["municipality_id"],
        "prefecture_id": row["prefecture_id"],
        "serves_whole_municipality": row["serves_whole_municipality"],
    }


_ORGANISATION_VALUES = (
    "pk",
    "name",
    "name_kana",
    "org_type",
    "parent__name",
    "description",
    "strengths",
    "problems",
    "address",
    "phone",
    "visibility",
    "status",
    "municipality_id",
    "prefecture_id",
    "serves_whole_municipality",
)


_Made = tuple[SearchEntry, list[str], list[str]]  # entry, its name's terms, all its terms


def _organisation_entries(ids: list[int], names: _Names) -> list[_Made]:
    through = Organisation.districts.through
    districts = _grouped(
        through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "district_id"
        )
    )
    through = Organisation.daily_life_areas.through
    areas = _grouped(
        through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "dailylifearea_id"
        )
    )
    tags = _grouped(
        Organisation.strength_tags.through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "tag__name"
        )
    )
    for owner, tag_names in _grouped(
        Organisation.problem_tags.through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "tag__name"
        )
    ).items():
        tags.setdefault(owner, []).extend(tag_names)
    entries = []
    for row in Organisation.objects.filter(pk__in=ids).order_by("pk").values(*_ORGANISATION_VALUES):
        pk = row["pk"]
        name_texts = [row["name"], row["name_kana"]]
        name_terms = _terms_of(name_texts, names.phrases)
        terms = _terms_of(
            [
                names.org_type.get(row["org_type"], ""),
                row["parent__name"] or "",
                row["description"],
                row["strengths"],
                row["problems"],
                *tags.get(pk, []),
                row["address"],
                row["phone"],
                *_place_terms(names, row, areas.get(pk, []), districts.get(pk, [])),
            ],
            names.phrases,
            first=name_terms,
        )
        entry = SearchEntry(
            kind=SearchEntry.Kind.ORGANISATION,
            organisation_id=pk,
            **_shared_fields(row),
            org_type=row["org_type"],
        )
        entries.append((entry, name_terms, terms))
    return entries


_RESOURCE_VALUES = (
    "pk",
    "name",
    "name_kana",
    "description",
    "eligibility_note",
    "cost_note",
    "schedule_note",
    "how_to_apply",
    "subsidy_name",
    "funding_basis",
    "sogo_service_type",
    "contact_phone",
    "visibility",
    "status",
    "municipality_id",
    "prefecture_id",
    "serves_whole_municipality",
    "category_id",
    "provider_id",
    "provider__name",
    "provider__visibility",
    "provider__municipality_id",
    "provider__prefecture_id",
    "provider__org_type",
)


def _resource_entries(ids: list[int], names: _Names) -> list[_Made]:
    return list(_resource_made(_resource_sources(ids), names))


@dataclass
class _ResourceSources:
    """What a batch of resources' entries are made of, read from the database."""

    rows: list[dict[str, Any]]
    eligibility: dict[int, list[Any]]
    districts: dict[int, list[Any]]
    areas: dict[int, list[Any]]
    locations: dict[int, list[Any]]
    weekdays: dict[int, list[Any]]


def _resource_sources(ids: list[int]) -> _ResourceSources:
    eligibility = _grouped(
        Resource.eligibility.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "eligibility_id"
        )
    )
    districts = _grouped(
        Resource.districts.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "district_id"
        )
    )
    areas = _grouped(
        Resource.daily_life_areas.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "dailylifearea_id"
        )
    )
    locations = _grouped(
        Resource.locations.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "location__name", "location__address"
        )
    )
    weekdays = _grouped(
        WeeklySlot.objects.filter(resource_id__in=ids).values_list("resource_id", "weekday")
    )
    rows = list(Resource.objects.filter(pk__in=ids).order_by("pk").values(*_RESOURCE_VALUES))
    return _ResourceSources(rows, eligibility, districts, areas, locations, weekdays)


def _resource_made(sources: _ResourceSources, names: _Names) -> Iterator[_Made]:
    """The entries of a batch with their terms (the text analysed here: no queries)."""
    eligibility, districts, areas = sources.eligibility, sources.districts, sources.areas
    locations, weekdays = sources.locations, sources.weekdays
    for row in sources.rows:
        pk = row["pk"]
        name_texts = [row["name"], row["name_kana"]]
        name_terms = _terms_of(name_texts, names.phrases)
        terms = _terms_of(
            [
                *names.category_path(row["category_id"]),
                row["provider__name"],
                row["description"],
                *(names.eligibility.get(e, "") for e in eligibility.get(pk, [])),
                row["eligibility_note"],
                row["cost_note"],
                row["schedule_note"],
                row["how_to_apply"],
                row["subsidy_name"],
                names.funding.get(row["funding_basis"], ""),
                names.sogo.get(row["sogo_service_type"], ""),
                row["contact_phone"],
                *(f"{name} {address}" for name, address in locations.get(pk, [])),
                *_place_terms(names, row, areas.get(pk, []), districts.get(pk, [])),
            ],
            names.phrases,
            first=name_terms,
        )
        entry = SearchEntry(
            kind=SearchEntry.Kind.RESOURCE,
            resource_id=pk,
            **_shared_fields(row),
            provider_id=row["provider_id"],
            provider_visibility=row["provider__visibility"],
            provider_municipality_id=row["provider__municipality_id"],
            provider_prefecture_id=row["provider__prefecture_id"],
            category_id=row["category_id"],
            org_type=row["provider__org_type"],
            eligibility_keys=_keys_text(eligibility.get(pk, [])),
            eligibility_mask=_mask(eligibility.get(pk, [])),
            weekday_keys=_keys_text(weekdays.get(pk, [])),
            weekday_mask=_mask(weekdays.get(pk, [])),
        )
        yield entry, name_terms, terms
