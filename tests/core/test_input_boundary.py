"""Input is checked at the boundary: no control characters, dates in the 和暦 range, strict types."""

from __future__ import annotations

import datetime
import json

import pytest
from django import forms
from pydantic import ValidationError

from tsunagu.bodies.models import ConsultativeBody, Meeting
from tsunagu.bodies.schemas import MeetingCreateIn
from tsunagu.core.forms import WarekiDateField
from tsunagu.directory.schemas import OrganisationCreateIn
from tsunagu.engagements.api import VisitIn
from tsunagu.engagements.models import Engagement, Visit


def _messages(exc: ValidationError) -> str:
    return " ".join(str(e["msg"]) for e in exc.errors())


@pytest.mark.parametrize("value", [-5.1e-197, 0, 1700000000, True])
def test_api_date_is_strict_about_numbers(value) -> None:
    with pytest.raises(ValidationError) as caught:
        VisitIn(visited_on=value)
    assert "日付は文字列" in _messages(caught.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [("1800-01-01", "1873年1月1日"), ("2101-01-01", "2100年12月31日"), ("令和6年10月2日", None)],
)
def test_api_date_is_within_the_supported_range(value, message) -> None:
    if message is None:
        assert VisitIn(visited_on=value).visited_on == datetime.date(2024, 10, 2)
        return
    with pytest.raises(ValidationError) as caught:
        VisitIn(visited_on=value)
    assert message in _messages(caught.value)


def test_api_datetime_is_within_the_range_and_strict() -> None:
    with pytest.raises(ValidationError) as caught:
        MeetingCreateIn(starts_at="1850-01-01T10:00")
    assert "1873年1月1日" in _messages(caught.value)
    with pytest.raises(ValidationError):
        MeetingCreateIn(starts_at=1700000000)
    ok = MeetingCreateIn(starts_at="2025-04-17T14:00")
    assert ok.starts_at.utcoffset() == datetime.timedelta(hours=9)


@pytest.mark.parametrize("bad", ["議題\x0b", "名前\x01", "\x7f", "\x85", "a\x00b"])
def test_api_text_refuses_control_characters_on_the_field(bad) -> None:
    with pytest.raises(ValidationError) as caught:
        MeetingCreateIn(starts_at="2025-04-17T14:00", title=bad)
    assert caught.value.errors()[0]["loc"] == ("title",)
    assert "使えない" in _messages(caught.value)
    with pytest.raises(ValidationError):
        OrganisationCreateIn.model_validate({"name": bad, "org_type": "volunteer_group"})
    with pytest.raises(ValidationError):  # nested: a participant of a visit
        VisitIn(visited_on="2024-10-02", participants=[{"kind": "outside", "person_name": bad}])


def test_api_text_keeps_newlines_and_tabs() -> None:
    meeting = MeetingCreateIn(starts_at="2025-04-17T14:00", agenda="一\r\n二\n\t三")
    assert meeting.agenda == "一\r\n二\n\t三"


class _AnyForm(forms.Form):
    name = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    day = WarekiDateField(required=False)
    plain_day = forms.DateField(required=False)


def test_every_form_text_field_refuses_control_characters() -> None:
    form = _AnyForm(data={"name": "見守り\x0bの会", "notes": "一行目\r\n二行目\tタブ"})
    assert not form.is_valid()
    assert "U+000B" in form.errors["name"][0]
    assert "notes" not in form.errors


def test_every_form_date_field_refuses_dates_out_of_range() -> None:
    form = _AnyForm(data={"name": "会", "day": "1850-01-01", "plain_day": "1800-01-01"})
    assert not form.is_valid()
    assert "1873年1月1日" in form.errors["day"][0]
    assert "1873年1月1日" in form.errors["plain_day"][0]
    assert not _AnyForm(data={"name": "会", "day": "2101-01-01"}).is_valid()


@pytest.mark.django_db
def test_api_refuses_the_reported_inputs_and_stores_nothing(client_as) -> None:
    client = client_as("saiki")
    body = ConsultativeBody.objects.filter(municipality__code="442054").first()
    assert body is not None
    meetings = Meeting.objects.count()
    response = client.post(
        f"/api/v1/bodies/{body.pk}/meetings",
        json.dumps({"starts_at": "1850-01-01T10:00"}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "1873年1月1日" in response.json()["detail"]
    response = client.post(
        f"/api/v1/bodies/{body.pk}/meetings",
        json.dumps({"starts_at": "2025-04-17T14:00", "title": "定例会\x0b"}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert Meeting.objects.count() == meetings

    engagement = Engagement.objects.filter(municipality__code="442054").first()
    assert engagement is not None
    visits = Visit.objects.count()
    for visited_on in (-5.1e-197, "1800-01-01"):
        response = client.post(
            f"/api/v1/engagements/{engagement.pk}/visits",
            json.dumps({"visited_on": visited_on}),
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
    assert Visit.objects.count() == visits
