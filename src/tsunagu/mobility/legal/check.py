"""Road Transport Act check (道路運送法の確認) for volunteer and community rides.

Implements DOMAIN.md §4.3 exactly: the plan is validated, then the first matching rule
decides the category. Pure Python (no Django at import) so the CLI runs without a database.

Decisions the rule leaves open, taken here and explained in every answer that hits them:

- ``actual_costs_only`` with an empty item list: the rider is asked for nothing, so the
  ride is free in effect → rule 2 (``free_actual_costs``) with "実費の項目: なし".
- Driver pay, depreciation and "other" are never actual costs **[U]**; naming one of them
  with ``actual_costs_only`` makes the ride 有償 (rule 3). So does insurance or vehicle
  rental on a trip before 2024-03-01.
- ``subsidy_covers == "transport"`` makes the ride 有償 whatever the rider pays, with
  ``needs_human_review`` set (the sources disagree). ``indirect_only`` changes nothing.
- ``actual_cost_items`` is only used when the rider pays actual costs; otherwise it is
  ignored (and the answer says so when it is not empty).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tsunagu.core.errors import TsunaguError

# --- vocabulary -------------------------------------------------------------------------

GUIDELINE_DATE = dt.date(2024, 3, 1)  # ガイドライン施行日: insurance and rental become actual costs
PRIVATE_CAR_SCHEME_DATE = dt.date(2024, 4, 8)  # 自家用車活用事業 (タクシー事業者が運営) の開始

RIDER_PAYMENTS: dict[str, str] = {
    "none": "支払いなし",
    "voluntary_thanks": "任意のお礼（金額の決まりや請求なし）",
    "actual_costs_only": "実費のみ（ガソリン代など）",
    "fare": "運賃・料金表がある",
    "ride_linked_fee": "乗車に結びついた会費",
    "goods": "お礼の品（金額に換算しにくいもの）",
}
COST_ITEMS: dict[str, str] = {
    "fuel": "燃料代（ガソリン代）",
    "tolls": "有料道路の通行料",
    "parking": "駐車場代",
    "insurance": "保険料",
    "vehicle_rental": "車の借り上げ費用（レンタカー代など）",
    "driver_pay": "運転者への報酬",
    "depreciation": "車の減価償却費",
    "other": "その他の費用",
}
SUBSIDY_COVERS: dict[str, str] = {
    "none": "補助なし",
    "indirect_only": "調整役の人件費など間接的な費用だけ",
    "transport": "運送そのもの（運転・車の費用など）",
}
VEHICLES: dict[str, str] = {
    "private": "自家用車（白ナンバー）",
    "business": "事業用自動車（緑ナンバー）",
}
OPERATOR_TYPES: dict[str, str] = {
    "municipality": "市町村",
    "npo": "NPO法人",
    "general_association": "一般社団法人・一般財団法人",
    "social_welfare_corporation": "社会福祉法人",
    "medical_corporation": "医療法人",
    "authorized_neighborhood_association": "認可地縁団体",
    "agricultural_cooperative": "農業協同組合",
    "consumer_cooperative": "消費生活協同組合",
    "chamber_of_commerce": "商工会議所・商工会",
    "workers_cooperative": "労働者協同組合",
    "nonprofit_association": "営利を目的としない任意団体（自治会・地域コミュニティ協議会など）",
    "company": "株式会社などの会社",
    "individual": "個人",
    "taxi_operator": "タクシー事業者",
    "bus_operator": "バス事業者",
}
SERVICE_KINDS: dict[str, str] = {
    "welfare_members": "介護・支援が必要な会員（要介護・要支援・事業対象者・障害のある人など）",
    "transit_gap_area": "交通空白地の住民や来訪者",
    "general": "どなたでも（一般の人）",
}
CATEGORIES: dict[str, str] = {
    "free": "無償運送：許可も登録もいりません",
    "free_actual_costs": "無償運送（実費のみ）：許可も登録もいりません",
    "licensed_business": "一般旅客自動車運送事業：すでにお持ちのバス・タクシーの許可で行う運送です",
    "welfare_paid": "福祉有償運送：国への登録（道路運送法第79条）が必要です",
    "transit_gap_paid": "交通空白地有償運送：国への登録（道路運送法第79条）が必要です",
    "needs_permit": "このままでは行えません：許可（第4条）または許可（第78条第3号）が必要です",
}

# 道路運送法施行規則が自家用有償旅客運送の主体として認める非営利の団体 (DOMAIN.md §4.3).
NONPROFIT_OPERATORS = frozenset(
    {
        "municipality",
        "npo",
        "general_association",
        "social_welfare_corporation",
        "medical_corporation",
        "authorized_neighborhood_association",
        "agricultural_cooperative",
        "consumer_cooperative",
        "chamber_of_commerce",
        "workers_cooperative",
        "nonprofit_association",
    }
)
FOR_PROFIT_OPERATORS = frozenset({"company", "individual", "taxi_operator", "bus_operator"})
LICENSED_OPERATORS = frozenset({"taxi_operator", "bus_operator"})
FREE_PAYMENTS = frozenset({"none", "voluntary_thanks", "goods"})
NEVER_ACTUAL_COSTS = frozenset({"driver_pay", "depreciation", "other"})
ALLOWED_ITEMS_BEFORE = ("fuel", "tolls", "parking")
ALLOWED_ITEMS_FROM_GUIDELINE = ("fuel", "tolls", "parking", "insurance", "vehicle_rental")

PLAN_KEYS: dict[str, str] = {
    "rider_payment": "利用者の支払い",
    "actual_cost_items": "実費の項目",
    "subsidy_covers": "補助金の対象",
    "vehicle": "車両",
    "operator_type": "運営する団体の種類",
    "service_kind": "対象者",
    "trip_date": "運送の日",
}
CHOICES: dict[str, dict[str, str]] = {
    "rider_payment": RIDER_PAYMENTS,
    "subsidy_covers": SUBSIDY_COVERS,
    "vehicle": VEHICLES,
    "operator_type": OPERATOR_TYPES,
    "service_kind": SERVICE_KINDS,
}

# --- sources -----------------------------------------------------------------------------

SOURCE_ART_2_3 = "道路運送法 第2条第3項（旅客自動車運送事業の定義：他人の需要に応じ、有償で自動車を使って旅客を運送する事業）"
SOURCE_ART_4 = "道路運送法 第4条（一般旅客自動車運送事業の許可）"
SOURCE_ART_78 = "道路運送法 第78条（自家用自動車による有償運送の禁止と、その例外）"
SOURCE_ART_79 = "道路運送法 第79条以下（自家用有償旅客運送の登録）"
SOURCE_GUIDELINE_2024 = (
    "国土交通省「道路運送法における許可又は登録を要しない運送に関するガイドライン」"
    "（2024年3月1日から適用）"
)
SOURCE_NOTICE_2006 = (
    "国土交通省自動車交通局旅客課長通達「道路運送法における登録又は許可を要しない運送の態様について」"
    "（2006年9月29日。2024年2月29日までの運送に適用）"
)
SOURCE_GUIDELINE_FOR_EARLIER = (
    "参考：2024年3月1日からは上の通達に代わり、国土交通省「道路運送法における許可又は登録を"
    "要しない運送に関するガイドライン」が適用されます"
)
# Users see this line: it names the method, never the project's internal documents.
SOURCE_DOMAIN = (
    "つなぐの判定手順（上の法令・資料をもとに、あてはまる区分を順に確かめます。"
    "確度の印 [P] 一次資料 / [S] 二次資料 / [U] 未確認）"
)

DISCLAIMER = (
    "この結果は目安です。法律上の助言ではありません。実際に始める前に、"
    "運輸支局（国土交通省）や市町村の交通担当に確認してください。"
)

# --- errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProblem:
    field: str | None
    message: str


class LegalPlanError(TsunaguError):
    """The plan cannot be checked; every problem names the key it concerns."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        self.problems = problems
        summary = " / ".join(p.message for p in problems)
        super().__init__(
            "計画の内容に誤りがあります。" + summary,
            field=problems[0].field if problems else None,
            code="invalid_plan",
        )


