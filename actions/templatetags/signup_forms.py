"""The signup form's fields ({% load signup_forms %}): `{% signup_fields form %}`."""

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from common.fragments import remember

register = template.Library()

TEMPLATE = "includes/signup_fields.html"


@register.simple_tag
def signup_fields(form) -> SafeString:
    """The fields of `form` (actions.forms.SignupForm) with their errors. Blank, as every visitor first
    gets it, they are the same HTML for every action in a language (only its validation reads the
    action's country): rendered once per process, from the fragment cache (common.fragments)."""
    language = translation.get_language()
    blank = not form.is_bound and "challenge" not in form.fields and form.initial == {"language": language}
    if not blank:
        return mark_safe(get_template(TEMPLATE).render({"signup_form": form}))
    state = (language, settings.SIGNUP_RETENTION_DAYS)
    return mark_safe(remember("signup-fields", state, lambda: get_template(TEMPLATE).render({"signup_form": form})))
