"""``manage.py search_benchmark [--heroes N] [--streets N] [--repeat N]``: how fast is
site search on a large catalogue? A benchmark that prints figures, not a test.

It never touches the configured database: it creates a throwaway one next to it
(Django's test-database machinery: a temporary SQLite file, or
``<name>_search_bench`` on the same PostgreSQL server), migrates it, imports the
real seed data, bulk-creates generated heroes and streets (100,000 and 20,000 by
default; names in Kazakh Cyrillic, 2021 Kazakh Latin, Russian and English built
from syllables; a tenth of the streets with a Soviet former name), rebuilds the
search keys, then requests ``/search/?q=`` for 20 representative queries and
``/search/autocomplete/?q=`` for 5 prefixes through Django's test client (the
whole view: middleware, search, loading the results, template), and drops the
database. It prints, per query, the p50 and p95 latency in milliseconds, the SQL
queries per request and the number of results; then the p50 and p95 over all.

Run it with DEBUG off (Django keeps every query in memory with DEBUG on), e.g.::

    DJANGO_SETTINGS_MODULE=catalog.settings.test .venv/bin/python manage.py search_benchmark
    DJANGO_SETTINGS_MODULE=catalog.settings.test .ci/pg-throwaway \\
        .venv/bin/python manage.py search_benchmark
"""

import random
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from catalog.locales import site_index
from catalog.search import index
from catalog.search.engine import search
from heroes.models import (
    FormerName,
    HeroIndexPage,
    HeroPage,
    Region,
    Settlement,
    StreetHero,
    StreetIndexPage,
    StreetPage,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"

# Syllables in English, Russian, Kazakh Cyrillic and 2021 Kazakh Latin spelling.
SYLLABLES = [
    ("ba", "ба", "ба", "ba"),
    ("u", "у", "у", "u"),
    ("yr", "ыр", "ыр", "yr"),
    ("zhan", "жан", "жан", "jan"),
    ("mo", "мо", "мо", "mo"),
    ("mysh", "мыш", "мыш", "myş"),
    ("nur", "нур", "нұр", "nūr"),
    ("kar", "кар", "қар", "qar"),
    ("ta", "та", "та", "ta"),
    ("bek", "бек", "бек", "bek"),
    ("sa", "са", "са", "sa"),
    ("gat", "гат", "ғат", "ğat"),
    ("ai", "ай", "ай", "ai"),
    ("tyk", "тык", "тық", "tyq"),
    ("kul", "кул", "құл", "qūl"),
    ("er", "ер", "ер", "er"),
    ("zhu", "жу", "жұ", "jū"),
    ("ma", "ма", "ма", "ma"),
    ("ga", "га", "ға", "ğa"),
    ("li", "ли", "лі", "lı"),
    ("dos", "дос", "дос", "dos"),
    ("pan", "пан", "пан", "pan"),
    ("tol", "тол", "төл", "töl"),
    ("gen", "ген", "ген", "gen"),
    ("as", "ас", "ас", "as"),
    ("khan", "хан", "хан", "han"),
    ("shah", "шах", "шах", "şah"),
    ("sul", "сул", "сұл", "sūl"),
    ("tan", "тан", "тан", "tan"),
    ("ar", "ар", "ар", "ar"),
    ("man", "ман", "ман", "man"),
    ("kai", "кай", "қай", "qai"),
    ("sen", "сен", "сен", "sen"),
    ("dau", "дау", "дәу", "däu"),
    ("let", "лет", "лет", "let"),
    ("ab", "аб", "әб", "äb"),
    ("dy", "ды", "ды", "dy"),
    ("ra", "ра", "ра", "ra"),
    ("zak", "зак", "зақ", "zaq"),
    ("al", "ал", "ал", "al"),
    ("mat", "мат", "мат", "mat"),
    ("ki", "ки", "кі", "kı"),
    ("or", "ор", "ор", "or"),
    ("bol", "бол", "бол", "bol"),
    ("tur", "тур", "тұр", "tūr"),
]
ENDINGS = [
    ("ov", "ов", "ов", "ov"),
    ("ova", "ова", "ова", "ova"),
    ("ev", "ев", "ев", "ev"),
    ("bayev", "баев", "баев", "baev"),
    ("uly", "улы", "ұлы", "ūly"),
    ("kyzy", "кызы", "қызы", "qyzy"),
    ("in", "ин", "ин", "in"),
]
FORMER_NAMES = [
    "улица Ленина",
    "улица Карла Маркса",
    "улица Советская",
    "улица Октябрьская",
    "улица Кирова",
    "улица Гагарина",
    "улица Мира",
    "улица Пушкина",
    "улица Комсомольская",
    "улица Пролетарская",
]
STREET_FORMS = {
    "street": ("{} Street", "улица {}", "{} көшесі"),
    "avenue": ("{} Avenue", "проспект {}", "{} даңғылы"),
}

QUERIES = [
    "Момышулы",
    "Momyşūly",
    "Momysh-uly",
    "Мәметова",
    "МОЛДАҒҰЛОВА",
    "Koshkarbaev",
    "проспект Момышулы",
    "Momyshuly avenue",
    "Momishuly",
    "Mometova",
    "Bauyrzhan Momyshuly",
    "Маншук Жиенгалиевна Маметова",
    "Казарменная",
    "улица Ленина",
    "Almaty",
    "Aktobe airport",
    "Nur",
]
PREFIXES = ["Mo", "Мом", "Nurt", "Kaz", "Almaty Mom"]


def _word(rng, syllables):
    parts = rng.sample(SYLLABLES, syllables)
    return tuple("".join(part[n] for part in parts) for n in range(4))


def _capital(forms):
    return tuple(form[:1].upper() + form[1:] for form in forms)


def generated_person(rng):
    """``(en, ru, kk, kk_latn)`` full names and the surname in the four spellings."""
    given = _capital(_word(rng, 2))
    root = _word(rng, rng.choice((2, 2, 3)))
    ending = rng.choice(ENDINGS)
    surname = _capital(tuple(root[n] + ending[n] for n in range(4)))
    names = tuple(f"{given[n]} {surname[n]}" for n in range(4))
    return names, surname


def _next_steps(parent, count):
    """Tree paths for ``count`` new children of ``parent`` after its last child."""
    last = parent.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) if last else 0
    return [Page._get_path(parent.path, parent.depth + 1, start + n + 1) for n in range(count)]


