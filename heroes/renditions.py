"""The image renditions that public pages show, made ahead: when an image is saved
(upload, new file, new focal point) and by ``manage.py make_renditions``, so that no
reader's request has to resize an image, and a page finds each rendition in the
database (``prefetch_renditions``) instead of creating it."""

import logging

from django.db import transaction
from wagtail.images import get_image_model

logger = logging.getLogger(__name__)

FORMATS = ("avif", "webp", "jpeg")

# ``{% picture %}`` sizes of the templates: hero card, hero page portrait, exhibition gallery.
CARD = "fill-120x160"
PORTRAIT = "fill-300x400"
GALLERY = "fill-480x320"
# ``{% image %}`` in a hero's biography.
BIOGRAPHY = "max-800x800"


def picture_filters(size):
    """The filter specs ``{% picture image format-{avif,webp,jpeg} <size> %}`` asks for."""
    return [f"format-{kind}|{size}" for kind in FORMATS]


PUBLIC_RENDITIONS = [
    *picture_filters(CARD),
    *picture_filters(PORTRAIT),
    *picture_filters(GALLERY),
    BIOGRAPHY,
]


def make_public_renditions(image):
    """Create the renditions of ``image`` in :data:`PUBLIC_RENDITIONS` that do not exist
    yet. Returns the number of renditions (existing or new); logs and returns 0 when the
    image file cannot be read."""
    try:
        return len(image.get_renditions(*PUBLIC_RENDITIONS))
    except OSError:  # Wagtail's SourceImageIOError among them: a missing file
        logger.warning("Could not make the renditions of image %s", image.pk, exc_info=True)
        return 0


def _image_saved(sender, instance, **kwargs):
    # A fresh instance: the saved one may still hold the closed upload as its file.
    pk = instance.pk
    transaction.on_commit(
        lambda: (
            make_public_renditions(sender.objects.get(pk=pk))
            if sender.objects.filter(pk=pk).exists()
            else None
        )
    )


def connect():
    """Make the public renditions whenever an image is saved (after the commit)."""
    from django.db.models.signals import post_save

    post_save.connect(
        _image_saved, sender=get_image_model(), dispatch_uid="heroes.renditions.image_saved"
    )
