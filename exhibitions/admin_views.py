"""Admin for class-visit bookings ("Class visits"): list, filter, search, export, and
change a booking's status or staff note.

Who sees bookings (personal data): superusers and the "Exhibition staff" group
(view and change; migration ``exhibitions 0002``). Editors and moderators do not:
they curate content and never need a teacher's phone number. Wagtail has no
separate export permission: whoever may list bookings may export the filtered list
(CSV, and XLSX with openpyxl).

What staff may change: ``status`` and ``staff_note`` only. The booker's own data
(school, contact, numbers, language, needs) is shown read-only: the number of
visitors is checked against the slot's capacity under a row lock by the public
booking flow, and an edit here would bypass that. Nobody adds a booking here
(bookings come from the public form); deleting needs the ``delete`` permission
(superusers), and the retention purge is ``manage.py purge_visit_bookings``.

Cancelling (status -> cancelled) marks the booking cancelled by staff, sets
``cancelled_at`` and emails the booker once, after the transaction commits. A
cancelled booking is never reinstated: the places may have been booked since.
"""

import csv
import datetime
import re
from collections import OrderedDict

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import ExhibitionPage, ExhibitionStopPage, VisitBooking
from .notifications import send_later

# --- Permissions ----------------------------------------------------------------------


class VisitBookingPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions on VisitBooking, except that nobody may ``add`` one in
    the admin (not even a superuser): bookings come from the public form, which checks
    the slot's capacity."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "add"]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


# --- Listing: filters, columns, export ------------------------------------------------


