"""actions/limits.py: signup and confirmation limits that ask for the challenge rather than refuse,
through the pages, as a script and as a real crowd behind one address meet them."""

import datetime
import math
import re

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.utils import timezone

from actions.models import Signup
from actions.tokens import confirm_token
from tests.factories import ActionFactory, SignupFactory
from tests.volunteers import form

pytestmark = pytest.mark.django_db

BOT_ADDRESS, OFFICE_ADDRESS = "198.51.100.7", "203.0.113.40"


def sign_up(client, action, *, address="10.0.0.1", lang="es", **changes):
    return client.post(f"/{lang}/actions/{action.slug}/signup/", form(**changes), REMOTE_ADDR=address)


def confirm(client, signup, *, address="10.0.0.1", data=None):
    return client.post(f"/es/signups/confirm/{confirm_token(signup)}/", data or {}, REMOTE_ADDR=address)


def challenge_key(response) -> str | None:
    found = re.search(r'name="challenge_0" value="(\w+)"', response.content.decode())
    return found and found.group(1)


def answered(response, answer=None) -> dict:
    """The challenge of `response`, answered right (as a person reading the picture would), or with
    `answer`."""
    key = challenge_key(response)
    return {"challenge_0": key, "challenge_1": answer or CaptchaStore.objects.get(hashkey=key).response}


