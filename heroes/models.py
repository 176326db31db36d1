"""The memorial domain: regions, settlements, heroes and the streets named after them."""

import secrets

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from .dates import DatePrecision, PartialDate
from .geo import coordinate_errors
from .i18n import kept_per_version, synchronized
from .names import fold_nfc, tag_key
from .slugs import check_slug
from .tags import FoldingTaggableManager, tag_slug


def localized_name(obj, prefix="name"):
    """Pick ``<prefix>_<lang>`` for the active language, falling back kk -> ru -> en.

    ``obj`` has attributes ``<prefix>_kk``, ``<prefix>_ru``, ``<prefix>_en``;
    returns a str (empty if all three are empty).
    """
    return localized_name_and_language(obj, prefix)[0]


def localized_name_and_language(obj, prefix="name"):
    """``(name, language code)`` as :func:`localized_name` picks it; ``("", None)`` when
    all three are empty. The code says in which language the name is written (for a
    ``lang`` attribute when it is not the reader's)."""
    language = (get_language() or "en").split("-")[0]
    order = [language] + [code for code in ("kk", "ru", "en") if code != language]
    for code in order:
        value = getattr(obj, f"{prefix}_{code}", "")
        if value:
            return value, code
    return "", None


class NamedInThreeLanguages(models.Model):
    """Names in Kazakh (Cyrillic), Russian and English; an empty name is unknown."""

    name_kk = models.CharField(
        _("name (Kazakh)"),
        max_length=255,
        blank=True,
        help_text=_(
            "In Kazakh (Cyrillic), as official documents write it. Leave empty if not known."
        ),
    )
    name_ru = models.CharField(
        _("name (Russian)"),
        max_length=255,
        blank=True,
        help_text=_("In Russian, as official documents write it. Leave empty if not known."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=255,
        blank=True,
        help_text=_("In English, in the usual transliteration (e.g. Almaty, Abai Region)."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language, else the first known one."""
        return localized_name(self)


class Located(models.Model):
    """A WGS 84 point (decimal degrees) checked to lie in Kazakhstan (see :mod:`heroes.geo`);
    both coordinates or neither."""

    lat = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("WGS 84, decimal degrees, e.g. 43.29089. Must lie in Kazakhstan."),
    )
    lon = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("WGS 84, decimal degrees, e.g. 76.81567. Must lie in Kazakhstan."),
    )

    class Meta:
        abstract = True

    @property
    def has_coordinates(self):
        return self.lat is not None and self.lon is not None

    @property
    def coordinates(self):
        """``(lat, lon)`` as decimal-degree strings with only the digits the source gave
        (``43.29089``, not the stored ``43.290890``), or None."""
        if not self.has_coordinates:
            return None
        return tuple(format(value.normalize(), "f") for value in (self.lat, self.lon))

    def coordinate_errors(self):
        """``{"lat"|"lon": message}`` for an invalid pair, else ``{}``."""
        return coordinate_errors(self.lat, self.lon)


# --- Places ---------------------------------------------------------------------------


class ReviewedSnippet(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model
):
    """Base for snippets whose changes go through the editorial review workflow:
    revisions (history, compare, rollback), draft state, locking and workflows.

    The database row holds the published version; drafts live in revisions. Public
    code shows only rows with ``live=True``.
    """

    class Meta:
        abstract = True


def _reviewed_snippet_relations(name):
    """The generic relations that Wagtail's snippet mixins look up (see the Wagtail docs
    for WorkflowMixin and RevisionMixin), named for ``name``."""
    return (
        GenericRelation(
            "wagtailcore.WorkflowState",
            content_type_field="base_content_type",
            object_id_field="object_id",
            related_query_name=name,
            for_concrete_model=False,
        ),
        GenericRelation(
            "wagtailcore.Revision",
            content_type_field="base_content_type",
            object_id_field="object_id",
            related_query_name=name,
            for_concrete_model=False,
        ),
    )


class Region(NamedInThreeLanguages, ReviewedSnippet):
    """An oblys or a city of republican significance, keyed by its ISO 3166-2:KZ code.

    Codes are the numeric ones in force since the ISO OBP change of 2022-11-29
    (KZ-75 Almaty, KZ-71 Astana); the former letter code is kept for look-ups.
    """

    class Category(models.TextChoices):
        REGION = "region", _("region (oblys)")
        CITY = "city", _("city of republican significance")

    iso_code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^KZ-\d{2}$", _("Use the numeric form, e.g. KZ-75."))],
        help_text=_("ISO 3166-2:KZ code in force since 2022-11-29, e.g. KZ-75 for Almaty."),
    )
    former_iso_code = models.CharField(
        _("former ISO code"),
        max_length=6,
        blank=True,
        help_text=_("The letter code used before 2022-11-29, e.g. KZ-ALA."),
    )
    category = models.CharField(
        _("category"),
        max_length=10,
        choices=Category.choices,
        help_text=_(
            "An oblys (region) or a city of republican significance (Almaty, Astana, Shymkent)."
        ),
    )
    name_iso_romanized = models.CharField(
        _("ISO romanized name"),
        max_length=255,
        blank=True,
        help_text=_("The romanized name in the ISO 3166-2 standard, e.g. Abay oblysy."),
    )
    workflow_states, revisions = _reviewed_snippet_relations("region")
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Changes of name, code or borders, with dates.")
    )
    source = models.TextField(_("source"), blank=True, help_text=_("Where these facts come from."))

    search_fields = [
        index.SearchField("name_kk"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.AutocompleteField("iso_code"),
        index.FilterField("category"),
    ]

    panels = [
        FieldPanel("iso_code"),
        FieldPanel("former_iso_code"),
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_en")]),
        FieldPanel("name_iso_romanized"),
        FieldPanel("notes"),
        FieldPanel("source"),
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Settlement(NamedInThreeLanguages, Located, ReviewedSnippet):
    """A city, town, village (aul) or district centre within a region.

    KATO is Kazakhstan's classifier of administrative-territorial objects
    (9 digits). Coordinates are WGS 84 decimal degrees, checked to lie in
    Kazakhstan (see :mod:`heroes.geo`).
    """

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        TOWN = "town", _("town")
        VILLAGE = "village", _("village (aul)")
        DISTRICT = "district", _("district")

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="settlements",
        help_text=_("The region (oblys) or city of republican significance it belongs to."),
    )
    workflow_states, revisions = _reviewed_snippet_relations("settlement")
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_("Leave empty if unknown."),
    )
    kato_code = models.CharField(
        _("KATO code"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("A KATO code has 9 digits."))],
        help_text=_(
            "Kazakhstan's classifier of administrative-territorial objects (KATO), 9 digits."
        ),
    )

    search_fields = [
        index.SearchField("name_kk"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.FilterField("region"),
    ]

    panels = [
        FieldPanel("region"),
        FieldRowPanel([FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_en")]),
        FieldPanel("kind"),
        FieldPanel("kato_code"),
        FieldRowPanel([FieldPanel("lat"), FieldPanel("lon")], heading=_("Coordinates")),
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.UniqueConstraint(fields=["region", "name_en"], name="unique_settlement_name_en")
        ]

    def clean(self):
        super().clean()
        if not (self.name_kk or self.name_ru or self.name_en):
            raise ValidationError({"name_en": _("Enter the name in at least one language.")})
        errors = self.coordinate_errors()
        if errors:
            raise ValidationError(errors)


def load_place(page):
    """Load ``page.settlement`` with its region in one query (lazy access would take
    two), unless it is loaded already; the page's template uses both."""
    if not type(page).settlement.is_cached(page):
        page.settlement = Settlement.objects.select_related("region").get(pk=page.settlement_id)


# --- Pages --------------------------------------------------------------------------


class SlugRulePage(Page):
    """Base for this app's pages: applies the slug rule of :mod:`heroes.slugs`, and
    serves another language's version where the reader's language has none."""

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Wagtail's routing, plus the fallback of :mod:`heroes.i18n`: when no page of
        this language answers ``path_components`` (not translated yet, or only a draft),
        the same path is tried below this page's versions in the other languages, in
        ``CONTENT_FALLBACK_ORDER``. Raises ``Http404`` when none answers."""
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components or getattr(request, "_routing_fallback", False):
                raise
        from .i18n import fallback_order, locale_code

        others = {
            locale_code(page.locale_id): page
            for page in Page.objects.live()
            .filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .specific()
        }
        request._routing_fallback = True
        try:
            for code in fallback_order():
                if code in others:
                    try:
                        result = others[code].route(request, path_components)
                    except Http404:
                        continue
                    self._offer_readers_version(request, result[0])
                    return result
        finally:
            request._routing_fallback = False
        raise Http404

    @staticmethod
    def _offer_readers_version(request, page):
        """When the reader's language has a live version of ``page`` at another address
        (its slug differs, e.g. renamed), note it in ``request.readers_version_url``:
        the ``before_serve_page`` hook redirects there instead of serving a fallback."""
        from .i18n import active_language, best_version, locale_code

        mine = best_version(page)
        if mine.pk != page.pk and locale_code(mine.locale_id) == active_language():
            request.readers_version_url = mine.get_url(request)

    def get_context(self, request, *args, **kwargs):
        """Adds ``content_language`` (this version's language code), ``source_language``
        (the language it was translated from) and ``untranslated`` (fields still in the
        source language), for the notices and ``lang`` attributes of ``base.html``."""
        from .i18n import locale_code, untranslated_fields

        context = super().get_context(request, *args, **kwargs)
        context["content_language"] = locale_code(self.locale_id)
        context["source_language"], context["untranslated"] = untranslated_fields(self)
        return context

    def clean(self):
        super().clean()
        if self.slug:
            try:
                check_slug(self.slug)
            except ValidationError as error:
                raise ValidationError({"slug": error.messages}) from None


class ListingPage(SlugRulePage):
    """Base for the index pages: an introduction, then a list built by ``listing_context``."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A short text shown above the list.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1

    class Meta:
        abstract = True

    def listing_context(self, request):
        """Return the list's template context (dict); see :mod:`heroes.views`."""
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing_context(request))
        return context


class HeroIndexPage(ListingPage):
    """The list of heroes: A–Z, filtered by region, award and tag, paginated."""

    subpage_types = ["heroes.HeroPage"]

    class Meta:
        verbose_name = _("hero index page")

    def listing_context(self, request):
        from .views import hero_index_context

        return hero_index_context(self, request)


class HeroTag(TagBase):
    """A tag on heroes (e.g. a region, a battle, a unit). Names differing only in
    case or Unicode form are one tag (``key``, see :mod:`heroes.tags`); the name is
    kept as first typed, in NFC, and the slug keeps its letters (``ақтөбе``)."""

    key = models.CharField(max_length=100, unique=True, editable=False)

    class Meta:
        verbose_name = _("hero tag")
        verbose_name_plural = _("hero tags")

    def save(self, *args, **kwargs):
        self.name = fold_nfc(self.name)
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        """The slug for a taken one, as taggit asks: the folded name, ``_<i>`` added."""
        slug = tag_slug(tag)
        return f"{slug}_{i}" if i is not None else slug


class HeroPageTag(ItemBase):
    tag = models.ForeignKey(HeroTag, related_name="tagged_heroes", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "heroes.HeroPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class HeroPage(SlugRulePage):
    """A person honoured by the programme.

    Names: Kazakh in Cyrillic and in the 2021 Latin alphabet (see
    :mod:`heroes.names` for its source), Russian and English, plus editor-added
    variants; search finds each from any other. Birth and death dates carry a precision and an
    "approximate" flag (:class:`heroes.dates.PartialDate`).
    """

    name_kk = models.CharField(
        _("name, Kazakh (Cyrillic)"),
        max_length=255,
        blank=True,
        help_text=_(
            "In Kazakh Cyrillic, as a Kazakh-language source writes it, e.g. Бауыржан Момышұлы."
        ),
    )
    name_kk_latn = models.CharField(
        _("name, Kazakh (Latin)"),
        max_length=255,
        blank=True,
        help_text=_("In the 2021 Kazakh Latin alphabet, e.g. Bauyrjan Momyşūly."),
    )
    name_ru = models.CharField(
        _("name, Russian"),
        max_length=255,
        blank=True,
        help_text=_("In Russian, as a Russian-language source writes it, e.g. Бауыржан Момышулы."),
    )
    name_en = models.CharField(
        _("name, English"),
        max_length=255,
        blank=True,
        help_text=_("In English, in the usual transliteration, e.g. Bauyrzhan Momyshuly."),
    )

    birth_date = models.DateField(
        _("birth date"),
        null=True,
        blank=True,
        help_text=_("For a year or month only, enter the first day and set the precision."),
    )
    birth_date_precision = models.CharField(
        _("birth date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text=_("How much of the date is known: day, month, year, or unknown."),
    )
    birth_date_approximate = models.BooleanField(
        _("birth date is approximate"), default=False, help_text=_("Shown as “c. 1920”.")
    )
    birth_place = models.CharField(
        _("birth place"), max_length=500, blank=True, help_text=_("As the source gives it.")
    )
    birth_settlement = models.ForeignKey(
        Settlement,
        verbose_name=_("birth settlement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only where the settlement is known for certain."),
    )
    death_date = models.DateField(
        _("death date"),
        null=True,
        blank=True,
        help_text=_("For a year or month only, enter the first day and set the precision."),
    )
    death_date_precision = models.CharField(
        _("death date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text=_("How much of the date is known: day, month, year, or unknown."),
    )
    death_date_approximate = models.BooleanField(
        _("death date is approximate"), default=False, help_text=_("Shown as “c. 1944”.")
    )
    death_place = models.CharField(
        _("death place"), max_length=500, blank=True, help_text=_("As the source gives it.")
    )
    death_settlement = models.ForeignKey(
        Settlement,
        verbose_name=_("death settlement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only where the settlement is known for certain."),
    )
    rank = models.CharField(
        _("rank"),
        max_length=255,
        blank=True,
        help_text=_("The highest or final rank the sources name."),
    )
    unit = models.TextField(_("unit"), blank=True, help_text=_("Regiment, division, front."))
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Two or three sentences shown in lists and at the top."),
    )
    biography = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
            ("heading", blocks.CharBlock(form_classname="title")),
            (
                "quote",
                blocks.StructBlock(
                    [
                        ("text", blocks.TextBlock()),
                        ("attribution", blocks.CharBlock(required=False)),
                    ]
                ),
            ),
            ("image", ImageBlock()),
        ],
        verbose_name=_("biography"),
        blank=True,
        help_text=_("The life story, with a source for every fact."),
    )
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A photograph or drawing the site may publish (see author and licence)."),
    )
    portrait_caption = models.CharField(
        _("portrait caption"),
        max_length=255,
        blank=True,
        help_text=_("What the picture shows, where and when."),
    )
    portrait_author = models.CharField(
        _("portrait author"),
        max_length=255,
        blank=True,
        help_text=_("Photographer or artist; “unknown” if the source says so."),
    )
    portrait_licence = models.CharField(
        _("portrait licence"),
        max_length=255,
        blank=True,
        help_text=_("e.g. CC BY-SA 4.0, public domain."),
    )
    wikidata_qid = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", _("A Wikidata id looks like Q12345."))],
        help_text=_("The person's item on Wikidata, e.g. Q1367420."),
    )
    tags = FoldingTaggableManager(through=HeroPageTag, blank=True)

    # wagtail-localize: names in every script, dates and identifiers are the same
    # in every language's version; rank, unit, places and texts are translated.
    override_translatable_fields = synchronized(
        "name_kk",
        "name_kk_latn",
        "name_ru",
        "name_en",
        "portrait_author",
        "portrait_licence",
        "wikidata_qid",
    )

    search_fields = Page.search_fields + [
        index.SearchField("name_kk"),
        index.SearchField("name_kk_latn"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.SearchField("summary"),
        index.AutocompleteField("name_en"),
    ]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("name_kk"),
                FieldPanel("name_kk_latn"),
                FieldPanel("name_ru"),
                FieldPanel("name_en"),
                InlinePanel("name_variants", label=_("other spellings")),
            ],
            heading=_("Names"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("birth_date"),
                        FieldPanel("birth_date_precision"),
                        FieldPanel("birth_date_approximate"),
                    ]
                ),
                FieldPanel("birth_place"),
                FieldPanel("birth_settlement"),
            ],
            heading=_("Birth"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("death_date"),
                        FieldPanel("death_date_precision"),
                        FieldPanel("death_date_approximate"),
                    ]
                ),
                FieldPanel("death_place"),
                FieldPanel("death_settlement"),
            ],
            heading=_("Death"),
        ),
        MultiFieldPanel([FieldPanel("rank"), FieldPanel("unit")], heading=_("Service")),
        InlinePanel("awards", label=_("awards")),
        MultiFieldPanel(
            [
                FieldPanel("portrait"),
                FieldPanel("portrait_caption"),
                FieldPanel("portrait_author"),
                FieldPanel("portrait_licence"),
            ],
            heading=_("Portrait"),
        ),
        FieldPanel("summary"),
        FieldPanel("biography"),
        InlinePanel("sources", label=_("sources"), min_num=0),
        MultiFieldPanel(
            [
                FieldPanel("wikidata_qid"),
                InlinePanel("external_ids", label=_("memorial databases")),
            ],
            heading=_("External ids"),
        ),
        FieldPanel("tags"),
    ]

    parent_page_types = ["heroes.HeroIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("hero")
        verbose_name_plural = _("heroes")

    @property
    def name(self):
        """The hero's name in the active language (kk -> ru -> en fallback), else the title."""
        return localized_name(self) or self.title

    @property
    def birth(self):
        return PartialDate(self.birth_date, self.birth_date_precision, self.birth_date_approximate)

    @property
    def death(self):
        return PartialDate(self.death_date, self.death_date_precision, self.death_date_approximate)

    def clean(self):
        super().clean()
        errors = {}
        for field, value in (("birth_date", self.birth), ("death_date", self.death)):
            messages = value.validate()
            if messages:
                errors[field] = messages
        if not errors and self.birth.is_known and self.death.is_known:
            if self.death.value < self.birth.value:
                errors["death_date"] = [_("The death date is before the birth date.")]
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from .views import hero_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(hero_page_context(self))
        return context


class HeroNameVariant(Orderable):
    """Another spelling of a hero's name, e.g. Momysh-uly, Момыш-улы."""

    page = ParentalKey(HeroPage, related_name="name_variants", on_delete=models.CASCADE)
    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("Another spelling readers may type, e.g. Momysh-uly."),
    )
    language = models.CharField(
        _("language or script"),
        max_length=20,
        blank=True,
        help_text=_("e.g. kk, ru, en, kk-Latn, de."),
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("language")])]


