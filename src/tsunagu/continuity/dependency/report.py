"""The single-person-dependency report (一人に依存している関係・取組, issue 16 item 5).

Three findings, all computed on read for the reader's scope, with a clock (``today``):

- **sole steward**: a record whose only current 担当/副担当 is one person and with which no one
  else on our side has had contact (the contact log, ``Interaction.our_side``) in the last
  ``months`` months (setting ``TSUNAGU_DEPENDENCY_MONTHS``, default 6);
- **one contact person**: an organisation that, in the contact log of the last ``months``
  months, was reached through one person only, on our side or on theirs;
- findings other apps judge, through the ``dependency_findings`` hook: ``provider(*, user,
  today, since) -> list[Finding]`` (bodies: meetings attended by one of us only).

Sorted by risk (higher first). :func:`transfer_season` is the view from 内示 (March) to 4月1日:
who leaves (draft handovers, memberships ending) and what of theirs would be left with no one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Membership
from tsunagu.accounts.scope import scope_for, scope_q
from tsunagu.continuity.models import Handover, HandoverStatus, Interaction, Stewardship
from tsunagu.continuity.registry import kind_for_model
from tsunagu.core.plugins import hooks

DEPENDENCY_FINDINGS = "dependency_findings"
DEFAULT_MONTHS = 6


def dependency_months() -> int:
    return int(getattr(settings, "TSUNAGU_DEPENDENCY_MONTHS", DEFAULT_MONTHS))


@dataclass(frozen=True)
class Finding:
    kind_label: str
    title: str
    url: str
    reason: str
    person: str  # the one person it rests on
    risk: int  # 1 (low) … 5 (high)
    municipality_id: int | None = None
    user_id: int | None = None  # the one person, when it is one of our users


def _leaving_user_ids(today: datetime.date, until: datetime.date) -> set[int]:
    """Users with a draft handover or whose memberships all end between today and ``until``."""
    leaving = set(
        Handover.objects.filter(
            status=HandoverStatus.DRAFT, effective_on__gte=today, effective_on__lte=until
        ).values_list("leaver_id", flat=True)
    )
    ending = Membership.objects.filter(ends_on__gte=today, ends_on__lt=until).values_list(
        "user_id", flat=True
    )
    staying = set(
        Membership.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=until)).values_list(
            "user_id", flat=True
        )
    )
    return leaving | (set(ending) - staying)


def _objects_by_row(rows: list[Stewardship]) -> dict[tuple[int, int], Any]:
    by_type: dict[int, set[int]] = defaultdict(set)
    types = {}
    for row in rows:
        by_type[row.content_type_id].add(row.object_id)
        types[row.content_type_id] = row.content_type
    found = {}
    for type_id, ids in by_type.items():
        model = types[type_id].model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(ids).items():
            found[(type_id, pk)] = obj
    return found


def _others_in_contact(obj: Any, steward_id: int, since: datetime.date) -> bool:
    from django.contrib.contenttypes.models import ContentType

    about = Q(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)
    if obj._meta.label_lower == "directory.organisation":
        about |= Q(organisations=obj)
    contacts = Interaction.objects.filter(about, occurred_on__gte=since)
    through = Interaction.our_side.through
    return through.objects.filter(interaction__in=contacts).exclude(user_id=steward_id).exists()


def sole_steward_findings(
    *, user: Any, today: datetime.date, since: datetime.date, leaving: set[int]
) -> list[Finding]:
    rows = list(
        Stewardship.objects.filter(scope_q(user))
        .active_on(today)
        .select_related("content_type", "user")
    )
    holders: dict[tuple[int, int], set[int]] = defaultdict(set)
    first: dict[tuple[int, int], Stewardship] = {}
    for row in rows:
        key = (row.content_type_id, row.object_id)
        holders[key].add(row.user_id)
        first.setdefault(key, row)
    objects = _objects_by_row([first[k] for k, users in holders.items() if len(users) == 1])
    findings = []
    for key, obj in objects.items():
        row = first[key]
        kind = kind_for_model(type(obj))
        if kind is None or not kind.can_view(user, obj):
            continue
        if _others_in_contact(obj, row.user_id, since):
            continue
        risk = 3 + (2 if row.user_id in leaving else 0)
        reason = _(
            "担当は%(name)sさん1人だけで、ほかの職員はこの%(months)dか月連絡していません。"
        ) % {
            "name": row.user.display_name,
            "months": _months_between(since, today),
        }
        if row.user_id in leaving:
            reason += _("（この人は異動・退職の予定があります）")
        findings.append(
            Finding(
                kind.label,
                kind.title(obj),
                kind.url(obj),
                reason,
                row.user.display_name,
                risk,
                row.municipality_id,
                row.user_id,
            )
        )
    return findings


def _months_between(since: datetime.date, today: datetime.date) -> int:
    delta = relativedelta(today, since)
    return delta.years * 12 + delta.months


def one_contact_findings(
    *, user: Any, today: datetime.date, since: datetime.date, leaving: set[int]
) -> list[Finding]:
    from django.urls import reverse

    interactions = Interaction.objects.filter(
        scope_q(user), occurred_on__gte=since, occurred_on__lte=today
    ).prefetch_related("organisations", "people", "our_side")
    ours: dict[int, dict[int, Any]] = defaultdict(dict)
    theirs: dict[int, dict[int, Any]] = defaultdict(dict)
    organisations: dict[int, Any] = {}
    for interaction in interactions:
        for organisation in interaction.organisations.all():
            organisations[organisation.pk] = organisation
            ours[organisation.pk].update({u.pk: u for u in interaction.our_side.all()})
            theirs[organisation.pk].update({p.pk: p for p in interaction.people.all()})
    kind = kind_for_model("directory.Organisation")
    findings = []
    for pk, organisation in organisations.items():
        if kind is not None and not kind.can_view(user, organisation):
            continue
        reasons, names, risk, user_id = [], [], 0, None
        if len(ours[pk]) == 1:
            (only,) = ours[pk].values()
            reasons.append(
                _("こちら側の窓口は%(name)sさん1人だけです。") % {"name": only.display_name}
            )
            names.append(only.display_name)
            user_id = only.pk
            risk += 2 + (2 if only.pk in leaving else 0)
        if len(theirs[pk]) == 1:
            (only,) = theirs[pk].values()
            reasons.append(_("相手側の窓口は%(name)sさん1人だけです。") % {"name": only.name})
            names.append(only.name)
            risk += 1
        if reasons:
            findings.append(
                Finding(
                    str(kind.label) if kind else _("団体との関係"),
                    organisation.name,
                    reverse("directory:organisation_detail", args=[pk]),
                    "".join(reasons),
                    "、".join(names),
                    min(risk, 5),
                    organisation.municipality_id,
                    user_id,
                )
            )
    return findings


@dataclass
class DependencyReport:
    today: datetime.date
    months: int
    since: datetime.date
    findings: list[Finding] = field(default_factory=list)


def dependency_report(
    *, user: Any, today: datetime.date, months: int | None = None
) -> DependencyReport:
    months = months or dependency_months()
    since = today - relativedelta(months=months)
    leaving = _leaving_user_ids(today, season_end(today))
    findings = sole_steward_findings(user=user, today=today, since=since, leaving=leaving)
    findings += one_contact_findings(user=user, today=today, since=since, leaving=leaving)
    for provider in hooks(DEPENDENCY_FINDINGS):
        findings += provider(user=user, today=today, since=since)
    findings.sort(key=lambda f: (-f.risk, f.kind_label, f.title))
    return DependencyReport(today, months, since, findings)


# ---- the transfer season (内示 in March → 4月1日) ------------------------------------------


def season_end(today: datetime.date) -> datetime.date:
    """The coming 4月1日 (today when today is 4月1日)."""
    year = today.year if today <= datetime.date(today.year, 4, 1) else today.year + 1
    return datetime.date(year, 4, 1)


def in_season(today: datetime.date) -> bool:
    """From 内示 (March) to 4月1日."""
    return (today.month == 3) or (today.month == 4 and today.day == 1)


@dataclass
class Departure:
    user: Any
    municipality: Any
    leaves_on: datetime.date  # the first day without access
    handover: Handover | None
    orphaned: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, url)
    covered: list[tuple[str, str, str, str]] = field(default_factory=list)  # + successor


def transfer_season(*, user: Any, today: datetime.date) -> list[Departure]:
    """Planned departures until the coming 4月1日 in the reader's scope and what they orphan."""
    end = season_end(today)
    scope = scope_for(user)
    municipality_filter = (
        Q() if scope.is_system_admin else Q(municipality__in=scope.municipality_ids)
    )
    departures: dict[tuple[int, int], Departure] = {}
    for handover in Handover.objects.filter(
        municipality_filter,
        status=HandoverStatus.DRAFT,
        effective_on__gte=today,
        effective_on__lte=end,
    ).select_related("leaver", "municipality"):
        key = (handover.leaver_id, handover.municipality_id)
        departures[key] = Departure(
            handover.leaver, handover.municipality, handover.effective_on, handover
        )
    for membership in Membership.objects.filter(
        municipality_filter, ends_on__gte=today, ends_on__lt=end, municipality__isnull=False
    ).select_related("user", "municipality"):
        key = (membership.user_id, membership.municipality_id)
        continues = Membership.objects.filter(
            user_id=membership.user_id, municipality_id=membership.municipality_id
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=membership.ends_on))
        if key in departures or continues.exists():
            continue
        departures[key] = Departure(
            membership.user,
            membership.municipality,
            membership.ends_on + datetime.timedelta(days=1),
            None,
        )
    leaving = {(d.user.pk, d.leaves_on) for d in departures.values()}
    for departure in departures.values():
        _fill_orphans(departure, leaving, user)
    return sorted(
        departures.values(), key=lambda d: (-len(d.orphaned), d.leaves_on, d.user.display_name)
    )


