"""Deployment guards of tsunagu.settings and the ``tsunagu check-data`` command."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tsunagu import cli
from tsunagu.areas.models import StatisticsSnapshot
from tsunagu.settings import DEVELOPMENT_SECRET_KEY

SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tsunagu.settings'; django.setup()"
)
SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture(autouse=True)
def _default_language():
    """In-process commands start in the default language, as a fresh process would."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A clean production environment with a good key and hosts, then ``overrides``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TSUNAGU_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        PYTHONPATH=SRC,
        TSUNAGU_ENV="production",
        TSUNAGU_SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        TSUNAGU_ALLOWED_HOSTS="tsunagu.example.lg.jp",
        TSUNAGU_DATA_DIR=str(tmp_path),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


REFUSALS = {
    "no-key": ({"TSUNAGU_SECRET_KEY": None}, "TSUNAGU_SECRET_KEY"),
    "dev-key": ({"TSUNAGU_SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "TSUNAGU_SECRET_KEY"),
    "short-key": ({"TSUNAGU_SECRET_KEY": "x" * 20}, "TSUNAGU_SECRET_KEY"),
    "debug": ({"TSUNAGU_DEBUG": "1"}, "TSUNAGU_DEBUG"),
    "no-hosts": ({"TSUNAGU_ALLOWED_HOSTS": None}, "TSUNAGU_ALLOWED_HOSTS"),
    "blank-hosts": ({"TSUNAGU_ALLOWED_HOSTS": " , "}, "TSUNAGU_ALLOWED_HOSTS"),
    "any-host": ({"TSUNAGU_ALLOWED_HOSTS": "*"}, "TSUNAGU_ALLOWED_HOSTS"),
    "wildcard-among-hosts": (
        {"TSUNAGU_ALLOWED_HOSTS": "tsunagu.example.lg.jp,*.example.lg.jp"},
        "TSUNAGU_ALLOWED_HOSTS",
    ),
    "any-subdomain": ({"TSUNAGU_ALLOWED_HOSTS": ".example.lg.jp"}, "TSUNAGU_ALLOWED_HOSTS"),
    "fifty-a-key": ({"TSUNAGU_SECRET_KEY": "a" * 50}, "TSUNAGU_SECRET_KEY"),
    "four-characters-key": ({"TSUNAGU_SECRET_KEY": "abcd" * 20}, "TSUNAGU_SECRET_KEY"),
    "django-template-key": (
        {"TSUNAGU_SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(48)},
        "TSUNAGU_SECRET_KEY",
    ),
    "env-typo": ({"TSUNAGU_ENV": "prod"}, "TSUNAGU_ENV"),
    "public-rate-typo": (
        {"TSUNAGU_PUBLIC_RATE_LIMIT": "120 per minute"},
        "TSUNAGU_PUBLIC_RATE_LIMIT",
    ),
    "env-typo-in-development": (
        {"TSUNAGU_ENV": "develop", "TSUNAGU_SECRET_KEY": None, "TSUNAGU_ALLOWED_HOSTS": None},
        "TSUNAGU_ENV",
    ),
}


@pytest.fixture(scope="module")
def process(tmp_path_factory):
    """Start every subprocess of this module at once (they are slow), then hand out results."""
    data_dir = tmp_path_factory.mktemp("data")
    commands = {name: (["-c", SETUP], overrides) for name, (overrides, _) in REFUSALS.items()}
    # `check --deploy` sets Django up in production first: its process also shows that
    # production starts (one process fewer, each one loads every app).
    commands["deploy-check"] = (
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        {"DJANGO_SETTINGS_MODULE": "tsunagu.settings"},
    )
    commands["development"] = (
        ["-c", SETUP],
        {"TSUNAGU_ENV": None, "TSUNAGU_SECRET_KEY": None, "TSUNAGU_ALLOWED_HOSTS": None},
    )
    started = {
        name: subprocess.Popen(
            [sys.executable, *args],
            env=production_env(data_dir, **overrides),
            cwd=data_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, (args, overrides) in commands.items()
    }
    finished: dict[str, subprocess.CompletedProcess] = {}

    def result(name: str) -> subprocess.CompletedProcess:
        if name not in finished:
            child = started[name]
            out, err = child.communicate(timeout=120)
            finished[name] = subprocess.CompletedProcess(child.args, child.returncode, out, err)
        return finished[name]

    yield result
    for child in started.values():
        if child.poll() is None:
            child.kill()
        child.communicate()


@pytest.mark.parametrize("case", REFUSALS)
def test_production_refuses_to_start_with_an_unsafe_setting(process, case):
    result = process(case)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert REFUSALS[case][1] in result.stderr


def test_a_refusal_explains_itself_in_japanese_and_english(process):
    result = process("env-typo")

    assert "TSUNAGU_ENV='prod' は使えません。development か production を指定してください。" in (
        result.stderr
    )
    assert "TSUNAGU_ENV='prod' is unknown: use development or production." in result.stderr


def test_a_weak_key_refusal_says_how_to_make_a_good_one(process):
    result = process("fifty-a-key")

    assert "5種類以上の文字" in result.stderr
    assert "secrets.token_urlsafe(64)" in result.stderr


def test_production_starts_with_a_random_key_and_allowed_hosts(process):
    result = process("deploy-check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ImproperlyConfigured" not in result.stderr


def test_production_passes_the_django_deployment_check_without_warnings(process):
    result = process("deploy-check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_defaults_start_without_any_variable(process):
    result = process("development")

    assert result.returncode == 0, result.stderr


def test_language_is_japanese_and_time_zone_is_tokyo():
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ is True


# ---------------------------------------------------------------------------
# tsunagu check-data
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_data_lists_the_four_inconsistencies_of_the_demo_data(capsys):
    # when
    cli.main(["check-data"])
    lines = capsys.readouterr().out.splitlines()

    # then
    assert lines[-1] == "4 inconsistencies"
    found = [line.split("\t") for line in lines[:-1]]
    assert len(found) == 4
    assert all(len(fields) == 5 for fields in found)
    summary = sorted((area, date, values) for area, date, _what, values, _sources in found)
    assert summary == [
        ("出水市", "2024-10-01", "35.3% / 34.9%"),
        ("出水市", "2024-10-01", "35.3% / 34.9%"),
        ("鹿児島市", "2024-10-01", "591,607 / 591,067"),
        ("鹿児島県", "2024-10-01", "34.4% / 33.4%"),
    ]


@pytest.mark.django_db
def test_check_data_verbose_adds_the_unrounded_computed_rate(capsys):
    cli.main(["check-data", "--verbose"])
    lines = capsys.readouterr().out.splitlines()

    rate_lines = [line.split("\t") for line in lines if "高齢化率" in line]
    assert len(rate_lines) == 3
    [kagoshima_pref] = [fields for fields in rate_lines if fields[0] == "鹿児島県"]
    assert kagoshima_pref[3] == "34.4% / 33.4%"
    assert kagoshima_pref[5].startswith("計算値（端数処理前） 33.396")


@pytest.mark.django_db
def test_check_data_lines_name_the_sources(capsys):
    cli.main(["check-data"])
    lines = capsys.readouterr().out.splitlines()

    [kagoshima] = [line for line in lines if line.startswith("鹿児島市\t")]
    assert "総人口" in kagoshima
    assert "II 情報収集結果 1 ②《鹿児島市》 本文" in kagoshima
    assert "事例表№3 鹿児島市 基本情報" in kagoshima
    assert "report.txt" not in kagoshima
    izumi_sources = {line.split("\t")[4] for line in lines if line.startswith("出水市\t")}
    assert len(izumi_sources) == 2


@pytest.mark.django_db
def test_check_data_with_no_statistics_prints_zero_and_succeeds(capsys):
    StatisticsSnapshot.objects.all().delete()

    code = cli.main(["check-data"])

    assert code == 0
    assert capsys.readouterr().out.splitlines() == ["0 inconsistencies"]


# ---------------------------------------------------------------------------
# Every command of README's Commands table, now added by the apps' plugins
# ---------------------------------------------------------------------------

README = Path(__file__).resolve().parents[1] / "README.md"


def documented_commands() -> list[list[str]]:
    """The sub-command words of each ``tsunagu …`` in README's Commands table."""
    found: list[list[str]] = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `tsunagu "):
            continue
        for snippet in re.findall(r"`tsunagu ([^`]*)`", line.split(" | ")[0]):
            words = []
            for word in snippet.split():
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break
                words.append(word)
            found.append(words)
    return found


def test_readme_documents_the_commands_of_every_app():
    commands = {" ".join(words) for words in documented_commands()}

    assert {
        "demo",
        "serve",
        "migrate",
        "createadmin",
        "load-demo",
        "backup",
        "restore",
        "worker",
        "check-data",
        "hsds export",
        "hsds import",
        "directory import",
        "directory export",
        "directory reindex",
        "case-sheet",
        "engagements send-reminders",
        "mobility import-gtfs",
        "mobility gap",
        "mobility solve-darp",
        "mobility legal-check",
        "checklist score",
        "care retention",
        "plans send-review-reminders",
        "demo-handover",
        "manage",
    } == commands


@pytest.mark.parametrize("words", documented_commands(), ids=" ".join)
def test_every_documented_command_answers_help(words, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main([*words, "--help"])

    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage: tsunagu " + " ".join(words))


def test_help_lists_the_commands_of_every_app_once(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out

    listed = re.search(r"\{([a-z,-]+)\}", out).group(1).split(",")
    assert listed == [
        "demo",
        "serve",
        "migrate",
        "load-demo",
        "backup",
        "restore",
        "worker",
        "createadmin",
        "check-data",
        "hsds",
        "directory",
        "case-sheet",
        "engagements",
        "mobility",
        "checklist",
        "care",
        "plans",
        "demo-handover",
        "manage",
    ]
    assert "移動支援（GTFS、空白分析、配車計画、法令チェック）" in out
