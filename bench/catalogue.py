"""Fill a benchmark database with a realistic catalogue, quickly.

On top of the real seed data (``catalog/seed``) and the sample tour, it generates
settlements, heroes (about half with a portrait, all with a summary, dates, awards
and sources), streets named after them (a tenth with a former name, a fifth with
coordinates), exhibitions with dated stops and visit slots, and small JPEG portraits
with every rendition the public templates ask for made ahead (so no reader's request
makes one). Pages are bulk-inserted (treebeard's one-by-one ``add_child`` is far too
slow for thousands), reusing ``search_benchmark``'s names and ``bulk_pages``; then
the search keys are rebuilt.

Runs inside a configured Django process (see bench/run.py); never on a database
that already holds content other than its own earlier run.
"""

import datetime
import io
import random
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection, transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from catalog.management.commands.search_benchmark import (
    FORMER_NAMES,
    STREET_FORMS,
    _capital,
    _word,
    bulk_pages,
    generated_person,
)
from catalog.search import index
from exhibitions.models import ExhibitionIndexPage, ExhibitionPage, ExhibitionStopPage, VisitSlot
from heroes.models import (
    FormerName,
    HeroAward,
    HeroIndexPage,
    HeroPage,
    HeroSource,
    Region,
    Settlement,
    StreetHero,
    StreetIndexPage,
    StreetPage,
)

SEED_DIR = Path(__file__).resolve().parent.parent / "catalog" / "seed"
ALMATY = ZoneInfo("Asia/Almaty")

# Every rendition a public template asks for (hero card, hero page, exhibition gallery).
RENDITIONS = [
    f"format-{kind}|{size}"
    for kind in ("avif", "webp", "jpeg")
    for size in ("fill-120x160", "fill-300x400", "fill-480x320")
]
AWARDS = [
    "Hero of the Soviet Union",
    "Order of Lenin",
    "Order of the Red Banner",
    "Order of the Patriotic War, 1st class",
    "Order of Glory, 3rd class",
    "Medal “For Courage”",
    "Halyq Qaharmany",
]
RANKS = ["Private", "Sergeant", "Senior Sergeant", "Lieutenant", "Captain", "Major", "Colonel"]
SUMMARY = (
    "Born in a village of the region, called up in 1941, fought at Moscow and Stalingrad; "
    "the sources below give the details of the award and of the streets named in honour."
)


