"""The seed report's facts for plans: indicators (出水市), councils forming (香春町), the
prefectures' case sheets (事例表№6 大分県, №7 鹿児島県). Texts are the report's, with the
PDF's line breaks and spaces removed; each record names its source (section / 事例表 number).
"""

from __future__ import annotations

import datetime
from typing import Any

IZUMI = "462080"
KAWARA = "406015"
OITA_PREF = "440001"
KAGOSHIMA_PREF = "460001"

# 事例表№5 出水市 1(1): 「総合事業の事業対象者である65歳以上の高齢者数（平成29年（総合事業開始年）
# 16,581人→令和3年17,426人）、要支援者数（平成29年520人→令和3年680人）」. The report writes 「年」,
# not 「年度」, and gives no as-of date: the year basis is stored as unstated.
IZUMI_SOURCE = "事例表№5 出水市 1(1) 伴走的支援を受けた理由"
IZUMI_NOTE = (
    "報告書の表記: 「総合事業の事業対象者である65歳以上の高齢者数」「要支援者数」。"
    "「年」とあり、年度か暦年か・何月時点かは記載がない。要支援者数は区分（要支援1・2）別の記載なし。"
)
INDICATORS: list[dict[str, Any]] = [
    {
        "municipality": IZUMI,
        "year": 2017,
        "period_text": "平成29年（総合事業開始年）",
        "population_65_plus": 16581,
        "support_total_printed": 520,
        "source": IZUMI_SOURCE,
        "note": IZUMI_NOTE,
    },
    {
        "municipality": IZUMI,
        "year": 2021,
        "period_text": "令和3年",
        "population_65_plus": 17426,
        "support_total_printed": 680,
        "source": IZUMI_SOURCE,
        "note": IZUMI_NOTE,
    },
    {
        "municipality": IZUMI,
        "year": 2024,
        "year_basis": "fiscal",
        "period_text": "令和6年10月1日時点",
        "population_65_plus": 17569,
        "support_total_printed": None,
        "source": "事例表№5 出水市 〇 出水市の概要（高齢者人口）",
        "note": "",
    },
]

# 事例表№1 香春町 3(2): 「令和2年から町内四つの旧小学校区ごとに地域ワークショップを実施し…これまで、
# 3地域で地域運営組織準備会が発足し、うち採銅所地域を含む2地域でコミュニティ協議会として活動を開始
# している。」 Only 採銅所 is named and dated (事例表№1 香春町 1(2)（注）): the others stay unnamed.
KAWARA_COUNT_SOURCE = (
    "事例表№1 香春町 3(2)（3地域で準備会が発足、うち採銅所地域を含む2地域で協議会）"
)
COUNCILS: list[dict[str, Any]] = [
    {
        "area_label": "採銅所地域",
        "district": "採銅所地域",
        "name_recorded": True,
        "stage": "council",
        "preparatory_name": "採銅所地域運営組織設立準備会",
        "preparatory_on": datetime.date(2021, 3, 1),
        "preparatory_text": "令和3年3月",
        "council_name": "採銅所地域コミュニティ協議会",
        "council_on": datetime.date(2022, 1, 1),
        "council_text": "令和4年1月",
        "order": 1,
        "source": "事例表№1 香春町 1(2)（注）; " + KAWARA_COUNT_SOURCE,
    },
    {
        "area_label": "旧小学校区（名称の記載なし）1",
        "name_recorded": False,
        "stage": "council",
        "order": 2,
        "source": KAWARA_COUNT_SOURCE + "。名称・日付の記載なし",
    },
    {
        "area_label": "旧小学校区（名称の記載なし）2",
        "name_recorded": False,
        "stage": "preparatory",
        "order": 3,
        "source": KAWARA_COUNT_SOURCE + "。名称・日付の記載なし",
    },
    {
        "area_label": "旧小学校区（名称の記載なし）3",
        "name_recorded": False,
        "stage": "workshop",
        "order": 4,
        "source": "事例表№1 香春町 3(2)（令和2年から町内四つの旧小学校区ごとに地域ワークショップ）。"
        "名称の記載なし",
    },
]

PROFILES: list[dict[str, Any]] = [
    {
        "prefecture": OITA_PREF,
        "sheet_number": 6,
        "cities": 14,
        "towns": 3,
        "villages": 1,
        "municipalities_printed": 18,
        "source": "事例表№6 大分県 〇 大分県の概要",
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "sheet_number": 7,
        "cities": 19,
        "towns": 20,
        "villages": 4,
        "municipalities_printed": 43,
        "source": "事例表№7 鹿児島県 〇 鹿児島県の概要",
    },
]

