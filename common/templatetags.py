"""Template tags of every page ({% load site %}; settings.TEMPLATES names the library): the language
switch, Markdown, link previews, canonical links. Those about actions are actions' (action_times)."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

from common.fragments import render_each
from common.markup import markdown_html, markdown_text
from common.site import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in every language: [{"code", "name", "url", "current"}], urls root-relative.

    A path that does not resolve (a 404 page) keeps its rest and swaps only the language prefix.
    """
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current and path.startswith(f"/{current}/"):
            url = f"/{code}/{path[len(current) + 2 :]}"
        elif not url.startswith(f"/{code}/"):
            url = f"/{code}/"
        versions.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
            }
        )
    return versions


@register.simple_tag
def fallback_lang(obj, field: str) -> str:
    """` lang="en"` where `obj.<field>` is shown in another language than the page's (its own text is
    empty and modeltranslation fell back), so that screen readers pronounce it right; else ""."""
    current = translation.get_language()
    if getattr(obj, build_localized_fieldname(field, current), None):
        return ""
    for code, _name in settings.LANGUAGES:
        if code != current and getattr(obj, build_localized_fieldname(field, code), None):
            return format_html(' lang="{}"', code)
    return ""


@register.filter
def markdown(text: str):
    """An organizer's Markdown description as sanitized HTML (common.markup)."""
    return markdown_html(text)


@register.filter
def markdown_plain(text: str) -> str:
    """An organizer's Markdown description as plain text, for plain-text emails and meta tags."""
    return markdown_text(text)


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # so that blocks inside stay overridable by child templates

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Rendered, so already escaped; on one line, as meta tags want it.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}...{% endcapture %}`: render the content once into `name`, so that a
    page's title and description blocks can fill several meta tags."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


OPEN_GRAPH_LOCALES = {"en": "en_US", "es": "es_MX"}


@register.simple_tag
def open_graph_locales() -> dict:
    """{"locale": "es_MX", "alternates": ["en_US"]}: the page's Open Graph locale and the others."""
    current = translation.get_language()
    return {
        "locale": OPEN_GRAPH_LOCALES[current],
        "alternates": [OPEN_GRAPH_LOCALES[code] for code, _name in settings.LANGUAGES if code != current],
    }


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address on the public site (SITE_URL), without its query string."""
    return absolute_url(context["request"].path)


@register.simple_tag
def each_fragment(template_name: str, rows, name: str):
    """`template_name` rendered for each of `rows` as `name`, from the fragment cache: for items that
    show only their row's own columns (see common.fragments)."""
    return mark_safe("".join(render_each(template_name, rows, name)))  # rendered by the template, which escapes
