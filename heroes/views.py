"""Querying and shaping data for the heroes and streets pages.

Each function returns a template context dict; query counts stay constant as
the catalogue grows (select_related / prefetch_related, pagination).
"""

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from .generation import current_generation
from .i18n import active_language, best_translations, public
from .models import HeroAward, HeroPage, HeroTag, Region, StreetHero, StreetPage
from .renditions import CARD, picture_filters
from .tags import tag_slug

PAGE_SIZE = 24
# The renditions that includes/hero_card.html's {% picture %} asks for.
PORTRAIT_FILTERS = picture_filters(CARD)


def paginate(request, object_list, per_page=PAGE_SIZE, param="page"):
    """Return the requested ``Page`` of ``object_list`` from ``?<param>=``.

    A missing or bad page number gives the nearest page, never an error.
    """
    return Paginator(object_list, per_page).get_page(request.GET.get(param))


def live_streets():
    """Live, public streets in published settlements, one version per street (the
    reader's language, else the fallback of :func:`heroes.i18n.best_translations`),
    with settlement and region loaded."""
    return best_translations(
        public(StreetPage.objects.live())
        .filter(settlement__live=True, settlement__region__live=True)
        .select_related("settlement__region")
    )


def live_heroes():
    """Live, public heroes, one version per hero (the reader's language, else the
    fallback of :func:`heroes.i18n.best_translations`)."""
    return best_translations(public(HeroPage.objects.live()))


def linked_heroes(links):
    """The live heroes (reader's version) that ``links`` (a StreetHero queryset) name.

    A link may point at any language's version of a hero (wagtail-localize copies page
    links unchanged into translations), so heroes are matched by ``translation_key``."""
    return live_heroes().filter(translation_key__in=links.values("hero__translation_key"))


def with_portraits(heroes, prefix=""):
    """``heroes`` (a queryset, or links to heroes with ``prefix="hero__"``) with each
    portrait and its list-size rendition loaded, so a list of cards costs no query per card."""
    return heroes.prefetch_related(
        Prefetch(
            f"{prefix}portrait",
            queryset=get_image_model().objects.prefetch_renditions(*PORTRAIT_FILTERS),
        )
    )


