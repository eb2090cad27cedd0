#!/usr/bin/env python
"""Benchmark of the directory search (issue 3, point 4).

Builds its own synthetic directory — 100,000 resources and 20,000 organisations with
Japanese names and descriptions composed from place names, category words and activity
words, with 表記ゆれ (買物/買い物, ゴミ/ごみ, 申込/申し込み, 一人暮らし/ひとり暮らし,
見守り/みまもり, half-width katakana) — in a fresh database: a SQLite file in a temporary
directory and the PostgreSQL database ``tsunagu_bench`` (dropped and recreated). Rows
are written with bulk_create, then indexed with ``rebuild_index`` (not the services: the
services' history rows would dominate the build time).

Then it measures ``search()`` for typical queries (1–4 characters, with and without
filters) as a municipality user, and a full HTTP request of the search page against a
trivial page (``/healthz``) through django.test.Client. Searches keep their counts and
pages in a per-process cache for a short time (tsunagu.directory.search.cache, CACHE_SECONDS):
the repeated runs of each case find it there, so the headline figures mix computed and
cached searches as a user paging or refining would; ``*_uncached`` lines give the same
cases with the cache emptied before each (the cost of a new query), ``*_cached`` lines
the cached ones. The p95 target is checked on both the headline and the uncached p95
(a new search must meet it without the cache); the HTTP ratio on the headline. Large
results are counted over in-process columns of the entries (search.columns), read per
index version in the background: the warm-up waits for them, and
``search_first_after_index_write`` / ``columns_read`` show what an edit costs.

Usage: python bench/directory_search.py [--sqlite] [--postgres] [--resources N]
       [--organisations N] [--repeat N] [--keep]
       python bench/directory_search.py --existing DATABASE_URL   (measure again only)
By default both databases (PostgreSQL when reachable at TSUNAGU_BENCH_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432/tsunagu_bench). About 8-9 minutes here, most
of it building: indexing runs in one process, analysing each distinct phrase once.

Targets: search p95 <= 35 ms (issue 18; 50 ms in issue 3); HTTP search median <= 3 x the
trivial page (issue 3).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import cpu_model

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/tsunagu_bench"
SEARCH_P95_TARGET_MS = 35.0  # issue 18 (issue 3 asked for 50 ms)
HTTP_RATIO_TARGET = 3.0

# Typical queries of 1–4 characters (as typed: some in kana, some with 表記ゆれ).
QUERIES = [
    "見",
    "移動",
    "見守",
    "配食",
    "買物",
    "ゴミ",
    "ごみ",
    "送迎",
    "体操",
    "相談",
    "サロン",
    "買い物",
    "みまもり",
    "申込",
    "カフェ",
    "防災",
]
FILTERED_QUERIES = ["", "移動", "見守", "配食", "買物", "サロン"]

# --- synthetic vocabulary -----------------------------------------------------------------

PLACES = [
    "上町", "下町", "中央", "本町", "東区", "西区", "南区", "北区", "川端", "山手", "浜町",
    "新町", "旭町", "緑ヶ丘", "桜台", "宮前", "大橋", "小松", "高田", "松原", "竹下", "梅園",
    "若葉", "青葉", "栄町", "寿町", "幸町", "春日", "日吉", "港町", "城山", "花園", "富士見",
    "大川", "小川", "石原", "今村", "柳町", "吉野", "弥生", "直川", "採銅所", "宮田", "平和",
    "昭和", "大手", "錦町", "泉町", "朝日", "明星", "長浜", "鶴見", "亀川", "鷹取", "野田",
    "稲荷", "神田", "元町", "住吉", "千代",
]  # fmt: skip
CATEGORY_WORDS = {
    "watching": ["見守り", "みまもり", "見守", "安否確認", "声かけ"],
    "emergency-alarm": ["緊急通報装置", "緊急通報システム"],
    "garbage": ["ゴミ出し支援", "ごみ出し支援", "ゴミ出し", "ごみ出し"],
    "shopping": ["買い物支援", "買物支援", "買い物代行", "移動販売", "ｶｲﾓﾉ支援"],
    "housework": ["家事援助", "家事支援", "生活援助"],
    "meals": ["配食", "配食サービス", "食事の宅配", "お弁当配達"],
    "mobility": ["移動支援", "送迎", "外出支援"],
    "escort": ["付き添い", "付添い", "通院付き添い"],
    "community-bus": ["デマンドバス", "コミュニティバス", "乗合タクシー"],
    "gathering": ["通いの場", "サロン", "ふれあいサロン", "いきいきサロン", "居場所"],
    "exercise": ["体操教室", "介護予防教室", "百歳体操", "健康体操"],
    "dementia-cafe": ["認知症カフェ", "オレンジカフェ", "認知症の人と家族の会"],
    "health-consultation": ["健康相談", "保健相談", "血圧測定会"],
    "consultation-desk": ["相談窓口", "よろず相談", "福祉相談"],
    "outreach-lecture": ["出前講座", "出前教室"],
    "disaster": ["防災", "避難支援", "防災訓練"],
    "volunteer-training": ["担い手養成講座", "運転ボランティア養成講座", "介助講習"],
}
ACTIVITY_WORDS = [
    "活動", "サービス", "事業", "の会", "隊", "ネットワーク", "教室", "広場", "便",
    "支援隊", "クラブ", "プロジェクト", "ステーション", "協力隊", "たすけあい",
]  # fmt: skip
ORG_WORDS = [
    ("自治会", "neighbourhood_association"),
    ("町内会", "neighbourhood_association"),
    ("老人クラブ", "senior_club"),
    ("地域コミュニティ協議会", "community_council"),
    ("校区コミュニティ協議会", "community_council"),
    ("ボランティアの会", "volunteer_group"),
    ("たすけあいの会", "volunteer_group"),
    ("見守り隊", "volunteer_group"),
    ("サロン運営委員会", "volunteer_group"),
    ("公民館", "community_centre"),
    ("郵便局", "post_office"),
    ("商店会", "company"),
    ("スーパー", "company"),
    ("タクシー", "company"),
    ("デイサービスセンター", "care_provider"),
    ("訪問介護事業所", "care_provider"),
    ("クリニック", "medical_institution"),
    ("NPO法人 ささえあい", "npo"),
    ("社会福祉法人 ひまわり会", "social_welfare_corporation"),
    ("生活協同組合", "cooperative"),
    ("民生委員児童委員協議会", "welfare_commissioner"),
    ("地域包括支援センター", "community_care_center"),
]
TARGETS = [
    "一人暮らしの高齢者",
    "ひとり暮らしの高齢者",
    "高齢者のみの世帯",
    "要支援の方",
    "事業対象者",
    "介護が必要な方",
    "地域の皆さん",
    "65歳以上の方",
]
# Descriptions: one or two sentences about the category (with 表記ゆれ), one or two
# general ones (place, schedule, cost, how to apply), as resource lists are written.
CATEGORY_SENTENCES = {
    "watching": [
        "{target}のお宅を定期的に訪問し、安否を確認します。",
        "見守りを兼ねて、ボランティアが声をかけます。",
        "みまもり活動の担い手を募集しています。",
    ],
    "emergency-alarm": [
        "{target}の自宅に緊急通報装置を設置します。",
        "ボタンを押すと受信センターにつながります。",
    ],
    "garbage": [
        "ゴミ出しや電球交換など、ちょっとした困りごとを手伝います。",
        "ごみの分別が難しい方にも対応します。",
        "集積所までごみを運びます。",
    ],
    "shopping": [
        "スーパーへの買物に付き添います。",
        "買い物が難しい{target}のために移動販売車が回ります。",
        "日用品の買物を代行します。",
    ],
    "housework": ["掃除や洗濯などの家事を手伝います。", "調理の支援も行います。"],
    "meals": [
        "{target}に昼食のお弁当を届けます。",
        "配食の際に安否も確認します。",
        "栄養バランスに配慮した食事を宅配します。",
    ],
    "mobility": [
        "通院や買い物の移動を支援します。",
        "自宅から病院まで送迎します。",
        "運転ボランティアが外出を支えます。",
    ],
    "escort": ["通院時の付き添いを行います。", "病院での受付や会計も付添いします。"],
    "community-bus": [
        "予約制のデマンドバスが{place}を回ります。",
        "コミュニティバスの停留所が近くにあります。",
    ],
    "gathering": [
        "誰でも気軽に立ち寄れる通いの場です。",
        "お茶を飲みながらおしゃべりを楽しむサロンです。",
        "サービスC修了後の受皿にもなっています。",
        "ｻﾛﾝは誰でも参加できます。",
    ],
    "exercise": [
        "介護予防のための体操を行います。",
        "百歳体操で足腰を鍛えます。",
        "受け皿づくりとして体操教室を始めました。",
    ],
    "dementia-cafe": ["認知症の方と家族が集うカフェです。", "専門職に気軽に相談できます。"],
    "health-consultation": ["保健師による健康相談を行います。", "血圧測定もできます。"],
    "consultation-desk": ["暮らしの困りごとの相談窓口です。", "電話での相談も受け付けます。"],
    "outreach-lecture": [
        "地域に出向いて出前講座を開きます。",
        "介護保険の仕組みを説明します。",
    ],
    "disaster": ["避難行動要支援者の避難を支援します。", "地区の防災訓練を行います。"],
    "volunteer-training": [
        "運転ボランティア養成講座を開きます。",
        "介助講習を修了した方が活動しています。",
    ],
}
GENERAL_SENTENCES = [
    "{place}地区の{target}が対象です。",
    "申込は{org}まで電話でどうぞ。",
    "申し込みは前日までに{org}へ。",
    "毎週{day}曜日の午前中に実施しています。",
    "第2{day}曜日の午後に開催します。",
    "利用料は無料です。",
    "1回100円（茶菓子代）です。",
    "実費（燃料代）のみいただきます。",
    "{place}公民館で開催します。",
    "社会福祉協議会の補助金を受けています。",
    "総合事業の訪問型サービスBとして実施しています。",
    "見学も歓迎します。",
    "ひとり暮らしの方もお気軽にどうぞ。",
]
ORGANISATION_SENTENCES = [
    "{place}地区で活動しています。",
    "地域の{target}を支える活動をしています。",
    "会員は約{n}名です。",
    "担い手の高齢化が課題です。",
    "月に一度、役員会を開いています。",
]
DAYS = "月火水木金土日"


def _synthetic_rng(seed: int = 20250514) -> random.Random:
    return random.Random(seed)


def _fill(rng: random.Random, sentence: str, place: str, org: str) -> str:
    return sentence.format(
        place=place,
        target=rng.choice(TARGETS),
        org=org,
        day=rng.choice(DAYS),
        n=rng.randint(10, 200),
    )


def _description(rng: random.Random, place: str, code: str, org: str) -> str:
    own = CATEGORY_SENTENCES[code]
    picked = rng.sample(own, min(len(own), rng.randint(1, 2)))
    picked += rng.sample(GENERAL_SENTENCES, rng.randint(1, 2))
    return "".join(_fill(rng, sentence, place, org) for sentence in picked)


def _organisation_description(rng: random.Random, place: str) -> str:
    picked = rng.sample(ORGANISATION_SENTENCES, 2)
    return "".join(_fill(rng, sentence, place, "") for sentence in picked)


# --- machine -----------------------------------------------------------------------------


def _postgres_reachable(url: str) -> str | None:
    """PostgreSQL server version when reachable, else None."""
    try:
        import psycopg

        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


# --- child: one database -----------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _line(name: str, value: Any, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.1f}"
    print(f"{name} = {value} {unit}".rstrip(), flush=True)


def _setup_django(url: str, data_dir: str) -> None:
    os.environ["TSUNAGU_DATABASE_URL"] = url
    os.environ["TSUNAGU_DATA_DIR"] = data_dir
    os.environ.pop("TSUNAGU_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def _build(n_resources: int, n_organisations: int, prefix: str) -> dict[str, Any]:
    """Synthetic areas, organisations and resources (bulk), spread over 50 municipalities."""
    from django.db import transaction

    from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture
    from tsunagu.core.codes import check_digit
    from tsunagu.directory.models import (
        Category,
        Eligibility,
        Organisation,
        Resource,
        Visibility,
        WeeklySlot,
    )

    rng = _synthetic_rng()
    started = time.perf_counter()
    with transaction.atomic():
        municipalities = list(Municipality.objects.all())
        prefectures = list(Prefecture.objects.all())
        used = {m.code for m in municipalities}
        serial = 900
        while len(municipalities) < 50:
            prefecture = prefectures[len(municipalities) % len(prefectures)]
            head = f"{prefecture.code[:2]}{serial:03d}"
            serial += 1
            code = f"{head}{check_digit(head)}"
            if code in used:
                continue
            used.add(code)
            municipalities.append(
                Municipality.objects.create(
                    prefecture=prefecture, code=code, name=f"合成{serial - 900:02d}町"
                )
            )
        areas: dict[int, tuple[list[Any], list[Any]]] = {}
        for municipality in municipalities:
            # the demo's own areas stay; synthetic ones are added where the name is free
            have_dla = set(municipality.daily_life_areas.values_list("name", flat=True))
            DailyLifeArea.objects.bulk_create(
                [
                    DailyLifeArea(municipality=municipality, name=name)
                    for name in (f"{prefix}第{i}圏域" for i in range(1, 4))
                    if name not in have_dla
                ]
            )
            dlas = list(DailyLifeArea.objects.filter(municipality=municipality).order_by("pk"))
            have_district = set(municipality.districts.values_list("name", flat=True))
            District.objects.bulk_create(
                [
                    District(
                        municipality=municipality,
                        name=f"{prefix}{PLACES[i]}地区",
                        daily_life_area=dlas[i % len(dlas)],
                    )
                    for i in range(10)
                    if f"{prefix}{PLACES[i]}地区" not in have_district
                ]
            )
            districts = list(District.objects.filter(municipality=municipality).order_by("pk"))
            areas[municipality.pk] = (dlas, districts)

        categories = {c.code: c for c in Category.objects.all()}
        eligibility = list(Eligibility.objects.all())
        visibilities = [Visibility.PUBLIC] * 6 + [Visibility.PARTNERS] * 3 + [Visibility.INTERNAL]

        organisations: list[Organisation] = []
        per_municipality = max(1, n_organisations // len(municipalities))
        existing = set(Organisation.objects.values_list("municipality_id", "name"))
        first_new_org = (
            Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        for municipality in municipalities:
            combos = [
                (p, w)
                for p in PLACES
                for w in ORG_WORDS
                if (municipality.pk, f"{p}{w[0]}") not in existing
            ]
            rng.shuffle(combos)
            for place, (word, org_type) in combos[:per_municipality]:
                organisations.append(
                    Organisation(
                        name=f"{place}{word}",
                        org_type=org_type,
                        municipality=municipality,
                        description=_organisation_description(rng, place),
                        serves_whole_municipality=rng.random() < 0.1,
                        visibility=rng.choice(visibilities),
                    )
                )
        organisations = Organisation.objects.bulk_create(organisations, batch_size=2000)
        org_ids = list(
            Organisation.objects.filter(pk__gt=first_new_org).values_list("pk", "municipality_id")
        )
        orgs_of: dict[int, list[int]] = {}
        for pk, municipality_id in org_ids:
            orgs_of.setdefault(municipality_id, []).append(pk)
        org_area_rows = []
        for pk, municipality_id in org_ids:
            _, districts = areas[municipality_id]
            org_area_rows.append(
                Organisation.districts.through(
                    organisation_id=pk, district_id=rng.choice(districts).pk
                )
            )
        Organisation.districts.through.objects.bulk_create(org_area_rows, batch_size=5000)

        resources: list[Resource] = []
        first_new_resource = (
            Resource.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        codes = list(CATEGORY_WORDS)
        for i in range(n_resources):
            municipality = municipalities[i % len(municipalities)]
            code = rng.choice(codes)
            word = rng.choice(CATEGORY_WORDS[code])
            place = rng.choice(PLACES)
            activity = rng.choice(ACTIVITY_WORDS)
            provider_id = rng.choice(orgs_of[municipality.pk])
            resources.append(
                Resource(
                    name=f"{place}{word}{activity}",
                    provider_id=provider_id,
                    category=categories[code],
                    municipality=municipality,
                    description=_description(rng, place, code, "事務局"),
                    serves_whole_municipality=rng.random() < 0.15,
                    visibility=rng.choice(visibilities),
                    cost_note=rng.choice(["無料", "1回100円", "実費", ""]),
                )
            )
        Resource.objects.bulk_create(resources, batch_size=2000)
        resource_rows = list(
            Resource.objects.filter(pk__gt=first_new_resource).values_list("pk", "municipality_id")
        )
        elig_rows, district_rows, slot_rows = [], [], []
        for pk, municipality_id in resource_rows:
            for e in rng.sample(eligibility, rng.randint(0, 2)):
                elig_rows.append(Resource.eligibility.through(resource_id=pk, eligibility_id=e.pk))
            _, districts = areas[municipality_id]
            for d in rng.sample(districts, rng.randint(0, 2)):
                district_rows.append(Resource.districts.through(resource_id=pk, district_id=d.pk))
            for day in rng.sample(range(7), rng.randint(0, 2)):
                slot_rows.append(WeeklySlot(resource_id=pk, weekday=day))
        Resource.eligibility.through.objects.bulk_create(elig_rows, batch_size=5000)
        Resource.districts.through.objects.bulk_create(district_rows, batch_size=5000)
        WeeklySlot.objects.bulk_create(slot_rows, batch_size=5000)
    return {
        "seconds": time.perf_counter() - started,
        "organisations": Organisation.objects.count(),
        "resources": Resource.objects.count(),
    }


def _run_child(backend: str, url: str, args: argparse.Namespace, result_path: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="tsunagu-search-bench-")
    if backend == "sqlite":
        url = f"sqlite:///{data_dir}/bench.sqlite3"
    _setup_django(url, data_dir)
    if args.keep and backend == "sqlite":
        print(f"(database kept: {url})", flush=True)
    from django.core.management import call_command
    from django.db import connection

    from tsunagu.demo.loader import load_demo

    out: dict[str, Any] = {"backend": backend}
    p = backend
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo()
    _line(f"{p}.setup_migrate_and_demo", time.perf_counter() - t0, "s")

    built = _build(args.resources, args.organisations, prefix="")
    _line(f"{p}.rows_organisations", built["organisations"], "rows")
    _line(f"{p}.rows_resources", built["resources"], "rows")
    _line(f"{p}.build_rows_bulk_create", built["seconds"], "s")

    from tsunagu.directory.search.index import rebuild_index

    t0, c0 = time.perf_counter(), time.process_time()
    count = rebuild_index()
    _line(f"{p}.index_entries", count, "rows")
    _line(f"{p}.index_rebuild", time.perf_counter() - t0, "s")
    _line(f"{p}.index_rebuild_cpu_this_process", time.process_time() - c0, "s")
    _measure(p, args, out)
    out["vendor"] = connection.vendor
    Path(result_path).write_text(json.dumps(out))
    if not (args.keep and backend == "sqlite"):
        shutil.rmtree(data_dir, ignore_errors=True)


def _measure(p: str, args: argparse.Namespace, out: dict[str, Any]) -> None:
    """Time search() and the HTTP pages on the database Django is set up with."""
    from django.contrib.auth import get_user_model

    from tsunagu.areas.models import District, Municipality
    from tsunagu.directory.models import Category, Eligibility
    from tsunagu.directory.search.filters import SearchFilters
    from tsunagu.directory.search.query import search

    user = get_user_model().objects.get(username="kawara")  # 香春町 municipality staff
    kawara = Municipality.objects.get(code="406015")
    district = District.objects.filter(municipality=kawara).order_by("pk").first()
    filter_sets = {
        "district": SearchFilters(area=("district", district.pk)),
        "category": SearchFilters(categories=[Category.objects.get(code="daily-life").pk]),
        "weekday+eligibility": SearchFilters(
            weekdays=[2], eligibility=[Eligibility.objects.get(code="age-65").pk]
        ),
        "municipality+org_type": SearchFilters(
            area=("municipality", kawara.pk), org_types=["volunteer_group", "community_council"]
        ),
    }

    from tsunagu.directory.search import cache as search_cache

    cpu_times: list[float] = []

    from tsunagu.directory.views import search as search_views

    def uncached() -> None:
        """Forget this process's cached search results and rendered result items (the
        next search computes them; the entries' columns stay, as in a running server)."""
        search_cache._results.clear()
        search_views._hit_items.clear()

    def timed(
        query: str, filters: Any, public: bool = False, cold: bool = False
    ) -> tuple[float, int]:
        if cold:
            uncached()
        started, cpu = time.perf_counter(), time.process_time()
        result = search(
            user=None if public else user, query=query, filters=filters, public_only=public
        )
        elapsed = time.perf_counter() - started
        cpu_times.append(time.process_time() - cpu)
        return elapsed, result.total

    from tsunagu.directory.search import columns as search_columns

    timed("見守", None)  # warm up the tokenizer and the caches
    # ... and the in-process columns of the entries, which a large search starts reading
    # in the background (meanwhile the SQL path answers): a running server has them
    search_columns.settle()
    all_times: list[float] = []
    per_query: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    cases = [(q, "none", None) for q in QUERIES]
    for name, filters in filter_sets.items():
        cases.extend((q, name, filters) for q in FILTERED_QUERIES)
    for _ in range(args.repeat):
        for query, name, filters in cases:
            elapsed, total = timed(query, filters)
            key = f"q={query or '(empty)'} filter={name}"
            per_query.setdefault(key, []).append(elapsed)
            totals[key] = total
            if query:  # the target is for typed queries; the empty one is reported apart
                all_times.append(elapsed)
    # Each case once more without the cache, and once more from it: the figures above
    # mix both (the first run of a case in a process computes, the repeats find it
    # cached for CACHE_SECONDS unless the index changed).
    cold_times: list[float] = []
    cold_cpu: list[float] = []
    warm_times: list[float] = []
    cold_by_key: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for query, name, filters in cases:
            if not query:
                continue
            before = len(cpu_times)
            elapsed, _ = timed(query, filters, cold=True)
            cold_times.append(elapsed)
            cold_cpu.append(cpu_times[before])
            cold_by_key.setdefault(f"q={query} filter={name}", []).append(elapsed)
            warm_times.append(timed(query, filters)[0])
    for key, times in per_query.items():
        cold = cold_by_key.get(key)
        _line(
            f"{p}.search[{key}] hits={totals[key]} median",
            _ms(statistics.median(times)),
            "ms" + (f" (uncached {_ms(statistics.median(cold)):.1f} ms)" if cold else ""),
        )
    # After an index write the columns are those of an old version: the next large
    # searches are answered by the SQL path while the columns are read again in the
    # background (once per process and version). Reported apart from the target.
    from django.db import connection

    after_write: list[float] = []
    column_reads: list[float] = []
    for _ in range(args.repeat):
        for query in ("見", "相談", ""):
            search_cache._changed()  # as every index write does
            after_write.append(timed(query, None)[0])
            search_columns.settle()
        started = time.perf_counter()
        search_columns._read(("bench",), connection)
        column_reads.append(time.perf_counter() - started)
    public_times = [timed(q, None, public=True)[0] for _ in range(args.repeat) for q in QUERIES]
    median = _ms(statistics.median(all_times))
    p95 = _ms(_percentile(all_times, 0.95))
    _line(f"{p}.search_median", median, "ms")
    _line(f"{p}.search_p95", p95, "ms")
    _line(f"{p}.search_max", _ms(max(all_times)), "ms")
    # CPU time of this process (the SQLite engine runs in it; PostgreSQL's server does
    # not): with other work on the machine, wall time can be several times this.
    _line(f"{p}.search_cpu_median", _ms(statistics.median(cpu_times)), "ms")
    _line(f"{p}.search_cpu_p95", _ms(_percentile(cpu_times, 0.95)), "ms")
    _line(f"{p}.search_public_median", _ms(statistics.median(public_times)), "ms")
    _line(f"{p}.search_public_p95", _ms(_percentile(public_times, 0.95)), "ms")
    _line(f"{p}.search_uncached_median", _ms(statistics.median(cold_times)), "ms")
    _line(f"{p}.search_uncached_p95", _ms(_percentile(cold_times, 0.95)), "ms")
    _line(f"{p}.search_uncached_cpu_median", _ms(statistics.median(cold_cpu)), "ms")
    _line(f"{p}.search_uncached_cpu_p95", _ms(_percentile(cold_cpu, 0.95)), "ms")
    _line(f"{p}.search_cached_median", _ms(statistics.median(warm_times)), "ms")
    _line(f"{p}.search_first_after_index_write_median", _ms(statistics.median(after_write)), "ms")
    _line(f"{p}.search_first_after_index_write_max", _ms(max(after_write)), "ms")
    _line(
        f"{p}.columns_read_median", _ms(statistics.median(column_reads)), "ms (in the background)"
    )
    _line(f"{p}.search_cached_p95", _ms(_percentile(warm_times, 0.95)), "ms")
    out["search_p95_ms"] = p95
    out["search_uncached_p95_ms"] = _ms(_percentile(cold_times, 0.95))

    # Full HTTP requests through the middleware, the view and the template.
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()  # lets the client see the template context (checked below)
    client = Client()
    client.force_login(user)
    from tsunagu.directory.search.results import SearchResult

    def http(path: str, cold: bool = False) -> tuple[float, Any]:
        if cold:
            uncached()
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}, not a page to measure")
        return elapsed, response

    pages = {"directory": "/directory/?q={q}", "public": "/public/?q={q}"}
    searched: dict[str, bool] = {}
    for name, pattern in pages.items():
        # Measured only when the page renders a SearchResult (the pages belong to the
        # directory UI, built separately): otherwise the figure would not be a search.
        _, response = http(pattern.format(q="見守"))
        contexts = response.context or []
        if not isinstance(contexts, list):
            contexts = [contexts]
        searched[name] = response.status_code == 200 and any(
            isinstance(value, SearchResult)
            for context in contexts
            for layer in getattr(context, "dicts", [context])
            for value in layer.values()
        )
    # The test environment's template instrumentation copies the context at every
    # template rendered (the check above needed it): not part of a real request.
    teardown_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the client's host
    trivial = [http("/healthz")[0] for _ in range(max(20, args.repeat * 4))]
    trivial_median = _ms(statistics.median(trivial))
    _line(f"{p}.http_trivial_healthz_median", trivial_median, "ms")
    out["http_ratio"] = None
    for name, pattern in pages.items():
        if not searched[name]:
            _line(f"{p}.http_search_{name}", "not measured (the page does not call search() yet)")
            continue
        times = [http(pattern.format(q=q))[0] for _ in range(args.repeat) for q in QUERIES[:8]]
        median_ms = _ms(statistics.median(times))
        ratio = median_ms / trivial_median
        _line(f"{p}.http_search_{name}_median", median_ms, "ms")
        _line(f"{p}.http_search_{name}_vs_trivial", f"{ratio:.2f}", "x")
        times = [
            http(pattern.format(q=q), cold=True)[0] for _ in range(args.repeat) for q in QUERIES[:8]
        ]
        cold_ms = _ms(statistics.median(times))
        _line(f"{p}.http_search_{name}_uncached_median", cold_ms, "ms")
        _line(f"{p}.http_search_{name}_uncached_vs_trivial", f"{cold_ms / trivial_median:.2f}", "x")
        if out["http_ratio"] is None:
            out["http_ratio"] = ratio


