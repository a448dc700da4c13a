"""Which records still miss their text in a language: shared by every translated model's admin."""

from django.db.models import Model, Q
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def _empty(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    # `fields` is set on the options class by modeltranslation's metaclass, where its types declare it.
    return tuple(type(translator.get_options_for_model(model)).fields)


def missing_language_q(model: type[Model], language: str, other: str) -> Q:
    """Rows where some translated field has text in `other` but none in `language`."""
    q = Q(pk__in=[])
    for field in translated_fields(model):
        q |= ~_empty(build_localized_fieldname(field, other)) & _empty(build_localized_fieldname(field, language))
    return q


def missing_languages(obj: Model, languages: list[str]) -> list[str]:
    """The codes in `languages` that lack a text `obj` has in another language (no query)."""
    missing = []
    for language in languages:
        for field in translated_fields(type(obj)):
            has_other = any(
                getattr(obj, build_localized_fieldname(field, other)) for other in languages if other != language
            )
            if has_other and not getattr(obj, build_localized_fieldname(field, language)):
                missing.append(language)
                break
    return missing
