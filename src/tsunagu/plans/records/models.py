"""Plans as records: a plan (介護保険事業計画, 地域福祉計画, a council's まちづくり計画 / 夢プラン,
a department's own), its items (goals with their items, nested one level) and the links from
the records that serve an item (regional issues, service B groups, mobility services,
roadmap milestones).

The links live here because plans is above every app they point at; those apps show the
links through the ``record_detail_sections`` hook (see ``plans/records/sections.py``).
"""

from __future__ import annotations

import datetime
import functools
import operator

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped
from tsunagu.core.wareki import era_of, format_fiscal_year


class PlanKind(models.TextChoices):
    CARE_INSURANCE = "care_insurance", _("介護保険事業計画")
    WELFARE = "welfare", _("地域福祉計画")
    WELFARE_ACTIVITY = "welfare_activity", _("地域福祉活動計画")
    WELFARE_COMBINED = "welfare_combined", _("地域福祉計画・地域福祉活動計画（一体策定）")
    COMMUNITY = "community", _("地域のまちづくり計画（夢プラン等）")
    DEPARTMENT = "department", _("部署の計画")


class Plan(MunicipalityScoped, models.Model):
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("市町村"),
    )
    kind = models.CharField(_("種類"), max_length=24, choices=PlanKind.choices)
    title = models.CharField(_("計画の名称"), max_length=200)
    term_number = models.PositiveSmallIntegerField(
        _("期"), null=True, blank=True, help_text=_("例: 第9期なら 9（介護保険事業計画など）")
    )
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("計画期間の初年度（西暦）"), null=True, blank=True
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("計画期間の最終年度（西暦）"), null=True, blank=True
    )
    adopted_year = models.PositiveSmallIntegerField(_("策定の年（西暦）"), null=True, blank=True)
    adopted_month = models.PositiveSmallIntegerField(_("策定の月"), null=True, blank=True)
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("策定した団体（協議会など）"),
        help_text=_("空のときは市町村の計画です。"),
    )
    owner_department = models.CharField(_("担当部署"), max_length=200, blank=True)
    description = models.TextField(_("概要"), blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("計画")
        verbose_name_plural = _("計画")
        ordering = ["municipality", "kind", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_fiscal_year__isnull=True)
                | models.Q(last_fiscal_year__isnull=True)
                | models.Q(last_fiscal_year__gte=models.F("first_fiscal_year")),
                name="plans_plan_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(adopted_month__isnull=True)
                | models.Q(adopted_month__gte=1, adopted_month__lte=12),
                name="plans_plan_adopted_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        """令和4年度〜令和13年度 (what is known of it; empty when the period is not known)."""
        first, last = self.first_fiscal_year, self.last_fiscal_year
        if first is None and last is None:
            return ""
        start = format_fiscal_year(first) if first else ""
        end = format_fiscal_year(last) if last else ""
        return f"{start}〜{end}"

    @property
    def adopted_label(self) -> str:
        """令和5年3月 (as printed: year and month, or the year only)."""
        if self.adopted_year is None:
            return ""
        name, year = era_of(datetime.date(self.adopted_year, self.adopted_month or 12, 1))
        era_year = "元" if year == 1 else str(year)
        month = f"{self.adopted_month}月" if self.adopted_month else ""
        return f"{name}{era_year}年{month}"

    @property
    def term_label(self) -> str:
        return f"第{self.term_number}期" if self.term_number else ""


class PlanItem(models.Model):
    """A goal (top level) or an item under a goal (one level only)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="items", verbose_name=_("計画")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上位の目標"),
    )
    number = models.CharField(_("番号"), max_length=20, help_text=_("例: 1、①、1-2"))
    title = models.CharField(_("目標・項目"), max_length=300)
    description = models.TextField(_("内容"), blank=True)
    wording_inferred = models.BooleanField(
        _("文言は推定"),
        default=False,
        help_text=_("計画書の文言そのものではなく、資料の記述から起こした項目のとき。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("計画の項目")
        verbose_name_plural = _("計画の項目")
        ordering = ["plan", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.plan.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.plan.municipality_id


class LinkKind(models.TextChoices):
    ISSUE = "issue", _("地域課題")
    SERVICE_B = "service_b", _("サービスBの団体")
    MOBILITY = "mobility", _("移動支援の取組")
    MILESTONE = "milestone", _("ロードマップの項目")
    PROGRAM = "program", _("総合事業の実施事業")


LINK_TARGET_FIELDS = {
    LinkKind.ISSUE: "issue",
    LinkKind.SERVICE_B: "service_b_group",
    LinkKind.MOBILITY: "mobility_service",
    LinkKind.MILESTONE: "milestone",
    LinkKind.PROGRAM: "program",
}


def _exactly_one_target() -> models.Q:
    """The link's kind names the one target field that is set; every other one is empty."""
    branches = []
    for kind, field in LINK_TARGET_FIELDS.items():
        branch = models.Q(kind=kind.value) & models.Q(**{f"{field}__isnull": False})
        for other in LINK_TARGET_FIELDS.values():
            if other != field:
                branch &= models.Q(**{f"{other}__isnull": True})
        branches.append(branch)
    return functools.reduce(operator.or_, branches)


class PlanItemLink(models.Model):
    """One record that serves a plan item (exactly one target field is set)."""

    item = models.ForeignKey(
        PlanItem, on_delete=models.CASCADE, related_name="links", verbose_name=_("計画の項目")
    )
    kind = models.CharField(_("種類"), max_length=16, choices=LinkKind.choices)
    issue = models.ForeignKey(
        "regional_issues.RegionalIssue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("地域課題"),
    )
    service_b_group = models.ForeignKey(
        "programs.ServiceBGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("サービスBの団体"),
    )
    mobility_service = models.ForeignKey(
        "mobility.MobilityService",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("移動支援の取組"),
    )
    milestone = models.ForeignKey(
        "engagements.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("ロードマップの項目"),
    )
    program = models.ForeignKey(
        "programs.ProgramInstance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("総合事業の実施事業"),
    )
    note = models.CharField(_("どう役立つか"), max_length=300, blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("計画の項目へのつながり")
        verbose_name_plural = _("計画の項目へのつながり")
        ordering = ["item", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_target(),
                name="plans_link_one_target",
            ),
            models.UniqueConstraint(fields=["item", "issue"], name="plans_link_unique_issue"),
            models.UniqueConstraint(
                fields=["item", "service_b_group"], name="plans_link_unique_service_b"
            ),
            models.UniqueConstraint(
                fields=["item", "mobility_service"], name="plans_link_unique_mobility"
            ),
            models.UniqueConstraint(
                fields=["item", "milestone"], name="plans_link_unique_milestone"
            ),
            models.UniqueConstraint(fields=["item", "program"], name="plans_link_unique_program"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ← {self.target}"

    @property
    def target(self) -> models.Model:
        return getattr(self, LINK_TARGET_FIELDS[LinkKind(self.kind)])
