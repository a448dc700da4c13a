"""Serializer fields for what the public pages show in both languages and in local time."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from modeltranslation.utils import build_localized_fieldname
from rest_framework import serializers

from common.markup import markdown_html
from common.site import absolute_url

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
BOTH_LANGUAGES = {
    "type": "object",
    "properties": {code: {"type": "string"} for code in LANGUAGE_CODES},
    "required": LANGUAGE_CODES,
}


@extend_schema_field(BOTH_LANGUAGES)
class TranslatedField(serializers.Field):
    """{"en": text, "es": text} from a translated model field; "" where a language has no text.
    With `markdown`, the text is the sanitized HTML of the organizers' Markdown."""

    def __init__(self, *, markdown: bool = False, **kwargs):
        self.markdown = markdown
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        assert self.field_name is not None  # named when its serializer binds it, before any use
        name = self.field_name.removesuffix("_html")
        texts = {code: getattr(obj, build_localized_fieldname(name, code)) or "" for code in LANGUAGE_CODES}
        return {code: str(markdown_html(text)) if self.markdown else text for code, text in texts.items()}


@extend_schema_field(BOTH_LANGUAGES)
class PageUrlsField(serializers.Field):
    """{"en": url, "es": url}: the object's public page in each language, absolute (SITE_URL)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        urls = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                urls[code] = absolute_url(obj.get_absolute_url())
        return urls


def site_url(name: str, language: str, **kwargs) -> str:
    """The absolute address of the named public route in `language`."""
    with translation.override(language):
        return absolute_url(reverse(name, kwargs=kwargs))


@extend_schema_field(OpenApiTypes.DATETIME)
class LocalDateTimeField(serializers.Field):
    """An aware datetime attribute shown in the action's own zone, ISO 8601 with its UTC offset
    ("2023-06-30T10:00:00-05:00")."""

    def __init__(self, attribute: str, **kwargs):
        self.attribute = attribute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return getattr(obj, self.attribute).isoformat()
