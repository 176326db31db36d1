"""Fill a benchmark database with a realistic trilingual catalogue, quickly.

On top of the real seed data (``catalog/seed``, imported by ``import_catalog``, which
also makes the home and index pages in kk, ru and en) and the sample tour, it
generates settlements, heroes (about half with a portrait, all with a summary, dates,
awards and sources), streets named after them (a tenth with a former name, a fifth
with coordinates), exhibitions with dated stops and visit slots, and small JPEG
portraits with every rendition the public templates ask for made ahead (so no
reader's request makes one).

Every generated page exists as the importer makes it (``catalog/importer.py``): an
English source page and its Kazakh and Russian versions, in that order (so the
English one is the "first version" that holds search keys and visit slots), sharing a
``translation_key``, each under its language's index page with the same slug, the
title in its language, the same facts and child rows (awards, sources, former names;
a street's hero links point to the English hero, as wagtail-localize copies them).
wagtail-localize's own records are written too: a TranslatableObject, an English
TranslationSource with its string segments (title, slug and the page's texts), a
Translation per target language and the translated titles as manual
StringTranslations, so a Kazakh page finds its source and marks its untranslated
texts exactly like an imported one. (The source's ``content_json`` is a short
stand-in: enough for the public site, not for the translation editor.)

Pages are bulk-inserted (treebeard's one-by-one ``add_child`` and wagtail-localize's
``translate_page`` are far too slow for thousands), reusing ``search_benchmark``'s
names and ``bulk_pages``; then the search keys are rebuilt.

Runs inside a configured Django process (see bench/run.py); never on a database
that already holds content other than its own earlier run.
"""

import datetime
import io
import json
import random
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.strings import StringValue

from catalog.locales import site_index
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
from heroes.i18n import translate_page
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


LANGUAGES = ("en", "kk", "ru")  # the source first: its pages get the lowest ids
SEGMENTS = {  # the fields wagtail-localize makes string segments of, per page type
    HeroPage: ("title", "slug", "rank", "summary"),
    StreetPage: ("title", "slug"),
    ExhibitionStopPage: ("title", "slug", "venue", "address", "opening_hours"),
}
STOP_TEXT = {
    "en": {"venue": "Regional museum of local history", "address": "1 Abai Avenue"},
    "kk": {"venue": "Облыстық тарихи-өлкетану музейі", "address": "Абай даңғылы, 1"},
    "ru": {"venue": "Областной историко-краеведческий музей", "address": "проспект Абая, 1"},
}
STOP_TITLE = {"en": "Stop {}", "kk": "{}-аялдама", "ru": "Остановка {}"}


def bulk_versions(model, parents, rows, translated):
    """Bulk-create ``rows`` (see ``bulk_pages``) as English pages under ``parents["en"]``
    and their Kazakh and Russian versions under ``parents["kk"]``/``parents["ru"]``
    (same translation keys and slugs; ``translated[code][n]`` overrides fields of row
    ``n``, at least its title), with wagtail-localize's records (:func:`localize`).
    Returns ``{language: [page ids]}``, each list in the order of ``rows``."""
    keys = [uuid.uuid4() for _row in rows]
    ids = {}
    for code in LANGUAGES:
        version_rows = (
            rows
            if code == "en"
            else [{**row, **fields} for row, fields in zip(rows, translated[code], strict=True)]
        )
        parent = Page.objects.get(pk=parents[code].pk)  # fresh numchild
        ids[code] = bulk_pages(model, parent, version_rows, translation_keys=keys)
    localize(model, keys, rows, translated)
    return ids