def portrait_jpeg(rng, width=480, height=640):
    """A small JPEG portrait-sized picture (bytes) of random shapes, ~20-40 kB."""
    picture = PILImage.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(picture)
    for _shape in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(20, 200), rng.randrange(20, 200)
        draw.ellipse((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in range(3)))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_images(count, rng, say):
    """``count`` images with every public rendition made; returns their ids."""
    Image = get_image_model()
    started = time.perf_counter()
    ids = []
    for number in range(count):
        image = Image(title=f"Bench portrait {number}")
        image.file.save(
            f"bench-portrait-{number}.jpg",
            ImageFile(io.BytesIO(portrait_jpeg(rng)), name=f"bench-portrait-{number}.jpg"),
            save=False,
        )
        image.save()
        image.get_renditions(*RENDITIONS)
        ids.append(image.pk)
    say(
        f"  {count} images with {len(RENDITIONS)} renditions each "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return ids


def _dates(rng):
    born = datetime.date(rng.randrange(1900, 1926), rng.randrange(1, 13), rng.randrange(1, 28))
    died = datetime.date(rng.randrange(1941, 2010), rng.randrange(1, 13), rng.randrange(1, 28))
    return born, died


def fill(sizes, seed=1941, say=print):
    """Generate the catalogue (``sizes``: heroes, streets, stops, images, settlements)."""
    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"  migrated in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    call_command("import_catalog", str(SEED_DIR), verbosity=0)
    call_command("load_sample_tour", verbosity=0)
    say(f"  seed data and sample tour loaded in {time.perf_counter() - started:.0f} s")

    image_ids = make_images(sizes["images"], rng, say)

    started = time.perf_counter()
    with transaction.atomic():
        regions = list(Region.objects.all())
        names = set(Settlement.objects.values_list("name_en", flat=True))
        new_settlements = []
        while len(new_settlements) < sizes["settlements"]:
            name = _capital(_word(rng, 3))
            if name[0] not in names:
                names.add(name[0])
                new_settlements.append(
                    Settlement(
                        region=rng.choice(regions),
                        name_en=name[0],
                        name_ru=name[1],
                        name_kk=name[2],
                    )
                )
        Settlement.objects.bulk_create(new_settlements)
        settlements = list(Settlement.objects.all())

        heroes, surnames = [], []
        for number in range(sizes["heroes"]):
            (en, ru, kk, kk_latn), surname = generated_person(rng)
            born, died = _dates(rng)
            heroes.append(
                {
                    "title": en,
                    "slug": f"bench-hero-{number}",
                    "name_en": en,
                    "name_ru": ru,
                    "name_kk": kk,
                    "name_kk_latn": kk_latn,
                    "birth_date": born,
                    "birth_date_precision": "day",
                    "death_date": died,
                    "death_date_precision": rng.choice(("day", "year")),
                    "birth_settlement_id": rng.choice(settlements).pk,
                    "rank": rng.choice(RANKS),
                    "summary": SUMMARY,
                    "portrait_id": rng.choice(image_ids) if image_ids and number % 2 else None,
                }
            )
            surnames.append(surname)
        hero_ids = bulk_pages(HeroPage, HeroIndexPage.objects.get(), heroes)
        HeroAward.objects.bulk_create(
            [
                HeroAward(page_id=hero_id, name=rng.choice(AWARDS), year=rng.randrange(1942, 1946))
                for hero_id in hero_ids
                for _award in range(rng.randrange(0, 3))
            ],
            batch_size=2000,
        )
        HeroSource.objects.bulk_create(
            [
                HeroSource(
                    page_id=hero_id,
                    citation="Memorial book of the region, vol. 2",
                    url=f"https://example.kz/memorial/{hero_id}",
                )
                for hero_id in hero_ids
            ],
            batch_size=2000,
        )

        streets, links, formers = [], [], []
        for number in range(sizes["streets"]):
            choice = rng.randrange(len(heroes))
            kind = rng.choice(("street", "street", "avenue"))
            forms = STREET_FORMS[kind]
            surname = surnames[choice]
            row = {
                "title": forms[0].format(surname[0]),
                "slug": f"bench-street-{number}",
                "name_en": forms[0].format(surname[0]),
                "name_ru": forms[1].format(surname[1]),
                "name_kk": forms[2].format(surname[2]),
                "kind": kind,
                "settlement_id": rng.choice(settlements).pk,
                "short_code": f"bench{number}",
                "naming_status": "in_force",
                "named_year": rng.randrange(1992, 2025),
                "source": "Decision of the city maslikhat",
            }
            if rng.random() < 0.2:
                row["lat"] = round(rng.uniform(42.0, 54.0), 6)
                row["lon"] = round(rng.uniform(50.0, 85.0), 6)
            streets.append(row)
            links.append(hero_ids[choice])
        street_ids = bulk_pages(StreetPage, StreetIndexPage.objects.get(), streets)
        for street_id in street_ids:
            if rng.random() < 0.1:
                formers.append(
                    FormerName(
                        page_id=street_id,
                        name=rng.choice(FORMER_NAMES),
                        valid_until=rng.randrange(1991, 2025),
                    )
                )
        StreetHero.objects.bulk_create(
            [
                StreetHero(page_id=s, hero_id=h, sort_order=0)
                for s, h in zip(street_ids, links, strict=True)
            ],
            batch_size=2000,
        )
        FormerName.objects.bulk_create(formers, batch_size=2000)
    say(
        f"  {len(new_settlements)} settlements, {len(heroes)} heroes, {len(streets)} streets "
        f"in {time.perf_counter() - started:.0f} s"
    )

    started = time.perf_counter()
    stops = fill_exhibitions(sizes["stops"], settlements, rng)
    say(f"  {stops} exhibition stops in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    total = index.rebuild()
    say(f"  search keys of {total} pages rebuilt in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def fill_exhibitions(count, settlements, rng, per_exhibition=100):
    """``count`` stops under generated exhibitions (``per_exhibition`` each), from half
    a year ago to a year ahead, two visit slots each."""
    parent = ExhibitionIndexPage.objects.get()
    today = datetime.datetime.now(ALMATY).replace(hour=10, minute=0, second=0, microsecond=0)
    made = 0
    number = 0
    while made < count:
        number += 1
        exhibition = ExhibitionPage(
            title=f"Bench exhibition {number}",
            slug=f"bench-exhibition-{number}",
            theme="Kazakhstanis at the Battle of Moscow, 1941",
            is_sample=True,
        )
        parent.add_child(instance=exhibition)
        exhibition.save_revision().publish()
        exhibition.refresh_from_db()
        rows = []
        for stop in range(min(per_exhibition, count - made)):
            start = today + datetime.timedelta(days=rng.randrange(-180, 365))
            rows.append(
                {
                    "title": f"Stop {stop + 1}",
                    "slug": f"stop-{stop + 1}",
                    "venue": "Regional museum of local history",
                    "address": "1 Abai Avenue",
                    "settlement_id": rng.choice(settlements).pk,
                    "start": start,
                    "end": start + datetime.timedelta(days=3, hours=8),
                    "opening_hours": "10:00-18:00",
                    "status": rng.choice(("scheduled",) * 8 + ("postponed", "cancelled")),
                }
            )
        stop_ids = bulk_pages(ExhibitionStopPage, exhibition, rows)
        VisitSlot.objects.bulk_create(
            [
                VisitSlot(
                    page_id=stop_id,
                    start=row["start"] + datetime.timedelta(hours=hour),
                    end=row["start"] + datetime.timedelta(hours=hour + 1),
                    capacity=30,
                    sort_order=hour,
                )
                for stop_id, row in zip(stop_ids, rows, strict=True)
                for hour in (0, 2)
            ],
            batch_size=2000,
        )
        made += len(rows)
    return made
