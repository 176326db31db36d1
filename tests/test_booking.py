"""Class-visit booking: the happy path, full slots, abuse guards, the signed cancel link,
concurrent requests for the last places, emails, and retention."""

import datetime
import re
import threading

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from icalendar import Calendar
from wagtail.models import Page

from exhibitions import ical
from exhibitions.models import StopStatus, VisitBooking, VisitSlot
from exhibitions.notifications import booking_from_token, cancel_token
from heroes.models import HeroPage

from .conftest import SEED_DIR
from .exhibition_factories import local_day, make_booking, make_exhibition, make_stop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides):
    return {
        "school": "School-gymnasium No. 56",
        "contact_name": "Aigerim Sadykova",
        "email": "a.sadykova@example.kz",
        "phone": "+7 701 234 56 78",
        "grade": "8",
        "pupils": "25",
        "adults": "2",
        "language": "kk",
        "special_needs": "One pupil uses a wheelchair.",
        "consent": "on",
        "website": "",
        **overrides,
    }


def ics_attachment(message):
    """``(file name, Content-Type header, parsed Calendar)`` of an email's .ics part."""
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return (
        part.get_filename(),
        part["Content-Type"],
        Calendar.from_ical(part.get_payload(decode=True)),
    )


def visit_booking(path):
    """The booking a ``/visits/<token>/`` path names (None for a bad token)."""
    token = path.removeprefix("/visits/").strip("/")
    return booking_from_token(token)


def book_url(stop, slot):
    return f"{stop.url}book/{slot.pk}/"


@pytest.fixture
def stop():
    exhibition = make_exhibition(title="Heroes of Moscow 1941")
    return make_stop(
        exhibition,
        venue="Central State Museum",
        slots=[(local_day(7, 10), local_day(7, 11), 30)],
    )


def test_happy_path_books_confirms_and_emails_with_ics(
    stop, public, django_capture_on_commit_callbacks
):
    slot = stop.slots.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(book_url(stop, slot), form_data())
    assert response.status_code == 302
    booking = VisitBooking.objects.get(slot=slot)
    assert (booking.school, booking.pupils, booking.adults, booking.status) == (
        "School-gymnasium No. 56",
        25,
        2,
        "confirmed",
    )
    # Tokens carry the second they were signed in: compare what they name.
    assert visit_booking(response["Location"]) == booking

    (message,) = mail.outbox
    assert message.to == ["a.sadykova@example.kz"]
    assert booking.reference in message.subject
    assert "Central State Museum" in message.body
    assert "10:00–11:00" in message.body
    assert visit_booking(re.search(r"/visits/[^/\s]+/", message.body)[0]) == booking
    name, content_type, calendar = ics_attachment(message)
    assert name == f"visit-{booking.reference}.ics"
    assert content_type == 'text/calendar; charset="utf-8"; method="PUBLISH"'
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == local_day(7, 10)
    assert event["STATUS"] == "CONFIRMED"

    detail = public.get(response["Location"])
    assert detail.status_code == 200
    assert booking.reference in detail.content.decode()
    assert "no-store" in detail["Cache-Control"]
    assert detail["X-Robots-Tag"] == "noindex"

    page = public.get(stop.url).content.decode()
    assert "3 of 30" in page  # 30 - 27 visitors


def test_full_slot_is_refused_with_a_clear_message(stop, public):
    slot = stop.slots.get()
    make_booking(slot, pupils=25, adults=2)
    response = public.post(book_url(stop, slot), form_data(pupils="5", adults="1"))
    assert response.status_code == 409
    assert "Only 3 places are left in this slot" in response.content.decode()
    assert VisitBooking.objects.filter(slot=slot).count() == 1

    make_booking(slot, pupils=3, adults=0)
    response = public.post(book_url(stop, slot), form_data(pupils="1", adults="0", email="b@a.kz"))
    assert "This slot is full" in response.content.decode()
    assert "Full" in public.get(stop.url).content.decode()


def test_cancelled_bookings_free_their_places(stop, public):
    slot = stop.slots.get()
    make_booking(slot, pupils=28, adults=2).cancel(VisitBooking.CancelledBy.BOOKER)
    response = public.post(book_url(stop, slot), form_data(pupils="28", adults="2"))
    assert response.status_code == 302


