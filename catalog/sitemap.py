"""sitemap.xml: Wagtail's sitemap of live, public pages in every language, each URL
with its ``hreflang`` alternates (the same page's versions in the other languages),
less the pages that answer 404 although they are live: streets whose settlement or
region is unpublished (see StreetPage.serve) and exhibition stops whose exhibition or
place is unpublished (see ExhibitionStopPage.serve)."""

from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from exhibitions.models import ExhibitionStopPage
from exhibitions.views import live_stops
from heroes.i18n import all_versions, locale_code, url_in_language
from heroes.models import StreetPage


class CatalogSitemap(Sitemap):
    def items(self):
        hidden_streets = StreetPage.objects.filter(
            Q(settlement__live=False) | Q(settlement__region__live=False)
        ).values("pk")
        with all_versions():
            shown_stops = live_stops().values("pk")
        hidden_stops = ExhibitionStopPage.objects.exclude(pk__in=shown_stops).values("pk")
        # Every language's tree: the other languages' home pages are the site root's
        # siblings (Wagtail internationalisation).
        return (
            Page.objects.filter(depth__gt=1)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
            .exclude(pk__in=hidden_streets)
            .exclude(pk__in=hidden_stops)
        )

    def _alternates(self):
        """translation_key -> [{"lang_code", "location"}] for every listed page."""
        if not hasattr(self, "_alternates_cache"):
            groups = defaultdict(list)
            root_url = self.get_wagtail_site().root_url  # as Wagtail's <loc> entries
            pages = self.items().specific(False).only("translation_key", "locale", "url_path")
            for page in pages:
                location = root_url + url_in_language(page, locale_code(page.locale_id))
                groups[page.translation_key].append(
                    {"lang_code": locale_code(page.locale_id), "location": location}
                )
            self._alternates_cache = groups
        return self._alternates_cache

    def _urls(self, page, protocol, domain):
        alternates = self._alternates()
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list.iterator():
            for url_info in item.get_sitemap_urls(self.request):
                versions = alternates.get(item.translation_key, [])
                if len(versions) > 1:
                    url_info["alternates"] = versions
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
