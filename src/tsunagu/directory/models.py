"""Directory of local actors and resources (社会資源): who does what, where, for whom.

Scoping: every organisation, person, location and resource belongs to a municipality, or
to a prefecture (municipality empty), or to neither (national bodies such as 九州厚生局).
Resources and organisations carry a visibility: public (anyone, no login), partners (every
signed-in user with a scope over the municipality, including organisation members) or
internal (municipal staff roles only).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.accounts.scope import Visibility
from tsunagu.core.choices import Weekday

# Visibility is part of the scope rules (tsunagu.accounts.scope); re-exported for the directory.
from tsunagu.directory import catalog

STALE_AFTER_DAYS = 365  # records not verified for 12 months are listed as stale

phone_validator = RegexValidator(
    r"^[0-9０-９+＋()（）\-－‐ー ]{6,20}$",
    _("電話番号は数字とハイフンで入力してください（例: 0947-32-2511）。"),
    code="phone",
)


class OrganisationType(models.TextChoices):
    DEPARTMENT = "department", _("行政部署")
    COMMUNITY_CARE_CENTER = "community_care_center", _("地域包括支援センター")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
    SOCIAL_WELFARE_CORPORATION = "social_welfare_corporation", _("社会福祉法人")
    NPO = "npo", _("NPO法人")
    COMMUNITY_COUNCIL = "community_council", _("地域運営組織・地域コミュニティ協議会")
    NEIGHBOURHOOD_ASSOCIATION = "neighbourhood_association", _("自治会・町内会")
    COMMUNITY_CENTRE = "community_centre", _("公民館")
    SENIOR_CLUB = "senior_club", _("老人クラブ")
    WELFARE_COMMISSIONER = "welfare_commissioner", _("民生委員・児童委員")
    COMPANY = "company", _("民間企業")
    COOPERATIVE = "cooperative", _("協同組合")
    SILVER_HR_CENTER = "silver_human_resources_center", _("シルバー人材センター")
    CARE_PROVIDER = "care_provider", _("介護サービス事業所")
    MEDICAL_INSTITUTION = "medical_institution", _("医療機関")
    POST_OFFICE = "post_office", _("郵便局")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("商工会")
    SCHOOL = "school", _("学校")
    DRIVING_SCHOOL = "driving_school", _("自動車学校")
    VOLUNTEER_GROUP = "volunteer_group", _("ボランティア団体・住民主体の活動団体")
    OTHER = "other", _("その他")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("活動中")
    PAUSED = "paused", _("休止")
    DISSOLVED = "dissolved", _("解散")


class ResourceStatus(models.TextChoices):
    ACTIVE = "active", _("実施中")
    PLANNED = "planned", _("準備中")
    PAUSED = "paused", _("休止")
    ENDED = "ended", _("終了")


class FundingBasis(models.TextChoices):
    SOGO_JIGYO = "sogo_jigyo", _("総合事業")
    MUTUAL_AID = "mutual_aid", _("互助（住民の助け合い）")
    OWN_INITIATIVE = "own_initiative", _("自主事業")
    PUBLIC_SERVICE = "public_service", _("行政サービス")
    SUBSIDY = "subsidy", _("補助金")
    OTHER = "other", _("その他")


# 総合事業 types (DOMAIN.md 4.2), built from the one catalog (directory/catalog.py) so the tag
# is a link to the catalog, not a second list. Codes are stable (stored, facets, HSDS terms).
SogoServiceType = models.TextChoices(  # type: ignore[misc]
    "SogoServiceType",
    [(t.code.upper(), (t.code, t.name)) for t in catalog.CATALOG],
)


class ContactWay(models.TextChoices):
    PHONE = "phone", _("電話")
    EMAIL = "email", _("メール")
    FAX = "fax", _("FAX")
    IN_PERSON = "in_person", _("訪問・対面")
    POST = "post", _("郵送")
    OTHER = "other", _("その他")


class ScopedDirectoryRecord(models.Model):
    """Scope fields shared by directory records."""

    prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("都道府県"),
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("市町村"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def scope_prefecture_id(self) -> int | None:
        if self.municipality_id:
            return self.municipality.prefecture_id
        return self.prefecture_id

    @property
    def scope_municipality_id(self) -> int | None:
        return self.municipality_id


class VerifiedRecord(models.Model):
    """Last verification (最終確認): stale resource lists are the known failure."""

    last_verified_on = models.DateField(_("最終確認日"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最終確認者"),
    )

    class Meta:
        abstract = True

    @property
    def verification_age_days(self) -> int | None:
        if self.last_verified_on is None:
            return None
        return (timezone.localdate() - self.last_verified_on).days

    @property
    def is_stale(self) -> bool:
        age = self.verification_age_days
        return age is None or age > STALE_AFTER_DAYS


class Tag(models.Model):
    """A free label for strengths (強み) and problems (課題), shared across municipalities."""

    name = models.CharField(_("タグ"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(ScopedDirectoryRecord, VerifiedRecord):
    """団体・組織: a department, council, corporation, company, club … that does something."""

    name = models.CharField(_("名称"), max_length=200)
    name_kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    org_type = models.CharField(_("種別"), max_length=40, choices=OrganisationType.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上位の組織"),
        help_text=_("部署の属する自治体の組織、部会の属する協議会など"),
    )
    description = models.TextField(_("活動内容"), blank=True)
    serves_whole_municipality = models.BooleanField(_("市町村全域で活動"), default=False)
    daily_life_areas = models.ManyToManyField(
        "areas.DailyLifeArea",
        blank=True,
        related_name="organisations",
        verbose_name=_("活動する日常生活圏域"),
    )
    districts = models.ManyToManyField(
        "areas.District", blank=True, related_name="organisations", verbose_name=_("活動する地区")
    )
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("緯度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("経度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("電話番号"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("メールアドレス"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    strengths = models.TextField(_("強み"), blank=True)
    strength_tags = models.ManyToManyField(
        Tag, blank=True, related_name="strength_of", verbose_name=_("強みのタグ")
    )
    problems = models.TextField(_("抱えている課題"), blank=True)
    problem_tags = models.ManyToManyField(
        Tag, blank=True, related_name="problem_of", verbose_name=_("課題のタグ")
    )
    status = models.CharField(
        _("状態"),
        max_length=16,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    founded_on = models.DateField(_("設立日"), null=True, blank=True)
    visibility = models.CharField(
        _("公開範囲"), max_length=16, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[daily_life_areas, districts])

    class Meta:
        verbose_name = _("団体・組織")
        verbose_name_plural = _("団体・組織")
        ordering = ["municipality", "name_kana", "name"]
        constraints = [
            # NULLs never collide in SQL, so each scope level gets its own condition.
            models.UniqueConstraint(
                fields=["municipality", "name"],
                condition=models.Q(municipality__isnull=False),
                name="organisation_unique_name_in_municipality",
                violation_error_message=_("同じ市町村に同じ名称の団体がすでにあります。"),
            ),
            models.UniqueConstraint(
                fields=["prefecture", "name"],
                condition=models.Q(municipality__isnull=True, prefecture__isnull=False),
                name="organisation_unique_name_in_prefecture",
                violation_error_message=_("同じ都道府県に同じ名称の団体がすでにあります。"),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(municipality__isnull=True, prefecture__isnull=True),
                name="organisation_unique_national_name",
                violation_error_message=_("同じ名称の全国の団体がすでにあります。"),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "org_type"])]

    def __str__(self) -> str:
        return self.name


class Person(ScopedDirectoryRecord, VerifiedRecord):
    """A contact person. Contact details are shown only inside the municipality's scope."""

    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("メールアドレス"), blank=True)
    preferred_contact = models.CharField(
        _("希望する連絡方法"), max_length=16, choices=ContactWay.choices, blank=True
    )
    note = models.TextField(_("備考"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("利用者アカウント"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人")
        verbose_name_plural = _("人")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name


class PersonRole(models.Model):
    """A person's role in an organisation over a period (会長, 担当, SC, 委員 …)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("人")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="person_roles",
        verbose_name=_("団体・組織"),
    )
    title = models.CharField(_("役割・役職"), max_length=100)
    starts_on = models.DateField(_("開始日"), null=True, blank=True)
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("団体での役割")
        verbose_name_plural = _("団体での役割")
        ordering = ["organisation", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.title} {self.person}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.starts_on is None or self.starts_on <= today) and (
            self.ends_on is None or self.ends_on >= today
        )

    @property
    def scope_prefecture_id(self) -> int | None:
        return self.organisation.scope_prefecture_id

    @property
    def scope_municipality_id(self) -> int | None:
        return self.organisation.scope_municipality_id


class Category(models.Model):
    """Hierarchical resource taxonomy; administrators extend it. ``code`` is stable for exchange."""

    code = models.SlugField(_("コード"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英語名"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上位分類"),
    )
    description = models.TextField(_("説明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("資源の分類")
        verbose_name_plural = _("資源の分類")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> set[int]:
        """This category and every category below it."""
        found, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Category.objects.filter(parent_id__in=frontier)
                .exclude(pk__in=found)
                .values_list("pk", flat=True)
            )
            found.update(frontier)
        return found


class Eligibility(models.Model):
    """Who may use a resource (誰でも, 65歳以上, 要支援, 事業対象者, 要介護, 一人暮らし …)."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英語名"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("利用できる人")
        verbose_name_plural = _("利用できる人")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Location(ScopedDirectoryRecord):
    """A place where something happens (公民館, 集会所, 事業所 …)."""

    name = models.CharField(_("名称"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("管理する団体"),
    )
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("緯度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("経度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("地区"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("場所")
        verbose_name_plural = _("場所")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(ScopedDirectoryRecord, VerifiedRecord):
    """社会資源: a service or activity someone provides."""

    name = models.CharField(_("名称"), max_length=200)
    name_kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("提供する団体"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="resources", verbose_name=_("分類")
    )
    description = models.TextField(_("内容"), blank=True)
    eligibility = models.ManyToManyField(
        Eligibility, blank=True, related_name="resources", verbose_name=_("利用できる人")
    )
    eligibility_note = models.CharField(_("利用条件の補足"), max_length=300, blank=True)
    cost_yen = models.PositiveIntegerField(_("利用料（円）"), null=True, blank=True)
    cost_note = models.CharField(
        _("費用の説明"),
        max_length=300,
        blank=True,
        help_text=_("例: 無料、1回100円、実費（燃料代）"),
    )
    schedule_note = models.CharField(
        _("日程の説明"), max_length=300, blank=True, help_text=_("例: 毎月第2水曜 10時〜12時")
    )
    serves_whole_municipality = models.BooleanField(_("市町村全域が対象"), default=False)
    daily_life_areas = models.ManyToManyField(
        "areas.DailyLifeArea",
        blank=True,
        related_name="resources",
        verbose_name=_("対象の日常生活圏域"),
    )
    districts = models.ManyToManyField(
        "areas.District", blank=True, related_name="resources", verbose_name=_("対象の地区")
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="resources", verbose_name=_("実施場所")
    )
    how_to_apply = models.TextField(_("申込方法"), blank=True)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=ResourceStatus.choices, default=ResourceStatus.ACTIVE
    )
    funding_basis = models.CharField(
        _("財源・根拠"), max_length=20, choices=FundingBasis.choices, blank=True
    )
    sogo_service_type = models.CharField(
        _("総合事業の類型"), max_length=24, choices=SogoServiceType.choices, blank=True
    )
    subsidy_name = models.CharField(_("補助金の名称"), max_length=200, blank=True)
    visibility = models.CharField(
        _("公開範囲"), max_length=16, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    contact_phone = models.CharField(
        _("問い合わせ電話番号"), max_length=20, blank=True, validators=[phone_validator]
    )
    website = models.URLField(_("ウェブサイト・動画"), blank=True)
    started_on = models.DateField(_("開始日"), null=True, blank=True)
    source = models.CharField(_("出典・情報源"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[eligibility, daily_life_areas, districts])

    class Meta:
        verbose_name = _("地域資源")
        verbose_name_plural = _("地域資源")
        ordering = ["municipality", "name_kana", "name"]
        indexes = [
            models.Index(fields=["municipality", "visibility", "status"]),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return self.name


class WeeklySlot(models.Model):
    """A weekly pattern: every Wednesday 10:00–12:00, or only the 2nd Wednesday of the month."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="weekly_slots", verbose_name=_("地域資源")
    )
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    week_of_month = models.PositiveSmallIntegerField(
        _("第何週"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("空欄なら毎週"),
    )
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)

    class Meta:
        verbose_name = _("曜日ごとの日程")
        verbose_name_plural = _("曜日ごとの日程")
        ordering = ["weekday", "opens_at"]

    def __str__(self) -> str:
        prefix = f"第{self.week_of_month}" if self.week_of_month else "毎週"
        times = (
            f" {self.opens_at:%H:%M}〜{self.closes_at:%H:%M}"
            if self.opens_at and self.closes_at
            else ""
        )
        return f"{prefix}{self.get_weekday_display()}{times}"


class DatedSession(models.Model):
    """A session on a given date (e.g. 採銅所's 健康相談 on 令和7年5月14日)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("地域資源")
    )
    date = models.DateField(_("日付"))
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("開催日")
        verbose_name_plural = _("開催日")
        ordering = ["date", "opens_at"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class ImportMapping(models.Model):
    """A user's remembered column mapping for one kind of import."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_mappings"
    )
    kind = models.CharField(max_length=20)  # organisation | person | resource
    mapping = models.JSONField(default=dict)  # our field name -> the file's column header
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="import_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


def today() -> datetime.date:
    return timezone.localdate()


# --- search index (owned by search) ---


class SearchEntry(models.Model):
    """What search filters, counts, scopes and sorts on, for one organisation or resource.

    Written only by ``tsunagu.directory.search`` (index_* and rebuild_index), which copies
    here the few columns search needs (a narrow row: scanning thousands of matches must
    not read descriptions). The terms are stored by migration 0003's database-specific
    parts, which this model does not declare: on SQLite in the FTS5 table
    ``directory_searchentry_fts`` (rowid = id, emptied by a trigger with the entry), on
    PostgreSQL in the tsvector columns ``name_tsv`` and ``terms_tsv`` (GIN indexes).
    ``rebuild_search_index`` recomputes everything.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("団体・組織")
        RESOURCE = "resource", _("地域資源")

    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entry",
        verbose_name=_("団体・組織"),
    )
    resource = models.OneToOneField(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entry",
        verbose_name=_("地域資源"),
    )
    name = models.CharField(_("名称"), max_length=200)  # for the order by name
    # Copies of the record's scope and of its provider's (a resource is visible only when
    # its provider is), so that permissions.visible_q applies to entries as to records.
    visibility = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    serves_whole_municipality = models.BooleanField(default=False)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    provider_visibility = models.CharField(max_length=16, blank=True)
    provider_municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    provider_prefecture = models.ForeignKey(
        "areas.Prefecture",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # Facets: the resource's category, the (provider's) organisation type, and the
    # eligibility ids and weekdays as " 1 4 " (padded, sorted: filters use LIKE '% 4 %')
    # and as bit masks (bit n for id or weekday n: counting sums the bits in one pass).
    category = models.ForeignKey(
        Category,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    org_type = models.CharField(max_length=40)
    eligibility_keys = models.CharField(max_length=300, blank=True)
    eligibility_mask = models.BigIntegerField(default=0)  # ids 0..62; larger ids: keys only
    weekday_keys = models.CharField(max_length=20, blank=True)
    weekday_mask = models.SmallIntegerField(default=0)

    class Meta:
        verbose_name = _("検索索引")
        verbose_name_plural = _("検索索引")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="organisation", organisation__isnull=False, resource__isnull=True)
                    | models.Q(kind="resource", organisation__isnull=True, resource__isnull=False)
                ),
                name="search_entry_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
