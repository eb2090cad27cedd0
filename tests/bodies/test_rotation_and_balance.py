"""Facilitator rotation (香春町 changes the chair every time) and composition-balance warnings.

Data is written through the services by municipal staff (``kawara`` for 香春町, ``saiki`` for
佐伯市, whose districts 直川地域 and 弥生地域 come from the demo dataset).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tsunagu.areas import services as area_services
from tsunagu.areas.models import District
from tsunagu.areas.services import AreaFields
from tsunagu.bodies import services
from tsunagu.bodies.balance import composition_balance
from tsunagu.bodies.models import MeetingStatus
from tsunagu.bodies.rotation import suggest_facilitators
from tsunagu.bodies.services import BodyFields, MeetingFields
from tsunagu.directory import services as directory_services
from tsunagu.directory.models import Organisation
from tsunagu.directory.services import PersonFields

pytestmark = pytest.mark.django_db


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def saiki(user_named):
    return user_named("saiki")


def org(name: str, municipality_name: str = "香春町") -> Organisation:
    return Organisation.objects.get(name=name, municipality__name=municipality_name)


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def person(name: str, organisation: Organisation, actor, kana: str = ""):
    return directory_services.person_create(
        fields=PersonFields(name=name, name_kana=kana),
        organisation=organisation,
        title="委員",
        actor=actor,
    )


# --- rotation --------------------------------------------------------------------------


@pytest.fixture
def regular(municipality, kawara):
    """香春町's 定例会 with four people: council, two departments and the SC."""
    body = services.body_create(
        municipality=municipality("香春町"),
        fields=BodyFields(name="検証用 定例会", kind="regular"),
        actor=kawara,
    )
    people = {
        "council": person(
            "採銅 花子", org("採銅所地域コミュニティ協議会"), kawara, "さいどう はなこ"
        ),
        "hoken": person("保険 一郎", org("保険健康課"), kawara, "ほけん いちろう"),
        "machi": person("町 次郎", org("まちづくり課"), kawara, "まち じろう"),
        "sc": person("香春 太郎", org("香春町社会福祉協議会"), kawara, "かわら たろう"),
    }
    seats = {
        key: services.member_add(body=body, person=p, organisation=p_org, actor=kawara)
        for key, p, p_org in (
            ("council", people["council"], org("採銅所地域コミュニティ協議会")),
            ("hoken", people["hoken"], org("保険健康課")),
            ("machi", people["machi"], org("まちづくり課")),
            ("sc", people["sc"], org("香春町社会福祉協議会")),
        )
    }
    return {"body": body, "people": people, "seats": seats}


def held(body, actor, day: datetime.date, facilitator, status=MeetingStatus.HELD):
    return services.meeting_schedule(
        body=body,
        fields=MeetingFields(starts_at=at(day), facilitator=facilitator, status=status),
        actor=actor,
    )


def names(suggestions) -> list[str]:
    return [s.person.name if s.person else s.organisation.name for s in suggestions]


def test_rotation_puts_members_who_never_facilitated_first_then_least_recent(regular, kawara):
    body, p = regular["body"], regular["people"]
    held(body, kawara, datetime.date(2025, 4, 17), p["hoken"])
    held(body, kawara, datetime.date(2025, 5, 15), p["council"])
    held(body, kawara, datetime.date(2025, 6, 19), p["hoken"])
    suggestions = suggest_facilitators(body, limit=4)
    # never: 香春 太郎 and 町 次郎 (by reading), then 採銅 花子 (May), then 保険 一郎 (June)
    assert names(suggestions) == ["香春 太郎", "町 次郎", "採銅 花子", "保険 一郎"]
    lasts = {s.person.name: s.last for s in suggestions}
    assert lasts["香春 太郎"] is None
    assert timezone.localtime(lasts["採銅 花子"]).date() == datetime.date(2025, 5, 15)
    assert timezone.localtime(lasts["保険 一郎"]).date() == datetime.date(2025, 6, 19)


