"""Import regions, heroes and streets from the seed CSV files.

``Importer(directory).run()`` (the ``import_catalog`` command) reads
``regions.csv``, ``heroes.csv`` and ``streets.csv`` (columns as in
``catalog/seed/``), checks every row, and only then writes, in one transaction:

* idempotent upsert keyed by ISO code (regions), ``(region, English name)``
  (settlements) and slug (heroes, streets): an unchanged row writes nothing and
  creates no revision;
* atomic: any invalid row means nothing is saved; every error names the file,
  the row (line number in the file, header = 1), the column and the reason;
* every change is a revision by the acting account (by default the importer
  account), so history shows who and when; it is published, or with ``submit``
  saved as a draft and submitted to the "Editorial review" workflow;
* people's decisions win: a page or place with an editor's revision, a pending
  draft, or taken offline is left alone unless ``overwrite_edited`` is set, and
  an import never puts an unpublished page back online;
* the search keys of what changed are re-derived once at the end (all of them if
  they were never built or were built with older folding rules);
* three languages: the seed's texts are English, so each hero and street page is
  written in English (the source) and translated with wagtail-localize into Kazakh and
  Russian from the per-language name columns (``name_kk``, ``name_ru``); the other texts
  (summary, rank, unit, places) stay untranslated segments, which the pages mark as
  not yet translated. Settlements that are cities of republican significance take the
  Kazakh and Russian names of their region (regions.csv); others keep only the
  English name the seed gives.

Files are UTF-8 with or without BOM, ``,`` or ``;`` delimited, any line ending.
Text that is mojibake (UTF-8 read as Windows-1251/1252 and saved again) or that
has ``?`` in place of letters (saved in a code page without Kazakh letters) is
rejected with a message naming the encoding problem.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from wagtail.models import GroupPagePermission, Site

from heroes.dates import DatePrecision, PartialDate, parse_partial_date
from heroes.geo import coordinate_errors
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
from heroes.slugs import check_slug, slug_for_title

from .locales import ensure_site_languages, site_index
from .search import index as search_index
from .search import sync as search_sync

# The language the seed files' texts are written in (their summaries are English).
SEED_LANGUAGE = "en"
# The languages each imported page is translated into, from the name_<code> columns.
TRANSLATED_LANGUAGES = ("kk", "ru")

REGION_COLUMNS = ["iso_code", "category", "name_en", "name_ru", "name_kk"]
HERO_COLUMNS = ["slug", "name_en", "name_ru", "name_kk", "birth_date", "death_date"]
STREET_COLUMNS = ["slug", "hero_slug", "name_en", "settlement", "region"]


@dataclass(frozen=True)
class RowError:
    """One problem in an input file. ``row`` is the line number (header = 1); 0 = whole file."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self):
        where = self.file
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Raised when any row is invalid; ``errors`` lists every :class:`RowError`."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class Outcome:
    """What happened (or, in a dry run, would happen) to one record."""

    kind: str  # "region", "settlement", "hero", "street"
    key: str
    action: str  # "create", "update", "unchanged", "kept-edited"
    changed: list = field(default_factory=list)
    submitted: bool = False  # saved as a draft and submitted for review


# --- Reading files ----------------------------------------------------------------

# A letter replaced by "?" when the file was saved in a code page without it:
# "?" between letters, at the start of a word, or right after a Cyrillic letter.
_QUESTION_SUBSTITUTE = re.compile(r"[^\W\d_]\?[^\W\d_]|(?:^|\s)\?[^\W\d_]|[\u0400-\u04ff]\?")
# C0 controls other than tab/newline, and C1 controls (U+0080-U+009F): never in real
# text, but left behind when UTF-8 is decoded as Windows-1251/1252 (0x98 -> U+0098).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RESAVE = "Export it again as “CSV UTF-8”."