# --- plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A validated plan (計画). Build it with :func:`parse_plan`."""

    rider_payment: str
    actual_cost_items: tuple[str, ...]
    subsidy_covers: str
    vehicle: str
    operator_type: str
    service_kind: str
    trip_date: dt.date
    ignored_keys: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "rider_payment": self.rider_payment,
            "actual_cost_items": list(self.actual_cost_items),
            "subsidy_covers": self.subsidy_covers,
            "vehicle": self.vehicle,
            "operator_type": self.operator_type,
            "service_kind": self.service_kind,
            "trip_date": self.trip_date.isoformat(),
        }


def _allowed(choices: Mapping[str, str]) -> str:
    return ", ".join(choices)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_plan(data: Any) -> Plan:
    """Validate a plan (the PLAN.json object) and return it; raise :class:`LegalPlanError`.

    All problems are reported at once, each naming the key and, for a choice, the allowed values.
    """
    if not isinstance(data, Mapping):
        raise LegalPlanError(
            [PlanProblem(None, "計画は JSON のオブジェクト（{ … }）で書いてください。")]
        )
    problems: list[PlanProblem] = []
    for key, label in PLAN_KEYS.items():
        if key not in data or data[key] is None:
            problems.append(PlanProblem(key, f"「{key}」（{label}）がありません。"))
    values: dict[str, Any] = {}
    for key, choices in CHOICES.items():
        if key not in data or data[key] is None:
            continue
        value = data[key]
        if not isinstance(value, str) or value not in choices:
            problems.append(
                PlanProblem(
                    key,
                    f"「{key}」（{PLAN_KEYS[key]}）の値 {_show(value)} は使えません。"
                    f"使える値: {_allowed(choices)}",
                )
            )
        else:
            values[key] = value
    items: list[str] = []
    raw_items = data.get("actual_cost_items")
    if raw_items is not None:
        if not isinstance(raw_items, list):
            problems.append(
                PlanProblem(
                    "actual_cost_items",
                    '「actual_cost_items」（実費の項目）は値の並び（["fuel", "tolls"] など）で'
                    f"書いてください。使える値: {_allowed(COST_ITEMS)}",
                )
            )
        else:
            for index, item in enumerate(raw_items):
                if not isinstance(item, str) or item not in COST_ITEMS:
                    problems.append(
                        PlanProblem(
                            "actual_cost_items",
                            f"「actual_cost_items」（実費の項目）の{index + 1}番目の値 {_show(item)} "
                            f"は使えません。使える値: {_allowed(COST_ITEMS)}",
                        )
                    )
                elif item not in items:
                    items.append(item)
    trip_date: dt.date | None = None
    raw_date = data.get("trip_date")
    if raw_date is not None:
        if isinstance(raw_date, str) and _ISO_DATE.match(raw_date.strip()):
            try:
                trip_date = dt.date.fromisoformat(raw_date.strip())
            except ValueError:
                trip_date = None
        if trip_date is None:
            problems.append(
                PlanProblem(
                    "trip_date",
                    f"「trip_date」（運送の日）の値 {_show(raw_date)} は日付として読めません。"
                    "2024-03-01 のように 年-月-日 で書いてください。",
                )
            )
    if problems:
        raise LegalPlanError(problems)
    assert trip_date is not None
    ignored = tuple(sorted(str(k) for k in data if k not in PLAN_KEYS))
    return Plan(
        rider_payment=values["rider_payment"],
        actual_cost_items=tuple(items),
        subsidy_covers=values["subsidy_covers"],
        vehicle=values["vehicle"],
        operator_type=values["operator_type"],
        service_kind=values["service_kind"],
        trip_date=trip_date,
        ignored_keys=ignored,
    )


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"「{value}」"
    return f"「{value!r}」"


