"""Areas (区域) and their statistics snapshots (統計)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.codes import validate_local_government_code
from tsunagu.core.geo import validate_boundary


class AreaBase(models.Model):
    """Fields every area has: a name, its reading, and optionally a boundary and centre."""

    name = models.CharField(_("名称"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=100, blank=True)
    boundary = models.JSONField(
        _("境界（GeoJSON）"),
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text=_("GeoJSON の Polygon または MultiPolygon（経度, 緯度の順）。"),
    )
    centre_lat = models.DecimalField(
        _("中心点の緯度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    centre_lon = models.DecimalField(
        _("中心点の経度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Prefecture(AreaBase):
    """都道府県."""

    code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
    )
    name_en = models.CharField(_("英語名"), max_length=100, blank=True)
    history = HistoricalRecords()

    kind = "prefecture"

    class Meta:
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")
        ordering = ["code"]

    @property
    def scope_prefecture_id(self) -> int:
        return self.pk

    @property
    def scope_municipality_id(self) -> None:
        return None


class Municipality(AreaBase):
    """市町村 (a 保険者 of the long-term care insurance)."""

    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("都道府県"),
    )
    code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
    )
    name_en = models.CharField(_("英語名"), max_length=100, blank=True)
    history = HistoricalRecords()

    kind = "municipality"

    class Meta:
        verbose_name = _("市町村")
        verbose_name_plural = _("市町村")
        ordering = ["code"]

    @property
    def scope_prefecture_id(self) -> int:
        return self.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.pk


class MunicipalSubArea(AreaBase):
    """A part of one municipality; subclasses define ``municipality``."""

    municipality: models.ForeignKey

    class Meta:
        abstract = True

    @property
    def scope_prefecture_id(self) -> int:
        return self.municipality.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.municipality_id


class DailyLifeArea(MunicipalSubArea):
    """日常生活圏域 (often a junior-high-school district; where layer-2 bodies work)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="daily_life_areas",
        verbose_name=_("市町村"),
    )
    note = models.TextField(_("備考"), blank=True)
    history = HistoricalRecords()

    kind = "daily_life_area"

    class Meta:
        verbose_name = _("日常生活圏域")
        verbose_name_plural = _("日常生活圏域")
        ordering = ["municipality", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="daily_life_area_unique_name"
            )
        ]


class DistrictKind(models.TextChoices):
    COMMUNITY_COUNCIL = "community_council", _("地域コミュニティ協議会の区域")
    SCHOOL_DISTRICT = "school_district", _("校区")
    NEIGHBOURHOOD = "neighbourhood", _("自治会・町内会の区域")
    OTHER = "other", _("その他の地区")


class District(MunicipalSubArea):
    """地区: a community-council area, a school district or another named part of a municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="districts", verbose_name=_("市町村")
    )
    daily_life_area = models.ForeignKey(
        DailyLifeArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("日常生活圏域"),
    )
    district_kind = models.CharField(
        _("地区の種類"), max_length=32, choices=DistrictKind.choices, default=DistrictKind.OTHER
    )
    note = models.TextField(_("備考"), blank=True)
    history = HistoricalRecords()

    kind = "district"

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["municipality", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name")
        ]


class AsOfPrecision(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")
    YEAR = "year", _("年")


COUNT_FIELDS = (
    "total_population",
    "population_65_plus",
    "population_75_plus",
    "support_required",
    "care_required",
    "certified_total",
    "program_eligible",
)


class StatisticsSnapshot(models.Model):
    """Figures for one area at one date, from one source, kept exactly as the source gives them.

    The area is the most specific of district → daily-life area → municipality →
    prefecture that is set; ``municipality`` (or ``prefecture`` for prefecture-level
    figures) is always set and is what scoping uses.
    """

    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        verbose_name=_("都道府県"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        verbose_name=_("市町村"),
    )
    daily_life_area = models.ForeignKey(
        DailyLifeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        verbose_name=_("日常生活圏域"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        verbose_name=_("地区"),
    )
    as_of = models.DateField(_("時点"))
    as_of_precision = models.CharField(
        _("時点の精度"), max_length=8, choices=AsOfPrecision.choices, default=AsOfPrecision.DAY
    )
    as_of_text = models.CharField(_("時点（出典の表記）"), max_length=60, blank=True)
    total_population = models.PositiveIntegerField(_("総人口"), null=True, blank=True)
    population_65_plus = models.PositiveIntegerField(_("65歳以上人口"), null=True, blank=True)
    population_75_plus = models.PositiveIntegerField(_("75歳以上人口"), null=True, blank=True)
    support_required = models.PositiveIntegerField(_("要支援者数"), null=True, blank=True)
    care_required = models.PositiveIntegerField(_("要介護者数"), null=True, blank=True)
    certified_total = models.PositiveIntegerField(
        _("要介護（要支援）認定者数"), null=True, blank=True
    )
    program_eligible = models.PositiveIntegerField(_("事業対象者数"), null=True, blank=True)
    reported_aging_rate = models.DecimalField(
        _("高齢化率（出典の記載、％）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField(_("出典"), max_length=300)
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("統計（時点別）")
        verbose_name_plural = _("統計（時点別）")
        ordering = ["as_of", "id"]
        constraints = [
            models.CheckConstraint(
                name="statistics_one_scope",
                condition=models.Q(prefecture__isnull=True, municipality__isnull=False)
                | models.Q(
                    prefecture__isnull=False,
                    municipality__isnull=True,
                    daily_life_area__isnull=True,
                    district__isnull=True,
                ),
            )
        ]
        indexes = [models.Index(fields=["municipality", "as_of"])]

    def __str__(self) -> str:
        return f"{self.area} {self.as_of:%Y-%m-%d}"

    @property
    def area(self) -> AreaBase:
        return self.district or self.daily_life_area or self.municipality or self.prefecture  # type: ignore[return-value]

    @property
    def area_key(self) -> tuple[str, int]:
        area = self.area
        return (area.kind, area.pk)  # type: ignore[attr-defined]

    @property
    def scope_prefecture_id(self) -> int | None:
        return self.prefecture_id or (
            self.municipality.prefecture_id if self.municipality else None
        )

    @property
    def scope_municipality_id(self) -> int | None:
        return self.municipality_id

    @property
    def computed_aging_rate_exact(self) -> Decimal | None:
        """65+ / total × 100 unrounded, or None when a count is missing (DOMAIN.md 3.2)."""
        if not self.total_population or self.population_65_plus is None:
            return None
        return Decimal(self.population_65_plus) * 100 / Decimal(self.total_population)

    @property
    def computed_aging_rate(self) -> Decimal | None:
        """The aging rate to one decimal, as displayed."""
        exact = self.computed_aging_rate_exact
        if exact is None:
            return None
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
