"""HSDS 3.0 as data: identifiers, the tables with their fields and references, our own taxonomies and code maps."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings

from tsunagu.directory.models import (
    Category,
    Eligibility,
    FundingBasis,
    OrganisationType,
    ResourceStatus,
    SogoServiceType,
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
