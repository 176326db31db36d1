"""Test runs: fast hashing, in-memory email, local media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="heroes-test-media-")
# whitenoise serves the apps' static files as found (no collectstatic, no start-up scan
# of every file for each test client).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The page cache in memory (one test process); tests/conftest.py empties it per test.
CACHES = {
    **CACHES,  # noqa: F405
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
