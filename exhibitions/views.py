"""Public views of the exhibition: schedules, stop pages, iCalendar feeds and bookings.

Only live, public stops of live, public exhibitions in published places are shown
(:func:`live_stops`). No view here shows a booker's personal data except the
booker's own visit page, reached through a signed link (no index, no cache).
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from heroes.i18n import best_translations, first_version, public
from heroes.models import Region, Settlement
from heroes.views import live_heroes, live_streets, paginate, with_portraits

from . import ical
from .models import (
    ExhibitionPage,
    ExhibitionStopPage,
    StopStatus,
    VisitBooking,
    VisitSlot,
    places_taken,
    retention_days,
)
from .notifications import booking_from_token, cancel_token, send_later

# --- queries ----------------------------------------------------------------------------


def live_exhibitions():
    """Live, public exhibitions, one version each (the reader's language, else the
    fallback of :func:`heroes.i18n.best_translations`)."""
    return best_translations(public(ExhibitionPage.objects.live()))


def live_stops():
    """Live, public stops whose exhibition is live and public and whose settlement and region
    are published, one version per stop (reader's language, else the fallback);
    settlement and region loaded; ``slot_owner_pk`` is the id of the version that holds the
    visit slots (:attr:`ExhibitionStopPage.slot_owner`). Use :func:`with_exhibitions` to
    attach ``stop.exhibition`` to a list without a query per stop."""
    return best_translations(
        public(ExhibitionStopPage.objects.live())
        .annotate(
            exhibition_path=Substr("path", 1, (F("depth") - 1) * ExhibitionStopPage.steplen),
            slot_owner_pk=first_version(ExhibitionStopPage.objects.all()),
        )
        .filter(
            exhibition_path__in=public(ExhibitionPage.objects.live()).values("path"),
            settlement__live=True,
            settlement__region__live=True,
        )
        .select_related("settlement__region")
    )


def stops_of(exhibition):
    """Stops (a :func:`live_stops` queryset) of any language's version of ``exhibition``."""
    return live_stops().filter(
        exhibition_path__in=ExhibitionPage.objects.filter(
            translation_key=exhibition.translation_key
        ).values("path")
    )


def with_exhibitions(stops):
    """``stops`` as a list, each with ``.exhibition`` set to the version of its exhibition
    that the reader sees (:func:`live_exhibitions`); a stop shown in another language
    (its own version is not live) lies below that language's exhibition. One query."""
    stops = list(stops)
    if not stops:
        return stops
    paths = {stop.path[: -ExhibitionStopPage.steplen] for stop in stops}
    best = live_exhibitions().filter(
        translation_key__in=ExhibitionPage.objects.filter(path__in=paths).values("translation_key")
    )
    pages = ExhibitionPage.objects.filter(Q(path__in=paths) | Q(pk__in=best.values("pk")))
    pages = list(pages.annotate(is_best=Exists(best.filter(pk=OuterRef("pk")))))
    parents = {page.path: page for page in pages}
    chosen = {page.pk: page for page in pages if page.is_best}
    by_key = {}
    for page in chosen.values():
        by_key.setdefault(page.translation_key, page)
    for stop in stops:
        parent = parents[stop.path[: -ExhibitionStopPage.steplen]]
        stop.exhibition = chosen.get(parent.pk) or by_key.get(parent.translation_key, parent)
    return stops


def upcoming(stops, now=None):
    """Stops not yet over, soonest first."""
    return stops.filter(end__gte=now or timezone.now()).order_by("start", "pk")


def slots_with_places(stop):
    """The stop's slots in time order, each annotated with ``taken`` (visitors booked).
    Every language's version of a stop shows the same slots (its ``slot_owner``'s)."""
    return list(stop.slot_owner.slots.annotate(taken=places_taken()).order_by("start", "pk"))


# --- schedule -------------------------------------------------------------------------


def month_start(value):
    """The first instant of ``value``'s month (a date) in the local zone."""
    return timezone.make_aware(datetime.datetime(value.year, value.month, 1))


def next_month(value):
    return datetime.date(value.year + value.month // 12, value.month % 12 + 1, 1)


class ScheduleFilterForm(forms.Form):
    """The GET filters of the schedule; a value outside the choices is ignored, never a 500."""

    region = forms.ChoiceField(required=False, label=_("Region"))
    settlement = forms.ChoiceField(required=False, label=_("Settlement"))
    month = forms.ChoiceField(required=False, label=_("Month"))

    def __init__(self, data, *, regions, settlements, months):
        super().__init__(data)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (region.iso_code, region.name) for region in regions
        ]
        self.fields["settlement"].choices = [("", _("All settlements"))] + [
            (str(s.pk), f"{s.name} ({s.region.name})") for s in settlements
        ]
        self.fields["month"].choices = [("", _("Any month"))] + [
            (f"{month:%Y-%m}", date_format(month, "YEAR_MONTH_FORMAT")) for month in months
        ]


def _months(stops):
    """The months (first days) that ``stops`` are open in, in order."""
    months = set()
    for start, end in stops.values_list("start", "end"):
        month = timezone.localtime(start).date().replace(day=1)
        last = timezone.localtime(end).date()
        while month <= last:
            months.add(month)
            month = next_month(month)
    return sorted(months)


def schedule_context(index_page, request, *, past):
    """Context for the schedule: ``stops`` (a page of stops, soonest first; latest first in
    the archive), ``filter_form``, ``active_filters``, ``feed`` (the iCalendar feed that
    matches the filters: ``{"url", "webcal", "label"}``) and ``past``."""
    now = timezone.now()
    stops = live_stops()
    stops = stops.filter(end__lt=now) if past else stops.filter(end__gte=now)
    regions = Region.objects.filter(live=True, settlements__exhibition_stops__in=stops).distinct()
    settlements = (
        Settlement.objects.filter(exhibition_stops__in=stops)
        .select_related("region")
        .distinct()
        .order_by("name_en")
    )
    data = request.GET.copy()
    if data.get("region"):
        data["region"] = data["region"].upper()  # kz-75 as in the feed URLs
    form = ScheduleFilterForm(data, regions=regions, settlements=settlements, months=_months(stops))
    if not form.is_valid():
        messages.warning(request, gettext("A filter value was not recognised and was ignored."))
    filters = {key: value for key, value in form.cleaned_data.items() if value}
    if region := filters.get("region"):
        stops = stops.filter(settlement__region__iso_code=region)
    if settlement := filters.get("settlement"):
        stops = stops.filter(settlement_id=settlement)
    if month := filters.get("month"):
        first = month_start(datetime.date.fromisoformat(month + "-01"))
        stops = stops.filter(start__lt=month_start(next_month(first)), end__gte=first)
    stops = stops.order_by("-start", "-pk") if past else stops.order_by("start", "pk")
    page = paginate(request, stops)
    page.object_list = with_exhibitions(page.object_list)
    return {
        "stops": page,
        "filter_form": form,
        "active_filters": filters,
        "past": past,
        "has_sample": live_exhibitions().filter(is_sample=True).exists(),
        "feed": schedule_feed(request, filters),
        "regions": regions if not past else [],
    }


def _feed(request, url_name, args, label):
    url = request.build_absolute_uri(reverse(url_name, args=args))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1], "label": label}


