"""Ranking a query against the stored search keys, the same way on every database.

A query is folded by :mod:`heroes.names` exactly as the stored names were; the
database is asked only indexed questions (equal keys, a key range for a prefix),
and the ranking is done here, in Python, over the rows that match, so SQLite and
PostgreSQL give the same results in the same order. PostgreSQL's full-text search
is not used: it folds case by the database's locale, stems by language (there is
no Kazakh stemmer, and stemming names hurts in any language) and knows no
transliteration, so it cannot meet ``Момышұлы`` with ``Momyshuly``, and SQLite
would answer differently. (Wagtail's backend, set to the ``simple`` configuration
for every language, serves only the admin's page search.)

Ranks, best first (:class:`Rank`):

``EXACT``
    the query is one of the page's names or former names as written (case and
    ``ё``/``е`` aside): ``проспект Момышулы``, ``Казарменная``.
``VARIANT``
    the query is such a name in another script or spelling (``Momysh-uly``,
    ``Momyşūly``), a person's surname (``Маметова``), first name and surname
    without the patronymic, or a street's name without its kind word.
``WORDS``
    every word of the query is a word of the page's names, former names or
    context (settlement, region, the heroes a street is named after), in any
    script, inflection or gendered ending (``Алматы Маметовой``).
``PREFIX``
    ... where some word is only the start of one (``Momysh``), as typed so far.
``FUZZY``
    ... where some word matched nothing and is within a typo of a stored word
    (rapidfuzz's optimal string alignment distance on skeletons: 1 for words of up
    to 5 letters, else 2); the best correction is offered as "did you mean".

Street-kind words (``улица``, ``avenue``, ``даңғылы`` ...) are hints, not required
words: among equal ranks a street of the named kind comes first, then other
streets. Then a match on the page's own names before one through its context,
whole words before inflected ones, nearer typos first, kinds in registry order
(heroes before streets), and titles alphabetically (case-folded).
"""

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import IntEnum
from operator import attrgetter

from django.db.models import Q
from rapidfuzz import process
from rapidfuzz.distance import OSA

from heroes.i18n import all_versions
from heroes.names import (
    exact_key,
    is_cyrillic,
    is_noise,
    loose_key,
    prefix_keys,
    split_words,
    street_kind,
)

from .kinds import KINDS
from .models import SearchEntry, SearchName, SearchTerm

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
# Shorter skeletons match only whole words: "a" would start half of all words.
MIN_PREFIX = 2
MIN_FUZZY = 3

# Skeletons are [0-9a-z]; a prefix range ends at the next string in that alphabet.
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

_KIND_ORDER = {name: position for position, name in enumerate(KINDS)}

# Grades of one query word against one stored word, best first.
_WORD, _STEM, _PREFIX, _TYPO = range(4)


class Rank(IntEnum):
    """How a page matched the query, best first (see the module docstring)."""

    EXACT = 0
    VARIANT = 1
    WORDS = 2
    PREFIX = 3
    FUZZY = 4


@dataclass
class QueryWord:
    """A required word of the query: as typed, its skeleton, stem, the prefixes to
    try, and (after :func:`_add_typo_corrections`) ``fuzzy`` ``{skeleton: distance}``."""

    text: str
    key: str
    stem: str
    prefixes: tuple
    fuzzy: dict = field(default_factory=dict)

    def grade(self, term, stem):
        """``(grade, distance)`` of this word against a stored word, or None."""
        if term == self.key:
            return _WORD, 0
        if stem == self.stem:
            return _STEM, 0
        if any(term.startswith(prefix) for prefix in self.prefixes):
            return _PREFIX, 0
        if term in self.fuzzy:
            return _TYPO, self.fuzzy[term]
        return None


@dataclass
class Query:
    """A parsed query: ``text`` (cleaned), whole-query keys, required ``words``,
    street kinds named (``hints``) and ``parts``: every word as typed with the index
    of its required word (or None for a hint)."""

    text: str
    exact: str = ""
    loose: str = ""
    core_loose: str = ""
    words: list = field(default_factory=list)
    hints: frozenset = frozenset()
    parts: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.words or self.hints)


