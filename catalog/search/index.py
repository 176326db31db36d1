"""Writing the stored search keys (:mod:`catalog.search.models`).

:func:`refresh` re-derives the entries of some pages (and of the pages whose keys
include their texts); :func:`rebuild` derives all of them. Only live, public
pages of a registered kind (:data:`catalog.search.kinds.KINDS`) get an entry;
any other page given to :func:`refresh` loses its entry.
"""

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from heroes.generation import new_generation
from heroes.i18n import all_versions, first_version, over_all_versions
from heroes.names import (
    KEY_VERSION,
    core_text,
    exact_key,
    is_noise,
    loose_key,
    split_words,
    word_stem,
)

from .kinds import KINDS
from .models import SORT_KEY_LENGTH, SearchEntry, SearchIndexState, SearchName, SearchTerm

CHUNK = 1000
_NAME_LENGTH = SearchName._meta.get_field("exact").max_length


def _name_rows(document):
    """``{(exact, loose): (role, text)}``: each distinct name once, under its strongest role."""
    rows = {}

    def add(text, role):
        exact, loose = exact_key(text)[:_NAME_LENGTH], loose_key(text)[:_NAME_LENGTH]
        if exact and ((exact, loose) not in rows or role < rows[exact, loose][0]):
            rows[exact, loose] = (role, text[:_NAME_LENGTH])

    Role = SearchName.Role
    for texts, role, short_role in (
        (document.names, Role.NAME, Role.SHORT),
        (document.former_names, Role.FORMER, Role.FORMER_SHORT),
    ):
        for text in texts:
            add(text, role)
            add(core_text(text), short_role)
    for text in document.short_names:
        add(text, Role.SHORT)
    return rows


def _term_rows(document):
    """``{skeleton: field}``: each word once, under its strongest field. Street-kind
    and linking words are not stored: search treats them as hints."""
    rows = {}
    Field = SearchTerm.Field
    for texts, field in (
        (document.names + document.short_names, Field.NAME),
        (document.former_names, Field.FORMER),
        (document.context, Field.CONTEXT),
    ):
        for text in texts:
            for word in split_words(text):
                for key in (word.key, *word.parts):
                    if not is_noise(key) and (key not in rows or field < rows[key]):
                        rows[key] = field
    return rows


def _write(kind, documents):
    entries = SearchEntry.objects.bulk_create(
        SearchEntry(
            page_id=document.page_id,
            kind=kind.name,
            title=document.title[:255],
            sort_key=exact_key(document.title)[:SORT_KEY_LENGTH],
            category=document.category,
        )
        for document in documents
    )
    names, terms = [], []
    for entry, document in zip(entries, documents, strict=True):
        for (exact, loose), (role, text) in _name_rows(document).items():
            names.append(SearchName(entry=entry, role=role, exact=exact, loose=loose, text=text))
        for key, field in _term_rows(document).items():
            terms.append(
                SearchTerm(
                    entry=entry,
                    term=key,
                    reversed_term=key[::-1],
                    stem=word_stem(key),
                    field=field,
                    page_id=entry.page_id,
                    kind=entry.kind,
                    category=entry.category,
                    sort_key=entry.sort_key,
                )
            )
    SearchName.objects.bulk_create(names, batch_size=CHUNK)
    SearchTerm.objects.bulk_create(terms, batch_size=CHUNK)


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def indexed(kind):
    """The pages of ``kind`` that get search keys: one version of each page, the first
    live one created (its names, the same in every language, are what search
    matches; results show the reader's version, see catalog.views)."""
    with all_versions():
        return kind.live().filter(pk=first_version(kind.live()))


def _refresh_kind(kind, page_ids, gone):
    for chunk in _chunks(page_ids):
        SearchEntry.objects.filter(page_id__in=chunk).delete()
        pages = list(indexed(kind).filter(pk__in=chunk).exclude(pk__in=gone))
        _write(kind, kind.documents(pages))


@transaction.atomic
def refresh(pages, *, gone=()):
    """See :func:`_refresh` (run over every language's version of each page)."""
    with all_versions():
        return _refresh(pages, gone=gone)


def _refresh(pages, *, gone=()):
    """Re-derive the search entries of ``pages`` (a queryset of ``Page`` or of a
    page model, or an iterable of page ids) and of the pages that depend on them
    (a street carries its heroes' names). A page that is not live and public, or
    not of a searchable kind, ends up without an entry; so do the page ids in
    ``gone`` whatever their row says (a page being deleted is unpublished without
    saving). Returns None."""
    if hasattr(pages, "values_list"):
        page_ids = set(pages.values_list("pk", flat=True))
    else:
        page_ids = set(pages)
    page_ids |= set(gone)
    if not page_ids:
        return
    # Every language's version: which one carries the keys may change.
    page_ids |= set(
        Page.objects.filter(
            translation_key__in=Page.objects.filter(pk__in=page_ids).values("translation_key")
        ).values_list("pk", flat=True)
    )
    by_kind = {name: set() for name in KINDS}
    for kind in KINDS.values():
        by_kind[kind.name] |= set(
            kind.model.objects.filter(pk__in=page_ids).values_list("pk", flat=True)
        )
        for name, dependent_ids in kind.dependents(page_ids).items():
            by_kind[name] |= set(dependent_ids)
    others = page_ids - set().union(*by_kind.values())
    for chunk in _chunks(others):
        SearchEntry.objects.filter(page_id__in=chunk).delete()
    for name, ids in by_kind.items():
        _refresh_kind(KINDS[name], ids, set(gone))


def _delete_all():
    # Derived data: plain DELETEs, without loading every row to cascade.
    with connection.cursor() as cursor:
        for model in (SearchTerm, SearchName, SearchEntry):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
@over_all_versions
def rebuild(progress=None):
    """Derive every search entry again, in one transaction, and record the
    :data:`heroes.names.KEY_VERSION` used. ``progress`` (optional) is called with a
    message (str) after each chunk. Returns the number of entries (int)."""
    _delete_all()
    total = 0
    for kind in KINDS.values():
        last = 0
        while True:
            pages = list(indexed(kind).filter(pk__gt=last).order_by("pk")[:CHUNK])
            if not pages:
                break
            _write(kind, kind.documents(pages))
            last = pages[-1].pk
            total += len(pages)
            if progress:
                progress(f"{kind.label_plural}: {total}")
    SearchIndexState.objects.update_or_create(
        pk=1, defaults={"key_version": KEY_VERSION, "rebuilt_at": timezone.now()}
    )
    new_generation()  # cached search results were made from the old keys
    return total


def is_current():
    """Whether the stored keys were built with the current rules (``KEY_VERSION``)."""
    return SearchIndexState.objects.filter(pk=1, key_version=KEY_VERSION).exists()


def ensure_current(progress=None):
    """:func:`rebuild` unless the stored keys are current. Returns True if it rebuilt."""
    if is_current():
        return False
    rebuild(progress)
    return True
