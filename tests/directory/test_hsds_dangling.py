"""HSDS import: a dangling optional reference is a 注意 (link dropped), not a refusal."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.codes import check_digit
from tsunagu.core.errors import TsunaguError
from tsunagu.directory.hsds.importer import import_tabular
from tsunagu.directory.models import Organisation, Resource

EXAMPLE_TABULAR = Path(__file__).parent / "files" / "hsds_example_tabular"
MISSING = "99999999-9999-4999-8999-999999999999"


@pytest.fixture
def target(db: Any) -> Municipality:
    return Municipality.objects.create(
        prefecture=Prefecture.objects.get(code="400009"),
        code="40993" + str(check_digit("40993")),
        name="参照町",
    )


@pytest.fixture
def package(tmp_path: Path) -> Path:
    copy_ = tmp_path / "package"
    shutil.copytree(EXAMPLE_TABULAR, copy_)
    return copy_


def _set(path: Path, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def test_dangling_optional_references_are_warnings_and_the_rest_imports(
    package: Path, target: Municipality
) -> None:
    _set(package / "taxonomy_terms.csv", "taxonomy_id", MISSING)
    _set(package / "taxonomy_terms.csv", "parent_id", MISSING)
    _set(package / "organizations.csv", "parent_organization_id", MISSING)

    summary = import_tabular(package, municipality=target, actor=system_actor())

    assert summary.created == {"organisation": 1, "location": 1, "resource": 1}
    assert Organisation.objects.get(municipality=target).parent is None
    assert Resource.objects.filter(municipality=target).count() == 1
    warnings = "\n".join(summary.warnings)
    for where in (
        "taxonomy_terms.csv 2行目の列「taxonomy_id」",
        "taxonomy_terms.csv 2行目の列「parent_id」",
        "organizations.csv 2行目の列「parent_organization_id」",
    ):
        assert where in warnings, warnings
    assert f"{MISSING} はデータにないため" in warnings
    assert "注意" in str(summary)


def test_a_missing_required_value_still_refuses_everything(
    package: Path, target: Municipality
) -> None:
    _set(package / "taxonomy_terms.csv", "taxonomy_id", MISSING)
    _set(package / "services.csv", "name", "")
    with pytest.raises(TsunaguError, match=r"services\.csv 2行目の列「name」"):
        import_tabular(package, municipality=target, actor=system_actor())
    assert not Organisation.objects.filter(municipality=target).exists()
