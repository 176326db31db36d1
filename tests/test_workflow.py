"""The editorial workflow end to end, through the real Wagtail admin views.

Editors edit and submit, moderators comment, request changes and approve;
nothing an editor proposes reaches the public site before a moderator approves
it (pages, scheduled pages and the Settlement snippet); revisions can be compared
and rolled back; drafts, unpublished and restricted heroes never leak to
anonymous readers.

The helpers at the top (reading a rendered admin form into POST data, users,
clients) are shared with ``test_permissions.py``.
"""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Comment, PageViewRestriction, Revision, WorkflowState

from heroes.models import HeroPage, Settlement, StreetHero, StreetPage

from .admin_helpers import (
    add_comment,
    edit_url,
    form_errors,
    fresh,
    get_edit_form,
    hero,
    html_of,
    latest_draft,
    submit_edit_form,
    workflow_action_url,
)

pytestmark = pytest.mark.django_db


# --- The full review cycle ------------------------------------------------------------


def test_edit_submit_comment_reject_resubmit_approve(
    editor, moderator, editor_client, moderator_client, public
):
    page = hero("talgat-bigeldinov")
    old_rank = page.rank
    first, final = "Rank-marker-1-qzx", "Rank-marker-2-qzx"
    public_url = "/en/heroes/talgat-bigeldinov/"

    def public_shows(text):
        return text in html_of(public, public_url)

    # 1. The editor changes the rank and submits it for moderation.
    response = submit_edit_form(editor_client, edit_url(page), {"rank": first}, "action-submit")
    assert response.status_code == 302, form_errors(response)
    state = fresh(page).current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor
    assert latest_draft(page).rank == first
    assert fresh(page).rank == old_rank and fresh(page).live
    assert not public_shows(first)

    # While in moderation the editor cannot change the page any more.
    response = submit_edit_form(editor_client, edit_url(page), {"rank": "sneaky-edit-qzx"})
    assert latest_draft(page).rank == first

    # 2. The moderator comments on the rank (a Wagtail comment, posted with the edit
    #    form as the admin's JavaScript does) and requests changes in the same POST.
    action_url, data = get_edit_form(moderator_client, edit_url(page))
    add_comment(data, "rank", "Which source gives this rank?")
    data["workflow-action-name"] = ["reject"]
    data["workflow-action-extra-data"] = [json.dumps({"comment": "Please cite a source."})]
    response = submit_edit_form(
        moderator_client,
        edit_url(page),
        action="action-workflow-action",
        data=data,
        action_url=action_url,
    )
    assert response.status_code == 302, form_errors(response)
    comment = Comment.objects.get(page=page)
    assert (comment.text, comment.contentpath, comment.user) == (
        "Which source gives this rank?",
        "rank",
        moderator,
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert fresh(page).rank == old_rank
    assert not public_shows(first)

    # 3. The editor sees the comment, edits again and resubmits.
    editor_html = html_of(editor_client, edit_url(page))
    assert "Which source gives this rank?" in editor_html
    response = submit_edit_form(editor_client, edit_url(page), {"rank": final}, "action-submit")
    assert response.status_code == 302, form_errors(response)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert latest_draft(page).rank == final
    assert Comment.objects.filter(page=page).count() == 1  # the comment survived the edit
    assert fresh(page).rank == old_rank
    assert not public_shows(first) and not public_shows(final)

    # 4. The moderator approves: now, and only now, the public sees the new rank.
    response = moderator_client.post(workflow_action_url(page, "approve"), {"comment": ""})
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    page = fresh(page)
    assert page.live and page.rank == final and not page.has_unpublished_changes
    assert public_shows(final) and not public_shows(first)


def test_approval_publishes_and_releases_the_editors_lock(
    editor, editor_client, moderator_client, public
):
    page = hero("nurken-abdirov")
    marker = "Locked-rank-marker-qzx"

    response = editor_client.post(reverse("wagtailadmin_pages:lock", args=(page.pk,)))
    assert response.status_code == 302
    assert fresh(page).locked and fresh(page).locked_by == editor

    response = submit_edit_form(editor_client, edit_url(page), {"rank": marker}, "action-submit")
    assert response.status_code == 302, form_errors(response)
    assert fresh(page).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert marker not in html_of(public, "/en/heroes/nurken-abdirov/")

    response = moderator_client.post(workflow_action_url(page, "approve"), {"comment": ""})
    assert response.status_code == 302
    page = fresh(page)
    assert page.live and page.rank == marker
    assert not page.locked and page.locked_by is None and page.locked_at is None
    assert marker in html_of(public, "/en/heroes/nurken-abdirov/")


def test_scheduled_change_by_a_non_publishing_editor_goes_live_after_approval(
    editor, editor_client, moderator_client, public
):
    page = hero("kasym-kaisenov")
    old_rank = page.rank
    marker = "Scheduled-rank-marker-qzx"
    go_live = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        second=0, microsecond=0
    )

    response = submit_edit_form(
        editor_client,
        edit_url(page),
        {"rank": marker, "go_live_at": go_live.strftime("%Y-%m-%d %H:%M")},
        "action-submit",
    )
    assert response.status_code == 302, form_errors(response)
    assert latest_draft(page).go_live_at == go_live

    response = moderator_client.post(workflow_action_url(page, "approve"), {"comment": ""})
    assert response.status_code == 302
    revision = Revision.objects.get(pk=fresh(page).latest_revision_id)
    assert revision.user == editor  # the author cannot publish ...
    assert revision.approved_go_live_at == go_live  # ... but the moderator approved it
    assert fresh(page).rank == old_rank and fresh(page).live
    assert marker not in html_of(public, "/en/heroes/kasym-kaisenov/")

    # Not yet time: the scheduler leaves it alone.
    call_command("publish_scheduled", verbosity=0)
    assert fresh(page).rank == old_rank

    # Two days later the scheduler (no user) publishes the approved revision.
    later = timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    page = fresh(page)
    assert page.live and page.rank == marker
    assert page.live_revision_id == revision.pk
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert marker in html_of(public, "/en/heroes/kasym-kaisenov/")


