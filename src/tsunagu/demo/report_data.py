"""Places and figures of the seed report, as pure data for the demo dataset.

Source: 「介護予防・日常生活支援総合事業等の実施を通じた地域の多様な主体との連携の推進に
関する情報収集結果」（令和7年7月 九州管区行政評価局）, stored as ``seed/report.txt``.

Use this module when building the demo: it only holds data, no behaviour.

Conventions
-----------
* Every figure is loaded exactly as printed. Nothing is corrected, recomputed or
  rounded. ``reported_aging_rate`` is the printed string without the ``％`` sign.
* Where the report disagrees with itself, both versions are kept as separate
  snapshots, each with its own ``source``. The same figure printed in two places
  (the body text 《…》 line and the 事例表 basic information block) is also two
  snapshots, so duplicates and disagreements between sources stay visible.
  Known disagreement: 鹿児島市's population is 591,607 in the body text
  (II 1 ②) and 591,067 in 事例表№3.
* ``source`` says, in Japanese, where the figure or place is in the report: the
  case-sheet number and section for a 事例表, otherwise the part of the report
  (e.g. "事例表№3 鹿児島市 基本情報", "II 情報収集結果 1 ②《鹿児島市》 本文"). Users read it:
  no file names or line numbers (the text file's lines are not the printed report's).
* ``as_of`` is an ISO date. For a printed day it is that day ("day"). When only a
  calendar year is printed (e.g. 平成29年) it is January 1 of that year, and for a
  fiscal year (年度) April 1, both with ``as_of_precision`` "year".
  ``as_of_text`` is the date exactly as printed, including the report's spaces
  (e.g. "令和 6年 10月 1日時点"); normalise whitespace before comparing.
* A figure the report does not print is ``None``. Sub-area statistics are only
  given where the report prints them (it prints none).
* 高齢者人口 / 高齢者数 (65歳以上) is loaded as ``population_65_plus``.
* Places the report counts but does not name (鹿児島市's 17 日常生活圏域, 出水市's
  five 日常生活圏域) get generic names "第1圏域" … with a source saying so.
* 福岡県 has no 事例表 and the report prints no figures for it: it is listed in
  PREFECTURES but has no STATISTICS entry.

Shapes
------
PREFECTURES:      {"code", "name", "name_kana", "name_en"}
MUNICIPALITIES:   {"code", "prefecture", "name", "name_kana", "name_en"}
DAILY_LIFE_AREAS: {"municipality", "name", "name_kana", "source"}
DISTRICTS:        {"municipality", "name", "kind", "daily_life_area", "note", "source"}
                  kind: "community_council" | "school_district" | "other";
                  daily_life_area: None or the name of a DAILY_LIFE_AREAS entry of
                  the same municipality (the report never says which 圏域 a
                  district belongs to, so it is always None here).
STATISTICS:       {"area", "as_of", "as_of_precision", "as_of_text",
                   "total_population", "population_65_plus", "population_75_plus",
                   "support_required", "care_required", "certified_total",
                   "program_eligible", "reported_aging_rate", "source"}
                  area: ("prefecture" | "municipality", code) or
                        ("daily_life_area" | "district", (municipality_code, name)).
"""

from __future__ import annotations

from typing import Any

# ---------------------------------------------------------------------------
# Prefectures and municipalities (全国地方公共団体コード, 6 digits incl. check digit)
# ---------------------------------------------------------------------------

PREFECTURES: list[dict[str, Any]] = [
    {"code": "400009", "name": "福岡県", "name_kana": "ふくおかけん", "name_en": "Fukuoka"},
    {"code": "440001", "name": "大分県", "name_kana": "おおいたけん", "name_en": "Oita"},
    {"code": "460001", "name": "鹿児島県", "name_kana": "かごしまけん", "name_en": "Kagoshima"},
]

