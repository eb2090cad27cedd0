"""Shared goals and role agreements (規範的統合): per municipality (and optionally per
engagement) the agreed 目指す姿 and a role table, who agreed and when, and the yearly review.

The role rows are child rows of the agreement: their changes are recorded on the agreement's
history (``record_children_change``), so its 履歴 page shows the whole table before and after.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped


class RoleAgreement(MunicipalityScoped, models.Model):
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="role_agreements",
        verbose_name=_("市町村"),
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_agreements",
        verbose_name=_("伴走的支援"),
        help_text=_("伴走的支援の中で合意したときに選びます。"),
    )
    title = models.CharField(_("名称"), max_length=200)
    vision = models.TextField(_("目指す姿"))
    agreed_on = models.DateField(_("合意した日"), null=True, blank=True)
    agreed_by = models.TextField(
        _("合意した人・場"), blank=True, help_text=_("例: 庁内連携会議（高齢者福祉課長、…）")
    )
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目指す姿と役割分担")
        verbose_name_plural = _("目指す姿と役割分担")
        ordering = ["municipality", "title", "id"]

    def __str__(self) -> str:
        return self.title


class AgreedRole(models.Model):
    """One row of the role table: a department or a directory organisation, and its role."""

    agreement = models.ForeignKey(
        RoleAgreement, on_delete=models.CASCADE, related_name="roles", verbose_name=_("合意")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreed_roles",
        verbose_name=_("団体・部署（地域資源）"),
    )
    department = models.CharField(
        _("部署・団体の名称"),
        max_length=200,
        blank=True,
        help_text=_("地域資源に登録のない部署などは名称で入力します。"),
    )
    role = models.TextField(_("役割"))
    inferred = models.BooleanField(
        _("推定"), default=False, help_text=_("資料に明記がなく、記述から推し量った役割のとき。")
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("合意した役割")
        verbose_name_plural = _("合意した役割")
        ordering = ["agreement", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | ~models.Q(department=""),
                name="plans_agreed_role_who",
            )
        ]

    def __str__(self) -> str:
        return self.line()

    @property
    def label(self) -> str:
        return self.organisation.name if self.organisation_id else self.department

    def line(self) -> str:
        mark = "（推定）" if self.inferred else ""
        return f"{self.label}: {self.role}{mark}"


class AgreementReview(models.Model):
    """A review of the agreement (at least one per fiscal year)."""

    agreement = models.ForeignKey(
        RoleAgreement, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("合意")
    )
    reviewed_on = models.DateField(_("見直した日"))
    by_whom = models.CharField(_("見直した人・場"), max_length=200, blank=True)
    note = models.TextField(_("見直しの内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合意の見直し")
        verbose_name_plural = _("合意の見直し")
        ordering = ["agreement", "-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.reviewed_on}"


class AgreementReviewReminder(models.Model):
    """A review reminder sent for one fiscal year (sent once; a failed mail is retried)."""

    agreement = models.ForeignKey(
        RoleAgreement,
        on_delete=models.CASCADE,
        related_name="review_reminders",
        verbose_name=_("合意"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)
    recipients = models.TextField(_("送信先"), blank=True)

    class Meta:
        verbose_name = _("見直しの通知")
        verbose_name_plural = _("見直しの通知")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "fiscal_year"], name="plans_review_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.fiscal_year}"
