"""The legal check over the API (/api/v1/mobility/legal-check), the guided form, the result
page, saving on a mobility service (edit rights, history) and the cost calculator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tsunagu.core.actions import display_reason
from tsunagu.directory.models import Organisation
from tsunagu.mobility.models import MobilityService

API = "/api/v1/mobility/legal-check"
PLAN: dict[str, Any] = {
    "rider_payment": "fare",
    "actual_cost_items": [],
    "subsidy_covers": "none",
    "vehicle": "private",
    "operator_type": "nonprofit_association",
    "service_kind": "welfare_members",
    "trip_date": "2024-10-01",
}


@pytest.fixture
def service(db: Any, municipality: Any) -> MobilityService:
    saiki = municipality("佐伯市")
    operator = Organisation.objects.get(name="直川地域コミュニティ協議会", municipality=saiki)
    return MobilityService.objects.create(
        municipality=saiki, name="テスト用 直川ボランティア送迎", operator=operator
    )


def post(client: Any, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(API, data=data, content_type="application/json")


# --- API ----------------------------------------------------------------------------------


def test_api_returns_the_check(client_as: Any) -> None:
    response = post(client_as("kawara"), PLAN)
    assert response.status_code == 200
    body = response.json()
    assert body["category"] == "welfare_paid"
    assert body["permit_or_registration_required"] is True
    assert body["sources"]


def test_api_requires_login(client: Any) -> None:
    assert post(client, PLAN).status_code == 401


def test_api_unknown_value_is_422_naming_key(client_as: Any) -> None:
    response = post(client_as("kawara"), {**PLAN, "operator_type": "temple"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "operator_type"
    assert "taxi_operator" in error["message"]


def test_api_missing_key_and_bad_json_are_422(client_as: Any) -> None:
    client = client_as("kawara")
    plan = dict(PLAN)
    del plan["vehicle"]
    assert post(client, plan).status_code == 422
    assert post(client, "{oops").status_code == 422
    assert post(client, {**PLAN, "trip_date": "2024-02-30"}).status_code == 422


# --- guided form --------------------------------------------------------------------------


def test_form_page_shows_questions_with_labels(client_as: Any) -> None:
    response = client_as("kawara").get("/mobility/legal/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<fieldset" in html and "<legend>" in html
    assert 'type="radio"' in html and "法律上の助言ではありません" in html


def test_form_shows_result_in_words(client_as: Any) -> None:
    query = {**PLAN, "trip_date": "令和6年10月1日"}
    response = client_as("kawara").get("/mobility/legal/", query)
    html = response.content.decode()
    assert "福祉有償運送" in html
    assert "第79条" in html and "会員名簿" in html
    assert "法律上の助言ではありません" in html


def test_form_errors_keep_answers(client_as: Any) -> None:
    query = {**PLAN, "trip_date": "令和6年13月1日"}
    response = client_as("kawara").get("/mobility/legal/", query)
    html = response.content.decode()
    assert "入力内容を確認してください" in html
    assert 'value="fare"' in html and "checked" in html
    assert "令和6年13月1日" in html


def test_edit_link_shows_form_again(client_as: Any) -> None:
    response = client_as("kawara").get("/mobility/legal/", {**PLAN, "edit": "1"})
    assert "結果を見る" in response.content.decode()


# --- saving on a service ------------------------------------------------------------------


def save(client: Any, service: MobilityService, plan: dict[str, Any] | None = None) -> Any:
    return client.post("/mobility/legal/save/", {**(plan or PLAN), "service": service.pk})


@pytest.mark.parametrize("username", ["saiki", "saiki-sc", "naokawa"])
def test_editors_save_the_result_with_history(
    client_as: Any, service: MobilityService, username: str
) -> None:
    response = save(client_as(username), service)
    service.refresh_from_db()
    assert response.status_code == 302
    assert service.legal_result["category"] == "welfare_paid"
    assert service.legal_plan["rider_payment"] == "fare"
    assert service.legal_checked_at is not None
    assert display_reason(service.history.first().history_change_reason) == "道路運送法の確認を保存"


def test_reader_of_the_municipality_cannot_save(client_as: Any, service: MobilityService) -> None:
    response = save(client_as("oita"), service)  # prefecture staff: reads 佐伯市, edits nothing
    service.refresh_from_db()
    assert response.status_code == 403
    assert service.legal_result == {}
    assert service.history.count() == 1


def test_other_municipality_gets_404(client_as: Any, service: MobilityService) -> None:
    client = client_as("kawara")
    assert save(client, service).status_code == 404
    assert client.get(f"/mobility/legal/service/{service.pk}/").status_code == 404
    service.refresh_from_db()
    assert service.legal_result == {}


def test_saved_result_is_readable_by_municipality_readers(
    client_as: Any, service: MobilityService
) -> None:
    save(client_as("saiki"), service)
    response = client_as("oita").get(f"/mobility/legal/service/{service.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "福祉有償運送" in html
    assert "確認し直す" not in html


def test_result_page_offers_only_editable_services(
    client_as: Any, service: MobilityService
) -> None:
    saiki_html = client_as("saiki").get("/mobility/legal/", PLAN).content.decode()
    kawara_html = client_as("kawara").get("/mobility/legal/", PLAN).content.decode()
    assert service.name in saiki_html
    assert service.name not in kawara_html


def test_invalid_plan_is_not_saved(client_as: Any, service: MobilityService) -> None:
    response = save(client_as("saiki"), service, {**PLAN, "vehicle": "truck"})
    service.refresh_from_db()
    assert response.status_code == 302
    assert service.legal_result == {}


# --- calculator ---------------------------------------------------------------------------


def test_calculator_computes_per_rider(client_as: Any) -> None:
    query = {
        "trip_date": "2024-10-01",
        "fuel_price": "170",
        "fuel_economy": "15",
        "distance_km": "30",
        "tolls": "0",
        "parking": "200",
        "insurance": "0",
        "riders": "3",
        "planned_charge": "300",
    }
    html = client_as("kawara").get("/mobility/legal/calculator/", query).content.decode()
    assert "540円" in html and "180円" in html
    assert "超えます" in html


def test_calculator_reports_bad_input(client_as: Any) -> None:
    query = {
        "trip_date": "2024-10-01",
        "fuel_price": "abc",
        "fuel_economy": "0",
        "distance_km": "5",
    }
    response = client_as("kawara").get("/mobility/legal/calculator/", query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "入力内容を確認してください" in html


def test_form_for_a_service_starts_from_its_saved_plan(
    client_as: Any, service: MobilityService
) -> None:
    client = client_as("naokawa")
    save(client, service, {**PLAN, "operator_type": "npo", "trip_date": "2024-02-29"})
    html = client.get("/mobility/legal/", {"service": service.pk}).content.decode()
    assert 'value="npo" required id="id_operator_type_1" checked' in html
    assert "令和6年2月29日" in html
    assert service.name in html
