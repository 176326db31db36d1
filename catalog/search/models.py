"""The stored search keys: one entry per live, public page of a searchable kind,
with its names and words folded by :mod:`heroes.names`.

The tables are derived data, rebuilt by ``manage.py rebuild_search_index`` and kept
in sync by :mod:`catalog.search.sync`; nothing else writes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from heroes.names import MAX_WORD_KEY

# Hits of equal rank are ordered by this much of their case-folded title, then by
# page id.
SORT_KEY_LENGTH = 64


class SearchEntry(models.Model):
    """A live, public page that search can return (one per page)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="search_entry")
    kind = models.CharField(_("kind"), max_length=20)
    title = models.CharField(_("title"), max_length=255)
    # The title case-folded (its start): the tie-breaker after the ranking, compared
    # in Python, so the same on every database.
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH)
    # The kind of street ("avenue", "airport" ...) for hints such as "Momyshuly avenue".
    category = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["category"], name="search_entry_category")]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class SearchName(models.Model):
    """A whole name of an entry, for "the query is this name" matches."""

    class Role(models.IntegerChoices):
        NAME = 0, _("name")
        FORMER = 1, _("former name")
        # The name without street-kind and linking words ("Момышулы" for "проспект
        # Момышулы"), a hero's surname, or first name and surname without patronymic.
        SHORT = 2, _("short form")
        FORMER_SHORT = 3, _("short form of a former name")

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="names")
    role = models.PositiveSmallIntegerField(choices=Role.choices)
    # heroes.names.exact_key and loose_key of the text.
    exact = models.CharField(max_length=255)
    loose = models.CharField(max_length=255)
    # As written: the spelling offered by "did you mean".
    text = models.CharField(max_length=255)

    class Meta:
        # Plain B-tree indexes (equality): a field's db_index would add a second,
        # LIKE-only index on PostgreSQL, which search never uses.
        indexes = [
            models.Index(fields=["exact"], name="search_name_exact"),
            models.Index(fields=["loose"], name="search_name_loose"),
        ]

    def __str__(self):
        return self.exact


class SearchTerm(models.Model):
    """One word of an entry (name, former name or context such as the settlement),
    as a skeleton (:func:`heroes.names.word_key`) and its stem; ``reversed_term``
    serves the typo look-up by word ending."""

    class Field(models.IntegerChoices):
        NAME = 0, _("name")
        FORMER = 1, _("former name")
        CONTEXT = 2, _("context")

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=MAX_WORD_KEY)
    reversed_term = models.CharField(max_length=MAX_WORD_KEY)
    stem = models.CharField(max_length=MAX_WORD_KEY)
    field = models.PositiveSmallIntegerField(choices=Field.choices)
    # Copies of the entry's page id, kind, category and the start of its sort key:
    # a broad query ("Nur") matches thousands of words, and reading these here
    # instead of joining the entry halves the time to fetch them.
    page_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    category = models.CharField(max_length=20, blank=True)
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH)

    class Meta:
        # Equality and range (prefix) look-ups; B-tree order on [0-9a-z] keys is the
        # same in every collation (see catalog.search.engine._prefix_q).
        indexes = [
            models.Index(fields=["term"], name="search_term_term"),
            models.Index(fields=["reversed_term"], name="search_term_reversed"),
            models.Index(fields=["stem"], name="search_term_stem"),
        ]

    def __str__(self):
        return self.term


class SearchIndexState(models.Model):
    """One row: the :data:`heroes.names.KEY_VERSION` the stored keys were built with."""

    key_version = models.PositiveIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"search keys v{self.key_version}"
