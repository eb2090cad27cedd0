"""Request and response shapes of the bodies API (django-ninja Schemas).

Field titles are the Japanese labels used in error messages and in the OpenAPI document
(/api/v1/docs). Choices travel as their stored codes (``regular``, ``chair`` …) and every
response carries a ``*_label`` field with the Japanese display text beside each code.

Dates are answered in ISO form (2025-04-17) and accepted also in 和暦 (令和7年4月17日,
R7.4.17); date-times are answered in Japan time with the offset (2025-04-17T14:00:00+09:00)
and a date-time sent without an offset is read as Japan time.
"""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from tsunagu.bodies.embed import ActionItemOut
from tsunagu.bodies.models import (
    ActionItemStatus,
    AgeBand,
    BodyKind,
    BodyStatus,
    Gender,
    MeetingStatus,
    MemberRole,
)
from tsunagu.core.api.errors import register_labels, register_schema_labels
from tsunagu.core.api.schemas import (
    DATE_HELP,
    DATETIME_HELP,
    MUNICIPALITY_CODE_HELP,
    ApiIn,
    Id,
    JapanDateTime,
    MunicipalityRef,
    OptionalJapanDateTime,
    OptionalWarekiDate,
    Page,
    Ref,
    WarekiDate,
    choices_help,
)

# --- members ---------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    organisation: Ref | None = Field(None, description="団体・組織")
    person: Ref | None = Field(None, description="人")
    role: str = Field(..., description=f"役割（{choices_help(MemberRole)}）")
    role_label: str = Field(..., description="役割")
    district: Ref | None = Field(None, description="代表する地区")
    age_band: str = Field("", description=f"年代（{choices_help(AgeBand)}。空なら記録なし）")
    age_band_label: str = Field("", description="年代")
    gender: str = Field("", description=f"性別（{choices_help(Gender)}。空なら記録なし）")
    gender_label: str = Field("", description="性別")
    starts_on: datetime.date | None = Field(None, description="任期の開始")
    ends_on: datetime.date | None = Field(None, description="任期の終了（null なら未定）")
    is_current: bool = Field(..., description="今日、任期中か")


class MemberIn(ApiIn):
    organisation_id: Id | None = Field(
        None,
        title="団体・組織",
        description="団体の代表として出る場合の団体 ID。人か団体の少なくとも一方が必要です",
    )
    person_id: Id | None = Field(None, title="人", description="人の ID")
    role: MemberRole = Field(MemberRole.MEMBER, title="役割", description=choices_help(MemberRole))
    district_id: Id | None = Field(None, title="代表する地区", description="同じ市町村の地区の ID")
    age_band: AgeBand | None = Field(None, title="年代", description=choices_help(AgeBand))
    gender: Gender | None = Field(None, title="性別", description=choices_help(Gender))
    starts_on: OptionalWarekiDate = Field(None, title="任期の開始", description=DATE_HELP)
    ends_on: OptionalWarekiDate = Field(None, title="任期の終了", description=DATE_HELP)


class MemberEndIn(ApiIn):
    ends_on: WarekiDate = Field(
        ...,
        title="任期の終了日",
        description=f"人事異動や改選で任期を終える日。記録は削除されません。{DATE_HELP}",
    )


# --- meetings --------------------------------------------------------------------------


class MeetingSummaryOut(Schema):
    id: int
    body: Ref = Field(..., description="会議体")
    title: str = Field("", description="会議名（登録された値。空のこともあります）")
    display_title: str = Field(..., description="表示用の会議名（空欄なら会議体名と日付）")
    starts_at: datetime.datetime = Field(..., description="開始日時（日本時間）")
    ends_at: datetime.datetime | None = Field(None, description="終了日時（日本時間）")
    place: str = Field("", description="場所")
    status: str = Field(..., description=f"状態（{choices_help(MeetingStatus)}）")
    status_label: str = Field(..., description="状態")
    facilitator: Ref | None = Field(None, description="進行役")
    series_key: str = Field("", description="定例の系列（まとめて登録した回に共通の識別子）")


class AttendanceOut(Schema):
    id: int
    person: Ref | None = Field(None, description="人")
    organisation: Ref | None = Field(None, description="代表する団体・部署（ゲストは所属）")
    guest_name: str = Field("", description="ゲスト・その他の出席者の氏名")
    present: bool = Field(..., description="出席したか")
    note: str = Field("", description="備考")


class DecisionOut(Schema):
    id: int
    text: str = Field(..., description="決定事項")
    order: int = Field(..., description="順番")


class AttachmentOut(Schema):
    id: int
    title: str = Field(..., description="添付ファイルの名称（ファイルは画面から取得します）")
    uploaded_at: datetime.datetime = Field(..., description="添付日時")


