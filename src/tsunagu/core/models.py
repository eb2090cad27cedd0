"""Models shared by every app: the details of a history entry that no historical row holds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryDetail(models.Model):
    """Before/after of child rows replaced in one write (出席者, 日程, 参加者 …), attached to the
    parent's historical row so that its 履歴 page shows what the list was and became.

    The children are deleted and created again by their services; without this the earlier
    list would be lost. ``history_id`` is the parent's historical row (simple-history).
    """

    model_label = models.CharField(_("記録の種類"), max_length=100)
    history_id = models.BigIntegerField(_("履歴の番号"))
    label = models.CharField(_("項目"), max_length=200)
    before = models.TextField(_("変更前"), blank=True)
    after = models.TextField(_("変更後"), blank=True)

    class Meta:
        verbose_name = _("履歴の明細")
        verbose_name_plural = _("履歴の明細")
        indexes = [
            models.Index(fields=["model_label", "history_id"], name="core_history_detail_lookup")
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.model_label}#{self.history_id} {self.label}"


# The background job row lives with its package (core/jobs/); Django finds models here.
from tsunagu.core.jobs.models import Job, JobStatus  # noqa: E402, F401
