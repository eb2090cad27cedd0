"""One helper sets fields from a service's data (issue 13: five copies before)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tsunagu.areas.models import Municipality
from tsunagu.core.fields import UNSET, Unset, apply_fields, fields_from, given

SRC = Path(__file__).resolve().parents[2] / "src" / "tsunagu"


@pytest.mark.django_db
def test_apply_fields_sets_allowed_names_and_reports_the_changed_ones() -> None:
    town = Municipality.objects.get(name="佐伯市")
    old_name = town.name
    changed = apply_fields(
        town, {"name": old_name, "name_kana": "てすとし", "pk": 999}, ("name", "name_kana")
    )
    assert changed == ["name_kana"]  # same value: not a change; "pk" is not allowed
    assert town.name_kana == "てすとし"
    assert town.pk != 999


@pytest.mark.django_db
def test_apply_fields_on_a_new_instance_counts_every_name_and_allows_all_by_default() -> None:
    town = Municipality(name="新町")
    assert apply_fields(town, {"name": "新町", "code": "999999"}) == ["name", "code"]
    assert town.code == "999999"


def _loops_setting_attributes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            for inner in ast.walk(node):
                call = inner if isinstance(inner, ast.Call) else None
                if call and isinstance(call.func, ast.Name) and call.func.id == "setattr":
                    lines.append(node.lineno)
                    break
    return lines


def test_services_set_fields_only_through_apply_fields() -> None:
    services = [*SRC.glob("*/services.py"), *SRC.glob("*/*_services.py")]
    assert services
    found: dict[str, Any] = {}
    for path in services:
        lines = _loops_setting_attributes(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[str(path.relative_to(SRC))] = lines
    assert found == {}


@dataclass(frozen=True, kw_only=True)
class _TownFields:
    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET


def test_fields_from_takes_the_declared_names_and_leaves_the_others_unset() -> None:
    fields = fields_from(_TownFields, {"name": "新町", "accept_inconsistency": True})
    assert fields == _TownFields(name="新町")
    assert fields.name_kana is UNSET
    assert given(fields) == {"name": "新町"}


def test_apply_fields_with_a_field_set_leaves_unset_fields_as_they_are() -> None:
    town = Municipality(name="旧町", name_kana="きゅうまち")
    assert apply_fields(town, _TownFields(name="新町")) == ["name"]
    assert (town.name, town.name_kana) == ("新町", "きゅうまち")


def test_a_field_set_refuses_a_name_it_does_not_declare() -> None:
    with pytest.raises(TypeError):
        _TownFields(nmae="新町")  # type: ignore[call-arg]
