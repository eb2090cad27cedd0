"""The prefecture's own records behind its case sheet (事例表№6 大分県, №7 鹿児島県).

The support programs and the municipalities they chose are engagements' records
(``SupportProgram``, ``ProgramSelection``, ``Engagement``); what only the prefecture says —
why it runs them, how it chooses, how it follows up, its 留意点 — is kept here as facts, one
paragraph each, with the source it comes from.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PrefectureProfile(models.Model):
    """The prefecture's 概要 facts that statistics do not hold (its municipalities by kind)."""

    prefecture = models.OneToOneField(
        "areas.Prefecture",
        on_delete=models.PROTECT,
        related_name="case_sheet_profile",
        verbose_name=_("都道府県"),
    )
    sheet_number = models.PositiveSmallIntegerField(_("事例表の番号"), null=True, blank=True)
    cities = models.PositiveSmallIntegerField(_("市の数"))
    towns = models.PositiveSmallIntegerField(_("町の数"))
    villages = models.PositiveSmallIntegerField(_("村の数"))
    municipalities_printed = models.PositiveSmallIntegerField(
        _("市町村数（出典の記載）"), null=True, blank=True
    )
    source = models.CharField(_("出典"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("都道府県の事例表の概要")
        verbose_name_plural = _("都道府県の事例表の概要")

    def __str__(self) -> str:
        return str(self.prefecture)

    @property
    def scope_prefecture_id(self) -> int:
        return self.prefecture_id

    @property
    def scope_municipality_id(self) -> None:
        return None

    @property
    def municipalities_total(self) -> int:
        return self.cities + self.towns + self.villages

    @property
    def municipalities_label(self) -> str:
        """「18市町村（14市 3町 1村）」 as the report writes it."""
        return (
            f"{self.municipalities_total}市町村（{self.cities}市 {self.towns}町 {self.villages}村）"
        )


class FactTopic(models.TextChoices):
    """What a paragraph of the prefecture's case sheet is about, in the report's order."""

    PROGRAMS = "programs", _("支援事業")  # what the prefecture runs, and why
    SELECTION = "selection", _("市町村の選び方・対象")
    VISITS = "visits", _("訪問・支援の内容")
    FOLLOW_UP = "follow_up", _("フォローアップ")
    ASSESSMENT = "assessment", _("県の評価")
    ATTENTION = "attention", _("留意点")


SECTION_OF_TOPIC = {
    FactTopic.PROGRAMS: "1",
    FactTopic.SELECTION: "1",
    FactTopic.VISITS: "1",
    FactTopic.FOLLOW_UP: "1",
    FactTopic.ASSESSMENT: "1",
    FactTopic.ATTENTION: "2",
}


class PrefectureSupportFact(models.Model):
    """One paragraph of what a prefecture says about its support of municipalities."""

    prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.PROTECT,
        related_name="support_facts",
        verbose_name=_("都道府県"),
    )
    topic = models.CharField(_("内容の種類"), max_length=16, choices=FactTopic.choices)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    text = models.TextField(_("本文"))
    source = models.CharField(_("出典"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("都道府県の支援の記録")
        verbose_name_plural = _("都道府県の支援の記録")
        ordering = ["prefecture", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "topic", "order"], name="prefecture_fact_unique_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefecture} {self.get_topic_display()} {self.order}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.prefecture_id

    @property
    def scope_municipality_id(self) -> None:
        return None
