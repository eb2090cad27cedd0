"""道路運送法の確認 API (``/api/v1/mobility/legal-check``).

``POST`` a plan (the PLAN.json object of ``tsunagu mobility legal-check``) and get the same
JSON answer. Needs a signed-in user like every other endpoint; nothing is stored. An invalid
plan answers 422 with one ``errors`` entry per key, naming the key and the allowed values.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tsunagu.core.api.errors import WRITE_ERRORS, ApiValidationError, FieldError
from tsunagu.mobility.legal.check import (
    CATEGORIES,
    COST_ITEMS,
    OPERATOR_TYPES,
    PLAN_KEYS,
    RIDER_PAYMENTS,
    SERVICE_KINDS,
    SUBSIDY_COVERS,
    VEHICLES,
    LegalPlanError,
    check_plan,
)

router = Router(tags=["道路運送法の確認"])


def _enum(choices: dict[str, str], description: str) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": list(choices),
        "description": description
        + "（"
        + ", ".join(f"{k}: {v}" for k, v in choices.items())
        + "）",
    }


PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": list(PLAN_KEYS),
    "properties": {
        "rider_payment": _enum(RIDER_PAYMENTS, PLAN_KEYS["rider_payment"]),
        "actual_cost_items": {
            "type": "array",
            "items": _enum(COST_ITEMS, "実費の項目"),
            "description": "利用者が負担する実費の項目（rider_payment が actual_costs_only のときに使う）",
        },
        "subsidy_covers": _enum(SUBSIDY_COVERS, PLAN_KEYS["subsidy_covers"]),
        "vehicle": _enum(VEHICLES, PLAN_KEYS["vehicle"]),
        "operator_type": _enum(OPERATOR_TYPES, PLAN_KEYS["operator_type"]),
        "service_kind": _enum(SERVICE_KINDS, PLAN_KEYS["service_kind"]),
        "trip_date": {
            "type": "string",
            "format": "date",
            "description": "運送の日（例 2024-03-01）",
        },
    },
    "example": {
        "rider_payment": "actual_costs_only",
        "actual_cost_items": ["fuel", "parking"],
        "subsidy_covers": "indirect_only",
        "vehicle": "private",
        "operator_type": "nonprofit_association",
        "service_kind": "transit_gap_area",
        "trip_date": "2024-10-01",
    },
}


class PlanOut(Schema):
    rider_payment: str
    actual_cost_items: list[str]
    subsidy_covers: str
    vehicle: str
    operator_type: str
    service_kind: str
    trip_date: str = Field(..., description="運送の日（西暦、例 2024-10-01）")


class LegalCheckOut(Schema):
    category: str = Field(..., description="区分（" + ", ".join(CATEGORIES) + "）")
    category_label: str = Field(..., description="区分の日本語名")
    permit_or_registration_required: bool = Field(..., description="許可・登録が必要か")
    needs_human_review: bool = Field(
        ..., description="人による確認が必要か（目安で決めきれない場合）"
    )
    requirements: list[str] = Field(..., description="満たすべき要件")
    reasons: list[str] = Field(..., description="判定の理由")
    sources: list[str] = Field(..., description="根拠の資料")
    disclaimer: str
    rule: int = Field(..., description="あてはまった判定手順の番号")
    allowed_actual_cost_items: list[str] = Field(
        ..., description="運送の日に実費として認められる項目"
    )
    plan: PlanOut = Field(..., description="判定した計画（読み取った値）")


@router.post(
    "",
    response={200: LegalCheckOut, **WRITE_ERRORS},
    summary="運送の計画が道路運送法の許可・登録を必要とするかを確かめる",
    description=(
        "道路運送法と国土交通省の資料にもとづく手順で判定します（最初にあてはまった区分で決まります）。"
        "category: " + ", ".join(f"{k}（{v}）" for k, v in CATEGORIES.items()) + "。"
        "結果は目安であり、法律上の助言ではありません。"
    ),
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": PLAN_SCHEMA}}, "required": True}
    },
)
def legal_check(request: HttpRequest) -> dict[str, Any]:
    # The body is read here, not by a schema, so every problem gets the same Japanese message
    # as the CLI and the form (key named, allowed values listed).
    try:
        plan = json.loads(request.body.decode("utf-8-sig") or "null")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiValidationError(
            [FieldError(None, "", "計画は JSON のオブジェクト（{ … }）で送ってください。")]
        ) from exc
    try:
        return check_plan(plan)
    except LegalPlanError as exc:
        raise ApiValidationError(
            [
                FieldError(p.field, PLAN_KEYS.get(p.field or "", p.field or ""), p.message)
                for p in exc.problems
            ]
        ) from exc
