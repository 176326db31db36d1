"""The touring exhibition: exhibitions, their stops (with visit slots) and class bookings.

Times are aware datetimes; Django stores them in UTC and shows them in
``settings.TIME_ZONE`` (Asia/Almaty, UTC+5 since 2024-03-01).

Stops are pages (children of an exhibition), not inline rows of the exhibition:
a page keeps its id whatever editors do to the exhibition (edit, reorder, revert,
move), so bookings attached to a stop's slots cannot be deleted or re-keyed by an
edit. A stop's own slots are inline rows; :meth:`ExhibitionStopPage.save` puts
back any booked slot that a revision leaves out, and the admin form refuses to
remove one (see :mod:`exhibitions.forms`).
"""

import datetime
import hashlib
import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property, classproperty
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from heroes.i18n import kept_per_version
from heroes.models import Located, SlugRulePage, load_place

from .signals import bookings_changed

TOUR_LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


class KeepsBookedStopsPublic:
    """For pages that hold stops: while a stop at or below the page has confirmed bookings
    for slots that have not ended, the page offers no privacy options (Wagtail's privacy
    dialog then says privacy cannot be set), so booked stops never vanish behind a
    password or a login; its admin form (``admin_form``) refuses an expiry before the
    last booked slot. Cancel the stop instead."""

    admin_form = "KeepsBookedStopsForm"  # a class in exhibitions.forms

    @classproperty
    def base_form_class(cls):
        """The admin form named by ``admin_form`` (Wagtail reads ``base_form_class``),
        imported late: the forms module imports this one."""
        from . import forms

        return getattr(forms, cls.admin_form)

    @property
    def private_page_options(self):
        if self.pk and self.has_upcoming_bookings():
            return []
        return Page.private_page_options

    def has_upcoming_bookings(self):
        """Whether a stop at or below this page has a confirmed booking for a slot that
        has not ended (one query)."""
        return VisitBooking.objects.filter(
            slot__page__path__startswith=self.path,
            status=VisitBooking.Status.CONFIRMED,
            slot__end__gt=timezone.now(),
        ).exists()


class ExhibitionIndexPage(KeepsBookedStopsPublic, RoutablePageMixin, SlugRulePage):
    """The exhibition schedule: upcoming stops across exhibitions with filters, the
    past-stops archive (``past/``) and a printable schedule per region
    (``region/<iso code>/``)."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A short text shown above the schedule.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["exhibitions.ExhibitionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("exhibition index page")

    @path("")
    def upcoming(self, request):
        from .views import schedule_context

        return self.render(request, context_overrides=schedule_context(self, request, past=False))

    @path("past/")
    def past(self, request):
        from .views import schedule_context

        return self.render(
            request,
            context_overrides=schedule_context(self, request, past=True),
        )

    @path("region/<str:iso_code>/")
    def region_schedule(self, request, iso_code):
        from .views import region_schedule

        return region_schedule(self, request, iso_code)


class ExhibitionPage(KeepsBookedStopsPublic, SlugRulePage):
    """A touring exhibition; its stops are its child pages."""

    theme = models.CharField(
        _("theme"),
        max_length=255,
        help_text=_("One line, e.g. “Kazakhstanis at the Battle of Moscow, 1941”."),
    )
    description = RichTextField(
        _("description"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What visitors see and learn."),
    )
    audience = models.CharField(
        _("audience"),
        max_length=255,
        blank=True,
        help_text=_("Who it is for, e.g. “Pupils of grades 5–11, families”."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(18)],
        help_text=_("Leave empty if every age is welcome."),
    )
    tours_kk = models.BooleanField(_("Kazakh"), default=True)
    tours_ru = models.BooleanField(_("Russian"), default=True)
    tours_en = models.BooleanField(_("English"), default=False)
    is_sample = models.BooleanField(
        _("sample schedule"),
        default=False,
        help_text=_(
            "Tick when the stops are made up for demonstration, not an official schedule; "
            "the site then labels them “sample schedule”."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("theme"),
        index.SearchField("description"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("min_age"),
                FieldRowPanel(
                    [FieldPanel("tours_kk"), FieldPanel("tours_ru"), FieldPanel("tours_en")],
                    heading=_("Guided tours in"),
                ),
            ],
            heading=_("Visitors"),
        ),
        InlinePanel("featured_heroes", label=_("Featured heroes")),
        InlinePanel("gallery", label=_("Gallery")),
        FieldPanel("is_sample"),
    ]
    parent_page_types = ["exhibitions.ExhibitionIndexPage"]
    subpage_types = ["exhibitions.ExhibitionStopPage"]

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")

    admin_form = "ExhibitionPageForm"

    @property
    def tour_languages(self):
        """``[(code, label), ...]`` of the languages guided tours are given in."""
        return [(code, label) for code, label in TOUR_LANGUAGES if getattr(self, f"tours_{code}")]

    def get_context(self, request, *args, **kwargs):
        from .views import exhibition_context

        context = super().get_context(request, *args, **kwargs)
        context.update(exhibition_context(self, request))
        return context


class ExhibitionHero(Orderable):
    """A hero the exhibition features, linked to the hero's page."""

    page = ParentalKey(ExhibitionPage, related_name="featured_heroes", on_delete=models.CASCADE)
    hero = models.ForeignKey(
        "heroes.HeroPage",
        verbose_name=_("hero"),
        on_delete=models.CASCADE,
        related_name="exhibition_links",
    )

    panels = [FieldPanel("hero")]


