"""Service B groups, the municipality's subsidy policy, usage periods and applications.

Money is integer yen. The subsidy rule (DOMAIN.md 4.2): when 要支援者 or 事業対象者 are at
least the threshold share of a period's users (default 50%) the whole operating cost of the B
activity is eligible; below it the municipality's own rule applies (default pro-rata by the
share, [U]). See :mod:`tsunagu.programs.service_b.subsidy`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped
from tsunagu.core.wareki import fiscal_year, format_fiscal_year


class GroupStatus(models.TextChoices):
    PLANNED = "planned", _("計画中")
    RUNNING = "running", _("活動中")
    ENDED = "ended", _("終了")


class ServiceKind(models.TextChoices):
    VISITING_B = "visiting_b", _("訪問型サービス・活動B（住民主体）")
    DAY_B = "day_b", _("通所型サービス・活動B（住民主体）")


class ActivityKind(models.TextChoices):
    SHOPPING = "shopping", _("買い物")
    HOSPITAL_ESCORT = "hospital_escort", _("通院の付き添い")
    OUTING_ESCORT = "outing_escort", _("外出付添い")
    COOKING = "cooking", _("調理支援")
    CLEANING = "cleaning", _("掃除")
    LAUNDRY = "laundry", _("洗濯")
    GARBAGE = "garbage", _("ゴミ出し")
    WATCHING = "watching", _("見守り")
    SALON = "salon", _("通いの場・サロン")
    OTHER = "other", _("その他")


percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


class ServiceBGroup(MunicipalityScoped, models.Model):
    """A resident-led support group (住民主体の支えあい活動団体) doing service B."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="service_b_groups",
        verbose_name=_("市町村"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_b_groups",
        verbose_name=_("団体（地域資源）"),
        help_text=_("地域資源に登録された団体。未登録の団体は空のままで名称を入力します。"),
    )
    name = models.CharField(_("団体名"), max_length=200)
    service_kind = models.CharField(
        _("サービス・活動の類型"),
        max_length=20,
        choices=ServiceKind.choices,
        default=ServiceKind.VISITING_B,
    )
    status = models.CharField(
        _("状況"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.RUNNING
    )
    started_on = models.DateField(_("活動開始日"), null=True, blank=True)
    ended_on = models.DateField(_("活動終了日"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("活動員の人数"), null=True, blank=True)
    member_names = models.TextField(
        _("活動員の氏名（必要な場合のみ）"),
        blank=True,
        help_text=_("名簿が必要な場合だけ、1行に1人。最小限にしてください。"),
    )
    description = models.TextField(_("活動の内容"), blank=True)
    # The report names only 宮たすけ隊: the other groups are placeholders and say so.
    is_placeholder = models.BooleanField(_("仮の団体（名称は報告書に記載なし）"), default=False)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サービスBの団体")
        verbose_name_plural = _("サービスBの団体")
        ordering = ["municipality__code", "is_placeholder", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="service_b_group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupActivity(models.Model):
    """What a group does, with its share of the work where known (宮たすけ隊: 8割 買物・通院)."""

    group = models.ForeignKey(
        ServiceBGroup, on_delete=models.CASCADE, related_name="activities", verbose_name=_("団体")
    )
    kind = models.CharField(_("活動"), max_length=20, choices=ActivityKind.choices)
    detail = models.CharField(_("内容"), max_length=200, blank=True)
    share_percent = models.PositiveSmallIntegerField(
        _("活動に占める割合（%）"), null=True, blank=True, validators=percent_validators
    )
    share_group = models.CharField(
        _("割合をまとめて示す活動"),
        max_length=100,
        blank=True,
        help_text=_("報告書が複数の活動をまとめて割合を示すとき（例: 買物・通院の外出同行で8割）"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("団体の活動")
        verbose_name_plural = _("団体の活動")
        ordering = ["group", "pk"]

    def __str__(self) -> str:
        return self.detail or self.get_kind_display()


class BelowThresholdRule(models.TextChoices):
    PRO_RATA = "pro_rata", _("割合で按分（既定・未確認 [U]）")
    NONE = "none", _("補助対象外")
    FIXED_RATE = "fixed_rate", _("定率")


class PeriodKind(models.TextChoices):
    FISCAL_YEAR = "fiscal_year", _("年度（4月〜翌年3月）")
    HALF_YEAR = "half_year", _("半期（4〜9月・10〜翌年3月）")


class SubsidyPolicy(MunicipalityScoped, models.Model):
    """One municipality's service B subsidy rule (支えあい活動補助金の交付基準)."""

    municipality = models.OneToOneField(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="service_b_policy",
        verbose_name=_("市町村"),
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("全額対象となる要支援・事業対象者の割合（%以上）"),
        default=50,
        validators=percent_validators,
    )
    below_rule = models.CharField(
        _("割合が基準未満のとき"),
        max_length=20,
        choices=BelowThresholdRule.choices,
        default=BelowThresholdRule.PRO_RATA,
    )
    fixed_rate_percent = models.PositiveSmallIntegerField(
        _("定率（%）"), null=True, blank=True, validators=percent_validators
    )
    period_kind = models.CharField(
        _("集計の期間"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.FISCAL_YEAR
    )
    note = models.TextField(_("根拠・備考"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サービスBの補助の基準")
        verbose_name_plural = _("サービスBの補助の基準")

    def __str__(self) -> str:
        return f"{self.municipality}の補助基準"


class PolicyRequirement(models.Model):
    """A requirement the municipality checks on every application (e.g. 1回30分以上の生活援助)."""

    policy = models.ForeignKey(
        SubsidyPolicy,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("補助の基準"),
    )
    text = models.CharField(_("要件"), max_length=200)
    is_active = models.BooleanField(_("使用中"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("補助の要件")
        verbose_name_plural = _("補助の要件")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class UsagePeriod(models.Model):
    """One period's users of a group: all users and those who are 要支援 or 事業対象者."""

    group = models.ForeignKey(
        ServiceBGroup, on_delete=models.CASCADE, related_name="periods", verbose_name=_("団体")
    )
    starts_on = models.DateField(_("期間の開始"))
    ends_on = models.DateField(_("期間の終了"))
    users_total = models.PositiveIntegerField(_("利用者数"), null=True, blank=True)
    users_eligible = models.PositiveIntegerField(
        _("うち要支援者・事業対象者の数"), null=True, blank=True
    )
    # Set when the counts were computed from linked residents (care records) rather than typed.
    counted_from_residents = models.BooleanField(_("住民の記録から集計"), default=False)
    is_synthetic = models.BooleanField(_("架空の数値（デモ）"), default=False)
    residents = models.ManyToManyField(
        "care.Resident", blank=True, related_name="service_b_periods", verbose_name=_("利用者")
    )
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("利用実績の期間")
        verbose_name_plural = _("利用実績の期間")
        ordering = ["group", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "starts_on", "ends_on"], name="service_b_period_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {period_label(self.starts_on, self.ends_on)}"

    @property
    def label(self) -> str:
        return period_label(self.starts_on, self.ends_on)

    @property
    def scope_prefecture_id(self) -> int:
        return self.group.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.group.municipality_id


def period_label(starts_on: object, ends_on: object) -> str:
    """令和6年度 / 令和6年度上期 / 下期, else the two dates."""
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        return ""
    year = fiscal_year(starts_on)
    fy = format_fiscal_year(year)
    if (starts_on, ends_on) == (datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)):
        return fy
    if (starts_on, ends_on) == (datetime.date(year, 4, 1), datetime.date(year, 9, 30)):
        return f"{fy}上期"
    if (starts_on, ends_on) == (datetime.date(year, 10, 1), datetime.date(year + 1, 3, 31)):
        return f"{fy}下期"
    return f"{starts_on}〜{ends_on}"


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("交付申請")
    REPORT = "report", _("実績報告")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("提出済み")
    APPROVED = "approved", _("承認")
    RETURNED = "returned", _("差し戻し")


class SubsidyApplication(models.Model):
    """A 交付申請 or 実績報告 of a group for one usage period.

    While it is a draft the computation uses the policy of today; on submission the policy's
    threshold and rule and the resulting amount are copied here, so a later policy change does
    not rewrite what was submitted or approved.
    """

    period = models.ForeignKey(
        UsagePeriod,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("期間"),
    )
    kind = models.CharField(_("種類"), max_length=20, choices=ApplicationKind.choices)
    status = models.CharField(
        _("状況"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    return_reason = models.TextField(_("差し戻しの理由"), blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("決定した人"),
    )
    # Copied at submission (see the class docstring).
    threshold_percent = models.PositiveSmallIntegerField(
        _("基準の割合（%）"), null=True, blank=True
    )
    below_rule = models.CharField(
        _("基準未満のとき"), max_length=20, choices=BelowThresholdRule.choices, blank=True
    )
    fixed_rate_percent = models.PositiveSmallIntegerField(_("定率（%）"), null=True, blank=True)
    operating_cost = models.BigIntegerField(_("サービスBの運営費（円）"), null=True, blank=True)
    eligible_amount = models.BigIntegerField(_("補助対象額（円）"), null=True, blank=True)
    computation_text = models.TextField(_("計算"), blank=True)
    is_synthetic = models.BooleanField(_("架空の数値（デモ）"), default=False)
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("交付申請・実績報告")
        verbose_name_plural = _("交付申請・実績報告")
        ordering = ["-period__starts_on", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="service_b_application_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.get_kind_display()}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.period.group.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.period.group.municipality_id


class AccountScope(models.TextChoices):
    SERVICE_B = "service_b", _("サービスB（補助の対象）")
    OTHER = "other", _("団体のその他の活動")


class AccountDirection(models.TextChoices):
    INCOME = "income", _("収入")
    EXPENSE = "expense", _("支出")


class AccountLine(models.Model):
    """One income or expense line, kept apart for the B activity and the group's other work."""

    application = models.ForeignKey(
        SubsidyApplication,
        on_delete=models.CASCADE,
        related_name="account_lines",
        verbose_name=_("交付申請・実績報告"),
    )
    scope = models.CharField(_("会計"), max_length=20, choices=AccountScope.choices)
    direction = models.CharField(_("収支"), max_length=10, choices=AccountDirection.choices)
    item = models.CharField(_("費目"), max_length=100)
    amount = models.BigIntegerField(_("金額（円）"), validators=[MinValueValidator(0)])
    note = models.CharField(_("備考"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会計の行")
        verbose_name_plural = _("会計の行")
        ordering = ["scope", "direction", "pk"]

    def __str__(self) -> str:
        return f"{self.item} ¥{self.amount:,}"


class RequirementCheck(models.Model):
    """Whether one of the policy's requirements is met in an application."""

    application = models.ForeignKey(
        SubsidyApplication,
        on_delete=models.CASCADE,
        related_name="requirement_checks",
        verbose_name=_("交付申請・実績報告"),
    )
    requirement = models.ForeignKey(
        PolicyRequirement, on_delete=models.PROTECT, related_name="+", verbose_name=_("要件")
    )
    met = models.BooleanField(_("満たしている"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("要件の確認")
        verbose_name_plural = _("要件の確認")
        ordering = ["requirement__order", "requirement__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="service_b_check_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.requirement)
