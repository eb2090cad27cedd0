"""One registry of the kinds of write (action kinds) that the change history (履歴) records.

Every service write names its kind by a stable code (``"directory.resource.create"``) and may
add a free note; :mod:`tsunagu.core.history` stores ``"<code>"`` or ``"<code>: <note>"`` as the
historical row's reason. Stored codes, not sentences, so that the 履歴 page shows the label in
the reader's language and can be filtered by kind. Reasons written before this registry (plain
Japanese sentences) are still shown as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# simple-history's history_change_reason column (CharField(max_length=100)).
REASON_MAX = 100
_CODE = re.compile(r"^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*){2,})(?:: (.*))?$", re.DOTALL)


@dataclass(frozen=True)
class ActionKind:
    code: str
    label: str | Promise
    # How a note reads with the label when "label: note" would not ("…（%(note)s）").
    pattern: str | Promise | None = None

    def __str__(self) -> str:
        return str(self.label)


_KINDS: dict[str, ActionKind] = {}


def register(code: str, label: str | Promise, pattern: str | Promise | None = None) -> ActionKind:
    if not _CODE.match(code):
        raise ValueError(f"action codes are app.object.verb in lower case: {code!r}")
    if code in _KINDS and str(_KINDS[code].label) != str(label):
        raise ValueError(f"action code registered twice: {code}")
    kind = _KINDS[code] = ActionKind(code, label, pattern)
    return kind


def get(code: str) -> ActionKind:
    """The kind of ``code``; an unknown code is a programming error."""
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unknown action kind {code!r}: register it in core/actions.py") from None


def all_kinds() -> list[ActionKind]:
    return list(_KINDS.values())


def reason_text(action: str, note: str = "") -> str:
    """What is stored as the historical row's reason (cut to the column's length)."""
    get(action)
    note = " ".join(str(note).split())
    return (f"{action}: {note}" if note else action)[:REASON_MAX]


def parse_reason(stored: str | None) -> tuple[ActionKind | None, str]:
    """``(kind, note)`` of a stored reason; ``(None, text)`` for an old free-text reason."""
    text = stored or ""
    match = _CODE.match(text)
    if match and match.group(1) in _KINDS:
        return _KINDS[match.group(1)], match.group(2) or ""
    return None, text


def display_reason(stored: str | None) -> str:
    """The reason as a reader sees it: the translated label, then the note."""
    kind, note = parse_reason(stored)
    if kind is None:
        return note
    if not note:
        return str(kind.label)
    if kind.pattern is not None:
        return str(kind.pattern) % {"note": note}
    return f"{kind.label}: {note}"


# --- the kinds, by app (labels are what the 履歴 page shows) ------------------------------------

for _code, _label in (
    # accounts
    ("accounts.membership.grant", _("役割を付与")),
    ("accounts.api_token.issue", _("API トークンを発行")),
    ("accounts.api_token.revoke", _("API トークンを失効")),
    # areas
    ("areas.prefecture.create", _("都道府県を登録")),
    ("areas.municipality.create", _("市町村を登録")),
    ("areas.municipality.correct_code", _("市町村コードを訂正")),
    ("areas.daily_life_area.create", _("日常生活圏域を登録")),
    ("areas.district.create", _("地区を登録")),
    ("areas.area.update", _("区域の情報を変更")),
    ("areas.statistics.create", _("統計を登録")),
    ("areas.statistics.update", _("統計を修正")),
    # directory
    ("directory.organisation.create", _("団体を登録")),
    ("directory.organisation.update", _("団体の情報を変更")),
    ("directory.organisation.verify", _("情報が最新であることを確認")),
    ("directory.person.create", _("連絡先を登録")),
    ("directory.person.update", _("連絡先を変更")),
    ("directory.role.add", _("団体での役割を追加")),
    ("directory.role.end", _("団体での役割を終了")),
    ("directory.location.create", _("場所を登録")),
    ("directory.location.update", _("場所を変更")),
    ("directory.resource.create", _("地域資源を登録")),
    ("directory.resource.update", _("地域資源を変更")),
    ("directory.resource.schedule_replace", _("日程を変更")),
    ("directory.resource.verify", _("情報が最新であることを確認")),
    ("directory.category.add", _("分類を追加")),
    # bodies
    ("bodies.body.create", _("会議体を登録")),
    ("bodies.body.update", _("会議体の情報を変更")),
    ("bodies.member.add", _("構成員を追加")),
    ("bodies.member.end", _("構成員の任期を終了")),
    ("bodies.meeting.create", _("会議を登録")),
    ("bodies.meeting.create_recurring", _("定例の会議を登録")),
    ("bodies.meeting.update", _("会議の記録を変更")),
    ("bodies.meeting.attendance_replace", _("出席者を記録")),
    ("bodies.meeting.attachment_add", _("添付ファイルを追加")),
    ("bodies.decision.add", _("決定事項を追加")),
    ("bodies.action_item.create", _("宿題を登録")),
    ("bodies.action_item.update", _("宿題を更新")),
    ("bodies.rules.save", _("認定要領を保存")),
    ("bodies.certification.apply", _("認定を申請")),
    ("bodies.certification.renew", _("更新を申請")),
    ("bodies.certification.review", _("要件を審査")),
    ("bodies.certification.send_back", _("差し戻し")),
    ("bodies.certification.certify", _("認定")),
    ("bodies.certification.supersede", _("更新により置き換え")),
    ("bodies.certification.resubmit", _("再申請")),
    ("bodies.certification.document_add", _("申請書類を追加")),
    # care (residents: 要配慮個人情報)
    ("care.resident.create", _("住民を登録")),
    ("care.resident.update", _("住民の情報を変更")),
    ("care.resident.close", _("住民の記録を終了")),
    ("care.resident.anonymise", _("保存期間を過ぎた記録を匿名化")),
    ("care.care_level.add", _("要介護度などを記録")),
    ("care.consent.give", _("同意を記録")),
    ("care.consent.withdraw", _("同意の撤回を記録")),
    # regional issues
    ("regional_issues.issue.create", _("地域課題を登録")),
    ("regional_issues.issue.update", _("地域課題を変更")),
    ("regional_issues.issue.stage_change", _("段階を変更")),
    ("regional_issues.issue.executing_add", _("実行主体を登録")),
    ("regional_issues.issue.idea_planned", _("採用したアイディアを計画に追加")),
    ("regional_issues.executing.add", _("実行主体を登録")),
    ("regional_issues.executing.end", _("実行主体の役割を終了")),
    ("regional_issues.idea.add", _("アイディアを追加")),
    ("regional_issues.idea.adopt", _("アイディアを採用")),
    # engagements
    ("engagements.program.create", _("支援事業を登録")),
    ("engagements.program.update", _("支援事業を変更")),
    ("engagements.program.partners_set", _("連携団体を設定")),
    ("engagements.program.partners_update", _("連携団体を変更")),
    ("engagements.selection.record", _("応募・採択を記録")),
    ("engagements.follow_up_settings.update", _("フォローアップ通知の設定を変更")),
    ("engagements.engagement.create", _("伴走的支援を登録")),
    ("engagements.engagement.update", _("伴走的支援を変更")),
    ("engagements.engagement.status_change", _("状態を変更")),
    ("engagements.engagement.visit_participants_replace", _("訪問の参加者を変更")),
    ("engagements.advisor.add", _("アドバイザーを追加")),
    ("engagements.advisor.remove", _("アドバイザーを外す")),
    ("engagements.visit.record", _("訪問を記録")),
    ("engagements.visit.update", _("訪問を変更")),
    ("engagements.insight.record", _("気づきを記録")),
    ("engagements.contact.record", _("連絡を記録")),
    ("engagements.roadmap.create", _("ロードマップを作成")),
    ("engagements.roadmap.update", _("ロードマップを変更")),
    ("engagements.milestone.add", _("ロードマップの項目を追加")),
    ("engagements.milestone.update", _("ロードマップの項目を変更")),
    ("engagements.follow_up.record", _("フォローアップを記録")),
    ("engagements.casesheet_settings.update", _("事例表の設定を変更")),
    # transit
    ("transit.feed.import", _("GTFS を取り込み")),
    ("transit.feed.reimport", _("GTFS を取り込み直し")),
    ("transit.feed.replace", _("同じ名前のデータを取り込み直したため置換")),
    ("transit.feed.delete", _("GTFS データを削除")),
    # mobility
    ("mobility.service.create", _("移動支援の取組を登録")),
    ("mobility.service.update", _("移動支援の取組を変更")),
    ("mobility.pilot.record", _("実証実験・講座を記録")),
    ("mobility.pilot.create", _("実証実験・講座を記録")),
    ("mobility.pilot.update", _("実証実験・講座の記録を変更")),
    ("mobility.driver.create", _("運転者を登録")),
    ("mobility.driver.update", _("運転者を変更")),
    ("mobility.driver.availability_replace", _("運転できる時間帯を変更")),
    ("mobility.driver_exception.create", _("運転できる時間帯の例外を登録")),
    ("mobility.driver_exception.delete", _("運転できる時間帯の例外を削除")),
    ("mobility.vehicle.create", _("車両を登録")),
    ("mobility.vehicle.update", _("車両を変更")),
    ("mobility.vehicle.idle_windows_replace", _("車両の空き時間を変更")),
    ("mobility.rider.create", _("利用会員を登録")),
    ("mobility.rider.update", _("利用会員を変更")),
    ("mobility.rider.link_resident", _("利用会員を介護予防の住民の記録と結び付け")),
    ("mobility.rider.unlink_resident", _("利用会員と住民の記録の結び付きを解除")),
    ("mobility.ride.receive", _("送迎の予約を受付")),
    ("mobility.ride.receive_return", _("送迎の予約（帰り）を受付")),
    ("mobility.ride.update", _("送迎の予約を変更")),
    ("mobility.ride.status_change", _("状況を変更")),
    ("mobility.ride.coexistence_check", _("公共交通との共存を確認")),
    ("mobility.ride.planned", _("配車計画で配車")),
    ("mobility.ride.not_planned", _("配車計画で配車できず")),
    ("mobility.ride.plan_manual_change", _("配車計画を手動で変更")),
    ("mobility.ride.unserved_at_confirm", _("配車計画の確定（不成立）")),
    ("mobility.plan.create", _("配車計画を作成")),
    ("mobility.plan.confirm", _("配車計画を確定")),
    ("mobility.plan.manual_change", _("配車計画を手動で変更")),
    ("mobility.plan.remove_ride", _("予約を配車計画から外す")),
    ("mobility.survey.create", _("ニーズ調査を登録")),
    ("mobility.survey.update", _("ニーズ調査を変更")),
    ("mobility.survey.delete", _("ニーズ調査を削除")),
    ("mobility.response.create", _("回答を入力")),
    ("mobility.response.update", _("回答を修正")),
    ("mobility.response.delete", _("回答を削除")),
    ("mobility.response.delete_with_survey", _("ニーズ調査の削除")),
    ("mobility.response.import", _("回答を取り込み")),
    ("mobility.response.import_replace", _("取り込みで置き換えたため削除")),
    ("mobility.legal_check.save", _("道路運送法の確認を保存")),
    # programs: service B groups and their subsidy
    ("programs.service_b_group.create", _("サービスBの団体を登録")),
    ("programs.service_b_group.update", _("サービスBの団体を変更")),
    ("programs.service_b_activity.create", _("団体の活動を追加")),
    ("programs.service_b_activity.delete", _("団体の活動を削除")),
    ("programs.subsidy_policy.create", _("サービスBの補助の基準を設定")),
    ("programs.subsidy_policy.update", _("サービスBの補助の基準を変更")),
    ("programs.subsidy_requirement.create", _("補助の要件を追加")),
    ("programs.subsidy_requirement.update", _("補助の要件を変更")),
    ("programs.usage_period.create", _("利用実績の期間を登録")),
    ("programs.usage_period.update", _("利用実績の人数を変更")),
    ("programs.usage_period.count_residents", _("利用実績の人数を住民の記録から集計")),
    ("programs.subsidy_application.create", _("交付申請・実績報告を作成")),
    ("programs.subsidy_application.update", _("交付申請・実績報告を変更")),
    ("programs.subsidy_application.submit", _("交付申請・実績報告を提出")),
    ("programs.subsidy_application.approve", _("交付申請・実績報告を承認")),
    ("programs.subsidy_application.return", _("交付申請・実績報告を差し戻し")),
    ("programs.account_line.create", _("会計の行を追加")),
    ("programs.account_line.delete", _("会計の行を削除")),
    ("programs.requirement_check.record", _("要件の確認を記録")),
    # programs: 総合事業の実施事業
    ("programs.instance.create", _("総合事業の実施事業を登録")),
    ("programs.instance.update", _("総合事業の実施事業を変更")),
    ("programs.enrolment.start", _("利用者を登録")),
    ("programs.enrolment.end", _("利用者の利用を終了")),
    ("programs.count.record", _("利用者数を記録")),
):
    register(_code, _label)

# care: the basic checklist (its own block, beside the residents' kinds).
for _code, _label in (
    ("care.checklist.create", _("基本チェックリストを記録")),
    ("care.checklist.update", _("基本チェックリストを修正")),
    ("care.checklist.import", _("基本チェックリストを取り込み")),
    ("care.checklist_survey.create", _("チェックリスト調査を集計")),
    ("care.checklist_survey.delete", _("チェックリスト調査の集計を削除")),
    # care: referrals (つなぎ)
    ("care.referral.create", _("つなぎを作成")),
    ("care.referral.send", _("つなぎを送付")),
    ("care.referral.accept", _("つなぎを受付")),
    ("care.referral.decline", _("つなぎをお断り")),
    ("care.referral.start", _("利用開始を記録")),
    ("care.referral.end", _("利用の終了を記録")),
    ("care.referral.stop", _("つなぎを中止")),
    ("care.referral.remind", _("つなぎの催促を送信")),
    # plans: indicators, money, councils forming, prefecture case sheets
    ("plans.indicator.create", _("指標を登録")),
    ("plans.indicator.update", _("指標を変更")),
    ("plans.indicator.import", _("指標を取り込み")),
    ("plans.service_cost.record", _("総合事業費を記録")),
    ("plans.cost_cap.record", _("上限額を記録")),
    ("plans.grant.record", _("交付金の受入れを記録")),
    ("plans.council_formation.record", _("協議会の組織化を記録")),
    ("plans.key_person.add", _("キーパーソンを追加")),
    ("plans.key_person.delete", _("キーパーソンを削除")),
    ("plans.prefecture_profile.record", _("都道府県の概要を記録")),
    ("plans.prefecture_fact.record", _("都道府県の支援の記録を登録")),
):
    register(_code, _label)

# Kinds whose note reads inside the sentence, as the messages did before the registry.
for _code, _pattern in (
    ("bodies.meeting.create_recurring", _("定例の会議を登録（%(note)s）")),
    ("bodies.meeting.attendance_replace", _("出席者を記録（%(note)s）")),
    ("transit.feed.import", _("GTFS を取り込み（%(note)s）")),
    ("mobility.ride.status_change", _("状況を「%(note)s」に変更")),
    ("mobility.plan.remove_ride", _("%(note)sを配車計画から外す")),
    ("mobility.response.import", _("回答を取り込み（%(note)s）")),
    ("mobility.response.import_replace", _("取り込みで置き換えたため削除（%(note)s）")),
):
    _KINDS[_code] = ActionKind(_code, _KINDS[_code].label, _pattern)

for _code, _label in (
    # continuity
    ("continuity.stewardship.assign", _("担当を設定")),
    ("continuity.stewardship.end", _("担当を終了")),
    ("continuity.interaction.record", _("連絡・訪問を記録")),
    ("continuity.handover.start", _("引継ぎを開始")),
    ("continuity.handover.update", _("引継ぎメモを変更")),
    ("continuity.handover.assign", _("後任を指定")),
    ("continuity.handover.complete", _("引継ぎを完了")),
    ("continuity.handover.cancel", _("引継ぎを取りやめ")),
    ("accounts.membership.end", _("異動・退職により所属を終了")),
):
    register(_code, _label)

for _code, _label in (
    # plans: records, shared goals and role agreements, PDCA
    ("plans.plan.create", _("計画を登録")),
    ("plans.plan.update", _("計画を変更")),
    ("plans.item.add", _("計画の項目を追加")),
    ("plans.item.update", _("計画の項目を変更")),
    ("plans.link.add", _("計画の項目につなぐ")),
    ("plans.link.remove", _("計画の項目とのつながりを外す")),
    ("plans.agreement.create", _("目指す姿と役割分担を登録")),
    ("plans.agreement.update", _("目指す姿と役割分担を変更")),
    ("plans.agreement.roles_change", _("役割分担を変更")),
    ("plans.agreement.review", _("合意を見直し")),
    ("plans.pdca.create", _("PDCA を登録")),
    ("plans.pdca.update", _("PDCA を変更")),
    ("plans.pdca.carry_over", _("PDCA を翌年度に引き継ぎ")),
):
    register(_code, _label)
