"""The content generation: a token that changes whenever anything a public page shows
may have changed (``catalog.pagecache`` starts a new one on every publish, unpublish,
move, delete and content save). Whatever is derived from published content can be
cached under it and never needs its own invalidation: the anonymous page cache, and
the reader's-language fallback sets of :mod:`heroes.i18n`.

The token lives in the ``pages`` cache, which every server process shares (Redis, or
files on one machine), so a change made in one process is seen by all.
"""

import uuid

from django.core.cache import caches
from django.db import transaction

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"


def shared_cache():
    return caches[CACHE_ALIAS]


def current_generation():
    """The current generation token (str); a new random one if none is stored (so
    entries of an evicted generation are never found again)."""
    cache = shared_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def new_generation():
    """Start a new generation now and again once the current transaction commits
    (only now outside one).

    Now, so that this process's next request (inside the same transaction, as in
    tests) sees the change; at commit, since another process may have cached the old
    committed data under the first new generation in the meantime."""
    _start()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _start for entry in connection.run_on_commit):
        return  # one new generation per transaction is enough (an import saves thousands)
    transaction.on_commit(_start)


def _start():
    shared_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