class ExhibitionImage(Orderable):
    """A gallery image of the exhibition."""

    page = ParentalKey(ExhibitionPage, related_name="gallery", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class StopStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")


# Changing one of these changes what a calendar shows: SEQUENCE grows (RFC 5545 3.8.7.4).
CALENDAR_FIELDS = (
    "title",
    "venue",
    "address",
    "settlement_id",
    "start",
    "end",
    "all_day",
    "status",
    "status_reason",
    "opening_hours",
)


class ExhibitionStopPage(KeepsBookedStopsPublic, RoutablePageMixin, SlugRulePage, Located):  # noqa: DJ008
    """One stop of a touring exhibition: where, when, and the slots classes can book.

    ``start``/``end`` are aware datetimes (shown in Asia/Almaty). For an all-day stop
    only their dates count: it is open from the start date to the end date, both
    included. ``calendar_sequence`` and ``calendar_modified`` are kept by :meth:`save`
    for the iCalendar feeds (SEQUENCE and DTSTAMP/LAST-MODIFIED).
    """

    venue = models.CharField(
        _("venue"), max_length=255, help_text=_("e.g. Zhambyl Regional Museum of Local History.")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    settlement = models.ForeignKey(
        "heroes.Settlement",
        verbose_name=_("settlement"),
        on_delete=models.PROTECT,
        related_name="exhibition_stops",
    )
    start = models.DateTimeField(_("start"), help_text=_("Local time (Asia/Almaty, UTC+5)."))
    end = models.DateTimeField(_("end"), help_text=_("Local time (Asia/Almaty, UTC+5)."))
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("Open whole days: only the dates count, both the start and end day included."),
    )
    opening_hours = models.CharField(
        _("opening hours"), max_length=255, blank=True, help_text=_("e.g. Daily 10:00–18:00.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StopStatus.choices, default=StopStatus.SCHEDULED
    )
    status_reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Required when the stop is postponed or cancelled; shown to visitors."),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, toilets, seating, guided tours for blind visitors, etc."),
    )
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    calendar_modified = models.DateTimeField(null=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("settlement"),
                FieldRowPanel([FieldPanel("lat"), FieldPanel("lon")], heading=_("Coordinates")),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("all_day"),
                FieldPanel("opening_hours"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_reason")], heading=_("Status")),
        FieldPanel("accessibility"),
        InlinePanel("slots", label=_("Visit slots for classes")),
    ]
    parent_page_types = ["exhibitions.ExhibitionPage"]
    subpage_types = []

    # Visit slots (and their bookings) belong to the stop's first version only: every
    # language's version books the same places (see ``slot_owner``). wagtail-localize
    # neither copies nor synchronises them.
    override_translatable_fields = kept_per_version("slots")
    exclude_fields_in_copy = ["slots"]

    search_fields = Page.search_fields + [
        index.SearchField("venue"),
        index.SearchField("address"),
        index.FilterField("start"),
    ]

    class Meta:
        verbose_name = _("exhibition stop")
        verbose_name_plural = _("exhibition stops")

    admin_form = "ExhibitionStopPageForm"

    # --- dates ----------------------------------------------------------------------

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)

    @property
    def first_day(self):
        return self.local_start.date()

    @property
    def last_day(self):
        """The last day open (inclusive)."""
        return self.local_end.date()

    @property
    def is_past(self):
        return self.end < timezone.now()

    def clean(self):
        super().clean()
        errors = self.coordinate_errors()
        if self.start and self.end:
            if self.all_day and self.last_day < self.first_day:
                errors["end"] = _("The last day is before the first day.")
            elif not self.all_day and self.end <= self.start:
                errors["end"] = _("The end is not after the start.")
        if self.status != StopStatus.SCHEDULED and not self.status_reason.strip():
            errors["status_reason"] = _("Say why the stop is postponed or cancelled.")
        if errors:
            raise ValidationError(errors)

    # --- saving ---------------------------------------------------------------------

    def _calendar_fingerprint(self):
        values = [str(getattr(self, name)) for name in CALENDAR_FIELDS]
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()

    def save(self, *args, **kwargs):
        """Save, keeping booked slots and the calendar fields consistent.

        - An all-day stop runs from its first day's 00:00 to its last day's 23:59:59
          (local time).
        - A slot with bookings that the new content leaves out (an older revision, a
          scheduled or approved draft) is put back, and a booked slot's capacity never
          drops below its booked visitors: bookings are never deleted by an edit.
        - ``calendar_sequence`` grows by one when a field a calendar shows changes;
          it is read from the database row, so reverting to an old revision never
          lowers it.
        - Bookers are emailed, and their bookings cancelled, when the stop is cancelled;
          they are emailed when it is postponed or its dates change (after commit).
        """
        update_fields = kwargs.get("update_fields")
        full_save = update_fields is None
        if self.all_day and self.start and self.end:
            # Whole local days: from the first day's 00:00 to the last day's end, so the
            # stop is upcoming until its last day is over.
            self.start = timezone.make_aware(
                datetime.datetime.combine(self.first_day, datetime.time.min)
            )
            self.end = timezone.make_aware(
                datetime.datetime.combine(self.last_day, datetime.time(23, 59, 59))
            )
        previous = None
        if self.pk:
            previous = (
                type(self)
                .objects.filter(pk=self.pk)
                .values(*CALENDAR_FIELDS, "calendar_sequence", "calendar_modified")
                .first()
            )
        booked_times = {}
        if full_save and self.pk:
            self._keep_booked_slots()
            booked_times = {
                pk: (start, end)
                for pk, start, end in VisitSlot.objects.filter(
                    page_id=self.pk, bookings__status=VisitBooking.Status.CONFIRMED
                )
                .distinct()
                .values_list("pk", "start", "end")
            }
        if previous is not None:
            self.calendar_sequence = previous["calendar_sequence"]
            self.calendar_modified = previous["calendar_modified"]
            changed = [name for name in CALENDAR_FIELDS if previous[name] != getattr(self, name)]
        else:
            changed = list(CALENDAR_FIELDS)
        if full_save and changed:
            if previous is not None:
                self.calendar_sequence += 1
            self.calendar_modified = timezone.now()
        if self.calendar_modified is None:
            self.calendar_modified = timezone.now()
        with transaction.atomic():
            super().save(*args, **kwargs)
            moved = [
                pk
                for pk, start, end in VisitSlot.objects.filter(pk__in=booked_times).values_list(
                    "pk", "start", "end"
                )
                if booked_times[pk] != (start, end)
            ]
            if full_save and previous is not None and (changed or moved):
                from .notifications import stop_changed

                stop_changed(self, previous, changed, moved)

    def _keep_booked_slots(self):
        pending = getattr(self, "_cluster_related_objects", {}).get("slots")
        if pending is None or not self.pk:
            return
        kept = {slot.pk for slot in pending if slot.pk}
        missing = list(
            VisitSlot.objects.filter(page_id=self.pk, bookings__isnull=False)
            .exclude(pk__in=kept)
            .distinct()
        )
        if missing:
            self.slots = list(pending) + missing
        # A revision made before classes booked may give a slot less room than is booked
        # (the editor form refuses that; approval or scheduling of an older draft cannot).
        taken = dict(
            VisitSlot.objects.filter(pk__in=kept).annotate(n=places_taken()).values_list("pk", "n")
        )
        for slot in pending:
            if slot.pk and slot.capacity < taken.get(slot.pk, 0):
                slot.capacity = taken[slot.pk]

    # --- serving --------------------------------------------------------------------

    @cached_property
    def slot_owner(self):
        """The version of this stop that holds its visit slots and their bookings: the
        first one created (every language's version books the same places). Lists
        annotate ``slot_owner_pk`` (:func:`exhibitions.views.live_stops`) to avoid the query."""
        owner_id = getattr(self, "slot_owner_pk", None)
        if owner_id is None:
            owner_id = (
                ExhibitionStopPage.objects.filter(translation_key=self.translation_key)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
        if owner_id in (None, self.pk):
            return self
        return ExhibitionStopPage.objects.get(pk=owner_id)

    @cached_property
    def exhibition(self):
        """The parent ExhibitionPage (specific), loaded once per instance; lists set it
        for many stops at once (:func:`exhibitions.views.with_exhibitions`)."""
        return self.get_parent().specific

    @property
    def is_public_now(self):
        """Whether the exhibition is live and the settlement and region published."""
        load_place(self)
        settlement = self.settlement
        return self.exhibition.live and settlement.live and settlement.region.live

    def serve(self, request, *args, **kwargs):
        # A stop of an unpublished exhibition or in an unpublished place stays hidden.
        if not self.is_public_now:
            raise Http404
        return super().serve(request, *args, **kwargs)

    @path("book/<int:slot_pk>/", name="book")
    def book(self, request, slot_pk):
        from .views import booking_view

        return booking_view(self, request, slot_pk)

    def get_context(self, request, *args, **kwargs):
        from .views import stop_context

        context = super().get_context(request, *args, **kwargs)
        context.update(stop_context(self, request))
        return context


def places_taken():
    """An aggregate: visitors (pupils + adults) in a slot's active bookings."""
    return Sum(
        models.F("bookings__pupils") + models.F("bookings__adults"),
        filter=~Q(bookings__status=VisitBooking.Status.CANCELLED),
        default=0,
    )


def default_language():
    """The site's default language code (``settings.LANGUAGE_CODE``, Kazakh)."""
    return settings.LANGUAGE_CODE


class VisitSlot(Orderable):
    """A time a class can visit a stop; ``capacity`` counts visitors (pupils + adults)."""

    page = ParentalKey(ExhibitionStopPage, related_name="slots", on_delete=models.CASCADE)
    start = models.DateTimeField(_("start"), help_text=_("Local time (Asia/Almaty, UTC+5)."))
    end = models.DateTimeField(_("end"), help_text=_("Local time (Asia/Almaty, UTC+5)."))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Visitors the slot can take: pupils and accompanying adults together."),
    )

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("capacity")])]

    class Meta(Orderable.Meta):
        verbose_name = _("visit slot")
        verbose_name_plural = _("visit slots")

    def __str__(self):
        start = timezone.localtime(self.start)
        end = timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end is not after the start.")})

    def taken(self):
        """Visitors in active bookings (one query; use the ``taken`` annotation in lists)."""
        return VisitSlot.objects.filter(pk=self.pk).aggregate(n=places_taken())["n"]


