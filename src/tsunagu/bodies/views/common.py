"""What the body pages share: how many meetings are listed, the edit check, choices for
forms, the municipality chooser, page URLs and serving a stored file."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import can_edit, municipalities_editable_to
from tsunagu.areas.models import Municipality
from tsunagu.bodies import extensions
from tsunagu.bodies.forms import FileUploadForm
from tsunagu.bodies.models import CertificationApplication, ConsultativeBody, Meeting
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import int_param, show_on_form
from tsunagu.directory import selectors as directory_selectors

PAST_MEETINGS_SHOWN = 12
UPCOMING_MEETINGS_SHOWN = 12
# Served inline (shown in the browser); everything else is downloaded, so an uploaded
# HTML or SVG file can never run in the site's origin.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


# --- helpers ---------------------------------------------------------------------------


def require_edit(user: Any, obj: Any) -> None:
    if not can_edit(user, obj):
        raise PermissionDenied()


def organisation_choices(user: Any, municipality: Any) -> QuerySet[Any]:
    return directory_selectors.organisation_list_visible_to(user=user).filter(
        municipality=municipality
    )


def people_choices(user: Any, municipality: Any) -> QuerySet[Any]:
    return directory_selectors.person_list_visible_to(user=user).filter(municipality=municipality)


def issue_choices(user: Any, municipality: Any) -> QuerySet[Any]:
    return extensions.action_item_issues(user=user, municipality=municipality)


def editable_municipalities(user: Any) -> QuerySet[Municipality]:
    return municipalities_editable_to(user)


def chosen_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality a new record belongs to: ?municipality=, or the only editable one.

    ``None`` means the user must choose; PermissionDenied when the user edits none.
    """
    editable = editable_municipalities(request.user)
    chosen = int_param(request.GET.get("municipality") or request.POST.get("municipality"))
    if chosen is not None:
        municipality = editable.filter(pk=chosen).first()
        if municipality is None:
            raise PermissionDenied()
        return municipality
    count = editable.count()
    if count == 0:
        raise PermissionDenied()
    if count == 1:
        return editable.get()
    return None


def municipality_choice_page(request: HttpRequest, title: str) -> HttpResponse:
    return render(
        request,
        "bodies/municipality_choice.html",
        {
            "title": title,
            "municipalities": editable_municipalities(request.user),
            "path": request.path,
        },
    )


def body_url(body: ConsultativeBody, anchor: str = "") -> str:
    url = reverse("bodies:detail", args=[body.pk])
    return f"{url}#{anchor}" if anchor else url


def meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("bodies:meeting_detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def application_url(application: CertificationApplication) -> str:
    return reverse("bodies:certification_detail", args=[application.pk])


def serve_file(file_field: Any, title: str) -> FileResponse:
    name = os.path.basename(file_field.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    extension = os.path.splitext(name)[1]
    download_name = title if title.lower().endswith(extension.lower()) else f"{title}{extension}"
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("ファイルが見つかりません。")) from missing
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=download_name,
    )
    response["Cache-Control"] = "private, max-age=0, no-store"
    if content_type != "application/pdf":
        # Browsers' PDF viewers do not run in a sandbox; everything else may.
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def file_upload_page(
    request: HttpRequest,
    *,
    subject: Any,
    add: Callable[[str, Any], Any],
    title: str,
    action: str,
    back: str,
    added_message: str,
) -> HttpResponse:
    """The upload form of documents and attachments: a valid POST stores the file through
    ``add(title, file)`` and goes back to ``back``; a refusal is shown on the form (400)."""
    form = FileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = add(form.cleaned_data["title"], form.cleaned_data["file"])
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, added_message % {"title": stored.title})
            return redirect(back)
    return render(
        request,
        "bodies/upload_form.html",
        {"form": form, "title": title, "subject": subject, "action": action, "cancel_url": back},
        status=400 if form.errors else 200,
    )
