"""Requirement checks for certifying resident-led bodies (automatic where the data allows)."""

from __future__ import annotations

import unicodedata
from typing import Any

from tsunagu.directory.models import OrganisationType

# Organisation types that count as resident organisations (住民組織).
RESIDENT_ORGANISATION_TYPES = {
    OrganisationType.COMMUNITY_COUNCIL,
    OrganisationType.NEIGHBOURHOOD_ASSOCIATION,
    OrganisationType.SENIOR_CLUB,
    OrganisationType.VOLUNTEER_GROUP,
    OrganisationType.WELFARE_COMMISSIONER,
}


def evaluate_requirements(body: Any, rules: Any) -> dict[str, dict[str, Any]]:
    """Each requirement of ``rules`` for ``body``: result pass / fail / manual, with a detail."""
    members = [m for m in body.members.select_related("organisation") if m.is_current]
    organisations = {m.organisation_id: m.organisation for m in members if m.organisation_id}
    review: dict[str, dict[str, Any]] = {}
    count = len(organisations)
    review["member_organisations"] = {
        "label": f"構成団体が{rules.min_member_organisations}以上",
        "result": "pass" if count >= rules.min_member_organisations else "fail",
        "detail": f"現在の構成団体: {count}",
        "automatic": True,
    }
    if rules.require_resident_organisation:
        residents = [
            o.name for o in organisations.values() if o.org_type in RESIDENT_ORGANISATION_TYPES
        ]
        review["resident_organisation"] = {
            "label": "住民組織を1つ以上含む",
            "result": "pass" if residents else "fail",
            "detail": "、".join(residents) or "住民組織の構成団体がありません",
            "automatic": True,
        }
    if rules.require_mutual_support_purpose:
        purpose = unicodedata.normalize("NFKC", body.purpose or "")
        keywords = [
            k.strip()
            for k in unicodedata.normalize("NFKC", rules.purpose_keywords).split(",")
            if k.strip()
        ]
        hit = [k for k in keywords if k in purpose]
        review["mutual_support_purpose"] = {
            "label": "高齢者の支えあいを目的に掲げている",
            "result": "pass" if hit else ("manual" if purpose else "fail"),
            "detail": f"目的に「{'」「'.join(hit)}」を含む"
            if hit
            else ("目的の記載を確認してください" if purpose else "目的が未記入です"),
            "automatic": bool(hit) or not purpose,
        }
    if rules.require_supporting_coordinator:
        review["supporting_coordinator"] = {
            "label": "支援する生活支援コーディネーターがいる",
            "result": "pass" if body.coordinator_id else "fail",
            "detail": str(body.coordinator) if body.coordinator_id else "担当SCが未設定です",
            "automatic": True,
        }
    return review
