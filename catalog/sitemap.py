"""sitemap.xml: Wagtail's sitemap of live, public pages, less the pages that answer 404
although they are live: streets whose settlement or region is unpublished (see
StreetPage.serve) and exhibition stops whose exhibition or place is unpublished (see
ExhibitionStopPage.serve)."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap

from exhibitions.models import ExhibitionStopPage
from exhibitions.views import live_stops
from heroes.models import StreetPage


class CatalogSitemap(Sitemap):
    def items(self):
        hidden_streets = StreetPage.objects.filter(
            Q(settlement__live=False) | Q(settlement__region__live=False)
        ).values("pk")
        hidden_stops = ExhibitionStopPage.objects.exclude(pk__in=live_stops().values("pk")).values(
            "pk"
        )
        return super().items().exclude(pk__in=hidden_streets).exclude(pk__in=hidden_stops)