def allowed_actual_cost_items(trip_date: dt.date) -> tuple[str, ...]:
    """Items that count as actual costs (実費) for a trip on ``trip_date``."""
    return ALLOWED_ITEMS_FROM_GUIDELINE if trip_date >= GUIDELINE_DATE else ALLOWED_ITEMS_BEFORE


def _wareki(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _item_names(items: tuple[str, ...] | list[str]) -> str:
    return "、".join(COST_ITEMS[i] for i in items) if items else "なし"


# --- decision ------------------------------------------------------------------------------


@dataclass
class LegalResult:
    category: str
    permit_or_registration_required: bool
    needs_human_review: bool
    requirements: list[str]
    reasons: list[str]
    sources: list[str]
    rule: int
    plan: Plan
    allowed_items: tuple[str, ...] = ()
    disclaimer: str = DISCLAIMER
    notes: list[str] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    def as_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "category_label": self.category_label,
            "permit_or_registration_required": self.permit_or_registration_required,
            "needs_human_review": self.needs_human_review,
            "requirements": list(self.requirements),
            "reasons": list(self.reasons),
            "sources": list(self.sources),
            "disclaimer": self.disclaimer,
            "rule": self.rule,
            "allowed_actual_cost_items": list(self.allowed_items),
            "plan": self.plan.as_json(),
        }