_OITA_1 = "事例表№6 大分県 1"
_OITA_2 = "事例表№6 大分県 2"
_KAGOSHIMA_1 = "事例表№7 鹿児島県 1"
_KAGOSHIMA_2 = "事例表№7 鹿児島県 2"
FACTS: list[dict[str, Any]] = [
    # --- 大分県 ---------------------------------------------------------------------------
    {
        "prefecture": OITA_PREF,
        "topic": "programs",
        "order": 1,
        "text": "大分県では、以下の理由から、高齢者の移動支援に取り組む市町村を少しでも多く継続的に支援"
        "するため、令和5年度以降、県独自事業として「生活支援体制整備事業（移動支援）を中心としたスー"
        "パーバイザー派遣推進事業」による市町村への伴走的支援を実施している（令和5年度から佐伯市及び"
        "竹田市、6年度から別府市及び由布市を対象として実施（7年度も実施予定））。\n"
        "ⅰ）県内市町村では住民の高齢化が進み高齢者の移動支援のニーズが高いこと。\n"
        "ⅱ）厚生労働省の地域づくり加速化事業でも移動支援に関する支援が行われているが、九州全体での"
        "採択枠が限られること。\n"
        "ⅲ）市町村における移動支援に関する課題の解決は容易ではなく、個々の事情に応じた継続的な支援"
        "が求められるところ、厚生労働省の地域づくり加速化事業は、原則、単年度で支援が終了すること。",
        "source": _OITA_1,
    },
    {
        "prefecture": OITA_PREF,
        "topic": "programs",
        "order": 2,
        "text": "当該事業による市町村への伴走的支援に当たっては、道路運送法を始め関係する制度が複雑である"
        "ことなどから、全国的に移動支援に関する取組実績がある特定非営利活動法人全国移動サービスネット"
        "ワークに委託し、地域の実情に合った支援を行っている。県では、支援実績が豊富な当該法人に委託す"
        "ることにより、例えば、経験豊富なスーパーバイザーからの助言で地域住民へのアンケート調査をした"
        "結果、地域課題が明らかになり、住民主体で「我がまちの課題解決を推進したい。」という機運を高め"
        "ることができるなど、効果的な支援につながると認識している。",
        "source": _OITA_1,
    },
    {
        "prefecture": OITA_PREF,
        "topic": "visits",
        "order": 1,
        "text": "このうち、佐伯市については、伴走型支援により、弥生地域及び直川地域における移動支援の創設に"
        "向けた取組を実施（第1回目支援：令和5年8月28日、第2回目支援：同年10月20日、第3回目支援："
        "同年12月12日）した。いずれも移動支援に熱意のある社会福祉法人と地域組織が主体であり、弥生地域"
        "については、当該社会福祉法人による地域貢献事業（法人車両の空き時間で高齢者の移動支援）として、"
        "総合事業に当たらない「互助」の取組を本稼働させている。",
        "source": _OITA_1,
    },
    {
        "prefecture": OITA_PREF,
        "topic": "visits",
        "order": 2,
        "text": "直川地域については、市の高齢者福祉担当部署のみで地域づくりに取り組むことには限界があること"
        "から庁内連携を図り、地域づくり担当部署の参加によりコミュニティ協議会とSCの連携を効果的に行う"
        "ことができたほか、地域公共交通担当部署の参加により地域公共交通施策との連携や地域公共交通業者と"
        "の調整（大分運輸支局への説明やタクシー会社との交渉）を円滑に実施した。加えて、スーパーバイザー"
        "の助言もあり、実証実験を経て、令和7年5月現在、総合事業のサービス・活動Bを活用した本格実施に"
        "向けて取組を進めている。",
        "source": _OITA_1,
    },
    {
        "prefecture": OITA_PREF,
        "topic": "assessment",
        "order": 1,
        "text": "大分県では、佐伯市の取組は、現に自律的・主体的に活動する地域コミュニティがあって、その活性化"
        "を図る部署、高齢者福祉担当部署、課題に関連する地域公共交通担当部署等関係者の協働によって地域課"
        "題に対応を図っている好事例と考えられるとしている。",
        "source": _OITA_1,
    },
    {
        "prefecture": OITA_PREF,
        "topic": "attention",
        "order": 1,
        "text": "大分県では、市町村における総合事業等の実施を通じた地域づくりを進める上での留意点として、"
        "以下を挙げている。",
        "source": _OITA_2,
    },
    {
        "prefecture": OITA_PREF,
        "topic": "attention",
        "order": 2,
        "text": "地域によって課題の内容や地域資源、環境、歴史的背景など事情も様々であることから、単純な好事例"
        "の横展開はできず、個々の実情に合わせた取組が求められることが挙げられる。佐伯市の取組は、飽くま"
        "でも当該地域であるからこそ成功したものであり、同じ市町村でも地域によって事情が異なるため、その"
        "まま模倣しても成功しない可能性もある。市町村における総合事業等の実施を通じた地域づくりを支援す"
        "るに当たっては、地域の実情を踏まえ個別にカスタマイズしてきめ細かく実施する必要がある。",
        "source": _OITA_2,
    },
    # --- 鹿児島県 -------------------------------------------------------------------------
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "programs",
        "order": 1,
        "text": "鹿児島県では、①かごしま介護予防（総合事業）推進事業（市町村がセミナーや個別支援を活用して総"
        "合事業を見直し、充実化を図れるように支援）、②保険者機能強化支援事業（地域の高齢化率や将来人口"
        "の推移等を踏まえ、地域支援事業の各事業の効果検証を行うとともに、地域にふさわしい地域支援事業の"
        "全体像を関係者と作れるよう支援）により、市町村担当者向けセミナー等の実施に加え、例年1～2市町村"
        "程度を対象に地域課題解決に向けた伴走型個別支援を実施している。",
        "source": _KAGOSHIMA_1,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "selection",
        "order": 1,
        "text": "これら事業による伴走型個別支援は、令和4年度に出水市及び鹿児島市、5年度に出水市、日置市及び"
        "南大隅町、6年度に徳之島町を対象に実施している。",
        "source": _KAGOSHIMA_1,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "follow_up",
        "order": 1,
        "text": "厚生労働省の地域づくり加速化事業による伴走的支援は単年度の支援であることから、鹿児島県では、"
        "前述の事業を通じてその後のフォローアップなども行っている。令和4年度に地域づくり加速化事業の伴"
        "走的支援を受けた出水市には、当該支援を担当したアドバイザーについて、5年度のかごしま介護予防"
        "（総合事業）推進事業を活用してアドバイザーとして同市へ再度派遣し、同市の取組に関する進捗状況の"
        "確認や課題へのアドバイスを行ってもらうなど、地域づくり加速化事業終了後においても、県の事業によ"
        "り継続的に支援を行っている。",
        "source": _KAGOSHIMA_1,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "assessment",
        "order": 1,
        "text": "鹿児島県では、市町村における総合事業等の実施を通じた地域づくりは息の長い取組であり、伴走型個"
        "別支援の成果が出るには時間がかかることから、継続的に状況を確認し支援する必要があるとしている。",
        "source": _KAGOSHIMA_1,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "attention",
        "order": 1,
        "text": "鹿児島県では、市町村における総合事業等の実施を通じた地域づくりを進める上での留意点として、"
        "以下を挙げている。",
        "source": _KAGOSHIMA_2,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "attention",
        "order": 2,
        "text": "市町村の実情に応じたきめ細かい支援が必要であるとともに、地域支援事業の連動性や高齢者の生活を"
        "一体的に支える部局横断的な庁内連携を踏まえた、高齢者を支える仕組みが必要である。",
        "source": _KAGOSHIMA_2,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "attention",
        "order": 3,
        "text": "また、地域づくりは息の長い取組であり、多様な主体が地域づくりに参加し、PDCAを意識した継続的な"
        "支援が必要である。",
        "source": _KAGOSHIMA_2,
    },
    {
        "prefecture": KAGOSHIMA_PREF,
        "topic": "attention",
        "order": 4,
        "text": "なお、現在、市町村は、総合事業の充実に向けたサービス・活動事業等の見直しを求められているが、"
        "市町村において事業を見直すノウハウが乏しい中、既存の事業の見直しを図ることで財源がなくなる（地"
        "域支援事業交付金の交付対象から外れる）のではないか、といったネガティブな発想を持っているところ"
        "もある。市町村における総合事業の充実に向けては、セミナー等での情報提供（好事例の紹介など）とい"
        "った支援に加えて、個々の市町村との対話を通じたそれぞれの実情に応じた支援が必要である。",
        "source": _KAGOSHIMA_2,
    },
]

