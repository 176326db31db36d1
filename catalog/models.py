"""The site's home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page

from heroes.models import SlugRulePage

# The stored search keys are defined in catalog.search, one concern per module.
from .search.models import SearchEntry, SearchIndexState, SearchName, SearchTerm  # noqa: F401


class HomePage(SlugRulePage):
    """The front page: "whose name does my street carry?", featured heroes, counts."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("featured_heroes", label=_("featured heroes"), max_num=6),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .views import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self))
        return context


class HomePageFeaturedHero(Orderable):
    page = ParentalKey(HomePage, related_name="featured_heroes", on_delete=models.CASCADE)
    hero = models.ForeignKey(
        "heroes.HeroPage", verbose_name=_("hero"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("hero")]
