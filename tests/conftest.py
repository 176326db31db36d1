"""Shared fixtures: the real seed data is imported once per test session."""

from pathlib import Path

import pytest
from django.core.management import call_command

SEED_DIR = Path(__file__).resolve().parent.parent / "catalog" / "seed"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the real seed data (regions, heroes, streets) loaded."""
    with django_db_blocker.unblock():
        call_command("import_catalog", str(SEED_DIR), verbosity=0)


@pytest.fixture
def seed_dir():
    return SEED_DIR
