"""Organisations, people and resources the seed report names, as pure data.

Conventions as in report_data.py: only what the report says, each with its source; no
invented addresses or phone numbers. Shapes:

ORGANISATIONS: {"key", "municipality" (code) | None, "prefecture" (code) | None, "name",
                "name_kana", "org_type", "parent" (key) | None, "description", "strengths",
                "problems", "districts": [district names], "visibility", "source"}
RESOURCES:     {"key", "provider" (organisation key), "name", "category" (taxonomy code),
                "description", "eligibility": [codes], "districts": [names],
                "serves_whole_municipality", "funding_basis", "sogo_service_type",
                "visibility", "sessions": [ISO dates], "website", "source"}
"""

from __future__ import annotations

from typing import Any

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "key": "kawara-town",
        "municipality": "406015",
        "prefecture": None,
        "name": "香春町",
        "name_kana": "かわらまち",
        "org_type": "department",
        "parent": None,
        "description": "町役場（部署の上位組織）",
        "strengths": "",
        "problems": "",
        "districts": [],
        "visibility": "public",
        "source": "II 情報収集結果 《香春町》",
    },
    {
        "key": "kawara-hoken-kenko",
        "municipality": "406015",
        "prefecture": None,
        "name": "保険健康課",
        "name_kana": "ほけんけんこうか",
        "org_type": "department",
        "parent": "kawara-town",
        "description": "高齢者福祉・介護保険を担当。緊急通報装置の貸与や見守り活動を実施。",
        "strengths": "",
        "problems": "",
        "districts": [],
        "visibility": "public",
        "source": "事例表№1 香春町",
    },
    {
        "key": "saidosho-council",
        "municipality": "406015",
        "prefecture": None,
        "name": "採銅所地域コミュニティ協議会",
        "name_kana": "さいどうしょちいきこみゅにてぃきょうぎかい",
        "org_type": "community_council",
        "parent": None,
        "description": "採銅所地域の地域コミュニティ協議会。",
        "strengths": "",
        "problems": "町が一人暮らし高齢者に緊急通報装置を貸与していることや見守り活動を知らなかった。",
        "districts": ["採銅所地域"],
        "visibility": "public",
        "source": "事例表№1 香春町",
    },
]

RESOURCES: list[dict[str, Any]] = [
    {
        "key": "kawara-emergency-alarm",
        "provider": "kawara-hoken-kenko",
        "name": "緊急通報装置の貸与",
        "category": "emergency-alarm",
        "description": "一人暮らしの高齢者などに緊急通報装置を貸与する。",
        "eligibility": ["living-alone", "age-65"],
        "districts": [],
        "serves_whole_municipality": True,
        "funding_basis": "public_service",
        "sogo_service_type": "",
        "visibility": "public",
        "sessions": [],
        "website": "",
        "source": "事例表№1 香春町",
    },
]
