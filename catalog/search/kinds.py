"""The kinds of page that site search finds, in one registry: heroes, streets (and
other named places), exhibitions and exhibition stops.

A kind says which pages are live and public (only those are indexed and shown),
which of their texts are names, former names and context, how to load a page of
results for display, and which other pages' search keys depend on it. Adding a
kind is a subclass of :class:`SearchKind`, one line in :data:`KINDS` and a result
template; the index, the ranking, the filters and the autocomplete need nothing.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exhibitions.models import ExhibitionHero, ExhibitionPage, ExhibitionStopPage
from exhibitions.views import live_exhibitions, live_stops, with_exhibitions
from heroes.models import HeroPage, StreetHero, StreetPage
from heroes.views import (
    live_hero_links,
    live_heroes,
    live_street_count,
    live_streets,
    with_portraits,
)


@dataclass
class Document:
    """What the index stores for one page (all texts as written; folding is done
    by :mod:`catalog.search.index`).

    ``names`` are the page's own names in every language (the title first),
    ``former_names`` names it had before, ``short_names`` forms people use for a
    name (a surname); ``context`` texts (settlement, region, the hero a street is
    named after) make a word match but never a name match. ``category`` is a
    street kind (``"avenue"``) for queries that name one.
    """

    page_id: int
    title: str
    names: list = field(default_factory=list)
    former_names: list = field(default_factory=list)
    short_names: list = field(default_factory=list)
    context: list = field(default_factory=list)
    category: str = ""


class SearchKind:
    """One kind of searchable page. Subclasses set the attributes and implement
    :meth:`live`, :meth:`document` and :meth:`load`."""

    #: The name used in URLs (``?kind=street``) and stored in the index.
    name = ""
    label = ""
    label_plural = ""
    model = None
    #: The template of one result; it gets ``hit`` and ``item`` (the loaded page).
    template = ""

    def live(self):
        """A queryset of the live, public pages of this kind (with what
        :meth:`document` reads loaded)."""
        raise NotImplementedError

    def document(self, page):
        """The :class:`Document` of one page from :meth:`live`."""
        raise NotImplementedError

    def documents(self, pages):
        """The :class:`Document` of each of ``pages`` (a chunk of :meth:`live`)."""
        return [self.document(page) for page in pages]

    def load(self, page_ids):
        """``{page id: page}`` of the live pages among ``page_ids``, loaded for display."""
        raise NotImplementedError

    def in_region(self, iso_code):
        """A flat values_list of page ids of this kind in region ``iso_code``."""
        raise NotImplementedError

    def dependents(self, page_ids):
        """``{kind name: flat values_list of page ids}`` of other pages whose keys include
        texts of the pages ``page_ids`` (which may no longer exist or be live)."""
        return {}

    def in_places(self, settlement_ids):
        """A flat values_list of page ids of this kind whose keys or liveness depend on the
        settlements ``settlement_ids`` (and their regions), or None."""
        return None

    def suggestion(self, item):
        """``(label, detail)`` of a loaded page for the autocomplete list."""
        return str(item), ""


def _names(*values):
    """The non-empty values, each once, in order."""
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


def _short_names(names):
    """A person's surname (the last word) and first name + surname (without the
    patronymic) for each of ``names`` with more words."""
    short = []
    for name in names:
        words = name.split()
        if len(words) >= 2:
            short.append(words[-1])
        if len(words) >= 3:
            short.append(f"{words[0]} {words[-1]}")
    return _names(*short)


def _place_texts(settlement):
    region = settlement.region
    return _names(
        settlement.name_kk,
        settlement.name_ru,
        settlement.name_en,
        region.name_kk,
        region.name_ru,
        region.name_en,
        region.name_iso_romanized,
    )


class HeroKind(SearchKind):
    name = "hero"
    label = _("Hero")
    label_plural = _("Heroes")
    model = HeroPage
    template = "catalog/search/hero_result.html"

    def live(self):
        return live_heroes().prefetch_related("name_variants")

    def document(self, page):
        names = _names(
            page.title,
            page.name_kk,
            page.name_kk_latn,
            page.name_ru,
            page.name_en,
            *(variant.name for variant in page.name_variants.all()),
        )
        return Document(page.pk, page.title, names=names, short_names=_short_names(names))

    def load(self, page_ids):
        heroes = with_portraits(
            live_heroes().filter(pk__in=page_ids).annotate(street_count=live_street_count())
        )
        return {hero.pk: hero for hero in heroes}

    def in_region(self, iso_code):
        streets = live_streets().filter(settlement__region__iso_code=iso_code)
        return StreetHero.objects.filter(page__in=streets).values_list("hero_id", flat=True)

    def dependents(self, page_ids):
        # Streets carry the names of the heroes they are named after, exhibitions
        # those of the heroes they feature.
        return {
            "street": StreetHero.objects.filter(hero_id__in=page_ids).values_list(
                "page_id", flat=True
            ),
            "exhibition": ExhibitionHero.objects.filter(hero_id__in=page_ids).values_list(
                "page_id", flat=True
            ),
        }

    def suggestion(self, item):
        return item.name, ""


class StreetKind(SearchKind):
    name = "street"
    label = pgettext_lazy("search kind", "Street or place")
    label_plural = pgettext_lazy("search kind", "Streets and places")
    model = StreetPage
    template = "catalog/search/street_result.html"

    def live(self):
        return live_streets().prefetch_related(
            "former_names", Prefetch("heroes", queryset=live_hero_links())
        )

    def document(self, page):
        heroes = [link.hero for link in page.heroes.all()]
        context = _place_texts(page.settlement) + _names(page.location_note)
        for hero in heroes:
            context += _hero_texts(hero)
        return Document(
            page.pk,
            page.title,
            names=_names(page.title, page.name_kk, page.name_ru, page.name_en),
            former_names=_names(*(former.name for former in page.former_names.all())),
            context=context,
            category=page.kind,
        )

    def load(self, page_ids):
        # The live heroes of these streets only: live_hero_links() alone makes SQLite
        # check every hero of a large catalogue.
        heroes = live_heroes().filter(
            pk__in=StreetHero.objects.filter(page_id__in=page_ids).values("hero_id")
        )
        links = StreetHero.objects.filter(hero__in=heroes).select_related("hero")
        streets = (
            live_streets()
            .filter(pk__in=page_ids)
            .prefetch_related(Prefetch("heroes", queryset=links), "former_names")
        )
        return {street.pk: street for street in streets}

    def in_region(self, iso_code):
        return (
            live_streets()
            .filter(settlement__region__iso_code=iso_code)
            .values_list("pk", flat=True)
        )

    def in_places(self, settlement_ids):
        return StreetPage.objects.filter(settlement_id__in=settlement_ids).values_list(
            "pk", flat=True
        )

    def suggestion(self, item):
        settlement = item.settlement.name
        region = item.settlement.region.name
        place = settlement if region == settlement else f"{settlement}, {region}"
        return item.name[:1].upper() + item.name[1:], place


def _hero_texts(hero):
    return _names(hero.title, hero.name_kk, hero.name_kk_latn, hero.name_ru, hero.name_en)


def _with_exhibition_path(stops):
    """``stops`` annotated with ``exhibition_path``: the tree path of their exhibition."""
    return stops.annotate(
        exhibition_path=Substr("path", 1, (F("depth") - 1) * ExhibitionStopPage.steplen)
    )


class ExhibitionKind(SearchKind):
    name = "exhibition"
    label = _("Exhibition")
    label_plural = _("Exhibitions")
    model = ExhibitionPage
    template = "catalog/search/exhibition_result.html"

    def live(self):
        return live_exhibitions().prefetch_related(
            Prefetch(
                "featured_heroes",
                queryset=ExhibitionHero.objects.filter(hero__in=live_heroes()).select_related(
                    "hero"
                ),
            )
        )

    def documents(self, pages):
        stops = {}
        for stop in live_stops().filter(exhibition_path__in=[page.path for page in pages]):
            stops.setdefault(stop.exhibition_path, []).append(stop)
        documents = []
        for page in pages:
            context = _names(page.theme)
            for stop in stops.get(page.path, []):
                context += _place_texts(stop.settlement)
            for link in page.featured_heroes.all():
                context += _hero_texts(link.hero)
            documents.append(Document(page.pk, page.title, names=[page.title], context=context))
        return documents

    def load(self, page_ids):
        return {page.pk: page for page in live_exhibitions().filter(pk__in=page_ids)}

    def in_region(self, iso_code):
        stops = live_stops().filter(settlement__region__iso_code=iso_code)
        return ExhibitionPage.objects.filter(path__in=stops.values("exhibition_path")).values_list(
            "pk", flat=True
        )

    def in_places(self, settlement_ids):
        stops = _with_exhibition_path(
            ExhibitionStopPage.objects.filter(settlement_id__in=settlement_ids)
        )
        return ExhibitionPage.objects.filter(path__in=stops.values("exhibition_path")).values_list(
            "pk", flat=True
        )

    def dependents(self, page_ids):
        # Stops carry their exhibition's title.
        paths = ExhibitionPage.objects.filter(pk__in=page_ids).values("path")
        stops = _with_exhibition_path(ExhibitionStopPage.objects.all())
        return {"stop": stops.filter(exhibition_path__in=paths).values_list("pk", flat=True)}

    def suggestion(self, item):
        return item.title, item.theme


class StopKind(SearchKind):
    name = "stop"
    label = _("Exhibition stop")
    label_plural = _("Exhibition stops")
    model = ExhibitionStopPage
    template = "catalog/search/stop_result.html"

    def live(self):
        return live_stops()

    def documents(self, pages):
        documents = []
        for stop in with_exhibitions(pages):
            documents.append(
                Document(
                    stop.pk,
                    stop.title,
                    names=_names(stop.title, stop.venue),
                    context=_place_texts(stop.settlement)
                    + _names(stop.address, stop.exhibition.title),
                )
            )
        return documents

    def load(self, page_ids):
        return {stop.pk: stop for stop in with_exhibitions(live_stops().filter(pk__in=page_ids))}

    def in_region(self, iso_code):
        return (
            live_stops().filter(settlement__region__iso_code=iso_code).values_list("pk", flat=True)
        )

    def in_places(self, settlement_ids):
        return ExhibitionStopPage.objects.filter(settlement_id__in=settlement_ids).values_list(
            "pk", flat=True
        )

    def dependents(self, page_ids):
        # An exhibition carries the places of its stops.
        stops = _with_exhibition_path(ExhibitionStopPage.objects.filter(pk__in=page_ids))
        return {
            "exhibition": ExhibitionPage.objects.filter(
                path__in=stops.values("exhibition_path")
            ).values_list("pk", flat=True)
        }

    def suggestion(self, item):
        return f"{item.settlement.name}: {item.venue}", item.exhibition.title


#: Every searchable kind, in the order results of equal rank are listed.
KINDS = {kind.name: kind for kind in (HeroKind(), StreetKind(), ExhibitionKind(), StopKind())}


def kind_of(page):
    """The :class:`SearchKind` of a (specific) page, or None."""
    for kind in KINDS.values():
        if isinstance(page, kind.model):
            return kind
    return None
