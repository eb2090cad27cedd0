"""A refusal is a clean 403 page and one log line; what the user may not see is 404 (issue 12)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse

from tsunagu.directory.models import Organisation, Visibility


def _organisation(municipality: Any, visibility: str) -> Organisation:
    organisation = Organisation.objects.filter(municipality=municipality).order_by("pk").first()
    assert organisation is not None
    Organisation.objects.filter(pk=organisation.pk).update(visibility=visibility)
    organisation.refresh_from_db()
    return organisation


@pytest.mark.parametrize("method", ["get", "post"])
def test_editing_another_municipalitys_public_record_is_one_clean_refusal(
    client_as: Any, municipality: Any, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    organisation = _organisation(municipality("佐伯市"), Visibility.PUBLIC)
    client = client_as("kawara")
    url = reverse("directory:organisation_edit", args=[organisation.pk])

    with caplog.at_level(logging.INFO):
        response = getattr(client, method)(url, {"name": "書き換え"} if method == "post" else None)

    assert response.status_code == 403
    page = response.content.decode()
    assert "権限がありません" in page
    assert reverse("dashboard:home") in page  # a way back
    assert "Traceback" not in page
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].exc_info is None
    assert "Forbidden" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]
    organisation.refresh_from_db()
    assert organisation.name != "書き換え"


@pytest.mark.parametrize(
    "name", ["organisation_detail", "organisation_edit", "organisation_history"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_record_the_user_may_not_see_is_404_on_every_verb(
    client_as: Any, municipality: Any, caplog: pytest.LogCaptureFixture, name: str, method: str
) -> None:
    organisation = _organisation(municipality("佐伯市"), Visibility.INTERNAL)
    client = client_as("kawara")

    with caplog.at_level(logging.INFO):
        response = getattr(client, method)(reverse(f"directory:{name}", args=[organisation.pk]))

    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()
    assert not [r for r in caplog.records if r.exc_info]
