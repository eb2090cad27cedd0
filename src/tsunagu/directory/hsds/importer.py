"""Import of a checked HSDS dataset into one municipality's directory: :func:`import_json`,
:func:`import_tabular`.

Over 800 lines for a stated reason: :class:`_Importer` maps every HSDS table onto the
directory's models in one transaction and shares its lookups (ids, taxonomies, areas,
existing records) across those steps; split up, that state would travel through every call.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import translation

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.directory import catalog
from tsunagu.directory.hsds.reading import (
    _BYDAY_RE,
    Dataset,
    HsdsImportError,
    ImportSummary,
    Row,
    _read_json,
    _read_tabular,
    _validate,
)
from tsunagu.directory.hsds.schema import (
    CATEGORIES,
    DAY_CODES,
    ELIGIBILITY,
    FUNDING_BASIS,
    LINK_ENTITIES,
    LOCATION_ROLES,
    MAX_YEN,
    ORGANISATION_TYPES,
    OWN_TAXONOMIES,
    SOGO_TYPES,
    STATUS_FROM_HSDS,
    OwnTaxonomy,
    hsds_id,
)
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
from tsunagu.directory.services import LocationFields, OrganisationFields, ResourceFields


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
            if found is taxonomy and taxonomy is SOGO_TYPES:
                # Another system's code or name for a catalog type (「訪問型サービス・活動B」).
                for text in (term.get("code"), term.get("name"), term.get("term")):
                    known = catalog.lookup(str(text or ""))
                    if known is not None and known.code in allowed:
                        return known.code
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
                        organisation=orgs[r],
                        fields=OrganisationFields(parent=orgs[p]),
                        actor=self.actor,
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
                lambda d: services.location_create(fields=LocationFields(**d), actor=self.actor),
                lambda obj, d: services.location_update(
                    location=obj, fields=LocationFields(**d), actor=self.actor
                ),
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
                lambda d: services.resource_create(fields=ResourceFields(**d), actor=self.actor),
                lambda obj, d: services.resource_update(
                    resource=obj, fields=ResourceFields(**d), actor=self.actor
                ),
            )

    def _save_org(
        self, existing: Any, values: dict[str, Any], row: Row, services: Any
    ) -> Organisation:
        if existing is None:
            values.setdefault("org_type", OrganisationType.OTHER)
        return self._save(
            "organisation",
            existing,
            values,
            row,
            lambda d: services.organisation_create(
                fields=OrganisationFields(**d), actor=self.actor
            ),
            lambda obj, d: services.organisation_update(
                organisation=obj, fields=OrganisationFields(**d), actor=self.actor
            ),
        )

    def _save(
        self,
        kind: str,
        existing: Any,
        values: dict[str, Any],
        row: Row,
        create: Callable[[dict[str, Any]], Any],
        update: Callable[[Any, dict[str, Any]], Any],
    ) -> Any:
        """Create or change one record through its service (``create``/``update`` build the
        record kind's field set from these values)."""
        if existing is None:
            values = {**values, "municipality": self.municipality}
            if kind in ("organisation", "resource"):
                values["visibility"] = self.visibility
                values["source"] = _source_marker(row.id)
            obj = self._call(row, lambda: create(values))
            self.summary.count("created", kind)
            self._created.add((kind, obj.pk))
            return obj
        changes = {k: v for k, v in values.items() if _differs(existing, k, v)}
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
