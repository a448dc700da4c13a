"""common/middleware.py: the language a visitor last read, the request-size limit, and the visitor's
address behind a proxy (client_ip, which the rate limits count by)."""

import pytest

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ActionFactory(slug="vigil")


def test_root_remembers_the_language_a_visitor_last_read(client, june30):
    client.get("/es/demands/")
    assert client.cookies["django_language"].value == "es"
    response = client.get("/", headers={"accept-language": "en-US"})
    assert response["Location"] == "/es/"


@pytest.mark.parametrize(("lang", "heading"), [("en", "Request too large"), ("es", "Solicitud demasiado grande")])
def test_an_oversized_body_is_refused_with_413_in_the_page_language(client, action, lang, heading):
    response = client.post(f"/{lang}/actions/vigil/signup/", {"name": "x" * 70_000})
    assert response.status_code == 413
    assert heading in response.content.decode()


def test_behind_a_proxy_each_visitor_has_their_own_signup_budget(client, settings):
    from tests.factories import ActionFactory

    settings.PROXY_COUNT, settings.SIGNUP_RATE = 1, "2/h"
    action = ActionFactory()
    form = {"name": "A", "language": "es", "consent": "on"}

    def sign_up(visitor, n):
        headers = {"x-forwarded-for": f"198.51.100.9, {visitor}"}  # a forged first entry, then our proxy's
        data = {**form, "email": f"v{n}@example.org"}
        return client.post(f"/es/actions/{action.slug}/signup/", data, headers=headers, REMOTE_ADDR="10.0.0.2")

    assert [sign_up("203.0.113.1", n).status_code for n in range(3)] == [302, 302, 429]
    assert sign_up("203.0.113.2", 9).status_code == 302  # another visitor through the same proxy