def bulk_pages(model, parent, rows, translation_keys=None):
    """Create live pages of ``model`` under ``parent`` without signals or revisions:
    ``rows`` are dicts of the model's own fields plus ``title`` and ``slug``; each page
    is in ``parent``'s locale, with the matching ``translation_keys`` entry if given
    (versions of one page in several languages share it). Returns the new page ids,
    in order."""
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    keys = translation_keys or [None] * len(rows)
    pages = [
        Page(
            title=row["title"],
            draft_title=row["title"],
            slug=row["slug"],
            content_type=content_type,
            path=path,
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{row['slug']}/",
            live=True,
            locale_id=parent.locale_id,
            first_published_at=now,
            last_published_at=now,
            **({"translation_key": key} if key else {}),
        )
        for row, path, key in zip(rows, _next_steps(parent, len(rows)), keys, strict=True)
    ]
    Page.objects.bulk_create(pages, batch_size=2000)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(rows))
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = []
    for page, row in zip(pages, rows, strict=True):
        own = {key: value for key, value in row.items() if key not in ("title", "slug")}
        instance = model(page_ptr_id=page.pk, **own)
        values.append(
            [
                field.get_db_prep_save(getattr(instance, field.attname), connection)
                for field in fields
            ]
        )
    with connection.cursor() as cursor:
        for start in range(0, len(values), 2000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                values[start : start + 2000],
            )
    return [page.pk for page in pages]