def _encoding_problem(value, *, check_question_marks=True):
    """Return a message if ``value`` (a cell) looks mis-encoded, else None."""
    if "\ufffd" in value:
        return (
            f"contains “\ufffd” replacement characters: the file was not saved as UTF-8. {_RESAVE}"
        )
    if _CONTROL.search(value):
        code = ord(_CONTROL.search(value).group(0))
        return (
            f"contains the control character U+{code:04X}, which real text never has: "
            f"the file was probably opened in the wrong encoding and saved again. {_RESAVE}"
        )
    if not value.isascii():
        for legacy in ("cp1251", "cp1252", "latin-1"):
            try:
                repaired = value.encode(legacy).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if repaired != value:
                return (
                    f"looks like mojibake (“{value[:40]}” reads as “{repaired[:40]}” when "
                    f"repaired): the file was saved as UTF-8 after being opened as {legacy}. "
                    + _RESAVE
                )
    if check_question_marks and _QUESTION_SUBSTITUTE.search(value):
        return (
            f"“{value[:60]}” has “?” in place of letters: the file was saved in a code page "
            f"without Kazakh letters (e.g. Windows-1251). {_RESAVE}"
        )
    return None


def _decode(raw):
    """Decode file bytes as UTF-8 (BOM optional); raise ValueError naming the encoding problem."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(
            "is UTF-16 (Excel’s “Unicode text”), not UTF-8. Export it again as “CSV UTF-8”."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ValueError(
            f"is not UTF-8 (byte 0x{raw[error.start]:02X} at line {line}): it was "
            "probably saved in a legacy code page such as Windows-1251 or KZ-1048. "
            "Export it again as “CSV UTF-8”."
        ) from None


def read_rows(path, required_columns, errors, url_columns=()):
    """Read a CSV file into ``[(line_number, {column: value})]``.

    Appends :class:`RowError` to ``errors`` for undecodable bytes, malformed CSV
    (an unterminated quote), missing or repeated columns, rows longer than the
    header, and mis-encoded cells; cells are stripped of surrounding spaces.
    ``url_columns`` are exempt from the "?" check (query strings).
    """
    name = path.name
    try:
        text = _decode(path.read_bytes())
    except OSError as error:
        errors.append(RowError(name, 0, "", f"cannot be read: {error.strerror}."))
        return []
    except ValueError as error:
        line = re.search(r"at line (\d+)", str(error))
        errors.append(RowError(name, int(line.group(1)) if line else 0, "", str(error)))
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    line = 1
    try:
        header = [column.strip() for column in next(reader, [])]
        if not any(header):
            errors.append(RowError(name, 0, "", "is empty."))
            return []
        for column in required_columns:
            if column not in header:
                errors.append(RowError(name, 1, column, "this column is missing from the header."))
        for column in {c for c in header if c and header.count(c) > 1}:
            errors.append(RowError(name, 1, column, "this column appears more than once."))
        if any(error.file == name for error in errors):
            return []
        for cells in reader:
            start = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if any(cell.strip() for cell in cells[len(header) :]):
                errors.append(
                    RowError(
                        name, start, "", f"has {len(cells)} cells but the header has {len(header)}."
                    )
                )
                continue
            row = {
                column: (cells[i].strip() if i < len(cells) else "")
                for i, column in enumerate(header)
                if column
            }
            for column, value in row.items():
                problem = _encoding_problem(value, check_question_marks=column not in url_columns)
                if problem:
                    errors.append(RowError(name, start, column, problem))
            rows.append((start, row))
    except csv.Error as error:
        errors.append(
            RowError(name, line + 1, "", f"is not valid CSV here ({error}): check the quotes.")
        )
    return rows


# --- Parsing cells ------------------------------------------------------------------

COORDINATE_STEP = Decimal("0.000001")
_url_validator = URLValidator(schemes=["http", "https"])
_URL = re.compile(r"https?://\S+")


def _parse_decimal(text):
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number.") from None
    if not value.is_finite():
        raise ValueError(f"“{text}” is not a number.")
    return value


def _parse_year(text):
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"“{text}” is not a year (YYYY).")
    return int(text)


_COLUMN_LABELS = {
    "name_kk": "Kazakh name",
    "name_kk_latn": "Kazakh Latin name",
    "name_ru": "Russian name",
    "name_en": "English name",
}
_COLUMN_PREFIX = re.compile(r"^(?P<column>[a-z]+(?:_[a-z]+)+)\s*:\s*")


def _readable_prefix(text):
    """``death_place: x`` -> ``death place: x``; ``name_kk: x`` -> ``Kazakh name: x``."""
    match = _COLUMN_PREFIX.match(text)
    if not match:
        return text
    column = match.group("column")
    label = _COLUMN_LABELS.get(column, column.replace("_", " "))
    rest = text[match.end() :]
    return f"{label}: {rest}" if rest else label


def parse_sources(text):
    """Split a ``source`` cell (`` ; ``-separated) into ``[(url, note)]``.

    Each part's first http(s) URL becomes the link and the rest of the part the
    note; a part without a URL is a note alone (``url == ""``). A leading column
    name says which field the source supports (``death_place: https://...``)
    and is written out (``death place: ...``). A URL given twice is kept once,
    with the first note that says something.
    """
    sources = []
    by_url = {}
    for part in (p.strip() for p in text.split(" ; ")):
        if not part:
            continue
        match = _URL.search(part)
        if not match:
            sources.append(["", _readable_prefix(part)])
            continue
        url = match.group(0).rstrip(".,;")
        before = part[: match.start()].strip()
        after = part[match.start() + len(url) :].strip().removeprefix("(").removesuffix(")")
        note = _readable_prefix(" ".join(text for text in (before, after) if text))
        if url in by_url:
            by_url[url][1] = by_url[url][1] or note
            continue
        by_url[url] = [url, note]
        sources.append(by_url[url])
    return [tuple(source) for source in sources]


_AWARD = re.compile(r"^(?P<name>.+?)\s*\((?P<detail>[^()]*)\)$")


def parse_awards(text):
    """Split an ``awards`` cell into ``[(name, year or None, note)]``.

    ``Hero of the Soviet Union (1990, posthumous); Order of Lenin`` ->
    ``[("Hero of the Soviet Union", 1990, "posthumous"), ("Order of Lenin", None, "")]``.
    """
    awards = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _AWARD.match(part)
        if not match:
            awards.append((part, None, ""))
            continue
        year, notes = None, []
        for detail in (d.strip() for d in match.group("detail").split(",")):
            if re.fullmatch(r"\d{4}", detail) and year is None:
                year = int(detail)
            elif detail:
                notes.append(detail)
        awards.append((match.group("name"), year, ", ".join(notes)))
    return awards


_KINDS = [
    (StreetPage.Kind.AIRPORT, r"airport|аэропорт|әуежай"),
    (StreetPage.Kind.AIR_BASE, r"air base|авиационная база"),
    (StreetPage.Kind.MUSEUM, r"museum|музей"),
    (StreetPage.Kind.MEMORIAL, r"memorial|мемориал"),
    (StreetPage.Kind.SCHOOL, r"school|школ|мектеп|лицей"),
    (StreetPage.Kind.AVENUE, r"avenue|проспект|даңғыл"),
    (StreetPage.Kind.LANE, r"\blane\b|переулок|тұйық"),
    (StreetPage.Kind.BOULEVARD, r"boulevard|бульвар"),
    (StreetPage.Kind.SQUARE, r"\bsquare\b|площадь|алаң"),
    (StreetPage.Kind.STREET, r"street|улица|көше"),
]


def infer_kind(*names):
    """The kind of named object from the words in its names (English, Russian, Kazakh)."""
    text = " ".join(names).lower()
    for kind, pattern in _KINDS:
        if re.search(pattern, text):
            return kind
    return StreetPage.Kind.OTHER


def parse_settlement(text):
    """Split a ``settlement`` cell into ``(name_en, kind)``.

    The settlement is the text before the first comma, without a parenthetical
    (``Oral (Uralsk), Zhuldyz microdistrict`` -> ``Oral``); a trailing
    "village"/"settlement"/"District" word sets the kind.
    """
    name = re.sub(r"\s*\([^)]*\)", "", text.split(",", 1)[0]).strip()
    kind = ""
    if name.endswith(" village"):
        name, kind = name[: -len(" village")], Settlement.Kind.VILLAGE
    elif name.endswith(" settlement"):
        name = name[: -len(" settlement")]
    elif name.endswith(" District"):
        kind = Settlement.Kind.DISTRICT
    return name, kind


def parse_former_names(text, until_year):
    """Split a ``former_name`` cell into ``[(name, until_year, note)]``.

    Names are separated by ``;`` or ``+``; a parenthetical and any text after it
    become the note (``Е12 (project name)`` -> ``("Е12", year, "project name")``).
    Each former name was in use until ``until_year`` (the renaming), if known.
    """
    names = []
    for part in (p.strip() for p in re.split(r";|\s\+\s", text)):
        if not part:
            continue
        match = re.match(r"^(?P<name>[^()]+?)\s*\((?P<note>[^)]*)\)(?P<rest>.*)$", part)
        if match:
            note = (match.group("note") + match.group("rest")).strip()
            names.append((match.group("name").strip(), until_year, note))
        else:
            names.append((part, until_year, ""))
    return names


# --- Records ------------------------------------------------------------------------


@dataclass
class PageRecord:
    """A page to create or update: scalar ``fields`` and child rows per relation."""

    file: str
    row: int
    slug: str
    fields: dict
    children: dict
    hero_slugs: list = field(default_factory=list)
    settlement_key: tuple = ()


def _name_check(file, line, row, columns, errors):
    if not any(row.get(column) for column in columns):
        errors.append(
            RowError(file, line, columns[0], "a name is needed in at least one language.")
        )


def _slug(file, line, row, title, seen, errors):
    slug = row.get("slug", "")
    try:
        if slug:
            check_slug(slug)
        else:
            slug = slug_for_title(title)
    except ValidationError as error:
        errors.append(RowError(file, line, "slug", " ".join(error.messages)))
        return None
    if slug in seen:
        errors.append(
            RowError(file, line, "slug", f"“{slug}” is already used on row {seen[slug]}.")
        )
        return None
    seen[slug] = line
    return slug


def _check_urls(file, line, column, urls, errors):
    for url in urls:
        if not url:
            continue
        try:
            _url_validator(url)
        except ValidationError:
            errors.append(RowError(file, line, column, f"“{url}” is not a valid web address."))


# Model fields whose CSV column has another name.
_COLUMN_FOR_FIELD = {"title": "name_en", "summary": "summary_en", "named_year": "renamed_year"}


# CSV column that holds the child rows of each relation.
_COLUMN_FOR_RELATION = {"awards": "awards", "sources": "source", "former_names": "former_name"}


def _check_fields(file, line, model, fields, errors, column=None):
    """Run each model field's validators (length, range, digits) on a record's values.

    Reports failures as :class:`RowError`, naming ``column`` (for child rows) or
    the field's own CSV column. Returns False if any value is invalid.
    """
    ok = True
    for name, value in fields.items():
        if value in (None, ""):
            continue
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as error:
            where = column or _COLUMN_FOR_FIELD.get(name, name)
            shown = value if len(str(value)) <= 40 else f"{str(value)[:40]}…"
            message = " ".join(error.messages)
            errors.append(RowError(file, line, where, f"“{shown}”: {message}"))
            ok = False
    return ok


def _record_fits(record, model, errors):
    """Validate a page record's fields and child rows (see :func:`_check_fields`)."""
    # The title repeats one of the name columns, which are checked themselves.
    fields = {name: value for name, value in record.fields.items() if name != "title"}
    ok = _check_fields(record.file, record.row, model, fields, errors)
    for relation, rows in record.children.items():
        child_model = model._meta.get_field(relation).related_model
        column = _COLUMN_FOR_RELATION[relation]
        for row in rows:
            ok = _check_fields(record.file, record.row, child_model, row, errors, column) and ok
    return ok


def parse_regions(rows, errors, file="regions.csv"):
    """Validate region rows; return ``{iso_code: fields}``."""
    records, seen = {}, {}
    categories = {choice.value for choice in Region.Category}
    for line, row in rows:
        code = row["iso_code"]
        if not re.fullmatch(r"KZ-\d{2}", code):
            errors.append(
                RowError(
                    file, line, "iso_code", f"“{code}” is not an ISO 3166-2:KZ code like KZ-75."
                )
            )
            continue
        if code in seen:
            errors.append(
                RowError(file, line, "iso_code", f"“{code}” is already used on row {seen[code]}.")
            )
            continue
        seen[code] = line
        if row["category"] not in categories:
            errors.append(
                RowError(
                    file,
                    line,
                    "category",
                    f"“{row['category']}” is not one of: {', '.join(sorted(categories))}.",
                )
            )
        _name_check(file, line, row, ["name_en", "name_ru", "name_kk"], errors)
        fields = {
            "former_iso_code": row.get("former_iso_code", ""),
            "category": row["category"],
            "name_en": row["name_en"],
            "name_ru": row["name_ru"],
            "name_kk": row["name_kk"],
            "name_iso_romanized": row.get("name_iso_romanized", ""),
            "notes": row.get("notes", ""),
            "source": row.get("source", ""),
        }
        if _check_fields(file, line, Region, fields, errors):
            records[code] = fields
    return records


def _partial_date(file, line, row, prefix, errors):
    column = f"{prefix}_date"
    try:
        value, precision = parse_partial_date(row.get(column, ""))
    except ValueError as error:
        errors.append(RowError(file, line, column, str(error)))
        return None
    given = row.get(f"{column}_precision", "")
    if given and given not in DatePrecision.values:
        errors.append(
            RowError(
                file,
                line,
                f"{column}_precision",
                f"“{given}” is not one of: {', '.join(DatePrecision.values)}.",
            )
        )
        return None
    if given and given != precision:
        errors.append(
            RowError(
                file,
                line,
                f"{column}_precision",
                f"says “{given}” but the date “{row[column]}” is written to {precision} precision.",
            )
        )
        return None
    approximate = row.get(f"{column}_approximate", "").lower() in ("1", "true", "yes", "c.")
    partial = PartialDate(value, precision, approximate)
    messages = partial.validate()
    if messages:
        errors.append(RowError(file, line, column, " ".join(messages)))
        return None
    return partial


def parse_heroes(rows, errors, file="heroes.csv"):
    """Validate hero rows; return ``{slug: PageRecord}``."""
    model = HeroPage
    records, seen = {}, {}
    for line, row in rows:
        _name_check(file, line, row, ["name_en", "name_ru", "name_kk", "name_kk_latn"], errors)
        title = row["name_en"] or row["name_ru"] or row["name_kk"] or row.get("name_kk_latn", "")
        slug = _slug(file, line, row, title, seen, errors)
        birth = _partial_date(file, line, row, "birth", errors)
        death = _partial_date(file, line, row, "death", errors)
        if birth and death and birth.is_known and death.is_known and death.value < birth.value:
            errors.append(RowError(file, line, "death_date", "is before the birth date."))
        sources = parse_sources(row.get("source", ""))
        _check_urls(file, line, "source", [url for url, _ in sources], errors)
        if slug is None or birth is None or death is None:
            continue
        record = PageRecord(
            file=file,
            row=line,
            slug=slug,
            fields={
                "title": title,
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "name_kk_latn": row.get("name_kk_latn", ""),
                "birth_date": birth.value,
                "birth_date_precision": birth.precision,
                "birth_date_approximate": birth.approximate,
                "birth_place": row.get("birth_place", ""),
                "death_date": death.value,
                "death_date_precision": death.precision,
                "death_date_approximate": death.approximate,
                "death_place": row.get("death_place", ""),
                "rank": row.get("rank", ""),
                "unit": row.get("unit", ""),
                "summary": row.get("summary_en", ""),
            },
            children={
                "awards": [
                    {"name": name, "year": year, "note": note}
                    for name, year, note in parse_awards(row.get("awards", ""))
                ],
                "sources": [{"url": url, "citation": note} for url, note in sources],
            },
        )
        if _record_fits(record, model, errors):
            records[slug] = record
    return records


def parse_streets(rows, errors, region_codes, hero_slugs, file="streets.csv"):
    """Validate street rows against known region codes and hero slugs.

    Returns ``{slug: PageRecord}``.
    """
    model = StreetPage
    records, seen = {}, {}
    for line, row in rows:
        _name_check(file, line, row, ["name_en", "name_ru", "name_kk"], errors)
        title = row["name_en"] or row.get("name_ru", "") or row.get("name_kk", "")
        slug = _slug(file, line, row, title, seen, errors)
        ok = slug is not None
        region = row["region"]
        if region not in region_codes:
            errors.append(RowError(file, line, "region", f"“{region}” is not a known region code."))
            ok = False
        settlement, settlement_kind = parse_settlement(row["settlement"])
        if not settlement:
            errors.append(RowError(file, line, "settlement", "the settlement is empty."))
            ok = False
        elif not _check_fields(
            file, line, Settlement, {"name_en": settlement}, errors, "settlement"
        ):
            ok = False
        heroes = [s.strip() for s in re.split(r"[;,]", row["hero_slug"]) if s.strip()]
        if not heroes:
            errors.append(
                RowError(file, line, "hero_slug", "name the hero the street is named after.")
            )
            ok = False
        for hero in heroes:
            if hero not in hero_slugs:
                errors.append(
                    RowError(file, line, "hero_slug", f"“{hero}” is not a known hero slug.")
                )
                ok = False
        lat = lon = year = None
        for column in ("lat", "lon"):
            if row.get(column):
                try:
                    value = _parse_decimal(row[column])
                except ValueError as error:
                    errors.append(RowError(file, line, column, str(error)))
                    ok = False
                    continue
                # Six decimal places is about 0.1 m: more digits are noise (map copy-paste).
                # Absurd magnitudes are left for the range check to reject.
                value = value.quantize(COORDINATE_STEP) if abs(value) < 1000 else value
                if column == "lat":
                    lat = value
                else:
                    lon = value
        if ok or (lat is not None and lon is not None):
            for column, message in coordinate_errors(lat, lon).items():
                errors.append(RowError(file, line, column, message))
                ok = False
        if row.get("renamed_year"):
            try:
                year = _parse_year(row["renamed_year"])
            except ValueError as error:
                errors.append(RowError(file, line, "renamed_year", str(error)))
                ok = False
        sources = parse_sources(row.get("source", ""))
        _check_urls(file, line, "source", [url for url, _ in sources], errors)
        if not ok:
            continue
        location_note = row["settlement"] if row["settlement"] != settlement else ""
        kind = row.get("kind") or infer_kind(
            row["name_en"], row.get("name_ru", ""), row.get("name_kk", "")
        )
        if kind not in StreetPage.Kind.values:
            errors.append(
                RowError(
                    file,
                    line,
                    "kind",
                    f"“{kind}” is not one of: {', '.join(StreetPage.Kind.values)}.",
                )
            )
            continue
        record = PageRecord(
            file=file,
            row=line,
            slug=slug,
            fields={
                "title": title,
                "name_en": row["name_en"],
                "name_ru": row.get("name_ru", ""),
                "name_kk": row.get("name_kk", ""),
                "kind": kind,
                "location_note": location_note,
                "named_year": year,
                "lat": lat,
                "lon": lon,
                "source": row.get("source", ""),
            },
            children={
                "former_names": [
                    {"name": name, "valid_until": until, "note": note}
                    for name, until, note in parse_former_names(row.get("former_name", ""), year)
                ],
            },
            hero_slugs=heroes,
            settlement_key=(region, settlement, settlement_kind),
        )
        if _record_fits(record, model, errors):
            records[slug] = record
    return records


# --- Comparing and writing ----------------------------------------------------------

_CHILD_MODELS = {
    "awards": (HeroAward, ["name", "year", "note"]),
    "sources": (HeroSource, ["url", "citation"]),
    "former_names": (FormerName, ["name", "valid_until", "note"]),
    "heroes": (StreetHero, ["hero_id"]),
}


def _child_rows(page, relation):
    """The child rows of ``page`` as comparable dicts (in sort order)."""
    columns = _CHILD_MODELS[relation][1]
    if page.pk is None:
        return []
    return [
        {column: getattr(child, column) for column in columns}
        for child in getattr(page, relation).all()
    ]


def _changes(page, fields, children):
    changed = [name for name, value in fields.items() if getattr(page, name) != value]
    changed += [
        relation for relation, rows in children.items() if _child_rows(page, relation) != rows
    ]
    return changed


IMPORTER_GROUP = "Catalog importers"
PLACE_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("region", "settlement")
    for action in ("add", "change", "publish")
]


