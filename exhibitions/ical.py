"""iCalendar (RFC 5545) for exhibition stops and class visits, built with ``icalendar``.

- UIDs: ``stop-<page id>@<domain>`` (the id of the stop's first version, the same in
  every language's feed) and ``visit-<booking reference>@<domain>``, where
  ``<domain>`` is :func:`uid_domain` (stable across renders and hosts).
- Times: timed events carry ``TZID=Asia/Almaty`` (``settings.TIME_ZONE``) and the
  matching VTIMEZONE from the IANA data of the pinned ``tzdata`` (it includes the
  2024-03-01 change from UTC+6 to UTC+5); all-day stops use ``VALUE=DATE`` with an
  exclusive DTEND (RFC 5545 3.6.1). Never floating times.
- SEQUENCE and DTSTAMP/LAST-MODIFIED come from the stop's ``calendar_sequence`` and
  ``calendar_modified`` (see :meth:`ExhibitionStopPage.save`), so an unchanged stop
  renders byte-identically; a cancelled stop stays with ``STATUS:CANCELLED``.
"""

import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from heroes.i18n import active_language, best_version, url_in_language

from .models import StopStatus

PRODID = "-//Heroes and their streets//Exhibition schedule//EN"
# How often subscribed calendar apps should refetch (RFC 7986 REFRESH-INTERVAL, and
# X-PUBLISHED-TTL for Outlook).
REFRESH_INTERVAL = datetime.timedelta(hours=6)
STATUS = {
    StopStatus.SCHEDULED: "CONFIRMED",
    StopStatus.POSTPONED: "TENTATIVE",
    StopStatus.CANCELLED: "CANCELLED",
}
CONTENT_TYPE = "text/calendar; charset=utf-8"
# VTIMEZONEs start here: before Asia/Almaty moved from UTC+6 to UTC+5 on 2024-03-01.
UTC_PLUS_5_SINCE = datetime.date(2024, 1, 1)


def uid_domain():
    """The right-hand side of every UID: ``settings.CALENDAR_UID_DOMAIN``, else the host of
    ``WAGTAILADMIN_BASE_URL``. Changing it re-keys every subscriber's events, so set it once."""
    configured = getattr(settings, "CALENDAR_UID_DOMAIN", "")
    return configured or urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def site_name():
    """The site's name in the active language (as in ``templates/base.html``)."""
    return _("Heroes and their streets")


def reader_url(page, language, request=None):
    """The absolute URL of ``page``'s content for a reader of ``language``: that language's
    prefix (:func:`heroes.i18n.url_in_language`), on the request's host, else on
    ``settings.WAGTAILADMIN_BASE_URL`` (emails)."""
    path = url_in_language(page, language)
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def visit_versions(booking):
    """``(stop, exhibition)`` of ``booking`` as its booker reads them: the best versions
    (:func:`heroes.i18n.best_version`) in the booking's ``email_language``. The slots and
    the stop's status belong to the first version (``booking.slot.page``)."""
    language = booking.email_language
    stop = best_version(booking.slot.page.specific, language)
    return stop, best_version(stop.exhibition, language)


def local_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _set_times(event, start, end, all_day):
    zone = local_zone()
    if all_day:
        first = start.astimezone(zone).date()
        last = end.astimezone(zone).date()
        event.add("dtstart", first)
        event.add("dtend", last + datetime.timedelta(days=1))  # exclusive
    else:
        event.add("dtstart", start.astimezone(zone))
        event.add("dtend", end.astimezone(zone))


def stop_location(stop):
    """“Venue, address, settlement, region” without empty or repeated parts (Astana is a
    settlement and a region)."""
    settlement = stop.settlement
    parts = [stop.venue, stop.address, settlement.name, settlement.region.name]
    return ", ".join(dict.fromkeys(part for part in parts if part))


