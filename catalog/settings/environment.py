"""Reading settings from environment variables: typed getters and the pieces of
configuration that several settings modules share (cache, media storage).

Every function reads ``os.environ`` when called, so the settings modules decide which
variables are read where; the README's "Production" section lists them all.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    """The variable ``name`` as a string, ``default`` when unset."""
    return os.environ.get(name, default)


def env_required(name):
    """The variable ``name``; ImproperlyConfigured when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable (see README, Production).")
    return value


def env_bool(name, default=False):
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); ``default`` when unset."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {value!r}."
    )


def env_int(name, default):
    """An integer variable; ``default`` when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    """A comma-separated variable as a list of non-empty, stripped items."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def cache_settings(page_cache_dir):
    """``CACHES``: Django's Redis cache when ``REDIS_URL`` is set (e.g.
    ``redis://127.0.0.1:6379/1``; needs the ``redis`` package), else a per-process
    in-memory cache. ``CACHE_KEY_PREFIX`` separates several sites on one Redis.

    The ``pages`` alias holds the anonymous page cache (catalog/pagecache.py); it must
    be shared by every server process, since a publish in one process invalidates it
    for all: the same Redis, else files in ``page_cache_dir`` (a Path; shared by the
    processes of one machine).

    With Redis, every gunicorn worker shares one cache, so django-ratelimit's booking
    limit (``VISIT_BOOKING_RATE``) counts across workers; with the in-memory cache each
    worker counts on its own.
    """
    redis_url = env_str("REDIS_URL").strip()
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "heroes"),
                # Seconds; a cache that is down never takes the site down with it.
                "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "heroes") + ":pages",
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            },
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "heroes",
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(page_cache_dir),
            # Three languages of every page of a national catalogue.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }


S3_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_LOCATION",
    "AWS_QUERYSTRING_AUTH",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_DEFAULT_ACL",
)


def media_storage():
    """``STORAGES["default"]``: local disk (``MEDIA_ROOT``) unless
    ``AWS_STORAGE_BUCKET_NAME`` is set, then S3-compatible storage through
    django-storages (``pip install -r requirements-s3.txt``).

    S3 variables: ``AWS_STORAGE_BUCKET_NAME`` (required for S3), ``AWS_S3_ENDPOINT_URL``
    (non-AWS services, e.g. ``https://storage.example.kz``), ``AWS_S3_REGION_NAME``,
    ``AWS_S3_CUSTOM_DOMAIN`` (a CDN or public host serving the bucket),
    ``AWS_LOCATION`` (a key prefix, default ``media``), ``AWS_QUERYSTRING_AUTH``
    (signed URLs, default 0: the images are public), ``AWS_S3_ADDRESSING_STYLE``
    (``path`` or ``virtual``), ``AWS_DEFAULT_ACL``. Credentials come the usual boto3 way:
    ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``, or an instance role.
    """
    bucket = env_str("AWS_STORAGE_BUCKET_NAME").strip()
    if not bucket:
        others = [name for name in S3_VARIABLES[1:] if os.environ.get(name)]
        if others:
            raise ImproperlyConfigured(
                f"{', '.join(others)} set without AWS_STORAGE_BUCKET_NAME: set the bucket "
                "to store media on S3, or unset them to keep media on local disk."
            )
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    missing = [name for name in ("storages", "boto3") if importlib.util.find_spec(name) is None]
    if missing:
        raise ImproperlyConfigured(
            f"AWS_STORAGE_BUCKET_NAME is set but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed: "
            "pip install -r requirements-s3.txt (or unset AWS_STORAGE_BUCKET_NAME for local media)."
        )
    options = {
        "bucket_name": bucket,
        "location": env_str("AWS_LOCATION", "media"),
        # Wagtail keeps every upload: two images called photo.jpg must not overwrite.
        "file_overwrite": False,
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
    }
    for option, name in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        ("default_acl", "AWS_DEFAULT_ACL"),
    ):
        value = env_str(name).strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origins(storage):
    """The origins (``https://host``) that serve media for ``storage`` (a
    ``STORAGES["default"]`` dict), for the Content Security Policy's ``img-src``:
    none for local disk (same origin), else the custom domain, the endpoint's host
    or the bucket's AWS host names."""
    options = storage.get("OPTIONS", {})
    if storage["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        endpoint = urlparse(options["endpoint_url"])
        origins = [f"{endpoint.scheme}://{endpoint.netloc}"]
        if options.get("addressing_style") != "path":
            origins.append(f"{endpoint.scheme}://{options['bucket_name']}.{endpoint.netloc}")
        return origins
    bucket = options["bucket_name"]
    region = options.get("region_name")
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


def inline_style_hashes(template_path):
    """CSP source expressions (``'sha256-...'``) for each ``<style>`` element in the
    template file at ``template_path``: how the self-contained error page
    (templates/500.html, which must render without the database or static files)
    keeps its inline styles under a policy without ``'unsafe-inline'``. The style
    blocks must not contain template tags (a test checks the served page)."""
    import base64
    import hashlib
    import re

    try:
        text = Path(template_path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        )
        for body in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S)
    ]
