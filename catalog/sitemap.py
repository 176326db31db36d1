"""sitemap.xml: Wagtail's sitemap of live, public pages, less streets whose
settlement or region is unpublished (they answer 404, see StreetPage.serve)."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap

from heroes.models import StreetPage


class CatalogSitemap(Sitemap):
    def items(self):
        hidden = StreetPage.objects.filter(
            Q(settlement__live=False) | Q(settlement__region__live=False)
        ).values("pk")
        return super().items().exclude(pk__in=hidden)