def test_renamed_settlement_is_public_only_after_approval(
    editor, editor_client, moderator_client, public
):
    almaty = Settlement.objects.get(name_en="Almaty", region__iso_code="KZ-75")
    old_name_ru = almaty.name_ru
    new_name = "Алма-Ата-проверка"
    street = "/ru/streets/almaty-momyshuly-ave/"
    url = reverse("wagtailsnippets_heroes_settlement:edit", args=(almaty.pk,))

    def street_in_russian():
        return html_of(public, street, HTTP_ACCEPT_LANGUAGE="ru")

    assert new_name not in street_in_russian()

    response = submit_edit_form(editor_client, url, {"name_ru": new_name}, "action-submit")
    assert response.status_code == 302, form_errors(response)
    almaty.refresh_from_db()
    assert almaty.name_ru == old_name_ru and almaty.live
    assert almaty.get_latest_revision_as_object().name_ru == new_name
    state = almaty.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert new_name not in street_in_russian()
    assert "Almaty" in street_in_russian()  # the published name (kk/ru empty: en fallback)

    task_state = state.current_task_state
    approve = reverse(
        "wagtailsnippets_heroes_settlement:workflow_action",
        args=(almaty.pk, "approve", task_state.pk),
    )
    response = moderator_client.post(approve, {"comment": ""})
    assert response.status_code == 302
    almaty.refresh_from_db()
    assert almaty.name_ru == new_name and almaty.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert new_name in street_in_russian()


def test_approval_releases_the_editors_lock_on_a_settlement(
    editor, editor_client, moderator_client
):
    kokshetau = Settlement.objects.get(name_en="Kokshetau")
    url = reverse("wagtailsnippets_heroes_settlement:edit", args=(kokshetau.pk,))
    lock = reverse("wagtailsnippets_heroes_settlement:lock", args=(kokshetau.pk,))
    assert editor_client.post(lock).status_code == 302
    kokshetau.refresh_from_db()
    assert kokshetau.locked and kokshetau.locked_by == editor

    response = submit_edit_form(
        editor_client, url, {"name_ru": "Кокшетау-проверка"}, "action-submit"
    )
    assert response.status_code == 302, form_errors(response)
    task_state = Settlement.objects.get(pk=kokshetau.pk).current_workflow_task_state
    approve = reverse(
        "wagtailsnippets_heroes_settlement:workflow_action",
        args=(kokshetau.pk, "approve", task_state.pk),
    )
    assert moderator_client.post(approve, {"comment": ""}).status_code == 302
    kokshetau.refresh_from_db()
    assert kokshetau.name_ru == "Кокшетау-проверка" and kokshetau.live
    assert not kokshetau.locked and kokshetau.locked_by is None


