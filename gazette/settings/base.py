"""Settings shared by every environment.

The environment is read here and only here (in ``gazette/settings/``); app code reads
``getattr(settings, "GAZETTE_X", default)``. Every variable is listed in ``.env.example``.
"""

import os
import shutil
from pathlib import Path

import dj_database_url

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
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
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
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
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
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
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
WAGTAIL_SITE_NAME = os.environ.get("GAZETTE_SITE_NAME", "The Siberian Gazette")
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
]

# Reader comments (gazette.comments)
GAZETTE_COMMENT_MAX_LENGTH = 5000
GAZETTE_COMMENT_IP_RETENTION_DAYS = int(os.environ.get("GAZETTE_COMMENT_IP_RETENTION_DAYS", "30"))
GAZETTE_COMMENT_RATE_PER_IP = os.environ.get("GAZETTE_COMMENT_RATE_PER_IP", "5/10m")
GAZETTE_COMMENT_RATE_PER_ARTICLE = os.environ.get("GAZETTE_COMMENT_RATE_PER_ARTICLE", "30/m")
GAZETTE_COMMENT_REPORT_RATE = os.environ.get("GAZETTE_COMMENT_REPORT_RATE", "10/h")  # reports per address
GAZETTE_COMMENT_MIN_SECONDS = 3  # a form sent faster than this was filled in by a script
GAZETTE_COMMENT_FORM_MAX_AGE = 2 * 3600  # seconds a comment form stays valid
GAZETTE_COMMENT_SPAM_THRESHOLD = 0.99  # at or above, with a link or an advert: straight to spam (kept, visible)
GAZETTE_COMMENT_HOLD_SPAM = 0.95  # at or above: held for a moderator
GAZETTE_COMMENT_HOLD_OFFENSIVE = 0.5
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
