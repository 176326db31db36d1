"""Fixtures of the browser tests; the page list and helpers are in harness.py.

Locally a missing tool skips these tests with a message saying how to install it; with
``CI=true`` it fails the run instead. Never run ``playwright install``: the browser is
the system's ``chromium`` (``apt-get install chromium``).

Data: live_server tests are transactional, so Django empties every table after each of
them. They use serialized rollback (the rows the migrations created come back) and the
``seeded`` fixture, which re-imports ``catalog/seed`` when the heroes are gone and loads
the sample exhibition tour.
"""

import os
import shutil

import pytest
from django.core.management import call_command

from .harness import AXE_JS, CHROMIUM_ARGS, SEED_DIR, VIEWPORTS, VNU_JAR, require

# Sync Playwright runs an event loop in this thread; the ORM calls the tests make
# between browser steps are safe (the live server answers in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    require(path, "Debian's chromium", "apt-get install chromium (never `playwright install`)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        require(False, "Playwright for Python", "pip install -r requirements-e2e.txt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(viewport_name)``: a fresh browser context (no cookies) and its page."""
    contexts = []

    def make(viewport="desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def axe_path():
    require(AXE_JS.exists(), "node_modules/axe-core", "run `npm ci --ignore-scripts`")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu_command():
    java = shutil.which("java")
    require(java, "Java", "apt-get install default-jre-headless")
    require(VNU_JAR.exists(), "node_modules/vnu-jar", "run `npm ci --ignore-scripts`")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session", autouse=True)
def serialized_contents_on_every_connection(django_db_setup):
    """Serialized rollback reads the rows to restore from the connection object, but
    once sync Playwright runs an event loop in this thread, Django may hand the tests
    a new connection object (asgiref locals follow the context) that lacks them: keep
    them on the connection class so that every connection object has them."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents:
            type(connections[alias])._test_serialized_contents = contents


@pytest.fixture
def seeded(live_server):
    """The seed data in the database (it is gone after an earlier live_server test)."""
    from wagtail.models import Page

    from heroes.models import HeroPage

    if HeroPage.objects.count() == 0:
        call_command("import_catalog", str(SEED_DIR), verbosity=0)
    else:
        # The first such test restores the serialized rows over the session's seed,
        # resetting the tree's child counts (pages then look childless): recount.
        Page.fix_tree(fix_paths=False)
    call_command("load_sample_tour", verbosity=0)  # idempotent
    return live_server