def test_rotation_limits_the_number_of_suggestions(regular):
    assert len(suggest_facilitators(regular["body"])) == 3
    assert len(suggest_facilitators(regular["body"], limit=1)) == 1


def test_a_cancelled_meeting_does_not_count_as_facilitating(regular, kawara):
    body, p = regular["body"], regular["people"]
    for day, who in (
        (datetime.date(2025, 4, 17), p["council"]),
        (datetime.date(2025, 5, 15), p["hoken"]),
        (datetime.date(2025, 6, 19), p["machi"]),
    ):
        held(body, kawara, day, who)
    # 香春 太郎 was to facilitate in July, but the meeting was cancelled
    held(body, kawara, datetime.date(2025, 7, 17), p["sc"], status=MeetingStatus.CANCELLED)
    suggestions = suggest_facilitators(body, limit=4)
    assert names(suggestions)[0] == "香春 太郎"
    assert suggestions[0].last is None
    assert names(suggestions) == ["香春 太郎", "採銅 花子", "保険 一郎", "町 次郎"]


def test_a_member_whose_term_has_ended_is_not_suggested(regular, kawara):
    services.member_end(
        member=regular["seats"]["sc"], ends_on=datetime.date(2025, 3, 31), actor=kawara
    )
    assert "香春 太郎" not in names(suggest_facilitators(regular["body"], limit=10))


def test_meetings_of_another_body_do_not_count(regular, municipality, kawara):
    body, p = regular["body"], regular["people"]
    other = services.body_create(
        municipality=municipality("香春町"),
        fields=BodyFields(name="別の会議", kind="other"),
        actor=kawara,
    )
    held(other, kawara, datetime.date(2025, 6, 1), p["sc"])
    held(body, kawara, datetime.date(2025, 4, 17), p["council"])
    assert names(suggest_facilitators(body, limit=4))[0] == "香春 太郎"


def test_an_organisation_seat_without_a_representative_is_suggested_by_name(regular, kawara):
    # given every person seat has facilitated, and a seat of 区長会 with nobody recorded
    body, p = regular["body"], regular["people"]
    for day, who in enumerate(("council", "hoken", "machi", "sc"), start=1):
        held(body, kawara, datetime.date(2025, 4, day), p[who])
    services.member_add(body=body, organisation=org("区長会"), actor=kawara)
    # when
    suggestions = suggest_facilitators(body, limit=10)
    # then the organisation comes first (never facilitated), named, with nobody to set yet
    assert len(suggestions) == 5
    assert suggestions[0].organisation == org("区長会")
    assert suggestions[0].person is None
    assert suggestions[0].name == "区長会"
    assert suggestions[0].last is None


def _organisation_body(municipality, kawara):
    """A body seating organisations only, as every demo body does."""
    body = services.body_create(
        municipality=municipality("香春町"),
        fields=BodyFields(name="団体だけの協議体", kind="regular"),
        actor=kawara,
    )
    for name in ("区長会", "まちづくり課", "採銅所地域コミュニティ協議会"):
        services.member_add(body=body, organisation=org(name), actor=kawara)
    return body


def test_rotation_among_organisations_names_each_organisations_representative(municipality, kawara):
    body = _organisation_body(municipality, kawara)
    chair = directory_services.person_create(
        fields=PersonFields(name="区長 会子", name_kana="くちょう かいこ"),
        organisation=org("区長会"),
        title="会長",
        actor=kawara,
    )
    suggestions = {s.organisation.name: s for s in suggest_facilitators(body, limit=10)}
    assert set(suggestions) == {"区長会", "まちづくり課", "採銅所地域コミュニティ協議会"}
    assert suggestions["区長会"].person == chair
    assert suggestions["区長会"].name == "区長 会子（区長会）"


