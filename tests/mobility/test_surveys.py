"""Needs surveys: permissions, services with history, and the summary by district."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tsunagu.areas.models import District
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.demo.surveys_loader import TITLE
from tsunagu.directory.models import Organisation
from tsunagu.mobility.models import NeedsSurvey, SurveyResponse, WouldUse
from tsunagu.mobility.surveys import selectors, services
from tsunagu.mobility.surveys.commands import ResponseFields

pytestmark = pytest.mark.django_db


@pytest.fixture
def naokawa_survey(municipality: Any) -> NeedsSurvey:
    return NeedsSurvey.objects.get(municipality=municipality("佐伯市"), title=TITLE)


@pytest.fixture
def kawara_survey(municipality: Any, user_named: Any) -> NeedsSurvey:
    return services.survey_create(
        municipality=municipality("香春町"), title="香春町 移動の調査", actor=user_named("kawara")
    )


# --- demo data ----------------------------------------------------------------------------


def test_demo_survey_has_eleven_who_would_use_at_once(naokawa_survey: NeedsSurvey) -> None:
    summary = selectors.survey_summary(survey=naokawa_survey)
    assert summary.total.would_use_now == 11
    assert summary.weighted is True
    naokawa = next(t for t in summary.districts if t.label == "直川地域")
    assert naokawa.would_use_now == 11
    assert "買い物や通院" in naokawa_survey.note
    assert "事例表№2 佐伯市" in naokawa_survey.source
    assert "report.txt" not in naokawa_survey.source  # users get the section, not a line number
    assert naokawa_survey.conducted_by.name == "直川地域コミュニティ協議会"


def test_demo_loader_is_idempotent(naokawa_survey: NeedsSurvey) -> None:
    from django.contrib.auth import get_user_model

    from tsunagu.demo.loader import LoadSummary
    from tsunagu.demo.surveys_loader import load_surveys

    actor = get_user_model().objects.filter(is_superuser=True).first()
    summary = LoadSummary()
    before = (naokawa_survey.history.count(), SurveyResponse.history.count())
    load_surveys(actor, summary)
    assert (summary.created, summary.updated) == (0, 0)
    assert (naokawa_survey.history.count(), SurveyResponse.history.count()) == before


# --- permissions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "edit"),
    [
        ("saiki", True),
        ("saiki-sc", True),
        ("naokawa", True),  # member of the conducting organisation
        ("admin", True),
        ("oita", False),  # prefecture staff: reads the summary only
    ],
)
def test_who_edits_and_who_reads(
    naokawa_survey: NeedsSurvey, user_named: Any, username: str, edit: bool
) -> None:
    user = user_named(username)
    assert selectors.survey_get_for_user(user=user, survey_id=naokawa_survey.pk) == naokawa_survey
    assert selectors.can_edit_survey(user, naokawa_survey) is edit


@pytest.mark.parametrize("username", ["kawara", "kurume-viewer", "miyatasuke", "kagoshima-sc"])
def test_other_municipalities_do_not_find_the_survey(
    naokawa_survey: NeedsSurvey, user_named: Any, username: str
) -> None:
    with pytest.raises(NotFound):
        selectors.survey_get_for_user(user=user_named(username), survey_id=naokawa_survey.pk)
    assert naokawa_survey not in selectors.survey_list_visible_to(user=user_named(username))


def test_readers_cannot_see_answer_sheets(naokawa_survey: NeedsSurvey, user_named: Any) -> None:
    with pytest.raises(PermissionDenied):
        selectors.responses_for_editor(user=user_named("oita"), survey=naokawa_survey)
    sheets = selectors.responses_for_editor(user=user_named("naokawa"), survey=naokawa_survey)
    assert sheets.count() == 1


# --- services -----------------------------------------------------------------------------


def test_response_create_writes_history(kawara_survey: NeedsSurvey, user_named: Any) -> None:
    user = user_named("kawara-houkatsu")
    response = services.response_create(
        survey=kawara_survey,
        actor=user,
        fields=ResponseFields(would_use=WouldUse.LATER, dest_hospital=True, respondent_ref="1"),
    )
    record = response.history.get()
    assert record.history_user == user
    assert display_reason(record.history_change_reason) == "回答を入力"


def test_reader_cannot_enter_answers_and_nothing_changes(
    naokawa_survey: NeedsSurvey, user_named: Any
) -> None:
    before = naokawa_survey.responses.count()
    with pytest.raises(PermissionDenied):
        services.response_create(
            survey=naokawa_survey,
            actor=user_named("oita"),
            fields=ResponseFields(would_use=WouldUse.NOW),
        )
    assert naokawa_survey.responses.count() == before


def test_other_organisation_member_cannot_create_survey(municipality: Any, user_named: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.survey_create(
            municipality=municipality("佐伯市"), title="x", actor=user_named("kawara-council")
        )
    assert not NeedsSurvey.objects.filter(title="x").exists()


def test_organisation_member_creates_survey_of_their_organisation(
    municipality: Any, user_named: Any
) -> None:
    saiki = municipality("佐伯市")
    operator = Organisation.objects.get(municipality=saiki, name="直川地域コミュニティ協議会")
    survey = services.survey_create(
        municipality=saiki, title="第2回 調査", conducted_by=operator, actor=user_named("naokawa")
    )
    assert survey.history.count() == 1


def test_organisation_member_cannot_hand_survey_away(
    naokawa_survey: NeedsSurvey, user_named: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.survey_update(
            survey=naokawa_survey, actor=user_named("naokawa"), conducted_by=None, service=None
        )
    naokawa_survey.refresh_from_db()
    assert naokawa_survey.conducted_by is not None


def test_district_of_another_municipality_is_refused(
    kawara_survey: NeedsSurvey, municipality: Any, user_named: Any
) -> None:
    other = District.objects.filter(municipality=municipality("佐伯市")).first()
    with pytest.raises(ValidationError):
        services.survey_update(survey=kawara_survey, actor=user_named("kawara"), districts=[other])
    with pytest.raises(ValidationError):
        services.response_create(
            survey=kawara_survey, actor=user_named("kawara"), fields=ResponseFields(district=other)
        )
    assert kawara_survey.responses.count() == 0


def test_survey_end_before_start_is_refused(kawara_survey: NeedsSurvey, user_named: Any) -> None:
    with pytest.raises(ValidationError):
        services.survey_update(
            survey=kawara_survey,
            actor=user_named("kawara"),
            conducted_from=datetime.date(2024, 5, 1),
            conducted_to=datetime.date(2024, 4, 1),
        )


def test_survey_delete_removes_answers(kawara_survey: NeedsSurvey, user_named: Any) -> None:
    services.response_create(
        survey=kawara_survey, actor=user_named("kawara"), fields=ResponseFields()
    )
    services.survey_delete(survey=kawara_survey, actor=user_named("kawara"))
    assert not SurveyResponse.objects.filter(survey_id=kawara_survey.pk).exists()


# --- summary ------------------------------------------------------------------------------


def test_summary_counts_people_by_district(municipality: Any, user_named: Any) -> None:
    user = user_named("saiki")
    saiki = municipality("佐伯市")
    kawara_survey = services.survey_create(municipality=saiki, title="集計テスト", actor=user)
    saidosho = District.objects.get(municipality=saiki, name="直川地域")
    other = District.objects.get(municipality=saiki, name="弥生地域")
    rows = [
        ResponseFields(
            district=saidosho,
            would_use="now",
            dest_shopping=True,
            dest_hospital=True,
            uses_cane=True,
            walk_to_stop="cannot",
            can_book_by_phone=False,
        ),
        ResponseFields(
            district=saidosho,
            would_use="later",
            dest_shopping=True,
            weight=3,
            can_book_by_phone=True,
        ),
        ResponseFields(district=other, would_use="now", dest_bank=True, weight=2),
        ResponseFields(would_use="no"),
    ]
    services.responses_add_many(survey=kawara_survey, actor=user, rows=rows)
    summary = selectors.survey_summary(survey=kawara_survey)
    total = summary.total
    assert total.respondents == 7 and total.sheets == 4
    assert (total.would_use_now, total.would_use_later) == (3, 3)
    bars = {b.key: b for b in total.bars("destinations")}
    assert (bars["dest_shopping"].count, bars["dest_hospital"].count, bars["dest_bank"].count) == (
        4,
        1,
        2,
    )
    assert bars["dest_shopping"].percent == round(400 / 7, 1)
    assert {b.key: b.count for b in total.bars("phone")} == {"yes": 3, "no": 1, "unknown": 3}
    assert {b.key: b.count for b in total.bars("aids")}["none"] == 6
    by_name = {t.label: t for t in summary.districts}
    assert by_name[saidosho.name].respondents == 4
    assert by_name[other.name].would_use_now == 2
    assert by_name["地区の記入なし"].respondents == 1
    assert [b.key for b in total.bars("would_use")] == ["now", "later", "no", "unknown"]
