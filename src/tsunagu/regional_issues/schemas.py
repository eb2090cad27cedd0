"""Request and response shapes of the regional-issue API (django-ninja Schemas).

Same conventions as :mod:`tsunagu.bodies.schemas`: Japanese titles (error labels and
/api/v1/docs), codes for choices with a ``*_label`` beside them, ISO dates (和暦 accepted on
input) and Japan-time date-times with their offset. Base schemas come from
:mod:`tsunagu.core.api.schemas`, an action item's shape from :mod:`tsunagu.bodies.embed`.
"""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from tsunagu.bodies.embed import ActionItemOut, MeetingRef
from tsunagu.core.api.errors import register_schema_labels
from tsunagu.core.api.schemas import (
    DATE_HELP,
    MUNICIPALITY_CODE_HELP,
    ApiIn,
    Id,
    MunicipalityRef,
    OptionalWarekiDate,
    Page,
    Ref,
    choices_help,
)
from tsunagu.regional_issues.models import IssueStage, SourceKind

FLAGS_HELP = "unassigned=担い手未定（検討・企画のまま実行主体がいない期間が長い）、stale=停滞"


class ThemeOut(Schema):
    code: str = Field(..., description="テーマのコード（絞り込み・登録で指定する値）")
    name: str = Field(..., description="テーマ")
    name_en: str = Field("", description="英語名")


class ExecutingActorOut(Schema):
    id: int
    organisation: Ref = Field(..., description="実施を引き受けた団体")
    role: str = Field(..., description="役割")
    agreed_on: datetime.date | None = Field(None, description="合意した日")
    ended_on: datetime.date | None = Field(None, description="役割を終えた日（null なら継続中）")
    is_active: bool = Field(..., description="継続中か")


class StageChangeOut(Schema):
    id: int
    from_stage: str = Field(
        "", description=f"変更前の段階（{choices_help(IssueStage)}。登録時は空）"
    )
    from_stage_label: str = Field("", description="変更前の段階")
    to_stage: str = Field(..., description="変更後の段階")
    to_stage_label: str = Field(..., description="変更後の段階")
    changed_at: datetime.datetime = Field(..., description="日時（日本時間）")
    changed_by: str | None = Field(None, description="変更した人（表示名）")
    reason: str = Field("", description="理由・経緯")


class IdeaOut(Schema):
    id: int
    text: str = Field(..., description="アイディア")
    proposer_person: Ref | None = Field(None, description="提案者")
    proposer_organisation: Ref | None = Field(None, description="提案した団体")
    meeting: MeetingRef | None = Field(None, description="出た会議")
    adopted_at: datetime.datetime | None = Field(None, description="採用日時（null なら未採用）")
    created_at: datetime.datetime = Field(..., description="登録日時")


class CommentOut(Schema):
    id: int
    author: str = Field(..., description="投稿者（表示名）")
    text: str = Field(..., description="コメント")
    created_at: datetime.datetime = Field(..., description="投稿日時")


class IssueSummaryOut(Schema):
    id: int
    title: str = Field(..., description="課題")
    municipality: MunicipalityRef = Field(..., description="市町村")
    stage: str = Field(..., description=f"段階（{choices_help(IssueStage)}）")
    stage_label: str = Field(..., description="段階")
    held_from_stage: str = Field("", description="保留前の段階（保留中のみ）")
    held_from_stage_label: str = Field("", description="保留前の段階")
    stage_entered_at: datetime.datetime = Field(..., description="現在の段階になった日時")
    themes: list[ThemeOut] = Field(default_factory=list, description="テーマ")
    daily_life_areas: list[Ref] = Field(default_factory=list, description="日常生活圏域")
    districts: list[Ref] = Field(default_factory=list, description="地区")
    body: Ref | None = Field(None, description="扱う会議体")
    raised_on: datetime.date = Field(..., description="提起日")
    raised_by_organisation: Ref | None = Field(None, description="提起した団体")
    flags: list[str] = Field(default_factory=list, description=f"フラグ（{FLAGS_HELP}）")
    flag_labels: list[str] = Field(default_factory=list, description="フラグ")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


class IssueOut(IssueSummaryOut):
    description: str = Field("", description="内容")
    source_kind: str = Field(..., description=f"把握のきっかけ（{choices_help(SourceKind)}）")
    source_kind_label: str = Field(..., description="把握のきっかけ")
    source_meeting: MeetingRef | None = Field(None, description="提起された会議")
    source_note: str = Field("", description="きっかけの補足")
    raised_by_person: Ref | None = Field(None, description="提起した人")
    target: str = Field("", description="対象（誰に・どの地域で）")
    plan: str = Field("", description="計画（採用したアイディアが追記されます）")
    started_on: datetime.date | None = Field(None, description="実行開始日")
    resources: list[Ref] = Field(default_factory=list, description="関連する地域資源")
    organisations: list[Ref] = Field(default_factory=list, description="関連する団体")
    source: str = Field("", description="出典・情報源")
    executing_actors: list[ExecutingActorOut] = Field(
        default_factory=list, description="実行主体（役割を終えたものも含む）"
    )
    stage_changes: list[StageChangeOut] = Field(
        default_factory=list, description="段階の変更（古い順）"
    )
    ideas: list[IdeaOut] = Field(default_factory=list, description="アイディア")
    comments: list[CommentOut] = Field(default_factory=list, description="コメント")
    action_items: list[ActionItemOut] = Field(
        default_factory=list, description="この課題に関連する宿題"
    )
    created_at: datetime.datetime = Field(..., description="登録日時")
    can_comment: bool = Field(..., description="この利用者がコメントできるか")


