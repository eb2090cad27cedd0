#!/usr/bin/env python
"""Load benchmark: signed-in users against ``tsunagu serve`` (issue 18, item 3).

Builds the scaled demo data (``bench/scale_data.py``: >= 20 municipalities — 50 —, 100,000
resources, bodies, meetings, issues, mobility in 佐伯市 and 鹿児島市, one account per
municipality) in a fresh SQLite file and in the PostgreSQL database ``tsunagu_load``, starts
``tsunagu serve`` in production mode (plain http on 127.0.0.1: TSUNAGU_SSL_REDIRECT=0) and a
``tsunagu worker``, then drives N concurrent signed-in users (threads with keep-alive
http.client connections; no dependency) with a realistic mix:

  dashboard, directory search (Japanese queries), resource and organisation pages, the
  directory list, a regional issue update (GET the form, POST it), meeting minutes (view
  and save), a mobility phone booking (GET, POST) and a day plan started as a job (POST,
  then poll the job's status until it is done).

Every user logs in first; the clock starts when all have. Think time between actions is
exponential with a mean of 3 s. Measured for ``--duration`` seconds (default 120). Then
single-request medians per page with one user.

Prints the machine, requests/s, p50/p95/p99, errors (any non-2xx/3xx response or exception,
listed), per-endpoint p50/p95, single-request medians, and a last line PASS or FAIL against
the targets: p95 <= 300 ms, 0 errors, dashboard median (single user) <= 40 ms.

Usage: python bench/load.py [--sqlite] [--postgres] [--users 50] [--duration 120] [--keep]
       python bench/load.py --existing DATABASE_URL   (a database scale_data.py built)
PostgreSQL when reachable at TSUNAGU_LOAD_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/tsunagu_load). Ports: TSUNAGU_LOAD_PORT (default 18200).
The client runs on the same machine as the server: its CPU counts against the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from machine import print_machine

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/tsunagu_load"
P95_TARGET_MS = 300.0
DASHBOARD_MEDIAN_TARGET_MS = 40.0
THINK_MEAN_S = 3.0

SEARCH_QUERIES = [
    "見守り", "配食", "買い物", "買物", "ゴミ出し", "送迎", "サロン", "体操", "認知症カフェ",
    "移動支援", "相談", "防災", "通いの場", "みまもり", "付き添い", "デマンドバス",
]  # fmt: skip

# (action, weight): the share of each in the mix.
MIX = [
    ("dashboard", 20),
    ("search", 22),
    ("resource", 16),
    ("organisation", 8),
    ("directory_list", 6),
    ("issue_update", 8),
    ("minutes", 8),
    ("booking", 8),
    ("day_plan", 1),
]


# --- the plan: who logs in and what they open (read from the database) ----------------------


def make_plan(url: str, out: str) -> None:
    """Child process: per bench account, the ids its actions use (resolved with reverse)."""
    sys.path.insert(0, str(BENCH))
    from scale_data import BENCH_PASSWORD, USER_PREFIX, setup_django

    setup_django(url, os.path.dirname(os.path.abspath(out)))  # the run's folder, removed after
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from tsunagu.accounts.models import Membership
    from tsunagu.bodies.models import Meeting
    from tsunagu.directory.models import Organisation, Resource
    from tsunagu.mobility.models import MobilityService, Rider
    from tsunagu.regional_issues.models import RegionalIssue

    rng = random.Random(7)
    accounts = []
    memberships = (
        Membership.objects.filter(user__username__startswith=USER_PREFIX)
        .select_related("user", "municipality")
        .order_by("municipality__code")
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for membership in memberships:
        municipality = membership.municipality
        resources = list(
            Resource.objects.filter(municipality=municipality).values_list("pk", flat=True)[:2000]
        )
        organisations = list(
            Organisation.objects.filter(municipality=municipality).values_list("pk", flat=True)[
                :500
            ]
        )
        issues = list(
            RegionalIssue.objects.filter(municipality=municipality).values_list("pk", flat=True)
        )
        meetings = list(
            Meeting.objects.filter(body__municipality=municipality).values_list("pk", flat=True)
        )
        entry: dict[str, Any] = {
            "username": membership.user.username,
            "password": BENCH_PASSWORD,
            "municipality": municipality.name,
            "resources": [reverse("directory:resource_detail", args=[pk]) for pk in rng.sample(resources, min(30, len(resources)))],
            "organisations": [reverse("directory:organisation_detail", args=[pk]) for pk in rng.sample(organisations, min(15, len(organisations)))],
            "issues": [reverse("regional_issues:edit", args=[pk]) for pk in issues[:5]],
            "meetings": [reverse("bodies:meeting_minutes", args=[pk]) for pk in meetings[:5]],
            "booking": None,
        }  # fmt: skip
        service = MobilityService.objects.filter(municipality=municipality).order_by("pk").first()
        if service is not None and membership.can_view_personal_data:
            from tsunagu.mobility.rides.consent import rider_consent_on

            riders = [  # those who can be booked: active, with consent recorded
                r.pk
                for r in Rider.objects.filter(service=service, active=True)
                if rider_consent_on(r, tomorrow) is not None
            ]
            if riders:
                entry["booking"] = {
                    "service": service.pk,
                    "book": reverse("mobility:book", args=[service.pk]),
                    "riders": riders,
                    "day_plan_run": reverse(
                        "mobility:day_plan_run", args=[service.pk, tomorrow.isoformat()]
                    ),
                    "trip_date": tomorrow.isoformat(),
                }
        accounts.append(entry)
    plan = {
        "login": reverse("accounts:login"),
        "dashboard": reverse("dashboard:home"),
        "search": reverse("directory:search"),
        "accounts": accounts,
    }
    Path(out).write_text(json.dumps(plan, ensure_ascii=False))


# --- a tiny browser ------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: action, method and the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []}  # fmt: skip
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form["fields"].append((self._textarea, text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def post_form_of(html: str, action: str) -> list[tuple[str, str]]:
    """The fields of the page's POST form aimed at ``action`` (or at the page itself)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and form["action"] in ("", action, action.split("?")[0]):
            return list(form["fields"])
    raise LookupError(f"no POST form for {action}")


