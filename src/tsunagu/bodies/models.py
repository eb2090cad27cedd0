"""Consultative bodies (協議体・会議体), their members, certification, meetings and action items."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.scoping import BodyScoped, MunicipalityScoped


class BodyKind(models.TextChoices):
    LAYER1 = "layer1", _("第1層協議体")
    LAYER2 = "layer2", _("第2層協議体")
    CARE_PROMOTION = "care_promotion", _("地域ケア推進会議")
    CARE_SUBCOMMITTEE = "care_subcommittee", _("地域ケア分科会議")
    CARE_INDIVIDUAL = "care_individual", _("地域ケア個別会議")
    REGULAR = "regular", _("定例会")
    WORKING_GROUP = "working_group", _("作業部会")
    INTERNAL_LIAISON = "internal_liaison", _("庁内連携会議")
    EXTERNAL_LIAISON = "external_liaison", _("庁外連携会議")
    MUTUAL_SUPPORT_FORUM = "mutual_support_forum", _("地域支えあい座談会")
    OTHER = "other", _("その他")


class BodyStatus(models.TextChoices):
    ACTIVE = "active", _("活動中")
    PREPARING = "preparing", _("設立準備中")
    INACTIVE = "inactive", _("休止・廃止")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("会長・座長")
    VICE_CHAIR = "vice_chair", _("副会長・副座長")
    MEMBER = "member", _("委員・構成員")
    OBSERVER = "observer", _("オブザーバー")
    SECRETARIAT = "secretariat", _("事務局")
    ADVISOR = "advisor", _("助言者・アドバイザー")


class AgeBand(models.TextChoices):
    UNDER_40 = "under_40", _("40歳未満")
    AGE_40S = "40s", _("40代")
    AGE_50S = "50s", _("50代")
    AGE_60S = "60s", _("60代")
    AGE_70S = "70s", _("70代")
    AGE_80_PLUS = "80_plus", _("80歳以上")


class Gender(models.TextChoices):
    FEMALE = "female", _("女性")
    MALE = "male", _("男性")
    OTHER = "other", _("その他・回答しない")


class ConsultativeBody(MunicipalityScoped, models.Model):
    """協議体, 地域ケア会議, 定例会 …: a standing place where actors talk and decide."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("市町村"),
    )
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=32, choices=BodyKind.choices)
    layer = models.PositiveSmallIntegerField(
        _("層"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("生活支援体制整備事業の第1層・第2層・第3層"),
    )
    daily_life_area = models.ForeignKey(
        "areas.DailyLifeArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("日常生活圏域"),
    )
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("地区"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上位の会議体"),
    )
    host_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_bodies",
        verbose_name=_("主催"),
    )
    secretariat = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariat_of",
        verbose_name=_("事務局"),
    )
    coordinator = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_bodies",
        verbose_name=_("担当の生活支援コーディネーター"),
    )
    purpose = models.TextField(_("目的"), blank=True)
    meeting_frequency = models.CharField(
        _("開催頻度"), max_length=100, blank=True, help_text=_("例: 毎月（第3木曜）、年2回")
    )
    is_resident_led = models.BooleanField(_("住民主体"), default=False)
    status = models.CharField(
        _("状態"), max_length=16, choices=BodyStatus.choices, default=BodyStatus.ACTIVE
    )
    established_on = models.DateField(_("設置日"), null=True, blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("協議体・会議体")
        verbose_name_plural = _("協議体・会議体")
        ordering = ["municipality", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="body_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field in ("daily_life_area", "district"):
            area = getattr(self, field)
            if area is not None and area.municipality_id != self.municipality_id:
                raise ValidationError({field: _("別の市町村の区域は選べません。")})
        if self.parent_id and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("上位の会議体は同じ市町村の会議体にしてください。")})