class HeroAward(Orderable):
    """An award or title, with its year or date and the decree that conferred it."""

    page = ParentalKey(HeroPage, related_name="awards", on_delete=models.CASCADE)
    name = models.CharField(
        _("award"), max_length=255, help_text=_("e.g. Hero of the Soviet Union.")
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the award was conferred, if known."),
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Only if the day is known.")
    )
    decree = models.CharField(
        _("decree reference"), max_length=255, blank=True, help_text=_("e.g. decree of 7 May 1999.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True, help_text=_("e.g. posthumous."))

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("decree"), FieldPanel("note")]),
    ]

    def clean(self):
        super().clean()
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"year": _("The year does not match the date.")})

    @property
    def when(self):
        """The date if known, else the year, as display text ("" when neither is known)."""
        if self.date:
            return PartialDate(self.date).display()
        return str(self.year) if self.year else ""


class HeroSource(Orderable):
    """A source for the facts on a hero page."""

    page = ParentalKey(HeroPage, related_name="sources", on_delete=models.CASCADE)
    citation = models.TextField(_("citation"), blank=True, help_text=_("Author, title, publisher."))
    url = models.URLField(
        _("URL"),
        max_length=1000,
        blank=True,
        help_text=_("The web address of the source, if it is online."),
    )
    archive_reference = models.CharField(
        _("archive reference"),
        max_length=255,
        blank=True,
        help_text=_("Archive, fond, opis, delo, list, e.g. TsAMO, f. 33, op. 682525, d. 107."),
    )
    accessed = models.DateField(
        _("accessed"), null=True, blank=True, help_text=_("When the web page was last read.")
    )

    panels = [
        FieldPanel("citation"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("archive_reference"), FieldPanel("accessed")]),
    ]

    def clean(self):
        super().clean()
        if not (self.citation or self.url or self.archive_reference):
            raise ValidationError(_("Give a citation, a URL or an archive reference."))

    @property
    def link_text(self):
        """The URL without its scheme and trailing slash, for the link's text."""
        return self.url.split("://", 1)[-1].rstrip("/")