def test_an_organisation_that_facilitated_waits_for_the_others(municipality, kawara):
    body = _organisation_body(municipality, kawara)
    chair = directory_services.person_create(
        fields=PersonFields(name="区長 会子"),
        organisation=org("区長会"),
        title="会長",
        actor=kawara,
    )
    held(body, kawara, datetime.date(2025, 5, 1), chair)
    suggestions = suggest_facilitators(body, limit=10)
    assert suggestions[-1].organisation == org("区長会")
    assert timezone.localtime(suggestions[-1].last).date() == datetime.date(2025, 5, 1)
    assert suggestions[-1].times == 1
    assert all(s.last is None for s in suggestions[:-1])


def test_meeting_page_says_whose_turn_it_is_in_a_demo_body(client_as, municipality):
    from tsunagu.bodies.models import Meeting

    meeting = (
        Meeting.objects.filter(
            body__municipality=municipality("香春町"), body__members__person__isnull=True
        )
        .order_by("pk")
        .first()
    )
    assert meeting is not None
    html = client_as("kawara").get(f"/bodies/meetings/{meeting.pk}/").content.decode()
    assert "次の進行役のおすすめ: " in html
    assert "候補がいません" not in html


# --- balance ---------------------------------------------------------------------------


def make_body(municipality, actor, name="検証用 協議体", **data):
    return services.body_create(
        municipality=municipality,
        fields=BodyFields(**{"name": name, "kind": "other", **data}),
        actor=actor,
    )


def seat(body, actor, organisation=None, **kwargs):
    return services.member_add(body=body, organisation=organisation, actor=actor, **kwargs)


def test_a_body_without_members_gets_a_warning(municipality, kawara):
    balance = composition_balance(make_body(municipality("香春町"), kawara))
    assert balance.seats == 0
    assert balance.warnings == ["構成員が登録されていません。"]


