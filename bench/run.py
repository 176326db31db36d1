#!/usr/bin/env python
"""Benchmark the site as it runs in production: ``make bench`` / ``make bench-load``.

    .venv/bin/python bench/run.py [--heroes 10000] [--streets 5000] [--stops 500]
        [--images 100] [--duration 15] [--connections 16] [--workers 2]
        [--modes uncached,cached] [--inprocess 100000,20000,1000|off]
        [--port 8765] [--database-url URL] [--regenerate] [--load] [--json FILE]

1. Builds a realistic trilingual catalogue (bench/catalogue.py: every generated hero,
   street and stop in English with its Kazakh and Russian versions) into its own
   SQLite file ``bench/.data/bench-<sizes>.sqlite3`` (or ``--database-url`` /
   ``BENCH_DATABASE_URL``, e.g. a throwaway PostgreSQL), once: a later run with the
   same sizes reuses it (``--regenerate`` to rebuild).
2. Runs ``collectstatic`` into ``bench/.data/static`` and counts each page's SQL queries
   in-process (Django's test client and CaptureQueriesContext, production settings,
   the page cache off).
3. Per mode (a column each; ``MODES``): starts gunicorn with the production settings,
   the mode's environment and ``gunicorn.conf.py`` (DEBUG off, ``--workers`` sync
   workers, SECURE_SSL_REDIRECT off for plain local HTTP), its log in
   ``bench/.data/gunicorn-<mode>.log``. "uncached": ``PAGE_CACHE_SECONDS=0``;
   "cached": the page cache as configured by default (file-based in
   ``bench/.data/page-cache``, emptied first; Redis with ``BENCH_REDIS_URL``), each URL
   requested once before wrk.
4. Default mode: ``wrk -t2 -c<connections> -d<duration>s --latency`` against each page
   in Kazakh (``/kk/``, the default language) after a warm-up, and prints requests/s,
   p50 and p99 latency (ms), responses that were not 2xx/3xx, and SQL queries per
   page. Then bench/inprocess.py in its own process (``--inprocess``
   heroes,streets,stops, its own cached database): search p50/p95/max at 100,000
   heroes and the build time of the ``.ics`` feed of 1,000 stops. Then the issue's
   targets with "met" / "missed by X".
   ``--load``: 60 s at 64 connections over all the pages at once while an editor
   publishes a hero every half second; prints the status counts, 5xx, and the
   "database is locked" lines of the log.

Page addresses are discovered from the database (``page.url``, ``reverse()``), so they
follow URL changes (language prefixes).

Needs ``wrk`` (``apt-get install wrk``). Figures depend on the machine: compare runs on
the same one, and the static file's rate in the same run is the ceiling.
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
HOST = "127.0.0.1"
# The language measured: the site's default (the other two are the same code).
LANGUAGE = "kk"
# Environment overrides per mode: a column of the table each. The anonymous page cache
# (PAGE_CACHE_SECONDS, default on) is off in "uncached"; "cached" warms each URL once.
MODES = {"uncached": {"PAGE_CACHE_SECONDS": "0"}, "cached": {}}
LOAD_SCRIPT = Path(__file__).resolve().parent / "mixed.lua"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heroes", type=int, default=10_000)
    parser.add_argument("--streets", type=int, default=5_000)
    parser.add_argument("--stops", type=int, default=500)
    parser.add_argument("--images", type=int, default=100, help="distinct portrait images")
    parser.add_argument("--settlements", type=int, default=400)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated: {', '.join(MODES)}"
    )
    parser.add_argument(
        "--load", action="store_true", help="60 s at 64 connections over all pages (see above)"
    )
    parser.add_argument("--load-duration", type=int, default=60)
    parser.add_argument("--load-connections", type=int, default=64)
    parser.add_argument(
        "--inprocess",
        default="100000,20000,1000",
        help="heroes,streets,stops of bench/inprocess.py's catalogue (search p95, .ics build); "
        "'off' to skip it",
    )
    parser.add_argument("--inprocess-repeat", type=int, default=10)
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args(argv)


def say(message=""):
    print(message, flush=True)


def size_key(args):
    return f"h{args.heroes}-s{args.streets}-x{args.stops}-i{args.images}-t{args.settlements}"


def database_digest(database_url):
    """A short name for a database, so that each keeps its own media and marker."""
    return hashlib.sha1(database_url.encode()).hexdigest()[:8]


def bench_environment(args):
    """The production settings' variables for a local, plain-HTTP benchmark."""
    database_url = args.database_url or f"sqlite:///{DATA / f'bench-{size_key(args)}.sqlite3'}"
    digest = database_digest(database_url)
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_", "PAGE_CACHE_")) and k != "REDIS_URL"
    }
    # Redis only when asked for (BENCH_REDIS_URL): a cache left by another run would
    # answer the "cached" mode's first requests.
    redis = (
        {"REDIS_URL": os.environ["BENCH_REDIS_URL"]} if os.environ.get("BENCH_REDIS_URL") else {}
    )
    return {
        **base,
        **redis,
        "DJANGO_SETTINGS_MODULE": "catalog.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{args.port}",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(DATA / f"media-{digest}"),
        "STATIC_ROOT": str(DATA / "static"),
        "CALENDAR_UID_DOMAIN": "bench.invalid",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"{HOST}:{args.port}",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": "1",
        # Workers restarting mid-run would show as latency spikes: not part of this test.
        "GUNICORN_MAX_REQUESTS": "0",
        # The anonymous page cache's files (without REDIS_URL), emptied before each mode.
        "PAGE_CACHE_DIR": str(DATA / "page-cache"),
    }