def _fill_orphans(
    departure: Departure, leaving: set[tuple[int, datetime.date]], reader: Any
) -> None:
    day = departure.leaves_on
    rows = list(
        Stewardship.objects.filter(user=departure.user, municipality=departure.municipality)
        .active_on(day - datetime.timedelta(days=1))
        .current_or_future(day)
        .select_related("content_type")
    )
    successors = {}
    if departure.handover is not None:
        successors = {
            i.stewardship_id: i.successor
            for i in departure.handover.items.select_related("successor")
            if i.successor_id
        }
    leavers_by_day = {uid for uid, d in leaving if d <= day}
    objects = _objects_by_row(rows)
    for row in rows:
        obj = objects.get((row.content_type_id, row.object_id))
        kind = kind_for_model(type(obj)) if obj is not None else None
        if kind is None or not kind.can_view(reader, obj):
            continue
        entry = (str(kind.label), kind.title(obj), kind.url(obj))
        if row.pk in successors:
            departure.covered.append((*entry, successors[row.pk].display_name))
            continue
        others = (
            Stewardship.objects.of(obj)
            .active_on(day)
            .exclude(user=departure.user)
            .exclude(user_id__in=leavers_by_day)
            .select_related("user")
        )
        other = next(iter(others), None)
        if other is None:
            departure.orphaned.append(entry)
        else:
            departure.covered.append((*entry, other.user.display_name))
