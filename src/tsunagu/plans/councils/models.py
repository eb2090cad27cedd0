"""Community councils forming (地域運営組織準備会 → 地域コミュニティ協議会) per 旧小学校区.

A district the source does not name stays unnamed (``area_label`` says so, ``district`` is
empty); dates are kept with the source's wording (「令和3年3月」 is a month, not a day).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped


class FormationStage(models.TextChoices):
    WORKSHOP = "workshop", _("ワークショップ・話し合い")  # no body founded yet
    PREPARATORY = "preparatory", _("準備会")  # 地域運営組織（設立）準備会
    COUNCIL = "council", _("協議会")  # 地域コミュニティ協議会 active


class CouncilFormation(MunicipalityScoped, models.Model):
    """One area (旧小学校区 …) on its way from workshop to 準備会 to 協議会."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="council_formations",
        verbose_name=_("市町村"),
    )
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_formations",
        verbose_name=_("地区"),
    )
    area_label = models.CharField(
        _("区域"), max_length=100, help_text=_("例: 採銅所地域、旧小学校区（名称の記載なし）")
    )
    name_recorded = models.BooleanField(_("区域の名称が出典にある"), default=True)
    stage = models.CharField(_("段階"), max_length=16, choices=FormationStage.choices)
    preparatory_name = models.CharField(_("準備会の名称"), max_length=200, blank=True)
    preparatory_on = models.DateField(_("準備会の発足"), null=True, blank=True)
    preparatory_text = models.CharField(_("準備会の発足（出典の表記）"), max_length=40, blank=True)
    council_name = models.CharField(_("協議会の名称"), max_length=200, blank=True)
    council_on = models.DateField(_("協議会の設立"), null=True, blank=True)
    council_text = models.CharField(_("協議会の設立（出典の表記）"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("協議会の組織化")
        verbose_name_plural = _("協議会の組織化")
        ordering = ["municipality", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "area_label"], name="council_formation_unique_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.area_label}"

    def clean(self) -> None:
        if self.district_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError({"district": _("この市町村の地区を選んでください。")})
        if self.stage == FormationStage.WORKSHOP and (self.council_on or self.preparatory_on):
            raise ValidationError(
                {"stage": _("日付があるときは段階を準備会か協議会にしてください。")}
            )
        if self.stage == FormationStage.PREPARATORY and self.council_on:
            raise ValidationError(
                {"stage": _("協議会の設立日があるときは段階を協議会にしてください。")}
            )
        if self.preparatory_on and self.council_on and self.council_on < self.preparatory_on:
            raise ValidationError({"council_on": _("協議会の設立は準備会の発足より後の日付です。")})

    @property
    def has_preparatory(self) -> bool:
        return self.stage in (FormationStage.PREPARATORY, FormationStage.COUNCIL)

    @property
    def has_council(self) -> bool:
        return self.stage == FormationStage.COUNCIL


class AgeBand(models.TextChoices):
    UNDER_40 = "under_40", _("40歳未満")
    FROM_40 = "40s_50s", _("40〜59歳")
    FROM_60 = "60s", _("60〜69歳")
    FROM_70 = "70_plus", _("70歳以上")


class Gender(models.TextChoices):
    WOMAN = "woman", _("女性")
    MAN = "man", _("男性")
    OTHER = "other", _("その他・回答しない")


class KeyPerson(models.Model):
    """A key person chosen for a 準備会: where from, age band, gender — no name, only balance."""

    formation = models.ForeignKey(
        CouncilFormation,
        on_delete=models.CASCADE,
        related_name="key_persons",
        verbose_name=_("協議会の組織化"),
    )
    sub_area = models.CharField(_("地域（自治会など）"), max_length=100)
    age_band = models.CharField(_("年齢層"), max_length=16, choices=AgeBand.choices)
    gender = models.CharField(_("性別"), max_length=16, choices=Gender.choices)
    role = models.CharField(_("立場"), max_length=100, blank=True)
    is_synthetic = models.BooleanField(_("デモ用の架空の値"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("キーパーソン")
        verbose_name_plural = _("キーパーソン")
        ordering = ["formation", "id"]

    def __str__(self) -> str:
        return f"{self.sub_area} {self.get_age_band_display()} {self.get_gender_display()}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.formation.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.formation.municipality_id