def test_invalid_fields_are_named_and_nothing_is_saved(stop, public):
    slot = stop.slots.get()
    response = public.post(
        book_url(stop, slot),
        form_data(email="not-an-email", phone="12", pupils="0", language="de", consent=""),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"email", "phone", "pupils", "language", "consent"}
    assert not VisitBooking.objects.exists()


def test_honeypot_refuses_bots(stop, public):
    response = public.post(book_url(stop, stop.slots.get()), form_data(website="http://spam"))
    assert response.status_code == 400
    assert not VisitBooking.objects.exists()


def test_csrf_is_enforced(stop):
    client = Client(enforce_csrf_checks=True)
    response = client.post(book_url(stop, stop.slots.get()), form_data())
    assert response.status_code == 403
    assert not VisitBooking.objects.exists()


def test_rate_limit_per_client_address(stop, public, settings):
    settings.VISIT_BOOKING_RATE = "3/h"
    slot = stop.slots.get()
    for n in range(3):
        public.post(book_url(stop, slot), form_data(pupils="1", adults="0", email=f"t{n}@a.kz"))
    assert VisitBooking.objects.count() == 3
    response = public.post(book_url(stop, slot), form_data(pupils="1", adults="0", email="x@a.kz"))
    assert response.status_code == 429
    assert "Too many bookings" in response.content.decode()
    assert VisitBooking.objects.count() == 3
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(book_url(stop, slot), form_data(pupils="1", adults="0")).status_code == 302


def test_past_slot_and_cancelled_stop_cannot_be_booked(public):
    exhibition = make_exhibition()
    past = make_stop(
        exhibition,
        start=local_day(-3, 10),
        end=local_day(-1, 18),
        slots=[(local_day(-3, 10), local_day(-3, 11), 30)],
    )
    response = public.post(book_url(past, past.slots.get()), form_data())
    assert "already begun" in response.content.decode()
    cancelled = make_stop(exhibition, status=StopStatus.CANCELLED, status_reason="Flooding.")
    response = public.post(book_url(cancelled, cancelled.slots.get()), form_data())
    assert "cannot be booked" in response.content.decode()
    assert not VisitBooking.objects.exists()


def test_unknown_slot_is_404(stop, public):
    other = make_stop(make_exhibition())
    assert public.get(book_url(stop, other.slots.get())).status_code == 404
    assert public.get(f"{stop.url}book/99999999/").status_code == 404


def test_signed_link_cancels_and_emails(stop, public, django_capture_on_commit_callbacks):
    booking = make_booking(stop.slots.get(), email="teacher@example.kz")
    url = f"/visits/{cancel_token(booking)}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", "booker")
    (message,) = mail.outbox
    assert message.to == ["teacher@example.kz"]
    name, content_type, calendar = ics_attachment(message)
    assert content_type.endswith('method="CANCEL"') and calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == f"visit-{booking.reference}@{ical.uid_domain()}"
    assert event["SEQUENCE"] >= 1
    # A second POST changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        public.post(url)
    assert len(mail.outbox) == 1


def test_forged_or_mangled_cancel_link_is_404(stop, public):
    booking = make_booking(stop.slots.get())
    token = cancel_token(booking)
    assert public.get(f"/visits/{token[:-2]}xx/").status_code == 404
    assert public.post(f"/visits/{token[:-2]}xx/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_cancelling_a_stop_cancels_bookings_and_emails_bookers(
    stop, django_capture_on_commit_callbacks
):
    slot = stop.slots.get()
    first = make_booking(slot, email="one@example.kz")
    second = make_booking(slot, email="two@example.kz")
    already = make_booking(slot, email="gone@example.kz")
    already.cancel(VisitBooking.CancelledBy.BOOKER)
    stop.status = StopStatus.CANCELLED
    stop.status_reason = "The museum is closed for repairs."
    with django_capture_on_commit_callbacks(execute=True):
        stop.save_revision().publish()
    for booking in (first, second):
        booking.refresh_from_db()
        assert (booking.status, booking.cancelled_by) == ("cancelled", "stop")
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.kz", "two@example.kz"]
    assert "The museum is closed for repairs." in mail.outbox[0].body
    assert VisitSlot.objects.filter(pk=slot.pk).exists()


