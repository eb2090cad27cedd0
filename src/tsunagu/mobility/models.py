"""Mobility support (移動支援): services, needs surveys, drivers, vehicles, riders, rides, day plans.

Who sees what
- A :class:`MobilityService` belongs to a municipality and is run by an operating organisation
  (地域コミュニティ協議会, 社会福祉法人, 住民団体 …). Its plan, drivers, vehicles and survey
  summaries are visible to whoever sees the municipality.
- A :class:`Rider` is personal data (要配慮個人情報: health and mobility needs). Only members of
  the operating organisation and municipal staff with ``can_view_personal_data`` see it, and
  every read is logged (accounts.PersonalDataReadLog). Everyone else sees aggregates.
- Ride requests carry the rider, so they follow the rider's rule.

Why one module (about 840 lines) while the code is split into rides/, surveys/ and legal/:
:class:`MobilityService` is shared (rides hang off it, the legal check's result is stored on
it) and the surveys' two models are about 150 lines, so a split would leave mostly the rides
models elsewhere and the service in between; one module also leaves the migration state and
the admin registrations untouched.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.choices import Weekday
from tsunagu.core.scoping import MunicipalityScoped

LATITUDE = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}


class ServiceKind(models.TextChoices):
    """The 道路運送法 service kinds of DOMAIN.md 4.3."""

    WELFARE_MEMBERS = "welfare_members", _("要介護者など会員の移動（福祉）")
    TRANSIT_GAP_AREA = "transit_gap_area", _("交通空白地の住民・来訪者の移動")
    GENERAL = "general", _("一般の移動")


class ServiceStatus(models.TextChoices):
    PLANNING = "planning", _("検討中")
    PILOT = "pilot", _("実証実験中")
    RUNNING = "running", _("運行中")
    PAUSED = "paused", _("休止中")
    ENDED = "ended", _("終了")


class MobilityService(MunicipalityScoped, models.Model):
    """移動支援の取組: e.g. 直川地域のボランティア輸送, 宮たすけ隊."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="mobility_services",
        verbose_name=_("市町村"),
    )
    name = models.CharField(_("名称"), max_length=200)
    operator = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="mobility_services",
        verbose_name=_("運営団体"),
    )
    districts = models.ManyToManyField(
        "areas.District", blank=True, related_name="mobility_services", verbose_name=_("対象地区")
    )
    service_kind = models.CharField(
        _("対象"), max_length=32, choices=ServiceKind.choices, default=ServiceKind.WELFARE_MEMBERS
    )
    status = models.CharField(
        _("状況"), max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.PLANNING
    )
    description = models.TextField(_("内容"), blank=True)
    escort_offered = models.BooleanField(
        _("付き添い（店内・院内）あり"),
        default=False,
        help_text=_("運転者が店や病院の中まで付き添い、その間待つ"),
    )
    # Base for planning: where routes start and end when a driver has no own location.
    base_name = models.CharField(_("拠点の名称"), max_length=200, blank=True)
    base_latitude = models.DecimalField(_("拠点の緯度"), **LATITUDE)
    base_longitude = models.DecimalField(_("拠点の経度"), **LATITUDE)
    average_speed_kmh = models.PositiveSmallIntegerField(
        _("平均速度（km/時）"),
        default=25,
        validators=[MinValueValidator(5), MaxValueValidator(80)],
        help_text=_("配車計画で直線距離から所要時間を見積もるのに使います"),
    )
    road_factor = models.DecimalField(
        _("道のりの係数"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.30"),
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("直線距離に掛けて道のりを見積もる係数"),
    )
    max_ride_minutes = models.PositiveSmallIntegerField(
        _("乗車時間の上限（分）"), default=60, validators=[MinValueValidator(5)]
    )
    boarding_minutes = models.PositiveSmallIntegerField(_("乗り降りにかかる時間（分）"), default=3)
    # The 道路運送法 check (mobility.legal.check): the plan as entered and the last result.
    legal_plan = models.JSONField(_("法令チェックの入力"), default=dict, blank=True)
    legal_result = models.JSONField(_("法令チェックの結果"), default=dict, blank=True)
    legal_checked_at = models.DateTimeField(_("法令チェックの日時"), null=True, blank=True)
    started_on = models.DateField(_("開始日"), null=True, blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("移動支援の取組")
        verbose_name_plural = _("移動支援の取組")
        ordering = ["municipality__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="mobility_service_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Pilot(models.Model):
    """実証実験 or a training course (運転ボランティア養成講座, 介助講習) of a service."""

    class Kind(models.TextChoices):
        PILOT = "pilot", _("実証実験")
        DRIVER_COURSE = "driver_course", _("運転ボランティア養成講座")
        ASSISTANCE_COURSE = "assistance_course", _("介助講習")
        MEETING = "meeting", _("説明会・会議")

    service = models.ForeignKey(
        MobilityService, on_delete=models.CASCADE, related_name="events", verbose_name=_("取組")
    )
    kind = models.CharField(_("種類"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("実施日"), null=True, blank=True)
    held_on_text = models.CharField(
        _("実施時期（日付が不明な場合）"), max_length=60, blank=True, help_text=_("例: 令和6年度")
    )
    participants = models.PositiveIntegerField(_("参加者数"), null=True, blank=True)
    outcome = models.TextField(_("結果・わかったこと"), blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("実証実験・講座")
        verbose_name_plural = _("実証実験・講座")
        ordering = ["service", "held_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_prefecture_id(self) -> int:
        return self.service.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.service.municipality_id


class ServiceScoped:
    """A record of a mobility service, so of its municipality."""

    @property
    def scope_prefecture_id(self) -> int:
        return self.service.scope_prefecture_id  # type: ignore[attr-defined]

    @property
    def scope_municipality_id(self) -> int:
        return self.service.municipality_id  # type: ignore[attr-defined]


# --- Needs surveys (ニーズ調査) -------------------------------------------------------


class WouldUse(models.TextChoices):
    NOW = "now", _("すぐに利用したい")
    LATER = "later", _("将来利用したい")
    NO = "no", _("利用しない")
    UNKNOWN = "unknown", _("わからない・無回答")


class TripFrequency(models.TextChoices):
    WEEKLY_3_PLUS = "weekly_3_plus", _("週3回以上")
    WEEKLY_1_2 = "weekly_1_2", _("週1〜2回")
    MONTHLY_2_3 = "monthly_2_3", _("月2〜3回")
    MONTHLY_1_OR_LESS = "monthly_1", _("月1回以下")
    UNKNOWN = "unknown", _("無回答")


class WalkDistance(models.TextChoices):
    UP_TO_100 = "100", _("100mくらいまで")
    UP_TO_300 = "300", _("300mくらいまで")
    UP_TO_500 = "500", _("500mくらいまで")
    UP_TO_1000 = "1000", _("1kmくらいまで")
    OVER_1000 = "over_1000", _("1km以上でも歩ける")
    CANNOT = "cannot", _("歩いて行けない")
    UNKNOWN = "unknown", _("無回答")


class NeedsSurvey(MunicipalityScoped, models.Model):
    """A resident needs survey on mobility (移動に関するニーズ調査), e.g. 直川地域's."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="needs_surveys",
        verbose_name=_("市町村"),
    )
    service = models.ForeignKey(
        MobilityService,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("関係する取組"),
    )
    title = models.CharField(_("調査名"), max_length=200)
    conducted_by = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs_surveys",
        verbose_name=_("実施団体"),
    )
    districts = models.ManyToManyField(
        "areas.District", blank=True, related_name="needs_surveys", verbose_name=_("対象地区")
    )
    conducted_from = models.DateField(_("調査開始日"), null=True, blank=True)
    conducted_to = models.DateField(_("調査終了日"), null=True, blank=True)
    distributed = models.PositiveIntegerField(_("配布数"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("移動のニーズ調査")
        verbose_name_plural = _("移動のニーズ調査")
        ordering = ["municipality__code", "-conducted_from", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "title"], name="needs_survey_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SurveyResponse(models.Model):
    """One answer sheet, or ``weight`` identical answers when only totals are known."""

    survey = models.ForeignKey(
        NeedsSurvey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("調査")
    )
    respondent_ref = models.CharField(
        _("回答票の番号"), max_length=40, blank=True, help_text=_("氏名は入れません")
    )
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("地区"),
    )
    age_band = models.CharField(_("年代"), max_length=16, blank=True)
    lives_alone = models.BooleanField(_("ひとり暮らし"), null=True, blank=True)
    would_use = models.CharField(
        _("ボランティアによる送迎を利用したいか"),
        max_length=10,
        choices=WouldUse.choices,
        default=WouldUse.UNKNOWN,
    )
    dest_hospital = models.BooleanField(_("行き先: 通院"), default=False)
    dest_shopping = models.BooleanField(_("行き先: 買い物"), default=False)
    dest_bank = models.BooleanField(_("行き先: 金融機関"), default=False)
    dest_city_office = models.BooleanField(_("行き先: 役所"), default=False)
    dest_gathering_place = models.BooleanField(_("行き先: 通いの場"), default=False)
    dest_other = models.CharField(_("行き先: その他"), max_length=100, blank=True)
    frequency = models.CharField(
        _("利用したい頻度"),
        max_length=16,
        choices=TripFrequency.choices,
        default=TripFrequency.UNKNOWN,
    )
    uses_cane = models.BooleanField(_("つえを使う"), default=False)
    uses_walker = models.BooleanField(_("歩行器・シルバーカーを使う"), default=False)
    uses_wheelchair = models.BooleanField(_("車いすを使う"), default=False)
    walk_to_stop = models.CharField(
        _("バス停まで歩ける距離"),
        max_length=10,
        choices=WalkDistance.choices,
        default=WalkDistance.UNKNOWN,
    )
    can_book_by_phone = models.BooleanField(_("電話で予約できる"), null=True, blank=True)
    troubles = models.TextField(_("困っていること（自由記述）"), blank=True)
    weight = models.PositiveIntegerField(
        _("人数"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("集計値しかない場合: 同じ回答をした人数"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ニーズ調査の回答")
        verbose_name_plural = _("ニーズ調査の回答")
        ordering = ["survey", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} #{self.respondent_ref or self.pk}"

    @property
    def scope_prefecture_id(self) -> int:
        return self.survey.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int:
        return self.survey.municipality_id


# --- Drivers and vehicles ------------------------------------------------------------------


class LicenceClass(models.TextChoices):
    CLASS_1 = "class1", _("第一種運転免許")
    CLASS_2 = "class2", _("第二種運転免許")


class WeeklyWindow:
    """Methods of a weekly time window (weekday, starts_at, ends_at): a driver's hours, a
    vehicle's idle time. Fields stay on each model."""

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"  # type: ignore[attr-defined]

    def clean(self) -> None:
        starts_at, ends_at = self.starts_at, self.ends_at  # type: ignore[attr-defined]
        if starts_at and ends_at and ends_at <= starts_at:
            raise ValidationError({"ends_at": _("終了時刻は開始時刻より後にしてください。")})


class Driver(ServiceScoped, models.Model):
    """A volunteer (or staff) driver of a service (運転ボランティア)."""

    service = models.ForeignKey(
        MobilityService, on_delete=models.PROTECT, related_name="drivers", verbose_name=_("取組")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="driver_roles",
        verbose_name=_("人（ディレクトリー）"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    licence_class = models.CharField(
        _("運転免許"), max_length=10, choices=LicenceClass.choices, default=LicenceClass.CLASS_1
    )
    licence_expires_on = models.DateField(_("免許の有効期限"), null=True, blank=True)
    driver_course_completed_on = models.DateField(
        _("運転ボランティア養成講座の修了日"), null=True, blank=True
    )
    assistance_course_completed_on = models.DateField(_("介助講習の修了日"), null=True, blank=True)
    approved_course_completed_on = models.DateField(
        _("大臣認定講習の修了日"),
        null=True,
        blank=True,
        help_text=_("福祉有償運送・交通空白地有償運送で第一種免許の運転者に必要"),
    )
    insurance_note = models.CharField(
        _("保険（ボランティア保険・自動車保険）"), max_length=200, blank=True
    )
    insurance_expires_on = models.DateField(_("保険の有効期限"), null=True, blank=True)
    can_escort = models.BooleanField(_("付き添いができる"), default=True)
    home_latitude = models.DecimalField(_("出発地の緯度"), **LATITUDE)
    home_longitude = models.DecimalField(_("出発地の経度"), **LATITUDE)
    active = models.BooleanField(_("活動中"), default=True)
    note = models.TextField(_("備考"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("運転者")
        verbose_name_plural = _("運転者")
        ordering = ["service", "name_kana", "name"]

    def __str__(self) -> str:
        return self.name


class DriverAvailability(WeeklyWindow, models.Model):
    """A weekly slot when a driver can drive (e.g. 火曜日 9:00–12:00)."""

    driver = models.ForeignKey(
        Driver, on_delete=models.CASCADE, related_name="availability", verbose_name=_("運転者")
    )
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    starts_at = models.TimeField(_("開始時刻"))
    ends_at = models.TimeField(_("終了時刻"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("運転できる時間帯")
        verbose_name_plural = _("運転できる時間帯")
        ordering = ["driver", "weekday", "starts_at"]


class DriverException(models.Model):
    """A date when the weekly pattern does not hold: away all day, or extra hours."""

    driver = models.ForeignKey(
        Driver, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("運転者")
    )
    date = models.DateField(_("日付"))
    available = models.BooleanField(_("この日は運転できる"), default=False)
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("運転できる時間帯の例外")
        verbose_name_plural = _("運転できる時間帯の例外")
        ordering = ["driver", "date"]

    def __str__(self) -> str:
        return f"{self.driver} {self.date}"

    def clean(self) -> None:
        if self.available and not (self.starts_at and self.ends_at):
            raise ValidationError(_("運転できる日には開始時刻と終了時刻を入れてください。"))
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("終了時刻は開始時刻より後にしてください。")})


class VehicleOwnerKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("運転者の自家用車")
    ORGANISATION = "organisation", _("団体の車両")


class PlateKind(models.TextChoices):
    PRIVATE = "private", _("自家用（白ナンバー）")
    BUSINESS = "business", _("事業用（緑ナンバー）")


class Vehicle(ServiceScoped, models.Model):
    """A vehicle used by a service: a member's own car or an organisation's (e.g. 社会福祉法人)."""

    service = models.ForeignKey(
        MobilityService, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("取組")
    )
    name = models.CharField(_("車両名"), max_length=100, help_text=_("例: 協議会の軽自動車"))
    owner_kind = models.CharField(_("所有"), max_length=16, choices=VehicleOwnerKind.choices)
    owner_driver = models.ForeignKey(
        Driver,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_vehicles",
        verbose_name=_("所有する運転者"),
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("所有する団体"),
    )
    plate = models.CharField(_("ナンバーの種類"), max_length=10, choices=PlateKind.choices)
    seats = models.PositiveSmallIntegerField(
        _("乗客の座席数"), validators=[MinValueValidator(1), MaxValueValidator(29)]
    )
    wheelchair_spaces = models.PositiveSmallIntegerField(_("車いすのまま乗れる数"), default=0)
    garage_latitude = models.DecimalField(_("車庫の緯度"), **LATITUDE)
    garage_longitude = models.DecimalField(_("車庫の経度"), **LATITUDE)
    insurance_expires_on = models.DateField(_("自動車保険の有効期限"), null=True, blank=True)
    inspection_expires_on = models.DateField(_("車検の有効期限"), null=True, blank=True)
    active = models.BooleanField(_("使用中"), default=True)
    note = models.TextField(_("備考"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("車両")
        verbose_name_plural = _("車両")
        ordering = ["service", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.owner_kind == VehicleOwnerKind.VOLUNTEER and not self.owner_driver_id:
            raise ValidationError(
                {"owner_driver": _("自家用車の場合は所有する運転者を選んでください。")}
            )
        if self.owner_kind == VehicleOwnerKind.ORGANISATION and not self.owner_organisation_id:
            raise ValidationError(
                {"owner_organisation": _("団体の車両の場合は所有する団体を選んでください。")}
            )


class VehicleIdleWindow(WeeklyWindow, models.Model):
    """When an organisation's vehicle is free for the service (e.g. 社会福祉法人の送迎車の空き時間)."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="idle_windows", verbose_name=_("車両")
    )
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    starts_at = models.TimeField(_("開始時刻"))
    ends_at = models.TimeField(_("終了時刻"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("車両の空き時間")
        verbose_name_plural = _("車両の空き時間")
        ordering = ["vehicle", "weekday", "starts_at"]


# --- Riders and ride requests (personal data) ----------------------------------------------


class Rider(ServiceScoped, models.Model):
    """A registered member of a ride service (利用会員). Personal data: see module docstring."""

    service = models.ForeignKey(
        MobilityService, on_delete=models.PROTECT, related_name="riders", verbose_name=_("取組")
    )
    member_number = models.CharField(_("会員番号"), max_length=20, blank=True)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=100)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="riders",
        verbose_name=_("地区"),
    )
    address = models.CharField(_("住所"), max_length=300, blank=True)
    home_latitude = models.DecimalField(_("自宅の緯度"), **LATITUDE)
    home_longitude = models.DecimalField(_("自宅の経度"), **LATITUDE)
    uses_wheelchair = models.BooleanField(_("車いすのまま乗車"), default=False)
    mobility_aids = models.CharField(
        _("歩行の補助具"), max_length=100, blank=True, help_text=_("例: つえ、歩行器")
    )
    needs_escort = models.BooleanField(_("付き添いが必要"), default=False)
    needs = models.TextField(
        _("移動で配慮すること"), blank=True, help_text=_("心身の状況など。必要なことだけ書きます")
    )
    care_level = models.CharField(
        _("要介護度など"),
        max_length=20,
        blank=True,
        help_text=_("要支援1・2、要介護1〜5、事業対象者など（福祉有償運送の会員要件の確認用）"),
    )
    emergency_contact = models.CharField(_("緊急連絡先"), max_length=200, blank=True)
    consent_on = models.DateField(
        _("個人情報の利用に同意した日"),
        null=True,
        blank=True,
        help_text=_("同意がない人の予約は受け付けられません"),
    )
    active = models.BooleanField(_("登録中"), default=True)
    note = models.TextField(_("備考"), blank=True)
    # The same person in care's records (one person, one consent history): when set, the
    # rider's consent is the resident's 移動支援 consent (rides/consent.py). No reverse
    # accessor: care never reaches a rider, and rider pages show only that a link exists.
    resident = models.OneToOneField(
        "care.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("介護予防の住民の記録"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("利用会員")
        verbose_name_plural = _("利用会員")
        ordering = ["service", "name_kana"]

    def __str__(self) -> str:
        return self.name


class TripPurpose(models.TextChoices):
    HOSPITAL = "hospital", _("通院")
    SHOPPING = "shopping", _("買い物")
    BANK = "bank", _("金融機関")
    CITY_OFFICE = "city_office", _("役所")
    GATHERING_PLACE = "gathering_place", _("通いの場")
    OTHER = "other", _("その他")


class PlaceKind(models.TextChoices):
    HOME = "home", _("自宅")
    ADDRESS = "address", _("住所")
    STOP = "stop", _("バス停")
    FACILITY = "facility", _("施設（病院・店など）")


class RideStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    ASSIGNED = "assigned", _("配車済")
    COMPLETED = "completed", _("完了")
    CANCELLED = "cancelled", _("キャンセル")
    UNSERVED = "unserved", _("不成立")


class BookingChannel(models.TextChoices):
    PHONE = "phone", _("電話")
    IN_PERSON = "in_person", _("窓口・対面")
    ONLINE = "online", _("インターネット")


class RideRequest(ServiceScoped, models.Model):
    """One trip a rider asks for (片道). A return trip is its own request linked by ``outbound``."""

    service = models.ForeignKey(
        MobilityService, on_delete=models.PROTECT, related_name="requests", verbose_name=_("取組")
    )
    rider = models.ForeignKey(
        Rider, on_delete=models.PROTECT, related_name="requests", verbose_name=_("利用会員")
    )
    trip_date = models.DateField(_("利用日"))
    purpose = models.CharField(_("目的"), max_length=20, choices=TripPurpose.choices)
    origin_kind = models.CharField(_("出発地の種類"), max_length=10, choices=PlaceKind.choices)
    origin_label = models.CharField(_("出発地"), max_length=200)
    origin_latitude = models.DecimalField(_("出発地の緯度"), **LATITUDE)
    origin_longitude = models.DecimalField(_("出発地の経度"), **LATITUDE)
    origin_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("出発地の施設"),
    )
    destination_kind = models.CharField(_("行き先の種類"), max_length=10, choices=PlaceKind.choices)
    destination_label = models.CharField(_("行き先"), max_length=200)
    destination_latitude = models.DecimalField(_("行き先の緯度"), **LATITUDE)
    destination_longitude = models.DecimalField(_("行き先の経度"), **LATITUDE)
    destination_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("行き先の施設"),
    )
    earliest_pickup = models.TimeField(_("迎えの時刻（から）"), null=True, blank=True)
    latest_pickup = models.TimeField(_("迎えの時刻（まで）"), null=True, blank=True)
    appointment_at = models.TimeField(
        _("到着したい時刻（予約時刻）"), null=True, blank=True, help_text=_("病院の予約時刻など")
    )
    escort_minutes = models.PositiveSmallIntegerField(
        _("付き添いの時間（分）"),
        default=0,
        help_text=_("店内・院内で付き添い、運転者が待つ時間"),
    )
    wheelchair = models.BooleanField(_("車いすのまま乗車"), default=False)
    companions = models.PositiveSmallIntegerField(_("同乗する人数（本人以外）"), default=0)
    mobility_aids = models.CharField(_("歩行の補助具"), max_length=100, blank=True)
    outbound = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="return_trip",
        verbose_name=_("行きの予約（帰りの場合）"),
    )
    status = models.CharField(
        _("状況"), max_length=12, choices=RideStatus.choices, default=RideStatus.RECEIVED
    )
    status_reason = models.CharField(_("理由"), max_length=300, blank=True)
    booked_via = models.CharField(
        _("受付方法"), max_length=12, choices=BookingChannel.choices, default=BookingChannel.PHONE
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受付者"),
    )
    public_alternative = models.TextField(
        _("使える路線バスなど"),
        blank=True,
        help_text=_("公共交通との共存の確認で見つかった便（配車の前に確認）"),
    )
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("送迎の予約")
        verbose_name_plural = _("送迎の予約")
        ordering = ["trip_date", "earliest_pickup", "appointment_at", "pk"]
        indexes = [models.Index(fields=["service", "trip_date", "status"])]

    def __str__(self) -> str:
        return f"{self.trip_date} {self.origin_label} → {self.destination_label}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.earliest_pickup or self.latest_pickup or self.appointment_at):
            errors["earliest_pickup"] = _(
                "迎えの時刻か、到着したい時刻のどちらかを入れてください。"
            )
        if (
            self.earliest_pickup
            and self.latest_pickup
            and self.latest_pickup < self.earliest_pickup
        ):
            errors["latest_pickup"] = _("「まで」の時刻は「から」の時刻以降にしてください。")
        if errors:
            raise ValidationError(errors)


# --- Day plans (配車計画) ---------------------------------------------------------------


class DayPlan(ServiceScoped, models.Model):
    """The plan of one day of a service: routes per driver and vehicle, and what stayed unserved."""

    class Status(models.TextChoices):
        # A computed plan not yet confirmed: 「作成中」 read as if it were still being made.
        DRAFT = "draft", _("計画案（未確定）")
        CONFIRMED = "confirmed", _("確定")

    service = models.ForeignKey(
        MobilityService, on_delete=models.PROTECT, related_name="day_plans", verbose_name=_("取組")
    )
    date = models.DateField(_("日付"))
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    total_km = models.DecimalField(
        _("総走行距離（km、見積もり）"), max_digits=8, decimal_places=2, default=0
    )
    solver_seconds = models.FloatField(_("計算時間（秒）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("配車計画")
        verbose_name_plural = _("配車計画")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="day_plan_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.date}"


class PlannedRoute(models.Model):
    """One driver with one vehicle on a day plan."""

    plan = models.ForeignKey(
        DayPlan, on_delete=models.CASCADE, related_name="routes", verbose_name=_("配車計画")
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, related_name="planned_routes", verbose_name=_("運転者")
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="planned_routes", verbose_name=_("車両")
    )
    starts_at = models.TimeField(_("出発時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("戻り時刻"), null=True, blank=True)
    km = models.DecimalField(
        _("走行距離（km、見積もり）"), max_digits=8, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("運行（運転者ごと）")
        verbose_name_plural = _("運行（運転者ごと）")
        ordering = ["plan", "driver__name_kana"]

    def __str__(self) -> str:
        return f"{self.plan} {self.driver}"


class PlannedStop(models.Model):
    """A pickup or a drop-off on a planned route, in visiting order."""

    class Kind(models.TextChoices):
        PICKUP = "pickup", _("迎え")
        DROPOFF = "dropoff", _("送り")

    route = models.ForeignKey(
        PlannedRoute, on_delete=models.CASCADE, related_name="stops", verbose_name=_("運行")
    )
    sequence = models.PositiveSmallIntegerField(_("順番"))
    request = models.ForeignKey(
        RideRequest, on_delete=models.CASCADE, related_name="planned_stops", verbose_name=_("予約")
    )
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices)
    arrives_at = models.TimeField(_("到着予定"))
    departs_at = models.TimeField(_("出発予定"))

    class Meta:
        verbose_name = _("立ち寄り")
        verbose_name_plural = _("立ち寄り")
        ordering = ["route", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["route", "sequence"], name="planned_stop_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.get_kind_display()} {self.request}"


class UnservedRequest(models.Model):
    """A request the plan could not serve, with the reason in plain Japanese."""

    plan = models.ForeignKey(
        DayPlan, on_delete=models.CASCADE, related_name="unserved", verbose_name=_("配車計画")
    )
    request = models.ForeignKey(
        RideRequest, on_delete=models.CASCADE, related_name="+", verbose_name=_("予約")
    )
    reason = models.CharField(_("理由"), max_length=300)

    class Meta:
        verbose_name = _("配車できなかった予約")
        verbose_name_plural = _("配車できなかった予約")
        constraints = [
            models.UniqueConstraint(fields=["plan", "request"], name="unserved_unique_request")
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.reason}"
