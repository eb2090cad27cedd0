"""Program instances of the 総合事業 the seed report names, as pure data (each with its source).

Only what the report says: the type, who runs it, whether it runs or is planned, and what it
does. The report gives no participant numbers, prices, capacities or schedules, so those stay
empty; the few participant counts below exist only so the report page has something to show,
are marked synthetic (``is_synthetic``) and say so in their note.
"""

from __future__ import annotations

from typing import Any

KAWARA = "406015"
KURUME = "402036"
KAGOSHIMA = "462012"
IZUMI = "462080"

SYNTHETIC_NOTE = "架空の数値（デモ用）。報告書に利用者数の記載はありません。"

INSTANCES: list[dict[str, Any]] = [
    {
        "municipality": KAGOSHIMA,
        "name": "支えあい活動団体による訪問型サービス・活動B（買い物・通院の外出同行）",
        "service_type": "home_b",
        "provider": "宮たすけ隊",
        "resource": "買い物の送迎・付き添い",
        "status": "running",
        "description": (
            "支えあい活動補助金を受けた支えあい活動団体が、総合事業の訪問型サービス・活動B（住民"
            "主体によるサービス・活動）として1回30分以上の生活援助を行う。宮たすけ隊は活動の8割が"
            "買物や通院の外出同行（活動員の自家用車で送り、店内・病院内でも付き添う）。"
            "令和7年6月現在、市内で17団体が活動。"
        ),
        "funding": "subsidy",
        "funding_note": "支えあい活動補助金",
        "source": "事例表№3 鹿児島市 2(3) 支えあい活動補助金",
        "counts": [
            {
                "period_start": "2024-04-01",
                "period_end": "2025-03-31",
                "support_1": 5,
                "support_2": 4,
                "program_eligible": 3,
                "other": 2,
            }
        ],
    },
    {
        "municipality": KAWARA,
        "name": "住民主体による日常生活支援（サービスB：ゴミ出し・見守り）",
        "service_type": "home_b",
        "provider": "保険健康課",
        "resource": "住民主体による日常生活支援（サービスB）",
        "status": "planned",
        "description": (
            "ゴミ出し等の軽度の介護サービスを求めて要介護（要支援）認定を申請する高齢者が増えて"
            "いることから、住民主体による高齢者への日常生活支援（見守り活動、ゴミ出し支援など）を"
            "行うサービスBの構築に取り組む（伴走的支援を受けて決定）。計画中で、実施主体・内容は未定。"
        ),
        "funding": "",
        "source": "事例表№1 香春町 1(1), 1(2); II 1 ①《香春町》",
        "counts": [],
    },
    {
        "municipality": KURUME,
        "name": "通所型サービスC モデル事業（検討中）",
        "service_type": "day_c",
        "provider": "久留米市",
        "resource": "通所型サービスC モデル事業（検討中）",
        "status": "planned",
        "description": (
            "生活のしづらさが出てき始めた高齢者に、3月以上6月以下の期間を定めて専門職が集中して"
            "関わる通所型サービスCの見直し。支援対象者像の決定とモデル事業の仕様検討・作成を"
            "進める。卒業後の受皿づくりも見据える。"
        ),
        "funding": "",
        "source": "事例表№4 久留米市 1(2); 2",
        "counts": [],
    },
    {
        "municipality": IZUMI,
        "name": "通所型サービスC（短期集中予防サービス）",
        "service_type": "day_c",
        "provider": "通所型サービスC指定事業所（仮）",
        "resource": "通所型サービスC",
        "status": "running",
        "description": (
            "指定事業所による通所型サービスC。出水市は伴走的支援を受けて見直しと支援卒業後の受皿"
            "（居場所）づくりに取り組む。事業所の名称は報告書に記載がないため（仮）。"
        ),
        "funding": "",
        "source": "事例表№5 出水市 1(2); 2",
        "counts": [
            {
                "period_start": "2024-04-01",
                "period_end": "2025-03-31",
                "support_1": 3,
                "support_2": 2,
                "program_eligible": 4,
                "other": 0,
            }
        ],
    },
]
