"""Content Security Policy (catalog/csp.py, CONTENT_SECURITY_POLICY in base settings):
public pages carry the strict policy and load scripts and styles only from the site
itself, with no inline script; the admin gets its own policy; the self-contained 500
page's inline style is allowed by its hash. In a real browser: tests/e2e/test_csp.py."""

import base64
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from wagtail.models import Site

from heroes.models import HeroPage, StreetPage

pytestmark = pytest.mark.django_db


def directives(response):
    """The response's Content-Security-Policy as ``{directive: [sources]}``."""
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def same_origin(url):
    """A URL the browser resolves against this site (no scheme, no host)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def public_urls():
    hero = HeroPage.objects.live().filter(street_links__isnull=False).first()
    street = StreetPage.objects.live().first()
    return [
        Site.objects.get(is_default_site=True).root_page.url,
        hero.get_parent().url,
        hero.url,
        street.url,
        reverse("search") + "?q=Momyshuly",
    ]


def test_public_pages_carry_the_strict_policy(public):
    for url in public_urls():
        response = public.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in policy["style-src"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_every_script_and_style_on_public_pages_comes_from_the_site(public):
    for url in public_urls():
        soup = BeautifulSoup(public.get(url).content, "html.parser")
        scripts = soup.find_all("script")
        assert scripts, url  # the search box's script at least
        for script in scripts:
            assert script.get("src"), f"inline <script> on {url}: {script}"
            assert same_origin(script["src"]), script["src"]
            assert not script.string or not script.string.strip()
        for link in soup.find_all("link", rel="stylesheet"):
            assert same_origin(link["href"]), link["href"]
        assert not soup.find_all("style"), url
        assert not soup.select("[style]"), url
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, f"inline event handler {handlers} on {url}"
        for tag in soup.find_all(href=True):
            assert not tag["href"].lower().startswith("javascript:"), url


def test_the_home_page_header_and_its_scripts(public):
    """The issue's own wording: the home page carries the header, and every script or
    stylesheet it loads is same-origin."""
    home = Site.objects.get(is_default_site=True).root_page.url
    response = public.get(home)
    assert "Content-Security-Policy" in response
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []


def test_the_admin_has_its_own_policy(public):
    response = public.get("/admin/login/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_the_500_page_needs_no_database_and_its_style_is_allowed(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S)
    assert styles
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    for body in styles:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?:""", html)
