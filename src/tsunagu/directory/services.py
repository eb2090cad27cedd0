"""Writes of the directory. Views, API, imports, HSDS and the demo loader all call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tsunagu.accounts.permissions import scope_for
from tsunagu.core.actions import reason_text
from tsunagu.core.bulk import copy_rows, db_converter, new_ids
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import UNSET, Unset, apply_fields, given
from tsunagu.core.history import (
    ChildList,
    record_children_change,
    save_with_history,
    set_history_context,
)
from tsunagu.directory.models import (
    Category,
    DatedSession,
    Location,
    Organisation,
    Person,
    PersonRole,
    Resource,
    Tag,
    WeeklySlot,
)
from tsunagu.directory.permissions import can_create_in, can_edit_record
from tsunagu.directory.search.index import index_record, index_resources

if TYPE_CHECKING:
    from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture

ORGANISATION_M2M = ("daily_life_areas", "districts", "strength_tags", "problem_tags")
RESOURCE_M2M = ("eligibility", "daily_life_areas", "districts", "locations")
SCHEDULE = ("weekly_slots", "sessions")

# --- field sets ------------------------------------------------------------------------
# One frozen dataclass per record kind, shared by create and update (and by the form, the
# API, the spreadsheet import and HSDS that build them): UNSET = not given, left as it is.
# ``municipality`` / ``prefecture`` are the record's scope (on create; on update only a system
# administrator may move a record). A relation list that is given replaces the whole list.


@dataclass(frozen=True, kw_only=True)
class OrganisationFields:
    municipality: Municipality | Unset | None = UNSET
    prefecture: Prefecture | Unset | None = UNSET
    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET
    org_type: str | Unset = UNSET
    parent: Organisation | Unset | None = UNSET
    description: str | Unset = UNSET
    serves_whole_municipality: bool | Unset = UNSET
    postal_code: str | Unset = UNSET
    address: str | Unset = UNSET
    latitude: Decimal | Unset | None = UNSET
    longitude: Decimal | Unset | None = UNSET
    phone: str | Unset = UNSET
    email: str | Unset = UNSET
    website: str | Unset = UNSET
    strengths: str | Unset = UNSET
    problems: str | Unset = UNSET
    status: str | Unset = UNSET
    founded_on: datetime.date | Unset | None = UNSET
    visibility: str | Unset = UNSET
    source: str | Unset = UNSET
    last_verified_on: datetime.date | Unset | None = UNSET
    last_verified_by: Any = UNSET
    daily_life_areas: Iterable[DailyLifeArea] | Unset = UNSET
    districts: Iterable[District] | Unset = UNSET
    # Tags or tag names (a name not yet known becomes a tag).
    strength_tags: Iterable[Tag | str] | Unset = UNSET
    problem_tags: Iterable[Tag | str] | Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class PersonFields:
    municipality: Municipality | Unset | None = UNSET
    prefecture: Prefecture | Unset | None = UNSET
    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET
    phone: str | Unset = UNSET
    email: str | Unset = UNSET
    preferred_contact: str | Unset = UNSET
    note: str | Unset = UNSET
    user: Any = UNSET
    last_verified_on: datetime.date | Unset | None = UNSET
    last_verified_by: Any = UNSET


@dataclass(frozen=True, kw_only=True)
class LocationFields:
    municipality: Municipality | Unset | None = UNSET
    prefecture: Prefecture | Unset | None = UNSET
    name: str | Unset = UNSET
    organisation: Organisation | Unset | None = UNSET
    postal_code: str | Unset = UNSET
    address: str | Unset = UNSET
    latitude: Decimal | Unset | None = UNSET
    longitude: Decimal | Unset | None = UNSET
    district: District | Unset | None = UNSET


@dataclass(frozen=True, kw_only=True)
class ResourceFields:
    municipality: Municipality | Unset | None = UNSET
    prefecture: Prefecture | Unset | None = UNSET
    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET
    provider: Organisation | Unset = UNSET
    category: Category | Unset = UNSET
    description: str | Unset = UNSET
    eligibility_note: str | Unset = UNSET
    cost_yen: int | Unset | None = UNSET
    cost_note: str | Unset = UNSET
    schedule_note: str | Unset = UNSET
    serves_whole_municipality: bool | Unset = UNSET
    how_to_apply: str | Unset = UNSET
    capacity: int | Unset | None = UNSET
    status: str | Unset = UNSET
    funding_basis: str | Unset = UNSET
    sogo_service_type: str | Unset = UNSET
    subsidy_name: str | Unset = UNSET
    visibility: str | Unset = UNSET
    contact_phone: str | Unset = UNSET
    website: str | Unset = UNSET
    started_on: datetime.date | Unset | None = UNSET
    source: str | Unset = UNSET
    last_verified_on: datetime.date | Unset | None = UNSET
    last_verified_by: Any = UNSET
    eligibility: Iterable[Any] | Unset = UNSET
    daily_life_areas: Iterable[DailyLifeArea] | Unset = UNSET
    districts: Iterable[District] | Unset = UNSET
    locations: Iterable[Location] | Unset = UNSET
    # Child rows, replaced as a whole when given: WeeklySlot / DatedSession field values.
    weekly_slots: Iterable[Mapping[str, Any]] | Unset | None = UNSET
    sessions: Iterable[Mapping[str, Any]] | Unset | None = UNSET


def _split(fields: Any, m2m: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The given values of a field set: (model fields, relation lists); schedules apart."""
    values = given(fields)
    plain = {k: v for k, v in values.items() if k not in m2m and k not in SCHEDULE}
    related = {k: v for k, v in values.items() if k in m2m}
    return plain, related


