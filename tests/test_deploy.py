"""The production settings (catalog/settings/production.py): `check --deploy` is clean
with the documented environment, and a missing or contradictory variable fails clearly.

Each case runs manage.py in a subprocess, as a deployment would, with only the
variables given here (plus PATH and the like)."""

import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The documented set of variables (README, "Production"), with example values.
DEPLOY_ENV = {
    "DJANGO_SETTINGS_MODULE": "catalog.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "heroes.example.kz,www.heroes.example.kz",
    "CSRF_TRUSTED_ORIGINS": "https://heroes.example.kz",
    "WAGTAILADMIN_BASE_URL": "https://heroes.example.kz",
    "DATABASE_URL": "postgres://heroes:secret@127.0.0.1:5432/heroes",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}
# Variables of this machine or of the settings that must not leak into the subprocess.
NOT_PASSED = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "AWS_", "SECURE_", "MEDIA_", "STATIC_")


def manage(*args, env=None, drop=()):
    base = {k: v for k, v in os.environ.items() if not k.startswith(NOT_PASSED)}
    environment = {**base, **DEPLOY_ENV, **(env or {})}
    for name in drop:
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_without_the_hsts_switches_check_deploy_names_them():
    """Subdomains and preloading are the operator's decision: off by default, and
    check --deploy says so until they are set."""
    result = manage(
        "check", "--deploy", drop=("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
    )
    output = result.stdout + result.stderr
    assert "security.W005" in output and "security.W021" in output
    assert "identified 2 issues" in output


@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WAGTAILADMIN_BASE_URL"]
)
def test_a_missing_required_variable_is_named(variable):
    result = manage("check", drop=(variable,))
    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_the_settings_read_their_variables():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER,"
        " s.DATABASES['default']['CONN_MAX_AGE'], s.CACHES['default']['BACKEND'],"
        " s.MIDDLEWARE[:3], s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = manage(
        "shell",
        "-c",
        script,
        env={
            "SECURE_HSTS_SECONDS": "600",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_SCHEME=https",
            "DB_CONN_MAX_AGE": "120",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "600 False ('HTTP_X_SCHEME', 'https') 120 "
        "django.core.cache.backends.redis.RedisCache "
        "['django.middleware.security.SecurityMiddleware', "
        "'whitenoise.middleware.WhiteNoiseMiddleware', 'catalog.csp.CatalogCSPMiddleware'] "
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_s3_media_without_django_storages_fails_clearly():
    if importlib.util.find_spec("storages") and importlib.util.find_spec("boto3"):
        pytest.skip("django-storages and boto3 are installed here")
    result = manage("check", env={"AWS_STORAGE_BUCKET_NAME": "heroes-media"})
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME is set but" in result.stderr
    assert "requirements-s3.txt" in result.stderr


def test_s3_variables_without_a_bucket_fail_clearly():
    result = manage("check", env={"AWS_S3_ENDPOINT_URL": "https://storage.example.kz"})
    assert result.returncode != 0
    assert "AWS_S3_ENDPOINT_URL set without AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_s3_storage_options_and_csp_origins(monkeypatch):
    from catalog.settings import environment

    monkeypatch.setattr(environment.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "heroes-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://storage.example.kz")
    monkeypatch.setenv("AWS_S3_ADDRESSING_STYLE", "path")
    storage = environment.media_storage()
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "heroes-media",
            "location": "media",
            "file_overwrite": False,
            "querystring_auth": False,
            "endpoint_url": "https://storage.example.kz",
            "addressing_style": "path",
        },
    }
    assert environment.media_origins(storage) == ["https://storage.example.kz"]
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.heroes.example.kz")
    assert environment.media_origins(environment.media_storage()) == [
        "https://media.heroes.example.kz"
    ]
