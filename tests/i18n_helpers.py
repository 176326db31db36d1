"""The site is trilingual (kk, ru, en): every page exists once per language.

The seed importer writes heroes and streets in English (the source tree, ``/en/``)
and translates them into Kazakh and Russian, so a lookup by slug finds three pages.
Tests that work on a seeded page take its English version.
"""

EN = "en"


def en(queryset):
    """``queryset`` (a manager or a queryset of pages) narrowed to the English versions."""
    return queryset.filter(locale__language_code=EN)


def english(model, **kw):
    """The English version of the ``model`` page matching ``kw`` (``.get()``)."""
    return en(model.objects).get(**kw)


def english_index(model):
    """The English index page of ``model`` (HeroIndexPage, StreetIndexPage ...)."""
    return en(model.objects).order_by("path").first()