MUNICIPALITIES: list[dict[str, Any]] = [
    {
        "code": "406015",
        "prefecture": "400009",
        "name": "香春町",
        "name_kana": "かわらまち",
        "name_en": "Kawara",
    },
    {
        "code": "402036",
        "prefecture": "400009",
        "name": "久留米市",
        "name_kana": "くるめし",
        "name_en": "Kurume",
    },
    {
        "code": "442054",
        "prefecture": "440001",
        "name": "佐伯市",
        "name_kana": "さいきし",
        "name_en": "Saiki",
    },
    {
        "code": "462012",
        "prefecture": "460001",
        "name": "鹿児島市",
        "name_kana": "かごしまし",
        "name_en": "Kagoshima",
    },
    # 鹿児島市: the body prints 591,607 (407行), 事例表№3 prints 591,067 (1309行).
    {
        "code": "462080",
        "prefecture": "460001",
        "name": "出水市",
        "name_kana": "いずみし",
        "name_en": "Izumi",
    },  # Municipalities the report names only as participants of the prefectures' support
    # programs (大分県: 令和5年度から竹田市, 6年度から別府市・由布市; 鹿児島県: 令和5年度 日置市・
    # 南大隅町, 6年度 徳之島町; report.txt II 2, 事例表№6–7). No figures, no case sheet.
    {
        "code": "442089",
        "prefecture": "440001",
        "name": "竹田市",
        "name_kana": "たけたし",
        "name_en": "Taketa",
    },
    {
        "code": "442020",
        "prefecture": "440001",
        "name": "別府市",
        "name_kana": "べっぷし",
        "name_en": "Beppu",
    },
    {
        "code": "442135",
        "prefecture": "440001",
        "name": "由布市",
        "name_kana": "ゆふし",
        "name_en": "Yufu",
    },
    {
        "code": "462161",
        "prefecture": "460001",
        "name": "日置市",
        "name_kana": "ひおきし",
        "name_en": "Hioki",
    },
    {
        "code": "464911",
        "prefecture": "460001",
        "name": "南大隅町",
        "name_kana": "みなみおおすみちょう",
        "name_en": "Minamiosumi",
    },
    {
        "code": "465305",
        "prefecture": "460001",
        "name": "徳之島町",
        "name_kana": "とくのしまちょう",
        "name_en": "Tokunoshima",
    },
]

# ---------------------------------------------------------------------------
# Daily-life areas (日常生活圏域)
# ---------------------------------------------------------------------------

_KAGOSHIMA_AREAS_SRC = (
    "汎用名（報告書に圏域名の記載なし。圏域数17のみ記載）: "
    "II 情報収集結果 1 ②《鹿児島市》 本文「既存の 17日常生活圏域」・"
    "「17 日常生活圏域ごとの地域ケア推進会議」; "
    "事例表№3 鹿児島市 1(1) 伴走的支援を受けた理由「17日常生活圏域ごとに」"
)

_IZUMI_AREAS_SRC = (
    "汎用名（報告書に圏域名の記載なし。圏域数5のみ記載）: "
    "事例表№5 出水市 1(2) 伴走的支援を受けた取組の経緯等「五つの日常生活圏域の住民代表」"
)

DAILY_LIFE_AREAS: list[dict[str, Any]] = [
    {"municipality": "462012", "name": "第1圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第2圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第3圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第4圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第5圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第6圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第7圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第8圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第9圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第10圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第11圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第12圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第13圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第14圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第15圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第16圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462012", "name": "第17圏域", "name_kana": "", "source": _KAGOSHIMA_AREAS_SRC},
    {"municipality": "462080", "name": "第1圏域", "name_kana": "", "source": _IZUMI_AREAS_SRC},
    {"municipality": "462080", "name": "第2圏域", "name_kana": "", "source": _IZUMI_AREAS_SRC},
    {"municipality": "462080", "name": "第3圏域", "name_kana": "", "source": _IZUMI_AREAS_SRC},
    {"municipality": "462080", "name": "第4圏域", "name_kana": "", "source": _IZUMI_AREAS_SRC},
    {"municipality": "462080", "name": "第5圏域", "name_kana": "", "source": _IZUMI_AREAS_SRC},
]

