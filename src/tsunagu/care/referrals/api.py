"""Referral API (/api/v1/care/referrals): one part per side, the same selectors and services as
the pages.

- Sender side (care right for the municipality): ``GET /care/referrals`` and
  ``GET /care/referrals/{id}`` answer :class:`ReferralOut`.
- Receiver side (members of the receiving organisation): ``GET /care/referrals/inbox`` and
  ``GET /care/referrals/inbox/{id}`` answer :class:`ReceivedReferralOut` only, and
  ``POST …/inbox/{id}/accept|decline|start`` answer it.

Anything else is 404, as for a referral that does not exist; with personal records off, 404
saying so. Every referral returned logs its resident's read.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router

from tsunagu.care.access import can_open_residents, personal_records_enabled
from tsunagu.care.referrals import selectors, services
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.care.referrals.permissions import can_receive_referrals
from tsunagu.care.referrals.schemas import (
    DeclineIn,
    ReceivedReferralOut,
    ReceivedReferralPage,
    ReferralOut,
    ReferralPage,
    StartIn,
)
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS
from tsunagu.core.api.paging import PageNumber, PerPage, page_out, paginate
from tsunagu.core.api.refs import label, municipality_ref, ref
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import NotFound

router = Router(tags=["つなぎ（地域の活動・サービスへの紹介）"])

RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="つなぎの ID")]
RECORDS_OFF = "この環境では住民の記録（個人情報）は無効です（TSUNAGU_ENABLE_PERSONAL_RECORDS）。"
FIELDS = {"reason": "reason", "started_on": "started_on"}


def _records_on() -> None:
    if not personal_records_enabled():
        raise NotFound(RECORDS_OFF)


def _sender(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    _records_on()
    if not can_open_residents(user):
        raise NotFound()
    return user


def _receiver(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    _records_on()
    if not can_receive_referrals(user):
        raise NotFound()
    return user


def _out(referral: Referral) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": referral.pk,
        "municipality": municipality_ref(referral.municipality),
        "resident": {"id": referral.resident_id, "name": referral.resident_name},
        "resource": ref(referral.resource),
        "program": ref(referral.program),
        "receiving_organisation": ref(referral.receiving_organisation),
        "status": referral.status,
        "status_label": label(referral, "status"),
        "resident_name": referral.resident_name,
        "contact_phone": referral.contact_phone,
        "wishes": referral.wishes,
        "accessibility_needs": referral.accessibility_needs,
        "share_care_level": referral.share_care_level,
        "note": referral.note,
        "decline_reason": referral.decline_reason,
        "outcome": referral.outcome,
        "outcome_note": referral.outcome_note,
        "stop_reason": referral.stop_reason,
        "sent_on": referral.sent_on,
        "answered_on": referral.answered_on,
        "started_on": referral.started_on,
        "ended_on": referral.ended_on,
        "last_reminded_on": referral.last_reminded_on,
        "waiting_days": referral.waiting_days(today),
    }


# --- the receiver side (before /{referral_id} so that the literal path matches first) ---------


@router.get(
    "/inbox",
    response={200: ReceivedReferralPage, **READ_ERRORS},
    summary="受け手の団体に届いたつなぎ",
    description="利用者が団体メンバーである団体あてに送付されたつなぎだけを返します"
    "（作成中・中止は含みません）。氏名・連絡先・本人の希望・参加に必要な配慮・状態と日付・"
    "つなぎ先の名称だけで、要介護度などは本人が同意したときだけです。返したつなぎは一件ずつ"
    "閲覧記録に残ります。",
)
def inbox_list(
    request: HttpRequest,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    status: Annotated[ReferralStatus | None, Query(description="状態")] = None,
) -> Any:
    user = _receiver(request)
    cards = selectors.received_referrals_for_user(
        user=user,
        statuses=(status.value,) if status else (),
        purpose="つなぎの受付（API）",
        path=request.path,
    )
    start = (page - 1) * per_page
    items = [dataclasses.asdict(c) for c in cards[start : start + per_page]]
    return page_out(items, len(cards), page, per_page, start + per_page < len(cards))


def _card(request: HttpRequest, user: Any, referral_id: int) -> dict[str, Any]:
    try:
        card = selectors.received_referral_get(
            user=user, referral_id=referral_id, purpose="つなぎの受付（API）", path=request.path
        )
    except Http404:
        raise NotFound() from None
    return dataclasses.asdict(card)


@router.get(
    "/inbox/{referral_id}",
    response={200: ReceivedReferralOut, **READ_ERRORS},
    summary="届いたつなぎの詳細（受け手）",
    description="受け手に見せてよい項目だけです。閲覧記録に残ります。",
)
def inbox_detail(request: HttpRequest, referral_id: RecordId) -> Any:
    user = _receiver(request)
    return _card(request, user, referral_id)


def _row(user: Any, referral_id: int) -> Referral:
    try:
        return selectors.received_referral_for_write(user=user, referral_id=referral_id)
    except Http404:
        raise NotFound() from None


@router.post(
    "/inbox/{referral_id}/accept",
    response={200: ReceivedReferralOut, **WRITE_ERRORS},
    summary="つなぎを受け付ける（受け手）",
    description="送付されたつなぎだけ受け付けられます。変更履歴に残ります。",
)
def inbox_accept(request: HttpRequest, referral_id: RecordId) -> Any:
    user = _receiver(request)
    row = _row(user, referral_id)
    call_service(services.referral_accept, Referral, FIELDS, referral=row, actor=user)
    return _card(request, user, referral_id)


@router.post(
    "/inbox/{referral_id}/decline",
    response={200: ReceivedReferralOut, **WRITE_ERRORS},
    summary="つなぎをお断りする（受け手）",
    description="理由は必須です。送り手に伝わります。",
)
def inbox_decline(request: HttpRequest, referral_id: RecordId, payload: DeclineIn) -> Any:
    user = _receiver(request)
    row = _row(user, referral_id)
    call_service(
        services.referral_decline, Referral, FIELDS, referral=row, reason=payload.reason, actor=user
    )
    return _card(request, user, referral_id)


@router.post(
    "/inbox/{referral_id}/start",
    response={200: ReceivedReferralOut, **WRITE_ERRORS},
    summary="来られたことを記録する（受け手）",
    description="受け付けたつなぎだけです。日付を省略すると今日です。",
)
def inbox_start(request: HttpRequest, referral_id: RecordId, payload: StartIn) -> Any:
    user = _receiver(request)
    row = _row(user, referral_id)
    call_service(
        services.referral_start,
        Referral,
        FIELDS,
        referral=row,
        started_on=payload.started_on or timezone.localdate(),
        actor=user,
    )
    return _card(request, user, referral_id)


# --- the sender side ----------------------------------------------------------------------------


@router.get(
    "",
    response={200: ReferralPage, **READ_ERRORS},
    summary="つなぎの一覧（送り手）",
    description="介護予防の個人記録を開く権限がある市町村のつなぎを新しい順に返します。"
    "stalled=true で止まっているもの（送付・受付から一定日数動きがない）だけにします。"
    "返したつなぎは一件ずつ閲覧記録に残ります。",
)
def referral_list(
    request: HttpRequest,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    status: Annotated[ReferralStatus | None, Query(description="状態")] = None,
    stalled: Annotated[bool, Query(description="止まっているものだけ")] = False,
    municipality_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="市町村ID")] = None,
) -> Any:
    user = _sender(request)
    rows = selectors.referral_list_for_sender(
        user=user,
        municipality_id=municipality_id,
        status=status.value if status else "",
        stalled=stalled,
    )
    items, count, has_next = paginate(rows, page, per_page)
    selectors.log_referral_reads(
        user=user, referrals=items, purpose="つなぎの一覧を表示（API）", path=request.path
    )
    return page_out([_out(r) for r in items], count, page, per_page, has_next)


@router.get(
    "/{referral_id}",
    response={200: ReferralOut, **READ_ERRORS},
    summary="つなぎの詳細（送り手）",
    description="送り手のメモを含みます。閲覧記録に残ります。",
)
def referral_detail(request: HttpRequest, referral_id: RecordId) -> Any:
    user = _sender(request)
    try:
        referral = selectors.referral_get_for_sender(
            user=user,
            referral_id=referral_id,
            purpose="つなぎの詳細を表示（API）",
            path=request.path,
        )
    except Http404:
        raise NotFound() from None
    return _out(referral)
