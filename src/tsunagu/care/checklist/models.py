"""Stored basic checklists (基本チェックリスト) and anonymous survey aggregates.

``ChecklistRecord`` holds what was answered — never the result: BMI, item 12, the seven
criteria and 事業対象者 are computed by the engine (:mod:`.scoring`) each time a record is
read (:meth:`ChecklistRecord.result`), so a correction of the rules or of an answer can never
leave a stale "truth" behind. It is 要配慮個人情報 and is read only through
:mod:`tsunagu.care.access` (see :mod:`.selectors`).

``ChecklistSurvey`` / ``ChecklistSurveyDistrict`` hold only per-district aggregates of an
anonymous survey file (介護予防・日常生活圏域ニーズ調査): the rows are scored in memory and
dropped; no answer of any respondent is stored.

Imported by ``care/models.py`` so that Django registers the models in the ``care`` app.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.care.checklist.rules import ANSWERED_ITEMS, CRITERIA, ITEMS_BY_NUMBER
from tsunagu.care.checklist.scoring import ChecklistResult, score_checklist


class EntryMethod(models.TextChoices):
    FORM = "form", _("入力画面")  # typed on the paper-like form
    IMPORT = "import", _("ファイル取り込み")  # .xlsx / CSV import


def _answer(number: int) -> models.BooleanField:
    # True = はい, False = いいえ, None = 未回答 (a missing answer is not "does not apply").
    return models.BooleanField(
        f"{number}. {ITEMS_BY_NUMBER[number].question}", null=True, blank=True
    )


class ChecklistRecord(models.Model):
    """One basic checklist answered by a resident on a day (様式第一)."""

    resident = models.ForeignKey(
        "care.Resident",
        on_delete=models.CASCADE,
        related_name="checklists",
        verbose_name=_("住民"),
    )
    answered_on = models.DateField(_("記入日"))
    q1 = _answer(1)
    q2 = _answer(2)
    q3 = _answer(3)
    q4 = _answer(4)
    q5 = _answer(5)
    q6 = _answer(6)
    q7 = _answer(7)
    q8 = _answer(8)
    q9 = _answer(9)
    q10 = _answer(10)
    q11 = _answer(11)
    q13 = _answer(13)
    q14 = _answer(14)
    q15 = _answer(15)
    q16 = _answer(16)
    q17 = _answer(17)
    q18 = _answer(18)
    q19 = _answer(19)
    q20 = _answer(20)
    q21 = _answer(21)
    q22 = _answer(22)
    q23 = _answer(23)
    q24 = _answer(24)
    q25 = _answer(25)
    height_cm = models.DecimalField(
        _("身長（cm）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    weight_kg = models.DecimalField(
        _("体重（kg）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    entry_method = models.CharField(
        _("入力方法"), max_length=10, choices=EntryMethod.choices, default=EntryMethod.FORM
    )
    note = models.TextField(_("メモ"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("基本チェックリスト")
        verbose_name_plural = _("基本チェックリスト")
        ordering = ["-answered_on", "-pk"]
        indexes = [models.Index(fields=["resident", "answered_on"])]

    def __str__(self) -> str:
        return f"基本チェックリスト {self.answered_on}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.resident.municipality.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.resident.municipality_id

    def answers(self) -> dict[int, bool | None]:
        return {n: getattr(self, f"q{n}") for n in ANSWERED_ITEMS}

    def set_answers(self, answers: dict[int, bool | None]) -> None:
        for n in ANSWERED_ITEMS:
            setattr(self, f"q{n}", answers.get(n))

    def result(self) -> ChecklistResult:
        """Scored on read by the engine (cached on the instance only)."""
        cached: ChecklistResult | None = getattr(self, "_result", None)
        if cached is None:
            cached = score_checklist(self.answers(), _float(self.height_cm), _float(self.weight_kg))
            self._result = cached
        return cached


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


class ChecklistSurvey(models.Model):
    """An anonymous survey file scored in bulk; only its per-district aggregates are kept."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="checklist_surveys",
        verbose_name=_("市町村"),
    )
    title = models.CharField(_("調査名"), max_length=200)
    conducted_on = models.DateField(_("調査日（基準日）"), null=True, blank=True)
    file_name = models.CharField(_("取り込んだファイル"), max_length=255, blank=True)
    respondents = models.PositiveIntegerField(_("回答数"), default=0)
    note = models.TextField(_("メモ"), blank=True)
    # Generated demo figures say so on every page.
    is_synthetic = models.BooleanField(_("架空のデータ（デモ）"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("取り込んだ人"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("チェックリスト調査（集計）")
        verbose_name_plural = _("チェックリスト調査（集計）")
        ordering = ["-conducted_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_prefecture_id(self) -> int:
        return self.municipality.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.municipality_id


def _zeros() -> list[int]:
    return [0] * len(CRITERIA)


class ChecklistSurveyDistrict(models.Model):
    """The aggregate of one district in one survey: counts only, never rows."""

    survey = models.ForeignKey(
        ChecklistSurvey,
        on_delete=models.CASCADE,
        related_name="districts",
        verbose_name=_("調査"),
    )
    district = models.ForeignKey(
        "areas.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区")
    )
    respondents = models.PositiveIntegerField(_("回答数"))
    # Per criterion 1–7: how many met it / could not be determined.
    criteria_met = models.JSONField(_("各基準に該当した数"), default=_zeros)
    criteria_unknown = models.JSONField(_("各基準が判定できなかった数"), default=_zeros)
    eligible = models.PositiveIntegerField(_("事業対象者"))
    not_eligible = models.PositiveIntegerField(_("非該当"))
    undeterminable = models.PositiveIntegerField(_("判定できず"))

    class Meta:
        verbose_name = _("チェックリスト調査の地区別集計")
        verbose_name_plural = _("チェックリスト調査の地区別集計")
        ordering = ["survey", "district_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "district"], name="checklist_survey_district")
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.district}"

    def as_counts(self) -> dict[str, Any]:
        return {
            "respondents": self.respondents,
            "criteria_met": list(self.criteria_met),
            "criteria_unknown": list(self.criteria_unknown),
            "eligible": self.eligible,
            "not_eligible": self.not_eligible,
            "undeterminable": self.undeterminable,
        }
