"""Change history (履歴) on top of django-simple-history.

Services call :func:`save_with_history` / :func:`delete_with_history` so that every
write records who, when, why and — through the historical table — before/after values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("作成"), "~": _("変更"), "-": _("削除")}
WITHHELD_VERSION = _("非公開の版（内容は表示されません）")
WITHHELD_VALUE = _("（非公開）")

# Called with a field's name and its displayed value; returns what this viewer may see.
FieldMask = Callable[[str, Any], Any]


def save_with_history(instance: models.Model, *, actor: Any, reason: str) -> models.Model:
    """Validate and save ``instance``, recording ``actor`` and ``reason`` in its history.

    Call inside the service's transaction; raises ValidationError before anything is written.
    """
    instance.full_clean()
    instance._history_user = actor if getattr(actor, "pk", None) else None  # type: ignore[attr-defined]
    instance._change_reason = reason[:100]  # type: ignore[attr-defined]
    instance.save()
    return instance


def delete_with_history(instance: models.Model, *, actor: Any, reason: str) -> None:
    instance._history_user = actor if getattr(actor, "pk", None) else None  # type: ignore[attr-defined]
    instance._change_reason = reason[:100]  # type: ignore[attr-defined]
    instance.delete()


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    # A version the viewer could not have seen: no values, no editor, no reason.
    withheld: bool = False


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the record was written
        return name


def _display(model: type[models.Model], name: str, value: Any) -> Any:
    """A readable value: related objects by name, choices by label, blanks as a dash."""
    if isinstance(value, list):  # a many-to-many relation: rows of the through table
        return _display_m2m(model, name, value)
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return _plain(value)
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, _plain(value)))
    return _plain(value)


def _plain(value: Any) -> str:
    """Values as a user reads them, never a Python repr (True, [..], {..}, Decimal('1'))."""
    from tsunagu.core import wareki

    if isinstance(value, bool):
        return gettext("はい") if value else gettext("いいえ")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{_plain(local.date())} {local:%H:%M}"
    if isinstance(value, dt.date):
        try:
            return wareki.format_date(value, "wareki")
        except Exception:  # outside the supported eras: 西暦, never an error page
            return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False) if value else "—"
    return str(value)


def history_entries(
    obj: models.Model, *, user: Any = None, field_mask: FieldMask | None = None
) -> list[HistoryEntry]:
    """Newest first, each with the fields it changed (all set fields for a creation).

    With ``user``, a version that user could not have seen (an ``internal`` version of a
    directory record outside their reach) is withheld: no values, no editor, and its
    values do not reappear as the "before" of the next version. ``user=None`` is for
    trusted callers only (CLI, tests). ``field_mask(name, value)`` lets the caller hide
    personal fields in what is shown.
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-pk"))  # type: ignore[attr-defined]
    model = type(obj)
    tracked = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at"}
    ]
    m2m = [f.name for f in getattr(obj.history.model, "_history_m2m_fields", [])]  # type: ignore[attr-defined]
    visible = _version_filter(obj, user)
    mask = _combined_mask(obj, user, field_mask)
    shown = [visible(record) for record in records]
    entries = []
    for index, record in enumerate(records):
        kind = HISTORY_TYPES.get(record.history_type, record.history_type)
        if not shown[index]:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who="—",
                    kind=kind,
                    reason=str(WITHHELD_VERSION),
                    withheld=True,
                )
            )
            continue
        previous = records[index + 1] if index + 1 < len(records) else None
        previous_shown = previous is not None and shown[index + 1]
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=tracked + m2m)
            for change in delta.changes:
                old = (
                    _display(model, change.field, change.old)
                    if previous_shown
                    else str(WITHHELD_VALUE)
                )
                changes.append(
                    Change(
                        change.field,
                        _label(model, change.field),
                        mask(change.field, old) if previous_shown else old,
                        mask(change.field, _display(model, change.field, change.new)),
                    )
                )
        else:
            for name in tracked:
                attname = f"{name}_id" if _is_fk(model, name) else name
                value = getattr(record, attname, None)
                if value not in (None, ""):
                    changes.append(
                        Change(
                            name, _label(model, name), "—", mask(name, _display(model, name, value))
                        )
                    )
        history_user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(history_user.display_name if history_user else str(_("システム"))),
                kind=kind,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _version_filter(obj: models.Model, user: Any) -> Callable[[Any], bool]:
    """Which historical versions of ``obj`` the user could have seen when they were current.

    Only records with a ``visibility`` (directory organisations and resources) have
    versions a reader of the current record may not see: an ``internal`` version is for
    the record's own municipality (or prefecture, for prefecture-level records), its
    editors and its organisation's members; a ``partners`` version for users with a
    scope over it. Everything else is as visible as the record itself.
    """
    if user is None or not any(f.name == "visibility" for f in type(obj)._meta.concrete_fields):
        return lambda record: True
    from tsunagu.accounts.permissions import scope_for
    from tsunagu.areas.models import Municipality
    from tsunagu.directory.models import Organisation
    from tsunagu.directory.permissions import can_edit_record

    scope = scope_for(user)
    if scope.is_system_admin or can_edit_record(user, obj):
        return lambda record: True
    prefecture_of: dict[int, int] = {}

    def own_organisation(record: Any) -> bool:
        if isinstance(obj, Organisation):
            return record.id in scope.organisation_ids
        return getattr(record, "provider_id", None) in scope.organisation_ids

    def direct_municipality(municipality_id: int) -> bool:
        # internal_municipality_ids also holds every municipality of a prefecture
        # membership; an internal version is for the municipality's own people.
        if municipality_id not in scope.internal_municipality_ids:
            return False
        if municipality_id not in prefecture_of:
            prefecture_of[municipality_id] = (
                Municipality.objects.filter(pk=municipality_id)
                .values_list("prefecture_id", flat=True)
                .first()
            )
        return (
            municipality_id in scope.editable_municipality_ids
            or prefecture_of[municipality_id] not in scope.internal_prefecture_ids
        )

    def visible(record: Any) -> bool:
        visibility = getattr(record, "visibility", "public")
        municipality_id = getattr(record, "municipality_id", None)
        prefecture_id = getattr(record, "prefecture_id", None)
        if visibility == "public" or own_organisation(record):
            return True
        if scope.is_empty:
            return False
        if visibility == "partners":
            if municipality_id is not None:
                return municipality_id in scope.municipality_ids
            return prefecture_id is None or prefecture_id in scope.related_prefecture_ids
        if municipality_id is not None:
            return direct_municipality(municipality_id)
        return prefecture_id is not None and prefecture_id in scope.internal_prefecture_ids

    return visible


