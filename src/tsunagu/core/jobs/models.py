"""The job row: what a user sees of a background job (imported by ``core.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")  # waiting for a worker
    RUNNING = "running", _("実行中")  # a worker runs it (and beats)
    DONE = "done", _("完了")  # finished; result and result_url set
    FAILED = "failed", _("失敗")  # the handler raised; error says why, 再実行 possible
    INTERRUPTED = "interrupted", _("中断")  # cancelled, or its worker died; 再実行 possible


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.INTERRUPTED)
RETRYABLE = (JobStatus.FAILED, JobStatus.INTERRUPTED)


class Job(models.Model):
    """One background job a user started (or the scheduler, then without owner).

    ``input`` is kept unchanged for the job's life, so 再実行 never loses what was asked;
    ``dedupe_key`` makes a periodic run unique per day across several workers.
    """

    kind = models.CharField(_("種類"), max_length=80)
    title = models.CharField(_("件名"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("依頼した人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("市町村"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("処理済み"), default=0)
    total = models.PositiveIntegerField(_("全体"), default=0)
    message = models.CharField(_("進み具合"), max_length=200, blank=True)
    input = models.JSONField(_("入力"), default=dict, blank=True)
    result = models.JSONField(_("結果"), null=True, blank=True)
    result_url = models.CharField(_("結果のURL"), max_length=300, blank=True)
    error = models.TextField(_("エラー"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("実行回数"), default=0)
    task_id = models.CharField(_("キューのID"), max_length=64, blank=True)
    worker_id = models.CharField(_("ワーカー"), max_length=100, blank=True)
    dedupe_key = models.CharField(
        _("重複防止キー"), max_length=120, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最後の報告"), null=True, blank=True)

    class Meta:
        verbose_name = _("ジョブ")
        verbose_name_plural = _("ジョブ")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="core_job_owner_recent"),
            models.Index(fields=["status"], name="core_job_status"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE

    @property
    def percent(self) -> int:
        return min(100, int(self.done * 100 / self.total)) if self.total else 0
