"""The editorial dashboard: gaps in the catalogue that editors should fill.

Shown on the Wagtail admin home page next to Wagtail's own panels ("Awaiting
your review" lists the pages and snippets waiting for the signed-in moderator).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from heroes.models import HeroPage, StreetPage

LINES_PER_GAP = 10

GAPS = [
    (_("Heroes with no source"), HeroPage, {"sources__isnull": True}),
    (_("Heroes with no portrait"), HeroPage, {"portrait__isnull": True}),
    (_("Heroes with an unknown birth date"), HeroPage, {"birth_date_precision": "unknown"}),
    (_("Streets with no hero"), StreetPage, {"heroes__isnull": True}),
    (_("Streets with no coordinates"), StreetPage, {"lat__isnull": True}),
]


def catalogue_gaps():
    """``[(label, total, [page, ...])]``: each gap with its first pages, by title."""
    gaps = []
    for label, model, lookup in GAPS:
        pages = model.objects.filter(**lookup).order_by("title").distinct()
        gaps.append((label, pages.count(), list(pages[:LINES_PER_GAP])))
    return gaps


class CatalogueGapsPanel(Component):
    """Admin home panel listing :func:`catalogue_gaps`, each line linking to the edit view."""

    name = "catalogue_gaps"
    template_name = "catalog/admin/catalogue_gaps.html"
    order = 230

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["gaps"] = catalogue_gaps()
        context["lines_per_gap"] = LINES_PER_GAP
        return context