def test_moving_a_booked_slot_emails_its_bookers(stop, django_capture_on_commit_callbacks):
    slot = stop.slots.get()
    make_booking(slot, email="one@example.kz")
    page = stop.specific
    moved = page.slots.all()[0]
    moved.start += datetime.timedelta(hours=2)
    moved.end += datetime.timedelta(hours=2)
    page.slots = [moved]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    (message,) = mail.outbox
    assert message.to == ["one@example.kz"]
    assert "12:00–13:00" in message.body


def test_publishing_a_revision_without_the_booked_slot_keeps_it(stop):
    slot = stop.slots.get()
    booking = make_booking(slot)
    page = stop.specific
    page.slots = []  # an editor's draft that drops the slot
    page.save_revision().publish()
    assert VisitSlot.objects.filter(pk=slot.pk, page=stop).exists()
    assert VisitBooking.objects.get(pk=booking.pk).slot_id == slot.pk


def test_reverting_to_a_revision_before_the_slot_keeps_slot_and_bookings(stop):
    page = stop.specific
    page.slots = []
    empty_revision = page.save_revision()  # a draft with no slot, never published
    page = type(page).objects.get(pk=page.pk)
    bookings = [make_booking(page.slots.get()) for _ in range(3)]
    empty_revision.publish()  # as the admin's revert-and-publish does
    assert (
        list(
            VisitBooking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
                "slot_id", flat=True
            )
        )
        == [bookings[0].slot_id] * 3
    )
    assert VisitSlot.objects.filter(pk=bookings[0].slot_id, page=stop).exists()


def test_purge_deletes_only_bookings_older_than_the_retention(settings):
    exhibition = make_exhibition()
    old_stop = make_stop(
        exhibition,
        start=local_day(-100, 10),
        end=local_day(-99, 18),
        slots=[(local_day(-100, 10), local_day(-100, 11), 30)],
    )
    recent_stop = make_stop(
        exhibition,
        start=local_day(-10, 10),
        end=local_day(-9, 18),
        slots=[(local_day(-10, 10), local_day(-10, 11), 30)],
    )
    old = make_booking(old_stop.slots.get())
    recent = make_booking(recent_stop.slots.get())
    call_command("purge_visit_bookings", "--dry-run", verbosity=0)
    assert VisitBooking.objects.count() == 2
    settings.VISIT_BOOKING_RETENTION_DAYS = 90
    call_command("purge_visit_bookings", verbosity=0)
    assert not VisitBooking.objects.filter(pk=old.pk).exists()
    assert VisitBooking.objects.filter(pk=recent.pk).exists()
    call_command("purge_visit_bookings", "--days", "5", verbosity=0)
    assert not VisitBooking.objects.exists()


def test_no_personal_data_in_public_output(stop, public):
    booking = make_booking(
        stop.slots.get(),
        school="Secret school No. 99",
        contact_name="Zhanar Bekova",
        email="zhanar.bekova@example.kz",
        phone="+7 777 000 11 22",
        special_needs="Pupil with epilepsy",
    )
    from django.urls import reverse

    exhibition = stop.get_parent()
    index = exhibition.get_parent()
    urls = [
        index.url,
        f"{index.url}past/",
        f"{index.url}region/KZ-75/",
        exhibition.url,
        stop.url,
        book_url(stop, stop.slots.get()),
        reverse("calendar_all"),
        reverse("calendar_exhibition", args=[exhibition.pk]),
        reverse("calendar_region", args=["kz-75"]),
        reverse("calendar_settlement", args=[stop.settlement_id]),
        "/sitemap.xml",
        "/en/search/?q=Bekova",
        "/en/search/?q=Secret",
    ]
    for url in urls:
        response = public.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for value in (
            booking.school,
            booking.contact_name,
            booking.email,
            booking.phone,
            booking.special_needs,
            booking.reference,
        ):
            assert value not in body, (url, value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_requests_for_the_last_places_never_overbook():
    """12 classes of 5 visitors ask at once for a slot with 30 places: exactly 6 get in."""
    # Real transactions (each thread has its own connection); an earlier transactional
    # test may have emptied the tables, leaving only the rows the migrations made.
    if not HeroPage.objects.exists():
        call_command("import_catalog", str(SEED_DIR), verbosity=0)
    else:
        Page.fix_tree(fix_paths=False)
    exhibition = make_exhibition()
    stop = make_stop(exhibition, slots=[(local_day(9, 10), local_day(9, 11), 30)])
    slot = stop.slots.get()
    url = book_url(stop, slot)
    barrier = threading.Barrier(12)
    statuses = []

    def request(n):
        try:
            client = Client(REMOTE_ADDR=f"10.0.0.{n}")
            barrier.wait()
            response = client.post(url, form_data(pupils="4", adults="1", email=f"t{n}@example.kz"))
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] * 6 + [409] * 6
    assert VisitBooking.objects.filter(slot=slot).count() == 6
    assert sum(b.visitors for b in VisitBooking.objects.filter(slot=slot)) == 30