def setup_django(environment):
    """Django in this process, for generating and counting queries: the page cache off,
    so that a query count is the page's own work."""
    os.environ.clear()
    os.environ.update(environment)
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database(args):
    """Generate the catalogue unless this database already holds it. A SQLite file is
    made anew; another database must be empty (e.g. one made by .ci/pg-throwaway)."""
    from django.db import connection

    database = str(connection.settings_dict["NAME"])
    marker = DATA / f"bench-{size_key(args)}-{database_digest(os.environ['DATABASE_URL'])}.json"
    wanted = {"sizes": size_key(args), "database": database}
    if not args.regenerate and marker.exists() and json.loads(marker.read_text()) == wanted:
        say(f"Reusing the catalogue in {database} ({size_key(args)}).")
        return
    from bench import catalogue

    marker.unlink(missing_ok=True)
    if connection.vendor == "sqlite":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    elif "wagtailcore_page" in connection.introspection.table_names():
        raise SystemExit(
            f"The database {database} is not empty: the benchmark fills an empty one "
            "(e.g. .ci/pg-throwaway), and never replaces content."
        )
    shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
    say(f"Generating the catalogue ({size_key(args)}) into {database}:")
    catalogue.fill(
        {
            "heroes": args.heroes,
            "streets": args.streets,
            "stops": args.stops,
            "images": args.images,
            "settlements": args.settlements,
        },
        say=say,
    )
    marker.write_text(json.dumps(wanted))


