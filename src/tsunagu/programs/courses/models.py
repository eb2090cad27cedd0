"""Service C courses (短期集中予防サービス) and their participants.

A :class:`Course` is one 総合事業 program instance of type 訪問型C or 通所型C with a period
(3–6 months by default, :class:`CourseSettings` per municipality), a target profile, a
capacity, a provider and sessions. A :class:`Participant` is a resident's path through it:
the checklist that justified the enrolment, goals, start and end assessments, attendance,
candidate 受皿 named at the start, graduation with an outcome and its 受皿 plan (a referral or
a recorded reason why none), and follow-ups at 3 and 6 months.

Participants are 要配慮個人情報: read only through :mod:`tsunagu.care.access`. Imported by
``care/models.py`` so that Django registers the models in the ``care`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped

SERVICE_C_TYPES = ("home_c", "day_c")  # directory.catalog: 訪問型C, 通所型C
DEFAULT_MIN_MONTHS = 3
DEFAULT_MAX_MONTHS = 6
FOLLOW_UP_MONTHS = (3, 6)


class CourseSettings(MunicipalityScoped, models.Model):
    """A municipality's limits on a course's period (default 3 to 6 months)."""

    municipality = models.OneToOneField(
        "areas.Municipality",
        on_delete=models.CASCADE,
        related_name="course_settings",
        verbose_name=_("市町村"),
    )
    min_months = models.PositiveSmallIntegerField(_("期間の下限（月）"), default=DEFAULT_MIN_MONTHS)
    max_months = models.PositiveSmallIntegerField(_("期間の上限（月）"), default=DEFAULT_MAX_MONTHS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サービスCの期間の設定")
        verbose_name_plural = _("サービスCの期間の設定")

    def __str__(self) -> str:
        return f"{self.municipality} {self.min_months}〜{self.max_months}"


class Course(MunicipalityScoped, models.Model):
    """One service C course: a program instance of type 訪問型C or 通所型C with its period."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="service_c_courses",
        verbose_name=_("市町村"),
    )
    program = models.ForeignKey(
        "programs.ProgramInstance",
        on_delete=models.PROTECT,
        related_name="service_c_courses",
        verbose_name=_("総合事業の実施事業（サービスC）"),
    )
    name = models.CharField(_("コース名"), max_length=200)
    provider = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_c_courses",
        verbose_name=_("実施する団体（リハ職など）"),
    )
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    capacity = models.PositiveIntegerField(_("定員（人）"))
    # Target profile: the checklist criteria (care.checklist.rules.CRITERIA numbers 1–7) and
    # the care levels (care.models.CareLevel codes) the course is for.
    target_criteria = models.JSONField(
        _("対象とするチェックリストの基準"), default=list, blank=True
    )
    target_levels = models.JSONField(_("対象とする要介護度など"), default=list, blank=True)
    target_note = models.TextField(_("対象者像"), blank=True)
    is_synthetic = models.BooleanField(_("架空のデータ（デモ）"), default=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サービスCのコース")
        verbose_name_plural = _("サービスCのコース")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["municipality", "starts_on"])]

    def __str__(self) -> str:
        return self.name


class CourseSession(models.Model):
    """One session of a course (a day, a topic)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("コース")
    )
    date = models.DateField(_("日付"))
    topic = models.CharField(_("内容"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("コースの回")
        verbose_name_plural = _("コースの回")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}".strip()


class Outcome(models.TextChoices):
    IMPROVED = "improved", _("改善")
    MAINTAINED = "maintained", _("維持")
    WORSENED = "worsened", _("悪化")
    DISCONTINUED = "discontinued", _("中断")


class Participant(models.Model):
    """A resident's path through one course, from enrolment to graduation."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="participants", verbose_name=_("コース")
    )
    resident = models.ForeignKey(
        "care.Resident",
        on_delete=models.CASCADE,
        related_name="course_participations",
        verbose_name=_("住民"),
    )
    enrolled_on = models.DateField(_("参加開始日"))
    # What justified the enrolment: a checklist record, or an assessment note.
    justification_checklist = models.ForeignKey(
        "care.ChecklistRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("参加の根拠（基本チェックリスト）"),
    )
    justification_note = models.TextField(_("参加の根拠（アセスメントのメモ）"), blank=True)
    goal_own_words = models.TextField(_("本人の言葉での目標"), blank=True)
    start_checklist = models.ForeignKey(
        "care.ChecklistRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("開始時のチェックリスト"),
    )
    start_goal_status = models.TextField(_("開始時の目標の状態"), blank=True)
    end_checklist = models.ForeignKey(
        "care.ChecklistRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("終了時のチェックリスト"),
    )
    end_goal_status = models.TextField(_("終了時の目標の状態"), blank=True)
    graduated_on = models.DateField(_("卒業（終了）日"), null=True, blank=True)
    outcome = models.CharField(_("結果"), max_length=16, choices=Outcome.choices, blank=True)
    discontinue_reason = models.TextField(_("中断の理由"), blank=True)
    # The 受皿 plan at graduation: a referral of this resident, or why there is none.
    receiver_referral = models.ForeignKey(
        "care.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_graduations",
        verbose_name=_("受皿へのつなぎ"),
    )
    no_receiver_reason = models.TextField(_("受皿につながない理由"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サービスCの参加者")
        verbose_name_plural = _("サービスCの参加者")
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "resident"], name="course_participant_once")
        ]
        indexes = [models.Index(fields=["resident", "graduated_on"])]

    def __str__(self) -> str:
        return f"参加者 #{self.pk}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.course.municipality.prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.course.municipality_id


class Goal(models.Model):
    """A measurable goal (e.g. 買い物に一人で行ける), achieved or not at the end."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="goals", verbose_name=_("参加者")
    )
    text = models.CharField(_("目標"), max_length=200)
    achieved = models.BooleanField(_("達成"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目標")
        verbose_name_plural = _("目標")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Attendance(models.Model):
    """Whether a participant came to a session."""

    session = models.ForeignKey(
        CourseSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("回")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("参加者"),
    )
    present = models.BooleanField(_("出席"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出欠")
        verbose_name_plural = _("出欠")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.participant}"


class CandidateReceiver(models.Model):
    """A 受皿 named in the start-of-course plan (a directory resource or a program instance)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="candidates",
        verbose_name=_("参加者"),
    )
    resource = models.ForeignKey(
        "directory.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("地域資源"),
    )
    program = models.ForeignKey(
        "programs.ProgramInstance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("総合事業"),
    )
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("受皿の候補")
        verbose_name_plural = _("受皿の候補")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resource__isnull=False) | models.Q(program__isnull=False),
                name="candidate_receiver_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return str(self.resource or self.program)


class FollowUp(models.Model):
    """The follow-up 3 or 6 months after graduation."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("参加者"),
    )
    months = models.PositiveSmallIntegerField(_("卒業後の月数"))
    due_on = models.DateField(_("予定日"))
    done_on = models.DateField(_("実施日"), null=True, blank=True)
    still_taking_part = models.BooleanField(_("受皿に参加し続けている"), null=True, blank=True)
    # Confirmed by staff (the page proposes what the data shows: a care level or a new course).
    came_back = models.BooleanField(_("サービス利用者に戻った"), null=True, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("卒業後のフォローアップ")
        verbose_name_plural = _("卒業後のフォローアップ")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "months"], name="follow_up_once")
        ]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.months}か月 {self.due_on}"
