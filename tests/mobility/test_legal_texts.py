"""What users of the 道路運送法 check read: no internal names, and saving goes to the scheme
the user came from (issue 12)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tsunagu.mobility.models import MobilityService

PLANS: list[dict[str, Any]] = [
    {  # 無償運送
        "rider_payment": "none",
        "subsidy_covers": "none",
        "vehicle": "private",
        "operator_type": "nonprofit_association",
        "service_kind": "welfare_members",
        "trip_date": "2024-10-01",
    },
    {  # 無償運送（実費）
        "rider_payment": "actual_costs_only",
        "actual_cost_items": ["fuel"],
        "subsidy_covers": "none",
        "vehicle": "private",
        "operator_type": "nonprofit_association",
        "service_kind": "welfare_members",
        "trip_date": "2024-10-01",
    },
    {  # 有償
        "rider_payment": "fare",
        "subsidy_covers": "none",
        "vehicle": "private",
        "operator_type": "nonprofit_association",
        "service_kind": "welfare_members",
        "trip_date": "2024-10-01",
    },
]
INTERNAL = ("free_actual_costs", "DOMAIN", "規則1", "規則2", "規則3", "§4.3", "<code>")


@pytest.mark.parametrize("plan", PLANS, ids=["free", "actual_costs", "paid"])
def test_result_page_shows_no_internal_names(client_as: Any, plan: dict[str, Any]) -> None:
    response = client_as("saiki").get("/mobility/legal/", plan)

    html = response.content.decode()
    assert response.status_code == 200
    assert "道路運送法の確認の結果" in html
    for name in INTERNAL:
        assert name not in html, name


def test_api_docs_of_the_check_name_no_internal_document(client_as: Any) -> None:
    schema = client_as("saiki").get("/api/v1/openapi.json").json()
    [operation] = [
        operation
        for path, item in schema["paths"].items()
        if path.endswith("/mobility/legal-check")
        for operation in item.values()
    ]
    # (the category values listed there are the API's own values, documented on purpose)
    assert "道路運送法" in operation["description"]
    for name in ("DOMAIN", "§4.3", "規則"):
        assert name not in operation["description"], name


def _options(html: str) -> list[tuple[str, bool]]:
    select = html.split('id="id_save_service"', 1)[1].split("</select>", 1)[0]
    return [
        (value, bool(selected))
        for value, selected in re.findall(r'<option value="(\d*)"( selected)?', select)
    ]


def test_save_preselects_the_scheme_the_user_came_from(client_as: Any) -> None:
    services = list(MobilityService.objects.filter(municipality__name="佐伯市").order_by("name"))
    assert len(services) >= 2
    came_from = services[-1]

    html = (
        client_as("saiki")
        .get("/mobility/legal/", {**PLANS[2], "service": came_from.pk})
        .content.decode()
    )

    selected = [value for value, is_selected in _options(html) if is_selected]
    assert selected == [str(came_from.pk)]


def test_save_without_a_scheme_preselects_none(client_as: Any) -> None:
    html = client_as("saiki").get("/mobility/legal/", PLANS[2]).content.decode()

    options = _options(html)
    assert options[0] == ("", True)
    assert [value for value, is_selected in options if is_selected] == [""]
