"""Dates known only to a day, a month or a year.

A biography date is stored as a ``datetime.date`` plus a precision: the date
holds the first day of the period that is known (1922 -> 1922-01-01, October
1943 -> 1943-10-01), so dates sort correctly, and the precision says how much
of it may be shown. An "approximate" flag marks dates a source gives as
"about" (c. 1920).
"""

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    UNKNOWN = "unknown", _("unknown")


_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text):
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (ISO 8601 reduced precision).

    Returns ``(date, precision)``, with the date at the first day of the period,
    or ``(None, DatePrecision.UNKNOWN)`` for an empty string.
    Raises ``ValueError`` with a reader-facing message for anything else,
    including impossible dates such as ``1922-02-31``.
    """
    text = (text or "").strip()
    if not text:
        return None, DatePrecision.UNKNOWN
    match = _ISO_PARTIAL.match(text)
    if not match:
        raise ValueError(
            gettext("“%(value)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") % {"value": text}
        )
    year, month, day = match.groups()
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(
            gettext("“%(value)s” is not a real calendar date.") % {"value": text}
        ) from None
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return value, precision


def format_date(value, format_name="DATE_FORMAT"):
    """``value`` (a date or datetime) in the active language's ``format_name`` format
    (Django's per-language format modules; catalog/formats/kk for Kazakh). In Kazakh
    and Russian, month names are lower case in running text ("1943 ж. қазан",
    "октябрь 1943 г."); Django's month names are capitalised, so they are lowered here
    (those formats hold nothing else that has case)."""
    text = date_format(value, format_name)
    if (get_language() or "").split("-")[0] in ("kk", "ru"):
        text = text.lower()
    return text


@dataclass(frozen=True)
class PartialDate:
    """A date shown no more precisely than it is known.

    ``value`` is a ``datetime.date`` (first day of the known period) or None;
    ``precision`` a :class:`DatePrecision` value; ``approximate`` marks "about".
    """

    value: datetime.date | None
    precision: str = DatePrecision.DAY
    approximate: bool = False

    @property
    def is_known(self):
        return self.value is not None and self.precision != DatePrecision.UNKNOWN

    def validate(self):
        """Return a list of messages describing inconsistencies (empty when valid)."""
        errors = []
        if self.precision == DatePrecision.UNKNOWN:
            if self.value is not None:
                errors.append(gettext("A date is given but its precision is “unknown”."))
            if self.approximate:
                errors.append(gettext("An unknown date cannot be approximate."))
            return errors
        if self.value is None:
            errors.append(gettext("Enter the date or set its precision to “unknown”."))
        elif self.value > datetime.date.today():
            errors.append(gettext("The date is in the future."))
        elif self.precision == DatePrecision.MONTH and self.value.day != 1:
            errors.append(gettext("With month precision, enter the first day of the month."))
        elif self.precision == DatePrecision.YEAR and (self.value.month, self.value.day) != (1, 1):
            errors.append(gettext("With year precision, enter 1 January of that year."))
        return errors

    def iso(self):
        """The ISO 8601 form at this precision (``1922``, ``1943-10``), or ``""``."""
        if not self.is_known:
            return ""
        if self.precision == DatePrecision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self):
        """Human text in the active language; ``""`` when unknown:

        ====== ================== ===================== ======================
        lang   year (approximate) month                 day
        ====== ================== ===================== ======================
        en     c. 1920            October 1943          24 December 1910
        ru     около 1920 г.      октябрь 1943 г.       24 декабря 1910 г.
        kk     шамамен 1920 ж.    1943 ж. қазан         1910 ж. 24 желтоқсан
        ====== ================== ===================== ======================

        Formats come from Django's per-language format modules (``YEAR_MONTH_FORMAT``,
        ``DATE_FORMAT``; :func:`format_date`); the year and "c." wording from the
        interface translations."""
        if not self.is_known:
            return ""
        if self.precision == DatePrecision.YEAR:
            # Translators: a year on its own, e.g. "1920"; Russian "1920 г.", Kazakh "1920 ж.".
            text = pgettext("year alone", "%(year)s") % {"year": self.value.year}
        elif self.precision == DatePrecision.MONTH:
            text = format_date(self.value, "YEAR_MONTH_FORMAT")
        else:
            text = format_date(self.value, "DATE_FORMAT")
        if self.approximate:
            # Translators: an approximate date, e.g. "c. 1920".
            return gettext("c. %(date)s") % {"date": text}
        return text

    def __str__(self):
        return self.display()
