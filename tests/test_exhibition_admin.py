"""The exhibition admin, through the real Wagtail views.

- "Class visits" (the VisitBooking viewset): only superusers and the "Exhibition
  staff" group see bookings (personal data); staff list, filter, search, export CSV
  and XLSX, add a note and cancel (the booker is emailed once); nobody adds a booking,
  only users with the delete permission delete one.
- Editing never loses bookings: deleting or unpublishing a booked stop (or a page
  above it), singly or in bulk, is refused; reverting, editing, reordering, approving
  and scheduled publishing keep every booked slot and every booking.
"""

import csv
import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, WorkflowState

from exhibitions.models import ExhibitionIndexPage, ExhibitionStopPage, VisitBooking, VisitSlot

from .admin_helpers import (
    client_for,
    edit_url,
    form_errors,
    fresh,
    get_edit_form,
    make_user,
    submit_edit_form,
    workflow_action_url,
)
from .exhibition_factories import (
    ALMATY,
    index_page,
    local_day,
    make_booking,
    make_exhibition,
    make_stop,
    seed_settlement,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
INDEX = reverse("class_visits:index")


def booking_url(name, booking):
    return reverse(f"class_visits:{name}", args=(booking.pk,))


@pytest.fixture
def staff():
    return make_user("guide", "Exhibition staff")


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def superuser_client(superuser):
    return client_for(superuser)


@pytest.fixture
def tour():
    """Two exhibitions; a stop in Almaty with two slots and two bookings, a stop in
    Shymkent with a cancelled booking. Times are local (Asia/Almaty), next week."""
    moscow = make_exhibition(title="Battle of Moscow", slug="battle-of-moscow")
    legacy = make_exhibition(title="Legacy of the Front", slug="legacy-of-the-front")
    start = local_day(7, 10)
    almaty = make_stop(
        moscow,
        title="Almaty stop",
        slug="almaty-stop",
        start=start,
        slots=[(start, start + HOUR, 30), (start + 2 * HOUR, start + 3 * HOUR, 25)],
    )
    early, late = almaty.slots.order_by("sort_order")
    taraz_start = local_day(10, 11)
    taraz = make_stop(
        legacy,
        settlement=seed_settlement("Shymkent"),
        title="Shymkent stop",
        slug="shymkent-stop",
        start=taraz_start,
        slots=[(taraz_start, taraz_start + HOUR, 40)],
    )
    kk = make_booking(
        early,
        school="Gymnasium No. 56",
        contact_name="Aigerim Sadykova",
        email="aigerim@example.kz",
        pupils=20,
        adults=2,
        language="kk",
    )
    ru = make_booking(
        late,
        school="School No. 12",
        contact_name="Olga Petrova",
        email="olga@example.kz",
        pupils=10,
        adults=1,
        language="ru",
    )
    gone = make_booking(
        taraz.slots.get(),
        school="Aul school Zhambyl",
        contact_name="Nurlan Omarov",
        email="nurlan@example.kz",
        language="ru",
    )
    gone.cancel(VisitBooking.CancelledBy.BOOKER)
    return SimpleNamespace(
        moscow=moscow,
        legacy=legacy,
        almaty=almaty,
        taraz=taraz,
        early=early,
        late=late,
        kk=kk,
        ru=ru,
        gone=gone,
    )


# --- Who sees bookings ----------------------------------------------------------------


def test_exhibition_staff_group_has_only_booking_permissions():
    group = Group.objects.get(name="Exhibition staff")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("wagtailadmin", "access_admin"),
        ("exhibitions", "view_visitbooking"),
        ("exhibitions", "change_visitbooking"),
    }
    assert not group.page_permissions.exists()
    for name in ("Editors", "Moderators"):
        codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        assert not [c for c in codenames if c.endswith("visitbooking")], name


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator"])
def test_editors_moderators_and_anonymous_never_see_bookings(role, tour):
    user = None if role == "anonymous" else make_user(role, role.capitalize() + "s")
    client = client_for(user)
    urls = [
        INDEX,
        INDEX + "?export=csv",
        INDEX + "?export=xlsx",
        reverse("class_visits:index_results"),
        booking_url("edit", tour.kk),
        booking_url("inspect", tour.kk),
        booking_url("history", tour.kk),
        booking_url("delete", tour.kk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"] or response["Location"] == "/admin/"
        body = response.content.decode(errors="replace")
        assert tour.kk.reference not in body and "aigerim@example.kz" not in body, url
    # Nor can they change one.
    response = client.post(booking_url("edit", tour.kk), {"status": "cancelled"})
    assert response.status_code in (302, 403)
    assert VisitBooking.objects.get(pk=tour.kk.pk).status == VisitBooking.Status.CONFIRMED
    if user is not None:  # no menu item, no dashboard panel
        home = client.get("/admin/").content.decode()
        assert INDEX not in home and "Upcoming class visits" not in home


def test_staff_and_superusers_see_bookings(staff_client, superuser_client, tour):
    for client in (staff_client, superuser_client):
        assert listed(client) == {tour.kk.reference, tour.ru.reference, tour.gone.reference}
        html = client.get(booking_url("inspect", tour.kk)).content.decode()
        assert "aigerim@example.kz" in html and "+7 701 234 56 78" in html


def test_listing_queries_do_not_grow_with_bookings(staff_client, tour):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(INDEX).status_code == 200
        return len(captured)

    before = queries()
    stop = make_stop(tour.legacy, title="Another stop", slug="another-stop")
    for _ in range(5):
        make_booking(stop.slots.get(), pupils=1)
    assert queries() == before


def test_staff_see_the_menu_item_and_the_upcoming_visits_panel(staff_client, tour):
    home = staff_client.get("/admin/").content.decode()
    assert INDEX in home and "Class visits" in home
    assert "Upcoming class visits" in home
    assert "Almaty stop" in home and "Shymkent stop" not in home  # Shymkent: only a cancelled one
    assert f"?stop={tour.almaty.pk}&amp;status=confirmed" in home


# --- Listing, filters, search ---------------------------------------------------------


def listed(client, query=None):
    """References of the bookings the listing shows for GET ``query``."""
    response = client.get(INDEX, query or {})
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return {b.reference for b in VisitBooking.objects.all() if b.reference in html}


def test_staff_listing_shows_the_columns(staff_client, tour):
    html = re.sub(r"\s+", " ", staff_client.get(INDEX).content.decode())
    for heading in ("Reference", "School", "Slot", "Visitors", "Tour language", "Status"):
        assert heading in html
    assert "Booked at" in html
    start = timezone.localtime(tour.early.start)
    assert f"Almaty stop · {start:%Y-%m-%d} 10:00–11:00" in html  # local time
    assert "Gymnasium No. 56" in html and "> 22 <" in html  # 20 pupils + 2 adults
    assert "Kazakh" in html and "confirmed" in html and "cancelled" in html
    # Not in the listing: contact data (only in the booking itself).
    assert "aigerim@example.kz" not in html


def test_filters_and_search(staff_client, tour):
    everyone = {tour.kk.reference, tour.ru.reference, tour.gone.reference}
    assert listed(staff_client) == everyone
    assert listed(staff_client, {"status": "cancelled"}) == {tour.gone.reference}
    assert listed(staff_client, {"status": "confirmed"}) == {tour.kk.reference, tour.ru.reference}
    assert listed(staff_client, {"language": "ru"}) == {tour.ru.reference, tour.gone.reference}
    assert listed(staff_client, {"exhibition": tour.moscow.pk}) == {
        tour.kk.reference,
        tour.ru.reference,
    }
    assert listed(staff_client, {"stop": tour.taraz.pk}) == {tour.gone.reference}
    day = timezone.localtime(tour.early.start).date()
    assert listed(
        staff_client, {"slot_date_from": day.isoformat(), "slot_date_to": day.isoformat()}
    ) == {tour.kk.reference, tour.ru.reference}
    after = (day + datetime.timedelta(days=1)).isoformat()
    assert listed(staff_client, {"slot_date_from": after}) == {tour.gone.reference}
    # Search: reference, school, contact person, email.
    assert listed(staff_client, {"q": tour.ru.reference}) == {tour.ru.reference}
    assert listed(staff_client, {"q": "Gymnasium"}) == {tour.kk.reference}
    assert listed(staff_client, {"q": "Omarov"}) == {tour.gone.reference}
    assert listed(staff_client, {"q": "olga@example"}) == {tour.ru.reference}
    # Bad filter values never give a 500 (listed() asserts 200).
    for bad in ({"status": "bogus"}, {"stop": "999999"}, {"exhibition": "x"}):
        listed(staff_client, bad)
    listed(staff_client, {"slot_date_from": "2025-13-45"})


@pytest.mark.parametrize("name", ["stop", "exhibition"])
@pytest.mark.parametrize(
    "value",
    ["99999999999999999999", "9223372036854775808", "2147483648", "-9223372036854775809", "0"],
)
def test_out_of_range_ids_are_invalid_filter_values(staff_client, tour, name, value):
    """Ids no database column holds are ignored like any invalid value (no 500), in
    the listing, its results (AJAX) and the export."""
    everyone = {tour.kk.reference, tour.ru.reference, tour.gone.reference}
    assert listed(staff_client, {name: value}) == everyone
    response = staff_client.get(reverse("class_visits:index_results"), {name: value})
    assert response.status_code == 200
    assert len(export_csv(staff_client, {name: value})) == 4


@pytest.mark.parametrize(
    "query",
    [
        {"slot_date_from": "0001-01-01"},
        {"slot_date_to": "0001-01-01"},
        {"slot_date_from": "9999-12-31", "slot_date_to": "9999-12-31"},
    ],
)
def test_extreme_visit_dates_do_not_fail(staff_client, tour, query):
    listed(staff_client, query)
    export_csv(staff_client, query)


# --- Export ---------------------------------------------------------------------------

CSV_HEADER = [
    "Reference",
    "Status",
    "Exhibition",
    "Stop",
    "Venue",
    "Settlement",
    "Visit start",
    "Visit end",
    "School",
    "Contact person",
    "Email",
    "Phone",
    "Grade",
    "Pupils",
    "Accompanying adults",
    "Visitors",
    "Tour language",
    "Special needs",
    "Booked at",
    "Cancelled by",
    "Cancelled at",
    "Staff note",
]


def export_csv(client, query=None):
    response = client.get(INDEX, {**(query or {}), "export": "csv"})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="class-visits.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # a UTF-8 BOM: Excel on Windows reads Cyrillic
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_staff_export_the_filtered_list_as_csv(staff_client, tour):
    rows = export_csv(staff_client, {"exhibition": tour.moscow.pk, "language": "kk"})
    assert rows[0] == CSV_HEADER
    assert len(rows) == 2  # the header and the one booking the filters select
    row = dict(zip(CSV_HEADER, rows[1], strict=True))
    start = timezone.localtime(tour.early.start)
    assert row == {
        "Reference": tour.kk.reference,
        "Status": "confirmed",
        "Exhibition": "Battle of Moscow",
        "Stop": "Almaty stop",
        "Venue": "Central State Museum",
        "Settlement": "Almaty",  # the admin user's language (English), not the site's
        "Visit start": f"{start:%Y-%m-%d} 10:00",
        "Visit end": f"{start:%Y-%m-%d} 11:00",
        "School": "Gymnasium No. 56",
        "Contact person": "Aigerim Sadykova",
        "Email": "aigerim@example.kz",
        "Phone": "+7 701 234 56 78",
        "Grade": "7",
        "Pupils": "20",
        "Accompanying adults": "2",
        "Visitors": "22",
        "Tour language": "Kazakh",
        "Special needs": "",
        "Booked at": timezone.localtime(tour.kk.created_at).strftime("%Y-%m-%d %H:%M"),
        "Cancelled by": "",
        "Cancelled at": "",
        "Staff note": "",
    }
    everything = export_csv(staff_client)
    assert {r[0] for r in everything[1:]} == {
        tour.kk.reference,
        tour.ru.reference,
        tour.gone.reference,
    }
    cancelled = next(r for r in everything if r[0] == tour.gone.reference)
    assert cancelled[1] == "cancelled" and cancelled[19] == "the booker" and cancelled[20]


def test_export_defuses_spreadsheet_formulas(staff_client, tour):
    make_booking(tour.late, school='=HYPERLINK("http://evil.example","x")', special_needs="@SUM(1)")
    rows = export_csv(staff_client, {"q": "HYPERLINK"})
    row = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert row["School"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["Special needs"] == "'@SUM(1)"
    assert row["Phone"] == "+7 701 234 56 78"  # a phone number stays as it is


def test_export_quotes_every_field_and_defuses_formulas_after_a_separator(staff_client, tour):
    """Russian and Kazakh Excel split a CSV on ``;``: no part of a value after a ``;``,
    ``,``, tab or line break may start a formula either."""
    make_booking(
        tour.late,
        school="Школа 5;=cmd|' /C calc'!A0",
        contact_name="Ivanova,@SUM(A1)",
        special_needs="Ramp\t+HYPERLINK(1); -7 ;  =1+1\n-SUM(2)",
        staff_note="Call +7 701 234 56 78; or -7",
    )
    response = staff_client.get(INDEX, {"q": "Школа 5", "export": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b'\xef\xbb\xbf"Reference","Status",')
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert row["School"] == "Школа 5;'=cmd|' /C calc'!A0"
    assert row["Contact person"] == "Ivanova,'@SUM(A1)"
    assert row["Special needs"] == "Ramp\t'+HYPERLINK(1); -7 ;'  =1+1\n'-SUM(2)"
    assert row["Phone"] == "+7 701 234 56 78"
    assert row["Staff note"] == "Call +7 701 234 56 78; or -7"  # numbers stay as they are
    assert row["Pupils"] == "20"
    # Every field is quoted, numbers included.
    assert '"20","2","22"' in text
    # Read as Excel does with ";" as the separator: no cell starts a formula.
    for line in text.splitlines():
        for cell in re.split(r"[;,\t]", line):
            cell = cell.strip('" ')
            assert not re.match(r"[=+\-@]", cell) or re.fullmatch(r"[+\-]?[0-9 ()\-.]*", cell), cell


def test_staff_export_xlsx(staff_client, tour):
    openpyxl = pytest.importorskip("openpyxl")
    response = staff_client.get(INDEX, {"export": "xlsx", "status": "confirmed"})
    assert response.status_code == 200
    assert 'filename="class-visits.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == CSV_HEADER
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {tour.kk.reference, tour.ru.reference}
    start = by_reference[tour.kk.reference][6]
    assert start == timezone.localtime(tour.early.start).replace(tzinfo=None)  # local time


def test_export_xlsx_drops_control_characters(staff_client, tour):
    """A booker may type control characters, which a worksheet cannot hold (openpyxl
    refused the whole export with an error 500)."""
    openpyxl = pytest.importorskip("openpyxl")
    make_booking(tour.late, school="Школа\x0b 5", special_needs="Ramp\x01\x1f, lift\tok")
    response = staff_client.get(INDEX, {"export": "xlsx", "q": "Школа"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = dict(zip(CSV_HEADER, list(sheet.iter_rows(values_only=True))[1], strict=True))
    assert row["School"] == "Школа 5" and row["Special needs"] == "Ramp, lift\tok"
    # The CSV keeps them (a CSV can hold any character).
    rows = export_csv(staff_client, {"q": "Школа"})
    assert rows[1][CSV_HEADER.index("School")] == "Школа\x0b 5"


# --- Editing a booking: note, cancel, nothing else ------------------------------------


def test_staff_cancel_emails_the_booker_once(
    staff_client, tour, django_capture_on_commit_callbacks
):
    url = booking_url("edit", tour.kk)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_edit_form(
            staff_client, url, {"status": "cancelled", "staff_note": "Museum closed"}
        )
    assert response.status_code == 302, form_errors(response)
    booking = VisitBooking.objects.get(pk=tour.kk.pk)
    assert booking.status == VisitBooking.Status.CANCELLED
    assert booking.cancelled_by == VisitBooking.CancelledBy.STAFF
    assert booking.cancelled_at is not None
    assert booking.staff_note == "Museum closed"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aigerim@example.kz"]
    assert "Your class visit is cancelled" in message.subject
    assert tour.kk.reference in message.subject
    assert "exhibition staff have cancelled" in message.body
    assert message.attachments and message.attachments[0].get_filename().endswith(".ics")
    # Saving again (a new note) sends nothing more and keeps the cancellation.
    cancelled_at = booking.cancelled_at
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_edit_form(staff_client, url, {"staff_note": "Told by phone too"})
    assert response.status_code == 302, form_errors(response)
    booking.refresh_from_db()
    assert booking.staff_note == "Told by phone too" and booking.cancelled_at == cancelled_at
    assert len(mail.outbox) == 1
    # The other bookings are untouched.
    assert VisitBooking.objects.get(pk=tour.ru.pk).status == VisitBooking.Status.CONFIRMED


def test_a_note_alone_sends_nothing(staff_client, tour, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_edit_form(
            staff_client, booking_url("edit", tour.ru), {"staff_note": "Bus at 9:30"}
        )
    assert response.status_code == 302, form_errors(response)
    booking = VisitBooking.objects.get(pk=tour.ru.pk)
    assert booking.staff_note == "Bus at 9:30" and booking.status == "confirmed"
    assert mail.outbox == []


def test_a_cancelled_booking_is_not_confirmed_again(
    staff_client, tour, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_edit_form(
            staff_client, booking_url("edit", tour.gone), {"status": "confirmed"}
        )
    assert response.status_code == 200
    assert "cannot be confirmed again" in response.content.decode()
    booking = VisitBooking.objects.get(pk=tour.gone.pk)
    assert booking.status == "cancelled" and booking.cancelled_by == "booker"
    assert mail.outbox == []


def test_staff_cannot_change_the_bookers_data(staff_client, tour):
    response = staff_client.get(booking_url("edit", tour.kk))
    html = response.content.decode()
    assert "aigerim@example.kz" in html and "Gymnasium No. 56" in html  # shown read-only
    assert 'name="school"' not in html and 'name="pupils"' not in html
    response = submit_edit_form(
        staff_client,
        booking_url("edit", tour.kk),
        {"school": "Changed", "pupils": "99", "email": "x@example.kz", "staff_note": "n"},
    )
    assert response.status_code == 302, form_errors(response)
    booking = VisitBooking.objects.get(pk=tour.kk.pk)
    assert (booking.school, booking.pupils, booking.email) == (
        "Gymnasium No. 56",
        20,
        "aigerim@example.kz",
    )
    assert booking.staff_note == "n"


def test_nobody_adds_a_booking_in_the_admin(staff_client, superuser_client, tour):
    for client in (staff_client, superuser_client):
        assert client.get(reverse("class_visits:add")).status_code in (302, 403)
        assert 'href="/admin/class-visits/new/"' not in client.get(INDEX).content.decode()
    assert VisitBooking.objects.count() == 3


def test_only_users_with_the_delete_permission_delete_bookings(
    staff_client, superuser_client, tour
):
    response = staff_client.post(booking_url("delete", tour.gone))
    assert response.status_code in (302, 403)
    assert VisitBooking.objects.filter(pk=tour.gone.pk).exists()
    response = superuser_client.post(booking_url("delete", tour.gone))
    assert response.status_code == 302
    assert not VisitBooking.objects.filter(pk=tour.gone.pk).exists()


# --- Editing never loses bookings: delete, unpublish, move ----------------------------


def assert_kept(tour, *stops):
    """Every stop still exists (live unless said otherwise) with all its bookings."""
    for stop in stops or (tour.almaty,):
        assert ExhibitionStopPage.objects.filter(pk=stop.pk).exists()
    for booking in (tour.kk, tour.ru, tour.gone):
        kept = VisitBooking.objects.get(pk=booking.pk)
        assert kept.slot_id == booking.slot_id and kept.status == booking.status


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_deleting_a_booked_stop_is_refused(superuser_client, tour):
    url = reverse("wagtailadmin_pages:delete", args=(tour.almaty.pk,))
    response = superuser_client.get(url)
    assert response.status_code == 302
    assert any("cancel the stop instead" in m for m in messages_of(response))
    response = superuser_client.post(url)
    assert response.status_code == 302
    assert_kept(tour)
    # A stop with only a cancelled booking is refused too (the booking is kept).
    superuser_client.post(reverse("wagtailadmin_pages:delete", args=(tour.taraz.pk,)))
    assert_kept(tour, tour.taraz)


def test_deleting_a_stop_without_bookings_still_works(superuser_client, tour):
    empty = make_stop(tour.moscow, title="Empty stop", slug="empty-stop")
    response = superuser_client.post(reverse("wagtailadmin_pages:delete", args=(empty.pk,)))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=empty.pk).exists()


def test_deleting_the_exhibition_or_the_schedule_is_refused(superuser_client, tour):
    for page in (tour.moscow, index_page()):
        response = superuser_client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
        assert response.status_code == 302
        assert any("cancel the stop instead" in m for m in messages_of(response))
        assert Page.objects.filter(pk=page.pk).exists()
    assert_kept(tour)


def bulk_url(action, pages):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    return url + "?" + "&".join(f"id={page.pk}" for page in pages)


def test_bulk_delete_is_refused(superuser_client, tour):
    empty = make_stop(tour.moscow, title="Empty stop", slug="empty-stop")
    response = superuser_client.post(bulk_url("delete", [empty, tour.almaty]))
    assert response.status_code == 302
    assert any("cancel the stop instead" in m for m in messages_of(response))
    assert Page.objects.filter(pk=empty.pk).exists()  # nothing deleted at all
    response = superuser_client.post(bulk_url("delete", [tour.moscow, tour.legacy]))
    assert response.status_code == 302
    assert_kept(tour, tour.almaty, tour.taraz)
    assert Page.objects.filter(pk__in=[tour.moscow.pk, tour.legacy.pk]).count() == 2


def test_unpublishing_a_booked_stop_or_its_exhibition_is_refused(moderator_client, tour):
    for page in (tour.almaty, tour.moscow):
        url = reverse("wagtailadmin_pages:unpublish", args=(page.pk,))
        response = moderator_client.post(url, {"include_descendants": "on"})
        assert response.status_code == 302
        assert any("cannot be unpublished" in m for m in messages_of(response))
        assert fresh(page).live
    assert fresh(tour.almaty).live
    assert_kept(tour)


def test_bulk_unpublish_is_refused(moderator_client, tour):
    response = moderator_client.post(
        bulk_url("unpublish", [tour.moscow, tour.legacy]), {"include_descendants": "on"}
    )
    assert response.status_code == 302
    assert fresh(tour.moscow).live and fresh(tour.legacy).live and fresh(tour.almaty).live
    assert_kept(tour)


def test_a_stop_without_upcoming_confirmed_visits_can_be_unpublished(moderator_client, tour):
    """Shymkent has only a cancelled booking: unpublishing it hides no expected visit."""
    url = reverse("wagtailadmin_pages:unpublish", args=(tour.taraz.pk,))
    assert moderator_client.post(url).status_code == 302
    assert not fresh(tour.taraz).live
    assert_kept(tour, tour.taraz)


def test_moving_a_booked_stop_keeps_its_ids(superuser_client, tour):
    slot_ids = set(tour.almaty.slots.values_list("pk", flat=True))
    url = reverse("wagtailadmin_pages:move_confirm", args=(tour.almaty.pk, tour.legacy.pk))
    assert superuser_client.post(url).status_code == 302
    moved = fresh(tour.almaty)
    assert moved.get_parent().pk == tour.legacy.pk
    assert set(moved.slots.values_list("pk", flat=True)) == slot_ids
    assert_kept(tour)


def move_url(page, destination):
    return reverse("wagtailadmin_pages:move_confirm", args=(page.pk, destination.pk))


def assert_move_refused(client, tour, page, destination, because):
    parent = page.get_parent().pk
    for method in (client.get, client.post):
        response = method(move_url(page, destination))
        assert response.status_code == 302
        found = [m for m in messages_of(response) if "cannot be moved" in m]
        assert found and because in found[0] and "cancel the stop instead" in found[0].lower()
    assert fresh(page).get_parent().pk == parent
    assert_kept(tour)


def test_moving_a_booked_stop_to_an_unpublished_exhibition_is_refused(superuser_client, tour):
    draft = make_exhibition(title="Draft exhibition", slug="draft-exhibition", live=False)
    assert_move_refused(superuser_client, tour, tour.almaty, draft, "is not published")
    # Shymkent has only a cancelled booking: it may go there.
    assert superuser_client.post(move_url(tour.taraz, draft)).status_code == 302
    assert fresh(tour.taraz).get_parent().pk == draft.pk


def test_moving_a_booked_stop_to_a_private_exhibition_is_refused(superuser_client, tour):
    PageViewRestriction.objects.create(page=tour.legacy, restriction_type="login")
    assert_move_refused(superuser_client, tour, tour.almaty, tour.legacy, "is private")


def test_moving_a_booked_stop_to_an_exhibition_that_expires_first_is_refused(
    superuser_client, tour
):
    Page.objects.filter(pk=tour.legacy.pk).update(expire_at=tour.late.end - HOUR)
    assert_move_refused(superuser_client, tour, tour.almaty, tour.legacy, "expires before")


def test_moving_an_exhibition_with_booked_stops_under_an_unpublished_page_is_refused(
    superuser_client, tour
):
    old = ExhibitionIndexPage(title="Old schedule", slug="old-schedule", live=False)
    index_page().get_parent().add_child(instance=old)
    assert_move_refused(superuser_client, tour, tour.moscow, old, "is not published")
    # "Legacy of the Front" has no confirmed upcoming visit: it may go there.
    assert superuser_client.post(move_url(tour.legacy, old)).status_code == 302
    assert fresh(tour.legacy).get_parent().pk == old.pk


def test_bulk_moving_a_booked_stop_to_an_unpublished_exhibition_is_refused(superuser_client, tour):
    draft = make_exhibition(title="Draft exhibition", slug="draft-exhibition", live=False)
    response = superuser_client.post(bulk_url("move", [tour.almaty]), {"chooser": draft.pk})
    assert response.status_code == 302
    assert any("cannot be moved" in m for m in messages_of(response))
    assert fresh(tour.almaty).get_parent().pk == tour.moscow.pk
    assert_kept(tour)
    # Shymkent has only a cancelled booking: it may go there.
    response = superuser_client.post(bulk_url("move", [tour.taraz]), {"chooser": draft.pk})
    assert response.status_code == 302
    assert fresh(tour.taraz).get_parent().pk == draft.pk


def place_url(action, place):
    name = f"wagtailsnippets_heroes_{type(place).__name__.lower()}:{action}"
    return reverse(name, args=(place.pk,))


def test_unpublishing_the_settlement_or_region_of_a_booked_stop_is_refused(superuser_client, tour):
    settlement = tour.almaty.settlement
    for place in (settlement, settlement.region):
        response = superuser_client.post(place_url("unpublish", place))
        assert response.status_code == 302
        found = [m for m in messages_of(response) if "cannot be unpublished" in m]
        assert found and "Almaty stop" in found[0]
        assert re.search(r"Cancel the stops? instead", found[0])
        assert type(place).objects.get(pk=place.pk).live
    # Shymkent (only a cancelled booking) can be unpublished.
    shymkent = tour.taraz.settlement
    assert superuser_client.post(place_url("unpublish", shymkent)).status_code == 302
    assert not type(shymkent).objects.get(pk=shymkent.pk).live


def test_a_booked_exhibition_cannot_expire_before_its_last_booked_slot(moderator_client, tour):
    url = edit_url(tour.moscow)
    action_url, data = get_edit_form(moderator_client, url)
    data["expire_at"] = [(tour.late.end - HOUR).astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")]
    response = submit_edit_form(moderator_client, url, action="action-publish", data=data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "the exhibition cannot expire before" in html and "Cancel the stop" in html
    assert fresh(tour.moscow).expire_at is None
    # At the end of the last booked slot, or later, is fine.
    data["expire_at"] = [tour.late.end.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")]
    response = submit_edit_form(moderator_client, url, action="action-publish", data=data)
    assert response.status_code == 302, form_errors(response)
    assert fresh(tour.moscow).expire_at == tour.late.end


# --- Editing never loses bookings: the stop editor ------------------------------------


def slot_prefix(data, slot):
    """The formset prefix (``slots-<n>``) of ``slot``'s inline form in edit-form ``data``."""
    for key, value in data.items():
        if key.startswith("slots-") and key.endswith("-id") and value == [str(slot.pk)]:
            return key[: -len("-id")]
    raise AssertionError(f"no inline form for slot {slot.pk}")


def test_reverting_to_a_revision_without_slots_keeps_booked_slots(moderator_client, tour):
    start = local_day(20, 10)
    stop = make_stop(
        tour.moscow, title="Reverted stop", slug="reverted-stop", start=start, slots=[]
    )
    bare = stop.live_revision
    stop.slots = [
        VisitSlot(start=start, end=start + HOUR, capacity=30),
        VisitSlot(start=start + 2 * HOUR, end=start + 3 * HOUR, capacity=30),
    ]
    stop.save_revision().publish()
    booked, free = fresh(stop).slots.order_by("sort_order")
    bookings = [make_booking(booked), make_booking(booked, pupils=5)]

    revert = reverse("wagtailadmin_pages:revisions_revert", args=(stop.pk, bare.pk))
    action_url, data = get_edit_form(moderator_client, revert)
    assert data["slots-TOTAL_FORMS"] == ["0"]  # the old revision had no slots
    response = submit_edit_form(
        moderator_client, revert, action="action-publish", data=data, action_url=action_url
    )
    assert response.status_code == 302, form_errors(response)
    stop = fresh(stop)
    assert stop.live_revision_id != bare.pk
    assert list(stop.slots.values_list("pk", flat=True)) == [booked.pk]  # the free one went
    for booking in bookings:
        assert VisitBooking.objects.get(pk=booking.pk).slot_id == booked.pk
    assert not VisitSlot.objects.filter(pk=free.pk).exists()


def test_removing_a_booked_slot_in_the_editor_is_refused(moderator_client, tour):
    action_url, data = get_edit_form(moderator_client, edit_url(tour.almaty))
    prefix = slot_prefix(data, tour.early)
    data[f"{prefix}-DELETE"] = ["1"]
    response = submit_edit_form(
        moderator_client, edit_url(tour.almaty), action="action-publish", data=data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "has bookings for 22 visitors: it cannot be removed" in html
    assert "Cancel the stop instead" in html
    assert set(fresh(tour.almaty).slots.values_list("pk", flat=True)) == {
        tour.early.pk,
        tour.late.pk,
    }
    assert fresh(tour.almaty).latest_revision_id == tour.almaty.latest_revision_id
    assert_kept(tour)


def test_capacity_below_the_booked_visitors_is_a_field_error(moderator_client, tour):
    action_url, data = get_edit_form(moderator_client, edit_url(tour.almaty))
    prefix = slot_prefix(data, tour.early)
    data[f"{prefix}-capacity"] = ["21"]  # 22 visitors are booked
    response = submit_edit_form(
        moderator_client, edit_url(tour.almaty), action="action-publish", data=data
    )
    assert response.status_code == 200
    assert "22 visitors are already booked; the capacity cannot be lower." in (
        response.content.decode()
    )
    assert VisitSlot.objects.get(pk=tour.early.pk).capacity == 30
    # Exactly the booked number is fine.
    data[f"{prefix}-capacity"] = ["22"]
    response = submit_edit_form(
        moderator_client, edit_url(tour.almaty), action="action-publish", data=data
    )
    assert response.status_code == 302, form_errors(response)
    assert VisitSlot.objects.get(pk=tour.early.pk).capacity == 22


def test_reordering_slots_keeps_their_ids(moderator_client, tour):
    action_url, data = get_edit_form(moderator_client, edit_url(tour.almaty))
    early, late = slot_prefix(data, tour.early), slot_prefix(data, tour.late)
    data[f"{early}-ORDER"], data[f"{late}-ORDER"] = data[f"{late}-ORDER"], data[f"{early}-ORDER"]
    response = submit_edit_form(
        moderator_client, edit_url(tour.almaty), action="action-publish", data=data
    )
    assert response.status_code == 302, form_errors(response)
    order = list(fresh(tour.almaty).slots.order_by("sort_order").values_list("pk", flat=True))
    assert order == [tour.late.pk, tour.early.pk]
    assert_kept(tour)


def test_removing_a_slot_with_only_cancelled_bookings_is_refused(moderator_client, tour):
    """Its cancelled bookings are kept until purged (PROTECT), so the editor says so."""
    slot = tour.taraz.slots.get()
    action_url, data = get_edit_form(moderator_client, edit_url(tour.taraz))
    data[f"{slot_prefix(data, slot)}-DELETE"] = ["1"]
    response = submit_edit_form(
        moderator_client, edit_url(tour.taraz), action="action-publish", data=data
    )
    assert response.status_code == 200
    assert "has cancelled bookings, kept until they are purged" in response.content.decode()
    assert VisitSlot.objects.filter(pk=slot.pk).exists()
    assert_kept(tour, tour.taraz)


def test_a_booked_stop_cannot_expire_before_its_last_booked_slot(moderator_client, tour):
    action_url, data = get_edit_form(moderator_client, edit_url(tour.almaty))
    data["expire_at"] = [(tour.early.start - HOUR).astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")]
    response = submit_edit_form(
        moderator_client, edit_url(tour.almaty), action="action-publish", data=data
    )
    assert response.status_code == 200
    assert "the stop cannot expire before" in response.content.decode()
    assert fresh(tour.almaty).expire_at is None


def draft_without(stop, slot, user):
    """A new revision of ``stop`` whose content leaves ``slot`` out (as an old revision,
    an import or a race could): returns the revision."""
    draft = fresh(stop).get_latest_revision_as_object()
    draft.slots = [s for s in draft.slots.all() if s.pk != slot.pk]
    draft.venue = "Moved to the Palace of Schoolchildren"
    return draft.save_revision(user=user)


def test_approving_a_draft_that_drops_a_booked_slot_keeps_it(
    editor, moderator_client, tour, django_capture_on_commit_callbacks
):
    draft_without(tour.almaty, tour.early, editor)
    state = fresh(tour.almaty).get_workflow().start(fresh(tour.almaty), editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            workflow_action_url(tour.almaty, "approve"), {"comment": ""}
        )
    assert response.status_code == 302
    stop = fresh(tour.almaty)
    assert stop.venue == "Moved to the Palace of Schoolchildren"  # approved and published
    assert set(stop.slots.values_list("pk", flat=True)) == {tour.early.pk, tour.late.pk}
    assert_kept(tour)
    # The venue changed: both bookers are told (besides the workflow's own emails).
    bookers = sorted(m.to[0] for m in mail.outbox if m.to[0].endswith("@example.kz"))
    assert bookers == ["aigerim@example.kz", "olga@example.kz"]


def test_scheduled_publishing_of_a_draft_that_drops_a_booked_slot_keeps_it(editor, tour):
    revision = draft_without(tour.almaty, tour.early, editor)
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    stop = fresh(tour.almaty)
    assert stop.live_revision_id == revision.pk
    assert stop.venue == "Moved to the Palace of Schoolchildren"
    assert set(stop.slots.values_list("pk", flat=True)) == {tour.early.pk, tour.late.pk}
    assert_kept(tour)