def discover_pages(language=LANGUAGE):
    """``[(name, path)]`` of the measured pages in ``language``, found in the database."""
    from django.db.models import Count
    from django.templatetags.static import static
    from django.urls import reverse
    from django.utils import translation

    from catalog.locales import site_index
    from catalog.models import HomePage
    from heroes.models import HeroIndexPage, HeroPage, Region, StreetPage

    def version(page):
        """``page``'s live version in ``language``."""
        return (
            type(page)
            .objects.live()
            .get(translation_key=page.translation_key, locale__language_code=language)
        )

    # A typical generated hero: a portrait, a street, awards (not the seed's few). Streets
    # link to the English version (the source), so look for the hero there.
    hero = version(
        HeroPage.objects.live()
        .filter(slug__startswith="bench-hero-", portrait__isnull=False, locale__language_code="en")
        .annotate(streets=Count("street_links"))
        .filter(streets__gt=0)
        .order_by("pk")
        .first()
        or HeroPage.objects.live().filter(locale__language_code="en").first()
    )
    street = version(
        StreetPage.objects.live()
        .filter(slug__startswith="bench-street-", locale__language_code="en")
        .order_by("pk")
        .first()
        or StreetPage.objects.live().filter(locale__language_code="en").first()
    )
    region = (
        Region.objects.filter(live=True)
        .annotate(streets=Count("settlements__streets"))
        .order_by("-streets")
        .first()
    )
    surname = hero.name_en.split()[-1]
    with translation.override(language):
        return [
            ("home", site_index(HomePage, language).url),
            ("hero page", hero.url),
            ("street page", street.url),
            (
                "heroes, filtered",
                f"{site_index(HeroIndexPage, language).url}?region={region.iso_code}",
            ),
            ("search", f"{reverse('search')}?q={surname}"),
            (".ics feed (all stops)", reverse("calendar_all")),
            ("static CSS (ceiling)", static("catalog/site.css")),
        ]


