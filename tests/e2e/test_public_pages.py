"""Every public page type (harness.PUBLIC_PAGES) at desktop and mobile width: axe-core
finds no serious or critical violation, the HTML is valid (Nu Html Checker), and a
full-page screenshot is saved in tests/e2e/screenshots/ (git-ignored) for review."""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from .harness import HTML_DIR, PUBLIC_PAGES, VIEWPORTS, expect, page_path, screenshot, slug

pytestmark = [pytest.mark.e2e]

live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def axe_violations(page, axe_path):
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the
    # site's Content Security Policy (no inline scripts).
    page.evaluate(Path(axe_path).read_text())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@live_db
def test_public_pages_pass_axe_fit_the_width_and_are_screenshotted(seeded, new_page, axe_path):
    problems = []
    for viewport in VIEWPORTS:
        page = new_page(viewport)
        for name, path in PUBLIC_PAGES:
            path = page_path(path)
            page.goto(seeded.url + path)
            screenshot(page, name, viewport)
            problems += [f"{name} {path} [{viewport}]: {v}" for v in axe_violations(page, axe_path)]
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[viewport]["width"]:
                problems.append(f"{name} {path} [{viewport}]: scrolls sideways ({width}px wide)")
    assert not problems, "axe-core violations and overflow:\n" + "\n".join(problems)


@live_db
def test_keyboard_focus_and_languages(seeded, new_page):
    for viewport in VIEWPORTS:
        page = new_page(viewport)
        page.goto(seeded.url + "/en/heroes/bauyrzhan-momyshuly/")
        assert page.get_attribute("html", "lang"), "<html lang> is empty"

        # Kazakh and Russian names are marked up so screen readers pronounce them.
        expect(page.locator('[lang="kk"]', has_text="Бауыржан Момышұлы").first).to_be_visible()
        expect(page.locator('[lang="ru"]').first).to_be_visible()

        # The first Tab shows the skip link; following it moves focus to <main>.
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link", focused
        expect(page.locator(".skip-link")).to_be_in_viewport()
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # Tab from the top reaches the nav links and the search box, each visibly focused.
        page.goto(seeded.url + "/en/streets/")
        wanted = {"Heroes", "Streets", "Search", "site-search"}
        reached = set()
        for _ in range(12):
            page.keyboard.press("Tab")
            label = page.evaluate("document.activeElement.id || document.activeElement.innerText")
            if label in wanted:
                reached.add(label)
                assert_focus_visible(page)
            if reached == wanted:
                break
        assert reached == wanted, f"[{viewport}] Tab reached only {sorted(reached)}"


def assert_focus_visible(page):
    style = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow,
                    element: document.activeElement.outerHTML.slice(0, 80)};
        }"""
    )
    visible = (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none"
    assert visible, f"no visible focus style: {style}"


@pytest.mark.django_db
def test_public_pages_are_valid_html(vnu_command, tmp_path):
    """The served HTML (not the browser's DOM) of every public page type."""
    call_command("load_sample_tour", verbosity=0)
    client = Client()
    HTML_DIR.mkdir(exist_ok=True)
    files = {}
    files_list = []
    for name, path in PUBLIC_PAGES:
        path = page_path(path)
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        file = HTML_DIR / f"{slug(name)}.html"
        file.write_bytes(response.content)
        files_list.append(file)
        files[file.resolve()] = f"{name} {path}"
    # A known-bad file proves that the checker runs and that its report is read.
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><title>x</title><p><div></p>", encoding="utf-8")
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", str(broken), *map(str, files_list)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    for m in messages:  # vnu reports file:/path URLs
        m["file"] = Path(unquote(urlparse(m.get("url", "")).path)).resolve()
    assert any(m["file"] == broken.resolve() for m in messages), (
        "vnu did not report the known-bad file",
        result.returncode,
        result.stdout[-2000:],
        result.stderr[-2000:],
    )
    errors = [
        f"{files.get(m['file'], m['file'])} line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m["file"] != broken.resolve()
    ]
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(errors)
