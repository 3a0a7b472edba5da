"""Settings shared by every environment.

The environment is read here and only here (in ``gazette/settings/``); app code reads
``getattr(settings, "GAZETTE_X", default)``. Every variable is listed in ``.env.example``.
"""

import os
import shutil
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("GAZETTE_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "gazette.core",
    "gazette.users",
    "gazette.images",
    "gazette.cities",
    "gazette.articles",
    "gazette.home",
    "gazette.comments",
    "gazette.rates",
    "gazette.search",
    "gazette.editorial",
    "gazette.seo",
    "gazette.wordpress",
    "gazette.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
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
    "django_tasks",
    "django_tasks_db",
    "captcha",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and the other security headers, on static files and cache hits too.
    "gazette.core.security_headers.SecurityHeadersMiddleware",
    # Searches over the rate or the per-process cap are refused here, before anything else runs.
    "gazette.search.middleware.SearchLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The page cache's outer half: outside Session/CSRF so it sees the cookies they set.
    "gazette.core.middleware.PageCacheUpdateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gazette.cities.middleware.EditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The page cache's inner half: after the edition header and the user are known.
    "gazette.core.middleware.PageCacheFetchMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's site and route for its serve view, with one query (a page-cache miss).
    "gazette.core.routing.RouteHintMiddleware",
]
# A form post whose text is not UTF-8 gets a 400 before any view can store it.
MIDDLEWARE.append("gazette.core.middleware.FormEncodingMiddleware")
# Each admin form post in one transaction, its cache purges sent once at the commit (last: it calls the view).
MIDDLEWARE.append("gazette.core.middleware.AdminTransactionMiddleware")
# Old WordPress links that are a query on the front page (/?p=123), before the page cache answers "/".
MIDDLEWARE.insert(
    MIDDLEWARE.index("gazette.core.middleware.PageCacheUpdateMiddleware"),
    "gazette.wordpress.middleware.WordPressQueryRedirectMiddleware",
)

ROOT_URLCONF = "gazette.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "gazette.wsgi.application"

# How long a statement may wait for a lock (and, on PostgreSQL, run) before it fails, in seconds.
# A web request gives up well before the server in front of it would (nginx and Varnish wait 60 s)
# and frees its request thread (granian has a few per worker): the comment form then answers
# "the site is busy" with the reader's text kept. The worker, the scheduler and management
# commands wait longer and retry. gazette/wsgi.py and gazette/asgi.py set GAZETTE_DB_ROLE=web.
GAZETTE_DB_ROLE = os.environ.get("GAZETTE_DB_ROLE") or "background"
DB_WAITS = {
    "web": {"lock": float(os.environ.get("GAZETTE_DB_LOCK_WAIT") or "5"), "statement": 15.0},
    "background": {"lock": 60.0, "statement": 600.0},
}
if GAZETTE_DB_ROLE not in DB_WAITS:
    raise RuntimeError(f"GAZETTE_DB_ROLE must be one of {', '.join(DB_WAITS)}, not {GAZETTE_DB_ROLE!r}.")


def bound_database_waits(database: dict, role: str) -> None:
    """Set ``database``'s lock wait (SQLite busy timeout; PostgreSQL lock_timeout and
    statement_timeout, in the connection's OPTIONS) for a process of ``role`` (a key of DB_WAITS)."""
    waits = DB_WAITS[role]
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        options["timeout"] = waits["lock"]
        options["init_command"] = (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={int(waits['lock'] * 1000)}; PRAGMA foreign_keys=ON;"
        )
    elif database["ENGINE"] == "django.db.backends.postgresql":
        kept = [o for o in options.get("options", "").split("-c ") if o.strip() and "_timeout=" not in o]
        bounds = [f"lock_timeout={int(waits['lock'] * 1000)}", f"statement_timeout={int(waits['statement'] * 1000)}"]
        options["options"] = " ".join(f"-c {o.strip()}" for o in kept + bounds)


