"""iCalendar feeds (RFC 5545): parsed back with ``icalendar``, as a calendar app would."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from exhibitions.models import ExhibitionStopPage, StopStatus

from .exhibition_factories import almaty, local_day, make_exhibition, make_stop, seed_settlement

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DOMAIN = "heroes.example.kz"


@pytest.fixture(autouse=True)
def uid_domain(settings):
    settings.CALENDAR_UID_DOMAIN = DOMAIN


@pytest.fixture(autouse=True)
def english():
    """``reverse()`` gives the English feeds (/en/calendar/...), of the English test pages."""
    with translation.override("en"):
        yield


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_timed_stop_is_in_almaty_time_and_5_hours_before_utc():
    exhibition = make_exhibition(title="Victory Day exhibition")
    stop = make_stop(
        exhibition,
        start=almaty(2025, 5, 9, 10),
        end=almaty(2025, 5, 9, 14),
        slots=[],
    )
    # Feeds keep stops that ended within the last year; 2025-05-09 is older than that on
    # 2026-11-29, so read the per-exhibition feed through the builder with a wide window.
    from exhibitions import ical

    stop.exhibition = exhibition
    body = ical.stops_calendar([stop], "Test", _request())
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2025, 5, 9, 5, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime.datetime(2025, 5, 9, 9, tzinfo=UTC)
    raw = body.decode()
    assert "DTSTART;TZID=Asia/Almaty:20250509T100000" in raw
    assert str(event["UID"]) == f"stop-{stop.pk}@{DOMAIN}"


def _request():
    from django.test import RequestFactory

    return RequestFactory().get("/", HTTP_HOST="localhost")


def test_vtimezone_carries_the_2024_change_to_utc_plus_5(public):
    exhibition = make_exhibition()
    make_stop(exhibition, start=local_day(10, 9), end=local_day(10, 17), slots=[])
    response, calendar = fetch(public, reverse("calendar_all"))
    raw = response.content.decode()
    assert "TZID:Asia/Almaty" in raw
    assert "UTC+05:00" not in raw and "TZID=+05" not in raw
    (zone,) = calendar.walk("VTIMEZONE")
    transitions = {
        (sub.decoded("DTSTART"), sub["TZOFFSETFROM"].td, sub["TZOFFSETTO"].td)
        for sub in zone.subcomponents
    }
    assert (
        datetime.datetime(2024, 3, 1, 0, 0),
        datetime.timedelta(hours=6),
        datetime.timedelta(hours=5),
    ) in transitions


def test_all_day_stop_uses_dates_with_exclusive_end(public):
    exhibition = make_exhibition()
    stop = make_stop(
        exhibition, start=local_day(20, 0), end=local_day(23, 0), all_day=True, slots=[]
    )
    _, calendar = fetch(public, reverse("calendar_all"))
    event = events_by_uid(calendar)[f"stop-{stop.pk}@{DOMAIN}"]
    first = local_day(20).date()
    assert event.decoded("DTSTART") == first
    assert event.decoded("DTEND") == first + datetime.timedelta(days=4)  # last day 23 + 1
    assert type(event.decoded("DTSTART")) is datetime.date  # VALUE=DATE, not a datetime


def test_never_floating_times(public):
    exhibition = make_exhibition()
    make_stop(exhibition, slots=[])
    response, calendar = fetch(public, reverse("calendar_all"))
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            value = event.decoded(name)
            if isinstance(value, datetime.datetime):
                assert value.tzinfo is not None, f"{name} is floating"
    in_event = False
    for line in response.content.decode().splitlines():
        in_event = {"BEGIN:VEVENT": True, "END:VEVENT": False}.get(line, in_event)
        if in_event and line.startswith(("DTSTART", "DTEND")) and "VALUE=DATE" not in line:
            assert "TZID=Asia/Almaty" in line or line.endswith("Z"), line


def test_uids_unique_and_stable_and_dtstamp_stable(public):
    exhibition = make_exhibition()
    stops = [make_stop(exhibition, start=local_day(d, 10), slots=[]) for d in (5, 6, 7)]
    first, calendar = fetch(public, reverse("calendar_all"))
    second, _ = fetch(public, reverse("calendar_all"))
    assert first.content == second.content  # nothing changed: byte-identical
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert {f"stop-{stop.pk}@{DOMAIN}" for stop in stops} <= set(uids)


def test_sequence_grows_when_a_stop_changes_and_never_goes_back(public):
    exhibition = make_exhibition()
    stop = make_stop(exhibition, slots=[])
    uid = f"stop-{stop.pk}@{DOMAIN}"
    _, calendar = fetch(public, reverse("calendar_all"))
    before = events_by_uid(calendar)[uid]
    assert before["SEQUENCE"] == 0

    first_revision = stop.latest_revision
    stop.start += datetime.timedelta(hours=1)
    stop.save_revision().publish()
    _, calendar = fetch(public, reverse("calendar_all"))
    after = events_by_uid(calendar)[uid]
    assert after["SEQUENCE"] == 1
    assert after.decoded("DTSTAMP") >= before.decoded("DTSTAMP")

    # Publishing the old revision again (a revert) is another change: the sequence grows.
    first_revision.publish()
    _, calendar = fetch(public, reverse("calendar_all"))
    assert events_by_uid(calendar)[uid]["SEQUENCE"] == 2

    # Saving with nothing a calendar shows changed keeps the sequence.
    stop = ExhibitionStopPage.objects.get(pk=stop.pk)
    stop.accessibility = "Step-free entrance."
    stop.save_revision().publish()
    _, calendar = fetch(public, reverse("calendar_all"))
    assert events_by_uid(calendar)[uid]["SEQUENCE"] == 2


def test_cancelled_stop_stays_in_the_feed_as_cancelled(public):
    exhibition = make_exhibition()
    stop = make_stop(exhibition, slots=[])
    stop.status = StopStatus.CANCELLED
    stop.status_reason = "The hall is closed for repairs."
    stop.save_revision().publish()
    _, calendar = fetch(public, reverse("calendar_all"))
    event = events_by_uid(calendar)[f"stop-{stop.pk}@{DOMAIN}"]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "The hall is closed for repairs." in str(event["DESCRIPTION"])


def test_feeds_per_exhibition_region_and_settlement(public):
    first = make_exhibition(title="First exhibition")
    second = make_exhibition(title="Second exhibition")
    almaty_stop = make_stop(first, slots=[])
    astana = seed_settlement("Astana", "KZ-71")
    astana_stop = make_stop(second, settlement=astana, slots=[])

    def uids(url):
        return set(events_by_uid(fetch(public, url)[1]))

    assert uids(reverse("calendar_exhibition", args=[first.pk])) == {
        f"stop-{almaty_stop.pk}@{DOMAIN}"
    }
    assert f"stop-{astana_stop.pk}@{DOMAIN}" in uids(reverse("calendar_region", args=["kz-71"]))
    assert f"stop-{almaty_stop.pk}@{DOMAIN}" not in uids(reverse("calendar_region", args=["kz-71"]))
    assert uids(reverse("calendar_settlement", args=[astana.pk])) >= {
        f"stop-{astana_stop.pk}@{DOMAIN}"
    }
    response = public.get(reverse("calendar_region", args=["kz-71"]))
    assert response["Content-Disposition"] == 'inline; filename="exhibition-kz-71.ics"'


def test_unknown_feed_is_404_not_500(public):
    assert public.get(reverse("calendar_region", args=["kz-00"])).status_code == 404
    assert public.get(reverse("calendar_exhibition", args=[999999])).status_code == 404
    assert public.get(reverse("calendar_settlement", args=[999999])).status_code == 404
    assert public.post(reverse("calendar_all")).status_code == 405


def test_drafts_and_unpublished_exhibitions_stay_out_of_feeds(public):
    live = make_exhibition()
    hidden = make_exhibition()
    draft_stop = make_stop(live, live=False, slots=[])
    hidden_stop = make_stop(hidden, slots=[])
    hidden.unpublish()
    uids = set(events_by_uid(fetch(public, reverse("calendar_all"))[1]))
    assert f"stop-{draft_stop.pk}@{DOMAIN}" not in uids
    assert f"stop-{hidden_stop.pk}@{DOMAIN}" not in uids
    assert public.get(reverse("calendar_exhibition", args=[hidden.pk])).status_code == 404


def test_subscribe_links_use_webcal(public):
    exhibition = make_exhibition()
    make_stop(exhibition, slots=[])
    response = public.get(exhibition.url)
    html = response.content.decode()
    assert f'href="webcal://testserver/en/calendar/exhibition/{exhibition.pk}.ics"' in html


def test_feed_links_use_the_host_the_feed_was_fetched_from(public):
    exhibition = make_exhibition()
    stop = make_stop(exhibition, slots=[])
    response = public.get(reverse("calendar_all"), HTTP_HOST="heroes.example.kz")
    event = events_by_uid(Calendar.from_ical(response.content))[f"stop-{stop.pk}@{DOMAIN}"]
    assert str(event["URL"]) == f"http://heroes.example.kz{stop.url}"


def test_head_works_and_huge_ids_are_404(public):
    assert public.head(reverse("calendar_all")).status_code == 200
    assert public.get("/en/calendar/exhibition/9223372036854775808.ics").status_code == 404
    assert public.get("/en/calendar/settlement/99999999999999999999.ics").status_code == 404


def test_an_empty_feed_is_still_a_valid_calendar(public):
    response, calendar = fetch(public, reverse("calendar_region", args=["kz-10"]))
    assert calendar.walk("VEVENT") == []
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Almaty"