def test_revisions_compare_and_rollback(moderator_client, public):
    page = hero("bauyrzhan-momyshuly")
    assert page.rank == "Colonel"
    old_revision = page.live_revision
    marker = "Compare-rank-marker-qzx"

    response = submit_edit_form(
        moderator_client, edit_url(page), {"rank": marker}, "action-publish"
    )
    assert response.status_code == 302, form_errors(response)
    page = fresh(page)
    assert page.rank == marker
    new_revision = page.live_revision
    assert new_revision != old_revision

    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=(page.pk, old_revision.pk, new_revision.pk)
    )
    html = html_of(moderator_client, compare)
    assert "Colonel" in html and marker in html

    revert = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, old_revision.pk))
    action_url, data = get_edit_form(moderator_client, revert)
    assert data["rank"] == ["Colonel"]
    assert action_url == revert
    response = submit_edit_form(
        moderator_client, revert, action="action-publish", data=data, action_url=action_url
    )
    assert response.status_code == 302, form_errors(response)
    page = fresh(page)
    assert page.rank == "Colonel" and page.live_revision not in (old_revision, new_revision)
    html = html_of(public, "/en/heroes/bauyrzhan-momyshuly/")
    assert "<dd>Colonel</dd>" in html and marker not in html


# --- No leaks to anonymous readers ----------------------------------------------------

DRAFT_MARKER = "Draftleak-marker-qzx"


@pytest.fixture
def hidden_heroes():
    """A live hero with a newer draft (``DRAFT_MARKER`` everywhere in it), an unpublished
    hero, a password-protected hero and a logged-in-only hero. Returns
    {"draft", "unpublished", "password", "login"} -> HeroPage."""
    draft = hero("pavel-zhurba")
    draft.title = draft.name_en = f"Pavel {DRAFT_MARKER}"
    draft.name_ru = draft.name_kk = draft.name_kk_latn = DRAFT_MARKER
    draft.rank = draft.summary = DRAFT_MARKER
    draft.save_revision()
    assert hero("pavel-zhurba").has_unpublished_changes

    # Hidden in every language: a reader of one language is otherwise served another
    # language's live, public version.
    for version in HeroPage.objects.filter(slug="ivan-panfilov"):
        version.unpublish()
    unpublished = hero("ivan-panfilov")

    for version in HeroPage.objects.filter(slug="tulegen-tokhtarov"):
        PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    password = hero("tulegen-tokhtarov")
    for version in HeroPage.objects.filter(slug="izgutty-aitykov"):
        PageViewRestriction.objects.create(page=version, restriction_type=PageViewRestriction.LOGIN)
    login = hero("izgutty-aitykov")
    return {"draft": draft, "unpublished": unpublished, "password": password, "login": login}


def _path(page):
    """``page``'s path below its language's home page: ``"/heroes/ivan-panfilov/"``."""
    return "/" + page.url_path.split("/", 2)[2]


def _names(page):
    return {
        name
        for name in (page.title, page.name_en, page.name_ru, page.name_kk, page.name_kk_latn)
        if name
    }