def live_street_count():
    """An annotation: the number of live streets named after each hero (unaffected by filters).

    A street counts once, whatever the number of its language versions (a hero's versions
    are linked from every version of a street; under :func:`heroes.i18n.all_versions`,
    as in search results, :func:`live_streets` holds them all)."""
    # Any live, public version of a street in a published place counts, once per
    # street: no need to pick the reader's version (a correlated subquery on the
    # hero's links, instead of a list of every live street).
    restricted = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("page__path"), F("page__path"))
    )
    links = (
        StreetHero.objects.filter(
            hero__translation_key=OuterRef("translation_key"),
            page__live=True,
            page__settlement__live=True,
            page__settlement__region__live=True,
        )
        .filter(~Exists(restricted))
        .order_by()
        .values("hero__translation_key")
        .annotate(n=Count("page__translation_key", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(links), 0)


def live_hero_links():
    """Street-to-hero links whose hero is live and public in some language, hero
    loaded (for Prefetch). Show ``link.hero.name`` (the same in every version) and link
    with ``{% localurl link.hero %}``."""
    return StreetHero.objects.filter(
        hero__translation_key__in=live_heroes().values("translation_key")
    ).select_related("hero")


class HeroFilterForm(forms.Form):
    """The GET filters of the hero index; unknown values are invalid, never a 500."""

    letter = forms.CharField(required=False, max_length=1, label=_("Letter"))
    region = forms.ChoiceField(required=False, label=_("Region with a street"))
    award = forms.ChoiceField(required=False, label=_("Award"))
    tag = forms.ChoiceField(required=False, label=_("Tag"))

    def __init__(self, data, *, regions, awards, tags):
        super().__init__(data)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (region.iso_code, region.name) for region in regions
        ]
        self.fields["award"].choices = [("", _("All awards"))] + [(a, a) for a in awards]
        if tags:
            self.fields["tag"].choices = [("", _("All tags"))] + [(t.slug, t.name) for t in tags]
        else:
            del self.fields["tag"]


# Alphabetical order of the letters (code point order puts І before А and Ә, Қ after Я).
# Kazakh Cyrillic as taught (42 letters), Russian, and the Kazakh Latin alphabet of
# 2021 (Decree No. 637 of the President of Kazakhstan, 2021) with the rest of Latin.
ALPHABETS = {
    "kk": "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ",
    "ru": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
    "en": "AÄBCDEFGĞHIİJKLMNÑOÖPQRSŞTUŪÜVWXYZ",
}


def alphabet_position(letter):
    """Sort key of a capital ``letter`` for a reader of the active language: their
    alphabet first, then the other alphabets (kk, ru, en), then anything else by code
    point."""
    language = active_language()
    order = [language] + [code for code in ("kk", "ru", "en") if code != language]
    for rank, code in enumerate(order):
        alphabet = ALPHABETS.get(code, "")
        if letter in alphabet:
            return (rank, alphabet.index(letter), letter)
    return (len(order), 0, letter)


def filter_choices():
    """The hero index's filter choices for readers of the active language: ``regions``
    (with a street named after a live hero), ``awards`` (names), ``tags`` and
    ``letters`` (first letters of the heroes' titles, in :func:`alphabet_position`
    order). They go over the whole catalogue, whatever the filters: kept per content
    generation (any publish computes them afresh) and language."""
    key = f"hero-filter-choices:{current_generation()}:{active_language()}"
    choices = cache.get(key)
    if choices is not None:
        return choices
    heroes = live_heroes()
    titles = heroes.values_list("title", flat=True)
    choices = {
        "regions": list(
            Region.objects.filter(
                live=True,
                settlements__streets__in=live_streets().filter(
                    heroes__hero__translation_key__in=heroes.values("translation_key")
                ),
            ).distinct()
        ),
        "awards": list(
            HeroAward.objects.filter(page__in=heroes)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ),
        "tags": list(HeroTag.objects.filter(tagged_heroes__content_object__in=heroes).distinct()),
        "letters": sorted({title[:1].upper() for title in titles if title}, key=alphabet_position),
    }
    cache.set(key, choices, 3600)
    return choices


def hero_index_context(index_page, request):
    """Context for the hero index: ``filter_form``, ``heroes`` (a page of HeroPage), ``letters``."""
    heroes = live_heroes()
    choices = filter_choices()
    regions, awards, tags = choices["regions"], choices["awards"], choices["tags"]
    data = request.GET.copy()
    if data.get("tag"):
        # ?tag=АҚТӨБЕ or a name in another Unicode form means the tag ақтөбе.
        data["tag"] = tag_slug(data["tag"])
    form = HeroFilterForm(data, regions=regions, awards=list(awards), tags=list(tags))
    if not form.is_valid():
        messages.warning(request, gettext("A filter value was not recognised and was ignored."))
    # cleaned_data keeps the fields that did validate: a bad region still lets the letter work.
    filters = {key: value for key, value in form.cleaned_data.items() if value}
    if letter := filters.get("letter"):
        heroes = heroes.filter(title__istartswith=letter)
    if region := filters.get("region"):
        heroes = heroes.filter(
            translation_key__in=StreetHero.objects.filter(
                page__in=live_streets().filter(settlement__region__iso_code=region)
            ).values("hero__translation_key")
        )
    if award := filters.get("award"):
        heroes = heroes.filter(awards__name=award)
    if tag := filters.get("tag"):
        heroes = heroes.filter(tags__slug=tag)
    if award or tag:
        heroes = heroes.distinct()  # joined rows: a hero with two matching awards is one
    heroes = with_portraits(
        heroes.order_by("title")
        .prefetch_related("awards")
        .annotate(street_count=live_street_count())
    )
    letters = choices["letters"]
    return {
        "filter_form": form,
        "active_filters": filters,
        "heroes": paginate(request, heroes),
        "letters": letters,
    }


def hero_page_context(hero):
    """Context for a hero page: ``streets`` named after the hero, ``related_heroes``,
    ``tags`` (the hero's, loaded once for the list and for finding related heroes)."""
    streets = list(
        live_streets()
        # The streets linked to any version of the hero, by id: the database starts from
        # the hero's few links, not from every street of the language.
        .filter(
            pk__in=StreetHero.objects.filter(
                hero__in=Page.objects.filter(translation_key=hero.translation_key)
            ).values("page_id")
        )
        .order_by("title")
    )
    settlements = {street.settlement_id for street in streets}
    tags = list(hero.tags.all())
    tag_ids = [tag.pk for tag in tags]
    neighbours = StreetHero.objects.filter(
        page__in=live_streets().filter(settlement__in=settlements)
    ).values("hero__translation_key")
    related = (
        live_heroes()
        .exclude(translation_key=hero.translation_key)
        .filter(Q(translation_key__in=neighbours) | Q(tags__in=tag_ids))
        .distinct()
        .order_by("title")[:6]
    )
    return {"streets": streets, "related_heroes": list(with_portraits(related)), "tags": tags}


def street_index_context(index_page, request):
    """Context for the street index, grouped region -> settlement -> streets.

    Without ``?region=`` it lists regions with their street counts; with a
    valid ISO code it lists that region's settlements and streets.
    """
    streets = live_streets()
    regions = (
        Region.objects.filter(live=True)
        .annotate(
            street_count=Count("settlements__streets", filter=Q(settlements__streets__in=streets))
        )
        .filter(street_count__gt=0)
        .order_by("name_en")
    )
    selected = None
    code = request.GET.get("region")
    if code:
        selected = next((region for region in regions if region.iso_code == code), None)
        if selected is None:
            messages.warning(request, gettext("There is no region with that code."))
    groups = []
    if selected:
        region_streets = (
            streets.filter(settlement__region=selected)
            .prefetch_related(Prefetch("heroes", queryset=live_hero_links()))
            .order_by("title")
        )
        by_settlement = {}
        for street in region_streets:
            by_settlement.setdefault(street.settlement, []).append(street)
        groups = sorted(by_settlement.items(), key=lambda item: item[0].name)
    return {"regions": regions, "selected_region": selected, "settlement_groups": groups}


def street_page_context(street):
    """Context for a street page: ``named_after`` (live heroes), ``former_names``."""
    links = StreetHero.objects.filter(page=street)
    order = {key: n for n, key in enumerate(links.values_list("hero__translation_key", flat=True))}
    heroes = sorted(
        with_portraits(linked_heroes(links)), key=lambda hero: order[hero.translation_key]
    )
    return {
        "named_after": heroes,
        "former_names": list(street.former_names.all()),
    }


def street_permalink(request, code):
    """Redirect the permanent short link ``/s/<code>/`` (printed as a QR code) to the street.

    Raises ``Http404`` for an unknown code or a street that is not live and public.
    """
    from .i18n import active_language, all_versions, url_in_language

    with all_versions():  # a plaque carries the code of any language's version
        street = get_object_or_404(live_streets(), short_code=code.lower())
    # The reader's language (their earlier choice, else their browser's, else Kazakh):
    # the same plaque serves readers of all three languages.
    return redirect(url_in_language(street, active_language()), permanent=False)
