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
- so is unpublishing the settlement or region of such a stop (snippets; their
  ``before_unpublish`` hook is registered here: heroes does not know exhibitions);
- moving keeps page and slot ids, and is allowed, except (singly and in bulk) moving
  such a stop, or a page above it, under a page that is not published, is private,
  is outside every site or expires before the last booked visit ends.

Not guarded: making a booked stop or a page above it private (Wagtail 8's privacy
dialog runs no hook), a settlement's or region's scheduled expiry (set in heroes'
snippet editor, carried out by ``publish_scheduled``, neither with a hook that sees it),
and the schedule page's (ExhibitionIndexPage) expiry.
"""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db.models import Count, Max, Q, Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.permissions import register_permission_policy

from heroes.models import Region, Settlement

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


def _why_hidden_under(destination, until):
    """Why a page moved under ``destination`` would not be shown on the site until
    ``until`` (an aware datetime), as a sentence; None if it would."""
    path = Page.objects.ancestor_of(destination, inclusive=True).filter(depth__gt=1)
    values = {"destination": destination.title}
    if path.filter(live=False).exists():
        return _("“%(destination)s” or a page above it is not published.") % values
    if PageViewRestriction.objects.filter(page__in=path).exists():
        return _("“%(destination)s” or a page above it is private.") % values
    # A site's root page or another language's version of it (Wagtail i18n: the
    # other languages' home pages are its siblings).
    if not Site.objects.filter(
        root_page__translation_key__in=path.values("translation_key")
    ).exists():
        return _("“%(destination)s” is not part of the public site.") % values
    if path.filter(expire_at__lt=until).exists():
        return (
            _("“%(destination)s” or a page above it expires before the last booked visit ends.")
            % values
        )
    return None


def refuse_moving_booked_stops(request, pages, destination):
    """A redirect with an error message if moving ``pages`` under ``destination`` would
    hide stops that classes have upcoming confirmed visits to; None to let Wagtail go
    on."""
    bookings = _active_future_bookings_under(pages)
    until = bookings.aggregate(end=Max("slot__end"))["end"]
    if until is None:
        return None
    why = _why_hidden_under(destination, until)
    if why is None:
        return None
    count = bookings.count()
    messages.error(
        request,
        ngettext(
            "“%(page)s” cannot be moved there: a class has a confirmed booking for an "
            "upcoming visit to “%(stop)s”, which would vanish from the site. Cancel the "
            "stop instead (set its status to cancelled, with a reason); its bookers are "
            "then emailed.",
            "“%(page)s” cannot be moved there: classes have %(count)d confirmed bookings "
            "for upcoming visits (e.g. to “%(stop)s”), which would vanish from the site. "
            "Cancel the stop instead (set its status to cancelled, with a reason); its "
            "bookers are then emailed.",
            count,
        )
        % {"page": pages[0].title, "stop": _first_stop(bookings).title, "count": count}
        + " "
        + why,
    )
    return redirect(_back_to(pages))


@hooks.register("before_delete_page")
def before_delete_page(request, page):
    return refuse_deleting_booked_stops(request, [page])


@hooks.register("before_unpublish_page")
def before_unpublish_page(request, page):
    return refuse_unpublishing_booked_stops(request, [page])


@hooks.register("before_move_page")
def before_move_page(request, page_to_move, destination):
    return refuse_moving_booked_stops(request, [page_to_move], destination)


@hooks.register("before_bulk_action")
def before_bulk_action(request, action_type, objects, action_class_instance):
    if not objects or not isinstance(objects[0], Page):
        return None
    if action_type == "delete":
        return refuse_deleting_booked_stops(request, list(objects))
    if action_type == "unpublish":
        return refuse_unpublishing_booked_stops(request, list(objects))
    if action_type == "move":
        destination = action_class_instance.cleaned_form.cleaned_data["chooser"]
        return refuse_moving_booked_stops(request, list(objects), destination)
    return None


@hooks.register("before_unpublish")
def before_unpublish_place(request, instance):
    """Refuses unpublishing a settlement or region (snippets) with stops that classes
    have upcoming confirmed visits to: the stops would answer 404."""
    if isinstance(instance, Settlement):
        stops = Q(slot__page__settlement=instance)
    elif isinstance(instance, Region):
        stops = Q(slot__page__settlement__region=instance)
    else:
        return None
    bookings = VisitBooking.objects.filter(
        stops, status=VisitBooking.Status.CONFIRMED, slot__end__gt=timezone.now()
    )
    count = bookings.count()
    if not count:
        return None
    messages.error(
        request,
        ngettext(
            "“%(place)s” cannot be unpublished: a class has a confirmed booking for an "
            "upcoming visit to the exhibition stop “%(stop)s” there. Cancel the stop "
            "instead (set its status to cancelled, with a reason); its bookers are then "
            "emailed.",
            "“%(place)s” cannot be unpublished: classes have %(count)d confirmed bookings "
            "for upcoming visits to exhibition stops there (e.g. “%(stop)s”). Cancel the "
            "stops instead (set their status to cancelled, with a reason); their bookers "
            "are then emailed.",
            count,
        )
        % {"place": str(instance), "stop": _first_stop(bookings).title, "count": count},
    )
    viewset = type(instance).snippet_viewset
    return redirect(reverse(viewset.get_url_name("edit"), args=(quote(instance.pk),)))


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
