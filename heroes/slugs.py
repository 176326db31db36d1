"""The slug rule for pages titled in Kazakh, Russian or English.

Slugs are Unicode (``WAGTAIL_ALLOW_UNICODE_SLUGS = True``): a Kazakh title keeps
all its letters (``Әлия Молдағұлова`` -> ``әлия-молдағұлова``), which is what the
Wagtail admin's slug field produces for the same title, so a page made in the
admin and one made by the importer get the same slug. A slug is never empty and
never digits only (a bare number reads as an id and collides with dates).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _


def slug_for_title(title):
    """Return the Unicode slug for ``title`` (str), NFC-normalised and lower-cased.

    Raises ``ValidationError`` if the title gives an empty or digits-only slug.
    """
    slug = slugify(unicodedata.normalize("NFC", title or ""), allow_unicode=True)
    check_slug(slug)
    return slug


def check_slug(slug):
    """Raise ``ValidationError`` unless ``slug`` is a non-empty Unicode slug with a letter."""
    if not slug:
        raise ValidationError(_("The slug is empty: the title needs at least one letter."))
    if slugify(slug, allow_unicode=True) != slug:
        raise ValidationError(
            _("“%(slug)s” is not a valid slug: use lower-case letters, digits and hyphens.")
            % {"slug": slug}
        )
    if not any(ch.isalpha() for ch in slug):
        raise ValidationError(
            _("“%(slug)s” has no letter: a slug of digits only reads as an id.") % {"slug": slug}
        )
