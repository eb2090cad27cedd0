"""Load the directory part of the demo dataset (report_directory.py), idempotently."""

from __future__ import annotations

import datetime
from typing import Any

from tsunagu.areas.models import District, Municipality, Prefecture
from tsunagu.demo import report_directory
from tsunagu.directory import services
from tsunagu.directory.models import Category, Eligibility, Organisation, Resource


def load_directory(actor: Any, summary: Any) -> None:
    organisations: dict[str, Organisation] = {}
    for entry in report_directory.ORGANISATIONS:
        municipality = (
            Municipality.objects.get(code=entry["municipality"]) if entry["municipality"] else None
        )
        prefecture = (
            Prefecture.objects.get(code=entry["prefecture"]) if entry.get("prefecture") else None
        )
        data = {
            "name": entry["name"],
            "name_kana": entry.get("name_kana", ""),
            "org_type": entry["org_type"],
            "parent": organisations.get(entry.get("parent") or ""),
            "description": entry.get("description", ""),
            "strengths": entry.get("strengths", ""),
            "problems": entry.get("problems", ""),
            "visibility": entry.get("visibility", "partners"),
            "source": entry["source"],
            "districts": list(
                District.objects.filter(
                    municipality=municipality, name__in=entry.get("districts", [])
                )
            ),
        }
        existing = Organisation.objects.filter(
            municipality=municipality,
            prefecture=prefecture if municipality is None else None,
            name=entry["name"],
        ).first()
        if existing is None:
            organisations[entry["key"]] = services.organisation_create(
                data={**data, "municipality": municipality, "prefecture": prefecture}, actor=actor
            )
            summary.count("created")
        else:
            before = existing.updated_at
            organisations[entry["key"]] = services.organisation_update(
                organisation=existing, data=data, actor=actor
            )
            summary.count("updated" if existing.updated_at != before else "unchanged")
    for entry in report_directory.RESOURCES:
        provider = organisations[entry["provider"]]
        data = {
            "name": entry["name"],
            "provider": provider,
            "category": Category.objects.get(code=entry["category"]),
            "description": entry.get("description", ""),
            "eligibility": list(Eligibility.objects.filter(code__in=entry.get("eligibility", []))),
            "districts": list(
                District.objects.filter(
                    municipality=provider.municipality, name__in=entry.get("districts", [])
                )
            ),
            "serves_whole_municipality": entry.get("serves_whole_municipality", False),
            "funding_basis": entry.get("funding_basis", ""),
            "sogo_service_type": entry.get("sogo_service_type", ""),
            "visibility": entry.get("visibility", "partners"),
            "website": entry.get("website", ""),
            "source": entry["source"],
        }
        existing = Resource.objects.filter(provider=provider, name=entry["name"]).first()
        if existing is None:
            resource = services.resource_create(data=data, actor=actor)
            summary.count("created")
        else:
            before = existing.updated_at
            resource = services.resource_update(resource=existing, data=data, actor=actor)
            summary.count("updated" if resource.updated_at != before else "unchanged")
        wanted = {datetime.date.fromisoformat(d) for d in entry.get("sessions", [])}
        have = set(resource.sessions.values_list("date", flat=True))
        if wanted != have:
            services.resource_update(
                resource=resource,
                data={"sessions": [{"date": d} for d in sorted(wanted)]},
                actor=actor,
            )
