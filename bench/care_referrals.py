#!/usr/bin/env python
"""Benchmark of the referral pages and API (issue 15, performance).

Builds one municipality with 5,000 synthetic residents, 200 receiving organisations (one
resource each) and 20,000 referrals in every status (bulk, seeded), a sender with the care
right and a member of one organisation, then times through ``django.test.Client`` — a warm-up,
then the median of ``--repeat`` runs — the sender's list (first page, and the stalled filter),
the sender's API list, one referral's page, the dashboard with the stalled panel, and the
receiver's inbox and inbox API. Each read also writes its read-log rows, as in production.

Usage: python bench/care_referrals.py [--repeat N] [--database-url postgres://…]
Target: every page and API answer ≤ 300 ms (median).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from machine import print_machine

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300.0
RESIDENTS = 5_000
ORGANISATIONS = 200
REFERRALS = 20_000


def _line(name: str, value: float | int | str, unit: str = "") -> None:
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    print(f"{name} = {text}{' ' + unit if unit else ''}", flush=True)


def _setup(url: str | None) -> None:
    data_dir = tempfile.mkdtemp(prefix="tsunagu-referral-bench-")
    os.environ["TSUNAGU_DATABASE_URL"] = url or f"sqlite:///{data_dir}/bench.sqlite3"
    if url and url.startswith("sqlite:///"):
        os.environ["TSUNAGU_DATA_DIR"] = str(Path(url.removeprefix("sqlite:///")).parent)
        return _django()
    os.environ["TSUNAGU_DATA_DIR"] = data_dir
    _django()


def _django() -> None:
    os.environ["TSUNAGU_ENABLE_PERSONAL_RECORDS"] = "1"
    os.environ.pop("TSUNAGU_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def _build(seed: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from tsunagu.accounts.models import Membership, Role
    from tsunagu.areas.models import Municipality, Prefecture
    from tsunagu.care.models import Resident
    from tsunagu.care.referrals.models import Referral, ReferralStatus
    from tsunagu.directory.models import Category, Organisation, Resource

    rng = random.Random(seed)
    today = datetime.date.today()
    users = get_user_model().objects
    with transaction.atomic():
        prefecture = Prefecture.objects.create(code="990001", name="ベンチ県")
        municipality = Municipality.objects.create(
            prefecture=prefecture, code="999997", name="ベンチ市"
        )
        sender = users.create_user(username="bench-sender", password="x-long-password")
        Membership.objects.create(
            user=sender,
            role=Role.CARE_CENTER_STAFF,
            municipality=municipality,
            can_view_care_records=True,
            starts_on=datetime.date(2020, 4, 1),
        )
        residents = Resident.objects.bulk_create(
            Resident(
                municipality=municipality,
                name=f"ベンチ 住民{i}",
                name_kana=f"べんち じゅうみん{i}",
                contact_phone=f"000-{i:04d}-0000",
                is_synthetic=True,
            )
            for i in range(RESIDENTS)
        )
        category = Category.objects.filter(children__isnull=True).order_by("code").first()
        organisations = Organisation.objects.bulk_create(
            Organisation(municipality=municipality, name=f"ベンチの会{i}", org_type="npo")
            for i in range(ORGANISATIONS)
        )
        resources = Resource.objects.bulk_create(
            Resource(
                municipality=municipality,
                provider=o,
                category=category,
                name=f"ベンチのサロン{i}",
            )
            for i, o in enumerate(organisations)
        )
        statuses = [s.value for s in ReferralStatus]
        rows = []
        for i in range(REFERRALS):
            status = rng.choice(statuses)
            place = rng.randrange(ORGANISATIONS)
            sent = today - datetime.timedelta(days=rng.randrange(0, 400))
            rows.append(
                Referral(
                    municipality=municipality,
                    resident=residents[rng.randrange(RESIDENTS)],
                    resource=resources[place],
                    receiving_organisation=organisations[place],
                    status=status,
                    resident_name=f"ベンチ 住民{i}",
                    contact_phone="000-0000-0000",
                    wishes="体操をしたい",
                    sent_on=None if status == "draft" else sent,
                    answered_on=sent if status not in ("draft", "sent") else None,
                    created_by=sender,
                )
            )
        Referral.objects.bulk_create(rows, batch_size=2000)
        leader = users.create_user(username="bench-leader", password="x-long-password")
        Membership.objects.create(
            user=leader,
            role=Role.ORGANISATION_MEMBER,
            municipality=municipality,
            organisation=organisations[0],
            starts_on=datetime.date(2020, 4, 1),
        )
    first = Referral.objects.filter(municipality=municipality).order_by("pk").first()
    return {
        "sender": sender,
        "leader": leader,
        "referral_id": first.pk if first else 0,
        "inbox_rows": Referral.objects.filter(
            receiving_organisation=organisations[0], status__in=["sent", "accepted"]
        ).count(),
    }


def _existing() -> dict[str, object] | None:
    from django.contrib.auth import get_user_model

    from tsunagu.care.referrals.models import Referral

    users = get_user_model().objects
    sender = users.filter(username="bench-sender").first()
    if sender is None:
        return None
    leader = users.get(username="bench-leader")
    organisation = leader.memberships.get().organisation
    return {
        "sender": sender,
        "leader": leader,
        "referral_id": Referral.objects.order_by("pk").values_list("pk", flat=True).first(),
        "inbox_rows": Referral.objects.filter(
            receiving_organisation=organisation, status__in=["sent", "accepted"]
        ).count(),
    }


def _time(client: object, url: str, repeat: int) -> float:
    response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, (url, response.status_code)
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        runs.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument(
        "--database-url",
        default=None,
        help="postgres://… or sqlite:///file (default: a new SQLite file). A database that "
        "already holds the bench's data (from an earlier run with --keep) is measured again.",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data (do not flush)")
    args = parser.parse_args()
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    print_machine(database=f"{connection.vendor} {connection.Database.__name__}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    built = _existing() or _build(args.seed)
    if connection.vendor == "postgresql":
        # Statistics for the planner, as autovacuum would gather after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _line("setup_seconds", time.perf_counter() - started, "s")
    _line("residents", RESIDENTS, "rows")
    _line("organisations", ORGANISATIONS, "rows")
    _line("referrals", REFERRALS, "rows")
    _line("inbox_cards", int(built["inbox_rows"]), "rows")  # type: ignore[arg-type]
    sender, leader = Client(), Client()
    sender.force_login(built["sender"])
    leader.force_login(built["leader"])
    pages = {
        "sender_list_page": (sender, "/care/referrals/"),
        "sender_list_stalled": (sender, "/care/referrals/?stalled=on"),
        "sender_list_api": (sender, "/api/v1/care/referrals?per_page=50"),
        "sender_detail_page": (sender, f"/care/referrals/{built['referral_id']}/"),
        "dashboard_with_stalled_panel": (sender, "/dashboard/"),
        "receiver_inbox_page": (leader, "/care/referrals/inbox/"),
        "receiver_inbox_api": (leader, "/api/v1/care/referrals/inbox?per_page=50"),
    }
    missed = []
    for name, (client, url) in pages.items():
        ms = _time(client, url, args.repeat)
        _line(f"{name}_median", ms, "ms")
        if ms > TARGET_MS:
            missed.append(f"{name} {ms:.0f} ms > {TARGET_MS:.0f} ms")
    if args.database_url and not args.keep:
        call_command("flush", interactive=False, verbosity=0)
    print("PASS" if not missed else "FAIL: " + "; ".join(missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
