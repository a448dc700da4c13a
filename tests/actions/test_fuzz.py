"""actions/views.py fuzzed (Hypothesis): arbitrary input on every public form and query parameter,
and any path below a page of the site: never a server error, and every refusal is a page in the
visitor's language."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import ActionFactory
from tests.pages import read

pytestmark = pytest.mark.django_db

# Text of every kind: any Unicode (NUL, surrogates' neighbours, right-to-left...), very long text,
# numbers and other wrong types as a browser would send them.
ANY_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(min_size=1000, max_size=5000),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "\x00", "%00", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "☃" * 50]),
)
LANGUAGES = st.sampled_from(["en", "es"])
FUZZ = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def assert_handled(response, lang):
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400:
        page_lang, _text = read(response.content.decode())
        assert page_lang == lang


@pytest.fixture
def action():
    return ActionFactory(slug="vigil")


@FUZZ
@given(
    lang=LANGUAGES,
    params=st.dictionaries(
        st.sampled_from(["when", "country", "city", "campaign", "kind", "mode", "page", "q", "lang", "x"]),
        ANY_TEXT,
        max_size=6,
    ),
)
def test_the_action_list_takes_any_query(client, action, lang, params):
    response = client.get(f"/{lang}/actions/", params)
    assert_handled(response, lang)


@FUZZ
@given(lang=LANGUAGES, page=st.sampled_from(["actions", "campaigns", "demands", "outcomes", "cities"]), slug=ANY_TEXT)
def test_any_path_below_a_page_is_a_page_or_a_404(client, action, lang, page, slug):
    response = client.get(f"/{lang}/{page}/{quote(slug, safe='')}/")
    assert_handled(response, lang)


@FUZZ
@given(lang=LANGUAGES, kind=st.sampled_from(["confirm", "manage"]), token=ANY_TEXT)
def test_any_volunteer_link_is_handled(client, action, lang, kind, token):
    assert_handled(client.get(f"/{lang}/signups/{kind}/{quote(token, safe='')}/"), lang)
    assert_handled(client.post(f"/{lang}/signups/{kind}/{quote(token, safe='')}/", {"operation": token}), lang)


@FUZZ
@given(
    lang=LANGUAGES,
    data=st.fixed_dictionaries(
        {},
        optional={
            name: ANY_TEXT
            for name in ("name", "email", "phone", "language", "consent", "website", "csrfmiddlewaretoken")
        },
    ),
)
def test_the_signup_form_takes_any_input(client, action, settings, lang, data):
    settings.RATELIMIT_ENABLE = False  # the limit is tested elsewhere; here every example reaches the form
    response = client.post(f"/{lang}/actions/vigil/signup/", data)
    assert_handled(response, lang)
    if response.status_code == 200:  # the form again, with its errors next to the fields
        assert 'class="error"' in response.content.decode()