# SQLite is the embedded default: a fresh clone runs with nothing else installed.
# ``DATABASE_URL`` switches to PostgreSQL (the scale-out path).
SQLITE_PATH = Path(os.environ.get("GAZETTE_SQLITE_PATH", BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; the busy timeout makes a writer wait for the
    # lock instead of failing with "database is locked"; IMMEDIATE transactions take the
    # write lock up front so two writers never deadlock on a lock upgrade.
    # (The busy timeout and the PRAGMAs: bound_database_waits.)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
bound_database_waits(DATABASES["default"], GAZETTE_DB_ROLE)

# A PostgreSQL read replica: anonymous page views read from it (gazette.core.db_routers).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    bound_database_waits(DATABASES["replica"], GAZETTE_DB_ROLE)
    DATABASE_ROUTERS = ["gazette.core.db_routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "gazette.core.db_routers.ReplicaMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The reader site's language: GAZETTE_LANGUAGE=ru makes every reader page Russian. English keeps
# British spelling and dates ("en-gb"). Editors pick their own admin language in their account.
GAZETTE_LANGUAGE = os.environ.get("GAZETTE_LANGUAGE", "en").strip().lower() or "en"
_SITE_LANGUAGE_CODES = {"en": "en-gb", "ru": "ru"}
if GAZETTE_LANGUAGE not in _SITE_LANGUAGE_CODES:
    raise ImproperlyConfigured(
        f"GAZETTE_LANGUAGE={GAZETTE_LANGUAGE!r} is not supported; use one of: {', '.join(_SITE_LANGUAGE_CODES)}"
    )
LANGUAGE_CODE = _SITE_LANGUAGE_CODES[GAZETTE_LANGUAGE]
LANGUAGES = [("en-gb", "English"), ("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("ru", "Русский")]
# Times are stored in UTC and shown in the site's zone (the reference site is in Novosibirsk).
TIME_ZONE = os.environ.get("GAZETTE_TIME_ZONE", "Asia/Novosibirsk")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("GAZETTE_MEDIA_ROOT", BASE_DIR / "media"))
# Files WhiteNoise serves at the site root: browsers request /favicon.ico on every site, and a 404
# there is a console error (Lighthouse best practices).
WHITENOISE_ROOT = PROJECT_DIR / "root_files"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Caches: a file cache shared by every server process on the embedded default (rate limits
# must hold across processes, so LocMemCache is not an option); Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("GAZETTE_CACHE_PREFIX", "gazette"),
        }
    }
    # Read from Redis, written through to the database: Redis evicts under memory pressure
    # (allkeys-lru, and a flood of never-seen URLs fills it with pages), which must not sign
    # editors out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "gazette.core.file_cache.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": os.environ.get("GAZETTE_CACHE_PREFIX", "gazette"),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
# Rate limits (comment posts) in a cache of their own, so that nothing filling the page cache (a
# flood of never-seen URLs) can reset them: a full file cache deletes a third of its entries at
# random. On Redis a separate prefix; its LRU evicts counters only once they are idle.
if REDIS_URL:
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-ratelimit"}
else:
    CACHES["ratelimit"] = {
        "BACKEND": "gazette.core.file_cache.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache-ratelimit"),
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"],
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
RATELIMIT_USE_CACHE = "ratelimit"
# Wagtail looks renditions up in the "renditions" cache on every render (and writes hits back):
# an in-process cache keeps that off the disk/Redis; an entry lives five minutes at most, so a
# picture replaced in another process is seen there soon after.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "gazette-renditions",
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}

# Full-page cache (gazette.core.middleware): anonymous pages, purged exactly by cache tags.
GAZETTE_PAGE_CACHE = os.environ.get("GAZETTE_PAGE_CACHE", "1") == "1"
# Fragments (gazette.core.caching, {% fragment %}): pieces of pages built once per change.
GAZETTE_FRAGMENT_CACHE = os.environ.get("GAZETTE_FRAGMENT_CACHE", "1") == "1"
# A page, or a page's own fragment, is stored on the second request a process gets for it, so a
# crawler's one-off requests cost no cache writes and evict nothing (gazette.core.caching).
GAZETTE_CACHE_STORE_AFTER = int(os.environ.get("GAZETTE_CACHE_STORE_AFTER", "2"))
GAZETTE_CACHE_LOCAL_BYTES = int(os.environ.get("GAZETTE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
GAZETTE_PAGE_CACHE_TIMEOUT = int(os.environ.get("GAZETTE_PAGE_CACHE_TIMEOUT", "86400"))
GAZETTE_CACHE_MAX_AGE = int(os.environ.get("GAZETTE_CACHE_MAX_AGE", "30"))
GAZETTE_CACHE_S_MAXAGE = int(os.environ.get("GAZETTE_CACHE_S_MAXAGE", "86400"))
GAZETTE_CACHE_CLOCK_SKEW = float(os.environ.get("GAZETTE_CACHE_CLOCK_SKEW", "0"))

# Frontend caches purged by tag and URL through Wagtail's frontend-cache framework.
GAZETTE_VARNISH_URL = os.environ.get("GAZETTE_VARNISH_URL", "")
if GAZETTE_VARNISH_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "gazette.core.frontend_cache.VarnishBackend", "LOCATION": GAZETTE_VARNISH_URL}
    }

# Background work: Wagtail imports the django_tasks backport; django-tasks-db stores the queue
# in the database and ships ``manage.py db_worker``. Every process must share this setting.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail goes through Django's backends; the console backend unless SMTP is configured.
MAILERS = {
    "default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")},
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Gazette <newsroom@localhost>")

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get(
    "GAZETTE_SITE_NAME", "Сибирская газета" if GAZETTE_LANGUAGE == "ru" else "The Siberian Gazette"
)
WAGTAILIMAGES_IMAGE_MODEL = "images.GazetteImage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("GAZETTE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp"}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# Latin slugs only: Cyrillic titles are transliterated in the browser and on the server
# (gazette.core.slugs), 'Новосибирск' -> 'novosibirsk'.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Article topics are Wagtail tags: 'transport' typed by one editor is the 'Transport' of another.
# Their slugs (a topic's address, /search/?topic=<slug>) keep Cyrillic as it is.
TAGGIT_CASE_INSENSITIVE = True

# Gazette
GAZETTE_SITE_TIME_ZONE = TIME_ZONE

# Editorial checks (gazette.editorial): the lengths listings and search previews show in full,
# and Debian's hunspell dictionaries (paths without .aff/.dic) for British and American English.
GAZETTE_HEADLINE_MAX = 110
GAZETTE_STANDFIRST_MAX = 300
GAZETTE_HUNSPELL_DICTIONARIES = ["/usr/share/hunspell/en_GB", "/usr/share/hunspell/en_US"]

# Exchange rates: where official tables come from (backends chosen like Wagtail's frontend-cache
# backends; see gazette/rates/backends/__init__.py). GAZETTE_RATES_SOURCE=file reads saved
# tables from GAZETTE_RATES_PATH instead of the bank (offline installations).
GAZETTE_RATE_SOURCES = {
    "default": {
        "BACKEND": "gazette.rates.backends.cbr.CBRSource",
        "BASE_URL": "https://www.cbr.ru/scripts/",
        "TIMEOUT": 10,
        "RETRIES": 3,
        "BACKOFF": 2,
    },
    "file": {
        "BACKEND": "gazette.rates.backends.file.FileSource",
        "PATH": os.environ.get("GAZETTE_RATES_PATH", str(PROJECT_DIR / "rates" / "demo_data")),
    },
}
if os.environ.get("GAZETTE_RATES_SOURCE") == "file":
    GAZETTE_RATE_SOURCES["default"] = GAZETTE_RATE_SOURCES["file"]

# Periodic jobs, enqueued by `manage.py run_scheduler` and run by `manage.py db_worker`
# (gazette/core/scheduler.py). Apps append their own jobs here.
GAZETTE_SCHEDULE = [
    {"task": "gazette.core.scheduler.publish_scheduled_pages", "every": 60},
    {"task": "gazette.rates.tasks.fetch_latest_rates", "every": 3600},
    {"task": "gazette.comments.tasks.send_moderation_digest", "every": 3600},
    {"task": "gazette.comments.tasks.truncate_comment_ips", "every": 24 * 3600},
    {"task": "gazette.comments.tasks.purge_binned_comments", "every": 24 * 3600},
    {"task": "gazette.comments.tasks.retrain_comment_classifier", "every": 24 * 3600, "offset": 3 * 3600},
]

# Reader comments (gazette.comments)
GAZETTE_COMMENT_MAX_LENGTH = 5000
GAZETTE_COMMENT_IP_RETENTION_DAYS = int(os.environ.get("GAZETTE_COMMENT_IP_RETENTION_DAYS", "30"))
GAZETTE_COMMENT_RATE_PER_IP = os.environ.get("GAZETTE_COMMENT_RATE_PER_IP", "5/10m")
GAZETTE_COMMENT_RATE_PER_ARTICLE = os.environ.get("GAZETTE_COMMENT_RATE_PER_ARTICLE", "30/m")
GAZETTE_COMMENT_REPORT_RATE = os.environ.get("GAZETTE_COMMENT_REPORT_RATE", "10/h")  # reports per address
GAZETTE_COMMENT_MIN_SECONDS = 3  # a form sent faster than this was filled in by a script
GAZETTE_COMMENT_FORM_MAX_AGE = 2 * 3600  # seconds a comment form stays valid
GAZETTE_COMMENT_SPAM_THRESHOLD = 1.0  # calibrated spam score (two places) at or above: straight to spam (kept, visible)
GAZETTE_COMMENT_HOLD_SPAM = 0.5  # calibrated spam score at or above: held for a moderator (trusted or not)
GAZETTE_COMMENT_HOLD_OFFENSIVE = 0.2  # calibrated abuse score (scorer or word list) at or above: held
GAZETTE_COMMENT_BIN_OFFENSIVE = 0.99  # the scorer's calibrated abuse score at or above: to the bin (kept, visible)
# Once moderators have decided, each retrain picks the site's own thresholds (publishing never looser than
# the above): the 95 % upper bound of the share wrong on the site's decisions stays within these budgets.
GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET = 0.02  # unwanted among the comments the scores publish
GAZETTE_COMMENT_BIN_WRONG_BUDGET = 0.02  # wanted among those binned (none seen), to bin below the above
GAZETTE_COMMENT_MODEL_DIR = Path(os.environ.get("GAZETTE_COMMENT_MODEL_DIR", VAR_DIR / "comment-models"))
# Days a spam or rejected comment stays in the Spam view before a daily job deletes it (never under 30).
GAZETTE_COMMENT_BIN_RETENTION_DAYS = int(os.environ.get("GAZETTE_COMMENT_BIN_RETENTION_DAYS", "30"))
# Tests only: an answer the CAPTCHA always accepts (production settings refuse to start with it).
GAZETTE_TEST_CAPTCHA_ANSWER = os.environ.get("GAZETTE_TEST_CAPTCHA_ANSWER", "")
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 120  # minutes, as long as the form itself
# Control codes already answered (gazette.comments.control_code): kept where no flood can evict them.
GAZETTE_COMMENT_USED_CODES_CACHE = "ratelimit"
# The spoken control code needs Debian's `flite`; without it the audio link is not offered.
CAPTCHA_FLITE_PATH = shutil.which("flite")
# On a Russian site it is spoken by Debian's `espeak-ng` (its Russian voice); without it, no audio link.
GAZETTE_CAPTCHA_ESPEAK_PATH = shutil.which("espeak-ng")
# The key of commenters' identities (gazette.comments.identity): SECRET_KEY when empty. Set it to
# the current secret before rotating DJANGO_SECRET_KEY, or every commenter becomes a stranger.
GAZETTE_COMMENTER_KEY = os.environ.get("GAZETTE_COMMENTER_KEY", "")
# Django's own admin at /django-admin/ (gazette/urls.py): on in development settings only; in
# production /django-admin/ is a 404 and everybody uses Wagtail's admin at /admin/.
GAZETTE_DJANGO_ADMIN = False

# Sign-in (gazette.users, docs/deploy.md "Security"): failed sign-ins are counted by django-axes
# where every server process sees them: in Redis (the "ratelimit" cache, which no page-cache flood
# can evict) when there is one, else in the database (a file cache cannot count atomically across
# processes). An account is locked for one client address, and an address for every account, after
# GAZETTE_SIGNIN_FAILURE_LIMIT failures, for GAZETTE_SIGNIN_LOCKOUT_MINUTES; a guesser elsewhere
# cannot lock an editor out of their own address.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1, "gazette.users.middleware.SignInPolicyMiddleware"
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
GAZETTE_SIGNIN_FAILURE_LIMIT = int(os.environ.get("GAZETTE_SIGNIN_FAILURE_LIMIT", "5"))
GAZETTE_SIGNIN_LOCKOUT_MINUTES = float(os.environ.get("GAZETTE_SIGNIN_LOCKOUT_MINUTES", "15"))
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
AXES_CACHE = "ratelimit"
AXES_FAILURE_LIMIT = "gazette.users.signin.failure_limit"
AXES_COOLOFF_TIME = "gazette.users.signin.lockout_duration"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Attempts refused during a lock-out do not extend it: the lock ends when the operator said.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gazette.users.signin.client_address"
AXES_LOCKOUT_CALLABLE = "gazette.users.signin.lockout_response"
AXES_ENABLE_ADMIN = False  # lock-outs are listed and unlocked in Wagtail's admin (Settings > Sign-in lock-outs)
# Two-step sign-in (django-otp): required of editors and administrators at their next sign-in
# when on (production's default); anyone with admin access may set it up from their account.
GAZETTE_REQUIRE_2FA = os.environ.get("GAZETTE_REQUIRE_2FA", "0") == "1"
GAZETTE_2FA_GROUPS = ["Editors", "Administrators"]
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Minutes an admin session may stay unused before it is signed out.
GAZETTE_ADMIN_IDLE_MINUTES = float(os.environ.get("GAZETTE_ADMIN_IDLE_MINUTES", "60"))

# Security headers (gazette.core.security_headers; docs/deploy.md, "Headers and uploads").
# Reader pages run no inline script or style and load everything from the site itself: cached
# pages are the same for every reader, so no nonce is used (it would be shared by all of them).
GAZETTE_CSP_REPORT_URL = "/csp-report/"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    # 'self' for views that may be framed by the site (the comment form), 'none' for the rest.
    "frame-ancestors": [CSP.NONE],
    "report-uri": [GAZETTE_CSP_REPORT_URL],
    "report-to": ["csp"],
}
# The Wagtail admin writes inline scripts (date pickers, inline panels, the page explorer) and
# inline styles (the page editor) without nonces, and shows upload previews from blob: URLs (and
# data: images); it needs no eval. Everything else stays as strict as on reader pages.
GAZETTE_ADMIN_CSP_PATHS = ["/admin/", "/django-admin/"]
GAZETTE_ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
}
GAZETTE_CSP_REPORT_MAX_BYTES = 16 * 1024
GAZETTE_CSP_REPORT_RATE = os.environ.get("GAZETTE_CSP_REPORT_RATE", "60/m")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
GAZETTE_SECURITY_HEADERS = {
    # Nothing on the site uses these browser features; pages framed or injected cannot either.
    "Permissions-Policy": ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "screen-wake-lock",
            "usb",
            "xr-spatial-tracking",
            "browsing-topics",
        )
    ),
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "X-Permitted-Cross-Domain-Policies": "none",
    "Reporting-Endpoints": f'csp="{GAZETTE_CSP_REPORT_URL}"',
}
# Editors' e-mail addresses are not sent (hashed) to Gravatar: the admin shows its default
# avatar, or the one an editor uploads.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Uploads. Pictures: at most 10 MB and 40 megapixels (a 7000 x 5700 photograph), checked by
# content: Wagtail reads each file's header and refuses one that is no picture or whose format
# is not its extension's, and one with too many pixels (a decompression bomb: few bytes, huge
# size) before decoding it. No SVG: a drawing can carry scripts.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("GAZETTE_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("GAZETTE_IMAGE_MAX_PIXELS", str(40_000_000)))
# Documents are served by Wagtail's view, always as downloads (Content-Disposition: attachment),
# with nosniff and a policy that runs nothing (default-src 'none'); never straight from /media/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated; empty
# trusts nobody and REMOTE_ADDR is the client). gazette.core.clients decides the address for every
# per-address limit, django-ratelimit's "ip" key included; docs/deploy.md.
GAZETTE_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GAZETTE_TRUSTED_PROXIES", "").split(",") if p.strip()]
RATELIMIT_IP_META_KEY = "gazette.core.clients.ratelimit_address"
