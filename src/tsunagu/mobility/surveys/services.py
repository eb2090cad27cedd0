"""Writes of needs surveys (ニーズ調査) and their answer sheets.

Every function checks the actor's edit rights (PermissionDenied before anything is written),
validates (``full_clean`` and the cross-record rules below), runs in a transaction and leaves
a history row. Cross-record rules: districts, the related service and the conducting
organisation belong to the survey's municipality; the survey ends on or after it starts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from tsunagu.areas.models import District, Municipality
from tsunagu.core.actions import reason_text
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import UNSET, Unset, apply_fields
from tsunagu.core.history import delete_with_history, save_with_history
from tsunagu.directory.models import Organisation
from tsunagu.mobility.models import MobilityService, NeedsSurvey, SurveyResponse
from tsunagu.mobility.surveys.commands import ResponseFields
from tsunagu.mobility.surveys.selectors import can_edit_survey

SURVEY_FIELDS = (
    "title",
    "service",
    "conducted_by",
    "conducted_from",
    "conducted_to",
    "distributed",
    "note",
    "source",
)


def _check_survey(survey: NeedsSurvey, districts: Iterable[District] | None) -> None:
    errors: dict[str, list[str]] = {}
    municipality_id = survey.municipality_id
    if survey.service is not None and survey.service.municipality_id != municipality_id:
        errors.setdefault("service", []).append("同じ市町村の取組を選んでください。")
    conducted_by: Organisation | None = survey.conducted_by
    if conducted_by is not None and conducted_by.municipality_id not in (None, municipality_id):
        errors.setdefault("conducted_by", []).append("同じ市町村の団体を選んでください。")
    if (
        survey.conducted_from
        and survey.conducted_to
        and survey.conducted_to < survey.conducted_from
    ):
        errors.setdefault("conducted_to", []).append(
            "調査終了日は調査開始日と同じか、それより後にしてください。"
        )
    for district in districts or ():
        if district.municipality_id != municipality_id:
            errors.setdefault("districts", []).append(
                f"地区「{district.name}」はこの市町村の地区ではありません。"
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def survey_create(
    *,
    municipality: Municipality,
    title: str,
    actor: Any,
    service: MobilityService | None = None,
    conducted_by: Organisation | None = None,
    districts: Iterable[District] = (),
    conducted_from: datetime.date | None = None,
    conducted_to: datetime.date | None = None,
    distributed: int | None = None,
    note: str = "",
    source: str = "",
) -> NeedsSurvey:
    """Start a survey; the actor must be able to edit it once it exists."""
    survey = NeedsSurvey(
        municipality=municipality,
        title=title,
        service=service,
        conducted_by=conducted_by,
        conducted_from=conducted_from,
        conducted_to=conducted_to,
        distributed=distributed,
        note=note,
        source=source,
    )
    if not can_edit_survey(actor, survey):
        raise PermissionDenied()
    district_list = list(districts)
    _check_survey(survey, district_list)
    save_with_history(survey, actor=actor, action="mobility.survey.create")
    survey.districts.set(district_list)
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: NeedsSurvey,
    actor: Any,
    districts: Iterable[District] | None = None,
    title: str | Unset = UNSET,
    service: MobilityService | Unset | None = UNSET,
    conducted_by: Organisation | Unset | None = UNSET,
    conducted_from: datetime.date | Unset | None = UNSET,
    conducted_to: datetime.date | Unset | None = UNSET,
    distributed: int | Unset | None = UNSET,
    note: str | Unset = UNSET,
    source: str | Unset = UNSET,
) -> NeedsSurvey:
    """Change the survey's given fields and, if given, its districts."""
    if not can_edit_survey(actor, survey):
        raise PermissionDenied()
    changes = {
        "title": title,
        "service": service,
        "conducted_by": conducted_by,
        "conducted_from": conducted_from,
        "conducted_to": conducted_to,
        "distributed": distributed,
        "note": note,
        "source": source,
    }
    apply_fields(survey, changes)
    # An operator member must not hand the survey to an organisation they do not belong to.
    if not can_edit_survey(actor, survey):
        raise PermissionDenied("自分が編集できなくなる変更はできません。")
    district_list = list(districts) if districts is not None else None
    _check_survey(survey, district_list)
    save_with_history(survey, actor=actor, action="mobility.survey.update")
    if district_list is not None:
        survey.districts.set(district_list)
    return survey


@transaction.atomic
def survey_delete(*, survey: NeedsSurvey, actor: Any) -> None:
    """Delete the survey and all its answer sheets (history rows kept for each)."""
    if not can_edit_survey(actor, survey):
        raise PermissionDenied()
    for response in survey.responses.all():
        delete_with_history(response, actor=actor, action="mobility.response.delete_with_survey")
    delete_with_history(survey, actor=actor, action="mobility.survey.delete")


def _check_response(survey: NeedsSurvey, response: SurveyResponse) -> None:
    if (
        response.district is not None
        and response.district.municipality_id != survey.municipality_id
    ):
        raise ValidationError({"district": ["この調査の市町村の地区を選んでください。"]})


def _response_from(survey: NeedsSurvey, fields: ResponseFields) -> SurveyResponse:
    response = SurveyResponse(survey=survey)
    apply_fields(response, fields)
    _check_response(survey, response)
    response.full_clean()
    return response


@transaction.atomic
def response_create(*, survey: NeedsSurvey, actor: Any, fields: ResponseFields) -> SurveyResponse:
    """Enter one answer sheet."""
    if not can_edit_survey(actor, survey):
        raise PermissionDenied()
    response = _response_from(survey, fields)
    save_with_history(response, actor=actor, action="mobility.response.create")
    return response


@transaction.atomic
def response_update(
    *, response: SurveyResponse, actor: Any, fields: ResponseFields
) -> SurveyResponse:
    if not can_edit_survey(actor, response.survey):
        raise PermissionDenied()
    apply_fields(response, fields)
    _check_response(response.survey, response)
    save_with_history(response, actor=actor, action="mobility.response.update")
    return response


@transaction.atomic
def response_delete(*, response: SurveyResponse, actor: Any) -> None:
    if not can_edit_survey(actor, response.survey):
        raise PermissionDenied()
    delete_with_history(response, actor=actor, action="mobility.response.delete")


def responses_add_many(
    *,
    survey: NeedsSurvey,
    actor: Any,
    rows: list[ResponseFields],
    replace: bool = False,
    note: str = "",
) -> int:
    """Add many validated answer sheets at once (import), all or nothing.

    With ``replace`` the survey's current sheets are deleted first (with history). Rows are
    validated again here (``full_clean``) so no caller can write an invalid sheet. ``note``
    (e.g. the file's name) goes with the history's action code.
    """
    if not can_edit_survey(actor, survey):
        raise PermissionDenied()
    with transaction.atomic():
        responses = [_response_from(survey, row) for row in rows]
        if replace:
            for old in survey.responses.all():
                delete_with_history(
                    old, actor=actor, action="mobility.response.import_replace", note=note
                )
        user = actor if getattr(actor, "pk", None) else None
        bulk_create_with_history(
            responses,
            SurveyResponse,
            batch_size=500,
            default_user=user,
            default_change_reason=reason_text("mobility.response.import", note),
        )
    return len(responses)
