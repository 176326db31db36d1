"""Compile the interface translations (locale/<lang>/LC_MESSAGES/django.po -> .mo).

Like Django's ``compilemessages`` for this project's own catalogues, without needing
GNU gettext's ``msgfmt`` on the machine (polib writes the .mo). Run by ``make`` before
the site or the tests start; the .mo files are build output (not committed).
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (needs no msgfmt)."

    def handle(self, *args, **options):
        compiled = 0
        for base in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(base.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                try:
                    catalogue = polib.pofile(str(po_path))
                except OSError as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {mo_path}")
        if options["verbosity"]:
            self.stdout.write(f"Translations: {compiled} catalogue(s) compiled.")
