"""Template helpers for the exhibition: when a stop or slot is open, in the reader's
language formats (Django's DATE_FORMAT / TIME_FORMAT of the active locale)."""

from django import template
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext

from exhibitions.ical import stop_location as _stop_location
from heroes.dates import format_date

register = template.Library()


@register.filter
def stop_location(stop):
    """“Venue, address, settlement, region”, each part once."""
    return _stop_location(stop)


def _date(value):
    return format_date(value, "DATE_FORMAT")


def _time(value):
    return time_format(value, "TIME_FORMAT")


@register.filter
def stop_when(stop):
    """“12 May 2025 – 16 May 2025” (all day), “9 May 2025, 10:00–14:00” (one day) or
    “9 May 2025, 10:00 – 10 May 2025, 18:00”, in local time (Asia/Almaty)."""
    start = timezone.localtime(stop.start)
    end = timezone.localtime(stop.end)
    if stop.all_day:
        if start.date() == end.date():
            return _date(start)
        return gettext("%(start)s – %(end)s") % {"start": _date(start), "end": _date(end)}
    return slot_when(stop)


@register.filter
def slot_when(slot):
    """“9 May 2025, 10:00–11:00” in local time; spans over midnight give both dates."""
    start = timezone.localtime(slot.start)
    end = timezone.localtime(slot.end)
    if start.date() == end.date():
        return gettext("%(date)s, %(start)s–%(end)s") % {
            "date": _date(start),
            "start": _time(start),
            "end": _time(end),
        }
    return gettext("%(start)s – %(end)s") % {
        "start": f"{_date(start)}, {_time(start)}",
        "end": f"{_date(end)}, {_time(end)}",
    }
