"""Indicators (指標) of one municipality or prefecture for one year, stored as entered/printed.

Rates (認定率, 通いの場の参加率) are computed on read beside the printed ones, as statistics
snapshots do (DOMAIN 3.2, ADR 0001): a printed figure is never overwritten.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

LEVELS = ("support_1", "support_2")
CARE_LEVELS = ("care_1", "care_2", "care_3", "care_4", "care_5")
LEVEL_LABELS = {
    "support_1": "要支援1",
    "support_2": "要支援2",
    "care_1": "要介護1",
    "care_2": "要介護2",
    "care_3": "要介護3",
    "care_4": "要介護4",
    "care_5": "要介護5",
}
# A computed rate more than this many points from the printed one is flagged (DOMAIN 3.2).
TOLERANCE = Decimal("0.05")


class YearBasis(models.TextChoices):
    FISCAL = "fiscal", _("年度")  # April–March
    CALENDAR = "calendar", _("暦年")  # January–December
    UNSTATED = (
        "unstated",
        _("出典に記載なし"),
    )  # the source writes 「平成29年」 without saying which


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


def _rate(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """part / whole × 100, exact (rounded for display by :func:`one_decimal`)."""
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def one_decimal(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class IndicatorYear(models.Model):
    """The report's figures for one area (a municipality, or a prefecture as a whole) and year."""

    prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_years",
        verbose_name=_("都道府県"),
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_years",
        verbose_name=_("市町村"),
    )
    year = models.PositiveSmallIntegerField(
        _("年（西暦）"), validators=[MinValueValidator(1873), MaxValueValidator(2100)]
    )
    year_basis = models.CharField(
        _("年の区切り"), max_length=10, choices=YearBasis.choices, default=YearBasis.FISCAL
    )
    period_text = models.CharField(_("時点（出典の表記）"), max_length=80, blank=True)
    population_65_plus = _count(_("65歳以上人口"))
    support_1 = _count(_("要支援1"))
    support_2 = _count(_("要支援2"))
    care_1 = _count(_("要介護1"))
    care_2 = _count(_("要介護2"))
    care_3 = _count(_("要介護3"))
    care_4 = _count(_("要介護4"))
    care_5 = _count(_("要介護5"))
    support_total_printed = _count(_("要支援者数（出典の記載）"))
    certified_total_printed = _count(_("認定者数（出典の記載）"))
    new_support_1 = _count(_("新規認定 要支援1"))
    new_support_2 = _count(_("新規認定 要支援2"))
    new_care_1 = _count(_("新規認定 要介護1"))
    new_care_2 = _count(_("新規認定 要介護2"))
    new_care_3 = _count(_("新規認定 要介護3"))
    new_care_4 = _count(_("新規認定 要介護4"))
    new_care_5 = _count(_("新規認定 要介護5"))
    program_eligible = _count(_("事業対象者数"))
    gathering_participants = _count(_("通いの場の参加者数"))
    certification_rate_printed = _rate(_("認定率（出典の記載、％）"))
    gathering_rate_printed = _rate(_("通いの場の参加率（出典の記載、％）"))
    source = models.CharField(_("出典"), max_length=300)
    note = models.TextField(_("備考"), blank=True)
    is_synthetic = models.BooleanField(_("デモ用の架空の値"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指標（年）")
        verbose_name_plural = _("指標（年）")
        ordering = ["prefecture", "municipality", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "source"], name="indicator_municipality_year"
            ),
            models.UniqueConstraint(
                fields=["prefecture", "year", "source"],
                condition=models.Q(municipality__isnull=True),
                name="indicator_prefecture_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_name} {self.year}"

    def save(self, *args: object, **kwargs: object) -> None:
        # A municipality's row also carries its prefecture, so scope filters see both.
        if self.municipality_id and not self.prefecture_id:
            self.prefecture_id = self.municipality.prefecture_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        if not self.municipality_id and not self.prefecture_id:
            raise ValidationError({"municipality": _("市町村か都道府県を指定してください。")})
        if self.municipality_id and self.prefecture_id:
            if self.municipality.prefecture_id != self.prefecture_id:
                raise ValidationError({"prefecture": _("市町村の都道府県と一致しません。")})

    # --- scope ------------------------------------------------------------------------
    @property
    def scope_prefecture_id(self) -> int | None:
        return self.prefecture_id

    @property
    def scope_municipality_id(self) -> int | None:
        return self.municipality_id

    @property
    def area_name(self) -> str:
        return str(self.municipality or self.prefecture or "")

    # --- computed on read -------------------------------------------------------------
    def _sum(self, names: tuple[str, ...]) -> int | None:
        values = [getattr(self, name) for name in names]
        return None if any(v is None for v in values) else sum(values)

    @property
    def support_total(self) -> int | None:
        """要支援1 + 要支援2, computed; else the printed 要支援者数."""
        computed = self._sum(LEVELS)
        return computed if computed is not None else self.support_total_printed

    @property
    def care_total(self) -> int | None:
        return self._sum(CARE_LEVELS)

    @property
    def certified_total(self) -> int | None:
        computed = self._sum(LEVELS + CARE_LEVELS)
        return computed if computed is not None else self.certified_total_printed

    @property
    def new_certified_total(self) -> int | None:
        return self._sum(tuple(f"new_{n}" for n in LEVELS + CARE_LEVELS))

    @property
    def certification_rate_exact(self) -> Decimal | None:
        return percent(self.certified_total, self.population_65_plus)

    @property
    def certification_rate(self) -> Decimal | None:
        return one_decimal(self.certification_rate_exact)

    @property
    def gathering_rate_exact(self) -> Decimal | None:
        return percent(self.gathering_participants, self.population_65_plus)

    @property
    def gathering_rate(self) -> Decimal | None:
        return one_decimal(self.gathering_rate_exact)

    def inconsistencies(self) -> list[str]:
        """Printed figures that the entered counts contradict (never corrected, only flagged)."""
        notes = []
        for label, exact, printed in (
            ("認定率", self.certification_rate_exact, self.certification_rate_printed),
            ("通いの場の参加率", self.gathering_rate_exact, self.gathering_rate_printed),
        ):
            if exact is not None and printed is not None and abs(exact - printed) > TOLERANCE:
                notes.append(
                    f"{label}: 記載値 {printed}％、計算値 {one_decimal(exact)}％（差が0.05ポイント超）"
                )
        for label, names, printed in (
            ("要支援者数", LEVELS, self.support_total_printed),
            ("認定者数", LEVELS + CARE_LEVELS, self.certified_total_printed),
        ):
            computed = self._sum(names)
            if computed is not None and printed is not None and computed != printed:
                notes.append(f"{label}: 記載値 {printed:,}人、区分の合計 {computed:,}人")
        return notes
