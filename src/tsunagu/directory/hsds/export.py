"""Export of public records as HSDS 3.0: a JSON list of services, or tabular CSV files with a datapackage."""

from __future__ import annotations

import datetime
import io
import itertools
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.utils import translation

from tsunagu.core import spreadsheet
from tsunagu.core.errors import TsunaguError
from tsunagu.directory.hsds.reading import _read_json
from tsunagu.directory.hsds.schema import (
    CATEGORIES,
    DAY_CODES,
    ELIGIBILITY,
    FUNDING_BASIS,
    GENERATOR,
    HSDS_VERSION,
    LOCATION_ROLES,
    MAX_ERRORS_SHOWN,
    NONEMPTY,
    ORGANISATION_TYPES,
    OWN_TAXONOMIES,
    REFERENCES,
    SOGO_TYPES,
    STATUS_TO_HSDS,
    TABLES,
    TIMEZONE_OFFSET,
    OwnTaxonomy,
    Term,
    hsds_id,
)
from tsunagu.directory.models import (
    Location,
    Organisation,
    Resource,
)

# --- export ----------------------------------------------------------------------------


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _utc(value: datetime.datetime) -> str:
    """HSDS's form of a timestamp: UTC with milliseconds, e.g. 2023-03-15T10:30:45.123Z."""
    value = value.astimezone(datetime.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop optional fields without a value (HSDS types do not allow null)."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def _area_uri(municipality_code: str, kind: str, name: str = "") -> str:
    if kind == "municipality":
        return f"urn:tsunagu:area:municipality:{municipality_code}"
    return f"urn:tsunagu:area:{municipality_code}:{kind}:{quote(name, safe='')}"


class _Exporter:
    def __init__(self, user: Any, municipality: Any = None) -> None:
        from tsunagu.directory.selectors import organisation_list_visible_to, public_resource_list

        organisations = organisation_list_visible_to(user=None)
        resources = public_resource_list()
        if user is not None:
            # Public data only, and only what this user may also see.
            organisations = organisations.filter(
                pk__in=organisation_list_visible_to(user=user).values("pk")
            )
            resources = resources.filter(
                provider__in=organisation_list_visible_to(user=user).values("pk")
            )
        if municipality is not None:
            organisations = organisations.filter(municipality=municipality)
            resources = resources.filter(municipality=municipality)
        self.organisations = list(
            organisations.select_related("municipality__prefecture", "prefecture").order_by(
                "municipality__code", "name_kana", "name", "pk"
            )
        )
        self.org_ids = {o.pk for o in self.organisations}
        self.resources = list(
            resources.filter(provider__in=self.org_ids)
            .select_related("municipality__prefecture", "prefecture", "category", "provider")
            .prefetch_related(
                "eligibility",
                "daily_life_areas",
                "districts",
                "locations__municipality__prefecture",
                "locations__prefecture",
                "weekly_slots",
                "sessions",
            )
            .order_by("name_kana", "name", "pk")
        )
        self.by_provider: dict[int, list[Resource]] = {}
        for resource in self.resources:
            self.by_provider.setdefault(resource.provider_id, []).append(resource)
        self.locations_by_org: dict[int, list[Location]] = {}
        for location in (
            Location.objects.filter(organisation__in=self.org_ids)
            .select_related("municipality__prefecture", "prefecture")
            .order_by("name", "pk")
        ):
            self.locations_by_org.setdefault(location.organisation_id, []).append(location)
        self.used_terms: dict[str, set[str]] = {t.key: set() for t in OWN_TAXONOMIES}

    # records ---------------------------------------------------------------------------

    def attribute(self, taxonomy: OwnTaxonomy, code: str, link_id: str) -> dict[str, Any]:
        self.used_terms[taxonomy.key].add(code)
        term_id = taxonomy.term_id(code)
        return {
            "id": hsds_id("attribute", link_id, term_id),
            "link_id": link_id,
            "link_type": taxonomy.link_type,
            "link_entity": taxonomy.link_entity,
            "taxonomy_term_id": term_id,
            "taxonomy_term": self.term_json(taxonomy, self.term(taxonomy, code)),
        }

    def term(self, taxonomy: OwnTaxonomy, code: str) -> Term:
        terms = self._terms(taxonomy)
        return terms.get(code) or Term(code, code)

    def _terms(self, taxonomy: OwnTaxonomy) -> dict[str, Term]:
        cache = self.__dict__.setdefault("_term_cache", {})
        if taxonomy.key not in cache:
            cache[taxonomy.key] = {t.code: t for t in taxonomy.terms()}
        return cache[taxonomy.key]

    def term_json(self, taxonomy: OwnTaxonomy, term: Term) -> dict[str, Any]:
        return _compact(
            {
                "id": taxonomy.term_id(term.code),
                "code": term.code,
                "name": term.name,
                "description": term.description,
                "parent_id": taxonomy.term_id(term.parent_code) if term.parent_code else None,
                "taxonomy": taxonomy.name,
                "language": "ja",
                "taxonomy_id": taxonomy.id,
                "term_uri": taxonomy.term_uri(term.code),
            }
        ) | {"description": term.description}

    def taxonomy_json(self, taxonomy: OwnTaxonomy) -> dict[str, Any]:
        return {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": f"{taxonomy.title} / {taxonomy.description}",
            "uri": taxonomy.uri,
            "version": HSDS_VERSION,
        }

    def address_json(
        self, address_id: str, location_id: str, scope: Any, address: str, postal_code: str
    ) -> dict[str, Any]:
        municipality = getattr(scope, "municipality", None)
        prefecture = municipality.prefecture if municipality else getattr(scope, "prefecture", None)
        return {
            "id": address_id,
            "location_id": location_id,
            "address_1": address,
            "city": municipality.name if municipality else "",
            "state_province": prefecture.name if prefecture else "",
            "postal_code": postal_code or "",
            "country": "JP",
            "address_type": "physical",
        }

    def location_json(self, location: Location) -> dict[str, Any]:
        location_id = hsds_id("location", location.pk)
        record = _compact(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": hsds_id("organisation", location.organisation_id)
                if location.organisation_id in self.org_ids
                else None,
                "name": location.name,
                "latitude": _number(location.latitude),
                "longitude": _number(location.longitude),
            }
        )
        if location.address:
            record["addresses"] = [
                self.address_json(
                    hsds_id("location-address", location.pk),
                    location_id,
                    location,
                    location.address,
                    location.postal_code,
                )
            ]
        return record

    def organisation_location_json(self, org: Organisation) -> dict[str, Any] | None:
        """The organisation's own address as a location (tagged with our role term)."""
        if not org.address and (org.latitude is None or org.longitude is None):
            return None
        location_id = hsds_id("organisation-location", org.pk)
        record = _compact(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": hsds_id("organisation", org.pk),
                "name": org.name,
                "latitude": _number(org.latitude),
                "longitude": _number(org.longitude),
            }
        )
        if org.address:
            record["addresses"] = [
                self.address_json(
                    hsds_id("organisation-address", org.pk),
                    location_id,
                    org,
                    org.address,
                    org.postal_code,
                )
            ]
        record["attributes"] = [self.attribute(LOCATION_ROLES, "organisation-address", location_id)]
        return record

    def schedules_json(self, resource: Resource, service_id: str) -> list[dict[str, Any]]:
        schedules: list[dict[str, Any]] = []
        seen: set[str] = set()

        def unique(kind: str, *parts: Any) -> str:
            n, schedule_id = 0, hsds_id(kind, resource.pk, *parts)
            while schedule_id in seen:  # two identical slots: keep both, with distinct ids
                n += 1
                schedule_id = hsds_id(kind, resource.pk, *parts, n)
            seen.add(schedule_id)
            return schedule_id

        for slot in resource.weekly_slots.all():
            day = DAY_CODES[slot.weekday]
            parts = (slot.weekday, slot.week_of_month, slot.opens_at, slot.closes_at)
            schedules.append(
                _compact(
                    {
                        "id": unique("weekly-slot", *parts),
                        "service_id": service_id,
                        "timezone": TIMEZONE_OFFSET,
                        "freq": "MONTHLY" if slot.week_of_month else "WEEKLY",
                        "interval": 1,
                        "byday": f"{slot.week_of_month}{day}" if slot.week_of_month else day,
                        "opens_at": _time(slot.opens_at),
                        "closes_at": _time(slot.closes_at),
                        "description": str(slot),
                    }
                )
            )
        for session in resource.sessions.all():
            parts = (session.date.isoformat(), session.opens_at, session.closes_at)
            schedules.append(
                _compact(
                    {
                        "id": unique("dated-session", *parts),
                        "service_id": service_id,
                        "dtstart": session.date.isoformat(),
                        "until": session.date.isoformat(),
                        "timezone": TIMEZONE_OFFSET,
                        # RFC 5545: one occurrence, on dtstart (until is inclusive).
                        "freq": "WEEKLY",
                        "interval": 1,
                        "byday": DAY_CODES[session.date.weekday()],
                        "opens_at": _time(session.opens_at),
                        "closes_at": _time(session.closes_at),
                        "notes": session.note,
                    }
                )
            )
        if resource.schedule_note:
            schedules.append(
                {
                    "id": hsds_id("schedule-note", resource.pk),
                    "service_id": service_id,
                    "description": resource.schedule_note,
                }
            )
        return schedules

    def service_areas_json(self, resource: Resource, service_id: str) -> list[dict[str, Any]]:
        areas: list[dict[str, Any]] = []
        municipality = resource.municipality
        code = municipality.code if municipality else ""

        def area(kind: str, obj: Any, description: str) -> dict[str, Any]:
            record = {
                "id": hsds_id("service-area", resource.pk, kind, obj.pk),
                "service_id": service_id,
                "name": obj.name,
                "description": description,
                "uri": _area_uri(code, kind, obj.name),
            }
            if obj.boundary:
                record["extent"] = json.dumps(obj.boundary, ensure_ascii=False, sort_keys=True)
                record["extent_type"] = "geojson"
            return record

        if resource.serves_whole_municipality and municipality is not None:
            areas.append(area("municipality", municipality, "市町村全域"))
        for dla in sorted(resource.daily_life_areas.all(), key=lambda a: (a.name, a.pk)):
            areas.append(area("daily-life-area", dla, "日常生活圏域"))
        for district in sorted(resource.districts.all(), key=lambda a: (a.name, a.pk)):
            areas.append(area("district", district, "地区"))
        return areas

    def service_json(self, resource: Resource) -> dict[str, Any]:
        service_id = hsds_id("resource", resource.pk)
        eligibility = sorted(resource.eligibility.all(), key=lambda e: (e.sort_order, e.code))
        record = _compact(
            {
                "id": service_id,
                "organization_id": hsds_id("organisation", resource.provider_id),
                "name": resource.name,
                "alternate_name": resource.name_kana,
                "description": resource.description,
                "url": resource.website,
                "email": resource.provider.email,
                "status": STATUS_TO_HSDS[resource.status],
                "application_process": resource.how_to_apply,
                "fees_description": resource.cost_note,
                "eligibility_description": resource.eligibility_note,
                "minimum_age": 65 if any(e.code == "age-65" for e in eligibility) else None,
                "assured_date": resource.last_verified_on.isoformat()
                if resource.last_verified_on
                else None,
                "last_modified": _utc(resource.updated_at),
            }
        )
        record["description"] = resource.description
        if resource.contact_phone:
            record["phones"] = [
                {
                    "id": hsds_id("resource-phone", resource.pk),
                    "service_id": service_id,
                    "number": resource.contact_phone,
                    "type": "voice",
                }
            ]
        schedules = self.schedules_json(resource, service_id)
        if schedules:
            record["schedules"] = schedules
        areas = self.service_areas_json(resource, service_id)
        if areas:
            record["service_areas"] = areas
        locations = sorted(resource.locations.all(), key=lambda loc: (loc.name, loc.pk))
        if locations:
            record["service_at_locations"] = [
                {
                    "id": hsds_id("service-at-location", resource.pk, location.pk),
                    "service_id": service_id,
                    "location_id": hsds_id("location", location.pk),
                    "location": self.location_json(location),
                }
                for location in locations
            ]
        if resource.cost_yen is not None:
            record["cost_options"] = [
                _compact(
                    {
                        "id": hsds_id("cost-option", resource.pk),
                        "service_id": service_id,
                        "currency": "JPY",
                        "amount": resource.cost_yen,
                        "amount_description": resource.cost_note,
                    }
                )
            ]
        if resource.subsidy_name:
            record["funding"] = [
                {
                    "id": hsds_id("funding", resource.pk),
                    "service_id": service_id,
                    "source": resource.subsidy_name,
                }
            ]
        attributes = [self.attribute(CATEGORIES, resource.category.code, service_id)]
        attributes += [self.attribute(ELIGIBILITY, e.code, service_id) for e in eligibility]
        if resource.funding_basis:
            attributes.append(self.attribute(FUNDING_BASIS, resource.funding_basis, service_id))
        if resource.sogo_service_type:
            attributes.append(self.attribute(SOGO_TYPES, resource.sogo_service_type, service_id))
        record["attributes"] = attributes
        return record

    def organisation_json(self, org: Organisation) -> dict[str, Any]:
        org_id = hsds_id("organisation", org.pk)
        record = _compact(
            {
                "id": org_id,
                "name": org.name,
                "alternate_name": org.name_kana,
                "email": org.email,
                "website": org.website,
                "year_incorporated": org.founded_on.year if org.founded_on else None,
                "legal_status": org.get_org_type_display(),
                "parent_organization_id": hsds_id("organisation", org.parent_id)
                if org.parent_id in self.org_ids
                else None,
            }
        )
        record["description"] = org.description
        if org.phone:
            record["phones"] = [
                {
                    "id": hsds_id("organisation-phone", org.pk),
                    "organization_id": org_id,
                    "number": org.phone,
                    "type": "voice",
                }
            ]
        locations = []
        own = self.organisation_location_json(org)
        if own is not None:
            locations.append(own)
        locations += [self.location_json(loc) for loc in self.locations_by_org.get(org.pk, [])]
        if locations:
            record["locations"] = locations
        services = [self.service_json(r) for r in self.by_provider.get(org.pk, [])]
        if services:
            record["services"] = services
        record["attributes"] = [self.attribute(ORGANISATION_TYPES, org.org_type, org_id)]
        return record

    def dataset(self) -> dict[str, Any]:
        organisations = [self.organisation_json(org) for org in self.organisations]
        taxonomies, terms = [], []
        for taxonomy in OWN_TAXONOMIES:
            all_terms = self._terms(taxonomy)
            codes = set(all_terms) if taxonomy.publish_all else set(self.used_terms[taxonomy.key])
            for code in list(codes):  # publish the ancestors of used terms too
                parent = all_terms.get(code, Term(code, code)).parent_code
                while parent and parent not in codes:
                    codes.add(parent)
                    parent = all_terms.get(parent, Term(parent, parent)).parent_code
            if not codes:
                continue
            taxonomies.append(self.taxonomy_json(taxonomy))
            ordered = [t for t in all_terms.values() if t.code in codes]
            ordered += [Term(c, c) for c in sorted(codes - set(all_terms))]
            terms += [self.term_json(taxonomy, t) for t in ordered]
        return {
            "hsds_version": HSDS_VERSION,
            "generator": GENERATOR,
            "organizations": organisations,
            "taxonomies": taxonomies,
            "taxonomy_terms": terms,
        }


