"""Referrals (つなぎ): a resident connected to a place in the community.

A referral goes from a resident to a directory resource (a 通いの場, a サロン …) or a 総合事業
program instance (a service B group …), addressed to the organisation that runs it:
作成 → 送付 → 受付 / お断り → 利用開始 → 終了, or 中止 at any open step (consent withdrawn,
cancelled by the sender). It is 要配慮個人情報: the sender side reads it through
:mod:`tsunagu.care.access`; the receiving organisation's members see only the referrals
addressed to them and only :data:`RECEIVER_FIELDS`. Transitions happen only in
``care/referrals/services.py``.

Imported by ``care/models.py`` so that Django registers the models in the ``care`` app.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("作成")  # written by the sender, not yet sent
    SENT = "sent", _("送付")  # sent; waits for the receiver's answer
    ACCEPTED = "accepted", _("受付")  # the receiver said yes
    DECLINED = "declined", _("お断り")  # the receiver said no, with a reason
    STARTED = "started", _("利用開始")  # the person came / started taking part
    ENDED = "ended", _("終了")  # taking part ended, with an outcome
    STOPPED = "stopped", _("中止")  # consent withdrawn or cancelled before it ended


# Statuses in which the referral still waits for someone to act.
OPEN_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED)
# Statuses the referral cannot leave.
CLOSED_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.ENDED, ReferralStatus.STOPPED)


class ReferralOutcome(models.TextChoices):
    CONTINUING_ELSEWHERE = "elsewhere", _("別の場所へ")  # moved to another place
    SELF_ENDED = "self_ended", _("本人の希望で終了")
    HEALTH = "health", _("体調・入院など")
    CARE_SERVICE = "care_service", _("介護サービスの利用へ")
    MOVED = "moved", _("転居")
    DIED = "died", _("死亡")
    OTHER = "other", _("その他")


# What the receiving organisation's members may see of a referral (and nothing else): who,
# how to reach them, what they want, what help they need to take part. The care level is
# added only when the resident consented to share it (``share_care_level``).
RECEIVER_FIELDS = (
    "resident_name",
    "contact_phone",
    "wishes",
    "accessibility_needs",
)


class Referral(MunicipalityScoped, models.Model):
    """One referral of a resident to a resource or program instance (つなぎ)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("市町村"),
    )
    resident = models.ForeignKey(
        "care.Resident",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("住民"),
    )
    resource = models.ForeignKey(
        "directory.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("つなぎ先の地域資源"),
    )
    program = models.ForeignKey(
        "programs.ProgramInstance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("つなぎ先の総合事業"),
    )
    receiving_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("受け手の団体"),
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    # What the receiver is told (RECEIVER_FIELDS): copied at sending from the resident, so
    # the receiver never reads the resident record itself.
    resident_name = models.CharField(_("氏名（受け手に伝える）"), max_length=100)
    contact_phone = models.CharField(_("連絡先（受け手に伝える）"), max_length=20, blank=True)
    wishes = models.TextField(_("本人の希望（やりたいこと）"), blank=True)
    accessibility_needs = models.TextField(_("参加に必要な配慮"), blank=True)
    share_care_level = models.BooleanField(
        _("要介護度などを受け手に伝える（本人の同意あり）"), default=False
    )
    note = models.TextField(_("送り手のメモ（受け手には見えません）"), blank=True)
    decline_reason = models.TextField(_("お断りの理由"), blank=True)
    outcome = models.CharField(
        _("終了の理由"), max_length=16, choices=ReferralOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("終了の補足"), blank=True)
    stop_reason = models.CharField(_("中止の理由"), max_length=200, blank=True)
    sent_on = models.DateField(_("送付日"), null=True, blank=True)
    answered_on = models.DateField(_("回答日"), null=True, blank=True)
    started_on = models.DateField(_("利用開始日"), null=True, blank=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    last_reminded_on = models.DateField(_("最後に催促した日"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("作成した人"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("つなぎ（紹介）")
        verbose_name_plural = _("つなぎ（紹介）")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["receiving_organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resource__isnull=False) | models.Q(program__isnull=False),
                name="referral_has_a_destination",
            ),
        ]

    def __str__(self) -> str:
        return f"つなぎ #{self.pk}"

    def clean(self) -> None:
        if self.resource_id is None and self.program_id is None:
            raise ValidationError(_("つなぎ先（地域資源または総合事業）を選んでください。"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def waiting_days(self, today: datetime.date) -> int | None:
        """Days the referral has waited for the receiver's answer (None when not waiting)."""
        if self.status != ReferralStatus.SENT or self.sent_on is None:
            return None
        return (today - self.sent_on).days
