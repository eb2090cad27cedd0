"""Demo basic checklists: synthetic residents whose checklists exercise every criterion and the
missing-answer cases, and one generated anonymous survey aggregate per municipality.

Everything here is synthetic (架空): the residents are 「デモ …」 with ``is_synthetic=True``,
the survey is marked ``is_synthetic`` and titled as generated; none of it comes from the seed
report, which publishes no checklist data. Idempotent: residents are matched on (municipality,
name), a checklist on (resident, answered_on), the survey on (municipality, title).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from tsunagu.areas.models import District, Municipality
from tsunagu.care.checklist import services
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, ITEMS_BY_NUMBER
from tsunagu.care.models import ChecklistRecord, ChecklistSurvey, Resident
from tsunagu.core.history import save_with_history

KAWARA, KAGOSHIMA = "406015", "462012"
ANSWERED_ON = datetime.date(2024, 10, 1)
SURVEY_TITLE = "【架空のデータ】介護予防・日常生活圏域ニーズ調査（デモ用に生成）"
SURVEY_ROWS = 400


def _answers(**applying: bool | None) -> dict[int, bool | None]:
    """No item applies, except those given as q<n>=answer (True はい, False いいえ, None 未回答)."""
    answers: dict[int, bool | None] = {
        n: not ITEMS_BY_NUMBER[n].applies_when for n in ANSWERED_ITEMS
    }
    for key, value in applying.items():
        answers[int(key[1:])] = value
    return answers


# (name, kana, answers, height, weight, what it shows)
CASES: dict[str, list[tuple[str, str, dict[int, bool | None], str | None, str | None, str]]] = {
    KAWARA: [
        (
            "デモ 花子",
            "でも はなこ",
            _answers(
                q1=False,
                q2=False,
                q3=False,
                q4=False,
                q5=False,
                q6=False,
                q7=False,
                q8=False,
                q16=False,
                q19=False,
            ),
            "150",
            "50",
            "1 生活機能全般（と 運動機能・閉じこもり・認知機能）",
        ),
        (
            "デモ 一郎",
            "でも いちろう",
            _answers(q6=False, q9=True, q10=True),
            "165",
            "60",
            "2 運動機能",
        ),
        (
            "デモ 次郎",
            "でも じろう",
            _answers(q11=True),
            "160",
            "47.3",
            "3 栄養（BMI 18.47、表示は 18.5）",
        ),
        (
            "デモ 三郎",
            "でも さぶろう",
            _answers(q11=True),
            "160",
            "47.36",
            "BMI ちょうど 18.5: 非該当",
        ),
        ("デモ 四郎", "でも しろう", _answers(q13=True, q15=True), "170", "65", "4 口腔"),
        (
            "デモ 五月",
            "でも さつき",
            _answers(q11=True),
            None,
            None,
            "身長・体重なし: 判定できず（12）",
        ),
    ],
    KAGOSHIMA: [
        ("デモ 桜", "でも さくら", _answers(q16=False), "152", "48", "5 閉じこもり"),
        ("デモ 梅子", "でも うめこ", _answers(q20=True), "148", "45", "6 認知機能"),
        ("デモ 竹男", "でも たけお", _answers(q21=True, q25=True), "168", "62", "7 うつ"),
        ("デモ 松子", "でも まつこ", _answers(), "155", "52", "どれも該当せず: 非該当"),
        (
            "デモ 菊子",
            "でも きくこ",
            _answers(q13=True, q14=None),
            "150",
            "50",
            "未回答 No.14 で結果が変わる: 判定できず",
        ),
        (
            "デモ 藤男",
            "でも ふじお",
            _answers(q16=False, q1=None, q2=None),
            "160",
            "55",
            "未回答があっても閉じこもりで事業対象者",
        ),
    ],
}


def _resident(actor: Any, municipality: Municipality, name: str, kana: str) -> Resident:
    resident = Resident.objects.filter(municipality=municipality, name=name).first()
    if resident is None:
        resident = Resident(
            municipality=municipality,
            district=District.objects.filter(municipality=municipality).order_by("pk").first(),
            name=name,
            name_kana=kana,
            birth_date=datetime.date(1945, 4, 1),
            is_synthetic=True,
        )
        save_with_history(resident, actor=actor, reason="デモの架空の住民")
    return resident


def _survey_csv(districts: list[District]) -> bytes:
    rng = random.Random(14)  # fixed: the same figures on every load
    header = ["id", *(f"q{n}" for n in ANSWERED_ITEMS), "height_cm", "weight_kg", "district"]
    lines = [",".join(header)]
    for k in range(SURVEY_ROWS):
        cells = []
        for n in ANSWERED_ITEMS:
            draw = rng.random()
            applies = draw < 0.08
            if draw > 0.98:
                cells.append("")
            else:
                cells.append("はい" if applies == ITEMS_BY_NUMBER[n].applies_when else "いいえ")
        height = round(rng.uniform(140, 175), 1)
        weight = round(rng.uniform(38, 75), 1) if rng.random() > 0.03 else ""
        district = districts[k % len(districts)]
        lines.append(",".join([str(k + 1), *cells, str(height), str(weight), district.name]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def load_checklists(actor: Any, summary: Any) -> None:
    """Load the demo checklists and survey aggregates (idempotent)."""
    for code, cases in CASES.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        for name, kana, answers, height, weight, shows in cases:
            resident = _resident(actor, municipality, name, kana)
            if ChecklistRecord.objects.filter(resident=resident, answered_on=ANSWERED_ON).exists():
                summary.count("unchanged")
                continue
            services.checklist_record_seed(
                resident=resident,
                actor=actor,
                answered_on=ANSWERED_ON,
                answers=answers,
                height_cm=None if height is None else Decimal(height),
                weight_kg=None if weight is None else Decimal(weight),
                note=f"デモ: {shows}",
            )
            summary.count("created")
    for municipality in Municipality.objects.filter(code__in=CASES):
        districts = list(District.objects.filter(municipality=municipality).order_by("pk"))
        if not districts:
            continue
        if ChecklistSurvey.objects.filter(municipality=municipality, title=SURVEY_TITLE).exists():
            summary.count("unchanged")
            continue
        services.checklist_survey_store(
            actor=actor,
            municipality=municipality,
            title=SURVEY_TITLE,
            conducted_on=None,
            data=_survey_csv(districts),
            file_name="demo-generated.csv",
            note="デモ用に乱数で生成した架空の回答を一括判定し、地区別の集計だけを保存したもの。",
            is_synthetic=True,
        )
        summary.count("created")
