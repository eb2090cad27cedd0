#!/usr/bin/env python
"""Benchmark of the service C outcome report and readiness pages (issue 15, performance).

Builds one synthetic municipality with 5,000 residents, 200 service C courses (25
participants each, four in five graduated, follow-ups at 3 and 6 months), 20,000 referrals
(every graduate's 受皿 referral among them), care levels of which some start after
graduation, 20 districts and 200 receiving places (通いの場・サロン) — bulk-created into a
fresh database — then times full HTTP renderings (django.test.Client, same process) of the
outcome report page ``/care/courses/outcomes/`` and the readiness page
``/care/courses/readiness/`` as a 地域包括 user holding the care right: a warm-up, then the
median of ``--repeat`` runs each.

Usage:
    python bench/care_outcomes.py                      # a fresh SQLite file in a temp dir
    python bench/care_outcomes.py --database-url postgres://postgres@127.0.0.1:5432/NAME
        (the PostgreSQL database NAME is dropped and created again: give a bench database)
    python bench/care_outcomes.py --keep                # keep the SQLite file (path printed)
    python bench/care_outcomes.py --existing --database-url URL   # measure again only
Target: each page ≤ 300 ms (median).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import print_machine

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300.0


def _line(name: str, value: Any, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.1f}"
    print(f"{name} = {value} {unit}".rstrip(), flush=True)


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str, data_dir: str) -> None:
    os.environ["TSUNAGU_DATABASE_URL"] = url
    os.environ["TSUNAGU_DATA_DIR"] = data_dir
    os.environ["TSUNAGU_ENABLE_PERSONAL_RECORDS"] = "1"
    os.environ.pop("TSUNAGU_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


def _build(args: argparse.Namespace) -> tuple[Any, Any]:
    """The municipality and its care user; every row bulk-created (no history rows)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from tsunagu.accounts.models import Membership, Role
    from tsunagu.areas.models import District, Municipality, Prefecture
    from tsunagu.care.models import CareLevel, CareLevelRecord, Resident
    from tsunagu.care.referrals.models import Referral, ReferralStatus
    from tsunagu.directory.models import Category, Organisation, Resource
    from tsunagu.programs.courses.models import Course, FollowUp, Participant
    from tsunagu.programs.instances.models import ProgramInstance

    rng = random.Random(20251207)
    day0 = datetime.date(2024, 4, 1)
    with transaction.atomic():
        prefecture = Prefecture.objects.create(code="99", name="ベンチ県")
        town = Municipality.objects.create(prefecture=prefecture, code="999990", name="ベンチ市")
        districts = District.objects.bulk_create(
            District(municipality=town, name=f"ベンチ地区{i + 1}") for i in range(20)
        )
        orgs = Organisation.objects.bulk_create(
            Organisation(municipality=town, name=f"ベンチ団体{i + 1}", org_type="volunteer_group")
            for i in range(60)
        )
        gathering = Category.objects.get(code="gathering")
        exercise = Category.objects.get(code="exercise")
        resources = Resource.objects.bulk_create(
            Resource(
                municipality=town,
                provider=orgs[i % 50],
                name=f"ベンチ通いの場{i + 1}",
                category=exercise if i % 2 else gathering,
                capacity=20,
                schedule_note="毎週水曜 10時",
                serves_whole_municipality=i < 2,
            )
            for i in range(args.resources)
        )
        through = Resource.districts.through
        # Districts 19 and 20 have no receiving place of their own.
        through.objects.bulk_create(
            through(resource_id=r.pk, district_id=districts[i % 18].pk)
            for i, r in enumerate(resources)
        )
        residents = Resident.objects.bulk_create(
            (
                Resident(
                    municipality=town,
                    district=districts[i % 20],
                    name=f"ベンチ住民{i + 1}",
                    name_kana=f"べんちじゅうみん{i + 1}",
                    is_synthetic=True,
                )
                for i in range(args.residents)
            ),
            batch_size=1000,
        )
        programs = ProgramInstance.objects.bulk_create(
            ProgramInstance(
                municipality=town,
                service_type="day_c" if i % 2 else "home_c",
                name=f"ベンチ サービスC {i + 1}",
                provider=orgs[50 + i % 10],
            )
            for i in range(10)
        )
        courses = Course.objects.bulk_create(
            Course(
                municipality=town,
                program=programs[i % 10],
                name=f"ベンチコース{i + 1}",
                provider=orgs[50 + i % 10],
                starts_on=day0 + datetime.timedelta(days=i),
                ends_on=day0 + datetime.timedelta(days=i + 120),
                capacity=25,
            )
            for i in range(args.courses)
        )
        user_model = get_user_model()
        actor = user_model.objects.create_user(username="bench-care", password="x-long-password")
        Membership.objects.create(
            user=actor,
            role=Role.CARE_CENTER_STAFF,
            municipality=town,
            can_view_care_records=True,
        )
        statuses = [
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.STARTED,
            ReferralStatus.ENDED,
            ReferralStatus.STOPPED,
        ]
        referrals = Referral.objects.bulk_create(
            (
                Referral(
                    municipality=town,
                    resident=residents[i % len(residents)],
                    resource=resources[rng.randrange(len(resources))],
                    receiving_organisation=orgs[i % 50],
                    status=rng.choice(statuses),
                    resident_name="ベンチ",
                    created_by=actor,
                )
                for i in range(args.referrals)
            ),
            batch_size=2000,
        )
        by_resident: dict[int, list[Any]] = {}
        for referral in referrals:
            by_resident.setdefault(referral.resident_id, []).append(referral)
        per_course = len(residents) // len(courses)
        participants = []
        outcomes = ["improved", "maintained", "worsened", "discontinued"]
        for c, course in enumerate(courses):
            for k in range(per_course):
                resident = residents[(c * per_course + k) % len(residents)]
                graduated = rng.random() < 0.8
                referred = graduated and rng.random() < 0.7
                participants.append(
                    Participant(
                        course=course,
                        resident=resident,
                        enrolled_on=course.starts_on,
                        justification_note="ベンチ",
                        graduated_on=course.ends_on if graduated else None,
                        outcome=rng.choice(outcomes) if graduated else "",
                        discontinue_reason="ベンチ",
                        receiver_referral=by_resident[resident.pk][0] if referred else None,
                        no_receiver_reason="" if referred or not graduated else "近くにない",
                    )
                )
        participants = Participant.objects.bulk_create(participants, batch_size=2000)
        follow_ups = []
        for p in participants:
            if p.graduated_on is None:
                continue
            for months in (3, 6):
                follow_ups.append(
                    FollowUp(
                        participant=p,
                        months=months,
                        due_on=p.graduated_on + datetime.timedelta(days=30 * months),
                        done_on=p.graduated_on + datetime.timedelta(days=30 * months),
                        still_taking_part=rng.random() < 0.6,
                        came_back=rng.random() < 0.1,
                    )
                )
        FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
        CareLevelRecord.objects.bulk_create(
            (
                CareLevelRecord(
                    resident=r,
                    level=rng.choice([CareLevel.SUPPORT_1, CareLevel.PROGRAM_ELIGIBLE]),
                    valid_from=day0 + datetime.timedelta(days=rng.randrange(0, 400)),
                )
                for r in residents
            ),
            batch_size=2000,
        )
    _line("rows_residents", len(residents), "rows")
    _line("rows_courses", len(courses), "rows")
    _line("rows_participants", len(participants), "rows")
    _line("rows_referrals", len(referrals), "rows")
    _line("rows_follow_ups", len(follow_ups), "rows")
    _line("rows_receiving_places", len(resources), "rows")
    return town, actor


