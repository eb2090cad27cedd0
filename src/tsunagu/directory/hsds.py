"""Open Referral HSDS 3.0 exchange: export public records, import HSDS datasets.

HSDS (Human Services Data Specification) 3.0 describes organisations, the services they
provide, where and when, for whom. Our mapping:

=====================  ==========================================================
HSDS 3.0               Tsunagu
=====================  ==========================================================
organization           Organisation (alternate_name = よみがな, legal_status = 種別,
                       year_incorporated = 設立年, phones = 電話番号)
service                Resource (alternate_name = よみがな, url = ウェブサイト,
                       application_process = 申込方法, fees_description = 費用の説明,
                       eligibility_description = 利用条件の補足, assured_date = 最終確認日,
                       status: active ↔ 実施中, inactive ↔ 準備中,
                       temporarily closed ↔ 休止, defunct ↔ 終了)
location (+ address)   Location, and the organisation's own address as a location
                       tagged with our ``tsunagu-location-roles`` term
service_at_location    Resource.locations
schedule               WeeklySlot (freq WEEKLY byday=WE, or MONTHLY byday=2WE for the
                       2nd Wednesday), DatedSession (dtstart = until, one occurrence),
                       Resource.schedule_note (a schedule with a description only)
service_area           whole municipality / 日常生活圏域 / 地区, with the GeoJSON boundary
                       as ``extent`` where the area has one
cost_option            Resource.cost_yen (currency JPY)
funding                Resource.subsidy_name
attribute + taxonomy   Category (taxonomy ``tsunagu-resource-categories``, code =
                       Category.code), Eligibility, funding basis, 総合事業 type and
                       organisation type, each as a taxonomy of our own
=====================  ==========================================================

Not exchanged, because HSDS 3.0 has no field for them or they are not public: people
(contacts are personal data), strengths and problems, visibility, capacity (HSDS 3.1),
started_on, source, areas served by organisations, location districts.

Identifiers are uuid5 values derived from a namespace, the kind of record and its
primary key (or, for schedules and taxonomy terms, their content), so re-exports keep
their ids and a re-import finds the records it came from. Set
``TSUNAGU_HSDS_NAMESPACE`` (a UUID) in settings to give an installation its own ids.

The JSON schemas are not vendored (the specification is CC-BY-SA 4.0); the fields,
types and required fields of HSDS 3.0 are encoded in ``TABLES`` below.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import translation

from tsunagu.core import spreadsheet
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.directory.models import (
    Category,
    Eligibility,
    FundingBasis,
    Location,
    Organisation,
    OrganisationType,
    Resource,
    ResourceStatus,
    SogoServiceType,
    Visibility,
    WeeklySlot,
    phone_validator,
)

HSDS_VERSION = "3.0"
GENERATOR = "Tsunagu"
DEFAULT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tsunagu:hsds")
TIMEZONE_OFFSET = 9  # schedules are Japan Standard Time (UTC+9)
MAX_ERRORS_SHOWN = 30
MAX_YEN = 2_147_483_647  # the largest value the database column holds


def namespace() -> uuid.UUID:
    configured = getattr(settings, "TSUNAGU_HSDS_NAMESPACE", None)
    return uuid.UUID(str(configured)) if configured else DEFAULT_NAMESPACE


def hsds_id(kind: str, *parts: Any) -> str:
    """The stable HSDS id of one of our records (uuid5 of namespace + kind + parts)."""
    name = ":".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(namespace(), name))


# --- HSDS 3.0 tables -------------------------------------------------------------------

NONEMPTY = "nonempty"  # required, and a value must be given
PRESENT = "present"  # required (JSON schema "required"): the key/column must exist


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"  # string | number | date | time | datetime
    required: str | None = None
    enum: tuple[str, ...] | None = None
    format: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    title: str  # Japanese, for messages
    json_key: str  # the plural key used for lists of these records in JSON
    fields: tuple[Field, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _f(name: str, type: str = "string", required: str | None = None, **kw: Any) -> Field:
    return Field(name, type, required, **kw)


ID = _f("id", required=NONEMPTY, format="uuid")

# Field lists, types and required fields of HSDS 3.0 (schema/*.json of the
# openreferral/specification repository); tables we neither read nor write (program,
# contact, language, accessibility, required_document, organization_identifier,
# metadata) are left out: their records are accepted and ignored.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "organization",
            "organizations.csv",
            "組織",
            "organizations",
            (
                ID,
                _f("name", required=NONEMPTY),
                _f("alternate_name"),
                _f("description", required=PRESENT),
                _f("email", format="email"),
                _f("website", format="uri"),
                _f("tax_status"),
                _f("tax_id"),
                _f("year_incorporated", "number"),
                _f("legal_status"),
                _f("logo"),
                _f("uri", format="uri"),
                _f("parent_organization_id", format="uuid"),
            ),
        ),
        Table(
            "service",
            "services.csv",
            "サービス",
            "services",
            (
                ID,
                _f("organization_id", required=NONEMPTY, format="uuid"),
                _f("program_id", format="uuid"),
                _f("name", required=NONEMPTY),
                _f("alternate_name"),
                _f("description"),
                _f("url", format="uri"),
                _f("email", format="email"),
                _f(
                    "status",
                    required=NONEMPTY,
                    enum=("active", "inactive", "defunct", "temporarily closed"),
                ),
                _f("interpretation_services"),
                _f("application_process"),
                _f("fees_description"),
                _f("wait_time"),
                _f("fees"),
                _f("accreditations"),
                _f("eligibility_description"),
                _f("minimum_age", "number"),
                _f("maximum_age", "number"),
                _f("assured_date", "date"),
                _f("assurer_email", format="email"),
                _f("licenses"),
                _f("alert"),
                _f("last_modified", "datetime"),
            ),
        ),
        Table(
            "attribute",
            "attributes.csv",
            "属性",
            "attributes",
            (
                ID,
                _f("link_id"),
                _f("taxonomy_term_id", format="uuid"),
                _f("link_type"),
                _f("link_entity"),
                _f("value"),
            ),
        ),
        Table(
            "service_at_location",
            "service_at_location.csv",
            "サービス実施場所",
            "service_at_locations",
            (
                ID,
                _f("service_id", required=NONEMPTY, format="uuid"),
                _f("location_id", required=NONEMPTY, format="uuid"),
                _f("description"),
            ),
        ),
        Table(
            "location",
            "locations.csv",
            "場所",
            "locations",
            (
                ID,
                _f("location_type", required=NONEMPTY, enum=("physical", "postal", "virtual")),
                _f("url", format="uri"),
                _f("organization_id", format="uuid"),
                _f("name"),
                _f("alternate_name"),
                _f("description"),
                _f("transportation"),
                _f("latitude", "number"),
                _f("longitude", "number"),
                _f("external_identifier"),
                _f("external_identifier_type"),
            ),
        ),
        Table(
            "phone",
            "phones.csv",
            "電話番号",
            "phones",
            (
                ID,
                _f("location_id", format="uuid"),
                _f("service_id", format="uuid"),
                _f("organization_id", format="uuid"),
                _f("contact_id", format="uuid"),
                _f("service_at_location_id", format="uuid"),
                _f("number", required=NONEMPTY),
                _f("extension", "number"),
                _f("type"),
                _f("description"),
            ),
        ),
        Table(
            "address",
            "addresses.csv",
            "住所",
            "addresses",
            (
                ID,
                _f("location_id", format="uuid"),
                _f("attention"),
                _f("address_1", required=NONEMPTY),
                _f("address_2"),
                _f("city", required=PRESENT),
                _f("region"),
                _f("state_province", required=PRESENT),
                _f("postal_code", required=PRESENT),
                _f("country", required=NONEMPTY),
                _f("address_type", required=NONEMPTY, enum=("physical", "postal", "virtual")),
            ),
        ),
        Table(
            "schedule",
            "schedules.csv",
            "日程",
            "schedules",
            (
                ID,
                _f("service_id", format="uuid"),
                _f("location_id", format="uuid"),
                _f("service_at_location_id", format="uuid"),
                _f("valid_from", "date"),
                _f("valid_to", "date"),
                _f("dtstart", "date"),
                _f("timezone", "number"),
                _f("until", "date"),
                _f("count", "number"),
                _f("wkst", enum=("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
                _f("freq", enum=("WEEKLY", "MONTHLY")),
                _f("interval", "number"),
                _f("byday"),
                _f("byweekno"),
                _f("bymonthday"),
                _f("byyearday"),
                _f("description"),
                _f("opens_at", "time"),
                _f("closes_at", "time"),
                _f("schedule_link", format="uri"),
                _f("attending_type"),
                _f("notes"),
            ),
        ),
        Table(
            "funding",
            "funding.csv",
            "財源",
            "funding",
            (
                ID,
                _f("organization_id", format="uuid"),
                _f("service_id", format="uuid"),
                _f("source"),
            ),
        ),
        Table(
            "service_area",
            "service_areas.csv",
            "対象地域",
            "service_areas",
            (
                ID,
                _f("service_id", format="uuid"),
                _f("name"),
                _f("description"),
                _f("extent"),
                _f("extent_type"),
                _f("uri"),
            ),
        ),
        Table(
            "taxonomy_term",
            "taxonomy_terms.csv",
            "分類用語",
            "taxonomy_terms",
            (
                ID,
                _f("code"),
                _f("name", required=NONEMPTY),
                _f("description", required=PRESENT),
                _f("parent_id", format="uuid"),
                _f("taxonomy"),
                _f("language"),
                _f("taxonomy_id", format="uuid"),
                _f("term_uri", format="uri"),
            ),
        ),
        Table(
            "cost_option",
            "cost_options.csv",
            "費用",
            "cost_options",
            (
                ID,
                _f("service_id", format="uuid"),
                _f("valid_from", "date"),
                _f("valid_to", "date"),
                _f("option"),
                _f("currency"),
                _f("amount", "number"),
                _f("amount_description"),
            ),
        ),
        Table(
            "taxonomy",
            "taxonomies.csv",
            "分類体系",
            "taxonomies",
            (
                ID,
                _f("name", required=NONEMPTY),
                _f("description", required=PRESENT),
                _f("uri", format="uri"),
                _f("version"),
            ),
        ),
    )
}

# Resource names and file names publishers use for the same table.
TABLE_ALIASES: dict[str, str] = {}
for _table in TABLES.values():
    for _alias in (
        _table.name,
        _table.json_key,
        _table.path,
        _table.path.removesuffix(".csv"),
    ):
        TABLE_ALIASES[_alias] = _table.name
TABLE_ALIASES.update(
    {
        "service_at_locations.csv": "service_at_location",
        "services_at_location": "service_at_location",
        "services_at_location.csv": "service_at_location",
        "fundings": "funding",
        "taxonomy.csv": "taxonomy",
        "taxonomy_term.csv": "taxonomy_term",
    }
)

# Foreign keys we rely on: (table, field) -> referenced table.
REFERENCES: dict[tuple[str, str], str] = {
    ("service", "organization_id"): "organization",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("schedule", "service_id"): "service",
    ("schedule", "service_at_location_id"): "service_at_location",
    ("phone", "service_id"): "service",
    ("phone", "organization_id"): "organization",
    ("service_area", "service_id"): "service",
    ("address", "location_id"): "location",
    ("attribute", "taxonomy_term_id"): "taxonomy_term",
    ("cost_option", "service_id"): "service",
    ("funding", "service_id"): "service",
    ("funding", "organization_id"): "organization",
}
# References that may point outside the dataset (a parent not published, say): warnings.
SOFT_REFERENCES: dict[tuple[str, str], str] = {
    ("organization", "parent_organization_id"): "organization",
    ("location", "organization_id"): "organization",
    ("taxonomy_term", "parent_id"): "taxonomy_term",
}
LINK_ENTITIES = {"service": "service", "organization": "organization", "location": "location"}


# --- our own taxonomies --------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str = ""
    parent_code: str | None = None


@dataclass(frozen=True)
class OwnTaxonomy:
    key: str
    title: str
    description: str
    link_type: str
    link_entity: str
    terms: Callable[[], list[Term]]
    publish_all: bool = False  # publish every term, not only the ones used

    @property
    def name(self) -> str:
        return f"tsunagu-{self.key}"

    @property
    def id(self) -> str:
        return hsds_id("taxonomy", self.name)

    @property
    def uri(self) -> str:
        # An informal URN: Tsunagu owns no domain to mint http URIs under.
        return f"urn:tsunagu:taxonomy:{self.key}"

    def term_id(self, code: str) -> str:
        return hsds_id("taxonomy-term", self.name, code)

    def term_uri(self, code: str) -> str:
        return f"{self.uri}:{quote(code, safe='')}"


def _category_terms() -> list[Term]:
    return [
        Term(c.code, c.name, c.description or c.name_en, c.parent.code if c.parent else None)
        for c in Category.objects.select_related("parent").order_by("sort_order", "code")
    ]


def _eligibility_terms() -> list[Term]:
    return [Term(e.code, e.name, e.name_en) for e in Eligibility.objects.order_by("sort_order")]


def _choice_terms(choices: Any) -> Callable[[], list[Term]]:
    return lambda: [Term(value, str(label), value) for value, label in choices.choices]


CATEGORIES = OwnTaxonomy(
    "resource-categories",
    "つなぐ 地域資源の分類",
    "Tsunagu resource categories (地域資源の分類). code = Tsunagu category code.",
    "category",
    "service",
    _category_terms,
    publish_all=True,
)
ELIGIBILITY = OwnTaxonomy(
    "eligibility",
    "つなぐ 利用できる人",
    "Who may use a service (利用できる人).",
    "eligibility",
    "service",
    _eligibility_terms,
)
FUNDING_BASIS = OwnTaxonomy(
    "funding-basis",
    "つなぐ 財源・根拠",
    "Funding basis of a service (財源・根拠).",
    "funding_basis",
    "service",
    _choice_terms(FundingBasis),
)
SOGO_TYPES = OwnTaxonomy(
    "sogo-service-types",
    "つなぐ 総合事業の類型",
    "Type under the comprehensive care-prevention program (介護予防・日常生活支援総合事業).",
    "sogo_service_type",
    "service",
    _choice_terms(SogoServiceType),
)
ORGANISATION_TYPES = OwnTaxonomy(
    "organisation-types",
    "つなぐ 団体の種別",
    "Type of organisation (団体・組織の種別).",
    "organization_type",
    "organization",
    _choice_terms(OrganisationType),
)
LOCATION_ROLES = OwnTaxonomy(
    "location-roles",
    "つなぐ 場所の役割",
    "Role of a location: organisation-address marks an organisation's own address.",
    "location_role",
    "location",
    lambda: [Term("organisation-address", "団体の所在地", "The organisation's own address")],
)
OWN_TAXONOMIES = (CATEGORIES, ELIGIBILITY, FUNDING_BASIS, SOGO_TYPES, ORGANISATION_TYPES)
OWN_TAXONOMIES += (LOCATION_ROLES,)

STATUS_TO_HSDS = {
    ResourceStatus.ACTIVE: "active",
    ResourceStatus.PLANNED: "inactive",
    ResourceStatus.PAUSED: "temporarily closed",
    ResourceStatus.ENDED: "defunct",
}
STATUS_FROM_HSDS = {v: k for k, v in STATUS_TO_HSDS.items()}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = our Weekday value


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


# --- reading datasets ------------------------------------------------------------------


@dataclass
class Where:
    """Where a record came from, for messages: a JSON path or a CSV file and line."""

    table: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    record_id: str | None = None

    def describe(self, field_name: str | None = None) -> str:
        title = TABLES[self.table].title
        ident = f"（{title} id: {self.record_id}）" if self.record_id else f"（{title}）"
        if self.line is not None:
            text = f"{self.file} {self.line}行目"
            if field_name:
                text += f"の列「{field_name}」"
        else:
            text = ".".join(p for p in (self.path, field_name) if p)
            text = f"{self.file} の {text}" if self.file and text else (self.file or text)
        return text + ident


@dataclass
class Row:
    table: str
    data: dict[str, Any]
    where: Where
    values: dict[str, Any] = field(default_factory=dict)  # parsed, after validation

    @property
    def id(self) -> str:
        return str(self.data.get("id") or "")

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass
class Dataset:
    format: str  # json | tabular
    source_name: str | None = None
    tables: dict[str, dict[str, Row]] = field(default_factory=lambda: {name: {} for name in TABLES})
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tabular headers

    def error(self, where: Where | None, problem: str, field_name: str | None = None) -> None:
        self.errors.append(f"{where.describe(field_name)}: {problem}" if where else problem)

    def warn(self, where: Where | None, problem: str, field_name: str | None = None) -> None:
        self.warnings.append(f"{where.describe(field_name)}: {problem}" if where else problem)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _JsonReader:
    """Flattens HSDS JSON (nested records) into tables, filling links from the nesting."""

    def __init__(self, dataset: Dataset) -> None:
        self.ds = dataset
        self.missing_ids = 0

    def add(
        self, table: str, obj: Any, path: str, links: dict[str, Any] | None = None
    ) -> Row | None:
        where = Where(table, file=self.ds.source_name, path=path)
        if not isinstance(obj, dict):
            self.ds.error(where, "オブジェクト（{…}）で指定してください。")
            return None
        spec = TABLES[table]
        data = {k: obj[k] for k in spec.field_names if k in obj}
        raw_id = data.get("id")
        if isinstance(raw_id, int | str) and not isinstance(raw_id, bool) and str(raw_id).strip():
            data["id"] = str(raw_id).strip()
            where.record_id = data["id"]
        for key, value in (links or {}).items():
            if value is None:
                continue
            given = data.get(key)
            if _is_blank(given) or key == "link_entity":
                data[key] = value  # the nesting says what an attribute is attached to
            elif str(given).strip() != value:
                self.ds.error(
                    where,
                    f"入れ子になっている親の id（{value}）と一致しません（{given}）。",
                    key,
                )
        if "id" not in data or not isinstance(data["id"], str):
            self.ds.error(where, "必須の項目「id」がありません。", "id")
            self.missing_ids += 1
            key = f"（id なし {self.missing_ids}）"
        else:
            key = data["id"]
        rows = self.ds.tables[table]
        if key in rows:
            # The same record nested in several places (a phone of a service and of its
            # organisation, say): one record, with every link it was given.
            existing = rows[key]
            for k, v in data.items():
                if _is_blank(existing.data.get(k)) and not _is_blank(v):
                    existing.data[k] = v
            return existing
        row = Row(table, data, where)
        rows[key] = row
        return row

    def children(self, obj: dict[str, Any], key: str, path: str) -> Iterator[tuple[str, Any]]:
        value = obj.get(key)
        if value is None:
            return
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list):
            self.ds.errors.append(f"{self._prefix()}{where}: 配列（[…]）で指定してください。")
            return
        for i, item in enumerate(value):
            yield f"{where}[{i}]", item

    def _prefix(self) -> str:
        return f"{self.ds.source_name} の " if self.ds.source_name else ""

    def organization(self, obj: Any, path: str) -> Row | None:
        row = self.add("organization", obj, path)
        if row is None:
            return None
        org_id = row.id or None
        for p, item in self.children(obj, "services", path):
            self.service(item, p, organization_id=org_id)
        for p, item in self.children(obj, "locations", path):
            self.location(item, p, organization_id=org_id)
        for p, item in self.children(obj, "phones", path):
            self.add("phone", item, p, {"organization_id": org_id})
        for p, item in self.children(obj, "funding", path):
            self.add("funding", item, p, {"organization_id": org_id})
        for p, item in self.children(obj, "attributes", path):
            self.attribute(item, p, "organization", org_id)
        return row

    def service(self, obj: Any, path: str, organization_id: str | None = None) -> Row | None:
        if isinstance(obj, dict) and isinstance(obj.get("organization"), dict):
            org = self.organization(obj["organization"], _join(path, "organization"))
            if org is not None and org.id:
                organization_id = organization_id or org.id
        row = self.add("service", obj, path, {"organization_id": organization_id})
        if row is None:
            return None
        service_id = row.id or None
        link = {"service_id": service_id}
        for p, item in self.children(obj, "phones", path):
            self.add("phone", item, p, link)
        for p, item in self.children(obj, "schedules", path):
            self.add("schedule", item, p, link)
        for p, item in self.children(obj, "service_areas", path):
            self.add("service_area", item, p, link)
        for p, item in self.children(obj, "service_at_locations", path):
            self.service_at_location(item, p, service_id)
        for p, item in self.children(obj, "cost_options", path):
            self.add("cost_option", item, p, link)
        for key in ("funding", "fundings"):
            for p, item in self.children(obj, key, path):
                self.add("funding", item, p, link)
        for p, item in self.children(obj, "attributes", path):
            self.attribute(item, p, "service", service_id)
        return row

    def service_at_location(self, obj: Any, path: str, service_id: str | None) -> Row | None:
        location_id = None
        if isinstance(obj, dict) and isinstance(obj.get("location"), dict):
            location = self.location(obj["location"], _join(path, "location"))
            location_id = location.id if location is not None and location.id else None
        row = self.add(
            "service_at_location",
            obj,
            path,
            {"service_id": service_id, "location_id": location_id},
        )
        if row is None:
            return None
        for p, item in self.children(obj, "schedules", path):
            self.add(
                "schedule",
                item,
                p,
                {"service_id": row.data.get("service_id"), "service_at_location_id": row.id},
            )
        for p, item in self.children(obj, "service_areas", path):  # HSDS 3.1
            self.add("service_area", item, p, {"service_id": row.data.get("service_id")})
        return row

    def location(self, obj: Any, path: str, organization_id: str | None = None) -> Row | None:
        row = self.add("location", obj, path, {"organization_id": organization_id})
        if row is None:
            return None
        for p, item in self.children(obj, "addresses", path):
            self.add("address", item, p, {"location_id": row.id or None})
        for p, item in self.children(obj, "attributes", path):
            self.attribute(item, p, "location", row.id or None)
        return row

    def attribute(self, obj: Any, path: str, link_entity: str, link_id: str | None) -> Row | None:
        term_id = None
        if isinstance(obj, dict) and isinstance(obj.get("taxonomy_term"), dict):
            term = self.taxonomy_term(obj["taxonomy_term"], _join(path, "taxonomy_term"))
            term_id = term.id if term is not None and term.id else None
        return self.add(
            "attribute",
            obj,
            path,
            {"link_entity": link_entity, "link_id": link_id, "taxonomy_term_id": term_id},
        )

    def taxonomy_term(self, obj: Any, path: str) -> Row | None:
        taxonomy_id = None
        if isinstance(obj, dict) and isinstance(obj.get("taxonomy_detail"), dict):
            taxonomy = self.add("taxonomy", obj["taxonomy_detail"], _join(path, "taxonomy_detail"))
            taxonomy_id = taxonomy.id if taxonomy is not None and taxonomy.id else None
        return self.add("taxonomy_term", obj, path, {"taxonomy_id": taxonomy_id})

    def top_level_list(self, key: str, items: list[Any], path: str) -> None:
        handlers: dict[str, Callable[[Any, str], Any]] = {
            "organization": self.organization,
            "service": self.service,
            "location": self.location,
            "taxonomy_term": self.taxonomy_term,
            "service_at_location": lambda o, p: self.service_at_location(o, p, None),
            "attribute": lambda o, p: self.attribute(o, p, "", None),
        }
        table = TABLE_ALIASES[key]
        handler = handlers.get(table, lambda o, p: self.add(table, o, p))
        for i, item in enumerate(items):
            handler(item, f"{path}[{i}]")

    def read(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            data = data["contents"]  # one page of an HSDS API list response
        if isinstance(data, list):
            for i, item in enumerate(data):
                if _looks_like_service(item):
                    self.service(item, f"[{i}]")
                else:
                    self.organization(item, f"[{i}]")
            return
        if not isinstance(data, dict):
            self.ds.errors.append(
                f"{self._prefix()}HSDS の JSON はオブジェクトか配列で指定してください。"
            )
            return
        if "id" in data:  # one record: an organisation (with its services) or a service
            if _looks_like_service(data):
                self.service(data, "")
            else:
                self.organization(data, "")
            return
        lists = {
            k: v
            for k, v in data.items()
            if k in TABLE_ALIASES and isinstance(v, list) and not k.endswith(".csv")
        }
        if lists:
            # Organisations first, so services listed on their own find them.
            order = {name: i for i, name in enumerate(TABLES)}
            for key in sorted(lists, key=lambda k: order[TABLE_ALIASES[k]]):
                self.top_level_list(key, lists[key], key)
            return
        self.ds.errors.append(
            f"{self._prefix()}HSDS のデータが見つかりません"
            "（organizations・services などの配列か、組織・サービスのオブジェクトが必要です）。"
        )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _looks_like_service(item: Any) -> bool:
    return isinstance(item, dict) and any(
        k in item for k in ("organization", "organization_id", "status", "service_at_locations")
    )


def _read_json(data: Any, *, source_name: str | None) -> Dataset:
    dataset = Dataset("json", source_name=source_name)
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            prefix = f"{source_name} の" if source_name else ""
            dataset.errors.append(
                f"{prefix}JSON を読み取れません（{exc.lineno}行目 {exc.colno}文字目: {exc.msg}）。"
            )
            return dataset
    _JsonReader(dataset).read(data)
    return dataset


class _Source:
    """Files of a tabular package: a directory or a zip file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.zip: zipfile.ZipFile | None = None
        self.root = ""
        if self.path.is_file() and zipfile.is_zipfile(self.path):
            self.zip = zipfile.ZipFile(self.path)
            names = [n for n in self.zip.namelist() if n.rsplit("/", 1)[-1] == "datapackage.json"]
            if names:
                best = min(names, key=lambda n: n.count("/"))
                self.root = best[: -len("datapackage.json")]

    def read(self, name: str) -> bytes | None:
        name = name.lstrip("./")
        if self.zip is not None:
            try:
                return self.zip.read(self.root + name)
            except KeyError:
                return None
        target = (self.path / name).resolve()
        if self.path.resolve() not in target.parents or not target.is_file():
            return None
        return target.read_bytes()

    def exists(self) -> bool:
        return self.read("datapackage.json") is not None


