"""Each bad input gives its specific error (file, row, column) and saves nothing."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import Page, Revision

from catalog.importer import Importer, ImportFailed
from heroes.models import FormerName, HeroAward, HeroPage, Region, Settlement, StreetPage

from .i18n_helpers import english as english_page

pytestmark = pytest.mark.django_db

FILES = ("regions.csv", "heroes.csv", "streets.csv")


@pytest.fixture(autouse=True)
def english():
    """The error messages in English (the site's default language is Kazakh)."""
    with translation.override("en"):
        yield


@pytest.fixture
def data_dir(seed_dir, tmp_path):
    """A copy of the seed files that a test may spoil."""
    for name in FILES:
        (tmp_path / name).write_bytes((seed_dir / name).read_bytes())
    return tmp_path


def db_state():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Region.objects.count(),
        Settlement.objects.count(),
        HeroAward.objects.count(),
        FormerName.objects.count(),
        # Three language versions per slug: ordered by pk too, for a stable order.
        list(
            HeroPage.objects.order_by("slug", "pk").values_list(
                "slug", "title", "rank", "birth_date"
            )
        ),
        list(StreetPage.objects.order_by("slug", "pk").values_list("slug", "title", "lat", "lon")),
    )


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def failing_import(directory):
    before = db_state()
    with pytest.raises(ImportFailed) as failure:
        Importer(directory).run()
    assert db_state() == before
    return [str(error) for error in failure.value.errors]


def test_impossible_date_names_file_row_and_column(data_dir):
    edit(data_dir / "heroes.csv", "1922,year", "1922-02-31,day")
    errors = failing_import(data_dir)
    assert errors == [
        "heroes.csv, row 4, column “birth_date”: “1922-02-31” is not a real calendar date."
    ]


def test_precision_that_contradicts_the_date_is_an_error(data_dir):
    edit(data_dir / "heroes.csv", "1910-12-24,day", "1910-12-24,year")
    errors = failing_import(data_dir)
    assert len(errors) == 1
    assert "row 2, column “birth_date_precision”" in errors[0]


def test_street_naming_an_unknown_hero_is_an_error(data_dir):
    edit(
        data_dir / "streets.csv",
        "astana-momyshuly-ave,bauyrzhan-momyshuly",
        "astana-momyshuly-ave,nobody-known",
    )
    errors = failing_import(data_dir)
    assert errors == [
        "streets.csv, row 2, column “hero_slug”: “nobody-known” is not a known hero slug."
    ]


def test_duplicate_slug_in_a_file_is_an_error(data_dir):
    edit(data_dir / "streets.csv", "shymkent-momyshuly-ave,", "almaty-momyshuly-ave,")
    errors = failing_import(data_dir)
    assert errors == [
        "streets.csv, row 4, column “slug”: “almaty-momyshuly-ave” is already used on row 3."
    ]


def test_coordinates_outside_kazakhstan_are_an_error(data_dir):
    edit(data_dir / "streets.csv", "43.29089,76.81567", "55.7558,37.6173")
    errors = failing_import(data_dir)
    assert len(errors) == 1
    assert errors[0].startswith("streets.csv, row 3, column “lat”:")
    assert "outside Kazakhstan" in errors[0]


def test_swapped_coordinates_are_reported_as_swapped(data_dir):
    edit(data_dir / "streets.csv", "43.29089,76.81567", "76.81567,43.29089")
    errors = failing_import(data_dir)
    assert len(errors) == 1 and "look swapped" in errors[0]


def test_every_error_is_reported_not_just_the_first(data_dir):
    edit(data_dir / "heroes.csv", "1922,year", "1922-02-31,day")
    edit(data_dir / "streets.csv", "43.29089,76.81567", "not-a-number,76.81567")
    errors = failing_import(data_dir)
    assert [e.split(":")[0] for e in errors] == [
        "heroes.csv, row 4, column “birth_date”",
        "streets.csv, row 3, column “lat”",
    ]


def test_missing_column_is_named(data_dir):
    edit(data_dir / "regions.csv", "iso_code,", "code,")
    errors = failing_import(data_dir)
    assert errors == [
        "regions.csv, row 1, column “iso_code”: this column is missing from the header."
    ]


def test_legacy_code_page_file_is_rejected_with_the_encoding_problem(data_dir):
    text = (data_dir / "regions.csv").read_text(encoding="utf-8")
    russian_only = "".join(ch for ch in text if ch.isascii() or "\u0410" <= ch <= "\u044f")
    (data_dir / "regions.csv").write_bytes(russian_only.encode("cp1251"))
    errors = failing_import(data_dir)
    assert len(errors) == 1
    assert errors[0].startswith("regions.csv, row 2: is not UTF-8")
    assert "Windows-1251" in errors[0]


def test_mojibake_is_rejected(data_dir):
    text = (data_dir / "heroes.csv").read_text(encoding="utf-8")
    mangled = "Бауыржан Момышулы".encode().decode("cp1251")
    (data_dir / "heroes.csv").write_text(
        text.replace("Бауыржан Момышулы", mangled, 1), encoding="utf-8"
    )
    errors = failing_import(data_dir)
    assert len(errors) == 1
    assert errors[0].startswith("heroes.csv, row 2, column “name_ru”: looks like mojibake")


def test_question_mark_substitutes_for_kazakh_letters_are_rejected(data_dir):
    edit(data_dir / "heroes.csv", "Бауыржан Момышұлы", "Бауыржан Момыш?лы")
    errors = failing_import(data_dir)
    assert len(errors) == 1
    assert errors[0].startswith("heroes.csv, row 2, column “name_kk”:")
    assert "“?” in place of letters" in errors[0]


