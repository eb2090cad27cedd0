#!/usr/bin/env python
"""Scaled demo data for the load benchmark (issue 18, item 3).

On top of the demo dataset (``load_demo``: its municipalities keep their bodies, meetings,
issues and the mobility services of 佐伯市 and 鹿児島市 with riders, vehicles and drivers),
adds synthetic municipalities up to 50, 20,000 organisations and 100,000 directory
resources with districts (the generator of ``bench/directory_search.py``), then for every
municipality without any: two consultative bodies with six meetings and three regional
issues; and one municipality staff account per municipality (``bench-<code>``, password
``BENCH_PASSWORD``; in the municipalities with a mobility service it may view riders).
Rows are written with bulk_create (no history rows: bench data, never committed), then
the search index is rebuilt with ``rebuild_index``.

Usage: python bench/scale_data.py DATABASE_URL [--resources N] [--organisations N]
       (migrates the database first; SQLite file or PostgreSQL database must be empty or
       an earlier run of this script: the demo loader is idempotent, the synthetic rows
       are added once — a second run adds nothing but new accounts that are missing.)
Works on SQLite and PostgreSQL. About 4-8 minutes here, most of it the index.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCH_PASSWORD = "tsunagu-bench-pass-2026"
USER_PREFIX = "bench-"

ISSUE_TITLES = [
    ("買い物に行く手段がない高齢者が増えている", "移動販売や送迎の検討が必要。"),
    ("ゴミ出しが難しい一人暮らしの方への支援", "集積所が遠い地区で声が上がっている。"),
    ("通いの場の担い手が高齢化している", "後継者の養成講座を開きたい。"),
    ("通院の付き添いが足りない", "ボランティアの運転者が不足している。"),
    ("災害時の避難支援の名簿が更新されていない", "自治会と民生委員で確認が必要。"),
]


def setup_django(url: str, data_dir: str | None = None) -> None:
    """Django against ``url`` (bench data: no test database, DEBUG off)."""
    os.environ["TSUNAGU_DATABASE_URL"] = url
    os.environ["TSUNAGU_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="tsunagu-scale-")
    os.environ.pop("TSUNAGU_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _bodies_meetings_issues(rng: random.Random) -> dict[str, int]:
    """Two bodies, six meetings and three issues in every municipality that has no body."""
    from django.utils import timezone

    from tsunagu.areas.models import Municipality
    from tsunagu.bodies.models import BodyKind, ConsultativeBody, Meeting, MeetingStatus
    from tsunagu.regional_issues.models import RegionalIssue

    with_bodies = set(ConsultativeBody.objects.values_list("municipality_id", flat=True))
    todo = [m for m in Municipality.objects.order_by("code") if m.pk not in with_bodies]
    bodies = []
    for municipality in todo:
        bodies.append(
            ConsultativeBody(
                municipality=municipality,
                name=f"{municipality.name} 第1層協議体",
                kind=BodyKind.LAYER1,
                layer=1,
                meeting_frequency="年4回",
                purpose="地域の支えあいの仕組みづくりを話し合う。",
            )
        )
        bodies.append(
            ConsultativeBody(
                municipality=municipality,
                name=f"{municipality.name} 地域ケア推進会議",
                kind=BodyKind.CARE_PROMOTION,
                meeting_frequency="年2回",
            )
        )
    ConsultativeBody.objects.bulk_create(bodies)
    created_bodies = list(ConsultativeBody.objects.filter(municipality__in=todo).order_by("pk"))
    now = timezone.now()
    meetings = []
    for body in created_bodies:
        for n in range(1, 4):
            held = n < 3
            meetings.append(
                Meeting(
                    body=body,
                    title=f"{body.name} 第{n}回",
                    starts_at=now + datetime.timedelta(days=(n - 2) * 60),
                    place="市民センター 会議室",
                    agenda="1. 前回の振り返り\n2. 地区の課題\n3. その他",
                    minutes="前回の宿題を確認した。買い物支援の検討を続ける。" if held else "",
                    status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    issues = []
    for municipality in todo:
        for title, description in rng.sample(ISSUE_TITLES, 3):
            issues.append(
                RegionalIssue(municipality=municipality, title=title, description=description)
            )
    RegionalIssue.objects.bulk_create(issues, batch_size=2000)
    return {"bodies": len(bodies), "meetings": len(meetings), "issues": len(issues)}


def _accounts() -> int:
    """One municipality staff account per municipality (``bench-<code>``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from tsunagu.accounts.models import Membership, Role
    from tsunagu.areas.models import Municipality
    from tsunagu.mobility.models import MobilityService

    User = get_user_model()
    with_mobility = set(MobilityService.objects.values_list("municipality_id", flat=True))
    have = set(
        User.objects.filter(username__startswith=USER_PREFIX).values_list("username", flat=True)
    )
    password = make_password(BENCH_PASSWORD)  # one hash: PBKDF2 is slow on purpose
    new_users, municipality_of = [], {}
    for municipality in Municipality.objects.order_by("code"):
        username = f"{USER_PREFIX}{municipality.code}"
        if username in have:
            continue
        new_users.append(
            User(
                username=username,
                full_name=f"{municipality.name} 職員（負荷試験）",
                password=password,
            )
        )
        municipality_of[username] = municipality
    User.objects.bulk_create(new_users)
    users = User.objects.filter(username__in=list(municipality_of))
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                role=Role.MUNICIPALITY_STAFF,
                municipality=municipality_of[user.username],
                title="負荷試験",
                can_view_personal_data=municipality_of[user.username].pk in with_mobility,
            )
            for user in users
        ]
    )
    return len(new_users)


def build(url: str, *, resources: int, organisations: int, data_dir: str | None = None) -> None:
    setup_django(url, data_dir)
    from directory_search import _build
    from django.core.management import call_command
    from django.db import transaction

    from tsunagu.demo.loader import load_demo
    from tsunagu.directory.models import Resource
    from tsunagu.directory.search.index import rebuild_index

    rng = random.Random(20261207)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo()
    print(f"scale.migrate_and_demo = {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    missing = max(0, resources - Resource.objects.count())
    if missing:
        built = _build(missing, organisations, prefix="")
        print(f"scale.rows_resources = {built['resources']} rows")
        print(f"scale.rows_organisations = {built['organisations']} rows")
    with transaction.atomic():
        counts = _bodies_meetings_issues(rng)
        counts["accounts"] = _accounts()
    for name, value in counts.items():
        print(f"scale.new_{name} = {value} rows")
    print(f"scale.bulk_create = {time.perf_counter() - t0:.1f} s", flush=True)
    if missing:
        t0 = time.perf_counter()
        print(f"scale.index_entries = {rebuild_index()} rows")
        print(f"scale.index_rebuild = {time.perf_counter() - t0:.1f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="sqlite:////path/file.sqlite3 or postgres://…")
    parser.add_argument("--resources", type=int, default=100_000, help="total resources")
    parser.add_argument("--organisations", type=int, default=20_000, help="new organisations")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="tsunagu-scale-")
    try:
        build(
            args.database_url,
            resources=args.resources,
            organisations=args.organisations,
            data_dir=data_dir,
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