def _tags(values: Iterable[Any]) -> list[Tag]:
    tags = []
    for value in values:
        if isinstance(value, Tag):
            tags.append(value)
            continue
        name = str(value).strip()
        if name:
            tags.append(Tag.objects.get_or_create(name=name)[0])
    return tags


def _check_areas(instance: Any, related: dict[str, Any]) -> None:
    """Areas served must belong to the record's own municipality."""
    for field in ("daily_life_areas", "districts"):
        for area in related.get(field, []) or []:
            if area.municipality_id != instance.municipality_id:
                raise ValidationError(
                    {
                        field: f"「{area.name}」は{instance.municipality or 'この範囲'}の区域ではありません。"
                    }
                )


def _set_m2m(instance: Any, related: dict[str, Any]) -> list[str]:
    changed = []
    for field, values in related.items():
        values = list(values or [])
        if field in ("strength_tags", "problem_tags"):
            values = _tags(values)
        manager = getattr(instance, field)
        before = set(manager.values_list("pk", flat=True))
        after = {v.pk for v in values}
        if before != after:
            manager.set(values)
            changed.append(field)
    return changed


def _save(
    instance: Any,
    plain: dict[str, Any],
    related: dict[str, Any],
    *,
    actor: Any,
    action: str,
    creating: bool,
) -> Any:
    changed = apply_fields(instance, plain)
    _check_areas(instance, related)
    if creating or changed:
        save_with_history(instance, actor=actor, action=action)
    # django-simple-history writes its own row when a tracked relation changes; give it
    # the same user and reason.
    set_history_context(instance, actor=actor, action=action)
    _set_m2m(instance, related)
    index_record(instance)  # search index: organisations, resources, resources at a location
    return instance


def _scope_from(data: Mapping[str, Any], provider: Organisation | None = None) -> dict[str, Any]:
    municipality = data.get("municipality", provider.municipality if provider else None)
    prefecture = data.get("prefecture", provider.prefecture if provider else None)
    if municipality is not None:
        prefecture = None  # the municipality carries its prefecture
    return {"municipality": municipality, "prefecture": prefecture}


# --- organisations ---------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, fields: OrganisationFields, actor: Any) -> Organisation:
    plain, related = _split(fields, ORGANISATION_M2M)
    plain.update(_scope_from(plain))
    if not can_create_in(actor, municipality=plain["municipality"], prefecture=plain["prefecture"]):
        raise PermissionDenied()
    _check_parent(plain)
    return _save(
        Organisation(),
        plain,
        related,
        actor=actor,
        action="directory.organisation.create",
        creating=True,
    )


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, fields: OrganisationFields, actor: Any
) -> Organisation:
    if not can_edit_record(actor, organisation):
        raise PermissionDenied()
    plain, related = _split(fields, ORGANISATION_M2M)
    if ("municipality" in plain or "prefecture" in plain) and not scope_for(actor).is_system_admin:
        plain.pop("municipality", None)
        plain.pop("prefecture", None)  # moving a record between scopes is an administrator's job
    merged = {
        "municipality": organisation.municipality,
        "prefecture": organisation.prefecture,
        **plain,
    }
    _check_parent(merged, organisation)
    return _save(
        organisation,
        plain,
        related,
        actor=actor,
        action="directory.organisation.update",
        creating=False,
    )