def check_plan(data: Any) -> dict[str, Any]:
    """Validate ``data`` (a PLAN.json object) and return the result as a JSON-ready dict."""
    return evaluate(parse_plan(data)).as_json()


def evaluate(plan: Plan) -> LegalResult:
    """Apply DOMAIN.md §4.3 to a validated plan: the first matching rule wins."""
    reasons: list[str] = []
    allowed = allowed_actual_cost_items(plan.trip_date)
    before = plan.trip_date < GUIDELINE_DATE
    basis = (
        "2006年9月29日の国土交通省通達（2024年2月29日までの運送）"
        if before
        else "2024年3月1日からの国土交通省ガイドライン"
    )
    reasons.append(
        f"運送の日は {_wareki(plan.trip_date)} なので、{basis}に沿って判断します。"
        f"この日に実費として認められる項目: {_item_names(allowed)}。"
    )
    if plan.ignored_keys:
        reasons.append("次の項目は判定に使っていません: " + ", ".join(plan.ignored_keys) + "。")

    subsidy_pays_transport = plan.subsidy_covers == "transport"
    if plan.subsidy_covers == "indirect_only":
        reasons.append(
            "補助金は調整役の人件費など間接的な費用だけに使われるので、運送の対価にはなりません。"
        )

    # Rule 1: nothing, voluntary thanks or hard-to-value goods, and no subsidy for the transport.
    if plan.rider_payment in FREE_PAYMENTS and not subsidy_pays_transport:
        reasons.append(_payment_reason(plan.rider_payment))
        if plan.actual_cost_items:
            reasons.append(
                "実費の項目は、利用者の支払いが「実費のみ」のときだけ判定に使います"
                f"（指定された項目: {_item_names(plan.actual_cost_items)}）。"
            )
        reasons.append(
            "運送の対価（反対給付）を受け取らないので有償の運送にあたらず、"
            "道路運送法の許可も登録もいりません（無償運送）。"
        )
        return _result(plan, "free", 1, reasons, _free_requirements(plan), allowed)

    # Rule 2: actual costs only, every item allowed for the trip date, no subsidy for transport.
    not_allowed: list[str] = []
    if plan.rider_payment == "actual_costs_only":
        not_allowed = [i for i in plan.actual_cost_items if i not in allowed]
        never = [i for i in plan.actual_cost_items if i in NEVER_ACTUAL_COSTS]
        if never:
            reasons.append(
                f"{_item_names(never)}は実費に含まれないものとして扱います"
                "（[U] 未確認の扱い。運転者への報酬や車の減価償却費は運送の対価とみなされます）。"
            )
        late = [i for i in not_allowed if i in ALLOWED_ITEMS_FROM_GUIDELINE]
        if late:
            reasons.append(
                f"{_item_names(late)}が実費として認められるのは 2024年3月1日からの運送です。"
                f"{_wareki(plan.trip_date)} の運送では実費になりません。"
            )
        if not subsidy_pays_transport and not not_allowed:
            if plan.actual_cost_items:
                reasons.append(
                    f"利用者が払うのは実費（{_item_names(plan.actual_cost_items)}）だけで、"
                    "どれもこの日に認められる項目です。"
                )
            else:
                reasons.append(
                    "「実費のみ」ですが実費の項目がありません（実費の項目: なし）。"
                    "利用者に何も求めないのと同じなので、実費のみの無償運送として扱います。"
                )
            reasons.append(
                "実費の範囲の負担は運送の対価にあたらないので、許可も登録もいりません"
                "（無償運送（実費））。"
            )
            return _result(
                plan, "free_actual_costs", 2, reasons, _actual_cost_requirements(plan), allowed
            )

    # Rule 3: otherwise the ride is paid (有償).
    if subsidy_pays_transport:
        reasons.append(
            "補助金が運送そのもの（運転や車の費用）に使われるので、利用者に代わって対価が"
            "支払われているとみなし、有償として扱います。資料によって考え方が分かれるため、"
            "運輸支局などによる確認が必要です。"
        )
        if plan.rider_payment in FREE_PAYMENTS or plan.rider_payment == "actual_costs_only":
            reasons.append(_payment_reason(plan.rider_payment))
    elif plan.rider_payment == "actual_costs_only":
        reasons.append(
            f"実費として認められない項目（{_item_names(not_allowed)}）を利用者が負担するので、"
            "運送の対価を受け取る有償の運送になります。"
        )
    else:
        reasons.append(_payment_reason(plan.rider_payment))
    reasons.append("有償の運送には、道路運送法の許可か登録が必要です。")

    if plan.vehicle == "business":
        if plan.operator_type in LICENSED_OPERATORS:
            reasons.append(
                "事業用自動車（緑ナンバー）で、バス・タクシーの許可を持つ事業者が運送するので、"
                "一般旅客自動車運送事業（第4条の許可）として行う運送です。"
                "許可はすでに持っているものとして扱います。"
            )
            return _result(
                plan, "licensed_business", 3, reasons, _licensed_requirements(plan), allowed
            )
        reasons.append(
            f"事業用自動車（緑ナンバー）ですが、運営する団体（{OPERATOR_TYPES[plan.operator_type]}）は"
            "バス・タクシーの許可を持つ事業者ではありません。有償で運送するには"
            "第4条の許可が必要です。"
        )
        return _result(plan, "needs_permit", 3, reasons, _permit_requirements(plan), allowed)

    operator = OPERATOR_TYPES[plan.operator_type]
    if plan.operator_type in NONPROFIT_OPERATORS:
        if plan.service_kind == "welfare_members":
            reasons.append(
                f"自家用車で、非営利の団体（{operator}）が、介護や支援が必要な会員を運ぶので、"
                "福祉有償運送として国に登録（第79条）すれば行えます。"
            )
            return _result(
                plan, "welfare_paid", 3, reasons, _registration_requirements(plan, True), allowed
            )
        if plan.service_kind == "transit_gap_area":
            reasons.append(
                f"自家用車で、非営利の団体（{operator}）が、交通空白地の住民や来訪者を運ぶので、"
                "交通空白地有償運送として国に登録（第79条）すれば行えます。"
            )
            return _result(
                plan,
                "transit_gap_paid",
                3,
                reasons,
                _registration_requirements(plan, False),
                allowed,
            )
        reasons.append(
            f"自家用車で非営利の団体（{operator}）が運送しますが、対象が一般の人なので、"
            "福祉有償運送にも交通空白地有償運送にもあたらず、登録できません。"
        )
        return _result(plan, "needs_permit", 3, reasons, _permit_requirements(plan), allowed)

    reasons.append(
        f"自家用車で、営利の事業者・個人（{operator}）が有償で運送するので、"
        "自家用有償旅客運送の登録はできません。"
    )
    return _result(plan, "needs_permit", 3, reasons, _permit_requirements(plan), allowed)


