"""Demo program instances of the 総合事業 (data: ``report_programs.py``).

Idempotent: an instance is matched on (municipality, name), a count on its period; writes
go through the programs services, which save only what changed, so a second run writes
nothing. An instance whose provider is missing (directory data not loaded) is skipped.
"""

from __future__ import annotations

import datetime
from typing import Any

from tsunagu.areas.models import Municipality
from tsunagu.demo.report_programs import INSTANCES, SYNTHETIC_NOTE
from tsunagu.directory.models import Organisation, Resource
from tsunagu.programs.instances import services
from tsunagu.programs.instances.models import ProgramInstance


def load_programs(actor: Any, summary: Any) -> None:
    for entry in INSTANCES:
        municipality = Municipality.objects.filter(code=entry["municipality"]).first()
        if municipality is None:
            continue
        provider = Organisation.objects.filter(
            municipality=municipality, name=entry["provider"]
        ).first()
        if provider is None:
            continue
        resource = Resource.objects.filter(provider=provider, name=entry["resource"]).first()
        fields = services.InstanceFields(
            service_type=entry["service_type"],
            name=entry["name"],
            provider=provider,
            resource=resource,
            status=entry["status"],
            description=entry["description"],
            funding=entry["funding"],
            funding_note=entry.get("funding_note", ""),
            source=entry["source"],
        )
        existing = ProgramInstance.objects.filter(
            municipality=municipality, name=entry["name"]
        ).first()
        if existing is None:
            instance = services.instance_create(
                municipality=municipality, fields=fields, actor=actor
            )
            summary.count("created")
        else:
            before = existing.updated_at
            instance = services.instance_update(instance=existing, fields=fields, actor=actor)
            summary.count("updated" if instance.updated_at != before else "unchanged")
        for count in entry["counts"]:
            services.participation_count_record(
                instance=instance,
                period_start=datetime.date.fromisoformat(count["period_start"]),
                period_end=datetime.date.fromisoformat(count["period_end"]),
                support_1=count["support_1"],
                support_2=count["support_2"],
                program_eligible=count["program_eligible"],
                other=count["other"],
                note=SYNTHETIC_NOTE,
                is_synthetic=True,
                actor=actor,
            )