@dataclass
class Sample:
    endpoint: str
    seconds: float
    status: int
    path: str
    error: str = ""


@dataclass
class Browser:
    """One signed-in user: a keep-alive connection and a cookie jar (cookies are sent on
    plain http although production marks them Secure: the bench has no TLS)."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, data: list[tuple[str, str]] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str, float]:  # fmt: skip
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = {"Host": f"{self.host}:{self.port}", "Accept-Language": "ja"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        for attempt in (1, 2):  # a closed keep-alive connection is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, dict(response.getheaders()), text, elapsed
        raise AssertionError("unreachable")

    def login(self, login_path: str, username: str, password: str) -> None:
        _status, _, html, _ = self.request("GET", login_path)
        fields = dict(post_form_of(html, login_path))
        fields.update(username=username, password=password)
        status, _, _, _ = self.request("POST", login_path, list(fields.items()))
        if status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {status}")


# --- the users -----------------------------------------------------------------------------


class Run:
    def __init__(
        self, plan: dict[str, Any], host: str, port: int, seed: int, warmup: bool = True
    ) -> None:
        self.plan, self.host, self.port, self.warmup = plan, host, port, warmup
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.measuring = threading.Event()
        self.stop = threading.Event()
        self.day_plan_busy: set[int] = set()
        self.seed = seed

    def record(self, sample: Sample) -> None:
        if self.measuring.is_set() and not self.stop.is_set():
            with self.lock:
                self.samples.append(sample)

    def call(
        self, browser: Browser, endpoint: str, method: str, path: str, data: Any = None, headers: Any = None
    ) -> tuple[int, dict[str, str], str]:  # fmt: skip
        try:
            status, got, text, seconds = browser.request(method, path, data, headers)
        except Exception as error:
            self.record(Sample(endpoint, 0.0, 0, path, f"{type(error).__name__}: {error}"))
            return 0, {}, ""
        error = "" if 200 <= status < 400 else text[:200].replace("\n", " ")
        if status == 200 and method == "POST" and ' class="errorlist' in text:
            error = "form rejected: " + ";".join(re.findall(r'class="errorlist[^>]*>(.*?)</ul>', text, re.S))[:300]  # fmt: skip
        self.record(Sample(endpoint, seconds, status, path, error))
        return status, got, text

    def user(self, index: int, account: dict[str, Any], logged_in: threading.Barrier) -> None:
        rng = random.Random(self.seed * 1000 + index)
        browser = Browser(self.host, self.port)
        try:
            browser.login(self.plan["login"], account["username"], account["password"])
            if self.warmup:
                # as a browser does: the sign-in lands on the dashboard; then the directory
                # (each scope's first figures and the search columns are computed once
                # per server process, before the clock: see --no-warmup)
                for path in (self.plan["dashboard"], self.plan["search"]):
                    browser.request("GET", path)
        finally:
            logged_in.wait()
        needs = {"booking": "booking", "day_plan": "booking", "issue_update": "issues", "minutes": "meetings"}  # fmt: skip
        actions = [a for a, _ in MIX if a not in needs or account[needs[a]]]
        weights = [w for a, w in MIX if a in actions]
        while not self.stop.is_set():
            if self.stop.wait(rng.expovariate(1 / THINK_MEAN_S)):
                break
            action = rng.choices(actions, weights)[0]
            try:
                getattr(self, f"do_{action}")(browser, account, rng)
            except Exception as error:
                self.record(Sample(action, 0.0, 0, "", f"{type(error).__name__}: {error}"))

    # the actions

    def do_dashboard(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        self.call(b, "dashboard", "GET", self.plan["dashboard"])

    def do_search(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        query = urllib.parse.urlencode({"q": rng.choice(SEARCH_QUERIES)})
        self.call(b, "search", "GET", f"{self.plan['search']}?{query}")

    def do_directory_list(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        page = rng.choice(["", "?page=2", "?page=3"])
        self.call(b, "directory_list", "GET", f"{self.plan['search']}{page}")

    def do_resource(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        self.call(b, "resource", "GET", rng.choice(account["resources"]))

    def do_organisation(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        self.call(b, "organisation", "GET", rng.choice(account["organisations"]))

    def _edit(self, b: Browser, name: str, path: str, field_name: str, text: str) -> None:
        status, _, html = self.call(b, f"{name}_form", "GET", path)
        if status != 200:
            return
        fields = [(k, v) for k, v in post_form_of(html, path) if k != field_name]
        fields.append((field_name, text))
        self.call(b, f"{name}_save", "POST", path, fields)

    def do_issue_update(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        stamp = time.strftime("%H:%M:%S")
        text = f"地区の声を確認した（{stamp}）。買い物の手段について引き続き検討する。"
        self._edit(b, "issue", rng.choice(account["issues"]), "description", text)

    def do_minutes(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        stamp = time.strftime("%H:%M:%S")
        text = f"出席者で地区の課題を確認した（{stamp}）。\n\n- 買い物支援の検討を続ける"
        self._edit(b, "minutes", rng.choice(account["meetings"]), "minutes", text)

    def do_booking(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        booking = account["booking"]
        rider = rng.choice(booking["riders"])
        path = f"{booking['book']}?rider={rider}"
        status, _, html = self.call(b, "booking_form", "GET", path)
        if status != 200:
            return
        fields = dict(post_form_of(html, path))
        fields.update(
            rider=str(rider),
            trip_date=booking["trip_date"],
            purpose="hospital",
            destination_label="病院",
            destination_latitude="32.957",
            destination_longitude="131.890",
            appointment_at=f"{rng.randint(9, 15)}:{rng.choice(['00', '30'])}",
            escort_minutes="30",
            companions="0",
            booked_via="phone",
            confirm_duplicate="on",
        )
        self.call(b, "booking_save", "POST", path, list(fields.items()))

    def do_day_plan(self, b: Browser, account: dict[str, Any], rng: random.Random) -> None:
        booking = account["booking"]
        with self.lock:  # one dispatcher per service at a time, as in an office
            if booking["service"] in self.day_plan_busy:
                return self.do_booking(b, account, rng)
            self.day_plan_busy.add(booking["service"])
        try:
            path = booking["day_plan_run"]
            status, _, html = self.call(b, "day_plan_page", "GET", path.removesuffix("run/"))
            if status != 200:
                return
            fields = post_form_of(html, path)
            status, headers, _ = self.call(b, "day_plan_run", "POST", path, fields)
            job = headers.get("Location", "")
            if status != 302 or not job.startswith("/jobs/"):
                return
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not self.stop.is_set():
                status, headers, text = self.call(
                    b, "job_status", "GET", f"{job}status/", headers={"HX-Request": "true"}
                )
                if status != 200 or headers.get("HX-Redirect"):
                    break
                if "失敗" in text:
                    self.record(Sample("job_status", 0.0, status, job, "day plan job failed"))
                    break
                time.sleep(1.0)
        finally:
            with self.lock:
                self.day_plan_busy.discard(booking["service"])


def drive(
    plan: dict[str, Any], host: str, port: int, users: int, duration: float, warmup: bool = True
) -> dict[str, Any]:
    """N users: log in, then the mix for ``duration`` seconds. Returns the figures."""
    accounts = plan["accounts"]
    mobile = [a for a in accounts if a["booking"]]
    others = [a for a in accounts if not a["booking"]]
    chosen = []  # every fifth user is a mobility dispatcher, the others spread over the rest
    for i in range(users):
        pool = mobile if (i % 5 == 4 and mobile) else others
        chosen.append(pool[(i // 5 if pool is mobile else i) % len(pool)])
    run = Run(plan, host, port, seed=1, warmup=warmup)
    logged_in = threading.Barrier(users + 1)
    threads = [
        threading.Thread(target=run.user, args=(i, a, logged_in), daemon=True)
        for i, a in enumerate(chosen)
    ]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    logged_in.wait()
    login_seconds = time.perf_counter() - t0
    run.measuring.set()
    started = time.perf_counter()
    time.sleep(duration)
    run.stop.set()
    measured = time.perf_counter() - started
    for thread in threads:
        thread.join(timeout=90)
    return {"samples": run.samples, "seconds": measured, "login_seconds": login_seconds}


def single_medians(
    plan: dict[str, Any], host: str, port: int, repeat: int, cache_dir: str | None = None
) -> dict[str, float]:
    """One user, one request at a time: the median of each page (after one warm-up).
    ``dashboard_cold``: the dashboard with the server's file cache emptied before each
    request (``cache_dir``), i.e. every panel computed, as after writes to all of them."""
    account = next(a for a in plan["accounts"] if a["booking"] and a["meetings"] and a["issues"])
    b = Browser(host, port)
    b.login(plan["login"], account["username"], account["password"])
    pages = {
        "dashboard": plan["dashboard"],
        "search": f"{plan['search']}?{urllib.parse.urlencode({'q': '見守り'})}",
        "directory_list": plan["search"],
        "resource": account["resources"][0],
        "organisation": account["organisations"][0],
        "issue_form": account["issues"][0],
        "minutes_form": account["meetings"][0],
    }
    if account["booking"]:
        booking = account["booking"]
        pages["booking_form"] = f"{booking['book']}?rider={booking['riders'][0]}"
    if cache_dir:
        pages["dashboard_cold"] = plan["dashboard"]
    out = {}
    for name, path in pages.items():
        b.request("GET", path)
        times = []
        for _ in range(repeat):
            if name == "dashboard_cold" and cache_dir:
                shutil.rmtree(cache_dir, ignore_errors=True)
            status, _, _, seconds = b.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{name} {path}: HTTP {status}")
            times.append(seconds)
        out[name] = statistics.median(times) * 1000
    return out


# --- servers -------------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def server_env(url: str, data_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "TSUNAGU_ENV": "production",
        "TSUNAGU_SECRET_KEY": secrets.token_urlsafe(64),
        "TSUNAGU_ALLOWED_HOSTS": "127.0.0.1",
        "TSUNAGU_DATABASE_URL": url,
        "TSUNAGU_DATA_DIR": data_dir,
        "TSUNAGU_SSL_REDIRECT": "0",  # plain http on this machine: no TLS in front
    }
    env.pop("TSUNAGU_TEST_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


SETTLED_LOAD = 1.0


def _settle(seconds: float = 90) -> None:
    """Wait (at most ``seconds``) for the machine's 1-minute load to fall under
    :data:`SETTLED_LOAD`: the PostgreSQL leg began while the SQLite leg's processes were
    still winding down (load 2.4) and measured half again as long as from a quiet start."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= SETTLED_LOAD and time.monotonic() < deadline:
        time.sleep(5)


