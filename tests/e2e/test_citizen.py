"""A citizen looks up who their street is named after, in a real browser."""

import re

import pytest

from .harness import VIEWPORTS, expect, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_street_name_in_another_script_leads_to_the_hero_and_a_source(seeded, new_page):
    for viewport in VIEWPORTS:
        page = new_page(viewport)
        page.goto(seeded.url + "/en/")
        # A combobox: the search box offers suggestions while typing (search-autocomplete.js).
        search = page.get_by_role("combobox", name="Whose name does my street carry?")
        search.fill("Момышұлы")
        search.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q="))
        screenshot(page, "path search results", viewport)

        # Almaty's avenue among the results (Astana and Shymkent have one too).
        street_link = (
            page.locator(".street-card")
            .filter(has_text="Almaty")
            .get_by_role("link", name="Momyshuly Avenue", exact=True)
        )
        street_link.first.click()
        page.wait_for_url("**/streets/almaty-momyshuly-ave/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Momyshuly Avenue")

        page.get_by_role("link", name="Bauyrzhan Momyshuly").first.click()
        page.wait_for_url("**/heroes/bauyrzhan-momyshuly/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Bauyrzhan Momyshuly")
        screenshot(page, "path hero", viewport)

        sources = page.locator("section.sources a.source__link")
        expect(sources.first).to_be_visible()
        hrefs = sources.evaluate_all("links => links.map(a => a.href)")
        assert any(re.match(r"https?://", href) for href in hrefs), hrefs