def test_a_double_submit_books_once(stop, public):
    slot = stop.slots.get()
    assert public.post(book_url(stop, slot), form_data(pupils="10")).status_code == 302
    response = public.post(
        book_url(stop, slot), form_data(pupils="10", email="A.Sadykova@example.kz")
    )
    assert response.status_code == 409
    reference = VisitBooking.objects.get(slot=slot).reference
    assert f"already has a booking for this slot (reference {reference})" in (
        response.content.decode()
    )


def test_a_stop_cancelled_while_the_form_is_filled_is_not_booked(stop):
    """The view saw a scheduled stop; by the time the lock is taken it is cancelled."""
    from exhibitions.models import ExhibitionStopPage
    from exhibitions.views import BookingRefused, VisitBookingForm, book

    form = VisitBookingForm(form_data(), retention_days=90)
    assert form.is_valid(), form.errors
    ExhibitionStopPage.objects.filter(pk=stop.pk).update(status=StopStatus.CANCELLED)
    with pytest.raises(BookingRefused, match="cancelled: it cannot be booked"):
        book(stop.slots.get().pk, form)
    assert not VisitBooking.objects.exists()


def test_concurrent_cancels_send_one_email(stop, django_capture_on_commit_callbacks):
    booking = make_booking(stop.slots.get())
    twin = VisitBooking.objects.get(pk=booking.pk)  # another request's copy
    assert booking.cancel(VisitBooking.CancelledBy.BOOKER) is True
    assert twin.cancel(VisitBooking.CancelledBy.STAFF) is False
    twin.refresh_from_db()
    assert (twin.status, twin.cancelled_by) == ("cancelled", "booker")


def test_a_visit_that_has_begun_cannot_be_cancelled_by_link(public):
    exhibition = make_exhibition()
    past = make_stop(
        exhibition,
        start=local_day(-2, 10),
        end=local_day(-1, 18),
        slots=[(local_day(-2, 10), local_day(-2, 11), 30)],
    )
    booking = make_booking(past.slots.get())
    public.post(f"/visits/{cancel_token(booking)}/")
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_revision_cannot_shrink_a_booked_slot_below_its_bookings(stop):
    slot = stop.slots.get()
    make_booking(slot, pupils=20, adults=2)
    page = stop.specific
    shrunk = page.slots.all()[0]
    shrunk.capacity = 5  # e.g. a draft made before the class booked, approved later
    page.slots = [shrunk]
    page.save_revision().publish()
    assert VisitSlot.objects.get(pk=slot.pk).capacity == 22


def test_each_email_about_a_visit_raises_its_calendar_sequence(
    stop, public, django_capture_on_commit_callbacks
):
    slot = stop.slots.get()
    with django_capture_on_commit_callbacks(execute=True):
        public.post(book_url(stop, slot), form_data())
    booking = VisitBooking.objects.get(slot=slot)
    page = stop.specific
    moved = page.slots.all()[0]
    moved.start += datetime.timedelta(hours=1)
    moved.end += datetime.timedelta(hours=1)
    page.slots = [moved]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        public.post(f"/visits/{cancel_token(booking)}/")
    sequences = [ics_attachment(m)[2].walk("VEVENT")[0]["SEQUENCE"] for m in mail.outbox]
    methods = [ics_attachment(m)[2]["METHOD"] for m in mail.outbox]
    assert sequences == [0, 1, 2]
    assert methods == ["PUBLISH", "PUBLISH", "CANCEL"]


