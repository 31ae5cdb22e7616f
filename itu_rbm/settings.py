"""Settings for the ITU RBM portal: one file, read top to bottom, driven by environment variables.

Every variable has a safe development default except in production (DEBUG off), where
SECRET_KEY and ALLOWED_HOSTS must be given. A malformed value stops start-up with a message
that names the variable.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envrate(name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: a number, a slash and a period that
    starts with s, m, h or d (60/minute, 1000/day)."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"\d+/[smhd][a-z]*", value):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per period, e.g. 60/minute, not {value!r}"
        )
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL, naming the variable in the error (dj-database-url's own is cryptic)."""
    try:
        config = dj_database_url.parse(url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"))
    except Exception as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database address ({error}); expected e.g. "
            "postgres://user:password@127.0.0.1:5432/itu_rbm or sqlite:///path/to/db.sqlite3"
        ) from None
    if config.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(
            f"DATABASE_URL must point to PostgreSQL or SQLite, not {config.get('ENGINE')!r}"
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database")
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A write takes the lock when its transaction begins, not at its first write: two
        # transactions that read then write (a PATCH checking the version) would otherwise
        # deadlock, and SQLite fails one at once with "database is locked" instead of waiting.
        # The timeout is how long a transaction waits for the lock (seconds).
        config.setdefault("OPTIONS", {}).update(
            transaction_mode="IMMEDIATE", timeout=envint("SQLITE_TIMEOUT", "20")
        )
    return config


EMAIL_SCHEMES = {"smtp": False, "smtps": True, "console": None}
EMAIL_OPTIONS = {"tls", "ssl", "timeout"}


def email_from_url(url: str) -> dict:
    """Django's e-mail settings from EMAIL_URL: `console://` (or nothing) prints mails on the
    console; `smtp://user:password@host:587/?tls=true` sends through a server (STARTTLS with
    tls=true), `smtps://user:password@host:465` over TLS from the start. User and password are
    percent-encoded. Returns the EMAIL_* settings by name."""
    url = url.strip()
    console = {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if not url:
        return console
    example = "e.g. smtp://user:password@mail.example.org:587/?tls=true, smtps://… or console://"
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_SCHEMES:
        # only the scheme is repeated: the address may hold a password
        given = f"{parts.scheme}://" if parts.scheme else "an address without a scheme"
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtps:// or console://, not {given} ({example})"
        )
    if parts.scheme == "console":
        return console
    try:
        port = parts.port
        options = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"EMAIL_URL is not a valid address ({error}); {example}"
        ) from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL names no mail server; {example}")
    unknown = set(options) - EMAIL_OPTIONS
    if unknown:
        raise ImproperlyConfigured(
            f"EMAIL_URL has unknown options {sorted(unknown)}; known: {sorted(EMAIL_OPTIONS)}"
        )

    def flag(name: str) -> bool:
        value = options.get(name, ["false"])[-1].strip().lower()
        if value not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
            raise ImproperlyConfigured(f"EMAIL_URL's {name} must be true or false, not {value!r}")
        return value in {"1", "true", "yes", "on"}

    use_ssl = EMAIL_SCHEMES[parts.scheme] or flag("ssl")
    use_tls = flag("tls")
    if use_ssl and use_tls:
        raise ImproperlyConfigured(
            "EMAIL_URL asks for both SSL (smtps:// or ssl=true) and STARTTLS (tls=true): choose one"
        )
    timeout = options.get("timeout", ["10"])[-1]
    if not timeout.isdigit() or int(timeout) == 0:
        raise ImproperlyConfigured(
            f"EMAIL_URL's timeout must be a whole number of seconds, not {timeout!r}"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        # a mail server that does not answer must not hold a reviewer's request for long
        "EMAIL_TIMEOUT": int(timeout),
    }


