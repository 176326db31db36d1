"""``manage.py backup [--output-dir DIR] [--no-media]``: back up the database and the
media files into a new timestamped folder (see :mod:`catalog.backups`).

The folder is ``DIR`` (default: the ``BACKUP_DIR`` environment variable, else
``backups/`` in the project) ``/<YYYYmmdd-HHMMSS>/``; its path is the last line
printed, for scripts. Safe while the site runs. E.g. daily from cron::

    30 2 * * * cd /srv/heroes && make backup BACKUP_DIR=/var/backups/heroes
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog.backups import BackupError, backup_root, create_backup


class Command(BaseCommand):
    help = "Back up the database (SQLite or PostgreSQL) and the media files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            help="Folder for the backups (default: BACKUP_DIR, else backups/).",
        )
        parser.add_argument("--no-media", action="store_true", help="Back up the database only.")

    def handle(self, *args, **options):
        try:
            folder = create_backup(
                destination=options["output_dir"] or backup_root(),
                include_media=not options["no_media"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 0:
            for path in sorted(folder.iterdir()):
                self.stdout.write(f"  {path.name}: {path.stat().st_size:,} bytes")
            self.stdout.write(self.style.SUCCESS(_("Backup written to:")))
        self.stdout.write(str(folder))
