"""``manage.py rebuild_search_index [--if-outdated]``: derive the site search keys again.

The keys (:mod:`catalog.search.models`) are kept in sync as pages are published
and unpublished; run this after restoring a database, after a change of the
folding rules (``heroes.names.KEY_VERSION``), or whenever in doubt. Idempotent:
the result depends only on the live content.
"""

from django.core.management.base import BaseCommand

from catalog.search import index


class Command(BaseCommand):
    help = "Derive the site search keys of every live, public page again (in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-outdated",
            action="store_true",
            help="Only if the keys were never built or were built with older folding rules.",
        )

    def handle(self, if_outdated, verbosity, **options):
        if if_outdated and index.is_current():
            if verbosity:
                self.stdout.write("Search keys are current; nothing to do.")
            return
        total = index.rebuild(
            progress=(lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else None
        )
        if verbosity:
            self.stdout.write(f"Search keys rebuilt: {total} pages.")
