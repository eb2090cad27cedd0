"""Program instances (総合事業の実施事業): a catalog type run by a provider in a municipality,
with its participants — residents (only with personal records and the care right) or anonymous
counts per period with their care-level mix (always available)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.choices import Weekday
from tsunagu.directory.models import SogoServiceType


class InstanceStatus(models.TextChoices):
    PLANNED = "planned", _("計画中")  # decided or being designed, not running yet
    RUNNING = "running", _("実施中")
    PAUSED = "paused", _("休止中")
    ENDED = "ended", _("終了")


class Funding(models.TextChoices):
    GENERAL_REVENUE = "general_revenue", _("一般財源")
    SUPPORT_GRANT = "support_grant", _("地域支援事業交付金")
    SUBSIDY = "subsidy", _("補助金")
    COMMISSION = "commission", _("委託")
    DESIGNATED = "designated", _("指定事業者（給付費相当）")
    USER_FEE = "user_fee", _("利用者負担")
    OTHER = "other", _("その他")


class PriceUnit(models.TextChoices):
    PER_VISIT = "per_visit", _("円/回")
    PER_MONTH = "per_month", _("円/月")
    PER_HOUR = "per_hour", _("円/時間")
    PER_YEAR = "per_year", _("円/年")
    PER_GROUP = "per_group", _("円/団体")


def _weekdays_valid(value: object) -> None:
    if not isinstance(value, list) or any(v not in Weekday.values for v in value):
        raise ValidationError(_("曜日の指定が正しくありません。"))


class ProgramInstance(models.Model):
    """One program of a catalog type run by a provider (実施事業)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="program_instances",
        verbose_name=_("市町村"),
    )
    service_type = models.CharField(
        _("総合事業の類型"), max_length=24, choices=SogoServiceType.choices
    )
    name = models.CharField(_("名称"), max_length=200)
    provider = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="program_instances",
        verbose_name=_("実施主体"),
    )
    resource = models.ForeignKey(
        "directory.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_instances",
        verbose_name=_("地域資源（サービス・活動）"),
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING
    )
    description = models.TextField(_("内容"), blank=True)
    daily_life_areas = models.ManyToManyField(
        "areas.DailyLifeArea", blank=True, related_name="+", verbose_name=_("日常生活圏域")
    )
    districts = models.ManyToManyField(
        "areas.District", blank=True, related_name="+", verbose_name=_("地区")
    )
    schedule_note = models.CharField(_("日程"), max_length=300, blank=True)
    weekdays = models.JSONField(_("曜日"), default=list, blank=True, validators=[_weekdays_valid])
    capacity = models.PositiveIntegerField(_("定員（人）"), null=True, blank=True)
    unit_price_yen = models.PositiveIntegerField(_("単価（円）"), null=True, blank=True)
    price_unit = models.CharField(
        _("単価の単位"), max_length=12, choices=PriceUnit.choices, blank=True
    )
    cap_yen = models.PositiveIntegerField(_("上限額（円）"), null=True, blank=True)
    funding = models.CharField(_("財源"), max_length=20, choices=Funding.choices, blank=True)
    funding_note = models.CharField(_("財源の補足（補助金名など）"), max_length=200, blank=True)
    starts_on = models.DateField(_("開始日"), null=True, blank=True)
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[daily_life_areas, districts])

    class Meta:
        verbose_name = _("総合事業の実施事業")
        verbose_name_plural = _("総合事業の実施事業")
        ordering = ["municipality_id", "service_type", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="programs_instance_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefecture_id(self) -> int:
        return self.municipality.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.municipality_id

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("終了日は開始日より後にしてください。")
        if self.unit_price_yen is not None and not self.price_unit:
            errors["price_unit"] = _("単価を入力したときは単位を選んでください。")
        if self.provider_id and self.municipality_id:
            provider_municipality = self.provider.municipality_id
            if provider_municipality not in (None, self.municipality_id):
                errors["provider"] = _("別の市町村の団体は選べません。")
        if self.resource_id and self.resource.provider_id != self.provider_id:
            errors["resource"] = _("実施主体の地域資源を選んでください。")
        if errors:
            raise ValidationError(errors)

    @property
    def weekday_labels(self) -> list[str]:
        return [str(Weekday(v).label) for v in sorted(self.weekdays or [])]

    def area_label(self) -> str:
        names = [a.name for a in self.daily_life_areas.all()] + [
            d.name for d in self.districts.all()
        ]
        return "・".join(names) if names else str(_("市町村全域"))


class Enrolment(models.Model):
    """A resident taking part in a program instance (利用者の登録). Sensitive: read only
    through :mod:`tsunagu.programs.instances.participants`."""

    # Not "instance": simple-history's historical rows use that name.
    program = models.ForeignKey(
        ProgramInstance,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("実施事業"),
    )
    resident = models.ForeignKey(
        "care.Resident",
        on_delete=models.PROTECT,
        related_name="program_enrolments",
        verbose_name=_("住民"),
    )
    starts_on = models.DateField(_("利用開始日"))
    ends_on = models.DateField(_("利用終了日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("利用者の登録")
        verbose_name_plural = _("利用者の登録")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.program} {self.starts_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("利用終了日は利用開始日より後にしてください。")})
        if (
            self.program_id
            and self.resident_id
            and self.resident.municipality_id != self.program.municipality_id
        ):
            raise ValidationError({"resident": _("実施事業の市町村の住民を選んでください。")})


class ParticipationCount(models.Model):
    """Anonymous participants of one period with their care-level mix (利用者数の集計)."""

    program = models.ForeignKey(
        ProgramInstance,
        on_delete=models.CASCADE,
        related_name="counts",
        verbose_name=_("実施事業"),
    )
    period_start = models.DateField(_("期間の開始"))
    period_end = models.DateField(_("期間の終了"))
    support_1 = models.PositiveIntegerField(_("要支援1"), default=0)
    support_2 = models.PositiveIntegerField(_("要支援2"), default=0)
    program_eligible = models.PositiveIntegerField(_("事業対象者"), default=0)
    care_needed = models.PositiveIntegerField(_("要介護"), default=0)
    other = models.PositiveIntegerField(_("その他・不明"), default=0)
    visits = models.PositiveIntegerField(
        _("延べ利用回数"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Demo figures the report does not give are synthetic and say so.
    is_synthetic = models.BooleanField(_("架空の数値（デモ）"), default=False)
    note = models.CharField(_("補足・出典"), max_length=300, blank=True)
    history = HistoricalRecords()

    MIX_FIELDS = ("support_1", "support_2", "program_eligible", "care_needed", "other")

    class Meta:
        verbose_name = _("利用者数")
        verbose_name_plural = _("利用者数")
        ordering = ["-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period_start", "period_end"],
                name="programs_count_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.period_start}〜{self.period_end}"

    @property
    def total(self) -> int:
        return sum(getattr(self, f) for f in self.MIX_FIELDS)

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("期間の終了は開始より後にしてください。")})
