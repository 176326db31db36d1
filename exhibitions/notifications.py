"""Emails to bookers: the confirmation, a cancellation, and changes to their stop.

Each email is plain text in the language the booking was made in, with the visit as
an .ics attachment (see :func:`exhibitions.ical.visit_calendar`). Emails are sent
after the transaction commits, so a rolled-back booking or edit sends nothing.
Backend: ``settings.EMAIL_BACKEND`` (console by default, SMTP from the environment).
"""

import logging
from email.mime.text import MIMEText

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .ical import reader_url, site_name, visit_calendar, visit_versions
from .models import StopStatus, VisitBooking, VisitSlot, retention_days

logger = logging.getLogger(__name__)

CANCEL_SALT = "exhibitions.visit-cancel"


def cancel_token(booking):
    """A signed token naming the booking (no personal data) for the booker's cancel link."""
    return signing.dumps([booking.pk, booking.reference], salt=CANCEL_SALT, compress=True)


def booking_from_token(token):
    """The booking a cancel token names, or None for a forged, mangled or stale token."""
    try:
        pk, reference = signing.loads(token, salt=CANCEL_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        VisitBooking.objects.select_related("slot__page__settlement__region")
        .filter(pk=pk, reference=reference)
        .first()
    )


def cancel_url(booking):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "visit_detail", args=[cancel_token(booking)]
    )


def _send(booking, kind, subject, extra=None, sequence=0):
    with translation.override(booking.email_language):
        # The stop and exhibition as the booker reads them, linked under their prefix.
        stop, exhibition = visit_versions(booking)
        context = {
            "booking": booking,
            "slot": booking.slot,
            "stop": stop,
            "exhibition": exhibition,
            "stop_url": reader_url(stop, booking.email_language),
            "cancel_url": cancel_url(booking),
            "site_name": site_name(),
            "retention_days": retention_days(),
            **(extra or {}),
        }
        body = render_to_string(f"exhibitions/email/{kind}.txt", context)
        message = EmailMessage(
            subject=f"{subject} [{booking.reference}]",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[booking.email],
        )
        ics, method = visit_calendar(booking, sequence)
        attachment = MIMEText(ics.decode(), "calendar", "utf-8")
        attachment.set_param("method", method)
        attachment.add_header(
            "Content-Disposition", "attachment", filename=f"visit-{booking.reference}.ics"
        )
        message.attach(attachment)
    message.send()


def send_later(booking, kind, subject, extra=None):
    """Queue an email to ``booking``'s contact for after the current transaction commits.

    ``kind`` names ``templates/exhibitions/email/<kind>.txt`` (``confirmation``,
    ``cancelled``, ``changed``); ``subject`` is a lazy translation (rendered in the
    booking's language). The attached visit's
    SEQUENCE is 0 for the confirmation and grows by one with each later email (the
    booking's ``calendar_sequence``)."""
    if kind != "confirmation":
        VisitBooking.objects.filter(pk=booking.pk).update(
            calendar_sequence=F("calendar_sequence") + 1
        )

    def send():
        try:
            fresh = VisitBooking.objects.get(pk=booking.pk)
            # ``subject`` stays lazy: _send translates it in the booking's language.
            _send(fresh, kind, subject, extra=extra, sequence=fresh.calendar_sequence)
        except Exception:  # an unreachable SMTP server must not undo a booking
            logger.exception("Could not email booking %s (%s)", booking.reference, kind)

    transaction.on_commit(send)


def stop_changed(stop, previous, changed, moved_slots=()):
    """Tell the active bookers of ``stop`` what changed; cancel their bookings if the stop
    was cancelled. ``previous`` holds the old values of ``CALENDAR_FIELDS``;
    ``moved_slots`` the ids of booked slots whose times changed."""
    active = VisitBooking.objects.filter(slot__page=stop).exclude(
        status=VisitBooking.Status.CANCELLED
    )
    if "status" in changed and stop.status == StopStatus.CANCELLED:
        # Lock the stop's slots as a booking does (exhibitions.views.book), so a booking
        # made while the stop is being cancelled is either seen here or refused there.
        list(VisitSlot.objects.select_for_update().filter(page=stop).values_list("pk"))
        for booking in active:
            if booking.cancel(VisitBooking.CancelledBy.STOP):
                send_later(
                    booking,
                    "cancelled",
                    _("Visit cancelled: the exhibition stop is cancelled"),
                    extra={"reason": stop.status_reason, "stop_cancelled": True},
                )
        return
    relevant = {"start", "end", "all_day", "venue", "address", "settlement_id", "status"}
    if relevant & set(changed):
        affected = active
    elif moved_slots:
        affected = active.filter(slot_id__in=moved_slots)
    else:
        return
    for booking in affected:
        send_later(booking, "changed", _("Your class visit: the exhibition stop has changed"))
