"""``manage.py import_catalog DIR [--dry-run] [--submit] [--user NAME] [--overwrite-edited]``.

Loads regions.csv, heroes.csv and streets.csv; see :mod:`catalog.importer`.
"""

from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from catalog.importer import Importer, ImportFailed


class Command(BaseCommand):
    help = (
        "Import regions.csv, heroes.csv and streets.csv from DIR. All rows are checked "
        "first; if any is invalid nothing is saved and every error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder holding regions.csv, heroes.csv, streets.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, changed or left alone; save nothing.",
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help="Save new and changed pages, regions and settlements as drafts and submit "
            "them to the Editorial review workflow instead of publishing them.",
        )
        parser.add_argument(
            "--user",
            help="Act as this account (default: the importer account). Without --submit "
            "the account must be able to publish.",
        )
        parser.add_argument(
            "--overwrite-edited",
            action="store_true",
            help=(
                "Also update pages that people changed since the last import (an editor's "
                "revision, a pending draft); unpublished pages get a draft, never go live."
            ),
        )

    def handle(self, directory, dry_run, submit, user, overwrite_edited, verbosity, **options):
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user, is_active=True).first()
            if acting is None:
                raise CommandError(f"There is no active account “{user}”.")
        importer = Importer(
            directory,
            user=acting,
            submit=submit,
            overwrite_edited=overwrite_edited,
            progress=lambda message: self.stdout.write(f"  {message}") if verbosity else None,
        )
        try:
            outcomes = importer.run(dry_run=dry_run)
        except PermissionDenied as refusal:
            raise CommandError(f"Nothing was imported: {refusal}") from None
        except ImportFailed as failure:
            raise CommandError(
                f"Nothing was imported: {len(failure.errors)} problem(s) found.\n"
                + "\n".join(f"  {error}" for error in failure.errors)
            ) from None
        for outcome in outcomes:
            if outcome.action != "unchanged" and verbosity >= 1:
                detail = f" ({', '.join(outcome.changed)})" if outcome.changed else ""
                review = ", submitted for review" if outcome.submitted else ""
                self.stdout.write(
                    f"  {outcome.action}{review}: {outcome.kind} {outcome.key}{detail}"
                )
        counts = Counter((outcome.kind, outcome.action) for outcome in outcomes)
        summary = ", ".join(f"{kind} {action}: {n}" for (kind, action), n in sorted(counts.items()))
        prefix = "Dry run, nothing saved. Would do: " if dry_run else "Imported. "
        if verbosity:
            self.stdout.write(self.style.SUCCESS(prefix + summary))
        if counts.get(("hero", "kept-edited")) or counts.get(("street", "kept-edited")):
            self.stdout.write(
                self.style.WARNING(
                    "Pages that people changed since the last import (edited, with a pending "
                    "draft, or unpublished) were kept as they are; use --overwrite-edited to "
                    "replace them with the file's values."
                )
            )