def _payment_reason(payment: str) -> str:
    return {
        "none": "利用者は何も払いません。",
        "voluntary_thanks": (
            "利用者が渡すのは任意のお礼だけです（金額を決めたり求めたりしない場合に限ります）。"
        ),
        "goods": "利用者が渡すのは金額に換算しにくいお礼の品だけです。",
        "actual_costs_only": "利用者が払うのは実費だけです。",
        "fare": "運賃や料金表があり、利用者が運送の対価を払います。",
        "ride_linked_fee": "乗車と結びついた会費は、運送の対価とみなされます。",
    }[payment]


def _free_requirements(plan: Plan) -> list[str]:
    items = ["道路運送法の許可・登録はいりません。"]
    if plan.rider_payment == "voluntary_thanks":
        items.append("お礼は任意にし、金額の目安を示したり、求めたりしないでください。")
    if plan.rider_payment == "goods":
        items.append("お礼の品は、金額に換算しにくい少額のものにとどめてください。")
    items += [
        "事故に備えて、自動車保険（対人・対物）とボランティア保険への加入を確かめてください。",
        "運転する人の安全運転講習や、乗り降りの手助けの講習を受けておくと安心です。",
    ]
    return items


def _actual_cost_requirements(plan: Plan) -> list[str]:
    allowed = _item_names(allowed_actual_cost_items(plan.trip_date))
    return [
        "道路運送法の許可・登録はいりません。",
        f"利用者に求めるのは実費だけにしてください（この日に認められる項目: {allowed}）。",
        "実費は、走った距離と燃費などから計算し、実際にかかった額を超えないようにしてください"
        "（この画面の「費用の分担の計算」を使えます）。",
        "計算のしかたを書面にして、利用者に説明できるようにしておいてください。",
        "事故に備えて、自動車保険（対人・対物）とボランティア保険への加入を確かめてください。",
    ]