def count_queries(pages, timed=5):
    """``{path: SQL queries}`` for one anonymous request each (after a warm-up); also
    prints each page's in-process time (median of ``timed`` requests, one at a time: no
    queueing, so it tells a slow page from a loaded machine)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    counts = {}
    for name, path in pages:
        warm = client.get(path)
        if warm.status_code != 200:
            raise SystemExit(f"{name} {path} answered {warm.status_code} in-process")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        counts[path] = len(captured)
        timings = []
        for _run in range(timed):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        say(
            f"  {name:<24} {counts[path]:>3} SQL queries, {sorted(timings)[timed // 2]:7.1f} ms "
            "in-process (median, page cache off)"
        )
    return counts


class Gunicorn:
    """gunicorn with gunicorn.conf.py, started and stopped by this process only."""

    def __init__(self, environment, port, log_path):
        self.environment, self.port, self.log_path = environment, port, log_path
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                urllib.request.urlopen(f"http://{HOST}:{self.port}/", timeout=5).read()
                return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer on port {self.port}; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def wrk(url, threads, connections, duration, script=None):
    """Run wrk; returns its output."""
    # A 30 s timeout: wrk's default (2 s) drops slow responses from the figures.
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 120
    )
    return result.stdout


def _milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def parse_wrk(output):
    """requests/s, p50 and p99 (ms), non-2xx/3xx count and socket errors from wrk."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, flags=re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)$", output, flags=re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _milliseconds(latency["50"]),
        "p99_ms": _milliseconds(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def measure(args, environment, pages, queries):
    results = {}
    for mode in args.modes.split(","):
        env = {**environment, **MODES[mode]}
        shutil.rmtree(env["PAGE_CACHE_DIR"], ignore_errors=True)
        say(f"\nMode {mode}: gunicorn, {args.workers} sync workers, on port {args.port}")
        with Gunicorn(env, args.port, DATA / f"gunicorn-{mode}.log"):
            for name, path in pages:
                url = f"http://{HOST}:{args.port}{path}"
                if mode != "uncached":
                    urllib.request.urlopen(url, timeout=60).read()  # fills the page cache
                wrk(url, 1, 2, 2)  # warm-up: workers' first requests, OS caches
                row = parse_wrk(wrk(url, args.threads, args.connections, args.duration))
                results.setdefault(path, {})[mode] = row
                say(
                    f"  {name:<24} {row['rps']:9.1f} req/s  p50 {row['p50_ms']:7.1f} ms  "
                    f"p99 {row['p99_ms']:7.1f} ms  non-2xx {row['non_2xx_3xx']}"
                    + (f"  socket errors: {row['socket_errors']}" if row["socket_errors"] else "")
                )
    say()
    say(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s; gunicorn "
        f"{args.workers} sync workers; {size_key(args)}; {environment['DATABASE_URL'][:40]}"
    )
    header = f"{'page':<24} {'SQL':>4}"
    for mode in args.modes.split(","):
        header += f" | {mode + ' req/s':>15} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7}"
    say(header)
    say("-" * len(header))
    for name, path in pages:
        line = f"{name:<24} {queries[path]:>4}"
        for mode in args.modes.split(","):
            row = results[path][mode]
            line += (
                f" | {row['rps']:>15.1f} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f}"
                f" {row['non_2xx_3xx']:>7}"
            )
        say(line)
    say()
    for name, path in pages:
        say(f"  {name}: {path}")
    return results


def _verdict(value, limit, better, unit):
    """``(figure, "met" / "missed by X")`` for ``value`` against ``limit``; ``better`` is
    ">=" (higher is better), "<=" or "<"."""
    met = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[better]
    gap = abs(value - limit) if better != "<" or value != limit else 0
    figure = f"{value:,.1f} {unit}" if isinstance(value, float) else f"{value} {unit}"
    if met:
        return figure, "met"
    shown = f"{gap:,.1f}" if isinstance(gap, float) else f"{gap}"
    return figure, f"missed by {shown} {unit}"


def targets(pages, queries, measured, inprocess):
    """Issue #8's targets next to the figures: ``[(target, figure, verdict)]``, printed."""
    names = {name: path for name, path in pages}
    static_path = names["static CSS (ceiling)"]
    rows = []
    for name in ("hero page", "street page"):
        row = measured.get(names[name], {}).get("uncached")
        if row:
            rows.append(
                (f"{name}, uncached >= 250 req/s", *_verdict(row["rps"], 250, ">=", "req/s"))
            )
    ceiling = measured.get(static_path, {}).get("cached")
    for name, path in pages:
        row = measured.get(path, {}).get("cached")
        if path != static_path and row and ceiling:
            half = ceiling["rps"] / 2
            rows.append(
                (
                    f"{name}, cached >= static/2 ({half:,.0f} req/s)",
                    *_verdict(row["rps"], round(half, 1), ">=", "req/s"),
                )
            )
    for name, path in pages:
        if path != static_path:
            rows.append(
                (f"{name}, <= 10 SQL queries", *_verdict(queries[path], 10, "<=", "queries"))
            )
    if inprocess:
        search, ics = inprocess["search"], inprocess["ics"]
        rows.append(
            (
                f"search p95 < 50 ms ({inprocess['sizes']})",
                *_verdict(round(search["p95_ms"], 1), 50.0, "<", "ms"),
            )
        )
        rows.append(
            (
                f".ics of {ics['events']} stops < 200 ms (whole view)",
                *_verdict(round(ics["view_ms"], 1), 200.0, "<", "ms"),
            )
        )
    width = max(len(row[0]) for row in rows) if rows else 10
    say(f"\n{'target':<{width}}  {'figure':>16}  verdict")
    say("-" * (width + 40))
    for target, figure, verdict in rows:
        say(f"{target:<{width}}  {figure:>16}  {verdict}")
    return [{"target": t, "figure": f, "verdict": v} for t, f, v in rows]


def run_inprocess(args):
    """bench/inprocess.py in its own process (its own database); returns its results."""
    if args.inprocess == "off":
        return None
    heroes, streets, stops = args.inprocess.split(",")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "inprocess.json"
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve().parent / "inprocess.py"),
                f"--heroes={heroes}",
                f"--streets={streets}",
                f"--stops={stops}",
                f"--settlements={args.settlements}",
                f"--repeat={args.inprocess_repeat}",
                f"--json={output}",
                *(["--regenerate"] if args.regenerate else []),
            ],
            cwd=ROOT,
            check=True,
        )
        return json.loads(output.read_text())