def wait_healthy(port: int, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tsunagu serve exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{port}"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("tsunagu serve did not answer /healthz")


def measure(backend: str, url: str, args: argparse.Namespace, port: int) -> list[str]:
    """Serve ``url``, drive the users, print the figures; the failures against the targets."""
    data_dir = tempfile.mkdtemp(prefix="tsunagu-load-")
    plan_path = os.path.join(data_dir, "plan.json")
    env = server_env(url, data_dir)
    subprocess.run(
        [sys.executable, __file__, "--plan", url, "--plan-out", plan_path],
        env={**env, "TSUNAGU_ENV": "development"},
        check=True,
        cwd=ROOT,
    )
    plan = json.loads(Path(plan_path).read_text())
    log = open(os.path.join(data_dir, "serve.log"), "wb")
    serve_cmd = [sys.executable, "-m", "tsunagu.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args.serve_args.split()]  # fmt: skip
    server = subprocess.Popen(serve_cmd, env=env, cwd=data_dir, stdout=log, stderr=log)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tsunagu.cli", "worker"],
        env=env,
        cwd=data_dir,
        stdout=log,
        stderr=log,
    )
    failures: list[str] = []
    p = backend
    try:
        wait_healthy(port, server)
        _settle()
        log.flush()
        started_as = Path(data_dir, "serve.log").read_text(errors="replace").splitlines()
        print(f"{p}.server = " + " / ".join(line for line in started_as if "gunicorn" in line or "waitress" in line or "http://" in line)[:200])  # fmt: skip
        print(f"{p}.load_average_1min_at_start = {os.getloadavg()[0]:.2f}", flush=True)
        result = drive(plan, "127.0.0.1", port, args.users, args.duration, not args.no_warmup)
        samples = result["samples"]
        ok = [s for s in samples if not s.error]
        errors = [s for s in samples if s.error]
        times = [s.seconds * 1000 for s in ok]
        print(f"{p}.users = {args.users}")
        print(f"{p}.logins = {result['login_seconds']:.1f} s")
        print(f"{p}.measured = {result['seconds']:.1f} s")
        print(f"{p}.requests = {len(samples)}")
        print(f"{p}.requests_per_second = {len(samples) / result['seconds']:.1f}")
        p95 = _percentile(times, 0.95) if times else float("inf")
        if times:
            print(f"{p}.p50 = {_percentile(times, 0.50):.1f} ms")
            print(f"{p}.p95 = {p95:.1f} ms")
            print(f"{p}.p99 = {_percentile(times, 0.99):.1f} ms")
            print(f"{p}.max = {max(times):.1f} ms")
        print(f"{p}.errors = {len(errors)}")
        for s in errors[:30]:
            print(f"  error: {s.endpoint} {s.status} {s.path} {s.error}")
        for endpoint in sorted({s.endpoint for s in ok}):
            e = [s.seconds * 1000 for s in ok if s.endpoint == endpoint]
            print(
                f"{p}.endpoint.{endpoint} = n {len(e)}, p50 {_percentile(e, 0.5):.1f} ms,"
                f" p95 {_percentile(e, 0.95):.1f} ms"
            )
        print(f"{p}.load_average_1min_at_end_of_load = {os.getloadavg()[0]:.2f}", flush=True)
        singles = single_medians(
            plan, "127.0.0.1", port, args.repeat, cache_dir=os.path.join(data_dir, "cache")
        )
        for name, value in singles.items():
            print(f"{p}.single_median.{name} = {value:.1f} ms")
        if p95 > P95_TARGET_MS:
            failures.append(f"{backend} p95 {p95:.0f} ms > {P95_TARGET_MS:.0f} ms")
        if errors:
            failures.append(f"{backend} {len(errors)} errors")
        if singles["dashboard"] > DASHBOARD_MEDIAN_TARGET_MS:
            failures.append(
                f"{backend} dashboard median {singles['dashboard']:.1f} ms"
                f" > {DASHBOARD_MEDIAN_TARGET_MS:.0f} ms"
            )
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        if args.keep:
            print(f"(server log kept: {data_dir}/serve.log)")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return failures


def _postgres_version(url: str) -> str | None:
    try:
        import psycopg

        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(url: str, args: argparse.Namespace) -> None:
    command = [sys.executable, str(BENCH / "scale_data.py"), url, "--resources", str(args.resources)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite only (unless --postgres)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL only (unless --sqlite)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds measured")
    parser.add_argument("--repeat", type=int, default=15, help="single-request runs per page")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and server log")
    parser.add_argument(
        "--no-warmup",
        action="store_true",
        help="users do not open the dashboard and the directory once before the clock starts",
    )
    parser.add_argument("--existing", metavar="DATABASE_URL", help="a database built before")
    parser.add_argument(
        "--serve-args", default="", help="more arguments of tsunagu serve, e.g. '--workers 3'"
    )
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--plan-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan:
        make_plan(args.plan, args.plan_out)
        return 0

    pg_url = os.environ.get("TSUNAGU_LOAD_POSTGRES_URL", DEFAULT_PG)
    port = int(os.environ.get("TSUNAGU_LOAD_PORT", "18200"))
    pg_version = _postgres_version(pg_url)
    print_machine(sqlite=sqlite3.sqlite_version, postgresql=pg_version or "not reachable")
    targets: list[tuple[str, str]] = []
    if args.existing:
        targets.append(("postgresql" if args.existing.startswith("postgres") else "sqlite", args.existing))  # fmt: skip
    else:
        if args.sqlite or not args.postgres:
            folder = tempfile.mkdtemp(prefix="tsunagu-load-db-")
            targets.append(("sqlite", f"sqlite:///{folder}/load.sqlite3"))
        if (args.postgres or not args.sqlite) and pg_version:
            targets.append(("postgresql", pg_url))
        elif args.postgres:
            print(f"FAIL: PostgreSQL not reachable at {pg_url}")
            return 1
    print(f"users = {args.users}, think time exp. mean {THINK_MEAN_S} s, measured {args.duration:.0f} s, warm-up {'no' if args.no_warmup else 'dashboard + directory once per user'}")  # fmt: skip
    failures: list[str] = []
    for backend, url in targets:
        if not args.existing:
            if backend == "postgresql":
                _recreate_postgres(url)
            build(url, args)
        try:
            failures += measure(backend, url, args, port)
        except (RuntimeError, subprocess.CalledProcessError) as error:
            failures.append(f"{backend} run failed: {error}")
        if backend == "sqlite" and not args.existing:
            if args.keep:
                print(f"(database kept: {url})")
            else:
                shutil.rmtree(url.removeprefix("sqlite:///").rsplit("/", 1)[0], ignore_errors=True)
    print(f"load_average_1min_at_end = {os.getloadavg()[0]:.2f}")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
