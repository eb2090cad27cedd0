"""References in the API: a request's ids into records, records into ``{id, name}``.

:class:`References` looks each id up in a queryset that holds only what the same page
would offer (visible to the user, of the same municipality), so an id of another
municipality is answered like a missing one (422 on its field) and never linked. The
municipality of a new record (by 全国地方公共団体コード) is looked up by
:class:`tsunagu.areas.references.AreaReferences`, which adds it to this class.
"""

from __future__ import annotations

import datetime
import enum
import unicodedata
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.api.errors import ApiValidationError, FieldError, field_label


def normalise(text: str | None) -> str:
    """NFKC (全角 → 半角) and no NUL characters: what codes and search terms are compared as."""
    return unicodedata.normalize("NFKC", (text or "").replace("\x00", "")).strip()


class References:
    """Turn the ids and codes of a request into objects, gathering every field error."""

    def __init__(self, param: str) -> None:
        self.param = param
        self.errors: list[FieldError] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, field_label(self.param, field), message))

    def pick(self, field: str, queryset: QuerySet[Any], pk: int | None, noun: str) -> Any:
        if pk is None:
            return None
        found = queryset.filter(pk=pk).first()
        if found is None:
            self.error(
                field,
                _("%(noun)s（ID %(id)s）が見つからないか、ここでは選べません。")
                % {"noun": noun, "id": pk},
            )
        return found

    def pick_many(
        self, field: str, queryset: QuerySet[Any], ids: list[int] | None, noun: str
    ) -> list[Any]:
        ids = list(dict.fromkeys(ids or []))
        found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            self.error(
                field,
                _("%(noun)s（ID %(ids)s）が見つからないか、ここでは選べません。")
                % {"noun": noun, "ids": "、".join(missing)},
            )
        return [found[pk] for pk in ids if pk in found]

    def plain(self, model: type[models.Model], name: str, value: Any, data: dict[str, Any]) -> None:
        """A plain column: codes as their value, null as "" for text, refused for the rest."""
        if isinstance(value, enum.Enum):
            value = value.value
        model_field = model._meta.get_field(name)
        if value is None and not model_field.null:
            if isinstance(model_field, models.CharField | models.TextField):
                value = ""
            else:
                self.error(name, _("空（null）にはできません。"))
                return
        data[name] = value

    def finish(self) -> None:
        if self.errors:
            raise ApiValidationError(self.errors)


def by_ids_in_order(queryset: QuerySet[Any], ids: list[int]) -> list[Any]:
    """The records of ``ids`` found in ``queryset``, in the order of ``ids``."""
    found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def municipality_ref(municipality: Any) -> dict[str, Any] | None:
    if municipality is None:
        return None
    return {"id": municipality.pk, "code": municipality.code, "name": municipality.name}


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Japan time with its offset (+09:00), as every date-time of the API is answered."""
    return None if value is None else timezone.localtime(value)


def label(obj: Any, field: str) -> str:
    """The display text of a choice field ("" when empty)."""
    return str(getattr(obj, f"get_{field}_display")()) if getattr(obj, field) else ""
