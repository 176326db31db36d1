"""Helpers for tests that drive the real Wagtail admin: users, clients, and reading a
rendered admin edit form into POST data (including the parts Wagtail's JavaScript
draws: StreamField state and the comments formset)."""

import json

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from heroes.models import HeroPage

# --- Helpers: users and clients -------------------------------------------------------


def make_user(username, group=None, superuser=False):
    """A staff account; ``group`` is "Editors" or "Moderators" (created by migration 0003).

    The account uses the admin in English (its Wagtail profile's preferred language):
    the site's default language is Kazakh, and the tests read English admin messages.
    """
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.com", "pw")
    else:
        user = User.objects.create_user(username, f"{username}@example.com", "pw")
    if group:
        user.groups.add(Group.objects.get(name=group))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])
    return user


def client_for(user=None):
    """A test client logged in as ``user`` (anonymous when None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Helpers: admin forms -------------------------------------------------------------


def _flatten_block_state(prefix, state, data):
    """Turn a StreamField's client-side form state (the JSON Wagtail renders for its
    JavaScript) into the POST fields the block widgets read back."""
    if isinstance(state, list) and all(isinstance(i, dict) and "type" in i for i in state):
        data[f"{prefix}-count"] = [str(len(state))]  # a StreamBlock
        for index, child in enumerate(state):
            data[f"{prefix}-{index}-type"] = [child["type"]]
            data[f"{prefix}-{index}-deleted"] = [""]
            data[f"{prefix}-{index}-order"] = [str(index)]
            data[f"{prefix}-{index}-id"] = [child.get("id") or ""]
            _flatten_block_state(f"{prefix}-{index}-value", child["value"], data)
    elif isinstance(state, list):  # a ListBlock
        data[f"{prefix}-count"] = [str(len(state))]
        for index, child in enumerate(state):
            data[f"{prefix}-{index}-deleted"] = [""]
            data[f"{prefix}-{index}-order"] = [str(index)]
            data[f"{prefix}-{index}-id"] = [child.get("id") or ""]
            _flatten_block_state(f"{prefix}-{index}-value", child["value"], data)
    elif isinstance(state, dict):  # a StructBlock
        for name, value in state.items():
            _flatten_block_state(f"{prefix}-{name}", value, data)
    else:
        data[prefix] = ["" if state is None else str(state)]


def _comment_fields(comments):
    """POST fields of Wagtail's comments formset (rendered by JavaScript, not as inputs)."""
    data = {
        "comments-TOTAL_FORMS": [str(len(comments))],
        "comments-INITIAL_FORMS": [str(len(comments))],
        "comments-MIN_NUM_FORMS": ["0"],
        "comments-MAX_NUM_FORMS": ["1000"],
    }
    for i, comment in enumerate(comments):
        p = f"comments-{i}"
        data[f"{p}-id"] = [str(comment["pk"])]
        data[f"{p}-contentpath"] = [comment["contentpath"]]
        data[f"{p}-text"] = [comment["text"]]
        data[f"{p}-position"] = [comment.get("position") or ""]
        if comment.get("resolved"):
            data[f"{p}-resolved"] = ["on"]
        replies = comment.get("replies", [])
        data[f"{p}-replies-TOTAL_FORMS"] = [str(len(replies))]
        data[f"{p}-replies-INITIAL_FORMS"] = [str(len(replies))]
        data[f"{p}-replies-MIN_NUM_FORMS"] = ["0"]
        data[f"{p}-replies-MAX_NUM_FORMS"] = ["1000"]
        for j, reply in enumerate(replies):
            data[f"{p}-replies-{j}-id"] = [str(reply["pk"])]
            data[f"{p}-replies-{j}-text"] = [reply["text"]]
    return data


def add_comment(data, contentpath, text):
    """Add a new comment on field ``contentpath`` to edit-form POST ``data``."""
    i = int(data["comments-TOTAL_FORMS"][0])
    data["comments-TOTAL_FORMS"] = [str(i + 1)]
    data[f"comments-{i}-id"] = [""]
    data[f"comments-{i}-contentpath"] = [contentpath]
    data[f"comments-{i}-text"] = [text]
    data[f"comments-{i}-position"] = [""]
    for key, value in (("TOTAL", "0"), ("INITIAL", "0"), ("MIN_NUM", "0"), ("MAX_NUM", "1000")):
        data[f"comments-{i}-replies-{key}_FORMS"] = [value]
    return data


def parse_edit_form(html):
    """Read the admin's edit form in ``html`` as the browser would submit it.

    Returns ``(action_url, data)``: ``data`` maps field names to lists of values,
    with every input, textarea and select (formset management forms and hidden
    fields included), StreamFields and the comments formset (which Wagtail builds
    in JavaScript) filled in from the JSON the page carries. Action buttons
    (``action-submit`` ...) are not included: add the one you mean.
    """
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", attrs={"data-edit-form": True})
    assert form is not None, "no edit form in the page"
    for template in form.find_all("template"):  # empty formset forms ("__prefix__")
        template.decompose()
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(element.get("value", default))
        elif element.name == "textarea":
            text = element.string or ""
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
        else:
            options = element.find_all("option", selected=True)
            if not options and not element.has_attr("multiple"):
                options = element.find_all("option")[:1]
            for option in options:
                data.setdefault(name, []).append(option.get("value", option.get_text()))
    for block in form.find_all(attrs={"data-w-block-arguments-value": True}):
        state = json.loads(block["data-w-block-arguments-value"])[0]
        _flatten_block_state(block["id"], state, data)
    comments = soup.find("script", id="comments-data")
    if comments is not None:
        data.update(_comment_fields(json.loads(comments.string)["comments"]))
    return form.get("action"), data


def get_edit_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse_edit_form(response.content.decode())


def form_errors(response):
    """Why an admin form POST did not redirect (for assertion messages)."""
    context = getattr(response, "context", None)
    if response.status_code == 200 and context is not None:
        return context.get("errors_debug") or (context["form"].errors if "form" in context else "")
    return response.status_code


def submit_edit_form(client, url, changes=None, action=None, data=None, action_url=None):
    """GET the edit form at ``url`` as ``client`` (unless ``data`` is given), apply
    ``changes`` ({field: value}), press the ``action`` button ("action-submit",
    "action-publish"; None saves a draft) and POST it. Returns the response."""
    if data is None:
        action_url, data = get_edit_form(client, url)
    data = dict(data)
    for name, value in (changes or {}).items():
        data[name] = value if isinstance(value, list) else [value]
    if action:
        data[action] = [action]
    return client.post(action_url or url, data)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def workflow_action_url(page, action, task_state=None):
    task_state = task_state or fresh(page).current_workflow_task_state
    assert task_state is not None, f"{page} is not in moderation"
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def fresh(page):
    """``page`` re-read from the database (the specific HeroPage/StreetPage)."""
    return type(page).objects.get(pk=page.pk)


def latest_draft(page):
    """The page as its latest revision has it."""
    return fresh(page).get_latest_revision_as_object()


def html_of(client, url, query=None, status=200, **extra):
    response = client.get(url, query, **extra)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def hero(slug):
    """The English version of a seeded hero (the source: kk and ru are translations)."""
    return HeroPage.objects.get(slug=slug, locale__language_code="en")
