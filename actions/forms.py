import datetime
import unicodedata
import zoneinfo
from decimal import Decimal

import idna
import phonenumbers
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core.validators import EmailValidator
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.admin import HTTPS_URL_FIELDS
from common.countries import Country
from places.distance import unit_for
from places.search import AmbiguousPlace, Location, PlaceNotFound, PlaceProblem, locate, time_zone_near

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
from .nearby import Nearby, nearby


class When(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    PAST = "past", _("Past")
    ALL = "all", _("All dates")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


RADII = (25, 50, 100, 250)  # in the search's unit, miles or kilometres
DEFAULT_RADIUS = 100
ANY_DISTANCE = "any"
RADIUS_REFUSED = _("Choose one of the distances offered: this search uses the default.")


class ListedChoiceIterator(ModelChoiceIterator):
    """A ModelChoiceField's choices read in one plain query: Django's iterator streams them through a
    server-side cursor, three round trips more (1.2 ms of a search) for a handful of rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


def campaign_filter() -> forms.ModelChoiceField:
    """An optional filter by campaign, by slug, its choices named as read in the page's language."""
    field = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All campaigns"),
    )
    field.iterator = ListedChoiceIterator
    return field


class ActionFilterForm(forms.Form):
    """The public action list's search and filters, read from the query string.

    A value that does not validate is dropped with its error shown; the other filters still apply.
    `near` is looked up in places: found, it is `location`; else the field has the error, with the
    places to choose among (`place_choices`) or that it may have meant (`place_suggestions`)."""

    FILTERS = ("when", "country", "campaign", "kind", "mode")

    near = forms.CharField(
        label=_("ZIP code, código postal or city"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search", "autocomplete": "postal-code"}),
    )
    radius = forms.ChoiceField(label=_("Within"), required=False)
    when = forms.ChoiceField(label=_("When"), choices=When.choices, required=False)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("All countries")), *Country.choices], required=False
    )
    campaign = campaign_filter()
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Action.Kind.choices], required=False)
    mode = forms.ChoiceField(label=_("Online or in person"), choices=[("", _("Both")), *Mode.choices], required=False)

    def __init__(self, data=None, *args, **kwargs):
        self.refused_radius = None
        if data is not None and data.get("radius") not in {*map(str, RADII), ANY_DISTANCE}:
            # The radius shown is the one searched with: the default, with a word if another was refused.
            self.refused_radius = data.get("radius") or None
            data = data.copy()
            data["radius"] = str(DEFAULT_RADIUS)
        super().__init__(data, *args, **kwargs)
        self.location: Location | None = None
        self.place_choices: list[Location] = []
        self.place_suggestions: list[Location] = []
        self.language = translation.get_language() or settings.LANGUAGE_CODE
        self._radius_choices(unit_for("US", self.language))

    def _radius_choices(self, unit: str) -> None:
        self.unit = unit
        labels = {"mi": _("%(radius)s mi"), "km": _("%(radius)s km")}
        radius = self.fields["radius"]
        assert isinstance(radius, forms.ChoiceField)
        radius.choices = [
            *((str(radius), labels[unit] % {"radius": radius}) for radius in RADII),
            (ANY_DISTANCE, _("any distance")),
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.refused_radius:
            self.add_error("radius", RADIUS_REFUSED)
        if data.get("near"):
            try:
                self.location = locate(data["near"], country=data.get("country") or "")
            except AmbiguousPlace as problem:
                self.add_error("near", problem.message)
                self.place_choices = problem.choices
            except PlaceNotFound as problem:
                self.add_error("near", problem.message)
                self.place_suggestions = problem.suggestions
            else:
                self._radius_choices(unit_for(self.location.country, self.language))
        return data

    def filter_fields(self) -> list:
        return [self[name] for name in self.FILTERS]

    def chosen_filters(self) -> int:
        """How many of the other filters are set: "More filters" says so, folded, so that the first
        result stays near the top of a phone's screen."""
        return sum(1 for name in self.FILTERS if self.data.get(name))

    def filter_errors(self) -> bool:
        return any(name in self.errors for name in self.FILTERS)

    @property
    def search_radius(self) -> int | None:
        """The search's radius in `unit`; None for any distance. DEFAULT_RADIUS unless chosen."""
        chosen = self.cleaned_data.get("radius") or str(DEFAULT_RADIUS)  # or an invalid one
        return None if chosen == ANY_DISTANCE else int(chosen)

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
        if data.get("campaign"):
            actions = actions.filter(campaign=data["campaign"])
        if data.get("kind"):
            actions = actions.filter(kind=data["kind"])
        if data.get("mode") == Mode.ONLINE:
            actions = actions.online()
        elif data.get("mode") == Mode.IN_PERSON:
            actions = actions.in_person()
        return actions

    def nearby(self, actions) -> Nearby | None:
        """`actions` (filtered) searched near the place asked for; None without one, or for online
        actions only."""
        if self.location is None or self.cleaned_data.get("mode") == Mode.ONLINE:
            return None
        online = self.cleaned_data.get("mode") != Mode.IN_PERSON and not self.cleaned_data.get("country")
        return nearby(actions, self.location, unit=self.unit, radius=self.search_radius, online=online)


class NormalizedEmailField(forms.EmailField):
    """An address as one mailbox is written once, its domain lowercased and IDNA-encoded by UTS #46 and
    IDNA 2008 (the `idna` package): exämple.com -> xn--exmple-cua.com, ß.de -> xn--zca.de.

    Python's own codec (IDNA 2003) maps ß to "ss" and drops zero-width characters: another domain than
    the one typed, whose owner would get the volunteer's links. So an address whose normalization
    changes more than letter case (fullwidth letters, characters that vanish) is refused, and so are a
    domain without a dot (localhost) and an address literal ([127.0.0.1])."""

    default_validators = [EmailValidator(allowlist=[]), no_control_characters]

    def to_python(self, value):
        value = super().to_python(value)
        if not value:  # the field's empty_value, "" unless the form asked for None
            return value
        local, at, domain = value.rpartition("@")
        if not at:
            return value
        if '"' in local or "\\" in local:
            # A quoted local part ("ana"@, "an\a"@) is the same mailbox as ana@ written anew: it would let
            # one inbox be signed up, and sent to, once per spelling.
            raise forms.ValidationError(
                _("Write the address without quotation marks or backslashes."), code="quoted_address"
            )
        if len(local) > 64:  # RFC 5321, 4.5.3.1.1: servers may refuse a longer one
            raise forms.ValidationError(EmailValidator.message, code="invalid")
        return f"{local}@{ascii_domain(domain)}"


def ascii_domain(domain: str) -> str:
    """`domain` as mail servers read it (A-labels, lowercase). Raises ValidationError for a domain
    that is not one, has no dot, is an address literal, or would not read back as typed (but for case
    and Unicode's canonical composition, NFC)."""
    if domain.startswith("["):
        raise forms.ValidationError(_("Enter an address with a domain name, not a network address."), code="literal")
    try:
        encoded = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
        readback = idna.decode(encoded)
    except (idna.IDNAError, UnicodeError):
        raise forms.ValidationError(EmailValidator.message, code="invalid") from None
    if unicodedata.normalize("NFC", domain).lower() not in (encoded, readback):  # A-labels typed, or U-labels
        raise forms.ValidationError(
            _(
                "The part after @ has characters that would change when the email is sent (invisible or "
                "wide ones). Type it again with plain letters."
            ),
            code="changed_domain",
        )
    labels = encoded.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        raise forms.ValidationError(_("Enter an address with a full domain, such as example.org."), code="no_dot")
    return encoded


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
    share_with_host = forms.BooleanField(
        label=_("The action’s host may see my email and phone, to reach me about it (optional)."),
        required=False,
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", translation.get_language())
        super().__init__(*args, **kwargs)
        if answers_challenge(self.data):
            self.add_challenge()
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

    @classmethod
    def with_challenge(cls, data, *, action) -> "SignupForm":
        """The form as `data` filled it in, errors unasked, with the challenge to answer."""
        form = cls(initial={name: data.get(name) for name in ("name", "email", "phone", "language")}, action=action)
        form.initial["consent"] = bool(data.get("consent"))
        form.initial["share_with_host"] = bool(data.get("share_with_host"))
        form.add_challenge()
        return form

    def add_challenge(self) -> None:
        """Ask for the challenge (a signup limit tripped: actions/limits.py), keeping what was typed."""
        self.fields["challenge"] = ChallengeField()

    @property
    def challenge_passed(self) -> bool:
        """Whether the form carried the challenge, answered right (only once is_valid() is True)."""
        return "challenge" in self.fields and "challenge" in self.cleaned_data

    def full_clean(self):
        super().full_clean()
        # Sent back with errors, the page opens on the first field to correct, so that a screen
        # reader reads it with its error (aria-describedby) at once.
        if first := next((name for name in self.fields if name in self.errors), None):
            self.fields[first].widget.attrs["autofocus"] = True


def answers_challenge(data) -> bool:
    """Whether submitted form `data` carries an answer to the challenge (its picture's key)."""
    return data is not None and "challenge_0" in data


class ChallengeInput(CaptchaTextInput):
    """The picture, with its size, and the answer's box. No 2x version for sharp screens: the library
    draws it with letters twice the size on a picture of the same size, cutting some off."""

    template_name = "actions/widgets/challenge.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["width"], context["height"] = settings.CAPTCHA_IMAGE_SIZE
        return context


class ChallengeField(CaptchaField):
    """The letters of a picture served from this site (django-simple-captcha): no third party, no
    JavaScript. Each picture can be answered once; a wrong answer gets a new one."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Type the letters in the picture"),
            widget=ChallengeInput(),
            error_messages={"invalid": _("Those are not the letters of the picture. Try this new one.")},
            **kwargs,
        )


class ChallengeForm(forms.Form):
    """The challenge alone (the confirmation page's): asked with `ask`, and checked whenever `data`
    carries an answer."""

    def __init__(self, data=None, *, ask: bool):
        answering = answers_challenge(data)
        super().__init__(data if answering else None)
        if ask or answering:
            self.fields["challenge"] = ChallengeField()

    @property
    def passed(self) -> bool:
        """None asked, or answered right."""
        return not self.fields or (self.is_bound and self.is_valid())


class SignupManageForm(forms.Form):
    """The buttons of a volunteer's manage page."""

    operation = forms.ChoiceField(
        choices=[("language", "language"), ("sharing", "sharing"), ("cancel", "cancel"), ("erase", "erase")]
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    share_with_host = forms.BooleanField(required=False)
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


# Plain date and time inputs: the admin's calendar widgets' "Now" and "hours ahead of server time"
# speak of the server's zone.
LOCAL_WIDGET = forms.SplitDateTimeWidget(
    date_attrs={"type": "date"}, time_attrs={"type": "time"}, date_format="%Y-%m-%d", time_format="%H:%M"
)
NONEXISTENT_TIME = _("This time does not exist in %(zone)s: the clocks skip it that day.")


class LocalTimesModelForm(forms.ModelForm):
    """A ModelForm of a row with a zone (an action, a proposal), whose LOCAL_FIELDS (aware datetimes,
    fields of class WallClockDateTimeField) are typed and shown in the row's own zone, not the
    server's: an organizer in New York types 18:00 for a Tijuana vigil at 18:00. Cleaned, they are
    aware in UTC. A time the clocks skip is refused next to its field; one that occurs twice is taken as
    the first (see aware_in_zone); a stored time sent back as shown is kept as stored (the hour that
    occurs twice must not move by an hour); a year outside ACTION_YEARS is refused. The model's own
    checks wait until the times are valid.

    A local host's rows take place in one of their cities (`hosted_cities`, set by the admin on the
    form class it makes per request): another city, or none (online), is refused next to the city."""

    LOCAL_FIELDS: tuple[str, ...] = ()
    # The cities of the local host filling in the form (roles.hosted_cities); None for organizers,
    # whose rows may be anywhere or online.
    hosted_cities: models.QuerySet[City] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.hosted_cities is not None and "city" in self.fields:
            # A row with no city would be outside their cities: they could not even open it again.
            city = self.fields["city"]
            assert isinstance(city, forms.ModelChoiceField)
            city.queryset = self.hosted_cities
            city.required = True
            city.error_messages["required"] = _("A local host’s action must take place in one of their cities.")
        for name in self.LOCAL_FIELDS:
            if self.instance.pk and getattr(self.instance, name):
                # To the minute, as the time input shows it.
                local = timezone.make_naive(getattr(self.instance, name), self.instance.zone)
                self.initial[name] = local.replace(second=0, microsecond=0)

    def times_zone(self, cleaned: dict) -> zoneinfo.ZoneInfo:
        """The zone the times were typed in, as the form's other fields now say (its city...)."""
        return self.instance.zone

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns; typed as a dict
        zone = self.times_zone(cleaned)
        for name in self.LOCAL_FIELDS:
            if self._unchanged(name, cleaned, zone):
                cleaned[name] = getattr(self.instance, name)
            elif cleaned.get(name) and not in_action_years(cleaned[name], zone):
                self.add_error(name, YEAR_OUT_OF_RANGE)
            elif cleaned.get(name):
                try:
                    cleaned[name] = aware_in_zone(cleaned[name], zone).astimezone(datetime.UTC)  # real-time arithmetic
                except NonexistentLocalTime:
                    self.add_error(name, NONEXISTENT_TIME % {"zone": zone.key})
        return cleaned

    @property
    def local_times_valid(self) -> bool:
        return not any(name in self.errors for name in self.LOCAL_FIELDS)

    def _unchanged(self, name: str, cleaned: dict, zone) -> bool:
        stored = getattr(self.instance, name) if self.instance.pk else None
        return stored is not None and zone == self.instance.zone and cleaned.get(name) == self.initial.get(name)

    def _post_clean(self) -> None:
        # With a refused start or end the model's own checks would compare against the stored value.
        if self.local_times_valid:
            super()._post_clean()  # type: ignore[misc]  # the hook is Django's, missing from django-stubs


class ActionAdminForm(LocalTimesModelForm):
    """An action in the admin: its times in its own zone (its city's, or online the campaign's; see
    LocalTimesModelForm), a local host's in one of their cities."""

    LOCAL_FIELDS = ("starts_at", "ends_at", "signup_deadline")

    class Meta:
        model = Action
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields
        formfield_callback = staticmethod(
            lambda field, **kwargs: field.formfield(**kwargs, **HTTPS_URL_FIELDS.get(type(field), {}))
        )
        field_classes = {name: WallClockDateTimeField for name in ("starts_at", "ends_at", "signup_deadline")}
        widgets = {name: LOCAL_WIDGET for name in ("starts_at", "ends_at", "signup_deadline")}
        help_texts = {
            "starts_at": _("Local time of the action’s city; for online actions, of the campaign’s time zone."),
            "ends_at": _("Local time of the action’s city; for online actions, of the campaign’s time zone."),
        }

    def times_zone(self, cleaned: dict) -> zoneinfo.ZoneInfo:
        return zone_for(cleaned.get("city"), cleaned.get("campaign"))


COORDINATES_NEEDED = _("Enter the coordinates, or a postal code or city in “Look up”.")


class CityAdminForm(forms.ModelForm):
    """A city in the admin. A new one needs its coordinates, so that a search nearby finds its
    actions: typed, or filled in from GeoNames' data by a postal code or name in "Look up", or else
    by the city's English name and region. The lookup also fills an empty time zone."""

    lookup = forms.CharField(
        label=_("Look up"),
        required=False,
        max_length=100,
        help_text=_("A postal code or a city name: fills in the coordinates, and the time zone if empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].required = False  # a lookup may fill it; clean() requires it after

    def clean(self):
        super().clean()
        data = self.cleaned_data
        text = data.get("lookup") or ""
        given = [data.get(name) is not None for name in ("latitude", "longitude")]
        if any(given) and not all(given) and not text:
            self.add_error("longitude" if given[0] else "latitude", _("Enter both coordinates."))
            return data
        missing = not all(given)
        if "lookup" in self.errors:  # its own error said; no guess by the name on top of it
            return data
        if not text and missing and self.instance.pk is None:
            text = ", ".join(part for part in (data.get("name_en"), data.get("region_en")) if part)
        if text and (missing or data.get("lookup")):
            self._fill_from(text, data)
        elif missing and self.instance.pk is None:
            self.add_error("latitude", COORDINATES_NEEDED)
        if not data.get("time_zone") and "time_zone" not in self.errors:
            self.add_error("time_zone", forms.Field.default_error_messages["required"])
        return data

    def _fill_from(self, text: str, data: dict) -> None:
        try:
            location = locate(text, country=data.get("country") or "")
        except PlaceProblem as problem:
            if data.get("lookup"):
                self.add_error("lookup", problem.with_options())
            else:  # looked up by the city's name, unasked
                self.add_error("latitude", f"{COORDINATES_NEEDED} {problem.with_options()}")
            return
        data["latitude"] = Decimal(f"{location.latitude:.5f}")
        data["longitude"] = Decimal(f"{location.longitude:.5f}")
        if not data.get("time_zone"):
            data["time_zone"] = time_zone_near(location)


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