class HeroExternalId(Orderable):
    """An id in a memorial database (e.g. Pamyat Naroda, OBD Memorial, Podvig Naroda)."""

    page = ParentalKey(HeroPage, related_name="external_ids", on_delete=models.CASCADE)
    authority = models.CharField(
        _("database"),
        max_length=100,
        help_text=_("e.g. Pamyat Naroda, OBD Memorial, Podvig Naroda."),
    )
    identifier = models.CharField(
        _("id"), max_length=100, help_text=_("The person's id in that database.")
    )
    url = models.URLField(
        _("URL"), max_length=1000, blank=True, help_text=_("The person's page in that database.")
    )

    panels = [FieldRowPanel([FieldPanel("authority"), FieldPanel("identifier"), FieldPanel("url")])]


def _new_short_code():
    """A 6-character code not yet used by a street (30**6 = 729 million codes; at 20,000
    streets a bare random pick would clash about once in four bulk loads, so look first).
    Crockford-style base32 without look-alike letters: easy to read from a plaque."""
    alphabet = "23456789abcdefghjkmnpqrstvwxyz"
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(6))
        if not StreetPage.objects.filter(short_code=code).exists():
            return code


class StreetIndexPage(ListingPage):
    """Streets and named places, grouped region -> settlement."""

    subpage_types = ["heroes.StreetPage"]

    class Meta:
        verbose_name = _("street index page")

    def listing_context(self, request):
        from .views import street_index_context

        return street_index_context(self, request)


