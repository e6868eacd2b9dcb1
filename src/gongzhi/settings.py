"""Settings, read from the environment (twelve-factor).

GONGZHI_DEBUG          "1" for local development (``make run`` sets it)
GONGZHI_SECRET_KEY     required in production; a fixed development key otherwise
GONGZHI_ID_HASH_KEY    key of the keyed hash of ID card numbers (required in production)
GONGZHI_LEDGER_KEY     key of the decisions' hash chains (required in production)
GONGZHI_ALLOWED_HOSTS  comma-separated host names
GONGZHI_DATA_DIR       where the SQLite database and uploads live (default ./var)
GONGZHI_HTTPS          "1" behind TLS: secure cookies and HSTS
GONGZHI_TRUSTED_PROXIES  proxies whose X-Forwarded-For is believed (e.g. "127.0.0.1")
GONGZHI_LANGUAGE       default language, "zh-hans" (default) or "en"; also of commands
GONGZHI_BASE_URL       the address people open, for links in SMS and e-mail
                       (default http://127.0.0.1:8000)
GONGZHI_SMS_BACKEND    file (default: $GONGZHI_DATA_DIR/outbox/sms.jsonl), console, webhook
GONGZHI_SMS_WEBHOOK_URL, GONGZHI_SMS_WEBHOOK_SECRET   the operator's SMS gateway (webhook)
GONGZHI_EMAIL_BACKEND  file (default: outbox/email.jsonl), console, smtp
GONGZHI_EMAIL_HOST, GONGZHI_EMAIL_PORT, GONGZHI_EMAIL_USER, GONGZHI_EMAIL_PASSWORD,
GONGZHI_EMAIL_TLS, GONGZHI_EMAIL_FROM                  SMTP settings (smtp)
DATABASE_URL           e.g. postgres://user@host:5432/gongzhi (default SQLite in the data dir)
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGZHI_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("GONGZHI_DEBUG")
DEVELOPMENT_SECRET_KEY = "gongzhi-development-key-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("GONGZHI_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ID_HASH_KEY = os.environ.get("GONGZHI_ID_HASH_KEY", SECRET_KEY)
# Keys the decisions' hash chains (voting/ledger.py); kept outside the database.
LEDGER_KEY = os.environ.get("GONGZHI_LEDGER_KEY", SECRET_KEY + ":ledger")

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("GONGZHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "gongzhi.core",
    "gongzhi.accounts",
    "gongzhi.notifications",
    "gongzhi.registry",
    "gongzhi.selection",
    "gongzhi.voting",
    "gongzhi.notices",
    "gongzhi.cases",
    "gongzhi.people",
    "gongzhi.servicedesk",
    "gongzhi.projects",
    "gongzhi.merchants",
    "gongzhi.partners",
    "gongzhi.foundation",
    "gongzhi.workspace",
    "gongzhi.api",
    "gongzhi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files from the application itself (gongzhi serve needs no web server for them)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongzhi.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # after CSRF, which reads the form first
    "gongzhi.core.middleware.RefuseNullCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongzhi.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "gongzhi.urls"
WSGI_APPLICATION = "gongzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongzhi.core.context_processors.site",
                "gongzhi.demo.context_processors.demo",
                "gongzhi.notifications.context_processors.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "gongzhi.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory test database
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache carries rate-limit counters, so it must be shared by every process:
# the database cache table (created by a core migration) is.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gongzhi_cache",
    }
}

# --- accounts and security ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # a mobile number or a user name, with the password
    "gongzhi.accounts.backends.PhoneOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in attempts allowed per window, by user name and by client address. Attempts
# are counted before the password is checked; a right password gives its attempt
# back. Over the limit a key is blocked for a window, doubling on repeated blocks up
# to max_block_seconds (core.ratelimit).
LOGIN_RATE_LIMIT = {
    "per_username": 5,
    "per_address": 20,
    "window_seconds": 900,
    "max_block_seconds": 3600,
}
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated),
# e.g. "127.0.0.1" when nginx on the same machine forwards to gunicorn. Empty: none.
TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("GONGZHI_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Photos are taken through the file picker, which needs no camera permission.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
if env_bool("GONGZHI_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded files are counted as their bytes arrive (core.uploads.LimitedUploadHandler):
# each file at most UPLOAD_MAX_BYTES unless its view allows more (rolls), and no
# request announcing more than UPLOAD_MAX_REQUEST_BYTES is read at all.
FILE_UPLOAD_HANDLERS = [
    "gongzhi.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# A roll larger than this is imported by the background worker (about 2,500 rows: the
# page would otherwise wait more than a second or two).
ROLL_IMPORT_SYNC_BYTES = 256 * 1024
ROLL_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_REQUEST_BYTES = 64 * 1024 * 1024

# SMS codes (claims, activation letters, sign-in, reset, a new mobile): requests for a
# code per phone and per address, and checks of a code, each counted before anything
# is looked up. A code itself locks after 5 wrong tries (accounts/services/codes.py).
CODE_RATE_LIMITS = {
    "claim": {"per_phone": 5, "per_address": 5, "window_seconds": 3600},
    "other": {"per_phone": 5, "per_address": 20, "window_seconds": 3600},
    "check": {"per_phone": 10, "per_address": 30, "window_seconds": 3600},
}
# Invitation links (set your password) stay valid this long.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

# One-time voting codes: attempts allowed per client address and window (counted
# before the code is checked, given back when it was right).
VOTE_CODE_RATE_LIMIT = {"per_address": 20, "window_seconds": 3600, "max_block_seconds": 14400}
# Vote records are kept at least this long after the final result (SPC Art. 12: a
# decision can be revoked within one year), and at least the committee's term.
VOTING_RETENTION_MIN_DAYS = 365
# A matter that failed cannot be put to the same compounds again within this period.
VOTING_COOLING_OFF_DAYS = int(os.environ.get("GONGZHI_COOLING_OFF_DAYS", "90"))

# Requests to the JSON API per window: anonymous callers by address, signed-in
# callers (session or token) by account, each in a bucket of their own.
API_RATE_LIMITS = {"anonymous": "60/m", "signed_in": "600/m"}

# --- language and time ----------------------------------------------------
LANGUAGE_CODE = os.environ.get("GONGZHI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# `gongzhi serve` (production) collects static files with hashed names and compressed
# copies, and whitenoise serves them from STATIC_ROOT with far-future caching. Elsewhere
# (runserver, tests) nothing is collected and whitenoise finds them in the package.
SERVING = env_bool("GONGZHI_SERVE")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SERVING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not SERVING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG

# --- background work --------------------------------------------------------
# The queue is a table in our own database (django-tasks' database backend), run by
# `gongzhi worker`; see core/jobs.py. Moving to a broker later changes only this.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- messages ---------------------------------------------------------------
BASE_URL = os.environ.get("GONGZHI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
OUTBOX_DIR = DATA_DIR / "outbox"
SMS_BACKEND = os.environ.get("GONGZHI_SMS_BACKEND", "file")
SMS_WEBHOOK_URL = os.environ.get("GONGZHI_SMS_WEBHOOK_URL", "")
SMS_WEBHOOK_SECRET = os.environ.get("GONGZHI_SMS_WEBHOOK_SECRET", "")
SMS_SIGNATURE = os.environ.get("GONGZHI_SMS_SIGNATURE", "共治")
EMAIL_BACKEND = {
    "file": "gongzhi.core.messaging.JsonLinesEmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[os.environ.get("GONGZHI_EMAIL_BACKEND", "file")]
EMAIL_HOST = os.environ.get("GONGZHI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGZHI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GONGZHI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGZHI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GONGZHI_EMAIL_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("GONGZHI_EMAIL_FROM", "gongzhi@localhost")
# A failed message is tried again after 1, 5, 30 minutes, 2 and 12 hours, then given up.
MESSAGE_RETRY_MINUTES = [1, 5, 30, 120, 720]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGZHI_LOG_LEVEL", "WARNING")},
}
