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
from typing import Any, TypedDict, Unpack

from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagu.core import actions
from tsunagu.core.plugins import hooks

HISTORY_TYPES = {"+": _("作成"), "~": _("変更"), "-": _("削除")}
WITHHELD_VERSION = _("非公開の版（内容は表示されません）")
WITHHELD_VALUE = _("（非公開）")

# Called with a field's name and its displayed value; returns what this viewer may see.
FieldMask = Callable[[str, Any], Any]


class Why(TypedDict, total=False):
    """Why a write happened, as every history function takes it (keyword arguments).

    ``action``: a code of :mod:`tsunagu.core.actions`; ``note``: optional free text;
    ``reason``: free text, still accepted from callers not converted to action kinds yet.
    """

    action: str | None
    note: str
    reason: str | None


def _reason(action: str | None = None, note: str = "", reason: str | None = None) -> str:
    if action is not None:
        return actions.reason_text(action, note)
    # Compatibility: a caller not yet converted to action kinds passes free text.
    return (reason or note or "")[: actions.REASON_MAX]


def set_history_context(instance: models.Model, *, actor: Any, **why: Unpack[Why]) -> None:
    """Who and why for history rows written by the next save or m2m change of ``instance``."""
    instance._history_user = actor if getattr(actor, "pk", None) else None  # type: ignore[attr-defined]
    instance._change_reason = _reason(**why)  # type: ignore[attr-defined]


def save_with_history(instance: models.Model, *, actor: Any, **why: Unpack[Why]) -> models.Model:
    """Validate and save ``instance``, recording ``actor`` and why (:class:`Why`) in its history.

    Call inside the service's transaction; raises ValidationError before anything is written.
    """
    instance.full_clean()
    set_history_context(instance, actor=actor, **why)
    instance.save()
    return instance


def delete_with_history(instance: models.Model, *, actor: Any, **why: Unpack[Why]) -> None:
    set_history_context(instance, actor=actor, **why)
    instance.delete()


# (label, lines before, lines after) of one list of child rows.
ChildList = tuple[str | Promise, list[str], list[str]]


def record_children_change(
    parent: models.Model,
    *,
    actor: Any,
    action: str,
    changes: list[ChildList],
    note: str = "",
) -> bool:
    """Record on ``parent``'s history that lists of its child rows changed: ``changes`` holds
    ``(label, before, after)`` with readable lines. Nothing is recorded when no list changed.

    Children replaced by delete-and-create have no history of their own; the parent gets a
    history row of kind ``action`` and a :class:`~tsunagu.core.models.HistoryDetail` with both
    lists, shown on the parent's 履歴 page like a changed field. Saves ``parent`` without
    validation: its own fields are not being changed here.
    """
    if all(before == after for _label, before, after in changes):
        return False
    set_history_context(parent, actor=actor, action=action, note=note)
    parent.save()
    attach_details(parent, changes)
    return True


def attach_details(instance: models.Model, changes: list[ChildList]) -> None:
    """Attach the changed lists of ``changes`` to ``instance``'s latest historical row (just
    written by the caller's save_with_history)."""
    from tsunagu.core.models import HistoryDetail

    record = instance.history.order_by("-history_date", "-pk").first()  # type: ignore[attr-defined]
    for label, before, after in changes:
        if before == after:
            continue
        # Stored in Japanese (the catalogue's msgid) and translated when shown.
        with translation.override("ja"):
            label_text = str(label)
        HistoryDetail.objects.create(
            model_label=instance._meta.label_lower,
            history_id=record.pk,
            label=label_text,
            before="\n".join(before),
            after="\n".join(after),
        )


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
    # The action kind's code (tsunagu.core.actions), "" for old free-text reasons.
    action: str = ""
    # A version the viewer could not have seen: no values, no editor, no reason.
    withheld: bool = False


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the record was written
        return name


