"""api/schema.py: the OpenAPI schema the API serves is valid and leaves out what the API never gives."""

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_its_schema_is_valid_openapi(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # against the OpenAPI 3 JSON schema; raises on any error
    assert {"/api/v1/actions/", "/api/v1/actions/{slug}/", "/api/v1/outcomes/", "/api/v1/demands/{slug}/"} <= set(
        schema["paths"]
    )
    action = schema["components"]["schemas"]["Action"]["properties"]
    assert "online_url" not in action and action["title"]["required"] == ["en", "es"]
