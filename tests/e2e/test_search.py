"""Suggestions while typing, in a real browser: the ARIA combobox, the keyboard, the
JSON endpoint behind it, and the plain form without JavaScript."""

import re

import pytest

from .harness import VIEWPORTS, expect, screenshot
from .test_public_pages import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_typing_a_former_name_suggests_the_street_and_enter_opens_it(seeded, new_page, axe_path):
    for viewport in VIEWPORTS:
        page = new_page(viewport)
        page.goto(seeded.url + "/en/search/")
        box = page.get_by_role("combobox", name="Street or person’s name")
        expect(box).to_have_attribute("aria-expanded", "false")
        box.press_sequentially("Казарм", delay=60)

        listbox = page.get_by_role("listbox", name="Suggestions")
        expect(listbox).to_be_visible()
        expect(box).to_have_attribute("aria-expanded", "true")
        option = listbox.get_by_role("option")
        expect(option).to_have_count(1)
        expect(option).to_contain_text("Panfilov Street")
        expect(option).to_contain_text("formerly Казарменная")
        expect(page.locator(".search-form [role=status]")).to_have_text("1 suggestion")
        screenshot(page, "search suggestions", viewport)
        problems = axe_violations(page, axe_path)
        assert not problems, problems

        box.press("ArrowDown")
        expect(option).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
        box.press("Enter")
        page.wait_for_url("**/streets/almaty-panfilov-st/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Panfilov Street")


def test_escape_closes_the_suggestions_and_enter_then_searches(seeded, new_page):
    page = new_page("desktop")
    page.goto(seeded.url + "/en/")
    box = page.get_by_role("combobox", name="Whose name does my street carry?")
    box.press_sequentially("Momysh", delay=60)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.first).to_contain_text("Bauyrzhan Momyshuly")
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Momysh"))
    expect(page.locator("ol.search-results > li").first).to_contain_text("Bauyrzhan Momyshuly")


def test_the_plain_form_works_without_javascript(seeded, browser):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["mobile"])
    try:
        page = context.new_page()
        page.goto(seeded.url + "/en/")
        box = page.get_by_role("searchbox", name="Whose name does my street carry?")
        box.fill("проспект Момышулы")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q="))
        first = page.locator("ol.search-results > li").first
        expect(first).to_contain_text("Momyshuly Avenue")
        expect(first).to_contain_text("Shymkent")
    finally:
        context.close()
