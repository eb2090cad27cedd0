"""Account API router (/api/v1/account/): the signed-in user's own API tokens.

``GET /tokens`` lists the tokens that still work; ``DELETE /tokens/{id}`` revokes one (it is
refused with 401 from then on). Only one's own tokens: another user's id answers 404.
Tokens are issued by ``POST /api/v1/auth/token`` (:mod:`tsunagu.core.api.auth`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tsunagu.accounts import selectors, services
from tsunagu.core.api.errors import READ_ERRORS, ErrorOut

router = Router(tags=["アカウント"])


class ApiTokenOut(Schema):
    id: int
    name: str = Field(..., description="発行時に付けた名前（なければ空）")
    created_at: datetime.datetime = Field(..., description="発行日時")
    expires_at: datetime.datetime = Field(..., description="有効期限")
    last_used_at: datetime.datetime | None = Field(
        None, description="最後に使われた日時（5分単位）"
    )


@router.get(
    "/tokens",
    response={200: list[ApiTokenOut], 401: ErrorOut, 429: ErrorOut},
    summary="自分の API トークンの一覧",
    description="失効しておらず期限内のトークンです。トークンそのものは表示されません。",
)
def token_list(request: HttpRequest) -> Any:
    return list(selectors.api_tokens_of(user=request.auth))  # type: ignore[attr-defined]


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **READ_ERRORS},
    summary="API トークンの失効",
    description="自分のトークンを1つ失効させます。以後そのトークンでのアクセスは 401 になります。",
)
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    token = selectors.api_token_get_own(user=user, pk=token_id)
    services.api_token_revoke(token=token, actor=user)
    return Status(204, None)
