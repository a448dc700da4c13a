"""The would-be host's proposal form (/<lang>/host/), and the same form to correct a proposal that
coordinators sent back (its edit link)."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.forms import ChallengeField, ListedChoiceIterator, NormalizedEmailField, PhoneField, answers_challenge
from actions.localtime import NonexistentLocalTime, aware_in_zone
from actions.models import ACTION_YEARS, YEAR_OUT_OF_RANGE, Campaign, City
from places.search import AmbiguousPlace, Location, PlaceNotFound, locate

from ..models import Proposal
from ..places import UnknownTimeZone, city_match, city_save

# The earliest date on Earth right now (UTC-12): a start before it is past wherever the action is.
EARLIEST_ZONE = zoneinfo.ZoneInfo("Etc/GMT+12")

TEXT_LABELS = {
    # (field, language): (its label when it is the host's language, when it is the other one)
    ("title", "en"): (_("Title (English)"), _("Title in English (optional)")),
    ("title", "es"): (_("Title (Spanish)"), _("Title in Spanish (optional)")),
    ("description", "en"): (_("Description (English)"), _("Description in English (optional)")),
    ("description", "es"): (_("Description (Spanish)"), _("Description in Spanish (optional)")),
}
OTHER_LANGUAGE = {"en": _("Also in English (optional)"), "es": _("Also in Spanish (optional)")}

# Completed with SIGNUP_RETENTION_DAYS when the form is made, in the language of its page.
CONSENT_LABEL = _(
    "I agree that the coordinators store my name, email and phone to review and run this action. "
    "They are erased %(days)s days after it. Volunteers who reply to my messages see my email."
)
PLACE_NEEDED = _("Enter the ZIP code, código postal or city of the action, or tick “The action is online”.")
NO_TIME_ZONE = _("We could not tell the time zone of this place. Enter the nearest city instead.")
STARTS_IN_THE_PAST = _("This time has passed: the action must start in the future.")
ENDS_BEFORE_START = _("The action must end after it starts.")
TIMES_BEFORE_THE_PLACE = _(
    "Type the times in the local time of the action’s place: the form names its time zone once it knows the place."
)
SKIPPED_TIME = _("This time does not exist in %(zone)s: the clocks skip it that day.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self):
        super().__init__(format="%H:%M")


class ProposalForm(forms.ModelForm):
    """An action proposed for a campaign that takes proposals (`campaigns`), in `language` (the
    host's: its title and description are required, the other language's are optional).

    The place is a postal code or a city, looked up as the search does: found, it is `location` and
    `city` the City it will take place in (new ones are saved only by `proposal()`); else the field
    has the error, with the places to choose among (`place_choices`) or that it may have meant
    (`place_suggestions`), offered as radio buttons named "place_choice". Times are typed in the
    city's local time (online: the campaign's), `zone` once known; with no zone yet (the place not
    found), the checks that need its clock wait for it. `website` is a honeypot.

    With `instance`, a proposal sent back for changes: no campaign, consent nor honeypot, no email
    (the address confirmed is the one the decision goes to), and the place and times shown as they
    are, kept as stored when left unchanged."""

    TIMES = ("start_date", "start_time", "end_time", "end_date")

    online = forms.BooleanField(label=_("The action is online"), required=False)
    place = forms.CharField(
        label=_("ZIP code, código postal or city"),
        max_length=100,
        required=False,
        help_text=_("Where the action takes place: it tells the time zone of the times below."),
    )
    start_date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    end_date = forms.DateField(
        label=_("End date (optional)"), required=False, widget=DateInput(), help_text=_("If it ends on another day.")
    )
    email = NormalizedEmailField(label=_("Email"), max_length=254)
    phone = PhoneField(label=_("Phone (optional)"), required=False)
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": _("Tick this box to send your proposal: we cannot store your details without it.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    class Meta:
        model = Proposal
        fields = [
            "campaign",
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "kind",
            "venue",
            "address",
            "capacity",
            "host_name",
            "email",
            "phone",
            "organization",
        ]
        labels = {
            "campaign": _("Campaign"),
            "kind": _("Kind"),
            "venue": _("Venue (optional)"),
            "address": _("Address (optional)"),
            "capacity": _("Capacity (optional)"),
            "host_name": _("Your name"),
            "organization": _("Organization (optional)"),
        }
        help_texts = {
            "capacity": _("How many people can take part. Empty: unlimited."),
            "organization": _("If you propose it for an organization."),
        }
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "description_es": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "campaign": {"invalid_choice": _("This campaign does not take proposals now. Choose another.")},
        }

    def __init__(self, data=None, *, language: str, campaigns: list[Campaign] | None = None, **kwargs):
        if data is not None and data.get("place_choice"):
            # One of the places offered, chosen: it is what the place field says from now on.
            data = data.copy()
            data["place"] = data["place_choice"]
        super().__init__(data, **kwargs)
        self.language = language
        self.other_language = next(code for code, _name in settings.LANGUAGES if code != language)
        self.editing = self.instance.pk is not None
        self.location: Location | None = None
        self.city: City | None = None
        self.zone: zoneinfo.ZoneInfo | None = None
        self.place_choices: list[Location] = []
        self.place_suggestions: list[Location] = []
        self.starts_at: datetime.datetime | None = None
        self.ends_at: datetime.datetime | None = None
        self.single_campaign: Campaign | None = None
        self._set_up_texts()
        if self.editing:
            for name in ("campaign", "consent", "website", "email"):
                del self.fields[name]
            self._initial_from(self.instance)
        else:
            self._set_up_campaign(campaigns or [])
            self.fields["consent"].label = CONSENT_LABEL % {"days": settings.SIGNUP_RETENTION_DAYS}
            self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["host_name"].widget.attrs["autocomplete"] = "name"
        if "email" in self.fields:
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"
        self.fields["place"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["capacity"].widget.attrs["min"] = 1
        # One rule, the model's (at least 1), rather than the positive field's "at least 0" first.
        self.fields["capacity"].validators = [MinValueValidator(1)]
        if answers_challenge(self.data):
            self.add_challenge()

    def _set_up_texts(self) -> None:
        own, other = self.language, self.other_language
        for name in ("title", "description"):
            self.fields[f"{name}_{own}"].label = TEXT_LABELS[name, own][0]
            self.fields[f"{name}_{own}"].required = True
            self.fields[f"{name}_{other}"].label = TEXT_LABELS[name, other][1]
        self.order_fields(
            [
                "campaign",
                "kind",
                f"title_{own}",
                f"description_{own}",
                f"title_{other}",
                f"description_{other}",
                "online",
                "place",
                "venue",
                "address",
                "capacity",
                *self.TIMES,
                "host_name",
                "email",
                "phone",
                "organization",
                "consent",
                "website",
            ]
        )

    def _set_up_campaign(self, campaigns: list[Campaign]) -> None:
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.iterator = ListedChoiceIterator  # before the queryset, which makes the widget's choices
        field.to_field_name = "slug"
        field.queryset = Campaign.objects.filter(pk__in=[campaign.pk for campaign in campaigns]).order_by(
            "start_date", "pk"
        )
        if len(campaigns) == 1:
            # Nothing to choose: the page names the campaign. Shown if the form came for another
            # (closed meanwhile), so that the error has its field, and the one campaign left.
            self.single_campaign = campaigns[0]
            self.initial["campaign"] = campaigns[0].slug
            if not self.is_bound or self.data.get("campaign") == campaigns[0].slug:
                field.widget = forms.HiddenInput()
            else:
                field.empty_label = None
        else:
            field.empty_label = _("Choose a campaign")
            if self.initial.get("campaign") not in {campaign.slug for campaign in campaigns}:
                self.initial.pop("campaign", None)

    def _initial_from(self, proposal: Proposal) -> None:
        zone = proposal.zone
        start, end = proposal.starts_at.astimezone(zone), proposal.ends_at.astimezone(zone)
        self.initial.update(
            {
                "online": proposal.is_online,
                "place": self._place_text(proposal.city),
                "start_date": start.date(),
                "start_time": start.time().replace(tzinfo=None),
                "end_time": end.time().replace(tzinfo=None),
                "end_date": end.date() if end.date() != start.date() else None,
            }
        )
        self.zone = zone
        self.city = proposal.city

    @staticmethod
    def _place_text(city: City | None) -> str:
        """A city as the place field shows it, which looks it up again: "Tapachula, Chiapas, MX"."""
        if city is None:
            return ""
        # The English columns: the same text whatever the page's language, so that "unchanged" holds.
        name, region = (getattr(city, f"{field}_en", "") or getattr(city, field) for field in ("name", "region"))
        return ", ".join(part for part in (name, region, city.country) if part)

    @property
    def is_from_a_bot(self) -> bool:
        return bool(self.data.get("website"))

    def add_challenge(self) -> None:
        """Ask for the challenge (the proposal limit tripped: actions/limits.py), keeping what was
        typed. On a form already validated, the challenge shows without an error."""
        self.fields["challenge"] = ChallengeField()

    @property
    def challenge_passed(self) -> bool:
        """Whether the form carried the challenge, answered right (only once is_valid() is True)."""
        return "challenge" in self.fields and "challenge" in self.cleaned_data

    def clean_place(self) -> str:
        text = self.cleaned_data.get("place", "")
        if self.cleaned_data.get("online"):
            return text  # kept as typed, unused
        if self.editing and self.instance.city is not None and text == self.initial.get("place"):
            self.city = self.instance.city
            self._phone_region(self.city.country)
            return text
        self.city = None
        if not text.strip():
            raise forms.ValidationError(PLACE_NEEDED, code="required")
        try:
            self.location = locate(text)
        except AmbiguousPlace as problem:
            self.place_choices = problem.choices
            raise forms.ValidationError(problem.message, code="ambiguous") from None
        except PlaceNotFound as problem:
            self.place_suggestions = problem.suggestions
            raise forms.ValidationError(problem.message, code="not_found") from None
        try:
            self.city = city_match(self.location)
        except UnknownTimeZone:
            raise forms.ValidationError(NO_TIME_ZONE, code="no_time_zone") from None
        self._phone_region(self.city.country)
        return text

    def _phone_region(self, country: str) -> None:
        # A number without its country code is read as one of the place's country.
        phone = self.fields["phone"]
        assert isinstance(phone, PhoneField)
        phone.region = country

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("online"):
            self.city = None
            campaign = self.instance.campaign if self.editing else data.get("campaign")
            self.zone = zoneinfo.ZoneInfo(campaign.time_zone) if campaign else None
        else:
            self.zone = self.city.zone if self.city is not None else None
            if self.city is None and "place" in self.errors:
                # A number without its country code waits for the place, whose country tells it.
                self.errors.pop("phone", None)
        self._clean_times(data)
        return data

    def _clean_times(self, data: dict) -> None:
        for name in ("start_date", "end_date"):
            if data.get(name) and data[name].year not in ACTION_YEARS:
                self.add_error(name, YEAR_OUT_OF_RANGE)
        if any(name in self.errors for name in self.TIMES):
            return
        start_date, start_time, end_time = data.get("start_date"), data.get("start_time"), data.get("end_time")
        if not (start_date and start_time and end_time):
            return
        start = datetime.datetime.combine(start_date, start_time)
        end = datetime.datetime.combine(data.get("end_date") or start_date, end_time)
        end_field = "end_date" if data.get("end_date") and data["end_date"] < start_date else "end_time"
        now = timezone.now()
        if self.zone is None:
            # No place yet: what needs its clock waits for it; a day past everywhere is told now.
            if start_date < now.astimezone(EARLIEST_ZONE).date():
                self.add_error("start_date", STARTS_IN_THE_PAST)
            elif end <= start:
                self.add_error(end_field, ENDS_BEFORE_START)
            return
        if self._times_unchanged(data):
            starts_at, ends_at = self.instance.starts_at, self.instance.ends_at
        else:
            starts_at, ends_at = self._aware(start, "start_time"), self._aware(end, "end_time")
        if starts_at is None or ends_at is None:
            return
        if starts_at <= now:
            local_today = now.astimezone(self.zone).date()
            self.add_error("start_date" if start_date < local_today else "start_time", STARTS_IN_THE_PAST)
        elif ends_at <= starts_at:
            self.add_error(end_field, ENDS_BEFORE_START)
        else:
            self.starts_at, self.ends_at = starts_at.astimezone(datetime.UTC), ends_at.astimezone(datetime.UTC)

    def _aware(self, moment: datetime.datetime, field: str) -> datetime.datetime | None:
        assert self.zone is not None
        try:
            return aware_in_zone(moment, self.zone)
        except NonexistentLocalTime:
            self.add_error(field, SKIPPED_TIME % {"zone": self.zone.key})
            return None

    def _times_unchanged(self, data: dict) -> bool:
        # Kept as stored: a time in the hour that occurs twice (clocks fall back) must not move by an
        # hour when the host corrects something else.
        return (
            self.editing
            and self.zone == self.instance.zone
            and all(data.get(name) == self.initial.get(name) for name in self.TIMES)
        )

    def full_clean(self):
        super().full_clean()
        # Sent back with errors, the page opens on the first field to correct (see SignupForm).
        if first := next((name for name in self.fields if name in self.errors), None):
            self.fields[first].widget.attrs["autofocus"] = True

    def proposal(self) -> Proposal:
        """The proposal as filled in (the form is valid), unsaved, in the form's language; a new city
        is saved for it, so call this in the transaction that saves the proposal."""
        proposal = self.instance
        if not self.editing:
            proposal.language = self.language
        proposal.city = city_save(self.city) if self.city is not None else None
        assert self.starts_at is not None and self.ends_at is not None
        proposal.starts_at, proposal.ends_at = self.starts_at, self.ends_at
        if proposal.city is None:  # online: no place to announce
            proposal.venue = proposal.address = ""
        return proposal

    # What the page shows

    def zone_note(self) -> str:
        """Which clock the times are read by, once known: "Times are in the local time of
        Tapachula, Chiapas: America/Mexico_City (CST)."; else how to type them."""
        if self.zone is None:
            return str(TIMES_BEFORE_THE_PLACE)
        moment = self.starts_at or timezone.now()
        values = {"zone": self.zone.key, "abbreviation": moment.astimezone(self.zone).tzname()}
        if self.city is None:
            return str(_("Times are in the campaign’s time zone: %(zone)s (%(abbreviation)s).") % values)
        return str(
            _("Times are in the local time of %(place)s: %(zone)s (%(abbreviation)s).") % {**values, "place": self.city}
        )

    def fieldsets(self) -> list[dict]:
        """The fields in groups with their legends, for the template; the other language's texts
        folded unless they hold something or an error."""
        other = [self[f"title_{self.other_language}"], self[f"description_{self.other_language}"]]
        yours = ["campaign", "kind", f"title_{self.language}", f"description_{self.language}"]
        about_you = ["host_name", "email", "phone", "organization", "consent", "website", "challenge"]
        sets = [
            {"legend": _("Your action"), "fields": [self[name] for name in yours if name in self.fields]},
            {
                "legend": OTHER_LANGUAGE[self.other_language],
                "fields": other,
                "folded": True,
                "open": any(field.errors or field.value() for field in other),
            },
            {
                "legend": _("Where"),
                "fields": [self[name] for name in ("online", "place", "venue", "address", "capacity")],
            },
            {"legend": _("When"), "fields": [self[name] for name in self.TIMES], "note": self.zone_note()},
            {"legend": _("About you"), "fields": [self[name] for name in about_you if name in self.fields]},
        ]
        return [group for group in sets if group["fields"]]
