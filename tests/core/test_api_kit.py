"""The API kit (issue 13, item 2): shared plumbing lives in core/api/, and no feature app
imports another feature app's ``api`` or ``schemas`` module."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

import tsunagu
from tests.source_code import nodes
from tsunagu.areas.references import AreaReferences, municipality_filter
from tsunagu.core.api.errors import ApiValidationError
from tsunagu.core.api.paging import page_out, paginate
from tsunagu.core.api.refs import References, municipality_ref, ref
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import TsunaguError

SRC = Path(tsunagu.__file__).parent
API_MODULES = ("api", "schemas")  # and api_<part>, also in a sub-package (mobility/rides/api.py)


def _is_api_module(name: str) -> bool:
    return name in API_MODULES or name.startswith("api_")


def foreign_api_imports(app: str, source: str | Path) -> list[str]:
    """The modules ``source`` (a module of ``app``: its text, or its file, parsed once per
    test process) imports that are another app's API."""
    found: list[str] = []
    walked = nodes(source) if isinstance(source, Path) else ast.walk(ast.parse(source))
    for node in walked:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) < 3 or parts[0] != "tsunagu" or parts[1] in (app, "core"):
                continue
            # the API may sit in a feature sub-package (mobility/rides/api.py)
            api_at = next((i for i in range(2, len(parts)) if _is_api_module(parts[i])), None)
            if api_at is not None:
                found.append(".".join(parts[: api_at + 1]))
    return sorted(set(found))


def test_no_feature_app_imports_another_apps_api_or_schemas() -> None:
    offending = {}
    apps = [p for p in SRC.iterdir() if (p / "__init__.py").exists() and p.name != "core"]
    for app in apps:
        for path in app.rglob("*.py"):
            imports = foreign_api_imports(app.name, path)
            if imports:
                offending[str(path.relative_to(SRC))] = imports
    assert len(apps) >= 8  # the check looked at the apps
    assert offending == {}


def test_the_import_check_finds_a_foreign_api_import() -> None:
    source = (
        "from tsunagu.bodies.api import call_service\n"
        "import tsunagu.directory.schemas\n"
        "from tsunagu.mobility import api_legal\n"
        "from tsunagu.mobility.rides import api\n"
        "from tsunagu.core.api.paging import paginate\n"
        "from tsunagu.engagements.api import router\n"
    )
    assert foreign_api_imports("engagements", source) == [
        "tsunagu.bodies.api",
        "tsunagu.directory.schemas",
        "tsunagu.mobility.api_legal",
        "tsunagu.mobility.rides.api",
    ]


def test_the_old_kit_modules_are_gone() -> None:
    for old in ("api_auth.py", "api_schemas.py"):
        assert not (SRC / "core" / old).exists()
    assert (SRC / "core" / "api" / "auth.py").exists()


# --- the kit's behaviour -----------------------------------------------------------------


def test_paginate_answers_the_page_the_count_and_whether_more_follow(db: Any) -> None:
    from tsunagu.areas.models import Prefecture

    queryset = Prefecture.objects.order_by("code")
    total = queryset.count()
    assert total >= 3  # two pages of 2 at least

    items, count, has_next = paginate(queryset, 1, 2)
    last_items, _count, last_has_next = paginate(queryset, -(-total // 2), 2)
    beyond, _count, beyond_has_next = paginate(queryset, total + 1, 2)

    assert [p.pk for p in items] == list(queryset.values_list("pk", flat=True)[:2])
    assert (count, has_next) == (total, True)
    assert len(last_items) in (1, 2) and last_has_next is False
    assert (beyond, beyond_has_next) == ([], False)
    assert page_out(items, count, 1, 2, has_next) == {
        "items": items,
        "count": total,
        "page": 1,
        "per_page": 2,
        "has_next": True,
    }


def test_call_service_names_model_errors_with_the_api_fields() -> None:
    def failing() -> None:
        raise DjangoValidationError({"provider": ["選べません。"]})

    from tsunagu.directory.models import Resource

    with pytest.raises(ApiValidationError) as caught:
        call_service(failing, Resource, {"provider": "provider_id"})

    assert [(e.field, e.message) for e in caught.value.errors] == [("provider_id", "選べません。")]


def test_call_service_puts_a_unique_constraint_on_the_name_and_renames_a_code_error() -> None:
    from tsunagu.directory.models import Organisation

    def duplicate() -> None:
        raise DjangoValidationError({"__all__": [DjangoValidationError("重複", code="unique")]})

    def refused() -> None:
        raise TsunaguError("親にできません。", code="bad_parent", field="parent")

    with pytest.raises(ApiValidationError) as caught:
        call_service(duplicate, Organisation, {})
    with pytest.raises(TsunaguError) as refusal:
        call_service(refused, Organisation, {"parent": "parent_id"})

    assert [e.field for e in caught.value.errors] == ["name"]
    assert (refusal.value.field, refusal.value.code) == ("parent_id", "bad_parent")


def test_references_report_every_foreign_id_on_its_field(db: Any) -> None:
    from tsunagu.areas.models import Prefecture

    refs = References("body")
    known = Prefecture.objects.order_by("pk").first()
    assert known is not None

    assert refs.pick("prefecture_id", Prefecture.objects.all(), known.pk, "都道府県") == known
    assert refs.pick("prefecture_id", Prefecture.objects.none(), known.pk, "都道府県") is None
    assert refs.pick_many("ids", Prefecture.objects.all(), [known.pk, 0], "都道府県") == [known]
    with pytest.raises(ApiValidationError) as caught:
        refs.finish()

    assert [e.field for e in caught.value.errors] == ["prefecture_id", "ids"]
    assert "ID 0" in caught.value.errors[1].message
    assert ref(known) == {"id": known.pk, "name": known.name}
    assert ref(None) is None and municipality_ref(None) is None


def test_municipality_lookups_by_code(municipality: Any, user_named: Any) -> None:
    kawara = municipality("香春町")

    assert municipality_filter(f" {kawara.code} ") == kawara
    assert municipality_filter(None) is None
    with pytest.raises(ApiValidationError) as caught:
        municipality_filter("999999")
    refs = AreaReferences("body")
    chosen = refs.municipality("municipality_code", None, user=user_named("kawara"))

    assert "999999" in caught.value.errors[0].message
    assert chosen == kawara and refs.errors == []
