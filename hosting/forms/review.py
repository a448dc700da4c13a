"""The admin's forms of hosting from below: a coordinator's (or local host's) review of a proposal,
its texts and details as they will be published beside the decision, and a message to an action's
volunteers. The admin (hosting/admin.py) calls the services with what these clean."""

import zoneinfo

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actions.forms import LOCAL_WIDGET, LocalTimesModelForm, WallClockDateTimeField
from actions.models import zone_for

from ..models import HostMessage, Proposal
from ..services import message_recipients, messages_left


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve and publish")
    DRAFT = "draft", _("Approve as a draft")
    CHANGES = "changes", _("Ask for changes")
    DECLINE = "decline", _("Decline")


APPROVALS = {Decision.APPROVE, Decision.DRAFT}
# The host is told why, and what to change: a decision without words would leave them guessing.
NEEDS_A_MESSAGE = {Decision.CHANGES, Decision.DECLINE}


class ProposalReviewForm(LocalTimesModelForm):
    """What will be published (both languages' texts, kind, place, times, capacity) and the decision.

    Start and end are typed and shown in the proposal's own zone (its city's, or online the
    campaign's; see LocalTimesModelForm), as in ActionAdminForm. To approve, the English title is needed
    (an action has one) and the start must be ahead; to ask for changes or decline, a message to the
    host. A local host's proposal stays in one of their cities (`hosted_cities`)."""

    LOCAL_FIELDS = ("starts_at", "ends_at")

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("None yet: only save my edits")), *Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the host"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_(
            "Emailed to the host with the decision, in the language they wrote in. Needed to ask for "
            "changes or to decline: say what to change, or why."
        ),
    )

    class Meta:
        model = Proposal
        fields = (
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "kind",
            "city",
            "venue",
            "address",
            "starts_at",
            "ends_at",
            "capacity",
        )
        field_classes = {name: WallClockDateTimeField for name in ("starts_at", "ends_at")}
        widgets = {name: LOCAL_WIDGET for name in ("starts_at", "ends_at")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_help = _("Local time in %(zone)s, the city’s time zone (for an online action, the campaign’s).")
        for name in self.LOCAL_FIELDS:
            if name in self.fields:
                self.fields[name].help_text = zone_help % {"zone": self.instance.zone.key}

    def times_zone(self, cleaned: dict) -> zoneinfo.ZoneInfo:
        return zone_for(cleaned.get("city"), self.instance.campaign)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        times_valid = self.local_times_valid
        if times_valid and start and end and end <= start:
            self.add_error("ends_at", _("The action must end after it starts."))
        decision = cleaned.get("decision")
        if decision in APPROVALS:
            if not (cleaned.get("title_en") or "").strip() and "title_en" not in self.errors:
                self.add_error(
                    "title_en",
                    _("An action needs an English title to be published: write one (a translation of the host’s)."),
                )
            if times_valid and start and start <= timezone.now():
                self.add_error("starts_at", _("This time has passed: set a later one, or decline the proposal."))
        if decision in NEEDS_A_MESSAGE and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Write a few words to the host: what to change, or why it is declined."))
        return cleaned


class HostMessageAdminForm(forms.ModelForm):
    """A message from an organizer to an action's confirmed or waitlisted volunteers: a subject and a
    text in at least one language (each volunteer gets theirs, or the other). Refused once the
    action's volunteers had HOST_MESSAGES_PER_DAY messages in 24 hours."""

    class Meta:
        model = HostMessage
        fields = ("action", "audience", "subject_en", "body_en", "subject_es", "body_es")
        widgets = {f"body_{code}": forms.Textarea(attrs={"rows": 8}) for code, _name in settings.LANGUAGES}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        whole = [
            code
            for code, _name in settings.LANGUAGES
            if (cleaned.get(f"subject_{code}") or "").strip() and (cleaned.get(f"body_{code}") or "").strip()
        ]
        for code, _name in settings.LANGUAGES:
            if code not in whole and (cleaned.get(f"subject_{code}") or cleaned.get(f"body_{code}")):
                missing = f"body_{code}" if cleaned.get(f"subject_{code}") else f"subject_{code}"
                self.add_error(missing, _("Write both the subject and the message in this language, or neither."))
        if not whole:
            self.add_error(None, _("Write a subject and a message in at least one language."))
        action = cleaned.get("action")
        audience = cleaned.get("audience")
        if action is not None and audience and not message_recipients(action, audience).exists():
            self.add_error("audience", _("No volunteer is on this list yet: nothing to send."))
        if action is not None and not messages_left(action):
            limit = settings.HOST_MESSAGES_PER_DAY
            refused = ngettext(
                "This action’s volunteers got %(count)d message in the last 24 hours, the most they get: "
                "try again tomorrow.",
                "This action’s volunteers got %(count)d messages in the last 24 hours, the most they get: "
                "try again tomorrow.",
                limit,
            )
            self.add_error("action", refused % {"count": limit})
        return cleaned

    def _post_clean(self) -> None:
        # The database's own check says the same as clean() above, in words of its own.
        if not self.errors:
            super()._post_clean()  # type: ignore[misc]