@dataclass(slots=True)
class Hit:
    """One page found: ``page_id``, ``kind`` (name), ``rank`` (:class:`Rank`),
    ``former`` (found through a former name) and the tie-breakers. Slotted: a broad
    query makes thousands."""

    entry_id: int
    page_id: int
    kind: str
    sort_key: str
    category: str
    rank: Rank
    former: bool = False
    context: int = 0
    inflected: int = 0
    distance: int = 0
    corrections: dict = field(default_factory=dict)
    key: tuple = ()  # order(hints), kept once computed
    # Set when a page of hits is loaded for display (catalog.views): the page, and
    # the former names the query matched.
    item: object = None
    renamed_from: list = field(default_factory=list)

    @property
    def kind_label(self):
        return KINDS[self.kind].label

    @property
    def template(self):
        return KINDS[self.kind].template

    def order(self, hints):
        """The sort key of this hit for a query naming street kinds ``hints``."""
        if not hints:
            hint = 0
        elif self.kind == "street":
            hint = 0 if self.category in hints else 1
        else:
            hint = 2
        return (
            self.rank,
            hint,
            self.context,
            self.inflected,
            self.distance,
            _KIND_ORDER.get(self.kind, len(_KIND_ORDER)),
            self.sort_key,
            self.page_id,
        )


@dataclass
class Results:
    """What :func:`search` found: ranked ``hits`` (of the kinds asked for),
    ``counts`` per kind (before the kind filter), and ``suggestion``: the query
    with typos corrected when typo matching was used, else None."""

    query: Query
    hits: list
    counts: dict
    suggestion: str | None = None


