"""The gap analysis itself as a background job (issue 18): the page's 「バックグラウンドで分析
する」 enqueues it, the job page opens the kept result (tables and map) for the user who asked
only; riders shown one by one are shown again only while that user may see them, and each
showing is logged; the result's .xlsx is a new job with the same input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.transit import test_gap_views as gap
from tests.transit.test_gap_views import POINTS, URL, form_data, upload
from tsunagu.accounts.models import Membership, PersonalDataReadLog
from tsunagu.core.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
feed, service = gap.feed, gap.service  # the gap page tests' fixtures
JOB_URL = "/mobility/gap/job/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _result_section(html: str) -> str:
    start = html.index('<section aria-labelledby="result-heading"')
    return html[start : html.index("</section>", start)]


def test_the_background_analysis_shows_the_same_result_as_the_page(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    client = client_as("saiki")
    page = client.post(URL, form_data(feed, points_file=upload(POINTS)))
    assert f'formaction="{JOB_URL}"' in page.content.decode()
    response = client.post(JOB_URL, form_data(feed, points_file=upload(POINTS)))
    job = Job.objects.get(kind="transit.gap_page")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.result["points"] == 5
    assert job.result_url == f"{JOB_URL}{job.pk}/"
    # the job page's progress poll sends the browser to the result when it is done
    status = client.get(f"/jobs/{job.pk}/status/", HTTP_HX_REQUEST="true")
    assert status["HX-Redirect"] == job.result_url
    job_page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="{job.result_url}">結果を見る' in job_page and "ダウンロード" not in job_page
    kept = client.get(job.result_url)
    html = kept.content.decode()
    assert kept.status_code == 200
    # the same tables: the kept section is the page's, without the page's own export form
    on_page = _result_section(page.content.decode())
    kept_section = _result_section(html)
    assert (
        kept_section.rstrip()
        == on_page.split('<form method="post" action="/mobility/gap/')[0].rstrip()
    )
    assert "1000 m より遠い" in kept_section
    assert 'id="gap-data"' in html and "transit/gap.js" in html
    assert "csrfmiddlewaretoken" in html  # the page's own .xlsx button, not a kept token


def test_the_xlsx_of_a_kept_result_is_a_new_job_with_the_same_input(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    client = client_as("saiki")
    client.post(JOB_URL, form_data(feed, points_file=upload(POINTS)))
    job = Job.objects.get(kind="transit.gap_page")
    response = client.post(f"{JOB_URL}{job.pk}/xlsx/")
    export = Job.objects.get(kind="transit.gap_export")
    assert response["Location"] == f"/jobs/{export.pk}/"
    assert export.input == job.input and export.status == JobStatus.DONE
    assert client.get(f"/jobs/{export.pk}/download/").status_code == 200


def test_only_the_user_who_asked_sees_the_kept_result(
    feed: Any, client_as: Callable[[str], Client], user_named: Callable[[str], Any]
) -> None:
    client_as("saiki").post(JOB_URL, form_data(feed, points_file=upload(POINTS)))
    job = Job.objects.get(kind="transit.gap_page")
    for name in ("kawara", "admin"):
        other = client_as(name)
        assert other.get(f"{JOB_URL}{job.pk}/").status_code == 404, name
        assert other.post(f"{JOB_URL}{job.pk}/xlsx/").status_code == 404, name
    assert Client().get(f"{JOB_URL}{job.pk}/").status_code == 302  # to the login


def test_a_failed_analysis_keeps_its_input_and_shows_the_error(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    client = client_as("saiki")
    client.post(JOB_URL, form_data(feed, points_file=upload("id,lat,lon\np1,北緯,131.9\n")))
    job = Job.objects.get(kind="transit.gap_page")
    assert job.status == JobStatus.FAILED and "lat" in job.error
    assert "再実行" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.get(f"{JOB_URL}{job.pk}/").status_code == 404
    response = client.post(JOB_URL, form_data(feed, thresholds="abc", points_file=upload(POINTS)))
    assert response.status_code == 400 and Job.objects.count() == 1


def test_riders_shown_one_by_one_are_logged_again_and_hidden_once_the_right_ends(
    feed: Any, service: Any, client_as: Callable[[str], Client], user_named: Callable[[str], Any]
) -> None:
    operator = client_as("naokawa")
    before = PersonalDataReadLog.objects.count()
    operator.post(JOB_URL, form_data(feed, source="riders", service=service.pk))
    job = Job.objects.get(kind="transit.gap_page")
    assert job.result["individual"] is True
    assert PersonalDataReadLog.objects.count() == before + 1  # read when the job ran
    html = operator.get(f"{JOB_URL}{job.pk}/").content.decode()
    assert "M1" in html
    assert PersonalDataReadLog.objects.count() == before + 2  # and when it is shown
    Membership.objects.filter(user=user_named("naokawa")).delete()  # e.g. left the operator
    assert client_as("naokawa").get(f"{JOB_URL}{job.pk}/").status_code == 404


def test_an_outsider_s_rider_analysis_holds_aggregates_only(
    feed: Any, service: Any, client_as: Callable[[str], Client]
) -> None:
    outsider = client_as("saiki")
    outsider.post(JOB_URL, form_data(feed, source="riders", service=service.pk))
    job = Job.objects.get(kind="transit.gap_page")
    assert job.result["individual"] is False
    html = outsider.get(f"{JOB_URL}{job.pk}/").content.decode()
    assert "利用会員の自宅は個人情報のため" in html and "M1" not in html
