"""Demo needs survey from the seed report: 直川地域コミュニティ協議会's survey (佐伯市).

The report gives only aggregates: "ボランティア送迎があればすぐにでも利用したいと 11人から
回答があった" and that poor transport for shopping and hospital visits was the most frequent
local problem. So the survey holds ONE aggregated answer sheet (weight 11, would use at once,
district 直川地域) and the rest is in the survey's note; the number of sheets distributed and
the other answers are not published and are left unknown rather than invented.

Idempotent: the survey is matched on (municipality, title), the aggregated sheet on its
respondent_ref; a second run changes nothing. Writes go through survey_services.
"""

from __future__ import annotations

from typing import Any

from tsunagu.areas.models import District, Municipality
from tsunagu.core.fields import given
from tsunagu.directory.models import Organisation
from tsunagu.mobility.models import MobilityService, NeedsSurvey, WouldUse
from tsunagu.mobility.surveys import services as survey_services
from tsunagu.mobility.surveys.commands import ResponseFields

SAIKI = "442054"
TITLE = "直川地域 高齢者の移動に関するアンケート調査"
OPERATOR = "直川地域コミュニティ協議会"
DISTRICT = "直川地域"
AGGREGATE_REF = "集計：すぐにでも利用したい"
NOTE = (
    "直川地域コミュニティ協議会が地域住民を対象に実施した、高齢者の移動に関するアンケート調査。"
    "報告書には集計の一部だけが載っているため、次のように入力している。\n"
    "・ボランティア送迎があれば「すぐにでも利用したい」: 11人（人数11の集計回答1件として入力）。\n"
    "・地域課題として最も多かったのは、買い物や通院の際の交通の利便が悪いこと"
    "（件数は報告書に記載なし）。\n"
    "・配布数・回答者の総数・その他の設問の結果は報告書に記載がないため不明。\n"
    "この結果から移動支援のニーズがあると判断し、「直川地域まちづくり計画」（令和5年3月策定）で"
    "デマンドバス停までの移動手段の確保などに取り組むことになった。\n"
    "それ以前に自家用車による移動支援を検討した際の4つの懸念: "
    "①地元交通事業者の理解を得られるか不透明、②道路運送法など関係制度の知識不足、"
    "③事故発生時の補償問題、④燃料代や保険料の負担。"
)
SOURCE = (
    "事例表№2 佐伯市 2(1) 地域コミュニティ協議会による地域まちづくり計画の策定 "
    "; 4つの懸念: 事例表№2 佐伯市 1(1)、"
    "II 情報収集結果 1 ①《佐伯市》"
)


def load_surveys(actor: Any, summary: Any) -> None:
    """Load the surveys demo records idempotently (matched on natural keys)."""
    municipality = Municipality.objects.filter(code=SAIKI).first()
    if municipality is None:
        return
    operator = Organisation.objects.filter(municipality=municipality, name=OPERATOR).first()
    district = District.objects.filter(municipality=municipality, name=DISTRICT).first()
    service = None
    if operator is not None:
        service = (
            MobilityService.objects.filter(municipality=municipality, operator=operator)
            .order_by("pk")
            .first()
        )
    fields = {
        "title": TITLE,
        "service": service,
        "conducted_by": operator,
        "conducted_from": None,
        "conducted_to": None,
        "distributed": None,
        "note": NOTE,
        "source": SOURCE,
    }
    districts = [district] if district is not None else []
    survey = NeedsSurvey.objects.filter(municipality=municipality, title=TITLE).first()
    if survey is None:
        survey = survey_services.survey_create(
            municipality=municipality, actor=actor, districts=districts, **fields
        )
        summary.count("created")
    else:
        changed = {k: v for k, v in fields.items() if getattr(survey, k) != v}
        current = {d.pk for d in survey.districts.all()}
        if changed or current != {d.pk for d in districts}:
            survey_services.survey_update(
                survey=survey, actor=actor, districts=districts, **changed
            )
            summary.count("updated")
        else:
            summary.count("unchanged")

    fields = ResponseFields(
        respondent_ref=AGGREGATE_REF, district=district, would_use=WouldUse.NOW, weight=11
    )
    response = survey.responses.filter(respondent_ref=AGGREGATE_REF).first()
    if response is None:
        survey_services.response_create(survey=survey, actor=actor, fields=fields)
        summary.count("created")
    elif any(getattr(response, k) != v for k, v in given(fields).items()):
        survey_services.response_update(response=response, actor=actor, fields=fields)
        summary.count("updated")
    else:
        summary.count("unchanged")
