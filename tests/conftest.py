"""Shared fixtures: the real seed data is imported once per test session."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from .admin_helpers import client_for, make_user

SEED_DIR = Path(__file__).resolve().parent.parent / "catalog" / "seed"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the real seed data (regions, heroes, streets) loaded."""
    with django_db_blocker.unblock():
        call_command("import_catalog", str(SEED_DIR), verbosity=0)


@pytest.fixture(autouse=True)
def empty_caches():
    """No test sees what another test cached: pages (a rolled-back test sends no
    signals), renditions of an image whose id the database gave out again, rate-limit
    counts."""
    from django.core.cache import caches

    caches["pages"].clear()
    caches["default"].clear()


@pytest.fixture
def seed_dir():
    return SEED_DIR


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, using the admin in English (the site default is Kazakh)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])
    return admin_user


# Accounts in the groups that the editorial migration creates (catalog 0003).


@pytest.fixture
def editor():
    return make_user("editor", "Editors")


@pytest.fixture
def moderator():
    return make_user("moderator", "Moderators")


@pytest.fixture
def superuser():
    return make_user("boss", superuser=True)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def moderator_client(moderator):
    return client_for(moderator)


@pytest.fixture
def public():
    """An anonymous reader."""
    return Client()
