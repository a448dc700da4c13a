import unicodedata

import phonenumbers
from django import forms
from django.conf import settings
from django.core.validators import EmailValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Action, Campaign, City, Country, no_control_characters


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


class NormalizedEmailField(forms.EmailField):
    """An address as one mailbox is written once: compatibility forms folded (fullwidth letters),
    the domain lowercased and IDNA-encoded (exämple.com -> xn--exmple-cua.com)."""

    default_validators = [*forms.EmailField.default_validators, no_control_characters]

    def to_python(self, value):
        value = unicodedata.normalize("NFKC", super().to_python(value))
        local, at, domain = value.rpartition("@")
        if not at:
            return value
        try:
            domain = domain.lower().encode("idna").decode("ascii")
        except UnicodeError:
            raise forms.ValidationError(EmailValidator.message, code="invalid") from None
        return f"{local}@{domain}"


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A phone number in any common notation; cleaned to E.164 ("+525512345678").

    Without a country code, it is read as a number of `region` (the action's country)."""

    def __init__(self, *, region: str | None = None, **kwargs):
        super().__init__(max_length=30, widget=TelInput, **kwargs)
        self.region = region

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, self.region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("Enter a valid phone number, with its country code (such as +1 or +52)."),
                code="invalid_phone",
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SignupForm(forms.Form):
    """A volunteer's signup: as little as the organizers need. `website` is a honeypot: people never
    see it (hidden by CSS and from assistive technology); bots fill it in."""

    name = forms.CharField(label=_("Your name"), max_length=100, validators=[no_control_characters])
    email = NormalizedEmailField(label=_("Email"), max_length=254)
    phone = PhoneField(label=_("Phone (optional)"), required=False)
    language = forms.ChoiceField(label=_("Language for emails"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        label=_(
            "I agree that the organizers store my name, email and phone to organize this action and "
            "remind me of it. Only the action’s organizers see them. They are erased %(days)s days "
            "after the action ends, or at any time with the link in my emails."
        ),
        error_messages={"required": _("Tick this box to sign up: we cannot store your details without it.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", translation.get_language())
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = self.fields["consent"].label % {"days": settings.SIGNUP_RETENTION_DAYS}
        self.fields["phone"].region = action.city.country if action.city else None
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_from_a_bot(self) -> bool:
        return bool(self.data.get("website"))

    def full_clean(self):
        super().full_clean()
        # Sent back with errors, the page opens on the first field to correct, so that a screen
        # reader reads it with its error (aria-describedby) at once.
        if first := next((name for name in self.fields if name in self.errors), None):
            self.fields[first].widget.attrs["autofocus"] = True


class SignupManageForm(forms.Form):
    """The buttons of a volunteer's manage page."""

    operation = forms.ChoiceField(choices=[("language", "language"), ("cancel", "cancel"), ("erase", "erase")])
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    # Cancelling and erasing cannot be undone: the first press asks, the second (confirmed) does it.
    confirmed = forms.BooleanField(required=False)

    def needs_confirmation(self) -> bool:
        return self.cleaned_data["operation"] in ("cancel", "erase") and not self.cleaned_data["confirmed"]
