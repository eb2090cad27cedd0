"""A PDCA cycle per fiscal year, of an engagement or of a plan item.

Plan (goal, indicator, target) and Act (what changes) are written; Do is derived from the
links (the plan item's linked records, the engagement's visits and milestones of the year);
Check holds the indicator value entered and the visit insights chosen. Carrying a cycle
into the next year creates next year's cycle with the Act as its Plan and a milestone on the
engagement's roadmap (``pdca_carry_over``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped


class PdcaCycle(MunicipalityScoped, models.Model):
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="pdca_cycles",
        verbose_name=_("市町村"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdca_cycles",
        verbose_name=_("伴走的支援"),
    )
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdca_cycles",
        verbose_name=_("計画の項目"),
    )
    goal = models.TextField(_("目標（Plan）"))
    indicator = models.CharField(_("指標"), max_length=200, blank=True)
    target = models.CharField(_("目標値"), max_length=200, blank=True)
    indicator_value = models.CharField(
        _("指標の実績値（Check）"), max_length=200, blank=True, help_text=_("例: 12人、35%")
    )
    check_note = models.TextField(_("振り返り（Check）"), blank=True)
    insights = models.ManyToManyField(
        "engagements.Insight",
        blank=True,
        related_name="pdca_cycles",
        verbose_name=_("訪問で得た気づき"),
    )
    act = models.TextField(_("改善・次に変えること（Act）"), blank=True)
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("前年度のサイクル"),
    )
    carried_milestone = models.ForeignKey(
        "engagements.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ロードマップに加えた項目"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[insights])

    class Meta:
        verbose_name = _("PDCA サイクル")
        verbose_name_plural = _("PDCA サイクル")
        ordering = ["municipality", "-fiscal_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(engagement__isnull=False, plan_item__isnull=True)
                | models.Q(engagement__isnull=True, plan_item__isnull=False),
                name="plans_pdca_one_subject",
            ),
            models.UniqueConstraint(
                fields=["engagement", "fiscal_year"], name="plans_pdca_engagement_year"
            ),
            models.UniqueConstraint(
                fields=["plan_item", "fiscal_year"], name="plans_pdca_item_year"
            ),
        ]

    def __str__(self) -> str:
        return f"PDCA {self.fiscal_year} {self.subject}"

    @property
    def subject(self) -> models.Model:
        return self.engagement if self.engagement_id else self.plan_item  # type: ignore[return-value]