def _licensed_requirements(plan: Plan) -> list[str]:
    return [
        "一般旅客自動車運送事業の許可（第4条）が必要です。すでにお持ちの許可の範囲で行います。",
        "運賃は、許可を受けた（届け出た）運賃によります。",
        "運転者は第二種運転免許が必要です。",
    ]


def _permit_requirements(plan: Plan) -> list[str]:
    items = [
        "このままの形では行えません。次のどれかを選んでください。",
        "バス・タクシー事業者として一般旅客自動車運送事業の許可（第4条）を受ける。",
        "国土交通大臣の許可（第78条第3号）を受ける"
        "（公共の福祉のためやむを得ない場合の自家用自動車の有償運送）。",
    ]
    if plan.trip_date >= PRIVATE_CAR_SCHEME_DATE:
        items.append(
            "タクシー事業者が運営する自家用車活用事業（2024年4月8日から。第78条第3号）に"
            "運転者として参加する。"
        )
    if plan.operator_type in NONPROFIT_OPERATORS:
        items.append(
            "対象を介護・支援が必要な会員（福祉有償運送）または交通空白地の住民・来訪者"
            "（交通空白地有償運送）にしぼり、第79条の登録を受ける。"
        )
    items.append(
        "利用者から何も受け取らないか、実費（認められる項目）だけにして、無償運送として行う。"
    )
    return items


def _registration_requirements(plan: Plan, welfare: bool) -> list[str]:
    kind = "福祉有償運送" if welfare else "交通空白地有償運送"
    items = [
        f"{kind}として、国（運輸支局）に登録を受けること（道路運送法第79条）。",
        "運営協議会・地域公共交通会議・協議会で協議が調うこと"
        "（または地域公共交通計画に定めること）。",
        "運転者の要件：第二種運転免許、または第一種運転免許と国土交通大臣認定の講習の修了。",
        "車両：乗車定員11人未満の自動車 [S]。",
        "会員名簿（利用する人の名簿）を作り、登録した会員を運ぶこと。"
        if welfare
        else "運送の区域と、利用する住民・来訪者の範囲を決めること。",
        "対価の目安：タクシー運賃の概ね8割 [S]（協議の場で決めます）。",
        "運行管理・事故の際の連絡体制、任意保険への加入。",
    ]
    if welfare:
        items.insert(
            4,
            "対象者：要介護・要支援の人、基本チェックリストに該当する人、障害のある人など、"
            "一人で公共交通を使うのが難しい人。",
        )
    return items


def _result(
    plan: Plan,
    category: str,
    rule: int,
    reasons: list[str],
    requirements: list[str],
    allowed: tuple[str, ...],
) -> LegalResult:
    review = plan.subsidy_covers == "transport"
    if review:
        requirements = [
            *requirements,
            "補助金が運送そのものに使われるため、運輸支局に事前に相談してください（要確認）。",
        ]
    return LegalResult(
        category=category,
        permit_or_registration_required=category
        in {"licensed_business", "welfare_paid", "transit_gap_paid", "needs_permit"},
        needs_human_review=review,
        requirements=requirements,
        reasons=[*reasons, DISCLAIMER],
        sources=_sources(plan, category),
        rule=rule,
        plan=plan,
        allowed_items=allowed,
    )


