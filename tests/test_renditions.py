"""Public image renditions are made ahead, never by a reader's request."""

import io

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from heroes.renditions import PUBLIC_RENDITIONS

pytestmark = pytest.mark.django_db


def new_image(title="Portrait"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 80), (120, 90, 60)).save(buffer, "JPEG")
    image = get_image_model()(title=title)
    image.file.save("portrait.jpg", ImageFile(buffer, name="portrait.jpg"), save=False)
    return image


def test_saving_an_image_makes_its_public_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = new_image()
        image.save()
    assert image.renditions.count() == len(PUBLIC_RENDITIONS)


def test_the_command_makes_missing_renditions():
    image = new_image()
    image.save()  # in the test's transaction: the on-commit hook does not run
    assert image.renditions.count() == 0
    call_command("make_renditions", stdout=io.StringIO())
    assert image.renditions.count() == len(PUBLIC_RENDITIONS)
    call_command("make_renditions", stdout=io.StringIO())  # idempotent
    assert image.renditions.count() == len(PUBLIC_RENDITIONS)
