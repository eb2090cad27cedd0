"""Load the directory part of the demo dataset (report_directory.py), idempotently.

Records are matched on natural keys: organisations and locations on their scope
(municipality, or prefecture when there is none) and name; resources on their provider's
scope and name, so moving a resource to another provider updates it in place. Every
write goes through the directory services, which only save (and write history) when a
value differs, so a second run creates nothing and writes no history rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from tsunagu.areas.models import District, Municipality, Prefecture
from tsunagu.demo import report_directory
from tsunagu.directory import services
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Location,
    Organisation,
    Resource,
    Tag,
)
from tsunagu.directory.services import LocationFields, OrganisationFields, ResourceFields


def _scope_filter(municipality: Municipality | None, prefecture: Prefecture | None) -> dict:
    if municipality is not None:
        return {"municipality": municipality, "prefecture": None}
    return {"municipality": None, "prefecture": prefecture}


def _districts(municipality: Municipality | None, names: list[str]) -> list[District]:
    if not names:
        return []
    found = list(District.objects.filter(municipality=municipality, name__in=names))
    missing = set(names) - {d.name for d in found}
    if missing:  # a typo here would silently drop an area served
        raise ValueError(f"demo directory: unknown districts {sorted(missing)} in {municipality}")
    return found


def _tags(names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


def _load_organisations(actor: Any, summary: Any) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for entry in report_directory.ORGANISATIONS:
        municipality = (
            Municipality.objects.get(code=entry["municipality"]) if entry["municipality"] else None
        )
        prefecture = (
            Prefecture.objects.get(code=entry["prefecture"]) if entry.get("prefecture") else None
        )
        parent_key = entry.get("parent")
        if parent_key and parent_key not in organisations:
            raise ValueError(f"demo directory: parent {parent_key!r} must come before its children")
        data = {
            "name": entry["name"],
            "name_kana": entry.get("name_kana", ""),
            "org_type": entry["org_type"],
            "parent": organisations.get(parent_key or ""),
            "description": entry.get("description", ""),
            "strengths": entry.get("strengths", ""),
            "problems": entry.get("problems", ""),
            "visibility": entry.get("visibility", "partners"),
            "source": entry["source"],
            "districts": _districts(municipality, entry.get("districts", [])),
            "strength_tags": _tags(entry.get("strength_tags", [])),
            "problem_tags": _tags(entry.get("problem_tags", [])),
        }
        existing = Organisation.objects.filter(
            **_scope_filter(municipality, prefecture), name=entry["name"]
        ).first()
        if existing is None:
            organisations[entry["key"]] = services.organisation_create(
                fields=OrganisationFields(
                    **{**data, "municipality": municipality, "prefecture": prefecture}
                ),
                actor=actor,
            )
            summary.count("created")
        else:
            before = existing.updated_at
            organisations[entry["key"]] = services.organisation_update(
                organisation=existing, fields=OrganisationFields(**data), actor=actor
            )
            summary.count("updated" if existing.updated_at != before else "unchanged")
    return organisations


def _load_locations(
    actor: Any, summary: Any, organisations: dict[str, Organisation]
) -> dict[str, Location]:
    locations: dict[str, Location] = {}
    for entry in report_directory.LOCATIONS:
        organisation = organisations[entry["organisation"]]
        municipality = organisation.municipality
        district_name = entry.get("district")
        data = {
            "name": entry["name"],
            "organisation": organisation,
            "district": _districts(municipality, [district_name])[0] if district_name else None,
        }
        existing = Location.objects.filter(
            **_scope_filter(municipality, organisation.prefecture), name=entry["name"]
        ).first()
        if existing is None:
            locations[entry["key"]] = services.location_create(
                fields=LocationFields(**data), actor=actor
            )
            summary.count("created")
        else:
            before = existing.updated_at
            locations[entry["key"]] = services.location_update(
                location=existing, fields=LocationFields(**data), actor=actor
            )
            summary.count("updated" if existing.updated_at != before else "unchanged")
    return locations


def _session_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for session in entry.get("sessions", []):
        if isinstance(session, str):
            session = {"date": session}
        rows.append(
            {"date": datetime.date.fromisoformat(session["date"]), "note": session.get("note", "")}
        )
    return sorted(rows, key=lambda row: (row["date"], row["note"]))


def _load_resources(
    actor: Any,
    summary: Any,
    organisations: dict[str, Organisation],
    locations: dict[str, Location],
) -> None:
    for entry in report_directory.RESOURCES:
        provider = organisations[entry["provider"]]
        data = {
            "name": entry["name"],
            "provider": provider,
            "category": Category.objects.get(code=entry["category"]),
            "description": entry.get("description", ""),
            "eligibility": list(Eligibility.objects.filter(code__in=entry.get("eligibility", []))),
            "eligibility_note": entry.get("eligibility_note", ""),
            "districts": _districts(provider.municipality, entry.get("districts", [])),
            "locations": [locations[key] for key in entry.get("locations", [])],
            "serves_whole_municipality": entry.get("serves_whole_municipality", False),
            "funding_basis": entry.get("funding_basis", ""),
            "sogo_service_type": entry.get("sogo_service_type", ""),
            "subsidy_name": entry.get("subsidy_name", ""),
            "schedule_note": entry.get("schedule_note", ""),
            "status": entry.get("status", "active"),
            "visibility": entry.get("visibility", "partners"),
            "website": entry.get("website", ""),
            "source": entry["source"],
        }
        if len(data["eligibility"]) != len(set(entry.get("eligibility", []))):
            raise ValueError(f"demo directory: unknown eligibility in {entry['key']!r}")
        existing = Resource.objects.filter(
            **_scope_filter(provider.municipality, provider.prefecture), name=entry["name"]
        ).first()
        if existing is None:
            resource = services.resource_create(fields=ResourceFields(**data), actor=actor)
            summary.count("created")
        else:
            before = existing.updated_at
            resource = services.resource_update(
                resource=existing, fields=ResourceFields(**data), actor=actor
            )
            summary.count("updated" if resource.updated_at != before else "unchanged")
        wanted = _session_rows(entry)
        have = sorted(
            ({"date": s.date, "note": s.note} for s in resource.sessions.all()),
            key=lambda row: (row["date"], row["note"]),
        )
        if wanted != have:  # replacing the sessions writes one history row on the resource
            services.resource_update(
                resource=resource, fields=ResourceFields(sessions=wanted), actor=actor
            )


def load_directory(actor: Any, summary: Any) -> None:
    """Organisations, then locations, then resources (each refers to the previous)."""
    organisations = _load_organisations(actor, summary)
    locations = _load_locations(actor, summary, organisations)
    _load_resources(actor, summary, organisations, locations)
