"""Django settings, read from environment variables (see README "設定 / Configuration").

Defaults are safe for the one-command demo (embedded SQLite under ``./var/``).
``TSUNAGU_ENV=production`` turns on the deployment guards: the process refuses to
start on the development secret key or with DEBUG on.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tsunagu.mobility.scheduling.limits import day_plan_seconds_from_env
from tsunagu.transit.walking import walking_speed_from_env

BASE_DIR = Path(__file__).resolve().parent
# The documented modes; anything else (a typo such as "prod") is refused, not run as development.
ENVIRONMENTS = ("development", "production")
ENV = (os.environ.get("TSUNAGU_ENV") or "development").strip().lower() or "development"
if ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"TSUNAGU_ENV={ENV!r} は使えません。development か production を指定してください。"
        f" / TSUNAGU_ENV={ENV!r} is unknown: use development or production."
    )
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("TSUNAGU_DATA_DIR", "var")).resolve()

# Only for development and tests; production refuses it (see the guard below).
DEVELOPMENT_SECRET_KEY = "tsunagu-development-key-not-for-production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


SECRET_KEY = os.environ.get("TSUNAGU_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = _env_bool("TSUNAGU_DEBUG", default=False)

# Keys published somewhere (this file, Django's docs and project template): never secret.
KNOWN_SECRET_KEYS = frozenset({DEVELOPMENT_SECRET_KEY, "change-me", "changeme", "secret"})


def weak_secret_key(key: str) -> bool:
    """Django's ``check --deploy`` rule (W009): 50+ characters, 5+ distinct, not a known key."""
    return (
        key in KNOWN_SECRET_KEYS
        or key.startswith("django-insecure-")
        or len(key) < 50
        or len(set(key)) < 5
    )


if PRODUCTION:
    if weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "TSUNAGU_ENV=production では TSUNAGU_SECRET_KEY（50文字以上で5種類以上の文字を含む"
            "ランダムな文字列。既定値・例示の値は不可）が必要です。"
            ' 例: python -c "import secrets; print(secrets.token_urlsafe(64))"'
            " / TSUNAGU_SECRET_KEY must be a random string of 50+ characters with 5+ distinct"
            " characters, not a default or example key, in production."
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "TSUNAGU_ENV=production では TSUNAGU_DEBUG を有効にできません。"
            " / TSUNAGU_DEBUG must be off in production."
        )

ALLOWED_HOSTS = _env_list("TSUNAGU_ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "TSUNAGU_ENV=production では TSUNAGU_ALLOWED_HOSTS（カンマ区切りのホスト名）が必要です。"
        " / TSUNAGU_ALLOWED_HOSTS is required in production."
    )
# "*" accepts any Host header and ".example.jp" any subdomain: both are refused.
if PRODUCTION and any("*" in host or host.startswith(".") for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "TSUNAGU_ENV=production では TSUNAGU_ALLOWED_HOSTS にワイルドカード（* や .example.jp）を使えません。"
        "このサーバーのホスト名をカンマ区切りで指定してください。"
        " / TSUNAGU_ALLOWED_HOSTS must not contain a wildcard (* or .example.jp) in production:"
        " list the server's host names."
    )
CSRF_TRUSTED_ORIGINS = _env_list("TSUNAGU_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "simple_history",
    "axes",
    "tsunagu.core",
    "tsunagu.accounts",
    "tsunagu.areas",
    "tsunagu.directory",
    "tsunagu.bodies",
    "tsunagu.regional_issues",
    "tsunagu.engagements",
    "tsunagu.transit",
    "tsunagu.continuity",
    "tsunagu.care",
    "tsunagu.programs",
    "tsunagu.mobility",
    "tsunagu.plans",
    "tsunagu.dashboard",
    "tsunagu.demo",
]

