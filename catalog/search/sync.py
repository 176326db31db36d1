"""Keeping the stored search keys in step with what readers may see.

The keys of a page are re-derived (:func:`catalog.search.index.refresh`) when:

* it is published or unpublished (Wagtail's ``page_published``/``page_unpublished``,
  which copies and aliases send too), including scheduled publishing and expiry;
  or its region or settlement snippet is (``published``/``unpublished``: a street
  in an unpublished settlement disappears, a renamed settlement is found by its
  new name);
* a view restriction (private page) is added, changed or removed above it, or it
  is moved (its privacy may change);
* a page its keys depend on changes or is deleted (a street carries its heroes'
  names). A deleted page's own entry goes with it (foreign key cascade).

Drafts never reach the keys: saving a draft sends none of these signals, and the
keys are read from the database row, which holds the live version.

:func:`deferred` collects the changes of a batch (the importer) and re-derives
them once at the end.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from heroes.models import Region, Settlement

from . import index
from .kinds import KINDS

_state = threading.local()


def _pending():
    return getattr(_state, "pending", None)


def _refresh(page_ids, gone=()):
    pending = _pending()
    if pending is not None:
        pending["gone"].difference_update(page_ids)  # published again since
        pending["gone"].update(gone)
        pending["pages"].update(page_ids)
    else:
        index.refresh(page_ids, gone=gone)


def _pages_in_places(settlement_ids):
    ids = set()
    for kind in KINDS.values():
        pages = kind.in_places(settlement_ids)
        if pages is not None:
            ids |= set(pages)
    return ids


def _subtree(page):
    return Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)


def _place_pages(instance):
    if isinstance(instance, Settlement):
        return _pages_in_places([instance.pk])
    if isinstance(instance, Region):
        return _pages_in_places(instance.settlements.values_list("pk", flat=True))
    return set()


def on_page_published(sender, instance, **kwargs):
    """``page_published`` (also sent for a copied live page and for aliases)."""
    _refresh([instance.pk])


def on_page_unpublished(sender, instance, **kwargs):
    """``page_unpublished``: the page goes, also when Wagtail unpublishes a page it
    is about to delete (without saving, so its row still says live)."""
    _refresh([], gone=[instance.pk])


def on_place_published(sender, instance, **kwargs):
    """``published``/``unpublished`` of a snippet: the pages in a settlement or
    region change (a street in an unpublished settlement is hidden). Pages send
    these too, after ``page_published``/``page_unpublished``: ignored here."""
    if not isinstance(instance, Page):
        _refresh(_place_pages(instance))


def on_restriction_change(sender, instance, **kwargs):
    """A view restriction changes who may see the page and everything below it."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone if the page was deleted
    if page is not None:
        _refresh(_subtree(page))


def on_move(sender, instance, **kwargs):
    _refresh(_subtree(instance))


def before_page_delete(sender, instance, **kwargs):
    """Remember the pages whose keys carry this page's names (gone after the delete)."""
    if not isinstance(instance, Page):
        return
    dependents = set()
    for kind in KINDS.values():
        if isinstance(instance, kind.model):
            for ids in kind.dependents([instance.pk]).values():
                dependents |= set(ids)
    instance._search_dependents = dependents


def after_page_delete(sender, instance, **kwargs):
    dependents = getattr(instance, "_search_dependents", None)
    if dependents:
        _refresh(dependents)


@contextmanager
def deferred():
    """Within the block, collect the pages whose keys change and re-derive them
    once when it ends without an exception (after an exception the surrounding
    transaction is rolled back anyway). Nested blocks share the outer collection."""
    if _pending() is not None:
        yield
        return
    _state.pending = {"pages": set(), "gone": set()}
    try:
        yield
    except BaseException:
        _state.pending = None
        raise
    pending, _state.pending = _state.pending, None
    index.refresh(pending["pages"], gone=pending["gone"])


def connect():
    """Connect the signal handlers (called from ``CatalogConfig.ready``)."""
    page_published.connect(on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search_page_unpublished")
    published.connect(on_place_published, dispatch_uid="search_place_published")
    unpublished.connect(on_place_published, dispatch_uid="search_place_unpublished")
    post_save.connect(
        on_restriction_change, sender=PageViewRestriction, dispatch_uid="search_restriction_saved"
    )
    post_delete.connect(
        on_restriction_change,
        sender=PageViewRestriction,
        dispatch_uid="search_restriction_deleted",
    )
    post_page_move.connect(on_move, dispatch_uid="search_page_moved")
    for kind in KINDS.values():
        pre_delete.connect(
            before_page_delete, sender=kind.model, dispatch_uid=f"search_pre_delete_{kind.name}"
        )
        post_delete.connect(
            after_page_delete, sender=kind.model, dispatch_uid=f"search_post_delete_{kind.name}"
        )