def _combined_mask(obj: models.Model, user: Any, field_mask: FieldMask | None) -> FieldMask:
    """The caller's mask, and a person's phone and e-mail for users who may not see them."""
    masks: list[FieldMask] = [field_mask] if field_mask is not None else []
    if user is not None and type(obj).__name__ == "Person" and obj._meta.app_label == "directory":
        from tsunagu.directory.permissions import can_see_contact_details

        if not can_see_contact_details(user, obj):  # type: ignore[arg-type]
            masks.append(
                lambda name, value: (
                    str(WITHHELD_VALUE) if name in {"phone", "email"} and value != "—" else value
                )
            )

    def apply(name: str, value: Any) -> Any:
        for mask in masks:
            value = mask(name, value)
        return value

    return apply


def _is_fk(model: type[models.Model], name: str) -> bool:
    try:
        return model._meta.get_field(name).is_relation
    except Exception:
        return False


def _display_m2m(model: type[models.Model], name: str, rows: list[dict[str, Any]]) -> str:
    model_field = model._meta.get_field(name)
    related = model_field.related_model
    key = related._meta.model_name  # type: ignore[union-attr]
    ids = [row.get(key) for row in rows if isinstance(row, dict)]
    names = [str(o) for o in related._default_manager.filter(pk__in=ids)]  # type: ignore[union-attr]
    return "、".join(sorted(names)) or "—"