def test_all_members_from_one_sector_is_warned(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    seat(body, kawara, org("香春町社会福祉協議会"))
    seat(body, kawara, org("包括支援センター係"))
    balance = composition_balance(body)
    assert balance.by_sector == {"介護・医療": 2}
    assert "全員が「介護・医療」の分野です。" in balance.warnings


def test_a_missing_community_sector_is_warned_from_three_seats(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    seat(body, kawara, org("保険健康課"))
    seat(body, kawara, org("香春町社会福祉協議会"))
    assert "「地域・住民」の分野の構成員がいません。" not in composition_balance(body).warnings
    seat(body, kawara, org("まちづくり課"))
    warnings = composition_balance(body).warnings
    assert "「地域・住民」の分野の構成員がいません。" in warnings
    assert "「行政」の分野の構成員がいません。" not in warnings
    assert not any(w.startswith("全員が") for w in warnings)


def test_a_missing_administration_sector_is_warned_from_three_seats(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    for name in ("区長会", "老人クラブ", "香春町社会福祉協議会"):
        seat(body, kawara, org(name))
    warnings = composition_balance(body).warnings
    assert "「行政」の分野の構成員がいません。" in warnings
    assert "「地域・住民」の分野の構成員がいません。" not in warnings


def test_a_balanced_body_has_no_sector_warning(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    for name in ("区長会", "保険健康課", "香春町社会福祉協議会"):
        seat(body, kawara, org(name))
    assert composition_balance(body).warnings == []


def test_one_organisation_holding_more_than_half_of_the_seats_is_warned(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    for _ in range(3):
        seat(body, kawara, org("保険健康課"))
    seat(body, kawara, org("区長会"))
    seat(body, kawara, org("香春町社会福祉協議会"))
    balance = composition_balance(body)
    assert balance.seats == 5
    assert "保険健康課が5席中3席を占めています。" in balance.warnings


def test_an_organisation_holding_exactly_half_is_not_warned(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    seat(body, kawara, org("保険健康課"))
    seat(body, kawara, org("保険健康課"))
    seat(body, kawara, org("区長会"))
    seat(body, kawara, org("香春町社会福祉協議会"))
    assert not any("席を占めています" in w for w in composition_balance(body).warnings)


def test_ended_seats_do_not_count(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    first = seat(body, kawara, org("保険健康課"))
    seat(body, kawara, org("保険健康課"))
    seat(body, kawara, org("区長会"))
    services.member_end(member=first, ends_on=datetime.date(2024, 3, 31), actor=kawara)
    balance = composition_balance(body)
    assert balance.seats == 2
    assert not any("席を占めています" in w for w in balance.warnings)


@pytest.fixture
def saiki_districts():
    return (
        District.objects.get(name="直川地域", municipality__name="佐伯市"),
        District.objects.get(name="弥生地域", municipality__name="佐伯市"),
    )


def test_a_layer1_body_warns_about_a_district_without_a_member(
    municipality, saiki, saiki_districts
):
    naokawa, yayoi = saiki_districts
    body = make_body(
        municipality("佐伯市"), saiki, name="佐伯市 第1層協議体", kind="layer1", layer=1
    )
    seat(body, saiki, org("直川地域コミュニティ協議会", "佐伯市"), district=naokawa)
    seat(body, saiki, org("高齢者福祉課", "佐伯市"))
    seat(body, saiki, org("佐伯市社会福祉協議会", "佐伯市"))
    balance = composition_balance(body)
    assert "弥生地域の構成員がいません。" in balance.warnings
    assert "直川地域の構成員がいません。" not in balance.warnings
    assert balance.by_district["直川地域"] == 1
    seat(body, saiki, org("弥生地域の社会福祉法人（仮）", "佐伯市"), district=yayoi)
    assert not any("地域の構成員がいません" in w for w in composition_balance(body).warnings)


def test_a_body_of_a_daily_life_area_checks_the_districts_of_that_area(
    municipality, saiki, saiki_districts
):
    naokawa, yayoi = saiki_districts
    city = municipality("佐伯市")
    area = area_services.sub_area_create(
        municipality=city, kind="daily_life_area", fields=AreaFields(name="検証用圏域"), actor=saiki
    )
    for district in (naokawa, yayoi):
        area_services.area_update(
            area=district, fields=AreaFields(daily_life_area=area), actor=saiki
        )
    body = make_body(
        city, saiki, name="検証用 第2層協議体", kind="layer2", layer=2, daily_life_area=area
    )
    seat(body, saiki, org("弥生地域の社会福祉法人（仮）", "佐伯市"), district=yayoi)
    warnings = composition_balance(body).warnings
    assert "直川地域の構成員がいません。" in warnings
    assert "弥生地域の構成員がいません。" not in warnings


def test_a_body_of_one_district_gets_no_district_warning(municipality, saiki, saiki_districts):
    naokawa, _yayoi = saiki_districts
    body = make_body(municipality("佐伯市"), saiki, kind="layer2", layer=2, district=naokawa)
    seat(body, saiki, org("直川地域コミュニティ協議会", "佐伯市"))
    assert not any("地域の構成員がいません" in w for w in composition_balance(body).warnings)


def test_all_recorded_genders_the_same_is_warned(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    for name in ("区長会", "保険健康課", "香春町社会福祉協議会"):
        seat(body, kawara, org(name), gender="male")
    seat(body, kawara, org("老人クラブ"))  # not recorded: does not break the pattern
    balance = composition_balance(body)
    assert "記録のある構成員が全員男性です。" in balance.warnings
    assert balance.by_gender == {"男性": 3, "（記録なし）": 1}


def test_mixed_or_too_few_recorded_genders_are_not_warned(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    seat(body, kawara, org("区長会"), gender="male")
    seat(body, kawara, org("保険健康課"), gender="male")
    assert not any("全員男性" in w for w in composition_balance(body).warnings)
    seat(body, kawara, org("香春町社会福祉協議会"), gender="female")
    assert not any("記録のある構成員が全員" in w for w in composition_balance(body).warnings)


def test_all_recorded_age_bands_the_same_is_warned(municipality, kawara):
    body = make_body(municipality("香春町"), kawara)
    for name in ("区長会", "保険健康課", "香春町社会福祉協議会"):
        seat(body, kawara, org(name), age_band="70s")
    assert "記録のある構成員が全員70代です。" in composition_balance(body).warnings