def export_json(user: Any = None, *, municipality: Any = None) -> dict[str, Any]:
    """Public organisations and services as one HSDS 3.0 JSON document.

    Shape: ``{"organizations": [organization with nested services, locations, phones
    and attributes], "taxonomies": [...], "taxonomy_terms": [...]}``, each record in
    the HSDS 3.0 JSON form. Only public records of public providers are included
    (with ``user``, only those that user may also see); ``municipality`` narrows it.
    """
    with translation.override("ja"):  # labels in the exchange are the Japanese ones
        return _Exporter(user, municipality).dataset()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def datapackage_descriptor() -> dict[str, Any]:
    """The Tabular Data Package descriptor of our HSDS 3.0 CSV files."""
    types = {"string": "string", "number": "number", "date": "date", "time": "time"}
    types["datetime"] = "datetime"
    resources = []
    for table in TABLES.values():
        fields = []
        for f in table.fields:
            item: dict[str, Any] = {"name": f.name, "type": types[f.type]}
            if f.format in ("email", "uri", "uuid"):
                item["format"] = f.format
            constraints: dict[str, Any] = {"required": f.required == NONEMPTY}
            if f.name == "id":
                constraints["unique"] = True
            if f.enum:
                constraints["enum"] = list(f.enum)
            item["constraints"] = constraints
            fields.append(item)
        foreign_keys = [
            {
                "fields": fname,
                "reference": {"resource": target, "fields": "id"},
            }
            for (tname, fname), target in REFERENCES.items()
            if tname == table.name
        ]
        schema: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "tsunagu-hsds",
        "title": "つなぐ Tsunagu 公開データ（Open Referral HSDS 3.0）",
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "resources": resources,
    }


