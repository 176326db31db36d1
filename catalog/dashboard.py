"""The editorial dashboard: gaps in the catalogue that editors should fill.

Shown on the Wagtail admin home page below Wagtail's own panels ("Awaiting your
review" lists what waits for the signed-in moderator); each gap also has a full,
paginated list at ``/admin/catalogue-gaps/<key>/``.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component

from heroes.i18n import first_version
from heroes.models import HeroPage, StreetPage

LINES_PER_GAP = 5

# key: (label, model, lookup)
GAPS = {
    "heroes-without-source": (_("Heroes with no source"), HeroPage, {"sources__isnull": True}),
    "heroes-without-portrait": (
        _("Heroes with no portrait"),
        HeroPage,
        {"portrait__isnull": True},
    ),
    "heroes-without-birth-date": (
        _("Heroes with an unknown birth date"),
        HeroPage,
        {"birth_date_precision": "unknown"},
    ),
    "streets-without-hero": (_("Streets with no hero"), StreetPage, {"heroes__isnull": True}),
    "streets-without-coordinates": (
        _("Streets with no coordinates"),
        StreetPage,
        {"lat__isnull": True},
    ),
}


def gap_pages(key):
    """The pages (drafts included) with gap ``key``, by title, once per page: the
    first version created of each (these facts are the same in every language's
    version, and translations follow the source). Raises KeyError."""
    _label, model, lookup = GAPS[key]
    return (
        model.objects.filter(pk=first_version(model.objects.all()), **lookup)
        .order_by("title")
        .distinct()
    )


def catalogue_gaps():
    """``[(key, label, total, [page, ...])]``: each gap with its first pages."""
    gaps = []
    for key, (label, _model, _lookup) in GAPS.items():
        pages = gap_pages(key)
        gaps.append((key, label, pages.count(), list(pages[:LINES_PER_GAP])))
    return gaps


class CatalogueGapsPanel(Component):
    """Admin home panel listing :func:`catalogue_gaps`, each line linking to the edit view."""

    name = "catalogue_gaps"
    template_name = "catalog/admin/catalogue_gaps.html"
    order = 350  # below "Awaiting your review", "Your most recent edits" and locked pages

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["gaps"] = catalogue_gaps()
        return context


class CatalogueGapView(TemplateView):
    """All pages with one gap, 50 a page, each linking to its edit view."""

    template_name = "catalog/admin/catalogue_gap.html"

    def get_context_data(self, key, **kwargs):
        if key not in GAPS:
            raise Http404
        context = super().get_context_data(**kwargs)
        context["label"] = GAPS[key][0]
        context["pages"] = Paginator(gap_pages(key), 50).get_page(self.request.GET.get("p"))
        return context
