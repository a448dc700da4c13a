import datetime
import unicodedata

import phonenumbers
from django import forms
from django.conf import settings
from django.core.validators import EmailValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.admin import HTTPS_URL_FIELDS
from common.countries import Country

from .localtime import NonexistentLocalTime, aware_in_zone
from .models import (
    YEAR_OUT_OF_RANGE,
    Action,
    Campaign,
    City,
    Signup,
    in_action_years,
    no_control_characters,
    zone_for,
)


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
        value = super().to_python(value)
        if not value:  # the field's empty_value, "" unless the form asked for None
            return value
        value = unicodedata.normalize("NFKC", value)
        local, at, domain = value.rpartition("@")
        if not at:
            return value
        if '"' in local or "\\" in local:
            # A quoted local part ("ana"@, "an\a"@) is the same mailbox as ana@ written anew: it would let
            # one inbox be signed up, and sent to, once per spelling.
            raise forms.ValidationError(
                _("Write the address without quotation marks or backslashes."), code="quoted_address"
            )
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


# Completed with SIGNUP_RETENTION_DAYS when the form is made, in the language of its page.
CONSENT_LABEL = _(
    "I agree that the organizers store my name, email and phone to organize this action and "
    "remind me of it. Only the action’s organizers see them. They are erased %(days)s days "
    "after the action ends, or at any time with the link in my emails."
)


class SignupForm(forms.Form):
    """A volunteer's signup: as little as the organizers need. `website` is a honeypot: people never
    see it (hidden by CSS and from assistive technology); bots fill it in."""

    name = forms.CharField(label=_("Your name"), max_length=100, validators=[no_control_characters])
    email = NormalizedEmailField(label=_("Email"), max_length=254)
    phone = PhoneField(label=_("Phone (optional)"), required=False)
    language = forms.ChoiceField(label=_("Language for emails"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": _("Tick this box to sign up: we cannot store your details without it.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", translation.get_language())
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = CONSENT_LABEL % {"days": settings.SIGNUP_RETENTION_DAYS}
        phone = self.fields["phone"]
        assert isinstance(phone, PhoneField)
        phone.region = action.city.country if action.city else None
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


class WallClockDateTimeField(forms.SplitDateTimeField):
    """A date and a time exactly as typed, as a naive datetime: the form knows the zone, not the field."""

    def compress(self, data_list):
        # Under UTC, Django's conversion from the "current" zone can neither fail nor shift the time.
        with timezone.override(datetime.UTC):
            moment = super().compress(data_list)
        return moment and moment.replace(tzinfo=None)


class ActionAdminForm(forms.ModelForm):
    """Start and end are typed and shown in the action's own zone (its city's, or online the
    campaign's), not the server's: an organizer in New York types 18:00 for a Tijuana vigil at 18:00.
    Plain date and time inputs replace the admin's calendar widgets, whose "Now" and "hours ahead
    of server time" speak of the server's zone. A time the clocks skip is refused next to its field;
    one that occurs twice is taken as the first (see aware_in_zone)."""

    LOCAL_FIELDS = ("starts_at", "ends_at", "signup_deadline")

    class Meta:
        model = Action
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields
        formfield_callback = staticmethod(
            lambda field, **kwargs: field.formfield(**kwargs, **HTTPS_URL_FIELDS.get(type(field), {}))
        )
        field_classes = {name: WallClockDateTimeField for name in ("starts_at", "ends_at", "signup_deadline")}
        widgets = {
            name: forms.SplitDateTimeWidget(
                date_attrs={"type": "date"}, time_attrs={"type": "time"}, date_format="%Y-%m-%d", time_format="%H:%M"
            )
            for name in ("starts_at", "ends_at", "signup_deadline")
        }
        help_texts = {
            "starts_at": _("Local time of the action’s city; for online actions, of the campaign’s time zone."),
            "ends_at": _("Local time of the action’s city; for online actions, of the campaign’s time zone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.LOCAL_FIELDS:
                if getattr(self.instance, name):
                    self.initial[name] = timezone.make_naive(getattr(self.instance, name), self.instance.zone)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns; typed as a dict
        zone = zone_for(cleaned.get("city"), cleaned.get("campaign"))
        for name in self.LOCAL_FIELDS:
            if self._unchanged(name, cleaned, zone):
                # Kept as stored: a time in the hour that occurs twice (clocks fall back) reads the
                # same either way, and must not move by an hour when the form is saved unchanged.
                cleaned[name] = getattr(self.instance, name)
            elif cleaned.get(name) and not in_action_years(cleaned[name], zone):
                self.add_error(name, YEAR_OUT_OF_RANGE)
            elif cleaned.get(name):
                try:
                    cleaned[name] = aware_in_zone(cleaned[name], zone).astimezone(datetime.UTC)  # real-time arithmetic
                except NonexistentLocalTime:
                    self.add_error(
                        name,
                        _("This time does not exist in %(zone)s: the clocks skip it that day.") % {"zone": zone.key},
                    )
        return cleaned

    def _unchanged(self, name: str, cleaned: dict, zone) -> bool:
        stored = getattr(self.instance, name) if self.instance.pk else None
        return stored is not None and zone == self.instance.zone and cleaned.get(name) == self.initial.get(name)

    def _post_clean(self) -> None:
        # With a refused start or end the model's own checks would compare against the stored value.
        if not any(name in self.errors for name in self.LOCAL_FIELDS):
            super()._post_clean()  # type: ignore[misc]  # the hook is Django's, missing from django-stubs


class DuplicateToCitiesForm(forms.Form):
    cities = forms.ModelMultipleChoiceField(
        label=_("Cities"), queryset=City.objects.all(), widget=forms.CheckboxSelectMultiple
    )


class SignupAdminForm(forms.ModelForm):
    """The same checks as the public form: an organizer typing in a signup by hand gets them too."""

    phone = PhoneField(label=_("phone"), required=False)

    class Meta:
        model = Signup
        fields = "__all__"  # noqa: DJ007 - the admin's fields and read-only fields choose
        field_classes = {"email": NormalizedEmailField}
