"""Demo plans and a role agreement from the seed report (issue 17, part A).

- 香春町: 採銅所地域づくり夢プラン of 採銅所地域コミュニティ協議会 (令和4年度〜令和13年度, six
  fields ①〜⑥ carried by six 部会), source 事例表№1 香春町 1(1)（注）. The report gives no
  adoption month of the plan; the 準備会 (令和3年3月) and 協議会 (令和4年1月) dates are in the
  description. The 健康相談 and 見守り issues are linked to field ① and the link says that the
  field is inferred (the report names 健康相談・高齢者見守り・防災 as based on the plan, not
  the field).
- 佐伯市: 直川地域まちづくり計画 (令和5年3月) with its three items ⅰ〜ⅲ as printed
  (事例表№2 佐伯市 2(1)), the demand-bus-stop issue linked to ⅱ; and 第4期佐伯市地域福祉計画・
  地域福祉活動計画 (令和6年3月) with the two 基本方針 and the 施策 the report quotes
  (事例表№2 佐伯市 2(3)); the report prints no period for either, and the numbers of the
  welfare plan's items are the demo's (marked).
- 久留米市: one role agreement from II 2 図表3 and 事例表№4: the departments and what they are
  in charge of as printed; the 目指す姿 is the demo's wording (marked 推定) and there is no
  agreement date (the report says the concrete division of roles is still unclear).

Idempotent: a plan or agreement that exists (by municipality and title) is left as it is.
"""

from __future__ import annotations

from typing import Any

from tsunagu.areas.models import Municipality
from tsunagu.directory.models import Organisation
from tsunagu.plans.agreements.models import RoleAgreement
from tsunagu.plans.agreements.services import AgreementFields, agreement_create, agreement_role_add
from tsunagu.plans.records.models import Plan
from tsunagu.plans.records.services import (
    PlanFields,
    PlanItemFields,
    plan_create,
    plan_item_add,
    plan_item_link_add,
)

KAWARA = "406015"
SAIKI = "442054"
KURUME = "402036"

KAWARA_SRC = "事例表№1 香春町 1(1)（注）"
YUME_FIELDS = (
    ("①", "支援・交流・支え合い", "にじいろ部会①②、ご縁部会①②③"),
    ("②", "遊び・学び", "にじいろ部会①②、ご縁部会①②③"),
    ("③", "稼ぐ・つくる", "ご縁部会①②③、なりわい部会③"),
    ("④", "農・自然", "さとやま部会④"),
    ("⑤", "交通支援", "つなげる部会⑤"),
    ("⑥", "防災", "あんしん部会⑥"),
)
NAOKAWA_SRC = "事例表№2 佐伯市 2(1)"
NAOKAWA_ITEMS = (
    ("ⅰ", "デマンドバスの利用促進に向けた広報、周知の実施"),
    ("ⅱ", "デマンドバス停までの移動手段の確保に向けた調査・研究及び具体策の検討"),
    ("ⅲ", "通院や日用品の買い物など地域外への移動手段の確保"),
)
SAIKI_WELFARE_SRC = "事例表№2 佐伯市 2(3)"
KURUME_SRC = "II 2 図表3 久留米市; 事例表№4 久留米市"
KURUME_ROLES = (
    ("地域福祉課", "生活支援体制整備事業等を担当"),
    ("介護保険課", "総合事業等を担当"),
    ("長寿支援課", "総合事業等を担当"),
    ("健康福祉部総務", "健康福祉行政の総合企画、調整等を担当"),
)


def _organisation(municipality: Municipality, name: str) -> Organisation | None:
    return Organisation.objects.filter(municipality=municipality, name=name).first()


def _issue(municipality: Municipality, title: str) -> Any:
    from tsunagu.regional_issues.models import RegionalIssue

    return RegionalIssue.objects.filter(municipality=municipality, title=title).first()


def _plan(municipality: Municipality, fields: PlanFields, actor: Any, summary: Any) -> Any:
    if Plan.objects.filter(municipality=municipality, title=fields.title).exists():
        summary.count("unchanged")
        return None
    summary.count("created")
    return plan_create(municipality=municipality, fields=fields, actor=actor)


def _item(plan: Any, actor: Any, number: str, title: str, **extra: Any) -> Any:
    return plan_item_add(
        plan=plan, fields=PlanItemFields(number=number, title=title, **extra), actor=actor
    )


def _link(item: Any, issue: Any, actor: Any, note: str, source: str) -> None:
    if issue is not None:
        plan_item_link_add(
            item=item, kind="issue", target=issue, note=note, source=source, actor=actor
        )


def _load_yume_plan(actor: Any, summary: Any) -> None:
    kawara = Municipality.objects.get(code=KAWARA)
    plan = _plan(
        kawara,
        PlanFields(
            kind="community",
            title="採銅所地域づくり夢プラン",
            first_fiscal_year=2022,
            last_fiscal_year=2031,
            owner_organisation=_organisation(kawara, "採銅所地域コミュニティ協議会"),
            description=(
                "採銅所地域コミュニティ協議会が策定した地域づくり計画（令和4年度から令和13年度までの"
                "10年間の計画）。令和3年3月にコミュニティ協議会の前身となる採銅所地域運営組織設立"
                "準備会が立ち上がり、令和4年1月に採銅所地域コミュニティ協議会が設立された。計画中の"
                "六つの分野について、協議会の六つの部会が中心になり取組を進めている。"
                "（策定の年月は報告書に記載なし）"
            ),
            source=KAWARA_SRC,
        ),
        actor,
        summary,
    )
    if plan is None:
        return
    items = {}
    for index, (number, title, bukai) in enumerate(YUME_FIELDS, start=1):
        items[number] = _item(
            plan,
            actor,
            number,
            title,
            description=f"担当する部会: {bukai}",
            sort_order=index * 10,
            source=KAWARA_SRC,
        )
    note = (
        "夢プランに基づく健康相談・高齢者見守りの取組（どの分野に当たるかは報告書に記載がなく推定）"
    )
    source = "事例表№1 香春町 1(2)"
    _link(items["①"], _issue(kawara, "住民を対象とした健康相談（採銅所地域）"), actor, note, source)
    _link(items["①"], _issue(kawara, "高齢者の見守り（サービスB）"), actor, note, source)