def test_sample_note_in_every_email_about_a_sample_stop(django_capture_on_commit_callbacks):
    stop = make_stop(make_exhibition(is_sample=True))
    booking = make_booking(stop.slots.get())
    from exhibitions.notifications import send_later

    with django_capture_on_commit_callbacks(execute=True):
        send_later(booking, "confirmation", "Booked")
        send_later(booking, "changed", "Changed")
        send_later(booking, "cancelled", "Cancelled")
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert "this is a sample schedule" in message.body, message.subject


def test_privacy_cannot_hide_a_stop_or_exhibition_with_upcoming_bookings(stop, superuser):
    from wagtail.models import PageViewRestriction

    from .admin_helpers import client_for

    client = client_for(superuser)
    exhibition = stop.get_parent()
    free_stop = make_stop(make_exhibition())
    make_booking(stop.slots.get())
    for page in (stop, exhibition, free_stop):
        client.post(
            f"/admin/pages/{page.pk}/privacy/",
            {"restriction_type": "password", "password": "secret-123"},
        )
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    assert restricted == {free_stop.pk}  # the unbooked stop can still be made private


@pytest.mark.parametrize(
    "language, title, venue",
    [("kk", "Мәскеу батырлары", "Орталық музей"), ("ru", "Герои Москвы", "Центральный музей")],
)
def test_email_and_its_ics_are_in_the_language_of_the_booking(
    stop, public, django_capture_on_commit_callbacks, settings, language, title, venue
):
    from django.utils import translation

    from heroes.i18n import translate_page

    translate_page(stop.exhibition, language, {"title": title})
    version = translate_page(stop, language, {"venue": venue})
    slot = stop.slots.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(f"{version.url}book/{slot.pk}/", form_data())
    assert response.status_code == 302
    (message,) = mail.outbox
    with translation.override(language):
        site_name = translation.gettext("Heroes and their streets")
    assert site_name != "Heroes and their streets"
    assert title in message.body and venue in message.body
    assert "Heroes of Moscow 1941" not in message.body
    assert "Central State Museum" not in message.body
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert f"{base}/{language}/exhibition/" in message.body
    assert "/en/" not in message.body
    assert site_name in message.body
    _name, _type, calendar = ics_attachment(message)
    (event,) = calendar.walk("VEVENT")
    assert title in str(event["SUMMARY"]) and venue in str(event["LOCATION"])
    assert str(event["URL"]).startswith(f"{base}/{language}/exhibition/")
    assert str(calendar["X-WR-CALNAME"]) == title
    assert str(event["ORGANIZER"].params["CN"]) == site_name


def test_feed_names_are_in_the_readers_language(stop, public):
    from django.utils import translation

    with translation.override("kk"):
        expected = translation.gettext("%(site)s: exhibition stops") % {
            "site": translation.gettext("Heroes and their streets")
        }
    calendar = Calendar.from_ical(public.get("/kk/calendar/exhibition-stops.ics").content)
    assert str(calendar["X-WR-CALNAME"]) == expected
    assert "Heroes and their streets" not in expected


def test_the_visit_page_has_no_language_alternates_nor_switcher_and_is_noindex(stop, public):
    booking = make_booking(stop.slots.get(), email_language="kk")
    response = public.get(f"/visits/{cancel_token(booking)}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert booking.reference in html
    assert 'rel="alternate"' not in html and "hreflang=" not in html
    assert "language-switcher" not in html  # it is in the booking's language only
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_rate_limit_counts_only_bookings_made(stop, public, settings):
    """Forms sent back with errors (a teacher correcting a field) do not use up the
    client address's bookings; only bookings made do."""
    settings.VISIT_BOOKING_RATE = "3/h"
    slot = stop.slots.get()
    url = book_url(stop, slot)
    assert public.post(url, form_data(pupils="1", adults="0", email="a@a.kz")).status_code == 302
    for _n in range(9):
        assert public.post(url, form_data(pupils="0", email="bad")).status_code == 400
    for n in range(2):
        response = public.post(url, form_data(pupils="1", adults="0", email=f"b{n}@a.kz"))
        assert response.status_code == 302
    assert VisitBooking.objects.count() == 3
    response = public.post(url, form_data(pupils="1", adults="0", email="c@a.kz"))
    assert response.status_code == 429
    assert VisitBooking.objects.count() == 3
