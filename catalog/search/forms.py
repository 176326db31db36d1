"""The GET form of the search page: the query and its filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import clean
from .kinds import KINDS


class SearchForm(forms.Form):
    """``q`` (any text; cleaned by :func:`catalog.search.engine.clean`), ``kind``
    (a name in :data:`catalog.search.kinds.KINDS`) and ``region`` (an ISO code among
    ``regions``). An unknown kind or region is a field error, never an exception;
    ``cleaned_data`` keeps the fields that are valid."""

    q = forms.CharField(required=False, strip=False, label=_("Street or person’s name"))
    kind = forms.ChoiceField(required=False, label=_("Show"))
    region = forms.ChoiceField(required=False, label=_("Region"))

    def __init__(self, data, *, regions):
        super().__init__(data)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (kind.name, kind.label_plural) for kind in KINDS.values()
        ]
        self.fields["region"].choices = [("", _("All regions"))] + [
            (region.iso_code, region.name) for region in regions
        ]

    def clean_q(self):
        return clean(self.cleaned_data["q"])