def tabular_files(data: dict[str, Any] | list[Any]) -> dict[str, str]:
    """The CSV files (name -> text) and datapackage.json of an HSDS JSON document."""
    dataset = _read_json(data, source_name=None)
    if dataset.errors:
        raise TsunaguError("\n".join(dataset.errors[:MAX_ERRORS_SHOWN]))
    files: dict[str, str] = {}
    for table in TABLES.values():
        buffer = io.StringIO()
        rows = (
            [_cell(row.data.get(name)) for name in table.field_names]
            for row in dataset.tables[table.name].values()
        )
        spreadsheet.write_csv_rows(buffer, itertools.chain([table.field_names], rows))
        files[table.path] = buffer.getvalue()
    files["datapackage.json"] = json.dumps(datapackage_descriptor(), ensure_ascii=False, indent=2)
    return files


def export_tabular(directory: Path, user: Any = None, *, municipality: Any = None) -> list[Path]:
    """Write the public records as HSDS 3.0 CSV files + datapackage.json into ``directory``.

    A ``directory`` ending in ``.zip`` is written as one zip file instead.
    """
    directory = Path(directory)
    files = tabular_files(export_json(user, municipality=municipality))
    if directory.suffix.lower() == ".zip":
        directory.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(directory, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text.encode("utf-8"))
        return [directory]
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
