"""Pages in Kazakh, Russian and English: which version a reader sees, and writing
translations through wagtail-localize.

Every page exists once per language (Wagtail's internationalisation,
``WAGTAIL_I18N_ENABLED``): the versions share a ``translation_key`` and each has its
own ``locale``, tree and URL (``/kk/...``, ``/ru/...``, ``/en/...``). A reader of
language L sees L's version; where L has none (not yet translated, or its translation
is a draft), the first version that exists in ``settings.CONTENT_FALLBACK_ORDER``
(kk, then ru, then en), served under L's URL with a notice and the content's own
``lang`` attribute (see ``SlugRulePage.route`` and ``templates/base.html``).

Translations are made with wagtail-localize: the source page's text is split into
segments; a translation holds a translated string per segment; a segment with no
translation keeps the source text (``fallback=True``), and :func:`untranslated_fields`
reports those fields so that pages mark them as not yet translated instead of passing
English off as Kazakh.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import StartsWith
from django.utils.translation import get_language
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from .generation import current_generation


def active_language():
    """The active interface language code (``"kk"``, ``"ru"`` or ``"en"``)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def fallback_order(language=None):
    """Language codes in the order a reader of ``language`` (default: the active one)
    is served: their own, then ``settings.CONTENT_FALLBACK_ORDER`` (kk, ru, en)."""
    language = language or active_language()
    return [language] + [code for code in settings.CONTENT_FALLBACK_ORDER if code != language]


@lru_cache(maxsize=1)
def _locale_codes():
    return dict(Locale.objects.values_list("pk", "language_code"))


def locale_code(locale_id):
    """The language code of a Locale id, without a query after the first call."""
    codes = _locale_codes()
    if locale_id not in codes:
        _locale_codes.cache_clear()
        codes = _locale_codes()
    return codes.get(locale_id, settings.LANGUAGE_CODE)


def public(queryset):
    """``queryset`` (pages) without the pages in a private section (a view restriction
    on the page or an ancestor), like Wagtail's ``PageQuerySet.public()``, but as a
    correlated ``NOT EXISTS`` inside the same query: Wagtail's method first reads every
    restriction, one query per call, which a page with several lists pays several times."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return queryset.filter(~Exists(restricted))


_ALL_VERSIONS = ContextVar("all_versions", default=False)


@contextmanager
def all_versions():
    """Within this block :func:`best_translations` keeps every language's version
    (search indexing works on all versions; it picks one itself)."""
    token = _ALL_VERSIONS.set(True)
    try:
        yield
    finally:
        _ALL_VERSIONS.reset(token)


def over_all_versions(function):
    """Decorator: run ``function`` inside :func:`all_versions`."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with all_versions():
            return function(*args, **kwargs)

    return wrapper


# Above this many pages shown in a language in place of a missing version, the fallback
# set is not kept as a list of ids (best_translations then compares versions in SQL).
FALLBACK_LIMIT = 2000


def best_translations(queryset, language=None, *, visible=None):
    """``queryset`` narrowed to one version per page: the version in ``language``
    (default: the active one), else the first of ``CONTENT_FALLBACK_ORDER`` that is in
    ``visible`` (default: live, public pages).

    Query shape, by default: ``locale = language OR id IN (fallbacks)``, where the
    fallbacks (pages shown in place of a missing version: few, on a translated site)
    come from :func:`fallback_page_ids`, computed once per content generation. With
    ``visible`` given, or too many fallbacks: :func:`compare_versions`."""
    if _ALL_VERSIONS.get():
        return queryset
    language = fallback_order(language)[0]
    if visible is None:
        fallbacks = fallback_page_ids(language)
        if fallbacks is not None:
            return queryset.filter(Q(locale__language_code=language) | Q(pk__in=fallbacks))
    return compare_versions(queryset, language, visible=visible)


def fallback_page_ids(language):
    """Ids (list of int) of the live, public pages that readers of ``language`` see in
    place of a missing version, or None if there are more than ``FALLBACK_LIMIT``.
    Cached per content generation (:mod:`heroes.generation`): any publish, unpublish,
    move or delete computes it afresh (one query)."""
    key = f"i18n-fallbacks:{current_generation()}:{language}"
    ids = cache.get(key, "missing")
    if ids == "missing":
        others = compare_versions(public(Page.objects.live()), language).exclude(
            locale__language_code=language
        )
        ids = list(others.values_list("pk", flat=True)[: FALLBACK_LIMIT + 1])
        if len(ids) > FALLBACK_LIMIT:
            ids = None
        cache.set(key, ids, 3600)
    return ids


