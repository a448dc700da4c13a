from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _json(description, schema) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class PublicApiSchema(AutoSchema):
    """Every operation also documents the errors it can answer with: 404 (unknown slug, or a page
    past the last), 429 (over API_RATE) and, for lists, 400 (a filter that does not validate, each
    field with its messages)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._is_list_view():
            responses["400"] = _json(_("A filter's value is not valid."), FIELD_ERRORS)
        responses["404"] = _json(_("Not found."), DETAIL)
        responses["429"] = _json(_("Too many requests: wait and try again."), DETAIL)
        return responses
