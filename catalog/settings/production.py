"""Production: everything secret or host-specific comes from the environment.

``manage.py check --deploy`` passes without a warning with the variables the README's
"Production" section lists (tests/test_deploy.py proves it). In short:

Required: ``SECRET_KEY`` (50+ random characters), ``ALLOWED_HOSTS`` (comma-separated
host names), ``DATABASE_URL`` (``postgres://user:password@host:5432/name``, or
``sqlite:////abs/path.sqlite3``), ``WAGTAILADMIN_BASE_URL`` (the public address,
``https://heroes.example.kz``: links in emails).

HTTPS: ``SECURE_SSL_REDIRECT`` (default 1), ``SECURE_HSTS_SECONDS`` (seconds, default
31536000 = one year; 0 turns HSTS off), ``SECURE_HSTS_INCLUDE_SUBDOMAINS`` and
``SECURE_HSTS_PRELOAD`` (default 0; check --deploy warns until both are 1),
``SECURE_PROXY_SSL_HEADER`` (``HTTP_X_FORWARDED_PROTO=https`` by default: the header
your proxy sets on HTTPS requests, and must strip from clients; empty when gunicorn
terminates TLS itself), ``CSRF_TRUSTED_ORIGINS`` (comma-separated origins).

Optional: ``DB_CONN_MAX_AGE`` (seconds, default 60), ``SQLITE_WAL`` (default 1),
``REDIS_URL``, ``AWS_STORAGE_BUCKET_NAME`` and friends (media on S3), ``MEDIA_ROOT``,
``STATIC_ROOT``, ``WHITENOISE_MAX_AGE`` (seconds, default 3600), SMTP (``EMAIL_HOST``,
``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``,
``DEFAULT_FROM_EMAIL``), ``SERVER_EMAIL``, ``LOG_LEVEL`` (default INFO),
``CSP_REPORT_URI``.
"""

from .base import *  # noqa: F403
from .environment import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")  # raises: an empty list would refuse every request
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = env_required("WAGTAILADMIN_BASE_URL")

# --- Database ------------------------------------------------------------------------
env_required("DATABASE_URL")  # no silent fallback to a SQLite file next to the code
# Seconds a connection is reused across requests (0: a new one per request); a
# broken kept connection is replaced before use (CONN_HEALTH_CHECKS, base.py).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and env_bool(  # noqa: F405
    "SQLITE_WAL", True
):
    # Write-ahead log: readers never wait for a writer (and the writer not for them),
    # so several gunicorn workers share one SQLite file without "database is locked".
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

# --- Static files ----------------------------------------------------------------------
# whitenoise (right after SecurityMiddleware, base.py) serves STATIC_ROOT, filled by
# `manage.py collectstatic`: hashed names (forever-cacheable, marked immutable) plus
# gzip and Brotli copies. Files without a hash in their name: WHITENOISE_MAX_AGE seconds.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 3600)

# --- HTTPS and security headers --------------------------------------------------------
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO=https").strip()
if _proxy_header:
    _name, _, _value = _proxy_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip() or "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_SSL_REDIRECT:
    # Browsers fetch any http:// sub-resource (e.g. in a biography's link) over HTTPS.
    for _policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):  # noqa: F405
        _policy["DIRECTIVES"]["upgrade-insecure-requests"] = True

# --- Email -------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Logging: everything to standard output (gunicorn's access log goes there too) ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Tracebacks of 500s go to stdout (through the root), not to ADMINS by email.
        "django": {"handlers": [], "level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
        # Every 4xx is also in gunicorn's access log: keep only the errors here.
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.security": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
