"""A teacher finds the next stop in their region, gets its calendar feed, books a class
and receives the confirmation, in a real browser (sample tour, see load_sample_tour)."""

import re
from urllib.request import urlopen

import pytest
from django.core import mail
from icalendar import Calendar

from exhibitions.models import VisitBooking

from .harness import VIEWPORTS, expect, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_teacher_finds_a_stop_subscribes_and_books(seeded, new_page):
    for number, viewport in enumerate(VIEWPORTS, start=1):
        mail.outbox.clear()
        page = new_page(viewport)
        page.goto(seeded.url + "/en/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Exhibition").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mobile exhibition")
        expect(page.get_by_text("Sample schedule").first).to_be_visible()

        page.get_by_role("combobox", name="Region").select_option(label="Astana")
        page.get_by_role("button", name="Show stops").click()
        page.wait_for_url(re.compile(r"region=KZ-71"))
        screenshot(page, "teacher schedule", viewport)

        # The feed for the filtered region: a webcal:// link and an .ics that parses.
        webcal = page.get_by_role("link", name="Subscribe (webcal)").get_attribute("href")
        assert webcal.startswith("webcal://") and webcal.endswith("/calendar/region/kz-71.ics")
        with urlopen(seeded.url + "/en/calendar/region/kz-71.ics") as response:  # noqa: S310
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            calendar = Calendar.from_ical(response.read())
        assert any("Astana" in str(event["LOCATION"]) for event in calendar.walk("VEVENT"))

        page.locator(".stop-card").get_by_role("link", name=re.compile("Astana")).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Astana")
        page.get_by_role("link", name=re.compile(r"^Book")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Book a class visit")

        page.get_by_label("School").fill(f"School-lyceum No. {number}")
        page.get_by_label("Contact person").fill("Aigerim Sadykova")
        page.get_by_label("Email").fill(f"teacher{number}@example.kz")
        page.get_by_label("Phone").fill("+7 701 234 56 78")
        page.get_by_label("Grade").fill("8")
        page.get_by_label("Pupils").fill("12")
        page.get_by_label("Accompanying adults").fill("1")
        page.get_by_label("Russian").check()
        page.get_by_label(re.compile("I agree")).check()
        screenshot(page, "teacher booking form", viewport)
        page.get_by_role("button", name="Book the visit").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Your class visit is booked")
        booking = VisitBooking.objects.get(email=f"teacher{number}@example.kz")
        expect(page.get_by_text(booking.reference)).to_be_visible()
        screenshot(page, "teacher booked", viewport)
        assert [message.to for message in mail.outbox] == [[f"teacher{number}@example.kz"]]
        assert booking.reference in mail.outbox[0].subject
