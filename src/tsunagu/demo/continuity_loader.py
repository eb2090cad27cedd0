"""Demo stewardship and a planned handover in 鹿児島市 (issue 16, part 1).

The report's case (事例表№3 鹿児島市 1(2)): the planned mobility model area was dropped when
the 地域包括 staff member was transferred (時期は報告書に記載なし). Here the synthetic account
``kagoshima-anshin`` stewards the model-area issue and the relationships it rested on, and
a handover for their transfer on the coming 4月1日 is in draft with no successor named yet —
what it would orphan is on the handover page. The dates of the stewardships (the load day)
and of the transfer (the next 4月1日) are the demo's, not the report's.

Part 2 adds the 自治会長 relationship the report names — 「鹿児島市では、地域連携などの現場に
おいては自治会長とのコミュニケーションなども含めて属人的なネットワークで物事を進めることがあ
り、中心人物の異動や事情の変化等で携わることができなくなって取組が進展しないこともある」
(事例表№3 鹿児島市 1(2)) — as a clearly synthetic 自治会 (the demo directory has none; its name
says デモ and 架空), stewarded by the leaver alone and reached only by the leaver in the contact
log (dates: the demo's, inferred, not the report's). The dependency report and the transfer-
season view (``/continuity/dependency/``) therefore list the model-area issue and the 自治会
as what the transfer would orphan.

Idempotent: a record that already has a steward, or a leaver who already has a handover,
is left as it is. Part 2 (timeline, dependency report, the completed second state) builds
on ``continuity.models`` (Stewardship, Interaction, Handover, HandoverItem) and the
``stewarded_kinds`` registry (``continuity/registry.py``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from tsunagu.areas.models import Municipality
from tsunagu.continuity.handover.services import handover_start
from tsunagu.continuity.models import Handover, Stewardship
from tsunagu.continuity.stewardship.services import stewardship_assign
from tsunagu.directory.models import Organisation

KAGOSHIMA = "462012"
LEAVER = "kagoshima-anshin"
SUCCESSOR = "kagoshima-anshin-successor"
MODEL_AREA_ISSUE = "モデル地域での移動支援の取組（ニーズ調査を行う意向のあった地域包括の担当地域）"
# The relationships the model-area work rested on (organisations of the demo directory).
RELATIONSHIPS = ("長寿あんしん相談センター", "吉野校区コミュニティ協議会")
# Synthetic: the report names 自治会長 but no association; the demo directory has none.
ASSOCIATION = "デモ 吉野第一自治会（架空）"
REPORT_QUOTE = (
    "鹿児島市では、地域連携などの現場においては自治会長とのコミュニケーションなども含めて属人的な"
    "ネットワークで物事を進めることがあり、中心人物の異動や事情の変化等で携わることができなくなって"
    "取組が進展しないこともある（事例表№3 鹿児島市 1(2)）"
)


def _next_april_first(today: datetime.date) -> datetime.date:
    year = today.year if today < datetime.date(today.year, 4, 1) else today.year + 1
    return datetime.date(year, 4, 1)


def _steward(obj: Any, *, steward: Any, deputies: list[Any], actor: Any, summary: Any) -> None:
    if obj is None:
        return
    if Stewardship.objects.of(obj).exists():
        summary.count("unchanged")
        return
    stewardship_assign(obj=obj, steward=steward, deputies=deputies, actor=actor)
    summary.count("created")


def _association(municipality: Any, *, actor: Any, summary: Any) -> Any:
    from tsunagu.directory.services import OrganisationFields, organisation_create

    existing = Organisation.objects.filter(municipality=municipality, name=ASSOCIATION).first()
    if existing is not None:
        summary.count("unchanged")
        return existing
    summary.count("created")
    return organisation_create(
        fields=OrganisationFields(
            municipality=municipality,
            name=ASSOCIATION,
            org_type="neighbourhood_association",
            description="（デモ・架空の団体）モデル地域の自治会。" + REPORT_QUOTE,
            source="デモ用の架空データ（報告書 事例表№3 鹿児島市 1(2) の記述をもとに作成）",
        ),
        actor=actor,
    )


def _leaver_contacts(
    association: Any, issue: Any, *, leaver: Any, actor: Any, summary: Any
) -> None:
    """Two visits to the 自治会長, by the leaver only (demo dates, a month and two ago)."""
    from tsunagu.continuity.contacts.services import interaction_record
    from tsunagu.continuity.models import Interaction

    if Interaction.objects.filter(organisations=association).exists():
        summary.count("unchanged")
        return
    today = timezone.localdate()
    for days_ago, text in (
        (60, "（デモ）自治会長とモデル地域での移動支援のニーズ調査について相談。"),
        (30, "（デモ）自治会長と調査票の配り方を相談。次回は班長会で説明の予定。"),
    ):
        interaction_record(
            municipality=association.municipality,
            occurred_on=today - datetime.timedelta(days=days_ago),
            channel="visit",
            summary=text,
            their_side_text="自治会長（デモ）",
            our_side=[leaver],
            organisations=[association],
            subject=issue,
            actor=actor,
        )
    summary.count("created")


def load_continuity(actor: Any, summary: Any) -> None:
    from tsunagu.regional_issues.models import RegionalIssue

    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[LEAVER, SUCCESSOR, "kagoshima-sc", "kagoshima"]
        )
    }
    leaver, coordinator = users[LEAVER], users["kagoshima-sc"]
    municipality = Municipality.objects.get(code=KAGOSHIMA)
    issue = RegionalIssue.objects.filter(municipality=municipality, title=MODEL_AREA_ISSUE).first()
    _steward(issue, steward=leaver, deputies=[], actor=actor, summary=summary)
    for name in RELATIONSHIPS:
        organisation = Organisation.objects.filter(municipality=municipality, name=name).first()
        _steward(organisation, steward=leaver, deputies=[], actor=actor, summary=summary)
    association = _association(municipality, actor=actor, summary=summary)
    _steward(association, steward=leaver, deputies=[], actor=actor, summary=summary)
    _leaver_contacts(association, issue, leaver=leaver, actor=actor, summary=summary)
    # A record with a deputy, so one item of the handover is not only the leaver's.
    miya = Organisation.objects.filter(municipality=municipality, name="宮たすけ隊").first()
    _steward(miya, steward=coordinator, deputies=[leaver], actor=actor, summary=summary)
    if Handover.objects.filter(leaver=leaver).exists():
        summary.count("unchanged")
        return
    handover_start(
        leaver=leaver,
        municipality=municipality,
        effective_on=_next_april_first(timezone.localdate()),
        reason="transfer",
        note=(
            "（デモ）4月1日付の異動。モデル地域の移動支援の取組と、その取組を支える関係の後任が"
            "まだ決まっていません。"
        ),
        actor=actor,
    )
    summary.count("created")


AFTER_HANDOVER_NOTE = (
    "（デモ・比較用の第2の状態）後任が担当を引き継ぎました。モデル地域の移動支援の取組は、"
    "自治会長との関係も含めて後任が続けます。"
)


def complete_demo_handover(actor: Any) -> Handover:
    """The second state of the 鹿児島市 transfer, for comparison: the supervisor names
    ``kagoshima-anshin-successor`` for every item and completes the handover, so the
    successor's 「わたしの担当」 lists what changed hands and the leaver's membership ends the
    day before the effective date. Idempotent: a completed handover is returned as it is.

    The successor, the notes and the completion are the demo's (inferred), not the report's:
    the report says only that the work stalled when the staff member was transferred.
    """
    from tsunagu.continuity.handover.services import handover_complete, handover_item_assign
    from tsunagu.continuity.models import HandoverStatus

    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[LEAVER, SUCCESSOR, "kagoshima"])
    }
    leaver, successor, supervisor = users[LEAVER], users[SUCCESSOR], users["kagoshima"]
    done = Handover.objects.filter(leaver=leaver, status=HandoverStatus.COMPLETED).first()
    if done is not None:
        return done
    handover = Handover.objects.filter(leaver=leaver, status=HandoverStatus.DRAFT).first()
    if handover is None:
        from tsunagu.core.errors import TsunaguError

        raise TsunaguError(
            "鹿児島市の準備中の引継ぎがありません。先に `tsunagu load-demo` を実行してください。"
        )
    for item in handover.items.all():
        handover_item_assign(
            item=item, successor=successor, actor=supervisor, note=AFTER_HANDOVER_NOTE
        )
    return handover_complete(handover=handover, actor=supervisor)