def _check_parent(plain: dict[str, Any], organisation: Organisation | None = None) -> None:
    parent = plain.get("parent")
    if parent is None:
        return
    if organisation is not None and (
        parent.pk == organisation.pk or _is_descendant(parent, organisation)
    ):
        raise ValidationError({"parent": "上位の組織に自分自身や下位の組織は選べません。"})
    if parent.municipality_id not in (None, getattr(plain.get("municipality"), "pk", None)):
        raise ValidationError({"parent": "上位の組織は同じ市町村の組織にしてください。"})


def _is_descendant(candidate: Organisation, ancestor: Organisation) -> bool:
    current = candidate.parent
    while current is not None:
        if current.pk == ancestor.pk:
            return True
        current = current.parent
    return False


@transaction.atomic
def organisation_verify(
    *, organisation: Organisation, actor: Any, on: datetime.date | None = None
) -> Organisation:
    """Record that someone checked the organisation's information is current (最終確認)."""
    if not can_edit_record(actor, organisation):
        raise PermissionDenied()
    organisation.last_verified_on = on or timezone.localdate()
    organisation.last_verified_by = actor
    return save_with_history(organisation, actor=actor, action="directory.organisation.verify")


# --- people ----------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    fields: PersonFields,
    actor: Any,
    organisation: Organisation | None = None,
    title: str = "",
) -> Person:
    """Add a contact, optionally with a current role in an organisation."""
    plain, _ = _split(fields, ())
    if organisation is not None and "municipality" not in plain and "prefecture" not in plain:
        plain.update(_scope_from({}, organisation))
    plain.update(_scope_from(plain))
    allowed = can_create_in(
        actor, municipality=plain["municipality"], prefecture=plain["prefecture"]
    ) or (organisation is not None and can_edit_record(actor, organisation))
    if not allowed:
        raise PermissionDenied()
    person = _save(
        Person(), plain, {}, actor=actor, action="directory.person.create", creating=True
    )
    if organisation is not None:
        person_role_add(
            person=person, organisation=organisation, title=title or "担当", actor=actor
        )
    return person


@transaction.atomic
def person_update(*, person: Person, fields: PersonFields, actor: Any) -> Person:
    if not can_edit_record(actor, person):
        raise PermissionDenied()
    plain, _ = _split(fields, ())
    plain.pop("municipality", None)
    plain.pop("prefecture", None)
    return _save(person, plain, {}, actor=actor, action="directory.person.update", creating=False)


@transaction.atomic
def person_role_add(
    *,
    person: Person,
    organisation: Organisation,
    title: str,
    actor: Any,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> PersonRole:
    if not can_edit_record(actor, organisation):
        raise PermissionDenied()
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "終了日は開始日以降の日付にしてください。"})
    role = PersonRole(
        person=person, organisation=organisation, title=title, starts_on=starts_on, ends_on=ends_on
    )
    return save_with_history(role, actor=actor, action="directory.role.add")


@transaction.atomic
def person_role_end(*, role: PersonRole, ends_on: datetime.date, actor: Any) -> PersonRole:
    """End a role (e.g. on 人事異動) rather than delete it: who held it stays on record."""
    if not can_edit_record(actor, role.organisation):
        raise PermissionDenied()
    if role.starts_on and ends_on < role.starts_on:
        raise ValidationError({"ends_on": "終了日は開始日以降の日付にしてください。"})
    role.ends_on = ends_on
    return save_with_history(role, actor=actor, action="directory.role.end")


# --- locations -------------------------------------------------------------------------


@transaction.atomic
def location_create(*, fields: LocationFields, actor: Any) -> Location:
    plain, _ = _split(fields, ())
    organisation = plain.get("organisation")
    if "municipality" not in plain and "prefecture" not in plain and organisation is not None:
        plain.update(_scope_from({}, organisation))
    plain.update(_scope_from(plain))
    allowed = can_create_in(
        actor, municipality=plain["municipality"], prefecture=plain["prefecture"]
    ) or (organisation is not None and can_edit_record(actor, organisation))
    if not allowed:
        raise PermissionDenied()
    return _save(
        Location(), plain, {}, actor=actor, action="directory.location.create", creating=True
    )


