"""Settings shared by every environment.

Environment-specific modules (``dev``, ``test``, ``production``) import this one
and override only what differs. Secrets and hosts come from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
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
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
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
