"""The host's report after the action: how many came, press coverage, notes, photos."""

import re

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.markup import MARKDOWN_HELP, valid_markdown
from hosting import photos
from hosting.models import ActionReport, ReportPhoto

MAX_TURNOUT = 10_000_000
# "1,200", "1.200" and "1 200" are how people write a count in both countries; a lone separator
# ("1.5") is not a count and is refused rather than read as 15.
GROUPED = re.compile(r"\d{1,3}(?:[,. \u00a0\u202f]\d{3})+")

ROOM = _("You chose %(chosen)s photos: there is room for %(room)s more (%(limit)s in all).")
FULL = _("The report has %(limit)s photos already, the most it can have: remove one to add another.")


class WebURLField(forms.URLField):
    """A link to a web page: http or https only (Django's URLField also takes ftp)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class TurnoutField(forms.IntegerField):
    """A count of people: digits, grouped by thousands or not; from 1 to MAX_TURNOUT."""

    # Not a number input: its browser's own messages would come in the browser's language, not the page's.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            max_value=MAX_TURNOUT,
            error_messages={
                "invalid": _("Enter the number of people as digits, such as 40."),
                "min_value": _("Enter at least 1: the number of people who came, yourself included."),
                "max_value": _("Enter a number of at most %(limit_value)s."),
            },
            **kwargs,
        )

    def to_python(self, value):
        text = str(value or "").strip()
        if GROUPED.fullmatch(text):
            text = re.sub(r"\D", "", text)
        return super().to_python(text)


class MultiplePhotoInput(forms.ClearableFileInput):
    """A file input that takes several files at once (Django's docs' way, 5.2)."""

    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Photos to add: cleaned to a list of (JPEG bytes, width, height), see photos.prepared; each
    file's problem is its own message, naming the file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ",".join(photos.CONTENT_TYPES)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        prepared, errors = [], []
        for upload in data if isinstance(data, list | tuple) else [data]:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            try:
                prepared.append(photos.prepared(upload))
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return prepared


class ReportForm(forms.Form):
    """Turnout (required), press coverage (an http(s) link), notes (Markdown) and photos: new ones,
    and those of the report to remove (`remove_photos`, the ids of `existing`), so that at most
    REPORT_PHOTOS_MAX remain."""

    turnout = TurnoutField(
        label=_("How many people came?"),
        help_text=_("Your best estimate, yourself included."),
    )
    press_url = WebURLField(
        label=_("Link to press coverage (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, such as https://example.org/news.")},
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[valid_markdown],
        help_text=MARKDOWN_HELP,
    )
    photos = MultiplePhotoField(label=_("Photos (optional)"), required=False)
    remove_photos = forms.TypedMultipleChoiceField(
        label=_("Remove these photos"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, report: ActionReport | None = None, **kwargs):
        if report is not None:
            kwargs.setdefault(
                "initial", {"turnout": report.turnout, "press_url": report.press_url, "notes": report.notes}
            )
        super().__init__(*args, **kwargs)
        # Without their bytes: the page shows them from their own URL.
        self.existing: list[ReportPhoto] = list(report.photos.defer("image")) if report is not None else []
        remove = self.fields["remove_photos"]
        assert isinstance(remove, forms.TypedMultipleChoiceField)
        remove.choices = [(photo.pk, photo.pk) for photo in self.existing]
        limit = settings.REPORT_PHOTOS_MAX
        self.fields["photos"].help_text = ngettext_lazy(
            "JPEG, PNG or WebP, at most %(size)s each; %(count)s photo in all.",
            "JPEG, PNG or WebP, at most %(size)s each; up to %(count)s photos in all.",
            "count",
        ) % {"size": filesizeformat(settings.REPORT_PHOTO_MAX_BYTES), "count": limit}

    def clean(self):
        data = super().clean() or {}
        if "photos" in data:
            kept = len(self.existing) - len(data.get("remove_photos") or [])
            room = settings.REPORT_PHOTOS_MAX - kept
            if len(data["photos"]) > room:
                message = FULL if room <= 0 else ROOM
                self.add_error(
                    "photos",
                    forms.ValidationError(
                        message,
                        code="too_many",
                        params={"chosen": len(data["photos"]), "room": room, "limit": settings.REPORT_PHOTOS_MAX},
                    ),
                )
        return data

    @property
    def photos_were_chosen(self) -> bool:
        """Whether the submission carried files: sent back with errors, they must be chosen again
        (a browser never fills in a file input)."""
        return bool(self.files.getlist("photos")) if self.is_bound else False
