"""Admin set-up for editors: the dashboard panel and the editor guide."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .dashboard import CatalogueGapsPanel


@hooks.register("construct_homepage_panels")
def add_catalogue_gaps(request, panels):
    panels.append(CatalogueGapsPanel())


class EditorGuideView(TemplateView):
    """The in-admin guide: what each field means, uncertain dates, sourcing rules."""

    template_name = "catalog/admin/editor_guide.html"


@hooks.register("register_admin_urls")
def editor_guide_urls():
    return [path("editor-guide/", EditorGuideView.as_view(), name="editor_guide")]


@hooks.register("register_admin_menu_item")
def editor_guide_menu_item():
    return MenuItem(_("Editor guide"), reverse("editor_guide"), icon_name="help", order=10000)
