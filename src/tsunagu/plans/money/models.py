"""Money of the 総合事業 (DOMAIN 4.6): costs by service type, the 上限額 as entered, grants.

The cap is stored with its kind and the municipality's basis in words; it is never computed
(the formulas behind the caps are unconfirmed [U]). Arithmetic against it is in
:mod:`tsunagu.plans.money.arithmetic`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped
from tsunagu.directory.models import SogoServiceType


def _year() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("年度（西暦）"), validators=[MinValueValidator(1873), MaxValueValidator(2100)]
    )


def _municipality(related: str) -> models.ForeignKey:
    return models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name=related,
        verbose_name=_("市町村"),
    )


class CapKind(models.TextChoices):
    """The three caps of footnote 3 of the report (II 1)."""

    BASIC = "basic", _("基本の上限額")
    GROWTH = "growth", _("介護予防給付全体の伸びを考慮する上限額")
    SPECIAL = "special", _("特例の上限額")


class ServiceCost(MunicipalityScoped, models.Model):
    """総合事業費 of one service type in one fiscal year (integer yen)."""

    municipality = _municipality("sogo_costs")
    fiscal_year = _year()
    service_type = models.CharField(
        _("サービスの種類"), max_length=32, choices=SogoServiceType.choices
    )
    amount = models.PositiveBigIntegerField(_("事業費（円）"))
    source = models.CharField(_("出典"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("デモ用の架空の値"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("総合事業費")
        verbose_name_plural = _("総合事業費")
        ordering = ["municipality", "fiscal_year", "service_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "service_type"], name="sogo_cost_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year} {self.get_service_type_display()}"


class CostCap(MunicipalityScoped, models.Model):
    """上限額 of one fiscal year as the municipality entered it, with 個別協議 if it applies."""

    municipality = _municipality("sogo_caps")
    fiscal_year = _year()
    kind = models.CharField(_("上限額の種類"), max_length=16, choices=CapKind.choices)
    amount = models.PositiveBigIntegerField(_("上限額（円）"))
    basis = models.TextField(_("算定の根拠（文章）"))
    individual_consultation = models.BooleanField(
        _("個別協議あり"),
        default=False,
        help_text=_("介護保険法施行令第37条の13第5項により厚生労働大臣が認める額を加算"),
    )
    consultation_amount = models.PositiveBigIntegerField(
        _("個別協議による加算額（円）"), null=True, blank=True
    )
    source = models.CharField(_("出典"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("デモ用の架空の値"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("上限額")
        verbose_name_plural = _("上限額")
        ordering = ["municipality", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fiscal_year"], name="sogo_cap_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year} {self.get_kind_display()}"

    def clean(self) -> None:
        if not (self.basis or "").strip():
            raise ValidationError({"basis": _("上限額の根拠を文章で入力してください。")})
        if self.individual_consultation and self.consultation_amount is None:
            raise ValidationError(
                {"consultation_amount": _("個別協議ありのときは加算額を入力してください。")}
            )
        if not self.individual_consultation and self.consultation_amount:
            raise ValidationError(
                {"consultation_amount": _("個別協議なしのときは加算額を空欄にしてください。")}
            )


class GrantReceipt(MunicipalityScoped, models.Model):
    """地域支援事業交付金 received for one fiscal year (and program, when known)."""

    municipality = _municipality("sogo_grants")
    fiscal_year = _year()
    program = models.CharField(_("事業（交付の対象）"), max_length=200)
    amount = models.PositiveBigIntegerField(_("交付額（円）"))
    source = models.CharField(_("出典"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("デモ用の架空の値"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地域支援事業交付金")
        verbose_name_plural = _("地域支援事業交付金")
        ordering = ["municipality", "fiscal_year", "program"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "program"], name="sogo_grant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year} {self.program}"
