"""Running a service from the API: its errors answered in the API's field names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from tsunagu.core.api.errors import from_django_validation_error
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError


def model_labels(model: type[models.Model]) -> dict[str, str]:
    """Each model field's verbose name (the label of its error when the API has none)."""
    return {
        f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
    }


def call_service(
    service: Callable[..., Any],
    model: type[models.Model],
    field_names: dict[str, str],
    **kwargs: Any,
) -> Any:
    """Run a service, answering its errors in the API's field names.

    Model validation → 422 with one entry per field; TsunaguError keeps its code (400);
    NotFound / PermissionDenied pass through (404 / 403).
    """
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
            # A unique constraint (the same name twice in a municipality) concerns the name.
            items = exc.error_dict["__all__"]
            if any(getattr(item, "code", "") in ("unique", "unique_together") for item in items):
                exc.error_dict.setdefault("name", []).extend(items)
                del exc.error_dict["__all__"]
        raise from_django_validation_error(
            exc, field_names=field_names, labels=model_labels(model)
        ) from exc
    except TsunaguError as exc:
        if not isinstance(exc, NotFound | PermissionDenied) and exc.field:
            exc.field = field_names.get(exc.field, exc.field)
        raise
