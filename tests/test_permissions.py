"""Who may do what in the admin: a role x action matrix over the real Wagtail views.

Roles: anonymous, an editor (group "Editors"), a moderator (group "Moderators")
and a superuser. Every case checks the resulting state (page live, latest
revision, workflow status, lock, page exists), not only the status code.

Expected (the editorial set-up of migration catalog 0003): anonymous may do
nothing; editors may view drafts, edit and submit for moderation, but not
publish, approve, reject, unpublish, delete a live page or lift someone else's
lock; moderators and superusers may do everything.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from heroes.models import HeroPage, Settlement

from .admin_helpers import (
    client_for,
    edit_url,
    fresh,
    get_edit_form,
    latest_draft,
    make_user,
    submit_edit_form,
    workflow_action_url,
)
from .i18n_helpers import english

pytestmark = pytest.mark.django_db

MARKER = "Permission-marker-qzx"
ROLES = ("anonymous", "editor", "moderator", "superuser")
ACTIONS = (
    "view_draft",
    "edit",
    "submit",
    "publish",
    "approve",
    "reject",
    "unpublish",
    "delete",
    "unlock",
)
ALLOWED = {
    "anonymous": set(),
    "editor": {"view_draft", "edit", "submit"},
    "moderator": set(ACTIONS),
    "superuser": set(ACTIONS),
}


@pytest.fixture
def people():
    return SimpleNamespace(
        editor=make_user("editor", "Editors"),
        moderator=make_user("moderator", "Moderators"),
        superuser=make_user("boss", superuser=True),
        author=make_user("author", "Editors"),  # submits what the others moderate
        locker=make_user("locker", "Editors"),  # holds the lock the others try to lift
    )


@pytest.fixture
def page():
    """A live hero that no street is named after (so it may be deleted by design)."""
    page = english(HeroPage, slug="madi-begenov")
    assert page.live and page.rank != MARKER and not page.street_links.exists()
    return page


def form_data_for(client, page, people):
    """The edit form's POST data as ``client`` sees it, or as a superuser sees it when
    ``client`` may not open the form (so refused users still POST a complete form)."""
    response = client.get(edit_url(page))
    if response.status_code == 200:
        return get_edit_form(client, edit_url(page))
    return get_edit_form(client_for(people.superuser), edit_url(page))


def start_moderation(page, people):
    """The author changes the rank and submits the page: a task in progress."""
    draft = fresh(page).get_latest_revision_as_object()
    draft.rank = MARKER
    draft.save_revision(user=people.author)
    state = draft.get_workflow().start(draft, people.author)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    return state


# Each action performs the real request(s) as ``client`` and returns
# (whether the action took effect, judged from the database; the responses).


def do_view_draft(client, page, people):
    draft = fresh(page).get_latest_revision_as_object()
    draft.rank = MARKER
    draft.save_revision(user=people.author)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    shown = response.status_code == 200 and MARKER in response.content.decode()
    return shown, [response]


def do_edit(client, page, people):
    opened = client.get(edit_url(page))
    action_url, data = form_data_for(client, page, people)
    saved = submit_edit_form(client, edit_url(page), {"rank": MARKER}, data=data)
    assert fresh(page).rank != MARKER  # saving a draft never publishes
    done = opened.status_code == 200 and latest_draft(page).rank == MARKER
    return done, [opened, saved]


def do_submit(client, page, people):
    action_url, data = form_data_for(client, page, people)
    response = submit_edit_form(client, edit_url(page), {"rank": MARKER}, "action-submit", data)
    assert fresh(page).rank != MARKER  # submitting never publishes
    state = fresh(page).current_workflow_state
    done = (
        state is not None
        and state.status == WorkflowState.STATUS_IN_PROGRESS
        and latest_draft(page).rank == MARKER
    )
    return done, [response]


def do_publish(client, page, people):
    action_url, data = form_data_for(client, page, people)
    response = submit_edit_form(client, edit_url(page), {"rank": MARKER}, "action-publish", data)
    page = fresh(page)
    return page.live and page.rank == MARKER, [response]


def do_approve(client, page, people):
    state = start_moderation(page, people)
    response = client.post(workflow_action_url(page, "approve"), {"comment": "fine"})
    state.refresh_from_db()
    done = state.status == WorkflowState.STATUS_APPROVED and fresh(page).rank == MARKER
    return done, [response]


def do_reject(client, page, people):
    state = start_moderation(page, people)
    response = client.post(workflow_action_url(page, "reject"), {"comment": "no"})
    state.refresh_from_db()
    assert fresh(page).rank != MARKER
    return state.status == WorkflowState.STATUS_NEEDS_CHANGES, [response]


def do_unpublish(client, page, people):
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    return not fresh(page).live, [response]


def do_delete(client, page, people):
    response = client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    return not HeroPage.objects.filter(pk=page.pk).exists(), [response]


def do_unlock(client, page, people):
    page.locked, page.locked_by, page.locked_at = True, people.locker, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    response = client.post(reverse("wagtailadmin_pages:unlock", args=(page.pk,)))
    return not fresh(page).locked, [response]


DO = {action: globals()[f"do_{action}"] for action in ACTIONS}


def refused_cleanly(response, role):
    """Anonymous users are sent to the login page (or refused); nobody gets a 500."""
    if role == "anonymous":
        location = response.get("Location", "")
        return (response.status_code == 302 and location.startswith("/admin/login/")) or (
            response.status_code == 403
        )
    return response.status_code < 500


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, action, page, people):
    client = client_for(getattr(people, role, None))
    done, responses = DO[action](client, page, people)
    expected = action in ALLOWED[role]
    assert done == expected, (
        f"{role} {'could not' if expected else 'COULD'} {action}: "
        f"{[(r.status_code, r.get('Location')) for r in responses]}"
    )
    if not expected:
        for response in responses:
            assert refused_cleanly(response, role), (response.status_code, response.get("Location"))


# --- Other routes to the same actions -------------------------------------------------


def test_editor_cannot_approve_through_the_edit_form(page, people):
    """The edit view has its own "approve" route (action-workflow-action)."""
    state = start_moderation(page, people)
    client = client_for(people.editor)
    action_url, data = form_data_for(client, page, people)
    data["workflow-action-name"] = ["approve"]
    submit_edit_form(client, edit_url(page), action="action-workflow-action", data=data)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert fresh(page).rank != MARKER


def test_editor_can_lift_only_their_own_lock(page, people):
    client = client_for(people.editor)
    client.post(reverse("wagtailadmin_pages:lock", args=(page.pk,)))
    assert fresh(page).locked and fresh(page).locked_by == people.editor
    client.post(reverse("wagtailadmin_pages:unlock", args=(page.pk,)))
    assert not fresh(page).locked


def test_editor_cannot_save_over_someone_elses_lock(page, people):
    page.locked, page.locked_by, page.locked_at = True, people.locker, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    client = client_for(people.editor)
    action_url, data = form_data_for(client, page, people)
    submit_edit_form(client, edit_url(page), {"rank": MARKER}, data=data)
    assert latest_draft(page).rank != MARKER


# --- The reviewed snippets: editors propose, moderators publish -----------------------

SNIPPET_ROLES = {"editor": False, "moderator": True, "superuser": True}


@pytest.mark.parametrize(("role", "allowed"), SNIPPET_ROLES.items())
def test_settlement_publish_permission(role, allowed, people):
    almaty = Settlement.objects.get(name_en="Almaty", region__iso_code="KZ-75")
    client = client_for(getattr(people, role))
    url = reverse("wagtailsnippets_heroes_settlement:edit", args=(almaty.pk,))
    response = submit_edit_form(client, url, {"name_ru": "Алма-Ата-тест"}, "action-publish")
    assert response.status_code < 500
    almaty.refresh_from_db()
    assert (almaty.name_ru == "Алма-Ата-тест") == allowed
    assert almaty.live


@pytest.mark.parametrize(("role", "allowed"), SNIPPET_ROLES.items())
def test_settlement_approve_permission(role, allowed, people):
    almaty = Settlement.objects.get(name_en="Almaty", region__iso_code="KZ-75")
    draft = almaty.get_latest_revision_as_object() if almaty.latest_revision else almaty
    draft.name_ru = "Алма-Ата-тест"
    draft.save_revision(user=people.author)
    state = draft.get_workflow().start(draft, people.author)
    url = reverse(
        "wagtailsnippets_heroes_settlement:workflow_action",
        args=(almaty.pk, "approve", state.current_task_state.pk),
    )
    response = client_for(getattr(people, role)).post(url, {"comment": ""})
    assert response.status_code < 500
    state.refresh_from_db()
    almaty.refresh_from_db()
    assert (state.status == WorkflowState.STATUS_APPROVED) == allowed
    assert (almaty.name_ru == "Алма-Ата-тест") == allowed