def schedule_feed(request, filters):
    """The feed a reader of the filtered schedule would subscribe to (month is ignored: a
    feed runs on)."""
    if settlement := filters.get("settlement"):
        return _feed(
            request, "calendar_settlement", [settlement], gettext("this settlement's stops")
        )
    if region := filters.get("region"):
        return _feed(request, "calendar_region", [region.lower()], gettext("this region's stops"))
    return _feed(request, "calendar_all", [], gettext("all stops"))


def region_schedule(index_page, request, iso_code):
    """The printable (A4) schedule of a region's upcoming stops; 404 for an unknown code."""
    region = get_object_or_404(Region, live=True, iso_code__iexact=iso_code)
    stops = with_exhibitions(upcoming(live_stops().filter(settlement__region=region)))
    return index_page.render(
        request,
        template="exhibitions/region_schedule.html",
        context_overrides={
            "region": region,
            "stops": stops,
            "printed_at": timezone.localtime(),
            "feed": _feed(
                request, "calendar_region", [region.iso_code.lower()], gettext("this region")
            ),
        },
    )


# --- exhibition and stop pages --------------------------------------------------------------


def exhibition_context(exhibition, request):
    """Context for an exhibition: ``upcoming_stops``, ``featured`` heroes (live), ``gallery``
    and ``feed``."""
    stops = upcoming(stops_of(exhibition))
    links = exhibition.featured_heroes.all()
    order = {key: n for n, key in enumerate(links.values_list("hero__translation_key", flat=True))}
    featured = sorted(
        with_portraits(
            live_heroes().filter(translation_key__in=links.values("hero__translation_key"))
        ),
        key=lambda hero: order[hero.translation_key],
    )
    return {
        "upcoming_stops": with_exhibitions(stops),
        "featured": featured,
        "gallery": list(exhibition.gallery.select_related("image")),
        "feed": _feed(request, "calendar_exhibition", [exhibition.pk], gettext("this exhibition")),
    }


