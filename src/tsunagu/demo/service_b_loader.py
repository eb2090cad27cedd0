"""Demo service B groups from the seed report (鹿児島市's 支えあい活動補助金, 香春町's plan).

What the report prints, with its source:
- 鹿児島市 funds groups doing 訪問型サービス・活動B through the 「支えあい活動補助金」, for
  外出付添い、調理支援、掃除、買い物、ゴミ出し、洗濯など「1回30分以上の生活援助」; as of
  令和7年6月 17団体 are active (事例表№3 鹿児島市 2(3)). Only 「支えあい活動団体宮たすけ隊」
  is named: 訪問型サービス・活動B, 活動の8割は買物や通院の外出同行, and it was set up as an
  organisation of its own because using the subsidy needs accounts separate from the 公民館
  (同 2(3)). The other 16 are placeholders 「支えあい活動団体（デモ）1」… (is_placeholder).
- Service B: when 要支援者 or 基本チェックリスト該当者 are half or more of the users, the
  whole operating cost can be subsidised (事例表№3 鹿児島市 3; II 2). So 鹿児島市's policy is
  50% with the default (unconfirmed [U]) pro-rata rule below it.
- 香春町 plans a service B of 住民主体による日常生活支援（見守り活動、ゴミ出し支援など）
  (事例表№1 香春町 1(1); II 1 ①《香春町》): one group, status planned, no operator named
  (採銅所地域コミュニティ協議会 is a possible partner, not the operator).

The report gives no subsidy amounts, user counts or accounts. To show the computation and
B-vs-other accounting, 宮たすけ隊 gets one 令和6年度 実績報告 whose figures are invented and
marked synthetic (``is_synthetic``; the pages and the .xlsx say so).

Idempotent: groups are matched on (municipality, name), activities on (group, kind), the
policy on its municipality, requirements on their text, the period on its dates and the
report on (period, kind); a second run changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from tsunagu.areas.models import Municipality
from tsunagu.directory.models import Organisation
from tsunagu.programs.service_b import services
from tsunagu.programs.service_b.models import (
    AccountLine,
    ActivityKind,
    ApplicationKind,
    GroupActivity,
    GroupStatus,
    PolicyRequirement,
    ServiceBGroup,
    SubsidyApplication,
    SubsidyPolicy,
    UsagePeriod,
)

KAGOSHIMA = "462012"
KAWARA = "406015"
GROUP_COUNT = 17  # 事例表№3 鹿児島市 2(3): 令和7年6月現在、17団体が活動
SOURCE_KAGOSHIMA = "事例表№3 鹿児島市 2(3) 支えあい活動補助金"
MIYA = "宮たすけ隊"
PLACEHOLDER = "支えあい活動団体（デモ）{n}"
REQUIREMENT = "1回30分以上の生活援助（外出付添い、調理支援、掃除、買い物、ゴミ出し、洗濯など）"
POLICY_NOTE = (
    "支えあい活動補助金（鹿児島市介護予防・日常生活支援総合事業実施要綱で規定する居宅要支援"
    "被保険者等に対する訪問型サービス・活動B）。対象者に要支援者や基本チェックリスト該当者が"
    "半数以上いれば運営費全体の補助が可能（事例表№3 鹿児島市 2(3)・3、II 2）。"
    "半数未満の扱いは報告書に記載がなく、按分は仮の規則 [U]。"
)
KAWARA_GROUP = "住民主体サービス（サービスB）（計画中）"
SYNTHETIC_NOTE = "デモ用の架空の数値（報告書に利用者数・会計の記載なし）"

MIYA_ACTIVITIES = (
    (ActivityKind.SHOPPING, "買物の外出同行（活動員の自家用車で送迎し、店内でも付き添う）"),
    (ActivityKind.HOSPITAL_ESCORT, "通院の外出同行（医療施設まで送り、病院内でも付き添う）"),
)
MIYA_SHARE = 80
MIYA_SHARE_GROUP = "買物・通院の外出同行（2つ合わせて活動の8割）"

# Invented figures (synthetic): 令和6年度 users and accounts.
SYNTHETIC_USERS = (20, 12)
SYNTHETIC_LINES = (
    ("service_b", "income", "支えあい活動補助金", 300_000),
    ("service_b", "income", "利用者の負担金", 60_000),
    ("service_b", "expense", "活動員の燃料費（実費）", 180_000),
    ("service_b", "expense", "保険料", 90_000),
    ("service_b", "expense", "事務費", 70_000),
    ("other", "income", "公民館の行事の参加費", 40_000),
    ("other", "expense", "公民館の行事の材料費", 35_000),
)


def _group(actor: Any, municipality: Any, name: str, **fields: Any) -> ServiceBGroup:
    group = ServiceBGroup.objects.filter(municipality=municipality, name=name).first()
    if group is None:
        group = services.group_create(municipality=municipality, name=name, actor=actor, **fields)
    return group


def _activity(actor: Any, group: ServiceBGroup, kind: str, **fields: Any) -> None:
    if not GroupActivity.objects.filter(group=group, kind=kind).exists():
        services.activity_add(group=group, kind=kind, actor=actor, **fields)


def _kagoshima(actor: Any, municipality: Any) -> None:
    if not SubsidyPolicy.objects.filter(municipality=municipality).exists():
        services.policy_save(
            municipality=municipality,
            actor=actor,
            threshold_percent=50,
            below_rule="pro_rata",
            fixed_rate_percent=None,
            period_kind="fiscal_year",
            note=POLICY_NOTE,
        )
    if not PolicyRequirement.objects.filter(
        policy__municipality=municipality, text=REQUIREMENT
    ).exists():
        services.requirement_add(municipality=municipality, text=REQUIREMENT, actor=actor)
    organisation = Organisation.objects.filter(municipality=municipality, name=MIYA).first()
    miya = _group(
        actor,
        municipality,
        MIYA,
        organisation=organisation,
        service_kind="visiting_b",
        status=GroupStatus.RUNNING,
        description=(
            "正式名称「支えあい活動団体宮たすけ隊」。総合事業の訪問型サービス・活動Bとして地域"
            "高齢者の生活支援を行う。活動の8割は買物や通院の外出同行。支えあい活動補助金を活用する"
            "ため、公民館と別会計の別組織として設立（サービスBの会計を他の活動と分けている）。"
        ),
        source=SOURCE_KAGOSHIMA,
    )
    for kind, detail in MIYA_ACTIVITIES:
        _activity(
            actor,
            miya,
            kind,
            detail=detail,
            share_percent=MIYA_SHARE,
            share_group=MIYA_SHARE_GROUP,
        )
    for n in range(1, GROUP_COUNT):
        _group(
            actor,
            municipality,
            PLACEHOLDER.format(n=n),
            status=GroupStatus.RUNNING,
            is_placeholder=True,
            description="仮の団体（報告書は17団体が活動と記すが、宮たすけ隊以外の名称は記載なし）。",
            source=f"{SOURCE_KAGOSHIMA}（名称の記載なし）",
        )
    _miya_report(actor, miya)


def _miya_report(actor: Any, miya: ServiceBGroup) -> None:
    starts, ends = datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)
    period = UsagePeriod.objects.filter(group=miya, starts_on=starts, ends_on=ends).first()
    if period is None:
        period = services.period_create(
            group=miya,
            starts_on=starts,
            ends_on=ends,
            users_total=SYNTHETIC_USERS[0],
            users_eligible=SYNTHETIC_USERS[1],
            is_synthetic=True,
            actor=actor,
        )
    if SubsidyApplication.objects.filter(period=period, kind=ApplicationKind.REPORT).exists():
        return
    report = services.application_create(
        period=period,
        kind=ApplicationKind.REPORT,
        actor=actor,
        note=SYNTHETIC_NOTE,
        is_synthetic=True,
    )
    for scope, direction, item, amount in SYNTHETIC_LINES:
        if not AccountLine.objects.filter(application=report, item=item).exists():
            services.account_line_add(
                application=report,
                scope=scope,
                direction=direction,
                item=item,
                amount=amount,
                actor=actor,
            )


def _kawara(actor: Any, municipality: Any) -> None:
    group = _group(
        actor,
        municipality,
        KAWARA_GROUP,
        status=GroupStatus.PLANNED,
        service_kind="visiting_b",
        description=(
            "ゴミ出し等の軽度の介護サービスを求めて要介護（要支援）認定を申請する高齢者が増えて"
            "いることを踏まえ、住民主体による高齢者への日常生活支援（見守り活動、ゴミ出し支援など）"
            "を行うサービスBの構築に取り組む。採銅所地域コミュニティ協議会と協働できる可能性"
            "（実施主体は報告書に記載なし）。"
        ),
        source="事例表№1 香春町 1(1)・(2); II 1 ①《香春町》",
    )
    _activity(actor, group, ActivityKind.WATCHING, detail="見守り活動")
    _activity(actor, group, ActivityKind.GARBAGE, detail="ゴミ出し支援")


def load_service_b(actor: Any, summary: Any) -> None:
    """Load the service B demo records idempotently (matched on natural keys)."""
    kagoshima = Municipality.objects.filter(code=KAGOSHIMA).first()
    if kagoshima is not None:
        _kagoshima(actor, kagoshima)
    kawara = Municipality.objects.filter(code=KAWARA).first()
    if kawara is not None:
        _kawara(actor, kawara)