class _IssueFields(ApiIn):
    description: str | None = Field(
        None,
        title="内容",
        description="個人が特定できる情報（氏名・住所・病名など）は書かないでください",
    )
    theme_codes: list[str] | None = Field(
        None,
        max_length=50,
        title="テーマ",
        description="テーマのコードの配列（GET /api/v1/issues/themes を参照）。指定すると置き換えます",
    )
    daily_life_area_ids: list[Id] | None = Field(
        None, max_length=200, title="日常生活圏域", description="同じ市町村の圏域の ID"
    )
    district_ids: list[Id] | None = Field(
        None, max_length=200, title="地区", description="同じ市町村の地区の ID"
    )
    body_id: Id | None = Field(None, title="扱う会議体", description="同じ市町村の会議体の ID")
    source_kind: SourceKind | None = Field(
        None, title="把握のきっかけ", description=choices_help(SourceKind)
    )
    source_meeting_id: Id | None = Field(
        None,
        title="提起された会議",
        description="同じ市町村の会議の ID。扱う会議体を省略するとその会議の会議体になります",
    )
    source_note: str | None = Field(None, max_length=300, title="きっかけの補足")
    raised_on: OptionalWarekiDate = Field(
        None, title="提起日", description=f"{DATE_HELP}。省略時は今日"
    )
    raised_by_organisation_id: Id | None = Field(
        None, title="提起した団体", description="団体の ID"
    )
    raised_by_person_id: Id | None = Field(None, title="提起した人", description="人の ID")
    target: str | None = Field(
        None,
        title="対象（誰に・どの地域で）",
        description="「準備」に進めるときに必要です（対象の地域も圏域・地区で指定）",
    )
    plan: str | None = Field(None, title="計画")
    started_on: OptionalWarekiDate = Field(
        None, title="実行開始日", description=f"「実行」に進めるときに必要です。{DATE_HELP}"
    )
    resource_ids: list[Id] | None = Field(
        None, max_length=200, title="関連する地域資源", description="同じ市町村の地域資源の ID"
    )
    organisation_ids: list[Id] | None = Field(
        None, max_length=200, title="関連する団体", description="団体の ID"
    )
    source: str | None = Field(None, max_length=300, title="出典・情報源")


class IssueCreateIn(_IssueFields):
    title: str = Field(..., min_length=1, max_length=200, title="課題")
    municipality_code: str | None = Field(
        None,
        max_length=6,
        title="市町村",
        description=(
            f"{MUNICIPALITY_CODE_HELP}。省略時は会議体・会議の市町村、"
            "または利用者が編集できる唯一の市町村"
        ),
    )


class IssueUpdateIn(_IssueFields):
    """Only the fields sent are changed (PATCH). The stage changes only through /stage."""

    title: str | None = Field(None, min_length=1, max_length=200, title="課題")


class StageChangeIn(ApiIn):
    to_stage: IssueStage = Field(..., title="次の段階", description=choices_help(IssueStage))
    reason: str = Field(
        "",
        max_length=2000,
        title="理由・経緯",
        description="段階を戻すときと保留にするときは必須です",
    )


class ExecutingActorIn(ApiIn):
    organisation_id: Id = Field(..., title="団体", description="実施を引き受けた団体の ID")
    role: str = Field(
        ...,
        min_length=1,
        max_length=200,
        title="役割",
        description="例: 運転ボランティアの調整、送迎の実施、見守りの声かけ",
    )
    agreed_on: OptionalWarekiDate = Field(None, title="合意した日", description=DATE_HELP)


class ExecutingActorEndIn(ApiIn):
    ended_on: OptionalWarekiDate = Field(
        None, title="終了日", description=f"{DATE_HELP}。省略時は今日"
    )


class IdeaIn(ApiIn):
    text: str = Field(..., min_length=1, max_length=4000, title="アイディア")
    proposer_person_id: Id | None = Field(None, title="提案者", description="人の ID")
    proposer_organisation_id: Id | None = Field(None, title="提案した団体", description="団体の ID")
    meeting_id: Id | None = Field(
        None, title="出た会議", description="会議の ID（課題を扱う会議体があればその会議）"
    )


class CommentIn(ApiIn):
    text: str = Field(
        ...,
        min_length=1,
        max_length=4000,
        title="コメント",
        description="個人が特定できる情報は書かないでください",
    )


class IssuePage(Page):
    items: list[IssueSummaryOut]


register_schema_labels("issue", IssueCreateIn, IssueUpdateIn)
register_schema_labels("change", StageChangeIn)
register_schema_labels("actor", ExecutingActorIn)
register_schema_labels("term", ExecutingActorEndIn)
register_schema_labels("idea", IdeaIn)
register_schema_labels("comment", CommentIn)
