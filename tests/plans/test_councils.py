"""Councils forming: stages and dates, key-person balance, scoping."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.plans.councils.balance import balance_of
from tsunagu.plans.councils.models import CouncilFormation, KeyPerson
from tsunagu.plans.councils.selectors import coverage_of, formations_of
from tsunagu.plans.councils.services import council_formation_record, key_person_add

pytestmark = pytest.mark.django_db


def formation(town: Any, actor: Any, label: str = "東地域", **kwargs: Any) -> CouncilFormation:
    return council_formation_record(actor=actor, municipality=town, area_label=label, **kwargs)


def test_council_before_its_preparatory_meeting_is_refused(two_towns: dict) -> None:
    with pytest.raises(TsunaguError) as error:
        formation(
            two_towns["a"],
            two_towns["staff_a"],
            stage="council",
            preparatory_on=datetime.date(2022, 1, 1),
            council_on=datetime.date(2021, 3, 1),
        )
    assert error.value.field == "council_on"
    assert not CouncilFormation.objects.filter(municipality=two_towns["a"]).exists()


def test_a_council_date_needs_the_council_stage(two_towns: dict) -> None:
    with pytest.raises(TsunaguError) as error:
        formation(
            two_towns["a"],
            two_towns["staff_a"],
            stage="preparatory",
            council_on=datetime.date(2022, 1, 1),
        )
    assert error.value.field == "stage"


def test_recording_keeps_source_wording_and_history(two_towns: dict) -> None:
    row = formation(
        two_towns["a"],
        two_towns["staff_a"],
        stage="council",
        preparatory_on=datetime.date(2021, 3, 1),
        preparatory_text="令和3年3月",
    )
    assert row.preparatory_text == "令和3年3月"
    assert row.history.get().history_change_reason == "plans.council_formation.record"


def test_coverage_counts_preparatory_including_councils(two_towns: dict) -> None:
    town, staff = two_towns["a"], two_towns["staff_a"]
    for label, stage in (
        ("一", "council"),
        ("二", "council"),
        ("三", "preparatory"),
        ("四", "workshop"),
    ):
        formation(town, staff, label, stage=stage)
    coverage = coverage_of(formations_of(user=staff, municipality=town))
    assert (coverage.areas, coverage.preparatory, coverage.councils) == (4, 3, 2)


def test_another_municipality_cannot_record_and_nothing_changes(two_towns: dict) -> None:
    with pytest.raises(PermissionDenied):
        formation(two_towns["a"], two_towns["staff_b"], stage="workshop")
    assert not CouncilFormation.objects.filter(municipality=two_towns["a"]).exists()


def test_key_persons_leaning_to_one_gender_are_flagged(two_towns: dict) -> None:
    row = formation(two_towns["a"], two_towns["staff_a"], stage="preparatory")
    for gender in ("man", "man", "man", "woman"):
        key_person_add(
            actor=two_towns["staff_a"],
            formation=row,
            sub_area="東区",
            age_band="60s",
            gender=gender,
        )
    dims = {d.title: d for d in balance_of(KeyPerson.objects.filter(formation=row))}
    assert dims["性別"].leans == ["男性"]
    assert dims["地域"].leans == ["東区"]


def test_an_even_balance_has_no_lean(two_towns: dict) -> None:
    row = formation(two_towns["a"], two_towns["staff_a"], stage="preparatory")
    for area, gender in (("東", "man"), ("西", "woman"), ("南", "man"), ("北", "woman")):
        key_person_add(
            actor=two_towns["staff_a"],
            formation=row,
            sub_area=area,
            age_band="60s" if area in "東西" else "70_plus",
            gender=gender,
        )
    assert all(not d.leans for d in balance_of(row.key_persons.all()))


def test_councils_page_of_another_municipality_answers_404(two_towns: dict, client: Any) -> None:
    formation(two_towns["a"], two_towns["staff_a"], stage="workshop")
    client.force_login(two_towns["staff_b"])
    assert client.get(f"/plans/councils/{two_towns['a'].pk}/").status_code == 404
