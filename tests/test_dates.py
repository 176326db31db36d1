import datetime

import pytest
from django.utils import translation

from heroes.dates import DatePrecision, PartialDate, parse_partial_date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1922", (datetime.date(1922, 1, 1), DatePrecision.YEAR)),
        ("1943-10", (datetime.date(1943, 10, 1), DatePrecision.MONTH)),
        ("1910-12-24", (datetime.date(1910, 12, 24), DatePrecision.DAY)),
        ("", (None, DatePrecision.UNKNOWN)),
    ],
)
def test_parse_partial_date_maps_format_to_precision(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["1922-02-31", "1943-13", "24.12.1910", "c. 1920", "19"])
def test_parse_partial_date_rejects_impossible_or_unknown_forms(text):
    with pytest.raises(ValueError, match=text.replace(".", r"\.")):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("value", "precision", "approximate", "shown"),
    [
        (datetime.date(1922, 1, 1), DatePrecision.YEAR, False, "1922"),
        (datetime.date(1920, 1, 1), DatePrecision.YEAR, True, "c. 1920"),
        (datetime.date(1943, 10, 1), DatePrecision.MONTH, False, "October 1943"),
        (datetime.date(1910, 12, 24), DatePrecision.DAY, False, "24 December 1910"),
        (None, DatePrecision.UNKNOWN, False, ""),
    ],
)
def test_date_is_never_shown_more_precisely_than_known(value, precision, approximate, shown):
    assert PartialDate(value, precision, approximate).display() == shown


def test_year_precision_sorts_before_a_later_day_in_the_same_year():
    year_only = PartialDate(datetime.date(1922, 1, 1), DatePrecision.YEAR)
    later_day = PartialDate(datetime.date(1922, 8, 5), DatePrecision.DAY)
    assert sorted([later_day.value, year_only.value]) == [year_only.value, later_day.value]


@pytest.mark.parametrize(
    ("value", "precision", "message"),
    [
        (datetime.date(1922, 5, 1), DatePrecision.YEAR, "1 January"),
        (datetime.date(1943, 10, 15), DatePrecision.MONTH, "first day of the month"),
        (datetime.date(1943, 10, 15), DatePrecision.UNKNOWN, "unknown"),
        (None, DatePrecision.DAY, "Enter the date"),
    ],
)
def test_inconsistent_date_and_precision_are_reported(value, precision, message):
    errors = PartialDate(value, precision).validate()
    assert any(message in error for error in errors)
