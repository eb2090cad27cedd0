"""Calendar feeds (.ics) of a body's or the user's meetings, the signed personal feed and the
calendar page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tsunagu.bodies import selectors
from tsunagu.bodies.ics import meetings_to_ics
from tsunagu.bodies.models import Meeting
from tsunagu.core.sorting import naturally_ordered

FEED_SALT = "tsunagu.bodies.meetings-feed"


# --- calendar feeds (.ics) -------------------------------------------------------------


def _ics_response(meetings: Any, name: str, filename: str) -> HttpResponse:
    from icalendar import Calendar

    localised = []
    for meeting in meetings:
        # Asia/Tokyo times (with a VTIMEZONE) rather than UTC, so calendars show 14:00 as typed.
        meeting.starts_at = timezone.localtime(meeting.starts_at)
        if meeting.ends_at:
            meeting.ends_at = timezone.localtime(meeting.ends_at)
        localised.append(meeting)
    calendar = Calendar.from_ical(meetings_to_ics(localised, name=name))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
def body_ics(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    meetings = body.meetings.select_related("body").order_by("starts_at")
    return _ics_response(meetings, body.name, f"body-{body.pk}.ics")


def _my_meetings(user: Any) -> QuerySet[Meeting]:
    return selectors.meetings_of_user(user=user).select_related("body").order_by("starts_at")


@login_required
def my_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(_my_meetings(request.user), _("わたしの会議"), "my-meetings.ics")


def _feed_key(user: Any) -> str:
    # Changes with the password, and with the feed secret the user renews on the account
    # page (accounts.services.calendar_feeds_rotate): either revokes the addresses handed out.
    secret = f":{user.feed_secret}" if user.feed_secret else ""
    return salted_hmac(FEED_SALT, f"{user.pk}:{user.password}{secret}").hexdigest()[:16]


def account_feeds(request: HttpRequest, user: Any) -> list[tuple[str, str]]:
    """The user's secret addresses, for the account page (hook ``account_calendar_feeds``)."""
    url = request.build_absolute_uri(reverse("bodies:feed_ics", args=[feed_token(user)]))
    return [(_("わたしの会議"), url)]


def feed_token(user: Any) -> str:
    return signing.dumps([user.pk, _feed_key(user)], salt=FEED_SALT)


def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed for calendar apps that cannot sign in: a signed, secret address."""
    try:
        user_pk, key = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, ValueError, TypeError) as bad:
        raise Http404() from bad
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not constant_time_compare(key, _feed_key(user)):
        raise Http404()
    return _ics_response(_my_meetings(user), _("わたしの会議"), "my-meetings.ics")


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "bodies/calendar.html",
        {
            "has_person": selectors._has_person(user),
            "my_url": request.build_absolute_uri(reverse("bodies:my_ics")),
            "secret_url": request.build_absolute_uri(
                reverse("bodies:feed_ics", args=[feed_token(user)])
            ),
            "meetings": _my_meetings(user).filter(starts_at__gte=timezone.now())[:10],
            "bodies": naturally_ordered(selectors.bodies_of_user(user=user)),
        },
    )