def importer_account():
    """The account named in ``settings.CATALOG_IMPORTER_USERNAME``.

    Created on first use with login disabled, in the "Catalog importers" group,
    which may add, change and publish pages below the site's home page, regions
    and settlements, and nothing else (no admin access, not a superuser).
    """
    from django.conf import settings

    user, created = get_user_model().objects.get_or_create(
        username=settings.CATALOG_IMPORTER_USERNAME,
        defaults={"first_name": "Catalog", "last_name": "importer"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _ = Group.objects.get_or_create(name=IMPORTER_GROUP)
    home = Site.objects.get(is_default_site=True).root_page
    # Every language's home page (the translations are siblings of the site's root).
    for page in home.get_translations(inclusive=True):
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="heroes", codename__in=PLACE_PERMISSIONS)
    )
    user.groups.add(group)
    return user


def can_publish_import(user):
    """Whether ``user`` may publish everything an import writes: hero and street
    pages, regions and settlements."""
    indexes = [index for model in (HeroIndexPage, StreetIndexPage) for index in model.objects.all()]
    return all(index.permissions_for_user(user).can_publish() for index in indexes) and all(
        user.has_perm(f"heroes.publish_{model}") for model in ("region", "settlement")
    )


class Importer:
    """Plans and applies an import; see the module docstring for the rules.

    ``user`` is the acting account (default: :func:`importer_account`). With
    ``submit``, new and changed content is saved as drafts and submitted to the
    site's workflow ("Editorial review") instead of being published; without it,
    the acting account must be able to publish (else ``PermissionDenied``).
    """

    def __init__(
        self, directory, *, user=None, submit=False, overwrite_edited=False, progress=None
    ):
        self.directory = Path(directory)
        self.acting_user = user
        self.submit = submit
        self.overwrite_edited = overwrite_edited
        self.progress = progress or (lambda message: None)
        self.outcomes = []

    def parse(self):
        """Read and validate all files. Raises :class:`ImportFailed` listing every error."""
        errors = []
        region_rows = read_rows(self.directory / "regions.csv", REGION_COLUMNS, errors)
        hero_rows = read_rows(self.directory / "heroes.csv", HERO_COLUMNS, errors, ["source"])
        street_rows = read_rows(self.directory / "streets.csv", STREET_COLUMNS, errors, ["source"])
        self.regions = parse_regions(region_rows, errors)
        self.heroes = parse_heroes(hero_rows, errors)
        known_regions = set(self.regions) | set(Region.objects.values_list("iso_code", flat=True))
        known_heroes = set(self.heroes) | set(HeroPage.objects.values_list("slug", flat=True))
        self.streets = parse_streets(street_rows, errors, known_regions, known_heroes)
        if errors:
            raise ImportFailed(errors)

    def run(self, *, dry_run=False):
        """Parse, then apply in one transaction (rolled back when ``dry_run``).

        Returns the list of :class:`Outcome`. Raises :class:`ImportFailed`, or
        ``PermissionDenied`` when publishing and the acting account cannot publish.
        """
        self.parse()
        self.outcomes = []
        with transaction.atomic():
            ensure_site_languages()
            self.importer = importer_account()
            self.user = self.acting_user or self.importer
            if not self.submit and not can_publish_import(self.user):
                raise PermissionDenied(
                    f"The account “{self.user}” cannot publish pages, regions and "
                    "settlements: use --submit to send the changes for review."
                )
            # Search keys of the changed pages are re-derived once, at the end.
            with search_sync.deferred():
                self._apply_regions()
                hero_pages = self._apply_pages(HeroPage, HeroIndexPage, self.heroes, "hero")
                settlements = self._apply_settlements()
                for record in self.streets.values():
                    record.children["heroes"] = [
                        {"hero_id": hero_pages[slug].pk} for slug in record.hero_slugs
                    ]
                    record.fields["settlement_id"] = settlements[record.settlement_key[:2]].pk
                self._apply_pages(StreetPage, StreetIndexPage, self.streets, "street")
            # A database that had content before search keys existed (or was built
            # with older folding rules) gets them now: `make run` stays two commands.
            search_index.ensure_current()
            if dry_run:
                transaction.set_rollback(True)
        return self.outcomes

    def _is_edited(self, obj):
        """Whether people changed ``obj`` since the last import: an editor's revision, a
        pending draft, or an unpublished object. People's decisions win."""
        latest = obj.latest_revision
        imports = (None, self.importer.pk, self.user.pk)
        return (
            (latest is not None and latest.user_id not in imports)
            or obj.has_unpublished_changes
            or not obj.live
        )

    def _release(self, obj, *, was_live=True):
        """Publish ``obj``'s new revision, or submit it to its workflow with ``submit``.

        An object that was not live gets its draft only: it never goes live again
        through an import.
        """
        revision = obj.save_revision(user=self.user, log_action=True)
        if self.submit:
            workflow = obj.get_workflow()
            if workflow and not obj.workflow_in_progress:
                workflow.start(obj, self.user)
        elif was_live:
            revision.publish(user=self.user)

    def _upsert(self, obj, fields, children, kind, key, create):
        """Create or update one page or snippet from a record; record the outcome."""
        if create:
            if self.submit:
                obj.live = False
            self._set_children(obj, children)
            create(obj)
            self._release(obj)
            self.outcomes.append(Outcome(kind, key, "create", submitted=self.submit))
            return
        changed = _changes(obj, fields, children)
        if not changed:
            self.outcomes.append(Outcome(kind, key, "unchanged"))
        elif self._is_edited(obj) and not self.overwrite_edited:
            self.outcomes.append(Outcome(kind, key, "kept-edited", changed))
        else:
            for name, value in fields.items():
                setattr(obj, name, value)
            self._set_children(obj, children)
            self._release(obj, was_live=obj.live)
            self.outcomes.append(Outcome(kind, key, "update", changed, submitted=self.submit))

    def _apply_regions(self):
        existing = {region.iso_code: region for region in Region.objects.all()}
        for code, fields in self.regions.items():
            region = existing.get(code) or Region(iso_code=code, **fields)
            create = None if region.pk else (lambda obj: obj.save())
            self._upsert(region, fields, {}, "region", code, create)

    def _apply_settlements(self):
        regions = {region.iso_code: region for region in Region.objects.all()}
        settlements = {}
        for record in self.streets.values():
            code, name, kind = record.settlement_key
            if (code, name) in settlements:
                continue
            settlement = Settlement.objects.filter(region=regions[code], name_en=name).first()
            region = regions[code]
            # A city of republican significance is its own region: the same names.
            names = (
                {"name_kk": region.name_kk, "name_ru": region.name_ru}
                if region.category == Region.Category.CITY and region.name_en == name
                else {}
            )
            if settlement is None:
                settlement = Settlement(region=region, name_en=name, kind=kind, **names)
                self._upsert(settlement, {}, {}, "settlement", f"{code} {name}", lambda o: o.save())
            elif names and not (settlement.name_kk or settlement.name_ru):
                self._upsert(settlement, names, {}, "settlement", f"{code} {name}", None)
            else:
                self.outcomes.append(Outcome("settlement", f"{code} {name}", "unchanged"))
            settlements[(code, name)] = settlement
        return settlements

    def _apply_pages(self, model, index_model, records, kind):
        index = site_index(index_model, SEED_LANGUAGE)
        pages = {page.slug: page for page in model.objects.child_of(index)}
        total = len(records)
        for number, record in enumerate(records.values(), start=1):
            page = pages.get(record.slug)
            create = None
            if page is None:
                page = model(slug=record.slug, **record.fields)
                create = lambda obj: index.add_child(instance=obj)  # noqa: E731
            self._upsert(page, record.fields, record.children, kind, record.slug, create)
            self._translate(page, record, self.outcomes[-1])
            pages[record.slug] = page
            if number % 100 == 0 or number == total:
                self.progress(f"{model._meta.verbose_name_plural}: {number}/{total}")
        return pages

    def _translate(self, page, record, outcome):
        """Create or update the Kazakh and Russian versions of ``page`` (see the module
        docstring): only when the English page changed or a version is missing or out
        of date; a version that an editor changed is kept unless ``overwrite_edited``."""
        versions = {
            version.locale.language_code: version
            for version in type(page)
            .objects.filter(translation_key=page.translation_key)
            .exclude(pk=page.pk)
            .select_related("locale")
        }
        source = page.get_latest_revision_as_object() if self.submit else page
        for code in TRANSLATED_LANGUAGES:
            title = record.fields.get(f"name_{code}") or ""
            version = versions.get(code)
            if (
                version is not None
                and outcome.action in ("unchanged", "kept-edited")
                and version.title == (title or page.title)
            ):
                continue
            if version is not None and self._is_edited(version) and not self.overwrite_edited:
                continue
            publish = not self.submit and page.live
            translated = translate_page(
                source, code, {"title": title}, user=self.user, publish=publish
            )
            if self.submit:
                workflow = translated.get_workflow()
                if workflow and not translated.workflow_in_progress:
                    workflow.start(translated, self.user)

    @staticmethod
    def _set_children(page, children):
        for relation, rows in children.items():
            model = _CHILD_MODELS[relation][0]
            # An explicit order: without it the rows come back in the database's own order.
            setattr(page, relation, [model(sort_order=n, **row) for n, row in enumerate(rows)])
