"""Request and response shapes of the referral API (/api/v1/care/referrals).

Two response shapes, one per side: :class:`ReferralOut` for the sender side (care right) and
:class:`ReceivedReferralOut` for the receiving organisation — the receiver's shape has no
field for anything it must not see (note, resident id, district, birth date, checklist)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from tsunagu.care.referrals.models import ReferralOutcome, ReferralStatus
from tsunagu.core.api.errors import register_schema_labels
from tsunagu.core.api.schemas import ApiIn, MunicipalityRef, Page, Ref, WarekiDate, choices_help

STATUS_HELP = f"状態（{choices_help(ReferralStatus)}）"


class ReceivedReferralOut(Schema):
    """What the receiving organisation is told: who, how to reach them, what they want and
    need; the care level only when the resident agreed to share it."""

    id: int
    resident_name: str = Field(..., description="氏名")
    contact_phone: str = Field("", description="連絡先の電話番号")
    wishes: str = Field("", description="本人の希望（やりたいこと）")
    accessibility_needs: str = Field("", description="参加に必要な配慮")
    care_level: str | None = Field(None, description="要介護度など（本人が同意したときだけ）")
    status: str = Field(..., description=STATUS_HELP)
    status_label: str
    decline_reason: str = Field("", description="お断りの理由")
    sent_on: datetime.date | None = Field(None, description="送付日")
    answered_on: datetime.date | None = Field(None, description="回答日")
    started_on: datetime.date | None = Field(None, description="利用開始日")
    ended_on: datetime.date | None = Field(None, description="終了日")
    destination: str = Field(..., description="つなぎ先の名称")
    organisation: str = Field(..., description="受け手の団体")


class ReceivedReferralPage(Page):
    items: list[ReceivedReferralOut]


class ReferralOut(Schema):
    """The sender side's view of a referral."""

    id: int
    municipality: MunicipalityRef
    resident: Ref = Field(..., description="住民（id と氏名）")
    resource: Ref | None = Field(None, description="つなぎ先の地域資源")
    program: Ref | None = Field(None, description="つなぎ先の総合事業")
    receiving_organisation: Ref = Field(..., description="受け手の団体")
    status: str = Field(..., description=STATUS_HELP)
    status_label: str
    resident_name: str
    contact_phone: str = ""
    wishes: str = ""
    accessibility_needs: str = ""
    share_care_level: bool = False
    note: str = Field("", description="送り手のメモ（受け手には見えません）")
    decline_reason: str = ""
    outcome: str = Field("", description=f"終了の理由（{choices_help(ReferralOutcome)}）")
    outcome_note: str = ""
    stop_reason: str = ""
    sent_on: datetime.date | None = None
    answered_on: datetime.date | None = None
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    last_reminded_on: datetime.date | None = None
    waiting_days: int | None = Field(None, description="送付から返事を待っている日数")


class ReferralPage(Page):
    items: list[ReferralOut]


class DeclineIn(ApiIn):
    reason: str = Field(..., title="お断りの理由", min_length=1, max_length=500)


class StartIn(ApiIn):
    started_on: WarekiDate | None = Field(
        None, title="利用開始日", description="来られた日（省略すると今日）。和暦も可"
    )


register_schema_labels("payload", DeclineIn, StartIn)
