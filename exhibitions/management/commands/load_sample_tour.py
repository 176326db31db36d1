"""Load the sample tour: one exhibition marked "sample schedule" with stops in real
settlements of the seed data, dated from today (no official schedule is published).

Written in English and translated into Kazakh and Russian with wagtail-localize (the
texts below; every text of the sample is translated). Idempotent: when the sample
exhibition exists, nothing changes except that missing translations are added (stops
are never re-dated, so bookings made on them stay valid). Needs the seed data (settlements,
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
from heroes.i18n import translate_page
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
# The sample's texts in Kazakh and Russian (the English ones are above and below).
TRANSLATIONS = {
    "Heroes of Kazakhstan, 1941–1945: mobile museum (sample)": {
        "kk": "Қазақстан батырлары, 1941–1945: жылжымалы музей (үлгі)",
        "ru": "Герои Казахстана, 1941–1945: передвижной музей (пример)",
    },
    "Kazakhstan in the Second World War and the streets named after its heroes": {
        "kk": "Қазақстан Екінші дүниежүзілік соғыста және оның батырларының есімі берілген көшелер",
        "ru": "Казахстан во Второй мировой войне и улицы, названные в честь его героев",
    },
    "A made-up tour that shows how the schedule, calendar feeds and class bookings work. "
    "No official schedule of the mobile exhibition is published yet.": {
        "kk": "Кесте, күнтізбе арналары және сыныптарды жазу қалай жұмыс істейтінін "
        "көрсететін ойдан құрастырылған сапар. Жылжымалы көрменің ресми кестесі әзірге "
        "жарияланбаған.",
        "ru": "Придуманный маршрут, который показывает, как работают расписание, "
        "календарные подписки и запись классов. Официальное расписание передвижной "
        "выставки пока не опубликовано.",
    },
    "Pupils of grades 5–11, teachers, families": {
        "kk": "5–11 сынып оқушылары, мұғалімдер, отбасылар",
        "ru": "Учащиеся 5–11 классов, учителя, семьи",
    },
    "City museum (sample venue)": {
        "kk": "Қалалық музей (үлгі орын)",
        "ru": "Городской музей (пример площадки)",
    },
    "Regional museum (sample venue)": {
        "kk": "Облыстық музей (үлгі орын)",
        "ru": "Областной музей (пример площадки)",
    },
    "House of culture (sample venue)": {
        "kk": "Мәдениет үйі (үлгі орын)",
        "ru": "Дом культуры (пример площадки)",
    },
    "Regional library (sample venue)": {
        "kk": "Облыстық кітапхана (үлгі орын)",
        "ru": "Областная библиотека (пример площадки)",
    },
    "School hall (sample venue)": {
        "kk": "Мектеп залы (үлгі орын)",
        "ru": "Школьный зал (пример площадки)",
    },
    "Daily 10:00–18:00": {"kk": "Күн сайын 10:00–18:00", "ru": "Ежедневно 10:00–18:00"},
    "10:00–16:00": {"kk": "10:00–16:00", "ru": "10:00–16:00"},
    "Sample: the venue is closed for repairs.": {
        "kk": "Үлгі: орын жөндеуге жабылған.",
        "ru": "Пример: площадка закрыта на ремонт.",
    },
    "Sample: new dates will be announced.": {
        "kk": "Үлгі: жаңа күндері кейін хабарланады.",
        "ru": "Пример: новые даты будут объявлены позже.",
    },
    "Sample: step-free entrance; ask staff for seating.": {
        "kk": "Үлгі: кіреберісте баспалдақ жоқ; отыратын орын керек болса, қызметкерлерге айтыңыз.",
        "ru": "Пример: вход без ступеней; если нужно место, чтобы сесть, обратитесь к сотрудникам.",
    },
    # Settlement names in stop titles.
    "Almaty": {"kk": "Алматы", "ru": "Алматы"},
    "Astana": {"kk": "Астана", "ru": "Астана"},
    "Karaganda": {"kk": "Қарағанды", "ru": "Караганда"},
    "Shymkent": {"kk": "Шымкент", "ru": "Шымкент"},
    "Aktobe": {"kk": "Ақтөбе", "ru": "Актобе"},
    "Kostanay": {"kk": "Қостанай", "ru": "Костанай"},
    "Taldykorgan": {"kk": "Талдықорған", "ru": "Талдыкорган"},
}
TRANSLATED_FIELDS = {
    ExhibitionPage: ["title", "theme", "description", "audience"],
    ExhibitionStopPage: ["title", "venue", "opening_hours", "status_reason", "accessibility"],
}
SLOT_TIMES = [(10, 0, 11, 0), (11, 30, 12, 30), (15, 0, 16, 0)]
SLOT_CAPACITY = 30


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Command(BaseCommand):
    help = "Load the sample exhibition tour (marked as sample on the site); idempotent."

    @staticmethod
    def _translated(text, language):
        """``text`` in ``language``: a whole text of TRANSLATIONS, a stop title
        ("Almaty, 2026-12-06"), a rich-text paragraph, or "" when unknown."""
        plain = text.removeprefix("<p>").removesuffix("</p>")
        if plain in TRANSLATIONS:
            return TRANSLATIONS[plain][language]
        name, _comma, rest = plain.partition(", ")
        if name in TRANSLATIONS and rest:
            return f"{TRANSLATIONS[name][language]}, {rest}"
        return ""

    def translate(self, page):
        """Create the missing Kazakh and Russian versions of ``page`` (every text)."""
        have = set(
            type(page)
            .objects.filter(translation_key=page.translation_key)
            .values_list("locale__language_code", flat=True)
        )
        for language in ("kk", "ru"):
            if language in have:
                continue
            strings = {
                field: self._translated(getattr(page, field), language)
                for field in TRANSLATED_FIELDS[type(page)]
                if getattr(page, field)
            }
            translate_page(page, language, strings, publish=True)

    def translate_tour(self, exhibition):
        self.translate(exhibition)
        for stop in ExhibitionStopPage.objects.child_of(exhibition).order_by("path"):
            self.translate(stop)

    @transaction.atomic
    def handle(self, *args, **options):
        index = (
            ExhibitionIndexPage.objects.filter(locale__language_code="en").first()
            or ExhibitionIndexPage.objects.first()
        )
        if index is None:
            raise CommandError("No exhibition index page: run migrate first.")
        existing = ExhibitionPage.objects.filter(slug=SLUG).order_by("pk").first()
        if existing is not None:
            self.translate_tour(existing)
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
        heroes = {
            hero.slug: hero
            for hero in HeroPage.objects.filter(slug__in=FEATURED, locale_id=index.locale_id)
        }
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
        self.translate_tour(exhibition)
        if options["verbosity"]:
            self.stdout.write(f"Sample tour loaded: {len(STOPS)} stops, in kk, ru and en.")