def compare_versions(queryset, language=None, *, visible=None):
    """:func:`best_translations` in SQL alone: for each better language,
    ``translation_key NOT IN`` (the keys of its ``visible`` versions), a subquery that
    does not depend on the row, so the database builds it once (SQLite an ephemeral
    index, PostgreSQL a hashed subplan) rather than probing per row."""
    order = fallback_order(language)
    if visible is None:
        visible = public(Page.objects.live())
    condition = Q(locale__language_code=order[0])
    for position, code in enumerate(order[1:], start=1):
        alternative = Q(locale__language_code=code)
        for better in order[:position]:
            keys = visible.filter(locale__language_code=better).values("translation_key")
            alternative &= ~Q(translation_key__in=keys)
        condition |= alternative
    return queryset.filter(condition)


def best_version(page, language=None):
    """The version of ``page`` a reader of ``language`` sees: their language's live,
    public version, else the first in the fallback order; ``page`` itself if none is live.
    One query."""
    order = fallback_order(language)
    versions = {
        locale_code(version.locale_id): version
        for version in public(Page.objects.live())
        .filter(translation_key=page.translation_key)
        .specific(defer=True)
    }
    return next((versions[code] for code in order if code in versions), page)


def relative_path(page):
    """The page's path below its language's home page: ``"/heroes/bauyrzhan-momyshuly/"``
    (``"/"`` for a home page). Wagtail keeps one home page per language, all at depth 2."""
    parts = page.url_path.split("/", 2)
    return "/" + (parts[2] if len(parts) > 2 else "")


def url_in_language(page, language):
    """The URL of ``page``'s content for a reader of ``language``: ``/<language>`` +
    the page's path. It serves ``language``'s version where one exists and is reached
    by the same slugs, else the fallback (see ``SlugRulePage.route``). No query."""
    return f"/{language}{relative_path(page)}"


def untranslated_fields(page):
    """``(language, fields)``: the names of ``page``'s fields (top level: ``"summary"``,
    ``"biography"``, ``"awards"``) that still hold the text of the version it was
    translated from, and that version's language code. ``fields`` is empty for a
    source page or a page not made with wagtail-localize (``language`` is then the
    page's own). One query, two when the page is a translation.
    """
    from wagtail_localize.models import StringSegment, TranslationSource

    own = locale_code(page.locale_id)
    source = (
        TranslationSource.objects.filter(object_id=page.translation_key)
        .exclude(locale_id=page.locale_id)
        .first()
    )
    if source is None:
        return own, frozenset()
    ignored = {"slug"}
    fields = set()
    segments = (
        StringSegment.objects.filter(source=source)
        .annotate_translation(page.locale_id)
        .values_list("context__path", "translation")
    )
    for path, translation in segments:
        field = path.split(".", 1)[0]
        if translation is None and field not in ignored:
            fields.add(field)
    return (locale_code(source.locale_id) if fields else own), frozenset(fields)


def first_version(queryset):
    """A subquery for ``.filter(pk=...)``: the id of the first version created (lowest
    id) among ``queryset``'s pages that share the outer row's ``translation_key``.
    Keeps one row per page where every language's version has the same facts."""
    return Subquery(
        queryset.filter(translation_key=OuterRef("translation_key")).order_by("pk").values("pk")[:1]
    )


def translate_page(page, language, strings, *, user=None, publish=True):
    """Create or update the ``language`` version of ``page`` with wagtail-localize.

    ``strings`` maps a field path (``"title"``, ``"summary"``) to its translation (plain
    text); an empty or missing value leaves that segment untranslated, so the version
    shows the source text and :func:`untranslated_fields` names it. Translations are
    recorded as "manual" by ``user`` in wagtail-localize's translation memory, so editors
    see and change them in its translation editor. Non-text fields follow the source.
    With ``publish=False`` the version gets a draft revision only.

    Returns the translated page. Raises ``Locale.DoesNotExist`` for an unknown language.
    """
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )
    from wagtail_localize.strings import StringValue

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.update_or_create_from_instance(page)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("context", "string"):
        text = strings.get(segment.context.path)
        if not text:
            continue
        data = StringValue.from_plaintext(text).data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
                "has_error": False,
            },
        )
    # wagtail-localize publishes on commit, from the page object as it was then: in a
    # long transaction (an import) that would write back stale tree data (numchild) of
    # a page that got children meanwhile. Publish now, from a fresh revision object.
    translated, _created = source.create_or_update_translation(
        locale, user=user, publish=False, fallback=True, copy_parent_pages=True
    )
    if publish:
        Revision.objects.get(pk=translated.latest_revision_id).publish(user=user)
        translated.refresh_from_db()
    return translated