def localize(model, keys, rows, translated):
    """wagtail-localize's records for pages made by :func:`bulk_versions`, in bulk:
    what ``translate_page`` writes for an English page translated into kk and ru."""
    now = timezone.now()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    source_locale = locales["en"]
    fields = SEGMENTS[model]
    TranslatableObject.objects.bulk_create(
        [
            TranslatableObject(
                translation_key=key, content_type=ContentType.objects.get_for_model(Page)
            )
            for key in keys
        ],
        batch_size=2000,
    )
    specific_type = ContentType.objects.get_for_model(model)
    schema = get_schema_version(model._meta.app_label)
    sources = TranslationSource.objects.bulk_create(
        [
            TranslationSource(
                object_id=key,
                specific_content_type=specific_type,
                locale=source_locale,
                object_repr=row["title"][:200],
                content_json=json.dumps(
                    {"translation_key": str(key), "locale": source_locale.pk, "title": row["title"]}
                ),
                schema_version=schema,
                created_at=now,
                last_updated_at=now,
            )
            for key, row in zip(keys, rows, strict=True)
        ],
        batch_size=2000,
    )
    Translation.objects.bulk_create(
        [
            Translation(
                uuid=uuid.uuid4(),
                source=source,
                target_locale=locales[code],
                enabled=True,
                created_at=now,
            )
            for source in sources
            for code in LANGUAGES[1:]
        ],
        batch_size=2000,
    )
    contexts = TranslationContext.objects.bulk_create(
        [
            TranslationContext(
                object_id=key,
                path=field,
                field_path=field,
                path_id=TranslationContext._get_path_id(field),
            )
            for key in keys
            for field in fields
        ],
        batch_size=2000,
    )
    data = {StringValue.from_plaintext(str(row[field])).data for row in rows for field in fields}
    String.objects.bulk_create(
        [
            String(locale=source_locale, data=text, data_hash=String._get_data_hash(text))
            for text in data
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    strings = dict(String.objects.filter(locale=source_locale).values_list("data_hash", "pk"))
    segments, translations = [], []
    contexts = iter(contexts)
    for n, (source, row) in enumerate(zip(sources, rows, strict=True)):
        for order, field in enumerate(fields, start=1):
            context = next(contexts)
            text = StringValue.from_plaintext(str(row[field])).data
            string_id = strings[String._get_data_hash(text)]
            segments.append(
                StringSegment(
                    source=source, context=context, order=order, string_id=string_id, attrs="null"
                )
            )
            for code in LANGUAGES[1:]:
                if field in translated[code][n] and field != "slug":
                    translations.append(
                        StringTranslation(
                            translation_of_id=string_id,
                            locale=locales[code],
                            context=context,
                            data=StringValue.from_plaintext(str(translated[code][n][field])).data,
                            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                            created_at=now,
                            updated_at=now,
                        )
                    )
    StringSegment.objects.bulk_create(segments, batch_size=2000)
    StringTranslation.objects.bulk_create(translations, batch_size=2000)


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
        hero_ids = bulk_versions(
            HeroPage,
            {code: site_index(HeroIndexPage, code) for code in LANGUAGES},
            heroes,
            {code: [{"title": hero[f"name_{code}"]} for hero in heroes] for code in ("kk", "ru")},
        )
        awards = [
            [(rng.choice(AWARDS), rng.randrange(1942, 1946)) for _award in range(rng.randrange(3))]
            for _hero in heroes
        ]
        HeroAward.objects.bulk_create(
            [
                HeroAward(page_id=hero_id, name=name, year=year, sort_order=order)
                for code in LANGUAGES
                for hero_id, hero_awards in zip(hero_ids[code], awards, strict=True)
                for order, (name, year) in enumerate(hero_awards)
            ],
            batch_size=2000,
        )
        HeroSource.objects.bulk_create(
            [
                HeroSource(
                    page_id=hero_id,
                    citation="Memorial book of the region, vol. 2",
                    url=f"https://example.kz/memorial/{number}",
                    sort_order=0,
                )
                for code in LANGUAGES
                for number, hero_id in enumerate(hero_ids[code])
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
            links.append(hero_ids["en"][choice])
            if rng.random() < 0.1:
                formers.append((number, rng.choice(FORMER_NAMES), rng.randrange(1991, 2025)))
        street_ids = bulk_versions(
            StreetPage,
            {code: site_index(StreetIndexPage, code) for code in LANGUAGES},
            streets,
            {
                code: [
                    # Each version keeps its own plaque short code (unique).
                    {"title": street[f"name_{code}"], "short_code": f"{code}{street['short_code']}"}
                    for street in streets
                ]
                for code in ("kk", "ru")
            },
        )
        StreetHero.objects.bulk_create(
            [
                StreetHero(page_id=s, hero_id=h, sort_order=0)
                for code in LANGUAGES
                for s, h in zip(street_ids[code], links, strict=True)
            ],
            batch_size=2000,
        )
        FormerName.objects.bulk_create(
            [
                FormerName(page_id=street_ids[code][number], name=name, valid_until=year)
                for code in LANGUAGES
                for number, name, year in formers
            ],
            batch_size=2000,
        )
    pages = 3 * (len(heroes) + len(streets))
    say(
        f"  {len(new_settlements)} settlements, {len(heroes)} heroes and {len(streets)} "
        f"streets in kk, ru and en ({pages} pages) in {time.perf_counter() - started:.0f} s"
    )

    started = time.perf_counter()
    stops = fill_exhibitions(sizes["stops"], settlements, rng)
    say(f"  {stops} exhibition stops in kk, ru and en in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    total = index.rebuild()
    say(f"  search keys of {total} pages rebuilt in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def fill_exhibitions(count, settlements, rng, per_exhibition=100):
    """``count`` stops under generated exhibitions (``per_exhibition`` each), from half
    a year ago to a year ahead, two visit slots each (on the English version, the
    first: every version books the same slots)."""
    parent = site_index(ExhibitionIndexPage, "en")
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
        parents = {"en": exhibition}
        for code, title in (("kk", "Көрме {}"), ("ru", "Выставка {}")):
            parents[code] = translate_page(exhibition, code, {"title": title.format(number)})
        parent.refresh_from_db()
        exhibition.refresh_from_db()
        rows = []
        for stop in range(min(per_exhibition, count - made)):
            start = today + datetime.timedelta(days=rng.randrange(-180, 365))
            rows.append(
                {
                    "title": STOP_TITLE["en"].format(stop + 1),
                    "slug": f"stop-{stop + 1}",
                    **STOP_TEXT["en"],
                    "settlement_id": rng.choice(settlements).pk,
                    "start": start,
                    "end": start + datetime.timedelta(days=3, hours=8),
                    "opening_hours": "10:00-18:00",
                    "status": rng.choice(("scheduled",) * 8 + ("postponed", "cancelled")),
                }
            )
        stop_ids = bulk_versions(
            ExhibitionStopPage,
            parents,
            rows,
            {
                code: [
                    {"title": STOP_TITLE[code].format(n + 1), **STOP_TEXT[code]}
                    for n in range(len(rows))
                ]
                for code in ("kk", "ru")
            },
        )
        VisitSlot.objects.bulk_create(
            [
                VisitSlot(
                    page_id=stop_id,
                    start=row["start"] + datetime.timedelta(hours=hour),
                    end=row["start"] + datetime.timedelta(hours=hour + 1),
                    capacity=30,
                    sort_order=hour,
                )
                for stop_id, row in zip(stop_ids["en"], rows, strict=True)
                for hour in (0, 2)
            ],
            batch_size=2000,
        )
        made += len(rows)
    return made
