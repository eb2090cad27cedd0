"""Outcome report of service C courses: per course, per provider and per 受皿.

Aggregates only — no name, no row of a person: participants, outcomes (改善/維持/悪化/中断),
where graduates went (the 受皿 referral's status, or none), still taking part at the 3- and
6-month follow-ups, and returns (confirmed by staff, or shown by the data: a 要支援/要介護
level from graduation on, or a new service C course). Every figure is counted by the database
(one grouped query per course and one per 受皿), never per row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.programs.courses.models import Course, FollowUp, Outcome, Participant
from tsunagu.programs.courses.selectors import came_back_by_course, came_back_by_level

# The figures of one group, in the order of the report's columns.
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("participants", _("参加者")),
    ("improved", _("改善")),
    ("maintained", _("維持")),
    ("worsened", _("悪化")),
    ("discontinued", _("中断")),
    ("referred", _("受皿へつないだ")),
    ("waiting", _("回答待ち・受付")),
    ("started", _("利用開始・終了")),
    ("declined", _("お断り・中止")),
    ("no_receiver", _("受皿なし")),
    ("still_3", _("3か月後も参加")),
    ("still_6", _("6か月後も参加")),
    ("came_back", _("サービス利用に戻った（確認済み）")),
    ("came_back_detected", _("戻った可能性（データから検出）")),
)
FIGURES = tuple(name for name, _label in COLUMNS)


def _figures() -> dict[str, Count]:
    """Per-participant figures (no join multiplies the rows: the 受皿 referral is one row)."""
    graduated = Q(graduated_on__isnull=False)
    status = "receiver_referral__status__in"
    return {
        "participants": Count("pk"),
        "improved": Count("pk", filter=Q(outcome=Outcome.IMPROVED)),
        "maintained": Count("pk", filter=Q(outcome=Outcome.MAINTAINED)),
        "worsened": Count("pk", filter=Q(outcome=Outcome.WORSENED)),
        "discontinued": Count("pk", filter=Q(outcome=Outcome.DISCONTINUED)),
        "referred": Count("pk", filter=graduated & Q(receiver_referral__isnull=False)),
        "waiting": Count(
            "pk",
            filter=graduated & Q(**{status: [ReferralStatus.SENT, ReferralStatus.ACCEPTED]}),
        ),
        "started": Count(
            "pk",
            filter=graduated & Q(**{status: [ReferralStatus.STARTED, ReferralStatus.ENDED]}),
        ),
        "declined": Count(
            "pk",
            filter=graduated & Q(**{status: [ReferralStatus.DECLINED, ReferralStatus.STOPPED]}),
        ),
        "no_receiver": Count("pk", filter=graduated & Q(receiver_referral__isnull=True)),
        "came_back_detected": Count(
            "pk", filter=graduated & (Q(by_level=True) | Q(by_course=True))
        ),
    }


def _follow_up_figures() -> dict[str, Count]:
    """Per follow-up figures (a participant has one 3- and one 6-month follow-up)."""
    return {
        "still_3": Count("pk", filter=Q(months=3, still_taking_part=True)),
        "still_6": Count("pk", filter=Q(months=6, still_taking_part=True)),
        "came_back": Count("participant", distinct=True, filter=Q(came_back=True)),
    }


RECEIVER_KEYS = ("receiver_referral__resource", "receiver_referral__program")


def _grouped(
    municipality_ids: list[int], *keys: str, referred: bool = False
) -> list[dict[str, Any]]:
    """The figures per ``keys`` (fields of Participant): two grouped queries, participants and
    their follow-ups, merged by the group's key. Each participant is in exactly one group, so
    sums of groups are sums of participants."""
    rows = Participant.objects.filter(course__municipality_id__in=municipality_ids)
    follow_ups = FollowUp.objects.filter(participant__course__municipality_id__in=municipality_ids)
    if referred:
        rows = rows.filter(receiver_referral__isnull=False)
        follow_ups = follow_ups.filter(participant__receiver_referral__isnull=False)
    groups = {
        tuple(row[k] for k in keys): row
        for row in rows.annotate(by_level=came_back_by_level(), by_course=came_back_by_course())
        .values(*keys)
        .annotate(**_figures())
        .order_by()
    }
    prefixed = [f"participant__{k}" for k in keys]
    for row in follow_ups.values(*prefixed).annotate(**_follow_up_figures()).order_by():
        group = groups.get(tuple(row[k] for k in prefixed))
        if group is not None:
            group.update({name: row[name] for name in _follow_up_figures()})
    for group in groups.values():
        for name in ("still_3", "still_6", "came_back"):
            group.setdefault(name, 0)
    return list(groups.values())


def _add(target: dict[str, Any], row: dict[str, Any]) -> None:
    for name in FIGURES:
        target[name] = target.get(name, 0) + row[name]


def _empty() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


@dataclass
class OutcomeReport:
    courses: list[dict[str, Any]] = field(default_factory=list)
    providers: list[dict[str, Any]] = field(default_factory=list)
    receivers: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=_empty)

    def as_dict(self) -> dict[str, Any]:
        return {
            "courses": self.courses,
            "providers": self.providers,
            "receivers": self.receivers,
            "totals": self.totals,
        }


def outcome_report(*, municipality_ids: list[int]) -> OutcomeReport:
    """The report for the courses of ``municipality_ids`` (the caller checked the right)."""
    report = OutcomeReport()
    courses = list(
        Course.objects.filter(municipality_id__in=municipality_ids)
        .values(
            "pk",
            "name",
            "starts_on",
            "ends_on",
            "capacity",
            "is_synthetic",
            "municipality__name",
            "program__service_type",
            "provider",
            "provider__name",
        )
        .order_by("-starts_on", "pk")
    )
    by_course: dict[int, dict[str, Any]] = {}
    for course in courses:
        row = {
            "id": course["pk"],
            "name": course["name"],
            "municipality": course["municipality__name"],
            "service_type": course["program__service_type"],
            "provider": course["provider__name"] or "",
            "starts_on": course["starts_on"],
            "ends_on": course["ends_on"],
            "capacity": course["capacity"],
            "is_synthetic": course["is_synthetic"],
            **_empty(),
        }
        by_course[course["pk"]] = row
        report.courses.append(row)
    providers: dict[int | None, dict[str, Any]] = {}
    receivers: dict[tuple[int | None, int | None], dict[str, Any]] = {}
    for group in _grouped(municipality_ids, "course"):
        _add(by_course[group["course"]], group)
        _add(report.totals, group)
    for group in _grouped(municipality_ids, *RECEIVER_KEYS, referred=True):
        key = (group["receiver_referral__resource"], group["receiver_referral__program"])
        _add(receivers.setdefault(key, {"resource_id": key[0], "program_id": key[1]}), group)
    provider_of = {c["pk"]: (c["provider"], c["provider__name"]) for c in courses}
    for course in report.courses:
        provider_id, provider_name = provider_of[course["id"]]
        row = providers.setdefault(
            provider_id,
            {"id": provider_id, "name": provider_name or str(_("（実施団体の記録なし）"))},
        )
        _add(row, course)
    report.providers = sorted(providers.values(), key=lambda r: r["name"])
    names = _receiver_names(receivers)
    for key, row in receivers.items():
        row["name"] = names.get(key, "")
        report.receivers.append(row)
    report.receivers.sort(key=lambda r: (-r["referred"], r["name"]))
    return report


def _receiver_names(
    keys: dict[tuple[int | None, int | None], Any],
) -> dict[tuple[int | None, int | None], str]:
    resource_model = Referral._meta.get_field("resource").related_model
    program_model = Referral._meta.get_field("program").related_model
    resources = dict(
        resource_model.objects.filter(pk__in={r for r, _p in keys if r}).values_list("pk", "name")
    )
    programs = dict(
        program_model.objects.filter(pk__in={p for _r, p in keys if p}).values_list("pk", "name")
    )
    return {(r, p): resources.get(r) if r else programs.get(p, "") for r, p in keys}


def report_xlsx(report: OutcomeReport) -> bytes:
    """The report's three tables as an .xlsx workbook (aggregates only)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    labels = [str(label) for _name, label in COLUMNS]
    sheets = (
        (
            str(_("コース別")),
            [str(_("コース")), str(_("市町村")), str(_("実施団体"))],
            report.courses,
        ),
        (str(_("実施団体別")), [str(_("実施団体"))], report.providers),
        (str(_("受皿別")), [str(_("受皿"))], report.receivers),
    )
    first = True
    for title, heads, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        sheet.append(heads + labels)
        for row in rows:
            names = (
                [row["name"], row["municipality"], row["provider"]]
                if "municipality" in row
                else [row["name"]]
            )
            sheet.append(names + [row[name] for name in FIGURES])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