def _decode(raw: bytes) -> str:
    return decode_spreadsheet_text(raw)[0]


def _read_tabular(path: Path) -> Dataset:
    source = _Source(path)
    dataset = Dataset("tabular", source_name=Path(path).name)
    descriptor_raw = source.read("datapackage.json")
    if descriptor_raw is None:
        dataset.errors.append(
            f"{Path(path).name}: datapackage.json が見つかりません"
            "（HSDS の表形式は CSV ファイルと datapackage.json を同じフォルダーに置きます）。"
        )
        return dataset
    try:
        descriptor = json.loads(_decode(descriptor_raw))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        dataset.errors.append(f"datapackage.json を読み取れません（{exc}）。")
        return dataset
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        dataset.errors.append("datapackage.json に resources の配列がありません。")
        return dataset
    paths: dict[str, str] = {}
    for i, resource in enumerate(resources):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name") or "")
        resource_path = resource.get("path")
        if isinstance(resource_path, list):  # a resource split over several files
            resource_path = resource_path[0] if resource_path else None
        table = TABLE_ALIASES.get(name) or TABLE_ALIASES.get(str(resource_path or ""))
        if table is None:
            continue  # a table we do not use (contacts, programs …) or an extension
        if not isinstance(resource_path, str) or not resource_path:
            dataset.errors.append(
                f"datapackage.json の resources[{i}]（{name}）に path がありません。"
            )
            continue
        paths.setdefault(table, resource_path)
    for table, resource_path in paths.items():
        raw = source.read(resource_path)
        if raw is None:
            dataset.errors.append(f"datapackage.json に書かれた {resource_path} が見つかりません。")
            continue
        try:
            text = _decode(raw)
        except UnicodeDecodeError:
            dataset.errors.append(f"{resource_path}: 文字コードを UTF-8 にしてください。")
            continue
        _read_csv(dataset, table, resource_path.rsplit("/", 1)[-1], text)
    return dataset


