"""Admin set-up for editors: the dashboard panel and the editor guide."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from . import translation_review
from .dashboard import CatalogueGapsPanel, CatalogueGapView


@hooks.register("construct_homepage_panels")
def add_catalogue_gaps(request, panels):
    panels.append(CatalogueGapsPanel())


class EditorGuideView(TemplateView):
    """The in-admin guide: what each field means, uncertain dates, sourcing rules."""

    template_name = "catalog/admin/editor_guide.html"


@hooks.register("register_admin_urls")
def editorial_urls():
    return [
        path("editor-guide/", EditorGuideView.as_view(), name="editor_guide"),
        path("catalogue-gaps/<slug:key>/", CatalogueGapView.as_view(), name="catalogue_gap"),
        # Before wagtail-localize's own (this app's hooks run first): the same address.
        path(
            "localize/update/<int:translation_source_id>/",
            translation_review.ReviewedUpdateTranslationsView.as_view(),
            name="reviewed_update_translations",
        ),
        path(
            "translations/<int:page_id>/submit-for-review/",
            translation_review.submit_translation_for_review,
            name="submit_translation_for_review",
        ),
    ]


hooks.register("register_page_header_buttons", translation_review.review_buttons)
hooks.register("register_page_listing_more_buttons", translation_review.review_buttons)


@hooks.register("register_admin_menu_item")
def editor_guide_menu_item():
    return MenuItem(_("Editor guide"), reverse("editor_guide"), icon_name="help", order=10000)


def _ever_published(pages):
    """Whether any of ``pages`` or their descendants has ever been published."""
    return any(
        page.get_descendants(inclusive=True).filter(first_published_at__isnull=False).exists()
        for page in pages
    )


def _refuse_deleting_published(request, pages):
    if all(page.permissions_for_user(request.user).can_publish() for page in pages):
        return None
    if not _ever_published(pages):
        return None
    messages.error(
        request,
        _(
            "Only moderators can delete a page that has been published: its history is "
            "part of the public record. Ask a moderator, or unpublish it instead."
        ),
    )
    return redirect(reverse("wagtailadmin_explore", args=[pages[0].get_parent().pk]))


@hooks.register("before_delete_page")
def refuse_editors_deleting_published_pages(request, page):
    """Editors may delete only their drafts that were never published (Wagtail alone
    would let them delete any unpublished page)."""
    return _refuse_deleting_published(request, [page])


@hooks.register("before_bulk_action")
def refuse_editors_bulk_deleting_published_pages(request, action_type, objects, action):
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return _refuse_deleting_published(request, list(objects))
    return None