class BodyMember(BodyScoped, models.Model):
    """A seat: an organisation, a person, or a person representing an organisation, over a term."""

    body = models.ForeignKey(
        ConsultativeBody, on_delete=models.CASCADE, related_name="members", verbose_name=_("会議体")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("団体・組織"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("人"),
    )
    role = models.CharField(
        _("役割"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代表する地区"),
    )
    age_band = models.CharField(_("年代"), max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("性別"), max_length=10, choices=Gender.choices, blank=True)
    starts_on = models.DateField(_("任期の開始"), null=True, blank=True)
    ends_on = models.DateField(_("任期の終了"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("構成員")
        verbose_name_plural = _("構成員")
        ordering = ["body", "role", "id"]
        constraints = [
            models.CheckConstraint(
                name="body_member_has_organisation_or_person",
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organisation)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.starts_on is None or self.starts_on <= today) and (
            self.ends_on is None or self.ends_on >= today
        )


# --- certification of resident-led bodies (鹿児島市 第2層協議体認定要領 model) ------------------


class CertificationRules(MunicipalityScoped, models.Model):
    """認定要領: one municipality's requirements for certifying resident-led layer-2 bodies."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="certification_rules",
        verbose_name=_("市町村"),
    )
    name = models.CharField(_("名称"), max_length=200)
    effective_from = models.DateField(_("施行日"))
    min_member_organisations = models.PositiveSmallIntegerField(_("構成団体の最少数"), default=3)
    require_resident_organisation = models.BooleanField(_("住民組織を1つ以上含む"), default=True)
    require_mutual_support_purpose = models.BooleanField(
        _("高齢者の支えあいを目的に掲げる"), default=True
    )
    purpose_keywords = models.CharField(
        _("目的の確認に使う語"),
        max_length=300,
        blank=True,
        default="支えあい,支え合い,助け合い,高齢者",
        help_text=_("カンマ区切り。目的にいずれかが含まれれば自動で「適合」とします。"),
    )
    require_supporting_coordinator = models.BooleanField(
        _("支援する生活支援コーディネーターがいる"), default=True
    )
    validity_years = models.PositiveSmallIntegerField(_("認定の有効期間（年）"), default=3)
    number_prefix = models.CharField(_("認定番号の接頭辞"), max_length=20, blank=True, default="第")
    note = models.TextField(_("その他の要件・備考"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("認定要領")
        verbose_name_plural = _("認定要領")
        ordering = ["municipality", "-effective_from"]

    def __str__(self) -> str:
        return self.name


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("申請済み")  # waiting for review
    RETURNED = "returned", _("差し戻し")  # with reasons; may be resubmitted
    CERTIFIED = "certified", _("認定")
    EXPIRED = "expired", _("期間満了")
    RENEWED = "renewed", _("更新済み")  # superseded by a renewal


class CertificationApplication(BodyScoped, models.Model):
    """An application for certification, its review (each requirement) and decision."""

    body = models.ForeignKey(
        ConsultativeBody,
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name=_("会議体"),
    )
    rules = models.ForeignKey(
        CertificationRules,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("認定要領"),
    )
    status = models.CharField(
        _("状態"),
        max_length=16,
        choices=CertificationStatus.choices,
        default=CertificationStatus.DRAFT,
    )
    renewal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("更新元の認定"),
    )
    submitted_on = models.DateField(_("申請日"), null=True, blank=True)
    review = models.JSONField(
        _("審査結果"), default=dict, blank=True
    )  # requirement code -> {"result", "detail", "by"}
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    decision_reason = models.TextField(_("決定の理由・差し戻しの理由"), blank=True)
    certificate_number = models.CharField(_("認定番号"), max_length=40, blank=True)
    certified_on = models.DateField(_("認定日"), null=True, blank=True)
    valid_until = models.DateField(_("有効期限"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("認定申請")
        verbose_name_plural = _("認定申請")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.body} {self.get_status_display()}"


class CertificationDocument(models.Model):
    application = models.ForeignKey(
        CertificationApplication,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("認定申請"),
    )
    title = models.CharField(_("書類名"), max_length=200)
    file = models.FileField(_("ファイル"), upload_to="certification/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("申請書類")
        verbose_name_plural = _("申請書類")

    def __str__(self) -> str:
        return self.title


# --- meetings --------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("予定")
    HELD = "held", _("開催済み")
    CANCELLED = "cancelled", _("中止")


class Meeting(BodyScoped, models.Model):
    """One meeting of a body, with attendance, minutes, decisions and action items."""

    body = models.ForeignKey(
        ConsultativeBody,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("会議体"),
    )
    title = models.CharField(
        _("会議名"), max_length=200, blank=True, help_text=_("空欄なら「会議体名 第N回」")
    )
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    agenda = models.TextField(_("議題"), blank=True)
    facilitator = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_meetings",
        verbose_name=_("進行役"),
    )
    minutes = models.TextField(
        _("内容（議事録）"),
        blank=True,
        help_text=_("Markdown で書けます。画像は添付して挿入できます。"),
    )
    next_meeting_note = models.CharField(_("次回予定"), max_length=300, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    series_key = models.CharField(
        _("定例の系列"),
        max_length=40,
        blank=True,
        help_text=_("定例会の繰り返しで作られた回に共通の識別子"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]

    def __str__(self) -> str:
        return self.title or f"{self.body} {timezone.localtime(self.starts_at):%Y-%m-%d}"


class Attendance(models.Model):
    """Who attended (people, the organisations they represented, guests)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会議")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("人"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("代表する団体・部署"),
    )
    guest_name = models.CharField(_("ゲスト・その他の出席者"), max_length=200, blank=True)
    present = models.BooleanField(_("出席"), default=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                name="attendance_has_someone",
                condition=models.Q(person__isnull=False)
                | models.Q(organisation__isnull=False)
                | ~models.Q(guest_name=""),
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organisation or self.guest_name)


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("会議")
    )
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("ファイル"), upload_to="minutes/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("会議")
    )
    text = models.TextField(_("決定事項"))
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("決定事項")
        verbose_name_plural = _("決定事項")
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("未着手")
    IN_PROGRESS = "in_progress", _("対応中")
    DONE = "done", _("完了")
    DROPPED = "dropped", _("取りやめ")


class ActionItem(BodyScoped, models.Model):
    """宿題: someone (a person or an organisation) does something by a date."""

    body = models.ForeignKey(
        ConsultativeBody,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("会議体"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("決めた会議"),
    )
    title = models.CharField(_("内容"), max_length=300)
    owner_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("担当者"),
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("担当団体・部署"),
    )
    due_on = models.DateField(_("期限"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    completed_on = models.DateField(_("完了日"), null=True, blank=True)
    regional_issue = models.ForeignKey(
        "regional_issues.RegionalIssue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("関連する地域課題"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("宿題（アクション）")
        verbose_name_plural = _("宿題（アクション）")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="action_item_has_owner",
                condition=models.Q(owner_person__isnull=False)
                | models.Q(owner_organisation__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_on is not None
            and self.status in (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )
