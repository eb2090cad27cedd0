"""The demo directory: what the seed report says, with its sources, and nothing invented."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from django.apps import apps

from tsunagu.demo import report_directory
from tsunagu.directory.models import (
    DatedSession,
    Location,
    Organisation,
    Person,
    PersonRole,
    Resource,
    WeeklySlot,
)
from tsunagu.directory.selectors import organisation_list_visible_to, public_resource_list

pytestmark = pytest.mark.django_db

KAWARA, SAIKI, KAGOSHIMA, KURUME, IZUMI = "香春町", "佐伯市", "鹿児島市", "久留米市", "出水市"

# (name, org_type, municipality name or None, prefecture name or None, parent name or None)
NAMED_ORGANISATIONS = [
    ("香春町", "department", KAWARA, None, None),
    ("保険健康課", "department", KAWARA, None, "香春町"),
    ("まちづくり課", "department", KAWARA, None, "香春町"),
    ("包括支援センター係", "community_care_center", KAWARA, None, "保険健康課"),
    ("香春町社会福祉協議会", "social_welfare_council", KAWARA, None, None),
    ("採銅所地域コミュニティ協議会", "community_council", KAWARA, None, None),
    ("区長会", "neighbourhood_association", KAWARA, None, None),
    ("老人クラブ", "senior_club", KAWARA, None, None),
    ("佐伯市", "department", SAIKI, None, None),
    ("高齢者福祉課", "department", SAIKI, None, "佐伯市"),
    ("コミュニティ創生課", "department", SAIKI, None, "佐伯市"),
    ("地域振興課", "department", SAIKI, None, "佐伯市"),
    ("地域包括支援センター", "community_care_center", SAIKI, None, "高齢者福祉課"),
    ("佐伯市社会福祉協議会", "social_welfare_council", SAIKI, None, None),
    ("直川地域コミュニティ協議会", "community_council", SAIKI, None, None),
    ("弥生地域の社会福祉法人（仮）", "social_welfare_corporation", SAIKI, None, None),
    ("鹿児島市", "department", KAGOSHIMA, None, None),
    ("長寿あんしん課", "department", KAGOSHIMA, None, "鹿児島市"),
    ("交通政策課", "department", KAGOSHIMA, None, "鹿児島市"),
    ("長寿あんしん相談センター", "community_care_center", KAGOSHIMA, None, None),
    ("吉野校区コミュニティ協議会", "community_council", KAGOSHIMA, None, None),
    ("吉野地域支えあい座談会", "other", KAGOSHIMA, None, None),
    (
        "自動車学校（吉野地域支えあい座談会の構成団体）（仮）",
        "driving_school",
        KAGOSHIMA,
        None,
        None,
    ),
    ("宮たすけ隊", "volunteer_group", KAGOSHIMA, None, None),
    ("久留米市", "department", KURUME, None, None),
    ("地域福祉課", "department", KURUME, None, "久留米市"),
    ("介護保険課", "department", KURUME, None, "久留米市"),
    ("長寿支援課", "department", KURUME, None, "久留米市"),
    ("健康福祉部総務", "department", KURUME, None, "久留米市"),
    ("地域包括支援センター", "community_care_center", KURUME, None, None),
    ("久留米市総合事業見直し作業部会", "other", KURUME, None, "久留米市"),
    ("出水市", "department", IZUMI, None, None),
    ("いきいき長寿課", "department", IZUMI, None, "出水市"),
    ("地域包括ケア推進係", "department", IZUMI, None, "いきいき長寿課"),
    ("介護保険係", "department", IZUMI, None, "いきいき長寿課"),
    ("地域包括支援センター", "community_care_center", IZUMI, None, "いきいき長寿課"),
    ("政策経営部企画政策課", "department", IZUMI, None, "出水市"),
    ("保健福祉部健康増進課", "department", IZUMI, None, "出水市"),
    ("コミュニティ推進課", "department", IZUMI, None, "出水市"),
    ("教育委員会教育部生涯学習課", "department", IZUMI, None, "出水市"),
    ("出水市社会福祉協議会", "social_welfare_council", IZUMI, None, None),
    ("市立病院", "medical_institution", IZUMI, None, None),
    ("福岡県", "department", None, "福岡県", None),
    ("大分県", "department", None, "大分県", None),
    ("鹿児島県", "department", None, "鹿児島県", None),
    ("厚生労働省", "other", None, None, None),
    ("九州厚生局", "other", None, None, "厚生労働省"),
    ("大分運輸支局", "other", None, None, None),
    ("特定非営利活動法人全国移動サービスネットワーク", "npo", None, None, None),
]


def _organisation(name: str, municipality: str | None = None, prefecture: str | None = None):
    queryset = Organisation.objects.filter(name=name)
    if municipality:
        return queryset.get(municipality__name=municipality)
    if prefecture:
        return queryset.get(municipality__isnull=True, prefecture__name=prefecture)
    return queryset.get(municipality__isnull=True, prefecture__isnull=True)


def _counted_tables() -> list[str]:
    """Every model of the areas, accounts and directory apps, and every historical table."""
    return [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in {"areas", "accounts", "directory"}
        or model.__name__.startswith("Historical")
    ]


@pytest.mark.parametrize(
    ("name", "org_type", "municipality", "prefecture", "parent"), NAMED_ORGANISATIONS
)
def test_demo_has_each_named_organisation_with_its_type_scope_and_parent(
    name, org_type, municipality, prefecture, parent
):
    organisation = _organisation(name, municipality, prefecture)

    assert organisation.org_type == org_type
    assert (organisation.municipality.name if organisation.municipality else None) == municipality
    if municipality is None:
        assert (organisation.prefecture.name if organisation.prefecture else None) == prefecture
    else:
        assert organisation.prefecture is None  # the municipality carries its prefecture
    assert (organisation.parent.name if organisation.parent else None) == parent


def test_each_prefecture_has_its_care_promotion_department_at_prefecture_level():
    departments = Organisation.objects.filter(name="地域包括ケア推進担当課")

    assert sorted(d.prefecture.name for d in departments) == ["大分県", "福岡県", "鹿児島県"]
    assert all(d.municipality is None and d.org_type == "department" for d in departments)
    assert all(d.parent.name == d.prefecture.name for d in departments)


def test_saidosho_council_has_its_six_bukai_as_children():
    council = _organisation("採銅所地域コミュニティ協議会", KAWARA)

    names = set(council.children.values_list("name", flat=True))

    assert names == {
        "にじいろ部会",
        "ご縁部会",
        "なりわい部会",
        "さとやま部会",
        "つなげる部会",
        "あんしん部会",
    }
    assert all(
        child.districts.filter(name="採銅所地域").exists() for child in council.children.all()
    )


def test_naokawa_council_has_mimamoritai_and_otasuketai_and_its_nickname_in_the_description():
    council = _organisation("直川地域コミュニティ協議会", SAIKI)

    children = set(council.children.values_list("name", flat=True))

    assert children == {"福祉・生活支援部会（みまもり隊）", "防災・交通・環境部会（おたすけ隊）"}
    assert "ミラサポ" in council.description
    assert "直川の未来をサポートする会" in council.description
    assert council.name_kana == "なおかわちいきこみゅにてぃきょうぎかい"


def test_kawara_emergency_alarm_exists_is_public_and_serves_the_whole_town():
    resource = Resource.objects.get(name="緊急通報装置の貸与", municipality__name=KAWARA)

    assert resource.visibility == "public"
    assert resource.serves_whole_municipality is True
    assert resource.category.code == "emergency-alarm"
    assert set(resource.eligibility.values_list("code", flat=True)) == {"living-alone", "age-65"}
    assert resource in public_resource_list()


def test_kawara_watching_activity_is_public_next_to_the_alarm():
    resource = Resource.objects.get(name="見守り活動", municipality__name=KAWARA)

    assert resource.visibility == "public"
    assert resource.category.code == "watching"
    assert resource in public_resource_list()


def test_saidosho_health_consultation_has_its_session_on_2025_05_14():
    resource = Resource.objects.get(name="健康相談", provider__name="採銅所地域コミュニティ協議会")

    assert list(resource.sessions.values_list("date", flat=True)) == [datetime.date(2025, 5, 14)]
    assert resource.category.code == "health-consultation"
    assert resource.districts.filter(name="採銅所地域").exists()


def test_yoshino_seminar_is_held_at_the_driving_school_on_2025_05_15():
    resource = Resource.objects.get(name__startswith="送迎ドライバー向けセミナー")

    assert resource.provider.name == "吉野地域支えあい座談会"
    assert list(resource.sessions.values_list("date", flat=True)) == [datetime.date(2025, 5, 15)]
    location = resource.locations.get()
    assert location.organisation.org_type == "driving_school"
    assert location.address == ""


def test_miya_tasuketai_rides_are_service_b_funded_by_the_sasaeai_subsidy():
    rides = Resource.objects.filter(provider__name="宮たすけ隊")

    assert {r.category.code for r in rides} == {"mobility", "escort"}
    assert {r.sogo_service_type for r in rides} == {"home_b"}
    assert {r.subsidy_name for r in rides} == {"支えあい活動補助金"}


def test_kagoshima_sasaeai_subsidy_is_service_b_with_its_subsidy_name():
    subsidy = Resource.objects.get(name="支えあい活動補助金", municipality__name=KAGOSHIMA)

    assert subsidy.funding_basis == "sogo_jigyo"
    assert subsidy.sogo_service_type == "home_b"
    assert subsidy.subsidy_name == "支えあい活動補助金"


def test_yayoi_idle_vehicle_rides_are_mutual_aid_in_yayoi():
    rides = Resource.objects.get(provider__name="弥生地域の社会福祉法人（仮）")

    assert rides.funding_basis == "mutual_aid"
    assert rides.category.code == "mobility"
    assert list(rides.districts.values_list("name", flat=True)) == ["弥生地域"]


def test_saiki_demand_bus_and_its_youtube_video_have_no_invented_url():
    bus = Resource.objects.get(name="デマンドバス", municipality__name=SAIKI)
    video = Resource.objects.get(name__contains="YouTube", municipality__name=SAIKI)

    assert bus.provider.name == "地域振興課"
    assert video.provider.name == "直川地域コミュニティ協議会"
    assert video.website == ""  # the report prints no URL


def test_naokawa_driver_course_and_helper_training_are_dated_by_month_only():
    course = Resource.objects.get(name="運転ボランティア養成講座")
    training = Resource.objects.get(name="運転ボランティア向けの介助講習")

    assert "令和5年12月" in course.schedule_note
    assert "令和6年2月" in training.schedule_note
    assert not course.sessions.exists() and not training.sessions.exists()  # no day printed


def test_internal_coordination_group_and_plans_are_not_on_the_public_side():
    group = _organisation("久留米市総合事業見直し作業部会", KURUME)
    public_names = set(public_resource_list().values_list("name", flat=True))

    assert group.visibility == "partners"
    assert group not in organisation_list_visible_to(user=None)
    assert "通所型サービスC モデル事業（検討中）" not in public_names
    assert "地域づくり加速化事業（伴走的支援）" not in public_names


def test_every_organisation_and_resource_cites_its_place_in_the_report():
    """Report records cite where in the report; the rides demo's invented destinations say so."""
    from tsunagu.demo.mobility_loader import SYNTHETIC

    for model in (Organisation, Resource):
        records = list(model.objects.all())
        assert records, model.__name__
        for record in records:
            assert record.source.strip(), f"{model.__name__} {record} has no source"
            if record.source == SYNTHETIC:
                assert record.name.endswith("（デモ）"), record.name
                continue
            # the case sheet or part of the report, as users cite it (no file, no lines)
            assert re.search(r"事例表|II|I 2", record.source), f"{record}: {record.source}"
            assert "report.txt" not in record.source, f"{record}: {record.source}"


def test_placeholder_names_are_marked_and_their_source_says_so():
    placeholders = list(Organisation.objects.filter(name__contains="（仮）"))
    assert placeholders  # the report leaves some names out (e.g. a taxi company)
    for record in placeholders:
        assert "（仮）" in record.source, record.name
    for record in Organisation.objects.filter(source__contains="（仮）"):
        assert "（仮）" in record.name
    # Location has no source field: its placeholder name must match its organisation's.
    for location in Location.objects.filter(name__contains="（仮）"):
        assert location.organisation is not None and "（仮）" in location.organisation.name


def test_no_record_has_contact_details_or_an_address_the_report_does_not_print():
    # The report prints no phone number, e-mail, URL, address or person's name.
    for model, fields in (
        (Organisation, ("phone", "email", "website", "address", "postal_code")),
        (Location, ("address", "postal_code")),
        (Resource, ("contact_phone", "website")),
    ):
        for field in fields:
            assert not model.objects.exclude(**{field: ""}).exists(), f"{model.__name__}.{field}"
    # Only the rides demo's invented destinations (marked （デモ）) have coordinates.
    from tsunagu.demo.mobility_loader import SYNTHETIC

    assert (
        not Organisation.objects.filter(latitude__isnull=False).exclude(source=SYNTHETIC).exists()
    )
    assert not Location.objects.filter(latitude__isnull=False).exists()
    assert not Person.objects.exists()


def test_loading_the_demo_again_creates_nothing_and_writes_no_history(demo_loaded_again):
    again = demo_loaded_again  # loaded a second time (tests/demo/conftest.py)
    counted = _counted_tables()

    assert {k: again.after[k] for k in counted} == {k: again.before[k] for k in counted}
    assert again.summary.created == 0 and again.summary.updated == 0
    for model in (DatedSession, WeeklySlot, PersonRole):  # schedules and roles too
        assert model._meta.label in counted
        assert again.before[model._meta.label] == model.objects.count()


def test_natural_keys_of_the_data_are_unique_per_scope():
    # The loader matches records on (scope, name): two entries with the same key would merge.
    organisations = Counter(
        (o["municipality"], o["prefecture"] if o["municipality"] is None else None, o["name"])
        for o in report_directory.ORGANISATIONS
    )
    by_key = {o["key"]: o for o in report_directory.ORGANISATIONS}
    resources = Counter(
        (by_key[r["provider"]]["municipality"], by_key[r["provider"]]["prefecture"], r["name"])
        for r in report_directory.RESOURCES
    )
    keys = Counter(o["key"] for o in report_directory.ORGANISATIONS) + Counter(
        r["key"] for r in report_directory.RESOURCES
    )

    assert [k for k, n in organisations.items() if n > 1] == []
    assert [k for k, n in resources.items() if n > 1] == []
    assert [k for k, n in keys.items() if n > 1] == []
