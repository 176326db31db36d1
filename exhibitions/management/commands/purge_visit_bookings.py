"""Delete class-visit bookings (personal data) whose visit ended more than N days ago.

The retention period is ``settings.VISIT_BOOKING_RETENTION_DAYS`` (default 90, from the
environment); ``--days`` overrides it for one run. Run it daily from cron, e.g.
``15 3 * * * cd /srv/heroes && .venv/bin/python manage.py purge_visit_bookings``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from exhibitions.models import VisitBooking, purge_cutoff, retention_days


class Command(BaseCommand):
    help = "Delete bookings whose visit ended more than N days ago (default: the retention period)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep bookings of visits that ended within this many days (default: "
            "VISIT_BOOKING_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        cutoff = purge_cutoff(days)
        old = VisitBooking.objects.filter(slot__end__lt=cutoff)
        count = old.count()
        if dry_run:
            self.stdout.write(
                f"{count} bookings of visits that ended before {cutoff:%Y-%m-%d} "
                "would be deleted (dry run)."
            )
            return
        with transaction.atomic():
            deleted, _ = old.delete()
        self.stdout.write(
            f"Deleted {deleted} bookings of visits that ended before {cutoff:%Y-%m-%d %H:%M %Z}."
        )