def synchronised_fields(model):
    """The facts of a page type: its own concrete fields that wagtail-localize copies
    from the source unchanged (``SynchronizedField``: names in every script, dates,
    statuses, places, identifiers), not Wagtail's page fields (slug, owner ...)."""
    from django.core.exceptions import FieldDoesNotExist
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields

    fields = []
    for translatable in get_translatable_fields(model):
        if not isinstance(translatable, SynchronizedField):
            continue
        try:
            field = model._meta.get_field(translatable.field_name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many and not field.primary_key:
            if field.model is not Page and not issubclass(Page, field.model):
                fields.append(field)
    return fields


def source_version(page):
    """The version of ``page`` that its translations were made from (wagtail-localize's
    TranslationSource locale), or None when the page has no translations."""
    from wagtail_localize.models import TranslationSource

    source = (
        TranslationSource.objects.filter(object_id=page.translation_key)
        .order_by("pk")
        .values_list("locale_id", flat=True)
        .first()
    )
    if source is None:
        return None
    return (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale_id=source)
        .select_related("live_revision", "latest_revision")
        .first()
    )


def sync_facts(page):
    """Keep the facts (:func:`synchronised_fields`) of ``page``'s versions the same after
    ``page`` was published: from the source version to every translation; a published
    translation takes them from the source (wagtail-localize fills a translation's facts
    from the source as it was when last synced, which may be older: a publish of a
    translation must never bring an old date back). Without this a Kazakh stop page
    would show the old date until someone chose "Sync translated pages".

    The facts are written to each version's row and to its live and latest revisions
    (a pending review keeps them too); nothing else of a version changes and nothing is
    published, so translated strings that are not reviewed stay unpublished. A field a
    translator overrode for a language is left alone. Returns the number of versions
    changed."""
    from wagtail_localize.models import SegmentOverride

    model = type(page)
    fields = synchronised_fields(model)
    source = source_version(page) if fields else None
    if source is None:
        return 0
    if source.pk == page.pk:
        targets = list(
            model.objects.filter(translation_key=page.translation_key)
            .exclude(pk=page.pk)
            .select_related("live_revision", "latest_revision")
        )
    else:
        targets = [model.objects.select_related("live_revision", "latest_revision").get(pk=page.pk)]
    overridden = set(
        SegmentOverride.objects.filter(
            context__object_id=page.translation_key,
            context__path__in=[field.name for field in fields],
        ).values_list("locale_id", "context__path")
    )
    data = source.serializable_data()
    changed = 0
    for target in targets:
        mine = [field for field in fields if (target.locale_id, field.name) not in overridden]
        values = {field.attname: getattr(source, field.attname) for field in mine}
        revisions = {target.live_revision, target.latest_revision} - {None}
        stale = any(getattr(target, name) != value for name, value in values.items()) or any(
            revision.content.get(field.name) != data[field.name]
            for revision in revisions
            for field in mine
        )
        if not stale:
            continue
        model.objects.filter(pk=target.pk).update(**values)
        for revision in revisions:
            for field in mine:
                revision.content[field.name] = data[field.name]
            revision.save(update_fields=["content"])
        changed += 1
    return changed


def _sync_on_publish(sender, instance, **kwargs):
    sync_facts(instance)


def connect():
    """Keep the versions' facts in step on every publish (HeroesConfig.ready)."""
    from wagtail.signals import page_published

    page_published.connect(_sync_on_publish, dispatch_uid="heroes-sync-facts")


def _localize_fields():
    from wagtail_localize.fields import BaseTranslatableField, SynchronizedField

    class KeptPerVersion(BaseTranslatableField):
        """Neither translated nor copied: each language's version keeps its own value
        (e.g. a street's short code, a stop's visit slots)."""

    return SynchronizedField, KeptPerVersion


def synchronized(*names):
    """wagtail-localize overrides: ``names`` are copied from the source to every
    translation unchanged (names in all three languages, dates, identifiers)."""
    field, _kept = _localize_fields()
    return [field(name, overridable=False) for name in names]


def kept_per_version(*names):
    """wagtail-localize overrides: ``names`` are never copied into or from translations."""
    _field, kept = _localize_fields()
    return [kept(name) for name in names]
