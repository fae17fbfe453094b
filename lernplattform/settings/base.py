"""Settings, read from the environment with embedded defaults.

With no environment variables at all the platform runs on SQLite in ./data, executes Celery
tasks eagerly, prints e-mails to the console and stores media locally, so that a newcomer
needs nothing installed. Every integration switches on when its variable is present.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(environ.Env().str("LERNPLATTFORM_DATA_DIR", default=str(BASE_DIR / "data")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=True)
# The embedded default key only ever serves local development: with DEBUG off it is required.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "dev-only-insecure-key-change-me-lernplattform-0123456789abcdef" if DEBUG else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Platform-wide apps
    "lernplattform.accounts",
    "lernplattform.notifications",
    "lernplattform.portal",
    "lernplattform.reports",
    # The learning domain
    "courses.catalog",
    "courses.questions",
    "courses.assessment",
    "courses.h5p",
    "courses.lessons",
    "courses.progress",
    "courses.certificates",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    # Third party
    "rest_framework",
    "drf_spectacular",
    "django_celery_beat",
    "axes",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # /healthz answers before host checks and the HTTPS redirect (container health checks).
    "lernplattform.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lernplattform.middleware.GermanFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lernplattform.core.csp.LernplattformCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Site and page look-ups of Wagtail's page view from the cache (lernplattform/portal/routing.py).
    "lernplattform.portal.routing.WagtailLookupCacheMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lernplattform.urls"
WSGI_APPLICATION = "lernplattform.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "lernplattform.accounts.context_processors.nav_roles",
                "lernplattform.portal.context_processors.content_language",
            ],
        },
    },
]

# Database: SQLite in ./data unless DATABASE_URL names another one.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections with a health check before reuse: a request saves the connect round trip
# (~1-3 ms on PostgreSQL) and a connection the server dropped is replaced, not reported as an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the embedded database usable with a dev server and an eager worker.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory per process on the embedded default; with CACHE_URL (redis://host:6379/1) all
# web and worker processes share one Redis cache, so what one worker rendered or looked up the others reuse.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "lernplattform.core.cache.SharedClientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="lernplattform"),
            "TIMEOUT": 60 * 60 * 24,
        }
    }
elif CACHE_URL:
    CACHES = {"default": env.cache_url("CACHE_URL")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lernplattform"}}
# Sessions read from the cache, written through to the database: a cache flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lernplattform.accounts.ratelimit.ClientAddressLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# After login "Meine Kurse", not the marketing home page (unless the login was for another page: ?next=).
LOGIN_REDIRECT_URL = "progress:dashboard"
LOGOUT_REDIRECT_URL = "/"
# How long the link of an invitation to a role works (accounts.Invitation).
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Behind reverse proxies, the client's address is the one the outermost proxy appended to
# X-Forwarded-For; set TRUSTED_PROXY_COUNT to the number of proxies in front (docs/security.md).
# Without it only REMOTE_ADDR counts, so a client cannot choose its address by sending the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "lernplattform.accounts.ratelimit.client_ip"
# Besides axes' lockout per user and address: failed logins per client address over any
# accounts, so that spraying one password over many users is limited too (issue 10). Higher
# than the per-user limit: a town hall's staff share one address behind their NAT.
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", default=30)
# Rate limits per client address and per e-mail address, per window in seconds
# (lernplattform.accounts.ratelimit): every attempt counts.
RATE_LIMITS = {
    "password_reset": {
        "window": 3600,
        "per_ip": env.int("RATE_LIMIT_PASSWORD_RESET_PER_IP", default=20),
        "per_address": env.int("RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS", default=3),
    },
    "barrier_report": {
        "window": 3600,
        "per_ip": env.int("RATE_LIMIT_BARRIER_REPORT_PER_IP", default=10),
        "per_address": env.int("RATE_LIMIT_BARRIER_REPORT_PER_ADDRESS", default=5),
    },
    "registration": {
        "window": 3600,
        "per_ip": env.int("RATE_LIMIT_REGISTRATION_PER_IP", default=20),
        "per_address": env.int("RATE_LIMIT_REGISTRATION_PER_ADDRESS", default=3),
    },
}

# Internationalisation: German first, English second.
LANGUAGE_CODE = "de"
# Courses, lessons and questions are written in this language whatever the interface language.
CONTENT_LANGUAGE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
NODE_MODULES_DIR = BASE_DIR / "node_modules"
STATICFILES_DIRS += [("h5p-standalone", NODE_MODULES_DIR / "h5p-standalone" / "dist")]  # the H5P player
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Django serves MEDIA_URL itself (with the headers of lernplattform.core.media) in development,
# or in production when no reverse proxy serves /media/ (see docs/security.md).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: console unless EMAIL_URL is set (e.g. smtp+tls://user:pass@host:587).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lernplattform <noreply@lernplattform.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Extra addresses that receive what goes to the platform admins (e.g. barrier reports).
PLATFORM_ADMIN_EMAILS = env.list("PLATFORM_ADMIN_EMAILS", default=[])

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise eager in-process execution.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Time limits and the visibility timeout belong together (docs/security.md, findings 6 and 7). With
# acks_late a task is acknowledged when it ends; if its worker is killed, Redis hands the message to
# another worker after the visibility timeout. That must be longer than the longest task may run (else a
# running task is started a second time) and is otherwise as short as possible (a killed worker's task
# waits that long). No task may run longer than CELERY_TASK_TIME_LIMIT; every task is safe to run twice,
# and each app's reconcile beat task catches what is left.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=5 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # A broker that does not answer must not hold a user's request: connect and publish give up fast
    # (lernplattform.core.tasks.enqueue logs it; the reconcile tasks deliver later).
    # Workers look for messages of a killed worker every 10 s (kombu's default is every 100 s), so a
    # lost task is redelivered within visibility_timeout + 10 s.
    "unacked_restore_interval": env.int("CELERY_BROKER_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_ACKS_LATE = True
# A task whose worker died is given to another worker (acks_late alone would drop it on a lost worker).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    # Memberships begin and end on dates; the Wagtail groups derived from them follow nightly.
    "accounts-sync-groups": {
        "task": "accounts.memberships_sync_groups",
        "schedule": crontab(hour=0, minute=10),
    },
    # Scheduled publishing of pages (Wagtail's go-live and expiry dates) and per-course trainer groups.
    "catalog-publish-scheduled": {"task": "catalog.pages_publish_scheduled", "schedule": 300},
    "catalog-sync-course-groups": {
        "task": "catalog.course_groups_sync",
        "schedule": crontab(hour=0, minute=20),
    },
}
# Reports: the summary table behind Germany, Länder and Regierungsbezirke ("Stand" on the page), and the
# monthly snapshot behind every trend (written once per month; the daily run only catches up).
CELERY_BEAT_SCHEDULE["reports-summary-rebuild"] = {"task": "reports.summary_rebuild", "schedule": 30 * 60.0}
CELERY_BEAT_SCHEDULE["reports-snapshot-take"] = {
    "task": "reports.snapshot_take",
    "schedule": crontab(hour=0, minute=40),
}
# Large exports: expired files deleted, exports a broker outage left pending re-enqueued.
CELERY_BEAT_SCHEDULE["reports-exports-maintain"] = {"task": "reports.exports_maintain", "schedule": 10 * 60.0}
# The monthly report e-mail to every organisation admin (one task each, with the recipient's own scope).
CELERY_BEAT_SCHEDULE["reports-monthly-reports"] = {
    "task": "reports.monthly_reports_fan_out",
    "schedule": crontab(day_of_month=1, hour=6, minute=0),
}
# Outbox: re-enqueue e-mails a lost task, a broker outage or a failure left unsent; dead-letter the rest.
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {"task": "notifications.notifications_sweep", "schedule": 60.0}
NOTIFICATIONS_MAX_FAILURES = env.int("NOTIFICATIONS_MAX_FAILURES", default=5)
# Longer than an SMTP conversation may take (EMAIL_TIMEOUT), shorter than the visibility timeout.
NOTIFICATIONS_CLAIM_TIMEOUT = env.int("NOTIFICATIONS_CLAIM_TIMEOUT", default=5 * 60)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Progress: due-date reminders (days before, overdue window), enrolment rules nightly, lost bulk uploads resumed.
PROGRESS_REMINDER_DAYS_BEFORE = env.int("PROGRESS_REMINDER_DAYS_BEFORE", default=7)
PROGRESS_OVERDUE_WINDOW_DAYS = env.int("PROGRESS_OVERDUE_WINDOW_DAYS", default=14)
CELERY_BEAT_SCHEDULE["progress-due-reminders"] = {
    "task": "progress.due_reminders_send",
    "schedule": crontab(hour=6, minute=30),
}
CELERY_BEAT_SCHEDULE["progress-enrolment-rules"] = {
    "task": "progress.enrolment_rules_apply_all",
    "schedule": crontab(hour=1, minute=30),
}
CELERY_BEAT_SCHEDULE["progress-bulk-enrolments-resume"] = {
    "task": "progress.bulk_enrolments_resume",
    "schedule": 600.0,
}

# Quiz attempts past their time limit are closed (graded as of the deadline) every minute.
CELERY_BEAT_SCHEDULE["assessment-close-overdue-attempts"] = {
    "task": "assessment.attempts_close_overdue",
    "schedule": 60.0,
}
# Finished attempts whose progress report was lost (broker down, worker killed) are reported.
CELERY_BEAT_SCHEDULE["assessment-reconcile-attempt-results"] = {
    "task": "assessment.attempt_results_reconcile",
    "schedule": 120.0,
}

# Question bank (courses.assessment): one size limit for every import path (admin form, API,
# command line, task), checked before parsing; the import task's own time limits; how long a
# practice question's check token stays valid.
QUESTION_IMPORT_MAX_BYTES = env.int("QUESTION_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
QUESTION_IMPORT_MAX_QUESTIONS = env.int("QUESTION_IMPORT_MAX_QUESTIONS", default=2000)
# Soft limit of the import task in seconds; its hard limit is 30 s later but never beyond
# CELERY_TASK_TIME_LIMIT (the visibility timeout is sized for that).
QUESTION_IMPORT_TIME_LIMIT = env.int("QUESTION_IMPORT_TIME_LIMIT", default=240)
PRACTICE_TOKEN_MAX_AGE = env.int("PRACTICE_TOKEN_MAX_AGE", default=4 * 60 * 60)
# Question imports whose task never arrived are sent again; those a killed worker left end as failed.
CELERY_BEAT_SCHEDULE["assessment-reconcile-question-imports"] = {
    "task": "questions.question_imports_reconcile",
    "schedule": 300.0,
}
# Certificates: issue what a lost task missed (broker outage), run certification cycles (renewal
# windows, reminders, expiry notices) nightly. The PDF font comes from Debian's fonts-dejavu-core.
CELERY_BEAT_SCHEDULE["certificates-reconcile"] = {"task": "certificates.certificates_reconcile", "schedule": 600.0}
CELERY_BEAT_SCHEDULE["certificates-cycles"] = {
    "task": "certificates.certifications_run",
    "schedule": crontab(hour=2, minute=30),
}
CERTIFICATE_FONT_DIR = env.str("CERTIFICATE_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")

# Wagtail
WAGTAIL_SITE_NAME = "Lernplattform"
# Approving a workflow's last task publishes: certificates checks the trust rule first (DESIGN.md).
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.certificates.workflow.publish_workflow_state"
# Wagtail's login with a German password label (its own form leaves the field unlabelled: "Password*").
WAGTAILADMIN_USER_LOGIN_FORM = "lernplattform.accounts.forms.AdminLoginForm"
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
# On PostgreSQL the German text search configuration stems words ("Datenschutzes" finds "Datenschutz").
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "german"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "csv", "txt", "zip", "mp4", "webm", "vtt"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
# No personal data leaves the platform (DESIGN.md): Wagtail would send a hash of every editor's
# e-mail to gravatar.com and ask releases.wagtail.org for updates from each editor's browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No SVG: an SVG is a document that can carry script (issue 10, finding 4). Wagtail checks the
# content against the extension, so an SVG renamed to .png is refused too.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# H5P: a separate origin (e.g. https://h5p.example.org) for the sandboxed player and its files.
H5P_CONTENT_ORIGIN = env.str("H5P_CONTENT_ORIGIN", default="")

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lernplattform.core.api.exception_handler",
    # Scoped throttles only where a view names a scope (the public certificate verification).
    "DEFAULT_THROTTLE_RATES": {"certificate_verify": env.str("CERTIFICATE_VERIFY_RATE", default="30/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lernplattform API",
    "DESCRIPTION": "REST API der Lernplattform für Kommunen. Jeder Endpunkt ist nach Mitgliedschaft eingeschränkt.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "PREPROCESSING_HOOKS": ["lernplattform.api.schema_endpoints_filter"],
}

# Content-Security-Policy (django-csp 4, lernplattform.core.csp). Our pages: files of our own origin
# and tags with the per-request nonce; nothing inline, no eval, no foreign origin. H5P plays in a
# sandboxed frame of H5P_CONTENT_ORIGIN (or our own origin).
_CSP_FRAMES = [SELF, *([H5P_CONTENT_ORIGIN.rstrip("/")] if H5P_CONTENT_ORIGIN else [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],
        "frame-src": _CSP_FRAMES,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin needs inline styles (style attributes in its templates and bundles) and inline
# scripts (measured in Chromium; docs/security.md). Still no foreign origin and no plugins.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
    }
}

# Security: strict defaults once DEBUG is off (python manage.py check --deploy is clean).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# SAMEORIGIN, not DENY: Wagtail's page preview and H5P content run in frames of our own origin.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    "security.W019",  # X_FRAME_OPTIONS is SAMEORIGIN on purpose (above)
    # HSTS preload is a commitment for the whole registrable domain, often a municipality's own;
    # operators opt in with SECURE_HSTS_PRELOAD=True, so its absence is not a warning here.
    "security.W021",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page action and background task at INFO; that drowns seed and import output.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