@transaction.atomic
def location_update(*, location: Location, fields: LocationFields, actor: Any) -> Location:
    if not (
        can_edit_record(actor, location)
        or (location.organisation and can_edit_record(actor, location.organisation))
    ):
        raise PermissionDenied()
    plain, _ = _split(fields, ())
    plain.pop("municipality", None)
    plain.pop("prefecture", None)
    return _save(
        location, plain, {}, actor=actor, action="directory.location.update", creating=False
    )


# --- resources -------------------------------------------------------------------------


def _set_schedule(resource: Resource, fields: ResourceFields) -> list[ChildList]:
    """Replace weekly slots / dated sessions when given (lists of dicts); returns the replaced
    lists as (label, before, after) for the resource's history."""
    data = given(fields)
    replaced: list[ChildList] = []
    if "weekly_slots" in data:
        before = [str(slot) for slot in resource.weekly_slots.all()]
        resource.weekly_slots.all().delete()
        for slot in data["weekly_slots"] or []:
            item = WeeklySlot(resource=resource, **slot)
            item.full_clean()
            item.save()
        after = [str(slot) for slot in resource.weekly_slots.all()]
        replaced.append((gettext_lazy("毎週の日程"), before, after))
    if "sessions" in data:
        before = [_session_line(session) for session in resource.sessions.all()]
        resource.sessions.all().delete()
        for session in data["sessions"] or []:
            item = DatedSession(resource=resource, **session)
            item.full_clean()
            item.save()
        after = [_session_line(session) for session in resource.sessions.all()]
        replaced.append((gettext_lazy("日付の決まった開催"), before, after))
    return replaced


def _session_line(session: DatedSession) -> str:
    times = (
        f" {session.opens_at:%H:%M}〜{session.closes_at:%H:%M}"
        if session.opens_at and session.closes_at
        else ""
    )
    return f"{session}{times}{'（' + session.note + '）' if session.note else ''}"


@transaction.atomic
def resource_create(*, fields: ResourceFields, actor: Any) -> Resource:
    plain, related = _split(fields, RESOURCE_M2M)
    provider: Organisation = plain["provider"]
    if "municipality" not in plain and "prefecture" not in plain:
        plain.update(_scope_from({}, provider))
    plain.update(_scope_from(plain))
    allowed = can_create_in(
        actor, municipality=plain["municipality"], prefecture=plain["prefecture"], provider=provider
    )
    if not allowed:
        raise PermissionDenied()
    resource = _save(
        Resource(), plain, related, actor=actor, action="directory.resource.create", creating=True
    )
    if _set_schedule(resource, fields):
        index_record(resource)  # search index: weekdays
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, fields: ResourceFields, actor: Any) -> Resource:
    if not can_edit_record(actor, resource):
        raise PermissionDenied()
    plain, related = _split(fields, RESOURCE_M2M)
    if not scope_for(actor).is_system_admin:
        plain.pop("municipality", None)
        plain.pop("prefecture", None)
        if "provider" in plain and plain["provider"].pk != resource.provider_id:
            if not can_edit_record(actor, plain["provider"]):
                raise PermissionDenied()
    _save(resource, plain, related, actor=actor, action="directory.resource.update", creating=False)
    replaced = _set_schedule(resource, fields)
    if replaced:
        record_children_change(
            resource,
            actor=actor,
            action="directory.resource.schedule_replace",
            changes=replaced,
        )
        index_record(resource)  # search index: weekdays
    return resource


@transaction.atomic
def resource_verify(*, resource: Resource, actor: Any, on: datetime.date | None = None) -> Resource:
    if not can_edit_record(actor, resource):
        raise PermissionDenied()
    resource.last_verified_on = on or timezone.localdate()
    resource.last_verified_by = actor
    return save_with_history(resource, actor=actor, action="directory.resource.verify")


# --- taxonomy --------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *,
    code: str,
    name: str,
    actor: Any,
    parent: Category | None = None,
    name_en: str = "",
    sort_order: int = 100,
) -> Category:
    """Extend the resource taxonomy: system administrators only (it is shared by all)."""
    if not scope_for(actor).is_system_admin:
        raise PermissionDenied()
    category = Category(code=code, name=name, name_en=name_en, parent=parent, sort_order=sort_order)
    return save_with_history(category, actor=actor, action="directory.category.add")


