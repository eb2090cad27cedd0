"""Typed field sets for services, and setting a model instance's fields from them.

A write service whose field list is long and shared by create and update (organisation,
resource, body …) takes one frozen dataclass per command (``ResourceFields``) instead of
``data: dict``. Every field of such a dataclass defaults to :data:`UNSET` ("not given: leave
the field as it is"), so one class serves create, full update and partial update (API PATCH,
an HSDS row that carries only some columns). The form, API or import builds it from its
cleaned data with :func:`fields_from`; the service reads what was given with :func:`given`
and sets it with :func:`apply_fields`, the one way every app sets fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar


class Unset:
    """The type of :data:`UNSET`: a field the caller did not give."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: Any) -> Unset:
        return self


UNSET: Final = Unset()

F = TypeVar("F")


def fields_from(cls: type[F], values: Mapping[str, Any]) -> F:
    """An instance of the field-set dataclass ``cls`` from cleaned data.

    Takes the names ``cls`` declares; names it does not declare (a form's other inputs such as
    ``accept_inconsistency``) are left for the caller, names absent from ``values`` stay UNSET.
    """
    names = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{name: value for name, value in values.items() if name in names})


def given(fields: Any) -> dict[str, Any]:
    """The names and values a field set (or a plain mapping) gives, without the UNSET ones."""
    if isinstance(fields, Mapping):
        return {name: value for name, value in fields.items() if value is not UNSET}
    if not dataclasses.is_dataclass(fields) or isinstance(fields, type):
        raise TypeError(f"a field-set dataclass instance or a mapping, not {fields!r}")
    return {
        field.name: getattr(fields, field.name)
        for field in dataclasses.fields(fields)
        if getattr(fields, field.name) is not UNSET
    }


def apply_fields(instance: Any, fields: Any, allowed: Iterable[str] | None = None) -> list[str]:
    """Set each given field of ``fields`` that ``allowed`` names (all when None) on instance.

    ``fields`` is a field-set dataclass (UNSET fields are not given) or a mapping. Returns the
    names whose value changed; on an instance not yet saved every name set counts as changed.
    A name not given leaves the field as it is.
    """
    values = given(fields)
    names = list(values) if allowed is None else [name for name in allowed if name in values]
    adding = instance._state.adding
    changed = []
    for name in names:
        value = values[name]
        if adding or getattr(instance, name) != value:
            changed.append(name)
        setattr(instance, name, value)
    return changed


def field_names(cls: type) -> tuple[str, ...]:
    """The names a field-set dataclass declares, in order (a form's ``Meta.fields`` lists them,
    a service's ``allowed`` too)."""
    return tuple(field.name for field in dataclasses.fields(cls))