class PageIdChoiceField(django_filters.fields.ModelChoiceField):
    """A page chosen by id; an id that the id column cannot hold (``?stop=9999...``, which
    SQLite refuses with an OverflowError) is an invalid choice, like an unknown id."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value).strip())
            except ValueError:
                pass  # not a number: Django's own check says so
            else:
                field = self.queryset.model._meta.pk
                while field.is_relation:  # ExhibitionPage.page_ptr -> Page.id
                    field = field.target_field
                low, high = connections[self.queryset.db].ops.integer_field_range(
                    field.get_internal_type()
                )
                if not max(low, 1) <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": value},
                    )
        return super().to_python(value)


class PageIdFilter(django_filters.ModelChoiceFilter):
    field_class = PageIdChoiceField


class StopChoiceField(PageIdChoiceField):
    def label_from_instance(self, stop):
        return f"{stop.title} ({timezone.localtime(stop.start):%Y-%m-%d})"


class StopFilter(django_filters.ModelChoiceFilter):
    field_class = StopChoiceField


# Visit dates the filter accepts: further out, a local date's midnight is not a UTC
# datetime (0001-01-01 00:00 in Almaty is in the year 0 in UTC: OverflowError).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


class VisitDateRangeField(django_filters.fields.DateRangeField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators += [
                MinValueValidator(EARLIEST_DATE),
                MaxValueValidator(LATEST_DATE),
            ]


class VisitDateFilter(django_filters.DateFromToRangeFilter):
    field_class = VisitDateRangeField


class VisitBookingFilterSet(WagtailFilterSet):
    """Filters of the bookings listing (GET): ``status``, ``language``, ``exhibition``
    (page id), ``stop`` (page id), ``slot_date_from``/``slot_date_to`` (local
    dates, ``YYYY-MM-DD``, both included, years 1900-2999). An invalid value (an
    unknown or out-of-range id, a bad date) is ignored, with the filter form showing
    why."""

    exhibition = PageIdFilter(
        label=_("Exhibition"),
        queryset=ExhibitionPage.objects.order_by("title"),
        method="filter_exhibition",
    )
    stop = StopFilter(
        label=_("Stop"),
        field_name="slot__page",
        queryset=ExhibitionStopPage.objects.order_by("-start"),
    )
    slot_date = VisitDateFilter(
        label=_("Visit date"),
        field_name="slot__start",
        widget=DateRangePickerWidget,
    )

    class Meta:
        model = VisitBooking
        fields = ["status", "language", "exhibition", "stop", "slot_date"]

    def filter_exhibition(self, queryset, name, exhibition):
        if not exhibition:
            return queryset
        return queryset.filter(slot__page__path__startswith=exhibition.path)


def slot_label(booking):
    """``"<stop title> · YYYY-MM-DD HH:MM–HH:MM"`` (local time)."""
    return f"{booking.slot.page.title} · {booking.slot}"


def local(value):
    return timezone.localtime(value) if value else None


# Spreadsheet apps run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = re.compile(r"^\s*[=+\-@]")
NUMBER_LIKE = re.compile(r"^\s*[+\-]?[0-9 ()\-.]*$")
# Where a spreadsheet app may start a new cell inside a value: Excel in Russian and
# Kazakh splits a CSV on ";" (list separator) and may ignore the quotes, others on ","
# or tabs; a line break may start a new row.
CELL_BREAK = re.compile(r"([;,\t\r\n])")


def csv_safe(value):
    """A string that a spreadsheet app shows as text, never runs as a formula, however
    it splits the CSV into cells: a ``'`` is added before the value and before each part
    after a ``;``, ``,``, tab or line break that starts with ``= + - @`` (spaces before
    them included). Numbers (phone numbers like ``+7 701 ...``, ``-7``) stay as they
    are."""
    if not isinstance(value, str):
        return value
    parts = CELL_BREAK.split(value)
    for index in range(0, len(parts), 2):  # the even items are text, the odd ones breaks
        part = parts[index]
        if FORMULA_START.match(part) and not NUMBER_LIKE.match(part):
            parts[index] = "'" + part
    return "".join(parts)


# Control characters a worksheet cannot hold (openpyxl refuses them); a booker may type
# them in the public form.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_safe(value):
    """A string without the control characters that a worksheet cannot hold."""
    return XLSX_ILLEGAL.sub("", value)


# Export column -> (heading, value from a booking).
EXPORT_COLUMNS = OrderedDict(
    [
        ("reference", (_("Reference"), lambda b: b.reference)),
        ("status", (_("Status"), lambda b: b.get_status_display())),
        ("exhibition", (_("Exhibition"), None)),  # filled from one query per export
        ("stop", (_("Stop"), lambda b: b.slot.page.title)),
        ("venue", (_("Venue"), lambda b: b.slot.page.venue)),
        ("settlement", (_("Settlement"), lambda b: str(b.slot.page.settlement))),
        ("slot_start", (_("Visit start"), lambda b: local(b.slot.start))),
        ("slot_end", (_("Visit end"), lambda b: local(b.slot.end))),
        ("school", (_("School"), lambda b: b.school)),
        ("contact_name", (_("Contact person"), lambda b: b.contact_name)),
        ("email", (_("Email"), lambda b: b.email)),
        ("phone", (_("Phone"), lambda b: b.phone)),
        ("grade", (_("Grade"), lambda b: b.grade)),
        ("pupils", (_("Pupils"), lambda b: b.pupils)),
        ("adults", (_("Accompanying adults"), lambda b: b.adults)),
        ("visitors", (_("Visitors"), lambda b: b.visitors)),
        ("language", (_("Tour language"), lambda b: b.get_language_display())),
        ("special_needs", (_("Special needs"), lambda b: b.special_needs)),
        ("created_at", (_("Booked at"), lambda b: local(b.created_at))),
        ("cancelled_by", (_("Cancelled by"), lambda b: b.get_cancelled_by_display())),
        ("cancelled_at", (_("Cancelled at"), lambda b: local(b.cancelled_at))),
        ("staff_note", (_("Staff note"), lambda b: b.staff_note)),
    ]
)


def _csv_datetime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class VisitBookingIndexView(generic.IndexView):
    """The bookings listing; ``?export=csv`` or ``?export=xlsx`` exports every booking
    that the current search and filters select (not only the page shown), times in
    Asia/Almaty."""

    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {
            generic.IndexView.FORMAT_CSV: _csv_datetime,
            # Spreadsheet cells have no time zone: local wall-clock time, as staff read it.
            generic.IndexView.FORMAT_XLSX: lambda value: timezone.make_naive(
                timezone.localtime(value)
            ),
        },
        str: {generic.IndexView.FORMAT_CSV: csv_safe, generic.IndexView.FORMAT_XLSX: xlsx_safe},
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("slot__page__settlement")

    def stream_csv(self, queryset):
        """Wagtail's CSV with every field quoted (numbers and dates too), after a UTF-8
        byte order mark: Excel on Windows reads the file as UTF-8 only with it (else
        Cyrillic is garbled). Quotes alone do not stop a formula: see :func:`csv_safe`."""
        # The response streams after the view returned, outside the admin user's
        # language: keep it for the headings and status labels.
        language = translation.get_language()

        def rows():
            with translation.override(language):
                yield "\ufeff".encode()
                writer = csv.DictWriter(Echo(), fieldnames=self.list_export, quoting=csv.QUOTE_ALL)
                yield writer.writerow(
                    {field: self.get_heading(queryset, field) for field in self.list_export}
                )
                for item in queryset:
                    yield self.write_csv_row(writer, self.to_row_dict(item))

        return rows()

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def to_row_dict(self, item):
        if not hasattr(self, "_exhibition_titles"):
            self._exhibition_titles = dict(ExhibitionPage.objects.values_list("path", "title"))
        row = OrderedDict()
        for name in self.list_export:
            getter = EXPORT_COLUMNS[name][1]
            if name == "exhibition":
                row[name] = self._exhibition_titles.get(item.slot.page.path[:-4], "")
            else:
                row[name] = getter(item)
        return row


# --- Editing: status and staff note ---------------------------------------------------


class VisitBookingAdminForm(WagtailAdminModelForm):
    """Staff change ``status`` and ``staff_note``. Refuses to reinstate a cancelled
    booking (``status`` error)."""

    def clean_status(self):
        status = self.cleaned_data["status"]
        was = self.initial.get("status")
        if was == VisitBooking.Status.CANCELLED and status != VisitBooking.Status.CANCELLED:
            raise ValidationError(
                _(
                    "A cancelled booking cannot be confirmed again: its places may have been "
                    "booked since. Ask the class to book again."
                )
            )
        return status


class SlotPanel(FieldPanel):
    """The booked slot, read-only, as ``"<stop title> · <local times>"``."""

    def format_value_for_display(self, value):
        return f"{value.page.title} · {value}" if value else ""


class VisitBookingEditView(generic.EditView):
    """Saves the staff note; a change of status to cancelled cancels the booking (by
    staff) and emails the booker, exactly once: the booking row is locked and re-read
    first, so a second save, a double submit or a booking cancelled meanwhile by its
    booker sends nothing."""

    def save_instance(self):
        booking = self.form.instance
        wanted = booking.status
        current = VisitBooking.objects.select_for_update().get(pk=booking.pk)
        booking.status = current.status
        booking.cancelled_by = current.cancelled_by
        booking.cancelled_at = current.cancelled_at
        booking = super().save_instance()
        self.cancelled_now = wanted == VisitBooking.Status.CANCELLED and booking.cancel(
            VisitBooking.CancelledBy.STAFF
        )
        if self.cancelled_now:
            send_later(
                booking,
                "cancelled",
                _("Your class visit is cancelled"),
                extra={"cancelled_by_staff": True},
            )
        return booking

    def get_success_message(self):
        if getattr(self, "cancelled_now", False):
            return gettext("Booking %(reference)s cancelled; the booker is being emailed.") % {
                "reference": self.object.reference
            }
        return super().get_success_message()


# --- The viewset ----------------------------------------------------------------------


class VisitBookingViewSet(ModelViewSet):
    """Registered as ``class_visits`` (URL names ``class_visits:index``, ``:edit`` ...,
    admin URL ``/admin/class-visits/``)."""

    model = VisitBooking
    name = "class_visits"
    url_prefix = "class-visits"
    icon = "group"
    menu_label = _("Class visits")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "reference",
        "status",
        "slot",
        *VisitBooking.BOOKER_FIELDS,
        "created_at",
        "cancelled_by",
        "cancelled_at",
        "staff_note",
    ]
    index_view_class = VisitBookingIndexView
    edit_view_class = VisitBookingEditView

    list_display = [
        "reference",
        "school",
        Column("slot", label=_("Slot"), accessor=slot_label, sort_key="slot__start"),
        Column("visitors", label=_("Visitors"), accessor="visitors"),
        "language",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda b: b.status == VisitBooking.Status.CONFIRMED,
            sort_key="status",
        ),
        DateColumn("created_at", label=_("Booked at"), sort_key="created_at"),
    ]
    ordering = "-created_at"
    filterset_class = VisitBookingFilterSet
    search_fields = ["reference", "school", "contact_name", "email"]
    search_backend_name = None
    list_export = list(EXPORT_COLUMNS)
    export_headings = {name: heading for name, (heading, _getter) in EXPORT_COLUMNS.items()}
    export_filename = "class-visits"

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("reference", read_only=True), SlotPanel("slot", read_only=True)]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("school", read_only=True),
                            FieldPanel("grade", read_only=True),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("contact_name", read_only=True),
                            FieldPanel("email", read_only=True),
                            FieldPanel("phone", read_only=True),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("pupils", read_only=True),
                            FieldPanel("adults", read_only=True),
                            FieldPanel("language", read_only=True),
                        ]
                    ),
                    FieldPanel("special_needs", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("created_at", read_only=True),
                            FieldPanel("cancelled_by", read_only=True),
                            FieldPanel("cancelled_at", read_only=True),
                        ]
                    ),
                ],
                heading=_("The booking (as the booker made it)"),
            ),
            FieldPanel(
                "status",
                help_text=_(
                    "Cancelling emails the booker. A cancelled booking cannot be confirmed again."
                ),
            ),
            FieldPanel("staff_note"),
        ],
        base_form_class=VisitBookingAdminForm,
    )

    def get_permissions_to_register(self):
        # "add" is never granted (see VisitBookingPermissionPolicy): do not offer it.
        return super().get_permissions_to_register().exclude(codename="add_visitbooking")
