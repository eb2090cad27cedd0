"""Resident services: right checked, history written, change logged."""

from __future__ import annotations

import datetime

import pytest

from tests.care.factories import ResidentFactory, consent, staff
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.care.models import CareLevel, ConsentPurpose, Resident, ResidentStatus
from tsunagu.care.residents import services
from tsunagu.core.errors import NotFound, TsunaguError

pytestmark = pytest.mark.django_db


def _logs(user, resident) -> list[str]:
    return list(
        PersonalDataReadLog.objects.filter(
            user=user, model_label="care.Resident", object_id=str(resident.pk)
        ).values_list("purpose", flat=True)
    )


def test_resident_create_writes_history_and_read_log(municipality) -> None:
    user = staff("care-a", "香春町")
    resident = services.resident_create(
        actor=user,
        municipality=municipality("香春町"),
        name="デモ 花子",
        name_kana="でも はなこ",
        birth_date=datetime.date(1940, 1, 2),
    )
    row = resident.history.get()
    assert row.history_change_reason == "care.resident.create"
    assert row.history_user == user
    assert _logs(user, resident) == ["住民を登録"]


def test_resident_create_refused_in_another_municipality_writes_nothing(municipality) -> None:
    user = staff("care-a", "香春町")
    before = Resident.objects.count()
    with pytest.raises(NotFound):
        services.resident_create(
            actor=user, municipality=municipality("鹿児島市"), name="デモ 次郎", name_kana="でも"
        )
    assert Resident.objects.count() == before


def test_resident_create_refused_without_the_care_right(municipality) -> None:
    user = staff("no-care", "香春町", care=False, personal=True)
    before = Resident.objects.count()
    with pytest.raises(NotFound):
        services.resident_create(
            actor=user, municipality=municipality("香春町"), name="デモ 次郎", name_kana="でも"
        )
    assert Resident.objects.count() == before


def test_resident_update_records_history_and_log() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    services.resident_update(
        actor=user,
        resident=resident,
        name=resident.name,
        name_kana=resident.name_kana,
        district=None,
        birth_date=resident.birth_date,
        sex="",
        household="alone",
        contact_name="",
        contact_relation="",
        contact_phone="",
    )
    latest = resident.history.order_by("-history_date", "-pk").first()
    assert latest.history_change_reason == "care.resident.update"
    assert latest.household == "alone"
    assert _logs(user, resident) == ["住民の情報を変更"]


def test_resident_update_refuses_a_district_of_another_municipality(municipality) -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    other = municipality("鹿児島市").districts.first()
    with pytest.raises(TsunaguError) as error:
        services.resident_update(
            actor=user,
            resident=resident,
            name="x",
            name_kana="x",
            district=other,
            birth_date=None,
            sex="",
            household="",
            contact_name="",
            contact_relation="",
            contact_phone="",
        )
    assert error.value.field == "district"
    resident.refresh_from_db()
    assert resident.name != "x"


def test_consent_withdrawal_records_date_and_who() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    given = services.consent_give(
        actor=user,
        resident=resident,
        purpose=ConsentPurpose.MOBILITY,
        given_on=datetime.date(2024, 4, 1),
    )
    services.consent_withdraw(actor=user, consent=given, withdrawn_on=datetime.date(2025, 1, 10))
    given.refresh_from_db()
    assert given.withdrawn_on == datetime.date(2025, 1, 10)
    assert given.withdrawal_recorded_by == user
    assert given.history.order_by("-pk").first().history_change_reason == "care.consent.withdraw"
    assert not given.is_active_on(datetime.date(2025, 1, 10))
    assert given.is_active_on(datetime.date(2025, 1, 9))


def test_consent_withdrawal_before_consent_is_refused() -> None:
    user = staff("care-a", "香春町")
    given = consent(ResidentFactory(), user, given_on=datetime.date(2024, 4, 1))
    with pytest.raises(TsunaguError):
        services.consent_withdraw(actor=user, consent=given, withdrawn_on=datetime.date(2024, 3, 1))
    given.refresh_from_db()
    assert given.withdrawn_on is None


def test_consent_withdrawal_by_another_municipality_changes_nothing() -> None:
    owner = staff("care-a", "香春町")
    stranger = staff("care-k", "鹿児島市")
    given = consent(ResidentFactory(), owner)
    with pytest.raises(NotFound):
        services.consent_withdraw(
            actor=stranger, consent=given, withdrawn_on=datetime.date(2025, 1, 1)
        )
    given.refresh_from_db()
    assert given.withdrawn_on is None


def test_care_level_add_with_validity_end_before_start_is_refused() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    with pytest.raises(TsunaguError) as error:
        services.care_level_add(
            actor=user,
            resident=resident,
            level=CareLevel.SUPPORT_1,
            valid_from=datetime.date(2025, 4, 1),
            valid_until=datetime.date(2025, 3, 1),
        )
    assert error.value.field == "valid_until"
    assert resident.care_levels.count() == 0


def test_care_level_add_records_history() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    record = services.care_level_add(
        actor=user,
        resident=resident,
        level=CareLevel.PROGRAM_ELIGIBLE,
        valid_from=datetime.date(2025, 4, 1),
        valid_until=None,
    )
    assert record.history.get().history_change_reason == "care.care_level.add"


def test_resident_close_sets_status_and_date() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    services.resident_close(actor=user, resident=resident, closed_on=datetime.date(2025, 3, 31))
    resident.refresh_from_db()
    assert resident.status == ResidentStatus.CLOSED
    assert resident.closed_on == datetime.date(2025, 3, 31)
    assert resident.history.order_by("-pk").first().history_change_reason == "care.resident.close"
