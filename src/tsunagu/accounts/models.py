"""Users, roles and scopes (利用者・役割・範囲)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DateStyle(models.TextChoices):
    WAREKI = "wareki", _("和暦（令和6年10月2日）")
    SEIREKI = "seireki", _("西暦（2024年10月2日）")


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    full_name = models.CharField(_("氏名"), max_length=100, blank=True)
    language = models.CharField(
        _("表示言語"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    date_style = models.CharField(
        _("日付の表示"), max_length=10, choices=DateStyle.choices, default=DateStyle.WAREKI
    )
    # Part of every secret calendar feed address of the user: a new value (発行し直す)
    # ends the addresses handed out before (see services.calendar_feeds_rotate).
    feed_secret = models.CharField(
        _("カレンダー配信の鍵"), max_length=32, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return self.display_name


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("システム管理者")  # everything, everywhere
    PREFECTURE_STAFF = "prefecture_staff", _("都道府県職員")  # its prefecture and municipalities
    MUNICIPALITY_STAFF = "municipality_staff", _("市町村職員")  # edits its municipality
    CARE_CENTER_STAFF = "care_center_staff", _("地域包括支援センター職員")
    COORDINATOR = "coordinator", _("生活支援コーディネーター（SC）")  # layer 1 or 2
    ORGANISATION_MEMBER = "organisation_member", _("団体メンバー")  # own organisation
    ADVISOR = "advisor", _("アドバイザー")  # only what an engagement grants
    VIEWER = "viewer", _("閲覧者")  # reads its scope, writes nothing


class CoordinatorLayer(models.IntegerChoices):
    LAYER_1 = 1, _("第1層")
    LAYER_2 = 2, _("第2層")


class Membership(models.Model):
    """One role of a user over one scope (a prefecture or a municipality).

    Memberships end (``ends_on``) rather than disappear, so that a transfer (人事異動)
    leaves a record of who held which role when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("利用者"),
    )
    role = models.CharField(_("役割"), max_length=32, choices=Role.choices)
    prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("都道府県"),
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("市町村"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("団体・組織"),
        help_text=_("団体メンバーの場合: 編集できる自分の団体"),
    )
    coordinator_layer = models.PositiveSmallIntegerField(
        _("SCの層"), choices=CoordinatorLayer.choices, null=True, blank=True
    )
    title = models.CharField(_("所属・役職"), max_length=100, blank=True)
    can_view_personal_data = models.BooleanField(
        _("個人情報（利用者の心身の状況など）の閲覧"),
        default=False,
        help_text=_(
            "市町村の職員などで、移動支援の利用者など要配慮個人情報を見る必要がある人だけに許可します。"
            "閲覧はすべて記録されます。"
        ),
    )
    can_view_care_records = models.BooleanField(
        _("介護予防の個人記録（住民の要介護度・チェックリストなど）の閲覧"),
        default=False,
        help_text=_(
            "この市町村の住民の記録（要配慮個人情報）を開く必要がある職員だけに許可します。"
            "システム管理者には与えられません。閲覧と変更はすべて記録されます。"
        ),
    )
    starts_on = models.DateField(_("開始日"), default=datetime.date.today)
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("所属（役割と範囲）")
        verbose_name_plural = _("所属（役割と範囲）")
        constraints = [
            models.CheckConstraint(
                name="membership_one_scope",
                condition=(
                    models.Q(
                        role="system_admin", prefecture__isnull=True, municipality__isnull=True
                    )
                    | (
                        ~models.Q(role="system_admin")
                        & (
                            models.Q(prefecture__isnull=False, municipality__isnull=True)
                            | models.Q(prefecture__isnull=True, municipality__isnull=False)
                        )
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.municipality or self.prefecture or _("全体")
        return f"{self.user} / {self.get_role_display()} / {scope}"

    def clean(self) -> None:
        if self.role == Role.SYSTEM_ADMIN:
            if self.prefecture_id or self.municipality_id:
                raise ValidationError(_("システム管理者には範囲を指定しません。"))
        elif bool(self.prefecture_id) == bool(self.municipality_id):
            raise ValidationError(_("都道府県か市町村のどちらか一方を指定してください。"))
        if self.role == Role.ORGANISATION_MEMBER and not self.organisation_id:
            raise ValidationError(
                {"organisation": _("団体メンバーには所属する団体を指定してください。")}
            )
        if self.organisation_id and self.organisation.municipality_id not in (
            None,
            self.municipality_id,
        ):
            raise ValidationError({"organisation": _("団体は指定した市町村の団体にしてください。")})
        if self.role == Role.COORDINATOR and self.coordinator_layer is None:
            raise ValidationError(
                {
                    "coordinator_layer": _(
                        "生活支援コーディネーターには層（第1層・第2層）を指定してください。"
                    )
                }
            )
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("終了日は開始日以降の日付にしてください。")})

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class PersonalDataReadLog(models.Model):
    """One read of sensitive personal data (要配慮個人情報): who, what, when, why.

    Written by :func:`tsunagu.accounts.services.log_personal_data_read`; never edited.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="personal_data_reads",
        verbose_name=_("利用者"),
    )
    read_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    model_label = models.CharField(_("データの種類"), max_length=100)
    object_id = models.CharField(_("データのID"), max_length=64)
    object_repr = models.CharField(_("対象"), max_length=200, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    path = models.CharField(_("画面・API"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("個人情報の閲覧記録")
        verbose_name_plural = _("個人情報の閲覧記録")
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["model_label", "object_id"])]

    def __str__(self) -> str:
        return f"{self.read_at:%Y-%m-%d %H:%M} {self.user} {self.model_label}#{self.object_id}"


class ApiToken(models.Model):
    """One issued API token (the signed token carries ``key``); revoked one by one.

    The token itself is never stored: only the key that names it, so the table alone
    cannot be used to sign in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("利用者"),
    )
    key = models.CharField(_("識別子"), max_length=32, unique=True, editable=False)
    name = models.CharField(_("名前"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"))
    last_used_at = models.DateTimeField(_("最終利用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("API トークン")
        verbose_name_plural = _("API トークン")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} / {self.name or self.key[:8]}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class UserSession(models.Model):
    """A signed-in browser of a user (device, address, last seen), beside Django's session.

    Written at sign-in and refreshed by :class:`tsunagu.accounts.middleware.SessionSeenMiddleware`;
    ending it deletes the Django session, so that browser is signed out.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="browser_sessions",
        verbose_name=_("利用者"),
    )
    session_key = models.CharField(_("セッション"), max_length=40, unique=True)
    user_agent = models.CharField(_("ブラウザー"), max_length=300, blank=True)
    ip_address = models.CharField(_("アクセス元"), max_length=45, blank=True)
    created_at = models.DateTimeField(_("ログイン日時"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最終アクセス"), default=timezone.now)

    class Meta:
        verbose_name = _("ログイン中のブラウザー")
        verbose_name_plural = _("ログイン中のブラウザー")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} / {self.ip_address} / {self.last_seen_at:%Y-%m-%d %H:%M}"