# ---------------------------------------------------------------------------
# Districts (地区・校区・地域)
# ---------------------------------------------------------------------------

DISTRICTS: list[dict[str, Any]] = [
    {
        "municipality": "406015",
        "name": "採銅所地域",
        "kind": "community_council",
        "daily_life_area": None,
        "note": (
            "町内四つの旧小学校区の一つ。令和4年1月に採銅所地域コミュニティ協議会が設立され、"
            "地域づくり計画「採銅所地域づくり夢プラン」（令和4年度から13年度までの10年間）に"
            "基づき六つの部会が活動"
        ),
        "source": (
            "II 情報収集結果 1 ①《香春町》 本文; "
            "事例表№1 香春町 1(2) 伴走的支援を受けた取組の経緯等; "
            "事例表№1 香春町 3(2)「採銅所地域を含む 2地域でコミュニティ協議会として活動を開始」"
        ),
    },
    {
        "municipality": "442054",
        "name": "直川地域",
        "kind": "community_council",
        "daily_life_area": None,
        "note": (
            "直川地域コミュニティ協議会（愛称「直川の未来をサポートする会（ミラサポ）」）が"
            "令和5年3月に「直川地域まちづくり計画」を策定し、移動支援の創設に取り組む。"
            "公共交通事業者の空白地域"
        ),
        "source": (
            "II 情報収集結果 1 ①《佐伯市》 本文; "
            "事例表№2 佐伯市 2(1) 地域コミュニティ協議会による地域まちづくり計画の策定 "
            "; 事例表№2 佐伯市 3"
        ),
    },
    {
        "municipality": "442054",
        "name": "弥生地域",
        "kind": "other",
        "daily_life_area": None,
        "note": (
            "社会福祉法人の地域貢献事業（法人車両の空き時間で高齢者の移動支援）として、"
            "総合事業に当たらない「互助」の取組を本稼働"
        ),
        "source": (
            "II 情報収集結果 1 ①《佐伯市》 本文; "
            "事例表№2 佐伯市 1(2) 伴走的支援を受けた取組の経緯等; "
            "事例表№2 佐伯市 2(2) 伴走的支援後の取組; "
            "事例表№6 大分県 1"
        ),
    },
    {
        "municipality": "462012",
        "name": "吉野校区",
        "kind": "school_district",
        "daily_life_area": None,
        "note": (
            "吉野校区コミュニティ協議会が、市が認定した「吉野地域支えあい座談会」"
            "（第2層協議体、令和7年1月認定、自動車学校など6団体で構成）に参加"
        ),
        "source": (
            "II 情報収集結果 1 ②《鹿児島市》 本文; "
            "事例表№3 鹿児島市 2(2) 地域支えあい出前講座、地域支えあい座談会（第 2層協議体）"
        ),
    },
    {
        "municipality": "462012",
        "name": "郡山地域",
        "kind": "other",
        "daily_life_area": None,
        "note": (
            "地域ケア分科会議（日常生活圏域よりも小さい中学校区域等の範囲）で移動支援を"
            "テーマに設定し、民生委員、自治会長と意見交換"
        ),
        "source": "事例表№3 鹿児島市 2(1) 地域ケア分科会議の開催",
    },
]

# ---------------------------------------------------------------------------
# Statistics snapshots
# ---------------------------------------------------------------------------

