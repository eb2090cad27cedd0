"""Accompanying support (伴走的支援): programs, engagements, visits, insights, roadmaps, follow-ups.

Decisions the case-sheet helper relies on:

* The case sheet's narrative sections 2 伴走的支援後の取組 (``post_support_actions``), 3 留意点
  (``points_of_attention``) and 4 国等への意見・要望 (``requests_to_government``) live on
  :class:`Engagement`, because a municipality may have several engagements (出水市 令和4年度 and its
  令和5年度 follow-up) and each says what happened after *that* support. A municipality's case
  sheet reads the engagements of that municipality (newest first) and combines them.
* 1 (1) 理由 is ``Engagement.reasons``; 1 (2) 経緯 is ``Engagement.background`` plus the visits.
* Fiscal years are stored as the Western year in which the fiscal year starts (令和6年度 = 2024).
* Departments (庁内の部署) that take part in a visit are written as text
  (``VisitParticipant.department``) because the report names them that way and they are not always
  in the directory; outside organisations are either a directory organisation or a name + type.

One module (~890 lines) because Django registers the app's models here and most of the length
is field declarations with their Japanese labels and help texts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import MunicipalityScoped
from tsunagu.directory.models import OrganisationType

DEFAULT_FIRST_REMINDER_DAYS = 90  # first follow-up reminder this many days after the last visit
DEFAULT_REPEAT_REMINDER_DAYS = 180  # then every this many days while no follow-up is recorded


def fiscal_year_end(fiscal_year: int) -> datetime.date:
    """The last day (3月31日) of fiscal year ``fiscal_year`` (西暦の年度開始年)."""
    return datetime.date(fiscal_year + 1, 3, 31)


# ---------------------------------------------------------------------------------------------
# Programs (支援事業)


class ProgramOwnerKind(models.TextChoices):
    MINISTRY = (
        "ministry",
        _("国（厚生労働省・地方厚生局）"),
    )  # e.g. 地域づくり加速化事業 via 九州厚生局
    PREFECTURE = "prefecture", _("都道府県")  # e.g. 大分県 supervisor dispatch


class SupportProgram(models.Model):
    """支援事業: a program that sends advisors to municipalities (地域づくり加速化事業 …)."""

    owner_kind = models.CharField(
        _("実施主体の種類"), max_length=16, choices=ProgramOwnerKind.choices
    )
    owner_prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_programs",
        verbose_name=_("実施する都道府県"),
    )
    regional_bureau = models.CharField(
        _("担当の地方厚生局"), max_length=60, blank=True, help_text=_("例: 九州厚生局")
    )
    name = models.CharField(_("事業名"), max_length=200)
    short_name = models.CharField(_("略称"), max_length=60, blank=True)
    description = models.TextField(_("事業の内容"), blank=True)
    focus = models.CharField(_("重点分野"), max_length=200, blank=True, help_text=_("例: 移動支援"))
    typical_visits = models.PositiveSmallIntegerField(_("標準の訪問回数"), null=True, blank=True)
    typical_months = models.PositiveSmallIntegerField(
        _("標準の支援期間（月）"), null=True, blank=True
    )
    partner_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="support_programs",
        verbose_name=_("連携・委託先の団体"),
    )
    first_fiscal_year = models.PositiveSmallIntegerField(_("開始年度（西暦）"))
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("終了年度（西暦）"), null=True, blank=True, help_text=_("続いている場合は空欄")
    )
    # Reminder delays for this program; empty = the prefecture's setting or the default.
    first_reminder_days = models.PositiveSmallIntegerField(
        _("最後の訪問からフォローアップ通知までの日数"), null=True, blank=True
    )
    repeat_reminder_days = models.PositiveSmallIntegerField(
        _("フォローアップ通知を繰り返す間隔（日）"), null=True, blank=True
    )
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[partner_organisations])

    class Meta:
        verbose_name = _("支援事業")
        verbose_name_plural = _("支援事業")
        ordering = ["owner_kind", "owner_prefecture", "first_fiscal_year", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.owner_kind == ProgramOwnerKind.PREFECTURE and not self.owner_prefecture_id:
            raise ValidationError(
                {"owner_prefecture": _("都道府県の事業には実施する都道府県を指定してください。")}
            )
        if self.owner_kind == ProgramOwnerKind.MINISTRY and self.owner_prefecture_id:
            raise ValidationError({"owner_prefecture": _("国の事業には都道府県を指定しません。")})
        if self.last_fiscal_year and self.last_fiscal_year < self.first_fiscal_year:
            raise ValidationError({"last_fiscal_year": _("終了年度は開始年度以降にしてください。")})

    # Programs are reference data: ministry programs national, prefecture ones of a prefecture.
    @property
    def scope_prefecture_id(self) -> int | None:
        return self.owner_prefecture_id

    @property
    def scope_municipality_id(self) -> int | None:
        return None

    @property
    def owner_label(self) -> str:
        if self.owner_kind == ProgramOwnerKind.PREFECTURE and self.owner_prefecture_id:
            return str(self.owner_prefecture)
        return str(self.regional_bureau or _("国"))


class SelectionStatus(models.TextChoices):
    APPLIED = "applied", _("応募")  # application sent, not decided yet
    SELECTED = "selected", _("採択")  # selected for support in that fiscal year
    NOT_SELECTED = "not_selected", _("不採択")


class ProgramSelection(MunicipalityScoped, models.Model):
    """応募・採択: one municipality's application to a program for one fiscal year."""

    program = models.ForeignKey(
        SupportProgram,
        on_delete=models.CASCADE,
        related_name="selections",
        verbose_name=_("支援事業"),
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="program_selections",
        verbose_name=_("市町村"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    status = models.CharField(
        _("結果"), max_length=16, choices=SelectionStatus.choices, default=SelectionStatus.APPLIED
    )
    note = models.TextField(_("備考"), blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("応募・採択")
        verbose_name_plural = _("応募・採択")
        ordering = ["program", "-fiscal_year", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "municipality", "fiscal_year"], name="program_selection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.fiscal_year} {self.municipality}"


class FollowUpSettings(models.Model):
    """A prefecture's follow-up reminder delays (a program may override them)."""

    prefecture = models.OneToOneField(
        "areas.Prefecture",
        on_delete=models.CASCADE,
        related_name="engagement_followup_settings",
        verbose_name=_("都道府県"),
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("最後の訪問からフォローアップ通知までの日数"), default=DEFAULT_FIRST_REMINDER_DAYS
    )
    repeat_reminder_days = models.PositiveSmallIntegerField(
        _("フォローアップ通知を繰り返す間隔（日）"), default=DEFAULT_REPEAT_REMINDER_DAYS
    )
    send_email = models.BooleanField(_("メールでも知らせる"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("フォローアップ通知の設定")
        verbose_name_plural = _("フォローアップ通知の設定")

    def __str__(self) -> str:
        return str(self.prefecture)

    @property
    def scope_prefecture_id(self) -> int:
        return self.prefecture_id

    @property
    def scope_municipality_id(self) -> None:
        return None


# ---------------------------------------------------------------------------------------------
# Engagements (伴走的支援)


class EngagementStatus(models.TextChoices):
    APPLIED = "applied", _("応募")  # the municipality applied
    SELECTED = "selected", _("採択")  # selected; visits not started
    IN_SUPPORT = "in_support", _("支援中")  # advisors are visiting
    SUPPORT_ENDED = "support_ended", _("支援終了")  # the program's visits are over
    FOLLOWING_UP = "following_up", _("フォローアップ中")  # prefecture keeps in touch
    ON_TRACK = "on_track", _("一定のめど")  # the work is on track (久留米市: 軌道に乗るまで)
    STALLED = "stalled", _("停滞")  # needs a reason, e.g. 担当者の異動
    NOT_SELECTED = "not_selected", _("不採択")  # application not selected


# Allowed transitions; services enforce them.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    EngagementStatus.APPLIED: frozenset({EngagementStatus.SELECTED, EngagementStatus.NOT_SELECTED}),
    EngagementStatus.SELECTED: frozenset({EngagementStatus.IN_SUPPORT, EngagementStatus.STALLED}),
    EngagementStatus.IN_SUPPORT: frozenset(
        {EngagementStatus.SUPPORT_ENDED, EngagementStatus.STALLED}
    ),
    EngagementStatus.SUPPORT_ENDED: frozenset(
        {EngagementStatus.FOLLOWING_UP, EngagementStatus.ON_TRACK, EngagementStatus.STALLED}
    ),
    EngagementStatus.FOLLOWING_UP: frozenset({EngagementStatus.ON_TRACK, EngagementStatus.STALLED}),
    EngagementStatus.STALLED: frozenset(
        {
            EngagementStatus.IN_SUPPORT,
            EngagementStatus.FOLLOWING_UP,
            EngagementStatus.ON_TRACK,
        }
    ),
    EngagementStatus.ON_TRACK: frozenset({EngagementStatus.FOLLOWING_UP, EngagementStatus.STALLED}),
    EngagementStatus.NOT_SELECTED: frozenset(),
}
# Statuses that need a reason when entered.
STATUSES_NEEDING_REASON = frozenset({EngagementStatus.STALLED})
# Statuses after the visits, where follow-up reminders apply.
FOLLOW_UP_STATUSES = frozenset(
    {EngagementStatus.SUPPORT_ENDED, EngagementStatus.FOLLOWING_UP, EngagementStatus.STALLED}
)


class Engagement(MunicipalityScoped, models.Model):
    """伴走的支援: one program's support of one municipality in one fiscal year.

    The case sheet (事例表) reads ``reasons`` (1 (1) 理由), ``background`` (1 (2) 経緯) and the
    three narrative fields below (sections 2–4); see the module docstring.
    """

    program = models.ForeignKey(
        SupportProgram,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("支援事業"),
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("市町村"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    theme = models.CharField(
        _("テーマ"), max_length=200, help_text=_("例: 移動支援、サービスBの構築")
    )
    reasons = models.TextField(_("応募の理由"), blank=True)
    background = models.TextField(_("経緯"), blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.APPLIED
    )
    status_reason = models.TextField(_("状態の理由"), blank=True)
    status_changed_at = models.DateTimeField(_("状態が変わった日時"), default=timezone.now)
    started_on = models.DateField(_("支援開始日"), null=True, blank=True)
    ended_on = models.DateField(_("支援終了日"), null=True, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_engagements",
        verbose_name=_("引き続きの支援の元になった支援"),
        help_text=_("例: 出水市 令和5年度の支援は令和4年度の支援の続き"),
    )
    post_support_actions = models.TextField(_("伴走的支援後の取組"), blank=True)
    points_of_attention = models.TextField(_("地域づくりを進める上での留意点"), blank=True)
    requests_to_government = models.TextField(_("国等への意見・要望"), blank=True)
    bodies = models.ManyToManyField(
        "bodies.ConsultativeBody",
        blank=True,
        related_name="engagements",
        verbose_name=_("関わった会議体"),
    )
    issues = models.ManyToManyField(
        "regional_issues.RegionalIssue",
        blank=True,
        related_name="engagements",
        verbose_name=_("関わった地域課題"),
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="engagements",
        verbose_name=_("関わった団体"),
    )
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[bodies, issues, organisations])

    class Meta:
        verbose_name = _("伴走的支援")
        verbose_name_plural = _("伴走的支援")
        ordering = ["-fiscal_year", "municipality", "id"]
        indexes = [models.Index(fields=["municipality", "fiscal_year"])]

    def __str__(self) -> str:
        from tsunagu.core.wareki import format_fiscal_year

        return f"{self.municipality} {format_fiscal_year(self.fiscal_year)} {self.theme}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("支援終了日は支援開始日以降にしてください。")})
        if self.status in STATUSES_NEEDING_REASON and not self.status_reason.strip():
            raise ValidationError({"status_reason": _("停滞の理由を入力してください。")})


class EngagementAdvisor(models.Model):
    """アドバイザー・スーパーバイザー of an engagement; ``user`` gets access to it."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="advisors", verbose_name=_("伴走的支援")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor_roles",
        verbose_name=_("人（名簿）"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor_roles",
        verbose_name=_("団体（名簿）"),
    )
    name = models.CharField(
        _("氏名・団体名"), max_length=200, blank=True, help_text=_("名簿にない場合に記入")
    )
    affiliation = models.CharField(_("所属"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_advisor_roles",
        verbose_name=_("利用者アカウント"),
        help_text=_("このアカウントはこの支援の記録だけを見られます。"),
    )
    role = models.CharField(_("役割"), max_length=60, default="アドバイザー")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("アドバイザー")
        verbose_name_plural = _("アドバイザー")
        ordering = ["engagement", "id"]
        constraints = [
            models.CheckConstraint(
                name="engagement_advisor_has_someone",
                condition=models.Q(person__isnull=False)
                | models.Q(organisation__isnull=False)
                | ~models.Q(name=""),
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organisation or self.name)

    @property
    def display_name(self) -> str:
        return self.name or str(self.person or self.organisation or "")

    @property
    def scope_prefecture_id(self) -> int:
        return self.engagement.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.engagement.municipality_id


class EngagementStatusChange(models.Model):
    """Who moved an engagement from which status to which, when and why."""

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("伴走的支援"),
    )
    from_status = models.CharField(
        _("変更前"), max_length=16, choices=EngagementStatus.choices, blank=True
    )
    to_status = models.CharField(_("変更後"), max_length=16, choices=EngagementStatus.choices)
    reason = models.TextField(_("理由"), blank=True)
    changed_at = models.DateTimeField(_("日時"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("変更した人"),
    )

    class Meta:
        verbose_name = _("状態の変更")
        verbose_name_plural = _("状態の変更")
        ordering = ["engagement", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.engagement}: {self.from_status} → {self.to_status}"


class EngagementScoped(MunicipalityScoped):
    """A record that belongs to ``self.engagement`` and so to its municipality."""

    @property
    def municipality(self):  # type: ignore[no-untyped-def]
        return self.engagement.municipality  # type: ignore[attr-defined]

    @property
    def municipality_id(self) -> int:
        return self.engagement.municipality_id  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Visits, participants, insights, contacts


class Visit(EngagementScoped, models.Model):
    """訪問: one visit of the advisors (about three per engagement)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="visits", verbose_name=_("伴走的支援")
    )
    number = models.PositiveSmallIntegerField(_("回"))
    visited_on = models.DateField(_("訪問日"))
    focus = models.CharField(
        _("主な内容"),
        max_length=300,
        blank=True,
        help_text=_("例: ニーズの把握と共有・移動支援の目的や仕組みの理解・関係者の発掘"),
    )
    lecture = models.TextField(_("講義・研修の内容"), blank=True)
    advice = models.TextField(_("受けた助言"), blank=True)
    summary = models.TextField(_("概要・記録"), blank=True)
    meeting = models.ForeignKey(
        "bodies.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_visits",
        verbose_name=_("会議として記録した場合の会議"),
    )
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("訪問")
        verbose_name_plural = _("訪問")
        ordering = ["engagement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="visit_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.engagement} 第{self.number}回"


class ParticipantKind(models.TextChoices):
    DEPARTMENT = "department", _("庁内の部署")  # a department of the municipality
    OUTSIDE = "outside", _("外部の団体")  # an outside organisation (包括, 社協, 交通事業者 …)


class VisitParticipant(models.Model):
    """参加者: a department or an outside organisation that took part in a visit."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="participants", verbose_name=_("訪問")
    )
    kind = models.CharField(_("区分"), max_length=16, choices=ParticipantKind.choices)
    department = models.CharField(
        _("部署名"), max_length=200, blank=True, help_text=_("例: 長寿支援課、まちづくり課")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_visit_participations",
        verbose_name=_("団体（名簿）"),
    )
    organisation_name = models.CharField(
        _("団体名"), max_length=200, blank=True, help_text=_("名簿にない場合に記入")
    )
    organisation_type = models.CharField(
        _("団体の種別"), max_length=40, choices=OrganisationType.choices, blank=True
    )
    person_name = models.CharField(_("参加者の氏名・役職"), max_length=200, blank=True)
    headcount = models.PositiveSmallIntegerField(_("人数"), default=1)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("訪問の参加者")
        verbose_name_plural = _("訪問の参加者")
        ordering = ["visit", "kind", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == ParticipantKind.DEPARTMENT:
            return self.department or str(self.organisation or "")
        return self.organisation_name or str(self.organisation or "")

    @property
    def type_label(self) -> str:
        """Row label of the breadth matrix for outside organisations (their type)."""
        value = self.organisation_type or (
            self.organisation.org_type if self.organisation_id else OrganisationType.OTHER
        )
        return str(OrganisationType(value).label)

    def clean(self) -> None:
        if self.kind == ParticipantKind.DEPARTMENT and not (
            self.department.strip() or self.organisation_id
        ):
            raise ValidationError({"department": _("部署名を入力してください。")})
        if self.kind == ParticipantKind.OUTSIDE:
            if not (self.organisation_name.strip() or self.organisation_id):
                raise ValidationError(
                    {"organisation_name": _("団体名を入力するか名簿から選んでください。")}
                )
            if not self.organisation_type and self.organisation_id:
                self.organisation_type = self.organisation.org_type
            if not self.organisation_type:
                raise ValidationError({"organisation_type": _("団体の種別を選んでください。")})


class InsightTag(models.Model):
    """気づきのタグ (移動支援, 庁内連携, 担い手 …); users add them as they write."""

    name = models.CharField(_("タグ"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("気づきのタグ")
        verbose_name_plural = _("気づきのタグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Insight(EngagementScoped, models.Model):
    """気づき: what the municipality realised through the support; searchable across engagements."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="insights", verbose_name=_("伴走的支援")
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        verbose_name=_("きっかけの訪問"),
    )
    text = models.TextField(_("気づき"))
    realised_by = models.CharField(
        _("気づいた人"), max_length=100, blank=True, help_text=_("例: 市職員、地域包括、社協")
    )
    tags = models.ManyToManyField(
        InsightTag, blank=True, related_name="insights", verbose_name=_("タグ")
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="engagement_insights",
        verbose_name=_("関係する団体"),
    )
    search_text = models.TextField(_("検索用テキスト"), blank=True, editable=False)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    history = HistoricalRecords(m2m_fields=[tags, organisations])

    class Meta:
        verbose_name = _("気づき")
        verbose_name_plural = _("気づき")
        ordering = ["engagement", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("電話")
    MAIL = "mail", _("メール")
    ONLINE = "online", _("オンライン会議")
    VISIT = "visit", _("訪問・対面")
    OTHER = "other", _("その他")


class Contact(EngagementScoped, models.Model):
    """訪問の間の連絡 (電話・メール・オンライン) with the advisors."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("伴走的支援")
    )
    contacted_on = models.DateField(_("日付"))
    channel = models.CharField(_("方法"), max_length=16, choices=ContactChannel.choices)
    with_whom = models.CharField(_("相手"), max_length=200, blank=True)
    summary = models.TextField(_("内容"))
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
        verbose_name = _("連絡")
        verbose_name_plural = _("連絡")
        ordering = ["engagement", "-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_channel_display()}"


# ---------------------------------------------------------------------------------------------
# Roadmaps (ロードマップ・行程表)


class Roadmap(MunicipalityScoped, models.Model):
    """ロードマップ・行程表 of a municipality, usually drawn during an engagement."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="engagement_roadmaps",
        verbose_name=_("市町村"),
    )
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name=_("作成した伴走的支援"),
    )
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    first_fiscal_year = models.PositiveSmallIntegerField(_("開始年度（西暦）"))
    last_fiscal_year = models.PositiveSmallIntegerField(_("終了年度（西暦）"))
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ロードマップ")
        verbose_name_plural = _("ロードマップ")
        ordering = ["municipality", "first_fiscal_year", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.last_fiscal_year < self.first_fiscal_year:
            raise ValidationError({"last_fiscal_year": _("終了年度は開始年度以降にしてください。")})
        if self.engagement_id and self.engagement.municipality_id != self.municipality_id:
            raise ValidationError({"engagement": _("同じ市町村の伴走的支援を選んでください。")})

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.first_fiscal_year, self.last_fiscal_year + 1))


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    IN_PROGRESS = "in_progress", _("進行中")
    DONE = "done", _("完了")  # needs a completion date
    CANCELLED = "cancelled", _("中止")


OPEN_MILESTONE_STATUSES = frozenset({MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS})


class Milestone(models.Model):
    """A roadmap item for one fiscal year, with who carries it and evidence that it happened."""

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("ロードマップ")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    title = models.CharField(_("項目"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    owner_department = models.CharField(_("担当部署"), max_length=200, blank=True)
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_milestones",
        verbose_name=_("担当団体"),
    )
    status = models.CharField(
        _("状態"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    due_on = models.DateField(
        _("期限"), null=True, blank=True, help_text=_("空欄ならその年度の末日（3月31日）")
    )
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    evidence = models.TextField(_("根拠・実績"), blank=True)
    evidence_url = models.URLField(_("根拠の URL"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("マイルストーン")
        verbose_name_plural = _("マイルストーン")
        ordering = ["roadmap", "fiscal_year", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_prefecture_id(self) -> int:
        return self.roadmap.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.roadmap.municipality_id

    @property
    def effective_due_on(self) -> datetime.date:
        return self.due_on or fiscal_year_end(self.fiscal_year)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Open (未着手・進行中) and past its due date (or the end of its fiscal year)."""
        today = today or timezone.localdate()
        return self.status in OPEN_MILESTONE_STATUSES and self.effective_due_on < today

    def clean(self) -> None:
        if self.status == MilestoneStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("完了にするには完了日を入力してください。")})
        if self.roadmap_id and not (
            self.roadmap.first_fiscal_year <= self.fiscal_year <= self.roadmap.last_fiscal_year
        ):
            raise ValidationError(
                {"fiscal_year": _("ロードマップの期間内の年度を指定してください。")}
            )


# ---------------------------------------------------------------------------------------------
# Follow-up (フォローアップ)


class FollowUp(EngagementScoped, models.Model):
    """フォローアップの記録: who followed up, what happened, the next step and when."""

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("伴走的支援"),
    )
    followed_on = models.DateField(_("実施日"))
    by_whom = models.CharField(
        _("実施した人・機関"), max_length=200, help_text=_("例: 鹿児島県 介護保険室、アドバイザー")
    )
    what = models.TextField(_("内容"))
    next_step = models.TextField(_("次の一歩"), blank=True)
    next_due_on = models.DateField(_("次のフォローアップ予定日"), null=True, blank=True)
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
        verbose_name = _("フォローアップ")
        verbose_name_plural = _("フォローアップ")
        ordering = ["engagement", "-followed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.engagement} {self.followed_on}"

    def clean(self) -> None:
        if self.next_due_on and self.followed_on and self.next_due_on < self.followed_on:
            raise ValidationError({"next_due_on": _("次の予定日は実施日以降にしてください。")})


class FollowUpReminder(models.Model):
    """送信済みのフォローアップ通知: one per engagement and due date, so none is sent twice."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("伴走的支援")
    )
    due_on = models.DateField(_("フォローアップの期日"))
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)
    recipients = models.TextField(_("送信先"), blank=True)

    class Meta:
        verbose_name = _("フォローアップ通知")
        verbose_name_plural = _("フォローアップ通知")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "due_on"], name="followup_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.engagement} {self.due_on}"


# ---------------------------------------------------------------------------------------------
# Case sheet settings (事例表; requested by the case-sheet helper, written by casesheet.py)


class CaseSheetSettings(MunicipalityScoped, models.Model):
    """事例表の設定: number and the 図表3 summary of one municipality's case sheet."""

    municipality = models.OneToOneField(
        "areas.Municipality",
        on_delete=models.CASCADE,
        related_name="case_sheet_settings",
        verbose_name=_("市町村"),
    )
    sheet_number = models.PositiveSmallIntegerField(_("事例表の番号"), null=True, blank=True)
    attention_summary = models.TextField(
        _("留意点の要約（図表3）"),
        blank=True,
        help_text=_("1行目を見出しにできます。空欄なら事例表の留意点をそのまま使います。"),
    )
    # The sheet's own wording of a heading where it differs from the usual one (佐伯市's
    # 「(1) 佐伯市が伴走的支援を受けた理由」): keys "1"–"4" for sections, "1.1"/"1.2" for parts.
    headings = models.JSONField(_("見出しの文言"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事例表の設定")
        verbose_name_plural = _("事例表の設定")

    def __str__(self) -> str:
        return str(self.municipality)