def _sources(plan: Plan, category: str) -> list[str]:
    sources = [SOURCE_ART_2_3, SOURCE_ART_78, SOURCE_ART_79]
    if category in {"licensed_business", "needs_permit"}:
        sources.insert(1, SOURCE_ART_4)
    if plan.trip_date < GUIDELINE_DATE:
        sources += [SOURCE_NOTICE_2006, SOURCE_GUIDELINE_FOR_EARLIER]
    else:
        sources.append(SOURCE_GUIDELINE_2024)
    sources.append(SOURCE_DOMAIN)
    return sources


# --- cost-sharing calculator (費用の分担) ----------------------------------------------------


@dataclass(frozen=True)
class CostShare:
    """Actual costs of one ride and the charge that stays within them (integer yen)."""

    fuel_cost: int
    tolls: int
    parking: int
    insurance: int
    total: int
    riders: int
    per_ride: int
    per_rider: int
    insurance_allowed: bool
    warnings: tuple[str, ...]
    planned_total: int | None = None


def cost_share(
    *,
    fuel_price_yen_per_l: Fraction | float | int | str,
    fuel_economy_km_per_l: Fraction | float | int | str,
    distance_km: Fraction | float | int | str,
    trip_date: dt.date,
    tolls_yen: int = 0,
    parking_yen: int = 0,
    insurance_yen_per_ride: int = 0,
    riders: int = 1,
    planned_charge_per_rider: int | None = None,
) -> CostShare:
    """Compute the actual cost of one ride (round trip) and how much each rider may be asked.

    Fuel = price × distance ÷ economy. Amounts are rounded *down* to whole yen, so the charge
    never exceeds the actual cost. Insurance counts only from 2024-03-01.
    """
    price = Fraction(str(fuel_price_yen_per_l))
    economy = Fraction(str(fuel_economy_km_per_l))
    distance = Fraction(str(distance_km))
    problems: list[PlanProblem] = []
    if price < 0:
        problems.append(PlanProblem("fuel_price", "燃料の単価は0円以上にしてください。"))
    if economy <= 0:
        problems.append(PlanProblem("fuel_economy", "燃費は0より大きい数にしてください。"))
    if distance < 0:
        problems.append(PlanProblem("distance_km", "距離は0km以上にしてください。"))
    for name, value in (
        ("tolls", tolls_yen),
        ("parking", parking_yen),
        ("insurance", insurance_yen_per_ride),
    ):
        if value < 0:
            problems.append(PlanProblem(name, "金額は0円以上にしてください。"))
    if riders < 1:
        problems.append(PlanProblem("riders", "乗る人数は1人以上にしてください。"))
    if planned_charge_per_rider is not None and planned_charge_per_rider < 0:
        problems.append(PlanProblem("planned_charge", "予定の負担額は0円以上にしてください。"))
    if problems:
        raise LegalPlanError(problems)
    fuel_exact = price * distance / economy
    insurance_allowed = trip_date >= GUIDELINE_DATE
    insurance = insurance_yen_per_ride if insurance_allowed else 0
    exact_total = fuel_exact + tolls_yen + parking_yen + insurance
    total = math.floor(exact_total)
    per_rider = math.floor(exact_total / riders)
    warnings: list[str] = []
    if insurance_yen_per_ride and not insurance_allowed:
        warnings.append(
            "2024年2月29日までの運送では、保険料は実費に含められません。"
            "計算から外しました（含めると有償の運送になります）。"
        )
    planned_total: int | None = None
    if planned_charge_per_rider is not None:
        planned_total = planned_charge_per_rider * riders
        if planned_total > exact_total:
            warnings.append(
                f"予定の負担額（1人 {planned_charge_per_rider:,}円 × {riders}人 = "
                f"{planned_total:,}円）は実費（{total:,}円）を超えます。"
                "実費を超えて受け取ると有償の運送になり、許可か登録が必要です。"
                f"1人あたり {per_rider:,}円 以下にしてください。"
            )
    return CostShare(
        fuel_cost=math.floor(fuel_exact),
        tolls=tolls_yen,
        parking=parking_yen,
        insurance=insurance,
        total=total,
        riders=riders,
        per_ride=total,
        per_rider=per_rider,
        insurance_allowed=insurance_allowed,
        warnings=tuple(warnings),
        planned_total=planned_total,
    )