def stop_context(stop, request):
    """Context for a stop page: ``exhibition``, ``slots`` (with ``taken``), ``bookable``,
    ``local_heroes`` (born in the settlement), ``local_streets`` (named there), ``feed``."""
    exhibition = stop.exhibition
    settlement = stop.settlement
    now = timezone.now()
    slots = slots_with_places(stop)
    for slot in slots:
        slot.free = max(slot.capacity - slot.taken, 0)
        slot.open = stop.status == StopStatus.SCHEDULED and slot.start > now and slot.free > 0
    heroes = with_portraits(live_heroes().filter(birth_settlement=settlement).order_by("title"))
    streets = live_streets().filter(settlement=settlement).order_by("title")
    return {
        "exhibition": exhibition,
        "slots": slots,
        "bookable": any(slot.open for slot in slots),
        "local_heroes": list(heroes[:12]),
        "local_streets": list(streets[:24]),
        "feed": _feed(
            request, "calendar_settlement", [settlement.pk], gettext("stops in this settlement")
        ),
    }


# --- iCalendar feeds --------------------------------------------------------------------------


def _calendar_response(stops, name, filename, request):
    body = ical.stops_calendar(with_exhibitions(stops), name, request)
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=900)
    return response


def feed_stops():
    """Stops a feed lists: every live stop that ended less than a year ago or is to come
    (cancelled ones included, with STATUS:CANCELLED), soonest first."""
    since = timezone.now() - datetime.timedelta(days=365)
    return live_stops().filter(end__gte=since).order_by("start", "pk")


def _db_id(value):
    """``value`` if it fits a 64-bit database id, else raise Http404 (no OverflowError)."""
    if not 0 < value < 2**63:
        raise Http404
    return value


@require_safe
def calendar_all(request):
    name = gettext("%(site)s: exhibition stops") % {"site": ical.site_name()}
    return _calendar_response(feed_stops(), name, "exhibition-stops.ics", request)


@require_safe
def calendar_exhibition(request, pk):
    exhibition = get_object_or_404(ExhibitionPage.objects.live().public(), pk=_db_id(pk))
    stops = feed_stops().filter(
        exhibition_path__in=ExhibitionPage.objects.filter(
            translation_key=exhibition.translation_key
        ).values("path")
    )
    return _calendar_response(stops, exhibition.title, f"exhibition-{pk}.ics", request)


@require_safe
def calendar_region(request, iso_code):
    region = get_object_or_404(Region, live=True, iso_code__iexact=iso_code)
    stops = feed_stops().filter(settlement__region=region)
    name = gettext("Exhibition stops: %(region)s") % {"region": region.name}
    return _calendar_response(stops, name, f"exhibition-{region.iso_code.lower()}.ics", request)


