"""Setting a model instance's fields from a service's data, the one way every app does it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def apply_fields(
    instance: Any, fields: Mapping[str, Any], allowed: Iterable[str] | None = None
) -> list[str]:
    """Set each field of `fields` that `allowed` names (all of them when None) on instance.

    Returns the names whose value changed; on an instance not yet saved every name set
    counts as changed. A name missing from `fields` leaves the field as it is.
    """
    names = list(fields) if allowed is None else [name for name in allowed if name in fields]
    adding = instance._state.adding
    changed = []
    for name in names:
        value = fields[name]
        if adding or getattr(instance, name) != value:
            changed.append(name)
        setattr(instance, name, value)
    return changed
