from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from actions.forms import campaign_filter
from common.countries import Country

from .models import Demand, Outcome


class OutcomeFilterForm(forms.Form):
    """The outcome timeline's filters, read from the query string. A value that does not validate is
    dropped with its error shown; the other filters still apply."""

    demand = forms.ModelChoiceField(
        label=_("Demand"),
        queryset=Demand.objects.for_listing(),
        to_field_name="slug",
        required=False,
        empty_label=_("All demands"),
    )
    campaign = campaign_filter()
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("All countries")), *Country.choices], required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named by a slug of the English name: the same link works in both languages.
        institutions = [(slugify(english), english, name) for english, name in Outcome.objects.institutions()]
        self.institutions = {slug: english for slug, english, _name in institutions}
        institution, year = self.fields["institution"], self.fields["year"]
        assert isinstance(institution, forms.ChoiceField) and isinstance(year, forms.ChoiceField)
        institution.choices = [("", _("All institutions")), *((slug, name) for slug, _english, name in institutions)]
        year.choices = [("", _("All years")), *((y, y) for y in Outcome.objects.years())]

    def filter(self, outcomes):
        """Narrow `outcomes` (an OutcomeQuerySet) by the valid filters."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("demand"):
            outcomes = outcomes.filter(demands=data["demand"])
        if data.get("campaign"):
            outcomes = outcomes.filter(campaign=data["campaign"])
        if data.get("institution"):
            outcomes = outcomes.by_institution(self.institutions[data["institution"]])
        if data.get("country"):
            outcomes = outcomes.filter(country=data["country"])
        if data.get("year"):
            outcomes = outcomes.filter(date__year=data["year"])
        return outcomes