# --- parent --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite only (unless --postgres)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL only (unless --sqlite)")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument(
        "--keep", action="store_true", help="keep the SQLite file (its path is printed)"
    )
    parser.add_argument(
        "--existing",
        metavar="DATABASE_URL",
        help="only measure a database this script built before (kept with --keep)",
    )
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pg_url = os.environ.get("TSUNAGU_BENCH_POSTGRES_URL", DEFAULT_PG)

    if args.child:
        _run_child(args.child, pg_url, args, args.result)
        return 0
    if args.existing:
        data_dir = tempfile.mkdtemp(prefix="tsunagu-search-bench-")
        _setup_django(args.existing, data_dir)
        from django.db import connection

        out: dict[str, Any] = {}
        _measure(connection.vendor, args, out)
        shutil.rmtree(data_dir, ignore_errors=True)
        print(f"(existing database; p95 {out['search_p95_ms']:.1f} ms)")
        return 0

    pg_version = _postgres_reachable(pg_url)
    backends = []
    if args.sqlite or not args.postgres:
        backends.append("sqlite")
    if args.postgres or not args.sqlite:
        if pg_version:
            backends.append("postgresql")
        elif args.postgres:
            print(f"FAIL: PostgreSQL not reachable at {pg_url}")
            return 1

    print(f"cpu = {cpu_model()}")
    print(f"cores = {os.cpu_count()}")
    print(f"load_average_1min_at_start = {os.getloadavg()[0]:.2f}")
    print(f"python = {platform.python_version()}")
    print(f"sqlite = {sqlite3.sqlite_version}")
    print(f"postgresql = {pg_version or 'not reachable'}")
    print(f"data = {args.resources} resources, {args.organisations} organisations", flush=True)

    failures: list[str] = []
    started = time.perf_counter()
    for backend in backends:
        if backend == "postgresql":
            _recreate_postgres(pg_url)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            result_path = handle.name
        command = [
            sys.executable,
            __file__,
            "--child",
            backend,
            "--result",
            result_path,
            "--resources",
            str(args.resources),
            "--organisations",
            str(args.organisations),
            "--repeat",
            str(args.repeat),
            *(["--keep"] if args.keep else []),
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        completed = subprocess.run(command, env=env, cwd=ROOT, check=False)
        if completed.returncode != 0:
            failures.append(f"{backend} run failed (exit {completed.returncode})")
            continue
        result = json.loads(Path(result_path).read_text())
        if result["search_p95_ms"] > SEARCH_P95_TARGET_MS:
            failures.append(
                f"{backend} search p95 {result['search_p95_ms']:.1f} ms > {SEARCH_P95_TARGET_MS} ms"
            )
        # The same target for searches nobody made in the last CACHE_SECONDS: the cache
        # must not be what meets it.
        if result["search_uncached_p95_ms"] > SEARCH_P95_TARGET_MS:
            failures.append(
                f"{backend} search p95 of new searches (not cached) "
                f"{result['search_uncached_p95_ms']:.1f} ms > {SEARCH_P95_TARGET_MS} ms"
            )
        if result["http_ratio"] is not None and result["http_ratio"] > HTTP_RATIO_TARGET:
            failures.append(
                f"{backend} HTTP search {result['http_ratio']:.2f}x trivial > {HTTP_RATIO_TARGET}x"
            )
    print(f"bench_total = {time.perf_counter() - started:.0f} s")
    print(f"load_average_1min_at_end = {os.getloadavg()[0]:.2f}")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
