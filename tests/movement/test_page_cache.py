"""The page cache (movement/settings.py, PAGE_CACHE_SECONDS): public pages come from it for a few
seconds, the same for every visitor; nothing that is a visitor's own is ever stored."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from actions.seed import load_day_of_action
from tests.factories import ActionFactory, SignupFactory
from tests.pages import public_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_client(settings):
    """A client whose server caches pages as in production (the suite turns the cache off)."""
    settings.CACHE_MIDDLEWARE_SECONDS = 5
    return Client()


def test_an_organizers_edit_shows_on_the_public_page_within_five_seconds(cached_client, django_assert_num_queries):
    action = ActionFactory(title_en="Vigil at the bridge", title_es="Vigilia en el puente")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = cached_client.get(f"/es/actions/{action.slug}/")
        assert "Vigilia en el puente" in first.content.decode()
        assert first["Cache-Control"] == "max-age=5"

        action.title_es = "Vigilia en el puente internacional"
        action.save()
        clock.shift(datetime.timedelta(seconds=4))
        with django_assert_num_queries(0):
            assert "Vigilia en el puente<" in cached_client.get(f"/es/actions/{action.slug}/").content.decode()
        clock.shift(datetime.timedelta(seconds=1.5))
        assert "Vigilia en el puente internacional" in cached_client.get(f"/es/actions/{action.slug}/").content.decode()


def test_each_language_and_query_is_its_own_page(cached_client):
    action = ActionFactory(title_en="Vigil at the bridge", title_es="Vigilia en el puente")
    assert "Vigil at the bridge" in cached_client.get(f"/en/actions/{action.slug}/").content.decode()
    assert "Vigilia en el puente" in cached_client.get(f"/es/actions/{action.slug}/").content.decode()
    assert "Vigil at the bridge" in cached_client.get("/en/actions/").content.decode()
    assert "Vigil at the bridge" not in cached_client.get("/en/actions/?when=past").content.decode()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("returning", [False, True], ids=["new visitor", "with a language cookie"])
def test_no_public_page_carries_a_visitors_token_or_cookie_but_the_language(cached_client, lang, returning):
    # A returning visitor sends the language cookie: Django would store a CSRF cookie set then.
    load_day_of_action()
    if returning:
        cached_client.cookies["django_language"] = lang
    for path in public_paths():
        response = cached_client.get(path.format(lang=lang))
        assert response.status_code == 200, path
        assert "csrfmiddlewaretoken" not in response.content.decode(), path
        assert set(response.cookies) <= {"django_language"}, path
        assert response["Cache-Control"] == "max-age=5", path


def test_volunteers_pages_and_the_signup_form_are_never_stored(cached_client, django_assert_max_num_queries):
    from actions.tokens import confirm_token, manage_token

    signup = SignupFactory(action=ActionFactory(starts_at=timezone.now() + datetime.timedelta(days=3)))
    paths = [
        f"/en/actions/{signup.action.slug}/signup/",
        f"/en/signups/confirm/{confirm_token(signup)}/",
        f"/en/signups/manage/{manage_token(signup)}/",
    ]
    for path in paths:
        for _ in range(2):
            response = cached_client.get(path)
            assert response.status_code == 200 and "no-store" in response["Cache-Control"], path
    # The second reading of the manage page still reads the database: it was not stored.
    signup.name = "Renamed"
    signup.save()
    assert "Renamed" in cached_client.get(paths[2]).content.decode()


def test_the_admin_is_never_stored(cached_client, admin_user):
    cached_client.force_login(admin_user)
    action = ActionFactory(title_en="Before")
    url = f"/admin/actions/action/{action.pk}/change/"
    assert "Before" in cached_client.get(url).content.decode()
    action.title_en = "After"
    action.save()
    assert "After" in cached_client.get(url).content.decode()


def test_pages_go_compressed_to_browsers_that_accept_it_and_plain_to_others(cached_client):
    import gzip

    ActionFactory(title_en="Vigil at the bridge")
    compressed = cached_client.get("/en/actions/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert "Vigil at the bridge" in gzip.decompress(compressed.content).decode()
    plain = cached_client.get("/en/actions/")  # not the compressed copy from the cache
    assert not plain.has_header("Content-Encoding") and "Vigil at the bridge" in plain.content.decode()


def test_the_api_is_cached_too_and_served_whole(cached_client, django_assert_num_queries):
    ActionFactory(title_en="Vigil at the bridge")
    first = cached_client.get("/api/v1/actions/")
    with django_assert_num_queries(0):
        second = cached_client.get("/api/v1/actions/")
    assert second.json() == first.json() and second.json()["results"][0]["title"]["en"] == "Vigil at the bridge"


def _rendering_elsewhere(path: str):
    """Take the render lock of `path`'s page, as another process rendering it would."""
    from django.test import RequestFactory
    from django.utils.cache import get_cache_key

    from common.pagecache import Tiers

    tiers = Tiers()
    key = get_cache_key(RequestFactory().get(path), "", "GET", cache=tiers)
    assert key and tiers.lock(key)
    return lambda: tiers.release(key)


def test_a_page_is_rendered_once_for_all_processes(cached_client, django_assert_num_queries):
    from django.core.cache import caches

    action = ActionFactory(title_en="Vigil at the bridge")
    assert "Vigil at the bridge" in cached_client.get(f"/en/actions/{action.slug}/").content.decode()
    caches["pages"].clear()  # another process: its memory holds nothing, the shared cache the page
    with django_assert_num_queries(0):
        assert "Vigil at the bridge" in cached_client.get(f"/en/actions/{action.slug}/").content.decode()


def test_a_stale_page_is_served_while_one_request_renders_it_and_only_that_long(
    cached_client, django_assert_num_queries
):
    action = ActionFactory(title_en="Vigil at the bridge")
    path = f"/en/actions/{action.slug}/"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        cached_client.get(path)
        action.title_en = "Vigil at the international bridge"
        action.save()
        clock.shift(datetime.timedelta(seconds=5.5))
        release = _rendering_elsewhere(path)
        with django_assert_num_queries(0):  # no waiting, no second render: the old copy
            assert "Vigil at the bridge<" in cached_client.get(path).content.decode()
        release()
        assert "Vigil at the international bridge" in cached_client.get(path).content.decode()


def test_a_page_that_stops_being_public_is_dropped_by_the_request_that_renders_it(cached_client):
    action = ActionFactory(title_en="Vigil at the bridge")
    path = f"/en/actions/{action.slug}/"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert cached_client.get(path).status_code == 200
        action.status = action.Status.DRAFT
        action.save()
        clock.shift(datetime.timedelta(seconds=5.5))
        assert cached_client.get(path).status_code == 404
        release = _rendering_elsewhere(path)  # even while another request renders, no old copy is left
        assert cached_client.get(path).status_code == 404
        release()


def test_with_the_shared_cache_down_pages_still_answer_from_each_process(cached_client, django_assert_num_queries):
    from django.conf import settings
    from django.test import override_settings

    action = ActionFactory(title_en="Vigil at the bridge")
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={**settings.CACHES, "default": unreachable}):
        assert "Vigil at the bridge" in cached_client.get(f"/en/actions/{action.slug}/").content.decode()
        with django_assert_num_queries(0):
            assert cached_client.get(f"/en/actions/{action.slug}/").status_code == 200