class MeetingOut(MeetingSummaryOut):
    agenda: str = Field("", description="議題")
    minutes: str = Field("", description="内容（議事録、Markdown）")
    next_meeting_note: str = Field("", description="次回予定")
    attendance: list[AttendanceOut] = Field(default_factory=list, description="出席者")
    decisions: list[DecisionOut] = Field(default_factory=list, description="決定事項")
    action_items: list[ActionItemOut] = Field(
        default_factory=list, description="この会議で決めた宿題"
    )
    attachments: list[AttachmentOut] = Field(default_factory=list, description="添付ファイル")
    created_at: datetime.datetime = Field(..., description="登録日時")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


class _MeetingFields(ApiIn):
    title: str | None = Field(
        None, max_length=200, title="会議名", description="空欄なら「会議体名と日付」で表示します"
    )
    ends_at: OptionalJapanDateTime = Field(None, title="終了日時", description=DATETIME_HELP)
    place: str | None = Field(None, max_length=200, title="場所")
    agenda: str | None = Field(None, title="議題")
    facilitator_id: Id | None = Field(
        None, title="進行役", description="同じ市町村の人の ID（null で指定を外す）"
    )
    minutes: str | None = Field(None, title="内容（議事録）", description="Markdown で書けます")
    next_meeting_note: str | None = Field(
        None, max_length=300, title="次回予定", description="例: 令和7年5月15日（木）14時から"
    )
    status: MeetingStatus | None = Field(
        None, title="状態", description=choices_help(MeetingStatus)
    )


class MeetingCreateIn(_MeetingFields):
    starts_at: JapanDateTime = Field(..., title="開始日時", description=DATETIME_HELP)


class MeetingUpdateIn(_MeetingFields):
    """Only the fields sent are changed (PATCH)."""

    starts_at: OptionalJapanDateTime = Field(None, title="開始日時", description=DATETIME_HELP)


class MeetingSeriesIn(ApiIn):
    first_starts_at: JapanDateTime = Field(
        ..., title="第1回の開始日時", description=f"例: 2025-04-17T14:00:00+09:00。{DATETIME_HELP}"
    )
    count: int = Field(..., ge=1, le=36, title="回数", description="1〜36回")
    duration_minutes: int = Field(
        90, ge=1, le=1440, title="所要時間（分）", description="既定 90分"
    )
    place: str = Field("", max_length=200, title="場所")
    pattern: Literal["weekday", "day"] = Field(
        "weekday",
        title="繰り返し方",
        description=("weekday=毎月同じ週の同じ曜日（例: 第3木曜日）、day=毎月同じ日（例: 17日）"),
    )


class AttendanceEntryIn(ApiIn):
    person_id: Id | None = Field(None, title="人", description="人の ID")
    organisation_id: Id | None = Field(
        None, title="代表する団体・部署", description="団体・部署の ID（ゲストは所属）"
    )
    guest_name: str = Field(
        "", max_length=200, title="ゲスト・その他の出席者", description="名簿にない出席者の氏名"
    )
    present: bool = Field(True, title="出席", description="false なら欠席として記録します")
    note: str = Field("", max_length=200, title="備考")


class AttendanceIn(ApiIn):
    attendance: list[AttendanceEntryIn] = Field(
        ...,
        max_length=500,
        title="出席者",
        description="出席者の一覧（記録済みの一覧をすべて置き換えます）。"
        "各行に人・団体・ゲスト名のいずれかが必要です",
    )


class DecisionIn(ApiIn):
    text: str = Field(..., min_length=1, max_length=2000, title="決定事項")


# --- action items ----------------------------------------------------------------------


class _ActionItemFields(ApiIn):
    owner_person_id: Id | None = Field(None, title="担当者", description="人の ID")
    owner_organisation_id: Id | None = Field(
        None,
        title="担当団体・部署",
        description="団体・部署の ID。担当者か担当団体・部署の少なくとも一方が必要です",
    )
    due_on: OptionalWarekiDate = Field(None, title="期限", description=DATE_HELP)
    status: ActionItemStatus | None = Field(
        None, title="状態", description=choices_help(ActionItemStatus)
    )
    regional_issue_id: Id | None = Field(
        None, title="関連する地域課題", description="同じ市町村の地域課題の ID"
    )
    meeting_id: Id | None = Field(None, title="決めた会議", description="同じ会議体の会議の ID")


class ActionItemCreateIn(_ActionItemFields):
    title: str = Field(..., min_length=1, max_length=300, title="内容")


class ActionItemUpdateIn(_ActionItemFields):
    """Only the fields sent are changed (PATCH). ``status: done`` records today as 完了日."""

    title: str | None = Field(None, min_length=1, max_length=300, title="内容")


# --- bodies ----------------------------------------------------------------------------


