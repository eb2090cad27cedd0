"""Request and response shapes of the directory API (django-ninja Schemas).

Field titles are the Japanese labels used in error messages and in the OpenAPI document.
Writes accept dates in 西暦 or 和暦 (2024-10-01, 令和6年10月1日, R6.10.1); enumerations
use the stored codes (``active``, ``partners`` …) and the responses carry the Japanese
label beside each code.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import model_validator

from tsunagu.core.api.errors import register_schema_labels
from tsunagu.core.api.schemas import (
    DATE_HELP,
    ApiIn,
    Id,
    MunicipalityRef,
    OptionalWarekiDate,
    Page,
    Ref,
    WarekiDate,
    choices_help,
)
from tsunagu.directory.models import (
    ContactWay,
    FundingBasis,
    OrganisationStatus,
    OrganisationType,
    ResourceStatus,
    SogoServiceType,
    Visibility,
)


class _In(ApiIn):
    """Request bodies: unknown fields and control characters (NUL …) are errors."""


# --- shared references -----------------------------------------------------------------


class CategoryRef(Schema):
    id: int
    code: str = Field(..., description="分類コード（安定した識別子）")
    name: str = Field(..., description="分類名")


class EligibilityOut(Schema):
    code: str = Field(..., description="コード（書き込み時に指定する値）")
    name: str = Field(..., description="名称")
    name_en: str = Field("", description="英語名")


class ProviderRef(Schema):
    id: int
    name: str = Field(..., description="提供する団体の名称")
    org_type: str = Field(..., description="団体の種別コード")
    org_type_label: str = Field(..., description="団体の種別")


class LocationOut(Schema):
    id: int
    name: str = Field(..., description="場所の名称")
    postal_code: str = Field("", description="郵便番号")
    address: str = Field("", description="住所")
    latitude: float | None = Field(None, description="緯度")
    longitude: float | None = Field(None, description="経度")
    district: Ref | None = Field(None, description="地区")


class CategoryNode(Schema):
    id: int
    code: str = Field(..., description="分類コード")
    name: str = Field(..., description="分類名")
    name_en: str = Field("", description="英語名")
    description: str = Field("", description="説明")
    children: list[CategoryNode] = Field(default_factory=list, description="下位分類")


# --- schedules -------------------------------------------------------------------------


class WeeklySlotIn(_In):
    weekday: int = Field(..., ge=0, le=6, title="曜日", description="0=月曜 … 6=日曜")
    week_of_month: int | None = Field(
        None, ge=1, le=5, title="第何週", description="1〜5。空（null）なら毎週"
    )
    opens_at: datetime.time | None = Field(None, title="開始時刻", description="例: 10:00")
    closes_at: datetime.time | None = Field(None, title="終了時刻", description="例: 12:00")

    @model_validator(mode="after")
    def _times_in_order(self) -> WeeklySlotIn:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("終了時刻は開始時刻より後にしてください。")
        return self


class WeeklySlotOut(Schema):
    weekday: int = Field(..., description="0=月曜 … 6=日曜")
    weekday_label: str = Field(..., description="曜日")
    week_of_month: int | None = Field(None, description="第何週（null なら毎週）")
    opens_at: datetime.time | None = Field(None, description="開始時刻")
    closes_at: datetime.time | None = Field(None, description="終了時刻")
    label: str = Field(..., description="表示用（例: 第2水曜 10:00〜12:00）")


class SessionIn(_In):
    date: WarekiDate = Field(..., title="日付", description=DATE_HELP)
    opens_at: datetime.time | None = Field(None, title="開始時刻")
    closes_at: datetime.time | None = Field(None, title="終了時刻")
    note: str = Field("", max_length=200, title="備考")

    @model_validator(mode="after")
    def _times_in_order(self) -> SessionIn:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("終了時刻は開始時刻より後にしてください。")
        return self


class SessionOut(Schema):
    date: datetime.date = Field(..., description="日付")
    opens_at: datetime.time | None = Field(None, description="開始時刻")
    closes_at: datetime.time | None = Field(None, description="終了時刻")
    note: str = Field("", description="備考")


# --- resources -------------------------------------------------------------------------


class PublicResourceOut(Schema):
    """A resource as residents see it (public page, public API)."""

    id: int
    name: str = Field(..., description="名称")
    name_kana: str = Field("", description="よみがな")
    provider: ProviderRef = Field(..., description="提供する団体")
    category: CategoryRef = Field(..., description="分類")
    description: str = Field("", description="内容")
    eligibility: list[EligibilityOut] = Field(default_factory=list, description="利用できる人")
    eligibility_note: str = Field("", description="利用条件の補足")
    cost_yen: int | None = Field(None, description="利用料（円）")
    cost_note: str = Field("", description="費用の説明")
    schedule_note: str = Field("", description="日程の説明")
    weekly_slots: list[WeeklySlotOut] = Field(default_factory=list, description="曜日ごとの日程")
    sessions: list[SessionOut] = Field(default_factory=list, description="開催日")
    serves_whole_municipality: bool = Field(False, description="市町村全域が対象")
    municipality: MunicipalityRef | None = Field(None, description="市町村")
    prefecture: Ref | None = Field(None, description="都道府県（市町村に属さない場合）")
    daily_life_areas: list[Ref] = Field(default_factory=list, description="対象の日常生活圏域")
    districts: list[Ref] = Field(default_factory=list, description="対象の地区")
    locations: list[LocationOut] = Field(default_factory=list, description="実施場所")
    how_to_apply: str = Field("", description="申込方法")
    capacity: int | None = Field(None, description="定員")
    status: str = Field(..., description=f"状態（{choices_help(ResourceStatus)}）")
    status_label: str = Field(..., description="状態")
    contact_phone: str = Field("", description="問い合わせ電話番号")
    website: str = Field("", description="ウェブサイト・動画")
    started_on: datetime.date | None = Field(None, description="開始日")
    last_verified_on: datetime.date | None = Field(None, description="最終確認日")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")


class ResourceOut(PublicResourceOut):
    """A resource as signed-in users see it."""

    visibility: str = Field(..., description=f"公開範囲（{choices_help(Visibility)}）")
    visibility_label: str = Field(..., description="公開範囲")
    funding_basis: str = Field("", description=f"財源・根拠（{choices_help(FundingBasis)}）")
    sogo_service_type: str = Field(
        "", description=f"総合事業の類型（{choices_help(SogoServiceType)}）"
    )
    subsidy_name: str = Field("", description="補助金の名称")
    source: str = Field("", description="出典・情報源")
    is_stale: bool = Field(..., description="12か月以上確認されていない（または未確認）")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


class _ResourceFields(_In):
    name_kana: str | None = Field(None, max_length=200, title="よみがな")
    description: str | None = Field(None, title="内容")
    eligibility: list[str] | None = Field(
        None,
        title="利用できる人",
        description="コードの配列（GET /api/v1/directory/public/eligibility を参照）",
    )
    eligibility_note: str | None = Field(None, max_length=300, title="利用条件の補足")
    cost_yen: int | None = Field(None, ge=0, le=2_147_483_647, title="利用料（円）")
    cost_note: str | None = Field(None, max_length=300, title="費用の説明")
    schedule_note: str | None = Field(None, max_length=300, title="日程の説明")
    weekly_slots: list[WeeklySlotIn] | None = Field(
        None, title="曜日ごとの日程", description="指定するとすべて置き換えます"
    )
    sessions: list[SessionIn] | None = Field(
        None, title="開催日", description="指定するとすべて置き換えます"
    )
    serves_whole_municipality: bool | None = Field(None, title="市町村全域が対象")
    daily_life_area_ids: list[Id] | None = Field(None, title="対象の日常生活圏域")
    district_ids: list[Id] | None = Field(None, title="対象の地区")
    how_to_apply: str | None = Field(None, title="申込方法")
    capacity: int | None = Field(None, ge=0, le=2_147_483_647, title="定員")
    status: ResourceStatus | None = Field(
        None, title="状態", description=choices_help(ResourceStatus)
    )
    funding_basis: FundingBasis | None = Field(
        None, title="財源・根拠", description=choices_help(FundingBasis)
    )
    sogo_service_type: SogoServiceType | None = Field(
        None, title="総合事業の類型", description=choices_help(SogoServiceType)
    )
    subsidy_name: str | None = Field(None, max_length=200, title="補助金の名称")
    visibility: Visibility | None = Field(
        None, title="公開範囲", description=choices_help(Visibility)
    )
    contact_phone: str | None = Field(None, max_length=20, title="問い合わせ電話番号")
    website: str | None = Field(None, max_length=200, title="ウェブサイト・動画")
    started_on: OptionalWarekiDate = Field(None, title="開始日", description=DATE_HELP)
    source: str | None = Field(None, max_length=300, title="出典・情報源")


class ResourceCreateIn(_ResourceFields):
    name: str = Field(..., min_length=1, max_length=200, title="名称")
    provider_id: Id = Field(..., title="提供する団体", description="団体の ID")
    category_code: str = Field(
        ...,
        max_length=60,
        title="分類",
        description="分類コード（GET /api/v1/directory/public/categories を参照）",
    )
    municipality_id: Id | None = Field(
        None, title="市町村", description="省略時は提供する団体の市町村"
    )


class ResourceUpdateIn(_ResourceFields):
    """Only the fields sent are changed (PATCH)."""

    name: str | None = Field(None, min_length=1, max_length=200, title="名称")
    provider_id: Id | None = Field(None, title="提供する団体")
    category_code: str | None = Field(None, max_length=60, title="分類")


# --- organisations ---------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str = Field(..., description="名称")
    name_kana: str = Field("", description="よみがな")
    org_type: str = Field(..., description=f"種別（{choices_help(OrganisationType)}）")
    org_type_label: str = Field(..., description="種別")
    parent: Ref | None = Field(None, description="上位の組織")
    municipality: MunicipalityRef | None = Field(None, description="市町村")
    prefecture: Ref | None = Field(None, description="都道府県（市町村に属さない場合）")
    description: str = Field("", description="活動内容")
    serves_whole_municipality: bool = Field(False, description="市町村全域で活動")
    daily_life_areas: list[Ref] = Field(default_factory=list, description="活動する日常生活圏域")
    districts: list[Ref] = Field(default_factory=list, description="活動する地区")
    postal_code: str = Field("", description="郵便番号")
    address: str = Field("", description="住所")
    latitude: float | None = Field(None, description="緯度")
    longitude: float | None = Field(None, description="経度")
    phone: str = Field("", description="電話番号")
    email: str = Field("", description="メールアドレス")
    website: str = Field("", description="ウェブサイト")
    strengths: str = Field("", description="強み")
    strength_tags: list[str] = Field(default_factory=list, description="強みのタグ")
    problems: str = Field("", description="抱えている課題")
    problem_tags: list[str] = Field(default_factory=list, description="課題のタグ")
    status: str = Field(..., description=f"状態（{choices_help(OrganisationStatus)}）")
    status_label: str = Field(..., description="状態")
    founded_on: datetime.date | None = Field(None, description="設立日")
    visibility: str = Field(..., description=f"公開範囲（{choices_help(Visibility)}）")
    visibility_label: str = Field(..., description="公開範囲")
    source: str = Field("", description="出典・情報源")
    last_verified_on: datetime.date | None = Field(None, description="最終確認日")
    is_stale: bool = Field(..., description="12か月以上確認されていない（または未確認）")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


class _OrganisationFields(_In):
    name_kana: str | None = Field(None, max_length=200, title="よみがな")
    parent_id: Id | None = Field(None, title="上位の組織", description="団体の ID")
    description: str | None = Field(None, title="活動内容")
    serves_whole_municipality: bool | None = Field(None, title="市町村全域で活動")
    daily_life_area_ids: list[Id] | None = Field(None, title="活動する日常生活圏域")
    district_ids: list[Id] | None = Field(None, title="活動する地区")
    postal_code: str | None = Field(None, max_length=8, title="郵便番号")
    address: str | None = Field(None, max_length=300, title="住所")
    latitude: Decimal | None = Field(None, ge=-90, le=90, title="緯度")
    longitude: Decimal | None = Field(None, ge=-180, le=180, title="経度")
    phone: str | None = Field(None, max_length=20, title="電話番号")
    email: str | None = Field(None, max_length=254, title="メールアドレス")
    website: str | None = Field(None, max_length=200, title="ウェブサイト")
    strengths: str | None = Field(None, title="強み")
    strength_tags: list[Annotated[str, Field(max_length=50)]] | None = Field(
        None, title="強みのタグ"
    )
    problems: str | None = Field(None, title="抱えている課題")
    problem_tags: list[Annotated[str, Field(max_length=50)]] | None = Field(
        None, title="課題のタグ"
    )
    status: OrganisationStatus | None = Field(
        None, title="状態", description=choices_help(OrganisationStatus)
    )
    founded_on: OptionalWarekiDate = Field(None, title="設立日", description=DATE_HELP)
    visibility: Visibility | None = Field(
        None, title="公開範囲", description=choices_help(Visibility)
    )
    source: str | None = Field(None, max_length=300, title="出典・情報源")


class OrganisationCreateIn(_OrganisationFields):
    name: str = Field(..., min_length=1, max_length=200, title="名称")
    org_type: OrganisationType = Field(
        ..., title="種別", description=choices_help(OrganisationType)
    )
    municipality_id: Id | None = Field(
        None,
        title="市町村",
        description="省略時は、利用者が編集できる市町村が1つだけならその市町村",
    )
    prefecture_id: Id | None = Field(
        None, title="都道府県", description="都道府県の組織として登録する場合（市町村は省略）"
    )


class OrganisationUpdateIn(_OrganisationFields):
    """Only the fields sent are changed (PATCH)."""

    name: str | None = Field(None, min_length=1, max_length=200, title="名称")
    org_type: OrganisationType | None = Field(
        None, title="種別", description=choices_help(OrganisationType)
    )


# --- people ----------------------------------------------------------------------------


class PersonRoleOut(Schema):
    organisation: Ref = Field(..., description="団体・組織")
    title: str = Field(..., description="役割・役職")
    starts_on: datetime.date | None = Field(None, description="開始日")
    ends_on: datetime.date | None = Field(None, description="終了日")
    is_current: bool = Field(..., description="現在の役割か")


class PersonOut(Schema):
    id: int
    name: str = Field(..., description="氏名")
    name_kana: str = Field("", description="よみがな")
    municipality: MunicipalityRef | None = Field(None, description="市町村")
    prefecture: Ref | None = Field(None, description="都道府県")
    preferred_contact: str = Field(
        "", description=f"希望する連絡方法（{choices_help(ContactWay)}）"
    )
    preferred_contact_label: str = Field("", description="希望する連絡方法")
    contact_details_visible: bool = Field(
        ..., description="連絡先（電話・メール・備考）を見る権限があるか"
    )
    phone: str | None = Field(None, description="電話番号（権限がなければ null）")
    email: str | None = Field(None, description="メールアドレス（権限がなければ null）")
    note: str | None = Field(None, description="備考（権限がなければ null）")
    roles: list[PersonRoleOut] = Field(default_factory=list, description="団体での役割")
    last_verified_on: datetime.date | None = Field(None, description="最終確認日")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


class _PersonFields(_In):
    name_kana: str | None = Field(None, max_length=100, title="よみがな")
    phone: str | None = Field(None, max_length=20, title="電話番号")
    email: str | None = Field(None, max_length=254, title="メールアドレス")
    preferred_contact: ContactWay | None = Field(
        None, title="希望する連絡方法", description=choices_help(ContactWay)
    )
    note: str | None = Field(None, title="備考")


class PersonCreateIn(_PersonFields):
    name: str = Field(..., min_length=1, max_length=100, title="氏名")
    organisation_id: Id | None = Field(
        None, title="団体・組織", description="指定するとその団体での役割も登録します"
    )
    title: str | None = Field(
        None, max_length=100, title="役割・役職", description="省略時は「担当」"
    )
    municipality_id: Id | None = Field(
        None, title="市町村", description="省略時は団体の市町村、または利用者の市町村"
    )
    prefecture_id: Id | None = Field(None, title="都道府県")


class PersonUpdateIn(_PersonFields):
    """Only the fields sent are changed (PATCH)."""

    name: str | None = Field(None, min_length=1, max_length=100, title="氏名")


# --- pages -----------------------------------------------------------------------------


class PublicResourcePage(Page):
    items: list[PublicResourceOut]


class ResourcePage(Page):
    items: list[ResourceOut]


class OrganisationPage(Page):
    items: list[OrganisationOut]


class PersonPage(Page):
    items: list[PersonOut]


register_schema_labels("resource", ResourceCreateIn, ResourceUpdateIn)
register_schema_labels("organisation", OrganisationCreateIn, OrganisationUpdateIn)
register_schema_labels("person", PersonCreateIn, PersonUpdateIn)
register_schema_labels("weekly_slot", WeeklySlotIn)
register_schema_labels("session", SessionIn)
