"""``manage.py restore FOLDER [--no-media] [--no-input]``: put back a backup made by
``manage.py backup`` (see :mod:`catalog.backups`).

Checks the backup's checksums, then replaces the configured database's contents and
the media files (those replaced are moved to ``<MEDIA_ROOT>.replaced-<timestamp>``),
and empties the cache. Stop the application servers first; run ``manage.py migrate``
afterwards if the code is newer than the backup.
"""

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from catalog.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Restore the database and media files from a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder made by manage.py backup.")
        parser.add_argument("--no-media", action="store_true", help="Restore the database only.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, **options):
        try:
            manifest = read_manifest(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        name = connection.settings_dict["NAME"]
        if options["interactive"]:
            answer = input(
                _(
                    "This replaces everything in the database %(name)s and the media files "
                    "with the backup of %(created)s. Type 'yes' to go on: "
                )
                % {"name": name, "created": manifest["created"]}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled."))
        try:
            manifest, replaced = restore_backup(
                options["folder"], include_media=not options["no_media"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        for alias in caches:
            caches[alias].clear()
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the backup of %(created)s into %(name)s.")
                % {"created": manifest["created"], "name": name}
            )
        )
        if replaced:
            self.stdout.write(
                _("The media files it replaced are in %(folder)s.") % {"folder": replaced}
            )
