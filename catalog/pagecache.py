"""Anonymous page cache: whole public responses kept in the ``pages`` cache.

Who is served from it: ``GET`` requests without a session cookie (readers who never
signed in; an editor's browser always has one, so editors, previews and anyone with a
session never see a cached page) for paths outside :data:`NEVER_CACHED` (the admin,
documents, visit-management links, the language switch, static and media files).

What is stored: complete 200 responses that set no cookie, did not use a CSRF token
(pages with a form, e.g. the booking form), are not marked private/no-store and vary
on nothing but ``Cookie`` (Django's ``LocaleMiddleware`` adds ``Accept-Language`` to
unprefixed addresses such as ``/``: those are not stored). Stored for
``PAGE_CACHE_SECONDS`` (0 turns the cache off), keyed by host and full path with query.

Invalidation: every entry is filed under the cache's current *generation* (a random
token in the same cache). Any change a public page may show starts a new generation
once its transaction commits, so the next anonymous request renders afresh:
publishing, unpublishing, moving or deleting a page, saving or deleting a snippet,
a setting, an image, document or tag, and any change in this project's apps
(regions, settlements, awards, exhibition slots and bookings: a booking changes the
places left on a stop's page). A request keeps the generation it started with, so a
page rendered from data that changed while it rendered is filed under the old,
abandoned generation and never served.

This trades precision (one publish empties the whole cache) for certainty: a hero's
name appears on street pages, indexes, search results, feeds and three language
versions, and tracking each would be easy to get wrong. Publishing is rare next to
reading; a cold page costs one normal render.

Headers: a stored or storable response gets ``Cache-Control: public, max-age=0,
s-maxage=60``: browsers ask again each time (``PAGE_CACHE_BROWSER_SECONDS``, 0: a
reader reloading after a publish sees it), answered from this cache, and with a 304
when their copy is current (``ConditionalGetMiddleware``'s ETag: little to send on a
slow mobile connection); a CDN may keep the page ``PAGE_CACHE_CDN_SECONDS`` (60).
Responses for signed-in users get ``Cache-Control: private, no-cache``. ``Vary:
Cookie`` stays (it tells shared caches that a signed-in reader's page differs). A CDN
in front purges through ``wagtail.contrib.frontend_cache`` (README, "Page cache and
CDN").
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_cache_control
from wagtail import signals as wagtail_signals
from wagtail.models import Page

from exhibitions.signals import bookings_changed
from heroes.generation import current_generation, new_generation, shared_cache

# Never cached: staff and personal addresses, redirects by cookie, files.
NEVER_CACHED = ("/admin/", "/documents/", "/visits/", "/language/", "/static/", "/media/")
# Changes in these apps can show on a public page.
WATCHED_APPS = {
    "heroes",
    "exhibitions",
    "catalog",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "taggit",
}
# Models in those apps whose saves are bookkeeping, not public content (a page's own
# saves come with page_published / page_unpublished; drafts and workflow steps do not
# change what readers see).
IGNORED_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pagelock",
    "wagtailcore.referenceindex",
    "wagtailcore.uploadedfile",
    "wagtailimages.rendition",
    "wagtailimages.uploadedimage",
    # The street search's keys follow publishes (catalog/search/sync.py); a rebuild
    # deletes them in bulk, which per-row signals would make slow.
    "catalog.searchentry",
    "catalog.searchname",
    "catalog.searchterm",
    "catalog.searchindexstate",
}


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


page_cache = shared_cache


def invalidate():
    """Every cached page is rendered afresh on its next request (a new content
    generation, see :mod:`heroes.generation`)."""
    new_generation()


def cache_key(request, generation):
    address = f"{request.get_host()}{request.get_full_path()}"
    return f"page:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def is_cacheable_request(request):
    return (
        enabled()
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A message waiting to be shown (messages' cookie storage) is shown fresh.
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(NEVER_CACHED)
    )


def is_storable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE"):
        return False  # the page has a form with a CSRF token
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie"}


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous readers' pages (see the module docstring).

    Place it after the security, static-file and CSP middleware (their headers are
    added to cached responses as to fresh ones) and before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            elif settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header(
                "Cache-Control"
            ):
                # A session (even a stale one) may shape the page: no shared cache keeps it.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        cache = page_cache()
        key = cache_key(request, current_generation())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached

        response = self.get_response(request)
        if is_storable_response(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
                s_maxage=settings.PAGE_CACHE_CDN_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
            # Template responses are rendered by now (the handler renders them).
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response


# --- Invalidation ---------------------------------------------------------------------


def _is_watched(model):
    meta = model._meta
    return meta.app_label in WATCHED_APPS and meta.label_lower not in IGNORED_MODELS


def _changed(sender=None, **kwargs):
    invalidate()


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and _is_watched(type(instance)):
        invalidate()


def connect():
    """Connect the invalidation receivers (CatalogConfig.ready). Saves and deletes are
    watched per model (a receiver for every sender would turn off Django's fast
    deletes everywhere)."""
    for model in apps.get_models():
        if not _is_watched(model):
            continue
        uid = f"pagecache-{model._meta.label_lower}"
        if not issubclass(model, Page):  # drafts save pages too: publishing signals below
            post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")
    for signal in (
        wagtail_signals.page_published,
        wagtail_signals.page_unpublished,
        wagtail_signals.post_page_move,
        wagtail_signals.published,
        wagtail_signals.unpublished,
        bookings_changed,
    ):
        signal.connect(_changed, dispatch_uid=f"pagecache-{id(signal)}")
