#!/usr/bin/env python
"""In-process measurements on a large catalogue: ``make bench`` runs this after wrk.

    .venv/bin/python bench/inprocess.py [--heroes 100000] [--streets 20000]
        [--stops 1000] [--repeat 10] [--database-url URL] [--regenerate] [--json FILE]

1. Builds (once, then reuses) a catalogue of ``--heroes`` heroes and ``--streets``
   streets in kk, ru and en, and ``--stops`` exhibition stops (no images), with
   bench/catalogue.py, into its own SQLite file ``bench/.data/bench-<sizes>.sqlite3``
   (or ``--database-url`` / ``BENCH_INPROCESS_DATABASE_URL``: an empty database).
2. Search: the site's search view (``/kk/search/?q=``, through Django's test client:
   middleware, the search of catalog/search, loading the results, the template), for
   representative queries (surnames, full names, partial words, Cyrillic, Kazakh Latin
   and English spellings, a street with its former name, a typo), ``--repeat`` timed
   requests each after two warm-up ones. Prints p50, p95 and max (ms) over all of
   them, and the slowest queries.
3. The ``.ics`` feed of all stops (``--stops`` generated plus the sample tour's): the
   whole feed view through the test client, and ``exhibitions.ical.stops_calendar``
   alone on stops already loaded; the median of ``--repeat`` builds each (ms).

Production settings (DEBUG off), the anonymous page cache off (``PAGE_CACHE_SECONDS=0``),
so every request does the work.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402 (after the path)

LANGUAGE = run.LANGUAGE


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heroes", type=int, default=100_000)
    parser.add_argument("--streets", type=int, default=20_000)
    parser.add_argument("--stops", type=int, default=1_000)
    parser.add_argument("--settlements", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per query/build")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_INPROCESS_DATABASE_URL", "")
    )
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args(argv)


def percentile(values, share):
    """Nearest-rank percentile of ``values`` (``share`` 0-100)."""
    ordered = sorted(values)
    rank = max(1, -(-share * len(ordered) // 100))  # ceil
    return ordered[int(rank) - 1]


def search_queries():
    """Representative queries: the search benchmark's fixed ones (real heroes and
    streets in every script, typos, a former name, broad and multi-word queries) plus
    generated heroes' names as readers type them: whole, surname only, upper case,
    partial words, in kk/ru Cyrillic, Kazakh Latin and English."""
    from catalog.management.commands.search_benchmark import QUERIES
    from heroes.models import HeroPage

    generated = HeroPage.objects.filter(
        slug__startswith="bench-hero-", locale__language_code="en"
    ).order_by("pk")
    total = generated.count()
    queries = list(QUERIES)
    for position in (total // 7, total // 2, total * 5 // 6):
        hero = generated[position]
        surname_ru = hero.name_ru.split()[-1]
        surname_kk = hero.name_kk.split()[-1]
        surname_en = hero.name_en.split()[-1]
        queries += [
            hero.name_en,
            hero.name_kk,
            surname_ru.upper(),
            hero.name_kk_latn.split()[-1],
            surname_kk[: max(4, len(surname_kk) - 3)],  # a partial Cyrillic word
            surname_en[: max(4, len(surname_en) - 3)],  # a partial Latin word
        ]
    return list(dict.fromkeys(queries))


def measure_search(repeat, say):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    with translation.override(LANGUAGE):
        url = reverse("search")
    client = Client(HTTP_HOST=run.HOST)
    rows, timings = [], []
    for query in search_queries():
        for _warm in range(2):
            response = client.get(url, {"q": query})
            if response.status_code != 200:
                raise SystemExit(f"{url}?q={query} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"q": query})
        sql = len(captured)
        own = []
        for _run in range(repeat):
            started = time.perf_counter()
            client.get(url, {"q": query})
            own.append((time.perf_counter() - started) * 1000)
        timings += own
        rows.append(
            {"query": query, "p50_ms": statistics.median(own), "max_ms": max(own), "sql": sql}
        )
    result = {
        "url": url,
        "queries": len(rows),
        "requests": len(timings),
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "max_ms": max(timings),
        "sql_max": max(row["sql"] for row in rows),
        "per_query": rows,
    }
    say(
        f"  search ({url}?q=, {len(rows)} queries x {repeat}): p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms; "
        f"SQL {min(row['sql'] for row in rows)}-{result['sql_max']} per request"
    )
    say("  slowest queries (median ms, SQL):")
    for row in sorted(rows, key=lambda row: -row["p50_ms"])[:6]:
        say(f"    {row['p50_ms']:7.1f} ms  {row['sql']:>3}  {row['query']}")
    return result


def measure_ics(repeat, say):
    from django.conf import settings
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from exhibitions import ical
    from exhibitions.views import feed_stops, with_exhibitions

    with translation.override(LANGUAGE):
        url = reverse("calendar_all")
        client = Client(HTTP_HOST=run.HOST)
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        events = response.content.count(b"BEGIN:VEVENT")
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        sql = len(captured)  # now: the next request empties the query log
        view = []
        for _run in range(repeat):
            started = time.perf_counter()
            client.get(url)
            view.append((time.perf_counter() - started) * 1000)
        request = RequestFactory().get(url, HTTP_HOST=run.HOST)
        started = time.perf_counter()
        stops = with_exhibitions(feed_stops())
        load_ms = (time.perf_counter() - started) * 1000
        build = []
        for _run in range(repeat):
            started = time.perf_counter()
            ical.stops_calendar(stops, settings.WAGTAIL_SITE_NAME, request)
            build.append((time.perf_counter() - started) * 1000)
    result = {
        "url": url,
        "events": events,
        "bytes": len(response.content),
        "sql": sql,
        "view_ms": statistics.median(view),
        "load_ms": load_ms,
        "build_ms": statistics.median(build),
    }
    say(
        f"  .ics feed ({url}, {events} events, {len(response.content) // 1024} kB, "
        f"{result['sql']} SQL): whole view {result['view_ms']:.0f} ms (median of {repeat}); "
        f"loading the stops {load_ms:.0f} ms, ical.stops_calendar {result['build_ms']:.0f} ms"
    )
    return result


def main(argv=None):
    args = parse_args(argv)
    sizes = run.parse_args(
        [
            "--heroes",
            str(args.heroes),
            "--streets",
            str(args.streets),
            "--stops",
            str(args.stops),
            "--images",
            "0",
            "--settlements",
            str(args.settlements),
            # Never the wrk run's BENCH_DATABASE_URL: an empty value means the SQLite file.
            f"--database-url={args.database_url}",
            *(["--regenerate"] if args.regenerate else []),
        ]
    )
    run.DATA.mkdir(parents=True, exist_ok=True)
    environment = run.bench_environment(sizes)
    environment["PAGE_CACHE_SECONDS"] = "0"
    run.setup_django(environment)
    run.say(f"\nIn-process, {run.size_key(sizes)} (production settings, page cache off):")
    started = time.perf_counter()
    run.prepare_database(sizes)
    run.say(f"  catalogue ready in {time.perf_counter() - started:.0f} s")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' static URLs
    results = {
        "sizes": run.size_key(sizes),
        "search": measure_search(args.repeat, run.say),
        "ics": measure_ics(args.repeat, run.say),
    }
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
