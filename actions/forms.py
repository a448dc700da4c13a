from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Action, Campaign, City, Country


class When(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    PAST = "past", _("Past")
    ALL = "all", _("All dates")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class ActionFilterForm(forms.Form):
    """The public action list's filters, read from the query string.

    A value that does not validate is dropped with its error shown; the other filters still apply.
    """

    when = forms.ChoiceField(label=_("When"), choices=When.choices, required=False)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("All countries")), *Country.choices], required=False
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.all(), to_field_name="slug", required=False, empty_label=_("All cities")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All campaigns"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Action.Kind.choices], required=False)
    mode = forms.ChoiceField(label=_("Online or in person"), choices=[("", _("Both")), *Mode.choices], required=False)

    def filter(self, actions):
        """Narrow `actions` (an ActionQuerySet) by the valid filters; upcoming ones by default."""
        self.is_valid()
        data = self.cleaned_data
        when = data.get("when") or When.UPCOMING
        if when == When.UPCOMING:
            actions = actions.upcoming()
        elif when == When.PAST:
            actions = actions.past().order_by("-starts_at", "-pk")
        if data.get("country"):
            actions = actions.in_country(data["country"])
        if data.get("city"):
            actions = actions.filter(city=data["city"])
        if data.get("campaign"):
            actions = actions.filter(campaign=data["campaign"])
        if data.get("kind"):
            actions = actions.filter(kind=data["kind"])
        if data.get("mode") == Mode.ONLINE:
            actions = actions.online()
        elif data.get("mode") == Mode.IN_PERSON:
            actions = actions.in_person()
        return actions
