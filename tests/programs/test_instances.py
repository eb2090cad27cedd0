"""Program instances: scoped CRUD, participants with and without the care right, counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.core.actions import parse_reason
from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.programs.instances import services
from tsunagu.programs.instances.models import Enrolment, ParticipationCount, ProgramInstance

DAY = datetime.date(2025, 5, 1)


def _action(row) -> str:
    kind, _note = parse_reason(row.history_change_reason)
    return kind.code if kind else ""


def test_staff_create_an_instance_from_the_form_with_history(staff, login, provider):
    user = staff("鹿児島市")
    group = provider("鹿児島市")
    response = login(user).post(
        reverse("programs:instance-create"),
        {
            "service_type": "home_b",
            "name": "デモ 支えあい活動（買い物）",
            "provider": group.pk,
            "status": "running",
            "weekdays": ["0", "3"],
            "unit_price_yen": "300",
            "price_unit": "per_visit",
            "funding": "subsidy",
            "starts_on": "令和6年4月1日",
        },
    )
    instance = ProgramInstance.objects.get(name="デモ 支えあい活動（買い物）")
    assert response.status_code == 302
    assert (instance.weekdays, instance.unit_price_yen) == ([0, 3], 300)
    assert instance.starts_on == datetime.date(2024, 4, 1)
    row = instance.history.get()
    assert (row.history_user, _action(row)) == (user, "programs.instance.create")


def test_form_keeps_what_was_typed_when_the_price_has_no_unit(staff, login, provider):
    user = staff("鹿児島市")
    response = login(user).post(
        reverse("programs:instance-create"),
        {
            "service_type": "home_b",
            "name": "デモ 単位なし",
            "provider": provider("鹿児島市").pk,
            "status": "running",
            "unit_price_yen": "300",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "単価を入力したときは単位を選んでください。" in text
    assert 'value="デモ 単位なし"' in text
    assert not ProgramInstance.objects.filter(name="デモ 単位なし").exists()


def test_another_municipality_cannot_see_or_edit_an_instance(staff, login, instance):
    program = instance("鹿児島市")
    other = login(staff("久留米市"))
    assert other.get(reverse("programs:instance-detail", args=[program.pk])).status_code == 404
    response = other.post(
        reverse("programs:instance-edit", args=[program.pk]),
        {"service_type": "day_c", "name": "乗っ取り", "provider": program.provider_id},
    )
    assert response.status_code == 404
    program.refresh_from_db()
    assert (program.name, program.service_type) == ("デモ 訪問B", "home_b")
    assert program.history.count() == 1


def test_update_by_another_municipality_is_refused_and_changes_nothing(staff, instance):
    program = instance("鹿児島市")
    with pytest.raises(PermissionDenied):
        services.instance_update(
            instance=program,
            fields=services.InstanceFields(
                service_type="day_c", name="乗っ取り", provider=program.provider
            ),
            actor=staff("久留米市"),
        )
    program.refresh_from_db()
    assert program.name == "デモ 訪問B"
    assert program.history.count() == 1


def test_update_records_history(staff, instance):
    program = instance("鹿児島市")
    user = staff("鹿児島市")
    services.instance_update(
        instance=program,
        fields=services.InstanceFields(
            service_type="home_b", name="デモ 訪問B", provider=program.provider, capacity=20
        ),
        actor=user,
    )
    latest = program.history.order_by("-history_id").first()
    assert (latest.capacity, _action(latest), latest.history_user) == (
        20,
        "programs.instance.update",
        user,
    )


def test_list_is_scoped_and_filtered_by_type(staff, login, instance):
    instance("鹿児島市", title="デモ 訪問B")
    instance("鹿児島市", service_type="day_c", title="デモ 通所C")
    instance("久留米市", title="デモ 久留米の訪問B")
    client = login(staff("鹿児島市"))
    text = client.get(
        reverse("programs:instance-list"), {"service_type": "home_b"}
    ).content.decode()
    assert "デモ 訪問B" in text
    assert "デモ 通所C" not in text
    assert "デモ 久留米の訪問B" not in text


def test_enrol_with_the_care_right_records_history_and_the_read_log(staff, instance, resident):
    program = instance("鹿児島市")
    person = resident("鹿児島市")
    user = staff("鹿児島市", care=True)
    enrolment = services.enrolment_start(
        instance=program, resident=person, starts_on=DAY, actor=user
    )
    row = enrolment.history.get()
    assert (_action(row), row.history_user) == ("programs.enrolment.start", user)
    log = PersonalDataReadLog.objects.get(user=user)
    assert (log.object_id, log.purpose) == (str(person.pk), "総合事業の利用登録")


def test_enrol_without_the_care_right_is_not_found_and_changes_nothing(staff, instance, resident):
    program = instance("鹿児島市")
    person = resident("鹿児島市")
    with pytest.raises(NotFound):
        services.enrolment_start(
            instance=program, resident=person, starts_on=DAY, actor=staff("鹿児島市")
        )
    assert not Enrolment.objects.filter(program=program).exists()


def test_enrol_page_is_404_without_the_care_right(staff, login, instance):
    program = instance("鹿児島市")
    page = login(staff("鹿児島市")).get(reverse("programs:enrol", args=[program.pk]))
    assert page.status_code == 404


def test_enrol_from_the_page_with_the_care_right(staff, login, instance, resident):
    program = instance("鹿児島市")
    person = resident("鹿児島市")
    user = staff("鹿児島市", care=True)
    response = login(user).post(
        reverse("programs:enrol", args=[program.pk]),
        {"resident": person.pk, "starts_on": "2025-05-01"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(program=program).resident == person


def test_detail_page_names_participants_only_with_the_care_right_and_logs_each(
    staff, login, instance, resident
):
    program = instance("鹿児島市")
    person = resident("鹿児島市", "デモ 太郎")
    carer = staff("鹿児島市", care=True, username="carer")
    services.enrolment_start(instance=program, resident=person, starts_on=DAY, actor=carer)
    url = reverse("programs:instance-detail", args=[program.pk])
    before = PersonalDataReadLog.objects.filter(user=carer).count()
    assert "デモ 太郎" in login(carer).get(url).content.decode()
    assert PersonalDataReadLog.objects.filter(user=carer).count() == before + 1
    plain = staff("鹿児島市", username="plain")
    text = login(plain).get(url).content.decode()
    assert "デモ 太郎" not in text
    assert "現在の利用者 1人" in text
    assert not PersonalDataReadLog.objects.filter(user=plain).exists()


def test_with_personal_records_off_no_one_sees_participants_but_counts_work(
    settings, staff, login, instance, resident
):
    program = instance("鹿児島市")
    person = resident("鹿児島市", "デモ 次郎")
    carer = staff("鹿児島市", care=True)
    services.enrolment_start(instance=program, resident=person, starts_on=DAY, actor=carer)
    settings.PERSONAL_RECORDS_ENABLED = False
    text = login(carer).get(reverse("programs:instance-detail", args=[program.pk])).content.decode()
    assert "デモ 次郎" not in text
    with pytest.raises(NotFound):
        services.enrolment_start(instance=program, resident=person, starts_on=DAY, actor=carer)
    response = login(carer).post(
        reverse("programs:count-record", args=[program.pk]),
        {
            "period_start": "2025-04-01",
            "period_end": "2025-06-30",
            "support_1": "2",
            "support_2": "1",
            "program_eligible": "3",
            "care_needed": "0",
            "other": "1",
        },
    )
    assert response.status_code == 302
    assert ParticipationCount.objects.get(program=program).total == 7


def test_recording_a_count_twice_for_a_period_corrects_it_with_history(staff, instance):
    program = instance("鹿児島市")
    user = staff("鹿児島市")
    period = {"period_start": datetime.date(2025, 4, 1), "period_end": datetime.date(2025, 9, 30)}
    services.participation_count_record(instance=program, support_1=2, actor=user, **period)
    count = services.participation_count_record(instance=program, support_1=4, actor=user, **period)
    assert ParticipationCount.objects.filter(program=program).count() == 1
    assert count.support_1 == 4
    assert [_action(r) for r in count.history.all()] == ["programs.count.record"] * 2


def test_count_by_another_municipality_is_refused_and_changes_nothing(staff, instance):
    program = instance("鹿児島市")
    with pytest.raises(PermissionDenied):
        services.participation_count_record(
            instance=program,
            period_start=datetime.date(2025, 4, 1),
            period_end=datetime.date(2025, 9, 30),
            support_1=9,
            actor=staff("久留米市"),
        )
    assert not ParticipationCount.objects.filter(program=program).exists()


def test_ending_an_enrolment_records_the_date_and_history(staff, instance, resident):
    program = instance("鹿児島市")
    carer = staff("鹿児島市", care=True)
    enrolment = services.enrolment_start(
        instance=program, resident=resident("鹿児島市"), starts_on=DAY, actor=carer
    )
    services.enrolment_end(enrolment=enrolment, ends_on=datetime.date(2025, 9, 30), actor=carer)
    enrolment.refresh_from_db()
    assert enrolment.ends_on == datetime.date(2025, 9, 30)
    assert _action(enrolment.history.order_by("-history_id").first()) == "programs.enrolment.end"


def test_history_page_of_an_instance_with_weekdays_shows_the_change(staff, login, instance):
    program = instance("鹿児島市")
    user = staff("鹿児島市")
    services.instance_update(
        instance=program,
        fields=services.InstanceFields(
            service_type="home_b", name="デモ 訪問B", provider=program.provider, weekdays=(0, 3)
        ),
        actor=user,
    )
    page = login(user).get(reverse("programs:instance-history", args=[program.pk]))
    assert page.status_code == 200
    assert "総合事業の実施事業を変更" in page.content.decode()