# --- resources in bulk (imports) ------------------------------------------------------
#
# resource_create_many writes what resource_create writes, for thousands of rows at once:
# one insert per table per batch instead of ~30 queries per row.

_RESOURCE_FK_FIELDS = ["municipality", "prefecture", "provider", "category", "last_verified_by"]


def _history_m2m_model(model: type[models.Model], field_name: str) -> type[models.Model]:
    return apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field_name}")


def _prepared_rows(
    model: type[models.Model], rows: list[dict[str, Any]], connection: Any
) -> tuple[list[Any], list[list[Any]]]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = list(dict.fromkeys(c for row in rows for c in row))
    fields = [by_attname[c] for c in columns]
    converters = [db_converter(f, connection) for f in fields]
    defaults = [f.get_default() for f in fields]
    params = [
        [
            convert(row[c] if c in row else default)
            for c, convert, default in zip(columns, converters, defaults, strict=True)
        ]
        for row in rows
    ]
    return fields, params


def _copy_rows(connection: Any, model: type[models.Model], fields: list[Any], params: list) -> None:
    """PostgreSQL: COPY … FROM STDIN, the server's bulk path (one statement for all rows)."""
    copy_rows(connection, model._meta.db_table, [f.column for f in fields], params)


def _insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert rows (attname → value) in one statement: no ids back, no per-row objects."""
    if not rows:
        return
    connection = connections[model.objects.db]
    connection.ensure_connection()
    fields, params = _prepared_rows(model, rows, connection)
    if connection.vendor == "postgresql":
        _copy_rows(connection, model, fields, params)
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _max_query_params(connection: Any) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        try:
            return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        except (AttributeError, sqlite3.Error):
            return 999
    return 65535 if connection.vendor == "postgresql" else 999


def _insert_returning(model: type[models.Model], rows: list[dict[str, Any]]) -> list[Any]:
    """Insert rows and return their new pks, in the rows' order.

    PostgreSQL: ids from the table's sequence, then COPY. Others: multi-row INSERT …
    RETURNING, whose rows follow the VALUES order (as Django's own bulk_create relies on).
    """
    if not rows:
        return []
    connection = connections[model.objects.db]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        # Take the ids from the table's own sequence, then COPY the rows with them.
        pk = model._meta.pk
        ids = new_ids(connection, model._meta.db_table, pk.column, len(rows))
        rows = [{pk.attname: new_id, **row} for new_id, row in zip(ids, rows, strict=True)]
        fields, params = _prepared_rows(model, rows, connection)
        _copy_rows(connection, model, fields, params)
        return ids
    fields, params = _prepared_rows(model, rows, connection)
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    returning = f" RETURNING {quote(model._meta.pk.column)}"
    per_statement = max(1, min(1000, _max_query_params(connection) // len(fields)))
    pks: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(params), per_statement):
            chunk = params[start : start + per_statement]
            cursor.execute(
                head + ", ".join([one] * len(chunk)) + returning,
                [value for row in chunk for value in row],
            )
            pks.extend(row[0] for row in cursor.fetchall())
    if len(pks) != len(rows):
        raise RuntimeError("the database returned fewer ids than rows inserted")
    return pks


@transaction.atomic
def resource_create_many(
    *,
    items: list[ResourceFields],
    actor: Any,
    clean: bool = True,
    prepared: list[Resource] | None = None,
    index: bool = True,
    phrases: dict[str, tuple[str, ...]] | None = None,
) -> list[Resource]:
    """Create many resources at once, with the effects of ``services.resource_create``.

    Each item is the field set that resource_create takes (``provider`` and ``category`` as
    objects, relations as lists, ``weekly_slots`` / ``sessions`` as lists of dicts). Checks
    the same permission (can_create_in per municipality and provider) and the same rules
    (full_clean unless the caller already ran it; areas in the record's municipality),
    and writes the same history: one "+" row per resource with user, date and reason,
    and the history rows of the tracked relations. One insert per table per batch instead
    of ~30 queries per row. The new resources are added to the search index in the same
    transaction (bulk path of :func:`search.index.index_resources`; ``phrases``: its analysis
    cache, kept by a caller that creates several batches) unless ``index`` is False, when
    the caller must index them before its transaction ends (the importer does, to report
    that phase's progress).

    ``prepared``: unsaved instances the caller already built and validated from the same
    items (the importer's preview does), used instead of building them again.
    """
    if not items:
        return []
    allowed: dict[tuple[int | None, int | None, int], bool] = {}
    instances: list[Resource] = []
    relations: list[dict[str, list[Any]]] = []
    extra = set(RESOURCE_M2M) | set(SCHEDULE)
    for position, item in enumerate(items):
        data = given(item)
        plain = {k: v for k, v in data.items() if k not in extra}
        provider: Organisation = plain["provider"]
        if "municipality" not in plain and "prefecture" not in plain:
            plain["municipality"], plain["prefecture"] = provider.municipality, provider.prefecture
        if plain.get("municipality") is not None:
            plain["prefecture"] = None
        key = (
            getattr(plain.get("municipality"), "pk", None),
            getattr(plain.get("prefecture"), "pk", None),
            provider.pk,
        )
        if key not in allowed:
            allowed[key] = can_create_in(
                actor,
                municipality=plain.get("municipality"),
                prefecture=plain.get("prefecture"),
                provider=provider,
            )
        if not allowed[key]:
            raise PermissionDenied()
        if prepared is not None:
            instance = prepared[position]
            instance.municipality = plain.get("municipality")
            instance.prefecture = plain.get("prefecture")
        else:
            instance = Resource(**plain)
        related = {k: list(data[k]) for k in extra if data.get(k)}
        for name in ("daily_life_areas", "districts"):
            for area in related.get(name, []):
                if area.municipality_id != instance.municipality_id:
                    raise ValidationError(
                        {
                            name: f"「{area.name}」は{instance.municipality or 'この範囲'}の区域ではありません。"
                        }
                    )
        if clean:
            instance.full_clean(exclude=_RESOURCE_FK_FIELDS)
            for slot in related.get("weekly_slots", []):
                WeeklySlot(**slot).full_clean(exclude=["resource"])
            for session in related.get("sessions", []):
                DatedSession(**session).full_clean(exclude=["resource"])
        instances.append(instance)
        relations.append(related)
    columns = [f for f in Resource._meta.concrete_fields if not f.primary_key]
    pks = _insert_returning(
        Resource,
        [{f.attname: f.pre_save(instance, True) for f in columns} for instance in instances],
    )
    for instance, pk in zip(instances, pks, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = Resource.objects.db

    # History: what simple-history's post_save would write for each new row.
    history_model = Resource.history.model  # type: ignore[attr-defined]
    now = timezone.now()
    user_id = actor.pk if getattr(actor, "pk", None) else None
    tracked = [f.attname for f in history_model.tracked_fields]
    _insert_rows(
        history_model,
        [
            {
                **{name: getattr(instance, name) for name in tracked},
                "history_date": now,
                "history_user_id": user_id,
                "history_change_reason": reason_text("directory.resource.create"),
                "history_type": "+",
            }
            for instance in instances
        ],
    )
    history_ids = dict(
        history_model.objects.filter(id__in=pks, history_type="+").values_list("id", "history_id")
    )
    tracked_m2m = {f.name for f in history_model._history_m2m_fields}
    for name in RESOURCE_M2M:
        through = Resource._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        target = next(
            f for f in through._meta.fields if f.is_relation and f.related_model is not Resource
        )
        links = [
            {"resource_id": instance.pk, target.attname: value.pk}
            for instance, related in zip(instances, relations, strict=True)
            for value in related.get(name, [])
        ]
        if not links:
            continue
        _insert_rows(through, links)
        if name in tracked_m2m:
            rows = through.objects.filter(resource_id__in=pks).values_list(
                "id", "resource_id", target.attname
            )
            _insert_rows(
                _history_m2m_model(Resource, name),
                [
                    {
                        "id": link_id,
                        "resource_id": resource_id,
                        target.attname: target_id,
                        "history_id": history_ids[resource_id],
                    }
                    for link_id, resource_id, target_id in rows
                ],
            )
    for name, model in (("weekly_slots", WeeklySlot), ("sessions", DatedSession)):
        _insert_rows(
            model,
            [
                {"resource_id": instance.pk, **entry}
                for instance, related in zip(instances, relations, strict=True)
                for entry in related.get(name, [])
            ],
        )
    if index:
        index_resources(pks, phrases=phrases)
    return instances
