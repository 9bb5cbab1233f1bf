"""Settings shared by every environment; everything deployment-specific comes from the environment."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from hub import languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Problem+json under /api/, Django's page elsewhere.
CSRF_FAILURE_VIEW = "hub.errors.csrf_failure"

# The public base URL used for every absolute link (API, feeds, embeds); never the request's Host.
SITE_BASE_URL = (os.environ.get("SITE_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
# Authority of every feed and calendar id (tag: URIs, RFC 4151). Ids must never change, so
# this is a constant, independent of the host the site is served from.
FEED_ID_AUTHORITY = "ki.en-kreis.de,2020"
WAGTAIL_SITE_NAME = "Kommunales Integrationszentrum Ennepe-Ruhr-Kreis"
# URLs are ASCII (ä → ae, ß → ss: pages/slugs.py), in the admin's slug field and on save.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No admin page sends a hash of the editor's e-mail address to gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

INSTALLED_APPS = [
    "hub",
    "pages",
    "feeds",
    "embeds",
    "webhooks",
    "imports",
    # Translation of pages and directory entries (docs/languages.md); its `locales`
    # replaces `wagtail.locales` for the admin's "Sprachen".
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The reader's language from the URL's prefix alone (`/ar/…`), never from
    # Accept-Language or a cookie: no `Vary`, so every cache stays correct.
    "hub.middleware.PathLanguageMiddleware",
    # Before WhiteNoise, so static files carry CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below CORS, so a partner's browser can read a 429.
    "hub.middleware.RateLimitMiddleware",
    # The content state every process agrees on, read once per request (one row).
    "pages.caching.middleware.ContentStateMiddleware",
    # Surrogate keys for an HTTP cache in front (`HUB_EDGE_BACKEND`), on stored answers too.
    "pages.caching.edge.EdgeTagMiddleware",
    # Cached API and feed answers end here: what runs below is replayed from the cache.
    "pages.caching.middleware.CachedResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's CommonMiddleware without its slash redirect for POST (a 500 in DEBUG).
    "hub.errors.SlashRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hub.middleware.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Below XFrameOptionsMiddleware: exempts embed routes before it runs.
    "hub.middleware.SecurityHeadersMiddleware",
    # Wagtail's redirects, only to pages the public may see.
    "hub.redirects.PublicRedirectMiddleware",
]

# Reverse proxies in front of the app that append to X-Forwarded-For (0: none, use the
# socket address). At most this many entries from the right are read, each only while the
# address it came from lies in HUB_TRUSTED_PROXIES (the proxies' own networks).
HUB_TRUSTED_PROXY_COUNT = int(os.environ.get("HUB_TRUSTED_PROXY_COUNT", "0"))
HUB_TRUSTED_PROXIES = env_list(
    "HUB_TRUSTED_PROXIES",
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
)
# Per-client limit on the API, feeds and embeds (0 requests: no limit).
HUB_RATE_LIMIT_REQUESTS = int(os.environ.get("HUB_RATE_LIMIT_REQUESTS", "600"))
HUB_RATE_LIMIT_WINDOW = int(os.environ.get("HUB_RATE_LIMIT_WINDOW", "60"))
HUB_RATE_LIMITED_PATHS = ("/api/", "/feeds/", "/embed/")
# Password guessing on every login, password and reset form (hub.throttle; 0 failures:
# that limit off). Failures of one user name from one client before both are locked for
# HUB_LOGIN_LOCKOUT_SECONDS; failures from one client for any user names (spraying)
# before the client is; failures of one user name from all clients before each further
# attempt for it waits HUB_LOGIN_USERNAME_DELAY seconds (a slowdown, never a lockout).
# Browsers that signed in as the user (device cookie) are exempt from the latter two.
HUB_LOGIN_MAX_FAILURES = int(os.environ.get("HUB_LOGIN_MAX_FAILURES", "5"))
HUB_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("HUB_LOGIN_LOCKOUT_SECONDS", "900"))
HUB_LOGIN_CLIENT_MAX_FAILURES = int(
    os.environ.get("HUB_LOGIN_CLIENT_MAX_FAILURES", "20")
)
HUB_LOGIN_USERNAME_MAX_FAILURES = int(
    os.environ.get("HUB_LOGIN_USERNAME_MAX_FAILURES", "20")
)
HUB_LOGIN_USERNAME_DELAY = int(os.environ.get("HUB_LOGIN_USERNAME_DELAY", "30"))
HUB_LOGIN_DEVICE_COOKIE_AGE = 180 * 24 * 60 * 60
# Every credential check passes the password-guessing lockout first (hub.throttle).
AUTHENTICATION_BACKENDS = ["hub.throttle.ThrottledModelBackend"]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "pages.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL: readers never wait for a writer and a writer never for readers;
            # NORMAL sync is durable in WAL mode except for the last commits on power
            # loss. mmap: SQLite's own page cache is 2 MB per connection, so large
            # lists would re-read the same pages from the OS on every request.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=268435456",
            # Writers queue for up to this many seconds instead of failing with
            # "database is locked"; IMMEDIATE takes the write lock when a transaction
            # begins, so a reader never has to upgrade (which fails at once, timeout
            # or not) when another process is writing.
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The hub's background work (edge-cache purges, webhooks) goes to the "queue": a table in
# the same database, run by `manage.py run_worker` (hub.tasks; docs/operations.md).
# Wagtail's own tasks (reference and search index) keep running at once, in the request:
# what shows a document or page is read from the reference index right after a save.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# WebSub (feeds.websub): the hub the unfiltered RSS, Atom and JSON feeds name, pinged from
# the queue when they change; empty: off (docs/operations.md).
HUB_WEBSUB_HUB = os.environ.get("HUB_WEBSUB_HUB", "").strip()
if HUB_WEBSUB_HUB and not HUB_WEBSUB_HUB.startswith(("https://", "http://")):
    raise ImproperlyConfigured("HUB_WEBSUB_HUB must be an http(s) URL (or empty).")
HUB_WEBSUB_TIMEOUT = float(os.environ.get("HUB_WEBSUB_TIMEOUT", "5"))
# Requests to addresses editors enter (webhooks; `hub.outbound`) reach only public
# addresses unless this is on (development and tests only: not read from the
# environment, forced off in production).
HUB_OUTBOUND_ALLOW_PRIVATE = False
# Webhook targets must be https unless this is on (development and tests only).
HUB_WEBHOOKS_ALLOW_HTTP = False
# Largest partner calendar the import fetches (imports; docs/calendar-import.md).
HUB_IMPORT_MAX_BYTES = int(os.environ.get("HUB_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))


def cache_config() -> dict:
    """Local memory by default; Redis when `CACHE_URL` or `REDIS_URL` is set."""
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hub",
            # Per process, least recently used out first: at most this many entries of
            # at most HUB_RESPONSE_CACHE_MAX_BYTES each (README "Response cache").
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("HUB_CACHE_MAX_ENTRIES", "1000"))
            },
        }
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL/REDIS_URL must be a redis:// URL.")
    return {
        # Fails open: a Redis outage means uncached responses, not errors.
        "BACKEND": "hub.cache.FailOpenRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "hub",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


EMAIL_URL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}


def email_config(
    default_backend: str = EMAIL_URL_BACKENDS["smtp"],
) -> dict[str, object]:
    """Outgoing mail (workflow notifications) from `EMAIL_URL` or `EMAIL_HOST`/... ."""
    url = os.environ.get("EMAIL_URL")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in EMAIL_URL_BACKENDS:
            raise ImproperlyConfigured(
                "EMAIL_URL must start with smtp://, smtp+tls://, smtps://, console:// "
                "or file://."
            )
        config: dict[str, object] = {"EMAIL_BACKEND": EMAIL_URL_BACKENDS[parts.scheme]}
        if parts.scheme == "file":
            config["EMAIL_FILE_PATH"] = unquote(parts.path)
        elif parts.scheme != "console":
            config.update(
                EMAIL_HOST=parts.hostname or "localhost",
                EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
                EMAIL_HOST_USER=unquote(parts.username or ""),
                EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
                EMAIL_USE_TLS=parts.scheme == "smtp+tls",
                EMAIL_USE_SSL=parts.scheme == "smtps",
            )
        return config
    if not os.environ.get("EMAIL_HOST"):
        return {"EMAIL_BACKEND": default_backend}
    return {
        "EMAIL_BACKEND": EMAIL_URL_BACKENDS["smtp"],
        "EMAIL_HOST": os.environ["EMAIL_HOST"],
        "EMAIL_PORT": int(os.environ.get("EMAIL_PORT", "25")),
        "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS"),
        "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL"),
    }


globals().update(email_config())
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Integrationszentrum <redaktion@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Workflow notifications ("zur Prüfung eingereicht", "freigegeben", "abgelehnt").
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Wagtail 8's autosave is off. It saves in the background and then treats the open form
# as the whole page, but an event's dates are partly made on the server: a series writes
# its dates, a date deleted from a series becomes a cancellation. The open form knows
# neither: after a background save of a new series, the form still held its one empty
# date, marked as saved, and the editor's own save then failed on it. Editors save with
# „Entwurf speichern“; Wagtail's unsaved-changes warning stays on (docs/editing.md).
WAGTAIL_AUTOSAVE_INTERVAL = 0


CACHES = {"default": cache_config()}
# `serve_cached` stores rendered responses unless this is off (the benchmark's cold runs).
HUB_RESPONSE_CACHE = env_bool("HUB_RESPONSE_CACHE", True)
# A larger body is not stored (its validators are, for 304s). With Redis, give the
# server a `maxmemory` and an LFU eviction policy (checked: `pages.caching.checks`).
HUB_RESPONSE_CACHE_MAX_BYTES = int(
    os.environ.get("HUB_RESPONSE_CACHE_MAX_BYTES", str(512 * 1024))
)
# Answered by `CachedResponseMiddleware` before sessions, URL resolving and the view when
# cached: only paths whose answers depend on nothing but path and query string.
HUB_CACHED_RESPONSE_PATHS = ("/api/v1/", "/feeds/")
# How long a partner preview link (`/api/v1/preview/<token>/`, docs/preview.md) works.
HUB_PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("HUB_PREVIEW_TOKEN_MAX_AGE", "3600"))
# Answers made from the code alone (the API's description): they read no content, so
# not the content state either (`ContentStateMiddleware`), and are not stored.
# How long the change log behind /api/v1/changes/ keeps its entries (tombstones
# included); a partner's cursor older than this gets 410 and resyncs.
# The demo content's calendar (pages/demo/loader.py): "upcoming" moves the seed's dates
# by whole weeks into the coming months; "seed" keeps the dates as the office published them.
# How far ahead an open-ended event series lists its dates (pages/series.py).
HUB_SERIES_HORIZON_DAYS = int(os.environ.get("HUB_SERIES_HORIZON_DAYS", "365"))
HUB_DEMO_DATES = os.environ.get("HUB_DEMO_DATES", "upcoming").strip() or "upcoming"
HUB_CHANGES_RETENTION_DAYS = int(os.environ.get("HUB_CHANGES_RETENTION_DAYS", "30"))
HUB_STATELESS_PATHS = ("/api/v1/schema/", "/api/v1/docs/")

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = languages.source().tag
# Every language the hub can speak (hub/languages.py); the office switches them on as
# Wagtail locales (Einstellungen → Sprachen). German pages are unprefixed, the others
# under `/<tag>/` (hub/urls.py).
LANGUAGES = languages.django_languages()
WAGTAIL_CONTENT_LANGUAGES = languages.content_languages()
WAGTAIL_I18N_ENABLED = True
# Machine translation (docs/languages.md): DeepL fills a draft translation for an editor
# to review, only with an account key (a free key ends in ":fx" and is sent to
# api-free.deepl.com). Without one, wagtail-localize offers no machine translation.
HUB_DEEPL_API_KEY = os.environ.get("HUB_DEEPL_API_KEY", "").strip()
if HUB_DEEPL_API_KEY:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "hub.machine_translation.HubDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": HUB_DEEPL_API_KEY, "FORMALITY": "prefer_more"},
    }
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
# Fixed wording readers see (templates, feeds, embeds); msgids are the German text.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
# Dates in the admin are entered and shown the German way, whatever the editor's admin
# language: model forms parse them strictly (pages/admin_dates.py); other admin forms
# (listing filters) read the input formats of hub/formats/.
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
FORMAT_MODULE_PATH = ["hub.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Unhashed names (e.g. favicon) for an hour; hashed names from the manifest are served
# by WhiteNoise as `max-age=315360000, public, immutable` (see tests/pages/test_static.py).
WHITENOISE_MAX_AGE = 3600

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The public API is anonymous and JSON-only: no browsable API (XSS history), no session.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Integration hub API",
    "DESCRIPTION": "Programmes, events, press releases and newsletter issues of the "
    "Kommunales Integrationszentrum Ennepe-Ruhr-Kreis, for partner sites. Read-only, "
    "anonymous, cached (ETag/Last-Modified); errors are RFC 7807 problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    # The deploy check would describe every DRF view (Wagtail's admin API too); the
    # /api/v1/ document is our own (pages.api.openapi), drf-spectacular only serves
    # Swagger UI; TITLE, DESCRIPTION and VERSION are the document's too.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# Wagtail's API v2 (/api/v2/): same page-size ceiling as /api/v1/, links from SITE_BASE_URL.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = SITE_BASE_URL

# CORS for the API, feeds and static files: any origin, read-only, never with credentials. Embeds
# answer their own CORS with editor-configured origins.
CORS_URLS_REGEX = r"^/(api|feeds|static)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are streamed by Wagtail's view after its collection check (password/login);
# never "direct"/"redirect", which hand out the stored file's URL. The media root itself
# is served only through `hub.media_files` (public images), never as static files.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Background-task and page-action chatter; warnings and errors still show.
        name: {"level": "WARNING"}
        for name in ("django_tasks", "django.tasks", "wagtail")
    },
}
