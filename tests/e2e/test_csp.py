"""The Content Security Policy in a real browser: no page of the public site (for an
anonymous reader, and for a signed-in editor who gets Wagtail's user bar) and no
admin page an editor uses triggers a single CSP violation, each under its own policy
(catalog/csp.py; the admin's is relaxed, see README "Content Security Policy")."""

import io

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from exhibitions.models import ExhibitionPage, ExhibitionStopPage
from heroes.models import HeroPage, Region, StreetPage

from ..admin_helpers import make_user
from ..test_backup import jpeg_bytes
from .harness import PUBLIC_PAGES, expect, page_path
from .test_editor import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every violation the page reports, in the order they happen (survives navigation:
# the init script runs again in each new document).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample || ""}`
  );
});
"""


def visit(page, url):
    """Open ``url``, let it settle, and return (HTTP response, CSP violations)."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response, page.evaluate("window.__cspViolations")


def recording_page(new_page):
    page = new_page("desktop")
    page.context.add_init_script(RECORD_VIOLATIONS)
    return page


def admin_urls():
    hero = HeroPage.objects.live().first()
    street = StreetPage.objects.live().first()
    exhibition = ExhibitionPage.objects.live().first()
    stop = ExhibitionStopPage.objects.live().first()
    region = Region.objects.first()
    return [
        "/admin/",
        f"/admin/pages/{hero.get_parent().pk}/",
        f"/admin/pages/{hero.pk}/edit/",
        f"/admin/pages/{hero.pk}/history/",
        f"/admin/pages/{street.pk}/edit/",
        f"/admin/pages/{exhibition.pk}/edit/",
        f"/admin/pages/{stop.pk}/edit/",
        f"/admin/pages/add/heroes/heropage/{hero.get_parent().pk}/",
        f"/admin/snippets/heroes/region/edit/{region.pk}/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        f"/admin/images/{get_image_model().objects.first().pk}/",
        "/admin/documents/",
        "/admin/reports/locked/",
    ]


def test_public_pages_run_without_a_csp_violation(seeded, new_page):
    page = recording_page(new_page)
    for name, path in PUBLIC_PAGES:
        response, violations = visit(page, seeded.url + page_path(path))
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        assert violations == [], name
    # The search box's script runs under the policy: suggestions appear.
    page.goto(seeded.url + "/search/")
    page.get_by_role("combobox", name="Street or person’s name").press_sequentially("Momysh")
    expect(
        page.get_by_role("listbox", name="Suggestions").get_by_role("option").first
    ).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []


def test_the_user_bar_and_the_admin_run_without_a_csp_violation(seeded, new_page):
    image = get_image_model()(title="CSP check")
    image.file.save("csp.jpg", ImageFile(io.BytesIO(jpeg_bytes("teal")), "c.jpg"))
    image.save()
    make_user("boss", superuser=True)
    page = recording_page(new_page)
    log_in(page, seeded.url, "boss")
    # A signed-in editor sees Wagtail's user bar on public pages (public policy).
    for path in ("/", "/heroes/bauyrzhan-momyshuly/"):
        response, violations = visit(page, seeded.url + path)
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
        assert page.locator("wagtail-userbar").count() == 1
        assert violations == [], path
    for url in admin_urls():
        response, violations = visit(page, seeded.url + url)
        assert response.status == 200, url
        assert "'unsafe-inline'" in response.headers["content-security-policy"], url
        assert violations == [], url

    # Uploading an image.
    visit(page, seeded.url + "/admin/images/multiple/add/")
    page.locator("#fileupload").set_input_files(
        files=[{"name": "upload.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes("olive")}]
    )
    expect(page.locator("#upload-list .status-msg.success")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []

    # The preview panel: the page renders in a same-origin frame of the editor, under
    # the admin's policy (the public one, frame-ancestors 'none', would refuse it).
    hero = HeroPage.objects.get(slug="bauyrzhan-momyshuly", locale__language_code="en")
    visit(page, f"{seeded.url}/admin/pages/{hero.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_contain_text("Bauyrzhan Momyshuly")
    assert page.evaluate("window.__cspViolations") == []
