"""Residents of the care-prevention program (総合事業) and their consent.

Everything here is 要配慮個人情報 (sensitive personal data). It exists only when the
deployment sets ``TSUNAGU_ENABLE_PERSONAL_RECORDS`` (``settings.PERSONAL_RECORDS_ENABLED``)
and is read only through :mod:`tsunagu.care.access`, which checks the explicit care right
(``Membership.can_view_care_records``) and writes ``PersonalDataReadLog``. What is stored,
why, who sees it and how long it is kept: docs/adr/0007-resident-records.md.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Sex(models.TextChoices):
    FEMALE = "female", _("女")
    MALE = "male", _("男")
    OTHER = "other", _("その他・回答なし")


class Household(models.TextChoices):
    ALONE = "alone", _("独居")
    ELDERLY_ONLY = "elderly_only", _("高齢者のみ世帯")
    OTHER = "other", _("その他")


class CareLevel(models.TextChoices):
    """要介護度など (care-need certification and the checklist route)."""

    SUPPORT_1 = "support_1", _("要支援1")
    SUPPORT_2 = "support_2", _("要支援2")
    CARE_1 = "care_1", _("要介護1")
    CARE_2 = "care_2", _("要介護2")
    CARE_3 = "care_3", _("要介護3")
    CARE_4 = "care_4", _("要介護4")
    CARE_5 = "care_5", _("要介護5")
    PROGRAM_ELIGIBLE = "program_eligible", _("事業対象者")
    NOT_APPLICABLE = "not_applicable", _("非該当")
    NOT_APPLIED = "not_applied", _("未申請")


# 要支援者 or 事業対象者: the users that count towards service B's subsidy share.
SUPPORT_OR_ELIGIBLE = frozenset(
    {CareLevel.SUPPORT_1, CareLevel.SUPPORT_2, CareLevel.PROGRAM_ELIGIBLE}
)


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("利用中")
    CLOSED = "closed", _("終了（転出・死亡・利用終了）")


class Resident(models.Model):
    """A resident followed by the care-prevention program (住民)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="care_residents",
        verbose_name=_("市町村"),
    )
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_residents",
        verbose_name=_("地区"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=100)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices, blank=True)
    household = models.CharField(_("世帯"), max_length=20, choices=Household.choices, blank=True)
    contact_name = models.CharField(_("連絡先の方の氏名"), max_length=100, blank=True)
    contact_relation = models.CharField(_("続柄・関係"), max_length=50, blank=True)
    contact_phone = models.CharField(_("連絡先の電話番号"), max_length=20, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )
    closed_on = models.DateField(_("終了日"), null=True, blank=True)
    # Demo and test people are synthetic and say so on every page that shows them.
    is_synthetic = models.BooleanField(_("架空の人物（デモ）"), default=False)
    # Set by the retention command: the person's identifying fields are gone.
    anonymised_on = models.DateField(_("匿名化した日"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("住民")
        verbose_name_plural = _("住民")
        ordering = ["name_kana", "pk"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefecture_id(self) -> int:
        return self.municipality.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.municipality_id


class CareLevelRecord(models.Model):
    """One care level of a resident with its validity (認定の有効期間)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="care_levels", verbose_name=_("住民")
    )
    level = models.CharField(_("要介護度など"), max_length=20, choices=CareLevel.choices)
    valid_from = models.DateField(_("有効期間の開始"), null=True, blank=True)
    valid_until = models.DateField(_("有効期間の終了"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("要介護度など")
        verbose_name_plural = _("要介護度など")
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return self.get_level_display()

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class ConsentPurpose(models.TextChoices):
    CARE_RECORD = "care_record", _("介護予防の記録（チェックリスト・要介護度）")
    REFERRAL = "referral", _("地域の活動・サービスへのつなぎ（情報提供）")
    MOBILITY = "mobility", _("移動支援の利用")
    OTHER = "other", _("その他")


class ConsentRecord(models.Model):
    """One consent of a resident: what, when, recorded by whom, withdrawn when (同意)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="consents", verbose_name=_("住民")
    )
    purpose = models.CharField(_("同意の内容"), max_length=20, choices=ConsentPurpose.choices)
    detail = models.CharField(_("補足"), max_length=200, blank=True)
    given_on = models.DateField(_("同意日"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    withdrawn_on = models.DateField(_("撤回日"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤回を記録した人"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("同意")
        verbose_name_plural = _("同意")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.given_on}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


# The checklist feature's models live in their sub-package; importing them here registers
# them in the ``care`` app (one migration history for the app).
from tsunagu.care.checklist.models import (  # noqa: E402, F401
    ChecklistRecord,
    ChecklistSurvey,
    ChecklistSurveyDistrict,
    EntryMethod,
)
from tsunagu.care.referrals.models import Referral  # noqa: E402, F401