def test_no_leaks_of_drafts_unpublished_or_restricted_heroes(hidden_heroes, public):
    hidden = [hidden_heroes[key] for key in ("unpublished", "password", "login")]
    forbidden = {DRAFT_MARKER}
    for page in hidden:
        forbidden |= _names(page) | {_path(page), page.summary}
    forbidden.discard("")

    streets = StreetPage.objects.filter(
        pk__in=StreetHero.objects.filter(hero__in=list(hidden_heroes.values())).values("page")
    )
    assert streets.count() >= 5
    urls = ["/", "/heroes/", "/heroes/?page=2", "/heroes/?page=3", "/streets/", "/sitemap.xml"]
    urls += [f"/heroes/?letter={letter}" for letter in "IPT"]
    urls += [f"/heroes/?region={code}" for code in ("KZ-75", "KZ-63")] + [
        f"/streets/?region={code}" for code in ("KZ-75", "KZ-63")
    ]
    urls += ["/heroes/?award=Hero+of+the+Soviet+Union"]
    # Pages that list related heroes (same settlement): Almaty and Oskemen.
    urls += ["/heroes/bauyrzhan-momyshuly/", "/heroes/pyotr-logvin/", "/heroes/pyotr-miller/"]
    urls += ["/heroes/pavel-zhurba/"]  # the live version of the hero with a draft
    urls += [_path(street) for street in streets]
    searches = {DRAFT_MARKER}
    for page in hidden:
        searches |= _names(page) | {page.name_en.split()[-1]}
    hidden_urls = {_path(page) for page in hidden}
    hidden_urls.add("/heroes/pavel-zhurba/")  # must not be found by its draft marker

    for language in ("en", "ru", "kk"):
        for url in urls:
            if url != "/sitemap.xml":  # the sitemap has no language prefix
                url = f"/{language}{url}"
            html = html_of(public, url, HTTP_ACCEPT_LANGUAGE=language)
            leaked = {text for text in forbidden if text in html}
            assert not leaked, (url, language, leaked)
        for query in sorted(searches):
            # The search page repeats the query; what must not appear is anything else.
            html = html_of(
                public, f"/{language}/search/", {"q": query}, HTTP_ACCEPT_LANGUAGE=language
            )
            leaked = {text for text in forbidden if text in html and query not in text}
            leaked |= {url for url in hidden_urls if url in html}
            assert not leaked, (query, language, leaked)

    # The heroes' own pages: the draft is not shown, the others show nothing of theirs.
    html = html_of(public, "/en/heroes/pavel-zhurba/")
    assert DRAFT_MARKER not in html and "Pavel Zhurba" in html
    for language in ("en", "ru", "kk"):
        assert public.get(f"/{language}/heroes/ivan-panfilov/").status_code == 404, language
        response = public.get(f"/{language}/heroes/izgutty-aitykov/")
        assert response.status_code == 302 and "izgutty-aitykov" in response["Location"]
        html = html_of(public, f"/{language}/heroes/tulegen-tokhtarov/")  # the password form
        page = hidden_heroes["password"]
        leaked = {
            text for text in _names(page) | {page.summary, page.rank} if text and text in html
        }
        assert not leaked, (language, leaked)
        assert 'name="password"' in html

    # Short links of the streets that name them lead to pages without them either, in
    # the reader's language (the plaque serves all three).
    for language in ("en", "ru", "kk"):
        for street in streets:
            response = public.get(
                f"/s/{street.short_code}/", follow=True, HTTP_ACCEPT_LANGUAGE=language
            )
            assert response.status_code == 200, (street.short_code, language)
            html = response.content.decode()
            leaked = {text for text in forbidden if text in html}
            assert not leaked, (street.short_code, language, leaked)


def test_street_in_an_unpublished_settlement_is_hidden(public):
    Settlement.objects.get(name_en="Kostanay").unpublish()
    for language in ("en", "ru", "kk"):
        assert public.get(f"/{language}/streets/kostanay-beda-st/").status_code == 404
    assert "/streets/kostanay-beda-st/" not in html_of(public, "/sitemap.xml")  # any language


def test_editors_cannot_delete_a_page_that_was_published(editor, editor_client):
    page = hero("madi-begenov")
    page.unpublish()
    editor_client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    assert HeroPage.objects.filter(pk=page.pk).exists()


def test_editors_can_delete_their_own_never_published_draft(editor, editor_client):
    index = hero("madi-begenov").get_parent()
    draft = index.add_child(
        instance=HeroPage(title="Draft by editor", slug="draft-by-editor", live=False, owner=editor)
    )
    editor_client.post(reverse("wagtailadmin_pages:delete", args=(draft.pk,)))
    assert not HeroPage.objects.filter(pk=draft.pk).exists()
