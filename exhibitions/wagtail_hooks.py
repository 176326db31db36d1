"""Admin for the exhibition: the "Class visits" bookings viewset (see
:mod:`exhibitions.admin_views`), an "Upcoming class visits" dashboard panel for
those who may see bookings, and the guards that keep bookings through editing.

Editing never loses bookings (bookings hold ``VisitSlot`` with ``PROTECT``):

- deleting a stop with bookings (of any status), or a page above such stops
  (exhibition, schedule), is refused, singly and in bulk, with a message saying to
  cancel the stop instead (its bookers are then emailed);
- unpublishing a stop, or a page above it, is refused while the stop has confirmed
  bookings for slots that have not ended, singly and in bulk: the stop would vanish
  from the site with classes still expecting it;
- moving is allowed: page and slot ids do not change.
"""

import datetime

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from .admin_views import VisitBookingPermissionPolicy, VisitBookingViewSet
from .models import ExhibitionStopPage, VisitBooking

register_permission_policy(VisitBooking, VisitBookingPermissionPolicy(VisitBooking))

booking_viewset = VisitBookingViewSet()


@hooks.register("register_admin_viewset")
def register_class_visits():
    return booking_viewset


# --- Guards: bookings survive deleting and unpublishing --------------------------------


def _bookings_under(pages):
    """Bookings of slots of stops that are among ``pages`` or below them."""
    query = Q()
    for page in pages:
        query |= Q(slot__page__path__startswith=page.path)
    return VisitBooking.objects.filter(query) if query else VisitBooking.objects.none()


def _active_future_bookings_under(pages):
    """Confirmed bookings, below or of ``pages``, for slots that have not ended yet."""
    return _bookings_under(pages).filter(
        status=VisitBooking.Status.CONFIRMED, slot__end__gt=timezone.now()
    )


def _first_stop(bookings):
    stop_id = bookings.order_by("slot__page__path").values_list("slot__page", flat=True).first()
    return ExhibitionStopPage.objects.get(pk=stop_id)


def _back_to(pages):
    parent = pages[0].get_parent()
    return reverse("wagtailadmin_explore", args=[parent.pk if parent else pages[0].pk])


def refuse_deleting_booked_stops(request, pages):
    """A redirect with an error message if deleting ``pages`` would delete booked stops;
    None to let Wagtail go on."""
    bookings = _bookings_under(pages)
    count = bookings.count()
    if not count:
        return None
    messages.error(
        request,
        ngettext(
            "“%(page)s” cannot be deleted: the stop “%(stop)s” has %(count)d class visit "
            "booking. Bookings are never deleted by an edit: cancel the stop instead (set "
            "its status to cancelled, with a reason); its bookers are then emailed.",
            "“%(page)s” cannot be deleted: stops in it (e.g. “%(stop)s”) have %(count)d "
            "class visit bookings. Bookings are never deleted by an edit: cancel the stop "
            "instead (set its status to cancelled, with a reason); its bookers are then "
            "emailed.",
            count,
        )
        % {"page": pages[0].title, "stop": _first_stop(bookings).title, "count": count},
    )
    return redirect(_back_to(pages))


def refuse_unpublishing_booked_stops(request, pages):
    """A redirect with an error message if unpublishing ``pages`` would hide stops that
    classes have upcoming confirmed visits to; None to let Wagtail go on."""
    bookings = _active_future_bookings_under(pages)
    count = bookings.count()
    if not count:
        return None
    messages.error(
        request,
        ngettext(
            "“%(page)s” cannot be unpublished: a class has a confirmed booking for an "
            "upcoming visit to “%(stop)s”. Cancel the stop instead (set its status to "
            "cancelled, with a reason); its bookers are then emailed.",
            "“%(page)s” cannot be unpublished: classes have %(count)d confirmed bookings "
            "for upcoming visits (e.g. to “%(stop)s”). Cancel the stop instead (set its "
            "status to cancelled, with a reason); its bookers are then emailed.",
            count,
        )
        % {"page": pages[0].title, "stop": _first_stop(bookings).title, "count": count},
    )
    return redirect(_back_to(pages))


@hooks.register("before_delete_page")
def before_delete_page(request, page):
    return refuse_deleting_booked_stops(request, [page])


@hooks.register("before_unpublish_page")
def before_unpublish_page(request, page):
    return refuse_unpublishing_booked_stops(request, [page])


@hooks.register("before_bulk_action")
def before_bulk_action(request, action_type, objects, action_class_instance):
    if not objects or not isinstance(objects[0], Page):
        return None
    if action_type == "delete":
        return refuse_deleting_booked_stops(request, list(objects))
    if action_type == "unpublish":
        return refuse_unpublishing_booked_stops(request, list(objects))
    return None


# --- Dashboard: upcoming class visits -------------------------------------------------

UPCOMING_DAYS = 14


def upcoming_visits(days=UPCOMING_DAYS, now=None):
    """``[(stop, bookings, visitors), ...]``: stops with confirmed bookings for slots
    starting in the next ``days`` days (or running now), soonest stop first."""
    now = now or timezone.now()
    active = Q(
        slots__bookings__status=VisitBooking.Status.CONFIRMED,
        slots__end__gt=now,
        slots__start__lt=now + datetime.timedelta(days=days),
    )
    stops = (
        ExhibitionStopPage.objects.annotate(
            bookings=Count("slots__bookings", filter=active),
            visitors=Sum("slots__bookings__pupils", filter=active, default=0)
            + Sum("slots__bookings__adults", filter=active, default=0),
        )
        .filter(bookings__gt=0)
        .order_by("start")
    )
    return [(stop, stop.bookings, stop.visitors) for stop in stops]


class UpcomingVisitsPanel(Component):
    """Admin home panel: confirmed class visits of the next 14 days, per stop, linking to
    the filtered bookings listing. Shown only to users who may see bookings."""

    name = "upcoming_class_visits"
    template_name = "exhibitions/admin/upcoming_visits.html"
    order = 340  # just above "Gaps in the catalogue"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["days"] = UPCOMING_DAYS
        context["stops"] = upcoming_visits()
        context["index_url"] = reverse(booking_viewset.get_url_name("index"))
        return context


@hooks.register("construct_homepage_panels")
def add_upcoming_visits(request, panels):
    policy = VisitBookingPermissionPolicy(VisitBooking)
    if policy.user_has_any_permission(request.user, ["view", "change", "delete"]):
        panels.append(UpcomingVisitsPanel())
