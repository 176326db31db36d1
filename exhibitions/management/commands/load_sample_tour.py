"""Load the sample tour: one exhibition marked "sample schedule" with stops in real
settlements of the seed data, dated from today (no official schedule is published).

Idempotent: when the sample exhibition exists, nothing changes (stops are never
re-dated, so bookings made on them stay valid). Needs the seed data (settlements,
heroes) imported first and the exhibition index page (migration catalog 0004).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from exhibitions.models import (
    ExhibitionHero,
    ExhibitionIndexPage,
    ExhibitionPage,
    ExhibitionStopPage,
    StopStatus,
    VisitSlot,
)
from heroes.models import HeroPage, Settlement

SLUG = "sample-tour"
FEATURED = [
    "bauyrzhan-momyshuly",
    "manshuk-mametova",
    "aliya-moldagulova",
    "rakhimzhan-koshkarbayev",
    "talgat-bigeldinov",
    "nurken-abdirov",
]
# (settlement name_en, region ISO code, days from today, days open, all day?, status,
#  reason, venue). Venues are generic on purpose: this schedule is made up.
STOPS = [
    ("Almaty", "KZ-75", -30, 3, True, StopStatus.SCHEDULED, "", "City museum (sample venue)"),
    ("Astana", "KZ-71", 7, 4, True, StopStatus.SCHEDULED, "", "City museum (sample venue)"),
    ("Karaganda", "KZ-35", 14, 3, True, StopStatus.SCHEDULED, "", "Regional museum (sample venue)"),
    (
        "Shymkent",
        "KZ-79",
        21,
        1,
        False,
        StopStatus.SCHEDULED,
        "",
        "House of culture (sample venue)",
    ),
    (
        "Aktobe",
        "KZ-15",
        28,
        2,
        True,
        StopStatus.CANCELLED,
        "Sample: the venue is closed for repairs.",
        "Regional museum (sample venue)",
    ),
    (
        "Kostanay",
        "KZ-39",
        35,
        2,
        True,
        StopStatus.POSTPONED,
        "Sample: new dates will be announced.",
        "Regional library (sample venue)",
    ),
    ("Taldykorgan", "KZ-33", 42, 3, True, StopStatus.SCHEDULED, "", "School hall (sample venue)"),
]
SLOT_TIMES = [(10, 0, 11, 0), (11, 30, 12, 30), (15, 0, 16, 0)]
SLOT_CAPACITY = 30


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Command(BaseCommand):
    help = "Load the sample exhibition tour (marked as sample on the site); idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        index = ExhibitionIndexPage.objects.first()
        if index is None:
            raise CommandError("No exhibition index page: run migrate first.")
        if ExhibitionPage.objects.filter(slug=SLUG).exists():
            if options["verbosity"]:
                self.stdout.write("Sample tour already loaded; left alone.")
            return
        settlements = {
            (s.name_en, s.region.iso_code): s for s in Settlement.objects.select_related("region")
        }
        missing = [
            f"{name} ({code})" for name, code, *_ in STOPS if (name, code) not in settlements
        ]
        if missing:
            raise CommandError(
                "Import the seed data first; settlements not found: " + ", ".join(missing)
            )
        heroes = {hero.slug: hero for hero in HeroPage.objects.filter(slug__in=FEATURED)}
        exhibition = ExhibitionPage(
            title="Heroes of Kazakhstan, 1941–1945: mobile museum (sample)",
            slug=SLUG,
            theme="Kazakhstan in the Second World War and the streets named after its heroes",
            description=(
                "<p>A made-up tour that shows how the schedule, calendar feeds and class "
                "bookings work. No official schedule of the mobile exhibition is published yet."
                "</p>"
            ),
            audience="Pupils of grades 5–11, teachers, families",
            min_age=10,
            tours_kk=True,
            tours_ru=True,
            tours_en=False,
            is_sample=True,
            live=False,
        )
        exhibition.featured_heroes = [
            ExhibitionHero(hero=heroes[slug]) for slug in FEATURED if slug in heroes
        ]
        index.add_child(instance=exhibition)
        exhibition.save_revision().publish()
        today = timezone.localdate()
        for name, code, offset, days, all_day, status, reason, venue in STOPS:
            first = today + datetime.timedelta(days=offset)
            last = first + datetime.timedelta(days=days - 1)
            if all_day:
                start, end = _at(first, 0), _at(last, 0)
            else:
                start, end = _at(first, 10), _at(first, 16)
            stop = ExhibitionStopPage(
                title=f"{name}, {first:%Y-%m-%d}",
                slug=name.lower(),
                venue=venue,
                settlement=settlements[(name, code)],
                start=start,
                end=end,
                all_day=all_day,
                opening_hours="Daily 10:00–18:00" if all_day else "10:00–16:00",
                status=status,
                status_reason=reason,
                accessibility="Sample: step-free entrance; ask staff for seating.",
                live=False,
            )
            if status == StopStatus.SCHEDULED:
                stop.slots = [
                    VisitSlot(
                        start=_at(first + datetime.timedelta(days=d), h1, m1),
                        end=_at(first + datetime.timedelta(days=d), h2, m2),
                        capacity=SLOT_CAPACITY,
                    )
                    for d in range(days)
                    for h1, m1, h2, m2 in SLOT_TIMES[: 2 if all_day else 3]
                ]
            exhibition.add_child(instance=stop)
            stop.save_revision().publish()
        if options["verbosity"]:
            self.stdout.write(f"Sample tour loaded: {len(STOPS)} stops.")