def _load_saiki_plans(actor: Any, summary: Any) -> None:
    saiki = Municipality.objects.get(code=SAIKI)
    plan = _plan(
        saiki,
        PlanFields(
            kind="community",
            title="直川地域まちづくり計画",
            adopted_year=2023,
            adopted_month=3,
            owner_organisation=_organisation(saiki, "直川地域コミュニティ協議会"),
            description=(
                "直川地域コミュニティ協議会が策定。福祉・生活支援部会（みまもり隊）と防災・交通・"
                "環境部会（おたすけ隊）が連携して取り組む。（計画期間は報告書に記載なし）"
            ),
            source=NAOKAWA_SRC,
        ),
        actor,
        summary,
    )
    if plan is not None:
        items = {
            number: _item(plan, actor, number, title, sort_order=i * 10, source=NAOKAWA_SRC)
            for i, (number, title) in enumerate(NAOKAWA_ITEMS, start=1)
        }
        _link(
            items["ⅱ"],
            _issue(saiki, "デマンドバス停までの移動手段の確保（直川地域）"),
            actor,
            "計画に基づく移動支援（実証実験、本格実施の検討）",
            "事例表№2 佐伯市 2(1), 2(2)",
        )
    welfare = _plan(
        saiki,
        PlanFields(
            kind="welfare_combined",
            title="第4期佐伯市地域福祉計画・地域福祉活動計画",
            term_number=4,
            adopted_year=2024,
            adopted_month=3,
            description="（計画期間は報告書に記載なし）",
            source=SAIKI_WELFARE_SRC,
        ),
        actor,
        summary,
    )
    if welfare is None:
        return
    numbering = "番号は本デモでの便宜上の付番（報告書は番号を記載していない）。"
    goal = _item(
        welfare,
        actor,
        "1",
        "誰一人取り残さない「全員参加支援」の推進",
        description="基本方針の一つ。",
        sort_order=10,
        source=f"{SAIKI_WELFARE_SRC}。{numbering}",
    )
    measure = _item(
        welfare,
        actor,
        "1-1",
        "地域の担い手による支援の推進",
        parent=goal,
        description="施策。生活支援体制整備事業による生活支援サービスの実施支援（高齢者福祉課）。",
        sort_order=20,
        source=f"{SAIKI_WELFARE_SRC}。{numbering}",
    )
    _item(
        welfare,
        actor,
        "2",
        "「佐伯ならでは」の包括的な相談支援の推進",
        description=(
            "基本方針の一つ。第1層会議（庁外連携会議）、第2層会議（庁内連携会議）など三つの協議体"
            "を設置し、庁内外の連携体制づくりと相談支援体制の強化を図る。"
        ),
        sort_order=30,
        source=f"{SAIKI_WELFARE_SRC}。{numbering}",
    )
    _link(
        measure,
        _issue(saiki, "デマンドバス停までの移動手段の確保（直川地域）"),
        actor,
        "直川地域コミュニティ協議会の取組を同地域担当のSCが設立段階から支援"
        "（施策とのつながりは推定）",
        SAIKI_WELFARE_SRC,
    )


def _load_kurume_agreement(actor: Any, summary: Any) -> None:
    kurume = Municipality.objects.get(code=KURUME)
    title = "地域づくりに向けた庁内の役割分担"
    if RoleAgreement.objects.filter(municipality=kurume, title=title).exists():
        summary.count("unchanged")
        return
    from tsunagu.engagements.models import Engagement

    agreement = agreement_create(
        municipality=kurume,
        fields=AgreementFields(
            title=title,
            engagement=Engagement.objects.filter(municipality=kurume, fiscal_year=2024).first(),
            vision=(
                "（推定・デモの文言）関係部署がそれぞれの担当業務を踏まえた具体的な役割分担の下で"
                "連携し、地域づくりの実効ある取組を進める。"
            ),
            agreed_by=(
                "伴走的支援に参加した地域福祉課、介護保険課、長寿支援課、健康福祉部総務"
                "（合意の日と場は報告書に記載なし。具体的な役割分担は今後の課題とされている）"
            ),
            source=KURUME_SRC,
        ),
        actor=actor,
    )
    summary.count("created")
    for index, (department, role) in enumerate(KURUME_ROLES, start=1):
        agreement_role_add(
            agreement=agreement,
            department=department,
            organisation=_organisation(kurume, department),
            role=f"{role}（担当業務は報告書の記載。地域づくりでの役割は未確定）",
            sort_order=index * 10,
            actor=actor,
        )


def load_plans(actor: Any, summary: Any) -> None:
    _load_yume_plan(actor, summary)
    _load_saiki_plans(actor, summary)
    _load_kurume_agreement(actor, summary)
