"""Site-wide views: home page data, the search page and its autocomplete."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from heroes.generation import current_generation
from heroes.i18n import (
    active_language,
    all_versions,
    best_translations,
    locale_code,
    public,
    url_in_language,
)
from heroes.models import Region, Settlement
from heroes.views import (
    live_heroes,
    live_street_count,
    live_streets,
    paginate,
    with_portraits,
)

from .search.engine import matches_text
from .search.engine import search as run_search
from .search.forms import SearchForm
from .search.kinds import KINDS

SEARCH_PAGE_SIZE = 20


@require_GET
def switch_language(request, language):
    """The language switcher's links: remember ``language`` (Django's language cookie,
    one year) and go to ``?next=`` (a local path, else that language's home page).

    Raises ``Http404`` for a language the site is not served in. The cookie decides
    where ``/`` and the unprefixed plaque links (``/s/<code>/``) send this reader later.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = f"/{language}/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=request.is_secure(),
    )
    response["Cache-Control"] = "no-store"
    return response


AUTOCOMPLETE_SIZE = 8


def home_page_context(home):
    """``featured`` heroes (editor-chosen, else the most honoured) and ``counts``.

    The ranking and the counts go over the whole catalogue (about 0.1 s at 10,000
    heroes): they are kept per content generation and language (any publish computes
    them afresh), and only the six heroes are loaded per request."""
    featured = [
        item.hero
        for item in with_portraits(
            home.featured_heroes.filter(hero__in=live_heroes()).select_related("hero"),
            prefix="hero__",
        )
    ]
    key = f"home-figures:{current_generation()}:{active_language()}"
    figures = cache.get(key)
    if figures is None:
        streets = live_streets()
        figures = {
            "most_honoured": list(
                live_heroes()
                .annotate(street_count=live_street_count())
                .order_by("-street_count", "title")
                .values_list("pk", flat=True)[:6]
            ),
            "counts": {
                "heroes": live_heroes().count(),
                "streets": streets.count(),
                "settlements": Settlement.objects.filter(live=True, streets__in=streets)
                .distinct()
                .count(),
            },
        }
        cache.set(key, figures, 3600)
    if not featured:
        ids = figures["most_honoured"]
        heroes = with_portraits(live_heroes().filter(pk__in=ids)).annotate(
            street_count=live_street_count()
        )
        featured = sorted(heroes, key=lambda hero: ids.index(hero.pk))
    return {"featured": featured, "counts": figures["counts"]}


def _in_readers_language(pages):
    """Search keys are stored for one version of each page (names are the same in
    every language); show each page with the title and path of the reader's version
    (or its fallback, :func:`heroes.i18n.best_translations`). One query."""
    pages = [page for page in pages if locale_code(page.locale_id) != active_language()]
    if not pages:
        return
    versions = {
        key: (title, url_path)
        for key, title, url_path in best_translations(
            public(Page.objects.live()).filter(
                translation_key__in=[page.translation_key for page in pages]
            )
        ).values_list("translation_key", "title", "url_path")
    }
    for page in pages:
        if page.translation_key in versions:
            page.title, page.url_path = versions[page.translation_key]


def _load(hits, query):
    """Attach the loaded page (``hit.item``) to each hit, leaving out any page that
    is no longer live; street hits found through a former name get
    ``hit.renamed_from``: the matching :class:`heroes.models.FormerName` rows."""
    by_kind = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit.page_id)
    items = {}
    with all_versions():  # the stored version of each page, whatever its language
        for name, page_ids in by_kind.items():
            items.update(KINDS[name].load(page_ids))
    _in_readers_language(items.values())
    loaded = []
    for hit in hits:
        hit.item = items.get(hit.page_id)
        if hit.item is None:
            continue
        if hit.former and hasattr(hit.item, "former_names"):
            hit.renamed_from = [
                former for former in hit.item.former_names.all() if matches_text(query, former.name)
            ]
        loaded.append(hit)
    return loaded


def search_regions():
    """Live regions (the search page's region filter): all twenty, without asking
    which have results, which would cost a join over every street."""
    return Region.objects.filter(live=True)


@require_GET
def search(request):
    """The search page, ``GET /search/?q=&kind=&region=&page=``.

    Finds live, public heroes and streets (current and former names) typed in any
    script, ranked (see :mod:`catalog.search.engine`); ``kind`` and ``region``
    filter, an unknown value is ignored with a message. Renders
    ``catalog/search.html`` with ``form``, ``query``, ``results`` (or None),
    ``hits`` (a page of hits, each with ``item``) and ``kinds``.
    """
    form = SearchForm(request.GET, regions=search_regions().order_by("name_en"))
    if not form.is_valid():
        messages.warning(request, gettext("A filter value was not recognised and was ignored."))
    data = form.cleaned_data
    query = data.get("q", "")
    kind, region = data.get("kind"), data.get("region")
    results = hits = None
    if query:
        results = run_search(query, kinds=[kind] if kind else None, region=region or None)
        hits = paginate(request, results.hits, per_page=SEARCH_PAGE_SIZE)
        hits.object_list = _load(hits.object_list, results.query)
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "results": results,
            "hits": hits,
            "kinds": [
                (item, results.counts.get(item.name, 0) if results else 0)
                for item in KINDS.values()
            ],
            "page_title": _("Search"),
        },
    )


@require_GET
def autocomplete(request):
    """Suggestions while typing, ``GET /search/autocomplete/?q=[&kind=]`` -> JSON
    ``{"query", "results": [{"kind", "kind_label", "label", "detail", "url"}], "status"}``.

    At most eight live, public pages, ranked as on the search page; ``status`` is a
    translated sentence for screen readers. An unknown ``kind`` gives all kinds.
    """
    form = SearchForm(request.GET, regions=[])
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    kind = form.cleaned_data.get("kind")
    suggestions = []
    if query:
        results = run_search(query, kinds=[kind] if kind else None, limit=AUTOCOMPLETE_SIZE)
        for hit in _load(results.hits, results.query):
            label, detail = KINDS[hit.kind].suggestion(hit.item)
            if hit.renamed_from:
                formerly = gettext("formerly %(name)s") % {"name": hit.renamed_from[0].name}
                detail = f"{detail} · {formerly}" if detail else formerly
            suggestions.append(
                {
                    "kind": hit.kind,
                    "kind_label": str(hit.kind_label),
                    "label": label,
                    "detail": detail,
                    "url": url_in_language(hit.item, active_language()),
                }
            )
    status = (
        ngettext("%(count)d suggestion", "%(count)d suggestions", len(suggestions))
        % {"count": len(suggestions)}
        if suggestions
        else gettext("No suggestions")
    )
    return JsonResponse({"query": query, "results": suggestions, "status": status})
