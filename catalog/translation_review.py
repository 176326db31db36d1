"""Translations go through the editorial review workflow, like every other change.

wagtail-localize 1.14's translation editor has no "Submit for review": who may
publish publishes there, others can only save strings. And its "Update existing
translations" view offers "Publish immediately" to anyone allowed to submit
translations, editors included: a way around review. This module

* replaces that view (same address, registered before wagtail-localize's) with one
  that offers "Publish immediately" only to users who may publish every translated
  version (:class:`ReviewedUpdateTranslationsView`);
* adds "Submit translation for review" for a translated page
  (:func:`submit_translation_for_review`): the page's translated strings are saved as
  a draft revision (wagtail-localize's ``save_target(publish=False)``) and the page's
  workflow ("Editorial review") starts; moderators approve or reject it as any other
  change, from their dashboard.

New translations start as drafts (settings: ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_
TRANSLATE = False``); the seed importer publishes its own translations itself.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.widgets import ListingButton
from wagtail.models import DraftStateMixin, Page
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.models import Translation
from wagtail_localize.views.update_translations import UpdateTranslationsView

from heroes.i18n import synchronised_fields


def may_publish(user, instance):
    """Whether ``user`` may publish ``instance`` (a page or a snippet)."""
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    if isinstance(instance, DraftStateMixin):
        return user.is_superuser or user.has_perm(get_permission_name("publish", type(instance)))
    return True


class ReviewedUpdateTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Update existing translations" (sync the translated versions
    with their source) with "Publish immediately" only for users who may publish
    every version it would publish; for others the updates stay drafts."""

    def may_publish_all(self):
        source_instance = self.object.get_source_instance()
        targets = source_instance.get_translations() if source_instance else []
        return all(
            may_publish(
                self.request.user, target.specific_deferred if isinstance(target, Page) else target
            )
            for target in targets
        )

    def get_form(self):
        form = super().get_form()
        if not self.may_publish_all():
            field = form.fields["publish_translations"]
            field.disabled = True  # its value is then always the initial False
            field.initial = False
            field.widget = forms.HiddenInput()
        return form


def translation_of(page):
    """The enabled wagtail-localize Translation whose target is ``page``, or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )


def draft_revision(translation, page, user):
    """Save the translation's current strings as a draft revision of ``page`` (a live
    or draft translated page) and return the page with that revision as its latest.

    wagtail-localize's ``save_target(publish=False)`` also writes the translated
    content to the page's row, which is what the public site shows: it runs inside a
    savepoint that is rolled back, keeping only the revision's content. The revision
    keeps the version's own address (slug: wagtail-localize would make a Kazakh slug
    ASCII) and the facts as they are now (:func:`heroes.i18n.synchronised_fields`;
    wagtail-localize would take them from its last sync, possibly older)."""
    savepoint = transaction.savepoint()
    try:
        translation.save_target(user=user, publish=False)
        content = dict(Page.objects.get(pk=page.pk).latest_revision.content)
    finally:
        transaction.savepoint_rollback(savepoint)
    page = Page.objects.get(pk=page.pk).specific
    live = page.serializable_data()
    for name in ("slug", "url_path"):
        content[name] = live[name]
    for field in synchronised_fields(type(page)):
        content[field.name] = live[field.name]
    draft = page.with_content_json(content)
    draft.save_revision(user=user, log_action=True)
    return Page.objects.get(pk=page.pk).specific


@require_http_methods(["GET", "POST"])
def submit_translation_for_review(request, page_id):
    """GET: confirm; POST: save the translation as a draft revision and start the
    page's workflow. 403 for users who may not edit the page; 404 when the page is
    not a translation kept by wagtail-localize."""
    page = get_object_or_404(Page, id=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = translation_of(page)
    if translation is None:
        raise PermissionDenied
    workflow = page.get_workflow()
    explore_url = reverse("wagtailadmin_explore", args=[page.get_parent().id])
    if request.method == "POST":
        if workflow is None:
            messages.error(request, _("This page has no review workflow."))
        elif page.workflow_in_progress:
            messages.warning(request, _("This translation is already awaiting review."))
        else:
            with transaction.atomic():
                draft = draft_revision(translation, page, request.user)
                workflow.start(draft, request.user)
            messages.success(
                request,
                _("The translation of “%(title)s” was submitted for review.")
                % {"title": page.get_admin_display_title()},
            )
        return redirect(explore_url)
    return TemplateResponse(
        request,
        "catalog/admin/submit_translation.html",
        {
            "page": page,
            "workflow": workflow,
            "language": translation.target_locale,
            "cancel_url": explore_url,
        },
    )


def review_buttons(page, user, view_name=None, next_url=None):
    """ "Submit translation for review" in a translated page's header and listing menu,
    for users who may edit it but not publish it (publishers publish from the
    translation editor)."""
    if page.is_root() or page.locale_id is None:
        return
    perms = page.permissions_for_user(user)
    if not perms.can_edit() or perms.can_publish() or page.workflow_in_progress:
        return
    if translation_of(page) is None:
        return
    yield ListingButton(
        gettext_lazy("Submit translation for review"),
        reverse("submit_translation_for_review", args=[page.id]),
        priority=65,
        icon_name="resubmit",
    )