def stop_event(stop, url):
    """The VEVENT of ``stop`` (an ExhibitionStopPage with ``settlement__region`` and its
    parent exhibition loaded as ``stop.exhibition``); ``url`` is the stop page's full URL."""
    exhibition = stop.exhibition
    event = Event()
    # The same event in every language's feed: the id of the version holding the slots.
    event.add("uid", f"stop-{getattr(stop, 'slot_owner_pk', None) or stop.pk}@{uid_domain()}")
    stamp = stop.calendar_modified or stop.last_published_at or timezone.now()
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("last-modified", stamp.astimezone(datetime.UTC))
    event.add("sequence", stop.calendar_sequence)
    _set_times(event, stop.start, stop.end, stop.all_day)
    summary = f"{exhibition.title}: {stop.settlement.name}"
    if stop.status == StopStatus.CANCELLED:
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    elif stop.status == StopStatus.POSTPONED:
        summary = _("Postponed: %(summary)s") % {"summary": summary}
    event.add("summary", summary)
    event.add("location", stop_location(stop))
    if stop.has_coordinates:
        event.add("geo", (float(stop.lat), float(stop.lon)))
    event.add("url", url)
    lines = [exhibition.theme]
    if stop.opening_hours:
        lines.append(_("Opening hours: %(hours)s") % {"hours": stop.opening_hours})
    if stop.status != StopStatus.SCHEDULED and stop.status_reason:
        lines.append(stop.status_reason)
    if exhibition.is_sample:
        lines.append(_("Sample schedule: not an official date."))
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("status", STATUS[stop.status])
    event.add("transp", "TRANSPARENT")
    return event


def _calendar(name, method="PUBLISH"):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    return calendar


def _add_timezones(calendar, starts, ends):
    if not starts:
        # RFC 5545 wants at least one component: an empty feed carries the zone alone.
        today = timezone.localdate()
        calendar.add_component(
            Timezone.from_tzid(
                settings.TIME_ZONE,
                first_date=UTC_PLUS_5_SINCE,
                last_date=today + datetime.timedelta(days=366),
            )
        )
        return
    calendar.add_missing_timezones(
        # From before the 2024-03-01 change to UTC+5, so every calendar carries it.
        first_date=min(min(starts).date() - datetime.timedelta(days=366), UTC_PLUS_5_SINCE),
        last_date=max(ends).date() + datetime.timedelta(days=366),
    )


def stops_calendar(stops, name, request):
    """Serialised VCALENDAR (bytes) with one VEVENT per stop, in the given order."""
    calendar = _calendar(name)
    language = active_language()
    for stop in stops:
        calendar.add_component(stop_event(stop, reader_url(stop, language, request)))
    _add_timezones(calendar, [s.start for s in stops], [s.end for s in stops])
    return calendar.to_ical()


def visit_calendar(booking, sequence=0):
    """``(ics bytes, method)``: the class visit of ``booking`` for the booker's own calendar
    (attached to emails). A cancelled booking, or a booking of a cancelled stop, gives
    ``METHOD:CANCEL`` with ``STATUS:CANCELLED`` (RFC 5546 3.2.5), which calendar apps
    apply to the event with the same UID; otherwise ``METHOD:PUBLISH``. Pass a higher
    ``sequence`` for each update. In the booking's ``email_language``: texts, titles
    and venue of that language's versions (:func:`visit_versions`), links under its prefix.
    """
    with translation.override(booking.email_language):
        return _visit_calendar(booking, sequence)


def _visit_calendar(booking, sequence):
    slot = booking.slot
    stop, exhibition = visit_versions(booking)
    cancelled = (
        booking.status == booking.Status.CANCELLED
        or slot.page.specific.status == StopStatus.CANCELLED
    )
    method = "CANCEL" if cancelled else "PUBLISH"
    calendar = _calendar(exhibition.title, method)
    event = Event()
    event.add("uid", f"visit-{booking.reference}@{uid_domain()}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("sequence", sequence)
    _set_times(event, slot.start, slot.end, all_day=False)
    event.add(
        "summary",
        _("Class visit: %(exhibition)s, %(settlement)s")
        % {"exhibition": exhibition.title, "settlement": stop.settlement.name},
    )
    event.add("location", stop_location(stop))
    event.add("url", reader_url(stop, booking.email_language))
    visitors = ngettext("%(pupils)d pupil", "%(pupils)d pupils", booking.pupils) % {
        "pupils": booking.pupils
    }
    adults = ngettext("%(adults)d adult", "%(adults)d adults", booking.adults) % {
        "adults": booking.adults
    }
    event.add(
        "description",
        _("Booking %(reference)s: %(school)s, %(pupils)s, %(adults)s.")
        % {
            "reference": booking.reference,
            "school": booking.school,
            "pupils": visitors,
            "adults": adults,
        },
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(site_name())
    event.add("organizer", organizer)
    calendar.add_component(event)
    _add_timezones(calendar, [slot.start], [slot.end])
    return calendar.to_ical(), method
