"""Admin: regions and settlements as snippets with search and filters; no hero
that a street is named after can be deleted."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import HeroPage, Region, Settlement, StreetHero


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "globe"
    menu_order = 100
    list_display = ["name_en", "name_kk", "name_ru", "iso_code", "category"]
    list_filter = ["category"]
    search_fields = ["name_en", "name_kk", "name_ru", "iso_code", "former_iso_code"]
    search_backend_name = None
    ordering = ["name_en"]


class SettlementViewSet(SnippetViewSet):
    model = Settlement
    icon = "site"
    menu_order = 110
    list_display = ["name_en", "name_kk", "name_ru", "region", "kind"]
    list_filter = ["region", "kind"]
    search_fields = ["name_en", "name_kk", "name_ru", "kato_code"]
    search_backend_name = None
    ordering = ["name_en"]


class PlacesViewSetGroup(SnippetViewSetGroup):
    items = (RegionViewSet, SettlementViewSet)
    menu_icon = "globe"
    menu_label = _("Places")
    menu_name = "places"


register_snippet(PlacesViewSetGroup)


def _streets_naming_heroes_in(pages):
    """Streets (pages) named after a hero among ``pages`` or their descendants."""
    heroes = HeroPage.objects.none()
    for page in pages:
        heroes |= HeroPage.objects.descendant_of(page, inclusive=True)
    return Page.objects.filter(
        pk__in=StreetHero.objects.filter(hero__in=heroes).values("page")
    ).distinct()


def _refuse(request, pages, streets, back_to):
    count = streets.count()
    messages.error(
        request,
        ngettext(
            "“%(page)s” cannot be deleted: %(count)d street or place is named after a hero "
            "in it (e.g. “%(street)s”). Unlink the hero there first, or unpublish instead.",
            "“%(page)s” cannot be deleted: %(count)d streets or places are named after heroes "
            "in it (e.g. “%(street)s”). Unlink the heroes there first, or unpublish instead.",
            count,
        )
        % {"page": pages[0].title, "count": count, "street": streets.first().title},
    )
    return redirect(back_to)


@hooks.register("before_serve_page")
def redirect_to_readers_version(page, request, serve_args, serve_kwargs):
    """An address that reached another language's version although the reader's
    language has one under another slug: go there (see ``SlugRulePage.route``)."""
    url = getattr(request, "readers_version_url", None)
    if url:
        return redirect(url)
    return None


@hooks.register("before_delete_page")
def refuse_deleting_named_heroes(request, page):
    """Deleting a hero (or a page above heroes) that streets are named after is refused."""
    streets = _streets_naming_heroes_in([page])
    if streets.exists():
        return _refuse(
            request, [page], streets, reverse("wagtailadmin_explore", args=[page.get_parent().pk])
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_named_heroes(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    streets = _streets_naming_heroes_in(objects)
    if streets.exists():
        return _refuse(
            request,
            objects,
            streets,
            reverse("wagtailadmin_explore", args=[objects[0].get_parent().pk]),
        )
    return None
