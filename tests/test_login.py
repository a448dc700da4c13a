"""The admin login: brute force is locked out (django-axes); two-factor codes (django-otp TOTP)."""

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff():
    return User.objects.create_user("organizer", password="a long passphrase", is_staff=True, is_superuser=True)


def log_in(client, password="a long passphrase", headers=None, **fields):
    data = {"username": "organizer", "password": password, "next": "/admin/", **fields}
    return client.post(LOGIN, data, headers=headers)


def test_five_wrong_passwords_lock_the_login_for_that_user_and_address(client, staff):
    for _ in range(5):
        assert log_in(client, password="wrong").status_code in (200, 429)
    response = log_in(client, headers={"accept-language": "es"})  # the right password, too late
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in


def test_a_success_before_the_limit_clears_the_count(client, staff):
    for _ in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302


def test_staff_with_a_device_must_give_its_current_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    assert log_in(client).status_code == 200  # the form again: the code is missing
    assert log_in(client, otp_token=f"{totp(device.bin_key):06d}").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    wrong = (totp(device.bin_key) + 1) % 1_000_000
    assert log_in(client, otp_token=f"{wrong:06d}").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_staff_without_a_device_log_in_with_the_password_unless_two_factor_is_required(client, staff, settings):
    assert log_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    settings.ADMIN_REQUIRE_2FA = True
    assert client.get("/admin/").status_code == 302  # no longer enough: sent back to log in
    client.logout()
    assert log_in(client).status_code == 200
