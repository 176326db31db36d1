"""Hero tags that are one tag whatever the case or Unicode form they are typed in.

``Ақтөбе``, ``АҚТӨБЕ``, ``ақтөбе`` (and the same letters typed with combining
marks) are one tag: each tag stores :func:`heroes.names.tag_key` of its name in a
unique column and is looked up by it, in Python-folded form, so the rule holds on
SQLite (whose ``LIKE``/``iexact`` folds ASCII only) as on PostgreSQL. Names are
stored in Unicode NFC; slugs keep their letters (``ақтөбе``).
"""

from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager, _ClusterTaggableManager

from .names import fold_nfc, tag_key


def tag_slug(name):
    """The slug of a tag name (str -> str): its folded key, Unicode letters kept."""
    return slugify(tag_key(name), allow_unicode=True)


class _FoldingTagManager(_ClusterTaggableManager):
    def _to_tag_model_instances(self, tags, tag_kwargs):
        """Tags for ``tags`` (names or tag objects), one per folded key, in order;
        a name with a new key creates its tag. Raises ``ValueError`` for other values."""
        model = self.through.tag_model()
        names = [fold_nfc(tag) for tag in tags if isinstance(tag, str)]
        existing = {tag.key: tag for tag in model.objects.filter(key__in=map(tag_key, names))}
        result, seen = [], set()
        for tag in tags:
            if isinstance(tag, str):
                name = fold_nfc(tag)
                if not name:
                    continue
                key = tag_key(name)
                if key not in existing:
                    existing[key], _created = model.objects.get_or_create(
                        key=key, defaults={"name": name, **tag_kwargs}
                    )
                tag = existing[key]
            elif not isinstance(tag, model):
                raise ValueError(f"Cannot add {tag!r}: expected a {model.__name__} or a str.")
            if tag.pk not in seen:
                seen.add(tag.pk)
                result.append(tag)
        return result


class FoldingTaggableManager(ClusterTaggableManager):
    """modelcluster's ``ClusterTaggableManager`` (tags saved with the page's
    revisions) whose tag look-up folds case and Unicode form (see module docstring).
    The tag model needs a unique ``key`` field set from :func:`heroes.names.tag_key`."""

    def __get__(self, instance, model):
        return _FoldingTagManager(
            through=self.through, model=model, instance=instance, prefetch_cache_name=self.name
        )