def test_past_the_rate_per_address_the_form_asks_for_the_challenge_and_keeps_what_was_typed(client, settings):
    settings.SIGNUP_RATE = "2/h"
    action = ActionFactory()
    assert [sign_up(client, action, email=f"v{i}@example{i}.org").status_code for i in range(2)] == [302, 302]
    response = sign_up(client, action, email="rosa@example.net", name="Rosa Pérez")
    page = response.content.decode()
    assert response.status_code == 200 and challenge_key(response)
    assert "escriba las letras que ve en la imagen" in page
    assert 'value="Rosa Pérez"' in page and 'value="rosa@example.net"' in page
    assert 'width="150" height="50"' in page and "srcset" not in page
    picture = client.get(re.search(r'src="(/captcha/image/\w+/)"', page).group(1))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert not Signup.objects.filter(email="rosa@example.net").exists()

    data = form(email="rosa@example.net", name="Rosa Pérez", **answered(response))
    assert client.post(f"/es/actions/{action.slug}/signup/", data, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert Signup.objects.get(email="rosa@example.net").flag == Signup.Flag.NETWORK


def test_only_the_pictures_of_the_challenge_are_served(client):
    # The library's refresh (a database row per request) and audio (no speech synthesizer here) are not.
    assert client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"}).status_code == 404
    assert client.get("/captcha/audio/abc.wav").status_code == 404


def test_wrong_answers_count_toward_the_ceiling(client, settings):
    settings.SIGNUP_RATE, settings.SIGNUP_RATE_MAX = "0/h", "3/h"
    action = ActionFactory()
    response = sign_up(client, action)  # 1
    for _ in range(2):  # 2, 3
        data = form(**answered(response, answer="nope"))
        response = client.post(f"/es/actions/{action.slug}/signup/", data, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 400
    data = form(**answered(response, answer="nope"))
    assert client.post(f"/es/actions/{action.slug}/signup/", data, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_a_wrong_answer_is_explained_with_a_new_picture_and_nothing_is_made(client, settings):
    settings.SIGNUP_RATE = "0/h"
    action = ActionFactory()
    first = sign_up(client, action)
    data = form(**answered(first, answer="nope"))
    response = client.post(f"/es/actions/{action.slug}/signup/", data, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert "Esas no son las letras de la imagen" in response.content.decode()
    assert challenge_key(response) not in (None, challenge_key(first))
    # One try a picture: the right answer to the old one no longer counts.
    assert not Signup.objects.exists()


def test_one_mail_domain_past_its_share_of_an_action_is_challenged_and_others_are_not(client):
    action = ActionFactory(capacity=100)  # a share of 10 seats, above SIGNUP_DOMAIN_FREE
    codes = [sign_up(client, action, email=f"v{i}@bots.example", address=f"10.0.1.{i}").status_code for i in range(11)]
    assert codes == [302] * 10 + [200]
    assert sign_up(client, action, email="ana@example.org", address="10.0.2.1").status_code == 302


def test_an_action_without_a_capacity_has_no_domain_limit(client):
    action = ActionFactory(capacity=None)
    codes = {sign_up(client, action, email=f"v{i}@gmail.com", address=f"10.0.4.{i}").status_code for i in range(12)}
    assert codes == {302} and not Signup.objects.exclude(flag="").exists()


def test_a_surge_at_one_action_is_challenged_whatever_the_domains_and_addresses(client, settings):
    settings.SIGNUP_SURGE_PER_HOUR = 3
    action = ActionFactory()
    codes = [sign_up(client, action, email=f"v@d{i}.example", address=f"10.0.3.{i}").status_code for i in range(4)]
    assert codes == [302, 302, 302, 200]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert sign_up(client, action, email="late@d9.example", address="10.0.3.9").status_code == 302


def test_past_the_confirmation_rate_the_button_comes_with_the_challenge(client, settings):
    settings.SIGNUP_CONFIRM_RATE = "1/h"
    action = ActionFactory()
    first, second = SignupFactory(action=action), SignupFactory(action=action)
    assert confirm(client, first).status_code == 200
    response = confirm(client, second)
    assert response.status_code == 200 and challenge_key(response)
    second.refresh_from_db()
    assert second.status == Signup.Status.PENDING
    assert confirm(client, second, data=answered(response)).status_code == 200
    second.refresh_from_db()
    assert (second.status, second.flag) == (Signup.Status.CONFIRMED, Signup.Flag.CONFIRMATIONS)


def test_without_the_cache_the_limits_cannot_count_so_everyone_is_challenged_not_failed(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    action = ActionFactory()
    response = sign_up(client, action)
    assert response.status_code == 200 and challenge_key(response)
    assert client.post(f"/es/actions/{action.slug}/signup/", form(**answered(response))).status_code == 302


def test_a_script_with_a_catch_all_domain_takes_no_more_than_its_share_of_seats(client, settings):
    """The run of issue 15: 1,000 signups from 100 addresses at one catch-all domain and one network
    address, then 1,000 confirmations from that address, while real volunteers sign up."""
    action = ActionFactory(capacity=50)
    for n in range(1000):
        sign_up(client, action, email=f"bot{n % 100}@catchall.example", address=BOT_ADDRESS)
        if n % 25 == 0:
            sign_up(client, action, email=f"person{n}@example{n}.org", address=f"10.1.{n // 250}.{n % 250}")
    bots = list(Signup.objects.filter(email__endswith="@catchall.example"))
    for n in range(1000):
        confirm(client, bots[n % len(bots)], address=BOT_ADDRESS)
    for person in Signup.objects.exclude(email__endswith="@catchall.example"):
        confirm(client, person, address=f"10.2.0.{person.pk % 250}")

    confirmed_bots = Signup.objects.confirmed().filter(email__endswith="@catchall.example").count()
    share = max(settings.SIGNUP_DOMAIN_FREE, math.ceil(action.capacity * settings.SIGNUP_DOMAIN_SHARE))
    assert 0 < confirmed_bots <= share == 5
    people = Signup.objects.exclude(email__endswith="@catchall.example")
    assert people.count() == 40 and set(people.values_list("status", flat=True)) == {Signup.Status.CONFIRMED}


def test_two_hundred_volunteers_behind_one_address_in_ten_minutes_are_challenged_never_refused(client):
    action = ActionFactory(capacity=300)
    domains = ["gmail.com", "hotmail.com", "yahoo.com.mx", "outlook.com", "prodigy.net.mx"]
    start, codes, challenged = timezone.now(), set(), 0
    for n in range(200):
        with time_machine.travel(start + datetime.timedelta(seconds=3 * n)):
            email = f"volunteer{n}@{domains[n % len(domains)]}"
            response = sign_up(client, action, email=email, address=OFFICE_ADDRESS)
            if response.status_code == 200:
                challenged += 1
                data = form(email=email, **answered(response))
                response = client.post(f"/es/actions/{action.slug}/signup/", data, REMOTE_ADDR=OFFICE_ADDRESS)
            codes.add(response.status_code)
            signup = Signup.objects.get(email=email)
            response = confirm(client, signup, address=OFFICE_ADDRESS)
            if challenge_key(response):
                response = confirm(client, signup, address=OFFICE_ADDRESS, data=answered(response))
            codes.add(response.status_code)
    assert codes == {302, 200}
    assert challenged > 0
    assert Signup.objects.confirmed().count() == 200