def _read_csv(dataset: Dataset, table: str, file_name: str, text: str) -> None:
    spec = TABLES[table]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        dataset.errors.append(f"{file_name} 1行目: CSV を読み取れません（{exc}）。")
        return
    dataset.columns[table] = tuple(header)
    for f in spec.fields:
        if f.required and f.name not in header:
            dataset.errors.append(f"{file_name}: 必須の列「{f.name}」がありません。")
    rows = dataset.tables[table]
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            dataset.errors.append(f"{file_name} {start}行目: CSV を読み取れません（{exc}）。")
            break
        line = start
        if not any(c.strip() for c in cells):
            continue
        data = {
            # Our own export neutralises formula-like cells: read them back as written.
            name: (spreadsheet.unneutralise(cells[i]) if i < len(cells) else "")
            for i, name in enumerate(header)
            if name in spec.field_names
        }
        data = {k: (v.strip() if v.strip() else None) for k, v in data.items()}
        where = Where(table, file=file_name, line=line, record_id=data.get("id"))
        row = Row(table, data, where)
        if not data.get("id"):
            dataset.error(where, "必須の項目です。値がありません。", "id")
            rows[f"（id なし {file_name}:{line}）"] = row
            continue
        if data["id"] in rows:
            first = rows[data["id"]].where
            dataset.error(where, f"id が重複しています（{first.line}行目と同じ）。", "id")
            continue
        rows[data["id"]] = row