class Command(BaseCommand):
    help = (
        "Benchmark site search on a throwaway database with generated heroes and streets "
        "(never the configured database). Prints p50/p95 latency and SQL queries per request."
    )

    def add_arguments(self, parser):
        parser.add_argument("--heroes", type=int, default=100_000)
        parser.add_argument("--streets", type=int, default=20_000)
        parser.add_argument("--settlements", type=int, default=400)
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per query.")
        parser.add_argument("--seed", type=int, default=1941, help="Random seed for the names.")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the throwaway database afterwards (for profiling); its name is printed.",
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError(
                "Run with DEBUG off, e.g. DJANGO_SETTINGS_MODULE=catalog.settings.test"
            )
        real_name = connection.settings_dict["NAME"]
        test = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            folder = tempfile.mkdtemp(prefix="search-bench-")
            test["NAME"] = str(Path(folder) / "bench.sqlite3")
        else:
            test["NAME"] = f"{real_name}_search_bench"
        self.say(f"Throwaway {connection.vendor} database: {test['NAME']}")
        started = time.perf_counter()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            self.say(f"  migrated in {time.perf_counter() - started:.0f} s")
            self.fill(options)
            self.measure(options["repeat"])
        finally:
            if options["keep"]:
                self.say(f"Kept {test['NAME']}")
            else:
                connection.creation.destroy_test_db(real_name, verbosity=0)

    def say(self, message):
        self.stdout.write(message)
        self.stdout.flush()

    def fill(self, options):
        """Import the seed data, generate settlements, heroes and streets, rebuild keys."""
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        call_command("import_catalog", str(SEED_DIR), verbosity=0)
        self.say(f"  seed data imported in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        with transaction.atomic():
            regions = list(Region.objects.all())
            settlements = []
            names = set()
            while len(settlements) < options["settlements"]:
                name = _capital(_word(rng, 3))
                if name[0] not in names:
                    names.add(name[0])
                    settlements.append(
                        Settlement(
                            region=rng.choice(regions),
                            name_en=name[0],
                            name_ru=name[1],
                            name_kk=name[2],
                        )
                    )
            Settlement.objects.bulk_create(settlements)
            settlements = list(Settlement.objects.all())

            heroes, surnames = [], []
            for number in range(options["heroes"]):
                (en, ru, kk, kk_latn), surname = generated_person(rng)
                heroes.append(
                    {
                        "title": en,
                        "slug": f"bench-hero-{number}",
                        "name_en": en,
                        "name_ru": ru,
                        "name_kk": kk,
                        "name_kk_latn": kk_latn,
                    }
                )
                surnames.append(surname)
            self.heroes = heroes
            hero_ids = bulk_pages(HeroPage, site_index(HeroIndexPage, "en"), heroes)

            streets, links, formers = [], [], []
            for number in range(options["streets"]):
                choice = rng.randrange(len(heroes))
                kind = rng.choice(("street", "street", "avenue"))
                forms = STREET_FORMS[kind]
                surname = surnames[choice]
                streets.append(
                    {
                        "title": forms[0].format(surname[0]),
                        "slug": f"bench-street-{number}",
                        "name_en": forms[0].format(surname[0]),
                        "name_ru": forms[1].format(surname[1]),
                        "name_kk": forms[2].format(surname[2]),
                        "kind": kind,
                        "settlement_id": rng.choice(settlements).pk,
                        # Unique by construction: 20,000 random 6-letter codes collide
                        # about one time in four.
                        "short_code": f"bench{number}",
                    }
                )
                links.append(hero_ids[choice])
            street_ids = bulk_pages(StreetPage, site_index(StreetIndexPage, "en"), streets)
            for street_id in street_ids:
                if rng.random() < 0.1:
                    year = rng.randrange(1991, 2025)
                    formers.append(
                        FormerName(
                            page_id=street_id, name=rng.choice(FORMER_NAMES), valid_until=year
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
        self.say(
            f"  {len(heroes)} heroes, {len(streets)} streets ({len(formers)} with a former name) "
            f"and {len(settlements)} settlements generated in {time.perf_counter() - started:.0f} s"
        )
        started = time.perf_counter()
        total = index.rebuild()
        self.say(f"  search keys of {total} pages rebuilt in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def measure(self, repeat):
        """Time each query ``repeat`` times after two warm-up requests; print the table."""
        sample = self.heroes[len(self.heroes) // 2]
        surname_ru = sample["name_ru"].split()[-1]
        queries = [*QUERIES, sample["name_en"], surname_ru.upper(), sample["name_kk_latn"]]
        client = Client()
        with translation.override(settings.LANGUAGE_CODE):  # /kk/search/: "/search/" redirects
            search_url, autocomplete_url = reverse("search"), reverse("search_autocomplete")
        rows, everything = [], []
        for url, values in (
            (search_url, queries),
            (autocomplete_url, PREFIXES),
        ):
            for query in values:
                for _warm in range(2):
                    response = client.get(url, {"q": query})
                    if response.status_code != 200:
                        raise CommandError(f"{url}?q={query} answered {response.status_code}")
                with CaptureQueriesContext(connection) as captured:
                    client.get(url, {"q": query})
                sql = len(captured)  # now: the next request empties the query log
                timings = []
                for _run in range(repeat):
                    started = time.perf_counter()
                    client.get(url, {"q": query})
                    timings.append((time.perf_counter() - started) * 1000)
                found = len(search(query).hits)
                rows.append(
                    (
                        url,
                        query,
                        _percentile(timings, 50),
                        _percentile(timings, 95),
                        sql,
                        found,
                    )
                )
                if url == search_url:
                    everything += timings
        self.say("")
        self.say(
            f"{'request':<22} {'query':<34} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4} {'hits':>6}"
        )
        for url, query, p50, p95, sql, found in rows:
            self.say(f"{url:<22} {query[:34]:<34} {p50:7.1f} {p95:7.1f} {sql:4d} {found:6d}")
        self.say("")
        self.say(
            f"{search_url} over all {len(queries)} queries x {repeat}: "
            f"p50 {_percentile(everything, 50):.1f} ms, p95 {_percentile(everything, 95):.1f} ms"
        )


def _percentile(values, percent):
    """The ``percent`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(percent / 100 * len(ordered)))
    return ordered[rank - 1] if ordered else float("nan")