def _time(client: Any, path: str, repeat: int) -> tuple[float, list[float]]:
    response = client.get(path)  # warm-up
    assert response.status_code == 200, (path, response.status_code)
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        runs.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(runs), runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--residents", type=int, default=5_000)
    parser.add_argument("--courses", type=int, default=200)
    parser.add_argument("--referrals", type=int, default=20_000)
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each page (median)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file (path printed)")
    parser.add_argument(
        "--existing", action="store_true", help="measure only, on a database built before"
    )
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="tsunagu-care-outcomes-bench-")
    url = args.database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    if url.startswith("postgres") and not args.existing:
        _recreate_postgres(url)
    _setup_django(url, data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    versions = {"sqlite": sqlite3.sqlite_version}
    print_machine(**versions)
    _line("database", connection.vendor)
    if args.existing:
        from django.contrib.auth import get_user_model

        from tsunagu.areas.models import Municipality

        town = Municipality.objects.get(code="999990")
        actor = get_user_model().objects.get(username="bench-care")
    else:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        _line("setup_migrate", time.perf_counter() - t0, "s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            _line("postgresql", cursor.fetchone()[0])
    if not args.existing:
        t0 = time.perf_counter()
        town, actor = _build(args)
        _line("build_rows_bulk_create", time.perf_counter() - t0, "s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client()
    client.force_login(actor)
    failures = []
    pages = {
        "outcome_report": f"/care/courses/outcomes/?municipality={town.pk}",
        "readiness": f"/care/courses/readiness/?municipality={town.pk}",
        "outcomes_api": f"/api/v1/care/courses/outcomes?municipality={town.code}",
        "follow_ups_due_reference": "/care/courses/follow-ups/",
    }
    for name, path in pages.items():
        median, runs = _time(client, path, args.repeat)
        _line(f"{connection.vendor}.{name}.runs", ", ".join(f"{r:.1f}" for r in runs), "ms")
        _line(f"{connection.vendor}.{name}.median", median, "ms")
        if name in ("outcome_report", "readiness") and median > TARGET_MS:
            failures.append(f"{name} median {median:.1f} ms > {TARGET_MS:.0f} ms")
    connection.close()
    if args.keep and url.startswith("sqlite"):
        print(f"(database kept: {url})", flush=True)
    elif not args.existing and url.startswith("sqlite"):
        shutil.rmtree(data_dir, ignore_errors=True)
    _line("load_average_1min_at_end", f"{os.getloadavg()[0]:.2f}")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures), flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