class BodySummaryOut(Schema):
    id: int
    name: str = Field(..., description="名称")
    kind: str = Field(..., description=f"種類（{choices_help(BodyKind)}）")
    kind_label: str = Field(..., description="種類")
    layer: int | None = Field(None, description="層（1〜3。生活支援体制整備事業の協議体のみ）")
    status: str = Field(..., description=f"状態（{choices_help(BodyStatus)}）")
    status_label: str = Field(..., description="状態")
    municipality: MunicipalityRef = Field(..., description="市町村")
    daily_life_area: Ref | None = Field(None, description="日常生活圏域")
    district: Ref | None = Field(None, description="地区")
    parent: Ref | None = Field(None, description="上位の会議体")
    is_resident_led: bool = Field(False, description="住民主体")
    meeting_frequency: str = Field("", description="開催頻度")
    meeting_count: int = Field(0, description="登録された会議の数")
    next_meeting_at: datetime.datetime | None = Field(None, description="次の会議の開始日時")
    open_action_count: int = Field(0, description="未完了の宿題の数")
    overdue_action_count: int = Field(0, description="期限を過ぎた宿題の数")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


class BodyOut(BodySummaryOut):
    purpose: str = Field("", description="目的")
    host_organisation: Ref | None = Field(None, description="主催")
    secretariat: Ref | None = Field(None, description="事務局")
    coordinator: Ref | None = Field(None, description="担当の生活支援コーディネーター")
    established_on: datetime.date | None = Field(None, description="設置日")
    source: str = Field("", description="出典・情報源")
    members: list[MemberOut] = Field(
        default_factory=list, description="構成員（任期を終えた人・団体も is_current=false で含む）"
    )
    upcoming_meetings: list[MeetingSummaryOut] = Field(
        default_factory=list, description="これからの会議（近い順、最大12件）"
    )
    open_action_items: list[ActionItemOut] = Field(
        default_factory=list, description="未完了の宿題（期限の近い順）"
    )
    children: list[Ref] = Field(default_factory=list, description="下位の会議体（分科会議など）")
    created_at: datetime.datetime = Field(..., description="登録日時")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")


class _BodyFields(ApiIn):
    layer: int | None = Field(
        None, ge=1, le=3, title="層", description="第1層・第2層・第3層のときだけ（1〜3）"
    )
    status: BodyStatus | None = Field(None, title="状態", description=choices_help(BodyStatus))
    daily_life_area_id: Id | None = Field(None, title="日常生活圏域", description="同じ市町村の ID")
    district_id: Id | None = Field(None, title="地区", description="同じ市町村の地区の ID")
    parent_id: Id | None = Field(
        None, title="上位の会議体", description="同じ市町村の会議体の ID（分科会議の推進会議など）"
    )
    host_organisation_id: Id | None = Field(None, title="主催", description="団体の ID")
    secretariat_id: Id | None = Field(None, title="事務局", description="団体の ID")
    coordinator_id: Id | None = Field(
        None, title="担当の生活支援コーディネーター", description="人の ID"
    )
    purpose: str | None = Field(None, title="目的")
    meeting_frequency: str | None = Field(
        None, max_length=100, title="開催頻度", description="例: 毎月（第3木曜）、年2回"
    )
    is_resident_led: bool | None = Field(
        None, title="住民主体", description="住民が主体となって運営する会議体（認定の対象）"
    )
    established_on: OptionalWarekiDate = Field(None, title="設置日", description=DATE_HELP)
    source: str | None = Field(None, max_length=300, title="出典・情報源")


class BodyCreateIn(_BodyFields):
    name: str = Field(..., min_length=1, max_length=200, title="名称")
    kind: BodyKind = Field(..., title="種類", description=choices_help(BodyKind))
    municipality_code: str | None = Field(
        None,
        max_length=6,
        title="市町村",
        description=f"{MUNICIPALITY_CODE_HELP}。省略時は利用者が編集できる唯一の市町村",
    )


class BodyUpdateIn(_BodyFields):
    """Only the fields sent are changed (PATCH)."""

    name: str | None = Field(None, min_length=1, max_length=200, title="名称")
    kind: BodyKind | None = Field(None, title="種類", description=choices_help(BodyKind))


# --- pages -----------------------------------------------------------------------------


class BodyPage(Page):
    items: list[BodySummaryOut]


class MeetingPage(Page):
    items: list[MeetingSummaryOut]


class ActionItemPage(Page):
    items: list[ActionItemOut]


# Japanese names of the path and query parameters (errors name them; none is the directory's).
register_labels(
    None,
    {
        "body_id": "会議体",
        "meeting_id": "会議",
        "member_id": "構成員",
        "item_id": "宿題",
        "issue_id": "地域課題",
        "idea_id": "アイディア",
        "actor_id": "実行主体",
        "kind": "種類",
        "municipality": "市町村",
        "overdue": "期限切れのみ",
        "since": "開始日（から）",
        "until": "終了日（まで）",
        "theme": "テーマ",
        "stage": "段階",
        "flagged": "フラグ",
    },
)
register_schema_labels("body", BodyCreateIn, BodyUpdateIn)
register_schema_labels("member", MemberIn)
register_schema_labels("term", MemberEndIn)
register_schema_labels("meeting", MeetingCreateIn, MeetingUpdateIn)
register_schema_labels("series", MeetingSeriesIn)
register_schema_labels("attendance", AttendanceIn, AttendanceEntryIn)
register_schema_labels("decision", DecisionIn)
register_schema_labels("item", ActionItemCreateIn, ActionItemUpdateIn)