def _display(model: type[models.Model], name: str, value: Any) -> Any:
    """A readable value: related objects by name, choices by label, blanks as a dash."""
    if isinstance(value, list) and _is_many_to_many(model, name):
        return _display_m2m(model, name, value)  # rows of the through table
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
    details = _details(obj, [record.pk for record, ok in zip(records, shown, strict=True) if ok])
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
                if value not in (None, "", []):
                    changes.append(
                        Change(
                            name, _label(model, name), "—", mask(name, _display(model, name, value))
                        )
                    )
        changes.extend(details.get(record.pk, []))
        history_user = record.history_user
        action, _note = actions.parse_reason(record.history_change_reason)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(history_user.display_name if history_user else str(_("システム"))),
                kind=kind,
                reason=actions.display_reason(record.history_change_reason),
                changes=changes,
                action=action.code if action else "",
            )
        )
    return entries


def _details(obj: models.Model, history_ids: list[int]) -> dict[int, list[Change]]:
    """Before/after of replaced child rows, by historical row (see record_children_change)."""
    from tsunagu.core.models import HistoryDetail

    found: dict[int, list[Change]] = {}
    rows = HistoryDetail.objects.filter(
        model_label=obj._meta.label_lower, history_id__in=history_ids
    )
    for row in rows:
        found.setdefault(row.history_id, []).append(
            Change("", gettext(row.label), _lines(row.before), _lines(row.after))
        )
    return found


def _lines(text: str) -> str:
    return "、".join(line for line in text.split("\n") if line) or "—"


def action_filter(entries: list[HistoryEntry], code: str) -> list[HistoryEntry]:
    """Entries of one action kind (all entries for an empty or unknown code)."""
    if not code or not any(entry.action == code for entry in entries):
        return entries
    return [entry for entry in entries if entry.action == code]


def action_choices(entries: list[HistoryEntry]) -> list[tuple[str, str]]:
    """(code, label) of the action kinds present in ``entries``, in first-seen order."""
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.action and entry.action not in seen:
            seen[entry.action] = str(actions.get(entry.action).label)
    return list(seen.items())


# Extension points (core.plugins) through which apps above core decide, for their own
# records, which past versions a reader sees and which values are withheld; core never
# imports them. Each hook takes (obj, user) and returns None when the record is not its own.
VERSION_FILTER_HOOK = "history_version_filter"  # -> Callable[[historical record], bool]
FIELD_MASK_HOOK = "history_field_mask"  # -> FieldMask


def _version_filter(obj: models.Model, user: Any) -> Callable[[Any], bool]:
    """Which historical versions of ``obj`` the user could have seen when they were current.

    Only records with a ``visibility`` (directory organisations and resources) have
    versions a reader of the current record may not see; their app answers through
    :data:`VERSION_FILTER_HOOK`. Everything else is as visible as the record itself.
    """
    if user is not None:
        for provide in hooks(VERSION_FILTER_HOOK):
            chosen = provide(obj, user)
            if chosen is not None:
                return chosen
    return lambda record: True


def _combined_mask(obj: models.Model, user: Any, field_mask: FieldMask | None) -> FieldMask:
    """The caller's mask, and what the record's app withholds from this user (a person's
    phone and e-mail, say) through :data:`FIELD_MASK_HOOK`."""
    masks: list[FieldMask] = [field_mask] if field_mask is not None else []
    if user is not None:
        masks.extend(m for provide in hooks(FIELD_MASK_HOOK) if (m := provide(obj, user)))

    def apply(name: str, value: Any) -> Any:
        for mask in masks:
            value = mask(name, value)
        return value

    return apply


def _is_many_to_many(model: type[models.Model], name: str) -> bool:
    """A list value is a relation's through rows only for a many-to-many field (a JSON field
    holding a list, e.g. weekdays, is a plain value)."""
    try:
        return bool(model._meta.get_field(name).many_to_many)
    except Exception:
        return False


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
