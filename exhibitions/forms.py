"""The exhibition and stop editors' guards for booked slots (the public forms are in
views.py)."""

from django.db.models import Max
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from .models import VisitBooking, VisitSlot, places_taken


class KeepsBookedStopsForm(WagtailAdminPageForm):
    """Refuses an expiry (``expire_at``) before the end of the last slot with a confirmed
    booking at or below the page: its stops would vanish with classes expecting them."""

    expiry_error = _(
        "Classes are booked until %(end)s: the page cannot expire before. Cancel the "
        "stop instead; its bookers are then emailed."
    )

    def clean(self):
        cleaned_data = super().clean()
        expire_at = cleaned_data.get("expire_at")
        if expire_at and self.instance.pk:
            last_booked = VisitBooking.objects.filter(
                slot__page__path__startswith=self.instance.path,
                status=VisitBooking.Status.CONFIRMED,
            ).aggregate(end=Max("slot__end"))["end"]
            if last_booked and expire_at < last_booked:
                self.add_error(
                    "expire_at",
                    self.expiry_error
                    % {"end": date_format(localtime(last_booked), "DATETIME_FORMAT")},
                )
        return cleaned_data


class ExhibitionStopPageForm(KeepsBookedStopsForm):
    """Refuses to remove a slot that has bookings (cancelled ones included: they are kept
    until purged), to shrink a slot below its booked visitors, or to let a stop with
    confirmed bookings expire before its last booked slot ends."""

    expiry_error = _(
        "Classes are booked until %(end)s: the stop cannot expire before. Cancel it "
        "instead; its bookers are then emailed."
    )

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("slots")
        if formset is None:
            return cleaned_data
        forms_by_pk = {form.instance.pk: form for form in formset.forms if form.instance.pk}
        booked = set(
            VisitBooking.objects.filter(slot__in=forms_by_pk).values_list("slot_id", flat=True)
        )
        taken = dict(
            VisitSlot.objects.filter(pk__in=booked)
            .annotate(n=places_taken())
            .values_list("pk", "n")
        )
        for pk, form in forms_by_pk.items():
            if pk not in booked or not form.is_valid():
                continue
            if formset.can_delete and formset._should_delete_form(form):
                if taken[pk]:
                    message = ngettext(
                        "The slot %(slot)s has a booking for %(count)d visitor: it cannot be "
                        "removed. Cancel the stop instead; its bookers are then emailed.",
                        "The slot %(slot)s has bookings for %(count)d visitors: it cannot be "
                        "removed. Cancel the stop instead; its bookers are then emailed.",
                        taken[pk],
                    ) % {"slot": form.instance, "count": taken[pk]}
                else:
                    message = _(
                        "The slot %(slot)s has cancelled bookings, kept until they are purged: "
                        "it cannot be removed before then."
                    ) % {"slot": form.instance}
                self.add_error(None, message)
            elif form.cleaned_data.get("capacity", 0) < taken[pk]:
                form.add_error(
                    "capacity",
                    _("%(count)d visitors are already booked; the capacity cannot be lower.")
                    % {"count": taken[pk]},
                )
        return cleaned_data


class ExhibitionPageForm(KeepsBookedStopsForm):
    expiry_error = _(
        "Classes are booked until %(end)s: the exhibition cannot expire before. Cancel the "
        "stop instead; its bookers are then emailed."
    )
