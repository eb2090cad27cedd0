"""Change history (履歴) on top of django-simple-history.

Services call :func:`save_with_history` / :func:`delete_with_history` so that every
write records who, when, why and — through the historical table — before/after values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("作成"), "~": _("変更"), "-": _("削除")}


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
        return value
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if getattr(model_field, "choices", None):
        return dict(model_field.flatchoices).get(value, value)
    return value


def history_entries(obj: models.Model) -> list[HistoryEntry]:
    """Newest first, each with the fields it changed (all set fields for a creation)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-pk"))  # type: ignore[attr-defined]
    model = type(obj)
    tracked = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at"}
    ]
    m2m = [f.name for f in getattr(obj.history.model, "_history_m2m_fields", [])]  # type: ignore[attr-defined]
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=tracked + m2m)
            for change in delta.changes:
                changes.append(
                    Change(
                        change.field,
                        _label(model, change.field),
                        _display(model, change.field, change.old),
                        _display(model, change.field, change.new),
                    )
                )
        else:
            for name in tracked:
                attname = f"{name}_id" if _is_fk(model, name) else name
                value = getattr(record, attname, None)
                if value not in (None, ""):
                    changes.append(
                        Change(name, _label(model, name), "—", _display(model, name, value))
                    )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.display_name if user else str(_("システム"))),
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


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
