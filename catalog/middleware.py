"""Django's LocaleMiddleware, minus its redirect of unprefixed 404s for the URLs that
live outside the language prefixes (the admin, documents, plaque links, visit links,
the language switch): their 404 stays a 404. (Wagtail's catch-all page pattern makes
every ``/<lang>/...`` path look valid, so Django would redirect ``/admin/nonsense/``
to ``/kk/admin/nonsense/``.)"""

from django.middleware.locale import LocaleMiddleware

UNPREFIXED = ("/admin/", "/documents/", "/s/", "/visits/", "/language/", "/static/", "/media/")


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)
