"""``manage.py make_renditions``: create every image's public renditions ahead."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from heroes.renditions import PUBLIC_RENDITIONS, make_public_renditions


class Command(BaseCommand):
    help = (
        "Create the image renditions that public pages show (hero cards and portraits, "
        "exhibition galleries, biography images) for every image that lacks them, so no "
        "reader's request makes one. New and edited images get them when saved; run this "
        "after a restore, an import of images or a change of the template sizes."
    )

    def handle(self, *args, **options):
        images = get_image_model().objects.order_by("pk")
        count = 0
        for image in images.prefetch_renditions(*PUBLIC_RENDITIONS).iterator(chunk_size=100):
            count += make_public_renditions(image) > 0
        self.stdout.write(f"{count} images have their {len(PUBLIC_RENDITIONS)} renditions.")