def editor_loop(stop_file):
    """Publish a revision of a few heroes every half second until ``stop_file`` exists:
    an editor at work while readers load the site (writes next to many reads)."""
    from heroes.models import HeroPage

    heroes = list(HeroPage.objects.live().order_by("pk")[:20])
    published = failed = 0
    while not Path(stop_file).exists():
        hero = heroes[published % len(heroes)]
        hero.rank = f"Rank {published}"
        try:
            hero.save_revision().publish()
            published += 1
        except Exception as error:  # noqa: BLE001 (reported, the run goes on)
            failed += 1
            say(f"  editor: {type(error).__name__}: {error}")
        time.sleep(0.5)
    say(f"  editor published {published} revisions ({failed} failed)")


def load(args, environment, pages):
    """``--load``: every page at once for ``--load-duration`` s at ``--load-connections``."""
    paths = [path for _name, path in pages]
    env = {**environment, "BENCH_PATHS": "\n".join(paths)}
    log = DATA / "gunicorn-load.log"
    with tempfile.TemporaryDirectory() as folder:
        stop_file = Path(folder) / "stop"
        say(
            f"\nLoad: {args.load_connections} connections for {args.load_duration} s over "
            f"{len(paths)} pages, {args.workers} sync workers, an editor publishing meanwhile"
        )
        with Gunicorn(environment, args.port, log):
            editor = subprocess.Popen(
                [sys.executable, __file__, "--editor", str(stop_file)], env=environment, cwd=ROOT
            )
            try:
                output = subprocess.run(
                    [
                        "wrk",
                        f"-t{args.threads}",
                        f"-c{args.load_connections}",
                        f"-d{args.load_duration}s",
                        "--latency",
                        "--timeout",
                        "30s",
                        "-s",
                        str(LOAD_SCRIPT),
                        f"http://{HOST}:{args.port}/",
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            finally:
                stop_file.touch()
                editor.wait(timeout=60)
    row = parse_wrk(output)
    statuses = json.loads(re.search(r"^statuses (\{.*\})$", output, flags=re.M).group(1))
    text = log.read_text(errors="replace")
    locked = text.count("database is locked")
    server_errors = sum(n for code, n in statuses.items() if code.startswith("5"))
    say(
        f"  {row['requests']} requests, {row['rps']:.1f} req/s, p50 {row['p50_ms']:.1f} ms, "
        f"p99 {row['p99_ms']:.1f} ms; socket errors: {row['socket_errors'] or 'none'}"
    )
    say(f"  status codes: {dict(sorted(statuses.items()))}")
    say(f"  5xx responses: {server_errors}")
    say(f"  'database is locked' in the gunicorn log ({log}): {locked}")
    say(f"  tracebacks in the log: {text.count('Traceback')}")
    return {
        **row,
        "statuses": statuses,
        "server_errors": server_errors,
        "database_locked": locked,
    }


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--editor"]:  # the load mode's editor, in its own process
        setup_django(dict(os.environ))
        editor_loop(argv[1])
        return
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit(
            "wrk is not installed: apt-get install -y wrk (Debian package), then run again."
        )
    DATA.mkdir(parents=True, exist_ok=True)
    environment = bench_environment(args)
    setup_django(environment)
    prepare_database(args)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    pages = discover_pages()
    say("\nIn-process, one request at a time:")
    queries = count_queries(pages)
    results = {"sizes": size_key(args), "queries": queries, "pages": pages}
    if args.load:
        results["load"] = load(args, environment, pages)
    else:
        results["wrk"] = measure(args, environment, pages, queries)
        results["inprocess"] = run_inprocess(args)
        results["targets"] = targets(pages, queries, results["wrk"], results["inprocess"])
        say(
            "\nFigures depend on the machine and its load: compare runs on the same one; "
            "the static file's rate in the same run is the ceiling."
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