# The report prints no amounts for any municipality's 総合事業費, 上限額 or 交付金. To show the
# money page and its "what if", 出水市 gets one 令和6年度 of invented figures, marked synthetic.
SYNTHETIC_SOURCE = "デモ用の架空の値（報告書に金額の記載はない）"
MONEY_MUNICIPALITY = IZUMI
MONEY_YEAR = 2024
SYNTHETIC_COSTS = {
    "home_equivalent": 48_000_000,
    "home_a": 12_000_000,
    "day_equivalent": 96_000_000,
    "day_a": 20_000_000,
    "day_c": 6_000_000,
    "general_prevention": 30_000_000,
}
SYNTHETIC_CAP = {
    "kind": "basic",
    "amount": 205_000_000,
    "basis": "デモ用の架空の値。基本の上限額として市が算定した額を入力した想定（算定式はここでは扱わない）。",
    "individual_consultation": True,
    "consultation_amount": 10_000_000,
}
SYNTHETIC_GRANT = {"program": "介護予防・日常生活支援総合事業", "amount": 150_000_000}
# Key persons of 採銅所's 準備会: the report names none; six invented rows show the balance check.
SYNTHETIC_KEY_PERSONS = [
    ("採銅所 東区", "60s", "man", "自治会"),
    ("採銅所 西区", "70_plus", "woman", "民生委員"),
    ("採銅所 中区", "40s_50s", "woman", "PTA"),
    ("採銅所 東区", "under_40", "man", "消防団"),
    ("採銅所 西区", "60s", "woman", "サロン"),
    ("採銅所 中区", "70_plus", "man", "老人クラブ"),
]
