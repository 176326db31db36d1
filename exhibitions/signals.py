"""Signals the exhibition app sends for changes that bypass model saves."""

from django.dispatch import Signal

# Sent (sender=VisitBooking, booking=...) when bookings change by a queryset update, as a
# cancellation does: the places left on a stop's page changed.
bookings_changed = Signal()