DEBUG = envbool("DEBUG", "true")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens stored as hashes, with an expiry (DRF's own authtoken keeps keys in plain text)
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "corsheaders",
    "axes",
    # data apps: the plan, its risks, its indicators and figures (none imports a UI app)
    "frameworks",
    "risks",
    "indicators",
    # UI apps: public pages, the staff workspace, the REST API, open data, generated reports
    "dashboards",
    "workspace",
    "api",
    "opendata",
    "reports",
    # e-mail to the people a figure concerns (listens to indicators.signals)
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Near the top, like the CSP, so that answers made by the middleware below (the language
    # redirect) are refused framing too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # every error under /api/ as JSON, including those Django makes of later middleware's
    "api.errors.APIErrorsMiddleware",
    # pages and API answers compressed for slow connections (Django masks the CSRF token and
    # pads the gzip stream against BREACH); static files come compressed from whitenoise, and
    # zips and images are left as they are (itu_rbm/compression.py)
    "itu_rbm.compression.TextGZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last: it reads the authenticated user
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itu_rbm.urls"
WSGI_APPLICATION = "itu_rbm.wsgi.application"
ASGI_APPLICATION = "itu_rbm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str, *, local_name: str, timeout: int, local_entries: int = 300) -> dict:
    """A Redis cache for a redis:// address: shared by every gunicorn worker, so that the API's
    report throttle counts each token once and a cached answer serves every worker. Without an
    address, the memory of this process (development, tests), keeping `local_entries` at most."""
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "TIMEOUT": timeout,
        }
    if url:
        raise ImproperlyConfigured(f"A cache address must start with redis://, not {url!r}")
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": local_name,
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": local_entries},
    }


CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", ""),
        local_name="itu-rbm",
        timeout=envint("CACHE_TIMEOUT", "3600"),
    ),
    # Rendered public answers (API and pages), keyed by the content generation kept here too
    # (itu_rbm/caching.py): a write starts a new one, so entries never need deleting and the
    # timeout only bounds memory. It must be shared by every worker (a system check warns when
    # it is not, in production). `forget_public_answers` clears it: on Redis it needs a database
    # of its own (redis://host:6379/1), as clearing empties the whole database.
    "api": cache_from_url(
        os.environ.get("API_CACHE_URL", ""),
        local_name="itu-rbm-api",
        timeout=envint("API_CACHE_TIMEOUT", "600"),
        local_entries=envint("API_CACHE_ENTRIES", "500"),
    ),
}
if CACHES["api"]["LOCATION"] == CACHES["default"]["LOCATION"]:
    raise ImproperlyConfigured("API_CACHE_URL must name another Redis database than CACHE_URL")

# How long a process trusts the content generation it read (0: read it for every public read),
# and how long clients and proxies may reuse a public API answer without asking again.
API_STAMP_SECONDS = envint("API_STAMP_SECONDS", "1")
API_MAX_AGE = envint("API_MAX_AGE", "60")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # hard to guess even for someone who knows the portal, its plans and the user
    {"NAME": "frameworks.accounts.GuessabilityValidator"},
]
# Sign-in lock-out (django-axes) by the pair (user, address): failures from one address lock that
# user out from that address only, so nobody can lock another user out from elsewhere, and
# others behind the same address are not locked with them. The cool-off is short and doubles
# with each lock-out of the same pair (frameworks.accounts.signin_cooloff).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "frameworks.accounts.signin_cooloff"
AXES_COOLOFF_FIRST_MINUTES = envint("AXES_COOLOFF_FIRST_MINUTES", "1")
AXES_COOLOFF_MAX_MINUTES = envint("AXES_COOLOFF_MAX_MINUTES", "60")
# the cool-off varies by pair: each attempt keeps its own expiry (a pair's short cool-off must not
# clean away another pair's longer lock-out), and the failures log counts past lock-outs; a
# failure during a lock-out neither extends it nor counts as another lock-out
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies (that set X-Forwarded-For) stand in front of the portal: the lock-out
# by address then uses the visitor's address, not the proxy's (itu_rbm/client_ip.py).
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "0")
AXES_CLIENT_IP_CALLABLE = "itu_rbm.client_ip.client_ip"
# a page that says why and how long to wait, answered with 429 and Retry-After
AXES_LOCKOUT_CALLABLE = "workspace.views.signin_locked"
LOGIN_URL = "admin:login"
# A signed-in session lasts a working day. Changing a password signs the user out everywhere
# else: each session carries a hash of the password (django.contrib.auth), and the password
# change views keep only the session that made the change (update_session_auth_hash).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Languages: the six official UN languages. Plan text falls back to English, then Chinese
# (the seed's language), so a page never shows an empty field.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hans")}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic writes here and production reads the manifest from here (a volume nginx serves)
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence attached to figures and delivery records, indicators/evidence.py):
# through Django's storage API, a folder on disk by default (a volume in docker-compose.yml);
# MEDIA_STORAGE names another backend, e.g. object storage (storages.backends.s3.S3Storage,
# with django-storages installed and its own settings). Never served by the proxy: downloads go
# through views that check who asks.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"  # not routed anywhere: files are read through the storage, not by address
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))
FILE_UPLOAD_PERMISSIONS = 0o640
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE") or "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Files the portal writes (generated reports, reports.models.ReportBuild), through the default
# storage; never served publicly: staff download them through reports.views.download.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Staff-requested reports build in a thread of the web process (reports/builds.py); off: at
# once, inside the request (tests)
REPORT_BUILDS_IN_THREAD = envbool("REPORT_BUILDS_IN_THREAD", "true")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # first, so that a request without credentials is answered 401 with WWW-Authenticate
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # ordering is an OrderingFilter inside each FilterSet: one explicit whitelist per endpoint
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # the API's views use api.base.Pagination (page_size up to 500); it cannot be named here,
    # because DRF reads this setting while api.base is importing DRF's generic views
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # figures are JSON numbers, not strings
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_SCHEMA_CLASS": "api.base.PortalAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"reports": envrate("API_REPORT_RATE", "60/minute")},
    "EXCEPTION_HANDLER": "api.base.exception_handler",
}
# API tokens (django-rest-knox): issued by staff in the admin, shown once, stored as a hash, valid
# for API_TOKEN_TTL_DAYS unless the issuer chooses otherwise; sent as `Authorization: Token <key>`.
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", "90")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,  # a token ends when it was said to end
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITU RBM portal API",
    "DESCRIPTION": (
        "The ITU Strategic Plan, its indicators, published figures and progress, as JSON (and "
        "CSV for collections: `?format=csv` or `Accept: text/csv`). Reads need no account; "
        "texts come in the language of `?lang=` or Accept-Language. Authorised reporters send "
        "figures with `Authorization: Token <key>` (tokens are issued by staff in the admin, "
        "shown once, and expire; a password change revokes them); "
        "a reported figure waits for review."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "frameworks.models.StrategicPlan.Status",
        "ReviewStatusEnum": "indicators.models.Observation.Status",
        "ProgressStatusEnum": "api.serializers.STATUSES",
        # the breakdowns of per-economy statistics (SDMX codes, "_T" the total)
        "SexEnum": "indicators.models.Statistic.Sex",
        "AgeEnum": "indicators.models.Statistic.Age",
        "AreaEnum": "indicators.models.Statistic.Area",
    },
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "authorization",
    "cache-control",
    "content-type",
    "if-modified-since",
    "if-none-match",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Language", "Retry-After"]

