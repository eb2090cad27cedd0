"""Benchmark: import 50,000 resource rows from .xlsx (target: ≤ 45 s, issue 18; 60 s in issue 3).

Builds its own data in a temporary directory: a fresh database (SQLite, and PostgreSQL
database ``tsunagu_bench_import`` when the server is reachable), one municipality with
areas, 12 districts and 60 provider organisations, and a 50,000-row .xlsx of resources
with realistic Japanese text (name, reading, provider, category, description,
eligibility, cost, schedule note, weekly pattern, district, status, visibility, phone,
和暦 start date, last verified). Then times the importer end to end — read, validate
every row, commit and update the search index in one transaction — as the CLI runs it
(``import_file``), and prints the phases.

    python bench/directory_import.py [--rows 50000] [--skip-postgres]
    python bench/directory_import.py --leg sqlite --as-job   # as the web pages run it

Each database leg runs in its own process (Django settings are per process).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 45.0  # issue 18 (issue 3 asked for 60 s)
PG_URL = os.environ.get(
    "TSUNAGU_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tsunagu_bench_import"
)
ROOT = Path(__file__).resolve().parent.parent

PLACES = [
    "高野",
    "中津原",
    "採銅所",
    "鏡山",
    "勾金",
    "柿下",
    "宮原",
    "殿町",
    "古宮",
    "新町",
    "上区",
    "下区",
]
ACTIVITIES = [  # (activity, category code, category name, what it does)
    ("買い物支援", "shopping", "買い物支援", "スーパーへの送迎と荷物運び"),
    ("ゴミ出し支援", "garbage", "ゴミ出し支援", "燃えるゴミの日にごみ出しを手伝います"),
    ("見守り訪問", "watching", "見守り・安否確認", "一人暮らしの方を訪ねて安否を確認します"),
    ("配食サービス", "meals", "配食", "昼食のお弁当を届けます"),
    ("いきいきサロン", "gathering", "通いの場・サロン", "お茶を飲みながら交流します"),
    ("健康体操教室", "exercise", "体操・介護予防教室", "転倒予防の体操と口腔体操を行います"),
    ("通院付き添い", "escort", "付き添い", "病院までの送迎と院内の付き添い"),
    ("認知症カフェ", "dementia-cafe", "認知症カフェ", "ご本人と家族が気軽に集まれる場です"),
    ("健康相談会", "health-consultation", "健康相談", "保健師による血圧測定と健康相談"),
    ("家事援助", "housework", "家事援助", "掃除や洗濯など日常の家事を手伝います"),
]
KANA = ["かいものしえん", "ごみだししえん", "みまもりほうもん", "はいしょく", "さろん"]
ELIGIBILITY = ["誰でも", "65歳以上", "要支援", "事業対象者", "一人暮らしの方", "高齢者のみの世帯"]
WEEKDAYS = "月火水木金"
HEADER = [
    "名称",
    "よみがな",
    "提供する団体",
    "分類",
    "内容",
    "利用できる人",
    "利用料（円）",
    "費用の説明",
    "日程の説明",
    "曜日ごとの日程",
    "対象の地区",
    "状態",
    "公開範囲",
    "問い合わせ電話番号",
    "開始日",
    "最終確認日",
]


def machine_lines() -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return [
        f"machine: {cpu}",
        f"cores: {os.cpu_count()}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"os: {platform.platform()}",
        f"sqlite: {sqlite3.sqlite_version}",
    ]


def write_xlsx(path: Path, rows: int, providers: list[str], districts: list[str]) -> None:
    from openpyxl import Workbook

    rng = random.Random(20250514)
    # Normal (not write-only) mode: the sheet gets its <dimension> as Excel writes it, so
    # the reader does not scan the sheet twice. Strings are inline (openpyxl's way), which
    # reads a little slower than Excel's shared strings: a conservative file.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "地域資源"
    sheet.append(HEADER)
    for i in range(rows):
        activity, code, category, text = ACTIVITIES[i % len(ACTIVITIES)]
        place = PLACES[(i // len(ACTIVITIES)) % len(PLACES)]
        district = districts[i % len(districts)]
        day = WEEKDAYS[i % 5]
        hour = 9 + i % 5
        sheet.append(
            [
                f"{place}{activity} 第{i + 1}号",
                KANA[i % len(KANA)],
                providers[i % len(providers)],
                code if i % 3 == 0 else category,  # by code and by name
                f"{place}地区で{text}。{rng.choice(['予約制です', '当日参加も可能です', '雨天中止'])}。"
                f"問い合わせ番号{i + 1}番。",
                "、".join(rng.sample(ELIGIBILITY, 2)),
                rng.choice([0, 100, 200, 300, 500]),
                rng.choice(["無料", "1回100円", "実費（燃料代）", "材料費のみ"]),
                f"毎週{day}曜 {hour}時から",
                f"毎週{day}曜 {hour:02d}:00〜{hour + 2:02d}:00",
                district,
                rng.choice(["実施中", "実施中", "実施中", "準備中", "休止"]),
                rng.choice(["公開", "関係者", "内部"]),
                f"0947-{32 + i % 60:02d}-{i % 10000:04d}",
                f"令和{2 + i % 5}年{1 + i % 12}月{1 + i % 28}日",
                f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            ]
        )
    workbook.save(path)


def setup(db: str) -> tuple:
    """A fresh database with one municipality, its districts, a staff user and providers."""
    workdir = Path(tempfile.mkdtemp(prefix=f"tsunagu-bench-import-{db}-"))
    os.environ["TSUNAGU_DATA_DIR"] = str(workdir)
    os.environ.pop("TSUNAGU_TEST_DATABASE_URL", None)
    if db == "sqlite":
        os.environ["TSUNAGU_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        os.environ["TSUNAGU_DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tsunagu.accounts.models import Role
    from tsunagu.accounts.services import membership_grant, system_actor
    from tsunagu.areas.models import Municipality
    from tsunagu.areas.services import AreaFields, sub_area_create
    from tsunagu.demo.loader import load_areas_and_statistics
    from tsunagu.directory import services
    from tsunagu.directory.services import OrganisationFields

    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        if db == "sqlite":
            cursor.execute("select sqlite_version()")
            print(f"database: SQLite {cursor.fetchone()[0]} (file, WAL)")
        else:
            cursor.execute("show server_version")
            print(f"database: PostgreSQL {cursor.fetchone()[0]}")

    actor = system_actor()
    load_areas_and_statistics(actor)
    town = Municipality.objects.get(code="406015")  # 香春町
    districts = [d.name for d in town.districts.all()]
    for place in PLACES:
        if f"{place}地区" not in districts:
            sub_area_create(
                municipality=town,
                kind="district",
                fields=AreaFields(name=f"{place}地区"),
                actor=actor,
            )
    districts = [d.name for d in town.districts.all()]
    from django.contrib.auth import get_user_model

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-kawara", defaults={"full_name": "香春町 職員（ベンチ）"}
    )
    membership_grant(user=staff, role=Role.MUNICIPALITY_STAFF, municipality=town, actor=actor)
    providers = []
    kinds = ["community_council", "social_welfare_council", "npo", "volunteer_group", "senior_club"]
    for i in range(60):
        name = f"{PLACES[i % len(PLACES)]}地域支え合いの会{i + 1}"
        services.organisation_create(
            fields=OrganisationFields(name=name, org_type=kinds[i % len(kinds)], municipality=town),
            actor=actor,
        )
        providers.append(name)

    return workdir, town, staff, providers, districts


def leg(db: str, rows: int, profile: str | None = None) -> int:
    """One database: set up, generate, import; prints `name = value unit` lines."""
    workdir, town, staff, providers, districts = setup(db)
    from tsunagu.directory.imports.columns import (
        PHASE_COMMIT,
        PHASE_INDEX,
        PHASE_READ,
        PHASE_VALIDATE,
    )
    from tsunagu.directory.imports.commit import import_file
    from tsunagu.directory.models import Resource

    path = workdir / "resources.xlsx"
    started = time.perf_counter()
    write_xlsx(path, rows, providers, districts)
    print(f"generate_xlsx_seconds = {time.perf_counter() - started:.1f} s")
    print(f"xlsx_size = {path.stat().st_size / 1024 / 1024:.1f} MB")

    phases: dict[str, float] = {}
    cpu_phases: dict[str, float] = {}
    last: list = [time.perf_counter(), PHASE_READ, time.process_time()]

    def progress(phase: str, done: int, total: int) -> None:
        now, cpu_now = time.perf_counter(), time.process_time()
        if phase != last[1]:
            phases[last[1]] = phases.get(last[1], 0.0) + now - last[0]
            cpu_phases[last[1]] = cpu_phases.get(last[1], 0.0) + cpu_now - last[2]
            last[0], last[1], last[2] = now, phase, cpu_now

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_started = time.process_time()
    started = time.perf_counter()
    last[0], last[2] = started, cpu_started
    report = import_file(
        path, kind="resource", municipality_code=town.code, actor=staff, progress=progress
    )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    phases[last[1]] = phases.get(last[1], 0.0) + time.perf_counter() - last[0]
    cpu_phases[last[1]] = cpu_phases.get(last[1], 0.0) + time.process_time() - last[2]
    if not report.ok:
        print("import failed:", *report.errors[:10], sep="\n  ")
        return 1
    assert report.created == rows, report
    assert Resource.objects.filter(municipality=town).count() == rows
    assert Resource.history.count() == rows
    suffix = "" if db == "sqlite" else "_postgresql"
    print(f"rows = {rows}")
    for phase in (PHASE_READ, PHASE_VALIDATE, PHASE_COMMIT):
        print(f"{phase}_seconds{suffix} = {phases.get(phase, 0.0):.1f} s")
        print(f"{phase}_cpu_seconds{suffix} = {cpu_phases.get(phase, 0.0):.1f} s")
    print(f"search_index_seconds{suffix} = {phases.get(PHASE_INDEX, 0.0):.1f} s")
    print(f"search_index_cpu_seconds{suffix} = {cpu_phases.get(PHASE_INDEX, 0.0):.1f} s")
    index = phases.get(PHASE_INDEX, 0.0)
    index_cpu = cpu_phases.get(PHASE_INDEX, 0.0)
    print(f"load_average_after{suffix} = {os.getloadavg()[0]:.1f}")
    # The import: read, validate every row, commit in one transaction (records are in the
    # directory). Then the search index update of the new rows (tsunagu.directory.search.index).
    print(f"import_{rows}_xlsx_cpu_seconds{suffix} = {cpu - index_cpu:.1f} s")
    print(f"import_{rows}_xlsx_seconds{suffix} = {elapsed - index:.1f} s")
    print(f"import_{rows}_xlsx_with_search_index_cpu_seconds{suffix} = {cpu:.1f} s")
    print(f"import_{rows}_xlsx_with_search_index_seconds{suffix} = {elapsed:.1f} s")
    print(f"rows_per_second{suffix} = {rows / (elapsed - index):.0f} rows/s")
    return 0


def leg_as_job(db: str, rows: int) -> int:
    """As users run it: the validate job, then the commit job (which reads and validates the
    file again, then writes and indexes), each taken from the database queue by a real
    worker loop (``tsunagu worker``'s, in batch mode). Prints the jobs' times and the split
    of each by the phases the job reported."""
    workdir, town, staff, providers, districts = setup(db)
    from tsunagu.core.jobs.models import Job, JobStatus
    from tsunagu.core.jobs.runner import JobContext
    from tsunagu.core.jobs.worker import run_worker
    from tsunagu.directory.imports import reading
    from tsunagu.directory.imports.jobs import import_job_start
    from tsunagu.directory.models import Resource

    # In a folder of its own, as the pages store uploads: a committed import removes it.
    path = workdir / "upload" / "resources.xlsx"
    path.parent.mkdir()
    started = time.perf_counter()
    write_xlsx(path, rows, providers, districts)
    print(f"generate_xlsx_seconds = {time.perf_counter() - started:.1f} s")
    table = reading.read_table(path, path.name, limit=3)
    mapping = reading.auto_mapping("resource", table.headers)
    state = {
        "user_id": staff.pk,
        "kind": "resource",
        "path": str(path),
        "file_name": path.name,
        "municipality_id": town.pk,
        "mapping": {key: table.headers[i] for key, i in mapping.items()},
        "on_duplicate": "skip",
    }
    phases: dict[str, float] = {}
    last: list = [0.0, ""]
    original = JobContext.progress

    def recording(self, done, total, message="", *, force=False):
        now = time.perf_counter()
        if message != last[1]:
            if last[1]:
                phases[last[1]] = phases.get(last[1], 0.0) + now - last[0]
            last[0], last[1] = now, message
        return original(self, done, total, message, force=force)

    JobContext.progress = recording  # type: ignore[method-assign]
    suffix = "" if db == "sqlite" else "_postgresql"
    total = 0.0
    for step in ("validate", "commit"):
        phases.clear()
        job = import_job_start(
            state=state, step=step, token=f"bench-{step}", actor=staff, inline=False
        )
        started = time.perf_counter()
        last[0], last[1] = started, "queue, start, read (until the first report)"
        run_worker(batch=True, schedule=False, signals=False)
        elapsed = time.perf_counter() - started
        if last[1]:
            phases[last[1]] = phases.get(last[1], 0.0) + time.perf_counter() - last[0]
        job.refresh_from_db()
        if job.status != JobStatus.DONE:
            print(f"{step} job failed: {job.error}")
            return 1
        total += elapsed
        print(f"job_{step}_seconds{suffix} = {elapsed:.1f} s")
        for message, seconds in phases.items():
            print(f"job_{step}_phase{suffix}[{message}] = {seconds:.1f} s")
    assert Resource.objects.filter(municipality=town).count() == rows
    print(f"jobs = {Job.objects.count()}")
    print(f"load_average_after{suffix} = {os.getloadavg()[0]:.1f}")
    print(f"import_{rows}_xlsx_as_jobs_seconds{suffix} = {total:.1f} s")
    return 0


def postgres_reachable() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.Error as exc:
        print(f"postgresql: not reachable ({exc.__class__.__name__}); leg skipped")
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--leg", choices=["sqlite", "postgresql"])
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--profile", help="with --leg: write cProfile stats of the import here")
    parser.add_argument(
        "--as-job",
        action="store_true",
        help="with --leg: run the validate and commit jobs through the queue and a worker",
    )
    args = parser.parse_args()
    if args.leg and args.as_job:
        return leg_as_job(args.leg, args.rows)
    if args.leg:
        return leg(args.leg, args.rows, args.profile)

    for line in machine_lines():
        print(line)
    print(f"load_average_before: {os.getloadavg()[0]:.1f} (other processes on this machine)")
    legs = ["sqlite"]
    if not args.skip_postgres and postgres_reachable():
        legs.append("postgresql")
    figures: dict[str, float] = {}
    totals: dict[str, float] = {}
    failed_runs = []
    for name in legs:
        result = subprocess.run(
            [sys.executable, __file__, "--leg", name, "--rows", str(args.rows)],
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            sys.stdout.write(result.stderr[-3000:])
            failed_runs.append(name)
            continue
        for line in result.stdout.splitlines():
            if line.startswith(f"import_{args.rows}_xlsx_seconds"):
                figures[name] = float(line.split("=")[1].split()[0])
            if line.startswith(f"import_{args.rows}_xlsx_with_search_index_seconds"):
                totals[name] = float(line.split("=")[1].split()[0])
    # The target applies to the whole import, search index included: the index is
    # written in the import's transaction (a resource is findable once imported).
    misses = [
        f"{name} {value:.1f} s (with the search index) > {TARGET_SECONDS:.0f} s"
        for name, value in totals.items()
        if value > TARGET_SECONDS
    ]
    misses += [f"{name} run failed" for name in failed_runs]
    for name, value in figures.items():
        print(f"# {name}: without the search index phase {value:.1f} s")
    print("PASS" if not misses else "FAIL: import of " + ", ".join(misses))
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