MIDDLEWARE = [
    # First: times and logs every request, whatever the others answer (docs/operations.md).
    "tsunagu.core.operations.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tsunagu.core.security.ContentSecurityPolicyMiddleware",
    "tsunagu.core.security.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tsunagu.accounts.middleware.UserLanguageMiddleware",
    "tsunagu.accounts.middleware.SessionSeenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tsunagu.core.middleware.DomainErrorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires, so that it sees the authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tsunagu.core.context_processors.site",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'tsunagu.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("TSUNAGU_DATABASE_URL") or _default_sqlite, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while it writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

_test_db = os.environ.get("TSUNAGU_TEST_DATABASE_URL")
if _test_db:
    # The test run chooses its database vendor here (see .ci/run).
    DATABASES["default"] = dj_database_url.parse(_test_db)

# A PostgreSQL streaming replica (docs/operations.md "past one machine"): the "replica"
# alias, read only by the reads named in the code as allowed to lag
# (tsunagu.core.operations.databases.using_replica); every write goes to the primary and
# the replica is never migrated (PrimaryRouter). In tests it mirrors the test database.
_replica_url = os.environ.get("TSUNAGU_REPLICA_DATABASE_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tsunagu.core.operations.databases.PrimaryRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("TSUNAGU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the real client's behind a proxy (the same one the API rate limits use),
# so failures from one address never lock the account for another.
AXES_CLIENT_IP_CALLABLE = "tsunagu.core.net.client_ip"
# Password spraying (many usernames from one address): after this many failures from one
# address within the cool-off time, every login from it is refused (accounts.throttling).
AXES_HANDLER = "tsunagu.accounts.throttling.AddressLimitedHandler"
TSUNAGU_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("TSUNAGU_LOGIN_ADDRESS_FAILURE_LIMIT", "20")
)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("英語"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tsunagu_language"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Uploads on S3-compatible object storage (docs/operations.md "past one machine"), shared by
# every app server: TSUNAGU_S3_BUCKET turns it on (django-storages, the "s3" extra). Files
# stay private: links to them are signed and expire (TSUNAGU_S3_URL_SECONDS, default 1 h).
S3_BUCKET = os.environ.get("TSUNAGU_S3_BUCKET", "").strip()
if S3_BUCKET:
    try:
        import storages  # noqa: F401
    except ImportError as missing:
        raise ImproperlyConfigured(
            "TSUNAGU_S3_BUCKET を使うには django-storages と boto3 が必要です:"
            " pip install 'tsunagu[s3]'"
            " / TSUNAGU_S3_BUCKET needs django-storages and boto3: pip install 'tsunagu[s3]'"
        ) from missing
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("TSUNAGU_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("TSUNAGU_S3_REGION", "").strip() or None,
            "access_key": os.environ.get("TSUNAGU_S3_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("TSUNAGU_S3_SECRET_ACCESS_KEY", "").strip() or None,
            "location": os.environ.get("TSUNAGU_S3_PREFIX", "media").strip(),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("TSUNAGU_S3_URL_SECONDS", "3600")),
            "file_overwrite": False,  # two uploads of the same name keep both files
        },
    }
# Serve app static files straight from the package when collectstatic has not run.
WHITENOISE_USE_FINDERS = True

TILE_URL = os.environ.get(
    "TSUNAGU_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
)
TILE_ATTRIBUTION = os.environ.get(
    "TSUNAGU_TILE_ATTRIBUTION",
    '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)
REDIS_URL = os.environ.get("TSUNAGU_REDIS_URL", "")
# Resident records (要配慮個人情報: care levels, checklists, consent). Off unless the
# deployment turns them on; `tsunagu demo` and the tests turn them on. Without them the care
# app works on anonymous and aggregated figures only (docs/adr/0007-resident-records.md).
PERSONAL_RECORDS_ENABLED = _env_bool("TSUNAGU_ENABLE_PERSONAL_RECORDS", default=False)
# Days a resident record is kept after it was closed (転出・死亡・利用終了) before
# `tsunagu care retention` anonymises it. 5 years: the retention the ADR explains.
PERSONAL_RECORDS_RETENTION_DAYS = int(
    os.environ.get("TSUNAGU_PERSONAL_RECORDS_RETENTION_DAYS", str(5 * 365))
)
# Background jobs: days the files of a finished job (an upload kept for 再実行, a result to
# download) are kept in the default storage under jobs/ before the daily cleanup removes them.
TSUNAGU_JOB_RESULT_DAYS = int(os.environ.get("TSUNAGU_JOB_RESULT_DAYS", "30"))
# Referrals (つなぎ): a referral sent and unanswered for this many days reminds its sender and
# the receiving organisation (at most once per this many days) and shows as stalled.
TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = int(os.environ.get("TSUNAGU_REFERRAL_REMIND_AFTER_DAYS", "7"))
# Mobility day plans: the most seconds the solver searches for one day (a small day stops
# sooner, see mobility.rides.planning); lower it on a slow or shared server.
TSUNAGU_DAY_PLAN_SECONDS = day_plan_seconds_from_env()
# Directory search: large results are ranked over in-process columns only outside a
# transaction (one sees its own uncommitted rows); True uses them inside one as well, read
# at once (see directory.search.query._columns_wait). The search tests turn it on per test.
SEARCH_COLUMNS_IN_TRANSACTIONS = False
# Walking speed (m/min) of the gap analysis and the coexistence check; default and reason
# in tsunagu.transit.walking (80 m/min, the 公正競争規約 figure).
WALKING_SPEED_M_PER_MIN = walking_speed_from_env()

# A cache shared by every server process (API rate limits, import progress): Redis when
# configured, else files in the data directory (one machine, any number of processes).
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            # Django's file cache, culled at most once a minute (core/filecache.py)
            "BACKEND": "tsunagu.core.filecache.FileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
        }
    }

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after TSUNAGU_SESSION_HOURS (default 8: a working day) and, when
# TSUNAGU_SESSION_EXPIRE_AT_BROWSER_CLOSE=1, when the browser closes.
SESSION_COOKIE_AGE = int(float(os.environ.get("TSUNAGU_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("TSUNAGU_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# Request bodies: 10 MB of form fields at most; files above 2.5 MB go to a temporary file.
# Uploaded files are limited per form (core.uploads) and .xlsx archives are checked for
# zip bombs before they are opened (core.spreadsheet.check_xlsx_archive).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("TSUNAGU_MAX_FORM_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Any request body (uploads included): 413 above this (core.security, and waitress itself).
TSUNAGU_MAX_UPLOAD_MB = float(os.environ.get("TSUNAGU_MAX_UPLOAD_MB", "100"))
# Content-Security-Policy (core.security): scripts and styles from this site only, never
# inline (tests/core/test_hardening.py keeps the templates so; ADR 0008).
CSP_STRICT_STYLES = True
CSP_REPORT_ONLY = _env_bool("TSUNAGU_CSP_REPORT_ONLY", default=False)

# Behind a reverse proxy that terminates TLS (docs/operator-guide.md): `tsunagu serve`
# trusts X-Forwarded-For/-Proto/-Host only from TSUNAGU_TRUSTED_PROXY (one address, default
# 127.0.0.1), and the app reads the client's address from the TSUNAGU_API_NUM_PROXIES-th
# X-Forwarded-For entry from the right (default 1 behind a proxy). See tsunagu.core.net.
BEHIND_TLS_PROXY = _env_bool("TSUNAGU_BEHIND_TLS_PROXY", default=False)
TRUSTED_PROXY = os.environ.get("TSUNAGU_TRUSTED_PROXY", "").strip() or "127.0.0.1"
TSUNAGU_API_NUM_PROXIES = int(
    os.environ.get("TSUNAGU_API_NUM_PROXIES", "").strip() or (1 if BEHIND_TLS_PROXY else 0)
)
# Pages anyone may open without signing in (landing page, public directory, certified
# bodies): at most this many requests per client address (the real one behind the proxy,
# see above); beyond it a Japanese 429 page with Retry-After. "off" turns it off; signed-in
# users are never limited by it. The API has its own limits (TSUNAGU_API_ANON_RATE, ...).
TSUNAGU_PUBLIC_RATE_LIMIT = os.environ.get("TSUNAGU_PUBLIC_RATE_LIMIT", "").strip() or "120/min"
if TSUNAGU_PUBLIC_RATE_LIMIT.lower() != "off" and not re.fullmatch(
    r"\d+/\d*(s|sec|m|min|h|hour|d|day)", TSUNAGU_PUBLIC_RATE_LIMIT
):
    raise ImproperlyConfigured(
        f"TSUNAGU_PUBLIC_RATE_LIMIT={TSUNAGU_PUBLIC_RATE_LIMIT!r} は回数制限として読めません。"
        "「120/min」（1分あたり120回）のように書くか、制限しない場合は off にしてください。"
        " / TSUNAGU_PUBLIC_RATE_LIMIT must look like 120/min, or be off."
    )
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("TSUNAGU_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]  # probes from this machine
    SECURE_HSTS_SECONDS = int(os.environ.get("TSUNAGU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail (follow-up reminders of accompanying support). Without TSUNAGU_EMAIL_URL the mails
# are printed to the console, which is what the demo wants.
TSUNAGU_BASE_URL = os.environ.get("TSUNAGU_BASE_URL", "").rstrip("/")  # links in mails
DEFAULT_FROM_EMAIL = os.environ.get("TSUNAGU_EMAIL_FROM", "tsunagu@localhost")
_email_url = os.environ.get("TSUNAGU_EMAIL_URL", "")  # smtp://user:pass@host:587?tls=1
if _email_url:
    from urllib.parse import parse_qs, unquote, urlsplit

    _email = urlsplit(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = parse_qs(_email.query).get("tls", ["0"])[0] in ("1", "true")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Logs (docs/operations.md): one line per request (logger tsunagu.requests) with user id,
# method, path without query string, status and duration; TSUNAGU_LOG_FORMAT=json writes
# every line as one JSON object.
LOG_FORMAT = os.environ.get("TSUNAGU_LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(
        f"TSUNAGU_LOG_FORMAT は text か json です（{LOG_FORMAT!r} が指定されています）。"
        " / TSUNAGU_LOG_FORMAT must be text or json."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tsunagu.core.operations.requestlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "loggers": {
        "tsunagu": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "WARNING"},
    },
}
# /metrics (Prometheus text format): from this machine, from these addresses or networks, or
# with "Authorization: Bearer <token>".
METRICS_ALLOWED_IPS = _env_list("TSUNAGU_METRICS_ALLOWED_IPS")
METRICS_TOKEN = os.environ.get("TSUNAGU_METRICS_TOKEN", "")
# Startup check of `tsunagu serve` / `tsunagu migrate`: refuse below this free space (MB) in
# the data directory.
MIN_FREE_DISK_MB = int(os.environ.get("TSUNAGU_MIN_FREE_DISK_MB", "200"))

# --- background jobs (issue 18 item 1, ADR 0010) -------------------------------------------
# django-tasks (the backport of Django 6's django.tasks) with its database backend: the queue
# lives in this project's database (SQLite or PostgreSQL), so no other server is needed and
# workers on other hosts share it. `tsunagu worker` runs a worker; `tsunagu demo` runs one in
# its own process. Tests replace the backend with the immediate one (tests/conftest.py).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TSUNAGU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Seconds a worker sleeps when the queue is empty.
TSUNAGU_WORKER_INTERVAL = float(os.environ.get("TSUNAGU_WORKER_INTERVAL", "1"))
