"""common/middleware.py: the language a visitor last read, the request-size limit, forms only in UTF-8,
and the visitor's address behind a proxy (client_ip, which the rate limits count by)."""

import pytest
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart

from actions.models import Signup
from common.middleware import is_utf8
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

    settings.PROXY_COUNT, settings.SIGNUP_RATE_MAX = 1, "2/h"
    action = ActionFactory()
    form = {"name": "A", "language": "es", "consent": "on"}

    def sign_up(visitor, n):
        headers = {"x-forwarded-for": f"198.51.100.9, {visitor}"}  # a forged first entry, then our proxy's
        data = {**form, "email": f"v{n}@example.org"}
        return client.post(f"/es/actions/{action.slug}/signup/", data, headers=headers, REMOTE_ADDR="10.0.0.2")

    assert [sign_up("203.0.113.1", n).status_code for n in range(3)] == [302, 302, 429]
    assert sign_up("203.0.113.2", 9).status_code == 302  # another visitor through the same proxy


def post_form(client, path, charset, *, content_type="application/x-www-form-urlencoded", **headers):
    """A form POST whose Content-Type names `charset`, with a CSRF cookie, so that the CSRF check reads
    the body as it does for a browser's form. (The test client's post() would encode the body itself.)"""
    client.cookies["csrftoken"] = "a" * 32
    body = b"name=Jos%E9&email=jose%40example.org&csrfmiddlewaretoken=" + b"a" * 32
    return client.generic("POST", path, body, content_type=f"{content_type}; charset={charset}", headers=headers)


@pytest.mark.parametrize("charset", ["latin-1", "windows-1252", "foo", "utf-8-sig"])
@pytest.mark.parametrize(
    ("lang", "heading", "reason"),
    [
        ("en", "Bad request", "sent in a character encoding we do not read"),
        ("es", "Solicitud incorrecta", "llegó en una codificación de caracteres que no leemos"),
    ],
)
def test_a_form_in_another_charset_gets_our_400_in_the_page_language(action, charset, lang, heading, reason):
    client = Client(enforce_csrf_checks=True)  # the CSRF check is what reads the body first
    response = post_form(client, f"/{lang}/actions/vigil/signup/", charset)
    assert response.status_code == 400
    assert f"<h1>{heading}</h1>" in response.content.decode() and reason in response.content.decode()


def test_the_admin_login_refuses_another_charset_in_the_admin_language():
    client = Client(enforce_csrf_checks=True)
    response = post_form(client, "/admin/login/", "latin-1", accept_language="es")
    assert response.status_code == 400
    assert "<h1>Solicitud incorrecta</h1>" in response.content.decode()


def test_a_multipart_form_in_another_charset_is_refused_too(client, action):
    form = {"name": "José", "email": "jose@example.org", "language": "es", "consent": "on"}
    body = encode_multipart(BOUNDARY, form)
    content_type = f"multipart/form-data; boundary={BOUNDARY}; charset=latin-1"
    response = client.generic("POST", "/es/actions/vigil/signup/", body, content_type=content_type)
    assert response.status_code == 400
    assert not Signup.objects.exists()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", "UTF8"])
def test_a_form_that_spells_utf8_another_way_is_read(action, charset):
    body = b"name=Jos%C3%A9&email=jose%40example.org&language=es&consent=on"
    response = Client().generic(
        "POST", "/es/actions/vigil/signup/", body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert response.status_code == 302
    assert Signup.objects.get().name == "José"


@pytest.mark.parametrize(
    ("charset", "utf8"),
    [
        *[("utf-8", True), ("UTF8", True), ("U8", True)],
        *[("latin-1", False), ("utf-8-sig", False), ("foo", False), ("", False), ("utf-8\x00", False)],
    ],
)
def test_only_names_of_utf8_itself_count_as_utf8(charset, utf8):
    assert is_utf8(charset) is utf8


def test_what_other_sites_may_load_says_cross_origin_and_nothing_else_does(client):
    from tests.factories import CampaignFactory

    ActionFactory(campaign=CampaignFactory(slug="june"))
    for path in ("/embed/es/campaigns/june/", "/api/v1/actions/", "/api/v1/no-such-route/"):
        assert client.get(path)["Cross-Origin-Resource-Policy"] == "cross-origin", path
    for path in ("/es/campaigns/june/", "/es/no-such-page/", "/admin/login/", "/robots.txt", "/embedded/"):
        assert client.get(path)["Cross-Origin-Resource-Policy"] == "same-site", path