def clean(text):
    """``text`` (str) without NUL characters (PostgreSQL text cannot hold them),
    spaces collapsed, cut to :data:`MAX_QUERY_LENGTH` characters."""
    return " ".join(text.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def parse(text):
    """The :class:`Query` for ``text`` (str, as typed)."""
    text = clean(text)
    words = split_words(text)
    required, hints, parts = [], set(), []
    for word in words:
        kind = street_kind(word.key)
        if kind:
            hints.add(kind)
        if kind or is_noise(word.key) or len(required) == MAX_QUERY_WORDS:
            parts.append((word.text, None))
            continue
        parts.append((word.text, len(required)))
        required.append(_query_word(word))
    if not required and not hints:
        # Only linking words ("named after"): look for them after all.
        parts = [(word.text, n) for n, word in enumerate(words[:MAX_QUERY_WORDS])]
        required = [_query_word(word) for word in words[:MAX_QUERY_WORDS]]
    core = " ".join(text for text, index in parts if index is not None)
    return Query(
        text=text,
        exact=exact_key(text),
        loose=loose_key(text),
        core_loose=loose_key(core),
        words=required,
        hints=frozenset(hints),
        parts=parts,
    )


def _query_word(word):
    prefixes = tuple(p for p in prefix_keys(word.text) if len(p) >= MIN_PREFIX)
    return QueryWord(word.text, word.key, word.stem, prefixes)


def _prefix_q(column, prefix):
    """``column`` starts with ``prefix`` as an index range (both databases use a
    plain index for ``>=``/``<``; SQLite's LIKE would not)."""
    chars = list(prefix)
    while chars:
        position = _ALPHABET.find(chars.pop())
        if 0 <= position < len(_ALPHABET) - 1:
            upper = "".join(chars) + _ALPHABET[position + 1]
            return Q(**{f"{column}__gte": prefix, f"{column}__lt": upper})
    return Q(**{f"{column}__gte": prefix})


def _region_scope(iso_code):
    """A function of a lookup prefix (``"entry__"`` from a name, ``""`` from an entry
    or a term, which carries its entry's kind and page) giving the condition "an
    entry of a page in region ``iso_code``"; each kind's subquery is built once."""
    with all_versions():  # keys are stored for one version, of any language
        pages = {kind.name: kind.in_region(iso_code) for kind in KINDS.values()}

    def scope(prefix):
        condition = Q()
        for name, page_ids in pages.items():
            condition |= Q(**{f"{prefix}kind": name, f"{prefix}page_id__in": page_ids})
        return condition

    return scope


def _everywhere(prefix):
    return Q()


_ENTRY_FIELDS = ("page_id", "kind", "sort_key", "category")


def _hit(entry_id, entry, rank, **kwargs):
    page_id, kind, sort_key, category = entry
    return Hit(entry_id, page_id, kind, sort_key, category, rank, **kwargs)


def _keep_better(hits, hit, hints):
    hit.key = hit.order(hints)
    current = hits.get(hit.entry_id)
    if current is None or hit.key < current.key:
        hits[hit.entry_id] = hit


def _match_names(query, scope, hits):
    """Whole-name matches: EXACT or VARIANT."""
    Role = SearchName.Role
    looses = [key for key in {query.loose, query.core_loose} if key]
    condition = Q(exact=query.exact) | Q(loose__in=looses) if query.exact else Q(loose__in=looses)
    rows = (
        SearchName.objects.filter(condition, scope("entry__"))
        .values_list("entry_id", "role", "exact", *(f"entry__{name}" for name in _ENTRY_FIELDS))
        .order_by()
    )
    for entry_id, role, exact, *entry in rows:
        whole = role in (Role.NAME, Role.FORMER) and exact == query.exact
        rank = Rank.EXACT if whole else Rank.VARIANT
        former = role in (Role.FORMER, Role.FORMER_SHORT)
        _keep_better(hits, _hit(entry_id, entry, rank, former=former), query.hints)


def _term_rows(query, scope):
    condition = Q()
    for word in query.words:
        condition |= Q(term=word.key) | Q(stem=word.stem)
        for prefix in word.prefixes:
            condition |= _prefix_q("term", prefix)
        if word.fuzzy:
            condition |= Q(term__in=sorted(word.fuzzy))
    return list(
        SearchTerm.objects.filter(condition, scope(""))
        .values_list("entry_id", "term", "stem", "field", *_ENTRY_FIELDS)
        .order_by()
    )


def _unmatched(query, rows):
    """The required words that no stored word matched."""
    stored = {(term, stem) for _entry_id, term, stem, *_rest in rows}
    return [
        word for word in query.words if not any(word.grade(term, stem) for term, stem in stored)
    ]


def _add_typo_corrections(words):
    """Give each of ``words`` its nearest stored skeletons (``word.fuzzy``). The
    candidates share the first two letters or the last ``len - 2`` letters, at most
    four (an indexed range each): one letter substituted, added or dropped leaves
    one of these parts intact."""
    words = [word for word in words if len(word.key) >= MIN_FUZZY]
    if not words:
        return False
    condition = Q()
    for word in words:
        ending = word.key[::-1][: min(4, len(word.key) - 2)]
        condition |= _prefix_q("term", word.key[:2]) | _prefix_q("reversed_term", ending)
    candidates = sorted(
        set(SearchTerm.objects.filter(condition).values_list("term", flat=True).distinct())
    )
    found = False
    for word in words:
        limit = 1 if len(word.key) <= 5 else 2
        near = [term for term in candidates if abs(len(term) - len(word.key)) <= limit]
        scored = process.extract(
            word.key, near, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        if scored:
            best = min(score for _term, score, _index in scored)
            word.fuzzy = {term: score for term, score, _index in scored if score == best}
            found = True
    return found


def _match_words(query, rows, hits):
    """Entries where every required word matches one of their words: WORDS, PREFIX
    or FUZZY. Each distinct stored word is graded once (broad queries bring
    thousands of rows but few distinct words)."""
    Field = SearchTerm.Field
    words = query.words
    count = len(words)
    graded = {}
    best = {}
    entries = {}
    for row in rows:
        entry_id, term, stem, term_field = row[0], row[1], row[2], row[3]
        # The stem is a function of the term: the term alone keys the grades.
        matches = graded.get(term)
        if matches is None:
            matches = graded[term] = [
                (index, *grade)
                for index, word in enumerate(words)
                if (grade := word.grade(term, stem))
            ]
        if not matches:
            continue
        grades = best.get(entry_id)
        if grades is None:
            grades = best[entry_id] = [None] * count
            entries[entry_id] = row
        for index, grade, distance in matches:
            # Lower is better: the grade, then own name over former name over context.
            candidate = (grade, distance, term_field, term)
            if grades[index] is None or candidate < grades[index]:
                grades[index] = candidate
    ranks = {_WORD: Rank.WORDS, _STEM: Rank.WORDS, _PREFIX: Rank.PREFIX, _TYPO: Rank.FUZZY}
    for entry_id, grades in best.items():
        if None in grades:
            continue
        grade_of, distances, fields = zip(*((g[0], g[1], g[2]) for g in grades), strict=True)
        hit = _hit(
            entry_id,
            entries[entry_id][4:],
            ranks[max(grade_of)],
            former=Field.FORMER in fields,
            context=fields.count(Field.CONTEXT),
            inflected=grade_of.count(_STEM),
            distance=sum(distances),
            corrections={index: grade[3] for index, grade in enumerate(grades) if grade[0] == _TYPO}
            if _TYPO in grade_of
            else {},
        )
        _keep_better(hits, hit, query.hints)


def _match_category(query, scope, hits):
    """A query of street-kind words only ("airport"): every street of that kind."""
    rows = (
        SearchEntry.objects.filter(scope(""), kind="street", category__in=query.hints)
        .values_list("pk", *_ENTRY_FIELDS)
        .order_by()
    )
    for entry_id, *entry in rows:
        _keep_better(hits, _hit(entry_id, entry, Rank.WORDS), query.hints)


def _suggestion(query, hits):
    """The query with each word corrected as for the first of ``hits``, spelt as in
    the names of the first few hits (in the script it was typed in, if they have it)."""
    spellings = {}
    names = SearchName.objects.filter(entry_id__in=[hit.entry_id for hit in hits[:5]])
    for text in names.order_by("entry_id", "role", "pk").values_list("text", flat=True):
        for word in split_words(text):
            spellings.setdefault(word.key, []).append(word.text)
    corrections = hits[0].corrections
    out = []
    for text, index in query.parts:
        term = corrections.get(index) if index is not None else None
        choices = spellings.get(term, []) if term else []
        same_script = [choice for choice in choices if is_cyrillic(choice) == is_cyrillic(text)]
        out.append((same_script or choices or [text])[0])
    suggestion = " ".join(out)
    return suggestion if exact_key(suggestion) != query.exact else None


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for a block that allocates many small,
    acyclic objects (rows, grades, hits). A broad query ("Nur" over 100,000 heroes)
    makes tens of thousands of them, enough to set off full collections of the whole
    process heap mid-search: measured, p50 71 ms and max 155 ms with the collector,
    66 and 71 ms without. Reference counting still frees everything; the collector
    resumes (if it ran before) when the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def search(text, *, kinds=None, region=None, limit=None):
    """Search the stored keys for ``text`` (str, as typed).

    ``kinds``: names of :data:`catalog.search.kinds.KINDS` to return (None: all);
    ``region``: an ISO 3166-2 code (already validated) or None; ``limit``: at most
    this many hits (None: all). Returns :class:`Results`; an empty or all-punctuation
    query gives no hits. Runs two database queries, five on the typo path.
    """
    query = parse(text)
    if query.is_empty:
        return Results(query, [], {})

    with _cyclic_gc_paused():
        return _search(query, kinds, region, limit)


def _search(query, kinds, region, limit):
    scope = _region_scope(region) if region else _everywhere
    hits = {}
    if query.exact:
        _match_names(query, scope, hits)
    typos = False
    if query.words:
        rows = _term_rows(query, scope)
        missing = _unmatched(query, rows)
        if missing and not hits and _add_typo_corrections(missing):
            typos = True
            rows = _term_rows(query, scope)
        _match_words(query, rows, hits)
    else:
        _match_category(query, scope, hits)
    ranked = sorted(hits.values(), key=attrgetter("key"))
    counts = dict(Counter(hit.kind for hit in ranked))
    if kinds:
        ranked = [hit for hit in ranked if hit.kind in kinds]
    suggestion = _suggestion(query, ranked) if typos and ranked else None
    if limit is not None:
        ranked = ranked[:limit]
    return Results(query, ranked, counts, suggestion)


def matches_text(query, text):
    """Whether ``text`` (str, e.g. a former name) answers ``query`` (:class:`Query`):
    it is the query as a whole name, or one of its words matches a query word."""
    if not query.words:
        return False
    if exact_key(text) == query.exact or loose_key(text) in {query.loose, query.core_loose}:
        return True
    return any(
        word.grade(key, stored.stem)
        for stored in split_words(text)
        for key in (stored.key, *stored.parts)
        for word in query.words
    )
