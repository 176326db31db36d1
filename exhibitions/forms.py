"""Forms: the stop editor's guard for booked slots, the public schedule filters and the
class-visit booking form."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from .models import VisitSlot, places_taken


class ExhibitionStopPageForm(WagtailAdminPageForm):
    """Refuses to remove a booked slot or to shrink a slot below its bookings."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("slots")
        if formset is None:
            return cleaned_data
        forms_by_pk = {form.instance.pk: form for form in formset.forms if form.instance.pk}
        taken = dict(
            VisitSlot.objects.filter(pk__in=forms_by_pk)
            .annotate(n=places_taken())
            .values_list("pk", "n")
        )
        for pk, form in forms_by_pk.items():
            if not taken.get(pk) or not form.is_valid():
                continue
            if formset.can_delete and formset._should_delete_form(form):
                self.add_error(
                    None,
                    ngettext(
                        "The slot %(slot)s has a booking for %(count)d visitor: it cannot be "
                        "removed. Cancel the stop instead; its bookers are then emailed.",
                        "The slot %(slot)s has bookings for %(count)d visitors: it cannot be "
                        "removed. Cancel the stop instead; its bookers are then emailed.",
                        taken[pk],
                    )
                    % {"slot": form.instance, "count": taken[pk]},
                )
            elif form.cleaned_data.get("capacity", 0) < taken[pk]:
                form.add_error(
                    "capacity",
                    _("%(count)d visitors are already booked; the capacity cannot be lower.")
                    % {"count": taken[pk]},
                )
        return cleaned_data
