"""Stored basic checklists: the service, the result on read, the pages and the care gate."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.care import checklist_helpers as h
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.care.checklist import services
from tsunagu.care.models import ChecklistRecord
from tsunagu.core.errors import NotFound

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 10, 2)


def _create(resident, actor, *, height="160", weight="50", **applying):
    return services.checklist_record_create(
        resident=resident,
        actor=actor,
        answered_on=DAY,
        answers=h.answers(**applying),
        height_cm=None if height is None else Decimal(height),
        weight_kg=None if weight is None else Decimal(weight),
    )


# (answers that apply / are missing, height, weight) → (criteria met 1–7, eligible, missing)
CASES = [
    ("nothing applies", {}, "160", "50", (False,) * 7, False, ()),
    ("BMI exactly 18.5 does not apply", {"q11": True}, "160", "47.36", (False,) * 7, False, ()),
    (
        "BMI under 18.5 with weight loss: 栄養",
        {"q11": True},
        "160",
        "47.3",
        (False, False, True, False, False, False, False),
        True,
        (),
    ),
    (
        "three motor items: 運動機能",
        {"q6": False, "q7": False, "q9": True},
        "160",
        "50",
        (False, True, False, False, False, False, False),
        True,
        (),
    ),
    (
        "met criterion decides despite missing answers",
        {"q16": False, "q1": None, "q2": None},
        "160",
        "50",
        (False, False, False, False, True, False, False),
        True,
        (),
    ),
    (
        "missing answer that matters is named",
        {"q13": True, "q14": None},
        "160",
        "50",
        (False, False, False, None, False, False, False),
        None,
        (14,),
    ),
    (
        "missing answer that cannot matter still decides",
        {"q21": None},
        "160",
        "50",
        (False,) * 7,
        False,
        (),
    ),
    (
        "missing weight leaves item 12 unknown; with item 11 that is undeterminable",
        {"q11": True},
        "160",
        None,
        (False, False, None, False, False, False, False),
        None,
        (12,),
    ),
]


@pytest.mark.parametrize(
    ("applying", "height", "weight", "met", "eligible", "missing"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_record_result_follows_the_table(applying, height, weight, met, eligible, missing):
    actor = h.staff("香春町", care=True)
    record = _create(h.resident(), actor, height=height, weight=weight, **applying)
    result = ChecklistRecord.objects.get(pk=record.pk).result()
    assert result.met == met
    assert result.eligible is eligible
    assert result.missing == missing


def test_bmi_exactly_18_5_is_shown_with_one_decimal():
    record = _create(h.resident(), h.staff("香春町", care=True), weight="47.36")
    assert record.result().bmi_display == "18.5"
    assert record.result().item12 is False


def test_create_writes_history_with_action_kind():
    actor = h.staff("香春町", care=True)
    record = _create(h.resident(), actor)
    entry = record.history.get()
    assert entry.history_user == actor
    assert entry.history_change_reason == "care.checklist.create"


def test_update_keeps_previous_answers_in_history():
    actor = h.staff("香春町", care=True)
    record = _create(h.resident(), actor)
    services.checklist_record_update(
        record=record,
        actor=actor,
        answered_on=DAY,
        answers=h.answers(q16=False),
        height_cm=Decimal("160"),
        weight_kg=Decimal("50"),
    )
    assert [e.history_change_reason for e in record.history.order_by("history_id")] == [
        "care.checklist.create",
        "care.checklist.update",
    ]
    assert record.history.earliest("history_id").q16 is True


def test_create_without_care_right_is_not_found_and_writes_nothing():
    resident = h.resident()
    with pytest.raises(NotFound):
        _create(resident, h.staff("香春町", care=False))
    assert not ChecklistRecord.objects.filter(resident=resident).exists()


def test_create_for_other_municipality_is_not_found_and_writes_nothing():
    resident = h.resident("鹿児島市")
    with pytest.raises(NotFound):
        _create(resident, h.staff("香春町", care=True))
    assert not ChecklistRecord.objects.filter(resident=resident).exists()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(**overrides):
    data = {"answered_on": "2024-10-02", "height_cm": "160", "weight_kg": "50", "note": ""}
    for n, value in h.answers().items():
        data[f"q{n}"] = "yes" if value else "no"
    data.update(overrides)
    return data


def test_form_records_checklist_and_shows_result_with_reasons():
    user = h.staff("香春町", care=True)
    resident = h.resident()
    client = _client(user)
    response = client.post(
        reverse("care_checklist:new", args=[resident.pk]), _form_data(q16="no"), follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "事業対象者に該当します" in text
    assert "閉じこもり" in text
    record = ChecklistRecord.objects.get(resident=resident)
    assert record.q16 is False


def test_form_keeps_input_on_error():
    user = h.staff("香春町", care=True)
    resident = h.resident()
    response = _client(user).post(
        reverse("care_checklist:new", args=[resident.pk]),
        _form_data(height_cm="1600", q3="no", note="メモ残る"),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "身長は" in text
    assert 'value="1600"' in text
    assert "メモ残る" in text
    assert re.search(r'<input[^>]*name="q3"[^>]*value="no"[^>]*checked', text)
    assert not ChecklistRecord.objects.filter(resident=resident).exists()


def test_result_page_logs_the_read_with_purpose():
    user = h.staff("香春町", care=True)
    resident = h.resident()
    record = _create(resident, user)
    response = _client(user).get(reverse("care_checklist:detail", args=[record.pk]))
    assert response.status_code == 200
    log = PersonalDataReadLog.objects.get(user=user)
    assert log.purpose == "基本チェックリストを表示"
    assert log.object_id == str(resident.pk)


@pytest.mark.parametrize(
    "name",
    ["care_checklist:detail", "care_checklist:edit", "care_checklist:history"],
)
def test_pages_are_404_without_care_right_and_for_other_municipality(name):
    owner = h.staff("香春町", care=True)
    record = _create(h.resident(), owner)
    for user in (h.staff("香春町", care=False), h.staff("鹿児島市", care=True)):
        response = _client(user).get(reverse(name, args=[record.pk]))
        assert response.status_code == 404
        assert not PersonalDataReadLog.objects.filter(user=user).exists()


def test_resident_checklists_404_for_other_municipality():
    resident = h.resident("鹿児島市")
    user = h.staff("香春町", care=True)
    response = _client(user).get(reverse("care_checklist:resident", args=[resident.pk]))
    assert response.status_code == 404
    assert not PersonalDataReadLog.objects.filter(user=user).exists()


def test_resident_checklists_list_logs_read_and_shows_results():
    user = h.staff("香春町", care=True)
    resident = h.resident()
    _create(resident, user, q16=False)
    response = _client(user).get(reverse("care_checklist:resident", args=[resident.pk]))
    assert "事業対象者" in response.content.decode()
    assert PersonalDataReadLog.objects.filter(
        user=user, purpose="基本チェックリストの一覧を表示"
    ).exists()