# --- validation ------------------------------------------------------------------------

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_BYDAY_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _parse_value(spec: Field, value: Any) -> Any:
    """The parsed value, or raise ValueError with a Japanese reason."""
    if spec.type == "number":
        if isinstance(value, bool):
            raise ValueError("数値で指定してください。")
        if isinstance(value, int | float):
            return Decimal(str(value))
        if isinstance(value, str):
            try:
                return Decimal(unicodedata.normalize("NFKC", value).strip().replace(",", ""))
            except InvalidOperation:
                pass
        raise ValueError(f"数値で指定してください（{value!r}）。")
    if not isinstance(value, str):
        if spec.name.endswith("id") and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise ValueError(f"文字列で指定してください（{value!r}）。")
    text = value.strip()
    if spec.type == "date":
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"日付は YYYY-MM-DD の形で指定してください（{text}）。") from None
    if spec.type == "time":
        match = _TIME_RE.match(text)
        if not match:
            raise ValueError(f"時刻は HH:MM の形で指定してください（{text}）。")
        hour, minute, second = (int(g) if g else 0 for g in match.groups()[:3])
        try:
            # Times are the service's wall-clock times; a UTC offset suffix is not applied.
            return datetime.time(hour, minute, second)
        except ValueError:
            raise ValueError(f"時刻が正しくありません（{text}）。") from None
    if spec.type == "datetime":
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"日時は ISO 8601 の形で指定してください（{text}）。") from None
    if spec.enum and text not in spec.enum:
        allowed = "、".join(spec.enum)
        raise ValueError(f"{allowed} のいずれかにしてください（{text}）。")
    return text


def _validate_fields(dataset: Dataset) -> None:
    for table_name, rows in dataset.tables.items():
        spec = TABLES[table_name]
        for row in rows.values():
            for f in spec.fields:
                present = f.name in row.data
                value = row.data.get(f.name)
                if _is_blank(value):
                    if f.required == NONEMPTY and f.name != "id":
                        dataset.error(row.where, "必須の項目です。値がありません。", f.name)
                    elif f.required == PRESENT and dataset.format == "json" and not present:
                        dataset.error(row.where, "必須の項目がありません。", f.name)
                    continue
                try:
                    row.values[f.name] = _parse_value(f, value)
                except ValueError as exc:
                    dataset.error(row.where, str(exc), f.name)


def _drop_dangling(dataset: Dataset, row: Row, fname: str, title: str, value: Any) -> None:
    # Published data often links to records left out of the package: an optional link to
    # nothing is dropped with a 注意 (file, row, column), the record itself is imported.
    row.values.pop(fname, None)
    dataset.warn(
        row.where, f"{title} {value} はデータにないため、このつながりは取り込みません。", fname
    )


def _validate_references(dataset: Dataset) -> None:
    tables = dataset.tables
    for (table, fname), target in {**REFERENCES, **SOFT_REFERENCES}.items():
        soft = (table, fname) in SOFT_REFERENCES
        if table == "taxonomy_term" and fname == "taxonomy_id":
            continue
        for row in tables[table].values():
            value = row.get(fname)
            if value is None or value in tables[target]:
                continue
            title = TABLES[target].title
            if soft:
                _drop_dangling(dataset, row, fname, title, value)
            else:
                dataset.error(row.where, f"{title} {value} がデータにありません。", fname)
    if tables["taxonomy"]:
        for row in tables["taxonomy_term"].values():
            value = row.get("taxonomy_id")
            if value is not None and value not in tables["taxonomy"]:
                _drop_dangling(dataset, row, "taxonomy_id", "分類体系", value)
    for row in tables["attribute"].values():
        entity = LINK_ENTITIES.get(str(row.get("link_entity") or "").lower())
        link_id = row.get("link_id")
        if entity and link_id is not None and link_id not in tables[entity]:
            title = TABLES[entity].title
            dataset.error(row.where, f"{title} {link_id} がデータにありません。", "link_id")
    for row in tables["schedule"].values():
        byday = row.get("byday")
        if byday is None:
            continue
        for part in str(byday).upper().replace(" ", "").split(","):
            if part and not _BYDAY_RE.match(part):
                dataset.error(
                    row.where,
                    f"曜日は MO,TU のように指定してください（{byday}）。",
                    "byday",
                )
                break


