"""Regional issues (地域課題) and their path from raised to running, with executing actors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped

DEFAULT_UNASSIGNED_FLAG_DAYS = 90  # 担い手未定: days in 検討/企画 without an executing actor
DEFAULT_STALE_DAYS = 180  # no stage change or update for this long → stale


class Theme(models.Model):
    """Issue theme taxonomy (移動・交通, 買い物 …); administrators extend it."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英語名"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("テーマ")
        verbose_name_plural = _("テーマ")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class IssueStage(models.TextChoices):
    IDENTIFIED = "identified", _("把握")
    DISCUSSING = "discussing", _("検討")
    PLANNING = "planning", _("企画")
    PREPARING = "preparing", _("準備")  # needs an executing actor and a target
    RUNNING = "running", _("実行")  # needs a start date
    REVIEWING = "reviewing", _("評価")
    DONE = "done", _("完了")
    ON_HOLD = "on_hold", _("保留")  # from any stage, with a reason


STAGE_ORDER = [
    IssueStage.IDENTIFIED,
    IssueStage.DISCUSSING,
    IssueStage.PLANNING,
    IssueStage.PREPARING,
    IssueStage.RUNNING,
    IssueStage.REVIEWING,
    IssueStage.DONE,
]


class SourceKind(models.TextChoices):
    MEETING = "meeting", _("会議")
    SURVEY = "survey", _("調査・アンケート")
    CONSULTATION = "consultation", _("相談")
    CASE_MEETING = "case_meeting", _("地域ケア個別会議（個人情報は記録しない）")
    OTHER = "other", _("その他")


class IssueSettings(models.Model):
    """Per-municipality thresholds for the issue flags."""

    municipality = models.OneToOneField(
        "areas.Municipality",
        on_delete=models.CASCADE,
        related_name="issue_settings",
        verbose_name=_("市町村"),
    )
    unassigned_flag_days = models.PositiveSmallIntegerField(
        _("担い手未定とする日数"), default=DEFAULT_UNASSIGNED_FLAG_DAYS
    )
    stale_days = models.PositiveSmallIntegerField(_("停滞とする日数"), default=DEFAULT_STALE_DAYS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地域課題の設定")
        verbose_name_plural = _("地域課題の設定")

    def __str__(self) -> str:
        return str(self.municipality)


class RegionalIssue(MunicipalityScoped, models.Model):
    """地域課題: raised somewhere, carried through stages by named executing actors."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="regional_issues",
        verbose_name=_("市町村"),
    )
    title = models.CharField(_("課題"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="issues", verbose_name=_("テーマ")
    )
    daily_life_areas = models.ManyToManyField(
        "areas.DailyLifeArea",
        blank=True,
        related_name="regional_issues",
        verbose_name=_("日常生活圏域"),
    )
    districts = models.ManyToManyField(
        "areas.District", blank=True, related_name="regional_issues", verbose_name=_("地区")
    )
    body = models.ForeignKey(
        "bodies.ConsultativeBody",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="regional_issues",
        verbose_name=_("扱う会議体"),
    )
    source_kind = models.CharField(
        _("把握のきっかけ"), max_length=20, choices=SourceKind.choices, default=SourceKind.MEETING
    )
    source_meeting = models.ForeignKey(
        "bodies.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_issues",
        verbose_name=_("提起された会議"),
    )
    source_note = models.CharField(_("きっかけの補足"), max_length=300, blank=True)
    raised_on = models.DateField(_("提起日"), default=timezone.localdate)
    raised_by_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_issues",
        verbose_name=_("提起した団体"),
    )
    raised_by_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_issues",
        verbose_name=_("提起した人"),
    )
    stage = models.CharField(
        _("段階"), max_length=16, choices=IssueStage.choices, default=IssueStage.IDENTIFIED
    )
    stage_entered_at = models.DateTimeField(_("現在の段階になった日時"), default=timezone.now)
    held_from_stage = models.CharField(
        _("保留前の段階"), max_length=16, choices=IssueStage.choices, blank=True
    )
    target = models.TextField(_("対象（誰に・どの地域で）"), blank=True)
    plan = models.TextField(_("計画"), blank=True)
    started_on = models.DateField(_("実行開始日"), null=True, blank=True)
    resources = models.ManyToManyField(
        "directory.Resource",
        blank=True,
        related_name="regional_issues",
        verbose_name=_("関連する地域資源"),
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="related_issues",
        verbose_name=_("関連する団体"),
    )
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes, daily_life_areas, districts])

    class Meta:
        verbose_name = _("地域課題")
        verbose_name_plural = _("地域課題")
        ordering = ["municipality", "-raised_on", "id"]
        indexes = [models.Index(fields=["municipality", "stage"])]

    def __str__(self) -> str:
        return self.title


class ExecutingActor(models.Model):
    """実行主体・担い手: an organisation that agreed to carry the work, with its role."""

    issue = models.ForeignKey(
        RegionalIssue,
        on_delete=models.CASCADE,
        related_name="executing_actors",
        verbose_name=_("地域課題"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="executing_roles",
        verbose_name=_("団体"),
    )
    role = models.CharField(_("役割"), max_length=200)
    agreed_on = models.DateField(_("合意した日"), null=True, blank=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("実行主体")
        verbose_name_plural = _("実行主体")
        constraints = [
            models.UniqueConstraint(fields=["issue", "organisation"], name="executing_actor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}（{self.role}）"


class StageChange(models.Model):
    """Who moved an issue from which stage to which, when and why."""

    issue = models.ForeignKey(
        RegionalIssue,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("地域課題"),
    )
    from_stage = models.CharField(
        _("変更前"), max_length=16, choices=IssueStage.choices, blank=True
    )
    to_stage = models.CharField(_("変更後"), max_length=16, choices=IssueStage.choices)
    changed_at = models.DateTimeField(_("日時"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("変更した人"),
    )
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("段階の変更")
        verbose_name_plural = _("段階の変更")
        ordering = ["issue", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.issue}: {self.from_stage} → {self.to_stage}"


class Idea(models.Model):
    """アイディア attached to an issue; adopting it copies it into the plan."""

    issue = models.ForeignKey(
        RegionalIssue, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("地域課題")
    )
    text = models.TextField(_("アイディア"))
    proposer_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("提案者"),
    )
    proposer_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("提案した団体"),
    )
    meeting = models.ForeignKey(
        "bodies.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("出た会議"),
    )
    adopted_at = models.DateTimeField(_("採用日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("アイディア")
        verbose_name_plural = _("アイディア")
        ordering = ["issue", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class Comment(models.Model):
    issue = models.ForeignKey(
        RegionalIssue, on_delete=models.CASCADE, related_name="comments", verbose_name=_("地域課題")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("投稿者"),
    )
    text = models.TextField(_("コメント"))
    created_at = models.DateTimeField(_("投稿日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("コメント")
        verbose_name_plural = _("コメント")
        ordering = ["issue", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]
