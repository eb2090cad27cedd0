"""Resident API (/api/v1/care/residents): list, detail, create, update.

The same gate as the pages (:mod:`tsunagu.care.access`): without the care right for the
resident's municipality the answer is 404, as for a resident that does not exist; with
personal records off every operation answers 404 saying so. Every resident returned is
logged (one ``PersonalDataReadLog`` row each, with the purpose); lists return the minimum.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from tsunagu.areas.models import District
from tsunagu.care.access import (
    can_open_residents,
    log_resident_reads,
    personal_records_enabled,
    resident_get_for_user,
)
from tsunagu.care.models import ResidentStatus
from tsunagu.care.residents import selectors, services
from tsunagu.care.residents.schemas import (
    ResidentCreateIn,
    ResidentOut,
    ResidentPage,
    ResidentUpdateIn,
)
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS
from tsunagu.core.api.paging import PageNumber, PerPage, page_out, paginate
from tsunagu.core.api.refs import References, label, municipality_ref, normalise, ref
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import NotFound

router = Router(tags=["住民（介護予防の個人記録）"])

RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="ID")]
FIELDS = {"district": "district_id", "municipality": "municipality_code"}
RECORDS_OFF = "この環境では住民の記録（個人情報）は無効です（TSUNAGU_ENABLE_PERSONAL_RECORDS）。"


def _gate(user: Any) -> None:
    if not personal_records_enabled():
        raise NotFound(RECORDS_OFF)
    if not can_open_residents(user):
        raise NotFound()


def _summary(resident: Any) -> dict[str, Any]:
    return {
        "id": resident.pk,
        "name": resident.name,
        "name_kana": resident.name_kana,
        "municipality": municipality_ref(resident.municipality),
        "district": ref(resident.district),
        "status": resident.status,
        "status_label": label(resident, "status"),
        "is_synthetic": resident.is_synthetic,
    }


def _detail(resident: Any) -> dict[str, Any]:
    consents = resident.consents.select_related("recorded_by", "withdrawal_recorded_by")
    return {
        **_summary(resident),
        "birth_date": resident.birth_date,
        "sex": resident.sex,
        "household": resident.household,
        "contact_name": resident.contact_name,
        "contact_relation": resident.contact_relation,
        "contact_phone": resident.contact_phone,
        "closed_on": resident.closed_on,
        "anonymised_on": resident.anonymised_on,
        "care_levels": [
            {
                "id": c.pk,
                "level": c.level,
                "level_label": label(c, "level"),
                "valid_from": c.valid_from,
                "valid_until": c.valid_until,
            }
            for c in resident.care_levels.all()
        ],
        "consents": [
            {
                "id": c.pk,
                "purpose": c.purpose,
                "purpose_label": label(c, "purpose"),
                "detail": c.detail,
                "given_on": c.given_on,
                "recorded_by": c.recorded_by.display_name,
                "withdrawn_on": c.withdrawn_on,
                "withdrawal_recorded_by": c.withdrawal_recorded_by.display_name
                if c.withdrawal_recorded_by
                else None,
            }
            for c in consents
        ],
    }


def _get(request: HttpRequest, resident_id: int, purpose: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    _gate(user)
    return resident_get_for_user(
        user=user, resident_id=resident_id, purpose=purpose, path=request.path
    )


@router.get(
    "/residents",
    response={200: ResidentPage, **READ_ERRORS},
    summary="住民の一覧",
    description="介護予防の個人記録を開く権限（市町村ごと）がある住民だけを返します。"
    "一覧は氏名・よみがな・地区・状態だけです。返した住民は一人ずつ閲覧記録に残ります。",
)
def resident_list(
    request: HttpRequest,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    q: Annotated[str, Query(description="氏名・よみがな（部分一致）", max_length=100)] = "",
    district_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="地区ID")] = None,
    status: Annotated[ResidentStatus | None, Query(description="状態")] = None,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    _gate(user)
    residents = selectors.resident_list_for_user(
        user=user, query=q, district_id=district_id, status=status.value if status else ""
    )
    items, count, has_next = paginate(residents, page, per_page)
    log_resident_reads(
        user=user, residents=items, purpose="住民一覧を表示（API）", path=request.path
    )
    return page_out([_summary(r) for r in items], count, page, per_page, has_next)


@router.get(
    "/residents/{resident_id}",
    response={200: ResidentOut, **READ_ERRORS},
    summary="住民の詳細",
    description="要介護度など・同意・連絡先を含みます。閲覧記録に残ります。",
)
def resident_detail(request: HttpRequest, resident_id: RecordId) -> Any:
    return _detail(_get(request, resident_id, "住民の詳細を表示（API）"))


def _district(refs: References, user: Any, municipality_id: int, pk: int | None) -> Any:
    if pk is None:
        return None
    return refs.pick(
        "district_id",
        District.objects.filter(municipality_id=municipality_id),
        pk,
        _("地区"),
    )


@router.post(
    "/residents",
    response={201: ResidentOut, **WRITE_ERRORS},
    summary="住民の登録",
    description="生年月日は和暦でも指定できます。変更履歴と閲覧記録に残ります。",
)
def resident_create(request: HttpRequest, payload: ResidentCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    _gate(user)
    refs = References("payload")
    allowed = selectors.care_municipalities_for_user(user)
    if payload.municipality_code:
        municipality = allowed.filter(code=normalise(payload.municipality_code)).first()
        if municipality is None:
            refs.error(
                "municipality_code",
                _("市町村コード「%(code)s」の住民は登録できません。")
                % {"code": payload.municipality_code},
            )
    elif allowed.count() == 1:
        municipality = allowed.first()
    else:
        municipality = None
        refs.error("municipality_code", _("市町村コードを指定してください。"))
    district = _district(refs, user, municipality.pk, payload.district_id) if municipality else None
    refs.finish()
    data = payload.model_dump(exclude={"municipality_code", "district_id"})
    for key in ("sex", "household"):
        data[key] = data[key].value if hasattr(data[key], "value") else (data[key] or "")
    for key in ("contact_name", "contact_relation", "contact_phone"):
        data[key] = data[key] or ""
    resident = call_service(
        services.resident_create,
        services.Resident,
        FIELDS,
        actor=user,
        municipality=municipality,
        district=district,
        **data,
    )
    return Status(201, _detail(resident))


@router.patch(
    "/residents/{resident_id}",
    response={200: ResidentOut, **WRITE_ERRORS},
    summary="住民の情報の変更",
    description="送った項目だけを変更します。変更履歴と閲覧記録に残ります。",
)
def resident_update(request: HttpRequest, resident_id: RecordId, payload: ResidentUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    resident = _get(request, resident_id, "住民の情報を変更（API）")
    sent = payload.model_dump(exclude_unset=True)
    refs = References("payload")
    district = resident.district
    if "district_id" in sent:
        district = _district(refs, user, resident.municipality_id, sent.pop("district_id"))
    refs.finish()
    current = {
        "name": resident.name,
        "name_kana": resident.name_kana,
        "birth_date": resident.birth_date,
        "sex": resident.sex,
        "household": resident.household,
        "contact_name": resident.contact_name,
        "contact_relation": resident.contact_relation,
        "contact_phone": resident.contact_phone,
    }
    for key, value in sent.items():
        if hasattr(value, "value"):
            value = value.value
        if value is None and key not in ("birth_date",):
            value = ""
        current[key] = value
    call_service(
        services.resident_update,
        services.Resident,
        FIELDS,
        actor=user,
        resident=resident,
        district=district,
        **current,
    )
    resident.refresh_from_db()
    return _detail(resident)
