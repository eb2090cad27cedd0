"""A date stored outside the 和暦 range (old import, old API) prints in 西暦, never a 500."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from tsunagu.bodies.models import ConsultativeBody, Meeting
from tsunagu.engagements.models import Engagement, Visit

pytestmark = pytest.mark.django_db

SAIKI = "442054"


def test_date_filters_fall_back_to_seireki() -> None:
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    rendered = Template("{% load tsunagu %}{{ d|jdate }}/{{ t|jdate }}/{{ fy|jfy }}").render(
        Context(
            {
                "d": datetime.date(1800, 1, 1),
                "t": datetime.datetime(1850, 1, 1, 10, 0, tzinfo=tokyo),
                "fy": 1850,
            }
        )
    )
    assert rendered == "1800年1月1日/1850年1月1日 10:00/1850年度"


def test_pages_answer_200_with_a_meeting_and_a_visit_stored_before_1873(client_as) -> None:
    body = ConsultativeBody.objects.filter(municipality__code=SAIKI).first()
    assert body is not None
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")  # LMT +09:18:59 in 1850, as the API stored it
    # Written with the ORM: the stored state the old API left behind.
    meeting = Meeting.objects.create(
        body=body, title="古い会議", starts_at=datetime.datetime(1850, 1, 1, 10, 0, tzinfo=tokyo)
    )
    engagement = Engagement.objects.filter(municipality__code=SAIKI).first()
    assert engagement is not None
    visit = Visit.objects.filter(engagement=engagement).first()
    assert visit is not None
    Visit.objects.filter(pk=visit.pk).update(visited_on=datetime.date(1800, 1, 1))

    client = client_as("saiki")
    for url in (
        f"/bodies/{body.pk}/",
        f"/bodies/{body.pk}/meetings/",
        f"/bodies/meetings/{meeting.pk}/",
        f"/engagements/case-sheets/{SAIKI}/",
        f"/engagements/case-sheets/{SAIKI}/pdf/",
        f"/engagements/case-sheets/{SAIKI}/xlsx/",
        "/engagements/case-sheets/points-of-attention/",
        "/engagements/case-sheets/points-of-attention.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/bodies/meetings/{meeting.pk}/").content.decode()
    assert "1850年1月1日" in page
    sheet = client.get(f"/engagements/case-sheets/{SAIKI}/").content.decode()
    assert "1800年1月1日" in sheet


@pytest.mark.parametrize("precision", ["year", "month", "day"])
def test_case_sheet_answers_200_with_statistics_stored_before_1873(
    client_as, precision: str
) -> None:
    from tsunagu.areas.models import StatisticsSnapshot

    # given the newest statistics of 佐伯市 carry a date before 明治6年 (written with the ORM)
    snapshot = (
        StatisticsSnapshot.objects.filter(municipality__code=SAIKI).order_by("-as_of").first()
    )
    assert snapshot is not None
    StatisticsSnapshot.objects.filter(pk=snapshot.pk).update(
        as_of=datetime.date(1850, 4, 1), as_of_precision=precision
    )
    client = client_as("saiki")

    # when the case sheet is read as a page, PDF and .xlsx, then each answers, in 西暦
    for suffix in ("", "pdf/", "xlsx/"):
        response = client.get(f"/engagements/case-sheets/{SAIKI}/{suffix}")
        assert response.status_code == 200, suffix
