"""The forms of the host page (hosting/views/hosts.py): check-in, a message to volunteers, the
action's time, place and description, and a co-host's invitation."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actions.forms import LOCAL_WIDGET, LocalTimesModelForm, NormalizedEmailField, WallClockDateTimeField
from actions.models import Action
from common.markup import MARKDOWN_HELP

from ..models import Audience, Host, HostMessage
from .reports import WebURLField

# Labels by language, whole: a language's name inside a sentence is not capitalized in Spanish.
SUBJECT_LABELS = {"en": _("Subject in English"), "es": _("Subject in Spanish")}
MESSAGE_LABELS = {"en": _("Message in English"), "es": _("Message in Spanish")}
DESCRIPTION_LABELS = {"en": _("Description in English"), "es": _("Description in Spanish")}


def other_language(code: str) -> str:
    """The site's other language than `code` ("en" -> "es")."""
    return next(other for other, _name in settings.LANGUAGES if other != code)


class FirstErrorFocused(forms.BaseForm):
    """Sent back with errors, the page opens on the first field to correct, so that a screen reader
    reads it with its error (aria-describedby) at once (as actions.forms.SignupForm)."""

    def full_clean(self):
        super().full_clean()
        if first := next((name for name in self.fields if name in self.errors), None):
            self.fields[first].widget.attrs["autofocus"] = True


class CheckInForm(forms.Form):
    """One tap on a name: `signup` (an id) came (`attended` "1") or did not after all ("0")."""

    signup = forms.IntegerField(min_value=1)
    attended = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class MessageForm(FirstErrorFocused, forms.ModelForm):
    """A message to the confirmed or waitlisted volunteers: subject and body in the host's
    `language` (required), and optionally in the other (both or neither). The model's own checks
    (length, Markdown, invisible characters) run on every field."""

    class Meta:
        model = HostMessage
        fields = ("audience", "subject_en", "body_en", "subject_es", "body_es")
        widgets = {
            "audience": forms.RadioSelect,
            "body_en": forms.Textarea(attrs={"rows": 6}),
            "body_es": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, language: str, recipients: dict[str, int], **kwargs):
        """`recipients`: how many volunteers each audience has, shown beside it."""
        super().__init__(*args, **kwargs)
        self.language, self.other = language, other_language(language)
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        audience.label = _("To")
        audience.choices = [(value, f"{label} ({recipients.get(value, 0)})") for value, label in Audience.choices]
        for code in (self.language, self.other):
            subject, body = self.fields[f"subject_{code}"], self.fields[f"body_{code}"]
            subject.label, body.label = SUBJECT_LABELS[code], MESSAGE_LABELS[code]
            body.help_text = MARKDOWN_HELP
            subject.widget.attrs["lang"] = body.widget.attrs["lang"] = code
            subject.required = body.required = code == self.language

    def written_fields(self) -> list:
        """The host's language's subject and body, in that order."""
        return [self[f"subject_{self.language}"], self[f"body_{self.language}"]]

    def other_fields(self) -> list:
        return [self[f"subject_{self.other}"], self[f"body_{self.other}"]]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns; typed as a dict
        subject, body = f"subject_{self.other}", f"body_{self.other}"
        if subject in cleaned and body in cleaned and bool(cleaned[subject]) != bool(cleaned[body]):
            # A subject alone would reach volunteers of that language with an empty message.
            missing = body if cleaned[subject] else subject
            self.add_error(missing, _("Write both the subject and the message in this language, or neither."))
        return cleaned

    def texts(self) -> tuple[dict[str, str], dict[str, str]]:
        """(subjects, bodies) by language code, as services.message_send takes them."""
        data = self.cleaned_data
        codes = [code for code, _name in settings.LANGUAGES]
        return {code: data[f"subject_{code}"] for code in codes}, {code: data[f"body_{code}"] for code in codes}


STARTS_IN_THE_PAST = _("The action cannot start in the past.")
TIME_LABELS = {"starts_at": _("Start time"), "ends_at": _("End time")}


def _https_by_default(field, **kwargs):
    """Model fields to form fields; a link is to a web page, and one pasted without a scheme is read
    as https (as in the admin)."""
    if isinstance(field, models.URLField):
        kwargs |= {"form_class": WebURLField, "assume_scheme": "https"}
    return field.formfield(**kwargs)


class ActionEditForm(FirstErrorFocused, LocalTimesModelForm):
    """What a host may change of their action: start and end (or that only the date is known),
    typed and shown in the action's own zone (as ActionAdminForm: a time the clocks skip is refused
    next to its field, one that occurs twice is taken as the first), venue and address (in person)
    or the meeting link (online), and the description in both languages. The model's own checks
    (Action.clean: years, end after start) run with the changes; a new start in the past is refused."""

    LOCAL_FIELDS = ("starts_at", "ends_at")

    class Meta:
        model = Action
        fields = (
            "starts_at",
            "ends_at",
            "time_to_be_announced",
            "venue",
            "address",
            "online_url",
            "description_en",
            "description_es",
        )
        field_classes = {name: WallClockDateTimeField for name in ("starts_at", "ends_at")}
        formfield_callback = _https_by_default
        widgets = {
            **{name: LOCAL_WIDGET for name in ("starts_at", "ends_at")},
            "description_en": forms.Textarea(attrs={"rows": 8, "lang": "en"}),
            "description_es": forms.Textarea(attrs={"rows": 8, "lang": "es"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.zone
        for name in self.LOCAL_FIELDS:
            # The zone's abbreviation on the action's date, as the page shows its times.
            self.fields[name].help_text = gettext("Local time in %(zone)s (%(abbreviation)s).") % {
                "zone": zone.key,
                "abbreviation": getattr(self.instance, name).astimezone(zone).tzname(),
            }
            # Two boxes under one label: each names its part for screen readers.
            date, time = self.fields[name].widget.widgets
            date.attrs["aria-label"], time.attrs["aria-label"] = gettext("Date"), TIME_LABELS[name]
        # Online, the place is the meeting link (only confirmed volunteers get it, by email).
        if self.instance.is_online:
            del self.fields["venue"], self.fields["address"]
        else:
            del self.fields["online_url"]
        for code, _name in settings.LANGUAGES:
            self.fields[f"description_{code}"].label = DESCRIPTION_LABELS[code]
            self.fields[f"description_{code}"].help_text = MARKDOWN_HELP

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("starts_at")
        if "starts_at" not in self.errors and start and start != self.instance.starts_at and start < timezone.now():
            self.add_error("starts_at", STARTS_IN_THE_PAST)
        return cleaned


class CohostForm(FirstErrorFocused, forms.Form):
    """A co-host to invite: their own link goes to `email` (services.cohost_invite says who may not
    be invited; see COHOST_REFUSED)."""

    name = forms.CharField(label=_("Their name"), max_length=100, validators=Host._meta.get_field("name").validators)
    email = NormalizedEmailField(label=_("Their email"), max_length=254)
    language = forms.ChoiceField(label=_("Language for their emails"), choices=settings.LANGUAGES)

    def __init__(self, *args, language: str, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", language)
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


# Why services.cohost_invite refused an invitation (CohostRefused.code), said next to the address.
COHOST_REFUSED = {
    "already": _("This address hosts the action already: its host page link still works."),
    "revoked": _("The coordinators closed this person’s link. Ask them to open it again."),
    "full": _("An action can have at most %(count)s hosts. Ask the coordinators to remove one first."),
}
