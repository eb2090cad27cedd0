"""Stewardship (担当・副担当), contact log (連絡・訪問の記録) and handover (引継ぎ) on transfer (人事異動).

One model module for the app (Django's registry and migrations); the services, selectors,
views and templates of each feature are in ``stewardship/``, ``contacts/`` and ``handover/``.
Part 2 (timeline, single-person-dependency report, stale digests) builds on:

- :class:`Stewardship` — who is 担当 / 副担当 of any registered record (``registry.py``), as
  periods (``since``/``until``): a change closes one row and opens another, so the rows are
  the record of who held what when (plus simple-history on each row).
- :class:`Interaction` — one contact with organisations / people (visit, phone, meeting,
  mail, event), optionally about any record (``subject``), with our-side users.
- :class:`Handover` / :class:`HandoverItem` — a planned or completed handover of a leaver's
  stewardships; completed items point at the stewardship they created (``created``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped


class StewardRole(models.TextChoices):
    STEWARD = "steward", _("担当")
    DEPUTY = "deputy", _("副担当")


class StewardshipQuerySet(models.QuerySet["Stewardship"]):
    def active_on(self, day: datetime.date | None = None) -> StewardshipQuerySet:
        day = day or timezone.localdate()
        return self.filter(since__lte=day).filter(
            models.Q(until__isnull=True) | models.Q(until__gte=day)
        )

    def current_or_future(self, day: datetime.date | None = None) -> StewardshipQuerySet:
        day = day or timezone.localdate()
        return self.filter(models.Q(until__isnull=True) | models.Q(until__gte=day))

    def of(self, obj: models.Model) -> StewardshipQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Stewardship(MunicipalityScoped, models.Model):
    """One person's responsibility (担当 or 副担当) for one record over a period."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("種類"))
    object_id = models.PositiveBigIntegerField(_("対象のID"))
    subject = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("市町村")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stewardships",
        verbose_name=_("担当者"),
    )
    role = models.CharField(_("役割"), max_length=16, choices=StewardRole.choices)
    since = models.DateField(_("開始日"))
    until = models.DateField(_("終了日"), null=True, blank=True)
    # Set when this row came from a completed handover (「引き継いだもの」).
    handed_over_by = models.ForeignKey(
        "continuity.HandoverItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created",
        verbose_name=_("引継ぎ"),
    )
    history = HistoricalRecords()

    objects = StewardshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("担当")
        verbose_name_plural = _("担当")
        ordering = ["content_type", "object_id", "role", "since"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                name="stewardship_until_after_since",
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.user} / {self.get_role_display()} / {self.content_type.name} {self.object_id}"
        )


class InteractionChannel(models.TextChoices):
    VISIT = "visit", _("訪問")
    PHONE = "phone", _("電話")
    MEETING = "meeting", _("打合せ・会議")
    MAIL = "mail", _("メール・手紙")
    EVENT = "event", _("行事・イベント")


class Interaction(MunicipalityScoped, models.Model):
    """One contact with organisations and people outside our side (連絡・訪問の記録)."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("市町村")
    )
    occurred_on = models.DateField(_("日付"))
    channel = models.CharField(_("方法"), max_length=16, choices=InteractionChannel.choices)
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="interactions",
        verbose_name=_("相手の団体"),
    )
    people = models.ManyToManyField(
        "directory.Person", blank=True, related_name="interactions", verbose_name=_("相手の人")
    )
    their_side_text = models.CharField(
        _("相手（名簿にない人）"),
        max_length=200,
        blank=True,
        help_text=_("名簿に登録のない相手の名前や所属"),
    )
    our_side = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="interactions",
        verbose_name=_("こちら側の参加者"),
    )
    summary = models.TextField(_("内容"))
    next_step = models.CharField(_("次にすること"), max_length=300, blank=True)
    next_step_on = models.DateField(_("次にすることの期日"), null=True, blank=True)
    # Optionally about a record (an engagement, a regional issue …): for its timeline.
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("関係する記録の種類"),
    )
    subject_id = models.PositiveBigIntegerField(_("関係する記録のID"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("連絡・訪問の記録")
        verbose_name_plural = _("連絡・訪問の記録")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_channel_display()}"


class HandoverReason(models.TextChoices):
    TRANSFER = "transfer", _("異動")
    RETIREMENT = "retirement", _("退職")


class HandoverStatus(models.TextChoices):
    DRAFT = "draft", _("準備中")
    COMPLETED = "completed", _("完了")
    CANCELLED = "cancelled", _("取りやめ")


class Handover(MunicipalityScoped, models.Model):
    """引継ぎ: everything a leaving staff member stewards, each item with a successor."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("市町村")
    )
    leaver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_leaving",
        verbose_name=_("異動・退職する人"),
    )
    reason = models.CharField(_("理由"), max_length=16, choices=HandoverReason.choices)
    effective_on = models.DateField(
        _("発令日"), help_text=_("この日から前任者は利用できなくなります（通常は4月1日）")
    )
    note = models.TextField(_("全体の引継ぎメモ"), blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=HandoverStatus.choices, default=HandoverStatus.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("開始した人"),
    )
    completed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("引継ぎ")
        verbose_name_plural = _("引継ぎ")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.leaver} {self.get_reason_display()} {self.effective_on:%Y-%m-%d}"


class HandoverItem(models.Model):
    """One stewardship of the leaver and who takes it over."""

    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="items", verbose_name=_("引継ぎ")
    )
    stewardship = models.ForeignKey(
        Stewardship, on_delete=models.PROTECT, related_name="handover_items", verbose_name=_("担当")
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_items_received",
        verbose_name=_("後任"),
    )
    note = models.TextField(_("引継ぎメモ"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("引継ぎ項目")
        verbose_name_plural = _("引継ぎ項目")
        ordering = ["handover", "stewardship__content_type", "stewardship__object_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "stewardship"], name="handover_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.handover} / {self.stewardship}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.handover.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.handover.municipality_id


class StaleDigest(models.Model):
    """One stale-items digest mailed to a user (so the reminder command mails it once per
    interval, ``TSUNAGU_STALE_DIGEST_INTERVAL_DAYS``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("送信先"),
    )
    sent_on = models.DateField(_("送信日"))
    item_count = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("動きのない担当のお知らせ")
        verbose_name_plural = _("動きのない担当のお知らせ")
        ordering = ["-sent_on", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="stale_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on}"