def new_reference():
    """A booking reference: 8 characters without look-alikes (no 0/O, 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class VisitBooking(models.Model):
    """A school class's booking of a visit slot. Personal data: shown only in the admin to
    staff with the booking permissions, emailed only to the booker, purged by
    ``manage.py purge_visit_bookings`` (see README, "Personal data")."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")

    class CancelledBy(models.TextChoices):
        BOOKER = "booker", _("the booker")
        STAFF = "staff", _("exhibition staff")
        STOP = "stop", _("the stop was cancelled")

    # What the booker gives in the public form (personal data among it).
    BOOKER_FIELDS = [
        "school",
        "contact_name",
        "email",
        "phone",
        "grade",
        "pupils",
        "adults",
        "language",
        "special_needs",
    ]

    slot = models.ForeignKey(
        VisitSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    reference = models.CharField(
        _("reference"), max_length=8, unique=True, default=new_reference, editable=False
    )
    school = models.CharField(_("school"), max_length=255, help_text=_("Name and number."))
    contact_name = models.CharField(_("contact person"), max_length=255)
    email = models.EmailField(_("email"))
    phone = models.CharField(
        _("phone"),
        max_length=32,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()\-]{10,20}$",
                _("Enter a phone number with its code, e.g. +7 701 234 56 78."),
            )
        ],
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    pupils = models.PositiveSmallIntegerField(
        _("pupils"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    adults = models.PositiveSmallIntegerField(
        _("accompanying adults"), default=1, validators=[MaxValueValidator(100)]
    )
    language = models.CharField(
        _("tour language"), max_length=2, choices=[("kk", _("Kazakh")), ("ru", _("Russian"))]
    )
    special_needs = models.TextField(
        _("special needs"),
        blank=True,
        max_length=2000,
        help_text=_("Wheelchair users, hearing or sight, anything the guides should know."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    email_language = models.CharField(
        _("email language"),
        max_length=8,
        default=default_language,
        editable=False,
        help_text=_("The site language the booking was made in; emails use it."),
    )
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True
    )
    staff_note = models.TextField(_("staff note"), blank=True)
    # SEQUENCE of the visit in the booker's calendar: grows with each email that
    # updates or cancels it (RFC 5545 3.8.7.4).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("class visit booking")
        verbose_name_plural = _("class visit bookings")

    def __str__(self):
        return self.reference

    @property
    def visitors(self):
        return self.pupils + self.adults

    @property
    def stop(self):
        return self.slot.page.specific_deferred

    def cancel(self, by):
        """Mark cancelled by ``by`` (a :class:`CancelledBy` value) in one conditional
        UPDATE, so that of concurrent cancels exactly one wins. Returns True for the one
        that cancelled it, False if it was already cancelled (send no email then)."""
        now = timezone.now()
        changed = VisitBooking.objects.filter(pk=self.pk, status=self.Status.CONFIRMED).update(
            status=self.Status.CANCELLED, cancelled_by=by, cancelled_at=now
        )
        if changed:
            self.status, self.cancelled_by, self.cancelled_at = self.Status.CANCELLED, by, now
            bookings_changed.send(sender=VisitBooking, booking=self)
        else:
            self.refresh_from_db(fields=["status", "cancelled_by", "cancelled_at"])
        return bool(changed)


def absolute_url(page, request=None):
    """The page's absolute URL: on the host the request came to when ``request`` is given,
    else on ``settings.WAGTAILADMIN_BASE_URL`` (for emails and commands)."""
    if request is not None:
        return request.build_absolute_uri(page.get_url(request))
    parts = page.get_url_parts()
    path = parts[2] if parts else page.url_path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def retention_days():
    """Days after a visit that its booking is kept (``VISIT_BOOKING_RETENTION_DAYS``)."""
    return getattr(settings, "VISIT_BOOKING_RETENTION_DAYS", 90)


def purge_cutoff(days, now=None):
    """Bookings of slots that ended before this aware datetime are purged."""
    return (now or timezone.now()) - datetime.timedelta(days=days)