def _validate(dataset: Dataset) -> None:
    if dataset.errors:
        return  # the structure is broken: field checks would only repeat it
    _validate_fields(dataset)
    _validate_references(dataset)


# --- import ----------------------------------------------------------------------------


class HsdsImportError(TsunaguError):
    """Validation failed; ``errors`` lists every problem, each naming file, record, field."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        head = f"HSDS データに {len(errors)} 件の誤りがあるため、何も取り込みませんでした。"
        lines = [head, *shown]
        if more:
            lines.append(f"ほか {more} 件")
        super().__init__("\n".join(lines), code="hsds_invalid")
        self.errors = errors


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: str, kind: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    def __str__(self) -> str:
        kinds = {"organisation": "団体", "resource": "地域資源", "location": "場所"}

        def part(bucket: dict[str, int]) -> str:
            return "、".join(f"{kinds[k]} {n}件" for k, n in bucket.items() if n) or "なし"

        lines = [
            f"新規: {part(self.created)}",
            f"更新: {part(self.updated)}",
            f"変更なし: {part(self.unchanged)}",
        ]
        if self.warnings:
            lines.append(f"注意 {len(self.warnings)} 件:")
            lines += [f"  - {w}" for w in self.warnings]
        return "\n".join(lines)


def _norm(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).casefold()


def _own_taxonomy(dataset: Dataset, term: Row) -> OwnTaxonomy | None:
    """Which of our taxonomies a term belongs to (by taxonomy id, name or URI), if any."""
    marks = {str(term.get("taxonomy_id") or ""), str(term.get("taxonomy") or "")}
    taxonomy_row = dataset.tables["taxonomy"].get(str(term.get("taxonomy_id") or ""))
    if taxonomy_row is not None:
        marks |= {str(taxonomy_row.get("name") or ""), str(taxonomy_row.get("uri") or "")}
    for taxonomy in OWN_TAXONOMIES:
        if marks & {taxonomy.id, taxonomy.name, taxonomy.uri}:
            return taxonomy
    return None


_SHORT_FIELDS = {  # Resource text fields with a length limit that HSDS text may exceed
    "cost_note": ("費用の説明", 300),
    "eligibility_note": ("利用条件の補足", 300),
    "schedule_note": ("日程の説明", 300),
    "subsidy_name": ("補助金の名称", 200),
}


class _Importer:
    def __init__(self, dataset: Dataset, *, municipality: Any, actor: Any, visibility: str) -> None:
        self.ds = dataset
        self.t = dataset.tables
        self.municipality = municipality
        self.actor = actor
        self.visibility = visibility
        self.summary = ImportSummary(warnings=dataset.warnings)
        self.categories = {c.code: c for c in Category.objects.all()}
        self.eligibility = {e.code: e for e in Eligibility.objects.all()}
        self.orgs = {o.pk: o for o in Organisation.objects.filter(municipality=municipality)}
        self.org_by_hsds = {hsds_id("organisation", pk): o for pk, o in self.orgs.items()}
        self.org_by_source = {o.source: o for o in self.orgs.values() if o.source}
        self.resources = {
            hsds_id("resource", r.pk): r
            for r in Resource.objects.filter(municipality=municipality).prefetch_related(
                "eligibility",
                "daily_life_areas",
                "districts",
                "locations",
                "weekly_slots",
                "sessions",
            )
        }
        self.resource_by_source = {r.source: r for r in self.resources.values() if r.source}
        self.locations = {
            hsds_id("location", loc.pk): loc
            for loc in Location.objects.filter(municipality=municipality)
        }
        self.daily_life_areas = {_norm(a.name): a for a in municipality.daily_life_areas.all()}
        self.districts = {_norm(a.name): a for a in municipality.districts.all()}
        self._index_links()

    # dataset lookups ------------------------------------------------------------------

    def _index_links(self) -> None:
        self.attributes: dict[tuple[str, str], list[Row]] = {}
        for row in self.t["attribute"].values():
            link_id = row.get("link_id")
            term_id = row.get("taxonomy_term_id")
            if link_id is None or term_id is None:
                self.ds.warn(row.where, "link_id か taxonomy_term_id がないため無視します。")
                continue
            entity = str(row.get("link_entity") or "").lower()
            entity = LINK_ENTITIES.get(entity) or self._entity_of(link_id)
            self.attributes.setdefault((entity, link_id), []).append(row)
        self.by_link: dict[tuple[str, str, str], list[Row]] = {}
        for table, key in (
            ("phone", "organization_id"),
            ("phone", "service_id"),
            ("schedule", "service_id"),
            ("service_area", "service_id"),
            ("service_at_location", "service_id"),
            ("address", "location_id"),
            ("cost_option", "service_id"),
            ("funding", "service_id"),
        ):
            for row in self.t[table].values():
                value = row.get(key)
                if value is not None:
                    self.by_link.setdefault((table, key, value), []).append(row)
        for row in self.t["schedule"].values():
            sal = self.t["service_at_location"].get(str(row.get("service_at_location_id") or ""))
            if row.get("service_id") is None and sal is not None:
                service_id = sal.get("service_id")
                self.by_link.setdefault(("schedule", "service_id", service_id), []).append(row)

    def _entity_of(self, link_id: str) -> str:
        for entity in ("service", "organization", "location"):
            if link_id in self.t[entity]:
                return entity
        return ""

    def linked(self, table: str, key: str, value: str) -> list[Row]:
        return self.by_link.get((table, key, value), [])

    def terms_of(self, entity: str, record_id: str) -> list[tuple[OwnTaxonomy | None, Row]]:
        found = []
        for attribute in self.attributes.get((entity, record_id), []):
            term = self.t["taxonomy_term"].get(str(attribute.get("taxonomy_term_id")))
            if term is not None:
                found.append((_own_taxonomy(self.ds, term), term))
        return found

    # value helpers --------------------------------------------------------------------

    def text(self, row: Row, name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value)

    def checked_text(self, row: Row, name: str, limit: int, *, label: str) -> str:
        value = self.text(row, name)
        if len(value) > limit:
            self.ds.error(
                row.where, f"{label}は{limit}文字以内にしてください（{len(value)}文字）。", name
            )
        return value

    def url(self, row: Row, name: str) -> str:
        value = self.text(row, name)
        if not value:
            return ""
        if "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", value, re.I):
            value = "https://" + value  # "www.example.org": a scheme is all that is missing
        try:
            URLValidator()(value)
        except ValidationError:
            self.ds.error(row.where, f"URL の形が正しくありません（{value}）。", name)
            return ""
        if len(value) > 200:
            self.ds.error(row.where, "URL は200文字以内にしてください。", name)
        return value

    def email(self, row: Row, name: str) -> str:
        value = self.text(row, name)
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.ds.error(row.where, f"メールアドレスの形が正しくありません（{value}）。", name)
            return ""
        return value

    def phone(self, rows: list[Row]) -> str:
        # Prefer a number that belongs to this record alone over one shared with others.
        for row in sorted(
            rows,
            key=lambda r: sum(
                1
                for k in ("service_id", "organization_id", "location_id", "contact_id")
                if r.get(k)
            ),
        ):
            number = unicodedata.normalize("NFKC", self.text(row, "number")).strip().strip("\"'")
            try:
                phone_validator(number)
            except ValidationError:
                self.ds.warn(
                    row.where,
                    f"電話番号「{number}」は数字とハイフンの形ではないため取り込みません。",
                    "number",
                )
                continue
            return number
        return ""

    def coordinate(self, row: Row, name: str, limit: int) -> Decimal | None:
        value = row.get(name)
        if value is None:
            return None
        if not (-limit <= value <= limit):
            self.ds.warn(row.where, f"{value} は範囲外（±{limit}）のため取り込みません。", name)
            return None
        return value.quantize(Decimal("0.000001"))

    # mapping --------------------------------------------------------------------------

    def org_type(self, row: Row) -> str | None:
        for taxonomy, term in self.terms_of("organization", row.id):
            if taxonomy is ORGANISATION_TYPES and term.get("code") in OrganisationType.values:
                return str(term.get("code"))
        legal = _norm(row.get("legal_status"))
        if legal:
            for value, label in OrganisationType.choices:
                if legal in (_norm(value), _norm(label)):
                    return value
        return None

    def category_and_notes(self, row: Row) -> tuple[Category, list[str]]:
        terms = self.terms_of("service", row.id)
        for taxonomy, term in terms:
            if taxonomy is CATEGORIES and term.get("code") in self.categories:
                return self.categories[str(term.get("code"))], []
        by_name: dict[str, Category] = {}
        for category in self.categories.values():
            for key in (category.name, category.name_en, category.code):
                if key:
                    by_name.setdefault(_norm(key), category)
        foreign = []
        for taxonomy, term in terms:
            if taxonomy not in (None, CATEGORIES):
                continue  # eligibility, funding … are read elsewhere
            match = by_name.get(_norm(term.get("name"))) or (
                by_name.get(_norm(term.get("code"))) if taxonomy is CATEGORIES else None
            )
            if match is not None:
                return match, []
            if taxonomy is None and _norm(term.get("name")) in {
                _norm(e.name) for e in self.eligibility.values()
            }:
                continue
            foreign.append(str(term.get("name")))
        other = self.categories.get("other")
        if other is None:
            raise TsunaguError(
                "分類「その他」（other）がないため取り込めません。管理者に連絡してください。"
            )
        notes = [f"元の分類: {'、'.join(dict.fromkeys(foreign))}"] if foreign else []
        return other, notes

    def eligibility_of(self, row: Row) -> list[Eligibility]:
        found: dict[str, Eligibility] = {}
        names = {_norm(e.name): e for e in self.eligibility.values()}
        own = False
        for taxonomy, term in self.terms_of("service", row.id):
            if taxonomy is ELIGIBILITY:
                own = True
                code = str(term.get("code") or "")
                match = self.eligibility.get(code) or names.get(_norm(term.get("name")))
            elif taxonomy is None:
                match = names.get(_norm(term.get("name")))
            else:
                continue
            if match is not None:
                found[match.code] = match
        minimum_age = row.get("minimum_age")
        if (
            not own
            and minimum_age is not None
            and minimum_age >= 65
            and "age-65" in self.eligibility
        ):
            found["age-65"] = self.eligibility["age-65"]
        return sorted(found.values(), key=lambda e: (e.sort_order, e.code))

    def own_code(self, row: Row, taxonomy: OwnTaxonomy, allowed: Iterable[str]) -> str:
        allowed = set(allowed)
        for found, term in self.terms_of("service", row.id):
            if found is taxonomy and term.get("code") in allowed:
                return str(term.get("code"))
        return ""

    def areas(self, row: Row) -> tuple[dict[str, Any], list[str]]:
        whole, dlas, districts, unmatched = False, {}, {}, []
        for area in self.linked("service_area", "service_id", row.id):
            kind, name = None, self.text(area, "name")
            uri = self.text(area, "uri")
            match = re.match(r"^urn:tsunagu:area:(?:municipality:\d+|\d*:([\w-]+):(.*))$", uri)
            if match:
                kind = "municipality" if match.group(1) is None else match.group(1)
                name = unquote(match.group(2) or "") or name
            key = _norm(name)
            if kind in (None, "municipality") and (
                kind == "municipality" or key == _norm(self.municipality.name)
            ):
                whole = True
            elif kind in (None, "daily-life-area") and key in self.daily_life_areas:
                dlas[key] = self.daily_life_areas[key]
            elif kind in (None, "district") and key in self.districts:
                districts[key] = self.districts[key]
            elif name:
                unmatched.append(name)
                self.ds.warn(
                    area.where,
                    f"対象地域「{name}」は{self.municipality.name}の区域にないため、内容欄に記載します。",
                    "name",
                )
        data = {
            "serves_whole_municipality": whole,
            "daily_life_areas": list(dlas.values()),
            "districts": list(districts.values()),
        }
        notes = [f"対象地域（元データ）: {'、'.join(unmatched)}"] if unmatched else []
        return data, notes

    def schedules(self, row: Row) -> tuple[dict[str, Any], list[str]]:
        slots: list[dict[str, Any]] = []
        sessions: list[dict[str, Any]] = []
        notes: list[str] = []
        for schedule in self.linked("schedule", "service_id", row.id):
            opens, closes = schedule.get("opens_at"), schedule.get("closes_at")
            freq, byday = schedule.get("freq"), self.text(schedule, "byday").upper()
            dtstart, until = schedule.get("dtstart"), schedule.get("until")
            description = self.text(schedule, "description")
            notes_text = self.text(schedule, "notes")
            count = schedule.get("count")
            if dtstart is not None and (until == dtstart or count == 1 or freq is None):
                if len(notes_text) > 200:
                    notes.append(notes_text)
                    notes_text = notes_text[:199] + "…"
                    self.ds.warn(
                        schedule.where,
                        "備考が200文字を超えるため、全文を日程の説明に記載します。",
                        "notes",
                    )
                sessions.append(
                    {"date": dtstart, "opens_at": opens, "closes_at": closes, "note": notes_text}
                )
                if description:
                    notes.append(description)
                continue
            if freq is None or not byday:
                text = description or notes_text
                if text:
                    notes.append(text)
                continue
            exact, added = True, []
            for part in filter(None, byday.replace(" ", "").split(",")):
                match = _BYDAY_RE.match(part)
                if match is None:
                    continue
                ordinal = int(match.group(1)) if match.group(1) else None
                weekday = DAY_CODES.index(match.group(2))
                if ordinal is not None and not (freq == "MONTHLY" and 1 <= ordinal <= 5):
                    exact = False
                    continue
                added.append(
                    {
                        "weekday": weekday,
                        "week_of_month": ordinal,
                        "opens_at": opens,
                        "closes_at": closes,
                    }
                )
            interval = schedule.get("interval")
            thinned = (interval is not None and interval != 1) or any(
                schedule.get(k) for k in ("byweekno", "bymonthday", "byyearday")
            )
            bounded = any(
                v is not None
                for v in (count, until, schedule.get("valid_from"), schedule.get("valid_to"))
            )
            if thinned:
                # Every other week, some weeks only …: a weekly slot would promise too much.
                exact, added = False, []
            elif bounded:
                exact = False  # right days and times, but only for a while: say so too
            slots += added
            if not exact:
                notes.append(description or notes_text or _rrule_text(schedule))
                self.ds.warn(
                    schedule.where,
                    "この繰り返しは曜日ごとの日程で表しきれないため、日程の説明に記載します。",
                )
            elif description and [description] != [str(WeeklySlot(**a)) for a in added]:
                notes.append(description)  # not just our own rendering of the slot
        slots = list({tuple(sorted(s.items(), key=str)): s for s in slots}.values())
        return {"weekly_slots": slots, "sessions": sessions}, notes

    def cost(self, row: Row) -> int | None:
        for option in self.linked("cost_option", "service_id", row.id):
            amount = option.get("amount")
            currency = self.text(option, "currency").upper()
            if amount is None:
                continue
            if (
                currency in ("", "JPY", "YEN", "円")
                and amount >= 0
                and amount == amount.to_integral()
            ):
                if amount > MAX_YEN:
                    self.ds.error(
                        option.where, f"金額は {MAX_YEN} 円以下にしてください。", "amount"
                    )
                    return None
                return int(amount)
            self.ds.warn(
                option.where, f"費用 {amount} {currency} は円の金額ではないため取り込みません。"
            )
        return None

    def fit(self, data: dict[str, Any], extra: list[str], row: Row) -> None:
        """Move over-long short texts to the description, keeping their beginning."""
        for name, (label, limit) in _SHORT_FIELDS.items():
            value = data.get(name) or ""
            if len(value) > limit:
                extra.append(f"{label}: {value}")
                data[name] = value[: limit - 1] + "…"
                self.ds.warn(
                    row.where, f"{label}が{limit}文字を超えるため、全文を内容欄に記載します。"
                )

    # plan and write -------------------------------------------------------------------

    def plan(self) -> None:
        """Map every record to our fields (collecting errors); write nothing."""
        self.org_plans: dict[str, dict[str, Any]] = {}
        self.location_plans: dict[str, dict[str, Any]] = {}
        self.org_address_rows: dict[str, Row] = {}
        self.resource_plans: dict[str, dict[str, Any]] = {}
        names: dict[str, Row] = {}
        for row in self.t["organization"].values():
            name = self.checked_text(row, "name", 200, label="名称")
            kana = self.checked_text(row, "alternate_name", 200, label="よみがな（alternate_name）")
            data: dict[str, Any] = {
                "name": name,
                "name_kana": kana,
                "description": self.text(row, "description"),
                "email": self.email(row, "email"),
                "website": self.url(row, "website"),
                "phone": self.phone(self.linked("phone", "organization_id", row.id)),
            }
            org_type = self.org_type(row)
            if org_type:
                data["org_type"] = org_type
            year = row.get("year_incorporated")
            if year is not None:
                if year != year.to_integral() or not (1 <= year <= 9999):
                    self.ds.error(
                        row.where,
                        f"年は西暦の整数で指定してください（{year}）。",
                        "year_incorporated",
                    )
                else:
                    data["_year"] = int(year)
            match = self.org_by_hsds.get(row.id) or self._org_by_source(row.id)
            if match is None:
                match = next((o for o in self.orgs.values() if o.name == name), None)
            other = names.get(name)
            if other is not None:
                self.ds.error(
                    row.where,
                    f"組織名「{name}」が {other.where.describe()} と重複しています"
                    "（組織名は市町村内で重複できません）。",
                    "name",
                )
            names[name] = row
            self.org_plans[row.id] = {"row": row, "data": data, "match": match}
        matched: dict[int, Row] = {}
        for plan in self.org_plans.values():
            match = plan["match"]
            if match is not None:
                if match.pk in matched:
                    self.ds.error(
                        plan["row"].where,
                        f"{matched[match.pk].where.describe()} と同じ既存の組織「{match.name}」に対応します。",
                    )
                matched[match.pk] = plan["row"]
        for row in self.t["location"].values():
            if self._is_organisation_address(row):
                org_id = row.get("organization_id")
                if org_id in self.org_plans:
                    self.org_address_rows[org_id] = row
                    if not self.linked_to_service(row.id):
                        continue
            self.location_plans[row.id] = self._location_plan(row)
        for org_id, row in self.org_address_rows.items():
            address = self._address(row.id)
            self.org_plans[org_id]["data"].update(
                {
                    "address": address[0],
                    "postal_code": address[1],
                    "latitude": self.coordinate(row, "latitude", 90),
                    "longitude": self.coordinate(row, "longitude", 180),
                }
            )
        for row in self.t["service"].values():
            self.resource_plans[row.id] = self._resource_plan(row)

    def linked_to_service(self, location_id: str) -> bool:
        return any(
            r.get("location_id") == location_id for r in self.t["service_at_location"].values()
        )

    def _org_by_source(self, record_id: str) -> Organisation | None:
        """An organisation an earlier import of this (foreign) record created."""
        return self.org_by_source.get(_source_marker(record_id))

    def _is_organisation_address(self, row: Row) -> bool:
        return any(
            taxonomy is LOCATION_ROLES and term.get("code") == "organisation-address"
            for taxonomy, term in self.terms_of("location", row.id)
        )

    def _address(self, location_id: str) -> tuple[str, str]:
        for address in self.linked("address", "location_id", location_id):
            lines = [self.text(address, "address_1"), self.text(address, "address_2")]
            country = self.text(address, "country").upper()
            if country not in ("JP", "JPN", "JAPAN", "日本"):
                # Japanese addresses carry the prefecture and city in the line itself.
                lines += [self.text(address, "city"), self.text(address, "state_province")]
                lines.append(country)
            text = " ".join(p for p in lines if p)
            postal = self.text(address, "postal_code")
            if len(postal) > 8:
                self.ds.warn(
                    address.where, "郵便番号が8文字を超えるため住所に含めます。", "postal_code"
                )
                text, postal = f"{text} {postal}", ""
            if len(text) > 300:
                self.ds.error(address.where, "住所は300文字以内にしてください。", "address_1")
            return text, postal
        return "", ""

    def _location_plan(self, row: Row) -> dict[str, Any]:
        address, postal = self._address(row.id)
        name = self.text(row, "name") or address or self.text(row, "alternate_name")
        if not name:
            org = self.t["organization"].get(str(row.get("organization_id") or ""))
            name = self.text(org, "name") if org is not None else "（名称なし）"
        if len(name) > 200:
            self.ds.error(row.where, "場所の名称は200文字以内にしてください。", "name")
        data = {
            "name": name,
            "address": address,
            "postal_code": postal,
            "latitude": self.coordinate(row, "latitude", 90),
            "longitude": self.coordinate(row, "longitude", 180),
        }
        match = self.locations.get(row.id)
        if match is None:
            match = Location.objects.filter(
                municipality=self.municipality, name=name, address=address
            ).first()
        return {"row": row, "data": data, "match": match}

    def _resource_plan(self, row: Row) -> dict[str, Any]:
        extra: list[str] = []
        category, category_notes = self.category_and_notes(row)
        areas, area_notes = self.areas(row)
        schedules, schedule_notes = self.schedules(row)
        funding = [self.text(f, "source") for f in self.linked("funding", "service_id", row.id)]
        status = STATUS_FROM_HSDS.get(str(row.get("status") or ""), ResourceStatus.ACTIVE)
        data: dict[str, Any] = {
            "name": self.checked_text(row, "name", 200, label="名称"),
            "name_kana": self.checked_text(
                row, "alternate_name", 200, label="よみがな（alternate_name）"
            ),
            "category": category,
            "website": self.url(row, "url"),
            "status": status,
            "how_to_apply": self.text(row, "application_process"),
            "cost_note": self.text(row, "fees_description"),
            "cost_yen": self.cost(row),
            "eligibility_note": self.text(row, "eligibility_description"),
            "eligibility": self.eligibility_of(row),
            "last_verified_on": row.get("assured_date"),
            "contact_phone": self.phone(self.linked("phone", "service_id", row.id)),
            "funding_basis": self.own_code(row, FUNDING_BASIS, FundingBasis.values),
            "sogo_service_type": self.own_code(row, SOGO_TYPES, SogoServiceType.values),
            "subsidy_name": "、".join(s for s in funding if s),
            "schedule_note": "\n".join(dict.fromkeys(schedule_notes)),
            **areas,
            **schedules,
        }
        self.fit(data, extra, row)
        description = self.text(row, "description")
        additions = [n for n in [*category_notes, *area_notes, *extra] if n not in description]
        data["description"] = "\n\n".join(p for p in [description, *additions] if p)
        return {
            "row": row,
            "data": data,
            "match": self.resources.get(row.id) or self._resource_by_source(row.id),
        }

    def _resource_by_source(self, record_id: str) -> Resource | None:
        return self.resource_by_source.get(_source_marker(record_id))

    def write(self) -> None:
        from tsunagu.directory import services

        orgs: dict[str, Organisation] = {}
        for record_id, plan in self.org_plans.items():
            data = dict(plan["data"])
            year = data.pop("_year", None)
            existing: Organisation | None = plan["match"]
            if year is not None:
                keep = (
                    existing is not None
                    and existing.founded_on
                    and existing.founded_on.year == year
                )
                data["founded_on"] = existing.founded_on if keep else datetime.date(year, 1, 1)
            orgs[record_id] = self._save_org(existing, data, plan["row"], services)
        for record_id, plan in self.org_plans.items():  # parents, once all exist
            parent_id = plan["row"].get("parent_organization_id")
            if parent_id in orgs and orgs[record_id].parent_id != orgs[parent_id].pk:
                self._call(
                    plan["row"],
                    lambda r=record_id, p=parent_id: services.organisation_update(
                        organisation=orgs[r], data={"parent": orgs[p]}, actor=self.actor
                    ),
                )
                self._mark_updated("organisation", orgs[record_id])
        locations: dict[str, Location] = {}
        for record_id, plan in self.location_plans.items():
            data = dict(plan["data"])
            org_id = plan["row"].get("organization_id")
            if org_id in orgs:
                data["organisation"] = orgs[org_id]
            locations[record_id] = self._save(
                "location",
                plan["match"],
                data,
                plan["row"],
                services.location_create,
                lambda obj, d: services.location_update(location=obj, data=d, actor=self.actor),
            )
        for record_id, plan in self.resource_plans.items():
            data = dict(plan["data"])
            data["provider"] = orgs[str(plan["row"].get("organization_id"))]
            data["locations"] = [
                locations[str(sal.get("location_id"))]
                for sal in self.linked("service_at_location", "service_id", record_id)
                if str(sal.get("location_id")) in locations
            ]
            self._save(
                "resource",
                plan["match"],
                data,
                plan["row"],
                services.resource_create,
                lambda obj, d: services.resource_update(resource=obj, data=d, actor=self.actor),
            )

    def _save_org(
        self, existing: Any, data: dict[str, Any], row: Row, services: Any
    ) -> Organisation:
        if existing is None:
            data.setdefault("org_type", OrganisationType.OTHER)
        return self._save(
            "organisation",
            existing,
            data,
            row,
            services.organisation_create,
            lambda obj, d: services.organisation_update(organisation=obj, data=d, actor=self.actor),
        )

    def _save(
        self,
        kind: str,
        existing: Any,
        data: dict[str, Any],
        row: Row,
        create: Callable[..., Any],
        update: Callable[[Any, dict[str, Any]], Any],
    ) -> Any:
        if existing is None:
            data = {**data, "municipality": self.municipality}
            if kind in ("organisation", "resource"):
                data["visibility"] = self.visibility
                data["source"] = _source_marker(row.id)
            obj = self._call(row, lambda: create(data=data, actor=self.actor))
            self.summary.count("created", kind)
            self._created.add((kind, obj.pk))
            return obj
        changes = {k: v for k, v in data.items() if _differs(existing, k, v)}
        if not changes:
            if (kind, existing.pk) not in self._created | self._updated:
                self.summary.count("unchanged", kind)
                self._unchanged.add((kind, existing.pk))
            return existing
        obj = self._call(row, lambda: update(existing, changes))
        self._mark_updated(kind, obj)
        return obj

    def _mark_updated(self, kind: str, obj: Any) -> None:
        key = (kind, obj.pk)
        if key in self._created or key in self._updated:
            return
        if key in self._unchanged:
            self._unchanged.discard(key)
            self.summary.unchanged[kind] -= 1
        self._updated.add(key)
        self.summary.count("updated", kind)

    def _call(self, row: Row, action: Callable[[], Any]) -> Any:
        try:
            with transaction.atomic():
                return action()
        except ValidationError as exc:
            problems = []
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    problems += [f"{name}: {e}" for e in errors]
            else:
                problems = list(exc.messages)
            raise HsdsImportError(
                [f"{row.where.describe()}: 取り込めません（{'; '.join(problems)}）。"]
            ) from exc
        except IntegrityError as exc:
            raise HsdsImportError(
                [f"{row.where.describe()}: 既存のデータと重複するため取り込めません（{exc}）。"]
            ) from exc
        except PermissionDenied as exc:
            raise PermissionDenied(
                f"{self.municipality.name}にこのデータを取り込む権限がありません"
                f"（{row.where.describe()}）。"
            ) from exc

    def run(self) -> ImportSummary:
        self._created: set[tuple[str, int]] = set()
        self._updated: set[tuple[str, int]] = set()
        self._unchanged: set[tuple[str, int]] = set()
        with translation.override("ja"):  # labels are matched in Japanese, as exported
            self.plan()
            if self.ds.errors:
                raise HsdsImportError(self.ds.errors)
            with transaction.atomic():
                self.write()
        return self.summary


def _rrule_text(schedule: Row) -> str:
    parts = []
    for key in ("freq", "interval", "byday", "bymonthday", "byweekno", "byyearday", "count"):
        value = schedule.get(key)
        if value is not None:
            parts.append(f"{key.upper()}={value}")
    for key in ("dtstart", "until"):
        value = schedule.get(key)
        if value is not None:
            parts.append(f"{key.upper()}={value.isoformat()}")
    times = "〜".join(
        str(schedule.get(k))[:5] for k in ("opens_at", "closes_at") if schedule.get(k)
    )
    return "RRULE " + ";".join(parts) + (f" {times}" if times else "")


def _source_marker(record_id: str) -> str:
    return f"Open Referral HSDS 取込 id:{record_id}"[:300]


def _slot_key(slot: dict[str, Any]) -> tuple[Any, ...]:
    return (
        slot.get("weekday"),
        slot.get("week_of_month"),
        slot.get("opens_at"),
        slot.get("closes_at"),
    )


def _session_key(session: dict[str, Any]) -> tuple[Any, ...]:
    return (
        session.get("date"),
        session.get("opens_at"),
        session.get("closes_at"),
        session.get("note") or "",
    )


def _differs(obj: Any, name: str, value: Any) -> bool:
    """Would setting ``name`` to ``value`` change ``obj``? (m2m and schedules included)."""
    if name == "weekly_slots":
        have = sorted((_slot_key(s.__dict__) for s in obj.weekly_slots.all()), key=repr)
        return have != sorted((_slot_key(s) for s in value), key=repr)
    if name == "sessions":
        have = sorted((_session_key(s.__dict__) for s in obj.sessions.all()), key=repr)
        return have != sorted((_session_key(s) for s in value), key=repr)
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        return set(getattr(obj, name).values_list("pk", flat=True)) != {v.pk for v in value}
    current = getattr(obj, name)
    if isinstance(current, Decimal) or isinstance(value, Decimal):
        return (current is None) != (value is None) or (
            current is not None and Decimal(current) != Decimal(value)
        )
    return current != value


def _run_import(
    dataset: Dataset, *, municipality: Any, actor: Any, visibility: str
) -> ImportSummary:
    _validate(dataset)
    if dataset.errors:
        raise HsdsImportError(dataset.errors)
    return _Importer(dataset, municipality=municipality, actor=actor, visibility=visibility).run()


def import_json(
    data: Any,
    *,
    municipality: Any,
    actor: Any,
    source_name: str | None = None,
    visibility: str = Visibility.PUBLIC,
) -> ImportSummary:
    """Import an HSDS 3.0 JSON document into ``municipality``, all or nothing.

    ``data`` is parsed JSON (or its text): an object with ``organizations`` /
    ``services`` / … lists (as :func:`export_json` writes), a list of organisations or
    services, one organisation or service, or an HSDS API page (``contents``).
    Everything is validated first; on any error :class:`HsdsImportError` (a
    TsunaguError) lists each problem with its JSON path, record id and field, and
    nothing is written. Records whose id is one of our ids in this municipality are
    updated; others are created with ``visibility`` (HSDS data is public data).
    """
    dataset = _read_json(data, source_name=source_name)
    return _run_import(dataset, municipality=municipality, actor=actor, visibility=visibility)


def import_tabular(
    directory: Path, *, municipality: Any, actor: Any, visibility: str = Visibility.PUBLIC
) -> ImportSummary:
    """Import the HSDS 3.0 tabular form (CSV files + datapackage.json; a folder or zip).

    Errors name the CSV file, line, record id and column; see :func:`import_json`.
    """
    dataset = _read_tabular(Path(directory))
    return _run_import(dataset, municipality=municipality, actor=actor, visibility=visibility)


# --- command line ----------------------------------------------------------------------


def cli_export(fmt: str, out: Path, *, municipality_code: str | None = None) -> None:
    """``tsunagu hsds export --format json|csv OUT``: public records as HSDS 3.0.

    json writes one file (OUT, or OUT/hsds.json when OUT is a folder); csv writes the
    tabular form, one CSV per table + datapackage.json, into the folder OUT (or the
    zip file OUT when it ends in .zip). ``municipality_code`` limits it to one
    municipality (the form to import into another one: names are unique per municipality).
    """
    out = Path(out)
    municipality = _municipality_by_code(municipality_code) if municipality_code else None
    if fmt == "json":
        if out.is_dir():
            out = out / "hsds.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(export_json(municipality=municipality), ensure_ascii=False, indent=2)
        out.write_text(text + "\n", encoding="utf-8")
    elif fmt == "csv":
        export_tabular(out, municipality=municipality)
    else:
        raise TsunaguError(f"形式は json か csv を指定してください（{fmt}）。", field="format")


def _municipality_by_code(municipality_code: str) -> Any:
    from tsunagu.areas.models import Municipality
    from tsunagu.core.codes import normalize_code

    code = normalize_code(municipality_code)
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise TsunaguError(f"市町村コード {code} の市町村が見つかりません。", field="municipality")
    return municipality


def cli_import(path: Path, *, municipality_code: str) -> ImportSummary:
    """``tsunagu hsds import PATH``: a .json file, or a folder / .zip with datapackage.json."""
    from tsunagu.accounts.services import system_actor

    municipality = _municipality_by_code(municipality_code)
    path = Path(path)
    if not path.exists():
        raise TsunaguError(f"{path} が見つかりません。", field="path")
    actor = system_actor()
    if path.is_dir() or (path.is_file() and zipfile.is_zipfile(path)):
        return import_tabular(path, municipality=municipality, actor=actor)
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise TsunaguError(f"{path.name}: 文字コードを UTF-8 にしてください。") from None
    return import_json(text, municipality=municipality, actor=actor, source_name=path.name)
