"""Catalog API (/api/v1/programs/catalog): the 総合事業 types, public (no login).

National reference data from ``tsunagu.directory.catalog``; ``q`` resolves any name or alias
(「サービスB（訪問型）」「訪問型サービス・活動B」「訪問B」) to its type.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from tsunagu.core.api.auth import AnonymousRateThrottle
from tsunagu.core.api.errors import ErrorOut
from tsunagu.core.errors import NotFound
from tsunagu.directory import catalog

router = Router()
TAG = "総合事業の類型"
PUBLIC_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class CatalogTypeOut(Schema):
    code: str = Field(..., description="類型のコード（地域資源の sogo_service_type と同じ）")
    group: str = Field(
        ..., description="区分のコード（home, day, other, care_management, general_prevention）"
    )
    group_label: str = Field(..., description="区分の名称")
    name: str = Field(..., description="名称")
    name_2024: str = Field(..., description="令和6年度の見直し後の名称（サービス・活動）")
    aliases: list[str] = Field(..., description="別名・表記（読み取りで受け付けるもの）")
    description: str = Field(..., description="説明")
    parent: str | None = Field(None, description="上位の類型のコード（一般介護予防事業の5事業）")


def _out(kind: catalog.CatalogType) -> dict[str, Any]:
    return {
        "code": kind.code,
        "group": kind.group,
        "group_label": kind.group_label,
        "name": str(kind.name),
        "name_2024": kind.name_2024,
        "aliases": list(kind.aliases),
        "description": str(kind.description),
        "parent": kind.parent or None,
    }


@router.get(
    "",
    auth=None,
    throttle=[AnonymousRateThrottle()],
    response={200: list[CatalogTypeOut], **PUBLIC_ERRORS},
    tags=[TAG],
    summary="総合事業の類型の一覧",
    description="ログインなしで使えます。q を指定すると、その名称・別名の類型だけを返します（なければ空）。",
)
def catalog_list(
    request: HttpRequest,
    q: Annotated[str | None, Query(max_length=100, description="名称・別名（例: 訪問B）")] = None,
) -> Any:
    if q:
        kind = catalog.lookup(q)
        return [_out(kind)] if kind else []
    return [_out(kind) for kind in catalog.CATALOG]


@router.get(
    "/{code}",
    auth=None,
    throttle=[AnonymousRateThrottle()],
    response={200: CatalogTypeOut, **PUBLIC_ERRORS},
    tags=[TAG],
    summary="総合事業の類型",
)
def catalog_detail(
    request: HttpRequest,
    code: Annotated[str, Path(max_length=40, description="類型のコード（例: home_b）")],
) -> Any:
    kind = catalog.get(code)
    if kind is None:
        raise NotFound()
    return _out(kind)