@pytest.mark.parametrize(
    "variant",
    ["bom", "semicolon", "crlf"],
)
def test_bom_semicolons_and_windows_line_endings_are_accepted(data_dir, variant):
    import csv
    import io

    for name in FILES:
        path = data_dir / name
        text = path.read_text(encoding="utf-8")
        if variant == "bom":
            path.write_bytes(text.encode("utf-8-sig"))
        elif variant == "crlf":
            path.write_bytes(text.replace("\n", "\r\n").encode())
        else:
            rows = list(csv.reader(io.StringIO(text, newline="")))
            out = io.StringIO()
            csv.writer(out, delimiter=";").writerows(rows)
            path.write_text(out.getvalue(), encoding="utf-8")
    outcomes = Importer(data_dir).run()
    assert {outcome.action for outcome in outcomes} == {"unchanged"}


def test_command_prints_every_error_and_fails(data_dir):
    edit(data_dir / "heroes.csv", "1922,year", "1922-02-31,day")
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 problem\(s\) found"):
        call_command("import_catalog", str(data_dir), verbosity=0)


def test_dry_run_command_saves_nothing(data_dir, capsys):
    edit(data_dir / "heroes.csv", ",Colonel,", ",General,")
    before = db_state()
    call_command("import_catalog", str(data_dir), "--dry-run")
    out = capsys.readouterr().out
    assert "update: hero bauyrzhan-momyshuly (rank)" in out
    assert "Dry run, nothing saved." in out
    assert db_state() == before


def test_values_longer_than_the_database_allows_are_errors(data_dir):
    edit(data_dir / "streets.csv", "Bauyrzhan Momyshuly Avenue", "A" * 300)
    edit(data_dir / "heroes.csv", "Hero of the Soviet Union (1990", "H" * 300 + " (1990")
    errors = failing_import(data_dir)
    assert errors == [
        "heroes.csv, row 2, column “awards”: “HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH…”: "
        "Ensure this value has at most 255 characters (it has 300).",
        "streets.csv, row 2, column “name_en”: “AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…”: "
        "Ensure this value has at most 255 characters (it has 300).",
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "column", "message"),
    [
        (
            "heroes.csv",
            "Order of the Red Banner (1945)",
            "Order of the Red Banner (1812)",
            "awards",
            "greater than or equal to 1900",
        ),
        ("streets.csv", ",2023,", ",0000,", "renamed_year", "greater than or equal to 1900"),
        ("heroes.csv", "1924-10-19,day", "4011,year", "birth_date", "in the future"),
        ("heroes.csv", "Бауыржан Момышұлы", "Бауыржан Момыш\x00ұлы", "name_kk", "U+0000"),
        ("heroes.csv", "Бауыржан Момышұлы", "Бауыржан Момышұ?", "name_kk", "in place of letters"),
    ],
)
def test_out_of_range_and_garbled_values_are_row_errors(data_dir, file, old, new, column, message):
    edit(data_dir / file, old, new)
    errors = failing_import(data_dir)
    assert len(errors) == 1, errors
    assert f"column “{column}”" in errors[0] and message in errors[0]


def test_mojibake_of_letters_with_byte_0x98_is_caught(data_dir):
    # "И" and "Ә" encode to bytes with 0x98, which Windows tools decode to U+0098.
    mangled = "Әлия".encode().decode("cp1251", errors="replace").replace("\ufffd", "\x98")
    edit(data_dir / "heroes.csv", "Бауыржан Момышұлы", mangled)
    errors = failing_import(data_dir)
    assert len(errors) == 1 and "U+0098" in errors[0]


def test_utf16_file_is_named_as_utf16(data_dir):
    path = data_dir / "regions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert failing_import(data_dir) == [
        "regions.csv: is UTF-16 (Excel’s “Unicode text”), not UTF-8. "
        "Export it again as “CSV UTF-8”."
    ]


def test_unterminated_quote_is_an_error(data_dir):
    with (data_dir / "heroes.csv").open("a", encoding="utf-8") as file:
        file.write('zz-x,"Unclosed,,,\n')
    errors = failing_import(data_dir)
    assert len(errors) == 1 and "not valid CSV" in errors[0]


def test_repeated_column_is_an_error(data_dir):
    edit(data_dir / "regions.csv", ",notes,", ",name_en,")
    assert failing_import(data_dir) == [
        "regions.csv, row 1, column “name_en”: this column appears more than once."
    ]


def test_trailing_empty_cells_and_missing_optional_columns_are_fine(data_dir):
    import csv
    import io

    path = data_dir / "streets.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    drop = rows[0].index("name_ru")
    rows = [row[:drop] + row[drop + 1 :] + ([""] if n else []) for n, row in enumerate(rows)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    outcomes = Importer(data_dir).run(dry_run=True)
    changed = {o.key for o in outcomes if o.action == "update"}
    assert "astana-momyshuly-ave" in changed  # its Russian name would be cleared
    assert "almaty-momyshuly-ave" not in changed  # it has none


def test_unpublished_page_is_not_published_again(data_dir):
    english_page(HeroPage, slug="leonid-beda").unpublish()
    edit(data_dir / "heroes.csv", "Lieutenant General of Aviation", "Lieutenant General (checked)")
    outcomes = {o.key: o.action for o in Importer(data_dir).run()}
    assert outcomes["leonid-beda"] == "kept-edited"
    assert not english_page(HeroPage, slug="leonid-beda").live


def test_coordinates_are_rounded_to_six_decimal_places(data_dir):
    edit(data_dir / "streets.csv", "43.29089,76.81567", "43.2908904999,76.81567")
    outcomes = Importer(data_dir).run()
    assert {o.action for o in outcomes} == {"unchanged"}  # 43.290890 is what is stored
