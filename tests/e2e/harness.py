"""Shared by the browser tests (see conftest.py): Playwright driving Debian's chromium against
pytest-django's ``live_server``, with axe-core (accessibility) and the Nu Html Checker
(vnu.jar) from ``node_modules``.

Locally a missing tool skips these tests with a message saying how to install it; with
``CI=true`` it fails the run instead. Never run ``playwright install``: the browser is
the system's ``chromium`` (``apt-get install chromium``).

Data: live_server tests are transactional, so Django empties every table after each of
them. They use serialized rollback (the rows the migrations created come back) and the
``seeded`` fixture, which re-imports ``catalog/seed`` when the heroes are gone.
"""

import os
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the `browser` fixture
    expect = None

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "catalog" / "seed"
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
HTML_DIR = Path(__file__).resolve().parent / "html"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "mobile": {"width": 360, "height": 740},
}

# Every public page type, as (name, path). A new page type joins the accessibility,
# HTML-validation and screenshot tests by adding one line here.
PUBLIC_PAGES = [
    ("home", "/"),
    ("hero index", "/heroes/"),
    ("hero", "/heroes/bauyrzhan-momyshuly/"),
    ("street index", "/streets/"),
    ("streets in a region", "/streets/?region=KZ-75"),
    ("street", "/streets/almaty-momyshuly-ave/"),
    ("search", "/search/?q=Momyshuly"),
    ("404", "/heroes/no-such-hero/"),
]


def require(ok, what, how):
    """Skip (locally) or fail (CI=true) when a tool the browser tests need is missing."""
    if ok:
        return
    message = f"{what} is missing: {how}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def slug(name):
    return name.replace(" ", "-")


def screenshot(page, name, viewport):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{slug(name)}-{viewport}.png"), full_page=True)
