from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from exhibitions import views as exhibition_views
from heroes.views import street_permalink

from . import views
from .sitemap import CatalogSitemap

# Outside the language prefixes: the admin, documents, the plaque permalinks (they
# open the street in the reader's language), the booker's signed link (shown in the
# booking's language), the language switch and the sitemap (it lists every language).
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("s/<slug:code>/", street_permalink, name="street_permalink"),
    path("visits/<str:token>/", exhibition_views.visit_detail, name="visit_detail"),
    path("language/<str:language>/", views.switch_language, name="switch_language"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": CatalogSitemap}}),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# /kk/, /ru/, /en/: the pages, search and calendar feeds in each language. "/" sends a
# reader to the language they chose before (cookie), else the one their browser asks
# for, else Kazakh (django.middleware.locale.LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("search/autocomplete/", views.autocomplete, name="search_autocomplete"),
    path("", include("exhibitions.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
