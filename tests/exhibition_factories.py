"""Test data for the exhibition: an exhibition, its stops with visit slots, bookings.

Plain functions, shared by the admin tests and the public tests. They need the
database (``pytest.mark.django_db``) and the seed data (``tests/conftest.py``
imports it once per session); the ``ExhibitionIndexPage`` comes from migration
catalog 0004.

Times are aware datetimes in Asia/Almaty (``ALMATY``). Defaults lie in the future
relative to ``timezone.now()``: a stop starts ``days`` (7) days from now at 10:00
local time and lasts two days; its default slot is its first morning.

Shapes::

    exhibition = make_exhibition(title="Heroes of Moscow")           # ExhibitionPage, live
    stop = make_stop(exhibition, slots=[(start, end, capacity), ...]) # ExhibitionStopPage
    slot = stop.slots.first()                                          # VisitSlot
    booking = make_booking(slot, pupils=20, adults=2)                  # VisitBooking
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.utils import timezone

from exhibitions.models import (
    ExhibitionIndexPage,
    ExhibitionPage,
    ExhibitionStopPage,
    VisitBooking,
    VisitSlot,
)
from heroes.models import Settlement

ALMATY = ZoneInfo("Asia/Almaty")
DEFAULT_SETTLEMENT = ("Almaty", "KZ-75")

_numbers = itertools.count(1)


def almaty(year, month, day, hour=0, minute=0):
    """An aware datetime at that wall-clock time in Asia/Almaty."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def local_day(days=7, hour=10, minute=0):
    """``days`` days from today (Asia/Almaty) at ``hour:minute`` local time (aware)."""
    today = timezone.now().astimezone(ALMATY).date() + datetime.timedelta(days=days)
    return datetime.datetime(today.year, today.month, today.day, hour, minute, tzinfo=ALMATY)


def index_page():
    """The site's English ExhibitionIndexPage (``/en/exhibition/``; made by migration
    catalog 0004, translated into kk and ru by ``import_catalog``)."""
    return ExhibitionIndexPage.objects.get(locale__language_code="en")


def seed_settlement(name_en=DEFAULT_SETTLEMENT[0], iso_code=None):
    """A seed settlement by English name (and region ISO code when names repeat)."""
    settlements = Settlement.objects.filter(name_en=name_en)
    if iso_code or name_en == DEFAULT_SETTLEMENT[0]:
        settlements = settlements.filter(region__iso_code=iso_code or DEFAULT_SETTLEMENT[1])
    return settlements.get()


def make_exhibition(parent=None, live=True, **kw):
    """A published ExhibitionPage under the English index (or ``parent``).

    Keyword arguments are model fields (``title``, ``theme``, ``is_sample`` ...);
    ``live=False`` makes an unpublished draft. Returns the saved page (with a revision).
    """
    n = next(_numbers)
    kw.setdefault("title", f"Test exhibition {n}")
    kw.setdefault("slug", f"test-exhibition-{n}")
    kw.setdefault("theme", "Kazakhstanis at the Battle of Moscow, 1941")
    page = ExhibitionPage(live=live, **kw)
    (parent or index_page()).add_child(instance=page)
    _release(page, live)
    return page


def _release(page, live):
    """Save a first revision of ``page``; publish it (as the admin does) when ``live``."""
    revision = page.save_revision()
    if live:
        revision.publish()
        page.refresh_from_db()


def make_stop(exhibition, settlement=None, start=None, end=None, slots=None, live=True, **kw):
    """A published ExhibitionStopPage under ``exhibition`` with visit slots.

    ``settlement``: a Settlement (default Almaty, KZ-75). ``start``/``end``: aware
    datetimes (default: 7 days from now 10:00 to two days later 18:00, Asia/Almaty).
    ``slots``: ``[(start, end, capacity), ...]`` (default one slot of 30 visitors on the
    first morning, 10:00-11:00); ``[]`` for none. Other keywords are model fields
    (``title``, ``venue``, ``status`` ...). Returns the stop, saved with a revision.
    """
    n = next(_numbers)
    start = start or local_day(7, 10)
    end = end or start + datetime.timedelta(days=2, hours=8)
    if slots is None:
        slots = [(start, start + datetime.timedelta(hours=1), 30)]
    kw.setdefault("title", f"Test stop {n}")
    kw.setdefault("slug", f"test-stop-{n}")
    kw.setdefault("venue", "Central State Museum")
    stop = ExhibitionStopPage(
        settlement=settlement or seed_settlement(),
        start=start,
        end=end,
        live=live,
        slots=[
            VisitSlot(start=slot_start, end=slot_end, capacity=capacity)
            for slot_start, slot_end, capacity in slots
        ],
        **kw,
    )
    exhibition.add_child(instance=stop)
    _release(stop, live)
    return stop


def make_booking(slot, **kw):
    """A confirmed VisitBooking of ``slot`` (no capacity check, no email).

    Keyword arguments are model fields; defaults: school "School-lyceum No. 12",
    contact "Aigerim Sadykova", a unique ``teacher<n>@example.kz``, 20 pupils,
    2 adults, tour language "kk", grade 7, emails in English. Returns the saved booking.
    """
    n = next(_numbers)
    values = {
        "school": "School-lyceum No. 12",
        "contact_name": "Aigerim Sadykova",
        "email": f"teacher{n}@example.kz",
        "phone": "+7 701 234 56 78",
        "grade": 7,
        "pupils": 20,
        "adults": 2,
        "language": "kk",
        "email_language": "en",  # booked on the English site (the stops are English pages)
        **kw,
    }
    return VisitBooking.objects.create(slot=slot, **values)
