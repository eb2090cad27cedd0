"""Pages of needs surveys: summary with charts, editors-only answer sheets, entry and import
from the browser, exports and the printable questionnaire; two-municipality isolation."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tsunagu.core.actions import display_reason
from tsunagu.demo.surveys_loader import TITLE
from tsunagu.mobility.models import NeedsSurvey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(municipality: Any) -> NeedsSurvey:
    return NeedsSurvey.objects.get(municipality=municipality("佐伯市"), title=TITLE)


def url(survey: NeedsSurvey, suffix: str = "") -> str:
    return f"/mobility/surveys/{survey.pk}/{suffix}"


def test_summary_page_shows_eleven_at_once_with_chart(client_as: Any, survey: NeedsSurvey) -> None:
    response = client_as("oita").get(url(survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert "すぐに利用したい" in html and "11人" in html
    assert 'class="bar-fill" data-width="100.0%"' in html
    assert "<caption>" in html  # every chart is a table with its numbers
    assert "回答を入力する" not in html  # a reader gets no editing links


def test_editor_sees_editing_links(client_as: Any, survey: NeedsSurvey) -> None:
    html = client_as("naokawa").get(url(survey)).content.decode()
    assert "回答を入力する" in html and "回答票の一覧" in html


@pytest.mark.parametrize("suffix", ["", "summary.xlsx", "responses/", "edit/", "import/"])
def test_other_municipality_gets_404(client_as: Any, survey: NeedsSurvey, suffix: str) -> None:
    assert client_as("kawara").get(url(survey, suffix)).status_code == 404


@pytest.mark.parametrize(
    "suffix", ["responses/", "responses.xlsx", "responses/new/", "import/", "edit/"]
)
def test_reader_cannot_open_answer_sheets_or_edit(
    client_as: Any, survey: NeedsSurvey, suffix: str
) -> None:
    assert client_as("oita").get(url(survey, suffix)).status_code == 403


def test_list_shows_only_visible_surveys(client_as: Any, survey: NeedsSurvey) -> None:
    assert TITLE in client_as("saiki").get("/mobility/surveys/").content.decode()
    assert TITLE not in client_as("kagoshima").get("/mobility/surveys/").content.decode()


def test_create_survey_and_enter_an_answer(client_as: Any, municipality: Any) -> None:
    client = client_as("kawara")
    response = client.post(
        "/mobility/surveys/new/",
        {"title": "採銅所 移動アンケート", "conducted_from": "令和6年6月1日", "conducted_to": ""},
    )
    assert response.status_code == 302
    created = NeedsSurvey.objects.get(title="採銅所 移動アンケート")
    assert created.municipality == municipality("香春町")
    assert created.conducted_from.isoformat() == "2024-06-01"
    response = client.post(
        url(created, "responses/new/"),
        {
            "respondent_ref": "12",
            "would_use": "now",
            "destinations": ["dest_hospital", "dest_bank"],
            "frequency": "monthly_2_3",
            "aids": ["uses_walker"],
            "walk_to_stop": "300",
            "can_book_by_phone": "false",
            "lives_alone": "",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    answer = created.responses.get()
    assert (answer.dest_hospital, answer.dest_bank, answer.dest_shopping) == (True, True, False)
    assert (answer.uses_walker, answer.can_book_by_phone, answer.lives_alone) == (True, False, None)
    assert display_reason(answer.history.get().history_change_reason) == "回答を入力"


def test_bad_survey_form_keeps_input(client_as: Any) -> None:
    response = client_as("kawara").post(
        "/mobility/surveys/new/",
        {"title": "期間の誤り", "conducted_from": "令和6年6月1日", "conducted_to": "令和6年5月1日"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "調査終了日は調査開始日と同じか" in html and "期間の誤り" in html
    assert not NeedsSurvey.objects.filter(title="期間の誤り").exists()


def test_import_upload_reports_errors_and_keeps_nothing(
    client_as: Any, survey: NeedsSurvey
) -> None:
    data = "回答票番号,ボランティア送迎を利用したいか\r\n1,すぐに利用したい\r\n2,ぜひ\r\n".encode(
        "cp932"
    )
    response = client_as("saiki-sc").post(
        url(survey, "import/"), {"file": SimpleUploadedFile("直川.csv", data)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "直川.csv 3行目 B列（ボランティア送迎を利用したいか）" in html
    assert survey.responses.count() == 1


def test_import_upload_adds_answers(client_as: Any, survey: NeedsSurvey) -> None:
    data = (
        "回答票番号,地区,ボランティア送迎を利用したいか\r\n1,直川地域,将来利用したい\r\n".encode()
    )
    response = client_as("naokawa").post(
        url(survey, "import/"), {"file": SimpleUploadedFile("a.csv", data)}
    )
    assert response.status_code == 302
    assert survey.responses.count() == 2


def test_summary_xlsx_download(client_as: Any, survey: NeedsSurvey) -> None:
    response = client_as("oita").get(url(survey, "summary.xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert "地区別" in workbook.sheetnames


def test_template_and_questionnaire(client_as: Any, survey: NeedsSurvey) -> None:
    client = client_as("kurume-viewer")
    assert client.get("/mobility/surveys/template.xlsx").status_code == 200
    html = client.get("/mobility/surveys/questionnaire/").content.decode()
    for words in ("通院", "買い物", "金融機関", "役所", "通いの場", "電話", "バス停"):
        assert words in html
    # a survey of another municipality is not revealed through the questionnaire
    assert (
        TITLE
        not in client.get(f"/mobility/surveys/questionnaire/?survey={survey.pk}").content.decode()
    )


def test_response_delete_by_editor_only(client_as: Any, survey: NeedsSurvey) -> None:
    answer = survey.responses.get()
    assert client_as("oita").post(url(survey, f"responses/{answer.pk}/delete/")).status_code == 403
    assert survey.responses.count() == 1
    assert client_as("saiki").post(url(survey, f"responses/{answer.pk}/delete/")).status_code == 302
    assert survey.responses.count() == 0