@require_safe
def calendar_settlement(request, pk):
    settlement = get_object_or_404(Settlement, live=True, region__live=True, pk=_db_id(pk))
    stops = feed_stops().filter(settlement=settlement)
    name = gettext("Exhibition stops: %(settlement)s") % {"settlement": settlement.name}
    return _calendar_response(stops, name, f"exhibition-settlement-{pk}.ics", request)


# --- booking ---------------------------------------------------------------------------


class VisitBookingForm(forms.ModelForm):
    """A class's booking of one slot. ``website`` is a honeypot: people never see it."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consent = forms.BooleanField(
        required=True,
        label=_(
            "I agree that these details are stored to organise the visit and deleted "
            "%(days)d days after it."
        ),
    )

    class Meta:
        model = VisitBooking
        fields = VisitBooking.BOOKER_FIELDS
        widgets = {
            "special_needs": forms.Textarea(attrs={"rows": 3}),
            "language": forms.RadioSelect,
        }

    def __init__(self, *args, retention_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = self.fields["consent"].label % {"days": retention_days}
        autocomplete = {
            "school": "organization",
            "contact_name": "name",
            "email": "email",
            "phone": "tel",
        }
        for name, token in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["phone"].widget.input_type = "tel"
        for name in ("grade", "pupils", "adults"):
            field = self.fields[name]
            for validator in VisitBooking._meta.get_field(name).validators:
                if isinstance(validator, MinValueValidator):
                    field.widget.attrs["min"] = validator.limit_value
                if isinstance(validator, MaxValueValidator):
                    field.widget.attrs["max"] = validator.limit_value
        # Radio buttons without the empty "---------" choice.
        self.fields["language"].choices = VisitBooking._meta.get_field("language").choices

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(gettext("Leave this field empty."))
        return ""


def _booking_usage(request, *, increment):
    return get_usage(
        request,
        group="exhibitions.booking",
        key="ip",
        rate=settings.VISIT_BOOKING_RATE,
        method="POST",
        increment=increment,
    )


def _rate_limited(request):
    """Whether the client address has made as many bookings as ``VISIT_BOOKING_RATE``
    allows. Checks without counting: only bookings made count (:func:`_count_booking`),
    not forms sent back with errors."""
    usage = _booking_usage(request, increment=False)
    return usage is not None and (usage["should_limit"] or usage["count"] >= usage["limit"])


def _count_booking(request):
    _booking_usage(request, increment=True)


class SlotFull(Exception):
    """The slot has fewer free places than asked for (``free`` holds how many are left)."""

    def __init__(self, free):
        super().__init__(free)
        self.free = free


class BookingRefused(Exception):
    """The booking cannot be made; the message says why (for the booker)."""


def closed_reason(stop, slot, now=None):
    """Why ``slot`` of ``stop`` cannot be booked now (a translated str), or None."""
    if stop.status != StopStatus.SCHEDULED:
        return gettext("This stop is %(status)s: it cannot be booked.") % {
            "status": stop.get_status_display()
        }
    if not stop.live:
        return gettext("This stop is no longer published: it cannot be booked.")
    if slot.start <= (now or timezone.now()):
        return gettext("This slot has already begun: it cannot be booked.")
    return None


def book(slot_pk, form):
    """Create the booking from a valid ``form`` for slot ``slot_pk``.

    Raises ``SlotFull`` when the visitors do not fit, ``BookingRefused`` when the stop
    is no longer bookable (checked again under the lock, so a stop cancelled meanwhile
    is never booked) or the same email already holds this slot (a double submit).

    The slot row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite runs the
    transaction with ``BEGIN IMMEDIATE``, see settings) so that concurrent requests are
    served one after the other: bookings never exceed the capacity."""
    with transaction.atomic():
        slot = VisitSlot.objects.select_for_update().get(pk=slot_pk)
        stop = ExhibitionStopPage.objects.get(pk=slot.page_id)
        reason = closed_reason(stop, slot)
        if reason:
            raise BookingRefused(reason)
        email = form.cleaned_data["email"]
        existing = (
            slot.bookings.filter(email__iexact=email, status=VisitBooking.Status.CONFIRMED)
            .values_list("reference", flat=True)
            .first()
        )
        if existing:
            raise BookingRefused(
                gettext(
                    "%(email)s already has a booking for this slot (reference %(reference)s); "
                    "see the confirmation email. To bring another class, use another slot."
                )
                % {"email": email, "reference": existing}
            )
        taken = VisitSlot.objects.filter(pk=slot.pk).aggregate(n=places_taken())["n"]
        free = slot.capacity - taken
        visitors = form.cleaned_data["pupils"] + form.cleaned_data["adults"]
        if visitors > free:
            raise SlotFull(max(free, 0))
        booking = form.save(commit=False)
        booking.slot = slot
        booking.email_language = get_language() or settings.LANGUAGE_CODE
        booking.save()
        send_later(booking, "confirmation", _("Your class visit is booked"))
    return booking


def _no_store(response):
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def booking_view(stop, request, slot_pk):
    """GET shows the booking form for a slot of ``stop``; POST books it (see :func:`book`).

    Refuses with a message when the slot is past, full or the stop is not scheduled; 429
    when the client address has made too many bookings (``VISIT_BOOKING_RATE``; forms
    with errors do not count)."""
    slot = get_object_or_404(stop.slot_owner.slots.annotate(taken=places_taken()), pk=slot_pk)
    slot.free = max(slot.capacity - slot.taken, 0)
    closed = closed_reason(stop, slot)
    form = VisitBookingForm(
        request.POST if request.method == "POST" else None, retention_days=retention_days()
    )
    status = 200
    if request.method == "POST" and closed is None:
        if _rate_limited(request):
            status = 429
            form.add_error(
                None,
                gettext(
                    "Too many bookings were sent from your network in a short time. "
                    "Please try again later or call the exhibition staff."
                ),
            )
        elif form.is_valid():
            try:
                booking = book(slot.pk, form)
            except BookingRefused as refused:
                form.add_error(None, str(refused))
                status = 409
            except SlotFull as full:
                form.add_error(
                    "pupils",
                    ngettext(
                        "Only %(free)d place is left in this slot; choose another slot "
                        "or fewer visitors.",
                        "Only %(free)d places are left in this slot; choose another slot "
                        "or fewer visitors.",
                        full.free,
                    )
                    % {"free": full.free}
                    if full.free
                    else gettext("This slot is full; choose another slot."),
                )
                slot.free = full.free
                status = 409
            else:
                _count_booking(request)
                return redirect("visit_detail", token=cancel_token(booking))
        else:
            status = 400
    response = render(
        request,
        "exhibitions/booking_form.html",
        {
            "page": stop,
            "exhibition": stop.exhibition,
            "slot": slot,
            "form": form,
            "closed": closed,
        },
        status=status,
    )
    return _no_store(response)


@require_http_methods(["GET", "POST"])
def visit_detail(request, token):
    """The booker's own visit (reached by the signed link in the email): details and a
    cancel button (POST). 404 for a bad token. Never cached or indexed."""
    booking = booking_from_token(token)
    if booking is None:
        raise Http404
    # Outside the language prefixes: shown in the language the class booked in.
    translation.activate(booking.email_language)
    request.LANGUAGE_CODE = translation.get_language()
    stop, exhibition = ical.visit_versions(booking)
    can_cancel = (
        booking.status == VisitBooking.Status.CONFIRMED and booking.slot.start > timezone.now()
    )
    if request.method == "POST":
        if not can_cancel:
            messages.warning(request, gettext("This visit can no longer be cancelled here."))
        elif booking.cancel(VisitBooking.CancelledBy.BOOKER):
            send_later(booking, "cancelled", _("Your class visit is cancelled"))
            messages.success(
                request, gettext("Your booking is cancelled. Thank you for telling us.")
            )
        return redirect("visit_detail", token=token)
    response = render(
        request,
        "exhibitions/visit_detail.html",
        {
            "booking": booking,
            "slot": booking.slot,
            "stop": stop,
            "exhibition": exhibition,
            "can_cancel": can_cancel,
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    return _no_store(response)
