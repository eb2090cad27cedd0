"""Request and response shapes of the resident API (/api/v1/care/residents)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from tsunagu.care.models import CareLevel, ConsentPurpose, Household, ResidentStatus, Sex
from tsunagu.core.api.errors import register_schema_labels
from tsunagu.core.api.schemas import (
    MUNICIPALITY_CODE_HELP,
    ApiIn,
    Id,
    MunicipalityRef,
    OptionalWarekiDate,
    Page,
    Ref,
    choices_help,
)


class ResidentSummaryOut(Schema):
    """What a list shows: the minimum, never health, consent or contact data."""

    id: int
    name: str = Field(..., description="氏名")
    name_kana: str = Field(..., description="よみがな")
    municipality: MunicipalityRef
    district: Ref | None = Field(None, description="地区")
    status: str = Field(..., description=f"状態（{choices_help(ResidentStatus)}）")
    status_label: str = Field(..., description="状態")
    is_synthetic: bool = Field(..., description="架空の人物（デモ）")


class CareLevelOut(Schema):
    id: int
    level: str = Field(..., description=f"要介護度など（{choices_help(CareLevel)}）")
    level_label: str
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


class ConsentOut(Schema):
    id: int
    purpose: str = Field(..., description=f"同意の内容（{choices_help(ConsentPurpose)}）")
    purpose_label: str
    detail: str = ""
    given_on: datetime.date
    recorded_by: str = Field(..., description="記録した人（表示名）")
    withdrawn_on: datetime.date | None = None
    withdrawal_recorded_by: str | None = None


class ResidentOut(ResidentSummaryOut):
    birth_date: datetime.date | None = Field(None, description="生年月日")
    sex: str = Field("", description=f"性別（{choices_help(Sex)}）")
    household: str = Field("", description=f"世帯（{choices_help(Household)}）")
    contact_name: str = ""
    contact_relation: str = ""
    contact_phone: str = ""
    closed_on: datetime.date | None = None
    anonymised_on: datetime.date | None = None
    care_levels: list[CareLevelOut] = []
    consents: list[ConsentOut] = []


class ResidentPage(Page):
    items: list[ResidentSummaryOut]


class ResidentUpdateIn(ApiIn):
    name: str | None = Field(None, title="氏名", max_length=100)
    name_kana: str | None = Field(None, title="よみがな", max_length=100)
    district_id: Id | None = Field(None, title="地区")
    birth_date: OptionalWarekiDate = Field(None, title="生年月日", description="和暦も可")
    sex: Sex | None = Field(None, title="性別")
    household: Household | None = Field(None, title="世帯")
    contact_name: str | None = Field(None, title="連絡先の方の氏名", max_length=100)
    contact_relation: str | None = Field(None, title="続柄・関係", max_length=50)
    contact_phone: str | None = Field(None, title="連絡先の電話番号", max_length=20)


class ResidentCreateIn(ResidentUpdateIn):
    municipality_code: str | None = Field(
        None, title="市町村", description=MUNICIPALITY_CODE_HELP + "。一つだけなら省略可"
    )
    name: str = Field(..., title="氏名", max_length=100)  # type: ignore[assignment]
    name_kana: str = Field(..., title="よみがな", max_length=100)  # type: ignore[assignment]


register_schema_labels("payload", ResidentCreateIn, ResidentUpdateIn)
