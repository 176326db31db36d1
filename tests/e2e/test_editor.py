"""An editor changes a hero in the Wagtail admin and submits it for review; a
moderator approves it; the public page then shows the change. In a real browser."""

import re

import pytest

from heroes.models import HeroPage

from ..admin_helpers import make_user
from .harness import VIEWPORTS, expect, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# (viewport, hero slug, new rank): one change per viewport.
CHANGES = {
    "desktop": ("bauyrzhan-momyshuly", "Major General (e2e desktop)"),
    "mobile": ("manshuk-mametova", "Senior Sergeant (e2e mobile)"),
}


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_editor_submits_moderator_approves_public_page_changes(seeded, new_page):
    make_user("editor", "Editors")
    make_user("moderator", "Moderators")
    for viewport in VIEWPORTS:
        slug, rank = CHANGES[viewport]
        hero = HeroPage.objects.get(slug=slug, locale__language_code="en")
        public_url = f"{seeded.url}/en/heroes/{slug}/"
        edit_url = f"{seeded.url}/admin/pages/{hero.pk}/edit/"

        # The editor edits the rank, then submits (the action menu's dropdown).
        editor = new_page(viewport)
        log_in(editor, seeded.url, "editor")
        editor.goto(edit_url)
        editor.locator("#id_rank").fill(rank)
        editor.get_by_role("button", name="More actions").click()
        editor.get_by_role("button", name="Submit to Editorial review").click()
        expect(editor.locator(".messages")).to_contain_text("submitted")
        screenshot(editor, f"admin submitted {slug}", viewport)

        # Not public before approval.
        anonymous = new_page(viewport)
        anonymous.goto(public_url)
        expect(anonymous.locator("main")).not_to_contain_text(rank)

        # The moderator approves from the dashboard's "Awaiting your review".
        moderator = new_page(viewport)
        log_in(moderator, seeded.url, "moderator")
        row = moderator.locator("tr", has_text=hero.title)
        expect(row).to_be_visible()
        screenshot(moderator, f"admin dashboard {slug}", viewport)
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approve", exact=True).click()
        expect(moderator.locator("tr", has_text=hero.title)).to_have_count(0, timeout=15_000)

        anonymous.goto(public_url)
        expect(anonymous.locator("main")).to_contain_text(rank)
        assert HeroPage.objects.get(pk=hero.pk).rank == rank
