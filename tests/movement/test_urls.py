"""movement/urls.py: `/` sends a visitor to the pages in their language."""

import pytest

pytestmark = pytest.mark.django_db


def test_root_sends_a_visitor_to_their_browsers_language(client):
    response = client.get("/", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/es/"
    assert client.get("/", headers={"accept-language": "en-US"})["Location"] == "/en/"
