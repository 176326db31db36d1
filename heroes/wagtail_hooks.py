"""Admin: regions and settlements as snippets with search and filters."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Region, Settlement


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
    menu_label = "Places"
    menu_name = "places"


register_snippet(PlacesViewSetGroup)
