"""The organisation, person and resource validators, and :func:`validate` that picks one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tsunagu.areas.models import Municipality
from tsunagu.core.errors import TsunaguError
from tsunagu.directory import services
from tsunagu.directory.imports.columns import (
    KIND_ORGANISATION,
    KIND_PERSON,
    KIND_RESOURCE,
    ON_DUPLICATE_CHOICES,
    ON_DUPLICATE_SKIP,
    KindSpec,
    Progress,
    RowError,
    column_letter,
    nfkc,
    normalise_address,
    normalise_name,
    phone_digits,
    spec_for,
)
from tsunagu.directory.imports.reading import Table, auto_mapping, mapping_get
from tsunagu.directory.imports.validation import (
    ImportPlan,
    PlannedRow,
    _filled,
    _is_duplicate,
    _same,
    _Validator,
)
from tsunagu.directory.imports.values import _session_tuple, _slot_tuple
from tsunagu.directory.models import (
    Organisation,
    Person,
    Resource,
)
from tsunagu.directory.permissions import can_create_in


class _OrganisationValidator(_Validator):
    def prepare(self) -> None:
        self.existing: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.filter(municipality=self.municipality).order_by("pk"):
            self.existing.setdefault(normalise_name(org.name), []).append(org)
        self.in_file: dict[str, list[tuple[int, str, str]]] = {}
        self.parents: dict[int, str] = {}  # row → parent name found only inside the file

    def row(self, row: int, values: dict[str, Any]) -> None:
        data: dict[str, Any] = {}
        for key, value in values.items():
            if key in ("daily_life_areas", "districts"):
                self.areas(row, key, value, data)
            elif key == "parent":
                continue
            else:
                data[key] = value
        for key in ("daily_life_areas", "districts"):
            if key in values:
                data.setdefault(key, [])
        name = data["name"]
        key = normalise_name(name)
        address = normalise_address(data.get("address", ""))
        phone = phone_digits(data.get("phone", ""))
        for other_row, other_address, other_phone in self.in_file.get(key, []):
            if _is_duplicate(address, other_address, phone, other_phone):
                self.error(
                    row,
                    "name",
                    f"{other_row}行目と同じ団体です（名称と住所または電話番号が同じ）。",
                )
                return
        self.in_file.setdefault(key, []).append((row, address, phone))
        parent_name = values.get("parent", "")
        extra: dict[str, Any] = {}
        if parent_name:
            if normalise_name(parent_name) == key:
                self.error(row, "parent", "上位の組織に自分自身は選べません。")
            else:
                found = self.organisations().find(parent_name)
                if len(found) == 1:
                    data["parent"] = found[0]
                elif len(found) > 1:
                    self.error(
                        row, "parent", f"上位の組織「{parent_name}」に当たる団体が複数あります。"
                    )
                else:
                    extra["parent_name"] = parent_name  # resolved against the file in finish()
        elif "parent" in values:
            data["parent"] = None
        matches = [
            o
            for o in self.existing.get(key, [])
            if _is_duplicate(address, normalise_address(o.address), phone, phone_digits(o.phone))
        ]
        instance = Organisation(
            municipality=self.municipality,
            **{k: v for k, v in _filled(data).items() if k not in services.ORGANISATION_M2M},
        )
        self.clean_instance(
            row, instance, ["municipality", "prefecture", "parent", "last_verified_by"]
        )
        action, existing = self.decide(row, name, matches)
        self.plan.rows.append(_planned(row, action, name, data, existing, extra, self.spec))

    def finish(self) -> None:
        names = {normalise_name(r.data["name"]): r for r in self.plan.rows}
        for planned in self.plan.rows:
            parent_name = planned.extra.get("parent_name")
            if not parent_name:
                continue
            parent_row = names.get(normalise_name(parent_name))
            if parent_row is None:
                suggestion = self.organisations().suggestion(parent_name)
                self.plan.errors.append(
                    RowError(
                        self.table.file_name,
                        planned.row,
                        column_letter(self.mapping["parent"]),
                        self.table.headers[self.mapping["parent"]],
                        f"上位の組織「{parent_name}」が{self.municipality.name}の団体にも"
                        f"このファイルにも見つかりません。{suggestion}",
                    )
                )
            else:
                planned.extra["parent_row"] = parent_row.row
        # Parents inside the file are written before their children; a loop is an error.
        order = _parents_first(self.plan.rows)
        if order is None:
            self.plan.errors.append(
                RowError(
                    self.table.file_name,
                    None,
                    None,
                    None,
                    "上位の組織の指定が循環しています（AがBの上位、BがAの上位など）。",
                )
            )
        else:
            self.plan.rows = order


def _parents_first(rows: list[PlannedRow]) -> list[PlannedRow] | None:
    by_row = {r.row: r for r in rows}
    placed: set[int] = set()
    ordered: list[PlannedRow] = []
    pending = list(rows)
    while pending:
        remaining = []
        for planned in pending:
            parent_row = planned.extra.get("parent_row")
            if parent_row is None or parent_row in placed or parent_row not in by_row:
                ordered.append(planned)
                placed.add(planned.row)
            else:
                remaining.append(planned)
        if len(remaining) == len(pending):
            return None
        pending = remaining
    return ordered


def _planned(
    row: int,
    action: str,
    label: str,
    data: dict[str, Any],
    existing: Any,
    extra: dict[str, Any],
    spec: KindSpec,
) -> PlannedRow:
    """Shape the row's data for its action.

    A new record leaves out empty values (the model's defaults apply); an update writes every
    mapped column, blank included, except choices that cannot be blank (状態, 公開範囲, 種別).
    """
    if action == "create":
        data = {k: v for k, v in data.items() if v not in (None, "", [])}
    elif action == "update":
        data = {
            k: v
            for k, v in data.items()
            if not (k in ("status", "visibility", "org_type") and not v)
        }
    return PlannedRow(row, action, label, data, existing, extra)


class _PersonValidator(_Validator):
    def prepare(self) -> None:
        self.existing: dict[str, list[Person]] = {}
        for person in Person.objects.filter(municipality=self.municipality).order_by("pk"):
            self.existing.setdefault(normalise_name(person.name), []).append(person)
        self.in_file: dict[str, list[tuple[int, str, str]]] = {}

    def row(self, row: int, values: dict[str, Any]) -> None:
        data = {k: v for k, v in values.items() if k not in ("organisation", "title")}
        organisations = [
            self.organisation(row, "organisation", name) for name in values.get("organisation", [])
        ]
        titles = values.get("title", [])
        if titles and not values.get("organisation"):
            self.error(row, "title", "役割・役職があるのに、所属団体が空欄です。")
        elif len(titles) > len(organisations):
            self.error(row, "title", "役割・役職の数が所属団体の数より多くなっています。")
        roles = []
        for position, organisation in enumerate(organisations):
            if organisation is None:
                continue
            title = titles[position] if position < len(titles) else "担当"
            if len(title) > 100:
                self.error(row, "title", "役割・役職は100文字以内で入力してください。")
            roles.append((organisation, title))
        name = data["name"]
        key = normalise_name(name)
        phone, email = phone_digits(data.get("phone", "")), nfkc(data.get("email", "")).casefold()
        for other_row, other_phone, other_email in self.in_file.get(key, []):
            if _is_duplicate(email, other_email, phone, other_phone):
                self.error(
                    row,
                    "name",
                    f"{other_row}行目と同じ人です（氏名と電話番号またはメールアドレスが同じ）。",
                )
                return
        self.in_file.setdefault(key, []).append((row, phone, email))
        matches = [
            p
            for p in self.existing.get(key, [])
            if _is_duplicate(email, p.email.casefold(), phone, phone_digits(p.phone))
        ]
        instance = Person(municipality=self.municipality, **_filled(data))
        self.clean_instance(
            row, instance, ["municipality", "prefecture", "user", "last_verified_by"]
        )
        action, existing = self.decide(row, name, matches)
        self.plan.rows.append(
            _planned(row, action, name, data, existing, {"roles": roles}, self.spec)
        )


class _ResourceValidator(_Validator):
    def prepare(self) -> None:
        self.existing: dict[str, list[tuple[int, int, str]]] = {}
        for pk, name, provider_id, phone in (
            Resource.objects.filter(municipality=self.municipality)
            .order_by("pk")
            .values_list("pk", "name", "provider_id", "contact_phone")
        ):
            self.existing.setdefault(normalise_name(name), []).append(
                (pk, provider_id, phone_digits(phone))
            )
        self.in_file: dict[str, list[tuple[int, int, str]]] = {}
        self.new_locations: dict[str, str] = {}
        self.matched: list[tuple[PlannedRow, int]] = []
        self.providers_checked: dict[int, bool] = {}

    def row(self, row: int, values: dict[str, Any]) -> None:
        data: dict[str, Any] = {}
        ok = True
        for key, value in values.items():
            if key == "provider":
                data["provider"] = self.organisation(row, "provider", value)
                ok = ok and data["provider"] is not None
            elif key == "category":
                data["category"] = self.category(row, value)
                ok = ok and data["category"] is not None
            elif key == "eligibility":
                data["eligibility"] = self.eligibility(row, value)
            elif key in ("daily_life_areas", "districts"):
                self.areas(row, key, value, data)
            elif key == "locations":
                data["locations"] = self.location_names(value)
            else:
                data[key] = value
        for key in ("daily_life_areas", "districts"):
            if key in values:
                data.setdefault(key, [])
        provider = data.get("provider")
        if provider is not None and self.member_only and not self.may_provide(provider):
            self.error(
                row,
                "provider",
                f"「{provider.name}」の地域資源を取り込む権限がありません（所属する団体の地域資源だけを取り込めます）。",
            )
            ok = False
        if not ok:
            return
        name = data["name"]
        key = normalise_name(name)
        phone = phone_digits(data.get("contact_phone", ""))
        for other_row, other_provider, other_phone in self.in_file.get(key, []):
            if other_provider == provider.pk or _same(phone, other_phone):
                self.error(
                    row,
                    "name",
                    f"{other_row}行目と同じ地域資源です（名称と、提供する団体または電話番号が同じ）。",
                )
                return
        self.in_file.setdefault(key, []).append((row, provider.pk, phone))
        plain = {
            k: v
            for k, v in data.items()
            if k not in services.RESOURCE_M2M and k not in ("weekly_slots", "sessions")
        }
        instance = Resource(municipality=self.municipality, **_filled(plain))
        self.clean_instance(
            row,
            instance,
            ["municipality", "prefecture", "provider", "category", "last_verified_by"],
        )
        # Weekly slots and sessions: their parsers check what the models would.
        match_pk = next(
            (
                pk
                for pk, other_provider, other_phone in self.existing.get(key, [])
                if other_provider == provider.pk or _same(phone, other_phone)
            ),
            None,
        )
        if match_pk is None:
            planned = _planned(row, "create", name, data, None, {}, self.spec)
            planned.extra["instance"] = instance  # validated: the batched create reuses it
            self.plan.rows.append(planned)
        else:
            planned = PlannedRow(row, "pending", name, data)
            self.plan.rows.append(planned)
            self.matched.append((planned, match_pk))

    def location_names(self, names: list[str]) -> list[Any]:
        found: list[Any] = []
        for name in names:
            existing = self.locations().find(name)
            if existing:
                found.append(existing[0])
            else:
                key = normalise_name(name)
                self.new_locations.setdefault(key, name)
                found.append(_NewLocation(self.new_locations[key]))
        return found

    def may_provide(self, provider: Organisation) -> bool:
        if provider.pk not in self.providers_checked:
            self.providers_checked[provider.pk] = (
                can_create_in(self.actor, municipality=self.municipality, provider=provider)
                and provider.pk in self.scope.organisation_ids
            )
        return self.providers_checked[provider.pk]

    def finish(self) -> None:
        self.plan.new_locations = list(self.new_locations.values())
        if not self.matched:
            return
        instances = (
            Resource.objects.select_related("provider")
            .prefetch_related("weekly_slots", "sessions")
            .in_bulk([pk for _, pk in self.matched])
        )
        for planned, pk in self.matched:
            existing = instances[pk]
            self._row_errors = []
            action, existing = self.decide(
                planned.row,
                planned.label,
                [existing],
                existing_label=f"{existing.name}（{existing.provider.name}）",
            )
            self.plan.errors.extend(self._row_errors)
            self._row_errors = []
            shaped = _planned(
                planned.row, action, planned.label, planned.data, existing, {}, self.spec
            )
            if action == "update":
                # Rewriting an unchanged schedule would add a history row to every record.
                if "weekly_slots" in shaped.data and sorted(
                    map(_slot_tuple, shaped.data["weekly_slots"]), key=repr
                ) == sorted(map(_slot_tuple, existing.weekly_slots.all()), key=repr):
                    del shaped.data["weekly_slots"]
                if "sessions" in shaped.data and sorted(
                    map(_session_tuple, shaped.data["sessions"]), key=repr
                ) == sorted(map(_session_tuple, existing.sessions.all()), key=repr):
                    del shaped.data["sessions"]
            planned.action, planned.data, planned.existing = action, shaped.data, existing


@dataclass(frozen=True)
class _NewLocation:
    """A place named in the file that does not exist yet: created at commit."""

    name: str


_VALIDATORS: dict[str, type[_Validator]] = {
    KIND_ORGANISATION: _OrganisationValidator,
    KIND_PERSON: _PersonValidator,
    KIND_RESOURCE: _ResourceValidator,
}


def validate(
    table: Table,
    *,
    kind: str,
    municipality: Municipality,
    actor: Any,
    mapping: dict[str, int] | None = None,
    on_duplicate: str = ON_DUPLICATE_SKIP,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check every row; nothing is written. ``mapping`` is our field → column index
    (default: :func:`auto_mapping` with the actor's saved mapping)."""
    spec = spec_for(kind)
    if on_duplicate not in ON_DUPLICATE_CHOICES:
        raise TsunaguError(f"重複時の扱い「{on_duplicate}」はありません。", field="on_duplicate")
    if mapping is None:
        mapping = auto_mapping(kind, table.headers, mapping_get(user=actor, kind=kind))
    validator = _VALIDATORS[kind](spec, table, mapping, municipality, actor, on_duplicate, progress)
    return validator.run()
