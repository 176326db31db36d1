"""Settings shared by every environment.

Environment-specific modules (``dev``, ``test``, ``production``) import this one
and override only what differs. Secrets and hosts come from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .environment import (
    cache_settings,
    env_int,
    env_list,
    env_str,
    inline_style_hashes,
    media_origins,
    media_storage,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "catalog",
    "exhibitions",
    "heroes",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
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
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver leaves static files to whitenoise, as gunicorn does in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files right after the security headers, before sessions and the rest
    # (every environment uses it, so development and tests exercise it too).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy header on every page (see CONTENT_SECURITY_POLICY).
    "catalog.csp.CatalogCSPMiddleware",
    # ETag and 304 Not Modified for pages, cached or not (a reader's copy still current).
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous readers' pages from the page cache (catalog/pagecache.py).
    "catalog.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "catalog.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "catalog.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalog.context_processors.site_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "catalog.wsgi.application"

# SQLite by default (zero set-up); DATABASE_URL (postgres://...) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Seconds a connection is kept open between requests (0: one per request);
        # kept connections are checked before reuse.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins (BEGIN IMMEDIATE), so two
    # bookings for the last places are served one after the other instead of failing
    # with "database is locked" halfway; readers wait up to 20 s for a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is written in English and translated into Kazakh and Russian
# (locale/kk, locale/ru). Kazakh, the state language, is the default: readers whose
# browser asks for none of the three get it, and it is Wagtail's default locale.
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages exist per language (Wagtail internationalisation, translated with
# wagtail-localize) under /kk/, /ru/ and /en/; see catalog.locales.
WAGTAIL_I18N_ENABLED = True
# "Translate this page" makes drafts, not live pages: a translation is published after
# review like any change (catalog/translation_review.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A page missing in the reader's language is shown in the first of these that exists.
CONTENT_FALLBACK_ORDER = ["kk", "ru", "en"]
FORMAT_MODULE_PATH = ["catalog.formats"]
USE_I18N = True
USE_TZ = True
# Kazakhstan has one zone, UTC+5, since 2024-03-01; the pinned tzdata package
# carries that rule independently of the operating system.
TIME_ZONE = "Asia/Almaty"

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = env_str("MEDIA_URL", "/media/")

STORAGES = {
    # Local disk (MEDIA_ROOT), or S3-compatible storage when AWS_STORAGE_BUCKET_NAME
    # is set (catalog/settings/environment.py, README "Production").
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# REDIS_URL selects a Redis cache shared by all server processes; else per-process memory
# (and files for the page cache, which every process must share).
PAGE_CACHE_DIR = Path(os.environ.get("PAGE_CACHE_DIR", BASE_DIR / ".cache" / "pages"))
CACHES = cache_settings(PAGE_CACHE_DIR)
# Anonymous page cache (catalog/pagecache.py): seconds a page is kept (0: off), and the
# max-age browsers and CDNs are told.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 0)
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 60)

# A CDN or caching proxy in front (README, "Page cache and CDN"): Wagtail's
# frontend_cache purges a page's addresses in every language when it is published or
# unpublished. FRONTEND_CACHE_PURGE_URL: an HTTP PURGE endpoint (Varnish, nginx);
# CLOUDFLARE_BEARER_TOKEN with CLOUDFLARE_ZONEID: Cloudflare's API.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
if env_str("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env_str("CLOUDFLARE_ZONEID"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE_LANGUAGES = [code for code, _name in LANGUAGES]

# Content Security Policy (django-csp 4.0, catalog/csp.py). The public site loads only
# its own scripts, styles, images and fonts; no inline script anywhere. The one inline
# style is the self-contained 500 page's, allowed by its hash. Media on S3 add their
# host to img-src. CSP_REPORT_URI (optional) receives violation reports.
_MEDIA_ORIGINS = media_origins(STORAGES["default"])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *inline_style_hashes(BASE_DIR / "templates" / "500.html")],
        "img-src": [SELF, "data:", *_MEDIA_ORIGINS],
        "media-src": [SELF, *_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": env_list("CSP_REPORT_URI") or None,
    },
}
# The Wagtail admin (and its previews) under URL_PREFIXES: Wagtail 8's admin pages run
# inline <script> blocks (page listings, inline panels, date pickers), inject <style>
# elements and inline event handlers (the focal-point cropper), show images chosen for
# upload from blob: URLs, and show previews in a same-origin frame. Everything else stays
# as strict as the public site. Evidence: README "Content Security Policy" and
# tests/e2e/test_csp.py.
CONTENT_SECURITY_POLICY_ADMIN = {
    "URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, "'unsafe-inline'"],
        "style-src": [SELF, "'unsafe-inline'"],
        # The upload form shows the chosen images before sending them (blob: URLs).
        "img-src": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], "blob:"],
        "frame-ancestors": [SELF],
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Heroes and their streets"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Kazakh and Russian titles keep every letter (ә ғ қ ң ө ұ ү һ і) in slugs; the
# admin's slug field and heroes.slugs.slug_for_title() follow the same rule.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# No outside requests from the admin (Gravatar is unreachable and leaks emails).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor the admin's check for a new Wagtail release (a browser request to wagtail.org,
# which the admin's Content Security Policy would refuse anyway): upgrades are planned.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's backend serves the admin's page search only; the public search is
# catalog.search (see README, "Search"). On PostgreSQL every language uses the
# `simple` text-search configuration: no stemming (PostgreSQL has no Kazakh
# stemmer, and names must not be stemmed), independent of the cluster's locale.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"

# Username of the account that the importer records in page history.
CATALOG_IMPORTER_USERNAME = os.environ.get("CATALOG_IMPORTER_USERNAME", "importer")

# Exhibition bookings (exhibitions app).
# Personal data in class-visit bookings is kept this many days after the visit, then
# deleted by `manage.py purge_visit_bookings` (see README, "Personal data").
VISIT_BOOKING_RETENTION_DAYS = int(os.environ.get("VISIT_BOOKING_RETENTION_DAYS", "90"))
# Booking requests (POST) allowed per client address (django-ratelimit rate syntax).
VISIT_BOOKING_RATE = os.environ.get("VISIT_BOOKING_RATE", "10/h")
# The client address for rate limiting: REMOTE_ADDR, or a header set by your proxy.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# The right-hand side of iCalendar UIDs (stop-<id>@<domain>); set once, never change.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "exhibition@localhost")

# The page behind a password, in the site's layout and languages (Wagtail's own
# template has no Kazakh).
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "catalog/password_required.html"
