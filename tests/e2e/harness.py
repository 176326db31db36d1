"""Shared by the browser tests: the public page types (``PUBLIC_PAGES``), viewports,
Chromium's arguments, tool paths and helpers. How the tools are found and how the
data is kept is explained in conftest.py."""

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
    ("home", "/en/"),
    ("hero index", "/en/heroes/"),
    ("hero", "/en/heroes/bauyrzhan-momyshuly/"),
    ("street index", "/en/streets/"),
    ("streets in a region", "/en/streets/?region=KZ-75"),
    ("street", "/en/streets/almaty-momyshuly-ave/"),
    ("search", "/en/search/?q=Momyshuly"),
    ("search with a typo", "/en/search/?q=Mometova"),
    ("search by a former name", "/en/search/?q=Kazarmennaya&kind=street"),
    ("404", "/en/heroes/no-such-hero/"),
    ("exhibition schedule", "/en/exhibition/"),
    ("schedule filtered", "/en/exhibition/?region=KZ-71"),
    ("past stops", "/en/exhibition/past/"),
    ("printable region schedule", "/en/exhibition/region/KZ-71/"),
    ("exhibition", "/en/exhibition/sample-tour/"),
    ("exhibition stop", "/en/exhibition/sample-tour/astana/"),
    ("booking form", lambda: sample_booking_path("astana")),
]


def sample_booking_path(stop_slug):
    """The booking form of the first slot of a sample-tour stop (its id varies)."""
    from exhibitions.models import ExhibitionStopPage

    stop = ExhibitionStopPage.objects.get(slug=stop_slug, locale__language_code="en")
    return f"{stop.url}book/{stop.slots.order_by('start').first().pk}/"


def page_path(path):
    """A ``PUBLIC_PAGES`` path: a string, or a function returning one."""
    return path() if callable(path) else path


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
