"""`manage.py backup` and `manage.py restore` (catalog/backups.py): a restore brings back
the content and the media files as they were at the backup, on the configured database
(SQLite, or PostgreSQL when DATABASE_URL is set and pg_dump/pg_restore are found)."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from catalog import backups
from heroes.models import HeroIndexPage, HeroPage
from heroes.renditions import PUBLIC_RENDITIONS

from .conftest import SEED_DIR
from .i18n_helpers import english_index


def jpeg_bytes(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def needs_pg_tools():
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    try:
        backups.pg_program("pg_dump", connection)
        backups.pg_program("pg_restore", connection)
    except backups.BackupError as error:
        pytest.skip(str(error))


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def run_backup(output_dir):
    out = io.StringIO()
    call_command("backup", output_dir=str(output_dir), stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


@pytest.fixture(autouse=True)
def english_messages():
    """The commands' messages in English (the site's default language is Kazakh, and an
    earlier browser test may leave it active)."""
    with translation.override("en"):
        yield


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_brings_back_content_and_media(tmp_path, media_root):
    needs_pg_tools()
    index = english_index(HeroIndexPage)
    if index is None:
        # An earlier transactional test (the browser tests) left the database without
        # the session's seed data: import it again (as tests/e2e/conftest.py does).
        call_command("import_catalog", str(SEED_DIR), verbosity=0)
        index = english_index(HeroIndexPage)
    else:
        # Serialized rollback after an earlier transactional test resets the tree's
        # child counts (see tests/e2e/conftest.py): recount before adding pages.
        Page.fix_tree(fix_paths=False)
    Image = get_image_model()

    # Content and media as they are at the backup.
    portrait = Image(title="Portrait")
    portrait.file.save("portrait.jpg", ImageFile(io.BytesIO(jpeg_bytes("navy")), "p.jpg"))
    portrait.save()
    rendition = portrait.get_rendition("fill-30x40")
    hero = index.add_child(
        instance=HeroPage(title="Backup Hero", slug="backup-hero", rank="Major", portrait=portrait)
    )
    hero.save_revision().publish()
    image_path = Path(portrait.file.path)
    rendition_path = Path(rendition.file.path)
    original_image = image_path.read_bytes()

    folder = run_backup(tmp_path / "backups")

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    # The original, its public renditions (made on save) and the one asked for here.
    files = 1 + len(PUBLIC_RENDITIONS) + 1
    assert manifest["media"] == {"storage": "local", "files": files}
    assert set(manifest["files"]) == {backups.DATABASE_FILES[connection.vendor], "media.tar.gz"}
    assert manifest["migrations"]["heroes"].startswith("0003")

    # Then things go wrong: an edit, a deletion, a new page, media damaged and removed.
    hero.rank = "Private"
    hero.title = "Changed Hero"
    hero.save_revision().publish()
    index.add_child(instance=HeroPage(title="Added later", slug="added-later"))
    image_path.write_bytes(jpeg_bytes("red"))
    rendition_path.unlink()
    portrait.delete()
    (media_root / "stray.txt").write_text("made after the backup")

    out = io.StringIO()
    call_command("restore", str(folder), interactive=False, stdout=out)
    assert "Restored the backup" in out.getvalue()

    hero = HeroPage.objects.get(slug="backup-hero")
    assert (hero.title, hero.rank) == ("Backup Hero", "Major")
    assert hero.live
    assert not HeroPage.objects.filter(slug="added-later").exists()
    portrait = Image.objects.get(title="Portrait")
    assert hero.portrait_id == portrait.pk
    assert Path(portrait.file.path).read_bytes() == original_image
    assert portrait.renditions.filter(filter_spec="fill-30x40").exists()
    assert rendition_path.exists()
    assert not (media_root / "stray.txt").exists()
    # The replaced files are kept beside MEDIA_ROOT, not deleted.
    (replaced,) = media_root.parent.glob("media.replaced-*")
    assert (replaced / "stray.txt").read_text() == "made after the backup"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_damaged_backup(tmp_path, media_root):
    needs_pg_tools()
    folder = run_backup(tmp_path)
    database = folder / backups.DATABASE_FILES[connection.vendor]
    damaged = bytearray(database.read_bytes())
    damaged[-1] ^= 0xFF
    database.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), interactive=False)
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), interactive=False)