# Production hardening; DEBUG keeps local http working.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# X-Forwarded-Proto is believed only when a proxy that sets it stands in front: without one,
# any client could send "https" and the portal would mark plain http as secure.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
# On by default in production; off when TLS ends in a proxy that redirects itself (the local
# nginx of docker-compose.yml) so that plain-http traffic between them is not redirected.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
# Health probes come over plain http from inside (load balancer, orchestrator).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
# Both reach beyond this portal (every subdomain; browsers' built-in lists, slow to undo):
# the domain's owner turns them on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
# check --deploy is clean under production settings; a warning is silenced only when it
# describes a choice made above on purpose:
SILENCED_SYSTEM_CHECKS = [
    # includeSubDomains and preload are the domain owner's decision (see above).
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    # SECURE_SSL_REDIRECT=false says that the proxy in front redirects http to https.
    *([] if SECURE_SSL_REDIRECT or DEBUG else ["security.W008"]),
]
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: scripts and styles come from static/ (plotly's own rules
# from static/vendor/plotly.css, see templates/base.html). Charts meant to be embedded in other
# sites take itu_rbm.embedding.embeddable, which alone lifts frame-ancestors.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the pages' empty icon (base.html) and the icons inside Swagger UI's CSS
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# E-mail (notifications/): EMAIL_URL names the mail server (email_from_url above); without it,
# mails are printed on the console, as in development. PORTAL_URL is the portal's address as
# the recipients reach it, for the links in the mails (no request is at hand to tell it).
# (lower case: not a setting itself, so that the password is held by EMAIL_HOST_PASSWORD only)
email_settings = email_from_url(os.environ.get("EMAIL_URL", ""))
EMAIL_BACKEND = email_settings["EMAIL_BACKEND"]
EMAIL_HOST = email_settings.get("EMAIL_HOST", "localhost")
EMAIL_PORT = email_settings.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = email_settings.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = email_settings.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = email_settings.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = email_settings.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = email_settings.get("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ITU RBM portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").strip().rstrip("/")
if not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", PORTAL_URL):
    raise ImproperlyConfigured(
        f"PORTAL_URL must be the portal's address, e.g. https://rbm.example.org, not {PORTAL_URL!r}"
    )

# The tabbed translation admin needs jQuery UI; serve our copy instead of the default CDN.
JQUERY_UI_URL = "vendor/jquery-ui-1.13.3.min.js"