STATISTICS: list[dict[str, Any]] = [
    # --- prefectures: 事例表№6, №7 (福岡県 has no 事例表 and no figures) ---
    {
        "area": ("prefecture", "440001"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 1085198,
        "population_65_plus": 373743,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "34.4",
        "source": "事例表№6 大分県 基本情報（○ 大分県の概要）",
    },
    # Printed 高齢化率 34.4 while 511,538 / 1,531,712 = 33.4 %: kept as printed.
    {
        "area": ("prefecture", "460001"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 1531712,
        "population_65_plus": 511538,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "34.4",
        "source": "事例表№7 鹿児島県 基本情報（○ 鹿児島県の概要）",
    },
    # --- municipalities: body text 《…》 line and 事例表 basic information ---
    {
        "area": ("municipality", "406015"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 9995,
        "population_65_plus": 4272,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "42.7",
        "source": "II 情報収集結果 1 ①《香春町》 本文",
    },
    {
        "area": ("municipality", "406015"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 9995,
        "population_65_plus": 4272,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "42.7",
        "source": "事例表№1 香春町 基本情報（〇 香春町の概要）",
    },
    {
        "area": ("municipality", "442054"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 61806,
        "population_65_plus": 26814,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "43.4",
        "source": "II 情報収集結果 1 ①《佐伯市》 本文",
    },
    {
        "area": ("municipality", "442054"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 61806,
        "population_65_plus": 26814,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "43.4",
        "source": "事例表№2 佐伯市 基本情報（○ 佐伯市の概要）",
    },
    {
        "area": ("municipality", "462012"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6 年 10 月 1 日時点",
        "total_population": 591607,
        "population_65_plus": 172074,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "29.1",
        "source": "II 情報収集結果 1 ②《鹿児島市》 本文",
    },
    {
        "area": ("municipality", "462012"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 591067,
        "population_65_plus": 172074,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "29.1",
        "source": "事例表№3 鹿児島市 基本情報（○ 鹿児島市の概要）",
    },
    {
        "area": ("municipality", "402036"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 300242,
        "population_65_plus": 84563,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "28.2",
        "source": "II 情報収集結果 1 ③《久留米市》 本文",
    },
    {
        "area": ("municipality", "402036"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 300242,
        "population_65_plus": 84563,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "28.2",
        "source": "事例表№4 久留米市 基本情報（○ 久留米市の概要）",
    },
    # 出水市: printed 高齢化率 35.3 while 17,569 / 50,402 = 34.9 % (both places).
    {
        "area": ("municipality", "462080"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 50402,
        "population_65_plus": 17569,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "35.3",
        "source": "II 情報収集結果 1 ③《出水市》 本文",
    },
    {
        "area": ("municipality", "462080"),
        "as_of": "2024-10-01",
        "as_of_precision": "day",
        "as_of_text": "令和 6年 10月 1日時点",
        "total_population": 50402,
        "population_65_plus": 17569,
        "population_75_plus": None,
        "support_required": None,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": "35.3",
        "source": "事例表№5 出水市 基本情報（○ 出水市の概要）",
    },
    # 「総合事業の事業対象者である 65 歳以上の高齢者数（平成 29 年（総合事業開始年）
    # 16,581 人→令和 3年 17,426 人）、要支援者数（平成 29年 520人→令和 3年 680人）」:
    # the 65+ headcount, not 事業対象者 in the checklist sense, so population_65_plus.
    {
        "area": ("municipality", "462080"),
        "as_of": "2017-01-01",
        "as_of_precision": "year",
        "as_of_text": "平成 29 年",
        "total_population": None,
        "population_65_plus": 16581,
        "population_75_plus": None,
        "support_required": 520,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": None,
        "source": "事例表№5 出水市 1(1) 伴走的支援を受けた理由",
    },
    {
        "area": ("municipality", "462080"),
        "as_of": "2021-01-01",
        "as_of_precision": "year",
        "as_of_text": "令和 3年",
        "total_population": None,
        "population_65_plus": 17426,
        "population_75_plus": None,
        "support_required": 680,
        "care_required": None,
        "certified_total": None,
        "program_eligible": None,
        "reported_aging_rate": None,
        "source": "事例表№5 出水市 1(1) 伴走的支援を受けた理由",
    },
]