class StreetPage(SlugRulePage, Located):  # noqa: DJ008 (Page.__str__ gives the title)
    """A street or other object (school, airport, ...) named after one or more heroes."""

    class Kind(models.TextChoices):
        STREET = "street", _("street")
        AVENUE = "avenue", _("avenue")
        LANE = "lane", _("lane")
        BOULEVARD = "boulevard", _("boulevard")
        SQUARE = "square", _("square")
        PARK = "park", _("park")
        SCHOOL = "school", _("school")
        AIRPORT = "airport", _("airport")
        AIR_BASE = "air_base", _("air base")
        MUSEUM = "museum", _("museum")
        MEMORIAL = "memorial", _("memorial")
        OTHER = "other", _("other")

    class NamingStatus(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        IN_FORCE = "in_force", _("in force")
        SIGNPOSTED = "signposted", _("signposted")

    name_kk = models.CharField(
        _("name (Kazakh)"),
        max_length=255,
        blank=True,
        help_text=_("The official Kazakh name, e.g. Момышұлы даңғылы."),
    )
    name_ru = models.CharField(
        _("name (Russian)"),
        max_length=255,
        blank=True,
        help_text=_("The official Russian name, e.g. проспект Момышулы."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=255,
        blank=True,
        help_text=_("The English name, e.g. Momyshuly Avenue."),
    )
    settlement = models.ForeignKey(
        Settlement,
        verbose_name=_("settlement"),
        on_delete=models.PROTECT,
        related_name="streets",
        help_text=_("The city, town or village the street or place is in."),
    )
    location_note = models.CharField(
        _("location as given by the source"),
        max_length=255,
        blank=True,
        help_text=_("District, microdistrict or address detail, e.g. “Zhuldyz microdistrict”."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.STREET,
        help_text=_("Street, avenue, square, school, airport ..."),
    )
    naming_status = models.CharField(
        _("naming status"),
        max_length=10,
        choices=NamingStatus.choices,
        blank=True,
        help_text=_("Leave empty if the sources do not say."),
    )
    named_year = models.PositiveSmallIntegerField(
        _("year named"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the current name was given, if known."),
    )
    naming_body = models.CharField(
        _("naming body"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Almaty city maslikhat and akimat."),
    )
    naming_act_number = models.CharField(
        _("act number"),
        max_length=100,
        blank=True,
        help_text=_("The number of the decision or resolution."),
    )
    naming_act_date = models.DateField(
        _("act date"), null=True, blank=True, help_text=_("The date the act was adopted.")
    )
    naming_act_url = models.URLField(
        _("act in the legal registry"),
        max_length=1000,
        blank=True,
        help_text=_("Link to the act, e.g. on adilet.zan.kz."),
    )
    naming_in_force = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("The date the new name came into force."),
    )
    # A copy is another place: it gets its own plaque code.
    # wagtail-localize: names and the naming act's identifiers are the same in every
    # language's version; each version keeps its own plaque short code.
    override_translatable_fields = synchronized(
        "name_kk", "name_ru", "name_en", "naming_act_number", "source"
    ) + kept_per_version("short_code")
    exclude_fields_in_copy = ["short_code"]

    short_code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        default=_new_short_code,
        editable=False,
        help_text=_("The permanent short link /s/<code>/ printed as a QR code on the plaque."),
    )
    source = models.TextField(
        _("sources"), blank=True, help_text=_("One source per line or “ ; ”.")
    )

    search_fields = Page.search_fields + [
        index.SearchField("name_kk"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.RelatedFields("former_names", [index.SearchField("name")]),
        index.AutocompleteField("name_en"),
    ]

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_en")]),
        FieldPanel("kind"),
        FieldPanel("settlement"),
        FieldPanel("location_note"),
        InlinePanel("heroes", label=_("named after"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("naming_status"),
                FieldPanel("named_year"),
                FieldPanel("naming_body"),
                FieldRowPanel([FieldPanel("naming_act_number"), FieldPanel("naming_act_date")]),
                FieldPanel("naming_act_url"),
                FieldPanel("naming_in_force"),
            ],
            heading=_("Naming act"),
        ),
        InlinePanel("former_names", label=_("former names")),
        FieldRowPanel([FieldPanel("lat"), FieldPanel("lon")], heading=_("Coordinates (WGS 84)")),
        FieldPanel("source"),
    ]

    parent_page_types = ["heroes.StreetIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("street or named place")
        verbose_name_plural = _("streets and named places")

    @property
    def name(self):
        return localized_name(self) or self.title

    @property
    def source_list(self):
        """The sources as a list of strings (split on lines and “ ; ”)."""
        parts = []
        for line in self.source.splitlines():
            parts.extend(p.strip() for p in line.split(" ; ") if p.strip())
        return parts

    def clean(self):
        super().clean()
        errors = self.coordinate_errors()
        if not (self.name_kk or self.name_ru or self.name_en):
            errors["name_en"] = _("Enter the name in at least one language.")
        # Checked on every save, drafts included, so no revision without a hero can
        # later be published by a moderator, a workflow or the scheduler.
        if not self.heroes.all():
            errors["__all__"] = _("Name at least one hero this place is named after.")
        if errors:
            raise ValidationError(errors)

    @property
    def place_is_published(self):
        """Whether the street's settlement and region are published (live)."""
        load_place(self)
        return self.settlement.live and self.settlement.region.live

    def serve(self, request, *args, **kwargs):
        # A street in a settlement that is unpublished (or not yet approved) stays hidden.
        if not self.place_is_published:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .views import street_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(street_page_context(self))
        return context


class StreetHero(Orderable):
    """Links a street to a hero it is named after (several allowed)."""

    page = ParentalKey(StreetPage, related_name="heroes", on_delete=models.CASCADE)
    # CASCADE so that an old revision naming a since-deleted hero still opens; the
    # admin refuses to delete a hero while streets are named after it (wagtail_hooks).
    hero = models.ForeignKey(
        HeroPage,
        verbose_name=_("hero"),
        on_delete=models.CASCADE,
        related_name="street_links",
        help_text=_("A hero this street or place is named after."),
    )

    panels = [FieldPanel("hero")]


class FormerName(Orderable):
    """An earlier name of a street, with the years it was in use where known."""

    page = ParentalKey(StreetPage, related_name="former_names", on_delete=models.CASCADE)
    name = models.CharField(
        _("former name"), max_length=255, help_text=_("An earlier name, e.g. улица Ленина.")
    )
    valid_from = models.PositiveSmallIntegerField(
        _("from (year)"),
        null=True,
        blank=True,
        help_text=_("The year the name was given, if known."),
    )
    valid_until = models.PositiveSmallIntegerField(
        _("until (year)"),
        null=True,
        blank=True,
        help_text=_("The year the name was replaced, if known."),
    )
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("e.g. project name.")
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("note"),
    ]

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end year is before the start year.")})
